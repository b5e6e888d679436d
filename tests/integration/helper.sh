#!/bin/bash
# qmailadmin-helper through its protocol: login, tickets, roles and scopes,
# throttling, expiry, logout, hostile frames, and (as root) that a setuid
# helper ignores QMAILADMIN_CONF. The request frames are built by
# tests/lib/helper_client.py, independent code written from the protocol's
# description in common/proto.h.
set -u
. "$QA_SRCDIR/tests/lib/tap.sh"
. "$QA_SRCDIR/scripts/lib.sh"

HELPER=$QA_BUILDDIR/qmailadmin-helper
CTL=$QA_BUILDDIR/qmailadmin-ctl
[ -x "$HELPER" ] && [ -x "$CTL" ] || tap_skip_all "helper or ctl not built"
command -v python3 >/dev/null || tap_skip_all "python3 missing"

RUN=$(mktemp -d /tmp/qa-helper.XXXXXX)
cleanup() { [ "${KEEP-}" = 1 ] || rm -rf "$RUN"; }
trap cleanup EXIT
# As root the helper becomes the vpopmail user for most operations, as it
# does when installed setuid (store_layout in scripts/lib.sh).
mapfile -t store < <(store_layout "$RUN")
write_conf() {	# write_conf [extra lines]
	printf '%s\n' "${store[@]}" "login_fail_limit = 3" "$*" >"$RUN/qmailadmin.conf"
}
write_conf
export QMAILADMIN_CONF=$RUN/qmailadmin.conf

call() {	# call OP key=value...: the helper's answer as "key value" lines
	python3 "$QA_SRCDIR/tests/lib/helper_client.py" "$HELPER" "$@"
}
get() {		# get KEY ANSWER
	printf '%s\n' "$2" | sed -n "s/^$1 //p" | head -n 1
}

# The old manual's setup, through the CLI.
"$CTL" domain add emak.se Postm4ster >/dev/null
"$CTL" domain add other.se Oth3rpw >/dev/null
"$CTL" user add klient1@emak.se Klient1pw -c "Klient 1" >/dev/null
"$CTL" user add klient2@emak.se Klient2pw -c "Klient 2" >/dev/null
"$CTL" superadmin-password admin Sup3rpw >/dev/null
tap_ok "setup through qmailadmin-ctl" test -s "$RUN/vpopmail/domains/emak.se/vpasswd"

# --- login and tickets
a=$(call login user=postmaster@emak.se password=Postm4ster remote=127.0.0.1)
tap_is "postmaster logs in" "$(get status "$a")" ok
tap_is "postmaster is a domain admin" "$(get head.role "$a")" domainadmin
PM=$(get head.ticket "$a")
tap_like "the ticket is SID.MAC" "$PM" '^[0-9a-f]{32}\.[0-9a-f]{64}$'
a=$(call whoami ticket="$PM")
tap_is "whoami names the postmaster" "$(get head.name "$a")" postmaster@emak.se

forged=$(printf '%s' "$PM" | sed 's/.$/0/;t')
[ "$forged" = "$PM" ] && forged=$(printf '%s' "$PM" | sed 's/.$/1/')
a=$(call whoami ticket="$forged")
tap_is "an altered ticket is refused" "$(get status "$a")" expired
a=$(call whoami ticket="../../etc/passwd")
tap_is "garbage as a ticket is refused" "$(get status "$a")" expired
a=$(call user.list domain=emak.se)
tap_is "no ticket, no data" "$(get status "$a")" expired

# --- scopes
a=$(call user.list ticket="$PM" domain=emak.se)
tap_is "postmaster lists its users" "$(get status "$a")" ok
tap_is "three mailboxes in emak.se" "$(get head.total "$a")" 3
tap_is "the answer names the caller" "$(get head.me.name "$a")" postmaster@emak.se
a=$(call user.list ticket="$PM" domain=other.se)
tap_is "postmaster of emak.se cannot see other.se" "$(get status "$a")" denied
tap_is "... and the refusal still names the caller" "$(get head.me.name "$a")" postmaster@emak.se
tap_is "... with its role and domain" "$(get head.me.role "$a") $(get head.me.domain "$a")" "domainadmin emak.se"
a=$(call user.get ticket="$PM" user=postmaster@other.se)
tap_is "nor its mailboxes" "$(get status "$a")" denied
a=$(call domain.add ticket="$PM" domain=evil.se)
tap_is "a domain admin cannot add domains" "$(get status "$a")" denied
tap_ok "and nothing was created" test ! -e "$RUN/vpopmail/domains/evil.se"

