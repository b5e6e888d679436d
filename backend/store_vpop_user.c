/* store_vpop_user: the mailboxes of the vpopmail (cdb backend) store,
 * changed the way vadduser, vdeluser, vpasswd and vmoduser change them, so
 * that the real tools keep reading (and writing) the same files after us.
 *
 * Crash safety: every change has one commit point, the vpasswd rewrite.
 * Before it we only create what nobody can see yet; after it we only clean
 * up. Each step is idempotent and every operation recognises what a
 * crashed one left (debris), so running it again, or its inverse, repairs
 * the store: a crash at any point loses nothing that was committed.
 *
 * Must never: remove a directory it cannot show to be a mailbox's
 * leftover, take a path from a store file without checking that it lies
 * inside its domain, print, or exit. */
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

#define HOMES_THREADS_MAX 8

/* ============================================================ users: values */

/* A quota typed by an admin: vpopmail's forms (format_maildirquota), but
 * garbage is refused rather than silently turned into "no quota". */
static int quota_input(const char *in, char out[QUOTA_STR_MAX + 1], struct qa_error *e)
{
	size_t n = strspn(in, "0123456789,KkMmBbSsC");

	if (!strcmp(in, "NOQUOTA")) {
		strcpy(out, "NOQUOTA");
		return 0;
	}
	if (!*in || in[n] || quota_normalize(in, out, e) < 0)
		return qa_fail(e, QA_ERR_INVALID, "quota", "not a quota (e.g. 50M, 10485760S,1000C, NOQUOTA)");
	if (!out[0]) {
		/* Only an explicit 0 means "none"; "M" or "," mean nothing. */
		if (!strpbrk(in, "0") || strpbrk(in, "123456789"))
			return qa_fail(e, QA_ERR_INVALID, "quota", "not a quota");
		strcpy(out, "NOQUOTA");
	}
	return 0;
}

/* vadduser's quota for a new mailbox: the domain's default_quota and
 * default_maxmsgcount, else NOQUOTA. */
static int quota_default(const struct vlimits *l, char out[QUOTA_STR_MAX + 1], struct qa_error *e)
{
	int n;

	if (l->defaultquota > 0 && l->defaultmaxmsgcount > 0)
		n = snprintf(out, QUOTA_STR_MAX + 1, "%" PRId64 "S,%" PRId64 "C", l->defaultquota,
		             l->defaultmaxmsgcount);
	else if (l->defaultquota > 0)
		n = snprintf(out, QUOTA_STR_MAX + 1, "%" PRId64 "S", l->defaultquota);
	else if (l->defaultmaxmsgcount > 0)
		n = snprintf(out, QUOTA_STR_MAX + 1, "%" PRId64 "C", l->defaultmaxmsgcount);
	else
		n = snprintf(out, QUOTA_STR_MAX + 1, "NOQUOTA");
	if (n < 0 || n > QUOTA_STR_MAX)
		return qa_fail(e, QA_ERR_INVALID, "quota", "the domain's default quota does not fit");
	return 0;
}

static int set_hash(struct vpw_entry *pw, const char *hash, struct qa_error *e)
{
	if (!hash || strlen(hash) > VPW_PASSWD_MAX || strpbrk(hash, ":\n"))
		return qa_fail(e, QA_ERR_INVALID, "password", "not a usable password hash");
	strcpy(pw->passwd, hash);
	return 0;
}

/* The vpasswd entry of a new mailbox, its dir still unset. */
int vpop_entry_new(struct vpw_entry *pw, const char *name, const char *hash,
              const char *gecos, const char *quota, const struct vlimits *l,
              struct qa_error *e)
{
	memset(pw, 0, sizeof(*pw));
	snprintf(pw->name, sizeof(pw->name), "%s", name);
	pw->uid = 1;
	if (set_hash(pw, hash, e) < 0)
		return -1;
	/* vadduser: the full name defaults to the user name. */
	snprintf(pw->gecos, sizeof(pw->gecos), "%s", gecos && *gecos ? gecos : name);
	if (quota && *quota)
		return quota_input(quota, pw->quota, e);
	return quota_default(l, pw->quota, e);
}

