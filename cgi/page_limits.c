/* page_limits: a domain's limits (/domains/limits), the keys of its
 * .qmailadmin-limits as vpopmail's vmoddomlimits sets them: how many
 * mailboxes, aliases, forwards, autoresponders and mailing lists it may
 * have, its quotas, the services its users are refused, and what its
 * non-postmaster administrators may not do.
 *
 * The superadmin edits them (limits.set) or resets them to the server's
 * defaults (limits.reset, which removes the domain's file). A domain admin
 * sees them read-only: the helper refuses it limits.set, so the page does
 * not offer a form it could not send. */
#include "config.h"

#include "page.h"

#include "arena.h"
#include "errtext.h"
#include "fmt.h"
#include "helper_client.h"
#include "request.h"
#include "template.h"
#include "validate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MB 1048576.0

enum lim_kind {
	LK_COUNT,   /* how many; empty = unlimited (-1) */
	LK_NUMBER,  /* a size or count where 0 (empty) = no limit */
	LK_MB,      /* bytes in the file, megabytes on the page; empty = no limit */
	LK_MEGS,    /* megabytes in the file too (the domain quota); empty = no limit */
	LK_FLAG     /* a checkbox: 1 or 0 */
};

struct lim {
	const char *key;            /* the limits.get / limits.set key */
	enum lim_kind kind;
	const char *label;
	const char *list;           /* the template list it is shown in */
};

static const struct lim lims[] = {
	{ "maxpopaccounts", LK_COUNT, MSG("limits.maxpopaccounts"), "counts" },
	{ "maxaliases", LK_COUNT, MSG("limits.maxaliases"), "counts" },
	{ "maxforwards", LK_COUNT, MSG("limits.maxforwards"), "counts" },
	{ "maxautoresponders", LK_COUNT, MSG("limits.maxautoresponders"), "counts" },
	{ "maxmailinglists", LK_COUNT, MSG("limits.maxmailinglists"), "counts" },
	{ "quota", LK_MEGS, MSG("limits.quota"), "quotas" },
	{ "maxmsgcount", LK_NUMBER, MSG("limits.maxmsgcount"), "quotas" },
	{ "default_quota", LK_MB, MSG("limits.default_quota"), "quotas" },
	{ "default_maxmsgcount", LK_NUMBER, MSG("limits.default_maxmsgcount"), "quotas" },
	{ "disable_pop", LK_FLAG, MSG("limits.disable_pop"), "flags" },
	{ "disable_imap", LK_FLAG, MSG("limits.disable_imap"), "flags" },
	{ "disable_webmail", LK_FLAG, MSG("limits.disable_webmail"), "flags" },
	{ "disable_smtp", LK_FLAG, MSG("limits.disable_smtp"), "flags" },
	{ "disable_external_relay", LK_FLAG, MSG("limits.disable_external_relay"), "flags" },
	{ "disable_dialup", LK_FLAG, MSG("limits.disable_dialup"), "flags" },
	{ "disable_password_changing", LK_FLAG, MSG("limits.disable_password_changing"), "flags" },
	{ "disable_spamassassin", LK_FLAG, MSG("limits.disable_spamassassin"), "flags" },
	{ "delete_spam", LK_FLAG, MSG("limits.delete_spam"), "flags" },
	{ "disable_maildrop", LK_FLAG, MSG("limits.disable_maildrop"), "flags" },
};
#define N_LIMS (sizeof(lims) / sizeof(lims[0]))

/* perm_* keys: bits 1 create, 2 modify, 4 delete are what a domain's
 * other administrators may NOT do (vlimits.h). perm_maillist carries the
 * list users' and moderators' bits above them, which the page keeps. */
