#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck disable=SC2016 # ($6$ hashes and '!domain-' keys are meant literally)
# store_cli.sh: the old manual's flow (vadddomain emak.se, vadduser
# lars.jonsson@emak.se, vpasswd, ...) through qmailadmin-ctl under
# vpopmail's command names, on a temp /var/qmail and ~vpopmail. Every file
# is checked with an independent reader: tinycdb's `cdb -q`/`cdb -d` for
# vpasswd.cdb, users/cdb and morercpthosts.cdb, perl's crypt() for the
# hashes, grep and cmp for the text files. Then hostile input in every
# field: refused with exit 1 and a clear message, the tree byte-identical.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${QA_BUILDDIR:=$QA_SRCDIR}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
# shellcheck source=scripts/lib.sh
. "$QA_SRCDIR/scripts/lib.sh"

CTL=$QA_BUILDDIR/qmailadmin-ctl
[ -x "$CTL" ] || tap_bail "no qmailadmin-ctl at $CTL (QA_BUILDDIR)"
for tool in cdb perl; do
	command -v "$tool" >/dev/null || tap_skip_all "$tool is not installed"
done

RUN=$(mktemp -d /tmp/qa-store-cli.XXXXXX)
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$RUN"' EXIT
# As root the CLI becomes the vpopmail user (nobody here): it must reach RUN.
mapfile -t store < <(store_layout "$RUN")
Q=$RUN/qmail
VP=$RUN/vpopmail
mkdir -p "$RUN/bin"
: >"$Q/control/locals"
vuser=$(printf '%s\n' "${store[@]}" | sed -n 's/^vpopmail_user = //p')
vgroup=$(printf '%s\n' "${store[@]}" | sed -n 's/^vpopmail_group = //p')
VUID=$(id -u "$vuser") VGID=$(getent group "$vgroup" | cut -d: -f3)
printf '%s\n' "${store[@]}" "qmail_reload = none" >"$RUN/qmailadmin.conf"
export QMAILADMIN_CONF=$RUN/qmailadmin.conf
for name in qmailadmin-ctl vadddomain vdeldomain vadduser vdeluser vpasswd; do
	ln -s "$CTL" "$RUN/bin/$name"
done
PATH=$RUN/bin:$PATH
DOM=$VP/domains/emak.se
OUT='' ERR='' RC=0

run() {	# run CMD ARGS...: OUT = stdout, ERR = stderr, RC = exit status
	RC=0
	OUT=$("$@" 2>"$RUN/stderr") || RC=$?
	ERR=$(cat "$RUN/stderr")
}

line_of() {	# line_of NAME: NAME's line in emak.se's vpasswd
	grep "^$1:" "$DOM/vpasswd" || true
}

field() {	# field NAME N: field N of NAME's vpasswd line
	line_of "$1" | cut -d: -f"$2"
}

crypt_ok() {	# crypt_ok PASSWORD HASH: crypt(3) (perl's, libc's) agrees
	[ -n "$2" ] && [ "$(perl -e 'print crypt($ARGV[0], $ARGV[1])' "$1" "$2")" = "$2" ]
}

cdb_agrees() {	# cdb_agrees NAME: cdb -q vpasswd.cdb NAME is the rest of NAME's line
	local want got
	want=$(line_of "$1" | cut -d: -f2-)
	got=$(cdb -q "$DOM/vpasswd.cdb" "$1") || return 1
	[ -n "$want" ] && [ "$got" = "$want" ]
}

vpasswd_records() {	# vpasswd_records FILE: the records vpopmail builds, as cdb -d prints
	LC_ALL=C awk '{ i = index($0, ":"); k = substr($0, 1, i - 1); v = substr($0, i + 1)
		printf "+%d,%d:%s->%s\n", length(k), length(v), k, v }' "$1"
}

