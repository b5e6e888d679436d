#!/bin/bash
# shellcheck source-path=SCRIPTDIR/../..
# ui_domains.sh: the superadmin's domain pages through nginx, the app and
# the real qmailadmin-helper, checked on the pages and on disk: adding
# emak.se as the old manual's first step (vadddomain emak.se) with a typed
# and with a random postmaster password, the list with its search, pages
# and disk use, alias domains, the limits in .qmailadmin-limits, deleting
# with the typed confirmation; and what must not work: a postmaster or a
# mailbox owner at these pages, a POST without its CSRF token, markup in
# what is typed. English and Swedish.
set -eu
: "${QA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/tap.sh
. "$QA_SRCDIR/tests/lib/tap.sh"
HARNESS_STORE=1
# shellcheck source=tests/lib/harness.sh
. "$QA_SRCDIR/tests/lib/harness.sh"
# shellcheck source=tests/lib/session.sh
. "$QA_SRCDIR/tests/lib/session.sh"

"$CTL" superadmin-password admin Sup3rpw >/dev/null || tap_bail "qmailadmin-ctl superadmin-password failed"
"$CTL" domain add other.se Other9pw >/dev/null || tap_bail "qmailadmin-ctl domain add failed"
"$CTL" user add klient1@other.se Klient1pw >/dev/null || tap_bail "qmailadmin-ctl user add failed"

CONTROL=$RUN/qmail/control
ASSIGN=$RUN/qmail/users/assign
STATE=$RUN/state

domdir() {	# domdir DOMAIN: its directory, from users/assign
	awk -F: -v d="+$1-" '$1 == d { print $5 }' "$ASSIGN"
}
listed() {	# listed DOMAIN: where the control files name it ("rcpthosts virtualdomains assign")
	local where=()
	grep -qx "$1" "$CONTROL/rcpthosts" 2>/dev/null && where+=(rcpthosts)
	grep -qx "$1" "$CONTROL/morercpthosts" 2>/dev/null && where+=(morercpthosts)
	grep -q "^$1:" "$CONTROL/virtualdomains" 2>/dev/null && where+=(virtualdomains)
	grep -q "^+$1-:" "$ASSIGN" 2>/dev/null && where+=(assign)
	echo "${where[*]-}"
}
rows() {	# rows: the domains of the list on the page, one a line
	printf '%s\n' "$BODY" | sed -n 's/.*<tr class="domain-row" data-domain="\([^"]*\)">.*/\1/p'
}
raw_keys() {	# raw_keys: catalog keys of this group left in the page
	printf '%s\n' "$BODY" | grep -o -E '\b(domains|domain_add|domain_del|domain_aliases|limits|done|err)\.[a-z_.]+' |
		grep -v -E '^(domains|limits)\.(example|se)$' || true
}
invalid() {	# invalid ID: "true" when the field is marked invalid
	html_attr "$(html_tag "$1")" aria-invalid
}

# ---- the superadmin's start page is the domain list
session_start admin Sup3rpw
SA=$SESSION SA_CSRF=$CSRF
get /
tap_is "superadmin: the start page sends on (303)" "$STATUS" 303
tap_is "... to the domain list" "$(hdr Location)" "$S/domains"
get /domains
tap_is "the domain list: 200" "$STATUS" 200
tap_is "... headed Domains" "$(html_h1)" "Domains"
tap_is "... lists other.se" "$(rows)" "other.se"
tap_is "... marks Domains in the menu" "$(html_attr "$(html_tag nav-domains)" aria-current)" page
tap_security_headers "domain list"

