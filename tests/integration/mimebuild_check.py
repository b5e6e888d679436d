#!/usr/bin/env python3
"""mimebuild_check.py: messages built by cgi/mimebuild.c (through the test
program mb_build) read back by an independent reader, Python's email
package, as a receiving mail client would. Each case checks the wire form
(CRLF only, lines <= 998 bytes, no Bcc), that every header decodes to what
was given, that the body comes back as typed and the attachments byte for
byte with their names. Prints TAP. Run by mimebuild.sh."""
import email
import email.policy
import email.utils
import os
import re
import shutil
import subprocess
import sys
import tempfile

BUILD = os.environ.get("QA_BUILDDIR", ".")
DRIVER = os.path.join(BUILD, "tests", "integration", "mb_build")
TMP = tempfile.mkdtemp(prefix="qa-mimebuild.")
n = 0
failed = 0


def ok(cond, name, diag=""):
    global n, failed
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, name))
    if not cond:
        failed += 1
        for line in str(diag).splitlines()[:20]:
            print("#   " + line)


def is_(got, want, name):
    ok(got == want, name, "got:  %r\nwant: %r" % (got, want))


def write(name, data):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def build(*args, env_tz="Europe/Stockholm"):
    """Runs mb_build; returns (raw bytes, rcpts list, message-id) or the error line."""
    rc_path = os.path.join(TMP, "rcpts")
    env = dict(os.environ, TZ=env_tz)
    p = subprocess.run([DRIVER, "--rcpts", rc_path] + list(args), stdout=subprocess.PIPE, env=env)
    if p.returncode != 0:
        return p.stdout.decode("utf-8", "replace").strip(), None, None
    with open(rc_path) as f:
        lines = f.read().splitlines()
    return p.stdout, [l for l in lines if not l.startswith("message-id ")], lines[-1].split(" ", 1)[1]


def wire_checks(raw, what):
    ok(b"\n" not in raw.replace(b"\r\n", b""), what + ": no bare LF")
    ok(b"\r" not in raw.replace(b"\r\n", b""), what + ": no bare CR")
    longest = max(len(l) for l in raw.split(b"\r\n"))
    ok(longest <= 998, what + ": every line <= 998 bytes", "longest %d" % longest)
    head = raw.split(b"\r\n\r\n", 1)[0]
    ok(all(32 <= c < 127 or c in (9, 13, 10) for c in head), what + ": headers are 7-bit ASCII")
    hl = [l for l in head.split(b"\r\n")]
    over = [l for l in hl if len(l) > 78]
    ok(not over, what + ": header lines <= 78", over)


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def unflow(text):
    """RFC 3676 §4.1-4.2 reading, DelSp=no."""
    out, para, depth = [], None, None
    for line in text.split("\r\n"):
        q = len(line) - len(line.lstrip(">"))
        line = line[q:]
        if line.startswith(" "):
            line = line[1:]
        if para is not None and q == depth:
            para += line
        else:
            if para is not None:
                out.append(">" * depth + (" " if depth and para else "") + para)
            para, depth = line, q
        if line.endswith(" ") and line != "-- ":
            continue
        out.append(">" * depth + (" " if depth and para else "") + para)
        para = None
    if para is not None:
        out.append(">" * depth + para)
    return "\n".join(out)


# ---------------------------------------------------------------- the round trip

ALL_BYTES = bytes(range(256)) * 40
SWEDISH_NAME = "Årsrapport för 2024 – Lindström & Åkesson.pdf"
LONG_NAME = "Mötesanteckningar från styrelsemötet i Räksmörgåsföreningen i Östergötland, våren 2024.odt"
BODY = "Hej Åsa!\n\nHär kommer årsrapporten och mötesanteckningarna.\n\nHälsningar\nLars\n-- \nLars Jonsson, emak.se\n"
SUBJECT = "Årsrapport för 2024 — Räksmörgåsföreningens möte i Östergötland, med bilagor"