cdb_is_vpasswd() {	# cdb_is_vpasswd DOMDIR: the cdb holds exactly vpasswd's records
	diff <(cdb -d "$1/vpasswd.cdb" | grep -v '^$' | LC_ALL=C sort) \
		<(vpasswd_records "$1/vpasswd" | LC_ALL=C sort) >/dev/null
}

users_cdb_is() {	# users_cdb_is DOMAIN REAL: what vget_assign reads for DOMAIN
	local got want
	got=$(cdb -q "$Q/users/cdb" "!$1-" | od -An -c | tr -s ' \n' ' ')
	want=$(printf '%s\0%s\0%s\0%s\0-\0' "$2" "$VUID" "$VGID" "$VP/domains/$2" |
		od -An -c | tr -s ' \n' ' ')
	[ "$got" = "$want" ]
}

is_home() {	# is_home DIR: a vadduser home
	[ -d "$1/Maildir/cur" ] && [ -d "$1/Maildir/new" ] && [ -d "$1/Maildir/tmp" ] &&
		[ "$(cat "$1/lastauth")" = 0.0.0.0 ] && [ "$(stat -c %a "$1")" = 700 ] &&
		[ "$(stat -c %a "$1/lastauth")" = 600 ]
}

# The first run makes the helper's state (its key) as the vpopmail user;
# a first run as root (domain add) would leave it unreadable to the rest.
run qmailadmin-ctl domain list

# ---------------------------------------------------------------- the manual
run vadddomain emak.se Postm4ster
tap_is "vadddomain emak.se Postm4ster" "$RC" 0
tap_is "users/assign" "$(cat "$Q/users/assign")" \
	"$(printf '+emak.se-:emak.se:%s:%s:%s:-::\n.' "$VUID" "$VGID" "$DOM")"
tap_ok "users/cdb: !emak.se- as qmail-newu builds it" users_cdb_is emak.se emak.se
tap_is "users/cdb: the wildchars record" "$(cdb -q "$Q/users/cdb" '')" -
tap_is "rcpthosts" "$(cat "$Q/control/rcpthosts")" emak.se
tap_is "virtualdomains" "$(cat "$Q/control/virtualdomains")" emak.se:emak.se
tap_is ".qmail-default" "$(cat "$DOM/.qmail-default")" "| $VP/bin/vdelivermail '' delete"
tap_is "domains/.dir-control" "$(tr '\n' '|' <"$VP/domains/.dir-control")" '1|0|3|0 0 0|61 61 61|0 2 4|0 0 0||'
tap_is "postmaster: fields" "$(field postmaster 1,3-7)" "postmaster:1:0:Postmaster:$DOM/postmaster:NOQUOTA"
tap_ok "postmaster: crypt(Postm4ster)" crypt_ok Postm4ster "$(field postmaster 2)"
tap_like "postmaster: SHA-512 with vpopmail's 8-character salt" "$(field postmaster 2)" '^\$6\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{86}$'
tap_ok "postmaster: cdb -q vpasswd.cdb" cdb_agrees postmaster
tap_ok "postmaster: a vadduser home" is_home "$DOM/postmaster"

run vadduser klient1@emak.se Klient1pw -c "Klient 1"
tap_is "vadduser klient1@emak.se" "$RC" 0
run vadduser klient2@emak.se Klient2pw -c "Klient 2"
tap_is "vadduser klient2@emak.se" "$RC" 0
run vadduser lars.jonsson@emak.se Axm01 -c "Lars Jönsson"
tap_is "vadduser lars.jonsson@emak.se -c \"Lars Jönsson\"" "$RC" 0
tap_is "vpasswd is sorted by name" "$(cut -d: -f1 "$DOM/vpasswd" | tr '\n' ' ')" \
	"klient1 klient2 lars.jonsson postmaster "
tap_is "lars.jonsson: fields" "$(field lars.jonsson 1,3-7)" \
	"lars.jonsson:1:0:Lars Jönsson:$DOM/lars.jonsson:NOQUOTA"
