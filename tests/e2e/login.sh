#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# login.sh: runs login.js (playwright-core + Debian's chromium) against the
# harness's web stack, with the real helper and a store holding emak.se.
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

browser_run login.js
harness_done
