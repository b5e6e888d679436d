/* ops_alias: a domain's aliases (.qmail-NAME), a mailbox's own forwards,
 * the catch-all and the domain limits: qmailadmin's "Forwards", "Modify
 * user" forward fields, "Set default account" and vpopmail's vmoddomlimits.
 * A domain admin manages its domain's aliases and catch-all and reads its
 * limits; only the superadmin changes limits (they bound the domain admin);
 * a mailbox owner sets its own forwards. */
#include "config.h"

#include "ops.h"

#include "buf.h"
#include "store.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define OP_ALIAS_TARGETS_MAX 50

static const char *const kind_names[] = {
	[DQ_FORWARD] = "forward", [DQ_BLACKHOLE] = "blackhole", [DQ_LIST] = "list",
	[DQ_AUTORESPONDER] = "autoresponder", [DQ_PROGRAM] = "program", [DQ_EMPTY] = "empty",
};

static void put_entry(struct proto_writer *w, const struct dq_entry *ent, const char *domain)
{
	struct buf t = BUF_INIT;
	size_t i;

	for (i = 0; i < ent->ntargets; i++) {
		if (i)
			buf_addc(&t, ',');
		buf_adds(&t, ent->targets[i]);
	}
	proto_item(w);
	proto_iput(w, "name", ent->name);
	proto_iputf(w, "address", "%s@%s", ent->name, domain);
	proto_iput(w, "kind", kind_names[ent->kind]);
	proto_iput(w, "targets", buf_cstr(&t));
	buf_free(&t);
}

/* An optional "0"/"1" argument (absent = 0). */
static int arg_bool(struct op_ctx *c, const char *key, int *out)
{
	const char *s = arg(c, key);

	*out = s && !strcmp(s, "1");
	if (s && *s && strcmp(s, "0") && strcmp(s, "1"))
		return qa_fail(c->err, QA_ERR_INVALID, key, "must be 0 or 1");
	return 0;
}

/* A bare local name stands for NAME@DOMAIN, which must then be a mailbox
 * or an alias there (qmailadmin's rule). */
static int local_target_exists(struct op_ctx *c, const char *name, const struct v_domain *d)
{
	struct user_info ui;
	struct dq_entry ent;
	struct v_user u;

	if (v_local(name, &u.local, "targets", c->err) < 0)
		return -1;
	u.domain = *d;
	if (store_user_get(c->store, &u, &ui, NULL) == 0)
		return 0;
	if (store_alias_get(c->store, &u, &ent, NULL) == 0) {
		dq_entry_free(&ent);
		return 0;
	}
	return qa_fail(c->err, QA_ERR_NOT_FOUND, "targets", "no mailbox or alias %s@%s", u.local.s, d->s);
}

