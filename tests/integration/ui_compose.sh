#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# ui_compose.sh: writing mail in webmail (/mail/compose) through nginx, the
# app and the real helper, a real Dovecot (HARNESS_DOVECOT=1) and a real
# Exim (HARNESS_EXIM=1) that delivers into the store's Maildirs. klient1
# sends klient2 two attachments (every byte value; a Swedish file name) as
# a multipart post; Exim delivers; klient2 reads it and downloads both,
# byte-identical; the copy in klient1's Sent is \Seen. A reply carries
# In-Reply-To and References; a forward as attachment a message/rfc822
# part. CR or LF in a subject or an address is refused and nothing is
# sent; a relay that refuses a recipient (550) or cannot be reached gives
# the translated error and keeps the draft; drafts are saved, resumed and
# removed once sent; no CSRF token, 403; en and sv.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
HARNESS_DOVECOT=1
HARNESS_EXIM=1
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

ctl domain add emak.se Postm4ster
ctl user add klient1@emak.se Klient1pw
ctl user add klient2@emak.se Klient2pw

# shellcheck source=tests/lib/session.sh
. "$QA_SRCDIR/tests/lib/session.sh"

MD1=$(maildir_of klient1@emak.se)
MD2=$(maildir_of klient2@emak.se)
TMP=$RUN/composetmp
mkdir -p "$TMP"
# Every byte value, four times; and a small text under a Swedish name.
for _ in 1 2 3 4; do
	for i in $(seq 0 255); do printf '%b' "\\x$(printf %02x "$i")"; done
done >"$TMP/all.bin"
printf 'Hej på dig, räksmörgås!\n' >"$TMP/swedish.txt"

