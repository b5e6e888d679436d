/* page_aliases: /aliases, a domain's aliases, forwards and blackholes (its
 * .qmail-NAME files, as alias.list answers them), with links to change or
 * delete those the web may change. The helper answers them all in one run;
 * the search (?q=) and the pages of 50 (?page=N) are done here. */
#include "config.h"

#include "page.h"

#include "alias_view.h"
#include "arena.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"

#include <string.h>

#define PER_PAGE 50
#define SEARCH_MAX 100
#define PAGE_MAX 9999999UL

static int matches(const struct alias_view *v, const char *q)
{
	return !*q || strcasestr(v->address, q) || strcasestr(v->targets, q);
}

/* ?page=N from 1; anything else is the first page. */
static size_t page_number(struct ctx *c)
{
	const char *s = req_query(c->req, "page");
	unsigned long n = 0;

	for (; s && *s >= '0' && *s <= '9' && n <= PAGE_MAX; s++)
		n = n * 10 + (unsigned long)(*s - '0');
	return s && !*s && n >= 1 && n <= PAGE_MAX ? n : 1;
}

/* The superadmin's links carry the domain; a domain admin's need none. */
static const char *domain_param(struct ctx *c)
{
	return c->me.role == ME_SUPERADMIN ? c->domain : NULL;
}

static const char *list_url(struct ctx *c, const char *q, size_t page)
{
	return page_link(c, "/aliases", "domain", domain_param(c), "q", *q ? q : NULL, "page",
	                 arena_printf(c->a, "%zu", page), NULL);
}

static void add_links(struct ctx *c)
{
	const char *d = domain_param(c);

	td_set(c->data, "new_url", page_link(c, "/aliases/edit", "domain", d, NULL));
	td_set(c->data, "new_blackhole_url",
	       page_link(c, "/aliases/edit", "kind", "blackhole", "domain", d, NULL));
	if (d)
		td_set(c->data, "domain_param", d);
}

/* The items of ans (rec[1..]) that match q, page by page. */
static void add_items(struct ctx *c, const struct proto_answer *ans, const char *q)
{
	struct tlist *l = td_list(c->data, "items");
	size_t page = page_number(c), matched = 0, seen = 0, shown = 0, first, i;
	struct alias_view v;

	for (i = 1; i < ans->nrec; i++) {
		alias_view_read(&ans->rec[i], &v);
		matched += matches(&v, q);
	}
	if ((page - 1) * PER_PAGE >= matched)   /* past the end: the last page */
		page = matched ? (matched + PER_PAGE - 1) / PER_PAGE : 1;
	first = (page - 1) * PER_PAGE;
	for (i = 1; i < ans->nrec && shown < PER_PAGE; i++) {
		struct tdict *item;

		alias_view_read(&ans->rec[i], &v);
		if (!matches(&v, q) || seen++ < first)
			continue;
		if (!(item = tlist_add(l)))
			return;
		alias_view_put(c, &v, item);
		shown++;
	}
	page_paging(c, first, shown, matched, page > 1 ? list_url(c, q, page - 1) : NULL,
	            first + shown < matched ? list_url(c, q, page + 1) : NULL);
}

void page_aliases(struct ctx *c)
{
	const char *q = req_query(c->req, "q");
	struct helper_arg arg = { "domain", NULL };
	struct proto_answer ans;
	struct qa_error e;
	int rc, status = 200;

	if (!page_get_ok(c))
		return;
	arg.val = page_domain(c);   /* none: a domain admin's own (the helper knows it) */
	rc = page_call(c, "alias.list", &arg, 1, &ans, &e);
	if (rc == PAGE_DONE)
		return;
	page_domain(c);
	if (rc == PAGE_FAIL) {
		alias_refused(c, &e);
		return;
	}
	c->nav = "aliases";
	td_set(c->data, "title", ctx_text(c, MSG("aliases.title")));
	td_set(c->data, "domain", c->domain);
	add_links(c);
	if (!q)
		q = "";
	td_set(c->data, "q", q);
	if (strlen(q) > SEARCH_MAX) {
		td_set(c->data, "error", ctx_text(c, MSG("err.invalid.search")));
		td_set_bool(c->data, "q_invalid", 1);
		q = "";
		status = 400;
	}
	add_items(c, &ans, q);
	page_render(c, status, "aliases");
}
