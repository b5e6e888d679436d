/* store_vpop: internals shared by the files of the vpopmail (cdb backend)
 * store: store_vpop_core.c (opening, resolving domains), store_vpop_fs.c
 * (filesystem helpers), store_vpop_domain.c (domains, alias domains),
 * store_vpop_user.c (users), store_vpop_alias.c (aliases, forwards,
 * catch-all, limits). Nothing outside the store includes this. */
#ifndef QA_STORE_VPOP_H
#define QA_STORE_VPOP_H

#include <sys/types.h>

#include "store.h"

struct store {
	char qmail_dir[STORE_PATH_MAX];
	char vpopmail_dir[STORE_PATH_MAX];
	char domains_dir[STORE_PATH_MAX];     /* VPOPMAILDIR/domains */
	char limits_default[STORE_PATH_MAX];  /* VPOPMAILDIR/etc/vlimits.default */
	char qmail_reload[STORE_PATH_MAX];
	uid_t uid;                            /* the vpopmail user: owner of domain stores */
	gid_t gid;
};

/* Resolves d through users/cdb (as vpopmail's vget_assign): fills name,
 * real, dir, uid, gid, is_alias. Counts are left 0. QA_ERR_NOT_FOUND if
 * vpopmail would not know the domain. */
int vpop_domain(struct store *s, const struct v_domain *d, struct domain_info *out,
                struct qa_error *e);

/* The dotqmail view of a resolved domain's directory. */
void vpop_dq_dir(const struct domain_info *info, struct dq_dir *out);

/* 1 when path lies strictly inside the store's domains directory and holds
 * no ".." component: the only paths the store ever removes trees under. */
int vpop_path_inside(const struct store *s, const char *path);

/* Tells qmail-send to reread its control files, as the config says. */
int vpop_reload_qmail(const struct store *s, struct qa_error *e);

/* ---- store_vpop_fs.c: filesystem helpers */

struct vpw_entry;
struct vlimits;

/* out = a/b, or QA_ERR_INVALID when it does not fit in n. */
int vpop_path2(char *out, size_t n, const char *a, const char *b, struct qa_error *e);

/* Copies a local error into the caller's (which may be NULL) and fails. */
int vpop_pass(struct qa_error *e, const struct qa_error *mine);

/* mkdir that accepts an existing directory (never a symlink to one). */
int vpop_mkdir_ok(const char *path, struct qa_error *e);

/* rm -r, only ever under ~vpopmail/domains (vpop_path_inside). */
int vpop_rm_tree(const struct store *s, const char *path, struct qa_error *e);

/* chown -R (never following symlinks), the chown of one path, and of the
 * files vpasswd.c and dircontrol.c create in dir; only as root. */
int vpop_own_tree(const char *path, uid_t uid, gid_t gid, struct qa_error *e);
int vpop_own_path(const char *path, uid_t uid, gid_t gid, struct qa_error *e);
int vpop_own_files(const char *dir, uid_t uid, gid_t gid, struct qa_error *e);

/* Serialises our own changes to one directory; returns the lock's fd. */
int vpop_dir_lock(const char *dir, struct qa_error *e);
void vpop_dir_unlock(int fd);

/* 1 when path holds only what a mailbox's home holds (a crash's leftover). */
int vpop_is_home_debris(const char *path);

/* vadduser's home for pw under domdir[/hash]; sets pw->dir. */
int vpop_make_home(const struct store *s, const char *domdir, const char *hash,
              struct vpw_entry *pw, uid_t uid, gid_t gid, struct qa_error *e);

/* mkdir -p DOMDIR/hash, owned like the domain. */
int vpop_make_hash_dir(const char *domdir, const char *hash, uid_t uid, gid_t gid,
                  struct qa_error *e);

/* ---- store_vpop_user.c: what domain creation and removal reuse */

/* The vpasswd entry of a new mailbox, its dir still unset. */
int vpop_entry_new(struct vpw_entry *pw, const char *name, const char *hash,
              const char *gecos, const char *quota, const struct vlimits *l,
              struct qa_error *e);

/* One new mailbox in a domain whose changes we hold (vpop_dir_lock), or that
 * nobody can see yet (domain add). max: maxpopaccounts, -1 = no limit. */
int vpop_add_mailbox(const struct store *s, const struct domain_info *info,
                struct vpw_entry *pw, int max, struct qa_error *e);

/* vpasswd's own line for name (the text, not the cdb), after cdb_sync. */
int vpop_load_entry(const char *domdir, const char *name, struct vpw_entry *pw,
               struct qa_error *e);

#endif
