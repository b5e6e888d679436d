#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# login.sh: logging in and out as a browser does, through nginx, the app and
# the real qmailadmin-helper, on a store made with qmailadmin-ctl as the old
# manual does it (vadddomain emak.se, vadduser klient1@emak.se): the session
# cookie, the start page with name and role, wrong passwords, throttling,
# forged and replayed tickets, CSRF before and after login, a missing or
# broken helper, plain CGI and HTTPS.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
QA_EXTRA_CONF="login_fail_limit = 3"
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

"$CTL" domain add emak.se Postm4ster >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
"$CTL" user add klient1@emak.se Klient1pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"
"$CTL" user add klient2@emak.se Klient2pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"
"$CTL" superadmin-password admin Sup3rpw >/dev/null || tap_bail "qmailadmin-ctl superadmin-password failed"

# shellcheck source=tests/lib/session.sh
. "$QA_SRCDIR/tests/lib/session.sh"

# ---- not logged in: the start page is the login form
http "$S/"
tap_is "start page without a session: 200" "$STATUS" 200
tap_is "... is the login form" "$(html_h1)" "Log in"
tap_is "... and sets no session cookie" "$(set_cookie qa_session)" ""

# ---- the postmaster logs in
login postmaster@emak.se Postm4ster
tap_is "postmaster logs in: 303" "$STATUS" 303
tap_is "... to the start page" "$(hdr Location)" "$S/"
PM=$(cookie_value qa_session)
cookie=$(set_cookie qa_session)
tap_like "... with a session cookie holding the helper's ticket" "$PM" '^[0-9a-f]{32}\.[0-9a-f]{64}$'
tap_like "session cookie: HttpOnly" "$cookie" '; *HttpOnly(;|$)'
tap_like "session cookie: SameSite=Strict" "$cookie" '; *SameSite=Strict(;|$)'
tap_like "session cookie: Path=$S" "$cookie" "; *Path=$S(;|\$)"
tap_unlike "session cookie: no Max-Age (ends with the browser session)" "$cookie" 'Max-Age'
tap_unlike "session cookie: not Secure over plain HTTP" "$cookie" '; *Secure(;|$)'
tap_unlike "the redirect does not echo the password" "$HEADERS$BODY" 'Postm4ster'

start_page "$PM"
tap_is "start page with the session: 200" "$STATUS" 200
tap_is "... says welcome" "$(html_h1)" "Welcome"
tap_is "... names the postmaster" "$(text_of who-name)" "postmaster@emak.se"
tap_is "... as a domain administrator" "$(text_of who-role)" "Domain administrator"
tap_is "... has a logout form" "$(html_attr "$(html_tag logout-form)" action)" "$S/logout"
tap_is "... posted" "$(html_attr "$(html_tag logout-form)" method)" post
PM_CSRF=$(csrf_field)
want=$(printf '%scsrf' "$PM" | sha256sum | cut -c1-32)
tap_is "the logged-in CSRF token is bound to the session" "$PM_CSRF" "$want"
tap_is "... and sets no qa_csrf cookie" "$(set_cookie qa_csrf)" ""
tap_security_headers "start page"
start_page "$PM" ""
tap_is "the bare script URL is the start page too" "$(text_of who-name)" "postmaster@emak.se"
start_page "$PM" "/?lang=sv"
tap_is "Swedish start page" "$(html_h1)" "Välkommen"
tap_is "... role in Swedish" "$(text_of who-role)" "Domänadministratör"
http -X POST -b "qa_session=$PM" --data "csrf=$PM_CSRF" "$S/"
tap_is "POST to the start page: 405" "$STATUS" 405

login admin Sup3rpw
SA=$(cookie_value qa_session)
start_page "$SA"
tap_is "the superadmin logs in by name; its start page is the domain list" "$(hdr Location)" "$S/domains"
start_page "$SA" /domains
tap_is "... which names it in the top bar" "$(text_of me-name)" admin
start_page "$SA" "/domains?lang=sv"
tap_is "... in Swedish too" "$(html_h1)" "Domäner"
login klient2@emak.se Klient2pw
K2=$(cookie_value qa_session)
start_page "$K2"
tap_is "a mailbox owner's start page sends it to its mail" "$(hdr Location)" "$S/mail"
start_page "$K2" /account
tap_is "a mailbox owner is a user" "$(text_of who-role)" User
start_page "$K2" "/account?lang=sv"
tap_is "... användare in Swedish" "$(text_of who-role)" "Användare"
K2_CSRF=$(csrf_field)