static void fill_user(struct user_info *out, const struct vpw_entry *pw, const char *domain,
                      const struct vlimits *l)
{
	struct quota_limit ql;

	memset(out, 0, sizeof(*out));
	snprintf(out->local, sizeof(out->local), "%s", pw->name);
	snprintf(out->domain, sizeof(out->domain), "%s", domain);
	snprintf(out->passwd, sizeof(out->passwd), "%s", pw->passwd);
	snprintf(out->gecos, sizeof(out->gecos), "%s", pw->gecos);
	snprintf(out->dir, sizeof(out->dir), "%s", pw->dir);
	snprintf(out->quota, sizeof(out->quota), "%s", pw->quota);
	out->flags = pw->flags;
	out->eff_flags = vlimits_effective_flags(pw->flags, l);
	/* qmailadmin's auth.c: postmaster, or the admin flag either way. */
	out->is_admin = !strcmp(pw->name, "postmaster") || ((out->eff_flags | out->flags) & QA_ADMIN);
	if (quota_parse(pw->quota, &ql, NULL) == 0) {
		out->quota_bytes = ql.bytes;
		out->quota_count = ql.count;
	}
}

/* A home taken from vpasswd is used only if it lies inside its domain. */
static int home_in(const char *domdir, const char *home)
{
	size_t n = strlen(domdir);

	return !strncmp(home, domdir, n) && home[n] == '/' && ctl_path_ok(home, STORE_PATH_MAX - 64);
}

/* 1 and home/Maildir in md when home lies inside its domain and has one. */
static int maildir_of(const char *domdir, const char *home, char *md, size_t n)
{
	struct stat st;

	return home_in(domdir, home) && vpop_path2(md, n, home, "Maildir", NULL) == 0
	       && stat(md, &st) == 0 && S_ISDIR(st.st_mode);
}

/* No stat of the Maildir first: a missing one reads as no maildirsize and
 * counts as empty, and a list page does this for 50 users. */
static void fill_usage(const char *domdir, struct user_info *u)
{
	char md[STORE_PATH_MAX];
	uint64_t bytes, count;

	if (!home_in(domdir, u->dir) || vpop_path2(md, sizeof(md), u->dir, "Maildir", NULL) < 0)
		return;
	if (quota_usage(md, &bytes, &count, NULL) == 0) {
		u->used_bytes = bytes;
		u->used_count = count;
	}
}

/* The real domain of d (aliases resolved) with a directory we may use. */
static int real_domain(struct store *s, const struct v_domain *d, struct domain_info *info,
                       struct qa_error *e)
{
	if (vpop_domain(s, d, info, e) < 0)
		return -1;
	if (!ctl_path_ok(info->dir, STORE_PATH_MAX - 256))
		return qa_fail(e, QA_ERR_CORRUPT, "assign", "unsafe directory for %s in users/assign",
		               d->s);
	return 0;
}

/* ============================================================ users: reading */

