/* ops_auth: login, logout, whoami. The password check, the throttling and
 * the ticket all happen here, in the helper; the front end only carries the
 * ticket back and forth. */
#include "config.h"

#include "ops.h"

#include "conf.h"
#include "passwd.h"
#include "store.h"
#include "superadmin.h"
#include "throttle.h"
#include "vlimits.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The client address is only a throttling key; keep it to address bytes. */
static const char *client_key(const char *remote, char *out, size_t n)
{
	size_t i;

	if (!remote || !*remote || strlen(remote) > 45)
		remote = "unknown";
	for (i = 0; remote[i]; i++)
		if (!strchr("0123456789abcdefABCDEF:.", remote[i]))
			remote = "unknown";
	snprintf(out, n, "ip:%s", remote);
	return out;
}

/* Checked against when the account does not exist, so that a wrong name
 * takes as long as a wrong password and names cannot be probed by timing. */
static const char dummy_hash[] =
	"$6$qmailadm$Yb1uJk4C8qVq0pbl8b2QXc1iVn1Ao6uQ0y4m8OQ0r3mYb0HhP2s0JfX1yZ8v7w6u5t4s3r2q1p0o9n8m7l6k5j";

/* 0 and the role when name/password are right; -1 (QA_ERR_AUTH) when not. */
static int check_password(struct op_ctx *c, const char *name, const char *password, enum role *role)
{
	struct user_info u;
	struct v_admin admin;

	if (strchr(name, '@')) {
		if (v_user(name, &c->user, "user", NULL) < 0
		    || store_user_get(c->store, &c->user, &u, NULL) < 0) {
			passwd_verify(password, dummy_hash);
			return qa_fail(c->err, QA_ERR_AUTH, "user", "wrong address or password");
		}
		if (!passwd_verify(password, u.passwd))
			return qa_fail(c->err, QA_ERR_AUTH, "user", "wrong address or password");
		*role = u.is_admin ? ROLE_DOMAIN_ADMIN : ROLE_USER;
		c->webmail = !(u.eff_flags & NO_WEBMAIL);
		return 0;
	}
	if (v_admin(name, &admin, "user", NULL) < 0
	    || !superadmin_verify(c->conf->state_dir, &admin, password))
		return qa_fail(c->err, QA_ERR_AUTH, "user", "wrong address or password");
	*role = ROLE_SUPERADMIN;
	return 0;
}

int op_login(struct op_ctx *c)
{
	const char *name = arg(c, "user"), *password = arg(c, "password");
	char acct[SESSION_NAME_MAX + 8], ip[64], ticket[SESSION_TICKET_LEN + 1];
	unsigned long limit = c->conf->login_fail_limit, window = c->conf->login_fail_window;
	time_t now = time(NULL);
	enum role role;

	if (!name || !password || !*name || strlen(name) > SESSION_NAME_MAX)
		return qa_fail(c->err, QA_ERR_AUTH, "user", "wrong address or password");
	snprintf(acct, sizeof(acct), "acct:%s", name);
	client_key(arg(c, "remote"), ip, sizeof(ip));
	if (throttle_blocked(c->conf->state_dir, acct, limit, window, now)
	    || throttle_blocked(c->conf->state_dir, ip, 4 * limit, window, now))
		return qa_fail(c->err, QA_ERR_THROTTLED, "user", "too many failed logins; try later");
	if (check_password(c, name, password, &role) < 0) {
		throttle_fail(c->conf->state_dir, acct, window, now);
		throttle_fail(c->conf->state_dir, ip, window, now);
		return -1;
	}
	throttle_clear(c->conf->state_dir, acct);
	if (role == ROLE_SUPERADMIN)
		snprintf(c->name, sizeof(c->name), "%s", name);
	else
		snprintf(c->name, sizeof(c->name), "%s@%s", c->user.local.s, c->user.domain.s);
	/* webmail's sealed password is kept only for a mailbox that may use
	 * webmail: for anyone else it would be a secret kept for nothing. */
	if (session_create(c->sessions, role, c->name,
	                   role != ROLE_SUPERADMIN && c->webmail ? arg(c, "wm_secret") : NULL,
	                   ticket, c->err) < 0)
		return -1;
	c->role = role;
	proto_put(c->out, "ticket", ticket);
	return op_whoami(c);
}

int op_logout(struct op_ctx *c)
{
	return session_revoke(c->sessions, arg(c, "ticket"), c->err);
}

int op_whoami(struct op_ctx *c)
{
	proto_put(c->out, "role", role_name(c->role));
	proto_put(c->out, "name", c->name);
	if (c->role != ROLE_SUPERADMIN) {
		proto_put(c->out, "local", c->user.local.s);
		proto_put(c->out, "domain", c->user.domain.s);
		proto_put(c->out, "webmail", c->webmail ? "1" : "0");
	}
	return 0;
}

/* Webmail's server-side half of the mailbox password, for the front end to
 * unseal with the browser's half. Asked on every webmail request, so the
 * no-webmail flag set by an admin takes effect at once. */
int op_webmail_open(struct op_ctx *c)
{
	if (!c->webmail)
		return qa_fail(c->err, QA_ERR_DENIED, "webmail", "%s may not use webmail", c->name);
	if (!c->wm[0])
		return qa_fail(c->err, QA_ERR_EXPIRED, "wm_secret",
		               "this session has no webmail password; log in again");
	proto_put(c->out, "secret", c->wm);
	return 0;
}

/* Sets a superadmin's password ("admin" unless a name is given). */
int op_superadmin_passwd(struct op_ctx *c)
{
	const char *name = arg(c, "name");
	char hash[PASSWD_HASH_MAX];
	struct v_admin admin;

	if (v_admin(name && *name ? name : "admin", &admin, "name", c->err) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "superadmin %s", admin.s);
	if (arg_new_password(c, "password", hash, sizeof(hash)) < 0)
		return -1;
	if (superadmin_set(c->conf->state_dir, &admin, hash, c->err) < 0)
		return -1;
	session_revoke_name(c->sessions, admin.s, c->sid[0] ? c->sid : NULL);
	return 0;
}
