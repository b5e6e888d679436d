/* store_vpop_alias: aliases, a mailbox's own forwards, the catch-all and
 * the domain limits of the vpopmail (cdb backend) store, on top of
 * dotqmail.c and vlimits.c, in the formats qmailadmin writes (formats.md
 * section 7).
 *
 * An alias domain is the same directory under another name, so every call
 * resolves the domain first and works in the real domain's directory.
 * It must never let an alias shadow a mailbox or a mailing list address
 * (qmail-local reads .qmail-NAME before vdelivermail ever sees the
 * mailbox), replace an autoresponder or a program line it did not write,
 * or write outside the domain's own directory. No locks: vpopmail and
 * qmailadmin take none for these files. */
#include "config.h"

#include "store_vpop.h"

#include "control.h"
#include "vpasswd.h"

#include <cdb.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALIAS_TARGETS_MAX 50    /* forwards one alias may hold */

/* The real domain's directory, as a dq_dir owned by the domain. */
static int resolve(struct store *s, const struct v_domain *d, struct domain_info *info,
                   struct dq_dir *dq, struct qa_error *e)
{
	if (vpop_domain(s, d, info, e) < 0)
		return -1;
	vpop_dq_dir(info, dq);
	return 0;
}

/* 1 when DOMDIR has a mailbox named local, else 0. vpasswd.cdb is what
 * vchkpw and vdelivermail consult; when it cannot be opened (vpopmail then
 * rebuilds it on the next lookup) the text file decides. */
static int mailbox_exists(const char *domdir, const char *local, int *found, struct qa_error *e)
{
	char path[CTL_PATH_MAX];
	struct vpw_file f;
	struct cdb c;
	int fd, r;

	*found = 0;
	if (ctl_join(path, sizeof(path), domdir, "vpasswd.cdb", e) < 0)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		r = cdb_init(&c, fd) == 0 ? cdb_find(&c, local, (unsigned)strlen(local)) : -1;
		if (r >= 0)
			cdb_free(&c);
		close(fd);
		if (r >= 0) {
			*found = r > 0;
			return 0;
		}
	}
	if (vpasswd_load(&f, domdir, e) < 0)
		return -1;
	*found = vpasswd_find(&f, local) >= 0;
	vpasswd_free(&f);
	return 0;
}

static int is_link(const char *dir, const char *file)
{
	char path[CTL_PATH_MAX];
	struct stat st;

	return ctl_join(path, sizeof(path), dir, file, NULL) == 0 && lstat(path, &st) == 0
	       && S_ISLNK(st.st_mode);
}

/* 1 when NAME is one of an ezmlm list's addresses: .qmail-NAME is a list
 * link, or NAME is PREFIX-REST and .qmail-PREFIX-default is one (the
 * list's command addresses, e.g. announce-subscribe). */
static int list_address(const char *domdir, const char *name)
{
	char file[V_LOCAL_MAX + 24];
	const char *dash;
	size_t i, n;

	if (dq_file_name(name, file, sizeof(file), NULL) < 0)
		return 0;
	if (is_link(domdir, file))
		return 1;
	for (dash = strchr(file + 7, '-'); dash; dash = strchr(dash + 1, '-')) {
		char dflt[V_LOCAL_MAX + 24];

		n = (size_t)(dash - file);
		memcpy(dflt, file, n);
		for (i = 0; i < 9; i++)
			dflt[n + i] = "-default"[i];
		if (is_link(domdir, dflt))
			return 1;
	}
	return 0;
}

/* May alias.set / alias.blackhole write .qmail-NAME? Only over nothing, a
 * forward or a blackhole. *exists says whether the file is there. */
static int check_alias_name(const struct domain_info *info, const struct dq_dir *dq,
                            const struct v_user *alias, int *exists, struct qa_error *e)
{
	struct dq_entry ent;
	struct qa_error miss;
	int mailbox, rc = 0;

	*exists = 0;
	if (mailbox_exists(info->dir, alias->local.s, &mailbox, e) < 0)
		return -1;
	if (mailbox)
		return qa_fail(e, QA_ERR_EXISTS, "user", "%s@%s is a mailbox", alias->local.s, alias->domain.s);
	if (list_address(info->dir, alias->local.s))
		return qa_fail(e, QA_ERR_EXISTS, "user", "%s@%s is a mailing list address",
		               alias->local.s, alias->domain.s);
	if (dq_alias_get(dq, alias->local.s, &ent, &miss) < 0)
		return miss.code == QA_ERR_NOT_FOUND ? 0 : qa_fail(e, miss.code, miss.field, "%s", miss.detail);
	*exists = 1;
	if (ent.kind == DQ_LIST || ent.kind == DQ_AUTORESPONDER || ent.kind == DQ_PROGRAM)
		rc = qa_fail(e, QA_ERR_EXISTS, "user", "%s@%s is a %s; remove that first", alias->local.s,
		             alias->domain.s, ent.kind == DQ_LIST ? "mailing list"
		             : ent.kind == DQ_AUTORESPONDER ? "autoresponder" : "program delivery");
	dq_entry_free(&ent);
	return rc;
}