# ---- adding emak.se with a password, as the old manual's first step
get /domains/add
tap_is "add form: 200" "$STATUS" 200
tap_is "... headed" "$(html_h1)" "Add a domain"
tap_like "... posts with the session's token" "$(csrf_field)" "^$CSRF\$"
post /domains/add domain=emak.se password=Postm4ster password2=Postm4ster
tap_is "add emak.se: 303" "$STATUS" 303
tap_is "... to the list, with a notice" "$(hdr Location)" "$S/domains?done=domain_added"
tap_is "... emak.se is in rcpthosts, virtualdomains and users/assign" "$(listed emak.se)" "rcpthosts virtualdomains assign"
EMAK=$(domdir emak.se)
tap_ok "... its directory exists with the postmaster's vpasswd line" grep -q '^postmaster:' "$EMAK/vpasswd"
# Mail for the disk-use column, before anything has summed it.
printf '0S\n2048 3\n' >"$EMAK/postmaster/Maildir/maildirsize"
login postmaster@emak.se Postm4ster
tap_is "the postmaster logs in with the password given" "$STATUS" 303
SESSION=$SA CSRF=$SA_CSRF
get "/domains?done=domain_added"
tap_is "the list says it was added" "$(text_of done-notice)" "The domain has been added."
tap_is "... and lists emak.se" "$(rows | tr '\n' ' ')" "emak.se other.se "
row=$(printf '%s\n' "$BODY" | tr '\n' ' ' | grep -o '<tr class="domain-row" data-domain="emak.se">.*</tr>' | sed 's,</tr>.*,,')
tap_like "... emak.se links to its users" "$row" "href=\"$S/users\\?domain=emak.se\""
tap_like "... shows 1 mailbox" "$row" 'data-label="Mailboxes">1<'
tap_like "... and the disk its mail uses (2 KB)" "$row" '<span title="3 messages">2.0 KB</span>'
tap_like "... links to its limits" "$row" "href=\"$S/domains/limits\\?domain=emak.se\""
tap_like "... its alias domains" "$row" "href=\"$S/domains/aliases\\?domain=emak.se\""
tap_like "... and its deletion" "$row" "href=\"$S/domains/delete\\?domain=emak.se\""
tap_like "the disk use is cached in the state dir" "$(cat "$STATE/usage/emak.se")" '^2048 3 [0-9]+$'
tap_is "... mode 600" "$(stat -c %a "$STATE/usage/emak.se")" 600
tap_is "... in a directory of mode 700" "$(stat -c %a "$STATE/usage")" 700
tap_is "... both owned like the state dir (the vpopmail user)" \
	"$(stat -c %U "$STATE/usage") $(stat -c %U "$STATE/usage/emak.se")" "$(stat -c '%U %U' "$STATE")"

# ---- adding with a random password: shown once, never in a URL
post /domains/add domain=random.se random=1
tap_is "add with a random password: 200 (a page, not a redirect)" "$STATUS" 200
tap_is "... no Location" "$(hdr Location)" ""
tap_is "... headed" "$(html_h1)" "Domain added"
tap_is "... names the login" "$(text_of new-login)" "postmaster@random.se"
pw=$(text_of new-password)
tap_like "... shows the password" "$pw" '^[^ ]{8,}$'
tap_is "... random.se is on disk" "$(listed random.se)" "rcpthosts virtualdomains assign"
login postmaster@random.se "$pw"
tap_is "the postmaster logs in with the password shown" "$STATUS" 303
SESSION=$SA CSRF=$SA_CSRF
get /domains
tap_unlike "... which no later page shows" "$BODY" "$pw"

# ---- errors keep what was typed, never the passwords
post /domains/add domain=mismatch.se password=Abc12345 password2=Abc12346
tap_is "passwords differ: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "The two passwords are not the same."
tap_is "... keeps the domain" "$(html_attr "$(html_tag domain)" value)" mismatch.se
tap_is "... not the password" "$(html_attr "$(html_tag password)" value)" ""
tap_is "... marks the second password" "$(invalid password2)" true
tap_unlike "... echoes neither password" "$BODY" 'Abc1234[56]'
tap_is "... adds nothing" "$(listed mismatch.se)" ""
post /domains/add domain=nopw.se
tap_is "no password and no random: 400" "$STATUS" 400
tap_like "... asks for one" "$(text_of form-error)" '^Enter a password for the postmaster'
tap_is "... marks the password" "$(invalid password)" true
post /domains/add domain=emak.se password=Postm4ster password2=Postm4ster
tap_is "emak.se again: 409" "$STATUS" 409
tap_is "... says it exists" "$(text_of form-error)" "That domain already exists on this server."
tap_is "... marks the domain" "$(invalid domain)" true
post /domains/add domain="bad_domain!" password=Postm4ster password2=Postm4ster
tap_is "a bad domain name: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "That is not a valid domain name, such as example.com."
post /domains/add domain='<script>alert(1)</script>' random=1
tap_is "markup as a domain name: 400" "$STATUS" 400
tap_like "... kept, escaped" "$(html_tag domain)" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"'
tap_unlike "... never raw" "$BODY" '<script>alert'

