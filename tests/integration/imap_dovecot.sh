#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# imap_dovecot.sh: webmail's IMAP client (cgi/imap.c, through the test
# program imap_probe) against a real Dovecot on a random 127.0.0.1 port,
# whose passdb is the vpasswd that qmailadmin-ctl writes (vadddomain
# emak.se, vadduser klient1@emak.se as the old manual does). klient1 logs in
# (AUTHENTICATE PLAIN and LOGIN, plain, STARTTLS and IMAPS with our own CA),
# APPENDs the messages of tests/data/mail/, and lists, searches, sorts,
# flags, moves and deletes them; every result is checked as a page would
# show it and in the Maildir on disk. Dovecot is stopped when the test ends.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
HARNESS_START=none
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"
harness_require dovecot openssl

PROBE=$QA_BUILDDIR/tests/integration/imap_probe
[ -x "$PROBE" ] || tap_bail "no imap_probe in $QA_BUILDDIR (make check builds it)"
MAIL=$QA_SRCDIR/tests/data/mail
VPOP=$RUN/vpopmail
HOME1=$VPOP/domains/emak.se/klient1
MAILDIR=$HOME1/Maildir

"$CTL" domain add emak.se Postm4ster >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
"$CTL" user add klient1@emak.se Klient1pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"
# A password LOGIN can only send as a literal (8-bit) and with quotes.
ODD_PW='Sm\"org "as" bord'$'\xc3\xa5'
"$CTL" user add klient2@emak.se "$ODD_PW" >/dev/null || tap_bail "qmailadmin-ctl user add klient2 failed"

# ---------------------------------------------------------------- TLS: our own CA

TLS=$RUN/dovecot/tls	# where dovecot_conf looks for server.pem and server.key
test_tls_certs "$TLS"

# ---------------------------------------------------------------- Dovecot

# dovecot_start (scripts/lib.sh): passwd-file over the vpasswd files as the
# passdb, a static userdb (vpasswd's gid-0 flags field, see
# ../shared/design/test-harness.md §2), as root dovenull for the login
# processes; IMAP and IMAPS on two free ports, retried once if taken.
if [ "$(id -u)" -eq 0 ] && ! id dovenull >/dev/null 2>&1; then
	tap_skip_all "no dovenull user (dovecot-core's)"
fi
if ! dovecot_start "$RUN/dovecot" "$RUN" 0 0; then
	sed 's/^/# /' "$RUN/dovecot/dovecot.log" 2>/dev/null | tail -n 30
	tap_bail "Dovecot did not start"
fi
IMAP_PORT=$DOVECOT_IMAP_PORT IMAPS_PORT=$DOVECOT_IMAPS_PORT

listening_only_on_loopback() {	# every socket of our ports is bound to 127.0.0.1
	local addrs
	command -v ss >/dev/null 2>&1 || return 0
	addrs=$(ss -Hltn "( sport = :$IMAP_PORT or sport = :$IMAPS_PORT )" | awk '{ print $4 }' | sort -u)
	[ -n "$addrs" ] && [ "$(printf '%s\n' "$addrs" | grep -v -c '^127\.0\.0\.1:')" = 0 ]
}
tap_ok "Dovecot listens on 127.0.0.1 only" listening_only_on_loopback

# ---------------------------------------------------------------- the probe

export IMAP_HOST=127.0.0.1 IMAP_PORT IMAP_USER=klient1@emak.se IMAP_PASS=Klient1pw
OUT=''
probe() {	# probe [OPTION...] COMMAND ARGS...: one connection; OUT gets what it printed
	OUT=$("$PROBE" "$@" 2>>"$RUN/probe.err") || true
}
probe_clean() {	# no sanitizer report (or usage error) from any probe run
	if [ -s "$RUN/probe.err" ]; then
		head -n 20 "$RUN/probe.err" | sed 's/^/#   /'
		return 1
	fi
}
line_of() {	# line_of PREFIX: the first line of OUT starting with PREFIX
	printf '%s\n' "$OUT" | grep -m 1 -F -- "$1" || true
}
maildir_count() {	# maildir_count DIR: messages in a Maildir folder (new + cur)
	find "$1/new" "$1/cur" -type f 2>/dev/null | wc -l | tr -d ' '
}
maildir_flags() {	# maildir_flags DIR: the info part (":2,FS") of the only message file
	find "$1/new" "$1/cur" -type f 2>/dev/null | sed -n 's/.*:2,\([A-Za-z]*\)$/\1/p' | head -n 1
}

