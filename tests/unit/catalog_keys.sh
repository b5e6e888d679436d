#!/bin/bash
# Every catalog key that C code names with MSG("...") exists in every catalog.
# (Keys used by templates are checked by test_catalogs.)
set -u
. "$QA_SRCDIR/tests/lib/tap.sh"

keys=$(grep -ohE 'MSG\("[^"]+"\)' "$QA_SRCDIR"/cgi/*.c | sed -E 's/MSG\("([^"]+)"\)/\1/' | sort -u)
[ -n "$keys" ] || tap_bail "no MSG() keys found in cgi/*.c"
for cat in "$QA_SRCDIR"/templates/lang/*; do
	lang=$(basename "$cat")
	for k in $keys; do
		tap_ok "$lang defines $k" grep -qE "^${k//./\\.}[[:space:]]*=" "$cat"
	done
done
tap_done