static const struct {
	const char *key;
	const char *label;
} perms[] = {
	{ "perm_account", MSG("limits.perm_account") },
	{ "perm_alias", MSG("limits.perm_alias") },
	{ "perm_forward", MSG("limits.perm_forward") },
	{ "perm_autoresponder", MSG("limits.perm_autoresponder") },
	{ "perm_maillist", MSG("limits.perm_maillist") },
	{ "perm_quota", MSG("limits.perm_quota") },
	{ "perm_defaultquota", MSG("limits.perm_defaultquota") },
};
#define N_PERMS (sizeof(perms) / sizeof(perms[0]))

static const char *const perm_ops[] = { "create", "modify", "delete" };

/* What the form shows, as text: from limits.get, or as typed. */
struct lim_values {
	const char *v[N_LIMS];
	unsigned perm[N_PERMS];
	unsigned list_rest;         /* perm_maillist's bits above the first three */
};

/* ------------------------------------------------------------ helper values to text */

static const char *mb_text(struct ctx *c, const char *bytes)
{
	double mb = strtod(bytes, NULL) / MB;
	const char *s = mb > 0 ? arena_printf(c->a, "%.17g", mb) : "";

	return s ? s : "";
}

/* A value of limits.get as the form's field shows it. */
static const char *field_text(struct ctx *c, enum lim_kind k, const char *v)
{
	if (!v)
		return "";
	if (k == LK_COUNT)
		return strtol(v, NULL, 10) < 0 ? "" : v;
	if (k == LK_MB)
		return mb_text(c, v);
	if (k == LK_NUMBER || k == LK_MEGS)
		return strtoull(v, NULL, 10) == 0 ? "" : v;
	return !strcmp(v, "0") ? "" : "1";
}

static void values_from_answer(struct ctx *c, const struct proto_record *r, struct lim_values *out)
{
	size_t i;

	for (i = 0; i < N_LIMS; i++)
		out->v[i] = field_text(c, lims[i].kind, proto_rec_get(r, lims[i].key));
	for (i = 0; i < N_PERMS; i++) {
		const char *s = proto_rec_get(r, perms[i].key);
		unsigned long n = s ? strtoul(s, NULL, 10) : 0;

		out->perm[i] = (unsigned)(n & 7);
		if (!strcmp(perms[i].key, "perm_maillist"))
			out->list_rest = (unsigned)(n & 0x1f8);
	}
}

/* ------------------------------------------------------------ form to helper values */

/* Digits only (no sign, no spaces), at most 18 of them. */
static int all_digits(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n <= 18 && s[n] == '\0';
}

/* Megabytes ("500", "1.5", "1,5") to bytes as text; NULL if not a size. */
static const char *mb_to_bytes(struct ctx *c, const char *s)
{
	char copy[32], *end, *comma;
	double mb;

	if (strlen(s) >= sizeof(copy) || strspn(s, "0123456789.,") != strlen(s))
		return NULL;
	snprintf(copy, sizeof(copy), "%s", s);
	if ((comma = strchr(copy, ',')))
		*comma = '.';
	mb = strtod(copy, &end);
	if (end == copy || *end || mb < 0 || mb * MB >= 9.2e18)
		return NULL;
	return arena_printf(c->a, "%llu", (unsigned long long)(mb * MB + 0.5));
}

/* The helper's value for one typed field; NULL if it is not valid. */
static const char *helper_value(struct ctx *c, enum lim_kind k, const char *typed)
{
	if (k == LK_FLAG)
		return typed && !strcmp(typed, "1") ? "1" : "0";
	if (!typed || !*typed)
		return k == LK_COUNT ? "-1" : "0";
	if (k == LK_MB)
		return mb_to_bytes(c, typed);
	if (!all_digits(typed) || (k == LK_COUNT && strtoull(typed, NULL, 10) > INT32_MAX))
		return NULL;
	return typed;
}