# ---- search and pages (30 more domains)
for i in $(seq -w 1 30); do
	"$CTL" domain add "d$i.example" "Pw$i-secret" >/dev/null || tap_bail "qmailadmin-ctl domain add d$i.example failed"
done
get /domains
tap_is "33 domains: 25 on the first page" "$(rows | wc -l)" 25
tap_is "... counted" "$(printf '%s' "$BODY" | grep -o '<p class="paging-count">[^<]*' | sed 's/.*>//')" "1–25 of 33"
next=$(html_attr "$(html_tag paging-next)" href)
tap_is "... a link to the next page" "$next" "$S/domains?page=2"
tap_is "... none to a previous one" "$(html_tag paging-prev)" ""
get "/domains?page=2"
tap_is "page 2: the other 8" "$(rows | wc -l)" 8
tap_is "... ends with other.se and random.se" "$(rows | tail -n 2 | tr '\n' ' ')" "other.se random.se "
tap_is "... links back" "$(html_attr "$(html_tag paging-prev)" href)" "$S/domains?page=1"
get "/domains?offset=30"
tap_is "?offset=30: the last 3" "$(rows | tr '\n' ' ')" "emak.se other.se random.se "
get "/domains?q=d1"
tap_is "search d1: d10-d19" "$(rows | tr '\n' ' ')" "d10.example d11.example d12.example d13.example d14.example d15.example d16.example d17.example d18.example d19.example "
tap_is "... the search stays in the field" "$(html_attr "$(html_tag q)" value)" d1
get "/domains?q=D2"
tap_is "search is case-insensitive, and pages keep it" "$(rows | wc -l)" 10
get "/domains?q=nothing-like-this"
tap_is "no match: 200" "$STATUS" 200
tap_is "... says so" "$(text_of domains-empty)" 'No domain matches “nothing-like-this”.'
get "/domains?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
tap_is "markup as search text: 200" "$STATUS" 200
tap_like "... shown escaped" "$BODY" '&lt;script&gt;alert\(1\)&lt;/script&gt;'
tap_unlike "... never raw" "$BODY" '<script>alert'
get "/domains?q=%22%20onmouseover%3D%22x"
tap_like "an attribute breakout stays in the value" "$(html_tag q)" 'value="&quot; onmouseover=&quot;x"'
long=$(printf 'x%.0s' $(seq 1 70))
get "/domains?q=$long"
tap_is "a search too long: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "The search text is too long or holds characters that cannot be searched for."
tap_is "... marks the field" "$(invalid q)" true