a=$(call login user=klient1@emak.se password=Klient1pw)
K1=$(get head.ticket "$a")
tap_is "a mailbox owner is a user" "$(get head.role "$a")" user
a=$(call user.get ticket="$K1" user=klient1@emak.se)
tap_is "klient1 reads itself" "$(get item1.gecos "$a")" "Klient 1"
a=$(call user.get ticket="$K1" user=klient2@emak.se)
tap_is "klient1 cannot read klient2" "$(get status "$a")" denied
a=$(call user.passwd ticket="$K1" user=klient2@emak.se password=Hacked1)
tap_is "klient1 cannot set klient2's password" "$(get status "$a")" denied
a=$(call user.list ticket="$K1" domain=emak.se)
tap_is "klient1 cannot list the domain" "$(get status "$a")" denied
a=$(call user.passwd ticket="$K1" user=klient1@emak.se password=Nytt9pw)
tap_is "its own password needs the current one" "$(get status "$a")" auth
tap_is "... named" "$(get field "$a")" current
a=$(call user.passwd ticket="$K1" user=klient1@emak.se current=Klient1pw password=Nytt9pw)
tap_is "klient1 changes its own password" "$(get status "$a")" ok
a=$(call login user=klient1@emak.se password=Nytt9pw)
tap_is "and logs in with it" "$(get status "$a")" ok

"$CTL" user mod klient2@emak.se -f no_password_change >/dev/null
K2=$(get head.ticket "$(call login user=klient2@emak.se password=Klient2pw)")
a=$(call user.passwd ticket="$K2" user=klient2@emak.se password=Other9pw)
tap_is "no_password_change is enforced" "$(get status "$a")" denied
"$CTL" user mod klient2@emak.se -f admin >/dev/null
a=$(call user.list ticket="$K2" domain=emak.se)
tap_is "the admin flag makes klient2 a domain admin at once" "$(get status "$a")" ok

