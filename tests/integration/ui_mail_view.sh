#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# ui_mail_view.sh: webmail's message view (/mail/msg), part downloads
# (/mail/part) and the source (/mail/source) through nginx, the app, the
# real helper and a real Dovecot (HARNESS_DOVECOT=1). Every message of the
# corpus in tests/data/mail/ (README there) is APPENDed over IMAP and
# opened; the checks are on the rendered page: decoded headers and text in
# many charsets, the part an alternative shows, nested messages, attachment
# names and sizes, and nothing executable in the message's part of the page
# (tests/lib/mail_body.py, Python's own HTML parser, reads it again; the
# sanitizer's hostile samples in tests/data/html/ go through it as mail
# too). Downloads are compared byte for byte with what the test decoded
# itself, their headers checked; remote images, cid: images, the \Seen flag
# in the Maildir, big parts, missing messages, bad part numbers, another
# mailbox's session, en and sv.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
HARNESS_DOVECOT=1
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"
harness_require python3 base64 cmp
# The interpreter itself, without site packages: a version manager's shim
# and site start-up would cost more than the page.
PY=$(python3 -c 'import sys; print(sys.executable)')

ctl domain add emak.se Postm4ster
ctl user add klient1@emak.se Klient1pw
ctl user add klient2@emak.se Klient2pw

# shellcheck source=tests/lib/session.sh
. "$QA_SRCDIR/tests/lib/session.sh"

DOM=$RUN/vpopmail/domains/emak.se
MD=$(awk -F: '$1 == "klient1" { print $6 }' "$DOM/vpasswd")/Maildir
DATA=$QA_SRCDIR/tests/data/mail
TMP=$RUN/viewtmp
PAGE=$TMP/page.html
mkdir -p "$TMP"

mail_body() {	# mail_body.py ARGS... (tests/lib)
	"$PY" -S "$QA_SRCDIR/tests/lib/mail_body.py" "$@"
}
append() {	# append FILE [FLAG...]: into klient1's INBOX; UID printed
	mail_append klient1@emak.se Klient1pw INBOX "$@" || tap_bail "cannot append $1"
}
view() {	# view PATH-QUERY: GET it; the page kept in PAGE
	get "$1"
	cp "$RUN/resp.body" "$PAGE"
}
open_msg() {	# open_msg NAME [QUERY]: append DATA/NAME.eml, open it; U = its UID
	U=$(append "$DATA/$1.eml")
	view "/mail/msg?f=INBOX&uid=$U${2-}"
}
text() {	# text ID: the text of the element with id=ID in PAGE (spaces collapsed)
	mail_body text "$PAGE" "$1" || true
}
body_safe() {	# body_safe: mail_body.py finds nothing executable in PAGE's id="body"
	local found
	found=$(mail_body check "$PAGE") && return 0
	printf '%s\n' "$found" | head -n 10 | sed 's/^/#     /'
	return 1
}
tap_safe() {	# tap_safe WHAT: the check above as a TAP line
	tap_ok "$1: nothing executable in the message body" body_safe
}
raw_keys() {	# raw_keys: catalog keys of webmail left raw in BODY
	printf '%s\n' "$BODY" | sed 's/<[^>]*>/ /g' | grep -o -E '\b(mail|month|done|fmt)\.[a-z0-9_.]+' || true
}
maildir_flags() {	# maildir_flags MESSAGE-ID: the Maildir info flags of that message's file
	local f
	f=$(grep -l -r -F -- "Message-ID: <$1>" "$MD/cur" "$MD/new" 2>/dev/null | head -n 1)
	[ -n "$f" ] || { echo none; return; }
	case $f in *:2,*) echo "${f##*:2,}" ;; *) echo "" ;; esac
}
b64_part() {	# b64_part FILE MARKER: the base64 body of the part whose headers hold MARKER, decoded
	# (the lines after that header block up to the next boundary line)
	tr -d '\r' <"$1" | awk -v m="$2" '
		!found && index($0, m) { found = 1; next }
		found == 1 && $0 == "" { found = 2; next }
		found == 2 && /^--/ { exit }
		found == 2 { print }' | base64 -d
}
part_url() {	# part_url SECTION [inline]: the download URL of part SECTION of message U
	printf '/mail/part?f=INBOX&uid=%s&part=%s%s' "$U" "$1" "${2:+&inline=1}"
}
download() {	# download PATH: GET it; the bytes kept in TMP/got
	get "$1" 2>/dev/null	# (bash warns of the NUL bytes it drops from BODY)
	cp "$RUN/resp.body" "$TMP/got"
}
same_bytes() {	# same_bytes FILE: TMP/got is byte-identical to FILE
	cmp -s "$TMP/got" "$1" || { cmp "$TMP/got" "$1" 2>&1 | sed 's/^/#     /'; return 1; }
}
download_headers() {	# download_headers WHAT: what every download carries
	tap_like "$1: sandboxing CSP" "$(hdr Content-Security-Policy)" "^default-src 'none'; sandbox"
	tap_is "$1: nosniff" "$(hdr X-Content-Type-Options)" nosniff
}
att_meta() {	# att_meta SECTION: "name | type · size" of that attachment in PAGE
	printf '%s | %s\n' "$(text "att-$1")" \
		"$(tr '\n' ' ' <"$PAGE" | grep -o -E "id=\"att-$1\"[^>]*><bdi>[^<]*</bdi></a> <span class=\"att-meta\">[^<]*" |
			sed 's/.*att-meta">//')"
}
big_file() {	# big_file NAME SUBJECT TYPE BYTES-FILE [DISPOSITION]: a message with a small
	# text and one base64 part of BYTES-FILE, at TMP/NAME.eml
	{
		printf 'From: anna@example.se\r\nTo: klient1@emak.se\r\nSubject: %s\r\n' "$2"
		printf 'Message-ID: <%s@view.test>\r\nMIME-Version: 1.0\r\n' "$1"
		printf 'Content-Type: multipart/mixed; boundary="big"\r\n\r\n'
		printf -- '--big\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSmall text before the big part.\r\n'
		printf -- '--big\r\nContent-Type: %s\r\n' "$3"
		[ -n "${5-}" ] && printf 'Content-Disposition: %s\r\n' "$5"
		printf 'Content-Transfer-Encoding: base64\r\n\r\n'
		base64 -w 76 "$4" | sed 's/$/\r/'
		printf -- '--big--\r\n'
	} >"$TMP/$1.eml"
}