/* "a@x.org, b@y.org,joe" -> validated targets (a bare name gets @domain). */
static int parse_targets(struct op_ctx *c, const struct v_domain *d, struct v_target *out,
                         size_t max, size_t *n)
{
	const char *s = arg(c, "targets");
	char one[V_ADDRESS_MAX + 2];
	size_t len;

	for (*n = 0; s && *s; s += len + (s[len] == ',')) {
		while (*s == ' ')
			s++;
		len = strcspn(s, ",");
		if (len == 0)
			continue;
		if (*n == max)
			return qa_fail(c->err, QA_ERR_LIMIT, "targets", "more than %zu targets", max);
		if (len >= sizeof(one))
			return qa_fail(c->err, QA_ERR_INVALID, "targets", "target %zu too long", *n + 1);
		memcpy(one, s, len);
		while (len && one[len - 1] == ' ')
			len--;
		one[len] = '\0';
		if (!strchr(one, '@') && local_target_exists(c, one, d) < 0)
			return -1;
		if (dq_target(one, d->s, &out[(*n)++], c->err) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ aliases */

int op_alias_list(struct op_ctx *c)
{
	struct dq_entry *list;
	struct v_domain d;
	size_t n, i;

	if (arg_domain_or_own(c, &d) < 0 || may_domain(c, &d) < 0
	    || store_alias_list(c->store, &d, &list, &n, c->err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		put_entry(c->out, &list[i], d.s);
	dq_list_free(list, n);
	return 0;
}

int op_alias_get(struct op_ctx *c)
{
	struct dq_entry ent;
	struct v_user a;

	if (arg_user(c, "user", &a) < 0 || may_domain(c, &a.domain) < 0
	    || store_alias_get(c->store, &a, &ent, c->err) < 0)
		return -1;
	put_entry(c->out, &ent, a.domain.s);
	dq_entry_free(&ent);
	return 0;
}

/* new=1: the alias is being created, so .qmail-NAME must not exist yet (a
 * form for a new alias must not silently replace one of the same name). */
static int check_new(struct op_ctx *c, const struct v_user *a)
{
	struct dq_entry ent;
	int is_new;

	if (arg_bool(c, "new", &is_new) < 0)
		return -1;
	if (!is_new || store_alias_get(c->store, a, &ent, NULL) < 0)
		return 0;   /* missing (or unreadable: the write will say why) */
	dq_entry_free(&ent);
	return qa_fail(c->err, QA_ERR_EXISTS, "user", "%s@%s exists already", a->local.s, a->domain.s);
}

int op_alias_set(struct op_ctx *c)
{
	struct v_target t[OP_ALIAS_TARGETS_MAX];
	struct v_user a;
	size_t n;

	if (arg_user(c, "user", &a) < 0 || may_domain(c, &a.domain) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "alias %s@%s -> %.300s", a.local.s, a.domain.s,
	         arg(c, "targets") ? arg(c, "targets") : "");
	if (check_new(c, &a) < 0 || parse_targets(c, &a.domain, t, OP_ALIAS_TARGETS_MAX, &n) < 0)
		return -1;
	if (n == 0)
		return qa_fail(c->err, QA_ERR_INVALID, "targets", "no targets (use a blackhole to drop mail)");
	return store_alias_set(c->store, &a, t, n, c->err);
}

int op_alias_blackhole(struct op_ctx *c)
{
	struct v_user a;

	if (arg_user(c, "user", &a) < 0 || may_domain(c, &a.domain) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "blackhole %s@%s", a.local.s, a.domain.s);
	if (check_new(c, &a) < 0)
		return -1;
	return store_alias_blackhole(c->store, &a, c->err);
}

/* A '|' line runs as the domain's user with /bin/sh: whoever set it up
 * (the system administrator) removes it. alias.set and alias.blackhole
 * refuse to replace one (the store); a session may not delete one either.
 * The command line, run by root, may. */
static int may_delete(struct op_ctx *c, const struct v_user *a)
{
	struct dq_entry ent;
	enum dq_kind kind;

	if (c->cli)
		return 0;
	if (store_alias_get(c->store, a, &ent, c->err) < 0)
		return -1;
	kind = ent.kind;
	dq_entry_free(&ent);
	if (kind == DQ_PROGRAM)
		return qa_fail(c->err, QA_ERR_DENIED, "user", "%s@%s runs a program; only the system "
		               "administrator may remove it", a->local.s, a->domain.s);
	return 0;
}

int op_alias_del(struct op_ctx *c)
{
	struct v_user a;

	if (arg_user(c, "user", &a) < 0 || may_domain(c, &a.domain) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "alias %s@%s", a.local.s, a.domain.s);
	if (may_delete(c, &a) < 0)
		return -1;
	return store_alias_del(c->store, &a, c->err);
}

/* ------------------------------------------------------------ forwards */

/* forward.get's fields, each key after prefix ("" or "forward."). */
void put_forward(struct proto_writer *w, const struct dq_user *du, const char *prefix)
{
	static const char *const keys[] = { "targets", "save_copy", "blackhole", "vacation" };
	const char *vals[4];
	struct buf t = BUF_INIT;
	char key[32];
	size_t i;

	for (i = 0; i < du->nforward; i++) {
		if (i)
			buf_addc(&t, ',');
		buf_adds(&t, du->forward[i]);
	}
	vals[0] = buf_cstr(&t);
	vals[1] = du->save_copy ? "1" : "0";
	vals[2] = du->blackhole ? "1" : "0";
	vals[3] = du->vacation ? "1" : "0";
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "%s%s", prefix, keys[i]);
		proto_iput(w, key, vals[i]);
	}
	buf_free(&t);
}

int op_forward_get(struct op_ctx *c)
{
	struct dq_user du;
	struct v_user u;

	if (arg_user(c, "user", &u) < 0 || may_user(c, &u) < 0
	    || store_forward_get(c->store, &u, &du, c->err) < 0)
		return -1;
	proto_item(c->out);
	proto_iputf(c->out, "user", "%s@%s", u.local.s, u.domain.s);
	put_forward(c->out, &du, "");
	return 0;
}

/* The forwarding that forward.set's arguments (targets, save_copy) ask
 * for u, over its delivery as it is (read into du): the vacation line and
 * any program lines of the file stay as they are. Nothing is written. */
int arg_forward(struct op_ctx *c, const struct v_user *u, struct dq_user *du)
{
	struct v_target t[DQ_MAX_FORWARDS];
	char self[V_ADDRESS_MAX + 1];
	size_t n, i;
	int copy;

	if (parse_targets(c, &u->domain, t, DQ_MAX_FORWARDS, &n) < 0 || arg_bool(c, "save_copy", &copy) < 0
	    || store_forward_get(c->store, u, du, c->err) < 0)
		return -1;
	snprintf(self, sizeof(self), "%s@%s", u->local.s, u->domain.s);
	for (i = 0; i < n; i++) {
		if (!strcasecmp(t[i].s, self))
			return qa_fail(c->err, QA_ERR_INVALID, "targets", "a mailbox cannot forward to itself");
		memcpy(du->forward[i], t[i].s, sizeof(t[i].s));
	}
	du->nforward = n;
	du->save_copy = n && copy;
	du->blackhole = 0;
	return 0;
}

/* Replaces the forwards (none = normal delivery). */
int op_forward_set(struct op_ctx *c)
{
	struct dq_user du;
	struct v_user u;

	if (arg_user(c, "user", &u) < 0 || may_user(c, &u) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "forward %s@%s -> %.300s", u.local.s, u.domain.s,
	         arg(c, "targets") ? arg(c, "targets") : "");
	if (arg_forward(c, &u, &du) < 0)
		return -1;
	return store_forward_set(c->store, &u, &du, c->err);
}

/* ------------------------------------------------------------ catch-all */

static const struct {
	const char *mode;
	enum dq_catchall_kind kind;
} ca_modes[] = {
	{ "delete", DQ_CA_DELETE }, { "bounce", DQ_CA_BOUNCE }, { "user", DQ_CA_LOCAL },
	{ "forward", DQ_CA_REMOTE }, { "domain", DQ_CA_REMOTE_DOMAIN },
	{ "path", DQ_CA_PATH }, { "other", DQ_CA_OTHER },   /* shown, never set */
};
#define N_CA_MODES (sizeof(ca_modes) / sizeof(ca_modes[0]))
#define N_CA_SETTABLE 5

const char *catchall_mode(enum dq_catchall_kind kind)
{
	size_t i;

	for (i = 0; i < N_CA_MODES && ca_modes[i].kind != kind; i++)
		;
	return i < N_CA_MODES ? ca_modes[i].mode : "other";
}

int op_catchall_get(struct op_ctx *c)
{
	struct dq_catchall ca;
	struct v_domain d;

	if (arg_domain_or_own(c, &d) < 0 || may_domain(c, &d) < 0
	    || store_catchall_get(c->store, &d, &ca, c->err) < 0)
		return -1;
	proto_item(c->out);
	proto_iput(c->out, "domain", d.s);
	proto_iput(c->out, "mode", catchall_mode(ca.kind));
	proto_iput(c->out, "target", ca.target);
	return 0;
}

int op_catchall_set(struct op_ctx *c)
{
	const char *mode = arg(c, "mode"), *target = arg(c, "target");
	struct dq_catchall ca;
	struct v_domain d;
	size_t i;

	if (arg_domain_or_own(c, &d) < 0 || may_domain(c, &d) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "catch-all of %s: %.32s %.300s", d.s, mode ? mode : "",
	         target ? target : "");
	for (i = 0; i < N_CA_SETTABLE && (!mode || strcmp(ca_modes[i].mode, mode)); i++)
		;
	if (i == N_CA_SETTABLE)
		return qa_fail(c->err, QA_ERR_INVALID, "mode", "mode is delete, bounce, user, forward or domain");
	memset(&ca, 0, sizeof(ca));
	ca.kind = ca_modes[i].kind;
	if (ca.kind != DQ_CA_DELETE && ca.kind != DQ_CA_BOUNCE) {
		if (!target || !*target || strlen(target) > DQ_LINE_MAX)
			return qa_fail(c->err, QA_ERR_INVALID, "target", "mode %s needs a target", mode);
		memcpy(ca.target, target, strlen(target) + 1);
	}
	return store_catchall_set(c->store, &d, &ca, c->err);
}

/* ------------------------------------------------------------ limits */

enum limit_type { LT_COUNT, LT_SIZE, LT_FLAG, LT_PERM, LT_PERM_LIST };

/* The keys of .qmailadmin-limits (formats.md 7.7), in the file's order. */
static const struct {
	const char *key;
	enum limit_type type;
	size_t off;
} limit_keys[] = {
#define LK(k, t, m) { k, t, offsetof(struct vlimits, m) }
	LK("maxpopaccounts", LT_COUNT, maxpopaccounts), LK("maxaliases", LT_COUNT, maxaliases),
	LK("maxforwards", LT_COUNT, maxforwards), LK("maxautoresponders", LT_COUNT, maxautoresponders),
	LK("maxmailinglists", LT_COUNT, maxmailinglists), LK("quota", LT_SIZE, diskquota),
	LK("maxmsgcount", LT_SIZE, maxmsgcount), LK("default_quota", LT_SIZE, defaultquota),
	LK("default_maxmsgcount", LT_SIZE, defaultmaxmsgcount),
	LK("disable_pop", LT_FLAG, disable_pop), LK("disable_imap", LT_FLAG, disable_imap),
	LK("disable_dialup", LT_FLAG, disable_dialup),
	LK("disable_password_changing", LT_FLAG, disable_passwordchanging),
	LK("disable_webmail", LT_FLAG, disable_webmail),
	LK("disable_external_relay", LT_FLAG, disable_relay),
	LK("disable_smtp", LT_FLAG, disable_smtp),
	LK("disable_spamassassin", LT_FLAG, disable_spamassassin),
	LK("delete_spam", LT_FLAG, delete_spam), LK("disable_maildrop", LT_FLAG, disable_maildrop),
	LK("perm_account", LT_PERM, perm_account), LK("perm_alias", LT_PERM, perm_alias),
	LK("perm_forward", LT_PERM, perm_forward),
	LK("perm_autoresponder", LT_PERM, perm_autoresponder),
	LK("perm_maillist", LT_PERM_LIST, perm_maillist), LK("perm_quota", LT_PERM, perm_quota),
	LK("perm_defaultquota", LT_PERM, perm_defaultquota),
#undef LK
};
#define N_LIMIT_KEYS (sizeof(limit_keys) / sizeof(limit_keys[0]))

static int *int_at(struct vlimits *l, size_t off)
{
	return (int *)(void *)((char *)l + off);
}

static int64_t *i64_at(struct vlimits *l, size_t off)
{
	return (int64_t *)(void *)((char *)l + off);
}

static void put_limit(struct proto_writer *w, size_t k, struct vlimits *l)
{
	const char *key = limit_keys[k].key;

	switch (limit_keys[k].type) {
	case LT_SIZE:
		proto_iputf(w, key, "%lld", (long long)*i64_at(l, limit_keys[k].off));
		break;
	case LT_PERM_LIST:   /* bits 0-2 lists, 3-5 list users, 6-8 moderators */
		proto_iputf(w, key, "%d", (l->perm_maillist & 7) | (l->perm_maillist_users & 7) << 3
		            | (l->perm_maillist_moderators & 7) << 6);
		break;
	default:
		proto_iputf(w, key, "%d", *int_at(l, limit_keys[k].off));
	}
}

int op_limits_get(struct op_ctx *c)
{
	struct vlimits l;
	struct v_domain d;
	int is_default;
	size_t k;

	if (arg_domain(c, "domain", &d) < 0 || may_domain(c, &d) < 0
	    || store_limits_get(c->store, &d, &l, &is_default, c->err) < 0)
		return -1;
	proto_item(c->out);
	proto_iput(c->out, "domain", d.s);
	proto_iput(c->out, "default", is_default ? "1" : "0");
	for (k = 0; k < N_LIMIT_KEYS; k++)
		put_limit(c->out, k, &l);
	return 0;
}

/* " key=value" on the audit line, as far as it fits. */
static void audit_add(struct op_ctx *c, const char *key, const char *val)
{
	size_t n = strlen(c->audit);

	snprintf(c->audit + n, sizeof(c->audit) - n, " %s=%s", key, val);
}

/* One "key" = "value" of limits.set into l. */
static int set_limit(struct op_ctx *c, size_t k, const char *v, struct vlimits *l)
{
	static const unsigned long long max[] = {
		[LT_COUNT] = INT_MAX, [LT_SIZE] = INT64_MAX, [LT_FLAG] = 1, [LT_PERM] = 7,
		[LT_PERM_LIST] = 511,
	};
	enum limit_type t = limit_keys[k].type;
	unsigned long long n;

	if (t == LT_COUNT && !strcmp(v, "-1")) {
		*int_at(l, limit_keys[k].off) = -1;   /* unlimited */
		return 0;
	}
	if (v_uint(v, max[t], &n, limit_keys[k].key, c->err) < 0)
		return -1;
	if (t == LT_SIZE)
		*i64_at(l, limit_keys[k].off) = (int64_t)n;
	else if (t == LT_PERM_LIST) {
		l->perm_maillist = (int)(n & 7);
		l->perm_maillist_users = (int)(n >> 3 & 7);
		l->perm_maillist_moderators = (int)(n >> 6 & 7);
	} else
		*int_at(l, limit_keys[k].off) = (int)n;
	return 0;
}

/* Changes the keys given (the others keep their current value, from the
 * domain's file or vlimits.default) and writes the domain's own file. */
int op_limits_set(struct op_ctx *c)
{
	const struct proto_req *r = c->req;
	struct vlimits l;
	struct v_domain d;
	size_t i, k, changed = 0;

	if (arg_domain(c, "domain", &d) < 0 || may_domain(c, &d) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "limits of %s", d.s);
	if (store_limits_get(c->store, &d, &l, NULL, c->err) < 0)
		return -1;
	for (i = 0; i < r->n; i++) {
		if (!strcmp(r->kv[i].key, "domain") || !strcmp(r->kv[i].key, "ticket"))
			continue;
		for (k = 0; k < N_LIMIT_KEYS && strcmp(limit_keys[k].key, r->kv[i].key); k++)
			;
		if (k == N_LIMIT_KEYS)
			return qa_fail(c->err, QA_ERR_INVALID, r->kv[i].key, "not a limit");
		if (set_limit(c, k, r->kv[i].val, &l) < 0)
			return -1;
		changed++;
		audit_add(c, r->kv[i].key, r->kv[i].val);
	}
	if (!changed)
		return qa_fail(c->err, QA_ERR_INVALID, "", "no limit given");
	return store_limits_set(c->store, &d, &l, c->err);
}

int op_limits_reset(struct op_ctx *c)
{
	struct v_domain d;

	if (arg_domain(c, "domain", &d) < 0 || may_domain(c, &d) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "limits of %s reset", d.s);
	return store_limits_reset(c->store, &d, c->err);
}
