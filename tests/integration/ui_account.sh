#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# ui_account.sh: the start page and "My account" through nginx, the app and
# the real helper, on emak.se as the old manual makes it. A mailbox owner
# lands on /account, changes its own password (the current one is checked
# and throttled; this session stays, its others end), sets forwarding (the
# ~/.qmail file as formats.md 7.3 has it) and sees its quota; an account
# that may not change its password sees the form disabled and is refused;
# nobody changes another's mailbox by editing form fields; the domain
# admin's overview counts what the domain holds against its limits. Both
# languages, hostile values escaped, CSRF refused, the disk checked each time.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
QA_EXTRA_CONF="login_fail_limit = 3
webmail = no"
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

ctl domain add emak.se Postm4ster
ctl user add klient1@emak.se Klient1pw -q 50M -c "Klient Ett"
ctl user add klient2@emak.se Klient2pw
ctl user add klient3@emak.se Klient3pw
ctl user mod klient3@emak.se -f no_password_change
ctl domain add other.se 0therPm
ctl superadmin-password admin Sup3rpw

# shellcheck source=tests/lib/session.sh
. "$QA_SRCDIR/tests/lib/session.sh"

DOM=$RUN/vpopmail/domains/emak.se
line_of() {	# line_of LOCAL: that mailbox's vpasswd line
	grep "^$1:" "$DOM/vpasswd"
}
home_of() {	# home_of LOCAL: its home directory (vpasswd field 6)
	line_of "$1" | cut -d: -f6
}
hash_is() {	# hash_is LOCAL PASSWORD: the vpasswd hash is PASSWORD's
	local hash salt
	hash=$(line_of "$1" | cut -d: -f2)
	salt=$(printf '%s' "$hash" | cut -d'$' -f3)
	[ "$(openssl passwd -6 -salt "$salt" "$2")" = "$hash" ]
}
raw_keys() {	# raw_keys: catalog keys of this page group left in BODY
	printf '%s\n' "$BODY" | sed 's/<[^>]*>/ /g' | grep -o -E '\b(main|account)\.[a-z_.]+' || true
}
use() {	# use TICKET: later get/post go with that session (and its CSRF token)
	SESSION=$1
	CSRF=$(printf '%scsrf' "$SESSION" | sha256sum | cut -c1-32)
}
checked() {	# checked ID: "yes" when the input ID is checked
	case $(html_tag "$1") in *" checked"*) echo yes ;; *) echo no ;; esac
}

# klient1 has used 12 MB of its 50 MB in 3 messages (Maildir++ maildirsize).
K1_HOME=$(home_of klient1)
printf '52428800S\n12582912 3\n' >"$K1_HOME/Maildir/maildirsize"
chown --reference="$K1_HOME/Maildir" "$K1_HOME/Maildir/maildirsize"

# ---- without webmail (webmail = no) a mailbox owner lands on its account page
session_start klient1@emak.se Klient1pw
K1=$SESSION
tap_is "webmail = no: no qa_wm cookie at login" "$WMKEY" ""
get /
tap_is "a mailbox owner at the start page: 303" "$STATUS" 303
tap_is "... to /account" "$(hdr Location)" "$S/account"
get /mail
tap_is "... /mail is not there: 404" "$STATUS" 404
get /account
tap_is "account page: 200" "$STATUS" 200
tap_is "... h1" "$(html_h1)" "My account"
tap_is "... names the mailbox" "$(text_of who-name)" "klient1@emak.se"
tap_is "... as a user" "$(text_of who-role)" "User"
tap_is "... with its full name" "$(text_of account-gecos)" "Klient Ett"
tap_is "... the quota in use" "$(text_of usage-text)" "12 MB of 50 MB used (24%)"
tap_like "... a bar a quarter full" "$(html_tag usage-bar)" 'class="bar usage-bar"'
tap_like "... (its 25 % step)" "$BODY" '<span class="w25"></span>'
tap_is "... the messages" "$(text_of usage-messages)" "3 messages"
tap_is "... the menu marks My account" "$(html_attr "$(html_tag nav-account)" aria-current)" page
tap_is "... normal delivery is chosen" "$(checked mode-normal)" yes
tap_unlike "... the password form is not disabled" "$(html_tag password-fields)" disabled
tap_is "... the forms name the mailbox" "$(html_attr "$(printf '%s\n' "$BODY" | grep -o -E '<input[^>]*name="user"[^>]*>' | head -n 1)" value)" \
	"klient1@emak.se"