/* qmailadmin's maxforwards: the forwards and blackholes a domain may have. */
static int check_forward_limit(struct store *s, const struct domain_info *info, struct qa_error *e)
{
	struct dq_entry *list;
	struct vlimits l;
	size_t n, i, count = 0;

	if (vlimits_load(info->dir, s->limits_default, &l, NULL, e) < 0)
		return -1;
	if (l.maxforwards < 0)
		return 0;
	if (dq_list(info->dir, &list, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++)
		count += list[i].kind == DQ_FORWARD || list[i].kind == DQ_BLACKHOLE;
	dq_list_free(list, n);
	if (count >= (size_t)l.maxforwards)
		return qa_fail(e, QA_ERR_LIMIT, "maxforwards", "%s may have %d forwards and has %zu",
		               info->real, l.maxforwards, count);
	return 0;
}

/* Everything alias.set and alias.blackhole check before writing. */
static int prepare_alias(struct store *s, const struct v_user *alias, struct domain_info *info,
                         struct dq_dir *dq, struct qa_error *e)
{
	int exists;

	if (resolve(s, &alias->domain, info, dq, e) < 0
	    || check_alias_name(info, dq, alias, &exists, e) < 0)
		return -1;
	return exists ? 0 : check_forward_limit(s, info, e);
}

int store_alias_list(struct store *s, const struct v_domain *d, struct dq_entry **out,
                     size_t *n, struct qa_error *e)
{
	struct domain_info info;
	struct dq_dir dq;

	*out = NULL;
	*n = 0;
	if (resolve(s, d, &info, &dq, e) < 0)
		return -1;
	return dq_list(info.dir, out, n, e);
}

int store_alias_get(struct store *s, const struct v_user *alias, struct dq_entry *out,
                    struct qa_error *e)
{
	struct domain_info info;
	struct dq_dir dq;

	memset(out, 0, sizeof(*out));
	if (resolve(s, &alias->domain, &info, &dq, e) < 0)
		return -1;
	return dq_alias_get(&dq, alias->local.s, out, e);
}

/* 1 when t[i] already appeared among t[0..i). */
static int seen_before(const struct v_target *t, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (!strcmp(t[j].s, t[i].s))
			return 1;
	return 0;
}

/* "&addr" lines as qmailadmin writes them, each target once. */
static int target_lines(const struct v_target *t, size_t n, char ***lines, size_t *nl,
                        struct qa_error *e)
{
	size_t i, len;

	*nl = 0;
	if (!(*lines = calloc(n, sizeof(**lines))))
		return qa_fail(e, QA_ERR_NOMEM, "targets", "out of memory");
	for (i = 0; i < n; i++) {
		if (seen_before(t, i))
			continue;
		len = strlen(t[i].s) + 2;
		if (!((*lines)[*nl] = malloc(len)))
			return qa_fail(e, QA_ERR_NOMEM, "targets", "out of memory");
		snprintf((*lines)[(*nl)++], len, "&%s", t[i].s);
	}
	return 0;
}

int store_alias_set(struct store *s, const struct v_user *alias, const struct v_target *targets,
                    size_t n, struct qa_error *e)
{
	struct domain_info info;
	struct dq_dir dq;
	char **lines = NULL;
	size_t nl = 0, i;
	int rc;

	if (n == 0 || n > ALIAS_TARGETS_MAX)
		return qa_fail(e, QA_ERR_INVALID, "targets", "an alias needs 1 to %d targets",
		               ALIAS_TARGETS_MAX);
	if (prepare_alias(s, alias, &info, &dq, e) < 0)
		return -1;
	rc = target_lines(targets, n, &lines, &nl, e);
	if (rc == 0)
		rc = dq_alias_write(&dq, alias->local.s, (const char *const *)lines, nl, e);
	for (i = 0; i < nl; i++)
		free(lines[i]);
	free(lines);
	return rc;
}

int store_alias_blackhole(struct store *s, const struct v_user *alias, struct qa_error *e)
{
	struct domain_info info;
	struct dq_dir dq;

	if (prepare_alias(s, alias, &info, &dq, e) < 0)
		return -1;
	return dq_alias_set_blackhole(&dq, alias->local.s, e);
}

int store_alias_del(struct store *s, const struct v_user *alias, struct qa_error *e)
{
	struct domain_info info;
	struct dq_entry ent;
	struct dq_dir dq;
	enum dq_kind kind;

	if (resolve(s, &alias->domain, &info, &dq, e) < 0
	    || dq_alias_get(&dq, alias->local.s, &ent, e) < 0)
		return -1;
	kind = ent.kind;
	dq_entry_free(&ent);
	/* Their directories would be left behind: they go as what they are. */
	if (kind == DQ_LIST || kind == DQ_AUTORESPONDER)
		return qa_fail(e, QA_ERR_INVALID, "user", "%s@%s is a %s, not an alias", alias->local.s,
		               alias->domain.s, kind == DQ_LIST ? "mailing list" : "autoresponder");
	return dq_alias_delete(&dq, alias->local.s, e);
}

/* ------------------------------------------------------------ forwards */

/* The mailbox's home (from its vpasswd entry) as a dq_dir owned by the
 * domain: 0, or 1 when vpopmail has not made it yet (vchkpw and
 * vdelivermail create it on first use), or -1. */
static int user_home(struct store *s, const struct v_user *u, struct user_info *ui,
                     struct dq_dir *dq, struct qa_error *e)
{
	struct domain_info info;
	size_t n;

	if (store_user_get(s, u, ui, e) < 0 || resolve(s, &u->domain, &info, dq, e) < 0)
		return -1;
	if (!ui->dir[0])
		return 1;
	n = strlen(info.dir);
	if (strncmp(ui->dir, info.dir, n) != 0 || ui->dir[n] != '/')
		return qa_fail(e, QA_ERR_CORRUPT, "user", "home of %s@%s is outside %s", u->local.s,
		               u->domain.s, info.dir);
	dq->path = ui->dir;
	return 0;
}

int store_forward_get(struct store *s, const struct v_user *u, struct dq_user *out,
                      struct qa_error *e)
{
	struct user_info ui;
	struct dq_dir dq;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = user_home(s, u, &ui, &dq, e)) != 0)
		return rc < 0 ? -1 : 0;   /* no home yet: normal delivery */
	return dq_user_read(ui.dir, out, e);
}