session_start klient1@emak.se Klient1pw
KLIENT1=("$SESSION" "$WMKEY" "$CSRF")

# ---- multipart/mixed: text, an inline image, attachments
U=$(append "$DATA/10-mixed.eml")
tap_is "a new message is unread on disk" "$(maildir_flags mixed@view.test)" ""
view "/mail/msg?f=INBOX&uid=$U"
tap_is "mixed: 200" "$STATUS" 200
tap_security_headers "message view"
tap_is "... the subject" "$(text msg-subject)" "Mixed: text, an image and two attachments"
tap_is "... From" "$(text h-from)" "Anna Svensson <anna@example.se>"
tap_is "... To" "$(text h-to)" "Klient Ett <klient1@emak.se>"
tap_like "... the Date header as sent, in the title" "$(cat "$PAGE")" '<time title="Mon, 2 Nov 2026 10:00:00 \+0100">'
tap_is "... the text, decoded (QP, UTF-8)" "$(text body)" "Hej! Här kommer bilagorna: en bild, en fil och en PDF."
tap_is "... the inline image as an img of its part" "$(mail_body attr "$PAGE" img src)" \
	"$S$(part_url 2 inline)"
tap_is "... two attachments: bytes.bin with its size" "$(att_meta 3)" "bytes.bin | application/octet-stream · 1.0 KB"
tap_is "... report.pdf" "$(att_meta 4)" "report.pdf | application/pdf · 90 B"
tap_is "... the inline image is not listed again" "$(grep -c 'id="att-2"' "$PAGE")" 0
tap_is "opening it marks it read (S on disk)" "$(maildir_flags mixed@view.test)" S
tap_safe mixed
b64_part "$DATA/10-mixed.eml" 'filename="bytes.bin"' >"$TMP/bytes.bin"
download "$(part_url 3)"
tap_is "download bytes.bin: 200" "$STATUS" 200
tap_ok "... byte-identical (all 256 byte values)" same_bytes "$TMP/bytes.bin"
tap_is "... application/octet-stream" "$(hdr Content-Type)" application/octet-stream
tap_is "... as an attachment" "$(hdr Content-Disposition)" "attachment; filename=\"bytes.bin\"; filename*=UTF-8''bytes.bin"
tap_is "... Content-Length" "$(hdr Content-Length)" 1024
download_headers "download"
b64_part "$DATA/10-mixed.eml" 'filename="report.pdf"' >"$TMP/report.pdf"
download "$(part_url 4)"
tap_ok "download report.pdf: byte-identical" same_bytes "$TMP/report.pdf"
tap_is "... application/pdf" "$(hdr Content-Type)" application/pdf
b64_part "$DATA/10-mixed.eml" 'filename="dot.png"' >"$TMP/dot.png"
download "$(part_url 2 inline)"
tap_ok "the inline image's URL serves the PNG" same_bytes "$TMP/dot.png"
tap_is "... image/png" "$(hdr Content-Type)" image/png
tap_like "... inline" "$(hdr Content-Disposition)" '^inline; filename="dot.png"'
download_headers "inline image"
download "/mail/source?f=INBOX&uid=$U"
tap_is "view source: 200" "$STATUS" 200
tap_ok "... the message byte-identical" same_bytes "$DATA/10-mixed.eml"
tap_is "... as text" "$(hdr Content-Type)" "text/plain; charset=utf-8"
download_headers "source"