tap_security_headers "account page"
tap_is "... no catalog key left raw" "$(raw_keys)" ""

# ---- changing the password: the current one is needed, the repeat must match
session_start klient1@emak.se Klient1pw
K1B=$SESSION
use "$K1"
before=$(line_of klient1)
post /account what=password user=klient1@emak.se current=Wr0ng password=N3w-pass1 password2=N3w-pass1
tap_is "wrong current password: 401" "$STATUS" 401
tap_is "... says so" "$(text_of form-error)" "The password is not correct."
tap_like "... marks the current password field" "$(html_tag current)" 'aria-invalid="true"'
tap_unlike "... echoes no password" "$BODY" 'N3w-pass1|Wr0ng'
tap_is "... nothing changed" "$(line_of klient1)" "$before"
post /account what=password user=klient1@emak.se current=Klient1pw password=N3w-pass1 password2=N3w-pass2
tap_is "the repeat differs: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "The two new passwords are not the same."
tap_like "... marks the repeat field" "$(html_tag password2)" 'aria-invalid="true"'
tap_unlike "... the current one is not marked" "$(html_tag current)" 'aria-invalid'
tap_is "... nothing changed" "$(line_of klient1)" "$before"
post /account what=password user=klient1@emak.se current= password=N3w-pass1 password2=N3w-pass1
tap_is "no current password: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "Enter your current password."
post /account what=password user=klient1@emak.se current=Klient1pw password=N3w-pass1 password2=N3w-pass1
tap_is "the right current password: 303" "$STATUS" 303
tap_is "... back to the account page, with a notice" "$(hdr Location)" "$S/account?done=password_changed"
tap_unlike "... no password in the redirect" "$HEADERS" 'N3w-pass1|Klient1pw'
tap_ok "vpasswd holds the new password's hash" hash_is klient1 N3w-pass1
get "/account?done=password_changed"
tap_is "this session still works" "$STATUS" 200
tap_is "... and says the password changed" "$(text_of done-notice)" "The password has been changed."
start_page "$K1B" /account
tap_is "klient1's other session has ended" "$(text_of login-notice)" "Your session has ended. Please log in again."
login klient1@emak.se Klient1pw
tap_is "the old password no longer logs in" "$STATUS" 401
login klient1@emak.se N3w-pass1
tap_is "the new one does" "$STATUS" 303

# ---- forwarding (formats.md 7.3)
post /account what=forward user=klient1@emak.se mode=copy targets=fwd@example.org
tap_is "forward with a copy: 303" "$STATUS" 303
tap_is "... with a notice" "$(hdr Location)" "$S/account?done=forward_saved"
tap_is "... ~/.qmail forwards and keeps a copy" "$(cat "$K1_HOME/.qmail")" "$(printf '&fwd@example.org\n%s/Maildir/' "$K1_HOME")"
get /account
tap_is "... the page shows it: copy chosen" "$(checked mode-copy)" yes
tap_is "... the address" "$(html_attr "$(html_tag targets)" value)" fwd@example.org
post /account what=forward user=klient1@emak.se mode=only "targets=a@example.org, b@example.net"
tap_is "forward only, two addresses: 303" "$STATUS" 303
tap_is "... ~/.qmail forwards only" "$(cat "$K1_HOME/.qmail")" "$(printf '&a@example.org\n&b@example.net')"
get /account
tap_is "... the page shows forward only" "$(checked mode-only)" yes
tap_is "... both addresses" "$(html_attr "$(html_tag targets)" value)" "a@example.org,b@example.net"
post /account what=forward user=klient1@emak.se mode=only targets=
tap_is "forward only to nobody: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "Give at least one address to forward to."
tap_like "... marks the field" "$(html_tag targets)" 'aria-invalid="true"'
tap_is "... keeps the choice" "$(checked mode-only)" yes
tap_is "... nothing changed" "$(cat "$K1_HOME/.qmail")" "$(printf '&a@example.org\n&b@example.net')"
post /account what=forward user=klient1@emak.se mode=only targets=klient1@emak.se
tap_is "forward to itself: 400" "$STATUS" 400
tap_is "... a clear message" "$(text_of form-error)" \
	"Give one or more valid email addresses or mailbox names, one per line or separated by commas."