# --- user.mod: the edit page's whole save in one request, checked whole
# before anything is written: full name, quota, flags, password, forward
"$CTL" user add klient3@emak.se Klient3pw -c "Klient 3" >/dev/null
D=$RUN/vpopmail/domains/emak.se
field3() {	# field3 N: field N of klient3's vpasswd line
	grep '^klient3:' "$D/vpasswd" | cut -d: -f"$1"
}
snap() {	# snap: the domain's files, to show that nothing changed
	(cd "$D" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
before=$(snap)
a=$(call user.mod ticket="$PM" user=klient3@emak.se "gecos=Klient Tre" password=Tre3pwx quota=10M \
	flags=no_pop targets=nobody-here save_copy=1)
tap_is "user.mod with a forward to an unknown name is refused" "$(get status "$a")" not_found
tap_is "... naming targets" "$(get field "$a")" targets
tap_is "... and nothing changed: not the full name, password, quota, flags" "$(snap)" "$before"
a=$(call user.mod ticket="$PM" user=klient3@emak.se "gecos=Klient Tre" quota=lots targets=klient1)
tap_is "a bad quota with a good forward is refused" "$(get status "$a")" invalid
tap_is "... naming the quota" "$(get field "$a")" quota
tap_is "... and the forward was not written" "$(snap)" "$before"
a=$(call user.mod ticket="$PM" user=klient3@emak.se "gecos=a:b" targets=klient1)
tap_is "a full name with a colon and a good forward is refused" "$(get status "$a")" invalid
a=$(call user.mod ticket="$PM" user=klient3@emak.se flags=root targets=klient1)
tap_is "an unknown flag and a good forward are refused" "$(get status "$a")" invalid
a=$(call user.mod ticket="$PM" user=klient3@emak.se targets=klient3@emak.se)
tap_is "a forward to itself is refused" "$(get status "$a")" invalid
tap_is "... and none of these changed anything" "$(snap)" "$before"
a=$(call user.mod ticket="$PM" user=klient3@emak.se "gecos=Klient Tre" password=Tre3pwx quota=10M \
	flags=no_pop "targets=klient1, far@example.org" save_copy=1)
tap_is "user.mod: full name, password, quota, flags and forward in one request" "$(get status "$a")" ok
tap_is "... the vpasswd line" "$(field3 4):$(field3 5):$(field3 7)" "2:Klient Tre:10485760S"
if command -v cdb >/dev/null; then
	tap_is "... vpasswd.cdb agrees" "$(cdb -q "$D/vpasswd.cdb" klient3)" "$(grep '^klient3:' "$D/vpasswd" | cut -d: -f2-)"
fi
tap_is "... the .qmail: forwards, then the Maildir" "$(cat "$D/klient3/.qmail")" "&klient1@emak.se
&far@example.org
$D/klient3/Maildir/"
tap_is "... the new password logs in" "$(get status "$(call login user=klient3@emak.se password=Tre3pwx)")" ok
ino=$(stat -c %i "$D/vpasswd")
a=$(call user.mod ticket="$PM" user=klient3@emak.se targets=)
tap_is "user.mod with only targets= (normal delivery)" "$(get status "$a")" ok
tap_ok "... removes the .qmail" test ! -e "$D/klient3/.qmail"
tap_is "... and leaves vpasswd alone (no rewrite)" "$(stat -c %i "$D/vpasswd")" "$ino"
a=$(call user.mod ticket="$PM" user=klient3@emak.se random=1)
pw=$(get head.password "$a")
tap_like "user.mod random=1 answers the new password" "$pw" '^[^ ]{8,}$'
tap_is "... which logs in" "$(get status "$(call login user=klient3@emak.se password="$pw")")" ok
# The vpasswd rewrite comes after the .qmail; when it fails (here: its lock
# file is a directory), the .qmail is put back as it was.
"$CTL" forward set klient3@emak.se klient1 --copy >/dev/null
owner=$(stat -c %u:%g "$D/.vpasswd.lock")
before=$(snap)
rm -f "$D/.vpasswd.lock"
mkdir "$D/.vpasswd.lock"
a=$(call user.mod ticket="$PM" user=klient3@emak.se "gecos=Never" targets=far@example.org)
tap_is "a save whose vpasswd rewrite fails is refused" "$(get status "$a")" io
rmdir "$D/.vpasswd.lock"
: >"$D/.vpasswd.lock"
chown "$owner" "$D/.vpasswd.lock"
tap_is "... the .qmail is as it was, and the rest too" "$(snap)" "$before"
tap_is "... still forwarding to klient1 with a copy" "$(cat "$D/klient3/.qmail")" "&klient1@emak.se
$D/klient3/Maildir/"
a=$(call user.mod ticket="$K1" user=klient3@emak.se "gecos=Owned" targets=x@example.org)
tap_is "a mailbox owner cannot use user.mod" "$(get status "$a")" denied

a=$(call login user=admin password=Sup3rpw)
SA=$(get head.ticket "$a")
tap_is "the superadmin logs in" "$(get head.role "$a")" superadmin
a=$(call domain.list ticket="$SA")
tap_is "the superadmin lists domains" "$(get head.total "$a")" 2

# --- throttling: limit 3 per account
for _ in 1 2 3; do call login user=klient2@emak.se password=wrong >/dev/null; done
a=$(call login user=klient2@emak.se password=Klient2pw)
tap_is "after 3 failures even the right password is throttled" "$(get status "$a")" throttled
a=$(call login user=nosuch@emak.se password=x)
tap_is "an unknown user gets the same answer as a wrong password" "$(get status "$a")" auth

# --- logout revokes
a=$(call logout ticket="$PM")
tap_is "logout" "$(get status "$a")" ok
a=$(call whoami ticket="$PM")
tap_is "the ticket is dead after logout" "$(get status "$a")" expired

# --- a deleted account's session dies with it
a=$(call login user=klient1@emak.se password=Nytt9pw)
K1=$(get head.ticket "$a")
"$CTL" user del klient1@emak.se >/dev/null
a=$(call whoami ticket="$K1")
tap_is "a deleted user's ticket is refused" "$(get status "$a")" expired

# --- idle expiry
write_conf "session_idle = 1s
session_max = 1h"
a=$(call login user=admin password=Sup3rpw)
T=$(get head.ticket "$a")
sleep 2.2
a=$(call whoami ticket="$T")
tap_is "an idle session expires" "$(get status "$a")" expired
write_conf

# --- hostile frames
for frame in '' '3:3:qa1,' '11:3:qa2,2:op,,' '999999999999:x' "20:3:qa1,5:login,1:x,,X"; do
	a=$(printf '%s' "$frame" | python3 "$QA_SRCDIR/tests/lib/helper_client.py" --raw-stdin "$HELPER")
	tap_is "malformed frame '$frame' is a protocol error" "$(get status "$a")" protocol
done
a=$(head -c 70000000 /dev/zero | tr '\0' 9 | python3 "$QA_SRCDIR/tests/lib/helper_client.py" --raw-stdin "$HELPER")
tap_is "an oversized frame is refused" "$(get status "$a")" protocol
a=$(call no.such.op)
tap_is "an unknown operation is refused" "$(get status "$a")" protocol
SA=$(get head.ticket "$(call login user=admin password=Sup3rpw)")
a=$(call user.add ticket="$SA" user="../x@emak.se" password=x)
tap_is "a hostile user name is refused by the helper" "$(get status "$a")" invalid

# --- setuid: the environment's config is ignored
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	cp "$HELPER" "$RUN/suid-helper"
	chown root:root "$RUN/suid-helper"
	chmod 4755 "$RUN/suid-helper"
	a=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups \
		env QMAILADMIN_CONF="$RUN/qmailadmin.conf" \
		python3 "$QA_SRCDIR/tests/lib/helper_client.py" "$RUN/suid-helper" whoami ticket="$SA")
	tap_like "setuid: QMAILADMIN_CONF is ignored, the built-in path is used" \
		"$(get detail "$a")" 'qmailadmin\.conf'
	tap_unlike "setuid: the test config was not read" "$(get detail "$a")" "$RUN"
fi

tap_done
