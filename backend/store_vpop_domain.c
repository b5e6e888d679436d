/* store_vpop_domain: the domains and alias domains of the vpopmail (cdb
 * backend) store, changed the way vadddomain, vdeldomain and
 * vaddaliasdomain change them, so that the real tools keep reading (and
 * writing) the same files after us.
 *
 * Crash safety: every change has one commit point, the users/assign
 * rewrite. Before it we only create what nobody can see yet; after it we
 * only clean up. Each step is idempotent and every operation recognises
 * what a crashed one left (debris), so running it again, or its inverse,
 * repairs the store: a crash at any point loses nothing that was committed.
 *
 * Must never: remove a tree outside ~vpopmail/domains, remove a directory
 * it cannot show to be a domain's leftover, take a path from a store file
 * without checking that it lies inside the domains directory, print, or
 * exit. */
#include "config.h"

#include "store_vpop.h"

#include "assign.h"
#include "control.h"
#include "dircontrol.h"
#include "quota.h"
#include "vpasswd.h"

#include <cdb.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ============================================================ domains */

/* The users/assign line for domain even when users/cdb lacks it (a crash
 * between the two writes): 1 found, 0 not, -1 error. */
static int assign_find(const struct store *s, const char *domain, struct assign_entry *out,
                       struct qa_error *e)
{
	struct assign_entry *v;
	size_t n, i;
	int found = 0;

	if (assign_list(s->qmail_dir, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n && !found; i++)
		if (!strcmp(v[i].domain, domain)) {
			*out = v[i];
			found = 1;
		}
	assign_list_free(v);
	return found;
}

static void info_from_entry(const struct assign_entry *ent, struct domain_info *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", ent->domain);
	snprintf(out->real, sizeof(out->real), "%s", ent->real);
	snprintf(out->dir, sizeof(out->dir), "%s", ent->dir);
	out->uid = (uid_t)ent->uid;
	out->gid = (gid_t)ent->gid;
	out->is_alias = assign_is_alias(ent);
}

/* A domain's aliases and forwards: what the alias list shows. */
static size_t count_forwards(const char *domdir)
{
	struct dq_entry *list;
	size_t n;

	if (dq_list(domdir, &list, &n, NULL) < 0)
		return 0;
	dq_list_free(list, n);
	return n;
}

int store_domain_get(struct store *s, const struct v_domain *d, struct domain_info *out,
                     struct qa_error *e)
{
	struct assign_entry *v;
	size_t n, i;

