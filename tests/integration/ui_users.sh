#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# ui_users.sh: the domain admin's mailbox pages (/users, /users/add,
# /users/edit, /users/delete) through nginx, the app and the real helper, as
# the old manual's postmaster of emak.se uses them: vadduser
# lars.jonsson@emak.se "Lars Jönsson" Axm01 through the web, vpasswd MhGts,
# a 50 MB quota, flags, a forward with a copy, vdeluser; every step checked
# in the files qmail and vpopmail read (vpasswd, vpasswd.cdb with cdb -q,
# the home and Maildir, maildirsize, the user's .qmail). Then a list of 123
# paged, sorted and searched; hostile full names; each form error; CSRF;
# a mailbox user, another domain's postmaster and the superadmin; Swedish.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
QA_EXTRA_CONF="login_fail_limit = 50"
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"
harness_require python3 cdb

"$CTL" domain add emak.se Postm4ster >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
"$CTL" user add klient1@emak.se Klient1pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"
"$CTL" user add klient2@emak.se Klient2pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"
"$CTL" domain add other.se Other1pw >/dev/null || tap_bail "qmailadmin-ctl domain add other.se failed"
"$CTL" superadmin-password admin Sup3rpw >/dev/null || tap_bail "superadmin-password failed"

# shellcheck source=tests/lib/session.sh
. "$QA_SRCDIR/tests/lib/session.sh"

