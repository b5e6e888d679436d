#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# cgi_mode.sh: the same binary as a plain CGI program, through fcgiwrap and
# straight from the shell (CGI variables, body on stdin), gives the same
# page and headers as under FastCGI.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

HEADER_NAMES="Content-Type Content-Security-Policy X-Content-Type-Options
	Referrer-Policy X-Frame-Options Cache-Control"

normalize() {	# the page with its csrf token and CGI script name blanked out
	printf '%s\n' "$1" | sed -E -e 's/[0-9a-f]{32}/TOKEN/g' -e 's,/cgi-bin/qmailadmin-cgi,/cgi-bin/qmailadmin,g'
}
tap_same_page() {	# tap_same_page NAME: headers and body as under FastCGI
	local name
	for name in $HEADER_NAMES; do
		tap_is "$1: $name as under FastCGI" "$(hdr "$name")" "$(HEADERS=$fcgi_headers hdr "$name")"
	done
	tap_is "$1: same page as under FastCGI" "$(normalize "$BODY")" "$(normalize "$fcgi_body")"
}

http /cgi-bin/qmailadmin
fcgi_headers=$HEADERS fcgi_body=$BODY
tap_is "FastCGI: 200" "$STATUS" 200

# ---- through fcgiwrap
http /cgi-bin/qmailadmin-cgi
tap_is "fcgiwrap: 200" "$STATUS" 200
tap_same_page "fcgiwrap"
token=$(cookie_value qa_csrf)
tap_like "fcgiwrap: csrf cookie" "$token" '^[0-9a-f]{32}$'
tap_is "fcgiwrap: links stay on the CGI URL" \
	"$(html_attr "$(html_tag login-form)" action)" /cgi-bin/qmailadmin-cgi/login

http /cgi-bin/qmailadmin-cgi/login
tap_is "fcgiwrap /login: 200" "$STATUS" 200
http /cgi-bin/qmailadmin-cgi/no-such-page
tap_is "fcgiwrap unknown page: 404" "$STATUS" 404
http -X POST -b "qa_csrf=$token" --data "csrf=$token&user=carol&password=x" /cgi-bin/qmailadmin-cgi/login
tap_is "fcgiwrap POST login: 503 (no helper configured)" "$STATUS" 503
tap_is "fcgiwrap POST login: user name kept" "$(html_attr "$(html_tag user)" value)" carol
http -X POST -b "qa_csrf=$token" --data "user=carol&password=x" /cgi-bin/qmailadmin-cgi/login
tap_is "fcgiwrap POST login without csrf: 403" "$STATUS" 403

# ---- from the shell
cgi GET "" </dev/null
tap_is "shell: exit status 0" "$CGI_RC" 0
tap_like "shell: output starts with a Status line" "$(head -n 1 "$RUN/cgi.out")" '^Status: 200'
tap_same_page "shell"
token=$(cookie_value qa_csrf)
tap_like "shell: csrf cookie" "$token" '^[0-9a-f]{32}$'
tap_unlike "shell: no Secure cookie without HTTPS" "$(hdr Set-Cookie)" '; *Secure(;|$)'

cgi GET /login HTTPS=on </dev/null
tap_is "shell, HTTPS=on: 200" "$STATUS" 200
tap_like "shell, HTTPS=on: the csrf cookie is Secure" \
	"$(printf '%s\n' "$HEADERS" | grep -i '^set-cookie: qa_csrf=')" '; *Secure(;|$)'

cgi HEAD "" </dev/null
tap_like "shell HEAD: Status 200" "$(head -n 1 "$RUN/cgi.out")" '^Status: 200'
tap_is "shell HEAD: empty body" "$BODY" ""
for name in $HEADER_NAMES; do
	tap_is "shell HEAD: $name as GET" "$(hdr "$name")" "$(HEADERS=$fcgi_headers hdr "$name")"
done

cgi GET "" QUERY_STRING=lang=sv </dev/null
tap_like "shell ?lang=sv: Swedish" "$BODY" '<html lang="sv"'

form="csrf=$token&user=dave%40example.test&password=x"
cgi POST /login CONTENT_TYPE=application/x-www-form-urlencoded \
	CONTENT_LENGTH=${#form} HTTP_COOKIE="qa_csrf=$token" <<<"$form"
tap_is "shell POST login: 503 (no helper configured)" "$STATUS" 503
tap_is "shell POST login: user name kept" "$(html_attr "$(html_tag user)" value)" dave@example.test

cgi POST /login CONTENT_TYPE=application/x-www-form-urlencoded \
	CONTENT_LENGTH=${#form} HTTP_COOKIE="qa_csrf=0123456789abcdef0123456789abcdef" <<<"$form"
tap_is "shell POST login, wrong token: 403" "$STATUS" 403
cgi POST /login CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=1000 \
	HTTP_COOKIE="qa_csrf=$token" <<<"$form"
tap_like "shell POST, body shorter than CONTENT_LENGTH: 4xx" "$STATUS" '^4[0-9][0-9]$'
cgi DELETE "" </dev/null
tap_is "shell DELETE: 405" "$STATUS" 405
cgi GET /no-such-page </dev/null
tap_is "shell unknown page: 404" "$STATUS" 404
tap_is "shell unknown page: exit status 0" "$CGI_RC" 0
# The one thing the app logs here: that it found no helper for the login.
tap_is "shell: nothing on stderr but the missing helper" \
	"$(grep -v 'qmailadmin: helper login: io: cannot run the helper .*no-helper-yet' "$RUN/cgi.err")" ""
tap_like "shell: the missing helper is logged" "$(cat "$RUN/cgi.err")" 'cannot run the helper'

harness_done
