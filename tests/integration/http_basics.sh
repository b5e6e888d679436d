#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# http_basics.sh: the login page through nginx and FastCGI, as a browser
# sees it: status, security headers, the form, the CSRF cookie, the login
# POST (the harness configures no helper here: 503; tests/integration/login.sh
# logs in through the real one), 404, 405, HEAD, the stylesheet.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

# ---- the login page, at both of its addresses
for path in /cgi-bin/qmailadmin /cgi-bin/qmailadmin/login; do
	http "$path"
	tap_is "GET $path: 200" "$STATUS" 200
	tap_is "GET $path: Content-Type" "$(hdr Content-Type)" "text/html; charset=utf-8"
	tap_security_headers "GET $path"
	tap_is "GET $path: h1" "$(html_h1)" "Log in"
	tap_like "GET $path: login form" "$(html_tag login-form)" .
done

cookie=$(printf '%s\n' "$HEADERS" | grep -i '^set-cookie: qa_csrf=' || true)
token=$(cookie_value qa_csrf)
tap_like "qa_csrf cookie: 32 lowercase hex digits" "$token" '^[0-9a-f]{32}$'
tap_like "qa_csrf cookie: Path=/cgi-bin/qmailadmin" "$cookie" '; *Path=/cgi-bin/qmailadmin(;|$)'
tap_like "qa_csrf cookie: HttpOnly" "$cookie" '; *HttpOnly(;|$)'
tap_like "qa_csrf cookie: SameSite=Strict" "$cookie" '; *SameSite=Strict(;|$)'
tap_unlike "qa_csrf cookie: not Secure over plain HTTP" "$cookie" '; *Secure(;|$)'

tap_like "page: <html lang=\"en\">" "$BODY" '<html lang="en"'
form=$(html_tag login-form)
tap_is "form: method" "$(html_attr "$form" method)" post
tap_is "form: action" "$(html_attr "$form" action)" /cgi-bin/qmailadmin/login
tap_is "form: user input" "$(html_attr "$(html_tag user)" name)" user
tap_is "form: password input" "$(html_attr "$(html_tag password)" name)" password
tap_is "form: password is masked" "$(html_attr "$(html_tag password)" type)" password
csrf_input=$(printf '%s\n' "$BODY" | grep -o -E '<input[^>]*name="csrf"[^>]*>' | head -n 1 || true)
tap_is "form: csrf input is hidden" "$(html_attr "$csrf_input" type)" hidden
tap_is "form: csrf value equals the cookie" "$(html_attr "$csrf_input" value)" "$token"
tap_like "form: submit button" "$(html_tag login-submit)" '^<(button|input)'
tap_is "link to Swedish" "$(html_attr "$(html_tag lang-sv)" href)" "/cgi-bin/qmailadmin?lang=sv"
tap_like "link to English" "$(html_attr "$(html_tag lang-en)" href)" '^/cgi-bin/qmailadmin\?lang=en$'
tap_like "stylesheet link" "$BODY" '<link[^>]*href="/qmailadmin-static/style\.css"'

http /cgi-bin/qmailadmin
tap_unlike "a new visitor gets a new token" "$(cookie_value qa_csrf)" "^$token\$"

# ---- the stylesheet, served by nginx
http /qmailadmin-static/style.css
tap_is "style.css: 200" "$STATUS" 200
tap_like "style.css: text/css" "$(hdr Content-Type)" '^text/css'

# ---- logging in: CSRF first
login() {	# login [CURL-OPTION...]: POST the login form
	http -X POST -H 'Content-Type: application/x-www-form-urlencoded' "$@" /cgi-bin/qmailadmin/login
}
login --data 'user=bob&password=secret' -b "qa_csrf=$token"
tap_is "POST login without a csrf field: 403" "$STATUS" 403
tap_like "POST login without a csrf field: an error page" "$BODY" '<html'
tap_security_headers "403 page"
login --data "csrf=$token&user=bob&password=secret"
tap_is "POST login without the csrf cookie: 403" "$STATUS" 403
login --data "csrf=0123456789abcdef0123456789abcdef&user=bob&password=secret" -b "qa_csrf=$token"
tap_is "POST login with a token that doesn't match the cookie: 403" "$STATUS" 403
login --data "csrf=&user=bob&password=secret" -b "qa_csrf="
tap_is "POST login with empty tokens: 403" "$STATUS" 403

login --data "csrf=$token&user=bob%40example.test&password=secret" -b "qa_csrf=$token"
tap_is "POST login with a matching token: 503 (no helper configured)" "$STATUS" 503
tap_like "... shows the login form again" "$(html_tag login-form)" .
tap_like "... with an error message" "$BODY" '(id|class)="[^"]*error'
tap_is "... keeping the user name" "$(html_attr "$(html_tag user)" value)" "bob@example.test"
tap_is "... not the password" "$(html_attr "$(html_tag password)" value)" ""

login --data-urlencode "csrf=$token" --data-urlencode 'user="><script>alert(1)</script>' \
	--data 'password=x' -b "qa_csrf=$token"
tap_is "a user name with markup: 503" "$STATUS" 503
tap_unlike "... is escaped when shown again" "$BODY" '<script>alert'

# ---- errors keep the headers
http /cgi-bin/qmailadmin/no-such-page
tap_is "unknown page: 404" "$STATUS" 404
tap_is "unknown page: HTML" "$(hdr Content-Type)" "text/html; charset=utf-8"
tap_like "unknown page: error element" "$(html_tag error)" .
tap_security_headers "404 page"

for method in PUT DELETE OPTIONS; do
	http -X "$method" /cgi-bin/qmailadmin
	tap_is "$method: 405" "$STATUS" 405
	tap_is "$method: Allow header" "$(hdr Allow)" "GET, HEAD, POST"
done

# ---- HEAD: the GET headers (nginx drops any body; cgi_mode.sh checks that)
http /cgi-bin/qmailadmin
get_headers=$HEADERS
http -I /cgi-bin/qmailadmin
tap_is "HEAD: 200" "$STATUS" 200
for name in Content-Type Content-Security-Policy X-Content-Type-Options \
	Referrer-Policy X-Frame-Options Cache-Control; do
	tap_is "HEAD: same $name as GET" "$(hdr "$name")" "$(HEADERS=$get_headers hdr "$name")"
done
tap_like "HEAD: sets the csrf cookie too" "$(cookie_value qa_csrf)" '^[0-9a-f]{32}$'

harness_done