static void values_from_form(struct ctx *c, struct lim_values *out)
{
	const char *rest = req_form(c->req, "perm_maillist_rest");
	size_t i, b;

	for (i = 0; i < N_LIMS; i++) {
		const char *s = req_form(c->req, lims[i].key);

		out->v[i] = lims[i].kind == LK_FLAG ? (s && !strcmp(s, "1") ? "1" : "") : (s ? s : "");
	}
	for (i = 0; i < N_PERMS; i++) {
		out->perm[i] = 0;
		for (b = 0; b < 3; b++) {
			const char *name = arena_printf(c->a, "%s_%s", perms[i].key, perm_ops[b]);

			if (name && req_form(c->req, name))
				out->perm[i] |= 1u << b;
		}
	}
	out->list_rest = rest && all_digits(rest) ? (unsigned)strtoul(rest, NULL, 10) & 0x1f8 : 0;
}

/* ------------------------------------------------------------ rendering */

/* What the read-only page says for one value. */
static const char *shown(struct ctx *c, enum lim_kind k, const char *text)
{
	if (k == LK_FLAG)
		return ctx_text(c, *text ? MSG("limits.yes") : MSG("limits.no"));
	if (!*text)
		return ctx_text(c, k == LK_COUNT ? MSG("limits.unlimited") : MSG("limits.no_limit"));
	if (k == LK_MB || k == LK_MEGS) {
		const char *b = mb_to_bytes(c, text);

		return b ? fmt_bytes(c, strtoull(b, NULL, 10)) : text;
	}
	return fmt_count(c, strtoull(text, NULL, 10));
}

static void add_fields(struct ctx *c, const struct lim_values *v, const char *invalid)
{
	size_t i;

	for (i = 0; i < N_LIMS; i++) {
		struct tdict *it = tlist_add(td_list(c->data, lims[i].list));

		if (!it)
			return;
		td_set(it, "key", lims[i].key);
		td_set(it, "label", ctx_text(c, lims[i].label));
		td_set(it, "value", v->v[i]);
		td_set_bool(it, "checked", lims[i].kind == LK_FLAG && *v->v[i]);
		td_set(it, "shown", shown(c, lims[i].kind, v->v[i]));
		td_set_bool(it, "megabytes", lims[i].kind == LK_MB || lims[i].kind == LK_MEGS);
		td_set_bool(it, "invalid", invalid && !strcmp(invalid, lims[i].key));
	}
}

/* "Create, delete" or "-" for the read-only page. */
static const char *perm_shown(struct ctx *c, unsigned bits)
{
	static const char *const keys[] = { MSG("limits.create"), MSG("limits.modify"), MSG("limits.delete") };
	const char *out = "";
	size_t b;

	for (b = 0; b < 3 && out; b++)
		if (bits & (1u << b))
			out = arena_printf(c->a, "%s%s%s", out, *out ? ", " : "", ctx_text(c, keys[b]));
	return out && *out ? out : ctx_text(c, MSG("limits.nothing_refused"));
}

static void add_perms(struct ctx *c, const struct lim_values *v)
{
	struct tlist *l = td_list(c->data, "perms");
	size_t i, b;

	for (i = 0; i < N_PERMS; i++) {
		struct tdict *it = tlist_add(l);

		if (!it)
			return;
		td_set(it, "key", perms[i].key);
		td_set(it, "label", ctx_text(c, perms[i].label));
		for (b = 0; b < 3; b++)
			td_set_bool(it, perm_ops[b], (v->perm[i] >> b) & 1);
		td_set(it, "shown", perm_shown(c, v->perm[i]));
	}
	td_setf(c->data, "perm_maillist_rest", "%u", v->list_rest);
}

static void render(struct ctx *c, int status, const struct lim_values *v, int is_default,
                   const char *error, const char *invalid)
{
	c->nav = "limits";
	td_set(c->data, "title", ctx_text(c, MSG("limits.title")));
	td_set(c->data, "domain", c->domain);
	td_set_bool(c->data, "editable", c->me.role == ME_SUPERADMIN);
	td_set_bool(c->data, "is_default", is_default);
	if (error)
		td_set(c->data, "error", ctx_text(c, error));
	add_fields(c, v, invalid);
	add_perms(c, v);
	page_render(c, status, "limits");
}

/* ------------------------------------------------------------ requests */

