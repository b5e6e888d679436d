/* ops_user: mailbox operations. A domain admin manages the users of its
 * domain; a mailbox owner reads itself and changes its own password (unless
 * the account forbids it). Like vadduser / vdeluser / vpasswd / vmoduser. */
#include "config.h"

#include "ops.h"

#include "buf.h"
#include "conf.h"
#include "passwd.h"
#include "store.h"
#include "throttle.h"
#include "vlimits.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The per-user flag bits of the vpasswd gid field (vlimits.h) by the names
 * the protocol and the CLI use. */
static const struct {
	const char *name;
	unsigned long bit;
} flag_names[] = {
	{ "no_password_change", NO_PASSWD_CHNG }, { "no_pop", NO_POP },
	{ "no_webmail", NO_WEBMAIL }, { "no_imap", NO_IMAP }, { "bounce_mail", BOUNCE_MAIL },
	{ "no_relay", NO_RELAY }, { "no_dialup", NO_DIALUP }, { "user0", V_USER0 },
	{ "user1", V_USER1 }, { "user2", V_USER2 }, { "user3", V_USER3 }, { "no_smtp", NO_SMTP },
	{ "admin", QA_ADMIN }, { "override_limits", V_OVERRIDE },
	{ "no_spamassassin", NO_SPAMASSASSIN }, { "delete_spam", DELETE_SPAM },
	{ "no_maildrop", NO_MAILDROP },
};

/* "no_pop,no_imap" -> bits; unknown names are an error. */
static int parse_flags(struct op_ctx *c, const char *s, unsigned long *out)
{
	char name[32];
	size_t i, n;

	*out = 0;
	while (s && *s) {
		n = strcspn(s, ",");
		if (n == 0 || n >= sizeof(name))
			return qa_fail(c->err, QA_ERR_INVALID, "flags", "bad flag list");
		memcpy(name, s, n);
		name[n] = '\0';
		for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (!strcmp(flag_names[i].name, name))
				break;
		if (i == sizeof(flag_names) / sizeof(flag_names[0]))
			return qa_fail(c->err, QA_ERR_INVALID, "flags", "unknown flag %s", name);
		*out |= flag_names[i].bit;
		s += n + (s[n] == ',');
	}
	return 0;
}

static void put_flags(struct proto_writer *w, const char *key, unsigned long flags)
{
	struct buf out = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		if (out.len)
			buf_addc(&out, ',');
		buf_adds(&out, flag_names[i].name);
	}
	proto_iput(w, key, buf_cstr(&out));
	buf_free(&out);
}

/* "local@domain" of a validated user. */
static const char *address(const struct v_user *u, char *out, size_t n)
{
	snprintf(out, n, "%s@%s", u->local.s, u->domain.s);
	return out;
}

/* with_used 0: the use is not known (user.list leaves it out for a
 * mailbox without a quota), so used_* are left out. */
static void put_user(struct proto_writer *w, const struct user_info *u, int with_used)
{
	proto_iputf(w, "user", "%s@%s", u->local, u->domain);
	proto_iput(w, "local", u->local);
	proto_iput(w, "gecos", u->gecos);
	proto_iput(w, "quota", u->quota);
	proto_iputf(w, "quota_bytes", "%llu", u->quota_bytes);
	proto_iputf(w, "quota_count", "%llu", u->quota_count);
	if (with_used) {
		proto_iputf(w, "used_bytes", "%llu", u->used_bytes);
		proto_iputf(w, "used_count", "%llu", u->used_count);
	}
	put_flags(w, "flags", u->flags);
	put_flags(w, "effective_flags", u->eff_flags);
	proto_iput(w, "admin", u->is_admin ? "1" : "0");
}

static int list_one(void *ctx, const struct user_info *u)
{
	struct op_ctx *c = ctx;

	proto_item(c->out);
	put_user(c->out, u, c->cli || u->quota_bytes || u->quota_count);
	return 0;
}

/* sort: "name" (the default, vpasswd's own order), "gecos" (the full
 * name), each reversed with a leading '-'. */
static int arg_sort(struct op_ctx *c, struct list_query *q)
{
	const char *s = arg(c, "sort");

	if (!s || !*s)
		return 0;
	q->descending = *s == '-';
	s += q->descending;
	if (!strcmp(s, "gecos"))
		q->by_gecos = 1;
	else if (strcmp(s, "name"))
		return qa_fail(c->err, QA_ERR_INVALID, "sort", "sort by name, -name, gecos or -gecos");
	return 0;
}

int op_user_list(struct op_ctx *c)
{
	struct list_query q;
	struct v_domain d;
	size_t total = 0;

	if (arg_domain_or_own(c, &d) < 0 || may_domain(c, &d) < 0 || arg_page(c, &q) < 0
	    || arg_sort(c, &q) < 0)
		return -1;
	/* A web page shows the use only where a quota gives it a bar: a
	 * mailbox without one would be counted file by file on every view
	 * (its edit page shows it). The CLI's list counts them all. */
	q.with_usage = 1;
	q.usage_if_quota = !c->cli;
	if (store_user_list(c->store, &d, &q, list_one, c, &total, c->err) < 0)
		return -1;
	proto_putf(c->out, "total", "%zu", total);
	return 0;
}

