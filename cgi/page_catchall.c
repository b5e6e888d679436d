/* page_catchall: /catchall, what happens to mail for addresses of the
 * domain that have no mailbox or alias (DOMDIR/.qmail-default, one
 * vdelivermail line): bounce (vpopmail's bounce-no-mailbox), delete it,
 * deliver it to a mailbox here, or forward it elsewhere. Settings made
 * another way (a whole domain elsewhere, a directory, a line written by
 * hand) are shown as they are; choosing one of the four replaces them.
 *
 * Each choice is a radio with its own text field; the server reads the
 * field of the chosen mode, so no script is needed. */
#include "config.h"

#include "page.h"

#include "alias_view.h"
#include "arena.h"
#include "errtext.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"

#include <string.h>

#define TARGET_MAX_LEN 255
#define MAILBOX_HINTS "100"   /* names offered in the datalist: a hint, not a list */

/* How the helper's modes read on the page, before the target if any. */
static const struct {
	const char *mode;
	const char *key;
} now_keys[] = {
	{ "bounce", MSG("catchall.now.bounce") },
	{ "delete", MSG("catchall.now.delete") },
	{ "user", MSG("catchall.now.user") },
	{ "forward", MSG("catchall.now.forward") },
	{ "domain", MSG("catchall.now.domain") },
	{ "path", MSG("catchall.now.path") },
	{ "other", MSG("catchall.now.other") },
};

struct catchall_form {
	const char *mode;          /* bounce delete user forward, or "" */
	const char *user;          /* the local part for "user" */
	const char *forward;       /* the address for "forward" */
	const struct qa_error *err;
};

static const char *error_key(const struct catchall_form *f)
{
	const struct qa_error *e = f->err;

	if (e->code == QA_ERR_INVALID && !strcmp(e->field, "mode"))
		return MSG("catchall.err_mode");
	if (e->code == QA_ERR_INVALID && !strcmp(e->field, "target"))
		return !strcmp(f->mode, "user") ? MSG("err.invalid.user") : MSG("catchall.err_forward");
	return errtext_key(e);
}

static void render(struct ctx *c, int status, const struct catchall_form *f)
{
	static const char *const modes[] = { "bounce", "delete", "user", "forward" };
	size_t i;

	c->nav = "catchall";
	td_set(c->data, "title", ctx_text(c, MSG("catchall.title")));
	td_set(c->data, "domain", c->domain);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		td_set_bool(c->data, arena_printf(c->a, "mode_%s", modes[i]), !strcmp(f->mode, modes[i]));
	td_set(c->data, "target_user", f->user);
	td_set(c->data, "target_forward", f->forward);
	if (f->err) {
		int target = !strcmp(f->err->field, "target");

		td_set(c->data, "error", ctx_text(c, error_key(f)));
		td_set_bool(c->data, "mode_invalid", !strcmp(f->err->field, "mode"));
		td_set_bool(c->data, "user_invalid", target && !strcmp(f->mode, "user"));
		td_set_bool(c->data, "forward_invalid", target && !strcmp(f->mode, "forward"));
	}
	page_render(c, status, "catchall");
}

/* The current setting in words, and the form preset to it. */
static void put_current(struct ctx *c, const char *mode, const char *target,
                        struct catchall_form *f)
{
	const char *key = MSG("catchall.now.other");
	size_t i;

	for (i = 0; i < sizeof(now_keys) / sizeof(now_keys[0]); i++)
		if (!strcmp(now_keys[i].mode, mode))
			key = now_keys[i].key;
	td_set(c->data, "current_label", ctx_text(c, key));
	if (!strcmp(mode, "user"))
		td_set(c->data, "current_target", arena_printf(c->a, "%s@%s", target,
		                                                  c->domain ? c->domain : ""));
	else if (*target)
		td_set(c->data, "current_target", target);
	td_set_bool(c->data, "current_elsewhere", !strcmp(mode, "domain") || !strcmp(mode, "path")
	                                          || !strcmp(mode, "other"));
	f->mode = mode;
	if (!strcmp(mode, "user"))
		f->user = target;
	else if (!strcmp(mode, "forward"))
		f->forward = target;
}