# ---- alias domains
get "/domains/aliases?domain=emak.se"
tap_is "alias domains of emak.se: 200" "$STATUS" 200
tap_is "... headed" "$(html_h1)" "Alias domains of emak.se"
tap_is "... none yet" "$(text_of aliases-empty)" "This domain has no alias domains."
post /domains/aliases domain=emak.se alias=emak.nu action=add
tap_is "add alias emak.nu: 303" "$STATUS" 303
tap_is "... back to the page, with a notice" "$(hdr Location)" "$S/domains/aliases?domain=emak.se&done=alias_domain_added"
tap_is "... in the control files and users/assign" "$(listed emak.nu)" "rcpthosts virtualdomains assign"
tap_like "... pointing at emak.se's directory" "$(grep '^+emak.nu-:' "$ASSIGN")" "^\\+emak\\.nu-:emak\\.se:[0-9]+:[0-9]+:$EMAK:"
get "/domains/aliases?domain=emak.se&done=alias_domain_added"
tap_is "... the page says so" "$(text_of done-notice)" "The alias domain has been added."
tap_like "... and lists it" "$BODY" 'data-alias="emak.nu"'
get "/domains?q=emak.nu"
tap_is "the list finds emak.se by its alias's name" "$(rows)" "emak.se"
tap_like "... and shows the alias under it" "$BODY" '<li>also emak.nu</li>'
post /domains/aliases domain=emak.se alias=other.se action=add
tap_is "an existing domain as alias: 409" "$STATUS" 409
tap_is "... says so" "$(text_of form-error)" "That domain already exists on this server."
tap_is "... keeps it" "$(html_attr "$(html_tag alias)" value)" other.se
tap_is "... marks it" "$(invalid alias)" true
post /domains/aliases domain=emak.se alias='bad alias' action=add
tap_is "a bad alias name: 400" "$STATUS" 400
tap_is "... with the domain message" "$(text_of form-error)" "That is not a valid domain name, such as example.com."
post /domains/aliases domain=emak.se alias=emak.nu action=remove
tap_is "remove emak.nu: 303" "$STATUS" 303
tap_is "... with a notice" "$(hdr Location)" "$S/domains/aliases?domain=emak.se&done=alias_domain_deleted"
tap_is "... gone from the control files and users/assign" "$(listed emak.nu)" ""
tap_is "... emak.se stays" "$(listed emak.se)" "rcpthosts virtualdomains assign"

# ---- limits, saved in .qmailadmin-limits
get "/domains/limits?domain=emak.se"
tap_is "limits of emak.se: 200" "$STATUS" 200
tap_is "... headed" "$(html_h1)" "Limits of emak.se"
tap_is "... the server's defaults" "$(text_of limits-source)" "The domain has no limits of its own: these are the server&#39;s defaults."
tap_is "... a form for the superadmin" "$(html_attr "$(html_tag limits-form)" method)" post
tap_is "... mailboxes unlimited (empty)" "$(html_attr "$(html_tag limit-maxpopaccounts)" value)" ""
post /domains/limits domain=emak.se action=save maxpopaccounts=10 maxaliases=5 default_quota=20 \
	default_maxmsgcount=1000 disable_imap=1 disable_webmail=1 perm_account_delete=1 perm_alias_create=1
tap_is "save limits: 303" "$STATUS" 303
tap_is "... back with a notice" "$(hdr Location)" "$S/domains/limits?domain=emak.se&done=limits_saved"
LIM=$EMAK/.qmailadmin-limits
tap_ok "... written to .qmailadmin-limits" test -f "$LIM"
lim=$(cat "$LIM" 2>/dev/null || true)
tap_ok "... maxpopaccounts: 10" grep -qx 'maxpopaccounts: 10' "$LIM"
tap_like "... maxaliases: 5" "$lim" 'maxaliases: 5'
tap_like "... maxforwards unlimited: -1" "$lim" 'maxforwards: -1'
tap_like "... default_quota in bytes (20 MB)" "$lim" 'default_quota: 20971520'
tap_like "... default_maxmsgcount: 1000" "$lim" 'default_maxmsgcount: 1000'
tap_ok "... disable_imap" grep -qx disable_imap "$LIM"
tap_ok "... disable_webmail" grep -qx disable_webmail "$LIM"
tap_unlike "... not disable_pop" "$lim" 'disable_pop'
tap_like "... perm_account: 4 (may not delete)" "$lim" 'perm_account: 4'
tap_like "... perm_alias: 1 (may not create)" "$lim" 'perm_alias: 1'
get "/domains/limits?domain=emak.se&done=limits_saved"
tap_is "... the page says so" "$(text_of done-notice)" "The limits have been saved."
tap_is "... the domain's own limits" "$(text_of limits-source)" "The domain has limits of its own."
tap_is "... shows 10 mailboxes" "$(html_attr "$(html_tag limit-maxpopaccounts)" value)" 10
tap_is "... the default quota in MB" "$(html_attr "$(html_tag limit-default_quota)" value)" 20
tap_like "... IMAP ticked" "$(html_tag limit-disable_imap)" ' checked'
tap_unlike "... POP not" "$(html_tag limit-disable_pop)" ' checked'
tap_like "... accounts may not be deleted" "$(html_tag perm_account-delete)" ' checked'
before=$(cat "$LIM")
post /domains/limits domain=emak.se action=save maxpopaccounts=10 maxaliases=abc
tap_is "a limit that is no number: 400" "$STATUS" 400
tap_is "... says so" "$(text_of form-error)" "Give a whole number (megabytes may have decimals), or leave the field empty for no limit."
tap_is "... marks it" "$(invalid limit-maxaliases)" true
tap_is "... keeps what was typed" "$(html_attr "$(html_tag limit-maxaliases)" value)" abc
tap_is "... and the file as it was" "$(cat "$LIM")" "$before"
post /domains/limits domain=emak.se action=save default_quota=1,5
tap_is "megabytes with a decimal comma: 303" "$STATUS" 303
tap_like "... 1.5 MB in bytes" "$(cat "$LIM")" 'default_quota: 1572864'
post /domains/limits domain=emak.se action=reset
tap_is "reset limits: 303" "$STATUS" 303
tap_is "... with a notice" "$(hdr Location)" "$S/domains/limits?domain=emak.se&done=limits_reset"
tap_ok "... .qmailadmin-limits is gone" test ! -e "$LIM"

