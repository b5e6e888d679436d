#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# smtp_exim.sh: webmail's SMTP client (cgi/smtp.c, through the test program
# smtp_probe) against a real Exim on random 127.0.0.1 ports, which takes
# mail for the store's domains, looks recipients up in the vpasswd files
# that qmailadmin-ctl writes (vadddomain emak.se, vadduser
# klient1@emak.se ...), checks AUTH PLAIN passwords against their hashes,
# relays nowhere, and delivers into each user's Maildir. klient1 sends to
# klient2 in the clear, with STARTTLS and on the SMTPS port (our own CA),
# with and without AUTH; every message is compared with what lands in the
# Maildir, byte for byte but for the headers Exim adds. An unknown
# recipient and another domain are refused, naming the address, and nobody
# gets the message then. Exim runs unprivileged (as the store's owner:
# nobody when root) and is stopped when the test ends.
#
# Exim is started here for now; it moves to the harness (HARNESS_EXIM=1)
# once that lands.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
HARNESS_START=none
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"
harness_require exim4 openssl setpriv

PROBE=$QA_BUILDDIR/tests/integration/smtp_probe
[ -x "$PROBE" ] || tap_bail "no smtp_probe in $QA_BUILDDIR (make check builds it)"
VPOP=$RUN/vpopmail
BOX1=$VPOP/domains/emak.se/klient1/Maildir
BOX2=$VPOP/domains/emak.se/klient2/Maildir
read -r MAIL_USER MAIL_GROUP < <(store_owner)

"$CTL" domain add emak.se Postm4ster >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
"$CTL" user add klient1@emak.se Klient1pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"
"$CTL" user add klient2@emak.se Klient2pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"

# ---------------------------------------------------------------- TLS: our own CA

EXIM=$RUN/exim
TLS=$EXIM/tls
mkdir -p "$EXIM/spool"
test_tls_certs "$TLS"

# ---------------------------------------------------------------- Exim

# exim_conf FILE SMTP_PORT SMTPS_PORT: a private Exim (after
# ../shared/design/test-harness.md §3.1) for the store under $VPOP: the
# domains are the store's domain directories (dsearch, which also makes the
# name safe to use in a file name), a user is a line of the domain's
# vpasswd, AUTH PLAIN checks the vpasswd hash, and mail goes into the
# user's home directory's Maildir. No relaying.
exim_conf() {
	cat >"$1" <<EOF
primary_hostname = mail.emak.se
exim_user = $MAIL_USER
exim_group = $MAIL_GROUP
domainlist local_domains = dsearch;$VPOP/domains
daemon_smtp_ports = $2 : $3
tls_on_connect_ports = $3
local_interfaces = 127.0.0.1
spool_directory = $EXIM/spool
log_file_path = $EXIM/%slog
pid_file_path = $EXIM/exim.pid
keep_environment =
host_lookup =
rfc1413_hosts =
tls_advertise_hosts = *
tls_certificate = $TLS/server.pem
tls_privatekey = $TLS/server.key
auth_advertise_hosts = *
acl_smtp_rcpt = acl_check_rcpt
acl_smtp_data = acl_check_data
queue_run_max = 0
message_size_limit = 1M

begin acl
acl_check_rcpt:
  accept  domains = +local_domains
          local_parts = lsearch;$VPOP/domains/\$domain_data/vpasswd
  deny    domains = +local_domains
          message = unknown user
  deny    message = relay not permitted
acl_check_data:
  accept

begin routers
vpopmail_user:
  driver = accept
  domains = +local_domains
  local_parts = lsearch;$VPOP/domains/\$domain_data/vpasswd
  transport = vpop_maildir

begin transports
vpop_maildir:
  driver = appendfile
  maildir_format = true
  directory = \${extract{5}{:}{\$local_part_data}}/Maildir
  create_directory = true
  delivery_date_add
  envelope_to_add
  return_path_add

begin retry
*   *   F,1m,1m

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if crypteq{\$auth3}{\${extract{1}{:}{\${lookup{\${local_part:\$auth2}}lsearch{$VPOP/domains/\${lookup{\${domain:\$auth2}}dsearch{$VPOP/domains}}/vpasswd}}}}}}
  server_set_id = \$auth2
EOF
}

qa_smtp_greeting() (	# qa_smtp_greeting HOST PORT: does an SMTP server say "220"?
	exec 3<>"/dev/tcp/$1/$2" || exit 1
	IFS= read -r -t 2 line <&3 || exit 1
	[[ $line == "220 "* ]]
)

# Exim runs as the store's owner (nobody when we are root): it delivers as
# the user it runs as, and never as root.
MAIL_AS=()
[ "$(id -u)" -eq 0 ] && MAIL_AS=(setpriv --reuid="$MAIL_USER" --regid="$MAIL_GROUP" --clear-groups)