/* The cdb value stored for name: 1 found, 0 absent, -1 no usable cdb. */
static int cdb_value(const char *domdir, const char *name, char *val, size_t cap, size_t *vlen)
{
	char path[STORE_PATH_MAX];
	struct cdb c;
	int fd, rc;

	if (vpop_path2(path, sizeof(path), domdir, "vpasswd.cdb", NULL) < 0
	    || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (cdb_init(&c, fd) < 0) {
		close(fd);
		return -1;
	}
	rc = cdb_find(&c, name, (unsigned)strlen(name));
	if (rc > 0 && (cdb_datalen(&c) >= cap || !cdb_getdata(&c)))
		rc = -1;
	if (rc > 0) {
		*vlen = cdb_datalen(&c);
		memcpy(val, cdb_getdata(&c), *vlen);
	}
	cdb_free(&c);
	close(fd);
	return rc < 0 ? -1 : rc;
}

/* vauth_getpw(): the user's line through vpasswd.cdb. Like vpopmail, an
 * unusable (missing) cdb is first rebuilt from vpasswd under its lock. */
static int cdb_lookup(const char *domdir, const char *name, struct vpw_entry *pw,
                      struct qa_error *e)
{
	char line[VPW_LINE_MAX + 1];
	size_t klen = strlen(name), vlen = 0;
	int rc = cdb_value(domdir, name, line + klen + 1, sizeof(line) - klen - 1, &vlen);

	if (rc < 0) {
		if (vpasswd_rebuild_cdb(domdir, e) < 0)
			return -1;
		rc = cdb_value(domdir, name, line + klen + 1, sizeof(line) - klen - 1, &vlen);
	}
	if (rc < 0)
		return qa_fail(e, QA_ERR_CORRUPT, "vpasswd.cdb", "no usable vpasswd.cdb in %s", domdir);
	if (rc == 0)
		return qa_fail(e, QA_ERR_NOT_FOUND, "user", "no mailbox %s", name);
	memcpy(line, name, klen);
	line[klen] = ':';
	return vpasswd_parse_line(line, klen + 1 + vlen, pw, e);
}

/* vpasswd.c renames vpasswd first, then vpasswd.cdb: a crash between the
 * two leaves the cdb one change behind, which vpopmail would go on serving
 * (it rebuilds only a missing cdb). A retry of that change finds the name's
 * record disagreeing with its line and rebuilds the cdb first. */
static int cdb_sync(const char *domdir, const struct vpw_file *f, const char *name,
                    struct qa_error *e)
{
	char val[VPW_LINE_MAX + 1];
	size_t klen = strlen(name), vlen = 0, len = 0;
	const char *line = NULL;
	long i = vpasswd_find(f, name);
	int rc = cdb_value(domdir, name, val, sizeof(val), &vlen);

	if (i >= 0)
		vpasswd_line(f, (size_t)i, &line, &len);
	if ((i < 0 && rc == 0)
	    || (i >= 0 && rc == 1 && len == klen + 1 + vlen && !memcmp(line + klen + 1, val, vlen)))
		return 0;
	if (i < 0 && rc < 0 && f->n == 0)
		return 0;      /* a domain being made: no vpasswd and no cdb yet */
	return vpasswd_rebuild_cdb(domdir, e);
}

static int user_get(struct store *s, const struct v_user *u, struct user_info *out,
                    int with_usage, struct qa_error *e)
{
	struct domain_info info;
	struct vpw_entry pw;
	struct vlimits l;

	if (real_domain(s, &u->domain, &info, e) < 0
	    || cdb_lookup(info.dir, u->local.s, &pw, e) < 0
	    || vlimits_load(info.dir, s->limits_default, &l, NULL, e) < 0)
		return -1;
	fill_user(out, &pw, info.real, &l);
	if (with_usage)
		fill_usage(info.dir, out);
	return 0;
}

int store_user_get(struct store *s, const struct v_user *u, struct user_info *out,
                   struct qa_error *e)
{
	return user_get(s, u, out, 1, e);
}

int store_user_get_account(struct store *s, const struct v_user *u, struct user_info *out,
                           struct qa_error *e)
{
	return user_get(s, u, out, 0, e);
}

/* One page of mailboxes: the lines vpasswd_page hands on, as users. */
struct lister {
	const struct domain_info *info;
	const struct vlimits *l;
	int with_usage, usage_if_quota;
	user_cb cb;
	void *ctx;
};

static int list_line(void *ctx, const char *line, size_t len)
{
	const struct lister *ls = ctx;
	struct user_info ui;
	struct vpw_entry pw;

	/* A line vpopmail could not read either is not a mailbox. */
	if (vpasswd_parse_line(line, len, &pw, NULL) < 0)
		return 0;
	fill_user(&ui, &pw, ls->info->real, ls->l);
	if (ls->with_usage && (!ls->usage_if_quota || ui.quota_bytes || ui.quota_count))
		fill_usage(ls->info->dir, &ui);
	return ls->cb(ls->ctx, &ui) ? -1 : 0;
}

int store_user_list(struct store *s, const struct v_domain *d, const struct list_query *q,
                    user_cb cb, void *ctx, size_t *total, struct qa_error *e)
{
	struct vpw_query vq = { q->search, q->by_gecos, q->descending, q->offset, q->limit, NULL };
	struct domain_info info;
	struct lister ls = { &info, NULL, q->with_usage, q->usage_if_quota, cb, ctx };
	struct vpw_map m;
	struct vlimits l;
	size_t n = 0;
	int rc;

	if (real_domain(s, d, &info, e) < 0
	    || vlimits_load(info.dir, s->limits_default, &l, NULL, e) < 0
	    || vpasswd_map(info.dir, &m, e) < 0)
		return -1;
	ls.l = &l;
	if (m.entries_known)
		vq.entries = &m.entries;
	rc = vpasswd_page(m.text, m.len, &vq, list_line, &ls, &n, e);
	vpasswd_unmap(&m);
	if (total)
		*total = n;
	return rc ? -1 : 0;
}

/* A .qmail-NAME (alias, forward, list) already takes mail for that name:
 * qmail-local would never reach a mailbox of the same name. */
static int alias_exists(const char *domdir, const char *name)
{
	char file[V_LOCAL_MAX + 8], p[STORE_PATH_MAX];
	struct stat st;

	return dq_file_name(name, file, sizeof(file), NULL) == 0
	       && vpop_path2(p, sizeof(p), domdir, file, NULL) == 0 && lstat(p, &st) == 0;
}

/* DOMDIR/NAME is where ezmlm lists and the first 99 homes live: a
 * directory there that is not a home's leftover (a list's, say) is in the
 * way. Checked before .dir-control moves, so a refusal changes nothing. */
static int check_unhashed(const char *domdir, const char *name, struct qa_error *e)
{
	char p[STORE_PATH_MAX];
	struct stat st;

	if (vpop_path2(p, sizeof(p), domdir, name, e) < 0)
		return -1;
	if (lstat(p, &st) < 0 || (S_ISDIR(st.st_mode) && vpop_is_home_debris(p)))
		return 0;
	return qa_fail(e, QA_ERR_EXISTS, "user", "%s exists and is not a mailbox", p);
}

/* Before anything is created: none of v[] exists (vpasswd is the truth,
 * not the cdb), none is an alias, and the domain may have n more. On a
 * refusal of one of them, *bad is its index. */
static int check_new(const char *domdir, const struct vpw_entry *v, size_t n, int max,
                     size_t *bad, struct qa_error *e)
{
	struct vpw_file f;
	size_t i;
	int rc;

	if (vpasswd_load(&f, domdir, e) < 0)
		return -1;
	rc = n ? cdb_sync(domdir, &f, v[0].name, e) : 0;
	if (rc == 0 && max >= 0 && f.n - f.nameless + n > (size_t)max)
		rc = qa_fail(e, QA_ERR_LIMIT, "user", "the domain may have at most %d mailboxes", max);
	for (i = 0; i < n && rc == 0; i++) {
		if (vpasswd_find(&f, v[i].name) >= 0)
			rc = qa_fail(e, QA_ERR_EXISTS, "user", "%s exists", v[i].name);
		else if (alias_exists(domdir, v[i].name))
			rc = qa_fail(e, QA_ERR_EXISTS, "user", "%s is an alias, forward or list",
			             v[i].name);
		else
			rc = check_unhashed(domdir, v[i].name, e);
		*bad = i;
	}
	vpasswd_free(&f);
	return rc;
}

/* ============================================================ users: changes */

/* One new mailbox in a domain whose changes we hold (vpop_dir_lock), or that
 * nobody can see yet (domain add). max: maxpopaccounts, -1 = no limit. */
int vpop_add_mailbox(const struct store *s, const struct domain_info *info,
                struct vpw_entry *pw, int max, struct qa_error *e)
{
	char hash[DIRCTL_HASH_MAX + 1];
	size_t bad;

	if (check_new(info->dir, pw, 1, max, &bad, e) < 0
	    || dirctl_take(info->dir, 1, hash, sizeof(hash), e) < 0
	    || vpop_make_hash_dir(info->dir, hash, info->uid, info->gid, e) < 0
	    || vpop_make_home(s, info->dir, hash, pw, info->uid, info->gid, e) < 0
	    || vpasswd_insert(info->dir, pw, e) < 0)            /* the commit point */
		return -1;
	return vpop_own_files(info->dir, info->uid, info->gid, e);
}

int store_user_add(struct store *s, const struct v_user *u, const char *passwd_hash,
                   const struct v_gecos *gecos, const char *quota, struct qa_error *e)
{
	struct domain_info info;
	struct vpw_entry pw;
	struct vlimits l;
	int lk, rc;

	if (real_domain(s, &u->domain, &info, e) < 0
	    || vlimits_load(info.dir, s->limits_default, &l, NULL, e) < 0
	    || vpop_entry_new(&pw, u->local.s, passwd_hash, gecos ? gecos->s : NULL, quota, &l, e) < 0)
		return -1;
	if ((lk = vpop_dir_lock(info.dir, e)) < 0)
		return -1;
	rc = vpop_add_mailbox(s, &info, &pw, l.maxpopaccounts, e);
	vpop_dir_unlock(lk);
	return rc;
}

/* vdeluser refuses to delete the catch-all's mailbox. */
static int check_catchall(const struct domain_info *info, const struct vpw_entry *pw,
                          struct qa_error *e)
{
	struct dq_catchall ca;
	size_t n = strlen(pw->dir);

	if (dq_catchall_read(info->dir, info->real, &ca, NULL) < 0)
		return 0;
	if ((ca.kind == DQ_CA_LOCAL && !strcasecmp(ca.target, pw->name))
	    || (ca.kind == DQ_CA_PATH && n && !strncmp(ca.target, pw->dir, n)
	        && (!ca.target[n] || !strcmp(ca.target + n, "/") || !strcmp(ca.target + n, "/Maildir/"))))
		return qa_fail(e, QA_ERR_BUSY_CATCHALL, "user", "%s@%s receives the catch-all mail",
		               pw->name, info->real);
	return 0;
}

/* vpasswd's own line for name (the text, not the cdb), after cdb_sync. */
int vpop_load_entry(const char *domdir, const char *name, struct vpw_entry *pw,
               struct qa_error *e)
{
	struct vpw_file f;
	int rc;

	if (vpasswd_load(&f, domdir, e) < 0)
		return -1;
	rc = cdb_sync(domdir, &f, name, e);
	if (rc == 0 && vpasswd_lookup(&f, name, pw, e) < 0) {
		rc = -1;
		if (e && e->code == QA_ERR_NOT_FOUND)
			qa_fail(e, QA_ERR_NOT_FOUND, "user", "no mailbox %s", name);
	}
	vpasswd_free(&f);
	return rc;
}

static int del_locked(const struct store *s, const struct domain_info *info, const char *name,
                      struct qa_error *e)
{
	char hash[DIRCTL_HASH_MAX + 1], home[STORE_PATH_MAX];
	struct vpw_entry pw;
	int shaped;

	if (vpop_load_entry(info->dir, name, &pw, e) < 0 || check_catchall(info, &pw, e) < 0)
		return -1;
	/* The home is removed only where vpopmail would have made it, and only
	 * under ~vpopmail/domains (a domain kept elsewhere keeps its homes). */
	shaped = dirctl_hash_of(info->dir, pw.dir, name, hash, sizeof(hash), NULL) == 0;
	if (vpasswd_delete(info->dir, name, e) < 0)          /* the commit point */
		return -1;
	if (shaped && snprintf(home, sizeof(home), "%s", pw.dir) < (int)sizeof(home)
	    && vpop_path_inside(s, home) && vpop_rm_tree(s, home, e) < 0)
		return -1;
	if (dirctl_give_back(info->dir, 1, shaped ? hash : "", e) < 0)
		return -1;
	return vpop_own_files(info->dir, info->uid, info->gid, e);
}

int store_user_del(struct store *s, const struct v_user *u, struct qa_error *e)
{
	struct domain_info info;
	int lk, rc;

	if (real_domain(s, &u->domain, &info, e) < 0 || (lk = vpop_dir_lock(info.dir, e)) < 0)
		return -1;
	rc = del_locked(s, &info, u->local.s, e);
	vpop_dir_unlock(lk);
	return rc;
}

/* The mailbox's home as the place its .qmail is written: QA_ERR_NOT_FOUND
 * until vpopmail has made it (it does on first use), QA_ERR_CORRUPT when
 * vpasswd puts it outside the domain. */
static int home_dq(const struct domain_info *info, const struct vpw_entry *pw, struct dq_dir *dq,
                   struct qa_error *e)
{
	struct stat st;

	if (pw->dir[0] && !home_in(info->dir, pw->dir))
		return qa_fail(e, QA_ERR_CORRUPT, "user", "home of %s@%s is outside %s", pw->name,
		               info->real, info->dir);
	if (!pw->dir[0] || stat(pw->dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return qa_fail(e, QA_ERR_NOT_FOUND, "user", "%s@%s has no home directory yet", pw->name,
		               info->real);
	vpop_dq_dir(info, dq);
	dq->path = pw->dir;
	return 0;
}

/* pw with c applied. The line it makes is checked here, so that a refusal
 * comes before anything is written. */
static int apply_change(struct vpw_entry *pw, const struct user_change *c, const char *quota,
                        struct qa_error *e)
{
	struct buf line = BUF_INIT;
	int rc;

	if (c->passwd_hash) {
		if (set_hash(pw, c->passwd_hash, e) < 0)
			return -1;
		pw->has_clear = 0;      /* a stored clear text would be the old one */
		pw->clear[0] = '\0';
	}
	if (c->gecos)
		snprintf(pw->gecos, sizeof(pw->gecos), "%s", c->gecos->s);
	if (quota)
		snprintf(pw->quota, sizeof(pw->quota), "%s", quota);
	if (c->set_flags)
		pw->flags = c->flags;
	rc = vpasswd_format_line(pw, &line, e);
	buf_free(&line);
	return rc;
}

/* The .qmail goes first and the vpasswd line (the commit point) last: after
 * the checks the rewrite is what may still fail (its lock, the disk), and a
 * random password it sets is shown only when the whole save is done. So a
 * failed .qmail write leaves everything as it was, and a failed rewrite
 * puts the .qmail back as it was read. */
static int set_locked(const struct domain_info *info, const char *name,
                      const struct user_change *c, const char *quota, struct qa_error *e)
{
	char md[STORE_PATH_MAX], p[STORE_PATH_MAX];
	int line = c->passwd_hash || c->gecos || quota || c->set_flags;
	struct vpw_entry pw;
	struct dq_user old;
	struct dq_dir dq;

	if (vpop_load_entry(info->dir, name, &pw, e) < 0 || apply_change(&pw, c, quota, e) < 0)
		return -1;
	if (c->forward && (home_dq(info, &pw, &dq, e) < 0 || dq_user_read(pw.dir, &old, e) < 0
	                   || dq_user_write(&dq, c->forward, e) < 0))
		return -1;
	if (line && vpasswd_replace(info->dir, &pw, e) < 0) {    /* the commit point */
		if (c->forward)
			dq_user_write(&dq, &old, NULL);
		return -1;
	}
	/* vsetuserquota: maildirsize follows the new quota (or goes). */
	if (quota && maildir_of(info->dir, pw.dir, md, sizeof(md))
	    && (quota_apply(md, pw.quota, e) < 0 || vpop_path2(p, sizeof(p), md, "maildirsize", e) < 0
	        || vpop_own_path(p, info->uid, info->gid, e) < 0))
		return -1;
	return vpop_own_files(info->dir, info->uid, info->gid, e);
}

int store_user_set(struct store *s, const struct v_user *u, const struct user_change *c,
                   struct qa_error *e)
{
	char quota[QUOTA_STR_MAX + 1];
	struct domain_info info;
	int lk, rc;

	if (real_domain(s, &u->domain, &info, e) < 0
	    || (c->quota && quota_input(c->quota, quota, e) < 0))
		return -1;
	if ((lk = vpop_dir_lock(info.dir, e)) < 0)
		return -1;
	rc = set_locked(&info, u->local.s, c, c->quota ? quota : NULL, e);
	vpop_dir_unlock(lk);
	return rc;
}

/* ============================================================ users: bulk */

/* Names the CSV line of a refused user in the error. */
static int line_fail(struct qa_error *e, unsigned line)
{
	char detail[sizeof(e->detail)];

	if (e && line && snprintf(detail, sizeof(detail), "line %u: %s", line, e->detail) > 0)
		memcpy(e->detail, detail, sizeof(detail));
	return -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct vpw_entry *)a)->name, ((const struct vpw_entry *)b)->name);
}