# ---- a postmaster and a mailbox owner
session_start postmaster@other.se Other9pw
get /
tap_is "a postmaster's start page is not redirected" "$STATUS" 200
for page in /domains /domains/add "/domains/delete?domain=other.se" "/domains/aliases?domain=other.se"; do
	get "$page"
	tap_is "postmaster: GET $page is 403" "$STATUS" 403
done
post /domains/add domain=sneaky.se password=Abc12345 password2=Abc12345
tap_is "postmaster: POST /domains/add is 403" "$STATUS" 403
tap_is "... nothing added" "$(listed sneaky.se)" ""
post /domains/delete domain=other.se confirm=other.se
tap_is "postmaster: POST /domains/delete is 403" "$STATUS" 403
tap_is "... nothing removed" "$(listed other.se)" "rcpthosts virtualdomains assign"
post /domains/delete domain=emak.se confirm=emak.se
tap_is "postmaster: deleting another domain is 403" "$STATUS" 403
tap_is "... nothing removed" "$(listed emak.se)" "rcpthosts virtualdomains assign"
post /domains/aliases domain=other.se alias=other.nu action=add
tap_is "postmaster: adding an alias domain is 403" "$STATUS" 403
tap_is "... nothing added" "$(listed other.nu)" ""
get /domains/limits
tap_is "postmaster: its own limits, read-only: 200" "$STATUS" 200
tap_is "... headed" "$(html_h1)" "Limits of other.se"
tap_is "... no form" "$(html_tag limits-form)" ""
tap_is "... says who may change them" "$(text_of limits-readonly)" "Only the server administrator can change these limits."
tap_is "... mailboxes: Unlimited" "$(text_of show-maxpopaccounts)" "Unlimited"
post /domains/limits domain=other.se action=save maxpopaccounts=1000
tap_is "postmaster: POST limits is 403" "$STATUS" 403
tap_ok "... nothing written" test ! -e "$(domdir other.se)/.qmailadmin-limits"
"$CTL" limits set other.se maxpopaccounts=7 >/dev/null
post /domains/limits domain=other.se action=reset
tap_is "postmaster: resetting limits is 403" "$STATUS" 403
tap_ok "... the file stays" test -e "$(domdir other.se)/.qmailadmin-limits"
get /domains/limits
tap_is "... and shows 7 mailboxes" "$(text_of show-maxpopaccounts)" 7
get "/domains/limits?domain=emak.se"
tap_is "postmaster: another domain's limits are 403" "$STATUS" 403
session_start klient1@other.se Klient1pw
get /domains
tap_is "a mailbox owner: /domains is 403" "$STATUS" 403
get "/domains/limits?domain=other.se"
tap_is "... and limits too" "$STATUS" 403
SESSION=$SA CSRF=$SA_CSRF