tap_ok "lars.jonsson: crypt(Axm01)" crypt_ok Axm01 "$(field lars.jonsson 2)"
for u in klient1 klient2 lars.jonsson; do
	tap_ok "$u: cdb -q vpasswd.cdb" cdb_agrees $u
	tap_ok "$u: a vadduser home" is_home "$DOM/$u"
done
tap_ok "vpasswd.cdb holds vpasswd, nothing else" cdb_is_vpasswd "$DOM"
tap_is "emak.se/.dir-control" "$(tr '\n' '|' <"$DOM/.dir-control")" '4|0|3|0 0 0|61 61 61|0 2 2|0 0 0||'

run vpasswd lars.jonsson@emak.se MhGts
tap_is "vpasswd lars.jonsson@emak.se MhGts" "$RC" 0
tap_ok "lars.jonsson: crypt(MhGts)" crypt_ok MhGts "$(field lars.jonsson 2)"
tap_ok "lars.jonsson: the cdb has the new hash" cdb_agrees lars.jonsson

run qmailadmin-ctl user quota klient2@emak.se 50M
tap_is "user quota klient2 50M" "$RC" 0
tap_is "klient2: quota field" "$(field klient2 7)" 52428800S
tap_is "klient2: maildirsize" "$(cat "$DOM/klient2/Maildir/maildirsize")" "$(printf '52428800S\n0 0')"
run qmailadmin-ctl user mod klient1@emak.se -f no_pop,no_webmail
tap_is "user mod klient1 -f no_pop,no_webmail (vmoduser -p -w)" "$(field klient1 4)" 6
run qmailadmin-ctl user mod klient2@emak.se -f admin
tap_is "user mod klient2 -f admin (vmoduser -a)" "$(field klient2 4)" 4096
run qmailadmin-ctl user mod lars.jonsson@emak.se -q 10485760S,1000C -c "Lars J"
tap_is "user mod lars.jonsson -q -c" "$(field lars.jonsson 5,7)" "Lars J:10485760S,1000C"
tap_is "lars.jonsson: maildirsize" "$(cat "$DOM/lars.jonsson/Maildir/maildirsize")" \
	"$(printf '10485760S,1000C\n0 0')"
run qmailadmin-ctl user mod lars.jonsson@emak.se -c "Lars Jonsson" -p Mod1pw -t klient1 --copy
tap_is "user mod -c -p -t --copy: one change" "$RC" 0
tap_is "... the full name" "$(field lars.jonsson 5)" "Lars Jonsson"
tap_ok "... crypt(Mod1pw)" crypt_ok Mod1pw "$(field lars.jonsson 2)"
tap_is "... the .qmail" "$(cat "$DOM/lars.jonsson/.qmail")" "$(printf '&klient1@emak.se\n%s/lars.jonsson/Maildir/' "$DOM")"
run qmailadmin-ctl user mod lars.jonsson@emak.se -c "Not This" -t nosuchname
tap_is "user mod with a bad forward: refused" "$RC" 1
tap_is "... the full name stays" "$(field lars.jonsson 5)" "Lars Jonsson"
run qmailadmin-ctl user mod lars.jonsson@emak.se -t ''
tap_ok "user mod -t '': normal delivery" test ! -e "$DOM/lars.jonsson/.qmail"
run qmailadmin-ctl user mod lars.jonsson@emak.se -r
tap_like "user mod -r prints the new password" "$OUT" '^password: [^ ]{8,}$'
tap_ok "... which is the password now" crypt_ok "${OUT#password: }" "$(field lars.jonsson 2)"
tap_ok "vpasswd.cdb still holds vpasswd" cdb_is_vpasswd "$DOM"
run qmailadmin-ctl user show klient2@emak.se
tap_like "user show: admin" "$OUT" '^admin: 1$'

