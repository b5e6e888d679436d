#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# http_limits.sh: oversized and malformed requests get a 4xx answer from the
# app (limits from qmailadmin.conf: max_body 64K, max_upload 1M, max_fields
# 200), and the one FastCGI process survives them all.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

app_pid=$(svc_pid app)
http /cgi-bin/qmailadmin
token=$(cookie_value qa_csrf)
tap_like "setup: got a csrf token" "$token" '^[0-9a-f]{32}$'

post() {	# post [CURL-OPTION...]: POST to the login page with the csrf cookie
	http -X POST -b "qa_csrf=$token" "$@" /cgi-bin/qmailadmin/login
}
post_form() {	# post_form FILE: an urlencoded body from FILE
	post -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$1"
}
repeat() {	# repeat N STRING: STRING N times
	local i
	for ((i = 0; i < $1; i++)); do printf '%s' "$2"; done
}
tap_4xx() {	# tap_4xx NAME: the last request got a client error, not a crash
	tap_like "$1: 4xx" "$STATUS" '^4[0-9][0-9]$'
}
tap_answered() {	# tap_answered NAME: the app answered (502 = it died)
	tap_like "$1: answered (got $STATUS)" "$STATUS" '^[1-4][0-9][0-9]$|^503$'
}

# ---- max_body (urlencoded)
{ printf 'csrf=%s&password=x&user=' "$token"; repeat 66000 a; } >"$RUN/big.form"
post_form "$RUN/big.form"
tap_is "urlencoded body over max_body: 413" "$STATUS" 413
{ printf 'csrf=%s&password=x&user=' "$token"; repeat 60000 a; } >"$RUN/under.form"
post_form "$RUN/under.form"
tap_unlike "urlencoded body under max_body: not 413" "$STATUS" '^413$'

# ---- escapes and field counts
post --data "csrf=$token&user=%G1&password=x"
tap_is "bad %-escape in the body: 400" "$STATUS" 400
post --data "csrf=$token&password=x&user=bob%4"
tap_is "truncated %-escape at the end of the body: 400" "$STATUS" 400
http "/cgi-bin/qmailadmin?lang=%00"
tap_is "%00 in the query string: 400" "$STATUS" 400
http "/cgi-bin/qmailadmin?lang=sv%00en"
tap_is "%00 inside a query value: 400" "$STATUS" 400

# csrf, password, user and 197 more: max_fields exactly
{ printf 'csrf=%s&password=x&user=bob' "$token"; repeat 197 '&f=1'; } >"$RUN/200.form"
post_form "$RUN/200.form"
tap_is "max_fields fields: accepted (503, no helper configured)" "$STATUS" 503
{ printf 'csrf=%s&password=x&user=bob' "$token"; repeat 198 '&f=1'; } >"$RUN/201.form"
post_form "$RUN/201.form"
tap_is "max_fields + 1 fields: 413" "$STATUS" 413
http "/cgi-bin/qmailadmin?$(repeat 300 'a=1&')b=2"
tap_4xx "300 fields in the query string"

# ---- multipart (max_upload = 1M, max_files = 10)
head -c 1100000 /dev/zero >"$RUN/big.bin"
post -F "csrf=$token" -F "user=bob" -F "file=@$RUN/big.bin"
tap_is "multipart body over max_upload: 413" "$STATUS" 413
head -c 1000 /dev/zero >"$RUN/small.bin"
files=()
for i in $(seq 11); do files+=(-F "file$i=@$RUN/small.bin"); done
post -F "csrf=$token" "${files[@]}"
tap_4xx "11 files (max_files 10)"
post -H 'Content-Type: multipart/form-data' --data-binary 'user=bob'
tap_4xx "multipart without a boundary"
post -H 'Content-Type: multipart/form-data; boundary=XyZ' \
	--data-binary $'--XyZ\r\nContent-Disposition: form-data; name="user"\r\n\r\nbob'
tap_4xx "multipart without its closing boundary"
post -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary 'garbage'
tap_4xx "multipart body with no parts"

# ---- headers
http -H "Cookie: qa_csrf=$token; junk=$(repeat 5000 x)" /cgi-bin/qmailadmin
tap_like "Cookie header over 4 KiB: 400 or 413" "$STATUS" '^(400|413)$'
http -H "Cookie: $(repeat 150 'c=1; ')qa_lang=sv" /cgi-bin/qmailadmin
tap_answered "150 cookies"
http -H 'Cookie: ;;; =; qa_lang; =x; qa_csrf==' /cgi-bin/qmailadmin
tap_answered "malformed cookies"

# ---- odd but legal-looking requests
post -H 'Content-Type: text/plain' --data-binary 'user=bob'
tap_4xx "POST with an unsupported Content-Type"
post --data '=&&==&%&&=%zz'
tap_4xx "urlencoded body of separators and bad escapes"
http "/cgi-bin/qmailadmin?lang=%ff%fe&x"
tap_answered "invalid UTF-8 in the query string"
http "/cgi-bin/qmailadmin/$(repeat 2000 a)"
tap_answered "a 2000-byte PATH_INFO"

# ---- and the same process still serves the login page
http /cgi-bin/qmailadmin
tap_is "after all that: GET still 200" "$STATUS" 200
tap_ok "after all that: the FastCGI process ($app_pid) is still running" svc_alive app
tap_is "after all that: it is still the app, never restarted" \
	"$(readlink "/proc/$app_pid/exe")" "$(readlink -f "$APP")"

harness_done
