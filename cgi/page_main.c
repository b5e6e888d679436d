/* page_main: the start page at the bare script URL.
 *
 * A domain admin gets its domain's overview: what the domain holds against
 * what its limits leave, the catch-all in words, and a way to each page it
 * may use. It all comes from one helper run, domain.summary, whose answer
 * also says who is asking: a mailbox owner is then sent on to its mail
 * (or its account page when webmail is off for it), and the superadmin, who has no domain of its own, sees who
 * is logged in (or, with ?domain=, that domain's overview). */
#include "config.h"

#include "page.h"

#include "auth.h"
#include "fmt.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"

#include <stdlib.h>
#include <string.h>

static const char *role_key(enum me_role r)
{
	switch (r) {
	case ME_SUPERADMIN: return auth_role_key("superadmin");
	case ME_DOMAINADMIN: return auth_role_key("domainadmin");
	case ME_USER: return auth_role_key("user");
	default: return NULL;
	}
}

/* A number from the helper's answer; missing or bad reads as 0. */
static long long num(const struct proto_record *r, const char *key)
{
	const char *s = proto_rec_get(r, key);

	return s ? strtoll(s, NULL, 10) : 0;
}

/* One row of the overview: a count and, when the limit is not -1 (none),
 * how much of it is left, with a bar in 5 % steps (the CSS has no other
 * way to size it: inline styles are refused by the CSP). */
static void add_count(struct ctx *c, const struct proto_record *r, const char *id,
                      const char *label_key, const char *used_key, const char *max_key)
{
	struct tdict *row = tlist_add(td_list(c->data, "counts"));
	long long used = num(r, used_key), max = num(r, max_key);
	unsigned pct;

	if (!row)
		return;
	td_set(row, "id", id);
	td_set(row, "label", ctx_text(c, label_key));
	td_set(row, "used", fmt_count(c, (uint64_t)(used > 0 ? used : 0)));
	if (max < 0)
		return;
	pct = fmt_percent((uint64_t)(used > 0 ? used : 0), (uint64_t)max);
	td_set_bool(row, "limited", 1);
	td_set(row, "max", fmt_count(c, (uint64_t)max));
	td_set(row, "left", fmt_count(c, (uint64_t)(max > used ? max - used : 0)));
	td_setf(row, "step", "%u", (pct + 4) / 5 * 5);
	td_set_bool(row, "warn", pct >= 80 && used < max);
	td_set_bool(row, "full", used >= max);
}

/* The catch-all in words: one flag per mode picks the sentence. */
static void add_catchall(struct ctx *c, const struct proto_record *r)
{
	static const struct {
		const char *mode, *flag;
	} modes[] = {
		{ "none", "ca_none" }, { "delete", "ca_delete" }, { "bounce", "ca_bounce" },
		{ "user", "ca_user" }, { "forward", "ca_forward" }, { "domain", "ca_domain" },
		{ "path", "ca_path" },
	};
	const char *mode = proto_rec_get(r, "catchall"), *flag = "ca_other";
	size_t i;

	for (i = 0; mode && i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(mode, modes[i].mode))
			flag = modes[i].flag;
	td_set_bool(c->data, flag, 1);
	td_set(c->data, "ca_target", proto_rec_get(r, "catchall_target"));
}

/* A link to a page about the domain shown (?domain= for the superadmin). */
static const char *domain_link(struct ctx *c, const char *path)
{
	return page_link(c, path, "domain", c->me.role == ME_SUPERADMIN ? c->domain : NULL, NULL);
}

static void show_summary(struct ctx *c, const struct proto_record *r)
{
	long long quota = num(r, "default_quota");

	td_set(c->data, "domain", proto_rec_get(r, "domain"));
	td_set(c->data, "alias_domains", fmt_count(c, (uint64_t)num(r, "aliases")));
	td_set(c->data, "default_quota", quota > 0 ? fmt_bytes(c, (uint64_t)quota) : "");
	td_set_bool(c->data, "limits_default", num(r, "limits_default") == 1);
	add_count(c, r, "users", MSG("main.count.users"), "users", "max_users");
	add_count(c, r, "forwards", MSG("main.count.forwards"), "forwards", "max_forwards");
	add_count(c, r, "autoresponders", MSG("main.count.autoresponders"), "autoresponders",
	          "max_autoresponders");
	add_count(c, r, "lists", MSG("main.count.lists"), "lists", "max_lists");
	add_catchall(c, r);
	td_set(c->data, "go_users", domain_link(c, "/users"));
	td_set(c->data, "go_user_add", domain_link(c, "/users/add"));
	td_set(c->data, "go_aliases", domain_link(c, "/aliases"));
	td_set(c->data, "go_catchall", domain_link(c, "/catchall"));
	td_set(c->data, "go_limits", domain_link(c, "/domains/limits"));
	td_set_bool(c->data, "me_super", c->me.role == ME_SUPERADMIN);
	td_set_bool(c->data, "summary", 1);
}

void page_main(struct ctx *c)
{
	struct helper_arg arg = { "domain", NULL };
	struct proto_answer ans;
	struct qa_error e;
	const char *key;
	int rc;

	if (!page_get_ok(c))
		return;
	arg.val = page_domain(c);    /* only ?domain= so far: the helper defaults to one's own */
	rc = page_call(c, "domain.summary", &arg, 1, &ans, &e);
	if (rc == PAGE_DONE)
		return;
	if (c->me.role == ME_USER) {
		page_redirect(c, c->me.webmail ? "/mail" : "/account", NULL);
		return;
	}
	page_domain(c);
	c->nav = "main";
	key = role_key(c->me.role);
	td_set(c->data, "title", ctx_text(c, MSG("main.title")));
	td_set(c->data, "name", c->me.name);
	td_set(c->data, "role", key ? ctx_text(c, key) : "");
	/* The superadmin's start page is the domain list; with ?domain= it gets
	 * that domain's overview, as its postmaster does. */
	if (c->me.role == ME_SUPERADMIN && !arg.val) {
		page_redirect(c, "/domains", NULL);
		return;
	}
	if (rc == PAGE_FAIL || ans.nrec < 2) {
		page_fail(c, &e);
		return;
	}
	show_summary(c, &ans.rec[1]);
	page_render(c, 200, "main");
}
