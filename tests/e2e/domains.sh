#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# domains.sh: runs domains.js (playwright-core + Debian's chromium): the
# superadmin's domain pages in a real browser, with the real helper, on a
# store holding a few domains made with qmailadmin-ctl. Skipped when
# chromium, node or playwright-core is missing.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=tests/lib/browser.sh
. "$QA_SRCDIR/tests/lib/browser.sh"
HARNESS_STORE=1	# the real helper on a store of our own
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"	# also sets HOME=$RUN/home: chromium writes there
"$CTL" superadmin-password admin Sup3rpw >/dev/null || tap_bail "qmailadmin-ctl superadmin-password failed"
for d in lundgrens.se kontoret.example.org scratch.example; do
	"$CTL" domain add "$d" "Pw-$d-1" >/dev/null || tap_bail "qmailadmin-ctl domain add $d failed"
done
"$CTL" domain alias lundgrens.nu lundgrens.se >/dev/null || tap_bail "qmailadmin-ctl domain alias failed"
"$CTL" user add anna@lundgrens.se Anna-pw-1 >/dev/null || tap_bail "qmailadmin-ctl user add failed"
# Some mail for the disk-use column: what vdelivermail keeps in maildirsize.
dir=$(awk -F: '$1 == "+lundgrens.se-" { print $5 }' "$RUN/qmail/users/assign")
printf '0S\n5242880 120\n' >"$dir/anna/Maildir/maildirsize"

browser_run domains.js
tap_is "emak.se was added on disk" "$(grep -c '^+emak\.se-:' "$RUN/qmail/users/assign")" 1
tap_is "scratch.example was deleted on disk" "$(grep -c '^+scratch\.example-:' "$RUN/qmail/users/assign" || true)" 0
harness_done