# ---- CSRF: a POST without the session's token changes nothing
http -X POST "${FORM[@]}" -b "qa_session=$SA" --data "domain=csrf.se&random=1" "$S/domains/add"
tap_is "add without a token: 403" "$STATUS" 403
http -X POST "${FORM[@]}" -b "qa_session=$SA" --data "csrf=0123456789abcdef0123456789abcdef&domain=csrf.se&random=1" "$S/domains/add"
tap_is "add with a wrong token: 403" "$STATUS" 403
tap_is "... nothing added" "$(listed csrf.se)" ""
http -X POST "${FORM[@]}" -b "qa_session=$SA" --data "csrf=0123456789abcdef0123456789abcdef&domain=other.se&confirm=other.se" "$S/domains/delete"
tap_is "delete with a wrong token: 403" "$STATUS" 403
tap_is "... nothing removed" "$(listed other.se)" "rcpthosts virtualdomains assign"
http -X POST "${FORM[@]}" -b "qa_session=$SA" --data "domain=emak.se&action=save&maxpopaccounts=3" "$S/domains/limits"
tap_is "limits without a token: 403" "$STATUS" 403
tap_ok "... nothing written" test ! -e "$LIM"
http -X POST "${FORM[@]}" -b "qa_session=$SA" --data "domain=emak.se&alias=csrf.nu&action=add" "$S/domains/aliases"
tap_is "alias domain without a token: 403" "$STATUS" 403
tap_is "... nothing added" "$(listed csrf.nu)" ""

# ---- deleting, with the name typed
"$CTL" domain alias emak.nu emak.se >/dev/null
"$CTL" user add klient1@emak.se Klient1pw >/dev/null
"$CTL" alias set info@emak.se klient1@emak.se >/dev/null
# The helper's answers behind these pages (README: Protocol).
helper() {	# helper OP KEY=VALUE...: the answer's lines, as helper_client.py prints them
	python3 "$QA_SRCDIR/tests/lib/helper_client.py" "$HELPER" "$@"
}
a=$(helper domain.get ticket="$SA" domain=emak.se usage=1)
tap_like "domain.get: emak.se's alias domains" "$a" $'\n''item1\.alias_domains emak\.nu'$'\n'
tap_like "... its aliases and forwards" "$a" $'\n''item1\.forwards 1'$'\n'
tap_like "... its disk use with usage=1" "$a" $'\n''item1\.disk_bytes 2048'$'\n''item1\.disk_count 3'
a=$(helper domain.get ticket="$SA" domain=emak.nu usage=1)
tap_like "domain.get of an alias: the real domain's disk use" "$a" $'\n''item1\.disk_bytes 2048'
a=$(helper domain.get ticket="$SA" domain=emak.se)
tap_unlike "... none without usage=1" "$a" 'disk_bytes'
a=$(helper domain.list ticket="$SA" domain=emak.nu real=1)
tap_like "domain.list real=1 domain=ALIAS: nothing" "$a" $'\n''head\.total 0'
a=$(helper domain.list ticket="$SA" real=2)
tap_like "domain.list real=2: invalid" "$a" '^status invalid'$'\n''field real'

