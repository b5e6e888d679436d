#!/bin/bash
# mimebuild.sh: messages built by cgi/mimebuild.c (through the test program
# mb_build) read back by an independent reader, Python's email package:
# headers decode to what was given, attachments come back byte for byte
# with their names, CRLF only, no line over 998 bytes, no Bcc, and every
# header injection attempt refused. The checks are in mimebuild_check.py.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${QA_BUILDDIR:=$QA_SRCDIR}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || tap_skip_all "no python3"
[ -x "$QA_BUILDDIR/tests/integration/mb_build" ] || tap_bail "no mb_build in $QA_BUILDDIR (make check builds it)"
export QA_BUILDDIR
exec python3 "$QA_SRCDIR/tests/integration/mimebuild_check.py"