run qmailadmin-ctl domain alias emak.com emak.se
tap_is "domain alias emak.com emak.se (vaddaliasdomain)" "$RC" 0
tap_is "users/assign with the alias" "$(cat "$Q/users/assign")" \
	"$(printf '+emak.com-:emak.se:%s:%s:%s:-::\n+emak.se-:emak.se:%s:%s:%s:-::\n.' \
		"$VUID" "$VGID" "$DOM" "$VUID" "$VGID" "$DOM")"
tap_ok "users/cdb: !emak.com- points at emak.se" users_cdb_is emak.com emak.se
tap_is "rcpthosts with the alias" "$(tr '\n' ' ' <"$Q/control/rcpthosts")" "emak.com emak.se "
run qmailadmin-ctl user show klient1@emak.com
tap_like "a user through the alias domain" "$OUT" '^user: klient1@emak.se$'
run qmailadmin-ctl domain show emak.se
tap_like "domain show: 4 users" "$OUT" '^users: 4$'
tap_like "domain show: 1 alias" "$OUT" '^aliases: 1$'

run vdeluser lars.jonsson@emak.se
tap_is "vdeluser lars.jonsson@emak.se" "$RC" 0
tap_is "lars.jonsson: gone from vpasswd" "$(line_of lars.jonsson)" ""
RC=0; cdb -q "$DOM/vpasswd.cdb" lars.jonsson >/dev/null || RC=$?
tap_is "lars.jonsson: cdb -q finds nothing (exit 100)" "$RC" 100
tap_ok "lars.jonsson: home removed" test ! -e "$DOM/lars.jonsson"
tap_is "emak.se/.dir-control counts 3" "$(head -1 "$DOM/.dir-control")" 3
run vdeluser lars.jonsson@emak.se
tap_is "vdeluser again: exit 1" "$RC" 1
tap_like "vdeluser again: says not_found" "$ERR" 'not_found'

run vdeldomain emak.com
tap_is "vdeldomain emak.com" "$RC" 0
tap_ok "users/cdb: no !emak.com-" test -z "$(cdb -q "$Q/users/cdb" '!emak.com-' || true)"
tap_ok "emak.se still there" users_cdb_is emak.se emak.se
run vdeldomain emak.se
tap_is "vdeldomain emak.se" "$RC" 0
tap_is "users/assign is just the end" "$(cat "$Q/users/assign")" .
tap_is "users/cdb: only the empty wildchars record" "$(cdb -d "$Q/users/cdb")" '+0,0:->'
tap_is "rcpthosts empty" "$(cat "$Q/control/rcpthosts")" ""
tap_is "virtualdomains empty" "$(cat "$Q/control/virtualdomains")" ""
tap_ok "DOMDIR removed" test ! -e "$DOM"
tap_is "domains/.dir-control back to 0" "$(tr '\n' '|' <"$VP/domains/.dir-control")" '0|0|3|0 0 0|61 61 61|0 2 2|0 0 0||'
run vdeldomain emak.se
tap_is "vdeldomain again: exit 1" "$RC" 1

# ---------------------------------------------------------------- 52 domains
for i in $(seq -w 1 52); do
	vadddomain "d$i.test" Postm4ster >/dev/null 2>&1 || echo "# vadddomain d$i.test failed"
done
tap_is "rcpthosts takes 50 domains" "$(wc -l <"$Q/control/rcpthosts")" 50
tap_is "morercpthosts takes the rest" "$(cat "$Q/control/morercpthosts")" "$(printf 'd51.test\nd52.test')"
tap_is "morercpthosts.cdb as qmail-newmrh builds it" "$(cdb -d "$Q/control/morercpthosts.cdb")" \
	"$(printf '+8,0:d51.test->\n+8,0:d52.test->\n')"
tap_is "domains/.dir-control counts 52" "$(head -1 "$VP/domains/.dir-control")" 52
all_cdbs_agree() {
	local d
	for d in "$VP"/domains/d*.test; do
		cdb_is_vpasswd "$d" || return 1
	done
}
tap_ok "every domain's vpasswd.cdb holds its vpasswd" all_cdbs_agree

