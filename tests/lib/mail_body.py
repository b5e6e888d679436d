#!/usr/bin/env python3
"""mail_body.py: reads a message view page (/mail/msg) for
tests/integration/ui_mail_view.sh, with Python's own HTML parser rather than
anything of the app's, so that it is a second, independent reading.

  mail_body.py check FILE      the element with id="body" (the message's
                               shown parts) holds nothing that could run,
                               load or submit anything: no script, iframe,
                               object, embed, form or its controls, base,
                               meta, link, style, svg, math, frame(set),
                               applet, noscript, template; no on* attribute;
                               no javascript:, data:, vbscript: or other
                               non-http(s)/mailto URL; no style with url(,
                               expression, @import, behavior or binding.
                               Prints each finding; exit status 1 if any.
  mail_body.py text FILE ID    the text of the element with id=ID (each
                               tag a space, entities decoded, white space
                               collapsed); exit status 1 if there is none.
  mail_body.py attr FILE TAG NAME   the NAME attribute of every TAG element
                               inside id="body", one a line (decoded).
"""
import re
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "frame", "keygen"}
BANNED = {"script", "iframe", "object", "embed", "form", "input", "button", "select", "textarea",
          "base", "meta", "link", "style", "svg", "math", "frame", "frameset", "applet",
          "noscript", "template", "portal", "audio", "video", "source", "param"}
URL_ATTRS = {"href", "src", "action", "formaction", "background", "poster", "data", "codebase",
             "cite", "longdesc", "usemap", "srcset", "xlink:href", "lowsrc", "dynsrc"}
SAFE_SCHEMES = {"http", "https", "mailto"}
BAD_CSS = re.compile(r"url\s*\(|expression|@import|behavior|binding|javascript|\\", re.I)


class Region(HTMLParser):
    """Collects the start tags and text inside the element with id=want."""

    def __init__(self, want):
        super().__init__(convert_charrefs=True)
        self.want = want
        self.depth = 0          # open elements inside the region (0: outside)
        self.done = False
        self.found = False
        self.tags = []          # (tag, attrs) inside the region
        self.text = []

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if self.depth:
            self.tags.append((tag, attrs))
            self.text.append(" ")
            if tag not in VOID:
                self.depth += 1
        elif dict(attrs).get("id") == self.want:
            self.found = True
            self.depth = 1

    def handle_startendtag(self, tag, attrs):
        if self.depth and not self.done:
            self.tags.append((tag, attrs))
        elif not self.done and dict(attrs).get("id") == self.want:
            self.found = True
            self.done = True

    def handle_endtag(self, tag):
        if self.depth and not self.done and tag not in VOID:
            self.text.append(" ")
            self.depth -= 1
            if self.depth == 0:
                self.done = True

    def handle_data(self, data):
        if self.depth and not self.done:
            self.text.append(data)


def region(path, want):
    with open(path, encoding="utf-8", errors="strict") as f:
        page = f.read()
    r = Region(want)
    r.feed(page)
    r.close()
    return r


def url_bad(value):
    # As a browser reads a URL: controls and spaces around it cut, tabs and
    # newlines inside removed; then the scheme, if any, must be a safe one.
    v = re.sub(r"[\t\n\r]", "", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                              "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
                                              "\x19\x1a\x1b\x1c\x1d\x1e\x1f \x7f")
    m = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", v)
    return bool(m) and m.group(1).lower() not in SAFE_SCHEMES


def check(path):
    r = region(path, "body")
    bad = []
    if not r.found:
        bad.append('no element with id="body"')
    for tag, attrs in r.tags:
        if tag in BANNED:
            bad.append(f"element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                bad.append(f"<{tag} {name}=...>")
            if name in URL_ATTRS and url_bad(value):
                bad.append(f"<{tag} {name}={value!r}>")
            if name == "style" and BAD_CSS.search(value):
                bad.append(f"<{tag} style={value!r}>")
            if name in ("srcdoc", "srcset", "formaction", "http-equiv"):
                bad.append(f"<{tag} {name}>")
    for b in bad:
        print(b)
    return 1 if bad else 0


def text(path, want):
    r = region(path, want)
    if not r.found:
        return 1
    print(" ".join("".join(r.text).split()))
    return 0


def attr(path, tag, name):
    for t, attrs in region(path, "body").tags:
        if t == tag:
            for n, v in attrs:
                if n == name:
                    print(v or "")
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    if len(argv) == 4 and argv[1] == "text":
        return text(argv[2], argv[3])
    if len(argv) == 5 and argv[1] == "attr":
        return attr(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