static int batch_entries(const struct new_user *users, size_t n, const struct vlimits *l,
                         struct vpw_entry *v, struct qa_error *e)
{
	struct vpw_entry *sorted;
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++)
		if (vpop_entry_new(&v[i], users[i].user.local.s, users[i].passwd_hash, users[i].gecos.s,
		              users[i].quota, l, e) < 0)
			return line_fail(e, users[i].line);
	if (!(sorted = malloc(n * sizeof(*sorted) + 1)))
		return qa_fail(e, QA_ERR_NOMEM, "", "out of memory");
	memcpy(sorted, v, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), by_name);
	for (i = 1; i < n && rc == 0; i++)
		if (!strcmp(sorted[i - 1].name, sorted[i].name))
			rc = qa_fail(e, QA_ERR_EXISTS, "user", "%s is given twice", sorted[i].name);
	free(sorted);
	return rc;
}

/* n places from .dir-control with one read and one write: the state
 * machine runs in memory, as n single takes would run it. The free list is
 * left to single adds. Our dir_lock serialises this with every other take
 * of ours; vpopmail's own adds do not lock .dir-control at all. */
static int batch_take(const char *domdir, size_t n, char (*hash)[DIRCTL_HASH_MAX + 1],
                      struct qa_error *e)
{
	char path[STORE_PATH_MAX];
	struct dirctl dc;
	size_t i;

