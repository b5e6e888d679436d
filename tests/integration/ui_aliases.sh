#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# ui_aliases.sh: the domain admin's aliases, forwards, blackholes and
# catch-all through the web (/aliases, /aliases/edit, /aliases/delete,
# /catchall), as the postmaster of emak.se and as the superadmin, with the
# real helper on a store made with qmailadmin-ctl. Every change is checked
# in the files qmail and vpopmail read (formats.md 7.1, 7.2, 7.6) byte for
# byte; every refusal (CSRF, a mailbox owner, another domain's postmaster,
# a program line) is checked to change nothing.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"

"$CTL" domain add emak.se Postm4ster >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
"$CTL" user add klient1@emak.se Klient1pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"
"$CTL" user add klient2@emak.se Klient2pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"
"$CTL" domain add other.se Oth3rpw >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
"$CTL" superadmin-password admin Sup3rpw >/dev/null || tap_bail "qmailadmin-ctl superadmin-password failed"

# shellcheck source=tests/lib/session.sh
. "$QA_SRCDIR/tests/lib/session.sh"

DOM=$RUN/vpopmail/domains/emak.se
VD="| $RUN/vpopmail/bin/vdelivermail ''"

file_is() {	# file_is NAME PATH CONTENT: PATH holds exactly CONTENT (printf format)
	# shellcheck disable=SC2059
	if [ -f "$2" ] && cmp -s "$2" <(printf "$3"); then
		tap_ok "$1" true
	else
		tap_ok "$1" false
		if [ -f "$2" ]; then od -c "$2" | sed 's/^/#   /' | head -10; else echo "#   $2 is missing"; fi
	fi
}
snapshot() {	# every file of emak.se's directory with its content's checksum
	(cd "$DOM" && find . -printf '%p %y %m\n' | sort && find . -type f -print0 | sort -z | xargs -0 md5sum)
}
targets_of() {	# targets_of NAME: the list items of targets-NAME, comma-separated
	printf '%s\n' "$BODY" | tr '\n' ' ' | grep -o -E "id=\"targets-$1\"[^>]*>.*" | sed -E 's#</ul>.*##' |
		grep -o -E '<li>[^<]*</li>' | sed -E 's#</?li>##g' | paste -sd, - || true
}
textarea_of() {	# textarea_of ID: the raw content of the textarea with id="ID"
	printf '%s\n' "$BODY" | perl -0ne 'print $1 if /<textarea[^>]*id="'"$1"'"[^>]*>(.*?)<\/textarea>/s'
}
checked() {	# checked ID: "checked" when the input with id="ID" is checked
	case $(html_tag "$1") in *" checked"*) echo checked ;; *) echo no ;; esac
}
use() {	# use TICKET: requests go out with this session (and its CSRF token)
	SESSION=$1
	CSRF=$(printf '%scsrf' "$SESSION" | sha256sum | cut -c1-32)
}
post_token() {	# post_token TOKEN PATH [NAME=VALUE...]: a POST with the given csrf field
	local token=$1 path=$2 kv
	local args=(-X POST "${FORM[@]}" -b "qa_session=$SESSION")
	shift 2
	[ -n "$token" ] && args+=(--data-urlencode "csrf=$token")
	for kv in "$@"; do
		args+=(--data-urlencode "$kv")
	done
	http "${args[@]}" "$S$path"
}
no_raw_keys() {	# no_raw_keys WHAT: no catalog key of these pages shows as itself
	tap_unlike "$1: no raw catalog key" "$BODY" '(aliases|alias_edit|alias_del|catchall|err|done|nav|paging)\.[a-z_.]*[a-z]( |<|$)'
}

session_start klient1@emak.se Klient1pw
K1=$SESSION
session_start postmaster@other.se Oth3rpw
OTHER=$SESSION
session_start admin Sup3rpw
SA=$SESSION
session_start postmaster@emak.se Postm4ster
PM=$SESSION

# ---- the empty list
get /aliases
tap_is "aliases: 200" "$STATUS" 200
tap_is "... heading" "$(html_h1)" "Aliases and forwards"
tap_is "... none yet" "$(text_of no-aliases)" "There are no aliases or forwards yet."
tap_like "... names the domain" "$BODY" 'Addresses at emak.se that are not mailboxes'
tap_like "... the menu marks it" "$(html_tag nav-aliases)" 'aria-current="page"'
tap_is "... a button for a new alias" "$(html_attr "$(html_tag new-alias)" href)" "$S/aliases/edit"
tap_is "... and one for a blackhole" "$(html_attr "$(html_tag new-blackhole)" href)" "$S/aliases/edit?kind=blackhole"
tap_security_headers "aliases"
no_raw_keys "aliases"