binfile = write("all-bytes.bin", ALL_BYTES)
pdffile = write("rapport.pdf", b"%PDF-1.4\n" + bytes(range(200)) + b"\n%%EOF\n")
odtfile = write("anteckningar.odt", os.urandom(5000))
bodyfile = write("body.txt", BODY.encode())

raw, rcpts, msgid = build(
    "--from", "Lars Jonsson <lars.jonsson@emak.se>",
    "--to", "\"Lindström, Åsa\" <asa@emak.se>, Klient Två <klient2@emak.se>",
    "--cc", "Styrelsen: per@emak.se, Anna-Karin Öberg <anna-karin@räksmörgås.se>;",
    "--bcc", "arkiv@emak.se, asa@emak.se",
    "--subject", SUBJECT,
    "--body", bodyfile,
    "--in-reply-to", "<20240101.abc@emak.se>",
    "--references", "<root@x.se> <20240101.abc@emak.se>",
    "--user-agent", "qmailadmin-ng webmail",
    "--date", "1717243200",
    "--attach", binfile, "application/octet-stream", "alla-bytes.bin",
    "--attach", pdffile, "application/PDF", SWEDISH_NAME,
    "--attach", odtfile, "application/vnd.oasis.opendocument.text", "C:\\fakepath\\" + LONG_NAME,
)
ok(isinstance(raw, bytes), "round trip: built", raw)
if isinstance(raw, bytes):
    wire_checks(raw, "round trip")
    msg = parse(raw)
    ok(msg.defects == [], "round trip: no defects at the top", msg.defects)
    is_(str(msg["Subject"]), SUBJECT, "round trip: Subject decodes to the input")
    frm = msg["From"].addresses[0]
    is_((frm.display_name, frm.username, frm.domain), ("Lars Jonsson", "lars.jonsson", "emak.se"), "round trip: From")
    is_([(a.display_name, a.addr_spec) for a in msg["To"].addresses],
        [("Lindström, Åsa", "asa@emak.se"), ("Klient Två", "klient2@emak.se")], "round trip: To names decode")
    groups = msg["Cc"].groups
    is_([(g.display_name, [(a.display_name, a.addr_spec) for a in g.addresses]) for g in groups],
        [("Styrelsen", [("", "per@emak.se"), ("Anna-Karin Öberg", "anna-karin@xn--rksmrgs-5wao1o.se")])],
        "round trip: the Cc group, IDN as A-labels")
    ok(msg["Bcc"] is None and b"arkiv@" not in raw, "round trip: no Bcc in the message")
    is_(rcpts, ["asa@emak.se", "klient2@emak.se", "per@emak.se", "anna-karin@xn--rksmrgs-5wao1o.se", "arkiv@emak.se"],
        "round trip: envelope recipients, each once, Bcc last")
    is_(msg["Message-ID"], msgid, "round trip: Message-ID as returned")
    ok(re.fullmatch(r"<[0-9a-f]{32}@emak\.se>", msgid or "") is not None, "round trip: Message-ID random @ sender's domain", msgid)
    is_(msg["In-Reply-To"], "<20240101.abc@emak.se>", "round trip: In-Reply-To")
    is_(msg["References"], "<root@x.se> <20240101.abc@emak.se>", "round trip: References")
    is_(msg["User-Agent"], "qmailadmin-ng webmail", "round trip: User-Agent")
    is_(email.utils.parsedate_to_datetime(msg["Date"]).timestamp(), 1717243200.0, "round trip: Date")
    ok(msg["Date"].endswith("+0200"), "round trip: Date in the local zone", msg["Date"])
    is_(msg["MIME-Version"], "1.0", "round trip: MIME-Version")
    is_(msg.get_content_type(), "multipart/mixed", "round trip: multipart/mixed")
    body = msg.get_body(("plain",))
    is_(body["Content-Transfer-Encoding"], "8bit", "round trip: UTF-8 text goes 8bit")
    is_(body.get_content().replace("\r\n", "\n"), BODY, "round trip: body text as typed")
    atts = list(msg.iter_attachments())
    is_([a.get_filename() for a in atts], ["alla-bytes.bin", SWEDISH_NAME, LONG_NAME],
        "round trip: attachment names (RFC 2231), the path dropped")
    is_([a.get_content_type() for a in atts],
        ["application/octet-stream", "application/pdf", "application/vnd.oasis.opendocument.text"],
        "round trip: attachment types")
    ok(atts and atts[0].get_payload(decode=True) == ALL_BYTES, "round trip: all 256 byte values come back")
    ok(len(atts) > 1 and atts[1].get_payload(decode=True) == open(pdffile, "rb").read(), "round trip: the PDF comes back")
    ok(len(atts) > 2 and atts[2].get_payload(decode=True) == open(odtfile, "rb").read(), "round trip: the ODT comes back")
    b64 = [l for l in raw.split(b"\r\n") if re.fullmatch(rb"[A-Za-z0-9+/=]{20,}", l)]
    ok(b64 and max(len(l) for l in b64) == 76, "round trip: base64 in 76-character lines")
    boundary = msg.get_boundary()
    is_(raw.count(b"--" + boundary.encode()), 5, "round trip: the boundary only where it belongs")

