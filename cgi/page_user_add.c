/* page_user_add: /users/add?domain=D, a new mailbox (like vadduser): the
 * local part beside "@D", the full name, a password typed twice or a
 * random one (shown once on the result page, never in a URL), and a quota
 * as a number and a unit or no limit. The view is one limits.get, which
 * both asks the helper whether the caller may manage D and gives the
 * domain's default quota for the form. Never touches a store. */
#include "config.h"

#include "page.h"

#include "arena.h"
#include "err.h"
#include "helper_client.h"
#include "request.h"
#include "response.h"
#include "template.h"
#include "user_form.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The view's helper run: limits.get for the domain (the default quota),
 * PAGE_OK or answered. Without a domain the admin's own is looked up and
 * the browser sent there (a bookmark; links always carry it). */
static int form_context(struct ctx *c, const char *domain)
{
	struct helper_arg arg = { "domain", domain };
	struct proto_answer ans;
	struct qa_error e;
	const char *dq;
	int rc;

	if (!domain || !*domain) {
		if (page_whoami(c) != PAGE_OK)
			return PAGE_DONE;
		if (!page_domain(c))
			page_redirect(c, "/domains", NULL);
		else if (resp_redirect(c->resp, page_link(c, "/users/add", "domain", c->domain, NULL)) < 0)
			page_error(c, 500);
		return PAGE_DONE;
	}
	rc = page_call(c, "limits.get", &arg, 1, &ans, &e);
	if (rc == PAGE_FAIL)
		page_fail(c, &e);
	if (rc != PAGE_OK)
		return PAGE_DONE;
	page_domain(c);
	dq = ans.nrec > 1 ? proto_rec_get(&ans.rec[1], "default_quota") : NULL;
	/* The default as the form shows it: sent back unchanged, no quota
	 * goes to the helper, which applies the whole default (with its
	 * message count, if any). */
	td_set(c->data, "quota_default",
	       uf_quota_fields(c, c->data, dq ? strtoull(dq, NULL, 10) : 0));
	return PAGE_OK;
}

static void render_form(struct ctx *c, int status)
{
	c->nav = "users";
	td_set(c->data, "title", ctx_text(c, MSG("users.add_title")));
	td_set(c->data, "domain", c->domain);
	td_set(c->data, "back_url", page_link(c, "/users", "domain", c->domain, NULL));
	page_render(c, status, "user_add");
}

/* What was typed goes back into the form (never the passwords). */
static void keep_input(struct ctx *c)
{
	static const char *const fields[] = { "local", "gecos", "quota_num", "quota_default" };
	const char *unit = req_form(c->req, "quota_unit");
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		td_set(c->data, fields[i], req_form(c->req, fields[i]));
	td_set_bool(c->data, "quota_gb", unit && !strcmp(unit, "GB"));
	td_set_bool(c->data, "quota_none", uf_ticked(c, "quota_none"));
	td_set_bool(c->data, "random", uf_ticked(c, "random"));
}

/* A mistake found before asking the helper: the form again, after the
 * helper has said the caller may use it. */
static void local_mistake(struct ctx *c, const char *domain)
{
	if (form_context(c, domain) != PAGE_OK)
		return;
	keep_input(c);
	render_form(c, 400);
}

struct new_user {
	const char *domain, *local, *gecos, *password, *quota;
	int random;
};

/* Reads and checks the form; 0, or -1 with the error set. */
static int read_form(struct ctx *c, struct new_user *u)
{
	const char *num = req_form(c->req, "quota_num"), *unit = req_form(c->req, "quota_unit");
	const char *none = req_form(c->req, "quota_none"), *dflt = req_form(c->req, "quota_default");

	u->domain = req_form(c->req, "domain");
	if (!(u->local = uf_field(c, "local", UF_LOCAL_MAX, MSG("err.invalid.user")))
	    || !(u->gecos = uf_field(c, "gecos", UF_GECOS_MAX, MSG("err.invalid.gecos")))
	    || uf_password(c, &u->password, &u->random) < 0)
		return -1;
	if (!*u->local) {
		uf_error(c, MSG("err.invalid.user"), "local");
		return -1;
	}
	if (!u->password && !u->random) {
		uf_error(c, MSG("users.err_password_missing"), "password");
		return -1;
	}
	if ((num && strlen(num) > UF_QUOTA_MAX) || uf_quota_arg(c, num, unit, none, &u->quota) < 0) {
		uf_error(c, MSG("users.err_quota"), "quota");
		return -1;
	}
	if (dflt && !strcmp(dflt, uf_quota_shown(c, num, unit, none)))
		u->quota = NULL;
	return 0;
}

static void add_post(struct ctx *c)
{
	struct new_user u;
	struct proto_answer ans;
	struct qa_error e;
	const char *pw;
	int rc, status;

	memset(&u, 0, sizeof(u));
	if (read_form(c, &u) < 0) {
		local_mistake(c, u.domain);
		return;
	}
	{
		struct helper_arg args[] = {
			{ "user", arena_printf(c->a, "%s@%s", u.local, u.domain ? u.domain : "") },
			{ "gecos", u.gecos }, { "password", u.password },
			{ "random", u.random ? "1" : NULL }, { "quota", u.quota },
		};

		rc = page_call(c, "user.add", args, sizeof(args) / sizeof(args[0]), &ans, &e);
	}
	if (rc == PAGE_DONE)
		return;
	page_domain(c);
	if (rc == PAGE_FAIL) {
		if ((status = uf_refused(c, &e)) == 0)
			return;
		keep_input(c);
		render_form(c, status);
		return;
	}
	pw = proto_rec_get(&ans.rec[0], "password");
	if (!u.random || !pw) {
		page_redirect(c, "/users", "user_added");
		return;
	}
	/* Shown once, here; the page is not cached (Cache-Control: no-store). */
	td_set(c->data, "secret", pw);
	td_set(c->data, "secret_user", arena_printf(c->a, "%s@%s", u.local, u.domain));
	td_set(c->data, "secret_notice", ctx_text(c, MSG("done.user_added")));
	render_form(c, 200);
}

void page_user_add(struct ctx *c)
{
	if (c->req->method == M_POST) {
		if (page_post_ok(c))
			add_post(c);
		return;
	}
	if (!page_get_ok(c) || form_context(c, req_query(c->req, "domain")) != PAGE_OK)
		return;
	render_form(c, 200);
}