# ---- the new-alias form
get /aliases/edit
tap_is "new alias form: 200" "$STATUS" 200
tap_is "... heading" "$(html_h1)" "New alias or forward"
tap_is "... forward chosen" "$(checked kind-forward)" checked
tap_is "... the domain is kept in the form" "$(html_attr "$(printf '%s\n' "$BODY" | grep -o '<input type="hidden" name="domain"[^>]*>')" value)" emak.se
tap_is "... its csrf field is the session's token" "$(csrf_field)" "$CSRF"
tap_like "... the name has a label" "$BODY" '<label for="name">Address</label>'
tap_like "... the targets have a label" "$BODY" '<label for="targets">Deliver to</label>'
no_raw_keys "new alias form"
get "/aliases/edit?kind=blackhole"
tap_is "new blackhole form: blackhole chosen" "$(checked kind-blackhole)" checked

# ---- an alias to two mailboxes (a bare name, and a full local address)
post /aliases/edit domain=emak.se name=info kind=forward targets=$'klient1\r\nklient2@emak.se\r\n'
tap_is "new alias: 303" "$STATUS" 303
tap_is "... to the list with a notice" "$(hdr Location)" "$S/aliases?done=alias_saved"
file_is ".qmail-info: one &address line per target, as qmailadmin writes" "$DOM/.qmail-info" \
	'&klient1@emak.se\n&klient2@emak.se\n'
tap_is ".qmail-info is mode 600" "$(stat -c %a "$DOM/.qmail-info")" 600
get "/aliases?done=alias_saved"
tap_is "the list says it was saved" "$(text_of done-notice)" "The alias has been saved."
tap_is "info is an alias to mailboxes here" "$(text_of kind-info)" "Alias to mailboxes here"
tap_is "... delivering to both" "$(targets_of info)" "klient1@emak.se,klient2@emak.se"
tap_is "... with an edit link" "$(html_attr "$(html_tag edit-info)" href)" "$S/aliases/edit?user=info%40emak.se"
tap_is "... and a delete link" "$(html_attr "$(html_tag delete-info)" href)" "$S/aliases/delete?user=info%40emak.se"
tap_like "... labelled with the address" "$(html_tag edit-info)" 'aria-label="Edit info@emak.se"'

# ---- a forward elsewhere, a blackhole, a name with a dot
post /aliases/edit domain=emak.se name=sales kind=forward targets=boss@example.org
tap_is "new forward: 303" "$STATUS" 303
file_is ".qmail-sales" "$DOM/.qmail-sales" '&boss@example.org\n'
post /aliases/edit domain=emak.se name=spam kind=blackhole targets=ignored@example.org
tap_is "new blackhole: 303" "$STATUS" 303
file_is ".qmail-spam: a single # (comments only: mail is dropped)" "$DOM/.qmail-spam" '#\n'
post /aliases/edit domain=emak.se name=First.Last kind=forward targets=klient1
tap_is "a name with a dot: 303" "$STATUS" 303
file_is "... is .qmail-first:last (qmail's dot-to-colon, lower case)" "$DOM/.qmail-first:last" '&klient1@emak.se\n'
tap_ok "... and no .qmail-first.last" test ! -e "$DOM/.qmail-first.last"
get /aliases
tap_is "sales is a forward" "$(text_of kind-sales)" "Forward"
tap_is "... to boss@example.org" "$(targets_of sales)" "boss@example.org"
tap_is "spam is a blackhole" "$(text_of kind-spam)" "Blackhole (mail is deleted)"
tap_like "first.last is listed with its dot" "$BODY" '<td class="address" data-label="Address">first\.last@emak\.se</td>'
tap_is "the count" "$(printf '%s\n' "$BODY" | grep -o '<p class="paging-count">[^<]*' | sed 's/.*>//')" "1–4 of 4"

