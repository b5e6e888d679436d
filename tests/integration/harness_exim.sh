#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# harness_exim.sh: the harness's HARNESS_EXIM=1 (tests/lib/harness.sh,
# exim_start in scripts/lib.sh), the MTA that webmail's sending tests stand
# on. An Exim on a free 127.0.0.1 port takes mail for the users that
# qmailadmin-ctl makes (the old manual's vadddomain emak.se, vadduser
# klient2@emak.se) and appends it to the Maildir under their vpasswd home,
# byte for byte, where the harness's Dovecot (HARNESS_DOVECOT=1, running at
# the same time) shows it over IMAP. Unknown users and other domains get
# 550; AUTH PLAIN checks the vpasswd hash; the app's config points at it;
# and no Exim process outlives a test, however the test ends.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
HARNESS_DOVECOT=1
HARNESS_EXIM=1
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"
harness_require openssl

PROBE=$QA_BUILDDIR/tests/integration/imap_probe
[ -x "$PROBE" ] || tap_bail "no imap_probe in $QA_BUILDDIR (make check builds it)"
VPOP=$RUN/vpopmail
read -r OWNER _ < <(store_owner)

"$CTL" domain add emak.se Postm4ster >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
for u in 1 2; do
	"$CTL" user add "klient$u@emak.se" "Klient${u}pw" -c "Klient $u" >/dev/null ||
		tap_bail "qmailadmin-ctl user add failed"
done

OUT=''
imap() {	# imap USER PASSWORD COMMAND ARGS...: one IMAP session; OUT gets its answer
	OUT=$(imap_probe_as "$PROBE" "$IMAP_PORT" "$@" 2>>"$RUN/imap_probe.err") || true
}
REPLY='' RC=0
send() {	# send FROM RCPTS FILE: smtp_send; REPLY gets Exim's last reply, RC the status
	REPLY=$(smtp_send "$@") && RC=0 || RC=$?
}
newest() {	# newest USER@DOMAIN: the newest message file in the user's Maildir
	local dir
	dir=$(maildir_of "$1") || return 1
	# shellcheck disable=SC2012 # (Maildir names have no odd characters)
	ls -t "$dir"/new/* "$dir"/cur/* 2>/dev/null | head -n 1
}
ends_with() {	# ends_with FILE ORIGINAL: FILE is ORIGINAL with headers put before it
	local size
	size=$(stat -c %s "$2")
	cmp -s <(tail -c "$size" "$1") "$2"
}
header_of() {	# header_of FILE NAME: the first NAME: header's value
	sed -n "/^\$/q; s/^$2: *//Ip" "$1" | head -n 1
}
ehlo_keywords() {	# ehlo_keywords PORT: the EHLO keywords Exim offers, sorted
	perl -MNet::SMTP -e '
		my $s = Net::SMTP->new("127.0.0.1", Port => $ARGV[0], Hello => "localhost") or exit 1;
		print join(" ", sort keys %{ ${*$s}{net_smtp_esmtp} }), "\n";
		$s->command("QUIT"); $s->close;' "$1"
}
loopback_only() {	# every socket on SMTP_PORT is bound to 127.0.0.1
	local addrs
	command -v ss >/dev/null 2>&1 || return 0
	addrs=$(ss -Hltn "( sport = :$SMTP_PORT )" | awk '{ print $4 }' | sort -u)
	[ -n "$addrs" ] && [ "$(printf '%s\n' "$addrs" | grep -v -c '^127\.0\.0\.1:')" = 0 ]
}

# ---- the harness's Exim, and the app pointed at it
tap_like "SMTP_PORT is exported" "$(bash -c 'echo "${SMTP_PORT-}"')" '^[0-9]+$'
tap_ok "Exim greets (220) on 127.0.0.1:SMTP_PORT" qa_smtp_greeting 127.0.0.1 "$SMTP_PORT"
tap_ok "... and listens on 127.0.0.1 only" loopback_only
keywords=$(ehlo_keywords "$SMTP_PORT")
tap_like "... offers AUTH (PLAIN) and 8BITMIME" "$keywords" 'AUTH .*8BITMIME|8BITMIME .*AUTH'
tap_unlike "... but no STARTTLS (exim_start without tls)" "$keywords" STARTTLS
tap_is "the app's config: smtp_host = 127.0.0.1" "$(sed -n 's/^smtp_host = //p' "$QMAILADMIN_CONF")" 127.0.0.1
tap_is "... smtp_port = SMTP_PORT, set once" "$(sed -n 's/^smtp_port = //p' "$QMAILADMIN_CONF")" "$SMTP_PORT"
tap_is "... imap_port (HARNESS_DOVECOT at the same time)" "$(sed -n 's/^imap_port = //p' "$QMAILADMIN_CONF")" "$IMAP_PORT"
http /cgi-bin/qmailadmin/login
tap_is "... and the app started with that config" "$STATUS" 200

