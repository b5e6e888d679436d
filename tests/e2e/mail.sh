#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# mail.sh: runs mail.js (playwright-core + Debian's chromium): webmail in a
# real browser, against the harness's web stack, the real helper and a real
# Dovecot (HARNESS_DOVECOT=1). klient1@emak.se's INBOX gets the demo samples
# (tests/data/mail/demo) and a hostile HTML message made here, whose every
# payload would leave a mark the page can see (a dialog, the title, a
# global, a request to a /pwned URL). The PDF attachment's bytes, decoded
# here from the .eml with python3, are what the browser's download must be.
# mail.js also checks klient1's Maildir on disk.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=tests/lib/browser.sh
. "$QA_SRCDIR/tests/lib/browser.sh"
HARNESS_STORE=1
HARNESS_DOVECOT=1
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"
harness_require python3

ctl domain add emak.se Postm4ster
ctl user add klient1@emak.se Klient1pw -c "Klient Ett"
ctl user add klient2@emak.se Klient2pw -c "Klient Två"

DEMO=$QA_SRCDIR/tests/data/mail/demo
TMP=$RUN/mailtmp
mkdir -p "$TMP"
append() {	# append FILE [FLAG...]: into klient1's INBOX; UID printed
	mail_append klient1@emak.se Klient1pw INBOX "$@" || tap_bail "cannot append $1"
}

# The attachment as the sender meant it: the base64 part of 03-rakning.eml.
python3 - "$DEMO/03-rakning.eml" "$TMP/expected.pdf" <<'EOF' || tap_bail "cannot decode the PDF"
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
pdf = [p for p in msg.walk() if p.get_content_type() == 'application/pdf'][0]
open(sys.argv[2], 'wb').write(pdf.get_payload(decode=True))
EOF

# Every payload, if it ran, would show: alert() opens a dialog, the title
# becomes "pwned", window.pwned is set, or a request goes to a /pwned URL.
cat >"$TMP/hostile.eml" <<'EOF'
From: "Mallory <script>alert(1)</script>" <mallory@example.com>
To: klient1@emak.se
Subject: =?utf-8?q?Fakturap=C3=A5minnelse_<img_src=3Dx_onerror=3Dalert(1)>?=
Date: Thu, 15 Oct 2026 09:00:00 +0200
Message-ID: <e2e-hostile@example.com>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<!DOCTYPE html>
<html><head>
<base href="javascript:alert(1)//">
<meta http-equiv="refresh" content="0;url=javascript:window.pwned=1">
<script>alert(1); document.title = 'pwned'; window.pwned = 1; fetch('/pwned-script');</script>
<script src="http://127.0.0.1:9/pwned-src.js"></script>
<style>@import url("/pwned-import.css"); body { background: url("/pwned-bg.png"); }</style>
<link rel="stylesheet" href="/pwned-link.css">
</head>
<body onload="alert(1); window.pwned = 1">
<h1 id="hostile-heading">Din faktura är försenad</h1>
<p>Här är några saker som inte ska göra något alls.</p>
<img src="x" onerror="alert(1); document.title = 'pwned'; window.pwned = 1">
<img src="/pwned-img.png" onload="window.pwned = 1">
<IMG SRC=x OnErRoR=alert(1)>
<svg onload="window.pwned = 1"><script>window.pwned = 1</script><a xlink:href="javascript:window.pwned=1"><text x="0" y="15">svg</text></a></svg>
<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">math</maction></math>
<p><a id="js1" href="javascript:alert(1); window.pwned = 1">Klicka här (javascript:)</a></p>
<p><a id="js2" href="jav&#x09;ascript:document.title='pwned'">Klicka här (tab)</a></p>
<p><a id="js3" href=" &#14; JaVaScRiPt:window.pwned=1">Klicka här (case)</a></p>
<p><a id="js4" href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">Klicka här (data:)</a></p>
<p><a id="js5" href="vbscript:msgbox(1)">Klicka här (vbscript:)</a></p>
<p><a id="js6" href="#" onclick="alert(1); window.pwned = 1; return false">Klicka här (onclick)</a></p>
<div style="background-image: url(javascript:alert(1)); width: expression(alert(1))">CSS</div>
<div style="background: url('/pwned-style.png')">CSS url()</div>
<iframe src="javascript:window.parent.pwned=1"></iframe>
<iframe srcdoc="&lt;script&gt;parent.pwned=1&lt;/script&gt;"></iframe>
<object data="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"></object>
<embed src="/pwned-embed.swf">
<form action="/pwned-form" method="post"><input name="x" autofocus onfocus="window.pwned = 1"><button>Skicka</button></form>
<details open ontoggle="window.pwned = 1"><summary>Detaljer</summary>mer</details>
<video><source onerror="window.pwned = 1"></video>
<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>
<scr<script>ipt>alert(1)</scr</script>ipt>
<p>Slut.</p>
</body></html>
EOF

U_FIKA=$(append "$DEMO/01-fika.eml" '\Seen')
U_NEWS=$(append "$DEMO/02-nyhetsbrev.eml")
U_PDF=$(append "$DEMO/03-rakning.eml" '\Seen' '\Flagged')
U_REMIND=$(append "$DEMO/04-paminnelse.eml" '\Flagged')
U_HOSTILE=$(append "$TMP/hostile.eml")
export U_FIKA U_NEWS U_PDF U_REMIND U_HOSTILE
export QA_EXPECTED_PDF=$TMP/expected.pdf

DOM=$RUN/vpopmail/domains/emak.se
MD=$(awk -F: '$1 == "klient1" { print $6 }' "$DOM/vpasswd")/Maildir
browser_run mail.js "$MD"
harness_done
