/* ops: the helper's operations. One table names every operation with the
 * least role that may call it and the privilege it runs with; each handler
 * reads its arguments through the validators, checks that the caller may act
 * on that domain or user, calls the store and writes its answer. The CLI runs
 * the very same handlers as the superadmin. */
#ifndef QA_OPS_H
#define QA_OPS_H

#include <stddef.h>

#include "dotqmail.h"
#include "err.h"
#include "proto.h"
#include "session.h"
#include "validate.h"

struct conf;
struct store;

enum priv {
	PRIV_VPOPMAIL,   /* runs as the vpopmail user */
	PRIV_ROOT        /* needs root: qmail control files, users/assign */
};

struct op_ctx {
	const struct conf *conf;
	struct store *store;
	struct session_store *sessions;
	const struct proto_req *req;
	struct proto_writer *out;
	struct qa_error *err;
	/* The caller, as authenticated by auth_request(). */
	enum role role;
	char name[SESSION_NAME_MAX + 1];  /* "user@domain" or the admin name */
	struct v_user user;               /* ROLE_USER / ROLE_DOMAIN_ADMIN */
	char sid[33];
	int cli;                          /* run by qmailadmin-ctl (root) */
	int me_known;                     /* a session was verified: answers name the caller */
	int webmail;                      /* a mailbox without the no-webmail flag */
	char wm[SESSION_WM_MAX + 1];      /* the session's sealed webmail password, or "" */
	char audit[512];                  /* what the audit line says was done */
};

struct op {
	const char *name;
	enum role min_role;               /* ROLE_NONE: no session (login) */
	enum priv priv;
	int changes;                      /* audit-logged */
	int (*fn)(struct op_ctx *c);
};

const struct op *op_find(const char *name);

/* Authenticates the request's ticket (unless the op needs none, or c->cli),
 * sets the caller in c, and checks the op's minimum role. */
int op_authenticate(const struct op *op, struct op_ctx *c);
/* Puts me.role, me.name and me.domain (the caller) into the answer. */
void op_put_me(struct op_ctx *c);
/* Runs op: the handler and, for changes, the audit line. */
int op_run(const struct op *op, struct op_ctx *c);

/* Argument helpers for handlers: each validates and names the field. */
const char *arg(const struct op_ctx *c, const char *key);
int arg_user(struct op_ctx *c, const char *key, struct v_user *out);
int arg_domain(struct op_ctx *c, const char *key, struct v_domain *out);
/* The "domain" argument; left out, a mailbox session means its own domain,
 * so that a page can ask in one helper run before it knows whose session it
 * has (the superadmin must name one). Scope is still may_domain's. */
int arg_domain_or_own(struct op_ctx *c, struct v_domain *out);

/* Scope checks: may the caller act on this domain / this mailbox? */
int may_domain(struct op_ctx *c, const struct v_domain *d);
int may_user(struct op_ctx *c, const struct v_user *u);

/* Shared by list and create handlers (ops_domain.c). */
struct list_query;
int arg_page(struct op_ctx *c, struct list_query *q);
/* The password argument hashed, or a random one (answered as "password"). */
int arg_new_password(struct op_ctx *c, const char *key, char *hash, size_t hashlen);

/* Shared answers (ops_alias.c): a mailbox's forwarding (targets, save_copy,
 * blackhole, vacation) into the current item; a catch-all's mode name. */
void put_forward(struct proto_writer *w, const struct dq_user *du, const char *prefix);
/* forward.set's arguments (targets, save_copy) for mailbox u, checked, over
 * its delivery as it is (read into du): what to write; nothing is written. */
int arg_forward(struct op_ctx *c, const struct v_user *u, struct dq_user *du);
const char *catchall_mode(enum dq_catchall_kind kind);

/* Handlers (ops_*.c). */
int op_login(struct op_ctx *c);
int op_logout(struct op_ctx *c);
int op_whoami(struct op_ctx *c);
int op_webmail_open(struct op_ctx *c);
int op_superadmin_passwd(struct op_ctx *c);
int op_domain_list(struct op_ctx *c);
int op_domain_get(struct op_ctx *c);
int op_domain_summary(struct op_ctx *c);
int op_domain_add(struct op_ctx *c);
int op_domain_del(struct op_ctx *c);
int op_alias_domain_add(struct op_ctx *c);
int op_alias_domain_del(struct op_ctx *c);
int op_user_list(struct op_ctx *c);
int op_user_get(struct op_ctx *c);
int op_account_get(struct op_ctx *c);
int op_user_add(struct op_ctx *c);
int op_user_del(struct op_ctx *c);
int op_user_passwd(struct op_ctx *c);
int op_user_mod(struct op_ctx *c);
int op_user_import(struct op_ctx *c);
int op_alias_list(struct op_ctx *c);
int op_alias_get(struct op_ctx *c);
int op_alias_set(struct op_ctx *c);
int op_alias_blackhole(struct op_ctx *c);
int op_alias_del(struct op_ctx *c);
int op_forward_get(struct op_ctx *c);
int op_forward_set(struct op_ctx *c);
int op_catchall_get(struct op_ctx *c);
int op_catchall_set(struct op_ctx *c);
int op_limits_get(struct op_ctx *c);
int op_limits_set(struct op_ctx *c);
int op_limits_reset(struct op_ctx *c);

#endif
