/* store_vpop: internals shared by the files of the vpopmail (cdb backend)
 * store: store_vpop.c (domains, users), store_vpop_alias.c (aliases,
 * forwards, catch-all, limits). Nothing outside the store includes this. */
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

#endif
