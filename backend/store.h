/* store: the one interface to the mail store: domains, users, aliases and
 * forwards, catch-all, limits. The implementation today is vpopmail's cdb
 * backend on files (store_vpop.c); a SQL backend (vpopmail's MySQL or
 * PostgreSQL schema) can be added behind the same calls. Operations take
 * validated values (validate.h) only; every failure is a qa_error. */
#ifndef QA_STORE_H
#define QA_STORE_H

#include <stddef.h>
#include <sys/types.h>

#include "dotqmail.h"
#include "err.h"
#include "validate.h"
#include "vlimits.h"

struct conf;
struct store;

#define STORE_PATH_MAX 4096
#define STORE_GECOS_MAX 256     /* what we read back may be longer than we write */
#define STORE_HASH_MAX 256

struct domain_info {
	char name[V_DOMAIN_MAX + 1];
	char real[V_DOMAIN_MAX + 1];       /* == name unless name is an alias domain */
	char dir[STORE_PATH_MAX];
	uid_t uid;
	gid_t gid;
	int is_alias;
	unsigned long users;               /* mailboxes (real domains) */
	size_t naliases;                   /* alias domains pointing here */
	size_t nforwards;                  /* aliases and forwards: DOMDIR/.qmail-* (dq_list) */
	const char *alias_names;           /* domain lists: the alias domains pointing here,
	                                    * comma-separated, valid in the callback; else NULL */
	/* Not the store's: the helper's usage cache (usage.h) fills these. */
	int has_usage;
	unsigned long long disk_bytes;     /* the mailboxes' Maildir++ usage */
	unsigned long long disk_count;
};

struct user_info {
	char local[V_LOCAL_MAX + 1];
	char domain[V_DOMAIN_MAX + 1];
	char passwd[STORE_HASH_MAX];
	unsigned long flags;               /* vpasswd gid field */
	unsigned long eff_flags;           /* flags | domain limits (unless V_OVERRIDE) */
	char gecos[STORE_GECOS_MAX];
	char dir[STORE_PATH_MAX];
	char quota[32];                    /* "NOQUOTA" or Maildir++ "NS,NC" */
	unsigned long long quota_bytes;    /* 0 = none */
	unsigned long long quota_count;
	unsigned long long used_bytes;     /* from maildirsize, when asked for */
	unsigned long long used_count;
	int is_admin;                      /* postmaster or QA_ADMIN */
};

/* What user_set changes; NULL / 0 members are left as they are. */
struct user_change {
	const char *passwd_hash;
	const struct v_gecos *gecos;
	const char *quota;                 /* normalized by the store */
	int set_flags;
	unsigned long flags;
	const struct dq_user *forward;     /* the mailbox's .qmail, as store_forward_set */
};

struct list_query {
	const char *search;                /* substring of name or full name; NULL = all */
	size_t offset;
	size_t limit;
	int with_usage;                    /* read maildirsize for each listed user */
	int usage_if_quota;                /* users: only for those with a quota, whose bar needs
	                                    * it; the others' used_* stay 0 (a Maildir without
	                                    * maildirsize would be counted message by message) */
	int reals_only;                    /* domains: real ones only, their aliases in alias_names;
	                                    * the search matches a domain or one of its aliases */
	const char *name;                  /* domains: only this one (exact name) */
	int by_gecos;                      /* users: by full name, then name (else by name) */
	int descending;                    /* users: in reverse order */
};

typedef int (*domain_cb)(void *ctx, const struct domain_info *d);
typedef int (*user_cb)(void *ctx, const struct user_info *u);

struct store *store_open(const struct conf *c, struct qa_error *e);
void store_close(struct store *s);

/* Domains. */
int store_domain_get(struct store *s, const struct v_domain *d, struct domain_info *out,
                     struct qa_error *e);
int store_domain_list(struct store *s, const struct list_query *q, domain_cb cb, void *ctx,
                      size_t *total, struct qa_error *e);