exim_start() {	# Exim on two free ports (retried once if one was taken)
	local try ports=()
	for try in 1 2; do
		mapfile -t ports < <(free_ports 2)
		SMTP_PORT=${ports[0]} SMTPS_PORT=${ports[1]}
		exim_conf "$EXIM/exim.conf" "$SMTP_PORT" "$SMTPS_PORT"
		# The daemon's files are the mail user's; its config stays ours.
		[ "$(id -u)" -eq 0 ] && chown -R "$MAIL_USER:$MAIL_GROUP" "$EXIM/spool" "$TLS" &&
			chown "$MAIL_USER:$MAIL_GROUP" "$EXIM"
		${MAIL_AS[@]+"${MAIL_AS[@]}"} exim4 -C "$EXIM/exim.conf" -bV >"$EXIM/check.log" 2>&1 ||
			{ cat "$EXIM/check.log" >&2; return 1; }
		svc_start exim "$EXIM/daemon.log" ${MAIL_AS[@]+"${MAIL_AS[@]}"} exim4 -C "$EXIM/exim.conf" -bdf
		svc_wait 10 qa_smtp_greeting 127.0.0.1 "$SMTP_PORT" && return 0
		if [ "$try" = 1 ] && grep -q -s 'Address already in use' "$EXIM/daemon.log" "$EXIM"/*log; then
			svc_stop exim
			continue
		fi
		break
	done
	return 1
}

if ! exim_start; then
	cat "$EXIM/daemon.log" "$EXIM"/*log 2>/dev/null | sed 's/^/# /' | tail -n 30
	tap_bail "Exim did not start"
fi
export SMTP_HOST=127.0.0.1 SMTP_PORT

listening_only_on_loopback() {	# every socket of our ports is bound to 127.0.0.1
	local addrs
	command -v ss >/dev/null 2>&1 || return 0
	addrs=$(ss -Hltn "( sport = :$SMTP_PORT or sport = :$SMTPS_PORT )" | awk '{ print $4 }' | sort -u)
	[ -n "$addrs" ] && [ "$(printf '%s\n' "$addrs" | grep -v -c '^127\.0\.0\.1:')" = 0 ]
}
tap_ok "Exim listens on 127.0.0.1 only" listening_only_on_loopback

# ---------------------------------------------------------------- helpers

OUT=''
probe() {	# probe [OPTION...] SENDER FILE RCPT...: one message; OUT gets what it printed
	OUT=$("$PROBE" "$@" 2>>"$RUN/probe.err") || true
}

count() {	# count MAILDIR: messages delivered there
	find "$1/new" "$1/cur" -type f 2>/dev/null | wc -l | tr -d ' '
}

wait_count() {	# wait_count MAILDIR N: until MAILDIR holds N messages (5 s at most)
	local i
	for i in $(seq 1 100); do
		[ "$(count "$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

newest() {	# newest MAILDIR: the file of the last message delivered
	ls -t "$1"/new/* | head -n 1
}

# The message as delivered, less the headers Exim puts on top (Return-path,
# Envelope-to, Delivery-date, Received and its continuation lines).
as_sent() {
	awk 'top && /^(Return-path|Envelope-to|Delivery-date|Received):/ { skip = 1; next }
	     top && skip && /^[ \t]/ { next }
	     { top = 0; print }' top=1 "$1"
}

delivered_as_sent() {	# delivered_as_sent MAILDIR FILE: the newest message there is FILE
	as_sent "$(newest "$1")" | cmp - "$2"
}

# ---------------------------------------------------------------- messages

M=$RUN/msg
mkdir -p "$M"
cat >"$M/plain.eml" <<'EOF'
From: klient1@emak.se
To: klient2@emak.se
Subject: Lunch
Date: Wed, 25 Nov 2026 12:00:00 +0100
Message-ID: <lunch.1@emak.se>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hej!

Räksmörgås at twelve?
.
A line with only a dot is above, and these start with dots:
.leading
..two
...three
Bye.
EOF
# The same message with CRLF line ends, as the compose page builds it.
sed 's/$/\r/' "$M/plain.eml" >"$M/plain.crlf"

sed 's/^Subject: Lunch/Subject: Two/' "$M/plain.eml" >"$M/two.eml"
sed 's/^Subject: Lunch/Subject: STARTTLS/' "$M/plain.eml" >"$M/starttls.eml"
sed 's/^Subject: Lunch/Subject: SMTPS/' "$M/plain.eml" >"$M/smtps.eml"
sed 's/^Subject: Lunch/Subject: AUTH/' "$M/plain.eml" >"$M/auth.eml"
sed 's/^Subject: Lunch/Subject: Refused/' "$M/plain.eml" >"$M/refused.eml"
{ sed '/^$/q' "$M/plain.eml"; head -c 1100000 /dev/zero | tr '\0' 'x' | fold -w 76; } >"$M/big.eml"

# ---------------------------------------------------------------- in the clear

probe klient1@emak.se "$M/plain.crlf" klient2@emak.se
tap_is "klient1 sends to klient2 (CRLF message)" "$OUT" ok
tap_ok "... it lands in klient2's Maildir" wait_count "$BOX2" 1
tap_ok "... byte for byte (dot lines intact, 8-bit text)" delivered_as_sent "$BOX2" "$M/plain.eml"
tap_like "... with klient1 as the envelope sender" "$(head -n 1 "$(newest "$BOX2")")" \
	'^Return-path: <klient1@emak.se>$'

probe klient1@emak.se "$M/two.eml" klient2@emak.se klient1@emak.se
tap_is "a message to two recipients (LF message)" "$OUT" ok
tap_ok "... klient2 has it" wait_count "$BOX2" 2
tap_ok "... so has klient1" wait_count "$BOX1" 1
tap_ok "... byte for byte" delivered_as_sent "$BOX1" "$M/two.eml"

# ---------------------------------------------------------------- refusals

before=$(count "$BOX2")
probe klient1@emak.se "$M/refused.eml" klient2@emak.se nobody@emak.se
tap_like "an unknown recipient: a permanent error at RCPT naming it (the second)" \
	"$OUT" '^error perm at rcpt code 550 rcpt 1'
tap_like "... with the server's words" "$OUT" 'excerpt: unknown user'
tap_like "... and the address in the log line" "$OUT" 'detail: .*nobody@emak.se 550'
probe klient1@emak.se "$M/refused.eml" lars@example.org
tap_like "another domain: relaying refused, permanently" "$OUT" '^error perm at rcpt code 550 rcpt 0'
tap_like "... with the server's words" "$OUT" 'excerpt: relay not permitted'
sleep 0.3
tap_is "no one got the refused message, not even klient2" "$(count "$BOX2")" "$before"
probe klient1@emak.se "$M/big.eml" klient2@emak.se
tap_like "a message over Exim's SIZE: too big, before MAIL" "$OUT" '^error too_big at mail'

# ---------------------------------------------------------------- TLS

probe --tls starttls --ca "$TLS/ca.pem" klient1@emak.se "$M/starttls.eml" klient2@emak.se
tap_is "STARTTLS with our CA, the certificate for 127.0.0.1 checked" "$OUT" ok
wait_count "$BOX2" $((before + 1)) || true
tap_ok "... delivered byte for byte" delivered_as_sent "$BOX2" "$M/starttls.eml"
SMTP_PORT=$SMTPS_PORT probe --tls smtps --ca "$TLS/ca.pem" klient1@emak.se "$M/smtps.eml" klient2@emak.se
tap_is "SMTPS (TLS at once) on the other port" "$OUT" ok
wait_count "$BOX2" $((before + 2)) || true
tap_ok "... delivered byte for byte" delivered_as_sent "$BOX2" "$M/smtps.eml"
probe --tls starttls klient1@emak.se "$M/starttls.eml" klient2@emak.se
tap_like "STARTTLS against the system's CAs: not trusted, the TLS error" "$OUT" '^error tls at starttls'
SMTP_HOST=localhost probe --tls starttls --ca "$TLS/ca.pem" klient1@emak.se "$M/starttls.eml" klient2@emak.se
tap_like "a certificate for another name (localhost): the TLS error" "$OUT" '^error tls at starttls'
probe --tls starttls --no-verify klient1@emak.se "$M/starttls.eml" klient2@emak.se
tap_is "smtp_verify = no takes any certificate" "$OUT" ok
wait_count "$BOX2" $((before + 3)) || true

# ---------------------------------------------------------------- AUTH PLAIN

SMTP_PASS=Klient1pw probe --tls starttls --ca "$TLS/ca.pem" --user klient1@emak.se \
	klient1@emak.se "$M/auth.eml" klient2@emak.se
tap_is "AUTH PLAIN under STARTTLS with klient1's own password" "$OUT" ok
wait_count "$BOX2" $((before + 4)) || true
tap_ok "... delivered byte for byte" delivered_as_sent "$BOX2" "$M/auth.eml"
SMTP_PASS=wrong probe --tls starttls --ca "$TLS/ca.pem" --user klient1@emak.se \
	klient1@emak.se "$M/auth.eml" klient2@emak.se
tap_like "a wrong password: the auth error with Exim's 535" "$OUT" '^error auth at auth code 535'
SMTP_PASS=Klient1pw probe --user klient1@emak.se klient1@emak.se "$M/auth.eml" klient2@emak.se
tap_is "AUTH in the clear is allowed to a loopback relay" "$OUT" ok
wait_count "$BOX2" $((before + 5)) || true
tap_is "every accepted message was delivered once" "$(count "$BOX2")" $((before + 5))

# ---------------------------------------------------------------- the end

tap_ok "Exim saw the TLS sessions" grep -q ' P=esmtps X=TLS' "$EXIM/daemon.log"
tap_ok "Exim saw klient1 log in with AUTH PLAIN" grep -q ' A=plain:klient1@emak.se ' "$EXIM/daemon.log"
tap_ok "smtp_probe wrote nothing to stderr (no sanitizer report)" test ! -s "$RUN/probe.err"
exim_errors() {	# no deferred or failed delivery, no panic in Exim's log
	! grep -E ' == | \*\* |panic' "$EXIM/daemon.log"
}
tap_ok "Exim logged no failed delivery" exim_errors
harness_done