# ---- klient1 writes to klient2
MSG=$RUN/fika.eml
# Lines that SMTP must dot-stuff: one starting with '.', one with '..', one
# that is only '.' (unstuffed, it would end the message).
printf '%s\n' "From: Klient 1 <klient1@emak.se>" "To: Klient 2 <klient2@emak.se>" \
	"Subject: =?UTF-8?Q?Fika_p=C3=A5_fredag?=" "Message-ID: <exim-1@emak.se>" \
	"MIME-Version: 1.0" "Content-Type: text/plain; charset=utf-8" \
	"Content-Transfer-Encoding: 8bit" "" "Hej!" ".en rad som börjar med punkt" \
	"..och en med två" "." "Kanelbullar, 8 bitar: åäö" >"$MSG"
send klient1@emak.se klient2@emak.se "$MSG"
tap_like "smtp_send to klient2: 250, Exim's reply printed" "$REPLY" '^250 OK id='
tap_is "... status 0" "$RC" 0
tap_ok "maildir_wait: klient2's Maildir holds 1 message" maildir_wait klient2@emak.se 1
HOME2=$VPOP/domains/emak.se/klient2
file=$(newest klient2@emak.se)
tap_like "... in the Maildir of klient2's vpasswd home, new/" "$file" "^$HOME2/Maildir/new/"
tap_like "... under a unique Maildir name (time.MusecPpid.host)" "${file##*/}" '^[0-9]+\.M[0-9]+P[0-9]+\.[a-z0-9.-]+$'
tap_is "... mode 0600, owned by the store's owner" "$(stat -c '%a %U' "$file")" "600 $OWNER"
tap_ok "... the message byte for byte, the '.' lines too (after Exim's headers)" ends_with "$file" "$MSG"
tap_is "... Return-path: the envelope sender" "$(header_of "$file" Return-path)" "<klient1@emak.se>"
tap_is "... Envelope-to: the recipient (as qmail-local's Delivered-To)" "$(header_of "$file" Envelope-to)" klient2@emak.se
tap_is "... one copy only" "$(maildir_count "$HOME2/Maildir")" 1
imap klient2@emak.se Klient2pw status INBOX
tap_like "Dovecot shows it to klient2 over IMAP: 1 message, unseen" "$OUT" '^messages=1 .* unseen=1$'
imap klient2@emak.se Klient2pw fetch INBOX 1
tap_like "... its subject decoded" "$OUT" 'subject=Fika på fredag'
imap klient2@emak.se Klient2pw body INBOX 1 TEXT
tap_is "... its text as sent" "$(printf "%s\n" "$OUT" | tr -d "\r")" "$(sed "1,/^$/d" "$MSG")"
tap_ok "... now in cur/, still counted by maildir_count" test "$(maildir_count "$HOME2/Maildir")" = 1

# ---- several recipients, a domain made after Exim started, the sink
"$CTL" domain add exempel.se Postm4ster >/dev/null
"$CTL" user add anna@exempel.se Anna1pw >/dev/null
send klient1@emak.se klient2@emak.se,anna@exempel.se,KLIENT1@EMAK.SE "$MSG"
tap_like "one message to three (one of a domain added later, one in capitals): 250" "$REPLY" '^250 '
tap_ok "... klient2 has it (2 messages)" maildir_wait klient2@emak.se 2
tap_ok "... anna@exempel.se has it" maildir_wait anna@exempel.se 1
tap_ok "... klient1 has it" maildir_wait klient1@emak.se 1
tap_is "... each copy says whose it is (Envelope-to)" "$(header_of "$(newest anna@exempel.se)" Envelope-to)" anna@exempel.se
send klient1@emak.se vem@outside.example "$MSG"
tap_like "to $EXIM_OUTSIDE_DOMAIN: 250" "$REPLY" '^250 '
tap_ok "... kept in the sink Maildir (maildir_wait works there too)" maildir_wait "vem@$EXIM_OUTSIDE_DOMAIN" 1
tap_ok "... byte for byte" ends_with "$(newest "vem@$EXIM_OUTSIDE_DOMAIN")" "$MSG"

