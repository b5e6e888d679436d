# tap.sh: TAP output for shell tests (sourced). Each check prints one
# "ok N - name" or "not ok N - name"; tap_done prints the plan and sets the
# exit status. Diagnostics go to stderr prefixed with "# ".
TAP_N=0
TAP_FAILED=0

tap_ok() {	# tap_ok NAME COMMAND... : passes when COMMAND succeeds
	local name=$1; shift
	TAP_N=$((TAP_N + 1))
	if "$@"; then
		echo "ok $TAP_N - $name"
	else
		echo "not ok $TAP_N - $name"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

tap_is() {	# tap_is NAME GOT WANT
	TAP_N=$((TAP_N + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $TAP_N - $1"
	else
		echo "not ok $TAP_N - $1"
		printf '#   got:  %s\n#   want: %s\n' "$2" "$3"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

tap_like() {	# tap_like NAME TEXT REGEX (grep -E)
	TAP_N=$((TAP_N + 1))
	if printf '%s' "$2" | grep -Eq -- "$3"; then
		echo "ok $TAP_N - $1"
	else
		echo "not ok $TAP_N - $1"
		printf '#   text did not match /%s/:\n' "$3"
		printf '%s\n' "$2" | head -20 | sed 's/^/#     /'
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

tap_unlike() {	# tap_unlike NAME TEXT REGEX
	TAP_N=$((TAP_N + 1))
	if printf '%s' "$2" | grep -Eq -- "$3"; then
		echo "not ok $TAP_N - $1"
		printf '#   text matched /%s/\n' "$3"
		TAP_FAILED=$((TAP_FAILED + 1))
	else
		echo "ok $TAP_N - $1"
	fi
}

tap_skip_all() {	# tap_skip_all REASON
	echo "1..0 # SKIP $1"
	exit 0
}

tap_bail() {	# tap_bail REASON: the environment is broken, stop the test
	echo "Bail out! $1"
	exit 99
}

tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
