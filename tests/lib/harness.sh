# shellcheck shell=bash disable=SC2034 # (variables set here are read by the tests)
# harness.sh: the fixture of the integration tests (sourced after tap.sh).
#
# Sourcing it makes a private run directory RUN=/tmp/qa.XXXXXX, writes
# $RUN/qmailadmin.conf, starts nginx in front of the app (FastCGI, and the
# same binary as CGI through fcgiwrap) on a free port of 127.0.0.1, exports
# BASE=http://127.0.0.1:PORT and installs a trap that stops everything on
# exit. When a test fails, the services' logs are printed as TAP
# diagnostics. RUN is removed afterwards unless KEEP=1.
#
# Set before sourcing:
#   QA_EXTRA_CONF   extra qmailadmin.conf lines (a newline-separated string);
#                   a key given here replaces the harness's default
#   HARNESS_START   "web" (default) or "none" (only RUN, the config and the
#                   trap: the test starts what it needs itself)
#   HARNESS_STORE   1: also a qmail + vpopmail tree and the helper's state
#                   under RUN (store_layout in scripts/lib.sh), with the app's
#                   helper = $RUN/bin/qmailadmin-helper, a link to the built
#                   one (remove it to see the app without its helper). Fill
#                   the store with $CTL (qmailadmin-ctl, same config).
#   HARNESS_DOVECOT 1 (needs HARNESS_STORE=1): also a private Dovecot serving
#                   the store's mailboxes (dovecot_start in scripts/lib.sh:
#                   every domain, the vpasswd passwords, each user's
#                   DOMAIN_DIR/USER/Maildir) on a free port of 127.0.0.1,
#                   started before the web server. IMAP_PORT is exported and
#                   the app's config gets imap_host = 127.0.0.1 and
#                   imap_port = $IMAP_PORT. Put mail in with mail_append;
#                   change a user that Dovecot has seen with vpasswd_change.
#                   Skips the test when dovecot (or, as root, its dovenull
#                   user) is missing.
#   HARNESS_EXIM    1 (needs HARNESS_STORE=1): also a private Exim, the MTA
#                   (exim_start in scripts/lib.sh: every user in a domain's
#                   vpasswd gets mail in its DOMAIN_DIR/USER/Maildir, others
#                   550, no relaying, AUTH PLAIN against vpasswd, and any
#                   address @$EXIM_OUTSIDE_DOMAIN lands in one sink Maildir)
#                   on a free port of 127.0.0.1, started before the web
#                   server. SMTP_PORT is exported and the app's config gets
#                   smtp_host = 127.0.0.1 and smtp_port = $SMTP_PORT. Send
#                   with smtp_send; wait for delivery with maildir_wait.
#                   Skips the test when exim4 (or, as root, setpriv) is
#                   missing.
# From make check: QA_SRCDIR, QA_BUILDDIR (both default to this checkout).
#
# Request helpers: http (through nginx) and cgi (the binary run from the
# shell as a CGI program) both set STATUS, HEADERS and BODY; hdr NAME prints
# one header of the last response. End a test with harness_done, not tap_done.
# Everything started (nginx, the app, Dovecot, Exim) is stopped when the
# test exits, however it exits.

: "${QA_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${QA_BUILDDIR:=$QA_SRCDIR}"
# shellcheck source=scripts/lib.sh
. "$QA_SRCDIR/scripts/lib.sh"

APP=$QA_BUILDDIR/qmailadmin
HELPER=$QA_BUILDDIR/qmailadmin-helper
CTL=$QA_BUILDDIR/qmailadmin-ctl
RUN=
BASE=

harness_require() {	# harness_require CMD...: skip the whole test if one is missing
	local cmd
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null 2>&1 || tap_skip_all "$cmd is not installed"
	done
}

