#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# lang.sh: choosing the page language. Order: ?lang= (which also sets the
# qa_lang cookie), then the qa_lang cookie, then Accept-Language, then
# default_lang (en).
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

tap_lang() {	# tap_lang NAME LANG: the last page is in LANG (en or sv)
	local h1=
	case $2 in
	en) h1="Log in" ;;
	sv) h1="Logga in" ;;
	esac
	tap_is "$1: 200" "$STATUS" 200
	tap_like "$1: <html lang=\"$2\">" "$BODY" "<html lang=\"$2\""
	tap_is "$1: h1" "$(html_h1)" "$h1"
}

http /cgi-bin/qmailadmin
tap_lang "no preference" en
tap_is "no preference: no qa_lang cookie set" "$(cookie_value qa_lang)" ""

http "/cgi-bin/qmailadmin?lang=sv"
tap_lang "?lang=sv" sv
cookie=$(printf '%s\n' "$HEADERS" | grep -i '^set-cookie: qa_lang=' || true)
tap_is "?lang=sv: sets qa_lang=sv" "$(cookie_value qa_lang)" sv
tap_like "qa_lang cookie: Path=/cgi-bin/qmailadmin" "$cookie" '; *Path=/cgi-bin/qmailadmin(;|$)'
tap_like "qa_lang cookie: Max-Age" "$cookie" '; *Max-Age=[1-9][0-9]*(;|$)'
tap_like "qa_lang cookie: HttpOnly" "$cookie" '; *HttpOnly(;|$)'
tap_like "qa_lang cookie: SameSite=Lax" "$cookie" '; *SameSite=Lax(;|$)'
tap_is "Swedish page: link back to English" \
	"$(html_attr "$(html_tag lang-en)" href)" "/cgi-bin/qmailadmin?lang=en"
tap_is "Swedish page: the form still posts to /login" \
	"$(html_attr "$(html_tag login-form)" action)" /cgi-bin/qmailadmin/login

http -b qa_lang=sv /cgi-bin/qmailadmin
tap_lang "cookie qa_lang=sv" sv
http -b qa_lang=sv /cgi-bin/qmailadmin/login
tap_lang "cookie qa_lang=sv on /login" sv

http -H 'Accept-Language: sv-SE,sv;q=0.9' /cgi-bin/qmailadmin
tap_lang "Accept-Language: sv-SE,sv;q=0.9" sv
http -H 'Accept-Language: fr' /cgi-bin/qmailadmin
tap_lang "Accept-Language: fr" en
http -H 'Accept-Language: fr-CH, fr;q=0.9, en;q=0.8, sv;q=0.7' /cgi-bin/qmailadmin
tap_lang "Accept-Language: fr, then en, then sv" en

http -b qa_lang=en -H 'Accept-Language: sv' /cgi-bin/qmailadmin
tap_lang "cookie en beats Accept-Language sv" en
http -b qa_lang=sv -H 'Accept-Language: en' /cgi-bin/qmailadmin
tap_lang "cookie sv beats Accept-Language en" sv
http -b qa_lang=sv "/cgi-bin/qmailadmin?lang=en"
tap_lang "?lang=en beats cookie sv" en
tap_is "?lang=en: sets qa_lang=en" "$(cookie_value qa_lang)" en

http -b 'qa_lang=xx' /cgi-bin/qmailadmin
tap_lang "unknown language in the cookie" en
http "/cgi-bin/qmailadmin?lang=%3Cscript%3E"
tap_unlike "unknown ?lang=<script>: not echoed" "$BODY" '<script>'
tap_unlike "unknown ?lang=<script>: no cookie with it" "$(cookie_value qa_lang)" 'script'

# The error pages are translated too.
http -b qa_lang=sv /cgi-bin/qmailadmin/no-such-page
tap_is "404 in Swedish: 404" "$STATUS" 404
tap_like "404 in Swedish: <html lang=\"sv\">" "$BODY" '<html lang="sv"'

harness_done
