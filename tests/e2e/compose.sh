#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# compose.sh: runs compose.js (playwright-core + Debian's chromium): writing
# mail in a real browser against the harness's web stack, the real helper,
# a real Dovecot (HARNESS_DOVECOT=1) and a real Exim (HARNESS_EXIM=1) that
# delivers into the store's Maildirs. compose.js attaches a file made here
# (QA_ATTACHMENT) and checks klient2's Maildir (the second argument).
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=tests/lib/browser.sh
. "$QA_SRCDIR/tests/lib/browser.sh"
HARNESS_STORE=1
HARNESS_DOVECOT=1
HARNESS_EXIM=1
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

ctl domain add emak.se Postm4ster
ctl user add klient1@emak.se Klient1pw -c "Klient Ett"
ctl user add klient2@emak.se Klient2pw -c "Klient Två"

TMP=$RUN/composetmp
mkdir -p "$TMP"
printf 'Protokoll från mötet.\nPunkt 1: fika.\n' >"$TMP/protokoll.txt"
export QA_ATTACHMENT=$TMP/protokoll.txt
browser_run compose.js "$(maildir_of klient2@emak.se)"
harness_done
