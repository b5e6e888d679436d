/* page_domain_aliases: a domain's alias domains (/domains/aliases), other
 * names under which the same mailboxes get mail, as vaddaliasdomain makes
 * them: the list, a form to add one and a button to remove each.
 *
 * The domain's record comes from domain.list and the changes are
 * domain.alias.add / domain.alias.del: all the superadmin's, so the helper
 * refuses anyone else (403). */
#include "config.h"

#include "page.h"

#include "arena.h"
#include "errtext.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"
#include "validate.h"

#include <string.h>

/* The domain's record: PAGE_OK with *rec set, or answered. */
static int load(struct ctx *c, const char *domain, const struct proto_record **rec)
{
	struct helper_arg arg = { "domain", domain };
	struct proto_answer ans;
	struct qa_error e;
	int rc = page_call(c, "domain.list", &arg, 1, &ans, &e);

	if (rc == PAGE_FAIL)
		page_fail(c, &e);
	if (rc != PAGE_OK)
		return PAGE_DONE;
	if (ans.nrec < 2) {
		qa_fail(&e, QA_ERR_NOT_FOUND, "domain", "no such domain");
		page_fail(c, &e);
		return PAGE_DONE;
	}
	*rec = &ans.rec[1];
	return PAGE_OK;
}

static void add_names(struct ctx *c, const char *names)
{
	struct tlist *l = td_list(c->data, "aliases");
	char *copy = names ? arena_strdup(c->a, names) : NULL, *name, *save = NULL;

	for (name = copy ? strtok_r(copy, ",", &save) : NULL; name; name = strtok_r(NULL, ",", &save)) {
		struct tdict *it = tlist_add(l);

		if (it)
			td_set(it, "alias", name);
	}
}

/* The page for rec with status; error (catalog key) for the add form
 * (typed: what was typed there) or for removing. */
static void show(struct ctx *c, int status, const struct proto_record *rec, const char *error,
                 const char *typed)
{
	const char *name = proto_rec_get(rec, "domain"), *alias = proto_rec_get(rec, "alias");

	c->nav = "domains";
	c->domain = name;
	td_set(c->data, "title", ctx_text(c, MSG("domain_aliases.title")));
	td_set(c->data, "domain", name);
	if (alias && !strcmp(alias, "1"))
		td_set(c->data, "real", proto_rec_get(rec, "real"));
	add_names(c, proto_rec_get(rec, "alias_domains"));
	if (typed)
		td_set(c->data, "typed", typed);
	if (error) {
		td_set(c->data, "error", ctx_text(c, error));
		td_set_bool(c->data, "alias_invalid", typed != NULL);
	}
	page_render(c, status, "domain_aliases");
}

/* An alias domain is a domain name: the helper's "alias" field gets the
 * domain messages, not the mailbox alias ones. */
static const char *alias_error(const struct qa_error *e)
{
	struct qa_error as_domain = *e;

	if (!strcmp(e->field, "alias"))
		strcpy(as_domain.field, "domain");
	return errtext_key(&as_domain);
}

static void aliases_post(struct ctx *c)
{
	const char *domain = page_domain(c), *action = req_form(c->req, "action");
	const char *alias = req_form(c->req, "alias");
	int adding = action && !strcmp(action, "add");
	struct helper_arg args[] = { { "alias", alias }, { "domain", domain } };
	const struct proto_record *rec;
	struct proto_answer ans;
	struct qa_error e;
	int rc;

	if (!domain || strlen(domain) > V_DOMAIN_MAX || (!adding && (!action || strcmp(action, "remove")))) {
		page_error(c, 400);
		return;
	}
	if (!alias || !*alias || strlen(alias) > V_DOMAIN_MAX) {
		if (load(c, domain, &rec) == PAGE_OK)
			show(c, 400, rec, MSG("err.invalid.domain"), adding ? (alias ? alias : "") : NULL);
		return;
	}
	rc = page_call(c, adding ? "domain.alias.add" : "domain.alias.del", args, adding ? 2 : 1, &ans, &e);
	if (rc == PAGE_OK)
		page_redirect(c, "/domains/aliases", adding ? "alias_domain_added" : "alias_domain_deleted");
	else if (rc == PAGE_FAIL && e.code == QA_ERR_DENIED)
		page_fail(c, &e);
	else if (rc == PAGE_FAIL && load(c, domain, &rec) == PAGE_OK)
		show(c, page_form_status(&e), rec, alias_error(&e), adding ? alias : NULL);
}

void page_domain_aliases(struct ctx *c)
{
	const struct proto_record *rec;
	const char *domain;

	if (c->req->method == M_POST) {
		if (page_post_ok(c))
			aliases_post(c);
		return;
	}
	if (!page_get_ok(c))
		return;
	domain = page_domain(c);
	if (!domain || strlen(domain) > V_DOMAIN_MAX) {
		page_redirect(c, "/domains", NULL);
		return;
	}
	if (load(c, domain, &rec) == PAGE_OK)
		show(c, 200, rec, NULL, NULL);
}
