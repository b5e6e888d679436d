#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# users.sh: runs users.js (playwright-core + Debian's chromium): the old
# manual's flow on the users pages, with the real helper on a store holding
# emak.se, klient1 and two mailboxes with hostile full names. users.js gets
# the domain's directory and checks vpasswd and .qmail there itself; this
# script checks the password hashes afterwards with crypt(3).
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=tests/lib/browser.sh
. "$QA_SRCDIR/tests/lib/browser.sh"
HARNESS_STORE=1
QA_EXTRA_CONF="login_fail_limit = 50"
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"
harness_require python3

"$CTL" domain add emak.se Postm4ster >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
"$CTL" user add klient1@emak.se Klient1pw -c "Klient Ett" >/dev/null || tap_bail "user add failed"
"$CTL" user add xss1@emak.se Xss1pw -c '<script>alert(1)</script>' >/dev/null || tap_bail "user add xss1 failed"
"$CTL" user add xss2@emak.se Xss2pw -c '" onmouseover="alert(2)' >/dev/null || tap_bail "user add xss2 failed"
DOM=$RUN/vpopmail/domains/emak.se
# Some mail, so that the list shows quota bars (60 %, and 88 %: a warning).
"$CTL" user quota klient1@emak.se 10M >/dev/null && "$CTL" user quota xss1@emak.se 1M >/dev/null
head -c 6291456 /dev/zero >"$DOM/klient1/Maildir/cur/1.1.host,S=6291456:2,S"
head -c 921600 /dev/zero >"$DOM/xss1/Maildir/cur/1.1.host,S=921600:2,S"
rm -f "$DOM/klient1/Maildir/maildirsize" "$DOM/xss1/Maildir/maildirsize"

browser_run users.js "$DOM"
tap_is "after the flow: lars.jonsson is gone from vpasswd" "$(grep -c '^lars\.jonsson:' "$DOM/vpasswd" || true)" 0
tap_is "... klient1 is still there, as it was" "$(grep '^klient1:' "$DOM/vpasswd" | cut -d: -f3-5)" "1:0:Klient Ett"
harness_done
