/* page_user_del: /users/delete?user=local@domain, like vdeluser: a page
 * that names the mailbox, its size and message count and says its mail
 * will be lost, and the POST that deletes it. The helper refuses the
 * postmaster and a mailbox that takes the domain's catch-all mail; both are
 * shown on this page (the latter with a link to the catch-all). Never
 * touches a store. */
#include "config.h"

#include "page.h"

#include "err.h"
#include "fmt.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"
#include "user_form.h"

#include <stdlib.h>
#include <string.h>

static void render(struct ctx *c, int status)
{
	c->nav = "users";
	td_set(c->data, "title", ctx_text(c, MSG("users.del_title")));
	td_set(c->data, "back_url", page_link(c, "/users", "domain", c->domain, NULL));
	page_render(c, status, "user_del");
}

/* user.get of the mailbox into the page; PAGE_OK or answered. As on the
 * edit page, a mailbox owner is sent away (the helper refuses anyway). */
static int load(struct ctx *c, const char *user)
{
	struct helper_arg arg = { "user", user };
	const struct proto_record *r = uf_load_user(c, &arg, 1);
	const char *count;

	if (!r)
		return PAGE_DONE;
	count = proto_rec_get(r, "used_count");
	td_set(c->data, "user", proto_rec_get(r, "user"));
	td_set(c->data, "gecos", proto_rec_get(r, "gecos"));
	uf_usage(c, c->data, r);
	td_set(c->data, "count", fmt_count(c, count ? strtoull(count, NULL, 10) : 0));
	return PAGE_OK;
}

/* A refusal this page explains itself; others go to uf_refused. */
static int refused(struct ctx *c, const struct qa_error *e)
{
	if (e->code == QA_ERR_DENIED && !strcmp(e->field, "user")) {
		uf_error(c, MSG("users.err_postmaster"), NULL);
		td_set_bool(c->data, "undeletable", 1);
		return 403;
	}
	if (e->code == QA_ERR_BUSY_CATCHALL)
		td_set(c->data, "catchall_url", page_link(c, "/catchall", "domain", c->domain, NULL));
	return uf_refused(c, e);
}

static void del_post(struct ctx *c)
{
	const char *user = req_form(c->req, "user");
	struct helper_arg arg = { "user", user };
	struct proto_answer ans;
	struct qa_error e;
	int rc, status;

	c->domain = uf_domain_of(user);
	rc = page_call(c, "user.del", &arg, 1, &ans, &e);
	if (rc == PAGE_DONE)
		return;
	if (rc == PAGE_OK) {
		page_redirect(c, "/users", "user_deleted");
		return;
	}
	if ((status = refused(c, &e)) != 0 && load(c, user) == PAGE_OK)
		render(c, status);
}

void page_user_del(struct ctx *c)
{
	if (c->req->method == M_POST) {
		if (page_post_ok(c))
			del_post(c);
		return;
	}
	if (!page_get_ok(c) || load(c, req_query(c->req, "user")) != PAGE_OK)
		return;
	render(c, 200);
}
