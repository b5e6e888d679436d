# shellcheck shell=bash
# session.sh: logged-in requests for integration tests, after harness.sh
# (which gives http, cookie_value, html_attr ...). Sourced, not run.
#
#   login USER PASSWORD            the login form, posted with a valid token
#   session_start USER PASSWORD    logs in; SESSION = the ticket, CSRF = its token,
#                                  WMKEY = webmail's key cookie (qa_wm), if any
#   get PATH [CURL-OPTION...]      GET $S$PATH with the session cookie
#   post PATH [NAME=VALUE...]      POST the form (urlencoded) with the session and CSRF
#   text_of ID                     the text inside the element with id="ID"
# shellcheck disable=SC2034	# S, FORM, SESSION, CSRF, WMKEY are for the sourcing test

S=/cgi-bin/qmailadmin
FORM=(-H 'Content-Type: application/x-www-form-urlencoded')
SESSION=
CSRF=
WMKEY=

csrf_field() {	# csrf_field: the hidden csrf input's value in BODY
	html_attr "$(printf '%s\n' "$BODY" | grep -o -E '<input[^>]*name="csrf"[^>]*>' | head -n 1)" value
}
set_cookie() {	# set_cookie NAME: the whole Set-Cookie line for NAME of the last response
	printf '%s\n' "$HEADERS" | grep -i "^set-cookie: $1=" | head -n 1 || true
}
pre_token() {	# pre_token: a fresh pre-login double-submit token (TOKEN)
	http "$S/login"
	TOKEN=$(cookie_value qa_csrf)
}
login() {	# login USER PASSWORD [CURL-OPTION...]
	local user=$1 password=$2
	shift 2
	pre_token
	http -X POST "${FORM[@]}" -b "qa_csrf=$TOKEN" --data-urlencode "csrf=$TOKEN" \
		--data-urlencode "user=$user" --data-urlencode "password=$password" "$@" "$S/login"
}
session_start() {	# session_start USER PASSWORD: SESSION and CSRF, or a bail-out
	login "$1" "$2"
	[ "$STATUS" = 303 ] || tap_bail "cannot log in as $1 (status $STATUS)"
	SESSION=$(cookie_value qa_session)
	WMKEY=$(cookie_value qa_wm)
	CSRF=$(printf '%scsrf' "$SESSION" | sha256sum | cut -c1-32)
}
session_cookies() {	# session_cookies: the Cookie header value get and post send
	printf 'qa_session=%s%s' "$SESSION" "${WMKEY:+; qa_wm=$WMKEY}"
}
start_page() {	# start_page TICKET [PATH]: a page with that session cookie
	http -b "qa_session=$1" "$S${2-/}"
}
get() {	# get PATH [CURL-OPTION...]
	local path=$1
	shift
	http -b "$(session_cookies)" "$@" "$S$path"
}
post() {	# post PATH [NAME=VALUE...]: each pair urlencoded; csrf added first
	local path=$1 kv
	local args=(-X POST "${FORM[@]}" -b "$(session_cookies)" --data-urlencode "csrf=$CSRF")
	shift
	for kv in "$@"; do
		args+=(--data-urlencode "$kv")
	done
	http "${args[@]}" "$S$path"
}
text_of() {	# text_of ID: the text inside the element with id="ID"
	printf '%s\n' "$BODY" | tr '\n' ' ' | grep -o -E "id=\"$1\"[^>]*>[^<]*<" | head -n 1 |
		sed -E 's/^[^>]*>//; s/<$//; s/^[[:space:]]+//; s/[[:space:]]+$//'
}
