/* ops: the operation table, authentication of each request, scope checks
 * and argument helpers (see ops.h). */
#include "config.h"

#include "ops.h"

#include "audit.h"
#include "conf.h"
#include "store.h"
#include "vlimits.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct op ops[] = {
	{ "login", ROLE_NONE, PRIV_VPOPMAIL, 0, op_login },
	{ "logout", ROLE_USER, PRIV_VPOPMAIL, 0, op_logout },
	{ "whoami", ROLE_USER, PRIV_VPOPMAIL, 0, op_whoami },
	{ "superadmin.passwd", ROLE_SUPERADMIN, PRIV_VPOPMAIL, 1, op_superadmin_passwd },
	{ "domain.list", ROLE_SUPERADMIN, PRIV_VPOPMAIL, 0, op_domain_list },
	{ "domain.get", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 0, op_domain_get },
	{ "domain.summary", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 0, op_domain_summary },
	{ "domain.add", ROLE_SUPERADMIN, PRIV_ROOT, 1, op_domain_add },
	{ "domain.del", ROLE_SUPERADMIN, PRIV_ROOT, 1, op_domain_del },
	{ "domain.alias.add", ROLE_SUPERADMIN, PRIV_ROOT, 1, op_alias_domain_add },
	{ "domain.alias.del", ROLE_SUPERADMIN, PRIV_ROOT, 1, op_alias_domain_del },
	{ "webmail.open", ROLE_USER, PRIV_VPOPMAIL, 0, op_webmail_open },
	{ "user.list", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 0, op_user_list },
	{ "user.get", ROLE_USER, PRIV_VPOPMAIL, 0, op_user_get },
	{ "account.get", ROLE_USER, PRIV_VPOPMAIL, 0, op_account_get },
	{ "user.add", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 1, op_user_add },
	{ "user.del", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 1, op_user_del },
	{ "user.passwd", ROLE_USER, PRIV_VPOPMAIL, 1, op_user_passwd },
	{ "user.mod", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 1, op_user_mod },
	{ "user.import", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 1, op_user_import },
	{ "alias.list", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 0, op_alias_list },
	{ "alias.get", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 0, op_alias_get },
	{ "alias.set", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 1, op_alias_set },
	{ "alias.blackhole", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 1, op_alias_blackhole },
	{ "alias.del", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 1, op_alias_del },
	{ "forward.get", ROLE_USER, PRIV_VPOPMAIL, 0, op_forward_get },
	{ "forward.set", ROLE_USER, PRIV_VPOPMAIL, 1, op_forward_set },
	{ "catchall.get", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 0, op_catchall_get },
	{ "catchall.set", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 1, op_catchall_set },
	{ "limits.get", ROLE_DOMAIN_ADMIN, PRIV_VPOPMAIL, 0, op_limits_get },
	{ "limits.set", ROLE_SUPERADMIN, PRIV_VPOPMAIL, 1, op_limits_set },
	{ "limits.reset", ROLE_SUPERADMIN, PRIV_VPOPMAIL, 1, op_limits_reset },
};

const struct op *op_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(ops[i].name, name))
			return &ops[i];
	return NULL;
}

const char *arg(const struct op_ctx *c, const char *key)
{
	return proto_req_get(c->req, key);
}

int arg_user(struct op_ctx *c, const char *key, struct v_user *out)
{
	return v_user(arg(c, key), out, key, c->err);
}

int arg_domain(struct op_ctx *c, const char *key, struct v_domain *out)
{
	return v_domain(arg(c, key), out, key, c->err);
}

int arg_domain_or_own(struct op_ctx *c, struct v_domain *out)
{
	const char *d = arg(c, "domain");

	if ((!d || !*d) && c->role != ROLE_SUPERADMIN && c->role != ROLE_NONE) {
		*out = c->user.domain;
		return 0;
	}
	return arg_domain(c, "domain", out);
}

/* A mailbox session's role follows the account as it is now: a removed admin
 * flag or a deleted account takes effect on the next request. */
static int resolve_mailbox(struct op_ctx *c)
{
	struct user_info u;

	if (v_user(c->name, &c->user, "ticket", c->err) < 0
	    || store_user_get_account(c->store, &c->user, &u, c->err) < 0) {
		session_revoke_name(c->sessions, c->name, NULL);
		return qa_fail(c->err, QA_ERR_EXPIRED, "ticket", "the account is gone");
	}
	c->role = u.is_admin ? ROLE_DOMAIN_ADMIN : ROLE_USER;
	c->webmail = !(u.eff_flags & NO_WEBMAIL);
	return 0;
}

/* Every answer to a session says whose it is, so that a page needs one
 * helper run, not a whoami first; a refusal too (helper_main.c). */
void op_put_me(struct op_ctx *c)
{
	proto_put(c->out, "me.role", role_name(c->role));
	proto_put(c->out, "me.name", c->name);
	if (c->role != ROLE_SUPERADMIN) {
		proto_put(c->out, "me.domain", c->user.domain.s);
		proto_put(c->out, "me.webmail", c->webmail ? "1" : "0");
	}
}

int op_authenticate(const struct op *op, struct op_ctx *c)
{
	struct session s;

	if (c->cli) {
		c->role = ROLE_SUPERADMIN;
		snprintf(c->name, sizeof(c->name), "root");
		return 0;
	}
	if (op->min_role == ROLE_NONE)
		return 0;
	if (session_check(c->sessions, arg(c, "ticket"), time(NULL), &s, c->err) < 0)
		return -1;
	memcpy(c->sid, s.sid, sizeof(c->sid));
	memcpy(c->name, s.name, sizeof(c->name));
	memcpy(c->wm, s.wm, sizeof(c->wm));
	c->role = s.role;
	if (s.role != ROLE_SUPERADMIN && resolve_mailbox(c) < 0)
		return -1;
	c->me_known = 1;
	op_put_me(c);
	if (c->role < op->min_role)
		return qa_fail(c->err, QA_ERR_DENIED, "", "%s may not %s", c->name, op->name);
	return 0;
}

int may_domain(struct op_ctx *c, const struct v_domain *d)
{
	struct domain_info info;

	if (c->role == ROLE_SUPERADMIN)
		return 0;
	if (c->role == ROLE_DOMAIN_ADMIN) {
		if (!strcmp(d->s, c->user.domain.s))
			return 0;
		/* An alias domain is the same domain by another name. */
		if (store_domain_get(c->store, d, &info, NULL) == 0 && !strcmp(info.real, c->user.domain.s))
			return 0;
	}
	return qa_fail(c->err, QA_ERR_DENIED, "domain", "%s may not manage %s", c->name, d->s);
}

int may_user(struct op_ctx *c, const struct v_user *u)
{
	if (c->role == ROLE_USER) {
		if (!strcmp(u->local.s, c->user.local.s) && !strcmp(u->domain.s, c->user.domain.s))
			return 0;
		return qa_fail(c->err, QA_ERR_DENIED, "user", "%s may only manage itself", c->name);
	}
	return may_domain(c, &u->domain);
}

int op_run(const struct op *op, struct op_ctx *c)
{
	int rc = op->fn(c);

	if (op->changes)
		audit_log(op->name, c->name, c->audit, rc == 0 ? NULL : c->err);
	return rc;
}