	if (vpop_path2(path, sizeof(path), domdir, ".dir-control", e) < 0
	    || dirctl_read(path, &dc, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (dirctl_next(&dc, e) < 0)
			return -1;
		if (strlen(dc.the_dir) > DIRCTL_HASH_MAX || !dirctl_hash_valid(dc.the_dir))
			return qa_fail(e, QA_ERR_CORRUPT, ".dir-control", "bad hash directory");
		strcpy(hash[i], dc.the_dir);
	}
	return dirctl_write(path, &dc, e);
}

/* Making 10,000 homes is 50,000 mkdirs, nearly all kernel time spent in
 * separate directories: they go in parallel, one contiguous run of users
 * per CPU. */
struct homes_job {
	const struct store *s;
	const struct domain_info *info;
	struct vpw_entry *v;
	char (*hash)[DIRCTL_HASH_MAX + 1];
	size_t from, to;
	struct qa_error err;
	int rc;
};

static void *homes_run(void *arg)
{
	struct homes_job *j = arg;
	size_t i;

	for (i = j->from; i < j->to && j->rc == 0; i++)
		j->rc = vpop_make_home(j->s, j->info->dir, j->hash[i], &j->v[i], j->info->uid,
		                  j->info->gid, &j->err);
	return NULL;
}

static size_t homes_threads(size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = cpus > 0 ? (size_t)cpus : 1;

	if (k > HOMES_THREADS_MAX)
		k = HOMES_THREADS_MAX;
	return n / 512 + 1 < k ? n / 512 + 1 : k;
}

static int batch_homes(const struct store *s, const struct domain_info *info,
                       struct vpw_entry *v, char (*hash)[DIRCTL_HASH_MAX + 1], size_t n,
                       struct qa_error *e)
{
	struct homes_job job[HOMES_THREADS_MAX];
	pthread_t tid[HOMES_THREADS_MAX];
	int started[HOMES_THREADS_MAX] = { 0 };
	size_t k = homes_threads(n), i;

