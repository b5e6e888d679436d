#!/usr/bin/env python3
"""fill.py: bench/webmail's INBOX, written straight into a Maildir's cur/.

    fill.py MAILDIR COUNT

COUNT varied messages (senders, subjects, Date headers over two years,
bodies of 1-20 kB; about a fifth multipart/alternative, a tenth
multipart/mixed with a small attachment; most read, some flagged or
answered), then two big ones, each about 1 MB:

    big-text   text/plain, UTF-8, 8bit: ~1 MB of prose with a link now and
               then; the view shows it whole (section 1)
    big-html   multipart/mixed: multipart/alternative (a short text/plain and
               a ~700 kB text/html, the part the view shows: section 1.2) and
               a ~300 kB base64 PDF attachment (listed, not fetched)

Maildir names are "TIME.MUSECPPIDQN.bench,S=SIZE,W=VSIZE:2,FLAGS", the
names sorting in the order written, so Dovecot gives UIDs 1..COUNT to the
small ones and COUNT+1, COUNT+2 to the big ones; each file's mtime is its
arrival (INTERNALDATE). Prints "big-text UID" and "big-html UID". Seeded:
every run writes the same mailbox.
"""
import base64
import os
import random
import sys
import time

FIRST = ["Anna", "Björn", "Cecilia", "David", "Elin", "Fredrik", "Greta", "Hans",
         "Ingrid", "Johan", "Karin", "Lars", "Maria", "Nils", "Olof", "Petra",
         "Rasmus", "Sofia", "Tomas", "Ulla", "Viktor", "Åsa", "Örjan", "Zoë"]
LAST = ["Andersson", "Berg", "Carlsson", "Dahl", "Ek", "Forsberg", "Gustafsson",
        "Holm", "Isaksson", "Jansson", "Karlsson", "Lind", "Magnusson", "Nyström",
        "Olsson", "Persson", "Quist", "Rydén", "Svensson", "Törnqvist"]
DOMAINS = ["example.com", "example.org", "emak.se", "lists.example.net", "mail.example.se",
           "shop.example", "news.example.com", "bank.example"]
WORDS = ("the of and to in is that for it as with was on be at by this had not are but from or "
         "have an they which one you were all we her she there would their will when who him "
         "been has more if no out do so can what up said about other into than its time only "
         "could new them man some these then two first may any like now my such make over our "
         "even most me state after also made many did must before back see through way where "
         "get much go well your know should down work year because come people just say each "
         "invoice meeting report budget release server mailbox quota password schedule "
         "räksmörgås blåbär överenskommelse får gärna").split()
SUBJECTS = ["Meeting on {d}", "Invoice {n}", "Re: {w} {w}", "Fwd: {w} report", "Your order {n}",
            "Weekly {w} summary", "Question about {w}", "{W} {w} {w}", "Re: Re: {w} plans",
            "Påminnelse: {w}", "[list] {W} {w} {w} {w}"]
NOW = int(time.time())


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def encoded_word(s):
    return "=?UTF-8?B?" + base64.b64encode(s.encode()).decode() + "?="


def display(rng):
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    addr = f"{name.split()[0].lower()}.{rng.randrange(100)}@{rng.choice(DOMAINS)}"
    addr = addr.encode("ascii", "replace").decode().replace("?", "o")
    if rng.random() < 0.1:
        return addr
    if all(ord(ch) < 128 for ch in name):
        return f'"{name}" <{addr}>'
    return f"{encoded_word(name)} <{addr}>"


def subject(rng, i):
    s = rng.choice(SUBJECTS).format(d=f"{rng.randrange(1, 29)}/{rng.randrange(1, 13)}", n=10000 + i,
                                    w=rng.choice(WORDS), W=rng.choice(WORDS).capitalize())
    return encoded_word(s) if any(ord(ch) > 127 for ch in s) else s


def text(rng, size):
    """Lines of prose, about size bytes, a link now and then."""
    out, n = [], 0
    while n < size:
        line = words(rng, rng.randrange(6, 13))
        if rng.random() < 0.03:
            line += f" https://www.{rng.choice(DOMAINS)}/{rng.choice(WORDS)}?id={rng.randrange(10**6)}"
        out.append(line)
        n += len(line.encode()) + 1
    return "\n".join(out) + "\n"


def html_of(body):
    paras = body.split("\n\n") if "\n\n" in body else [body[i:i + 600] for i in range(0, len(body), 600)]
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>p{margin:0 0 1em}</style>"
            "</head><body>\n" + "\n".join(
                f"<p style=\"color:#333\">{p.replace('&', '&amp;').replace('<', '&lt;')}</p>"
                for p in paras if p) + "\n</body></html>\n")