# ---- refusals
before=$(maildir_count "$HOME2/Maildir")
send klient1@emak.se nosuch@emak.se "$MSG"
tap_is "an unknown user of emak.se: 550 unknown user" "$REPLY" "550 unknown user"
tap_is "... smtp_send fails" "$RC" 1
send klient1@emak.se someone@example.org "$MSG"
tap_is "another domain: 550 relay not permitted" "$REPLY" "550 relay not permitted"
SMTP_AUTH_USER=klient1@emak.se SMTP_AUTH_PASS=Klient1pw send klient1@emak.se someone@example.org "$MSG"
tap_is "... also when logged in (AUTH): no relaying at all" "$REPLY" "550 relay not permitted"
send klient1@emak.se klient2@emak.se,nosuch@emak.se "$MSG"
tap_is "one bad recipient of two: smtp_send stops at its 550" "$REPLY" "550 unknown user"
vpasswd_change emak.se "$CTL" user del klient1@emak.se >/dev/null
send klient2@emak.se klient1@emak.se "$MSG"
tap_is "a user deleted after Exim started: 550 (vpasswd is read each time)" "$REPLY" "550 unknown user"
"$CTL" user add klient1@emak.se Klient1pw >/dev/null
sleep 0.3	# (what Exim might still deliver)
tap_is "... none of these delivered anything" "$(maildir_count "$HOME2/Maildir")" "$before"
err=$(maildir_wait klient2@emak.se 99 1 2>&1) && rc=0 || rc=$?
tap_is "maildir_wait gives up at its timeout" "$rc" 1
tap_like "... and says how many there were" "$err" "^maildir_wait klient2@emak.se: $before of 99 message"
maildir_wait nosuch@emak.se 1 1 2>/dev/null && rc=0 || rc=$?
tap_is "... and fails for an unknown user" "$rc" 1

# ---- AUTH PLAIN against the vpasswd hash
SMTP_AUTH_USER=klient2@emak.se SMTP_AUTH_PASS=Klient2pw send klient2@emak.se klient1@emak.se "$MSG"
tap_like "AUTH PLAIN with klient2's password, then a mail: 250" "$REPLY" '^250 '
SMTP_AUTH_USER=Klient2@Emak.SE SMTP_AUTH_PASS=Klient2pw send klient2@emak.se klient1@emak.se "$MSG"
tap_like "... the address in any case" "$REPLY" '^250 '
SMTP_AUTH_USER=klient2@emak.se SMTP_AUTH_PASS=wrong send klient2@emak.se klient1@emak.se "$MSG"
tap_is "a wrong password: 535" "$REPLY" "535 Incorrect authentication data"
SMTP_AUTH_USER=klient2@emak.se SMTP_AUTH_PASS=Klient2pwX send klient2@emak.se klient1@emak.se "$MSG"
tap_is "... also one that only adds a character (the whole password counts)" "$REPLY" "535 Incorrect authentication data"
SMTP_AUTH_USER=klient2@exempel.se SMTP_AUTH_PASS=Klient2pw send klient2@emak.se klient1@emak.se "$MSG"
tap_is "... the password of a user of another domain" "$REPLY" "535 Incorrect authentication data"
SMTP_AUTH_USER=klient2@nosuch.se SMTP_AUTH_PASS=Klient2pw send klient2@emak.se klient1@emak.se "$MSG"
tap_is "... a domain that does not exist" "$REPLY" "535 Incorrect authentication data"
SMTP_AUTH_USER=klient2@.. SMTP_AUTH_PASS=Klient2pw send klient2@emak.se klient1@emak.se "$MSG"
tap_is "... a domain of '..'" "$REPLY" "535 Incorrect authentication data"
tap_ok "Exim's logs have no panic" test ! -s "$RUN/exim/paniclog"
tap_unlike "... and no taint or expansion error" "$(cat "$RUN/exim/exim.log")" 'Tainted|failed to expand|expansion of'

