/* page: shared page plumbing (see page.h): language choice, base template
 * data, rendering into the response. */
#include "config.h"

#include "page.h"

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "csrf.h"
#include "errtext.h"
#include "fmt.h"
#include "helper_client.h"
#include "html.h"
#include "i18n.h"
#include "request.h"
#include "response.h"
#include "template.h"

#include <stdarg.h>
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

/* ?done=NAME after a change (page_redirect): only names listed here show
 * anything, so a link cannot make the page say something else. */
static const struct {
	const char *name;
	const char *key;
} notices[] = {
	{ "domain_added", MSG("done.domain_added") },
	{ "domain_deleted", MSG("done.domain_deleted") },
	{ "alias_domain_added", MSG("done.alias_domain_added") },
	{ "alias_domain_deleted", MSG("done.alias_domain_deleted") },
	{ "limits_saved", MSG("done.limits_saved") },
	{ "limits_reset", MSG("done.limits_reset") },
	{ "user_added", MSG("done.user_added") },
	{ "user_saved", MSG("done.user_saved") },
	{ "user_deleted", MSG("done.user_deleted") },
	{ "password_changed", MSG("done.password_changed") },
	{ "forward_saved", MSG("done.forward_saved") },
	{ "alias_saved", MSG("done.alias_saved") },
	{ "alias_deleted", MSG("done.alias_deleted") },
	{ "catchall_saved", MSG("done.catchall_saved") },
	{ "none_ticked", MSG("done.none_ticked") },
	{ "mail_marked", MSG("done.mail_marked") },
	{ "mail_moved", MSG("done.mail_moved") },
	{ "mail_deleted", MSG("done.mail_deleted") },
	{ "trash_emptied", MSG("done.trash_emptied") },
	{ "folder_created", MSG("done.folder_created") },
	{ "folder_renamed", MSG("done.folder_renamed") },
	{ "folder_deleted", MSG("done.folder_deleted") },
	{ "mail_sent", MSG("done.mail_sent") },
	{ "draft_saved", MSG("done.draft_saved") },
};

static void add_notice(struct ctx *c)
{
	const char *done = req_query(c->req, "done");
	size_t i;

	for (i = 0; done && i < sizeof(notices) / sizeof(notices[0]); i++)
		if (!strcmp(notices[i].name, done))
			td_set(c->data, "done_notice", ctx_text(c, notices[i].key));
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
	add_notice(c);
}

/* The menu: what the logged-in role may use. Domain entries carry the
 * managed domain for the superadmin (a domain admin has only its own). */
struct nav_entry {
	const char *id;
	const char *path;
	const char *key;
	enum me_role min, max;
	int domain;           /* needs a domain: shown to the superadmin only with one */
	int webmail;          /* only for a mailbox that may use webmail */
};

static const struct nav_entry nav_entries[] = {
	{ "mail", "/mail", MSG("nav.mail"), ME_USER, ME_DOMAINADMIN, 0, 1 },
	{ "domains", "/domains", MSG("nav.domains"), ME_SUPERADMIN, ME_SUPERADMIN, 0, 0 },
	{ "main", "/", MSG("nav.main"), ME_DOMAINADMIN, ME_DOMAINADMIN, 0, 0 },
	{ "users", "/users", MSG("nav.users"), ME_DOMAINADMIN, ME_SUPERADMIN, 1, 0 },
	{ "aliases", "/aliases", MSG("nav.aliases"), ME_DOMAINADMIN, ME_SUPERADMIN, 1, 0 },
	{ "catchall", "/catchall", MSG("nav.catchall"), ME_DOMAINADMIN, ME_SUPERADMIN, 1, 0 },
	{ "limits", "/domains/limits", MSG("nav.limits"), ME_DOMAINADMIN, ME_SUPERADMIN, 1, 0 },
	{ "account", "/account", MSG("nav.account"), ME_USER, ME_DOMAINADMIN, 0, 0 },
};

static void add_nav(struct ctx *c)
{
	struct tlist *l;
	size_t i;

	if (c->me.role == ME_NONE)
		return;
	td_set(c->data, "me_name", c->me.name);
	if (c->domain)
		td_set(c->data, "managed_domain", c->domain);
	l = td_list(c->data, "nav");
	for (i = 0; i < sizeof(nav_entries) / sizeof(nav_entries[0]); i++) {
		const struct nav_entry *n = &nav_entries[i];
		int super = c->me.role == ME_SUPERADMIN;
		struct tdict *item;

		if (c->me.role < n->min || c->me.role > n->max || (n->domain && super && !c->domain)
		    || (n->webmail && !c->me.webmail))
			continue;
		item = tlist_add(l);
		if (!item)
			return;
		td_set(item, "id", n->id);
		td_set(item, "url", n->domain && super ? page_link(c, n->path, "domain", c->domain, NULL)
		                                        : ctx_url(c, n->path));
		td_set(item, "label", ctx_text(c, n->key));
		td_set_bool(item, "current", c->nav && !strcmp(c->nav, n->id));
	}
}