	if (vpop_domain(s, d, out, e) < 0)
		return -1;
	out->users = (unsigned long)vpasswd_entries(out->dir);
	out->nforwards = count_forwards(out->dir);
	if (out->is_alias)
		return 0;
	if (assign_list(s->qmail_dir, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (assign_is_alias(&v[i]) && !strcmp(v[i].real, out->name))
			out->naliases++;
	assign_list_free(v);
	return 0;
}

static int by_domain(const void *a, const void *b)
{
	return strcmp(((const struct assign_entry *)a)->domain,
	              ((const struct assign_entry *)b)->domain);
}

/* The alias domains ordered by their real domain, then by name, so that a
 * real domain's aliases are one run found by binary search. */
struct alias_index {
	const struct assign_entry **v;
	size_t n;
};

static int by_real(const void *a, const void *b)
{
	const struct assign_entry *x = *(const struct assign_entry *const *)a;
	const struct assign_entry *y = *(const struct assign_entry *const *)b;
	int c = strcmp(x->real, y->real);

	return c ? c : strcmp(x->domain, y->domain);
}

/* How many alias domains name has; the first is ai->v[*first]. */
static size_t aliases_of(const struct alias_index *ai, const char *name, size_t *first)
{
	size_t lo = 0, hi = ai->n, k = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ai->v[mid]->real, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + k < ai->n && !strcmp(ai->v[lo + k]->real, name))
		k++;
	*first = lo;
	return k;
}

static int domain_matches(const char *name, const char *search)
{
	char low[V_DOMAIN_MAX + 1];
	size_t i;

	if (!search || !*search)
		return 1;
	for (i = 0; search[i] && i < V_DOMAIN_MAX; i++)
		low[i] = (char)(search[i] >= 'A' && search[i] <= 'Z' ? search[i] + 32 : search[i]);
	low[i] = '\0';
	return strstr(name, low) != NULL;
}

/* Whether entry ent is listed: by name, by kind and by the search text (for
 * a real domain in reals_only lists, also through one of its aliases). */
static int listed(const struct assign_entry *ent, const struct list_query *q,
                  const struct alias_index *ai, size_t first, size_t k)
{
	size_t j;

	if ((q->name && strcmp(ent->domain, q->name)) || (q->reals_only && assign_is_alias(ent)))
		return 0;
	if (domain_matches(ent->domain, q->search))
		return 1;
	for (j = 0; q->reals_only && j < k; j++)
		if (domain_matches(ai->v[first + j]->domain, q->search))
			return 1;
	return 0;
}

/* "a.example,b.example" in b; NULL when it cannot be built. */
static const char *join_aliases(struct buf *b, const struct alias_index *ai, size_t first,
                                size_t k)
{
	size_t j;

	buf_reset(b);
	for (j = 0; j < k; j++) {
		if (j)
			buf_addc(b, ',');
		buf_adds(b, ai->v[first + j]->domain);
	}
	return buf_failed(b) ? NULL : buf_cstr(b);
}

/* The page: only its domains get their vpasswd and .qmail files counted. */
static int list_page(const struct assign_entry *v, size_t n, const struct alias_index *ai,
                     const struct list_query *q, domain_cb cb, void *ctx, size_t *total)
{
	size_t i, seen = 0, sent = 0, limit = q->limit ? q->limit : n, first = 0, k;
	struct buf names = BUF_INIT;
	struct domain_info info;
	int rc = 0;

	for (i = 0; i < n; i++) {
		k = assign_is_alias(&v[i]) ? 0 : aliases_of(ai, v[i].domain, &first);
		if (!listed(&v[i], q, ai, first, k))
			continue;
		if (seen++ < q->offset || sent >= limit || rc)
			continue;
		info_from_entry(&v[i], &info);
		info.users = (unsigned long)vpasswd_entries(info.dir);
		info.nforwards = count_forwards(info.dir);
		info.naliases = k;
		if (!info.is_alias && !(info.alias_names = join_aliases(&names, ai, first, k)))
			rc = -1;
		else
			rc = cb(ctx, &info);
		sent++;
	}
	buf_free(&names);
	if (total)
		*total = seen;
	return rc ? -1 : 0;
}

int store_domain_list(struct store *s, const struct list_query *q, domain_cb cb, void *ctx,
                      size_t *total, struct qa_error *e)
{
	struct assign_entry *v;
	struct alias_index ai = { NULL, 0 };
	size_t n, i;
	int rc;

	if (assign_list(s->qmail_dir, &v, &n, e) < 0)
		return -1;
	ai.v = calloc(n ? n : 1, sizeof(*ai.v));
	if (!ai.v) {
		assign_list_free(v);
		return qa_fail(e, QA_ERR_NOMEM, "", "out of memory");
	}
	if (n)
		qsort(v, n, sizeof(*v), by_domain);
	for (i = 0; i < n; i++)
		if (assign_is_alias(&v[i]))
			ai.v[ai.n++] = &v[i];
	if (ai.n)
		qsort(ai.v, ai.n, sizeof(*ai.v), by_real);
	rc = list_page(v, n, &ai, q, cb, ctx, total);
	free(ai.v);
	assign_list_free(v);
	if (rc < 0 && e && e->code == QA_OK)
		qa_fail(e, QA_ERR_NOMEM, "", "out of memory");
	return rc;
}

/* ============================================================ domains: changes */

static int domains_dir_ready(const struct store *s, struct qa_error *e)
{
	if (mkdir(s->domains_dir, 0700) == 0)
		return vpop_own_tree(s->domains_dir, s->uid, s->gid, e);
	return errno == EEXIST ? 0 : qa_fail_errno(e, "dir", "mkdir %s", s->domains_dir);
}

/* 1 when some users/assign line (other than skip's) uses dir. */
static int dir_in_use(const struct store *s, const char *dir, const char *skip,
                      struct qa_error *e)
{
	struct assign_entry *v;
	size_t n, i;
	int used = 0;

	if (assign_list(s->qmail_dir, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++)
		used |= !strcmp(v[i].dir, dir) && strcmp(v[i].domain, skip);
	assign_list_free(v);
	return used;
}

/* vadddomain's place for a new domain: domains/[hash/]DOMAIN. A directory
 * already there belongs to no domain (we hold the domains lock and the
 * domain is not in users/assign): a crashed add's or delete's debris. */
static int new_domdir(const struct store *s, const char *name, char *dir, size_t n,
                      struct qa_error *e)
{
	char hash[DIRCTL_HASH_MAX + 1];
	struct stat st;
	int r;

