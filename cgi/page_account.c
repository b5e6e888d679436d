/* page_account: "My account" at /account, for a mailbox owner and for a
 * domain admin's own mailbox: the quota in use, the password (the current
 * one is needed: the helper checks it and throttles wrong guesses like
 * failed logins) and forwarding (deliver here, forward and keep a copy, or
 * forward only).
 *
 * The view is one helper run, account.get, which answers the mailbox, its
 * forwarding and whether its owner may change the password (the helper's
 * rule, shown as a disabled form rather than guessed here). Both forms post
 * back to /account with what=password or what=forward and name the mailbox
 * in a hidden field: the helper alone decides whether the caller may act
 * on it. A refused form is shown again with the helper's reason. */
#include "config.h"

#include "page.h"

#include "auth.h"
#include "errtext.h"
#include "fmt.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"
#include "wmkey.h"

#include <stdlib.h>
#include <string.h>

#define PASSWORD_MAX 128    /* vpopmail's limit for the clear password */
#define TARGETS_MAX 2600    /* 10 forwards (DQ_MAX_FORWARDS) of 254 bytes, and commas */

/* What a failed form leaves for the page shown again. */
struct form_state {
	const char *which;      /* "password" or "forward" */
	const char *error;      /* catalog key */
	const char *field;      /* the field to mark (its id), or "" */
	const char *mode;       /* forward: as posted */
	const char *targets;
};

static unsigned long long num(const struct proto_record *r, const char *key)
{
	const char *s = proto_rec_get(r, key);

	return s ? strtoull(s, NULL, 10) : 0;
}

static const char *role_key(enum me_role r)
{
	return auth_role_key(r == ME_DOMAINADMIN ? "domainadmin" : "user");
}

/* The quota bar and its words (fmt.h): bytes against the quota, messages
 * against the message limit; no quota, no bar. */
static void show_usage(struct ctx *c, const struct proto_record *r)
{
	unsigned long long used = num(r, "used_bytes"), quota = num(r, "quota_bytes");
	unsigned long long count = num(r, "used_count"), max = num(r, "quota_count");
	unsigned pct = fmt_percent(used, quota);

	td_set(c->data, "used", fmt_bytes(c, used));
	td_set(c->data, "messages", fmt_count(c, count));
	if (max)
		td_set(c->data, "max_messages", fmt_count(c, max));
	if (!quota)
		return;
	td_set(c->data, "quota", fmt_bytes(c, quota));
	td_setf(c->data, "percent", "%u", pct);
	td_setf(c->data, "step", "%u", (pct + 4) / 5 * 5);
	td_set_bool(c->data, "warn", pct >= 80 && pct < 100);
	td_set_bool(c->data, "full", pct >= 100);
}

/* The forwarding form as stored, unless a failed post is shown again. */
static void show_forward(struct ctx *c, const struct proto_record *r, const struct form_state *f)
{
	const char *targets = proto_rec_get(r, "targets"), *mode;

	if (f && !strcmp(f->which, "forward")) {
		targets = f->targets;
		mode = f->mode;
	} else {
		mode = !targets || !*targets ? "normal" : num(r, "save_copy") ? "copy" : "only";
	}
	td_set(c->data, "targets", targets);
	td_set_bool(c->data, "mode_normal", !mode || !strcmp(mode, "normal"));
	td_set_bool(c->data, "mode_copy", mode && !strcmp(mode, "copy"));
	td_set_bool(c->data, "mode_only", mode && !strcmp(mode, "only"));
	td_set_bool(c->data, "vacation", num(r, "vacation") == 1);
	td_set_bool(c->data, "blackhole", num(r, "blackhole") == 1);
}

/* The error of a failed form, next to that form, and its field marked. */
static void show_error(struct ctx *c, const struct form_state *f)
{
	static const char *const fields[][2] = {
		{ "current", "bad_current" }, { "password", "bad_password" },
		{ "password2", "bad_password2" }, { "targets", "bad_targets" },
	};
	size_t i;

	td_set(c->data, !strcmp(f->which, "password") ? "pw_error" : "fw_error", ctx_text(c, f->error));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(f->field, fields[i][0]))
			td_set_bool(c->data, fields[i][1], 1);
}

/* The page from one account.get, with status; f: a failed form, or NULL. */
static void show(struct ctx *c, int status, const struct form_state *f)
{
	struct proto_answer ans;
	struct qa_error e;
	const struct proto_record *r;
	int rc = page_call(c, "account.get", NULL, 0, &ans, &e);

	if (rc == PAGE_DONE)
		return;
	if (rc == PAGE_FAIL || ans.nrec < 2) {
		page_fail(c, &e);
		return;
	}
	r = &ans.rec[1];
	c->nav = "account";
	td_set(c->data, "title", ctx_text(c, MSG("account.title")));
	td_set(c->data, "user", proto_rec_get(r, "user"));
	td_set(c->data, "role", ctx_text(c, role_key(c->me.role)));
	td_set(c->data, "gecos", proto_rec_get(r, "gecos"));
	td_set_bool(c->data, "may_passwd", num(r, "password_change") == 1);
	show_usage(c, r);
	show_forward(c, r, f);
	if (f)
		show_error(c, f);
	page_render(c, status, "account");
}