# ---- multipart/alternative
open_msg 11-alternative
tap_is "alternative: the HTML part shown" "$(text body)" "This is the HTML alternative."
tap_like "... as HTML" "$(cat "$PAGE")" '<div class="part depth-0 html-part"><p>This is the <b>HTML</b> alternative.</p></div>'
tap_is "... the link to the plain text" "$(html_attr "$(html_tag plain-link)" href)" "$S/mail/msg?f=INBOX&amp;uid=$U&amp;plain=1"
tap_is "... no attachments" "$(grep -c 'id="attachments"' "$PAGE")" 0
view "/mail/msg?f=INBOX&uid=$U&plain=1"
tap_is "?plain=1: the plain part" "$(text body)" "This is the PLAIN alternative."
tap_is "... and a link back to the formatted one" "$(text plain-link)" "Formatted"

# ---- nested message/rfc822, two levels
open_msg 12-nested-rfc822
tap_is "nested: the text of all three levels, with their headers, in order" "$(text body)" \
	"Outer text, see the forwarded mail. Level one From: Bertil Berg <bertil@example.se> · Sun, 1 Nov 2026 09:00:00 +0100 · Download Level one text, forwarding level two. Nivå två From: Cecilia Ek <cecilia@example.se> · Sat, 31 Oct 2026 08:00:00 +0100 · Download Level two text: the innermost message, bär och svamp."
tap_like "... the sender isolated (bdi) from the text beside it" "$(cat "$PAGE")" \
	'From: <bdi>Bertil Berg &lt;bertil@example.se&gt;</bdi> · <bdi>Sun, 1 Nov 2026'
tap_like "... each level deeper" "$(tr '\n' ' ' <"$PAGE")" \
	'depth-0 text-part.*nested depth-0.*depth-1 text-part.*nested depth-1.*depth-2 text-part'
# (Dovecot's BODY[2] keeps the CRLF before the outer boundary line.)
"$PY" -S -c 'import sys
d = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(d.split(b"Content-Disposition: inline\r\n\r\n", 1)[1].split(b"--outer--", 1)[0])' \
	"$DATA/12-nested-rfc822.eml" >"$TMP/level1.eml"
download "$(part_url 2)"
tap_ok "the forwarded message downloads as it was sent" same_bytes "$TMP/level1.eml"
tap_is "... named after its subject" "$(hdr Content-Disposition)" "attachment; filename=\"Level one.eml\"; filename*=UTF-8''Level%20one.eml"

# ---- broken MIME
open_msg 13-broken-no-end
tap_is "no closing boundary: both parts shown" "$(text body)" "First part before the missing end. Second part, never closed."
open_msg 14-bad-base64
tap_is "bad base64: what decodes is shown" "$(text body | cut -c1-28)" "Hello world, decoded anyway."
tap_is "... the cut attachment is listed" "$(text att-2)" "cut.bin"
download "$(part_url 2)"
tap_is "... and downloads (what there is of it)" "$STATUS $(od -An -tx1 "$TMP/got" | tr -d ' \n')" "200 00010203040506070809"
open_msg 15-unknown-encoding
tap_is "an unknown transfer encoding: the text as it came" "$(text body)" "Guvf vf fubja nf vg pnzr (x-rot13 is not undone)."
open_msg 16-empty-multipart
tap_is "a multipart with no parts: 200" "$STATUS" 200
tap_is "... its subject" "$(text msg-subject)" "Broken: a multipart with no parts"
tap_safe "empty multipart"