# ---------------------------------------------------------------- text encodings

def body_case(text, expect_cte, what, flowed=False):
    f = write("case.txt", text.encode() if isinstance(text, str) else text)
    args = ["--from", "a@emak.se", "--to", "b@emak.se", "--subject", "x", "--body", f]
    if flowed:
        args.append("--flowed")
    raw, _, _ = build(*args)
    if not isinstance(raw, bytes):
        ok(False, what + ": built", raw)
        return None
    wire_checks(raw, what)
    msg = parse(raw)
    is_(msg["Content-Transfer-Encoding"], expect_cte, what + ": " + expect_cte)
    return msg

m = body_case("Plain ASCII.\nSecond line.\n", "7bit", "ascii body")
if m:
    is_(m.get_content().replace("\r\n", "\n"), "Plain ASCII.\nSecond line.\n", "ascii body: as typed")
long_line = "Lång rad " * 200
m = body_case(long_line + "\nslut\n", "quoted-printable", "long line")
if m:
    is_(m.get_content().replace("\r\n", "\n"), long_line + "\nslut\n", "long line: decodes to the input")
ctl = "tab\there, bell \x07 and a lone CR\r in a line\n.leading dot\nFrom the start\n"
m = body_case(ctl, "quoted-printable", "control characters")
if m:
    is_(m.get_payload(decode=True).decode().replace("\r\n", "\n"), ctl, "control characters: decode to the input")

para = ("Det här är ett långt stycke som en användare skriver utan att trycka på retur, "
        "och det ska skickas som format=flowed så att mottagarens program kan bryta om det. ")
flowed_in = para * 3 + "\n\n> Citerad text som också är ganska lång och som ska brytas på samma sätt med citattecknet kvar, rad för rad.\n \nFrom here\n-- \nLars\n"
m = body_case(flowed_in, "8bit", "flowed", flowed=True)
if m:
    is_(m.get_param("format"), "flowed", "flowed: format=flowed")
    text = m.get_payload(decode=True).decode()
    ok(max(len(l) for l in text.split("\r\n")) <= 78, "flowed: lines within 78")
    want = flowed_in.rstrip("\n").replace("\n \n", "\n\n")
    want = want.replace(para * 3, (para * 3).rstrip())
    is_(unflow(text.rstrip("\r\n")), want, "flowed: unflowed it is the text typed")

# ---------------------------------------------------------------- forward as attachment

