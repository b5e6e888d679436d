/* page_user_edit: /users/edit?user=local@domain, one mailbox for its
 * domain's admin: full name, a new password (typed twice, or random and
 * shown once), quota with its use, the flags vpopmail keeps in the gid
 * field, and delivery (normally, forwarded with a copy kept, forwarded
 * only). The view is one user.get (with forward=1). Saving is one user.mod
 * with only what changed from what the form showed (the originals ride
 * along as hidden fields): an empty password field keeps the password,
 * untouched flags the helper knows but this page does not show stay as
 * they were. The helper checks all of it before it writes any of it, so a
 * refused save changes nothing. Never touches a store. */
#include "config.h"

#include "page.h"

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"
#include "user_form.h"

#include <stdlib.h>
#include <string.h>

static const char *rec(const struct proto_record *r, const char *key)
{
	const char *v = proto_rec_get(r, key);

	return v ? v : "";
}

/* Delivery as the form shows it, from forward.* of user.get. */
static const char *mode_of(const struct proto_record *r)
{
	if (!strcmp(rec(r, "forward.blackhole"), "1"))
		return "blackhole";
	if (!*rec(r, "forward.targets"))
		return "normal";
	return !strcmp(rec(r, "forward.save_copy"), "1") ? "copy" : "only";
}

static void set_mode(struct ctx *c, const char *mode)
{
	td_set_bool(c->data, "mode_normal", !strcmp(mode, "normal"));
	td_set_bool(c->data, "mode_copy", !strcmp(mode, "copy"));
	td_set_bool(c->data, "mode_only", !strcmp(mode, "only"));
	td_set_bool(c->data, "mode_blackhole", !strcmp(mode, "blackhole"));
}

static void set_flags(struct ctx *c, const char *list, int from_form)
{
	struct tlist *l = td_list(c->data, "flags");
	size_t i;

	for (i = 0; i < uf_nflags; i++) {
		struct tdict *f = tlist_add(l);
		const char *name = uf_flags[i].name;

		if (!f)
			return;
		td_set(f, "name", name);
		td_set(f, "label", ctx_text(c, uf_flags[i].key));
		td_set_bool(f, "checked", from_form ? uf_ticked(c, arena_printf(c->a, "flag_%s", name))
		                                    : uf_has_flag(list, name));
	}
}

/* The page's data from user.get's item: the form as stored, and the
 * originals it is compared with when saved. */
static void fill(struct ctx *c, const struct proto_record *r)
{
	const char *quota = uf_quota_fields(c, c->data, strtoull(rec(r, "quota_bytes"), NULL, 10));

	td_set(c->data, "user", rec(r, "user"));
	td_set(c->data, "del_url", page_link(c, "/users/delete", "user", rec(r, "user"), NULL));
	td_set(c->data, "gecos", rec(r, "gecos"));
	td_set(c->data, "targets", rec(r, "forward.targets"));
	td_set_bool(c->data, "vacation", !strcmp(rec(r, "forward.vacation"), "1"));
	td_set_bool(c->data, "is_admin", !strcmp(rec(r, "admin"), "1"));
	uf_usage(c, c->data, r);
	td_set(c->data, "was_gecos", rec(r, "gecos"));
	td_set(c->data, "was_quota", quota);
	td_set(c->data, "was_flags", rec(r, "flags"));
	td_set(c->data, "was_mode", mode_of(r));
	td_set(c->data, "was_targets", rec(r, "forward.targets"));
	td_set(c->data, "quota_count", rec(r, "quota_count"));
	set_mode(c, mode_of(r));
	set_flags(c, rec(r, "flags"), 0);
}