int store_forward_set(struct store *s, const struct v_user *u, const struct dq_user *in,
                      struct qa_error *e)
{
	struct user_info ui;
	struct dq_dir dq;
	int rc;

	if ((rc = user_home(s, u, &ui, &dq, e)) != 0)
		return rc < 0 ? -1 : qa_fail(e, QA_ERR_NOT_FOUND, "user", "%s@%s has no home "
		                             "directory yet", u->local.s, u->domain.s);
	return dq_user_write(&dq, in, e);
}

/* ------------------------------------------------------------ catch-all */

int store_catchall_get(struct store *s, const struct v_domain *d, struct dq_catchall *out,
                       struct qa_error *e)
{
	struct domain_info info;
	struct dq_dir dq;

	memset(out, 0, sizeof(*out));
	if (resolve(s, d, &info, &dq, e) < 0)
		return -1;
	return dq_catchall_read(info.dir, info.real, out, e);
}

int store_catchall_set(struct store *s, const struct v_domain *d, const struct dq_catchall *in,
                       struct qa_error *e)
{
	struct domain_info info;
	struct dq_dir dq;
	struct v_local l;
	int found;

	if (resolve(s, d, &info, &dq, e) < 0)
		return -1;
	if (in->kind == DQ_CA_LOCAL) {
		if (v_local(in->target, &l, "target", e) < 0
		    || mailbox_exists(info.dir, l.s, &found, e) < 0)
			return -1;
		if (!found)
			return qa_fail(e, QA_ERR_NOT_FOUND, "target", "no mailbox %s@%s", l.s, info.real);
	}
	return dq_catchall_write(&dq, s->vpopmail_dir, info.real, in, e);
}

/* ------------------------------------------------------------ limits */

int store_limits_get(struct store *s, const struct v_domain *d, struct vlimits *out,
                     int *is_default, struct qa_error *e)
{
	struct domain_info info;
	enum vlimits_source src;
	struct dq_dir dq;

	if (resolve(s, d, &info, &dq, e) < 0
	    || vlimits_load(info.dir, s->limits_default, out, &src, e) < 0)
		return -1;
	if (is_default)
		*is_default = src != VLIMITS_DOMAIN;
	return 0;
}

int store_limits_set(struct store *s, const struct v_domain *d, const struct vlimits *in,
                     struct qa_error *e)
{
	struct domain_info info;
	struct dq_dir dq;

	if (resolve(s, d, &info, &dq, e) < 0)
		return -1;
	return vlimits_save(info.dir, in, e);
}

int store_limits_reset(struct store *s, const struct v_domain *d, struct qa_error *e)
{
	struct domain_info info;
	struct dq_dir dq;

	if (resolve(s, d, &info, &dq, e) < 0)
		return -1;
	return vlimits_remove(info.dir, e);
}