DOM=$RUN/vpopmail/domains/emak.se
VPASSWD=$DOM/vpasswd
line_of() {	# line_of NAME: NAME's vpasswd line
	grep "^$1:" "$VPASSWD" || true
}
field() {	# field NAME N: field N of NAME's vpasswd line
	line_of "$1" | cut -d: -f"$2"
}
crypt_ok() {	# crypt_ok PASSWORD HASH: crypt(3) of PASSWORD with HASH's salt is HASH
	[ -n "$2" ] && [ "$(python3 -W ignore -c 'import crypt, sys; print(crypt.crypt(sys.argv[1], sys.argv[2]))' "$1" "$2")" = "$2" ]
}
row_count() {	# row_count: the user rows of the list in BODY
	printf '%s\n' "$BODY" | grep -c 'class="user-link"' || true
}
rows() {	# rows: the listed addresses in order, comma-separated
	printf '%s\n' "$BODY" | grep -o 'class="user-link" id="user-[^"]*"' | sed 's/.*id="user-//; s/"$//' |
		paste -sd, -
}
value_of() {	# value_of ID: the value attribute of the element with that id
	html_attr "$(html_tag "$1")" value
}
hidden() {	# hidden NAME: the value of the hidden input NAME
	html_attr "$(printf '%s\n' "$BODY" | grep -o "<input[^>]*name=\"$1\"[^>]*>" | head -n 1)" value
}
flags_of() {	# flags_of USER: the flags cell of USER's row
	printf '%s' "$BODY" | tr '\n' ' ' | grep -o "id=\"flags-$1\"[^>]*>.*" | sed 's|</td>.*||'
}
count_of() {	# count_of: the list's "1–50 of 123"
	printf '%s' "$BODY" | tr '\n' ' ' | grep -o 'class="paging-count">[^<]*' | sed 's/.*>//'
}
raw_keys() {	# raw_keys: catalog keys of this group left in BODY (none expected)
	printf '%s\n' "$BODY" | grep -o -E '\busers\.[a-z_]+\b' | grep -v -E '^users\.(html|sh|js)$' || true
}
snapshot() {	# snapshot: the domain's files, to show that nothing changed
	(cd "$DOM" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
as_pm() {	# as_pm: the postmaster's session
	SESSION=$PM CSRF=$PM_CSRF
}

session_start postmaster@emak.se Postm4ster
PM=$SESSION PM_CSRF=$CSRF

# ---- the list
get /users
tap_is "postmaster: /users is 200" "$STATUS" 200
tap_is "... titled Users" "$(html_h1)" "Users"
tap_is "... lists the mailboxes in name order" "$(rows)" "klient1@emak.se,klient2@emak.se,postmaster@emak.se"
tap_like "... marks the menu entry" "$(html_tag nav-users)" 'aria-current="page"'
tap_like "... the name column is sorted ascending" "$BODY" '<th scope="col" aria-sort="ascending"><a class="sort" id="sort-name"'
tap_is "... its header link reverses it" "$(html_attr "$(html_tag sort-name)" href)" "$S/users?domain=emak.se&amp;sort=-name"
tap_is "... the add button carries the domain" "$(html_attr "$(html_tag add-user)" href)" "$S/users/add?domain=emak.se"
tap_like "... postmaster has the admin badge" "$(flags_of postmaster@emak.se)" '<span class="badge admin">admin</span>'
tap_is "... a mailbox without a limit: no use shown (its Maildir is not counted per view)" "$(text_of usage-klient1@emak.se)" "No limit"
tap_security_headers "users page"

# ---- add lars.jonsson "Lars Jönsson" Axm01, as the old manual does
get "/users/add?domain=emak.se"
tap_is "add form: 200" "$STATUS" 200
tap_is "... shows @emak.se beside the name" "$(text_of at-domain)" "@emak.se"
tap_like "... the domain's default (none) is ticked as no limit" "$(html_tag quota_none)" ' checked'
tap_is "... which it remembers" "$(hidden quota_default)" none
post /users/add domain=emak.se local=lars.jonsson "gecos=Lars Jönsson" password=Axm01 password2=Axm01 \
	quota_num= quota_unit=MB quota_none=1 quota_default=none
tap_is "add lars.jonsson: 303" "$STATUS" 303
tap_is "... to the list with a notice" "$(hdr Location)" "$S/users?done=user_added"
tap_unlike "... no password in the redirect" "$HEADERS" 'Axm01'
line=$(line_of lars.jonsson)
tap_like "vpasswd: lars.jonsson's line as vadduser writes it" "$line" \
	"^lars\\.jonsson:\\\$6\\\$[^:]+:1:0:Lars Jönsson:$DOM/lars\\.jonsson:NOQUOTA\$"
tap_ok "vpasswd: the hash is crypt(Axm01)" crypt_ok Axm01 "$(field lars.jonsson 2)"
tap_is "vpasswd.cdb: cdb -q finds the same entry" "$(cdb -q "$DOM/vpasswd.cdb" lars.jonsson)" "${line#lars.jonsson:}"
tap_ok "the home directory exists" test -d "$DOM/lars.jonsson"
tap_ok "... with a Maildir (cur, new, tmp)" test -d "$DOM/lars.jonsson/Maildir/cur" -a -d "$DOM/lars.jonsson/Maildir/new" -a -d "$DOM/lars.jonsson/Maildir/tmp"
get "/users?done=user_added"
tap_is "the list says it was added" "$(text_of done-notice)" "The mailbox has been added."
tap_is "... and shows the full name" "$(text_of gecos-lars.jonsson@emak.se)" "Lars Jönsson"
login lars.jonsson@emak.se Axm01
tap_is "lars.jonsson logs in with Axm01" "$STATUS" 303

# ---- edit: the password becomes MhGts; nothing else changes
as_pm
get "/users/edit?user=lars.jonsson@emak.se"
tap_is "edit page: 200" "$STATUS" 200
tap_is "... names the mailbox" "$(html_h1)" "lars.jonsson@emak.se"
tap_is "... with the full name" "$(value_of gecos)" "Lars Jönsson"
tap_like "... delivers normally" "$(html_tag mode_normal)" ' checked'
tap_like "... no limit ticked" "$(html_tag quota_none)" ' checked'
tap_is "... and its use" "$(text_of usage-text)" "0 B, no limit"
before=$(line_of lars.jonsson)
edit_post() {	# edit_post [NAME=VALUE...]: EDIT_USER's form (lars.jonsson's) as the page
	# shows it, with the arguments in place of those fields (the first of a name counts)
	local u=${EDIT_USER:-lars.jonsson@emak.se}
	local args=("user=$u" "$@") f
	get "/users/edit?user=$u"
	for f in was_gecos was_quota was_flags was_mode was_targets quota_count; do
		args+=("$f=$(hidden "$f")")
	done
	args+=("gecos=$(value_of gecos)" "quota_num=$(value_of quota_num)" "targets=$(value_of targets)")
	args+=("quota_unit=$(printf '%s\n' "$BODY" | grep -o '<option value="[A-Z]*" selected>' | sed 's/.*value="\([A-Z]*\)".*/\1/')")
	printf '%s' "$(html_tag quota_none)" | grep -q ' checked' && args+=(quota_none=1)
	for f in no_pop no_imap no_webmail no_relay no_password_change admin; do
		printf '%s' "$(html_tag "flag_$f")" | grep -q ' checked' && args+=("flag_$f=1")
	done
	args+=("mode=$(printf '%s\n' "$BODY" | grep -o '<input[^>]*name="mode"[^>]*checked[^>]*>' | sed 's/.*value="\([^"]*\)".*/\1/')")
	[ -z "${RUNS-}" ] || : >"$RUNS"	# count the save's helper runs only
	post /users/edit "${args[@]}"
}
counting() {	# counting on|off: the app's helper is a wrapper that counts its runs in RUNS
	rm -f "$RUN/bin/qmailadmin-helper"
	if [ "$1" = off ]; then
		ln -s "$HELPER" "$RUN/bin/qmailadmin-helper"
		RUNS=
		return
	fi
	RUNS=$RUN/helper-runs
	: >"$RUNS"
	chmod 666 "$RUNS"
	printf '#!/bin/sh\necho run >>"%s"\nexec "%s" "$@"\n' "$RUNS" "$HELPER" >"$RUN/bin/qmailadmin-helper"
	chmod 755 "$RUN/bin/qmailadmin-helper"
}
runs() {	# runs: the helper runs counted since the last save began
	wc -l <"$RUNS" | tr -d ' '
}
edit_post password=MhGts password2=MhGts
tap_is "new password MhGts: 303" "$STATUS" 303
tap_is "... to the list, saved" "$(hdr Location)" "$S/users?done=user_saved"
after=$(line_of lars.jonsson)
tap_ok "vpasswd: the hash is crypt(MhGts)" crypt_ok MhGts "$(field lars.jonsson 2)"
tap_is "... and every other field is as it was" "$(printf '%s' "$after" | cut -d: -f1,3-)" "$(printf '%s' "$before" | cut -d: -f1,3-)"
tap_is "vpasswd.cdb agrees" "$(cdb -q "$DOM/vpasswd.cdb" lars.jonsson)" "${after#lars.jonsson:}"
login lars.jonsson@emak.se MhGts
tap_is "lars.jonsson logs in with MhGts" "$STATUS" 303
login lars.jonsson@emak.se Axm01
tap_is "... not with Axm01 any more" "$STATUS" 401
as_pm
before=$(line_of lars.jonsson)
edit_post
tap_is "saving the form unchanged: 303" "$STATUS" 303
tap_is "... changes nothing in vpasswd" "$(line_of lars.jonsson)" "$before"

# ---- quota 50 MB
edit_post quota_num=50 quota_unit=MB quota_none=
tap_is "quota 50 MB: 303" "$STATUS" 303
tap_is "vpasswd: quota 52428800S" "$(field lars.jonsson 7)" 52428800S
tap_is "maildirsize: the quota, then the use" "$(cat "$DOM/lars.jonsson/Maildir/maildirsize")" "52428800S
0 0"
get "/users/edit?user=lars.jonsson@emak.se"
tap_is "the form shows 50" "$(value_of quota_num)" 50
tap_is "... and the use of 50 MB" "$(text_of usage-text)" "0 B of 50 MB"
get /users
tap_is "the list shows the use of 50 MB" "$(text_of usage-lars.jonsson@emak.se)" "0 B of 50 MB"
tap_like "... with a bar" "$BODY" '<span class="bar" aria-hidden="true"><span class="w0"></span></span><span class="usage-text" id="usage-lars.jonsson@emak.se">'
"$CTL" user quota klient1@emak.se 1M >/dev/null
mkdir -p "$DOM/klient1/Maildir/cur"
head -c 900000 /dev/zero >"$DOM/klient1/Maildir/cur/1.1.host,S=900000:2,S"
rm -f "$DOM/klient1/Maildir/maildirsize"
get /users
tap_like "a mailbox at 86 %: a warning bar" "$BODY" '<span class="bar warn" aria-hidden="true"><span class="w85"></span></span>'
head -c 300000 /dev/zero >"$DOM/klient1/Maildir/cur/2.1.host,S=300000:2,S"
get /users
tap_like "... over its quota: a full bar" "$BODY" '<span class="bar full" aria-hidden="true"><span class="w100"></span></span>'
tap_is "... and the text" "$(text_of usage-klient1@emak.se)" "1.1 MB of 1.0 MB"
edit_post quota_num=2 quota_unit=GB
tap_is "quota 2 GB: stored in bytes" "$(field lars.jonsson 7)" 2147483648S

# ---- flags (vpopmail's gid bits: no_pop 2, no_imap 8, user0 128, admin 4096)
"$CTL" user mod lars.jonsson@emak.se -f user0 >/dev/null
edit_post flag_no_pop=1 flag_no_imap=1
tap_is "flags no POP, no IMAP: 303" "$STATUS" 303
tap_is "vpasswd gid: 2 + 8, and user0 (128), which the page does not show, kept" "$(field lars.jonsson 4)" 138
get "/users/edit?user=lars.jonsson@emak.se"
tap_like "the form shows no POP ticked" "$(html_tag flag_no_pop)" ' checked'
tap_unlike "... not no webmail" "$(html_tag flag_no_webmail)" ' checked'
edit_post flag_no_pop= flag_no_imap= flag_admin=1
tap_is "admin only: gid 4096 + 128" "$(field lars.jonsson 4)" 4224
get /users
tap_like "the list shows the admin badge" "$(flags_of lars.jonsson@emak.se)" '<span class="badge admin">admin</span>'
edit_post flag_admin= flag_no_webmail=1 flag_no_relay=1 flag_no_password_change=1
tap_is "no webmail, no relay, no password change: gid 4 + 32 + 1 + 128" "$(field lars.jonsson 4)" 165
get /users
tap_like "the list names them" "$(flags_of lars.jonsson@emak.se)" \
	'<span class="badge">no webmail</span> <span class="badge">no relay</span> <span class="badge">fixed password</span>'
tap_unlike "... and no admin badge now" "$(flags_of lars.jonsson@emak.se)" 'badge admin'

# ---- delivery: a forward with a saved copy, forward only, back to normal
edit_post mode=copy targets=lars@example.org
tap_is "forward with a copy: 303" "$STATUS" 303
tap_is ".qmail: the forward, then the Maildir (qmailadmin's order)" "$(cat "$DOM/lars.jonsson/.qmail")" "&lars@example.org
$DOM/lars.jonsson/Maildir/"
get "/users/edit?user=lars.jonsson@emak.se"
tap_like "the form shows forward with a copy" "$(html_tag mode_copy)" ' checked'
tap_is "... to lars@example.org" "$(value_of targets)" lars@example.org
edit_post mode=only "targets=lars@example.org, klient2"
tap_is "forward only, to two: .qmail" "$(cat "$DOM/lars.jonsson/.qmail")" "&lars@example.org
&klient2@emak.se"
edit_post mode=normal
tap_ok "deliver normally: .qmail removed" test ! -e "$DOM/lars.jonsson/.qmail"
edit_post mode=copy targets=
tap_is "forward with no address: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "Give at least one address to forward to."
tap_like "... marks the field" "$(html_tag targets)" 'aria-invalid="true"'
tap_like "... keeps the choice" "$(html_tag mode_copy)" ' checked'
edit_post mode=only targets=nobody-here
tap_is "forward to an unknown local name: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "The mailbox to deliver to does not exist."
tap_is "... keeps what was typed" "$(value_of targets)" nobody-here
tap_ok "... and wrote nothing" test ! -e "$DOM/lars.jonsson/.qmail"
edit_post quota_num=lots
tap_is "edit: a bad quota: 400" "$STATUS" 400
tap_like "... marked" "$(html_tag quota_num)" 'aria-invalid="true"'
tap_is "... kept" "$(value_of quota_num)" lots
edit_post password=a1 password2=b2
tap_is "edit: passwords that differ: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "The two passwords are not the same."
tap_ok "... and the password stays MhGts" crypt_ok MhGts "$(field lars.jonsson 2)"

# ---- one save is one helper run, checked whole before anything is written
counting on
edit_post "gecos=Lars J" password=Ny9pass password2=Ny9pass mode=copy targets=lars@example.org
tap_is "full name, password and forward in one save: 303" "$STATUS" 303
tap_is "... one helper run (user.mod)" "$(runs)" 1
tap_is "... the full name" "$(field lars.jonsson 5)" "Lars J"
tap_ok "... the password" crypt_ok Ny9pass "$(field lars.jonsson 2)"
tap_is "... the forward" "$(cat "$DOM/lars.jonsson/.qmail")" "&lars@example.org
$DOM/lars.jonsson/Maildir/"
tap_is "... vpasswd.cdb agrees" "$(cdb -q "$DOM/vpasswd.cdb" lars.jonsson)" "$(line_of lars.jonsson | cut -d: -f2-)"
before=$(snapshot)
edit_post "gecos=Lars Other" password=Zz9pass password2=Zz9pass mode=only targets=nobody-here
tap_is "the same with a forward to an unknown name: 400" "$STATUS" 400
tap_is "... one helper run to save, one to show the form again" "$(runs)" 2
tap_is "... says why" "$(text_of form-error)" "The mailbox to deliver to does not exist."
tap_is "... and changed nothing at all: full name, password, .qmail" "$(snapshot)" "$before"
edit_post "gecos=Lars: colon" mode=normal
tap_is "a bad full name with a forward change: 400" "$STATUS" 400
tap_like "... the full name is marked" "$(html_tag gecos)" 'aria-invalid="true"'
tap_is "... and the forward stays" "$(snapshot)" "$before"
counting off
edit_post password=MhGts password2=MhGts mode=normal
tap_ok "back to MhGts and normal delivery" test ! -e "$DOM/lars.jonsson/.qmail"

# ---- a random password, shown once
edit_post random=1
tap_is "random password: 200, no redirect" "$STATUS" 200
secret=$(text_of secret)
tap_like "... shown once" "$secret" '^[^ ]{8,}$'
tap_ok "... and it is the password now" crypt_ok "$secret" "$(field lars.jonsson 2)"
tap_unlike "... in no URL of the page" "$(printf '%s\n' "$BODY" | grep -o 'href="[^"]*"')" "$secret"

# ---- delete
get "/users/delete?user=lars.jonsson@emak.se"
tap_is "delete page: 200" "$STATUS" 200
tap_is "... names the mailbox" "$(text_of del-user)" lars.jonsson@emak.se
tap_is "... its size" "$(text_of del-size)" "0 B"
tap_is "... and its messages" "$(text_of del-count)" 0
tap_is "... says the mail will be lost" "$(text_of del-warning)" "The mail in it will be lost for good. This cannot be undone."
post /users/delete user=lars.jonsson@emak.se
tap_is "delete: 303" "$STATUS" 303
tap_is "... to the list" "$(hdr Location)" "$S/users?done=user_deleted"
tap_is "vpasswd: the line is gone" "$(line_of lars.jonsson)" ""
tap_ok "vpasswd.cdb: gone too" bash -c "! cdb -q '$DOM/vpasswd.cdb' lars.jonsson"
tap_ok "the home is gone" test ! -e "$DOM/lars.jonsson"
login lars.jonsson@emak.se "$secret"
tap_is "lars.jonsson cannot log in any more" "$STATUS" 401
as_pm
get "/users/delete?user=klient1@emak.se"
tap_is "klient1's delete page shows its size" "$(text_of del-size)" "1.1 MB"
tap_is "... and 2 messages" "$(text_of del-count)" 2

# ---- postmaster and the catch-all mailbox cannot go
before=$(snapshot)
post /users/delete user=postmaster@emak.se
tap_is "deleting postmaster: 403" "$STATUS" 403
tap_is "... the page says why" "$(text_of form-error)" "The postmaster mailbox cannot be deleted: every domain must have one."
tap_is "... and offers no delete button" "$(html_tag del-submit)" ""
"$CTL" catchall set emak.se user klient2 >/dev/null
before=$(snapshot)
post /users/delete user=klient2@emak.se
tap_is "deleting the catch-all mailbox: 409" "$STATUS" 409
tap_like "... says why" "$(text_of form-error)" "^This mailbox receives the domain&#39;s catch-all mail"
tap_is "... links to the catch-all" "$(html_attr "$(html_tag catchall-link)" href)" "$S/catchall?domain=emak.se"
tap_is "... and nothing changed" "$(snapshot)" "$before"
"$CTL" catchall set emak.se bounce >/dev/null

# ---- form errors: message, field marked, input kept, nothing written
before=$(snapshot)
add() {	# add LOCAL [NAME=VALUE...]: the add form posted, the arguments in place
	# of its fields (the first of a name counts)
	local l=$1
	shift
	post /users/add "$@" domain=emak.se "local=$l" "gecos=Karl Gustav" password=Pw1x password2=Pw1x \
		quota_unit=MB quota_none=1 quota_default=none
}
add klient1
tap_is "an existing name: 409" "$STATUS" 409
tap_is "... says so" "$(text_of form-error)" "There is already a mailbox or an alias with that name."
tap_like "... marks the name" "$(html_tag local)" 'aria-invalid="true"'
tap_is "... keeps it" "$(value_of local)" klient1
tap_is "... and the full name" "$(value_of gecos)" "Karl Gustav"
tap_is "... not the password" "$(value_of password)" ""
add "Bad Name!"
tap_is "a bad name: 400" "$STATUS" 400
tap_like "... says so" "$(text_of form-error)" "^That is not a valid mailbox name"
tap_is "... keeps it" "$(value_of local)" "Bad Name!"
add karl password2=Other1
tap_is "passwords that differ: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "The two passwords are not the same."
tap_like "... marks the password" "$(html_tag password)" 'aria-invalid="true"'
tap_is "... keeps the name" "$(value_of local)" karl
tap_unlike "... echoes no password" "$BODY" 'Pw1x|Other1'
tap_like "... and still has the menu" "$(html_tag nav-users)" 'href'
add karl password= password2=
tap_is "no password: 400" "$STATUS" 400
tap_is "... says what to do" "$(text_of form-error)" "Type a password twice, or tick the box for a random one."
add karl quota_none= quota_num=lots
tap_is "a bad quota: 400" "$STATUS" 400
tap_like "... says so" "$(text_of form-error)" "^That is not a size"
tap_like "... marks it" "$(html_tag quota_num)" 'aria-invalid="true"'
tap_is "... keeps it" "$(value_of quota_num)" lots
tap_unlike "... unticks no limit as typed" "$(html_tag quota_none)" ' checked'
add karl quota_none= quota_num=0
tap_is "a quota of 0: 400" "$STATUS" 400
add karl "gecos=Karl: the colon"
tap_is "a full name with a colon: 400" "$STATUS" 400
tap_like "... says so" "$(text_of form-error)" "^The full name may not hold a colon"
tap_like "... marks it" "$(html_tag gecos)" 'aria-invalid="true"'
tap_is "none of which wrote anything" "$(snapshot)" "$before"
add karl quota_none= quota_num=1.5 quota_unit=GB
tap_is "a quota of 1.5 GB: 303" "$STATUS" 303
tap_is "... stored in bytes" "$(field karl 7)" 1610612736S
add karla random=1 password= password2=
tap_is "a random password: 200" "$STATUS" 200
secret=$(text_of secret)
tap_ok "... shown, and it is karla's" crypt_ok "$secret" "$(field karla 2)"
tap_like "... the page says the mailbox was added" "$(text_of secret-notice)" "added"
login karla@emak.se "$secret"
tap_is "... karla logs in with it" "$STATUS" 303
as_pm
"$CTL" limits set emak.se default_quota=104857600 >/dev/null
get "/users/add?domain=emak.se"
tap_is "a domain default of 100 MB fills the form" "$(value_of quota_num)" 100
tap_unlike "... with no limit unticked" "$(html_tag quota_none)" ' checked'
post /users/add domain=emak.se local=dflt password=Pw1x password2=Pw1x quota_num=100 quota_unit=MB \
	"quota_default=100 MB"
tap_is "... left as it is, the default applies" "$(field dflt 7)" 104857600S
"$CTL" limits reset emak.se >/dev/null

# ---- hostile full names are text
post /users/add domain=emak.se local=xss1 "gecos=<script>alert(1)</script>" password=Pw1x password2=Pw1x \
	quota_none=1 quota_default=none
tap_is "a full name <script>alert(1)</script>: added" "$STATUS" 303
post /users/add domain=emak.se local=xss2 'gecos=" onmouseover="x' password=Pw1x password2=Pw1x \
	quota_none=1 quota_default=none
tap_is "a full name \" onmouseover=\"x: added" "$STATUS" 303
get "/users?q=xss"
tap_unlike "the list has no script tag" "$BODY" '<script'
tap_like "... it shows the text escaped" "$BODY" '&lt;script&gt;alert\(1\)&lt;/script&gt;'
tap_like "... and the quote as text" "$BODY" '>&quot; onmouseover=&quot;x<'
get "/users/edit?user=xss2@emak.se"
tap_is "the edit page keeps it inside the value" "$(html_tag gecos | grep -o 'value="[^"]*"')" 'value="&quot; onmouseover=&quot;x"'
tap_unlike "... no attribute slipped out" "$BODY" ' onmouseover="x'
get "/users/edit?user=xss1@emak.se"
tap_like "... and <script> as text in a value" "$(html_tag gecos)" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"'

# ---- 123 mailboxes: paging, sorting, searching
{
	echo "local-part,password,full name,quota"
	for i in $(seq 1 120); do
		printf 'user%03d,Pw%03dx,Person %03d,\n' "$i" "$i" $((121 - i))
	done
} >"$RUN/users.csv"
for u in karl karla dflt xss1 xss2; do "$CTL" user del "$u@emak.se" >/dev/null; done
"$CTL" user import emak.se "$RUN/users.csv" >/dev/null || tap_bail "user import failed"
get /users
tap_is "123 mailboxes: 50 on page 1" "$(row_count)" 50
tap_is "... counted" "$(count_of)" "1–50 of 123"
tap_is "... page 2 is linked" "$(html_attr "$(html_tag paging-next)" href)" "$S/users?domain=emak.se&amp;page=2"
get "/users?domain=emak.se&page=3"
tap_is "page 3: the last 23" "$(row_count)" 23
tap_is "... from user098" "$(rows | cut -d, -f1)" user098@emak.se
tap_is "... back to page 2" "$(html_attr "$(html_tag paging-prev)" href)" "$S/users?domain=emak.se&amp;page=2"
tap_is "... no page 4" "$(html_tag paging-next)" ""
get "/users?sort=-name"
tap_is "by name backwards: user120 first" "$(rows | cut -d, -f1-2)" "user120@emak.se,user119@emak.se"
tap_like "... aria-sort descending" "$BODY" '<th scope="col" aria-sort="descending"><a class="sort" id="sort-name"'
tap_is "... the header link turns it back" "$(html_attr "$(html_tag sort-name)" href)" "$S/users?domain=emak.se"
get "/users?sort=-name&page=3"
tap_is "... page 3 ends with klient1" "$(rows | tr ',' '\n' | tail -n 1)" klient1@emak.se
get "/users?sort=gecos"
tap_is "by full name: klient1, klient2, then Person 001 (user120)" "$(rows | cut -d, -f1-3)" \
	"klient1@emak.se,klient2@emak.se,user120@emak.se"
tap_like "... aria-sort on the full-name column" "$BODY" '<th scope="col" aria-sort="ascending"><a class="sort" id="sort-gecos"'
tap_unlike "... not on the name column" "$BODY" 'aria-sort="[a-z]*"><a class="sort" id="sort-name"'
get "/users?sort=gecos&page=3"
tap_is "... Postmaster comes last" "$(rows | tr ',' '\n' | tail -n 1)" postmaster@emak.se
get "/users?sort=-gecos"
tap_is "by full name backwards: Postmaster, Person 120 (user001)" "$(rows | cut -d, -f1-2)" \
	"postmaster@emak.se,user001@emak.se"
tap_is "... the next page keeps the order" "$(html_attr "$(html_tag paging-next)" href)" "$S/users?domain=emak.se&amp;sort=-gecos&amp;page=2"
get "/users?q=person%2000"
tap_is "search 'person 00': 9 by full name" "$(row_count)" 9
tap_is "... in name order" "$(rows | cut -d, -f1)" user112@emak.se
tap_is "... counted" "$(count_of)" "1–9 of 9"
tap_is "... the search box keeps it" "$(value_of q)" "person 00"
get "/users?q=USER11&sort=-name"
tap_is "search by name, sorted backwards" "$(rows)" "user119@emak.se,user118@emak.se,user117@emak.se,user116@emak.se,user115@emak.se,user114@emak.se,user113@emak.se,user112@emak.se,user111@emak.se,user110@emak.se"
tap_like "... the sort links keep the search" "$(html_attr "$(html_tag sort-gecos)" href)" 'q=USER11'
get "/users?q=nobody-at-all"
tap_is "a search that finds nothing says so" "$(text_of no-users)" 'No mailbox matches “nobody-at-all”.'
get "/users?sort=bogus&page=-4"
tap_is "an unknown sort or page is the first page by name" "$(rows | cut -d, -f1)" klient1@emak.se

# ---- CSRF: refused, nothing changes
before=$(snapshot)
http -X POST "${FORM[@]}" -b "qa_session=$PM" --data "domain=emak.se&local=csrf1&password=Pw1x&password2=Pw1x" "$S/users/add"
tap_is "add without a CSRF token: 403" "$STATUS" 403
http -X POST "${FORM[@]}" -b "qa_session=$PM" --data "csrf=0123456789abcdef0123456789abcdef&user=klient1%40emak.se" "$S/users/delete"
tap_is "delete with a wrong token: 403" "$STATUS" 403
http -X POST "${FORM[@]}" -b "qa_session=$PM" --data "csrf=0123456789abcdef0123456789abcdef&user=klient1%40emak.se&was_gecos=x&gecos=y" "$S/users/edit"
tap_is "edit with a wrong token: 403" "$STATUS" 403
tap_is "... nothing changed" "$(snapshot)" "$before"

# ---- a mailbox user and another domain's postmaster are refused
session_start klient1@emak.se Klient1pw
get /users
tap_is "klient1 (a mailbox user): /users is 403" "$STATUS" 403
tap_like "... says not allowed" "$(html_h1)" "Not allowed"
post /users/add domain=emak.se local=sneaky password=Pw1x password2=Pw1x quota_none=1 quota_default=none
tap_is "... POST /users/add is 403" "$STATUS" 403
post /users/add domain=emak.se local=sneaky password=Pw1x password2=Pw1y
tap_is "... with a mistake in it, too" "$STATUS" 403
get "/users/edit?user=klient2@emak.se"
tap_is "... another mailbox's edit page is 403" "$STATUS" 403
get "/users/edit?user=klient1@emak.se"
tap_is "... its own, too (that is /account)" "$STATUS" 403
post /users/delete user=klient2@emak.se
tap_is "... delete is 403" "$STATUS" 403
tap_is "... and nothing changed" "$(snapshot)" "$before"
session_start postmaster@other.se Other1pw
get "/users?domain=emak.se"
tap_is "other.se's postmaster: emak.se's users are 403" "$STATUS" 403
get "/users/add?domain=emak.se"
tap_is "... the add form for emak.se is 403" "$STATUS" 403
post /users/add domain=emak.se local=sneaky password=Pw1x password2=Pw1x quota_none=1 quota_default=none
tap_is "... adding there is 403" "$STATUS" 403
get "/users/edit?user=klient1@emak.se"
tap_is "... editing there is 403" "$STATUS" 403
post /users/edit user=klient1@emak.se was_gecos=klient1 gecos=Owned
tap_is "... saving there is 403" "$STATUS" 403
post /users/delete user=klient1@emak.se
tap_is "... deleting there is 403" "$STATUS" 403
tap_is "... and nothing changed" "$(snapshot)" "$before"
get /users
tap_is "... its own list: its postmaster only" "$(rows)" postmaster@other.se

# ---- the superadmin names the domain
session_start admin Sup3rpw
get /users
tap_is "superadmin without a domain: sent to the domains" "$STATUS" 303
tap_is "... /domains" "$(hdr Location)" "$S/domains"
get "/users?domain=emak.se"
tap_is "superadmin with ?domain=emak.se: 200" "$STATUS" 200
tap_is "... names the domain" "$(text_of managed-domain)" "Domain: emak.se"
tap_is "... edit links carry the user" "$(html_attr "$(html_tag user-klient1@emak.se)" href)" "$S/users/edit?user=klient1%40emak.se"
get "/users/add"
tap_is "superadmin's add form without a domain: to the domains" "$(hdr Location)" "$S/domains"
post /users/add domain=emak.se local=bysuper password=Pw1x password2=Pw1x quota_none=1 quota_default=none
tap_is "superadmin adds to emak.se: 303" "$STATUS" 303
tap_is "... back to emak.se's list" "$(hdr Location)" "$S/users?domain=emak.se&done=user_added"
tap_like "... written" "$(line_of bysuper)" '^bysuper:'
get "/users/edit?user=bysuper@emak.se"
tap_is "superadmin's edit page: 200" "$STATUS" 200
tap_is "... names the domain" "$(text_of managed-domain)" "Domain: emak.se"
before=$(line_of bysuper)
EDIT_USER=bysuper@emak.se edit_post
tap_is "... saved unchanged: back to emak.se's list" "$(hdr Location)" "$S/users?domain=emak.se&done=user_saved"
tap_is "... nothing changed" "$(line_of bysuper)" "$before"
EDIT_USER=bysuper@emak.se edit_post "gecos=By Super"
tap_is "... a new full name" "$(field bysuper 5)" "By Super"
post /users/delete user=bysuper@emak.se
tap_is "superadmin deletes: back to emak.se's list" "$(hdr Location)" "$S/users?domain=emak.se&done=user_deleted"
tap_is "... gone" "$(line_of bysuper)" ""

# ---- Swedish
as_pm
get "/users?lang=sv"
tap_is "Swedish list" "$(html_h1)" "Användare"
tap_is "... column names" "$(html_attr "$(printf '%s\n' "$BODY" | grep -o '<td data-label="[^"]*"' | head -n 1)" data-label)" "Adress"
tap_is "... counted" "$(count_of)" "1–50 av 123"
tap_is "... no catalog key shows" "$(raw_keys)" ""
get "/users/add?domain=emak.se&lang=sv"
tap_is "Swedish add form" "$(html_h1)" "Lägg till en användare"
tap_is "... no catalog key shows" "$(raw_keys)" ""
get "/users/edit?user=user001@emak.se&lang=sv"
tap_like "Swedish edit form" "$(printf '%s' "$BODY" | tr '\n' ' ' | grep -o '<legend>[^<]*</legend>' | paste -sd' ' -)" "Leverans"
tap_is "... no catalog key shows" "$(raw_keys)" ""
get "/users/delete?user=user001@emak.se&lang=sv"
tap_is "Swedish delete page" "$(html_h1)" "Ta bort den här brevlådan?"
tap_is "... no catalog key shows" "$(raw_keys)" ""
post "/users/add?lang=sv" domain=emak.se local=sv1 password=a password2=b
tap_is "a Swedish error" "$(text_of form-error)" "De två lösenorden är inte likadana."
"$CTL" user quota user001@emak.se 1572864 >/dev/null
get "/users/edit?user=user001@emak.se&lang=sv"
tap_is "1.5 MB is shown with the language's decimal sign (sv)" "$(value_of quota_num)" "1,5"

harness_done