# ---- charsets: headers and text
open_msg 17-8bit-no-charset
tap_is "8-bit without a charset (Latin-1 bytes)" "$(text body)" "Smörgåsbord för två, 8-bit utan teckenuppsättning."
open_msg 18-8bit-utf8-no-type
tap_is "8-bit UTF-8 without a Content-Type" "$(text body)" "Blåbärssylt och kanelbullar, UTF-8 utan rubriker."
tap_is "... a bare From address" "$(text h-from)" "anna@example.se"
open_msg 19-iso-8859-1
tap_is "ISO-8859-1: subject (Q)" "$(text msg-subject)" "Räksmörgås med ägg"
tap_is "... From (Q)" "$(text h-from)" "Åsa Öberg <asa@example.se>"
tap_is "... text (QP)" "$(text body)" "Räksmörgås med ägg och gräddfil."
tap_is "... the page title" "$(grep -o '<title>[^<]*' "$PAGE" | sed 's/<title>//')" "Räksmörgås med ägg · qmailadmin"
open_msg 20-iso-8859-15
tap_is "ISO-8859-15: the € in the subject" "$(text msg-subject)" "Kostar 10 €"
tap_is "... € Œ Š in the text" "$(text body)" "Priset är 25 € för Œuvre och Šárka."
open_msg 21-windows-1252
tap_is "Windows-1252: subject" "$(text msg-subject)" '“Hej” – €'
# shellcheck disable=SC1112	# the single quotes inside are the text
tap_is "... curly quotes, € and the ellipsis in the text" "$(text body)" '“Citat” kostar €20 – ‘enkla’ och „tyska“ …'
open_msg 22-koi8-r
tap_is "KOI8-R: subject (B)" "$(text msg-subject)" "Привет из Москвы"
tap_is "... From" "$(text h-from)" "Иван Петров <ivan@example.ru>"
tap_is "... text" "$(text body)" "Здравствуйте! Это письмо в кодировке KOI8-R."
open_msg 23-iso-2022-jp
tap_is "ISO-2022-JP: subject" "$(text msg-subject)" "会議のお知らせ"
tap_is "... From" "$(text h-from)" "山田太郎 <taro@example.jp>"
tap_is "... text" "$(text body)" "こんにちは、世界。明日の会議は十時からです。"
open_msg 24-utf8-rfc2047
tap_is "RFC 2047: a subject in three words, ö split between two" "$(text msg-subject)" "Smörgåsbord – ett test ✓"
tap_is "... From (Q)" "$(text h-from)" "Jörgen Åström <jorgen@example.se>"
tap_is "... Cc (B)" "$(text h-cc)" "Älva Ösvik <alva@example.se>"
tap_is "... text, with a character outside the BMP" "$(text body)" "Smörgåsbord med bröd 🍞 och räkor."

# ---- size
open_msg 25-long-line
tap_is "a 20,000-byte line is shown whole" "$(grep -o -E 'LONGSTART[0-9]*LONGEND' "$PAGE" | tr -d '\n' | wc -c)" 20000
tap_like "... with the lines around it" "$(text body)" '^Before the long line\. LONGSTART.*LONGEND After the long line\.$'
open_msg 26-huge-headers
tap_is "huge headers (100 kB References, 500 Received): 200" "$STATUS" 200
tap_is "... the subject" "$(text msg-subject)" "Huge headers: 500 Received, 100 kB References"
tap_is "... the text" "$(text body)" "A small body under huge headers."
download "/mail/source?f=INBOX&uid=$U"
tap_ok "... its source byte-identical ($(wc -c <"$DATA/26-huge-headers.eml") bytes)" same_bytes "$DATA/26-huge-headers.eml"

# ---- RFC 2231 names
open_msg 27-rfc2231-names
tap_is "RFC 2231: continued UTF-8 name, with its size" "$(att_meta 2)" "Räkning för månaden ÅÄÖ.pdf | application/pdf · 1.1 KB"
tap_is "... an ISO-8859-1 name" "$(att_meta 3)" "Smörgås på bordet.txt | text/plain · 33 B"
b64_part "$DATA/27-rfc2231-names.eml" 'filename*0*=' >"$TMP/rakning.pdf"
download "$(part_url 2)"
tap_ok "... the PDF downloads byte-identical" same_bytes "$TMP/rakning.pdf"
tap_is "... Content-Disposition: ASCII fallback and the UTF-8 name (RFC 6266)" "$(hdr Content-Disposition)" \
	"attachment; filename=\"R_kning f_r m_naden ___.pdf\"; filename*=UTF-8''R%C3%A4kning%20f%C3%B6r%20m%C3%A5naden%20%C3%85%C3%84%C3%96.pdf"