# ---- STARTTLS, when exim_start is asked for it, with our own CA
TLS=$RUN/exim/tls	# where exim_conf looks for server.pem and server.key
test_tls_certs "$TLS"
svc_stop exim
exim_start "$RUN/exim" "$RUN" "$SMTP_PORT" tls && rc=0 || rc=$?
tap_is "exim_start DIR STORE PORT tls: Exim again, on the same port" "$rc $EXIM_SMTP_PORT" "0 $SMTP_PORT"
tap_like "... offering STARTTLS" "$(ehlo_keywords "$SMTP_PORT")" STARTTLS
before=$(maildir_count "$HOME2/Maildir")
out=$(printf '%s\r\n' "EHLO localhost" "MAIL FROM:<klient1@emak.se>" "RCPT TO:<klient2@emak.se>" DATA \
	"Subject: TLS" "" "hej" . QUIT |
	openssl s_client -starttls smtp -connect "127.0.0.1:$SMTP_PORT" -CAfile "$TLS/ca.pem" \
		-verify_return_error -verify_ip 127.0.0.1 -quiet 2>&1) && rc=0 || rc=$?
tap_is "a mail over STARTTLS, Exim's certificate checked against our CA" "$rc" 0
tap_like "... 250" "$out" '^250 OK id='
tap_ok "... delivered" maildir_wait klient2@emak.se $((before + 1))
tap_like "... and Exim says it came over TLS" "$(sed '/^$/q' "$(newest klient2@emak.se)")" 'with esmtps '

# ---- no Exim outlives a test: a test of its own, ended two ways
no_process_with() {	# no_process_with TEXT: no process's command line contains TEXT
	local f args
	for f in /proc/[0-9]*/cmdline; do
		mapfile -d '' args 2>/dev/null <"$f" || continue
		[[ " ${args[*]-} " == *"$1"* ]] && return 1
	done
	return 0
}
inner() {	# inner FILE SHELL-CODE &: a HARNESS_EXIM test (in the background, so
	# that $! is its pid) that writes "PGID RUN PORT" of its Exim to FILE,
	# then runs SHELL-CODE
	QA_SRCDIR=$QA_SRCDIR QA_BUILDDIR=$QA_BUILDDIR exec bash -c '
		. "$QA_SRCDIR/tests/lib/tap.sh"
		HARNESS_STORE=1 HARNESS_EXIM=1 HARNESS_START=none
		. "$QA_SRCDIR/tests/lib/harness.sh"
		"$CTL" domain add emak.se Postm4ster >/dev/null
		printf "Subject: x\n\n.\n" >"$RUN/m"
		smtp_send a@emak.se postmaster@emak.se "$RUN/m" >/dev/null
		echo "$(svc_pid exim) $RUN $SMTP_PORT" >"$1"
		eval "$2"' _ "$@" >/dev/null 2>&1
}
gone() {	# gone PGID RUN PORT: nothing of that Exim is left
	! svc_group_alive "$1" && [ ! -e "$2" ] && ! qa_tcp_open 127.0.0.1 "$3" &&
		no_process_with "$2/exim"
}
pgid=0 run=/nonexistent port=0
inner "$RUN/inner.1" 'maildir_wait postmaster@emak.se 1 && tap_ok inner true; harness_done' &
wait $! && rc=0 || rc=$?
read -r pgid run port <"$RUN/inner.1" || true
tap_like "a test's own Exim ran" "$pgid $port" '^[1-9][0-9]* [1-9][0-9]*$'
tap_is "... delivered its mail, and the test passed" "$rc" 0
tap_ok "... and is gone when the test ends (group, run dir, port, processes)" gone "$pgid" "$run" "$port"
pgid=0 run=/nonexistent port=0
mkfifo "$RUN/inner.wait"
# (a trapped signal ends the read builtin at once; it never gets a line)
inner "$RUN/inner.2" "read -r -t 20 _ <>'$RUN/inner.wait'" &
inner_pid=$!
for _ in $(seq 1 500); do [ -s "$RUN/inner.2" ] && break; sleep 0.02; done
read -r pgid run port <"$RUN/inner.2" || true
tap_ok "another is killed (SIGTERM) while its Exim runs" svc_group_alive "$pgid"
kill -TERM "$inner_pid" 2>/dev/null || true
wait "$inner_pid" 2>/dev/null || true
tap_ok "... and leaves nothing of it either" gone "$pgid" "$run" "$port"

harness_done