# ---- a wrong password
login postmaster@emak.se Wr0ng-Pw
tap_is "wrong password: 401" "$STATUS" 401
tap_is "... shows the login form" "$(html_h1)" "Log in"
tap_is "... says so" "$(text_of login-error)" "Wrong address or password."
tap_is "... keeps the user name" "$(html_attr "$(html_tag user)" value)" postmaster@emak.se
tap_is "... not the password" "$(html_attr "$(html_tag password)" value)" ""
tap_unlike "... nor echoes it anywhere" "$BODY" 'Wr0ng-Pw'
tap_is "... and sets no session cookie" "$(set_cookie qa_session)" ""
login nobody@emak.se Wr0ng-Pw -H 'Accept-Language: sv'
tap_is "an unknown user in Swedish: 401" "$STATUS" 401
tap_is "... the same message, in Swedish" "$(text_of login-error)" "Fel adress eller lösenord."

# ---- CSRF before login: refused before the helper is asked
pre_token
for _ in 1 2 3 4; do
	http -X POST "${FORM[@]}" -b "qa_csrf=$TOKEN" --data "user=klient1%40emak.se&password=bad" "$S/login"
done
tap_is "login without a csrf field: 403" "$STATUS" 403
tap_is "... sets no session cookie" "$(set_cookie qa_session)" ""
login klient1@emak.se Klient1pw
tap_is "... and the helper never saw those 4 tries (limit 3): klient1 still logs in" "$STATUS" 303
K1=$(cookie_value qa_session)

# ---- forged and broken session cookies
forged=${PM%?}0
[ "$forged" = "$PM" ] && forged=${PM%?}1
start_page "$forged"
tap_is "a forged ticket: the login page" "$(html_h1)" "Log in"
tap_is "... says the session has ended" "$(text_of login-notice)" "Your session has ended. Please log in again."
tap_like "... and clears the cookie" "$(set_cookie qa_session)" '^[Ss]et-[Cc]ookie: qa_session=;.*Max-Age=0'
form_token=$(csrf_field)
tap_is "... its form has a pre-login token again" "$form_token" "$(cookie_value qa_csrf)"
start_page "not-a-ticket"
tap_is "a malformed session cookie: session ended too" "$(text_of login-notice)" "Your session has ended. Please log in again."
start_page "$forged" "/?lang=sv"
tap_is "... in Swedish" "$(text_of login-notice)" "Din session har gått ut. Logga in igen."

# ---- logout: POST only, with this session's token
http -b "qa_session=$PM" "$S/logout"
tap_is "GET logout: 405" "$STATUS" 405
tap_is "... Allow: POST" "$(hdr Allow)" POST
logout() {	# logout TICKET TOKEN
	http -X POST "${FORM[@]}" -b "qa_session=$1" --data "csrf=$2" "$S/logout"
}
logout "$PM" "$K2_CSRF"
tap_is "logout with another session's token: 403" "$STATUS" 403
pre_token
http -X POST "${FORM[@]}" -b "qa_session=$PM; qa_csrf=$TOKEN" --data "csrf=$TOKEN" "$S/logout"
tap_is "logout with a pre-login token pair: 403" "$STATUS" 403
http -X POST "${FORM[@]}" -b "qa_session=$PM" --data "x=1" "$S/logout"
tap_is "logout without a token: 403" "$STATUS" 403
start_page "$PM"
tap_is "... none of which ended the session" "$(text_of who-name)" "postmaster@emak.se"

