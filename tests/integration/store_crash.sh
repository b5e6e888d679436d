#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck disable=SC2016 # ($6$ hashes and '!domain-' keys are meant literally)
# store_crash.sh: crash safety of the store. qmailadmin-ctl user add / user
# del / domain add / domain del are killed with SIGKILL at random moments
# (no test hooks: timing only; a domain of 10,000 users makes each vpasswd
# rewrite take milliseconds, so many kills land inside one). After each
# kill the same operation is run again, which must finish or repair what
# the crash left, and then the store must be whole:
#   - vpasswd parses (7 fields, final newline) and is sorted, no duplicates;
#   - `cdb -d vpasswd.cdb` is exactly what vpopmail builds from vpasswd;
#   - users/cdb is exactly what qmail-newu builds from users/assign;
#   - a user whose add exited 0 is there with its Maildir, one whose delete
#     exited 0 is not;
#   - a domain is either wholly there (users/cdb, control files, DOMDIR,
#     postmaster) or wholly gone.
# STORE_CRASH_KILLS (default 200) sets the number of killed operations,
# STORE_CRASH_USERS (default 10000) the size of the domain.
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
KILLS=${STORE_CRASH_KILLS:-200}
USERS=${STORE_CRASH_USERS:-10000}

RUN=$(mktemp -d /tmp/qa-store-crash.XXXXXX)
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$RUN"' EXIT
mapfile -t store < <(store_layout "$RUN")
Q=$RUN/qmail
VP=$RUN/vpopmail
: >"$Q/control/locals"
printf '%s\n' "${store[@]}" "qmail_reload = none" >"$RUN/qmailadmin.conf"
export QMAILADMIN_CONF=$RUN/qmailadmin.conf
DOM=$VP/domains/big.test
HASH='$6$saltsalt$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnop'

ctl() {	# ctl ARGS...: runs the CLI quietly; the exit status is its
	"$CTL" "$@" >/dev/null 2>"$RUN/err"
}

# ---------------------------------------------------------------- invariants

vpasswd_ok() {	# 7 fields per line, a final newline, names sorted and unique
	[ ! -s "$DOM/vpasswd" ] || [ "$(tail -c 1 "$DOM/vpasswd" | od -An -c | tr -d ' ')" = '\n' ] || return 1
	LC_ALL=C awk -F: 'NF != 7 { bad = 1 } END { exit bad }' "$DOM/vpasswd" &&
		cut -d: -f1 "$DOM/vpasswd" | LC_ALL=C sort -c -u
}

vpasswd_cdb_ok() {	# cdb -d lists records in insertion order: vpasswd's order
	cmp -s <(cdb -d "$DOM/vpasswd.cdb") <(LC_ALL=C awk '{ i = index($0, ":")
		k = substr($0, 1, i - 1); v = substr($0, i + 1)
		printf "+%d,%d:%s->%s\n", length(k), length(v), k, v } END { print "" }' "$DOM/vpasswd")
}

newu() {	# what qmail-newu builds from users/assign, one "key TAB value" per
	# record in its order, NUL shown as \001 (what users_cdb_ok reads back)
	LC_ALL=C awk '
	/^\./ { exit }
	{
		z = sprintf("%c", 1)
		t = substr($0, 1, 1); i = index($0, ":"); loc = tolower(substr($0, 2, i - 2))
		split(substr($0, i + 1), f, ":")
		v = f[1] z f[2] z f[3] z f[4] z f[5] z f[6]
		if (t == "+" && loc != "" && !index(wild, substr(loc, length(loc))))
			wild = wild substr(loc, length(loc))
		printf "%s\t%s\n", (t == "+" ? "!" loc : "!" loc z), v
	}
	END { printf "\t%s\n", wild }' "$Q/users/assign"
}