/* forward.get's answer, prefixed "forward.", in user.get's item: the edit
 * page shows both from one helper run. */
static int put_user_forward(struct op_ctx *c, const struct v_user *u)
{
	struct dq_user du;

	if (store_forward_get(c->store, u, &du, c->err) < 0)
		return -1;
	put_forward(c->out, &du, "forward.");
	return 0;
}

int op_user_get(struct op_ctx *c)
{
	const char *fwd = arg(c, "forward");
	struct v_user u;
	struct user_info info;

	if (arg_user(c, "user", &u) < 0 || may_user(c, &u) < 0
	    || store_user_get(c->store, &u, &info, c->err) < 0)
		return -1;
	if (fwd && *fwd && strcmp(fwd, "0") && strcmp(fwd, "1"))
		return qa_fail(c->err, QA_ERR_INVALID, "forward", "must be 0 or 1");
	proto_item(c->out);
	put_user(c->out, &info, 1);
	return fwd && !strcmp(fwd, "1") ? put_user_forward(c, &u) : 0;
}

/* The one rule on who may not change a password: a mailbox owner whose
 * account (or domain limits) says no_password_change. Its domain admin may. */
static int passwd_locked(const struct op_ctx *c, const struct user_info *u)
{
	return c->role == ROLE_USER && (u->eff_flags & NO_PASSWD_CHNG);
}

/* account.get: the caller's own mailbox for its "My account" page, in one
 * run: user.get's fields, forward.get's, and "password_change" (0 when
 * user.passwd would refuse it). */
int op_account_get(struct op_ctx *c)
{
	struct user_info info;
	struct dq_user du;

	if (c->role == ROLE_SUPERADMIN)
		return qa_fail(c->err, QA_ERR_DENIED, "user", "the superadmin has no mailbox");
	if (store_user_get(c->store, &c->user, &info, c->err) < 0
	    || store_forward_get(c->store, &c->user, &du, c->err) < 0)
		return -1;
	proto_item(c->out);
	put_user(c->out, &info, 1);
	put_forward(c->out, &du, "");
	proto_iput(c->out, "password_change", passwd_locked(c, &info) ? "0" : "1");
	return 0;
}

int op_user_add(struct op_ctx *c)
{
	char hash[PASSWD_HASH_MAX], addr[V_ADDRESS_MAX + 1];
	struct v_user u;
	struct v_gecos g;
	const char *quota = arg(c, "quota");

	if (arg_user(c, "user", &u) < 0 || may_domain(c, &u.domain) < 0
	    || v_gecos(arg(c, "gecos"), &g, "gecos", c->err) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "user %s", address(&u, addr, sizeof(addr)));
	if (arg_new_password(c, "password", hash, sizeof(hash)) < 0)
		return -1;
	return store_user_add(c->store, &u, hash, &g, quota && *quota ? quota : NULL, c->err);
}

int op_user_del(struct op_ctx *c)
{
	char addr[V_ADDRESS_MAX + 1];
	struct v_user u;

	if (arg_user(c, "user", &u) < 0 || may_domain(c, &u.domain) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "user %s", address(&u, addr, sizeof(addr)));
	if (!strcmp(u.local.s, "postmaster"))
		return qa_fail(c->err, QA_ERR_DENIED, "user", "the postmaster account cannot be deleted");
	if (store_user_del(c->store, &u, c->err) < 0)
		return -1;
	session_revoke_name(c->sessions, addr, NULL);
	return 0;
}

/* 1 when u (as read from the store, its domain the real one) is the
 * caller's own mailbox, under whatever domain name either was given. */
static int is_self(struct op_ctx *c, const struct user_info *u)
{
	struct user_info me;

	if (c->role == ROLE_SUPERADMIN || strcmp(u->local, c->user.local.s))
		return 0;
	return store_user_get(c->store, &c->user, &me, NULL) == 0 && !strcmp(me.domain, u->domain);
}

/* Changing one's own password takes the current one as well, so that an
 * open or stolen session cannot lock the owner out. Wrong guesses count as
 * failed logins of the account, and are throttled the same way. */
static int check_current(struct op_ctx *c, const struct user_info *u)
{
	const char *current = arg(c, "current");
	unsigned long window = c->conf->login_fail_window;
	char acct[SESSION_NAME_MAX + 8];
	time_t now = time(NULL);

	snprintf(acct, sizeof(acct), "acct:%s", c->name);
	if (throttle_blocked(c->conf->state_dir, acct, c->conf->login_fail_limit, window, now))
		return qa_fail(c->err, QA_ERR_THROTTLED, "current", "too many failed attempts; try later");
	if (!current || !*current || !passwd_verify(current, u->passwd)) {
		throttle_fail(c->conf->state_dir, acct, window, now);
		return qa_fail(c->err, QA_ERR_AUTH, "current", "the current password is wrong");
	}
	throttle_clear(c->conf->state_dir, acct);
	return 0;
}