tap_is "... application/pdf" "$(hdr Content-Type)" application/pdf
download_headers "RFC 2231 download"
b64_part "$DATA/27-rfc2231-names.eml" "filename*=iso-8859-1" >"$TMP/smorgas.txt"
download "$(part_url 3)"
tap_ok "... the Latin-1 text file downloads as its bytes" same_bytes "$TMP/smorgas.txt"
tap_is "... text/plain, no parameter" "$(hdr Content-Type)" text/plain
tap_like "... its name" "$(hdr Content-Disposition)" "^attachment; filename=\"Sm_rg_s p_ bordet.txt\"; filename\\*=UTF-8''Sm%C3%B6rg%C3%A5s%20p%C3%A5%20bordet.txt\$"

# ---- cid: images and remote images
open_msg 28-related-cid
tap_is "a cid: image becomes an img of our part URL" "$(mail_body attr "$PAGE" img src)" "$S$(part_url 2 inline)"
tap_is "... its alt text kept" "$(mail_body attr "$PAGE" img alt)" "The logo"
tap_is "... the text around it" "$(text body)" "Our logo: Text after the logo."
tap_is "... the image is not listed as an attachment" "$(grep -c 'id="attachments"' "$PAGE")" 0
tap_is "... no remote image notice" "$(grep -c 'id="images-blocked"' "$PAGE")" 0
b64_part "$DATA/28-related-cid.eml" 'Content-ID: <logo.2026@example.se>' >"$TMP/logo.png"
download "$(part_url 2 inline)"
tap_ok "... and that URL serves the image's bytes" same_bytes "$TMP/logo.png"
tap_is "... as image/png" "$(hdr Content-Type)" image/png
tap_like "... inline" "$(hdr Content-Disposition)" '^inline; filename="logo.png"'
download "$(part_url 2)"
tap_like "... without inline=1, an attachment" "$(hdr Content-Disposition)" '^attachment; filename="logo.png"'

open_msg 29-remote-images
tap_is "remote images: blocked, and counted" "$(text images-blocked)" \
	"Remote images were not loaded (3), so the sender cannot see that you read this. Show images"
tap_is "... the link that shows them" "$(html_attr "$(html_tag show-images)" href)" "$S/mail/msg?f=INBOX&amp;uid=$U&amp;images=1"
tap_is "... no img in the body" "$(mail_body attr "$PAGE" img src)" ""
tap_is "... their alt text instead" "$(text body)" "Three remote images follow. tracker one banner footer Read online"
tap_like "... the CSP allows our own images only" "$(hdr Content-Security-Policy)" "img-src 'self';"
tap_is "... links get rel=noopener noreferrer" "$(mail_body attr "$PAGE" a rel)" "noopener noreferrer"
view "/mail/msg?f=INBOX&uid=$U&images=1"
tap_is "?images=1: the images are kept" "$(mail_body attr "$PAGE" img src | tr '\n' ' ')" \
	"http://tracker.example.net/open.gif?id=1 https://cdn.example.net/banner.png HTTPS://cdn.example.net/footer.png "
tap_like "... and the CSP allows them" "$(hdr Content-Security-Policy)" "img-src 'self' https: http:;"
tap_is "... no notice" "$(grep -c 'id="images-blocked"' "$PAGE")" 0
tap_safe "remote images shown"

# ---- hostile HTML: nothing executable is left
open_msg 30-hostile-script
tap_safe "script, handlers, javascript:/data: URLs"
tap_like "... the text stays" "$(text body)" '^Visible text survives\. js link mixed case entities hex entities tab vbscript data link data entities data image a good link$'
tap_is "... only the https link keeps an href" "$(mail_body attr "$PAGE" a href)" "https://example.org/ok"
tap_unlike "... no script in the whole page" "$(cat "$PAGE")" '<script|alert\('
open_msg 31-hostile-svg
tap_safe "SVG with script"
tap_is "... the text around it stays" "$(text body)" "SVG follows. After the SVG."
tap_is "... the SVG part is an attachment, not an image" "$(att_meta 2)" "drawing.svg | image/svg+xml · 129 B"
b64_part "$DATA/31-hostile-svg.eml" 'filename="drawing.svg"' >"$TMP/drawing.svg"
download "$(part_url 2)"
tap_ok "... it downloads byte-identical" same_bytes "$TMP/drawing.svg"
tap_is "... as application/octet-stream" "$(hdr Content-Type)" application/octet-stream
tap_like "... an attachment" "$(hdr Content-Disposition)" '^attachment; '
download "$(part_url 2 inline)"
tap_is "... also when asked inline" "$(hdr Content-Type) | $(hdr Content-Disposition | cut -d';' -f1)" \
	"application/octet-stream | attachment"