/* Mailbox names for the datalist: the first few, as a typing aid (a domain
 * may have 100,000; the field takes any). Nothing when the helper says no. */
static void put_mailboxes(struct ctx *c)
{
	struct helper_arg args[] = { { "domain", c->domain }, { "limit", MAILBOX_HINTS } };
	struct proto_answer ans;
	struct qa_error e;
	struct tlist *l;
	size_t i;

	if (page_call(c, "user.list", args, 2, &ans, &e) != PAGE_OK)
		return;
	l = td_list(c->data, "mailboxes");
	for (i = 1; i < ans.nrec; i++) {
		const char *local = proto_rec_get(&ans.rec[i], "local");
		struct tdict *item;

		if (local && (item = tlist_add(l)))
			td_set(item, "local", local);
	}
}

static void catchall_get(struct ctx *c)
{
	struct helper_arg arg = { "domain", page_domain(c) };
	struct catchall_form f = { "", "", "", NULL };
	struct proto_answer ans;
	struct qa_error e;
	int rc = page_call(c, "catchall.get", &arg, 1, &ans, &e);

	if (rc == PAGE_DONE)
		return;
	page_domain(c);
	if (rc == PAGE_OK && ans.nrec > 1) {
		const char *d = proto_rec_get(&ans.rec[1], "domain");
		const char *mode = proto_rec_get(&ans.rec[1], "mode");
		const char *target = proto_rec_get(&ans.rec[1], "target");

		if (d && *d)
			c->domain = d;
		put_current(c, mode ? mode : "other", target ? target : "", &f);
	} else if (rc == PAGE_FAIL && e.code == QA_ERR_NOT_FOUND && !strcmp(e.field, "catchall")) {
		/* No .qmail-default: qmail-local bounces, as bounce-no-mailbox does. */
		if (alias_whoami(c) != PAGE_OK)
			return;
		td_set(c->data, "current_label", ctx_text(c, MSG("catchall.now.missing")));
		f.mode = "bounce";
	} else {
		if (rc == PAGE_OK)
			qa_fail(&e, QA_ERR_NOT_FOUND, "catchall", "empty answer");
		alias_refused(c, &e);
		return;
	}
	put_mailboxes(c);
	render(c, 200, &f);
}

static const char *form_field(struct ctx *c, const char *name)
{
	const char *v = req_form(c->req, name);

	return v ? v : "";
}

static void catchall_post(struct ctx *c)
{
	struct catchall_form f;
	struct helper_arg args[3];
	struct proto_answer ans;
	struct qa_error e;
	int rc;

	if (!page_post_ok(c))
		return;
	f.mode = form_field(c, "mode");
	f.user = form_field(c, "target_user");
	f.forward = form_field(c, "target_forward");
	f.err = NULL;
	args[0] = (struct helper_arg){ "domain", page_domain(c) };
	args[1] = (struct helper_arg){ "mode", f.mode };
	args[2] = (struct helper_arg){ "target", !strcmp(f.mode, "user") ? f.user
	                                         : !strcmp(f.mode, "forward") ? f.forward : NULL };
	if (strlen(f.mode) > 16 || strlen(f.user) > TARGET_MAX_LEN || strlen(f.forward) > TARGET_MAX_LEN) {
		qa_fail(&e, QA_ERR_INVALID, strlen(f.mode) > 16 ? "mode" : "target", "too long");
		rc = alias_whoami(c) == PAGE_OK ? PAGE_FAIL : PAGE_DONE;
	} else {
		rc = page_call(c, "catchall.set", args, 3, &ans, &e);
	}
	if (rc == PAGE_DONE)
		return;
	page_domain(c);
	if (rc == PAGE_OK)
		page_redirect(c, "/catchall", "catchall_saved");
	else if (alias_refusal_is_page(&e))
		alias_refused(c, &e);
	else if (alias_whoami(c) == PAGE_OK) {
		f.err = &e;
		render(c, alias_form_status(&e), &f);
	}
}

void page_catchall(struct ctx *c)
{
	if (c->req->method == M_POST)
		catchall_post(c);
	else if (page_get_ok(c))
		catchall_get(c);
}
