/* page_alias_edit: /aliases/edit, a new alias, forward or blackhole, or
 * ?user=NAME@DOMAIN to change one; and /aliases/delete, which asks first.
 * The form takes one target per line, the helper a comma-separated list.
 * Program lines, mailing lists and autoresponders are shown, never offered
 * for change (the helper refuses to replace them, and to delete a program,
 * whatever is posted). */
#include "config.h"

#include "page.h"

#include "alias_view.h"
#include "arena.h"
#include "errtext.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"

#include <string.h>

#define NAME_MAX_LEN 64        /* a local part (validate.h) */
#define TARGETS_MAX_LEN 16384  /* 50 targets of at most 254 bytes, and line ends */

struct alias_form {
	const char *user;          /* the alias being changed; NULL for a new one */
	const char *name;          /* the local part, as typed or stored */
	int blackhole;             /* the kind chosen: blackhole, else forward */
	const char *targets;       /* one per line */
	const struct qa_error *err;
};

static const char *back_url(struct ctx *c)
{
	return page_link(c, "/aliases", "domain", c->me.role == ME_SUPERADMIN ? c->domain : NULL,
	                 NULL);
}

/* Too many targets is no domain limit, whatever the code says. */
static const char *error_key(const struct qa_error *e)
{
	if (e->code == QA_ERR_LIMIT && !strcmp(e->field, "targets"))
		return MSG("alias_edit.too_many");
	return errtext_key(e);
}

static int field_is(const struct qa_error *e, const char *a, const char *b, const char *d)
{
	return e && (!strcmp(e->field, a) || !strcmp(e->field, b) || !strcmp(e->field, d));
}

static void render_form(struct ctx *c, int status, const struct alias_form *f)
{
	c->nav = "aliases";
	td_set(c->data, "title", ctx_text(c, f->user ? MSG("alias_edit.title_edit")
	                                             : MSG("alias_edit.title_new")));
	td_set_bool(c->data, "editing", f->user != NULL);
	td_set(c->data, "address", f->user);
	td_set(c->data, "name", f->name);
	td_set(c->data, "domain", c->domain);
	td_set_bool(c->data, "kind_blackhole", f->blackhole);
	td_set_bool(c->data, "kind_forward", !f->blackhole);
	td_set(c->data, "targets", f->targets);
	td_set(c->data, "back_url", back_url(c));
	if (f->err) {
		td_set(c->data, "error", ctx_text(c, error_key(f->err)));
		td_set_bool(c->data, "name_invalid", field_is(f->err, "user", "alias", "local"));
		td_set_bool(c->data, "targets_invalid", field_is(f->err, "targets", "target", "line"));
	}
	page_render(c, status, "alias_edit");
}

/* An alias the web may not change: what it is, and why not. */
static void render_readonly(struct ctx *c, const struct alias_view *v)
{
	c->nav = "aliases";
	td_set(c->data, "title", ctx_text(c, MSG("alias_edit.title_readonly")));
	td_set_bool(c->data, "readonly", 1);
	td_set(c->data, "back_url", back_url(c));
	alias_view_put(c, v, c->data);
	page_render(c, 200, "alias_edit");
}

/* alias.get for ?user= (GET) or the form's user (POST): PAGE_OK with v set,
 * else answered. */
static int get_alias(struct ctx *c, const char *user, struct alias_view *v)
{
	struct helper_arg arg = { "user", user };
	struct proto_answer ans;
	struct qa_error e;
	int rc = page_call(c, "alias.get", &arg, 1, &ans, &e);

	if (rc == PAGE_DONE)
		return rc;
	page_domain(c);
	alias_domain_from(c, user);
	if (rc == PAGE_FAIL || ans.nrec < 2) {
		if (rc == PAGE_OK)
			qa_fail(&e, QA_ERR_NOT_FOUND, "alias", "empty answer");
		alias_refused(c, &e);
		return PAGE_DONE;
	}
	alias_view_read(&ans.rec[1], v);
	return PAGE_OK;
}

/* The new-alias form needs the domain and an answer to "may this session
 * manage it?": catch-all.get is the cheapest operation the helper
 * authorises by domain (one small file), and left without a domain it
 * means a domain admin's own. No catch-all file is no refusal. */
static int may_manage(struct ctx *c)
{
	struct helper_arg arg = { "domain", page_domain(c) };
	struct proto_answer ans;
	struct qa_error e;
	int rc = page_call(c, "catchall.get", &arg, 1, &ans, &e);

	if (rc == PAGE_DONE)
		return rc;
	page_domain(c);
	if (rc == PAGE_OK)
		return PAGE_OK;
	if (e.code == QA_ERR_NOT_FOUND && !strcmp(e.field, "catchall"))
		return alias_whoami(c);
	alias_refused(c, &e);
	return PAGE_DONE;
}

