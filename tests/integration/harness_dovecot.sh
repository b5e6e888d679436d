#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# harness_dovecot.sh: the harness's HARNESS_DOVECOT=1 (tests/lib/harness.sh,
# dovecot_start in scripts/lib.sh), which webmail's page tests stand on. A
# Dovecot on a free 127.0.0.1 port serves the store that qmailadmin-ctl
# fills: every domain, even one added later, logs in with the vpasswd
# password; mail_append puts messages in over IMAP and they land in the
# Maildir under the home that vpasswd names; the app's config points at it;
# and no Dovecot process outlives a test, however the test ends.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
HARNESS_DOVECOT=1
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

PROBE=$QA_BUILDDIR/tests/integration/imap_probe
[ -x "$PROBE" ] || tap_bail "no imap_probe in $QA_BUILDDIR (make check builds it)"
SAMPLES=$QA_SRCDIR/tests/data/mail/demo
VPOP=$RUN/vpopmail

"$CTL" domain add emak.se Postm4ster >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
"$CTL" user add klient1@emak.se Klient1pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"

OUT=''
imap() {	# imap USER PASSWORD COMMAND ARGS...: one IMAP session; OUT gets its answer
	OUT=$(imap_probe_as "$PROBE" "$IMAP_PORT" "$@" 2>>"$RUN/imap_probe.err") || true
}
line_of() {	# line_of PREFIX: the first line of OUT starting with PREFIX
	printf '%s\n' "$OUT" | grep -m 1 -F -- "$1" || true
}
vpasswd_home() {	# vpasswd_home USER DOMAIN: the home field (6th) of USER's vpasswd line
	awk -F: -v u="$1" '$1 == u { print $6 }' "$VPOP/domains/$2/vpasswd"
}
maildir_file() {	# maildir_file MAILDIR MESSAGE-ID: the file holding that message
	grep -l -r -F -- "Message-ID: <$2>" "$1/cur" "$1/new" 2>/dev/null | head -n 1
}
loopback_only() {	# every socket on IMAP_PORT is bound to 127.0.0.1
	local addrs
	command -v ss >/dev/null 2>&1 || return 0
	addrs=$(ss -Hltn "( sport = :$IMAP_PORT )" | awk '{ print $4 }' | sort -u)
	[ -n "$addrs" ] && [ "$(printf '%s\n' "$addrs" | grep -v -c '^127\.0\.0\.1:')" = 0 ]
}

# ---- the harness's Dovecot, and the app pointed at it
tap_like "IMAP_PORT is exported" "$(bash -c 'echo "${IMAP_PORT-}"')" '^[0-9]+$'
tap_ok "Dovecot greets on 127.0.0.1:IMAP_PORT" qa_imap_greeting 127.0.0.1 "$IMAP_PORT"
tap_ok "... and listens on 127.0.0.1 only" loopback_only
tap_is "the app's config: imap_host = 127.0.0.1" "$(sed -n 's/^imap_host = //p' "$QMAILADMIN_CONF")" 127.0.0.1
tap_is "... imap_port = IMAP_PORT, set once" "$(sed -n 's/^imap_port = //p' "$QMAILADMIN_CONF")" "$IMAP_PORT"
http /cgi-bin/qmailadmin/login
tap_is "... and the app started with that config" "$STATUS" 200

# ---- logins, against the vpasswd files that qmailadmin-ctl writes
imap klient1@emak.se Klient1pw login
tap_is "klient1 logs in with its password" "$OUT" ok
imap klient1@emak.se wrong login
tap_like "... not with a wrong one" "$OUT" '^error auth: '
imap KLIENT1@Emak.SE Klient1pw login
tap_is "... the address in any case" "$OUT" ok
imap postmaster@emak.se Postm4ster login
tap_is "the domain's postmaster logs in" "$OUT" ok
imap sen@emak.se Sen1pw login
tap_like "a user not yet made is refused" "$OUT" '^error auth: '
vpasswd_change emak.se "$CTL" user add sen@emak.se Sen1pw >/dev/null
imap sen@emak.se Sen1pw login
tap_is "... and logs in once it is made (no negative caching)" "$OUT" ok
"$CTL" domain add exempel.se Postm4ster >/dev/null
"$CTL" user add anna@exempel.se Anna1pw >/dev/null
imap anna@exempel.se Anna1pw login
tap_is "a user of a domain added after Dovecot started logs in" "$OUT" ok
imap anna@emak.se Anna1pw login
tap_like "... but not as a user of another domain" "$OUT" '^error auth: '
vpasswd_change emak.se "$CTL" user passwd klient1@emak.se Nytt1pw >/dev/null
imap klient1@emak.se Nytt1pw login
tap_is "a changed password works (vpasswd_change; the cache looks it up again)" "$OUT" ok
imap klient1@emak.se Nytt1pw caps
tap_like "SORT and ESEARCH are offered" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" 'SORT ESEARCH'
imap anna@exempel.se Anna1pw list
tap_is "a new mailbox has only INBOX (Sent, Drafts, Trash are made by webmail)" \
	"$(printf '%s\n' "$OUT" | cut -f 1)" INBOX
tap_is "... and no Maildir++ folder on disk" \
	"$(find "$(vpasswd_home anna exempel.se)/Maildir" -mindepth 1 -maxdepth 1 -type d -name '.*' | wc -l)" 0