users_cdb_ok() {	# users/cdb, record by record, equals newu
	cmp -s <(cdb -d "$Q/users/cdb" | tr '\0' '\001' | LC_ALL=C awk 'NF {
		sub(/^\+[0-9]+,[0-9]+:/, ""); i = index($0, "->")
		printf "%s\t%s\n", substr($0, 1, i - 1), substr($0, i + 2) }') <(newu)
}

user_there() { grep -q "^$1:" "$DOM/vpasswd" && [ -d "$DOM/$(grep "^$1:" "$DOM/vpasswd" |
	cut -d: -f6 | sed "s|^$DOM/||")/Maildir/new" ]; }
user_gone() { ! grep -q "^$1:" "$DOM/vpasswd"; }

domain_there() {	# users/cdb, rcpthosts, virtualdomains, DOMDIR, its postmaster
	local d=$1 dir
	dir=$(cdb -q "$Q/users/cdb" "!$d-" | tr '\0' '\n' | sed -n 4p) || return 1
	grep -qx "$d" "$Q/control/rcpthosts" && grep -qx "$d:$d" "$Q/control/virtualdomains" &&
		[ "$dir" = "$VP/domains/$d" ] && grep -q '^postmaster:' "$dir/vpasswd" &&
		[ -f "$dir/.qmail-default" ] && [ -d "$dir/postmaster/Maildir/new" ]
}

domain_gone() {
	local d=$1
	! cdb -q "$Q/users/cdb" "!$d-" >/dev/null && ! grep -q "^+$d-:" "$Q/users/assign" &&
		! grep -qx "$d" "$Q/control/rcpthosts" && ! grep -q "^$d:" "$Q/control/virtualdomains" &&
		[ ! -e "$VP/domains/$d" ]
}

BROKEN=0
check() {	# check WHAT CMD...: counts a failure (printed) without stopping the run
	if ! "${@:2}"; then
		BROKEN=$((BROKEN + 1))
		echo "# after $1: $2 failed"
	fi
}

# ---------------------------------------------------------------- the big domain
# Its 10,000 lines are written straight into vpasswd (their homes do not
# exist: only the rewrites matter here), and the cdb is rebuilt the way
# vpopmail does it, by a lookup that finds none.
ctl domain list || true     # the helper's state, as the vpopmail user (see store_cli.sh)
ctl domain add big.test Postm4ster
{
	cat "$DOM/vpasswd"
	awk -v h="$HASH" -v n="$USERS" -v d="$DOM" 'BEGIN {
		for (i = 0; i < n; i++) printf "u%05d:%s:1:0:User %d:%s/u%05d:NOQUOTA\n", i, h, i, d, i }'
} | LC_ALL=C sort >"$RUN/vpasswd"
cp "$RUN/vpasswd" "$DOM/vpasswd"
rm "$DOM/vpasswd.cdb"
ctl user show postmaster@big.test
tap_ok "a domain of $USERS users to crash into" vpasswd_cdb_ok

# How long one change takes, to spread the kills over its whole life (the
# last fifth of a run is mostly its exit, where kills find nothing to break).
t0=$(date +%s%N)
ctl user add probe@big.test "$HASH"
ctl user del probe@big.test
change=$((($(date +%s%N) - t0) / 2000000 + 1))
span=$((change * 4 / 5 + 1))
[ "$span" -lt 999 ] || span=999
echo "# one change takes about $change ms; kills land in 0..$span ms"

# ---------------------------------------------------------------- the kills
declare -A added=() deleted=() dom_there=() dom_gone=()
next_del=0 next_dom=0 killed=0 finished=0 iter=0

kill_at() {	# kill_at MS CMD...: runs CMD, SIGKILLs it after MS ms; 0 = it finished
	local pid rc=0
	"$CTL" "${@:2}" >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' "$1")"
	kill -9 "$pid" 2>/dev/null || true
	{ wait "$pid" || rc=$?; } 2>/dev/null     # no "Killed" job notice
	[ "$rc" -eq 137 ] && killed=$((killed + 1))
	[ "$rc" -eq 0 ] && finished=$((finished + 1))
	return "$rc"
}