# ---- logging in
probe login
tap_is "klient1 logs in (AUTHENTICATE PLAIN, SASL-IR)" "$OUT" ok
probe --hide SASL-IR login
tap_is "... without SASL-IR (the response after +)" "$OUT" ok
probe --auth login login
tap_is "... with LOGIN" "$OUT" ok
IMAP_PASS=wrong probe login
tap_like "a wrong password is the auth error" "$OUT" '^error auth: '
IMAP_USER=nobody@emak.se probe login
tap_like "an unknown user is the auth error" "$OUT" '^error auth: '
IMAP_USER=klient2@emak.se IMAP_PASS=$ODD_PW probe --auth login login
tap_is "an 8-bit password with quotes goes through LOGIN as a literal" "$OUT" ok
IMAP_USER=klient2@emak.se IMAP_PASS=$ODD_PW probe --auth login --hide LITERAL+ login
tap_is "... also as a synchronizing literal" "$OUT" ok
IMAP_USER=klient2@emak.se IMAP_PASS=$ODD_PW probe --auth plain login
tap_is "... and through AUTHENTICATE PLAIN" "$OUT" ok
probe caps
tap_like "capabilities after login: MOVE, UIDPLUS, SORT, ESEARCH, LIST-STATUS" \
	"$(printf '%s\n' "$OUT" | tr '\n' ' ')" 'MOVE UIDPLUS SORT ESEARCH .*LIST-STATUS'

# ---- TLS
IMAP_PORT=$IMAPS_PORT probe --tls imaps --ca "$TLS/ca.pem" login
tap_is "IMAPS with our CA, certificate for 127.0.0.1 checked" "$OUT" ok
probe --tls starttls --ca "$TLS/ca.pem" login
tap_is "STARTTLS with our CA" "$OUT" ok
IMAP_PORT=$IMAPS_PORT probe --tls imaps login
tap_like "IMAPS against the system's CAs: not trusted, the TLS error" "$OUT" '^error tls: .*certificate'
IMAP_HOST=localhost IMAP_PORT=$IMAPS_PORT probe --tls imaps --ca "$TLS/ca.pem" login
tap_like "a certificate for another host name: the TLS error" "$OUT" '^error tls: '
IMAP_HOST=localhost IMAP_PORT=$IMAPS_PORT probe --tls imaps --no-verify login
tap_is "... accepted when verification is off" "$OUT" ok
probe --tls imaps --ca "$TLS/ca.pem" --timeout 2000 login
tap_like "IMAPS against the plain port: the TLS error" "$OUT" '^error (tls|timeout): '

# ---- folders: Skräp in modified UTF-7, on disk as Dovecot's Maildir++ names
probe create 'Skräp'
tap_is "create Skräp" "$OUT" ""
tap_ok "... on disk as .Skr&AOQ-p" test -d "$MAILDIR/.Skr&AOQ-p"
probe create 'Räkor'
probe rename 'Räkor' 'Räkor och annat'
tap_is "rename Räkor" "$OUT" ""
tap_ok "... on disk as .R&AOQ-kor och annat" test -d "$MAILDIR/.R&AOQ-kor och annat"
tap_ok "... and the old name is gone" test ! -e "$MAILDIR/.R&AOQ-kor"
probe create INBOX
tap_like "create INBOX: exists" "$OUT" '^error exists: '
probe select nothere
tap_like "select a missing mailbox: no_mailbox" "$OUT" '^error no_mailbox: '
probe list status
tap_is "list: INBOX, Skräp and Räkor och annat, with modified UTF-7 names and counts" \
	"$(printf '%s\n' "$OUT" | sort)" \
	"$(printf '%s\t%s\t.\tnochildren\tmessages=0 unseen=0\n' INBOX INBOX 'Räkor och annat' 'R&AOQ-kor och annat' Skräp 'Skr&AOQ-p' | sort)"