	for (i = 0; i < n; i++)
		if ((i == 0 || strcmp(hash[i], hash[i - 1]))
		    && vpop_make_hash_dir(info->dir, hash[i], info->uid, info->gid, e) < 0)
			return -1;
	for (i = 0; i < k; i++) {
		job[i] = (struct homes_job){ s, info, v, hash, n * i / k, n * (i + 1) / k, { 0 }, 0 };
		if (i > 0)
			started[i] = pthread_create(&tid[i], NULL, homes_run, &job[i]) == 0;
	}
	homes_run(&job[0]);
	for (i = 1; i < k; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			homes_run(&job[i]);      /* no thread: do its share here */
	}
	for (i = 0; i < k; i++)
		if (job[i].rc < 0)
			return vpop_pass(e, &job[i].err);
	return 0;
}

static int many_locked(const struct store *s, const struct domain_info *info,
                       const struct new_user *users, struct vpw_entry *v, size_t n, int max,
                       struct qa_error *e)
{
	char (*hash)[DIRCTL_HASH_MAX + 1];
	size_t bad = n;
	int rc = -1;

	if (check_new(info->dir, v, n, max, &bad, e) < 0)
		return bad < n ? line_fail(e, users[bad].line) : -1;
	if (!(hash = calloc(n, sizeof(*hash))))
		return qa_fail(e, QA_ERR_NOMEM, "", "out of memory");
	if (batch_take(info->dir, n, hash, e) == 0 && batch_homes(s, info, v, hash, n, e) == 0
	    && vpasswd_insert_many(info->dir, v, n, e) == 0)   /* the commit point */
		rc = vpop_own_files(info->dir, info->uid, info->gid, e);
	free(hash);
	return rc;
}

int store_user_add_many(struct store *s, const struct v_domain *d, const struct new_user *users,
                        size_t n, struct qa_error *e)
{
	struct domain_info info;
	struct vpw_entry *v;
	struct vlimits l;
	int lk, rc = -1;

	if (real_domain(s, d, &info, e) < 0
	    || vlimits_load(info.dir, s->limits_default, &l, NULL, e) < 0)
		return -1;
	if (n == 0)
		return 0;
	if (!(v = calloc(n, sizeof(*v))))
		return qa_fail(e, QA_ERR_NOMEM, "", "out of memory");
	if (batch_entries(users, n, &l, v, e) == 0 && (lk = vpop_dir_lock(info.dir, e)) >= 0) {
		rc = many_locked(s, &info, users, v, n, l.maxpopaccounts, e);
		vpop_dir_unlock(lk);
	}
	free(v);
	return rc;
}
