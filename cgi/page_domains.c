/* page_domains: the superadmin's domain list (/domains: search, pages of
 * 25, per domain its users, aliases, alias domains and disk use, and the
 * ways on to limits, alias domains and deleting) and the form that adds a
 * domain with its postmaster (/domains/add), as vadddomain does.
 *
 * Who may see these is the helper's call: domain.list and domain.add are
 * the superadmin's operations, so anyone else gets the helper's refusal
 * (403). A random postmaster password is shown once, on the page that
 * answers the POST, and never travels in a URL. */
#include "config.h"

#include "page.h"

#include "arena.h"
#include "errtext.h"
#include "fmt.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#define DOMAINS_PER_PAGE 25
#define SEARCH_MAX 64          /* the helper's limit for search text */
#define PASSWORD_MAX 128       /* vpopmail's limit for the clear password */
#define OFFSET_MAX 100000000UL /* the helper's limit for offset */

/* A decimal count without sign or spaces, at most max: 1, else 0. */
static int parse_count(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!s || !*s || strlen(s) > 10)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v > max)
		return 0;
	*out = v;
	return 1;
}

/* ?page=N (from 1), or ?offset=N as the helper counts; else the start. */
static size_t list_offset(struct ctx *c)
{
	unsigned long n;

	if (parse_count(req_query(c->req, "offset"), OFFSET_MAX, &n))
		return n;
	if (parse_count(req_query(c->req, "page"), OFFSET_MAX / DOMAINS_PER_PAGE, &n) && n > 0)
		return (n - 1) * DOMAINS_PER_PAGE;
	return 0;
}

static uint64_t num(const struct proto_record *r, const char *key)
{
	const char *s = proto_rec_get(r, key);

	return s ? strtoull(s, NULL, 10) : 0;
}

/* "a.example,b.example" as list items {alias}. */
static void add_alias_names(struct tdict *item, const char *names, struct arena *a)
{
	struct tlist *l;
	char *copy, *name, *save = NULL;

	if (!names || !*names || !(copy = arena_strdup(a, names)))
		return;
	l = td_list(item, "alias_domains");
	for (name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		struct tdict *it = tlist_add(l);

		if (it)
			td_set(it, "alias", name);
	}
}

static void add_domain_row(struct ctx *c, struct tlist *l, const struct proto_record *r)
{
	struct tdict *it = tlist_add(l);

	if (!it)
		return;
	td_set(it, "name", proto_rec_get(r, "domain"));
	td_set(it, "users", fmt_count(c, num(r, "users")));
	td_set(it, "forwards", fmt_count(c, num(r, "forwards")));
	if (proto_rec_get(r, "disk_bytes")) {
		td_set(it, "disk", fmt_bytes(c, num(r, "disk_bytes")));
		td_set(it, "disk_count", fmt_count(c, num(r, "disk_count")));
	}
	add_alias_names(it, proto_rec_get(r, "alias_domains"), c->a);
}

static const char *page_url(struct ctx *c, const char *q, size_t offset)
{
	const char *n = arena_printf(c->a, "%zu", offset / DOMAINS_PER_PAGE + 1);

	return page_link(c, "/domains", "q", q && *q ? q : NULL, "page", n, NULL);
}

static void show_list(struct ctx *c, const char *q, size_t offset, const struct proto_answer *ans)
{
	struct tlist *l = td_list(c->data, "domains");
	size_t i, total = ans->nrec ? (size_t)num(&ans->rec[0], "total") : 0;
	size_t shown = ans->nrec ? ans->nrec - 1 : 0;

	for (i = 1; i < ans->nrec; i++)
		add_domain_row(c, l, &ans->rec[i]);
	td_set_bool(c->data, "any", total > 0);
	page_paging(c, offset, shown, total,
	            offset > 0 ? page_url(c, q, offset > DOMAINS_PER_PAGE ? offset - DOMAINS_PER_PAGE : 0)
	                       : NULL,
	            offset + shown < total ? page_url(c, q, offset + DOMAINS_PER_PAGE) : NULL);
}

/* The page without a list: the helper's refusal, or a search it would
 * refuse, next to the search field. */
static void list_failed(struct ctx *c, const struct qa_error *e)
{
	if (e->code == QA_ERR_DENIED) {
		page_fail(c, e);
		return;
	}
	td_set(c->data, "error", ctx_text(c, errtext_key(e)));
	td_set_bool(c->data, "search_invalid", !strcmp(e->field, "search"));
	page_render(c, page_form_status(e), "domains");
}