probe --hide LIST-STATUS,LIST-EXTENDED list status
tap_is "... the same with LIST + STATUS" "$(printf '%s\n' "$OUT" | sort)" \
	"$(printf '%s\t%s\t.\tnochildren\tmessages=0 unseen=0\n' INBOX INBOX 'Räkor och annat' 'R&AOQ-kor och annat' Skräp 'Skr&AOQ-p' | sort)"
probe delete 'Räkor och annat'
tap_ok "delete Räkor och annat: gone from disk" test ! -e "$MAILDIR/.R&AOQ-kor och annat"
probe delete 'Räkor och annat'
tap_like "... deleting it again: no_mailbox" "$OUT" '^error no_mailbox: '

# ---- APPEND the corpus
probe append INBOX "$MAIL/01-multipart-utf8.eml" '\Seen'
tap_is "append the multipart message: UID 1 (UIDPLUS)" "$OUT" "uid=1"
probe append INBOX "$MAIL/02-alternative-latin1.eml"
tap_is "append the ISO-8859-1 alternative: UID 2" "$OUT" "uid=2"
probe --hide LITERAL+ append INBOX "$MAIL/03-nested-rfc822.eml"
tap_is "append the forwarded KOI8-R message with a synchronizing literal: UID 3" "$OUT" "uid=3"
probe append INBOX "$MAIL/04-plain-split-words.eml" '\Flagged'
tap_is "append the plain UTF-8 message, flagged: UID 4" "$OUT" "uid=4"
# shellcheck disable=SC2016 # a keyword, not a variable
probe store INBOX 4 + '$Work'
tap_is "... and give it a keyword" "$OUT" ""
probe append nothere "$MAIL/04-plain-split-words.eml"
tap_like "append to a missing mailbox: no_mailbox" "$OUT" '^error no_mailbox: '
tap_is "the Maildir holds the four messages" "$(maildir_count "$MAILDIR")" 4

probe status INBOX
tap_like "status INBOX: 4 messages, 3 unseen, next UID 5" "$OUT" '^messages=4 recent=[0-9]+ uidnext=5 uidvalidity=[0-9]+ unseen=3$'
UIDVALIDITY=$(printf '%s\n' "$OUT" | sed -n 's/.*uidvalidity=\([0-9]*\).*/\1/p')
tap_is "... UIDVALIDITY is Dovecot's on disk" "$UIDVALIDITY" \
	"$(head -n 1 "$MAILDIR/dovecot-uidlist" | sed -n 's/.* V\([0-9]*\) .*/\1/p')"
probe select INBOX
tap_like "select INBOX: 4 exist" "$OUT" "^exists=4 recent=[0-9]+ uidvalidity=$UIDVALIDITY uidnext=5"
tap_like "... flags may be kept, keywords too" "$(line_of permanentflags=)" '\\Seen .*\\\*$'
tap_is "... read-write" "$(line_of readonly=)" "readonly=0"
probe examine INBOX
tap_is "examine INBOX: read-only" "$(line_of readonly=)" "readonly=1"

# ---- FETCH: envelopes and body structures as a page shows them
probe fetch INBOX 1
tap_like "message 1: UID, \\Seen, size, date" "$(line_of uid=)" '^uid=1 flags=\\Seen size=[0-9]+ date=[0-9]+$'
tap_is "... subject decoded (UTF-8, B)" "$(line_of subject=)" "subject=Hälsningar från Göteborg"
tap_is "... sender decoded (ISO-8859-1, Q)" "$(line_of from=)" "from=Lars Jönsson <lars.jonsson@emak.se>"
tap_is "... recipients" "$(line_of to=)" "to=klient1@emak.se, Klient Två <klient2@emak.se>"
tap_is "... cc" "$(line_of cc=)" "cc=postmaster@emak.se"
tap_is "... message-id" "$(line_of message-id=)" "message-id=<multipart-1@emak.se>"
tap_is "... multipart/mixed at the top" "$(line_of 'multipart -')" "multipart - mixed"
tap_like "... part 1: text/plain UTF-8 quoted-printable" "$(line_of 'part 1 ')" \
	'^part 1 text/plain charset=utf-8 encoding=quoted-printable size=[0-9]+$'
tap_like "... part 2: the attachment with its file name" "$(line_of 'part 2 ')" \
	'^part 2 text/plain charset=utf-8 name=rapport.txt encoding=base64 size=[0-9]+ disposition=attachment filename=rapport.txt$'