# ---- mail_append: over IMAP, into the Maildir of the home vpasswd names
HOME1=$(vpasswd_home klient1 emak.se)
MAILDIR=$HOME1/Maildir
tap_is "klient1's vpasswd home is the one Dovecot serves" "$HOME1" "$VPOP/domains/emak.se/klient1"
uid=$(mail_append klient1@emak.se Nytt1pw INBOX "$SAMPLES/01-fika.eml" '\Seen') || uid=failed
tap_is "mail_append prints the new UID" "$uid" 1
file=$(maildir_file "$MAILDIR" demo-01-fika@emak.se)
tap_like "... the message is in klient1's Maildir, \\Seen (:2,S)" "$file" "^$MAILDIR/cur/.*:2,S\$"
tap_ok "... byte for byte (Dovecot keeps LF line ends)" cmp -s "$file" <(tr -d '\r' <"$SAMPLES/01-fika.eml")
uid=$(mail_append klient1@emak.se Nytt1pw INBOX "$SAMPLES/03-rakning.eml" '\Seen \Flagged') || uid=failed
tap_is "flags in one word: UID 2" "$uid" 2
tap_like "... \\Flagged and \\Seen on disk (:2,FS)" "$(maildir_file "$MAILDIR" demo-03-rakning@smorgasbordet.example)" ':2,FS$'
uid=$(mail_append klient1@emak.se Nytt1pw INBOX "$SAMPLES/02-nyhetsbrev.eml") || uid=failed
tap_is "no flags: UID 3" "$uid" 3
imap klient1@emak.se Nytt1pw status INBOX
tap_like "Dovecot's index knows them: 3 messages, 1 unseen" "$OUT" '^messages=3 .* unseen=1$'
imap klient1@emak.se Nytt1pw fetch INBOX 1
tap_is "... the subject as sent" "$(line_of subject=)" "subject=Fika på fredag – vem tar med kanelbullar?"
uid=$(mail_append klient1@emak.se Nytt1pw Trash "$SAMPLES/04-paminnelse.eml" '\Flagged') || uid=failed
tap_is "a missing mailbox (Trash) is made first: UID 1 there" "$uid" 1
tap_ok "... on disk as .Trash" test -n "$(maildir_file "$MAILDIR/.Trash" demo-04-paminnelse@emak.se)"
err=$(mail_append klient1@emak.se wrong INBOX "$SAMPLES/01-fika.eml" 2>&1 >/dev/null) && rc=0 || rc=$?
tap_is "a wrong password: mail_append fails" "$rc" 1
tap_like "... and says why" "$err" 'error auth'
mail_append klient1@emak.se Nytt1pw INBOX "$RUN/no-such.eml" 2>/dev/null && rc=0 || rc=$?
tap_is "a missing file: mail_append fails" "$rc" 1
imap klient1@emak.se Nytt1pw status INBOX
tap_like "... neither added a message" "$OUT" '^messages=3 '

# ---- no Dovecot outlives a test: a test of its own, ended two ways
no_process_with() {	# no_process_with TEXT: no process's command line contains TEXT
	local f args
	for f in /proc/[0-9]*/cmdline; do
		mapfile -d '' args 2>/dev/null <"$f" || continue
		[[ " ${args[*]-} " == *"$1"* ]] && return 1
	done
	return 0
}
inner() {	# inner FILE SHELL-CODE &: a HARNESS_DOVECOT test (in the background,
	# so that $! is its pid) that writes "PGID RUN PORT" of its Dovecot to
	# FILE, then runs SHELL-CODE
	QA_SRCDIR=$QA_SRCDIR QA_BUILDDIR=$QA_BUILDDIR exec bash -c '
		. "$QA_SRCDIR/tests/lib/tap.sh"
		HARNESS_STORE=1 HARNESS_DOVECOT=1 HARNESS_START=none
		. "$QA_SRCDIR/tests/lib/harness.sh"
		echo "$(svc_pid dovecot) $RUN $IMAP_PORT" >"$1"
		eval "$2"' _ "$@" >/dev/null 2>&1
}
gone() {	# gone PGID RUN PORT: nothing of that Dovecot is left
	! svc_group_alive "$1" && [ ! -e "$2" ] && ! qa_tcp_open 127.0.0.1 "$3" &&
		no_process_with "$2/dovecot" && no_process_with "qa-imap-$3/"
}
pgid=0 run=/nonexistent port=0
inner "$RUN/inner.1" 'tap_ok inner true; harness_done' &
wait $! || true
read -r pgid run port <"$RUN/inner.1" || true
tap_like "a test's own Dovecot ran" "$pgid $port" '^[1-9][0-9]* [1-9][0-9]*$'
tap_ok "... and is gone when the test ends (group, run dir, port, processes)" gone "$pgid" "$run" "$port"
pgid=0 run=/nonexistent port=0
mkfifo "$RUN/inner.wait"
# (a trapped signal ends the read builtin at once; it never gets a line)
inner "$RUN/inner.2" "read -r -t 20 _ <>'$RUN/inner.wait'" &
inner_pid=$!
for _ in $(seq 1 500); do [ -s "$RUN/inner.2" ] && break; sleep 0.02; done
read -r pgid run port <"$RUN/inner.2" || true
tap_ok "another is killed (SIGTERM) while its Dovecot runs" svc_group_alive "$pgid"
kill -TERM "$inner_pid" 2>/dev/null || true
wait "$inner_pid" 2>/dev/null || true
tap_ok "... and leaves nothing of it either" gone "$pgid" "$run" "$port"

harness_done