# ---------------------------------------------------------------- hostile input
run vadddomain emak.se Postm4ster
run vadduser klient1@emak.se Klient1pw
snapshot() {	# every path of the trees with type, mode, size; every file's checksum
	(cd "$RUN" && find qmail vpopmail -printf '%p %y %m %s\n' | LC_ALL=C sort &&
		find qmail vpopmail -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum)
}
BEFORE=$(snapshot)

refused() {	# refused WHAT CMD...: exit 1, an error naming the reason, no change
	run "${@:2}"
	tap_is "$1: exit 1" "$RC" 1
	tap_like "$1: a clear message" "$ERR" '^qmailadmin-ctl: (invalid|exists|not_found|denied)'
	tap_is "$1: the tree is unchanged" "$(snapshot)" "$BEFORE"
}

LONG=$(printf 'a%.0s' $(seq 1 300))
refused "domain .." vadddomain .. pw
refused "domain /etc" vadddomain /etc pw
refused "domain ../x.se" vadddomain ../x.se pw
refused "domain with ':'" vadddomain a:b.se pw
refused "domain with a newline" vadddomain "$(printf 'x\n.se')" pw
refused "domain over-long" vadddomain "$LONG.se" pw
refused "domain not UTF-8" vadddomain "$(printf 'x\377.se')" pw
refused "domain that exists" vadddomain emak.se pw
refused "user ..@" vadduser ..@emak.se pw
refused "user with '/'" vadduser a/b@emak.se pw
refused "user ../x" vadduser ../x@emak.se pw
refused "user with ':'" vadduser a:b@emak.se pw
refused "user with a newline" vadduser "$(printf 'a\nb@emak.se')" pw
refused "user over-long" vadduser "$LONG@emak.se" pw
refused "user not UTF-8" vadduser "$(printf '\303\050@emak.se')" pw
refused "user in domain ..'" vadduser x@.. pw
refused "user in domain /etc" vadduser x@/etc pw
refused "user that exists" vadduser klient1@emak.se pw
refused "user in no domain" vadduser x@nowhere.se pw
refused "gecos with ':'" vadduser newbie@emak.se pw -c "a:b"
refused "gecos with a newline" vadduser newbie@emak.se pw -c "$(printf 'a\nb')"
refused "gecos over-long" vadduser newbie@emak.se pw -c "$LONG"
refused "gecos not UTF-8" vadduser newbie@emak.se pw -c "$(printf 'J\366nsson')"
refused "password with a newline" vadduser newbie@emak.se "$(printf 'pw\nx')"
refused "password over-long" vadduser newbie@emak.se "$LONG"
refused "password not UTF-8" vadduser newbie@emak.se "$(printf 'pw\377')"
refused "quota garbage" vadduser newbie@emak.se pw -q lots
refused "quota with a shell character" vadduser newbie@emak.se pw -q '50M;id'
refused "quota with a newline" vadduser newbie@emak.se pw -q "$(printf '1\n2')"
refused "quota over-long" vadduser newbie@emak.se pw -q "$LONG"
refused "vpasswd of no user" vpasswd nobody@emak.se pw
refused "vpasswd: password with a newline" vpasswd klient1@emak.se "$(printf 'a\nb')"
refused "user mod: unknown flag" qmailadmin-ctl user mod klient1@emak.se -f root
refused "user mod: gecos not UTF-8" qmailadmin-ctl user mod klient1@emak.se -c "$(printf '\377')"
refused "user quota: garbage" qmailadmin-ctl user quota klient1@emak.se 5X5
refused "vdeluser postmaster" vdeluser postmaster@emak.se
refused "vdeluser of no user" vdeluser ghost@emak.se
refused "vdeldomain of no domain" vdeldomain nowhere.se
refused "alias of no domain" qmailadmin-ctl domain alias emak.org nowhere.se
refused "alias that is a domain" qmailadmin-ctl domain alias emak.se d01.test
refused "unalias of a real domain" qmailadmin-ctl domain unalias emak.se

tap_done
