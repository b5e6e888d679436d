#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# aliases.sh: runs aliases.js (the postmaster's aliases, forwards and
# catch-all in Chromium) against the harness's web stack, with the real
# helper and a store holding emak.se (klient1, klient2) and a program alias
# made on disk, as a system administrator would.
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
"$CTL" domain add emak.se Postm4ster >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
"$CTL" user add klient1@emak.se Klient1pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"
"$CTL" user add klient2@emak.se Klient2pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"
"$CTL" alias blackhole spam@emak.se >/dev/null || tap_bail "qmailadmin-ctl alias blackhole failed"
DOM=$RUN/vpopmail/domains/emak.se
printf '|/usr/local/bin/ticket-intake --queue=helpdesk\n' >"$DOM/.qmail-helpdesk"
chown --reference="$DOM/.qmail-spam" "$DOM/.qmail-helpdesk"
chmod 600 "$DOM/.qmail-helpdesk"

browser_run aliases.js
tap_is "the browser's alias is on disk" "$(cat "$DOM/.qmail-info" 2>&1)" '&klient2@emak.se'
tap_ok "the browser's forward was deleted" test ! -e "$DOM/.qmail-sales"
tap_is "the catch-all bounces again" "$(cat "$DOM/.qmail-default")" "| $RUN/vpopmail/bin/vdelivermail '' bounce-no-mailbox"
harness_done