# ---- search
get "/aliases?q=BOSS"
tap_is "search by target, any case: one row" "$(printf '%s\n' "$BODY" | grep -c '<tr id="row-')" 1
tap_is "... sales" "$(text_of kind-sales)" "Forward"
tap_is "... the search text kept" "$(html_attr "$(html_tag q)" value)" "BOSS"
get "/aliases?q=first."
tap_is "search by address" "$(printf '%s\n' "$BODY" | grep -o '<tr id="row-[^"]*"' | paste -sd, -)" '<tr id="row-first.last"'
get "/aliases?q=nothing-here"
tap_is "no match: says so" "$(text_of no-aliases)" 'Nothing matches “nothing-here”.'

# ---- editing
get "/aliases/edit?user=info@emak.se"
tap_is "edit form: 200" "$STATUS" 200
tap_is "... heading" "$(html_h1)" "Change info@emak.se"
tap_like "... the name is read-only" "$(html_tag name)" ' readonly'
tap_is "... and shows the name" "$(html_attr "$(html_tag name)" value)" info
tap_is "... the targets one per line" "$(textarea_of targets)" $'klient1@emak.se\nklient2@emak.se'
tap_like "... the alias travels as a hidden field" "$BODY" '<input type="hidden" name="user" value="info@emak.se">'
post /aliases/edit domain=emak.se user=info@emak.se name=info kind=forward targets=$'klient2\nboss@example.org, klient1@emak.se'
tap_is "edit targets: 303" "$STATUS" 303
file_is "... .qmail-info rewritten" "$DOM/.qmail-info" '&klient2@emak.se\n&boss@example.org\n&klient1@emak.se\n'
get /aliases
tap_is "... now a forward (one target is elsewhere)" "$(text_of kind-info)" "Forward"
post /aliases/edit domain=emak.se user=sales@emak.se kind=blackhole targets=boss@example.org
tap_is "a forward becomes a blackhole: 303" "$STATUS" 303
file_is "... .qmail-sales is a single #" "$DOM/.qmail-sales" '#\n'
get "/aliases/edit?user=sales@emak.se"
tap_is "... its form has blackhole chosen" "$(checked kind-blackhole)" checked
post /aliases/edit domain=emak.se user=sales@emak.se kind=forward targets=boss@example.org
file_is "... and back to a forward" "$DOM/.qmail-sales" '&boss@example.org\n'

# ---- errors show their message and keep what was typed
before=$(snapshot)
post /aliases/edit domain=emak.se name='bad name!' kind=forward targets=klient1
tap_is "a bad name: 400" "$STATUS" 400
tap_is "... says why" "$(text_of form-error)" "That is not a valid mailbox name: use 2 to 64 of a–z, 0–9 and . _ - + = (no dot at either end, no two dots in a row)."
tap_like "... in an alert" "$(html_tag form-error)" 'role="alert"'
tap_is "... keeps the name" "$(html_attr "$(html_tag name)" value)" "bad name!"
tap_like "... marks it" "$(html_tag name)" 'aria-invalid="true"'
tap_is "... keeps the targets" "$(textarea_of targets)" klient1
post /aliases/edit domain=emak.se name=klient1 kind=forward targets=boss@example.org
tap_is "a name that is a mailbox: 409" "$STATUS" 409
tap_is "... says so" "$(text_of form-error)" "There is already a mailbox or an alias with that name."
tap_is "... keeps the name" "$(html_attr "$(html_tag name)" value)" klient1
tap_is "... keeps the targets" "$(textarea_of targets)" boss@example.org
post /aliases/edit domain=emak.se name=info kind=forward targets=klient1
tap_is "a new alias over an existing one: 409" "$STATUS" 409
tap_is "... says so" "$(text_of form-error)" "There is already a mailbox or an alias with that name."
post /aliases/edit domain=emak.se name=spam kind=blackhole
tap_is "a new blackhole over an existing one: 409" "$STATUS" 409
post /aliases/edit domain=emak.se name=x2 kind=forward targets=$'klient1\nnot an address'
tap_is "a bad target: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "Give one or more valid email addresses or mailbox names, one per line or separated by commas."
tap_like "... marks the targets" "$(html_tag targets)" 'aria-invalid="true"'
tap_is "... keeps them as typed" "$(textarea_of targets)" $'klient1\nnot an address'
tap_is "... and the name" "$(html_attr "$(html_tag name)" value)" x2
post /aliases/edit domain=emak.se name=x2 kind=forward targets=nosuch
tap_is "a missing mailbox as target: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "The mailbox to deliver to does not exist."
post /aliases/edit domain=emak.se name=x2 kind=forward targets=''
tap_is "no targets: 400" "$STATUS" 400
tap_like "... marks the targets" "$(html_tag targets)" 'aria-invalid="true"'
post /aliases/edit domain=emak.se name=x2 kind=forward targets="$(seq -f 'a%g@example.org' 1 51)"
tap_is "51 targets: 409" "$STATUS" 409
tap_is "... says the most" "$(text_of form-error)" "An alias can deliver to at most 50 addresses."
post /aliases/edit domain=emak.se name=x2 kind=forward targets="$(head -c 20000 /dev/zero | tr '\0' a)"
tap_is "targets too long to send: 400" "$STATUS" 400
tap_is "... still has the menu" "$(html_attr "$(html_tag nav-aliases)" href)" "$S/aliases"
post /aliases/edit domain=emak.se name=x2 kind=sideways targets=klient1
tap_is "an unknown kind: 400" "$STATUS" 400
"$CTL" limits set emak.se maxforwards=4 >/dev/null
post /aliases/edit domain=emak.se name=x2 kind=forward targets=klient1
tap_is "the domain's maxforwards reached: 409" "$STATUS" 409
tap_is "... says so" "$(text_of form-error)" "The domain&#39;s limit has been reached. Ask the server administrator to raise it."
tap_is "... keeps the input" "$(html_attr "$(html_tag name)" value)" x2
post /aliases/edit domain=emak.se user=info@emak.se kind=forward targets=klient1
tap_is "... changing an existing one is still fine" "$STATUS" 303
"$CTL" limits reset emak.se >/dev/null
"$CTL" alias set info@emak.se klient2 boss@example.org klient1@emak.se >/dev/null
tap_is "none of the refused forms changed a file" "$(snapshot)" "$before"

# ---- hostile values are shown escaped
post /aliases/edit domain=emak.se name='<script>alert(1)</script>' kind=forward targets='" onmouseover="x'
tap_is "hostile name and target: 400" "$STATUS" 400
tap_unlike "... no live script tag" "$BODY" '<script>alert'
tap_like "... the name escaped in its value" "$(html_tag name)" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"'
tap_is "... the target escaped in the textarea" "$(textarea_of targets)" '&quot; onmouseover=&quot;x'
get "/aliases?q=%3Cscript%3E%22%20onmouseover%3D%22x"
tap_unlike "a hostile search: no live markup" "$BODY" '<script>|" onmouseover="x'
tap_like "... escaped in the no-match text" "$(text_of no-aliases)" '&lt;script&gt;&quot; onmouseover=&quot;x'
get "/aliases?q=$(head -c 101 /dev/zero | tr '\0' a)"
tap_is "a search text too long: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "The search text is too long or holds characters that cannot be searched for."

# ---- a program line made on disk: shown, never changeable through the web
printf '|/usr/local/bin/ticket "<script>alert(1)</script>"\n' >"$DOM/.qmail-helpdesk"
chmod 600 "$DOM/.qmail-helpdesk"
chown --reference="$DOM/.qmail-info" "$DOM/.qmail-helpdesk"
prog=$(cat "$DOM/.qmail-helpdesk")
get /aliases
tap_is "a program alias is listed as a program" "$(text_of kind-helpdesk)" "Program (set up by the server administrator)"
tap_is "... its line shown escaped" "$(targets_of helpdesk)" '|/usr/local/bin/ticket &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;'
tap_unlike "... no live script" "$BODY" '<script>'
tap_is "... no edit link" "$(html_tag edit-helpdesk)" ""
tap_is "... no delete link" "$(html_tag delete-helpdesk)" ""
tap_is "... read-only instead" "$(text_of readonly-helpdesk)" "Read-only"
get "/aliases/edit?user=helpdesk@emak.se"
tap_is "its edit page: 200, read-only" "$STATUS" 200
tap_like "... says why" "$(text_of readonly-note)" '^This address runs a program'
tap_is "... no form" "$(html_tag alias-form)" ""
tap_unlike "... no live script" "$BODY" '<script>'
get "/aliases/delete?user=helpdesk@emak.se"
tap_is "its delete page has no form" "$(html_tag alias-del-form)" ""
tap_like "... and says why" "$(text_of readonly-note)" '^This address runs a program'
post /aliases/edit domain=emak.se user=helpdesk@emak.se kind=forward targets=klient1
tap_is "posting targets for it anyway: 409" "$STATUS" 409
post /aliases/edit domain=emak.se user=helpdesk@emak.se kind=blackhole
tap_is "posting a blackhole for it anyway: 409" "$STATUS" 409
post /aliases/delete domain=emak.se user=helpdesk@emak.se
tap_is "posting its deletion anyway: 403" "$STATUS" 403
tap_is "... the program line is untouched" "$(cat "$DOM/.qmail-helpdesk")" "$prog"
"$CTL" alias del helpdesk@emak.se >/dev/null 2>&1 && rc=0 || rc=$?
tap_is "the system administrator's command line may remove it" "$rc" 0
tap_ok "... gone" test ! -e "$DOM/.qmail-helpdesk"
printf '%s\n' "$prog" >"$DOM/.qmail-helpdesk"
chown --reference="$DOM/.qmail-info" "$DOM/.qmail-helpdesk"
chmod 600 "$DOM/.qmail-helpdesk"

# ---- an old qmailadmin alias to a Maildir, and an ezmlm list's link
printf '%s\n' "$DOM/klient1/Maildir/" >"$DOM/.qmail-oldstyle"
chown --reference="$DOM/.qmail-info" "$DOM/.qmail-oldstyle"
chmod 600 "$DOM/.qmail-oldstyle"
ln -s "$DOM/announce/editor" "$DOM/.qmail-announce"
get /aliases
tap_is "an old Maildir alias: its kind" "$(text_of kind-oldstyle)" "Delivery to a directory (old style)"
tap_is "... not editable" "$(html_tag edit-oldstyle)" ""
tap_is "... but deletable" "$(html_attr "$(html_tag delete-oldstyle)" href)" "$S/aliases/delete?user=oldstyle%40emak.se"
tap_is "a mailing list: its kind" "$(text_of kind-announce)" "Mailing list"
tap_is "... read-only" "$(text_of readonly-announce)" "Read-only"
get "/aliases/edit?user=oldstyle@emak.se"
tap_is "the old alias's edit page is read-only" "$(html_tag alias-form)" ""
post /aliases/delete domain=emak.se user=announce@emak.se
tap_is "deleting the list's link anyway: 400" "$STATUS" 400
tap_ok "... the link is still there" test -L "$DOM/.qmail-announce"
post /aliases/delete domain=emak.se user=oldstyle@emak.se
tap_is "the old alias is deleted: 303" "$STATUS" 303
tap_ok "... its file gone" test ! -e "$DOM/.qmail-oldstyle"
rm "$DOM/.qmail-announce"

# ---- deleting
get "/aliases/delete?user=sales@emak.se"
tap_is "delete page: 200" "$STATUS" 200
tap_is "... asks" "$(html_h1)" "Delete sales@emak.se?"
tap_like "... names the targets" "$(printf '%s\n' "$BODY" | tr '\n' ' ' | grep -o '<ul class="confirm-list"[^/]*')" 'boss@example.org'
tap_is "... posts the alias" "$(html_attr "$(printf '%s\n' "$BODY" | grep -o '<input type="hidden" name="user"[^>]*>')" value)" sales@emak.se
tap_is "... cancel goes back" "$(html_attr "$(html_tag alias-del-cancel)" href)" "$S/aliases"
no_raw_keys "delete page"
tap_ok ".qmail-sales is still there after the GET" test -f "$DOM/.qmail-sales"
post /aliases/delete domain=emak.se user=sales@emak.se
tap_is "delete: 303" "$STATUS" 303
tap_is "... to the list with a notice" "$(hdr Location)" "$S/aliases?done=alias_deleted"
tap_ok "... .qmail-sales is gone" test ! -e "$DOM/.qmail-sales"
get "/aliases?done=alias_deleted"
tap_is "... the list says so" "$(text_of done-notice)" "The alias has been deleted."
tap_is "... and no longer shows it" "$(html_tag row-sales)" ""
post /aliases/delete domain=emak.se user=sales@emak.se
tap_is "deleting it again: 404" "$STATUS" 404
get "/aliases/edit?user=sales@emak.se"
tap_is "editing a missing alias: 404" "$STATUS" 404
post /aliases/delete domain=emak.se user=klient1@emak.se
tap_is "deleting a mailbox through the alias page: refused" "$STATUS" 404
tap_ok "... the mailbox is still there" grep -q '^klient1:' "$DOM/vpasswd"

# ---- the catch-all
file_is "vadddomain's catch-all deletes (vpopmail's default)" "$DOM/.qmail-default" "$VD delete\n"
get /catchall
tap_is "catch-all: 200" "$STATUS" 200
tap_is "... heading" "$(html_h1)" "Mail to unknown addresses"
tap_is "... the current setting" "$(text_of catchall-current)" "Deleted without a word"
tap_is "... delete chosen" "$(checked mode-delete)" checked
tap_like "... the menu marks it" "$(html_tag nav-catchall)" 'aria-current="page"'
tap_like "... offers the mailboxes as suggestions" "$BODY" '<option value="klient2">'
tap_is "... the mailbox field is tied to its list" "$(html_attr "$(html_tag target-user)" list)" mailboxes
for id in mode-bounce mode-delete mode-user mode-forward target-user target-forward; do
	tap_like "... $id has a label" "$BODY" "<label (class=\"check\" )?for=\"$id\""
done
no_raw_keys "catch-all"
post /catchall domain=emak.se mode=bounce target_user=klient1
tap_is "catch-all bounce: 303" "$STATUS" 303
tap_is "... to the page with a notice" "$(hdr Location)" "$S/catchall?done=catchall_saved"
file_is "... .qmail-default bounces (the user field is not read)" "$DOM/.qmail-default" "$VD bounce-no-mailbox\n"
get "/catchall?done=catchall_saved"
tap_is "... the page says so" "$(text_of done-notice)" "The catch-all setting has been saved."
tap_is "... and shows it" "$(text_of catchall-current)" "Returned to the sender as undeliverable"
tap_is "... bounce chosen" "$(checked mode-bounce)" checked
post /catchall domain=emak.se mode=user target_user=Klient1 target_forward=boss@example.org
tap_is "catch-all to a mailbox: 303" "$STATUS" 303
file_is "... .qmail-default delivers to klient1@emak.se" "$DOM/.qmail-default" "$VD klient1@emak.se\n"
get /catchall
tap_is "... shown" "$(text_of catchall-current-target)" "klient1@emak.se"
tap_is "... the form preset" "$(checked mode-user)" checked
tap_is "... with the mailbox" "$(html_attr "$(html_tag target-user)" value)" klient1
post /catchall domain=emak.se mode=forward target_forward=catchall@example.org
tap_is "catch-all forward: 303" "$STATUS" 303
file_is "... .qmail-default forwards" "$DOM/.qmail-default" "$VD catchall@example.org\n"
get /catchall
tap_is "... shown" "$(text_of catchall-current-target)" "catchall@example.org"
tap_is "... the address kept in its field" "$(html_attr "$(html_tag target-forward)" value)" catchall@example.org
before=$(snapshot)
post /catchall domain=emak.se mode=user target_user=nosuch
tap_is "catch-all to a missing mailbox: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "The mailbox to deliver to does not exist."
tap_is "... keeps the mode" "$(checked mode-user)" checked
tap_is "... keeps the name" "$(html_attr "$(html_tag target-user)" value)" nosuch
tap_like "... marks it" "$(html_tag target-user)" 'aria-invalid="true"'
post /catchall domain=emak.se mode=forward target_forward='a@b.se;reboot'
tap_is "catch-all to a shell-hostile address: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "That is not an address mail can be forwarded to. Give a full address such as someone@example.org."
tap_like "... marks it" "$(html_tag target-forward)" 'aria-invalid="true"'
tap_is "... keeps it" "$(html_attr "$(html_tag target-forward)" value)" 'a@b.se;reboot'
post /catchall domain=emak.se mode=forward target_forward='"><script>alert(1)</script>'
tap_unlike "... a hostile address: no live markup" "$BODY" '<script>'
post /catchall domain=emak.se target_user=klient1
tap_is "no mode chosen: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "Choose what should happen to the mail."
post /catchall domain=emak.se mode=path target_forward=/tmp
tap_is "a mode the page does not offer: 400" "$STATUS" 400
tap_is "none of the refused catch-alls changed a file" "$(snapshot)" "$before"
"$CTL" catchall set emak.se domain example.net >/dev/null
get /catchall
tap_is "a catch-all made elsewhere is shown" "$(text_of catchall-current)" "Forwarded to the same name at the domain"
tap_is "... with its target" "$(text_of catchall-current-target)" example.net
tap_like "... and a note that saving replaces it" "$(text_of catchall-elsewhere)" '^This setting was made outside this page'
tap_is "... no choice preset" "$(checked mode-bounce)$(checked mode-delete)$(checked mode-user)$(checked mode-forward)" nononono
post /catchall domain=emak.se mode=delete
tap_is "catch-all delete: 303" "$STATUS" 303
file_is "... .qmail-default deletes" "$DOM/.qmail-default" "$VD delete\n"
post /catchall domain=emak.se mode=bounce
tap_is "back to bounce: 303" "$STATUS" 303
file_is "... .qmail-default bounces again" "$DOM/.qmail-default" "$VD bounce-no-mailbox\n"
mv "$DOM/.qmail-default" "$RUN/qmail-default.saved"
get /catchall
tap_is "no .qmail-default at all: 200" "$STATUS" 200
tap_is "... qmail bounces, and the page says so" "$(text_of catchall-current)" "Returned to the sender as undeliverable (the domain has no catch-all file)"
tap_is "... bounce chosen" "$(checked mode-bounce)" checked
tap_is "... the form still names the domain" "$(html_attr "$(printf '%s\n' "$BODY" | grep -o '<input type="hidden" name="domain"[^>]*>')" value)" emak.se
tap_like "... and has the menu" "$(html_tag nav-catchall)" 'aria-current="page"'
get /aliases/edit
tap_is "... the new-alias form works without it" "$(html_attr "$(printf '%s\n' "$BODY" | grep -o '<input type="hidden" name="domain"[^>]*>')" value)" emak.se
mv "$RUN/qmail-default.saved" "$DOM/.qmail-default"

# ---- CSRF: without or with a wrong token nothing changes
before=$(snapshot)
post_token "" /aliases/edit domain=emak.se name=csrf1 kind=forward targets=klient1
tap_is "new alias without a token: 403" "$STATUS" 403
post_token 0123456789abcdef0123456789abcdef /aliases/edit domain=emak.se name=csrf1 kind=forward targets=klient1
tap_is "new alias with a wrong token: 403" "$STATUS" 403
post_token 0123456789abcdef0123456789abcdef /aliases/edit domain=emak.se user=info@emak.se kind=blackhole
tap_is "changing an alias with a wrong token: 403" "$STATUS" 403
post_token "" /aliases/delete domain=emak.se user=info@emak.se
tap_is "delete without a token: 403" "$STATUS" 403
post_token 0123456789abcdef0123456789abcdef /catchall domain=emak.se mode=delete
tap_is "catch-all with a wrong token: 403" "$STATUS" 403
use "$K1"
post_token "$(printf '%scsrf' "$PM" | sha256sum | cut -c1-32)" /aliases/delete domain=emak.se user=info@emak.se
tap_is "another session's token: 403" "$STATUS" 403
use "$PM"
tap_is "the refused posts changed nothing" "$(snapshot)" "$before"

# ---- a mailbox owner: 403 everywhere here, and nothing changes
use "$K1"
for path in /aliases /aliases/edit "/aliases/edit?user=info@emak.se" "/aliases/delete?user=info@emak.se" /catchall; do
	get "$path"
	tap_is "klient1: GET $path: 403" "$STATUS" 403
done
tap_is "... says not allowed" "$(html_h1)" "Not allowed"
post /aliases/edit domain=emak.se name=mine kind=forward targets=klient1
tap_is "klient1: new alias: 403" "$STATUS" 403
post /aliases/edit domain=emak.se user=info@emak.se kind=blackhole
tap_is "klient1: change an alias: 403" "$STATUS" 403
post /aliases/delete domain=emak.se user=info@emak.se
tap_is "klient1: delete an alias: 403" "$STATUS" 403
post /catchall domain=emak.se mode=user target_user=klient1
tap_is "klient1: set the catch-all: 403" "$STATUS" 403
tap_is "klient1 changed nothing" "$(snapshot)" "$before"

# ---- another domain's postmaster: refused for emak.se, its own works
use "$OTHER"
for path in "/aliases?domain=emak.se" "/aliases/edit?domain=emak.se" "/aliases/edit?user=info@emak.se" \
	"/aliases/delete?user=info@emak.se" "/catchall?domain=emak.se"; do
	get "$path"
	tap_is "other.se's postmaster: GET $path: 403" "$STATUS" 403
done
post /aliases/edit domain=emak.se name=theirs kind=forward targets=boss@example.org
tap_is "other.se's postmaster: new alias in emak.se: 403" "$STATUS" 403
post /aliases/edit domain=emak.se user=info@emak.se kind=blackhole
tap_is "... change one: 403" "$STATUS" 403
post /aliases/delete domain=other.se user=info@emak.se
tap_is "... delete one (naming its own domain): 403" "$STATUS" 403
post /catchall domain=emak.se mode=delete
tap_is "... the catch-all: 403" "$STATUS" 403
tap_is "... changed nothing in emak.se" "$(snapshot)" "$before"
get /aliases
tap_is "its own list: 200" "$STATUS" 200
tap_like "... of other.se" "$BODY" 'Addresses at other.se that are not mailboxes'
tap_is "... empty" "$(html_tag row-info)" ""

# ---- the superadmin names the domain
use "$SA"
get /aliases
tap_is "superadmin without a domain: 303" "$STATUS" 303
tap_is "... to the domain list" "$(hdr Location)" "$S/domains"
get /catchall
tap_is "... the catch-all too" "$(hdr Location)" "$S/domains"
get "/aliases?domain=emak.se"
tap_is "superadmin: emak.se's aliases" "$(text_of kind-info)" "Forward"
tap_is "... the new-alias link keeps the domain" "$(html_attr "$(html_tag new-alias)" href)" "$S/aliases/edit?domain=emak.se"
tap_is "... the edit link too" "$(html_attr "$(html_tag edit-info)" href)" "$S/aliases/edit?user=info%40emak.se&amp;domain=emak.se"
tap_like "... the search keeps it" "$BODY" '<input type="hidden" name="domain" value="emak.se">'
tap_like "... the menu's catch-all link too" "$(html_attr "$(html_tag nav-catchall)" href)" 'domain=emak.se'
post /aliases/edit domain=emak.se name=webmaster kind=forward targets=klient2
tap_is "superadmin: new alias: 303" "$STATUS" 303
tap_is "... back to emak.se's list" "$(hdr Location)" "$S/aliases?domain=emak.se&done=alias_saved"
file_is "... .qmail-webmaster" "$DOM/.qmail-webmaster" '&klient2@emak.se\n'
get "/aliases/edit?user=webmaster@emak.se"
tap_is "... its edit page without ?domain= keeps the domain" "$(html_attr "$(html_tag alias-cancel)" href)" "$S/aliases?domain=emak.se"
post /catchall domain=emak.se mode=user target_user=klient2
tap_is "superadmin: catch-all: 303" "$STATUS" 303
tap_is "... back to emak.se's catch-all" "$(hdr Location)" "$S/catchall?domain=emak.se&done=catchall_saved"
file_is "... written" "$DOM/.qmail-default" "$VD klient2@emak.se\n"
get "/aliases?domain=nosuch.se"
tap_is "superadmin: an unknown domain: 404" "$STATUS" 404
post /catchall domain=emak.se mode=bounce

# ---- paging: 50 a page
use "$PM"
for i in $(seq 1 60); do "$CTL" alias set "list$i@emak.se" klient1 >/dev/null; done
get /aliases
tap_is "61+ aliases: 50 rows on the first page" "$(printf '%s\n' "$BODY" | grep -c '<tr id="row-')" 50
total=$(find "$DOM" -maxdepth 1 -name '.qmail-*' ! -name .qmail-default | wc -l)
tap_is "... the count" "$(printf '%s\n' "$BODY" | grep -o '<p class="paging-count">[^<]*' | sed 's/.*>//')" "1–50 of $total"
next=$(html_attr "$(html_tag paging-next)" href)
tap_is "... a link to the next page" "$next" "$S/aliases?page=2"
get "/aliases?page=2"
tap_is "... the second page has the rest" "$(printf '%s\n' "$BODY" | grep -c '<tr id="row-')" $((total - 50))
tap_is "... and a link back" "$(html_attr "$(html_tag paging-prev)" href)" "$S/aliases?page=1"
get "/aliases?page=99"
tap_is "... a page past the end shows the last" "$(printf '%s\n' "$BODY" | grep -c '<tr id="row-')" $((total - 50))
get "/aliases?q=list1"
tap_is "... a search pages too: list1, list10-19" "$(printf '%s\n' "$BODY" | grep -c '<tr id="row-')" 11

# ---- Swedish
get "/aliases?lang=sv"
tap_is "Swedish list" "$(html_h1)" "Alias och vidarebefordringar"
tap_is "... kinds in Swedish" "$(text_of kind-info)" "Vidarebefordran"
get "/aliases?lang=sv&q=spam"
tap_is "... a blackhole in Swedish" "$(text_of kind-spam)" "Svart hål (posten raderas)"
tap_is "... buttons in Swedish" "$(text_of new-alias)" "Nytt alias eller ny vidarebefordran"
no_raw_keys "Swedish list"
get "/aliases/edit?lang=sv"
tap_is "Swedish new-alias form" "$(html_h1)" "Nytt alias eller ny vidarebefordran"
no_raw_keys "Swedish form"
get "/aliases/edit?user=helpdesk@emak.se&lang=sv"
tap_like "Swedish read-only page" "$(text_of readonly-note)" '^Den här adressen kör ett program'
get "/aliases/delete?user=spam@emak.se&lang=sv"
tap_is "Swedish delete page" "$(html_h1)" "Ta bort spam@emak.se?"
no_raw_keys "Swedish delete page"
get "/catchall?lang=sv"
tap_is "Swedish catch-all" "$(html_h1)" "Post till okända adresser"
tap_is "... current setting" "$(text_of catchall-current)" "Skickas tillbaka till avsändaren som omöjlig att leverera"
no_raw_keys "Swedish catch-all"
http -X POST "${FORM[@]}" -b "qa_session=$SESSION; qa_lang=sv" --data-urlencode "csrf=$CSRF" \
	--data-urlencode domain=emak.se --data-urlencode name=klient1 --data-urlencode kind=forward \
	--data-urlencode targets=klient2 "$S/aliases/edit"
tap_is "Swedish error" "$(text_of form-error)" "Det finns redan en brevlåda eller ett alias med det namnet."
http -X POST "${FORM[@]}" -b "qa_session=$SESSION; qa_lang=sv" --data-urlencode "csrf=$CSRF" \
	--data-urlencode domain=emak.se "$S/catchall"
tap_is "Swedish catch-all error" "$(text_of form-error)" "Välj vad som ska hända med posten."

harness_done
