#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# browser.sh: runs login.js (playwright-core + Debian's chromium) against
# the harness's web stack, with the real helper and a store holding emak.se.
# Skipped when chromium, node or playwright-core is missing. playwright-core
# is looked up in $QA_NODE_MODULES, then in tests/e2e/node_modules
# (scripts/check installs it there with npm).
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"

QA_CHROMIUM=${QA_CHROMIUM:-/usr/bin/chromium}
[ -x "$QA_CHROMIUM" ] || tap_skip_all "no chromium at $QA_CHROMIUM"
command -v node >/dev/null 2>&1 || tap_skip_all "node is not installed"
NODE_PATH=
for dir in "${QA_NODE_MODULES-}" "$QA_SRCDIR/tests/e2e/node_modules"; do
	if [ -n "$dir" ] && [ -f "$dir/playwright-core/package.json" ]; then
		NODE_PATH=$dir
		break
	fi
done
[ -n "$NODE_PATH" ] || tap_skip_all "playwright-core is not installed (npm install in tests/e2e)"
export NODE_PATH QA_CHROMIUM

HARNESS_STORE=1	# the real helper on a store of our own
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"	# also sets HOME=$RUN/home: chromium writes there
"$CTL" domain add emak.se Postm4ster >/dev/null || tap_bail "qmailadmin-ctl domain add failed"

rc=0
QA_HELPER_LINK=$RUN/bin/qmailadmin-helper \
	node "$QA_SRCDIR/tests/e2e/login.js" "$BASE" >"$RUN/login.tap" 2>"$RUN/node.err" || rc=$?

# login.js prints unnumbered results: number them into this test's plan.
while IFS= read -r line; do
	case $line in
	"ok - "*)
		TAP_N=$((TAP_N + 1))
		echo "ok $TAP_N ${line#ok }"
		;;
	"not ok - "*)
		TAP_N=$((TAP_N + 1))
		TAP_FAILED=$((TAP_FAILED + 1))
		echo "not ok $TAP_N ${line#not ok }"
		;;
	*) echo "$line" ;;
	esac
done <"$RUN/login.tap"
tap_is "login.js exit status" "$rc" 0
[ "$rc" -eq 0 ] || sed 's/^/#   node: /' "$RUN/node.err" | tail -n 30

harness_done