harness_teardown() {
	local rc=$?
	trap - EXIT INT TERM
	if [ "$rc" -ne 0 ] || [ "${TAP_FAILED:-0}" -ne 0 ]; then
		echo "# service logs:"
		svc_logs '#   '
	fi
	svc_stop_all
	if [ -n "$RUN" ]; then
		if [ "${KEEP:-0}" = 1 ]; then
			echo "# KEEP=1: kept $RUN"
		else
			rm -rf "$RUN"
		fi
	fi
	exit "$rc"
}

harness_init() {	# RUN, the app's config, HOME, the trap
	RUN=$(mktemp -d /tmp/qa.XXXXXX)
	trap harness_teardown EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	mkdir -p "$RUN/home" "$RUN/web"
	local extra=() store=()
	[ -n "${QA_EXTRA_CONF-}" ] && mapfile -t extra <<<"$QA_EXTRA_CONF"
	[ "${HARNESS_STORE:-0}" = 1 ] && harness_store store
	app_write_conf "$RUN/qmailadmin.conf" "$QA_SRCDIR" "$RUN" \
		${store[@]+"${store[@]}"} ${extra[@]+"${extra[@]}"}
	export RUN HOME=$RUN/home QMAILADMIN_CONF=$RUN/qmailadmin.conf
}

harness_store() {	# harness_store ARRAY: lay out the store; its conf lines into ARRAY
	# (less those whose key QA_EXTRA_CONF sets: there, the test's line wins)
	local -n lines=$1
	local line all=()
	if [ ! -x "$HELPER" ] || [ ! -x "$CTL" ]; then
		tap_bail "no qmailadmin-helper or qmailadmin-ctl in $QA_BUILDDIR"
	fi
	mapfile -t all < <(store_layout "$RUN")
	mkdir -p "$RUN/bin"
	ln -s "$HELPER" "$RUN/bin/qmailadmin-helper"
	all+=("helper = $RUN/bin/qmailadmin-helper")
	for line in "${all[@]}"; do
		printf '%s\n' "${QA_EXTRA_CONF-}" | grep -q "^${line%% *}[ =]" || lines+=("$line")
	done
}

harness_web_start() {	# nginx + app + fcgiwrap; a second port if the first was taken
	local try port
	[ -x "$APP" ] || tap_bail "no app binary at $APP (QA_BUILDDIR)"
	for try in 1 2; do
		port=$(free_ports 1)
		if web_start "$RUN/web" "$port" "$APP" "$QA_SRCDIR" "$QMAILADMIN_CONF"; then
			export BASE=http://127.0.0.1:$port
			return 0
		fi
		if [ "$try" = 1 ] && web_port_taken "$RUN/web"; then
			echo "# port $port was taken, retrying"
			svc_stop_all
			continue
		fi
		break
	done
	tap_bail "the web stack did not start"
}

harness_dovecot_start() {	# Dovecot on a free port; the app's config points at it
	[ "${HARNESS_STORE:-0}" = 1 ] || tap_bail "HARNESS_DOVECOT=1 needs HARNESS_STORE=1"
	harness_require dovecot
	if [ "$(id -u)" -eq 0 ] && ! id dovenull >/dev/null 2>&1; then
		tap_skip_all "no dovenull user (dovecot-core makes it)"
	fi
	if ! dovecot_start "$RUN/dovecot" "$RUN"; then
		svc_logs '# '
		tap_bail "Dovecot did not start"
	fi
	export IMAP_PORT=$DOVECOT_IMAP_PORT
	if ! conf_set "$QMAILADMIN_CONF" imap_host 127.0.0.1 ||
		! conf_set "$QMAILADMIN_CONF" imap_port "$IMAP_PORT"; then
		tap_bail "could not set imap_port in $QMAILADMIN_CONF"
	fi
}