/* Adds the domain and its postmaster (password hash given). */
int store_domain_add(struct store *s, const struct v_domain *d, const char *postmaster_hash,
                     struct qa_error *e);
int store_domain_del(struct store *s, const struct v_domain *d, struct qa_error *e);
int store_alias_domain_add(struct store *s, const struct v_domain *alias,
                           const struct v_domain *real, struct qa_error *e);
int store_alias_domain_del(struct store *s, const struct v_domain *alias, struct qa_error *e);

/* Users. */
int store_user_get(struct store *s, const struct v_user *u, struct user_info *out,
                   struct qa_error *e);
/* The same without the usage (used_* stay 0): what every request of a
 * mailbox session needs (role, flags), without reading its Maildir. */
int store_user_get_account(struct store *s, const struct v_user *u, struct user_info *out,
                           struct qa_error *e);
int store_user_list(struct store *s, const struct v_domain *d, const struct list_query *q,
                    user_cb cb, void *ctx, size_t *total, struct qa_error *e);
int store_user_add(struct store *s, const struct v_user *u, const char *passwd_hash,
                   const struct v_gecos *gecos, const char *quota, struct qa_error *e);
int store_user_del(struct store *s, const struct v_user *u, struct qa_error *e);
/* All of c in one change: every value is checked before anything is
 * written; the vpasswd line is rewritten once (not at all when only the
 * forward changes); the forward is written before it and put back if the
 * rewrite fails. */
int store_user_set(struct store *s, const struct v_user *u, const struct user_change *c,
                   struct qa_error *e);

/* Bulk add (CSV import): every user is checked first; nothing is written
 * unless all can be added; one vpasswd rewrite for the lot. */
struct new_user {
	struct v_user user;
	char passwd_hash[STORE_HASH_MAX];
	struct v_gecos gecos;
	char quota[32];                    /* "" = the domain default */
	unsigned line;                     /* CSV line, for error messages */
};
int store_user_add_many(struct store *s, const struct v_domain *d, const struct new_user *users,
                        size_t n, struct qa_error *e);

/* Aliases and forwards of a domain (DOMDIR/.qmail-NAME). name is the alias's
 * local part; targets are complete addresses. */
int store_alias_list(struct store *s, const struct v_domain *d, struct dq_entry **out,
                     size_t *n, struct qa_error *e);
int store_alias_get(struct store *s, const struct v_user *alias, struct dq_entry *out,
                    struct qa_error *e);
/* Replaces the alias's targets (creates it); refuses a name that is a mailbox. */
int store_alias_set(struct store *s, const struct v_user *alias, const struct v_target *targets,
                    size_t n, struct qa_error *e);
int store_alias_blackhole(struct store *s, const struct v_user *alias, struct qa_error *e);
int store_alias_del(struct store *s, const struct v_user *alias, struct qa_error *e);

/* A mailbox's own delivery (USERDIR/.qmail): forwards, saved copy. */
int store_forward_get(struct store *s, const struct v_user *u, struct dq_user *out,
                      struct qa_error *e);
int store_forward_set(struct store *s, const struct v_user *u, const struct dq_user *in,
                      struct qa_error *e);

/* The domain's catch-all (DOMDIR/.qmail-default). */
int store_catchall_get(struct store *s, const struct v_domain *d, struct dq_catchall *out,
                       struct qa_error *e);
int store_catchall_set(struct store *s, const struct v_domain *d, const struct dq_catchall *in,
                       struct qa_error *e);

/* Domain limits (.qmailadmin-limits, else vlimits.default, else defaults). */
int store_limits_get(struct store *s, const struct v_domain *d, struct vlimits *out,
                     int *is_default, struct qa_error *e);
int store_limits_set(struct store *s, const struct v_domain *d, const struct vlimits *in,
                     struct qa_error *e);
int store_limits_reset(struct store *s, const struct v_domain *d, struct qa_error *e);

#endif