/* The hash of u's new password (password, or random=1: answered as
 * "password"), by user.passwd's rules: an account that says
 * no_password_change keeps its own; one's own needs the current one. */
static int new_password(struct op_ctx *c, const struct user_info *u, char *hash, size_t n)
{
	if (passwd_locked(c, u))
		return qa_fail(c->err, QA_ERR_DENIED, "password", "this account may not change its password");
	if (is_self(c, u) && check_current(c, u) < 0)
		return -1;
	return arg_new_password(c, "password", hash, n);
}

int op_user_passwd(struct op_ctx *c)
{
	char hash[PASSWD_HASH_MAX], addr[V_ADDRESS_MAX + 1];
	const char *wm = arg(c, "wm_secret");
	struct user_change ch;
	struct user_info info;
	struct v_user u;
	int self;

	if (arg_user(c, "user", &u) < 0 || may_user(c, &u) < 0
	    || store_user_get(c->store, &u, &info, c->err) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "password of %s", address(&u, addr, sizeof(addr)));
	self = is_self(c, &info);
	if (new_password(c, &info, hash, sizeof(hash)) < 0)
		return -1;
	memset(&ch, 0, sizeof(ch));
	ch.passwd_hash = hash;
	if (store_user_set(c->store, &u, &ch, c->err) < 0)
		return -1;
	/* Other sessions of this account end; the one that changed it stays,
	 * with webmail's sealed half of the new password when it sent one. */
	session_revoke_name(c->sessions, addr, c->sid[0] ? c->sid : NULL);
	if (self && c->sid[0] && c->webmail && wm && *wm)
		session_set_wm(c->sessions, c->sid, wm, NULL);
	return 0;
}

/* What a user.mod asks to change, for its audit line. */
static void audit_mod(struct op_ctx *c, const char *addr, int pw)
{
	const char *t = arg(c, "targets");

	snprintf(c->audit, sizeof(c->audit), "user %s:%s%s%s%s%s%.300s", addr,
	         arg(c, "gecos") ? " full name" : "", arg(c, "quota") ? " quota" : "",
	         arg(c, "flags") ? " flags" : "", pw ? " password" : "", t ? " forward -> " : "",
	         t ? t : "");
}

/* The full name, quota and flags asked for, checked, into ch. */
static int arg_account(struct op_ctx *c, struct user_change *ch, struct v_gecos *g)
{
	const char *gecos = arg(c, "gecos"), *flags = arg(c, "flags");

	if (gecos) {
		if (v_gecos(gecos, g, "gecos", c->err) < 0)
			return -1;
		ch->gecos = g;
	}
	ch->quota = arg(c, "quota");
	if (flags) {
		if (parse_flags(c, flags, &ch->flags) < 0)
			return -1;
		ch->set_flags = 1;
	}
	return 0;
}

/* user.mod: all that the edit page saves, in one run: gecos, quota, flags,
 * a new password (password, or random=1) by user.passwd's rules, and, when
 * targets is given, the forwarding as forward.set takes it (targets "":
 * normal delivery). Every value is checked before anything is written;
 * store_user_set then writes them together (the .qmail, then the one
 * vpasswd line) or, failing, leaves them as they were. */
int op_user_mod(struct op_ctx *c)
{
	const char *pw = arg(c, "password"), *random = arg(c, "random");
	int new_pw = (pw && *pw) || (random && !strcmp(random, "1"));
	char hash[PASSWD_HASH_MAX], addr[V_ADDRESS_MAX + 1];
	struct user_change ch;
	struct user_info info;
	struct dq_user du;
	struct v_gecos g;
	struct v_user u;

	if (arg_user(c, "user", &u) < 0 || may_domain(c, &u.domain) < 0)
		return -1;
	audit_mod(c, address(&u, addr, sizeof(addr)), new_pw);
	memset(&ch, 0, sizeof(ch));
	if (arg_account(c, &ch, &g) < 0)
		return -1;
	if (arg(c, "targets")) {
		if (arg_forward(c, &u, &du) < 0)
			return -1;
		ch.forward = &du;
	}
	if (new_pw) {      /* last: the hash is the slow part */
		if (store_user_get(c->store, &u, &info, c->err) < 0
		    || new_password(c, &info, hash, sizeof(hash)) < 0)
			return -1;
		ch.passwd_hash = hash;
	}
	if (store_user_set(c->store, &u, &ch, c->err) < 0)
		return -1;
	if (new_pw)
		session_revoke_name(c->sessions, addr, c->sid[0] ? c->sid : NULL);
	return 0;
}
