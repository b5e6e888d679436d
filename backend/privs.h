/* privs: the one place the helper changes identity. The helper starts as
 * root (setuid) and becomes the vpopmail user before it touches anything
 * that user owns; only operations on root-owned qmail files (domains) keep
 * root, and even those run with an empty supplementary group list. */
#ifndef QA_PRIVS_H
#define QA_PRIVS_H

#include <sys/types.h>

#include "err.h"

struct ident {
	uid_t uid;
	gid_t gid;
};

/* 1 when running setuid or setgid (real and effective ids differ). */
int privs_setuid(void);

/* Resolves the vpopmail user and group names of the config. */
int privs_lookup(const char *user, const char *group, struct ident *out, struct qa_error *e);

/* Becomes to for good: supplementary groups cleared, real, effective and
 * saved ids all set, then verified that root cannot be regained. A no-op
 * when already running as exactly that identity (tests run unprivileged). */
int privs_drop(const struct ident *to, struct qa_error *e);

/* For operations on root-owned qmail files: when effectively root, makes
 * every id root (so nothing runs with the web user's real id) and clears the
 * supplementary groups. A no-op when not running as root (tests). */
int privs_keep_root(struct qa_error *e);

struct conf;

/* The identity an operation runs with: root for PRIV_ROOT (privs_keep_root),
 * else the configured vpopmail user (privs_drop). priv is an enum priv. */
int privs_for(int priv_root, const struct conf *c, struct qa_error *e);

#endif