harness_exim_start() {	# Exim on a free port; the app's config points at it
	[ "${HARNESS_STORE:-0}" = 1 ] || tap_bail "HARNESS_EXIM=1 needs HARNESS_STORE=1"
	exim_cmd >/dev/null 2>&1 || tap_skip_all "exim is not installed (exim4-daemon-light)"
	[ "$(id -u)" -ne 0 ] || harness_require setpriv	# Exim runs as the store's owner
	if ! exim_start "$RUN/exim" "$RUN"; then
		svc_logs '# '
		tap_bail "Exim did not start"
	fi
	export SMTP_PORT=$EXIM_SMTP_PORT
	if ! conf_set "$QMAILADMIN_CONF" smtp_host 127.0.0.1 ||
		! conf_set "$QMAILADMIN_CONF" smtp_port "$SMTP_PORT"; then
		tap_bail "could not set smtp_port in $QMAILADMIN_CONF"
	fi
}

smtp_send() {	# smtp_send FROM RCPT[,RCPT...] FILE: FILE to the harness's Exim over SMTP
	# Prints Exim's last reply ("250 OK id=..." or "550 unknown user") and
	# succeeds when the message was accepted for every RCPT: then it is
	# delivered (or refused with a bounce) within moments, and maildir_wait
	# sees it. SMTP_AUTH_USER and SMTP_AUTH_PASS set: AUTH PLAIN first.
	# (smtp_send_file in scripts/lib.sh.)
	[ -n "${SMTP_PORT-}" ] || tap_bail "smtp_send needs HARNESS_EXIM=1"
	smtp_send_file "$SMTP_PORT" "$@"
}