	if (dirctl_take(s->domains_dir, 0, hash, sizeof(hash), e) < 0
	    || vpop_own_files(s->domains_dir, s->uid, s->gid, e) < 0
	    || vpop_make_hash_dir(s->domains_dir, hash, s->uid, s->gid, e) < 0)
		return -1;
	r = snprintf(dir, n, "%s/%s%s%s", s->domains_dir, hash, *hash ? "/" : "", name);
	if (r < 0 || (size_t)r >= n || !ctl_path_ok(dir, STORE_PATH_MAX - 256))
		return qa_fail(e, QA_ERR_INVALID, "domain", "unusable domain directory %s", dir);
	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : qa_fail_errno(e, "domain", "stat %s", dir);
	if ((r = dir_in_use(s, dir, name, e)) != 0)
		return r < 0 ? -1 : qa_fail(e, QA_ERR_EXISTS, "domain", "%s belongs to another domain", dir);
	return vpop_rm_tree(s, dir, e);
}

/* DOMDIR, .qmail-default and the postmaster; each only if missing, so that
 * finishing a crashed add never overwrites what is there. */
static int make_domain(const struct store *s, const struct domain_info *info,
                       const char *hash, struct qa_error *e)
{
	struct dq_catchall ca = { DQ_CA_DELETE, "" };
	struct qa_error mine = { 0 };
	char p[STORE_PATH_MAX];
	struct vpw_entry pw;
	struct vlimits l;
	struct dq_dir dq;
	struct stat st;

	vpop_dq_dir(info, &dq);
	if (vpop_mkdir_ok(info->dir, e) < 0 || vpop_path2(p, sizeof(p), info->dir, ".qmail-default", e) < 0)
		return -1;
	if (lstat(p, &st) < 0 && dq_catchall_write(&dq, s->vpopmail_dir, info->name, &ca, e) < 0)
		return -1;
	if (vpop_load_entry(info->dir, "postmaster", &pw, &mine) < 0) {
		if (mine.code != QA_ERR_NOT_FOUND)
			return vpop_pass(e, &mine);
		/* vadddomain runs vadduser postmaster DOMAIN PASSWORD "Postmaster". */
		if (vlimits_load(info->dir, s->limits_default, &l, NULL, e) < 0
		    || vpop_entry_new(&pw, "postmaster", hash, "Postmaster", NULL, &l, e) < 0
		    || vpop_add_mailbox(s, info, &pw, -1, e) < 0)
			return -1;
	}
	return vpop_own_tree(info->dir, s->uid, s->gid, e);
}

static int add_locked(struct store *s, const struct v_domain *d, const char *hash,
                      struct qa_error *e)
{
	struct assign_entry ent;
	struct domain_info info;
	struct qa_error mine = { 0 };
	int found;

	if (vpop_domain(s, d, &info, &mine) == 0)
		return qa_fail(e, QA_ERR_EXISTS, "domain", "%s exists", d->s);
	if (mine.code != QA_ERR_NOT_FOUND)
		return vpop_pass(e, &mine);
	if ((found = assign_find(s, d->s, &ent, e)) < 0)
		return -1;
	if (found && assign_is_alias(&ent))
		return qa_fail(e, QA_ERR_EXISTS, "domain", "%s is an alias of %s", d->s, ent.real);
	if (!found) {
		/* A new domain; with found, a crashed add that reached users/assign. */
		memset(&ent, 0, sizeof(ent));
		snprintf(ent.domain, sizeof(ent.domain), "%s", d->s);
		snprintf(ent.real, sizeof(ent.real), "%s", d->s);
		ent.uid = s->uid;
		ent.gid = s->gid;
		if (new_domdir(s, d->s, ent.dir, sizeof(ent.dir), e) < 0)
			return -1;
	}
	info_from_entry(&ent, &info);
	if (make_domain(s, &info, hash, e) < 0 || ctl_add_domain(s->qmail_dir, d->s, NULL, e) < 0
	    || assign_add(s->qmail_dir, &ent, NULL, e) < 0)   /* the commit point */
		return -1;
	return vpop_reload_qmail(s, e);
}

int store_domain_add(struct store *s, const struct v_domain *d, const char *postmaster_hash,
                     struct qa_error *e)
{
	int lk, rc;