static void edit_get(struct ctx *c)
{
	const char *user = req_query(c->req, "user"), *kind = req_query(c->req, "kind");
	struct alias_form f = { NULL, "", 0, "", NULL };
	struct alias_view v;

	if (user && *user) {
		if (get_alias(c, user, &v) != PAGE_OK)
			return;
		if (!v.editable) {
			render_readonly(c, &v);
			return;
		}
		f.user = v.address;
		f.name = v.name;
		f.blackhole = !strcmp(v.kind, "blackhole");
		f.targets = alias_view_lines(c, &v);
	} else {
		if (may_manage(c) != PAGE_OK)
			return;
		f.blackhole = kind && !strcmp(kind, "blackhole");
	}
	render_form(c, 200, &f);
}

/* One target per line (or comma-separated) into the helper's commas. */
static const char *targets_arg(struct ctx *c, const char *in)
{
	char *s = arena_strdup(c->a, in), *p;

	for (p = s; p && *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ',';
		else if (*p == '\t')
			*p = ' ';
	return s ? s : "";
}

/* The form's fields into f and the alias's address; 0, or -1 with e set
 * when a field is too long to send. */
static int read_form(struct ctx *c, struct alias_form *f, const char **address,
                     struct qa_error *e)
{
	const char *user = req_form(c->req, "user"), *kind = req_form(c->req, "kind");
	const char *at;

	f->user = user && *user ? user : NULL;
	f->name = req_form(c->req, "name");
	f->blackhole = kind && !strcmp(kind, "blackhole");
	f->targets = req_form(c->req, "targets");
	if (!f->targets)
		f->targets = "";
	if (f->user && (at = strrchr(f->user, '@')))
		f->name = arena_strndup(c->a, f->user, (size_t)(at - f->user));
	if (!f->name)
		f->name = "";
	*address = f->user ? f->user : arena_printf(c->a, "%s@%s", f->name, c->domain ? c->domain : "");
	if (strlen(f->name) > NAME_MAX_LEN || !*address || strlen(*address) > 255)
		return qa_fail(e, QA_ERR_INVALID, "user", "name too long");
	if (strlen(f->targets) > TARGETS_MAX_LEN)
		return qa_fail(e, QA_ERR_INVALID, "targets", "targets too long");
	if (kind && strcmp(kind, "forward") && strcmp(kind, "blackhole"))
		return qa_fail(e, QA_ERR_INVALID, "kind", "unknown kind");
	return 0;
}

static void edit_post(struct ctx *c)
{
	struct alias_form f;
	struct helper_arg args[3];
	struct proto_answer ans;
	struct qa_error e;
	const char *address = NULL;
	size_t n = 0;
	int rc;

	if (!page_post_ok(c))
		return;
	page_domain(c);
	if (read_form(c, &f, &address, &e) < 0) {
		if (alias_whoami(c) == PAGE_OK) {   /* the menu, and who is asking */
			f.err = &e;
			render_form(c, 400, &f);
		}
		return;
	}
	args[n++] = (struct helper_arg){ "user", address };
	args[n++] = (struct helper_arg){ "new", f.user ? NULL : "1" };
	if (!f.blackhole)
		args[n++] = (struct helper_arg){ "targets", targets_arg(c, f.targets) };
	rc = page_call(c, f.blackhole ? "alias.blackhole" : "alias.set", args, n, &ans, &e);
	if (rc == PAGE_DONE)
		return;
	page_domain(c);
	alias_domain_from(c, address);
	if (rc == PAGE_OK)
		page_redirect(c, "/aliases", "alias_saved");
	else if (alias_refusal_is_page(&e))
		alias_refused(c, &e);
	else if (alias_whoami(c) == PAGE_OK) {
		f.err = &e;
		render_form(c, alias_form_status(&e), &f);
	}
}

void page_alias_edit(struct ctx *c)
{
	if (c->req->method == M_POST)
		edit_post(c);
	else if (page_get_ok(c))
		edit_get(c);
}

/* ------------------------------------------------------------ delete */

static void del_get(struct ctx *c)
{
	struct alias_view v;

	if (get_alias(c, req_query(c->req, "user"), &v) != PAGE_OK)
		return;
	c->nav = "aliases";
	td_set(c->data, "title", ctx_text(c, MSG("alias_del.title")));
	td_set(c->data, "domain", c->domain);
	td_set(c->data, "back_url", back_url(c));
	alias_view_put(c, &v, c->data);
	page_render(c, 200, "alias_del");
}

static void del_post(struct ctx *c)
{
	struct helper_arg arg = { "user", req_form(c->req, "user") };
	struct proto_answer ans;
	struct qa_error e;
	int rc;

	if (!page_post_ok(c))
		return;
	page_domain(c);
	rc = page_call(c, "alias.del", &arg, 1, &ans, &e);
	if (rc == PAGE_DONE)
		return;
	page_domain(c);
	alias_domain_from(c, arg.val);
	if (rc == PAGE_OK)
		page_redirect(c, "/aliases", "alias_deleted");
	else
		alias_refused(c, &e);
}

void page_alias_del(struct ctx *c)
{
	if (c->req->method == M_POST)
		del_post(c);
	else if (page_get_ok(c))
		del_get(c);
}
