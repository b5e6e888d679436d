#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# workers.sh: qmailadmin --workers N behind nginx: N processes serve the one
# socket, a worker that dies is replaced, pages keep coming under
# concurrent requests, and SIGTERM to the parent stops them all.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
export APP_WORKERS=3
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

S=/cgi-bin/qmailadmin
parent=$(svc_pid app)
workers() { pgrep -P "$parent" -x qmailadmin | sort; }

tap_is "three workers under the supervisor" "$(workers | wc -l)" 3
http "$S/login"
tap_is "a page is served" "$STATUS" 200

# Twelve requests at once: every one answered.
pids=()
for i in $(seq 12); do
	curl -s -o /dev/null -w '%{http_code}\n' "$BASE$S/login" >"$RUN/code.$i" &
	pids+=($!)
done
wait "${pids[@]}"	# only the curls: the services are background jobs too
cat "$RUN"/code.* >"$RUN/codes"
ok=$(grep -c '^200$' "$RUN/codes" || true)
tap_is "twelve concurrent requests: all 200" "$ok" 12

victim=$(workers | head -n 1)
kill -KILL "$victim"
for _ in $(seq 50); do
	[ "$(workers | wc -l)" = 3 ] && ! workers | grep -qx "$victim" && break
	sleep 0.1
done
tap_is "a killed worker is replaced" "$(workers | wc -l)" 3
tap_ok "... by a new process" bash -c "! pgrep -P $parent -x qmailadmin | grep -qx $victim"
http "$S/login"
tap_is "... and pages are still served" "$STATUS" 200
tap_like "the supervisor logged it" "$(cat "$RUN/web/app.log")" 'worker [0-9]+ ended'

before=$(workers)
kill -TERM "$parent"
for _ in $(seq 50); do
	kill -0 "$parent" 2>/dev/null || break
	sleep 0.1
done
tap_ok "SIGTERM stops the supervisor" bash -c "! kill -0 $parent 2>/dev/null"
left=0
for p in $before; do
	kill -0 "$p" 2>/dev/null && left=$((left + 1))
done
tap_is "... and every worker" "$left" 0

# The app's usage check: bad worker counts are refused.
"$APP" --workers 0 >/dev/null 2>&1 && rc=0 || rc=$?
tap_is "--workers 0: usage error" "$rc" 2
"$APP" --workers 65 >/dev/null 2>&1 && rc=0 || rc=$?
tap_is "--workers 65: usage error" "$rc" 2
harness_done