maildir_of() {	# maildir_of USER@DOMAIN: the Maildir that Exim delivers USER's mail to
	# (the home in DOMAIN's vpasswd, or the sink of $EXIM_OUTSIDE_DOMAIN)
	local user=${1%@*} domain=${1##*@} home
	if [ "$domain" = "$EXIM_OUTSIDE_DOMAIN" ]; then
		echo "$RUN/exim/outside/Maildir"
		return 0
	fi
	home=$(awk -F: -v u="$user" '$1 == u { print $6; exit }' \
		"$RUN/vpopmail/domains/$domain/vpasswd" 2>/dev/null)
	[ -n "$home" ] || { echo "maildir_of: no user $1" >&2; return 1; }
	echo "$home/Maildir"
}

maildir_count() {	# maildir_count MAILDIR: messages in its INBOX (new/ and cur/)
	find "$1/new" "$1/cur" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | wc -l
}

maildir_wait() {	# maildir_wait USER@DOMAIN COUNT [TIMEOUT]: wait for delivered mail
	# Succeeds once USER's INBOX holds COUNT messages or more, counting
	# new/ and cur/ (Dovecot moves a message to cur/ once a client has seen
	# the mailbox; mail_append puts it there), so COUNT includes what was
	# there before. Fails after TIMEOUT seconds (default 10), saying how
	# many there were.
	local maildir n deadline
	maildir=$(maildir_of "$1") || return 1
	deadline=$(($(qa_now_ms) + ${3:-10} * 1000))
	while n=$(maildir_count "$maildir"); [ "$n" -lt "$2" ]; do
		if [ "$(qa_now_ms)" -ge "$deadline" ]; then
			echo "maildir_wait $1: $n of $2 message(s) in $maildir after ${3:-10} s" >&2
			return 1
		fi
		sleep 0.05
	done
}

mail_append() {	# mail_append USER@DOMAIN PASSWORD MAILBOX FILE [FLAG...]: prints the UID
	# A message put in over IMAP (HARNESS_DOVECOT=1), as the user; see
	# imap_append_file in scripts/lib.sh. Its errors (and a sanitizer's
	# report) go to $RUN/imap_probe.err, which harness_done checks, and the
	# last of them to stderr.
	local probe=$QA_BUILDDIR/tests/integration/imap_probe err=$RUN/imap_probe.err size
	[ -n "${IMAP_PORT-}" ] || tap_bail "mail_append needs HARNESS_DOVECOT=1"
	[ -x "$probe" ] || tap_bail "no imap_probe in $QA_BUILDDIR (make check builds it)"
	size=$(stat -c %s "$err" 2>/dev/null || echo 0)
	imap_append_file "$probe" "$IMAP_PORT" "$@" 2>>"$err" && return 0
	tail -c +$((size + 1)) "$err" | tail -n 5 >&2
	return 1
}

vpasswd_change() {	# vpasswd_change DOMAIN CMD...: run CMD, which changes DOMAIN's vpasswd,
	# so that Dovecot sees the change: it looks at a vpasswd at most once a
	# second, and rereads it only when the file's mtime (in whole seconds) or
	# size has changed, so a new password (same size) written in the same
	# second as the version Dovecot has would go unseen. CMD runs once the
	# second of the file's last change is over, and this returns (CMD's
	# status) once the second of CMD's change is over.
	local file=$RUN/vpopmail/domains/$1/vpasswd rc=0
	shift
	vpasswd_second_over "$file"
	"$@" || rc=$?
	vpasswd_second_over "$file"
	return $rc
}

vpasswd_second_over() {	# vpasswd_second_over FILE: wait until the clock is past FILE's mtime
	local mtime
	mtime=$(stat -c %Y "$1" 2>/dev/null) || return 0
	while [ "$(date +%s)" -le "$mtime" ]; do
		sleep 0.05
	done
}

harness_done() {	# final checks, then the plan and the exit status
	tap_ok "no sanitizer report in the service logs" harness_logs_clean
	tap_done
}

harness_logs_clean() {
	local log
	for log in ${QA_SVC_LOGS[@]+"${QA_SVC_LOGS[@]}"} "$RUN/cgi.err" "$RUN/imap_probe.err"; do
		[ -f "$log" ] || continue
		if grep -E -q 'Sanitizer|runtime error:' "$log"; then
			grep -E -m 5 -A 10 'Sanitizer|runtime error:' "$log" | sed 's/^/#   /'
			return 1
		fi
	done
}

# ---------------------------------------------------------------- requests

STATUS='' HEADERS='' BODY='' CGI_RC=0

http() {	# http [CURL-OPTION...] PATH: request $BASE$PATH with curl
	local path=${!#}
	local opts=("${@:1:$#-1}")
	STATUS=$(curl -s --max-time 10 -o "$RUN/resp.body" -D "$RUN/resp.headers" \
		-w '%{http_code}' ${opts[@]+"${opts[@]}"} "$BASE$path") || STATUS=000
	HEADERS=$(tr -d '\r' <"$RUN/resp.headers")
	BODY=$(cat "$RUN/resp.body")
}

cgi() {	# cgi METHOD PATH_INFO [VAR=value...] <STDIN: run the app as CGI
	local method=$1 path_info=$2
	shift 2
	local env=(PATH="$PATH" QMAILADMIN_CONF="$QMAILADMIN_CONF"
		GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 SERVER_SOFTWARE=sh
		SERVER_NAME=localhost SERVER_PORT=80 REMOTE_ADDR=127.0.0.1
		REQUEST_METHOD="$method" SCRIPT_NAME=/cgi-bin/qmailadmin)
	[ -n "$path_info" ] && env+=(PATH_INFO="$path_info")
	local var
	for var in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
		[ -n "${!var-}" ] && env+=("$var=${!var}")
	done
	CGI_RC=0
	env -i "${env[@]}" "$@" "$APP" >"$RUN/cgi.out" 2>>"$RUN/cgi.err" || CGI_RC=$?
	# Headers end at the first empty line (CRLF or LF).
	HEADERS=$(sed -n '/^\r\{0,1\}$/q; p' "$RUN/cgi.out" | tr -d '\r')
	BODY=$(sed '1,/^\r\{0,1\}$/d' "$RUN/cgi.out")
	STATUS=$(printf '%s\n' "$HEADERS" | sed -n 's/^[Ss]tatus: *\([0-9][0-9][0-9]\).*/\1/p')
	# No Status line means 200 (CGI/1.1), but no headers at all is no answer.
	[ -n "$STATUS" ] || { [ -n "$HEADERS" ] && STATUS=200; } || STATUS=000
}

hdr() {	# hdr NAME: the value of the first NAME header of the last response
	printf '%s\n' "$HEADERS" | awk -v name="$1" '
		index($0, ":") && tolower(substr($0, 1, index($0, ":") - 1)) == tolower(name) {
			sub(/^[^:]*: */, ""); print; exit }'
}

cookie_value() {	# cookie_value NAME: NAME's value from the last response's Set-Cookie
	printf '%s\n' "$HEADERS" | sed -n "s/^[Ss]et-[Cc]ookie: *$1=\([^;]*\).*/\1/p" | head -n 1
}

# ---------------------------------------------------------------- pages

html_tag() {	# html_tag ID: the start tag of the element with id="ID" in BODY
	printf '%s\n' "$BODY" | grep -o -E "<[a-zA-Z][^>]*[[:space:]]id=\"$1\"[^>]*>" | head -n 1
}

html_attr() {	# html_attr TAG NAME: the value of attribute NAME in start tag TAG
	printf '%s\n' "$1" | sed -n "s/.*[[:space:]]$2=\"\([^\"]*\)\".*/\1/p"
}

html_h1() {	# html_h1: the text of BODY's first <h1>
	printf '%s\n' "$BODY" | tr '\n' ' ' | grep -o -E '<h1[^>]*>[^<]*</h1>' | head -n 1 |
		sed -E 's/<[^>]*>//g; s/^[[:space:]]+//; s/[[:space:]]+$//'
}

ctl() {	# ctl ARGS...: qmailadmin-ctl, or a bail-out
	"$CTL" "$@" >/dev/null || tap_bail "qmailadmin-ctl $* failed"
}

test_tls_certs() {	# test_tls_certs DIR: a throwaway CA (DIR/ca.pem) and a server
	# certificate for mail.emak.se and 127.0.0.1 signed by it (DIR/server.pem,
	# DIR/server.key), as dovecot_conf and exim_conf look for them; a bail-out
	# when openssl fails
	mkdir -p "$1"
	(
		cd "$1"
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
			-subj "/CN=qmailadmin-ng test CA" -keyout ca.key -out ca.pem \
			-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-subj "/CN=mail.emak.se" -keyout server.key -out server.csr
		printf 'subjectAltName=DNS:mail.emak.se,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
			-extfile ext -out server.pem
	) >"$1/openssl.log" 2>&1 || { cat "$1/openssl.log" >&2; tap_bail "openssl could not make the test certificates"; }
}

tap_security_headers() {	# tap_security_headers WHAT: headers every page carries
	local csp
	csp=$(hdr Content-Security-Policy)
	tap_like "$1: CSP has default-src 'none'" "$csp" "default-src 'none'"
	tap_like "$1: CSP has frame-ancestors 'none'" "$csp" "frame-ancestors 'none'"
	tap_is "$1: X-Content-Type-Options" "$(hdr X-Content-Type-Options)" nosniff
	tap_is "$1: Referrer-Policy" "$(hdr Referrer-Policy)" no-referrer
	tap_is "$1: X-Frame-Options" "$(hdr X-Frame-Options)" DENY
	tap_is "$1: Cache-Control" "$(hdr Cache-Control)" no-store
}

# ---------------------------------------------------------------- start

harness_require nginx spawn-fcgi fcgiwrap curl perl
harness_init
[ "${HARNESS_DOVECOT:-0}" = 1 ] && harness_dovecot_start
[ "${HARNESS_EXIM:-0}" = 1 ] && harness_exim_start
case ${HARNESS_START:-web} in
web) harness_web_start ;;
none) ;;
*) tap_bail "HARNESS_START=$HARNESS_START: want web or none" ;;
esac