probe body INBOX 1 1
tap_is "body 1.1: quoted-printable decoded, soft line break joined" "$(printf '%s' "$OUT" | tr -d '\r')" \
	"$(printf 'Hej Klient,\n\nhär kommer rapporten från Göteborg. Den är lång, så läs den i lugn och ro.\n\nLars')"
probe body INBOX 1 2
tap_is "body 1.2: the attachment, base64 decoded" "$OUT" "$(printf 'Rapport: allt gick bra.\nSmörgåsar: 12')"
probe fetch INBOX 2
tap_is "message 2: ISO-8859-1 subject" "$(line_of subject=)" "subject=Räksmörgås till lunch"
tap_is "... quoted display name" "$(line_of from=)" "from=Anna Berg <anna@example.org>"
tap_is "... multipart/alternative" "$(line_of 'multipart -')" "multipart - alternative"
tap_like "... its html part" "$(line_of 'part 2 ')" '^part 2 text/html charset=iso-8859-1 encoding=quoted-printable'
probe body INBOX 2 1
tap_is "body 2.1: ISO-8859-1 to UTF-8" "$(printf '%s' "$OUT" | tr -d '\r')" "Ska vi ta en räksmörgås?"
probe body INBOX 2 2
tap_is "body 2.2: the html, as sent" "$(printf '%s' "$OUT" | tr -d '\r')" "<p>Ska vi ta en <b>räksmörgås</b>?</p>"
probe fetch INBOX 3
tap_is "message 3: KOI8-R subject" "$(line_of subject=)" "subject=Fwd: Привет"
tap_like "... the forwarded message is part 2" "$(line_of 'part 2 ')" '^part 2 message/rfc822 '
tap_is "... with its own envelope" "$(line_of 'message 2 ')" "message 2 subject=Привет"
tap_like "... and its body is part 2.1" "$(line_of 'part 2.1 ')" '^part 2.1 text/plain charset=koi8-r encoding=base64'
probe body INBOX 3 2.1
tap_is "body 3.2.1: base64 KOI8-R to UTF-8" "$(printf '%s' "$OUT" | tr -d '\r')" "Привет из Москвы"
probe fetch INBOX 4
tap_is "message 4: a character split across encoded-words" "$(line_of subject=)" "subject=Smörgåsbord på fredag"
tap_is "... also in the display name" "$(line_of from=)" "from=Åsa Östrom <asa@emak.se>"
# shellcheck disable=SC2016
tap_like "... \\Flagged and the keyword" "$(line_of uid=)" '^uid=4 flags=\\Flagged \$Work size='
tap_like "... a single text part is section 1" "$(line_of part)" '^part 1 text/plain charset=utf-8 encoding=8bit size=[0-9]+$'
probe body INBOX 4 1
tap_is "body 4.1: 8-bit UTF-8" "$(printf '%s' "$OUT" | tr -d '\r')" "Välkomna på smörgåsbord!"
probe fetch INBOX 3,1,99
tap_is "fetch 3,1,99: in the order asked, the missing UID left out" \
	"$(printf '%s\n' "$OUT" | sed -n 's/^uid=\([0-9]*\) .*/\1/p' | tr '\n' ' ')" "3 1 "

# ---- SEARCH and SORT
probe search INBOX SUBJECT 'räksmörgås'
tap_is "search a UTF-8 subject (CHARSET UTF-8, LITERAL+)" "$OUT" "uids=2"
probe --hide LITERAL+,ESEARCH search INBOX SUBJECT 'räksmörgås'
tap_is "... with a synchronizing literal and plain SEARCH" "$OUT" "uids=2"
probe search INBOX any FROM anna SUBJECT 'Göteborg' BODY 'smörgåsbord'
tap_is "search sender, subject or body (OR)" "$OUT" "uids=1,2,4"
probe search INBOX FROM klient2 TEXT 'Москвы'
tap_is "search sender and text (AND), in a forwarded KOI8-R part" "$OUT" "uids=3"
probe search INBOX UNSEEN
tap_is "search unseen" "$OUT" "uids=2,3,4"
probe search INBOX FLAGGED
tap_is "search flagged" "$OUT" "uids=4"
probe search INBOX SUBJECT nothing-like-this
tap_is "search with no match" "$OUT" "uids="
probe sort INBOX DATE reverse
tap_is "sort by date, newest first" "$OUT" "uids=4,3,2,1"
probe sort INBOX SUBJECT
tap_is "sort by subject (\"Fwd:\" ignored, Cyrillic after Latin)" "$OUT" "uids=1,2,4,3"
probe sort INBOX SIZE reverse UNSEEN
tap_like "sort by size among the unseen" "$OUT" '^uids=[234],[234],[234]$'