download_headers "SVG download"
open_msg 32-hostile-css
tap_safe "CSS expression(), url(), @import"
tap_is "... the safe style is kept" "$(mail_body attr "$PAGE" p style | sed -n 1p)" "color: red"
tap_like "... the text stays" "$(text body)" 'expression url in style escaped url Styled text kept\. comment import in attribute'
open_msg 33-hostile-meta-base-form
tap_safe "meta refresh, base, form, iframe, object, embed"
tap_is "... the text stays" "$(text body)" "Text next to the form. relative link"
open_msg 34-hostile-broken-tags
tap_safe "mixed-case and broken tags"
tap_like "... the text before them stays" "$(text body)" '^Broken tags follow\.'
open_msg 35-hostile-names
tap_safe "hostile names"
tap_is "a hostile file name is listed as text" "$(text att-2)" '"><img src=x onerror=alert(1)>.html'
tap_like "... escaped" "$(cat "$PAGE")" 'download><bdi>&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;\.html</bdi></a>'
tap_unlike "... never as markup" "$(cat "$PAGE")" '<img src=x|<svg onload'
tap_is "a hostile Content-Type parameter: the name is text" "$(att_meta 3)" "<svg onload=alert(3)>.txt | text/plain · 44 B"
tap_is "... a type that is not a MIME token" "$(att_meta 4)" "part-4.bin | application/octet-stream · 3 B"
download "$(part_url 2)"
tap_is "the HTML attachment downloads as application/octet-stream" "$(hdr Content-Type)" application/octet-stream
tap_is "... byte-identical" "$(cat "$TMP/got")" "<script>alert('attachment')</script>"
tap_like "... its name cannot end the quoted string" "$(hdr Content-Disposition)" \
	"^attachment; filename=\"[^\"\\\\]*\"; filename\\*=UTF-8''[A-Za-z0-9%._~!$&'()*+,;=:@-]*\$"
download_headers "hostile name"
download "$(part_url 3)"
tap_is "the hostile charset is not passed on" "$(hdr Content-Type)" text/plain
tap_like "... nor the name" "$(hdr Content-Disposition)" "^attachment; filename=\"[^\"\\\\]*\"; filename\\*=UTF-8''[A-Za-z0-9%._~-]*\$"
tap_is "a name with CR LF: shown with U+FFFD" "$(text att-5)" "evil��Set-Cookie: qa_session=x��.txt"
download "$(part_url 5)"
tap_is "... its download: 200" "$STATUS" 200
tap_is "... no header added by it" "$(hdr Set-Cookie)" ""
tap_like "... its name quoted and percent-encoded" "$(hdr Content-Disposition)" \
	"^attachment; filename=\"evil__Set-Cookie: qa_session=x__.txt\"; filename\\*=UTF-8''evil%EF%BF%BD"
tap_is "a right-to-left override is not shown (\"invoiceexe.pdf\")" "$(text att-6)" "invoicefdp.exe"
download "$(part_url 6)"
tap_is "... nor in the download's name" "$(hdr Content-Disposition)" \
	"attachment; filename=\"invoicefdp.exe\"; filename*=UTF-8''invoicefdp.exe"
printf '%s\r\n' 'From: "x\" onmouseover=\"y" <z@example.se>' 'To: <script>alert(1)</script>@example.se' \
	'Subject: =?utf-8?q?Gr=C3=B6t_<script>alert(1)</script>?=' 'Message-ID: <hostile-head@view.test>' \
	'' 'Plain.' >"$TMP/hostile-head.eml"
U=$(append "$TMP/hostile-head.eml")
view "/mail/msg?f=INBOX&uid=$U"
tap_is "hostile headers: the subject is text" "$(text msg-subject)" "Gröt <script>alert(1)</script>"
tap_like "... escaped" "$(cat "$PAGE")" '<h1 id="msg-subject">Gröt &lt;script&gt;alert\(1\)&lt;/script&gt;</h1>'
tap_like "... the title too" "$(cat "$PAGE")" '<title>Gröt &lt;script&gt;alert\(1\)&lt;/script&gt; · qmailadmin</title>'
tap_unlike "... no script, no added attribute in the page" "$(cat "$PAGE")" '<script|" onmouseover="y'

# ---- every message of the corpus, and the sanitizer's samples as mail
for f in "$DATA"/[0-9][0-9]-*.eml; do
	open_msg "$(basename "$f" .eml)"
	tap_is "$(basename "$f"): 200" "$STATUS" 200
	tap_safe "$(basename "$f")"
