#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# account.sh: runs account.js (playwright-core + Debian's chromium) against
# the harness's web stack, with the real helper and a store holding emak.se
# with klient1 (12 MB of its 50 MB used) and a limit of 10 mailboxes.
# Skipped when chromium, node or playwright-core is missing.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=tests/lib/browser.sh
. "$QA_SRCDIR/tests/lib/browser.sh"
HARNESS_STORE=1	# the real helper on a store of our own
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"	# also sets HOME=$RUN/home: chromium writes there
ctl domain add emak.se Postm4ster
ctl user add klient1@emak.se Klient1pw -q 50M
ctl limits set emak.se maxpopaccounts=10
home=$(grep '^klient1:' "$RUN/vpopmail/domains/emak.se/vpasswd" | cut -d: -f6)
printf '52428800S\n12582912 3\n' >"$home/Maildir/maildirsize"
chown --reference="$home/Maildir" "$home/Maildir/maildirsize"

browser_run account.js
harness_done
