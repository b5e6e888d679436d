#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck disable=SC2016 # ($6$ hashes are meant literally)
# cli_alias.sh: aliases, forwards, the catch-all, limits and the CSV import
# through qmailadmin-ctl on a temp /var/qmail and ~vpopmail, checking the
# files the real tools read (formats.md section 7) byte for byte, and that
# a refused import leaves the whole tree as it was.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${QA_BUILDDIR:=$QA_SRCDIR}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=scripts/lib.sh
. "$QA_SRCDIR/scripts/lib.sh"

CTL=$QA_BUILDDIR/qmailadmin-ctl
[ -x "$CTL" ] || tap_bail "no qmailadmin-ctl at $CTL (QA_BUILDDIR)"

RUN=$(mktemp -d /tmp/qa-cli.XXXXXX)
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$RUN"' EXIT
# As root the CLI becomes the vpopmail user (nobody here): it must reach RUN.
mapfile -t store < <(store_layout "$RUN")
VP=$RUN/vpopmail
printf '%s\n' "${store[@]}" "qmail_reload = none" "templates_dir = $QA_SRCDIR/templates" \
	"tmp_dir = $RUN" >"$RUN/qmailadmin.conf"
export QMAILADMIN_CONF=$RUN/qmailadmin.conf
DOM=$VP/domains/emak.se
OUT='' RC=0

ctl() {	# ctl ARGS...: runs qmailadmin-ctl; OUT = stdout and stderr, RC = status
	RC=0
	OUT=$("$CTL" "$@" 2>&1) || RC=$?
}

file_is() {	# file_is NAME PATH CONTENT: PATH holds exactly CONTENT (printf format)
	# shellcheck disable=SC2059
	if [ -f "$2" ] && cmp -s "$2" <(printf "$3"); then
		tap_ok "$1" true
	else
		tap_ok "$1" false
		if [ -f "$2" ]; then od -c "$2" | sed 's/^/#   /' | head -10; fi
	fi
}

snapshot() {	# every path under RUN's trees with type, mode, size and checksum
	(cd "$RUN" && find qmail vpopmail -printf '%p %y %m %s\n' | sort &&
		find qmail vpopmail -type f -print0 | sort -z | xargs -0 md5sum)
}

# The first run makes the helper's state (its key) as the vpopmail user;
# a first run as root (domain add) would leave it unreadable to the rest.
ctl domain list
ctl domain add emak.se Postm4ster
tap_is "vadddomain emak.se" "$RC" 0
ctl user add joe@emak.se Secret12
tap_is "vadduser joe@emak.se" "$RC" 0
JOEDIR=$(grep '^joe:' "$DOM/vpasswd" | cut -d: -f6)

# ---- aliases
ctl alias set info@emak.se joe sales@other.org
tap_is "alias set with two targets" "$RC" 0
file_is ".qmail-info as qmailadmin writes it" "$DOM/.qmail-info" '&joe@emak.se\n&sales@other.org\n'
tap_is ".qmail-info is mode 600" "$(stat -c %a "$DOM/.qmail-info")" 600
ctl alias list emak.se
tap_is "alias list" "$OUT" "$(printf 'info\tforward\tjoe@emak.se,sales@other.org')"
ctl alias show info@emak.se
tap_like "alias show: kind" "$OUT" '^kind: forward$'
ctl alias set joe@emak.se a@b.se
tap_is "alias over a mailbox: refused" "$RC" 1
tap_like "alias over a mailbox: says why" "$OUT" 'joe@emak.se is a mailbox'
tap_ok "alias over a mailbox: no file" test ! -e "$DOM/.qmail-joe"
ctl alias set x2@emak.se nosuch
tap_is "alias to a missing local name: refused" "$RC" 1
tap_like "alias to a missing local name: not_found" "$OUT" 'not_found'
ctl alias set x2@emak.se
tap_is "alias set without targets: usage" "$RC" 2
ctl alias set x2@emak.se $(seq -f 'a%g@b.se' 1 51)
tap_is "alias with 51 targets: refused" "$RC" 1
ctl alias set x2@emak.se 'a@b.se;reboot'
tap_is "alias to a hostile target: refused" "$RC" 1
ctl alias blackhole spam@emak.se
file_is "blackhole: a single #" "$DOM/.qmail-spam" '#\n'
ctl alias del spam@emak.se
tap_ok "alias del removes the file" test ! -e "$DOM/.qmail-spam"
ctl alias del spam@emak.se
tap_is "alias del of a missing alias: refused" "$RC" 1

# ---- a mailbox's forwards
ctl forward set joe@emak.se joe@elsewhere.org --copy
tap_is "forward set --copy" "$RC" 0
file_is "forward with a saved copy" "$JOEDIR/.qmail" "&joe@elsewhere.org\n$JOEDIR/Maildir/\n"
ctl forward show joe@emak.se
tap_like "forward show: save_copy" "$OUT" '^save_copy: 1$'
ctl forward set joe@emak.se joe@elsewhere.org
file_is "forward without a copy" "$JOEDIR/.qmail" '&joe@elsewhere.org\n'
ctl forward set joe@emak.se joe@emak.se
tap_is "forward to itself: refused" "$RC" 1
ctl forward clear joe@emak.se
tap_ok "forward clear: normal delivery, no .qmail" test ! -e "$JOEDIR/.qmail"