for bad in '<script>alert(1)</script>' '" onmouseover="x'; do
	post /account what=forward user=klient1@emak.se mode=copy "targets=$bad"
	tap_is "hostile target $bad: refused (400)" "$STATUS" 400
	tap_unlike "... not written raw" "$BODY" '<script>alert|" onmouseover="x'
	tap_is "... kept, escaped" "$(html_attr "$(html_tag targets)" value)" \
		"$(printf '%s' "$bad" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')"
done
tap_is "... nothing changed" "$(cat "$K1_HOME/.qmail")" "$(printf '&a@example.org\n&b@example.net')"
post /account what=forward user=klient1@emak.se mode=normal targets=ignored@example.org
tap_is "back to normal delivery: 303" "$STATUS" 303
tap_ok "... ~/.qmail is gone" test ! -e "$K1_HOME/.qmail"

# ---- nobody changes another's mailbox by editing the form
k2=$(line_of klient2)
post /account what=password user=klient2@emak.se current=N3w-pass1 password=H4cked-pw password2=H4cked-pw
tap_is "klient1 posts klient2's password: 403" "$STATUS" 403
tap_is "... refused by the helper" "$(text_of form-error)" "You are not allowed to do that."
tap_is "... klient2's line unchanged" "$(line_of klient2)" "$k2"
post /account what=forward user=klient2@emak.se mode=only targets=thief@example.org
tap_is "klient1 posts klient2's forwarding: 403" "$STATUS" 403
tap_ok "... klient2 has no ~/.qmail" test ! -e "$(home_of klient2)/.qmail"
session_start postmaster@other.se 0therPm
post /account what=password user=klient1@emak.se current=0therPm password=H4cked-pw password2=H4cked-pw
tap_is "another domain's postmaster: 403" "$STATUS" 403
tap_ok "... klient1's password unchanged" hash_is klient1 N3w-pass1
post /account what=forward user=klient1@emak.se mode=only targets=thief@example.org
tap_is "... nor its forwarding (403)" "$STATUS" 403
tap_ok "... no ~/.qmail" test ! -e "$K1_HOME/.qmail"
get "/?domain=emak.se"
tap_is "... nor may it see emak.se's overview (403)" "$STATUS" 403

# ---- CSRF
use "$K1"
k1=$(line_of klient1)
http -X POST "${FORM[@]}" -b "qa_session=$K1" --data-urlencode what=password --data-urlencode user=klient1@emak.se \
	--data-urlencode current=N3w-pass1 --data-urlencode password=Csrf-pw1 --data-urlencode password2=Csrf-pw1 "$S/account"
tap_is "a password post without a token: 403" "$STATUS" 403
http -X POST "${FORM[@]}" -b "qa_session=$K1" --data-urlencode csrf=0123456789abcdef0123456789abcdef \
	--data-urlencode what=forward --data-urlencode mode=only --data-urlencode targets=x@example.org \
	--data-urlencode user=klient1@emak.se "$S/account"
