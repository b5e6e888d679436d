/* alias_view: one alias as the alias pages show it (see alias_view.h). */
#include "config.h"

#include "alias_view.h"

#include "arena.h"
#include "err.h"
#include "page.h"
#include "proto.h"
#include "template.h"

#include <string.h>
#include <strings.h>

static const char *get(const struct proto_record *r, const char *key)
{
	const char *v = proto_rec_get(r, key);

	return v ? v : "";
}

/* 1 when every comma-separated target ends in "@domain": mail stays here. */
static int all_local(const char *targets, const char *domain)
{
	size_t dlen = strlen(domain), len;
	const char *t;

	if (!*targets || !dlen)
		return 0;
	for (t = targets; *t; t += len + (t[len] == ',')) {
		len = strcspn(t, ",");
		if (len <= dlen || t[len - dlen - 1] != '@' || strncasecmp(t + len - dlen, domain, dlen))
			return 0;
	}
	return 1;
}

/* qmailadmin's old local aliases deliver to a Maildir path: shown, and may
 * be deleted, but the form (addresses only) cannot hold them. */
static int has_path(const char *targets)
{
	const char *t;

	for (t = targets; t; t = strchr(t, ',')) {
		t += *t == ',';
		if (*t == '/' || *t == '.')
			return 1;
	}
	return 0;
}

static void classify(struct alias_view *v, const char *kind, const char *domain)
{
	v->kind = kind;
	v->editable = v->deletable = 0;
	if (!strcmp(kind, "forward") && has_path(v->targets)) {
		v->kind = "directory";
		v->label_key = MSG("aliases.kind.directory");
		v->deletable = 1;
	} else if (!strcmp(kind, "forward")) {
		v->kind = all_local(v->targets, domain) ? "alias" : "forward";
		v->label_key = all_local(v->targets, domain) ? MSG("aliases.kind.alias")
		                                              : MSG("aliases.kind.forward");
		v->editable = v->deletable = 1;
	} else if (!strcmp(kind, "blackhole")) {
		v->label_key = MSG("aliases.kind.blackhole");
		v->editable = v->deletable = 1;
	} else if (!strcmp(kind, "empty")) {
		v->label_key = MSG("aliases.kind.empty");
		v->editable = v->deletable = 1;
	} else if (!strcmp(kind, "list")) {
		v->label_key = MSG("aliases.kind.list");
	} else if (!strcmp(kind, "autoresponder")) {
		v->label_key = MSG("aliases.kind.autoresponder");
	} else {
		v->kind = "program";   /* and anything this front end does not know */
		v->label_key = MSG("aliases.kind.program");
	}
}

void alias_view_read(const struct proto_record *r, struct alias_view *v)
{
	const char *at;

	v->address = get(r, "address");
	v->name = get(r, "name");
	v->targets = get(r, "targets");
	at = strrchr(v->address, '@');
	classify(v, get(r, "kind"), at ? at + 1 : "");
}

/* The targets as list items. A program's command may hold commas, so it
 * stays whole (it is shown, never edited). */
static void put_targets(struct ctx *c, const struct alias_view *v, struct tdict *d)
{
	struct tlist *l = td_list(d, "targets");
	const char *t;
	size_t len;

	for (t = v->targets; *t; t += len + (t[len] == ',')) {
		struct tdict *item = tlist_add(l);
		int whole = !strcmp(v->kind, "program");

		len = whole ? strlen(t) : strcspn(t, ",");
		if (!item)
			return;
		td_set(item, "t", whole ? arena_printf(c->a, "|%s", t) : arena_strndup(c->a, t, len));
	}
}

void alias_view_put(struct ctx *c, const struct alias_view *v, struct tdict *d)
{
	td_set(d, "address", v->address);
	td_set(d, "name", v->name);
	td_set(d, "kind", v->kind);
	td_set(d, "kind_label", ctx_text(c, v->label_key));
	td_set_bool(d, "editable", v->editable);
	td_set_bool(d, "deletable", v->deletable);
	if (v->editable)
		td_set(d, "edit_url", alias_link(c, "/aliases/edit", v->address));
	if (v->deletable)
		td_set(d, "delete_url", alias_link(c, "/aliases/delete", v->address));
	put_targets(c, v, d);
}

const char *alias_view_lines(struct ctx *c, const struct alias_view *v)
{
	char *s = arena_strdup(c->a, v->targets), *p;

	for (p = s; p && *p; p++)
		if (*p == ',')
			*p = '\n';
	return s ? s : "";
}

const char *alias_link(struct ctx *c, const char *path, const char *user)
{
	const char *d = c->me.role == ME_SUPERADMIN ? c->domain : NULL;

	return page_link(c, path, "user", user, "domain", d, NULL);
}

void alias_domain_from(struct ctx *c, const char *address)
{
	const char *at = address ? strrchr(address, '@') : NULL;

	if (!c->domain && at && at[1])
		c->domain = at + 1;
}

int alias_refusal_is_page(const struct qa_error *e)
{
	return e->code == QA_ERR_DENIED || (e->code == QA_ERR_NOT_FOUND && !strcmp(e->field, "domain"));
}

int alias_whoami(struct ctx *c)
{
	struct proto_answer ans;
	struct qa_error e;

	if (c->me.role == ME_NONE && page_call(c, "whoami", NULL, 0, &ans, &e) == PAGE_DONE)
		return PAGE_DONE;
	if (!c->domain)
		page_domain(c);
	return PAGE_OK;
}

void alias_refused(struct ctx *c, const struct qa_error *e)
{
	if (alias_whoami(c) != PAGE_OK)
		return;
	if (c->me.role == ME_SUPERADMIN && !c->domain && e->code == QA_ERR_INVALID
	    && !strcmp(e->field, "domain")) {
		page_redirect(c, "/domains", NULL);
		return;
	}
	page_fail(c, e);
}

int alias_form_status(const struct qa_error *e)
{
	switch (e->code) {
	case QA_ERR_EXISTS:
	case QA_ERR_LIMIT:
		return 409;
	case QA_ERR_LOCKED:
		return 503;
	default:
		return 400;
	}
}