compose() {	# compose ACTION [CURL-OPTION...]: a multipart post of the form, csrf first
	local action=$1
	shift
	http -X POST -b "$(session_cookies)" --form-string "csrf=$CSRF" --form-string "action=$action" \
		--form-string back=INBOX "$@" "$S/mail/compose"
}
raw_keys() {	# raw_keys: catalog keys left raw in BODY
	printf '%s\n' "$BODY" | sed 's/<[^>]*>/ /g' | grep -o -E '\b(compose|mail|send|done)\.[a-z0-9_.]+' || true
}
value_of() {	# value_of ID: the value attribute of the element with id="ID", unescaped
	html_attr "$(html_tag "$1")" value | sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&amp;/\&/g'
}
hidden() {	# hidden NAME: a hidden input's value in BODY
	printf '%s\n' "$BODY" | grep -o -E "<input type=\"hidden\" name=\"$1\" value=\"[^\"]*\"" | head -n 1 |
		sed -E 's/.*value="//; s/"$//; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g'
}
count() {	# count MAILDIR [SUBDIR]: messages in it
	find "$1/${2-}new" "$1/${2-}cur" -maxdepth 1 -type f 2>/dev/null | wc -l
}
newest() {	# newest MAILDIR [SUBDIR]: the newest message file's path
	# shellcheck disable=SC2012
	ls -t "$1/${2-}new"/* "$1/${2-}cur"/* 2>/dev/null | head -n 1
}
as() {	# as 1|2: switch to klient1's or klient2's session
	if [ "$1" = 1 ]; then
		SESSION=$SES1 WMKEY=$WMK1 CSRF=$CSR1
	else
		SESSION=$SES2 WMKEY=$WMK2 CSRF=$CSR2
	fi
}
rows() {	# rows: the message rows' ids of the list in BODY, in order
	printf '%s\n' "$BODY" | grep -o -E '<tr id="msg-[0-9]+"' | sed 's/.*msg-//; s/"//' | tr '\n' ' '
}

session_start klient2@emak.se Klient2pw
SES2=$SESSION WMK2=$WMKEY CSR2=$CSRF
get /mail
session_start klient1@emak.se Klient1pw
SES1=$SESSION WMK1=$WMKEY CSR1=$CSRF
get /mail

# ---- the empty form
get /mail/compose
tap_is "GET /mail/compose: 200" "$STATUS" 200
tap_like "... a multipart form" "$(html_tag compose-form)" 'enctype="multipart/form-data"'
tap_like "... with the CSRF token" "$BODY" "name=\"csrf\" value=\"$CSRF\""
tap_is "... From is the logged-in address" "$(text_of from)" klient1@emak.se
tap_like "... To, Cc, Bcc, Subject, the text, files" "$BODY" 'id="to".*|id="bcc"'
tap_ok "... each field labelled" bash -c "for f in to cc bcc subject body file; do grep -q \"<label for=\\\"\$f\\\"\" \"$RUN/resp.body\" || exit 1; done"
tap_is "... no catalog key left raw" "$(raw_keys)" ""
tap_like "the side bar has a Write link" "$(html_tag write-link)" 'href="[^"]*/mail/compose"'
get "/mail/compose?lang=sv"
tap_like "in Swedish: Skicka, Spara utkast" "$BODY" 'Skicka.*|Spara utkast'
tap_like "... Hemlig kopia" "$BODY" 'Hemlig kopia'
tap_is "... no catalog key left raw" "$(raw_keys)" ""
http -b "$(session_cookies)" -c /dev/null "$S/mail/compose?lang=en" >/dev/null

# ---- klient1 sends klient2 two attachments
N2=$(count "$MD2")
compose send --form-string 'to=Klient Två <klient2@emak.se>' --form-string 'subject=Två bilagor' \
	--form-string 'bcc=klient1@emak.se' \
	--form-string $'body=Hej!\nHär är filerna.\n' \
	-F "file=@$TMP/all.bin;type=application/octet-stream" \
	-F "file=@$TMP/swedish.txt;filename=räksmörgås.txt;type=text/plain"
tap_is "send: 303" "$STATUS" 303
tap_like "... back to the folder with a notice" "$(hdr Location)" "^$S/mail\\?f=INBOX.*done=mail_sent"
tap_ok "... Exim delivers it to klient2" maildir_wait klient2@emak.se $((N2 + 1))
RAW=$(newest "$MD2")
tap_like "... From is klient1" "$(grep -i -m1 '^From:' "$RAW")" 'klient1@emak.se'
tap_like "... a multipart/mixed message" "$(cat "$RAW")" 'Content-Type: multipart/mixed'
tap_like "... the Swedish name per RFC 2231" "$(cat "$RAW")" "filename\\*=UTF-8''r%C3%A4ksm%C3%B6rg%C3%A5s.txt"
tap_is "... no Bcc header" "$(grep -c -i '^Bcc:' "$RAW")" 0
SENT=$(grep -l -r -F 'multipart/mixed' "$MD1/.Sent/cur" "$MD1/.Sent/new" 2>/dev/null | head -n 1)
tap_ok "klient1's Sent has the copy" test -n "$SENT"
tap_like "... marked \\Seen" "${SENT##*:2,}" S
MSGID=$(grep -i -m1 '^Message-ID:' "$RAW" | sed 's/^[^:]*: *//' | tr -d '\r')
tap_like "... the same Message-ID" "$(grep -i -m1 '^Message-ID:' "$SENT" | tr -d '\r')" "$MSGID"
tap_is "... the copy keeps the Bcc" "$(grep -i -m1 '^Bcc:' "$SENT" | tr -d '\r')" 'Bcc: klient1@emak.se'
tap_ok "the Bcc recipient gets it too" maildir_wait klient1@emak.se 1

# ---- klient2 reads it and downloads both attachments
as 2
get /mail
U=$(rows | awk '{ print $1 }')
get "/mail/msg?f=INBOX&uid=$U"
tap_is "klient2 opens it: 200" "$STATUS" 200
tap_like "... the subject" "$(text_of msg-subject)" 'Två bilagor'
tap_like "... both attachments listed" "$BODY" 'all\.bin.*|räksmörgås\.txt'
tap_like "... the Reply links" "$(html_tag reply-link)" "reply=$U"
H2=$(html_attr "$(html_tag att-2)" href | sed 's/&amp;/\&/g')
H3=$(html_attr "$(html_tag att-3)" href | sed 's/&amp;/\&/g')
http -b "$(session_cookies)" "$H2"
cp "$RUN/resp.body" "$TMP/got2"
http -b "$(session_cookies)" "$H3"
cp "$RUN/resp.body" "$TMP/got3"
tap_ok "... all.bin downloads byte-identical" cmp "$TMP/got2" "$TMP/all.bin"
tap_ok "... räksmörgås.txt too" cmp "$TMP/got3" "$TMP/swedish.txt"

# ---- klient2 replies: threading headers
get "/mail/compose?f=INBOX&reply=$U"
tap_is "reply form: 200" "$STATUS" 200
tap_like "... To is the sender" "$(value_of to)" 'klient1@emak.se'
tap_is "... Re: once" "$(value_of subject)" 'Re: Två bilagor'
tap_is "... In-Reply-To is its Message-ID" "$(hidden irt)" "$MSGID"
tap_is "... References too" "$(hidden refs)" "$MSGID"
tap_like "... the text quoted under an intro" "$(text_of body)" 'klient1@emak.se wrote:'
tap_like "... quoted" "$BODY" '&gt; Här är filerna.'
get "/mail/compose?f=INBOX&reply=$U&lang=sv"
tap_is "in Swedish: Sv: once" "$(value_of subject)" 'Sv: Två bilagor'
tap_like "... the intro in Swedish" "$(text_of body)" 'skrev klient1@emak.se:'
tap_is "... no catalog key left raw" "$(raw_keys)" ""
get "/mail/compose?f=INBOX&reply=$U"
N1=$(count "$MD1")
compose send --form-string "to=$(value_of to)" --form-string "subject=$(value_of subject)" \
	--form-string "irt=$(hidden irt)" --form-string "refs=$(hidden refs)" --form-string 'body=Tack!' \
	--form-string "re_f=$(hidden re_f)" --form-string "re_uid=$(hidden re_uid)"
tap_is "the reply is sent: 303" "$STATUS" 303
tap_ok "... and delivered to klient1" maildir_wait klient1@emak.se $((N1 + 1))
RAW=$(newest "$MD1")
tap_is "... In-Reply-To in the delivered message" "$(grep -i -m1 '^In-Reply-To:' "$RAW" | tr -d '\r')" "In-Reply-To: $MSGID"
tap_is "... References" "$(grep -i -m1 '^References:' "$RAW" | tr -d '\r')" "References: $MSGID"
ORIG=$(grep -l -r -F -- "Message-ID: $MSGID" "$MD2/cur" "$MD2/new" | head -n 1)
tap_like "... the original is marked \Answered (R)" "${ORIG##*:2,}" R
get "/mail/compose?f=INBOX&replyall=$U"
tap_unlike "reply all leaves oneself out" "$(value_of cc)" 'klient2@emak.se'

# ---- forward as attachment: a message/rfc822 part
get "/mail/compose?f=INBOX&forward_att=$U"
tap_is "forward as attachment: 200" "$STATUS" 200
tap_is "... Fwd:" "$(value_of subject)" 'Fwd: Två bilagor'
tap_like "... the message listed, ticked" "$(html_tag keep-whole)" 'checked'
compose send --form-string to=klient1@emak.se --form-string "subject=$(value_of subject)" \
	--form-string "src_f=$(hidden src_f)" --form-string "src_uid=$(hidden src_uid)" --form-string 'keep=*'
tap_is "... sent: 303" "$STATUS" 303
tap_ok "... delivered" maildir_wait klient1@emak.se $((N1 + 2))
RAW=$(newest "$MD1")
tap_like "... with a message/rfc822 part" "$(cat "$RAW")" 'Content-Type: message/rfc822'
tap_like "... holding the original" "$(cat "$RAW")" "Message-ID: $MSGID"
get "/mail/compose?f=INBOX&forward=$U"
tap_like "forward inline: the original's headers in the text" "$(text_of body)" 'Forwarded message'
tap_like "... its attachments carried along, ticked" "$(html_tag keep-2)" checked
N1=$(count "$MD1")
compose send --form-string to=klient1@emak.se --form-string "subject=$(value_of subject)" \
	--form-string "body=$(text_of body)" --form-string "src_f=$(hidden src_f)" \
	--form-string "src_uid=$(hidden src_uid)" --form-string keep=2 --form-string keep=3
tap_is "... sent: 303" "$STATUS" 303
tap_ok "... delivered" maildir_wait klient1@emak.se $((N1 + 1))
RAW=$(newest "$MD1")
tap_is "... with both attachments" "$(grep -c -i '^Content-Disposition: attachment' "$RAW")" 2
tap_like "... the Swedish name kept" "$(cat "$RAW")" "filename\\*=UTF-8''r%C3%A4ksm%C3%B6rg%C3%A5s.txt"

# ---- CR/LF refused; nothing sent
as 1
N2=$(count "$MD2")
compose send --form-string to=klient2@emak.se --form-string $'subject=Hi\r\nBcc: klient1@emak.se'
tap_is "a CR/LF in the subject: 400" "$STATUS" 400
tap_like "... said next to it" "$(text_of subject-error)" 'line break'
tap_like "... aria-invalid" "$(printf '%s' "$BODY" | tr -d '\r\n' | grep -o -E '<input id="subject"[^>]*>')" 'aria-invalid="true"'
compose send --form-string $'to=klient2@emak.se\r\nBcc: klient1@emak.se' --form-string subject=Hi
tap_is "a CR/LF in an address: 400" "$STATUS" 400
tap_like "... said next to To" "$(text_of to-error)" 'line break'
compose send --form-string 'to=klient2@emak.se, <bad@@x>' --form-string 'subject=<script>alert(1)</script>'
tap_is "a bad address: 400" "$STATUS" 400
tap_like "... names the address" "$(text_of to-error)" 'bad@@x'
tap_is "... what was typed kept" "$(value_of to)" 'klient2@emak.se, <bad@@x>'
tap_like "... a hostile subject shown escaped" "$BODY" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"'
compose send --form-string subject=Hi
tap_is "no recipient: 400" "$STATUS" 400
sleep 1
tap_is "... nothing was delivered" "$(count "$MD2")" "$N2"

# ---- a mailbox without webmail
ctl user add klient3@emak.se Klient3pw
ctl user mod klient3@emak.se -f no_webmail
session_start klient3@emak.se Klient3pw
get /mail/compose
tap_is "no_webmail: GET /mail/compose is 403" "$STATUS" 403
compose send --form-string to=klient2@emak.se --form-string subject=Nej
tap_is "... and POST too" "$STATUS" 403
as 1

# ---- CSRF
N2=$(count "$MD2")
http -X POST -b "$(session_cookies)" --form-string action=send --form-string to=klient2@emak.se \
	"$S/mail/compose"
tap_is "no CSRF token: 403" "$STATUS" 403
sleep 1
tap_is "... nothing sent" "$(count "$MD2")" "$N2"

# ---- drafts: save, attach, resume, send
ND=$(count "$MD1" .Drafts/)
compose save --form-string to=klient2@emak.se --form-string 'subject=Utkast ett' \
	--form-string 'body=Halvfärdigt' -F "file=@$TMP/swedish.txt;filename=räksmörgås.txt;type=text/plain"
tap_is "save draft: 303" "$STATUS" 303
tap_like "... to Drafts with a notice" "$(hdr Location)" 'f=Drafts.*done=draft_saved'
tap_is "... one more message in Drafts" "$(count "$MD1" .Drafts/)" $((ND + 1))
DR=$(newest "$MD1" .Drafts/)
tap_like "... flagged \\Draft" "${DR##*:2,}" D
get "/mail?f=Drafts"
DU=$(rows | awk '{ print $1 }')
get "/mail/compose?draft=$DU"
tap_is "resume it: 200" "$STATUS" 200
tap_is "... the subject" "$(value_of subject)" 'Utkast ett'
tap_is "... To" "$(value_of to)" 'klient2@emak.se'
tap_like "... the text" "$(text_of body)" 'Halvfärdigt'
tap_like "... its attachment listed, ticked" "$(html_tag keep-2)" checked
compose attach --form-string to=klient2@emak.se --form-string 'subject=Utkast ett' \
	--form-string 'body=Halvfärdigt' --form-string "draft=$DU"\
	--form-string "src_f=$(hidden src_f)" --form-string "src_uid=$DU" --form-string keep=2 \
	-F "file=@$TMP/all.bin;type=application/octet-stream"
tap_is "attach a second file: 200, the form again" "$STATUS" 200
tap_like "... both listed" "$BODY" 'räksmörgås\.txt.*|all\.bin'
tap_like "... both ticked" "$(html_tag keep-3)" checked
tap_is "... still one draft (the old one removed)" "$(count "$MD1" .Drafts/)" $((ND + 1))
D2=$(hidden draft)
N2=$(count "$MD2")
compose send --form-string to=klient2@emak.se --form-string 'subject=Utkast ett' \
	--form-string 'body=Klart' --form-string "draft=$D2" --form-string "src_f=$(hidden src_f)" \
	--form-string "src_uid=$D2" --form-string keep=2 --form-string keep=3
tap_is "send the draft: 303" "$STATUS" 303
tap_ok "... delivered" maildir_wait klient2@emak.se $((N2 + 1))
RAW=$(newest "$MD2")
tap_like "... with both attachments" "$(grep -c -i '^Content-Disposition: attachment' "$RAW")" '^2$'
tap_is "... the draft removed" "$(count "$MD1" .Drafts/)" "$ND"

# ---- the relay refuses (550): the error, the draft kept
ND=$(count "$MD1" .Drafts/)
compose send --form-string 'to=nobody@emak.se' --form-string 'subject=Till ingen' --form-string 'body=Kvar'
tap_is "an unknown recipient: 502" "$STATUS" 502
tap_like "... the translated error names it" "$(text_of form-error)" 'refused the address nobody@emak.se'
tap_like "... says the draft was kept" "$(text_of form-error)" 'saved in Drafts'
tap_is "... what was typed kept" "$(value_of subject)" 'Till ingen'
tap_is "... in Drafts" "$(count "$MD1" .Drafts/)" $((ND + 1))
tap_like "... the draft holds it" "$(cat "$(newest "$MD1" .Drafts/)")" 'Till ingen'
tap_ok "... and the form carries the draft" test -n "$(hidden draft)"

# ---- Exim stopped: a connection error, the draft kept
svc_stop exim
ND=$(count "$MD1" .Drafts/)
compose send --form-string to=klient2@emak.se --form-string 'subject=Ingen server' --form-string 'body=Sparas'
tap_is "the relay is down: 502" "$STATUS" 502
tap_like "... the translated error" "$(text_of form-error)" 'could not be reached'
tap_is "... the draft kept" "$(count "$MD1" .Drafts/)" $((ND + 1))
tap_is "... no catalog key left raw" "$(raw_keys)" ""

harness_done
