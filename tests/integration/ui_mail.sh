#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# ui_mail.sh: webmail's sessions, message list, actions and folders through
# nginx, the app, the real helper and a real Dovecot (HARNESS_DOVECOT=1)
# serving the Maildirs of the store qmailadmin-ctl fills. The mailbox
# password is split between the helper's session file and the qa_wm cookie,
# neither of which holds it; the list pages, sorts and searches; marking,
# moving, deleting and emptying Trash change the Maildir on disk; folders
# are made, renamed and removed; the no-webmail flag, CSRF, logout and a
# foreign key are refused; hostile headers are shown as text; en and sv.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
HARNESS_DOVECOT=1
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

ctl domain add emak.se Postm4ster
ctl user add klient1@emak.se Klient1pw
ctl user add klient2@emak.se Klient2pw
ctl user add klient3@emak.se Klient3pw
ctl user mod klient3@emak.se -f no_webmail

# shellcheck source=tests/lib/session.sh
. "$QA_SRCDIR/tests/lib/session.sh"

DOM=$RUN/vpopmail/domains/emak.se
MD=$(awk -F: '$1 == "klient1" { print $6 }' "$DOM/vpasswd")/Maildir
DATA=$QA_SRCDIR/tests/data/mail
TMP=$RUN/mailtmp
mkdir -p "$TMP"

msg() {	# msg N SUBJECT FROM [DATE]: a small message file, CRLF, path printed
	local f=$TMP/m$1.eml
	printf 'From: %s\r\nTo: klient1@emak.se\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <m%s@test>\r\n\r\nBody of message %s, with the word %s.\r\n' \
		"$3" "$2" "${4:-Mon, 2 Nov 2026 10:00:00 +0100}" "$1" "$1" "word$1" >"$f"
	echo "$f"
}
append() {	# append FILE [FLAG...]: into klient1's INBOX; UID printed
	mail_append klient1@emak.se Klient1pw INBOX "$@" || tap_bail "cannot append $1"
}
raw_keys() {	# raw_keys: catalog keys of webmail left raw in BODY
	printf '%s\n' "$BODY" | sed 's/<[^>]*>/ /g' | grep -o -E '\b(mail|month|done)\.[a-z0-9_.]+' || true
}
maildir_flags() {	# maildir_flags MESSAGE-ID [SUBDIR]: the Maildir info flags of that message's file
	local f
	f=$(grep -l -r -F -- "Message-ID: <$1>" "$MD/${2-}cur" "$MD/${2-}new" 2>/dev/null | head -n 1)
	[ -n "$f" ] || { echo none; return; }
	case $f in *:2,*) echo "${f##*:2,}" ;; *) echo "" ;; esac
}
rows() {	# rows: the message rows' ids of the list in BODY, in order
	printf '%s\n' "$BODY" | grep -o -E '<tr id="msg-[0-9]+"' | sed 's/.*msg-//; s/"//' | tr '\n' ' '
}
session_file() {	# session_file TICKET: that session's file in the helper's state
	echo "$RUN/state/sessions/${1%%.*}"
}

# ---- logging in seals the password: half in the session file, half in the cookie
login klient1@emak.se Klient1pw
tap_is "klient1 logs in: 303" "$STATUS" 303
tap_like "the qa_wm cookie: HttpOnly, SameSite=Strict, the script's path" "$(set_cookie qa_wm)" \
	'qa_wm=[0-9a-f]{64}; .*Path=/cgi-bin/qmailadmin.*HttpOnly|HttpOnly.*Path=/cgi-bin/qmailadmin'