# ---- STORE: flags, also in the Maildir file names
probe store INBOX 2 + '\Seen' '\Flagged'
tap_is "store +\\Seen \\Flagged on 2" "$OUT" ""
probe fetch INBOX 2
tap_like "... fetched back" "$(line_of uid=)" '^uid=2 flags=\\Seen \\Flagged size='
probe store INBOX 1 - '\Seen'
probe search INBOX UNSEEN
tap_is "store -\\Seen on 1: unseen again" "$OUT" "uids=1,3,4"
probe store INBOX 1 = '\Answered'
probe fetch INBOX 1
tap_like "store = \\Answered on 1" "$(line_of uid=)" '^uid=1 flags=\\Answered size='
msg2=$(grep -l -r 'alt-2@example.org' "$MAILDIR/cur" "$MAILDIR/new" 2>/dev/null | head -n 1)
tap_like "message 2's file name carries F and S (Maildir info)" "${msg2##*/}" ':2,FS$'

# ---- MOVE, the fallback, expunge
probe move INBOX 2 'Skräp'
tap_is "move 2 to Skräp (MOVE)" "$OUT" ""
probe status 'Skräp'
tap_like "... Skräp has it" "$OUT" '^messages=1 '
tap_is "... on disk in .Skr&AOQ-p" "$(maildir_count "$MAILDIR/.Skr&AOQ-p")" 1
tap_is "... with its flags" "$(maildir_flags "$MAILDIR/.Skr&AOQ-p")" FS
tap_is "... and gone from the INBOX" "$(maildir_count "$MAILDIR")" 3
probe --hide MOVE move INBOX 3 'Skräp'
tap_is "move 3 without MOVE (COPY, \\Deleted, UID EXPUNGE)" "$OUT" ""
tap_is "... Skräp has two" "$(maildir_count "$MAILDIR/.Skr&AOQ-p")" 2
tap_is "... the INBOX two" "$(maildir_count "$MAILDIR")" 2
probe store INBOX 1 + '\Deleted'
probe --hide MOVE,UIDPLUS move INBOX 4 'Skräp'
tap_is "move 4 without MOVE or UIDPLUS while 1 is \\Deleted" "$OUT" ""
tap_is "... copied" "$(maildir_count "$MAILDIR/.Skr&AOQ-p")" 3
probe search INBOX DELETED
tap_is "... but not expunged: another message was \\Deleted" "$OUT" "uids=1,4"
probe store INBOX 1 - '\Deleted'
probe --hide UIDPLUS expunge INBOX 4
tap_is "expunge 4 alone without UIDPLUS" "$OUT" ""
probe search INBOX ALL
tap_is "... INBOX keeps 1" "$OUT" "uids=1"
probe expunge 'Skräp' 2,3
probe search 'Skräp' ALL
tap_like "expunge two in Skräp (UID EXPUNGE)" "$OUT" '^uids=[0-9]+$'
tap_is "... on disk" "$(maildir_count "$MAILDIR/.Skr&AOQ-p")" 1
probe move INBOX 1 nothere
tap_like "move to a missing mailbox: no_mailbox" "$OUT" '^error no_mailbox: '

# ---- the end: Dovecot goes away with the test
probe delete 'Skräp'
tap_ok "delete Skräp with its message" test ! -e "$MAILDIR/.Skr&AOQ-p"
dovecot_pid=$(svc_pid dovecot)
svc_stop_all
tap_ok "Dovecot stopped: no process of its group left" bash -c "! kill -0 -- -$dovecot_pid 2>/dev/null"
probe login
tap_like "after it stopped: the connect error" "$OUT" '^error connect: '
tap_ok "imap_probe wrote nothing to stderr (no sanitizer report)" probe_clean

harness_done