/* limits.get for c->domain, shown with status and error (NULL: from the
 * answer) or with what was typed (v). */
static void load_and_render(struct ctx *c, int status, const struct lim_values *typed,
                            const char *error, const char *invalid)
{
	struct helper_arg arg = { "domain", c->domain };
	const char *is_default;
	struct lim_values v;
	struct proto_answer ans;
	struct qa_error e;
	int rc = page_call(c, "limits.get", &arg, 1, &ans, &e);

	if (rc == PAGE_FAIL)
		page_fail(c, &e);
	if (rc != PAGE_OK)
		return;
	if (ans.nrec < 2) {
		page_error(c, 503);
		return;
	}
	if (!typed)
		values_from_answer(c, &ans.rec[1], &v);
	is_default = proto_rec_get(&ans.rec[1], "default");
	render(c, status, typed ? typed : &v, is_default && !strcmp(is_default, "1"), error, invalid);
}

/* Every limit, as the form has it, for limits.set; the first invalid
 * field's key in *bad (and 0) when one is not a valid number. */
static size_t set_args(struct ctx *c, const struct lim_values *v, struct helper_arg *args,
                       const char **bad)
{
	size_t i, n = 0;

	args[n].key = "domain";
	args[n++].val = c->domain;
	for (i = 0; i < N_LIMS; i++) {
		args[n].key = lims[i].key;
		if (!(args[n++].val = helper_value(c, lims[i].kind, v->v[i]))) {
			*bad = lims[i].key;
			return 0;
		}
	}
	for (i = 0; i < N_PERMS; i++) {
		unsigned bits = v->perm[i] | (!strcmp(perms[i].key, "perm_maillist") ? v->list_rest : 0);

		args[n].key = perms[i].key;
		args[n++].val = arena_printf(c->a, "%u", bits);
	}
	return n;
}

static void save(struct ctx *c)
{
	struct helper_arg args[1 + N_LIMS + N_PERMS];
	const char *bad = NULL;
	struct lim_values v;
	struct proto_answer ans;
	struct qa_error e;
	size_t n;
	int rc;

	values_from_form(c, &v);
	if (!(n = set_args(c, &v, args, &bad))) {
		load_and_render(c, 400, &v, MSG("limits.not_a_number"), bad);
		return;
	}
	rc = page_call(c, "limits.set", args, n, &ans, &e);
	if (rc == PAGE_OK)
		page_redirect(c, "/domains/limits", "limits_saved");
	else if (rc == PAGE_FAIL && e.code == QA_ERR_DENIED)
		page_fail(c, &e);
	else if (rc == PAGE_FAIL)
		load_and_render(c, page_form_status(&e), &v, errtext_key(&e), e.field);
}

static void reset(struct ctx *c)
{
	struct helper_arg arg = { "domain", c->domain };
	struct proto_answer ans;
	struct qa_error e;
	int rc = page_call(c, "limits.reset", &arg, 1, &ans, &e);

	if (rc == PAGE_OK)
		page_redirect(c, "/domains/limits", "limits_reset");
	else if (rc == PAGE_FAIL)
		page_fail(c, &e);
}

void page_limits(struct ctx *c)
{
	const char *action;

	if (c->req->method == M_POST) {
		if (!page_post_ok(c))
			return;
		action = req_form(c->req, "action");
		if (!page_domain(c) || strlen(c->domain) > V_DOMAIN_MAX)
			page_error(c, 400);
		else if (action && !strcmp(action, "reset"))
			reset(c);
		else
			save(c);
		return;
	}
	if (!page_get_ok(c))
		return;
	/* No ?domain=: a domain admin's own, which only the helper knows. */
	if (!page_domain(c)) {
		if (page_whoami(c) != PAGE_OK)
			return;
		if (!page_domain(c)) {
			page_redirect(c, "/domains", NULL);
			return;
		}
	}
	if (strlen(c->domain) > V_DOMAIN_MAX)
		page_error(c, 400);
	else
		load_and_render(c, 200, NULL, NULL, NULL);
}