/* Bounded text without control bytes. */
static int text_ok(const char *v, size_t max)
{
	const unsigned char *p;

	if (!v || strlen(v) > max)
		return 0;
	for (p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* A refusal's status: what the form asked for was wrong (400), a wrong
 * password (401, as at login, so that logs show it), not allowed (403),
 * too many tries (429). */
static int refusal_status(const struct qa_error *e)
{
	switch (e->code) {
	case QA_ERR_AUTH: return 401;
	case QA_ERR_DENIED: return 403;
	case QA_ERR_NOT_FOUND: return 404;
	case QA_ERR_EXISTS: case QA_ERR_LIMIT: case QA_ERR_BUSY_CATCHALL: return 409;
	case QA_ERR_THROTTLED: return 429;
	case QA_ERR_LOCKED: return 503;
	default: return 400;
	}
}

/* Runs op; on success 303 to /account with notice, else the page again
 * with the helper's reason next to the form. */
static void change(struct ctx *c, const char *op, const struct helper_arg *args, size_t n,
                   struct form_state *f, const char *notice)
{
	struct proto_answer ans;
	struct qa_error e;
	int rc = page_call(c, op, args, n, &ans, &e);

	if (rc == PAGE_DONE)
		return;
	if (rc == PAGE_OK) {
		page_redirect(c, "/account", notice);
		return;
	}
	f->error = errtext_key(&e);
	f->field = e.field;
	show(c, refusal_status(&e), f);
}

static void post_password(struct ctx *c)
{
	const char *current = req_form(c->req, "current"), *pw = req_form(c->req, "password");
	const char *again = req_form(c->req, "password2");
	struct form_state f = { "password", NULL, "", NULL, NULL };
	char wm[WM_SECRET_HEX_MAX + 1] = "";
	struct helper_arg args[] = {
		{ "user", req_form(c->req, "user") }, { "current", current }, { "password", pw },
		{ "wm_secret", wm },
	};

	if (!current || !*current || !text_ok(current, PASSWORD_MAX)) {
		f.error = MSG("account.current_missing");
		f.field = "current";
	} else if (!pw || !*pw || !text_ok(pw, PASSWORD_MAX)) {
		f.error = MSG("err.invalid.password");
		f.field = "password";
	} else if (!again || strcmp(pw, again)) {
		f.error = MSG("account.mismatch");
		f.field = "password2";
	}
	if (f.error) {
		show(c, 400, &f);
		return;
	}
	/* Webmail's sealed half follows the new password, under the browser's
	 * key (wmkey.h); without it this session's mail would need a login. */
	if (auth_wm_key(c) && wm_seal(auth_wm_key(c), pw, wm, sizeof(wm)) < 0)
		wm[0] = '\0';
	change(c, "user.passwd", args, sizeof(args) / sizeof(args[0]), &f, "password_changed");
}

/* Normal delivery is forward.set with no targets; "copy" keeps a copy in
 * the mailbox, "only" does not. */
static void post_forward(struct ctx *c)
{
	const char *mode = req_form(c->req, "mode"), *targets = req_form(c->req, "targets");
	struct form_state f = { "forward", NULL, "", mode, targets };
	int normal = mode && !strcmp(mode, "normal"), copy = mode && !strcmp(mode, "copy");
	struct helper_arg args[] = {
		{ "user", req_form(c->req, "user") }, { "targets", normal ? "" : targets },
		{ "save_copy", copy ? "1" : "0" },
	};

	if (!text_ok(targets ? targets : "", TARGETS_MAX)) {
		f.targets = NULL;
		f.error = MSG("err.invalid.targets");
		f.field = "targets";
	} else if (!normal && !copy && !(mode && !strcmp(mode, "only"))) {
		f.error = MSG("err.invalid");
	} else if (!normal && strspn(targets ? targets : "", " ,") == strlen(targets ? targets : "")) {
		f.error = MSG("account.targets_missing");
		f.field = "targets";
	}
	if (f.error) {
		show(c, 400, &f);
		return;
	}
	change(c, "forward.set", args, sizeof(args) / sizeof(args[0]), &f, "forward_saved");
}

void page_account(struct ctx *c)
{
	const char *what;

	if (c->req->method != M_POST) {
		if (page_get_ok(c))
			show(c, 200, NULL);
		return;
	}
	if (!page_post_ok(c))
		return;
	what = req_form(c->req, "what");
	if (what && !strcmp(what, "password"))
		post_password(c);
	else if (what && !strcmp(what, "forward"))
		post_forward(c);
	else
		page_error(c, 400);
}
