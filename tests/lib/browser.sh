# shellcheck shell=bash
# browser.sh: runs a playwright-core script (tests/e2e/NAME.js) against the
# harness's web stack, after harness.sh. Sourced by tests/e2e/*.sh *before*
# harness.sh, so that a machine without a browser skips before anything
# starts. playwright-core is looked up in $QA_NODE_MODULES, then in
# tests/e2e/node_modules (scripts/check installs it there with npm).
#
#   browser_run NAME.js [ARG...]   node NAME.js $BASE ARG...; its unnumbered
#                                  "ok - ..." lines become this test's TAP

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

browser_run() {
	local script=$1 line rc=0
	shift
	QA_HELPER_LINK=$RUN/bin/qmailadmin-helper \
		node "$QA_SRCDIR/tests/e2e/$script" "$BASE" "$@" >"$RUN/$script.tap" 2>"$RUN/$script.err" || rc=$?
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
	done <"$RUN/$script.tap"
	tap_is "$script exit status" "$rc" 0
	[ "$rc" -eq 0 ] || sed 's/^/#   node: /' "$RUN/$script.err" | tail -n 30
}