# ---- catch-all
VD="| $VP/bin/vdelivermail ''"
ctl catchall set emak.se user joe
file_is "catch-all to a mailbox" "$DOM/.qmail-default" "$VD joe@emak.se\n"
ctl catchall show emak.se
tap_like "catchall show: mode user" "$OUT" '^mode: user$'
ctl catchall set emak.se user nosuch
tap_is "catch-all to a missing mailbox: refused" "$RC" 1
ctl catchall set emak.se domain other.tld
file_is "catch-all to another domain" "$DOM/.qmail-default" "$VD \$EXT@other.tld\n"
ctl catchall set emak.se forward all@other.org
file_is "catch-all forward" "$DOM/.qmail-default" "$VD all@other.org\n"
ctl catchall set emak.se bounce
file_is "catch-all bounce" "$DOM/.qmail-default" "$VD bounce-no-mailbox\n"
ctl catchall set emak.se delete
file_is "catch-all delete" "$DOM/.qmail-default" "$VD delete\n"
ctl catchall set emak.se sideways
tap_is "catch-all with an unknown mode: refused" "$RC" 1

# ---- limits
ctl limits set emak.se maxforwards=1 disable_pop=1
tap_is "limits set" "$RC" 0
tap_like "limits file: maxforwards" "$(cat "$DOM/.qmailadmin-limits")" '^maxforwards: 1$'
tap_is ".qmailadmin-limits is mode 600" "$(stat -c %a "$DOM/.qmailadmin-limits")" 600
ctl limits show emak.se
tap_like "limits show: disable_pop" "$OUT" '^disable_pop: 1$'
ctl alias set second@emak.se a@b.se
tap_is "maxforwards reached: refused" "$RC" 1
tap_like "maxforwards reached: limit" "$OUT" '^qmailadmin-ctl: limit'
ctl limits set emak.se bogus=1
tap_is "limits set with an unknown key: refused" "$RC" 1
ctl limits set emak.se maxforwards
tap_is "limits set without KEY=VALUE: usage" "$RC" 2
ctl limits reset emak.se
tap_ok "limits reset removes the file" test ! -e "$DOM/.qmailadmin-limits"
ctl alias set second@emak.se a@b.se
tap_is "after reset the alias may be added" "$RC" 0

# ---- CSV import: all or nothing
for i in $(seq 0 999); do
	printf 'user%04d,Pw%04d-secret,"User %d, Jr",10M\n' "$i" "$i" "$i"
done >"$RUN/good.csv"
sed '500s/.*/user 0499,pw,Bad Name,10M/' "$RUN/good.csv" >"$RUN/bad.csv"
before=$(snapshot)
ctl user import emak.se "$RUN/bad.csv"
tap_is "import with a bad row: refused" "$RC" 1
tap_like "import with a bad row: names line 500" "$OUT" 'line 500: '
tap_is "import with a bad row: tree unchanged" "$(snapshot)" "$before"
{ cat "$RUN/good.csv"; echo 'user0007,again,Dup,'; } >"$RUN/dup.csv"
ctl user import emak.se "$RUN/dup.csv"
tap_like "import with a name twice: names both lines" "$OUT" 'line 1001: user0007 is already on line 8'
tap_is "import with a name twice: tree unchanged" "$(snapshot)" "$before"
ctl user import emak.se "$RUN/good.csv"
tap_is "import of 1,000 users" "$OUT" "added: 1000"
tap_is "vpasswd holds them all" "$(grep -c '^user0' "$DOM/vpasswd")" 1000
if command -v cdb >/dev/null 2>&1; then
	tap_like "cdb -q vpasswd.cdb user0999" "$(cdb -q "$DOM/vpasswd.cdb" user0999)" \
		'^\$6\$[^:]*:1:0:User 999, Jr:/.*/user0999:10485760S$'
fi
ctl user import emak.se "$RUN/good.csv"
tap_is "importing them again: refused" "$RC" 1
printf 'Local-Part,Password,Full Name,Quota\r\nbob1,pw123456,Bob,\r\n' >"$RUN/header.csv"
ctl user import emak.se "$RUN/header.csv"
tap_is "a header line is skipped" "$OUT" "added: 1"
printf 'User,Password\nbob2,$6$saltsalt$abcdefghijklmnopqrstuvwxyz\n' >"$RUN/hash.csv"
ctl user import emak.se "$RUN/hash.csv"
tap_is "a crypt hash is taken as it is" "$(grep '^bob2:' "$DOM/vpasswd" | cut -d: -f2)" \
	'$6$saltsalt$abcdefghijklmnopqrstuvwxyz'

tap_done
