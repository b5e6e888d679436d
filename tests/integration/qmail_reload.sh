#!/bin/bash
# After a domain is added or removed, qmail-send is told to reread locals and
# virtualdomains, as qmail_reload says: SIGHUP to the pid in a pid file, or a
# command run without a shell. A stand-in process plays qmail-send and counts
# the HUPs it gets.
set -u
. "$QA_SRCDIR/tests/lib/tap.sh"
. "$QA_SRCDIR/scripts/lib.sh"

CTL=$QA_BUILDDIR/qmailadmin-ctl
[ -x "$CTL" ] || tap_skip_all "qmailadmin-ctl not built"

RUN=$(mktemp -d /tmp/qa-reload.XXXXXX)
SEND_PID=
cleanup() {
	[ -n "$SEND_PID" ] && kill "$SEND_PID" 2>/dev/null
	[ "${KEEP-}" = 1 ] || rm -rf "$RUN"
}
trap cleanup EXIT
mapfile -t store < <(store_layout "$RUN")
conf() { printf '%s\n' "${store[@]}" "$@" >"$RUN/qmailadmin.conf"; }
export QMAILADMIN_CONF=$RUN/qmailadmin.conf

# The stand-in qmail-send: appends a line to hups for every SIGHUP.
bash -c 'trap "echo hup >>\"$1/hups\"" HUP; while :; do sleep 0.05; done' _ "$RUN" &
SEND_PID=$!
echo "$SEND_PID" >"$RUN/qmail-send.pid"
hups() { if [ -f "$RUN/hups" ]; then wc -l <"$RUN/hups"; else echo 0; fi; }
wait_hups() {	# wait_hups N: until N HUPs were counted (2 s at most)
	local i
	for i in $(seq 1 40); do
		[ "$(hups)" -ge "$1" ] && break
		sleep 0.05
	done
	hups | tr -d ' '
}

conf "qmail_reload = pidfile:$RUN/qmail-send.pid"
tap_ok "domain add with a pidfile reload" "$CTL" domain add emak.se Postm4ster
tap_is "qmail-send got one SIGHUP" "$(wait_hups 1)" 1
tap_ok "alias domain add" "$CTL" domain alias emak.com emak.se
tap_is "and one more" "$(wait_hups 2)" 2
tap_ok "user add" "$CTL" user add klient1@emak.se Klient1pw
sleep 0.3
tap_is "a user change needs no reload" "$(hups | tr -d ' ')" 2
tap_ok "domain del" "$CTL" domain del emak.se
tap_is "domain del reloads too" "$(wait_hups 3)" 3

echo "not-a-pid" >"$RUN/bad.pid"
conf "qmail_reload = pidfile:$RUN/bad.pid"
"$CTL" domain add bad.se Postm4ster >"$RUN/out" 2>&1
tap_like "a malformed pid file is reported" "$(cat "$RUN/out")" 'pid'

conf "qmail_reload = command:/usr/bin/touch $RUN/reloaded"
tap_ok "domain add with a command reload" "$CTL" domain add other.se Postm4ster
tap_ok "the command ran (no shell involved)" test -e "$RUN/reloaded"
tap_done
