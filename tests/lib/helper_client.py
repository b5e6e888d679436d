#!/usr/bin/env python3
"""helper_client: send one request to qmailadmin-helper and print the answer.

    helper_client.py HELPER OP [key=value ...]

Builds the request frame exactly as common/proto.h describes (independent
code, so the tests check the helper against the documented protocol, not
against our own encoder), runs HELPER with it on stdin, and prints:

    status <name>            ("ok" or an error name)
    field <field>
    detail <text>
    exit <helper exit status>
    head.<key> <value>       (the scalars record)
    item<N>.<key> <value>    (list items, N from 1)

A value may be given as key=@FILE to send a file's bytes. With the option
--raw-stdin the request bytes are read from stdin instead (hostile frames).
"""
import subprocess
import sys


def ns(b):
    return str(len(b)).encode() + b":" + b + b","


def take(buf, pos):
    colon = buf.index(b":", pos)
    n = int(buf[pos:colon])
    start = colon + 1
    if buf[start + n:start + n + 1] != b",":
        raise ValueError("bad netstring")
    return buf[start:start + n], start + n + 1


def decode(answer):
    outer, end = take(answer, 0)
    if end != len(answer):
        raise ValueError("bytes after the answer")
    items, pos = [], 0
    while pos < len(outer):
        item, pos = take(outer, pos)
        items.append(item)
    magic, status, field, detail = items[:4]
    if magic != b"qa1":
        raise ValueError("bad magic")
    records = []
    for rec in items[4:]:
        kv, pos = [], 0
        while pos < len(rec):
            k, pos = take(rec, pos)
            v, pos = take(rec, pos)
            kv.append((k.decode(), v.decode("utf-8", "replace")))
        records.append(kv)
    return status.decode(), field.decode(), detail.decode(), records


def main():
    args = sys.argv[1:]
    raw = False
    if args and args[0] == "--raw-stdin":
        raw = True
        args = args[1:]
    helper, op, pairs = args[0], args[1] if len(args) > 1 else "", args[2:]
    if raw:
        request = sys.stdin.buffer.read()
    else:
        inner = ns(b"qa1") + ns(op.encode())
        for p in pairs:
            k, v = p.split("=", 1)
            if v.startswith("@"):
                with open(v[1:], "rb") as f:
                    vb = f.read()
            else:
                vb = v.encode()
            inner += ns(k.encode()) + ns(vb)
        request = ns(inner)
    r = subprocess.run([helper], input=request, capture_output=True)
    try:
        status, field, detail, records = decode(r.stdout)
    except (ValueError, IndexError) as e:
        print("status undecodable")
        print("detail %s" % e)
        print("exit %d" % r.returncode)
        return
    print("status " + status)
    print("field " + field)
    print("detail " + detail)
    print("exit %d" % r.returncode)
    for i, rec in enumerate(records):
        prefix = "head" if i == 0 else "item%d" % i
        for k, v in rec:
            print("%s.%s %s" % (prefix, k, v))


main()
