/* page: shared page plumbing (see page.h): language choice, base template
 * data, rendering into the response. */
#include "config.h"

#include "page.h"

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "csrf.h"
#include "helper_client.h"
#include "i18n.h"
#include "request.h"
#include "response.h"
#include "template.h"

#include <stdio.h>
#include <string.h>

#define LANG_COOKIE "qa_lang"
#define LANG_COOKIE_AGE (365L * 24 * 3600)

/* ?lang=xx switches language for this and later requests (a cookie); the
 * cookie, then Accept-Language, then the configured default decide otherwise. */
static void choose_language(struct ctx *c)
{
	const struct catalogs *cs = c->app->cats;
	const char *asked = req_query(c->req, "lang");
	const char *lang;

	if (asked && i18n_catalog(cs, asked)) {
		struct cookie_opts o = { c->req->script_name, LANG_COOKIE_AGE, "Lax", c->req->https };

		resp_cookie(c->resp, LANG_COOKIE, asked, &o);
		lang = asked;
	} else {
		lang = i18n_negotiate(cs, req_cookie(c->req, LANG_COOKIE),
		                      c->req->accept_language, c->app->conf.default_lang);
	}
	c->cat = i18n_catalog(cs, lang);
	if (!c->cat) {    /* app_init made sure the default exists */
		lang = c->app->conf.default_lang;
		c->cat = i18n_catalog(cs, lang);
	}
	c->lang = lang;
}

static void add_language_links(struct ctx *c)
{
	const struct catalogs *cs = c->app->cats;
	struct tlist *l = td_list(c->data, "languages");
	size_t i;

	for (i = 0; i < i18n_count(cs); i++) {
		const struct catalog *cat = i18n_at(cs, i);
		struct tdict *item = tlist_add(l);

		if (!item)
			return;
		td_set(item, "code", catalog_lang(cat));
		td_set(item, "name", catalog_text(cat, MSG("lang.name")));
		td_set_bool(item, "current", cat == c->cat);
	}
}

void page_setup(struct ctx *c)
{
	choose_language(c);
	auth_setup(c);
	c->data = tdict_new(c->a);
	td_set(c->data, "lang", c->lang);
	td_set(c->data, "base", c->req->script_name);
	td_set(c->data, "static", c->app->conf.static_url);
	add_language_links(c);
}

void page_render(struct ctx *c, int status, const char *tmpl)
{
	struct response *r = c->resp;
	const char *token = csrf_token(c);

	r->status = status;
	if (token)
		td_set(c->data, "csrf", token);
	buf_reset(&r->body);
	if (tmpl_render(c->app->tmpl, tmpl, c->data, c->cat, &r->body) == 0)
		return;
	/* A template that cannot render is a bug or memory exhaustion; answer
	 * plainly rather than send half a page. */
	buf_reset(&r->body);
	r->status = 500;
	r->content_type = "text/plain; charset=utf-8";
	buf_adds(&r->body, "500 Internal Server Error\n");
}

const char *ctx_text(const struct ctx *c, const char *key)
{
	const char *t = catalog_text(c->cat, key);

	return t ? t : key;
}

const char *ctx_url(const struct ctx *c, const char *path)
{
	const char *u = arena_printf(c->a, "%s%s", c->req->script_name, path);

	return u ? u : path;
}

/* Errors a user's request can cause are answered on the page; the others
 * mean the server needs its administrator, so they go to the log (stderr:
 * the FastCGI server's or the web server's error log). */
static int server_trouble(enum qa_err code)
{
	return code == QA_ERR_IO || code == QA_ERR_CORRUPT || code == QA_ERR_PROTOCOL
	       || code == QA_ERR_NOMEM || code == QA_ERR_LOCKED;
}

int ctx_helper(struct ctx *c, const char *op, const struct helper_arg *args, size_t nargs,
               struct proto_answer *ans, struct qa_error *e)
{
	if (helper_call(&c->app->helper, c->a, op, args, nargs, ans, e) == 0)
		return 0;
	if (server_trouble(e->code))
		fprintf(stderr, "qmailadmin: helper %s: %s: %s\n", op, qa_err_name(e->code),
		        e->detail);
	return -1;
}