done
for f in "$QA_SRCDIR"/tests/data/html/*.html; do
	n=$(basename "$f" .html)
	{
		printf 'From: x@example.se\r\nTo: klient1@emak.se\r\nSubject: sample %s\r\n' "$n"
		printf 'MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n'
		printf 'Content-Transfer-Encoding: base64\r\n\r\n'
		base64 -w 76 "$f" | sed 's/$/\r/'
	} >"$TMP/html-$n.eml"
	U=$(append "$TMP/html-$n.eml")
	view "/mail/msg?f=INBOX&uid=$U"
	tap_safe "tests/data/html/$n.html as mail"
	view "/mail/msg?f=INBOX&uid=$U&images=1"
	tap_safe "tests/data/html/$n.html as mail, images shown"
done

# ---- big parts: shown as downloads; large downloads
awk 'BEGIN { for (i = 0; i < 80000; i++) printf "line %06d of a text part too big to show in the page\n", i }' >"$TMP/big.txt"
big_file bigtext "A 5 MB text part" "text/plain; charset=us-ascii" "$TMP/big.txt"
U=$(append "$TMP/bigtext.eml")
view "/mail/msg?f=INBOX&uid=$U"
tap_is "a $(($(wc -c <"$TMP/big.txt") / 1000)) kB text part: 200" "$STATUS" 200
tap_is "... the small text shown, the big one offered" "$(text body)" \
	"Small text before the big part. This part is too large to show here: download it."
tap_is "... its link" "$(mail_body attr "$PAGE" a href)" "$S$(part_url 2)"
download "$(part_url 2)"
tap_ok "... which gives it byte-identical" same_bytes "$TMP/big.txt"
head -c $((10 * 1024 * 1024)) /dev/urandom >"$TMP/big.bin"
big_file bigbin "A 10 MB attachment" "application/zip; name=\"big.zip\"" "$TMP/big.bin" attachment
U=$(append "$TMP/bigbin.eml")
view "/mail/msg?f=INBOX&uid=$U"
tap_is "a 10 MB attachment is listed" "$(att_meta 2)" "big.zip | application/zip · 10 MB"
download "$(part_url 2)"
tap_is "... downloads: 200" "$STATUS" 200
tap_ok "... byte-identical" same_bytes "$TMP/big.bin"
tap_is "... application/zip" "$(hdr Content-Type)" application/zip
# Three 3 MiB text parts: two fit in what one view shows (8 MiB), the third
# is offered as a download.
awk 'BEGIN { for (i = 0; i < 49152; i++) printf "%063d\n", i }' >"$TMP/3m.txt"
{
	printf 'From: anna@example.se\r\nTo: klient1@emak.se\r\nSubject: Three big texts\r\n'
	printf 'Message-ID: <three@view.test>\r\nMIME-Version: 1.0\r\n'
	printf 'Content-Type: multipart/mixed; boundary="3"\r\n\r\n'
	for i in 1 2 3; do
		printf -- '--3\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n'
		sed 's/$/\r/' "$TMP/3m.txt"
	done
	printf -- '--3--\r\n'
} >"$TMP/three.eml"
U=$(append "$TMP/three.eml")
view "/mail/msg?f=INBOX&uid=$U"
tap_is "three 3 MiB text parts: 200" "$STATUS" 200
tap_is "... two shown" "$(grep -c 'class="part depth-0 text-part"' "$PAGE")" 2
tap_is "... the third offered as a download" "$(grep -o 'class="part depth-0 big-part"><a href="[^"]*"' "$PAGE")" \
	"class=\"part depth-0 big-part\"><a href=\"$S$(part_url 3 | sed 's/&/\&amp;/g')\""
# HTML nested deeper than the sanitizer parses is cut: the page says so.
{
	printf 'From: anna@example.se\r\nTo: klient1@emak.se\r\nSubject: Deep HTML\r\n'
	printf 'MIME-Version: 1.0\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<p>Before the depths.</p>\r\n'
	for i in $(seq 600); do printf '<div>'; done
	printf 'deep down'
	for i in $(seq 600); do printf '</div>'; done
	printf '\r\n<p>After the depths.</p>\r\n'
} >"$TMP/deep.eml"
U=$(append "$TMP/deep.eml")
view "/mail/msg?f=INBOX&uid=$U"
tap_like "HTML nested 600 deep: shown up to the sanitizer's bound" "$(text body)" '^Before the depths\.'
tap_is "... and a link to the whole part, saying it is cut" \
	"$(grep -o 'class="part depth-0 big-part cut-part"><a href="[^"]*">[^<]*' "$PAGE")" \
	"class=\"part depth-0 big-part cut-part\"><a href=\"$S$(part_url 1 | sed 's/&/\&amp;/g')\">This part is cut short here: download it to see all of it."
tap_safe "deep HTML"
# A part too large to hold in one request (40 MiB as the server keeps it).
head -c $((30 * 1024 * 1024)) /dev/urandom >"$TMP/huge.bin"
big_file hugebin "A 30 MB attachment" "application/octet-stream; name=\"huge.bin\"" "$TMP/huge.bin" attachment
rm -f "$TMP/huge.bin"
U=$(append "$TMP/hugebin.eml")
rm -f "$TMP/hugebin.eml"
view "/mail/msg?f=INBOX&uid=$U"
tap_is "a 30 MB attachment is listed" "$(att_meta 2)" "huge.bin | application/octet-stream · 30 MB"
get "$(part_url 2)"
tap_is "... but not sent: 413" "$STATUS" 413
tap_like "... saying why" "$BODY" 'This is too large to download in webmail'
get "/mail/source?f=INBOX&uid=$U"
tap_is "... nor the source of its message: 413" "$STATUS" 413
get "$(part_url 1)"
tap_is "... the message's small part downloads" "$STATUS $BODY" "200 Small text before the big part."

# ---- what is not there, what is not a part number
view "/mail/msg?f=INBOX&uid=999999"
tap_is "a UID that does not exist: 404" "$STATUS" 404
tap_like "... saying the message is gone" "$(cat "$PAGE")" 'This message is no longer there'
get "/mail/part?f=INBOX&uid=999999&part=1"
tap_is "... its part: 404" "$STATUS" 404
get "/mail/source?f=INBOX&uid=999999"
tap_is "... its source: 404" "$STATUS" 404
U=$(append "$DATA/10-mixed.eml")
get "$(part_url 9)"
tap_is "a part the message does not have: 404" "$STATUS" 404
tap_like "... saying so" "$BODY" 'The message has no such part'
for bad in '1..2' '../x' 'abc' '.1' '1.' '' '1%0A2' '2;x'; do
	get "/mail/part?f=INBOX&uid=$U&part=$bad"
	tap_is "part=$bad: 400" "$STATUS" 400
done
for bad in abc 0 -1 4294967296 '1%20OR%201'; do
	get "/mail/msg?f=INBOX&uid=$bad"
	tap_is "uid=$bad: 400" "$STATUS" 400
done
get "/mail/msg?f=No%20such&uid=$U"
tap_is "a folder that does not exist: 404" "$STATUS" 404

# ---- another mailbox's session reads its own mailbox only
session_start klient2@emak.se Klient2pw
get "/mail/msg?f=INBOX&uid=$U"
tap_is "klient2 asking for klient1's UID: 404 (its own INBOX has none)" "$STATUS" 404
get "$(part_url 3)"
tap_is "... its part: 404" "$STATUS" 404
tap_unlike "... no byte of it" "$BODY" 'Anna Svensson|bytes\.bin'
get "/mail/source?f=INBOX&uid=$U"
tap_is "... its source: 404" "$STATUS" 404
SESSION=${KLIENT1[0]} WMKEY=${KLIENT1[1]} CSRF=${KLIENT1[2]}
download "/mail/part?f=INBOX&uid=$U&part=3"
tap_is "klient1 still gets it" "$STATUS" 200
WMKEY=
get "/mail/msg?f=INBOX&uid=$U"
tap_is "without the key cookie: the login form" "$(html_h1)" "Log in"
session_start klient1@emak.se Klient1pw

# ---- both languages
for lang in en sv; do
	open_msg 27-rfc2231-names "&lang=$lang"
	tap_is "$lang: 200" "$STATUS" 200
	tap_is "$lang: no catalog key left raw" "$(raw_keys)" ""
done
tap_like "sv: the view in Swedish" "$(text att-heading) $(text source-link)" '^Bilagor Visa källkod$'
tap_is "sv: a size with a decimal comma" "$(att_meta 2 | sed 's/.*· //')" "1,1 KB"
open_msg 29-remote-images "&lang=sv"
tap_like "sv: the remote image notice" "$(text images-blocked)" '^Bilder från nätet laddades inte \(3\).*Visa bilder$'
tap_is "sv: no catalog key left raw" "$(raw_keys)" ""
open_msg 12-nested-rfc822 "&lang=sv"
tap_is "sv: nested messages: no catalog key left raw" "$(raw_keys)" ""

harness_done