logout "$PM" "$PM_CSRF"
tap_is "logout: 303" "$STATUS" 303
tap_is "... to the login page with a notice" "$(hdr Location)" "$S/login?notice=logged_out"
tap_like "... clears the cookie" "$(set_cookie qa_session)" '^[Ss]et-[Cc]ookie: qa_session=;.*Max-Age=0'
http "$S/login?notice=logged_out"
tap_is "the login page says so" "$(text_of login-notice)" "You have been logged out."
http "$S/login?notice=%3Cscript%3E"
tap_is "an unknown notice shows nothing" "$(html_tag login-notice)" ""
start_page "$PM"
tap_is "the old ticket, replayed: session ended" "$(text_of login-notice)" "Your session has ended. Please log in again."
start_page "$K1" /account
tap_is "other sessions live on" "$(text_of who-name)" "klient1@emak.se"

# ---- throttling: login_fail_limit = 3 per account
for _ in 1 2 3; do login klient2@emak.se Wr0ng-Pw; done
tap_is "third wrong password: still 401" "$STATUS" 401
login klient2@emak.se Klient2pw
tap_is "then even the right password: 429" "$STATUS" 429
tap_is "... too many attempts" "$(text_of login-error)" "Too many failed attempts. Please try again in a few minutes."
tap_is "... the user name kept" "$(html_attr "$(html_tag user)" value)" klient2@emak.se
tap_is "... no session cookie" "$(set_cookie qa_session)" ""
login klient2@emak.se Klient2pw -H 'Accept-Language: sv'
tap_is "... in Swedish" "$(text_of login-error)" "För många misslyckade försök. Försök igen om några minuter."

# ---- plain CGI (fcgiwrap), and HTTPS (the app run from the shell)
pre_token
http -X POST "${FORM[@]}" -b "qa_csrf=$TOKEN" --data "csrf=$TOKEN&user=klient1%40emak.se&password=Klient1pw" \
	/cgi-bin/qmailadmin-cgi/login
tap_is "CGI: login 303" "$STATUS" 303
tap_like "CGI: the cookie's path is that script's" "$(set_cookie qa_session)" '; *Path=/cgi-bin/qmailadmin-cgi(;|$)'
http -b "qa_session=$(cookie_value qa_session)" /cgi-bin/qmailadmin-cgi/account
tap_is "CGI: account page" "$(text_of who-name)" "klient1@emak.se"
tok=0123456789abcdef0123456789abcdef
body="csrf=$tok&user=klient1%40emak.se&password=Klient1pw"
cgi POST /login HTTPS=on HTTP_COOKIE="qa_csrf=$tok" \
	CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=${#body} <<<"$body"
tap_is "HTTPS: login 303" "$STATUS" 303
tap_like "HTTPS: the session cookie is Secure" "$(set_cookie qa_session)" '; *Secure(;|$)'

# ---- a missing or broken helper: 503, and the log says why
rm "$RUN/bin/qmailadmin-helper"
login klient1@emak.se Klient1pw
tap_is "no helper: login 503" "$STATUS" 503
tap_is "... service unavailable, on the login form" "$(text_of login-error)" \
	"Logging in is not possible right now: the server could not check your password. Please try again later."
tap_is "... the user name kept" "$(html_attr "$(html_tag user)" value)" klient1@emak.se
start_page "$K1"
tap_is "no helper: a session's start page is 503" "$STATUS" 503
tap_like "the app's log names the cause" "$(cat "$RUN/web/app.log")" 'helper login: io: cannot run the helper .*qmailadmin-helper: No such file'
printf '#!/bin/sh\necho garbage\n' >"$RUN/bin/garbage"
chmod 755 "$RUN/bin/garbage"
ln -s "$RUN/bin/garbage" "$RUN/bin/qmailadmin-helper"
start_page "$K1"
tap_is "a helper answering garbage: 503" "$STATUS" 503
tap_like "... logged" "$(cat "$RUN/web/app.log")" "helper domain.summary: io: .*(length prefix|does not decode)"
ln -sf "$HELPER" "$RUN/bin/qmailadmin-helper"
start_page "$K1" /account
tap_is "the helper back: the session still works" "$(text_of who-name)" "klient1@emak.se"

# ---- every helper run was reaped
zombies=$(pgrep -c -r Z -P "$(svc_pid app)" || true)
tap_is "the app has no zombie children" "$zombies" 0
tap_ok "the app is still the same process" svc_alive app

harness_done