tap_is "a forward post with a wrong token: 403" "$STATUS" 403
tap_is "... neither changed anything" "$(line_of klient1)" "$k1"
tap_ok "... no ~/.qmail" test ! -e "$K1_HOME/.qmail"
post /account what=other
tap_is "an unknown form: 400" "$STATUS" 400

# ---- an account that may not change its password
session_start klient3@emak.se Klient3pw
get /account
tap_like "no_password_change: the fields are disabled" "$(html_tag password-fields)" ' disabled'
tap_is "... and the page says why" "$(text_of password-locked)" \
	"Your administrator has turned off password changes for this account. Ask them to change it for you."
k3=$(line_of klient3)
post /account what=password user=klient3@emak.se current=Klient3pw password=N3w-pass3 password2=N3w-pass3
tap_is "... a post anyway: 403" "$STATUS" 403
tap_is "... refused with the reason" "$(text_of form-error)" "This account may not change its password."
tap_is "... nothing changed" "$(line_of klient3)" "$k3"
post /account what=forward user=klient3@emak.se mode=copy targets=k3@example.org
tap_is "... forwarding it may still set" "$STATUS" 303

# ---- wrong current passwords are throttled like failed logins (limit 3)
session_start klient2@emak.se Klient2pw
for _ in 1 2 3; do
	post /account what=password user=klient2@emak.se current=Wr0ng password=N3w-pass2 password2=N3w-pass2
done
tap_is "the third wrong current password: 401" "$STATUS" 401
post /account what=password user=klient2@emak.se current=Klient2pw password=N3w-pass2 password2=N3w-pass2
tap_is "then even the right one: 429" "$STATUS" 429
tap_is "... too many attempts" "$(text_of form-error)" "Too many failed attempts. Please try again in a few minutes."
tap_is "... nothing changed" "$(line_of klient2)" "$k2"
login klient2@emak.se Klient2pw
tap_is "... and logging in is throttled too" "$STATUS" 429

# ---- the domain admin's overview
session_start postmaster@emak.se Postm4ster
get /
tap_is "postmaster's start page: 200" "$STATUS" 200
tap_is "... says welcome" "$(html_h1)" "Welcome"
tap_is "... names the postmaster" "$(text_of who-name)" "postmaster@emak.se"
tap_is "... a domain administrator" "$(text_of who-role)" "Domain administrator"
tap_is "... the domain" "$(text_of overview-heading)" "Domain emak.se"
tap_is "... 4 mailboxes, no limit" "$(text_of count-users)" "4 used, no limit"
tap_is "... no forwards yet" "$(text_of count-forwards)" "0 used, no limit"
tap_is "... the catch-all in words" "$(text_of catchall-text)" "Deleted."
tap_is "... no alias domains" "$(text_of alias-domains)" "0"
tap_is "... the default limits apply" "$(text_of limits-source)" "The default limits of this server apply to this domain."
for l in go-users:/users go-user-add:/users/add go-aliases:/aliases go-catchall:/catchall \
	go-limits:/domains/limits go-account:/account; do
	tap_is "... links ${l%%:*} to ${l#*:}" "$(html_attr "$(html_tag "${l%%:*}")" href)" "$S${l#*:}"