void page_render(struct ctx *c, int status, const char *tmpl)
{
	struct response *r = c->resp;
	const char *token = csrf_token(c);

	r->status = status;
	add_nav(c);
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

static enum me_role me_role(const char *name)
{
	if (!name)
		return ME_NONE;
	if (!strcmp(name, "superadmin"))
		return ME_SUPERADMIN;
	if (!strcmp(name, "domainadmin"))
		return ME_DOMAINADMIN;
	if (!strcmp(name, "user"))
		return ME_USER;
	return ME_NONE;
}

static void take_me(struct ctx *c, const struct proto_answer *ans)
{
	const struct proto_record *r;
	const char *wm;

	if (ans->nrec == 0)
		return;
	r = &ans->rec[0];
	c->me.role = me_role(proto_rec_get(r, "me.role"));
	c->me.name = proto_rec_get(r, "me.name");
	c->me.domain = proto_rec_get(r, "me.domain");
	wm = proto_rec_get(r, "me.webmail");
	c->me.webmail = (c->me.role == ME_USER || c->me.role == ME_DOMAINADMIN) && wm && !strcmp(wm, "1")
	                && c->app->conf.webmail;
	if (c->me.role == ME_NONE)
		c->me.name = c->me.domain = NULL;
}

int page_call(struct ctx *c, const char *op, const struct helper_arg *args, size_t nargs,
              struct proto_answer *ans, struct qa_error *e)
{
	struct helper_arg all[32];
	size_t i;

	memset(ans, 0, sizeof(*ans));
	qa_error_clear(e);
	if (!c->ticket || nargs >= sizeof(all) / sizeof(all[0])) {
		e->code = QA_ERR_EXPIRED;
		auth_login_again(c);
		return PAGE_DONE;
	}
	all[0].key = "ticket";
	all[0].val = c->ticket;
	for (i = 0; i < nargs; i++)
		all[i + 1] = args[i];
	if (ctx_helper(c, op, all, nargs + 1, ans, e) == 0) {
		take_me(c, ans);
		return PAGE_OK;
	}
	take_me(c, ans);
	if (e->code == QA_ERR_EXPIRED) {
		auth_login_again(c);
		return PAGE_DONE;
	}
	if (server_trouble(e->code) && e->code != QA_ERR_LOCKED) {
		page_error(c, 503);
		return PAGE_DONE;
	}
	return PAGE_FAIL;
}

int page_whoami(struct ctx *c)
{
	struct proto_answer ans;
	struct qa_error e;
	int rc = page_call(c, "whoami", NULL, 0, &ans, &e);

	if (rc == PAGE_FAIL) {
		page_fail(c, &e);
		return PAGE_DONE;
	}
	return rc;
}

void page_fail(struct ctx *c, const struct qa_error *e)
{
	const char *title = NULL;
	int status = 400;

	if (e->code == QA_ERR_DENIED) {
		status = 403;
		title = ctx_text(c, MSG("error.denied"));
	} else if (e->code == QA_ERR_NOT_FOUND) {
		status = 404;
	} else if (e->code == QA_ERR_LOCKED) {
		status = 503;
	}
	page_error_msg(c, status, title, ctx_text(c, errtext_key(e)));
}

int page_form_status(const struct qa_error *e)
{
	switch (e->code) {
	case QA_ERR_EXISTS:
	case QA_ERR_LIMIT:
	case QA_ERR_BUSY_CATCHALL: return 409;
	case QA_ERR_LOCKED: return 503;
	case QA_ERR_NOT_FOUND: return 404;
	default: return 400;
	}
}

int page_post_ok(struct ctx *c)
{
	if (c->req->method != M_POST) {
		resp_header(c->resp, "Allow", "POST");
		page_error(c, 405);
		return 0;
	}
	if (!csrf_ok(c)) {
		page_error(c, 403);
		return 0;
	}
	return 1;
}

int page_get_ok(struct ctx *c)
{
	if (c->req->method == M_GET || c->req->method == M_HEAD)
		return 1;
	resp_header(c->resp, "Allow", "GET, HEAD");
	page_error(c, 405);
	return 0;
}

const char *page_domain(struct ctx *c)
{
	const char *d = c->req->method == M_POST ? req_form(c->req, "domain") : NULL;

	if (!d || !*d)
		d = req_query(c->req, "domain");
	if (!d || !*d)
		d = c->me.domain;
	c->domain = d && *d ? d : NULL;
	return c->domain;
}

static const char *link_v(struct ctx *c, const char *path, va_list ap)
{
	struct buf b = BUF_INIT;
	const char *name, *val, *out;
	char sep = '?';

	buf_adds(&b, c->req->script_name);
	buf_adds(&b, path);
	while ((name = va_arg(ap, const char *)) != NULL) {
		val = va_arg(ap, const char *);
		if (!val)
			continue;
		buf_addc(&b, sep);
		sep = '&';
		buf_adds(&b, name);
		buf_addc(&b, '=');
		url_escape_component(&b, val, strlen(val));
	}
	out = buf_failed(&b) ? NULL : arena_strdup(c->a, b.p);
	buf_free(&b);
	return out ? out : ctx_url(c, path);
}

const char *page_link(struct ctx *c, const char *path, ...)
{
	va_list ap;
	const char *u;

	va_start(ap, path);
	u = link_v(c, path, ap);
	va_end(ap);
	return u;
}

void page_redirect(struct ctx *c, const char *path, const char *notice)
{
	const char *d = c->me.role == ME_SUPERADMIN ? c->domain : NULL;
	const char *u = page_link(c, path, "domain", d, "done", notice, NULL);

	if (resp_redirect(c->resp, u) < 0)
		page_error(c, 500);
}

void page_paging(struct ctx *c, size_t offset, size_t shown, size_t total, const char *prev,
                 const char *next)
{
	td_set_bool(c->data, "paging", prev || next);
	td_set(c->data, "paging_from", fmt_count(c, shown ? offset + 1 : 0));
	td_set(c->data, "paging_to", fmt_count(c, offset + shown));
	td_set(c->data, "paging_total", fmt_count(c, total));
	if (prev)
		td_set(c->data, "paging_prev", prev);
	if (next)
		td_set(c->data, "paging_next", next);
}
