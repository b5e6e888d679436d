/* page_domain_del: deleting a domain (/domains/delete), as vdeldomain does.
 * GET shows what will go (the directory with all mail, the mailboxes,
 * aliases and forwards, the alias domains, the domain's lines in the qmail
 * control files) and asks for the domain's name to be typed; POST checks
 * that name here, so a slip of the mouse removes nothing, and only then
 * asks the helper, which alone decides whether the caller may.
 *
 * The figures come from domain.list (the superadmin's operation: anyone
 * else is refused by the helper, 403, before seeing them). */
#include "config.h"

#include "page.h"

#include "errtext.h"
#include "fmt.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static uint64_t num(const struct proto_record *r, const char *key)
{
	const char *s = proto_rec_get(r, key);

	return s ? strtoull(s, NULL, 10) : 0;
}

/* The domain's record, for the confirmation. PAGE_OK with *rec set, or the
 * request has been answered (refused, unknown domain). */
static int load(struct ctx *c, const char *domain, const struct proto_record **rec)
{
	struct helper_arg args[] = { { "domain", domain }, { "usage", "1" } };
	struct proto_answer ans;
	struct qa_error e;
	int rc = page_call(c, "domain.list", args, 2, &ans, &e);

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

/* The confirmation page for rec, with status and an error (catalog key). */
static void confirm(struct ctx *c, int status, const struct proto_record *rec, const char *error)
{
	const char *name = proto_rec_get(rec, "domain"), *aliases = proto_rec_get(rec, "alias_domains");
	int is_alias = num(rec, "alias") == 1;

	c->nav = "domains";
	if (!is_alias)
		c->domain = name;     /* the menu's links to this domain's pages */
	td_set(c->data, "title", ctx_text(c, MSG("domain_del.title")));
	td_set(c->data, "domain", name);
	td_set_bool(c->data, "is_alias", is_alias);
	td_set(c->data, "real", proto_rec_get(rec, "real"));
	td_set(c->data, "users", fmt_count(c, num(rec, "users")));
	td_set(c->data, "forwards", fmt_count(c, num(rec, "forwards")));
	td_set(c->data, "alias_count", fmt_count(c, num(rec, "aliases")));
	if (aliases && *aliases)
		td_set(c->data, "alias_domains", aliases);
	if (proto_rec_get(rec, "disk_bytes")) {
		td_set(c->data, "disk", fmt_bytes(c, num(rec, "disk_bytes")));
		td_set(c->data, "disk_count", fmt_count(c, num(rec, "disk_count")));
	}
	if (error) {
		td_set(c->data, "error", ctx_text(c, error));
		td_set_bool(c->data, "confirm_invalid", 1);
	}
	page_render(c, status, "domain_del");
}

/* The typed name, without the spaces a copy and paste may bring along. */
static int typed_matches(const char *typed, const char *domain)
{
	size_t n;

	if (!typed)
		return 0;
	while (*typed == ' ' || *typed == '\t')
		typed++;
	n = strlen(typed);
	while (n > 0 && (typed[n - 1] == ' ' || typed[n - 1] == '\t'))
		n--;
	return n == strlen(domain) && !strncasecmp(typed, domain, n);
}

static void del_post(struct ctx *c)
{
	const char *domain = req_form(c->req, "domain");
	struct helper_arg arg = { "domain", domain };
	const struct proto_record *rec;
	struct proto_answer ans;
	struct qa_error e;
	int rc;

	if (!domain || !*domain || strlen(domain) > V_DOMAIN_MAX) {
		page_error(c, 400);
		return;
	}
	if (!typed_matches(req_form(c->req, "confirm"), domain)) {
		if (load(c, domain, &rec) == PAGE_OK)
			confirm(c, 400, rec, MSG("domain_del.mismatch"));
		return;
	}
	rc = page_call(c, "domain.del", &arg, 1, &ans, &e);
	if (rc == PAGE_OK)
		page_redirect(c, "/domains", "domain_deleted");
	else if (rc == PAGE_FAIL && (e.code == QA_ERR_DENIED || e.code == QA_ERR_NOT_FOUND))
		page_fail(c, &e);
	else if (rc == PAGE_FAIL && load(c, domain, &rec) == PAGE_OK)
		confirm(c, page_form_status(&e), rec, errtext_key(&e));
}

void page_domain_del(struct ctx *c)
{
	const char *domain = req_query(c->req, "domain");
	const struct proto_record *rec;

	if (c->req->method == M_POST) {
		if (page_post_ok(c))
			del_post(c);
		return;
	}
	if (!page_get_ok(c))
		return;
	if (!domain || !*domain || strlen(domain) > V_DOMAIN_MAX) {
		page_redirect(c, "/domains", NULL);
		return;
	}
	if (load(c, domain, &rec) == PAGE_OK)
		confirm(c, 200, rec, NULL);
}
