/* page_users: /users, the mailboxes of a domain for its admin (postmaster
 * or a mailbox with the admin flag) and the superadmin (?domain=). 50 a
 * page, searched by name and full name (?q=), sorted by name or full name
 * either way (?sort=name|-name|gecos|-gecos), with quota use, flags and
 * links to edit and delete. One user.list per view: the helper reads only
 * what the page shows (see backend/vpasswd_page.c). Never touches a store. */
#include "config.h"

#include "page.h"

#include "arena.h"
#include "err.h"
#include "fmt.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"
#include "user_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USERS_PER_PAGE 50
#define USERS_PAGE_MAX 2000000      /* the helper's offset limit / 50 */

static const char *const sorts[] = { "name", "-name", "gecos", "-gecos" };

/* ?sort=, one of sorts[] (name when missing or unknown). */
static const char *sort_of(struct ctx *c)
{
	const char *s = req_query(c->req, "sort");
	size_t i;

	for (i = 0; s && i < sizeof(sorts) / sizeof(sorts[0]); i++)
		if (!strcmp(s, sorts[i]))
			return sorts[i];
	return sorts[0];
}

/* ?page=N (1-based; anything else is 1). */
static unsigned long page_of(struct ctx *c)
{
	const char *p = req_query(c->req, "page");
	char *end;
	unsigned long n;

	if (!p || !*p)
		return 1;
	n = strtoul(p, &end, 10);
	return *end || n < 1 || n > USERS_PAGE_MAX ? 1 : n;
}

struct view {
	const char *domain;     /* as asked (?domain=), NULL: the admin's own */
	const char *q;
	const char *sort;
	unsigned long page;
};

/* A link to this list with some of its settings changed. */
static const char *list_link(struct ctx *c, const struct view *v, const char *sort,
                             unsigned long page)
{
	return page_link(c, "/users", "domain", c->domain, "q", v->q && *v->q ? v->q : NULL,
	                 "sort", strcmp(sort, "name") ? sort : NULL, "page",
	                 page > 1 ? arena_printf(c->a, "%lu", page) : NULL, NULL);
}

/* A sortable column's header: its link (reversing the order when the list
 * is already sorted by it) and aria-sort. */
static void column(struct ctx *c, const struct view *v, const char *col)
{
	const char *desc = arena_printf(c->a, "-%s", col);
	int asc_now = !strcmp(v->sort, col), desc_now = desc && !strcmp(v->sort, desc);

	td_set(c->data, arena_printf(c->a, "sort_%s_url", col),
	       list_link(c, v, asc_now && desc ? desc : col, 1));
	if (asc_now || desc_now)
		td_set(c->data, arena_printf(c->a, "sort_%s", col), asc_now ? "ascending" : "descending");
}

static void add_flags(struct ctx *c, struct tdict *row, const struct proto_record *r)
{
	const char *flags = proto_rec_get(r, "flags");
	struct tlist *tags = td_list(row, "tags");
	size_t i;

	td_set_bool(row, "admin", proto_rec_get(r, "admin") && !strcmp(proto_rec_get(r, "admin"), "1"));
	for (i = 0; i < uf_nflags; i++) {
		struct tdict *t;

		if (!strcmp(uf_flags[i].name, "admin") || !uf_has_flag(flags, uf_flags[i].name))
			continue;
		t = tlist_add(tags);
		if (t)
			td_set(t, "tag", ctx_text(c, uf_flags[i].tag));
	}
}

static void add_rows(struct ctx *c, const struct proto_answer *ans)
{
	struct tlist *rows = td_list(c->data, "users");
	size_t i;

	for (i = 1; i < ans->nrec; i++) {
		const struct proto_record *r = &ans->rec[i];
		const char *user = proto_rec_get(r, "user");
		struct tdict *row = tlist_add(rows);

		if (!row || !user)
			continue;
		td_set(row, "user", user);
		td_set(row, "gecos", proto_rec_get(r, "gecos"));
		td_set(row, "edit_url", page_link(c, "/users/edit", "user", user, NULL));
		td_set(row, "del_url", page_link(c, "/users/delete", "user", user, NULL));
		uf_usage(c, row, r);
		add_flags(c, row, r);
	}
}

static void show(struct ctx *c, const struct view *v, const struct proto_answer *ans)
{
	const char *t = proto_rec_get(&ans->rec[0], "total");
	size_t total = t ? strtoul(t, NULL, 10) : 0, offset = (v->page - 1) * USERS_PER_PAGE;
	size_t shown = ans->nrec - 1;

	td_set(c->data, "title", ctx_text(c, MSG("users.title")));
	td_set(c->data, "domain", c->domain);
	td_set(c->data, "q", v->q);
	td_set(c->data, "sort", v->sort);
	td_set(c->data, "add_url", page_link(c, "/users/add", "domain", c->domain, NULL));
	column(c, v, "name");
	column(c, v, "gecos");
	add_rows(c, ans);
	td_set_bool(c->data, "searched", v->q && *v->q);
	td_set(c->data, "total", fmt_count(c, total));
	page_paging(c, offset, shown, total, v->page > 1 ? list_link(c, v, v->sort, v->page - 1) : NULL,
	            offset + shown < total ? list_link(c, v, v->sort, v->page + 1) : NULL);
	page_render(c, 200, "users");
}

void page_users(struct ctx *c)
{
	struct view v;
	struct proto_answer ans;
	struct qa_error e;
	char offset[24], limit[8];
	int rc;

	if (!page_get_ok(c))
		return;
	c->nav = "users";
	v.domain = req_query(c->req, "domain");
	v.q = req_query(c->req, "q");
	v.sort = sort_of(c);
	v.page = page_of(c);
	snprintf(offset, sizeof(offset), "%lu", (v.page - 1) * USERS_PER_PAGE);
	snprintf(limit, sizeof(limit), "%d", USERS_PER_PAGE);
	{
		struct helper_arg args[] = {
			{ "domain", v.domain && *v.domain ? v.domain : NULL },
			{ "search", v.q && *v.q ? v.q : NULL },
			{ "sort", v.sort }, { "offset", offset }, { "limit", limit },
		};

		rc = page_call(c, "user.list", args, sizeof(args) / sizeof(args[0]), &ans, &e);
	}
	if (rc == PAGE_DONE)
		return;
	page_domain(c);
	/* Only the superadmin has no domain of its own: which one? */
	if (rc == PAGE_FAIL && e.code == QA_ERR_INVALID && !strcmp(e.field, "domain")
	    && !(v.domain && *v.domain)) {
		page_redirect(c, "/domains", NULL);
		return;
	}
	if (rc == PAGE_FAIL) {
		page_fail(c, &e);
		return;
	}
	show(c, &v, &ans);
}