fwd = b"From: x@y.se\r\nSubject: Hej\r\nMessage-ID: <orig@y.se>\r\n\r\nH\xc3\xa4r \xc3\xa4r texten.\r\n"
fwdfile = write("fwd.eml", fwd.replace(b"\r\n", b"\n"))
raw, _, _ = build("--from", "a@emak.se", "--to", "b@emak.se", "--subject", "Fwd: Hej",
                  "--body", write("empty.txt", b""), "--attach", fwdfile, "message/rfc822", "Hej.eml")
if isinstance(raw, bytes):
    wire_checks(raw, "forward")
    att = list(parse(raw).iter_attachments())[0]
    is_((att.get_content_type(), att["Content-Transfer-Encoding"]), ("message/rfc822", "8bit"),
        "forward: message/rfc822 as it is, 8bit")
    ok(fwd in raw, "forward: the message's bytes, with CRLF, in the message")
    inner = att.get_content()
    is_((inner["Subject"], inner.get_payload(decode=True)), ("Hej", "Här är texten.\r\n".encode()),
        "forward: read back as a message")
nul = write("nul.eml", b"From: x@y.se\r\n\r\nbinary\x00inside\r\n")
raw, _, _ = build("--from", "a@emak.se", "--to", "b@emak.se", "--attach", nul, "message/rfc822", "x.eml")
if isinstance(raw, bytes):
    att = list(parse(raw).iter_attachments())[0]
    is_(att["Content-Transfer-Encoding"], "base64", "forward with a NUL: base64")

# ---------------------------------------------------------------- drafts, refusals

raw, _, _ = build("--from", "a@emak.se", "--to", "b@emak.se", "--bcc", "Hemlig <c@emak.se>", "--draft")
if isinstance(raw, bytes):
    is_([a.addr_spec for a in parse(raw)["Bcc"].addresses], ["c@emak.se"], "draft: Bcc kept")

for args, want, what in [
    (["--subject", "a\r\nBcc: x@y.se"], "error control subject 0", "Subject with CRLF"),
    (["--subject", "a\nBcc: x@y.se"], "error control subject 0", "Subject with LF"),
    (["--to", "\"Bob\nBcc: x@y.se\" <b@y.se>"], "error addrlist control to 1", "To name with LF"),
    (["--attach", binfile, "application/pdf", "a\rb.pdf"], "error control attachment 1", "file name with CR"),
    (["--attach", binfile, "text/plain\r\nX-Evil: 1", "a.txt"], "error control attachment 1", "type with CRLF"),
    (["--references", "<a@x>\r\nBcc: x@y.se"], "error control references 0", "References with CRLF"),
    (["--in-reply-to", "<a@x>\nX: y"], "error control in_reply_to 0", "In-Reply-To with LF"),
    (["--user-agent", "ua\r\nX: y"], "error control user_agent 0", "User-Agent with CRLF"),
    (["--max", "4000", "--attach", binfile, "application/octet-stream", "x.bin"], "error too_big attachment 1", "size limit: a file"),
    (["--max", "12000", "--attach", binfile, "application/octet-stream", "x.bin"], "error too_big message 0", "size limit: the message"),
]:
    raw, _, _ = build("--from", "a@emak.se", "--to", "b@emak.se", *args)
    is_(raw, want, "refused: " + what)

# A typed list's new lines are white space: "Bcc:" there starts a group
# inside Cc (the user typed it), never a header line of its own.
raw, rcpts, _ = build("--from", "a@emak.se", "--cc", "a@x.se, b@y.se\r\nBcc: x@y.se")
if isinstance(raw, bytes):
    ok(not re.search(rb"^Bcc:", raw, re.M), "Cc with CRLF inside: no Bcc line")
    is_([g.display_name for g in parse(raw)["Cc"].groups], [None, None, "Bcc"], "Cc with CRLF inside: a group in Cc")
    is_(rcpts, ["a@x.se", "b@y.se", "x@y.se"], "Cc with CRLF inside: its recipients are visible ones")

shutil.rmtree(TMP, ignore_errors=True)
print("1..%d" % n)
sys.exit(1 if failed else 0)