/* What was typed, over the stored values (never the passwords). */
static void keep_input(struct ctx *c)
{
	const char *unit = req_form(c->req, "quota_unit"), *mode = req_form(c->req, "mode");

	td_set(c->data, "gecos", req_form(c->req, "gecos"));
	td_set(c->data, "quota_num", req_form(c->req, "quota_num"));
	td_set(c->data, "targets", req_form(c->req, "targets"));
	td_set_bool(c->data, "quota_gb", unit && !strcmp(unit, "GB"));
	td_set_bool(c->data, "quota_none", uf_ticked(c, "quota_none"));
	td_set_bool(c->data, "random", uf_ticked(c, "random"));
	set_mode(c, mode ? mode : "normal");
	set_flags(c, NULL, 1);
}

static void render(struct ctx *c, int status)
{
	c->nav = "users";
	td_set(c->data, "title", ctx_text(c, MSG("users.edit_title")));
	td_set_bool(c->data, "edit", 1);
	td_set(c->data, "back_url", page_link(c, "/users", "domain", c->domain, NULL));
	page_render(c, status, "user_edit");
}

/* user.get of the mailbox into the page. PAGE_OK, or answered. A mailbox
 * owner is sent away: this page is its admin's (the helper refuses the
 * changes anyway; /account is the owner's page). */
static int load(struct ctx *c, const char *user)
{
	struct helper_arg args[] = { { "user", user }, { "forward", "1" } };
	const struct proto_record *r = uf_load_user(c, args, 2);

	if (!r)
		return PAGE_DONE;
	fill(c, r);
	return PAGE_OK;
}

/* ---- saving */

struct change {
	const char *user;
	const char *gecos;        /* NULL: unchanged */
	const char *quota;
	const char *flags;
	int forward;              /* delivery changed */
	const char *targets;
	int save_copy;
	const char *password;
	int random;
};

/* The flags to set: the ones this page does not show, as they were, and
 * the ticked ones. NULL when that is what there was. */
static const char *new_flags(struct ctx *c)
{
	const char *was = req_form(c->req, "was_flags"), *p = was ? was : "";
	struct buf b = BUF_INIT;
	const char *out;
	int changed = 0;
	size_t i;

	while (*p) {
		size_t n = strcspn(p, ",");
		const char *name = arena_printf(c->a, "%.*s", (int)n, p);

		for (i = 0; i < uf_nflags && strcmp(uf_flags[i].name, name); i++)
			;
		if (i == uf_nflags && n)
			buf_printf(&b, "%s%s", b.len ? "," : "", name);
		p += n + (p[n] == ',');
	}
	for (i = 0; i < uf_nflags; i++) {
		int on = uf_ticked(c, arena_printf(c->a, "flag_%s", uf_flags[i].name));

		changed |= on != uf_has_flag(was, uf_flags[i].name);
		if (on)
			buf_printf(&b, "%s%s", b.len ? "," : "", uf_flags[i].name);
	}
	out = changed && !buf_failed(&b) ? arena_strdup(c->a, buf_cstr(&b)) : NULL;
	buf_free(&b);
	return out;
}

static int read_quota(struct ctx *c, struct change *ch)
{
	const char *num = req_form(c->req, "quota_num"), *unit = req_form(c->req, "quota_unit");
	const char *none = req_form(c->req, "quota_none"), *was = req_form(c->req, "was_quota");
	const char *count = req_form(c->req, "quota_count");
	const char *shown = uf_quota_shown(c, num, unit, none);

	if (was && !strcmp(shown, was))
		return 0;
	if ((num && strlen(num) > UF_QUOTA_MAX) || uf_quota_arg(c, num, unit, none, &ch->quota) < 0
	    || !ch->quota) {
		uf_error(c, MSG("users.err_quota"), "quota");
		return -1;
	}
	/* A message-count limit (set elsewhere) stays with a new size. */
	if (strcmp(ch->quota, "NOQUOTA") && count && strspn(count, "0123456789") == strlen(count)
	    && strtoull(count, NULL, 10) > 0)
		ch->quota = arena_printf(c->a, "%s,%sC", ch->quota, count);
	return 0;
}