def b64_lines(data):
    enc = base64.b64encode(data).decode()
    return "\n".join(enc[i:i + 76] for i in range(0, len(enc), 76)) + "\n"


def headers(rng, i, date, subj, ctype, extra=""):
    return (f"Return-Path: <bounce{i}@{rng.choice(DOMAINS)}>\n"
            f"From: {display(rng)}\nTo: klient1@bench.example\n"
            + (f"Cc: {display(rng)}\n" if rng.random() < 0.2 else "")
            + f"Subject: {subj}\n"
            f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime(date))}\n"
            f"Message-ID: <bench.{i}.{rng.randrange(10**9)}@bench.example>\n"
            f"MIME-Version: 1.0\n{ctype}{extra}\n")


def small(rng, i, date):
    size = rng.randrange(1000, 20000)
    kind = rng.random()
    subj = subject(rng, i)
    if kind < 0.2:
        body = text(rng, size * 0.4)
        b = f"alt{i}"
        return headers(rng, i, date, subj, f'Content-Type: multipart/alternative; boundary="{b}"\n') + (
            f"--{b}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
            f"--{b}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            f"{html_of(body)}--{b}--\n")
    if kind < 0.3:
        body = text(rng, size * 0.3)
        b = f"mix{i}"
        blob = rng.randbytes(int(size * 0.5))
        return headers(rng, i, date, subj, f'Content-Type: multipart/mixed; boundary="{b}"\n') + (
            f"--{b}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
            f"--{b}\nContent-Type: application/pdf; name=\"doc{i}.pdf\"\n"
            f"Content-Disposition: attachment; filename=\"doc{i}.pdf\"\n"
            f"Content-Transfer-Encoding: base64\n\n{b64_lines(blob)}--{b}--\n")
    return headers(rng, i, date, subj, "Content-Type: text/plain; charset=utf-8\n",
                   "Content-Transfer-Encoding: 8bit\n") + text(rng, size)


def big_text(rng, date):
    return headers(rng, 0, date, "Big text 1 MB", "Content-Type: text/plain; charset=utf-8\n",
                   "Content-Transfer-Encoding: 8bit\n") + text(rng, 1000000)


def big_html(rng, date):
    body = text(rng, 650000)
    return headers(rng, 1, date, "Big HTML 1 MB", 'Content-Type: multipart/mixed; boundary="big"\n') + (
        "This is a multi-part message in MIME format.\n\n"
        '--big\nContent-Type: multipart/alternative; boundary="bigalt"\n\n'
        "--bigalt\nContent-Type: text/plain; charset=utf-8\n\nSee the HTML part.\n"
        f"--bigalt\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        f"{html_of(body)}--bigalt--\n"
        '--big\nContent-Type: application/pdf; name="report.pdf"\n'
        'Content-Disposition: attachment; filename="report.pdf"\n'
        f"Content-Transfer-Encoding: base64\n\n{b64_lines(rng.randbytes(230000))}--big--\n")


def write(cur, seq, arrival, msg, flags):
    data = msg.encode()
    vsize = len(data) + data.count(b"\n")
    name = f"{1700000000 + seq}.M{seq % 1000000}P{os.getpid()}Q{seq}.bench,S={len(data)},W={vsize}:2,{flags}"
    path = os.path.join(cur, name)
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (arrival, arrival))
    return len(data)


def main():
    maildir, count = sys.argv[1], int(sys.argv[2])
    cur = os.path.join(maildir, "cur")
    rng = random.Random(5)
    total = 0
    for i in range(1, count + 1):
        date = NOW - rng.randrange(2 * 365 * 86400)
        r = rng.random()
        flags = "" if r < 0.25 else "FS" if r < 0.3 else "RS" if r < 0.4 else "S"
        total += write(cur, i, date + rng.randrange(600), small(rng, i, date), flags)
    old = NOW - 3 * 365 * 86400           # older than the rest: page 1 stays ordinary
    sizes = [write(cur, count + 1, old, big_text(rng, old), "S"),
             write(cur, count + 2, old + 60, big_html(rng, old + 60), "S")]
    print(f"wrote {count} messages ({total // 1024} kB) and two big ones "
          f"({sizes[0]} and {sizes[1]} bytes)", file=sys.stderr)
    print(f"big-text {count + 1}")
    print(f"big-html {count + 2}")


if __name__ == "__main__":
    main()
