#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck disable=SC2016 # ($6$ hashes are meant literally)
# store_concurrency.sh: 8 processes each add 500 mailboxes to one domain
# through qmailadmin-ctl at the same time (single adds and CSV imports, 840
# runs that all rewrite the same vpasswd and .dir-control), while a ninth
# keeps reading. Nothing may
# be lost: all 4,000 are there with their homes, vpasswd is sorted with no
# duplicates, vpasswd.cdb is exactly what vpopmail builds from it, and
# .dir-control counts every one of them. STORE_CONC_PROCS and
# STORE_CONC_USERS (defaults 8 and 500) change the sizes.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${QA_BUILDDIR:=$QA_SRCDIR}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=scripts/lib.sh
. "$QA_SRCDIR/scripts/lib.sh"

CTL=$QA_BUILDDIR/qmailadmin-ctl
[ -x "$CTL" ] || tap_bail "no qmailadmin-ctl at $CTL (QA_BUILDDIR)"
command -v cdb >/dev/null || tap_skip_all "tinycdb's cdb is not installed"
PROCS=${STORE_CONC_PROCS:-8}
EACH=${STORE_CONC_USERS:-500}

RUN=$(mktemp -d /tmp/qa-store-conc.XXXXXX)
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$RUN"' EXIT
mapfile -t store < <(store_layout "$RUN")
Q=$RUN/qmail
VP=$RUN/vpopmail
: >"$Q/control/locals"
printf '%s\n' "${store[@]}" "qmail_reload = none" >"$RUN/qmailadmin.conf"
export QMAILADMIN_CONF=$RUN/qmailadmin.conf
DOM=$VP/domains/conc.test
HASH='$6$saltsalt$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnop'

"$CTL" domain list >/dev/null 2>&1 || true    # the helper's state, as the vpopmail user
"$CTL" domain add conc.test Postm4ster >/dev/null

adder() {	# adder P: EACH mailboxes pP-NNNN, in rounds of 20 single adds and
	# one import of 80 (both ways of adding); failures go to RUN/fail.P
	local i csv=$RUN/import.$1
	for ((i = 0; i < EACH; i++)); do
		if ((i % 100 < 20)); then
			"$CTL" user add "$(printf 'p%d-%04d' "$1" "$i")@conc.test" "$HASH" >/dev/null \
				2>>"$RUN/fail.$1" || echo "p$1-$i" >>"$RUN/fail.$1"
			continue
		fi
		printf 'p%d-%04d,%s\n' "$1" "$i" "$HASH" >>"$csv"
		if ((i % 100 == 99 || i == EACH - 1)); then
			"$CTL" user import conc.test "$csv" >/dev/null 2>>"$RUN/fail.$1" ||
				echo "import p$1-$i" >>"$RUN/fail.$1"
			rm -f "$csv"
		fi
	done
}

reader() {	# reads users while the adders run; a failed read is recorded
	while [ ! -e "$RUN/stop" ]; do
		"$CTL" user show postmaster@conc.test >/dev/null 2>>"$RUN/fail.read" ||
			echo read >>"$RUN/fail.read"
	done
}

t0=$(date +%s)
pids=()
for ((p = 0; p < PROCS; p++)); do
	adder "$p" &
	pids+=($!)
done
reader &
rpid=$!
for pid in "${pids[@]}"; do wait "$pid"; done
touch "$RUN/stop"
wait "$rpid"
echo "# $((PROCS * EACH)) adds by $PROCS processes in $(($(date +%s) - t0)) s"

TOTAL=$((PROCS * EACH))
tap_is "no add failed" "$(cat "$RUN"/fail.[0-9]* 2>/dev/null | head -5)" ""
tap_is "no read failed" "$(head -5 "$RUN/fail.read" 2>/dev/null)" ""
tap_is "all $TOTAL are in vpasswd (and the postmaster)" "$(grep -c '^p[0-9]*-' "$DOM/vpasswd")" "$TOTAL"
tap_ok "vpasswd is sorted, no duplicates" bash -c "cut -d: -f1 '$DOM/vpasswd' | LC_ALL=C sort -c -u"
tap_ok "vpasswd.cdb is exactly what vpopmail builds from vpasswd" \
	cmp -s <(cdb -d "$DOM/vpasswd.cdb") <(LC_ALL=C awk '{ i = index($0, ":")
		k = substr($0, 1, i - 1); v = substr($0, i + 1)
		printf "+%d,%d:%s->%s\n", length(k), length(v), k, v } END { print "" }' "$DOM/vpasswd")
missing=$(cut -d: -f6 "$DOM/vpasswd" | while read -r home; do
	[ -d "$home/Maildir/new" ] || echo "$home"; done | wc -l)
tap_is "every mailbox has its Maildir" "$missing" 0
tap_is ".dir-control counts them all" "$(head -1 "$DOM/.dir-control")" $((TOTAL + 1))
homes=$(find "$DOM" -mindepth 1 -maxdepth 2 -name 'p*-*' -type d | wc -l)
tap_is "no stray home directories" "$homes" "$TOTAL"
tap_done