static int read_delivery(struct ctx *c, struct change *ch)
{
	const char *mode = req_form(c->req, "mode"), *was_mode = req_form(c->req, "was_mode");
	const char *was_targets = req_form(c->req, "was_targets");

	if (!(ch->targets = uf_field(c, "targets", UF_TARGETS_MAX, MSG("err.invalid.targets"))))
		return -1;
	if (!mode || !strcmp(mode, "blackhole"))
		return 0;                   /* as it was: only shown, never set here */
	if (!strcmp(mode, "normal"))
		ch->targets = "";
	else if (!*ch->targets) {
		uf_error(c, MSG("users.err_targets_missing"), "targets");
		return -1;
	}
	ch->save_copy = !strcmp(mode, "copy");
	ch->forward = !was_mode || strcmp(mode, was_mode)
	              || strcmp(ch->targets, was_targets ? was_targets : "");
	return 0;
}

static int read_form(struct ctx *c, struct change *ch)
{
	const char *was_gecos = req_form(c->req, "was_gecos");

	if (!(ch->gecos = uf_field(c, "gecos", UF_GECOS_MAX, MSG("err.invalid.gecos")))
	    || uf_password(c, &ch->password, &ch->random) < 0 || read_quota(c, ch) < 0
	    || read_delivery(c, ch) < 0)
		return -1;
	if (was_gecos && !strcmp(ch->gecos, was_gecos))
		ch->gecos = NULL;
	ch->flags = new_flags(c);
	return 0;
}

/* One user.mod with what changed. PAGE_OK, PAGE_FAIL with e set, or
 * PAGE_DONE. */
static int save(struct ctx *c, const struct change *ch, struct proto_answer *ans,
                struct qa_error *e)
{
	struct helper_arg a[] = {
		{ "user", ch->user }, { "gecos", ch->gecos }, { "quota", ch->quota },
		{ "flags", ch->flags }, { "password", ch->password },
		{ "random", ch->random ? "1" : NULL },
		{ "targets", ch->forward ? ch->targets : NULL },
		{ "save_copy", ch->forward ? (ch->save_copy ? "1" : "0") : NULL },
	};

	/* Nothing to change: still ask who is asking (the way back to the
	 * list names the superadmin's domain; an ended session logs in). */
	if (!ch->forward && !ch->gecos && !ch->quota && !ch->flags && !ch->password && !ch->random)
		return page_whoami(c);
	return page_call(c, "user.mod", a, sizeof(a) / sizeof(a[0]), ans, e);
}

/* The form again after a mistake: as stored, with what was typed over it
 * (the error and the field to mark are in the page's data already). */
static void again(struct ctx *c, const char *user, int status)
{
	if (load(c, user) != PAGE_OK)
		return;
	keep_input(c);
	render(c, status);
}

static void edit_post(struct ctx *c)
{
	struct change ch;
	struct proto_answer ans;
	struct qa_error e;
	const char *pw;
	int rc, status;

	memset(&ch, 0, sizeof(ch));
	ch.user = req_form(c->req, "user");
	c->domain = uf_domain_of(ch.user);
	if (read_form(c, &ch) < 0) {
		again(c, ch.user, 400);
		return;
	}
	rc = save(c, &ch, &ans, &e);
	if (rc == PAGE_DONE)
		return;
	if (rc == PAGE_FAIL) {
		if ((status = uf_refused(c, &e)) != 0)
			again(c, ch.user, status);
		return;
	}
	pw = ch.random ? proto_rec_get(&ans.rec[0], "password") : NULL;
	if (!pw) {
		page_redirect(c, "/users", "user_saved");
		return;
	}
	td_set(c->data, "secret", pw);
	td_set(c->data, "secret_user", ch.user);
	td_set(c->data, "secret_notice", ctx_text(c, MSG("done.user_saved")));
	render(c, 200);
}

void page_user_edit(struct ctx *c)
{
	if (c->req->method == M_POST) {
		if (page_post_ok(c))
			edit_post(c);
		return;
	}
	if (!page_get_ok(c) || load(c, req_query(c->req, "user")) != PAGE_OK)
		return;
	render(c, 200);
}