done
tap_is "... the menu marks the overview" "$(html_attr "$(html_tag nav-main)" aria-current)" page
tap_is "... no catalog key left raw" "$(raw_keys)" ""
ctl limits set emak.se maxpopaccounts=6 maxforwards=4 default_quota=52428800
ctl alias set info@emak.se klient1
ctl alias set sales@emak.se fwd@example.org
ctl alias blackhole spam@emak.se
ctl user add klient4@emak.se Klient4pw
ctl catchall set emak.se user klient1
ctl domain alias emak.nu emak.se
get /
tap_is "after changes: 5 of 6 mailboxes" "$(text_of count-users)" "5 of 6 used, 1 left"
tap_like "... that bar warns" "$BODY" 'class="bar warn" aria-hidden="true"><span class="w85">'
tap_is "... 3 of 4 forwards (a blackhole counts)" "$(text_of count-forwards)" "3 of 4 used, 1 left"
tap_like "... under 80 %: a plain bar" "$BODY" 'class="bar" aria-hidden="true"><span class="w75">'
tap_is "... the catch-all goes to klient1" "$(text_of catchall-text)" "Delivered to the mailbox klient1."
tap_is "... one alias domain" "$(text_of alias-domains)" "1"
tap_is "... new mailboxes get 50 MB" "$(text_of default-quota)" "50 MB"
tap_is "... the limits are the domain's own" "$(html_tag limits-source)" ""
ctl alias set more@emak.se klient2
get /
tap_is "at the limit: none left" "$(text_of count-forwards)" "4 of 4 used, 0 left"
tap_like "... a full bar" "$BODY" 'class="bar full" aria-hidden="true"><span class="w100">'
get "/?lang=sv"
tap_is "Swedish overview" "$(html_h1)" "Välkommen"
tap_is "... counts in Swedish" "$(text_of count-users)" "5 av 6 används, 1 kvar"
tap_is "... the catch-all in Swedish" "$(text_of catchall-text)" "Levereras till brevlådan klient1."
tap_is "... no catalog key left raw" "$(raw_keys)" ""
# A hand edit of vpasswd (newer than its cdb) is counted too.
cp -p "$DOM/vpasswd" "$RUN/vpasswd.saved"
printf 'hand:x:1:0:Hand:%s/hand:NOQUOTA\n' "$DOM" >>"$DOM/vpasswd"
get "/?lang=en"
tap_is "a hand-edited vpasswd is counted (the cdb lags it)" "$(text_of count-users)" "6 of 6 used, 0 left"
cp -p "$RUN/vpasswd.saved" "$DOM/vpasswd"
ctl catchall set emak.se forward "x@example.org"
get /
tap_is "the catch-all forwarding" "$(text_of catchall-text)" "Forwarded to x@example.org."
ctl catchall set emak.se bounce
get /
tap_is "the catch-all bouncing" "$(text_of catchall-text)" "Returned to the sender."
get /account
tap_is "the postmaster's own account page" "$(text_of who-name)" "postmaster@emak.se"
tap_is "... as a domain administrator" "$(text_of who-role)" "Domain administrator"
post /account what=password user=postmaster@emak.se current=Wr0ng password=N3w-pm1 password2=N3w-pm1
tap_is "... its own password needs the current one too (401)" "$STATUS" 401
post /account what=password user=postmaster@emak.se current=Postm4ster password=N3w-pm1 password2=N3w-pm1
tap_is "... with it: 303" "$STATUS" 303
tap_ok "... changed" hash_is postmaster N3w-pm1

# ---- the superadmin: another domain's overview by name; no account page
session_start admin Sup3rpw
get "/?domain=emak.se"
tap_is "the superadmin's overview of emak.se: 200" "$STATUS" 200
tap_is "... counts" "$(text_of count-users)" "5 of 6 used, 1 left"
tap_is "... links carry the domain" "$(html_attr "$(html_tag go-users)" href)" "$S/users?domain=emak.se"
tap_is "... no My account tile" "$(html_tag go-account)" ""
get /account
tap_is "the superadmin has no account page: 403" "$STATUS" 403

# ---- Swedish account page
use "$K1"
get "/account?lang=sv"
tap_is "Swedish account page" "$(html_h1)" "Mitt konto"
tap_is "... the quota in Swedish" "$(text_of usage-text)" "12 MB av 50 MB används (24 %)"
tap_is "... role" "$(text_of who-role)" "Användare"
tap_is "... no catalog key left raw" "$(raw_keys)" ""
post "/account?lang=sv" what=password user=klient1@emak.se current=N3w-pass1 password=a password2=b
tap_is "... errors in Swedish" "$(text_of form-error)" "De två nya lösenorden är inte likadana."

harness_done