	if (domains_dir_ready(s, e) < 0 || (lk = vpop_dir_lock(s->domains_dir, e)) < 0)
		return -1;
	rc = add_locked(s, d, postmaster_hash, e);
	vpop_dir_unlock(lk);
	return rc;
}

/* Takes name out of the qmail control files; "was not there" is fine. */
static int unlist(const struct store *s, const char *name, struct qa_error *e)
{
	struct qa_error mine = { 0 };

	if (ctl_remove_domain(s->qmail_dir, name, &mine) < 0 && mine.code != QA_ERR_NOT_FOUND)
		return vpop_pass(e, &mine);
	return 0;
}

static int unassign(const struct store *s, const char *name, struct qa_error *e)
{
	struct qa_error mine = { 0 };

	if (assign_remove(s->qmail_dir, name, &mine) < 0 && mine.code != QA_ERR_NOT_FOUND)
		return vpop_pass(e, &mine);
	return 0;
}

/* An alias domain: its control lines first, then its assign line, so that
 * an interrupted removal is still an alias a retry finds and finishes. */
static int alias_remove(const struct store *s, const char *alias, struct qa_error *e)
{
	return unlist(s, alias, e) < 0 || unassign(s, alias, e) < 0 ? -1 : 0;
}

/* Every alias domain of real. */
static int aliases_remove(const struct store *s, const char *real, struct qa_error *e)
{
	struct assign_entry *v;
	size_t n, i;
	int rc = 0;

	if (assign_list(s->qmail_dir, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		if (assign_is_alias(&v[i]) && !strcmp(v[i].real, real))
			rc = alias_remove(s, v[i].domain, e);
	assign_list_free(v);
	return rc;
}

/* After the commit: the tree (once user changes in it are over) and its
 * place in domains/.dir-control. */
static int domdir_remove(const struct store *s, const char *name, const char *dir,
                         struct qa_error *e)
{
	char hash[DIRCTL_HASH_MAX + 1];
	struct stat st;
	int lk;

	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : qa_fail_errno(e, "domain", "stat %s", dir);
	lk = S_ISDIR(st.st_mode) ? vpop_dir_lock(dir, NULL) : -1;
	if (vpop_rm_tree(s, dir, e) < 0) {
		vpop_dir_unlock(lk);
		return -1;
	}
	vpop_dir_unlock(lk);
	if (dirctl_hash_of(s->domains_dir, dir, name, hash, sizeof(hash), NULL) < 0)
		return 0;      /* not where vadddomain puts domains: no place to free */
	if (dirctl_give_back(s->domains_dir, 0, hash, e) < 0)
		return -1;
	return vpop_own_files(s->domains_dir, s->uid, s->gid, e);
}

static int real_remove(const struct store *s, const struct domain_info *info,
                       struct qa_error *e)
{
	int used;

	if (aliases_remove(s, info->name, e) < 0 || unassign(s, info->name, e) < 0  /* commit */
	    || unlist(s, info->name, e) < 0)
		return -1;
	if ((used = dir_in_use(s, info->dir, info->name, e)) != 0)
		return used < 0 ? -1 : 0;     /* another domain's directory: keep it */
	return domdir_remove(s, info->name, info->dir, e);
}

/* Directories at vadddomain's places for name that no domain uses:
 * domains/NAME and domains/X/NAME (the first 6,200 domains). */
static int debris_dirs(const struct store *s, const char *name, int *found, struct qa_error *e)
{
	static const char hashes[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	char dir[STORE_PATH_MAX];
	struct stat st;
	size_t i;
	int used;

	for (i = 0; i <= sizeof(hashes) - 1; i++) {
		int n = i == sizeof(hashes) - 1
		        ? snprintf(dir, sizeof(dir), "%s/%s", s->domains_dir, name)
		        : snprintf(dir, sizeof(dir), "%s/%c/%s", s->domains_dir, hashes[i], name);

		if (n < 0 || (size_t)n >= sizeof(dir) || lstat(dir, &st) < 0)
			continue;
		if ((used = dir_in_use(s, dir, name, e)) < 0)
			return -1;
		if (used)
			continue;
		if (domdir_remove(s, name, dir, e) < 0)
			return -1;
		*found = 1;
	}
	return 0;
}

/* What a crashed add or delete of a domain that users/assign does not
 * know may have left: control lines and (not for an alias) a directory.
 * 0 cleaned, 1 nothing found. */
static int debris_remove(const struct store *s, const char *name, int alias_only,
                         struct qa_error *e)
{
	unsigned where = 0;
	int found = 0;

	if (ctl_domain_where(s->qmail_dir, name, &where, e) < 0)
		return -1;
	if (where & (CTL_IN_RCPTHOSTS | CTL_IN_MORERCPTHOSTS | CTL_IN_VIRTUALDOMAINS)) {
		if (unlist(s, name, e) < 0)
			return -1;
		found = 1;
	}
	if (!alias_only && debris_dirs(s, name, &found, e) < 0)
		return -1;
	return found ? 0 : 1;
}

static int del_domain_locked(struct store *s, const struct v_domain *d, int alias_only,
                             struct qa_error *e)
{
	struct assign_entry ent;
	struct domain_info info;
	struct qa_error mine = { 0 };
	int found, rc;

	if (vpop_domain(s, d, &info, &mine) < 0) {
		if (mine.code != QA_ERR_NOT_FOUND)
			return vpop_pass(e, &mine);
		if ((found = assign_find(s, d->s, &ent, e)) < 0)
			return -1;
		if (found)
			info_from_entry(&ent, &info);
		else if ((rc = debris_remove(s, d->s, alias_only, e)) != 0)
			return rc < 0 ? -1 : qa_fail(e, QA_ERR_NOT_FOUND, alias_only ? "alias" : "domain",
			                             "no domain %s", d->s);
		else
			return vpop_reload_qmail(s, e);
	}
	if (alias_only && !info.is_alias)
		return qa_fail(e, QA_ERR_INVALID, "alias", "%s is a real domain, not an alias", d->s);
	if ((info.is_alias ? alias_remove(s, info.name, e) : real_remove(s, &info, e)) < 0)
		return -1;
	return vpop_reload_qmail(s, e);
}

static int del_domain(struct store *s, const struct v_domain *d, int alias_only,
                      struct qa_error *e)
{
	int lk, rc;

	if (domains_dir_ready(s, e) < 0 || (lk = vpop_dir_lock(s->domains_dir, e)) < 0)
		return -1;
	rc = del_domain_locked(s, d, alias_only, e);
	vpop_dir_unlock(lk);
	return rc;
}

int store_domain_del(struct store *s, const struct v_domain *d, struct qa_error *e)
{
	return del_domain(s, d, 0, e);
}

int store_alias_domain_del(struct store *s, const struct v_domain *alias, struct qa_error *e)
{
	return del_domain(s, alias, 1, e);
}

static int alias_add_locked(struct store *s, const struct v_domain *alias,
                            const struct v_domain *real, struct qa_error *e)
{
	struct assign_entry ent;
	struct domain_info info;
	struct qa_error mine = { 0 };

	if (vpop_domain(s, alias, &info, &mine) == 0)
		return qa_fail(e, QA_ERR_EXISTS, "alias", "%s exists", alias->s);
	if (mine.code != QA_ERR_NOT_FOUND)
		return vpop_pass(e, &mine);
	if (vpop_domain(s, real, &info, e) < 0)
		return -1;
	/* vaddaliasdomain of an alias points the new one at the real domain. */
	if (!strcmp(info.real, alias->s))
		return qa_fail(e, QA_ERR_INVALID, "alias", "%s cannot be an alias of itself", alias->s);
	memset(&ent, 0, sizeof(ent));
	snprintf(ent.domain, sizeof(ent.domain), "%s", alias->s);
	snprintf(ent.real, sizeof(ent.real), "%s", info.real);
	if (snprintf(ent.dir, sizeof(ent.dir), "%s", info.dir) >= (int)sizeof(ent.dir))
		return qa_fail(e, QA_ERR_INVALID, "domain", "directory of %s too long", real->s);
	ent.uid = info.uid;
	ent.gid = info.gid;
	if (ctl_add_domain(s->qmail_dir, alias->s, NULL, e) < 0
	    || assign_add(s->qmail_dir, &ent, NULL, e) < 0)    /* the commit point */
		return -1;
	return vpop_reload_qmail(s, e);
}

int store_alias_domain_add(struct store *s, const struct v_domain *alias,
                           const struct v_domain *real, struct qa_error *e)
{
	int lk, rc;

	if (domains_dir_ready(s, e) < 0 || (lk = vpop_dir_lock(s->domains_dir, e)) < 0)
		return -1;
	rc = alias_add_locked(s, alias, real, e);
	vpop_dir_unlock(lk);
	return rc;
}