tap_like "... SameSite=Strict" "$(set_cookie qa_wm)" 'SameSite=Strict'
SESSION=$(cookie_value qa_session)
WMKEY=$(cookie_value qa_wm)
CSRF=$(printf '%scsrf' "$SESSION" | sha256sum | cut -c1-32)
SF=$(session_file "$SESSION")
[ -f "$SF" ] || SF=$(grep -l -r 'klient1@emak.se' "$RUN"/*/sessions 2>/dev/null | head -n 1)
tap_like "the session file holds a sealed half (wm line)" "$(cat "$SF" 2>/dev/null)" $'\nwm [0-9a-f]+'
tap_ok "... and not the password, in any form we know" \
	bash -c "! grep -a -q -e Klient1pw -e $(printf Klient1pw | xxd -p) '$SF'"
tap_unlike "the key is not in the session file" "$(cat "$SF" 2>/dev/null)" "$WMKEY"
get /
tap_is "the start page sends a mailbox owner to /mail" "$(hdr Location)" "$S/mail"

# ---- an empty INBOX; Sent, Drafts and Trash are made when missing
get /mail
tap_is "/mail: 200" "$STATUS" 200
tap_is "... says the folder is empty" "$(text_of no-messages)" "This folder is empty."
tap_ok "... Sent, Drafts and Trash made on disk" test -d "$MD/.Sent" -a -d "$MD/.Drafts" -a -d "$MD/.Trash"
tap_like "... the side bar lists them" "$(printf '%s\n' "$BODY" | sed 's/<[^>]*>/ /g' | tr -s ' \n' ' ')" \
	'Inbox Sent Drafts Trash'
tap_is "... the menu marks Mail" "$(html_attr "$(html_tag nav-mail)" aria-current)" page
tap_security_headers "mail list"
tap_is "... no catalog key left raw" "$(raw_keys)" ""

# ---- a list: newest first, sorts, search, paging
U1=$(append "$(msg 1 'Alpha report' 'Örjan Berg <orjan@example.se>' 'Mon, 2 Nov 2026 09:00:00 +0100')")
U2=$(append "$(msg 2 'Beta plans' 'anna@example.se' 'Tue, 3 Nov 2026 09:00:00 +0100')" '\Seen')
U3=$(append "$(msg 3 '=?utf-8?q?Gr=C3=B6t_<script>alert(1)</script>?=' '"x\" onmouseover=\"y" <z@example.se>' 'Wed, 4 Nov 2026 09:00:00 +0100')" '\Flagged')
get /mail
tap_is "three messages, newest (by date) first" "$(rows)" "$U3 $U2 $U1 "
tap_like "... unread ones marked" "$(html_tag msg-"$U1")" 'class="unseen'
tap_unlike "... a read one is not" "$(html_tag msg-"$U2")" 'unseen'
tap_like "... a flagged one is" "$(html_tag msg-"$U3")" 'flagged'
tap_like "the sender's name, RFC 2047 and UTF-8 as sent" "$BODY" 'Örjan Berg'
tap_like "a hostile subject is shown as text" "$BODY" 'Gröt &lt;script&gt;alert\(1\)&lt;/script&gt;'
tap_unlike "... never as a tag" "$BODY" '<script>alert'
tap_unlike "a hostile name cannot add an attribute" "$BODY" '" onmouseover="y'
get "/mail?sort=subject"
tap_is "sort by subject" "$(rows)" "$U1 $U2 $U3 "
tap_is "... aria-sort on that column" "$(html_attr "$(printf '%s\n' "$BODY" | grep -o -E '<th[^>]*aria-sort="[a-z]+"[^>]*><a[^>]*id="sort-subject"' | head -n 1)" aria-sort)" ascending
get "/mail?sort=-subject"
tap_is "... and the other way" "$(rows)" "$U3 $U2 $U1 "
get "/mail?sort=date"
tap_is "sort by date, oldest first" "$(rows)" "$U1 $U2 $U3 "
get "/mail?sort=no-such"
tap_is "an unknown sort is the default" "$(rows)" "$U3 $U2 $U1 "
get "/mail?q=word2"
tap_is "search finds a word in the body" "$(rows)" "$U2 "
get "/mail?q=%C3%96rjan"
tap_is "... a sender's name with non-ASCII" "$(rows)" "$U1 "
get "/mail?q=Beta"
tap_is "... a subject" "$(rows)" "$U2 "
get "/mail?q=nothing-like-this"
tap_like "... nothing found is said" "$(text_of no-messages)" 'No message matches'
for i in $(seq 10 62); do
	append "$(msg "$i" "Bulk $i" bulk@example.se "$(printf 'Thu, 5 Nov 2026 10:%02d:00 +0100' "$((i - 10))")")" >/dev/null
done
get /mail
tap_is "56 messages: page 1 shows 50" "$(rows | wc -w)" 50
tap_is "... counts them" "$(printf '%s\n' "$BODY" | sed 's/<[^>]*>//g' | grep -o -E '1–50 of 56' | head -n 1)" "1–50 of 56"
get "/mail?page=2"
tap_is "page 2 shows the last 6" "$(rows | wc -w)" 6
tap_like "... the oldest last" "$(rows)" "$U1 \$"
get "/mail?page=99"
tap_is "a page past the end shows the last" "$(rows | wc -w)" 6

# ---- marking, moving, deleting: the Maildir on disk follows
post /mail/act f=INBOX action=read uid="$U1"
tap_is "mark read: 303" "$STATUS" 303
tap_like "... back to the list with a notice" "$(hdr Location)" "^$S/mail\\?f=INBOX.*done=mail_marked"
tap_like "... \\Seen on disk (S)" "$(maildir_flags m1@test)" S
post /mail/act f=INBOX action=flag uid="$U1" uid="$U2"
tap_is "flag two at once: both F on disk" "$(maildir_flags m1@test | grep -c F) $(maildir_flags m2@test | grep -c F)" "1 1"
post /mail/act f=INBOX action=unread uid="$U2"
tap_unlike "mark unread: no S" "$(maildir_flags m2@test)" S
post /mail/act f=INBOX action=move to=Archive uid="$U1"
tap_is "a move to a folder that does not exist: 404" "$STATUS" 404
tap_like "... the message stays" "$(maildir_flags m1@test)" S
post /mail/folders action=create name=Arkiv
tap_is "create a folder: 303" "$STATUS" 303
tap_ok "... on disk, Maildir++" test -d "$MD/.Arkiv/cur"
post /mail/act f=INBOX action=move to=Arkiv uid="$U1"
tap_is "move: 303" "$STATUS" 303
tap_is "... gone from INBOX" "$(maildir_flags m1@test)" none
tap_like "... in .Arkiv, flags kept" "$(maildir_flags m1@test .Arkiv/)" S
post /mail/act f=INBOX action=delete uid="$U2"
tap_is "delete: 303" "$STATUS" 303
tap_is "... gone from INBOX" "$(maildir_flags m2@test)" none
tap_ok "... in Trash" test "$(maildir_flags m2@test .Trash/)" != none
post /mail/act f=INBOX action=delete
tap_like "nothing ticked: a notice, nothing done" "$(hdr Location)" 'done=none_ticked'
post /mail/act f=INBOX action=delete uid="1 OR 1"
tap_like "a UID that is not one: nothing done" "$(hdr Location)" 'done=none_ticked'
post /mail/act f=INBOX action=explode uid="$U3"
tap_is "an unknown action: 400" "$STATUS" 400
get '/mail?f=Trash'
post /mail/act f=Trash action=delete uid="$(rows | tr -d ' ')"
tap_is "delete in Trash: for good" "$(maildir_flags m2@test .Trash/)" none
post /mail/act f=INBOX action=delete uid="$U3"
post /mail/empty-trash
tap_is "empty Trash: 303" "$STATUS" 303
tap_is "... Trash is empty on disk" "$(find "$MD/.Trash/cur" "$MD/.Trash/new" -type f | wc -l)" 0
http -X POST "${FORM[@]}" -b "$(session_cookies)" --data "f=INBOX&action=delete&uid=$(rows | cut -d' ' -f1)" "$S/mail/act"
tap_is "a POST without the CSRF token: 403" "$STATUS" 403

# ---- folders
get /mail/folders
tap_is "folders: 200" "$STATUS" 200
tap_like "... lists Arkiv" "$BODY" 'Arkiv'
post /mail/folders action=rename name=Arkiv new='Gamla brev'
tap_is "rename: 303" "$STATUS" 303
tap_ok "... on disk" test -d "$MD/.Gamla brev/cur"
tap_like "... the mail went along" "$(maildir_flags m1@test '.Gamla brev/')" S
post /mail/folders action=create name=Sent
tap_is "creating one that exists: 409" "$STATUS" 409
tap_is "... says so" "$(text_of form-error)" "There is already a folder with that name."
post /mail/folders action=delete name=Trash
tap_is "deleting Trash: 403" "$STATUS" 403
tap_ok "... Trash stays" test -d "$MD/.Trash"
post /mail/folders action=rename name=INBOX new=Other
tap_is "renaming INBOX: 403" "$STATUS" 403
post /mail/folders action=delete name='Gamla brev'
tap_is "delete a folder: 303" "$STATUS" 303
tap_ok "... gone from disk" test ! -d "$MD/.Gamla brev"
get "/mail?f=No%20such"
tap_is "a folder that does not exist: 404" "$STATUS" 404
get "/mail?f=$(printf 'a%%0Ab')"
tap_is "a folder name with a newline: 400" "$STATUS" 400

# ---- Swedish
get "/mail/folders?lang=sv"
tap_like "folders in Swedish" "$(printf '%s\n' "$BODY" | tr '\n' ' ')" 'Inkorg.*Skickat.*Utkast.*Papperskorg'
tap_is "... no catalog key left raw" "$(raw_keys)" ""
get "/mail?lang=sv"
tap_like "the list in Swedish" "$BODY" 'Markera som läst'
tap_is "... no catalog key left raw" "$(raw_keys)" ""

# ---- the halves alone are worthless
KEEP_KEY=$WMKEY
WMKEY=
get /mail
tap_is "the ticket without the key cookie: the login form" "$(html_h1)" "Log in"
tap_like "... asking to log in again" "$BODY" 'Log in again to read your mail'
tap_ok "... and the session is ended (file gone)" test ! -f "$SF"
session_start klient1@emak.se Klient1pw
WMKEY=$KEEP_KEY
get /mail
tap_is "a new ticket with the old session's key: the login form" "$(html_h1)" "Log in"

# ---- the no-webmail flag
session_start klient3@emak.se Klient3pw
tap_is "no_webmail: no key cookie is set" "$WMKEY" ""
get /
tap_is "... the start page is the account page" "$(hdr Location)" "$S/account"
get /mail
tap_is "... /mail: 403" "$STATUS" 403
tap_like "... saying webmail is off" "$BODY" 'Webmail is turned off for this mailbox'
get /account
tap_ok "... no Mail in the menu" bash -c "! grep -q 'id=\"nav-mail\"' <<<'$BODY'"

# ---- a password change on /account re-seals the half, so the mail stays open
session_start klient2@emak.se Klient2pw
get /mail
tap_is "klient2 reads its mail: 200" "$STATUS" 200
SF2=$(session_file "$SESSION")
OLD_WM=$(sed -n 's/^wm //p' "$SF2")
vpasswd_change emak.se post /account what=password user=klient2@emak.se current=Klient2pw \
	password=Nytt2pw password2=Nytt2pw
tap_is "klient2 changes its password: 303" "$STATUS" 303
tap_unlike "... the session's sealed half is new" "$(sed -n 's/^wm //p' "$SF2")" "^$OLD_WM\$"
tap_like "... and still there" "$(sed -n 's/^wm //p' "$SF2")" '^[0-9a-f]+$'
get /mail
tap_is "... the mail opens with the new password, no new login" "$STATUS" 200

# ---- logout destroys the server's half
post /logout
tap_is "logout: 303" "$STATUS" 303
tap_ok "... the session file, with its sealed half, is gone" test ! -f "$SF2"
tap_like "... the key cookie is cleared" "$(set_cookie qa_wm)" 'qa_wm=;'
get /mail
tap_is "the old cookies no longer open the mail" "$(html_h1)" "Log in"

harness_done