get "/domains/delete?domain=emak.se"
tap_is "delete emak.se: a confirmation page (200)" "$STATUS" 200
tap_is "... headed" "$(html_h1)" "Delete emak.se"
tap_is "... names the directory with its mail" "$(text_of del-dir)" "its directory, with the mail of every mailbox (2.0 KB in 3 messages);"
tap_is "... 2 mailboxes" "$(text_of del-users)" "its mailboxes: 2;"
tap_is "... 1 alias" "$(text_of del-forwards)" "its aliases and forwards: 1;"
tap_is "... its alias domain" "$(text_of del-aliases)" "its alias domains (1): emak.nu;"
tap_like "... the control files" "$(text_of del-control)" 'rcpthosts \(or morercpthosts\) and virtualdomains'
tap_is "... users/assign" "$(text_of del-assign)" "its line in users/assign."
post /domains/delete domain=emak.se confirm=emak.com
tap_is "the wrong name typed: 400" "$STATUS" 400
tap_is "... says nothing was deleted" "$(text_of form-error)" "The name you typed is not the domain&#39;s. Nothing has been deleted."
tap_is "... marks the field" "$(invalid confirm)" true
tap_is "... emak.se is still listed everywhere" "$(listed emak.se)" "rcpthosts virtualdomains assign"
tap_ok "... its directory is there" test -d "$EMAK"
post /domains/delete domain=emak.se
tap_is "nothing typed: 400, too" "$STATUS" 400
tap_ok "... its directory is there" test -d "$EMAK"
post /domains/delete domain=emak.se confirm=" emak.se "
tap_is "the right name: 303" "$STATUS" 303
tap_is "... to the list, with a notice" "$(hdr Location)" "$S/domains?done=domain_deleted"
tap_is "... emak.se is in no control file" "$(listed emak.se)" ""
tap_is "... nor its alias domain" "$(listed emak.nu)" ""
tap_ok "... its directory is gone" test ! -e "$EMAK"
tap_ok "... and its cached disk use" test ! -e "$STATE/usage/emak.se"
tap_ok "... other.se stays" test -d "$(domdir other.se)"
get "/domains?done=domain_deleted"
tap_is "... the list says so" "$(text_of done-notice)" "The domain has been deleted."
get "/domains/delete?domain=emak.se"
tap_is "deleting it again: 404" "$STATUS" 404
post /domains/delete domain=emak.se confirm=emak.se
tap_is "... also by POST" "$STATUS" 404

# ---- an alias domain's deletion names only its lines
"$CTL" domain alias other.nu other.se >/dev/null
get "/domains/delete?domain=other.nu"
tap_like "an alias domain: says whose alias it is" "$(text_of del-lead)" '^other\.nu is an alias domain of other\.se'
post /domains/delete domain=other.nu confirm=other.nu
tap_is "... deleted: 303" "$STATUS" 303
tap_is "... gone from the control files" "$(listed other.nu)" ""
tap_is "... other.se stays" "$(listed other.se)" "rcpthosts virtualdomains assign"

# ---- Swedish
for page in "/domains" "/domains/add" "/domains/delete?domain=other.se" "/domains/aliases?domain=other.se" "/domains/limits?domain=other.se"; do
	sep='?'
	case $page in *\?*) sep='&' ;; esac
	get "$page${sep}lang=sv"
	tap_is "Swedish $page: 200" "$STATUS" 200
	tap_is "... no catalog key left" "$(raw_keys | sort -u | tr '\n' ' ')" ""
	case $page in
	/domains) tap_is "... Domäner" "$(html_h1)" "Domäner" ;;
	/domains/add) tap_is "... Lägg till en domän" "$(html_h1)" "Lägg till en domän" ;;
	/domains/delete*) tap_is "... Ta bort other.se" "$(html_h1)" "Ta bort other.se" ;;
	/domains/aliases*) tap_is "... Aliasdomäner för other.se" "$(html_h1)" "Aliasdomäner för other.se" ;;
	/domains/limits*) tap_is "... Gränser för other.se" "$(html_h1)" "Gränser för other.se" ;;
	esac
done
http -X POST "${FORM[@]}" -b "qa_session=$SA; qa_lang=sv" --data-urlencode "csrf=$SA_CSRF" \
	--data "domain=other.se&password=a&password2=b" "$S/domains/add"
tap_is "an error in Swedish" "$(text_of form-error)" "De två lösenorden är inte likadana."
get "/domains?lang=en"
tap_is "English again" "$(html_h1)" "Domains"
for page in "/domains" "/domains/add" "/domains/delete?domain=other.se" "/domains/aliases?domain=other.se" "/domains/limits?domain=other.se"; do
	get "$page"
	tap_is "English $page: no catalog key left" "$(raw_keys | sort -u | tr '\n' ' ')" ""
done

# ---- methods
http -X POST -b "qa_session=$SA" --data "csrf=$SA_CSRF" "$S/domains"
tap_is "POST /domains: 405" "$STATUS" 405

harness_done