done_before=0 torn=0
retry() {	# retry OK-ERROR ARGS...: the same operation again; it may say OK-ERROR
	if ctl "${@:2}"; then
		return 0
	elif grep -q "$1" "$RUN/err"; then
		done_before=$((done_before + 1))     # the killed one had committed
	else
		echo "# retry of ${*:2}: $(cat "$RUN/err")"
		BROKEN=$((BROKEN + 1))
	fi
}

torn_user() {	# torn_user NAME: a kill left a state a retry must repair
	if ! vpasswd_cdb_ok || { ! grep -q "^$1:" "$DOM/vpasswd" && [ -e "$DOM/$1" ]; }; then
		torn=$((torn + 1))
	fi
}

ts=$(date +%s)
while [ "$killed" -lt "$KILLS" ] && [ "$iter" -lt $((KILLS * 3)) ]; do
	iter=$((iter + 1))
	ms=$((RANDOM % span)) u=''
	case $((RANDOM % 20)) in
	[0-7])	u=n$iter
		kill_at "$ms" user add "$u@big.test" "$HASH" && added[$u]=1
		torn_user "$u"
		retry exists user add "$u@big.test" "$HASH"
		added[$u]=1
		check "add $u" user_there "$u" ;;
	[8-9]|1[0-3])
		u=$(printf 'u%05d' $((next_del * 7 % USERS)))
		next_del=$((next_del + 1))
		kill_at "$ms" user del "$u@big.test" && deleted[$u]=1
		torn_user "$u"
		retry not_found user del "$u@big.test"
		deleted[$u]=1
		check "del $u" user_gone "$u" ;;
	1[4-6])	d=crash$iter.test u=
		kill_at "$ms" domain add "$d" Postm4ster || true
		retry exists domain add "$d" Postm4ster
		dom_there[$d]=1
		check "domain add $d" domain_there "$d" ;;
	*)	d=$(printf '%s\n' "${!dom_there[@]}" | head -n 1)
		[ -n "$d" ] || continue
		unset "dom_there[$d]"
		next_dom=$((next_dom + 1))
		kill_at "$ms" domain del "$d" || true
		retry not_found domain del "$d"
		dom_gone[$d]=1
		check "domain del $d" domain_gone "$d" ;;
	esac
	if [ -n "$u" ]; then
		check "iteration $iter" vpasswd_ok
		check "iteration $iter" vpasswd_cdb_ok
	else
		check "iteration $iter" users_cdb_ok
	fi
done
echo "# $iter operations in $(($(date +%s) - ts)) s: $killed killed, $finished finished before the kill"
echo "# killed after their commit point: $done_before; user stores left torn (stale cdb, stray home): $torn"
tap_ok "at least $KILLS operations were killed" test "$killed" -ge "$KILLS"
tap_is "after every kill the retry and the checks held" "$BROKEN" 0

# ---------------------------------------------------------------- the end state
missing=0
for u in "${!added[@]}"; do user_there "$u" || missing=$((missing + 1)); done
tap_is "every user whose add completed is there, with its Maildir (${#added[@]})" "$missing" 0
present=0
for u in "${!deleted[@]}"; do user_gone "$u" || present=$((present + 1)); done
tap_is "every user whose delete completed is gone (${#deleted[@]})" "$present" 0
bad=0
for d in "${!dom_there[@]}"; do domain_there "$d" || bad=$((bad + 1)); done
for d in "${!dom_gone[@]}"; do domain_gone "$d" || bad=$((bad + 1)); done
tap_is "every domain is wholly there or wholly gone ($((${#dom_there[@]} + ${#dom_gone[@]})))" "$bad" 0
tap_ok "vpasswd parses and is sorted" vpasswd_ok
tap_ok "vpasswd.cdb is built from vpasswd" vpasswd_cdb_ok
tap_ok "users/cdb is built from users/assign" users_cdb_ok
tap_is ".dir-control has vpopmail's 8 lines" "$(wc -l <"$DOM/.dir-control")" 8
tap_done