void page_domains(struct ctx *c)
{
	const char *q = req_query(c->req, "q");
	int too_long = q && strlen(q) > SEARCH_MAX;
	size_t offset = list_offset(c);
	struct helper_arg args[] = {
		{ "search", q && *q && !too_long ? q : NULL },
		{ "offset", arena_printf(c->a, "%zu", offset) }, { "limit", "25" },
		{ "real", "1" }, { "usage", "1" },
	};
	struct proto_answer ans;
	struct qa_error e;
	int rc;

	if (!page_get_ok(c))
		return;
	c->nav = "domains";
	td_set(c->data, "title", ctx_text(c, MSG("domains.title")));
	if (q && *q)
		td_set(c->data, "q", q);
	/* A search the helper would refuse is not sent; the helper is still
	 * asked, so that it says who is asking. */
	rc = page_call(c, "domain.list", args, sizeof(args) / sizeof(args[0]), &ans, &e);
	if (rc == PAGE_OK && too_long)
		rc = qa_fail(&e, QA_ERR_INVALID, "search", "search text too long");
	if (rc == PAGE_DONE)
		return;
	if (rc != PAGE_OK) {
		list_failed(c, &e);
		return;
	}
	show_list(c, q, offset, &ans);
	page_render(c, 200, "domains");
}

/* ============================================================ adding */

/* The form again with status, what was typed (never a password), the
 * message for key and the field it concerns marked. */
static void add_form(struct ctx *c, int status, const char *key, const char *field)
{
	const char *domain = req_form(c->req, "domain");
	const char *random = req_form(c->req, "random");

	td_set(c->data, "title", ctx_text(c, MSG("domain_add.title")));
	if (domain)
		td_set(c->data, "domain", domain);
	td_set_bool(c->data, "random", random && !strcmp(random, "1"));
	if (key)
		td_set(c->data, "error", ctx_text(c, key));
	if (field && *field && (field = arena_printf(c->a, "invalid_%s", field)) != NULL)
		td_set_bool(c->data, field, 1);
	page_render(c, status, "domain_add");
}

/* The new domain's random postmaster password, shown this once. */
static void added_random(struct ctx *c, const char *domain, const char *password)
{
	td_set(c->data, "title", ctx_text(c, MSG("domain_add.done_title")));
	td_set_bool(c->data, "created", 1);
	td_set(c->data, "domain", domain);
	td_set(c->data, "password", password);
	page_render(c, 200, "domain_add");
}

/* What the form must hold before the helper is asked: a catalog key for
 * the first thing missing (and its field in *field), or NULL. */
static const char *add_check(struct ctx *c, int random, const char **field)
{
	const char *domain = req_form(c->req, "domain");
	const char *pw = req_form(c->req, "password"), *pw2 = req_form(c->req, "password2");

	*field = "domain";
	if (!domain || !*domain || strlen(domain) > V_DOMAIN_MAX)
		return MSG("err.invalid.domain");
	if (random)
		return NULL;
	*field = "password";
	if (!pw || !*pw)
		return MSG("domain_add.password_missing");
	if (strlen(pw) > PASSWORD_MAX)
		return MSG("err.invalid.password");
	*field = "password2";
	if (!pw2 || strcmp(pw, pw2))
		return MSG("domain_add.password_mismatch");
	return NULL;
}

static void add_post(struct ctx *c)
{
	const char *random = req_form(c->req, "random");
	int rnd = random && !strcmp(random, "1");
	const char *domain = req_form(c->req, "domain"), *field, *key;
	struct helper_arg args[] = {
		{ "domain", domain },
		{ rnd ? "random" : "password", rnd ? "1" : req_form(c->req, "password") },
	};
	struct proto_answer ans;
	struct qa_error e;
	int rc;

	if ((key = add_check(c, rnd, &field)) != NULL) {
		add_form(c, 400, key, field);
		return;
	}
	rc = page_call(c, "domain.add", args, 2, &ans, &e);
	if (rc == PAGE_DONE)
		return;
	if (rc == PAGE_FAIL && e.code == QA_ERR_DENIED)
		page_fail(c, &e);
	else if (rc == PAGE_FAIL)
		add_form(c, page_form_status(&e), errtext_key(&e), e.field);
	else if (rnd && proto_rec_get(&ans.rec[0], "password"))
		added_random(c, domain, proto_rec_get(&ans.rec[0], "password"));
	else
		page_redirect(c, "/domains", "domain_added");
}

void page_domain_add(struct ctx *c)
{
	struct helper_arg one = { "limit", "1" };
	struct proto_answer ans;
	struct qa_error e;
	int rc;

	c->nav = "domains";
	if (c->req->method == M_POST) {
		if (page_post_ok(c))
			add_post(c);
		return;
	}
	if (!page_get_ok(c))
		return;
	/* Only the superadmin may add domains, and only the helper says who
	 * that is: ask it for the smallest thing only the superadmin may see. */
	rc = page_call(c, "domain.list", &one, 1, &ans, &e);
	if (rc == PAGE_FAIL)
		page_fail(c, &e);
	else if (rc == PAGE_OK)
		add_form(c, 200, NULL, NULL);
}
