/* store_vpop: the domains and users of the vpopmail (cdb backend) store,
 * changed the way vadddomain, vdeldomain, vaddaliasdomain, vadduser,
 * vdeluser, vpasswd and vmoduser change them, so that the real tools keep
 * reading (and writing) the same files after us.
 *
 * Crash safety: every change has one commit point, the users/assign
 * rewrite for domains and the vpasswd rewrite for users. Before it we only
 * create what nobody can see yet; after it we only clean up. Each step is
 * idempotent and every operation recognises what a crashed one left
 * (debris), so running it again, or its inverse, repairs the store: a crash
 * at any point loses nothing that was committed.
 *
 * Must never: remove a tree outside ~vpopmail/domains, follow a symlink
 * while removing or chowning one, remove a directory it cannot show to be a
 * mailbox's leftover, take a path from a store file without checking that it
 * lies inside its domain, print, or exit. */
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

#define STORE_LOCK_TIMEOUT_MS 20000
#define TREE_DEPTH_MAX 32            /* Maildir++ folders, ezmlm lists: < 10 */
#define HOMES_THREADS_MAX 8

/* ============================================================ helpers */

static int path2(char *out, size_t n, const char *a, const char *b, struct qa_error *e)
{
	int r = snprintf(out, n, "%s/%s", a, b);

	if (r < 0 || (size_t)r >= n)
		return qa_fail(e, QA_ERR_INVALID, "dir", "path too long: %s/%s", a, b);
	return 0;
}

/* Copies a local error into the caller's (which may be NULL) and fails. */
static int pass(struct qa_error *e, const struct qa_error *mine)
{
	if (e)
		*e = *mine;
	return -1;
}

/* mkdir that accepts an existing directory (never a symlink to one). */
static int mkdir_ok(const char *path, struct qa_error *e)
{
	struct stat st;

	if (mkdir(path, 0700) == 0)
		return 0;
	if (errno == EEXIST && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return qa_fail_errno(e, "dir", "mkdir %s", path);
}

/* A small file that did not exist before (its directory is new): no temp
 * file and no fsync, the commit that makes it visible syncs after it. */
static int write_new(const char *path, const char *data, struct qa_error *e)
{
	size_t n = strlen(data);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return qa_fail_errno(e, "", "create %s", path);
	if (fchmod(fd, 0600) < 0 || write(fd, data, n) != (ssize_t)n) {
		qa_fail_errno(e, "", "write %s", path);
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return qa_fail_errno(e, "", "close %s", path);
	return 0;
}

/* ============================================================ trees */

/* What a walk does to each entry, after the entries below it (post-order). */
typedef int (*tree_fn)(int dfd, const char *name, const struct stat *st, void *arg);

static int tree_at(int dfd, const char *name, int depth, tree_fn fn, void *arg);

static int tree_children(int fd, int depth, tree_fn fn, void *arg)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		close(fd);
		return -1;
	}
	for (errno = 0; rc == 0 && (de = readdir(d)); errno = 0)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = tree_at(dirfd(d), de->d_name, depth, fn, arg);
	if (rc == 0 && errno)
		rc = -1;
	closedir(d);
	return rc;
}

/* Directories are entered with O_NOFOLLOW relative to their parent, so a
 * symlink planted anywhere in the tree is acted on, never followed. */
static int tree_at(int dfd, const char *name, int depth, tree_fn fn, void *arg)
{
	struct stat st;
	int fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode)) {
		if (depth >= TREE_DEPTH_MAX) {
			errno = ELOOP;
			return -1;
		}
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || tree_children(fd, depth + 1, fn, arg) < 0)
			return -1;
	}
	return fn(dfd, name, &st, arg);
}

/* Runs fn over path and everything below it. */
static int tree_walk(const char *path, tree_fn fn, void *arg)
{
	char parent[STORE_PATH_MAX];
	char *slash;
	int pfd, rc;

	if (snprintf(parent, sizeof(parent), "%s", path) >= (int)sizeof(parent)
	    || !(slash = strrchr(parent, '/')) || !slash[1]) {
		errno = EINVAL;
		return -1;
	}
	*slash = '\0';
	pfd = open(parent[0] ? parent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	rc = tree_at(pfd, slash + 1, 0, fn, arg);
	close(pfd);
	return rc;
}

static int rm_one(int dfd, const char *name, const struct stat *st, void *arg)
{
	(void)arg;
	if (unlinkat(dfd, name, S_ISDIR(st->st_mode) ? AT_REMOVEDIR : 0) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

/* rm -r, only ever under ~vpopmail/domains (vpop_path_inside). */
static int rm_tree(const struct store *s, const char *path, struct qa_error *e)
{
	if (!vpop_path_inside(s, path))
		return qa_fail(e, QA_ERR_INVALID, "dir", "refusing to remove %s: not inside %s",
		               path, s->domains_dir);
	if (tree_walk(path, rm_one, NULL) < 0)
		return qa_fail_errno(e, "dir", "remove %s", path);
	return 0;
}

struct owner {
	uid_t uid;
	gid_t gid;
};

static int own_one(int dfd, const char *name, const struct stat *st, void *arg)
{
	const struct owner *o = arg;

	if (st->st_uid == o->uid && st->st_gid == o->gid)
		return 0;
	return fchownat(dfd, name, o->uid, o->gid, AT_SYMLINK_NOFOLLOW);
}

/* vpopmail's chown -R to the domain owner. Only root can and needs to: the
 * helper runs user operations as the owner already, and tests run as
 * themselves. */
static int own_tree(const char *path, uid_t uid, gid_t gid, struct qa_error *e)
{
	struct owner o = { uid, gid };

	if (geteuid() != 0)
		return 0;
	if (tree_walk(path, own_one, &o) < 0)
		return qa_fail_errno(e, "dir", "chown %s", path);
	return 0;
}

static int own_path(const char *path, uid_t uid, gid_t gid, struct qa_error *e)
{
	if (geteuid() == 0 && lchown(path, uid, gid) < 0 && errno != ENOENT)
		return qa_fail_errno(e, "dir", "chown %s", path);
	return 0;
}

/* The files vpasswd.c and dircontrol.c create in a directory (with the
 * caller's uid, which is root in domain operations). */
static int own_files(const char *dir, uid_t uid, gid_t gid, struct qa_error *e)
{
	static const char *const names[] = {
		"vpasswd", "vpasswd.cdb", ".vpasswd.lock", ".dir-control",
		".dir_control_free", ".dir_control_free.lock",
	};
	char path[STORE_PATH_MAX];
	size_t i;

	if (geteuid() != 0)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (path2(path, sizeof(path), dir, names[i], e) < 0)
			return -1;
		if (lchown(path, uid, gid) < 0 && errno != ENOENT)
			return qa_fail_errno(e, "dir", "chown %s", path);
	}
	return 0;
}

/* ============================================================ locks */

/* Serialises our own changes to one directory: a domain's (user changes)
 * or ~vpopmail/domains (domain changes). An flock on the directory itself,
 * not lock_take(): vpasswd.c takes and drops the fcntl lock on
 * .vpasswd.lock inside each rewrite, and closing any descriptor of a file
 * drops every fcntl lock this process holds on it, so such a lock would end
 * at the commit point. flock locks belong to their open file description
 * and are independent of fcntl locks, and locking the directory creates no
 * file that vpopmail's own tools would not leave. vpopmail's tools take only
 * their fcntl locks, which vpasswd.c, assign.c and control.c honour. */
static int dir_lock(const char *dir, struct qa_error *e)
{
	struct timespec pause = { 0, 1000 * 1000 };
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), waited = 0;

	if (fd < 0)
		return errno == ENOENT ? qa_fail(e, QA_ERR_NOT_FOUND, "dir", "%s is gone", dir)
		                       : qa_fail_errno(e, "dir", "open %s", dir);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR) || waited >= STORE_LOCK_TIMEOUT_MS) {
			int locked = errno == EWOULDBLOCK;

			close(fd);
			return locked ? qa_fail(e, QA_ERR_LOCKED, "dir", "%s is busy", dir)
			              : qa_fail_errno(e, "dir", "lock %s", dir);
		}
		nanosleep(&pause, NULL);
		waited++;
	}
	/* Removed while we waited (a domain delete): nothing to change. */
	if (fstat(fd, &st) < 0 || st.st_nlink == 0) {
		close(fd);
		return qa_fail(e, QA_ERR_NOT_FOUND, "dir", "%s is gone", dir);
	}
	return fd;
}

static void dir_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

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

/* A domain's mailboxes without parsing: the lines of vpasswd. */
static unsigned long count_users(const char *domdir)
{
	char path[STORE_PATH_MAX], chunk[65536], last = '\n';
	unsigned long n = 0;
	ssize_t r;
	int fd;

	if (path2(path, sizeof(path), domdir, "vpasswd", NULL) < 0
	    || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	while ((r = read(fd, chunk, sizeof(chunk))) > 0) {
		const char *p = chunk, *end = chunk + r;

		while ((p = memchr(p, '\n', (size_t)(end - p)))) {
			n++;
			p++;
		}
		last = chunk[r - 1];
	}
	close(fd);
	return n + (last != '\n');
}

int store_domain_get(struct store *s, const struct v_domain *d, struct domain_info *out,
                     struct qa_error *e)
{
	struct assign_entry *v;
	size_t n, i;

	if (vpop_domain(s, d, out, e) < 0)
		return -1;
	out->users = count_users(out->dir);
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

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many of the sorted reals[] equal name. */
static size_t count_equal(const char **reals, size_t n, const char *name)
{
	size_t lo = 0, hi = n, k = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(reals[mid], name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + k < n && !strcmp(reals[lo + k], name))
		k++;
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

/* The page: only its domains get their vpasswd counted. */
static int list_page(const struct assign_entry *v, size_t n, const char **reals, size_t nreal,
                     const struct list_query *q, domain_cb cb, void *ctx, size_t *total)
{
	size_t i, seen = 0, sent = 0, limit = q->limit ? q->limit : n;
	struct domain_info info;
	int rc = 0;

	for (i = 0; i < n; i++) {
		if (!domain_matches(v[i].domain, q->search))
			continue;
		if (seen++ < q->offset || sent >= limit || rc)
			continue;
		info_from_entry(&v[i], &info);
		info.users = count_users(info.dir);
		info.naliases = info.is_alias ? 0 : count_equal(reals, nreal, info.name);
		rc = cb(ctx, &info);
		sent++;
	}
	if (total)
		*total = seen;
	return rc ? -1 : 0;
}

int store_domain_list(struct store *s, const struct list_query *q, domain_cb cb, void *ctx,
                      size_t *total, struct qa_error *e)
{
	struct assign_entry *v;
	const char **reals;
	size_t n, i, nreal = 0;
	int rc;

	if (assign_list(s->qmail_dir, &v, &n, e) < 0)
		return -1;
	reals = calloc(n ? n : 1, sizeof(*reals));
	if (!reals) {
		assign_list_free(v);
		return qa_fail(e, QA_ERR_NOMEM, "", "out of memory");
	}
	if (n)
		qsort(v, n, sizeof(*v), by_domain);
	for (i = 0; i < n; i++)
		if (assign_is_alias(&v[i]))
			reals[nreal++] = v[i].real;
	qsort(reals, nreal, sizeof(*reals), by_string);
	rc = list_page(v, n, reals, nreal, q, cb, ctx, total);
	free(reals);
	assign_list_free(v);
	return rc;
}

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
static int entry_new(struct vpw_entry *pw, const char *name, const char *hash,
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

	return home_in(domdir, home) && path2(md, n, home, "Maildir", NULL) == 0
	       && stat(md, &st) == 0 && S_ISDIR(st.st_mode);
}

static void fill_usage(const char *domdir, struct user_info *u)
{
	char md[STORE_PATH_MAX];
	uint64_t bytes, count;

	if (!maildir_of(domdir, u->dir, md, sizeof(md)))
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

	if (path2(path, sizeof(path), domdir, "vpasswd.cdb", NULL) < 0
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

int store_user_get(struct store *s, const struct v_user *u, struct user_info *out,
                   struct qa_error *e)
{
	struct domain_info info;
	struct vpw_entry pw;
	struct vlimits l;

	if (real_domain(s, &u->domain, &info, e) < 0
	    || cdb_lookup(info.dir, u->local.s, &pw, e) < 0
	    || vlimits_load(info.dir, s->limits_default, &l, NULL, e) < 0)
		return -1;
	fill_user(out, &pw, info.real, &l);
	fill_usage(info.dir, out);
	return 0;
}

static int list_users(const struct vpw_file *f, const struct domain_info *info,
                      const struct vlimits *l, const struct list_query *q, user_cb cb,
                      void *ctx, size_t *total)
{
	size_t limit = q->limit ? q->limit : f->n, i, k, tot;
	size_t *idx = malloc((limit < f->n ? limit : f->n) * sizeof(*idx) + 1);
	struct user_info ui;
	struct vpw_entry pw;
	int rc = 0;

	if (!idx)
		return -2;
	vpasswd_scan(f, q->search ? q->search : "", q->offset, limit, idx, &k, &tot);
	for (i = 0; i < k && rc == 0; i++) {
		/* A line vpopmail could not read either is not a mailbox. */
		if (vpasswd_entry(f, idx[i], &pw, NULL) < 0)
			continue;
		fill_user(&ui, &pw, info->real, l);
		if (q->with_usage)
			fill_usage(info->dir, &ui);
		rc = cb(ctx, &ui);
	}
	free(idx);
	if (total)
		*total = tot;
	return rc ? -1 : 0;
}

/* One page of the mailboxes in file order while vpasswd streams past in
 * chunks: at 100,000 users, loading and indexing the whole file
 * (vpasswd_load) costs tens of ms, counting its lines a few. Lines without
 * ':' name no one and are not counted (as vpasswd_scan). */
struct pager {
	const struct domain_info *info;
	const struct vlimits *l;
	const struct list_query *q;
	user_cb cb;
	void *ctx;
	size_t seen, sent;
	int rc;
};

static void page_line(struct pager *pg, const char *p, size_t n)
{
	size_t limit = pg->q->limit ? pg->q->limit : (size_t)-1;
	struct user_info ui;
	struct vpw_entry pw;

	if (!memchr(p, ':', n))
		return;
	if (pg->seen++ < pg->q->offset || pg->sent >= limit || pg->rc)
		return;
	/* A line vpopmail could not read either is not a mailbox. */
	if (vpasswd_parse_line(p, n, &pw, NULL) < 0)
		return;
	fill_user(&ui, &pw, pg->info->real, pg->l);
	if (pg->q->with_usage)
		fill_usage(pg->info->dir, &ui);
	pg->rc = pg->cb(pg->ctx, &ui);
	pg->sent++;
}

#define PAGE_CHUNK (1u << 18)

/* Feeds every line of fd to page_line. A line longer than the buffer is
 * no mailbox (vpopmail reads 300 bytes): its start is passed on, cut
 * short, and the rest dropped. */
static int page_stream(int fd, struct pager *pg)
{
	char *chunk = malloc(PAGE_CHUNK);
	size_t have = 0, used;
	ssize_t r = 1;
	int skip = 0;

	if (!chunk)
		return -1;
	while (r != 0) {
		r = read(fd, chunk + have, PAGE_CHUNK - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		have += (size_t)r;
		for (used = 0; used < have;) {
			const char *nl = memchr(chunk + used, '\n', have - used);
			size_t end = nl ? (size_t)(nl - chunk) : have;

			if (!nl && r > 0 && (used > 0 || have < PAGE_CHUNK))
				break;                  /* the rest comes with the next read */
			if (!skip)
				page_line(pg, chunk + used, end - used);
			skip = !nl;
			used = nl ? end + 1 : have;
		}
		memmove(chunk, chunk + used, have - used);
		have -= used;
	}
	free(chunk);
	return r < 0 ? -1 : 0;
}

static int list_plain(const struct domain_info *info, const struct vlimits *l,
                      const struct list_query *q, user_cb cb, void *ctx, size_t *total,
                      struct qa_error *e)
{
	struct pager pg = { info, l, q, cb, ctx, 0, 0, 0 };
	char path[STORE_PATH_MAX];
	int fd, rc = 0;

	if (path2(path, sizeof(path), info->dir, "vpasswd", e) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT)
		return qa_fail_errno(e, "vpasswd", "open %s", path);
	if (fd >= 0) {
		rc = page_stream(fd, &pg);
		close(fd);
		if (rc < 0)
			return qa_fail_errno(e, "vpasswd", "read %s", path);
	}
	if (total)
		*total = pg.seen;
	return pg.rc ? -1 : 0;
}

int store_user_list(struct store *s, const struct v_domain *d, const struct list_query *q,
                    user_cb cb, void *ctx, size_t *total, struct qa_error *e)
{
	struct domain_info info;
	struct vpw_file f;
	struct vlimits l;
	int rc;

	if (real_domain(s, d, &info, e) < 0
	    || vlimits_load(info.dir, s->limits_default, &l, NULL, e) < 0)
		return -1;
	if (!q->search || !*q->search)
		return list_plain(&info, &l, q, cb, ctx, total, e);
	if (vpasswd_load(&f, info.dir, e) < 0)
		return -1;
	rc = list_users(&f, &info, &l, q, cb, ctx, total);
	vpasswd_free(&f);
	if (rc == -2)
		return qa_fail(e, QA_ERR_NOMEM, "", "out of memory");
	return rc;
}

/* ============================================================ users: homes */

/* A directory where a new mailbox's home goes, while vpasswd has no such
 * user, is a crashed add's or delete's leftover when it holds only what a
 * home holds. Anything else (an ezmlm list directory, say) is kept. */
static int is_home_debris(const char *path)
{
	static const char *const ok[] = { ".", "..", "Maildir", "lastauth", ".qmail", "vacation" };
	DIR *d = opendir(path);
	struct dirent *de;
	size_t i;
	int debris = d != NULL;

	while (debris && (de = readdir(d))) {
		for (i = 0; i < sizeof(ok) / sizeof(ok[0]) && strcmp(de->d_name, ok[i]); i++)
			;
		debris = i < sizeof(ok) / sizeof(ok[0]);
	}
	if (d)
		closedir(d);
	return debris;
}

static int clear_debris(const struct store *s, const char *home, struct qa_error *e)
{
	struct stat st;

	if (lstat(home, &st) < 0)
		return errno == ENOENT ? 0 : qa_fail_errno(e, "user", "stat %s", home);
	if (!S_ISDIR(st.st_mode) || !is_home_debris(home))
		return qa_fail(e, QA_ERR_EXISTS, "user", "%s exists and is not a mailbox", home);
	return rm_tree(s, home, e);
}

/* vadduser's home: [hash/]name/{Maildir/{cur,new,tmp},lastauth}, plus
 * maildirsize when there is a quota. Whatever a crashed attempt left at the
 * same place is removed first. Sets pw->dir. */
static int make_home(const struct store *s, const char *domdir, const char *hash,
                     struct vpw_entry *pw, uid_t uid, gid_t gid, struct qa_error *e)
{
	static const char *const sub[] = { "Maildir", "Maildir/cur", "Maildir/new", "Maildir/tmp" };
	char dir[STORE_PATH_MAX], p[STORE_PATH_MAX], md[VPW_QUOTA_MAX + 8];
	size_t i;
	int n = snprintf(dir, sizeof(dir), "%s/%s%s%s", domdir, hash, *hash ? "/" : "", pw->name);

	if (n < 0 || (size_t)n >= sizeof(dir) || (size_t)n > VPW_DIR_MAX)
		return qa_fail(e, QA_ERR_INVALID, "user", "home directory path too long");
	if (clear_debris(s, dir, e) < 0 || mkdir_ok(dir, e) < 0)
		return -1;
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (path2(p, sizeof(p), dir, sub[i], e) < 0 || mkdir_ok(p, e) < 0)
			return -1;
	/* Auth logging (vpopmail's default): vchkpw rewrites it on login. */
	if (path2(p, sizeof(p), dir, "lastauth", e) < 0 || write_new(p, "0.0.0.0", e) < 0)
		return -1;
	/* A new, empty Maildir: what quota_apply() would write after its recount. */
	if (!quota_is_none(pw->quota)) {
		snprintf(md, sizeof(md), "%s\n0 0\n", pw->quota);
		if (path2(p, sizeof(p), dir, "Maildir/maildirsize", e) < 0 || write_new(p, md, e) < 0)
			return -1;
	}
	if (own_tree(dir, uid, gid, e) < 0)
		return -1;
	memcpy(pw->dir, dir, (size_t)n + 1);
	return 0;
}

/* mkdir -p DOMDIR/hash (hash: "0", "0/1", ... "0/1/"), owned like the domain. */
static int make_hash_dir(const char *domdir, const char *hash, uid_t uid, gid_t gid,
                         struct qa_error *e)
{
	char p[STORE_PATH_MAX], c;
	size_t base = strlen(domdir) + 1, n, i;
	int rc;

	if (!*hash)
		return 0;
	if (path2(p, sizeof(p), domdir, hash, e) < 0)
		return -1;
	n = strlen(p);
	for (i = base + 1; i <= n; i++) {
		if ((p[i] != '/' && p[i] != '\0') || p[i - 1] == '/')
			continue;
		c = p[i];
		p[i] = '\0';
		rc = mkdir_ok(p, e) < 0 || own_path(p, uid, gid, e) < 0 ? -1 : 0;
		p[i] = c;
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A .qmail-NAME (alias, forward, list) already takes mail for that name:
 * qmail-local would never reach a mailbox of the same name. */
static int alias_exists(const char *domdir, const char *name)
{
	char file[V_LOCAL_MAX + 8], p[STORE_PATH_MAX];
	struct stat st;

	return dq_file_name(name, file, sizeof(file), NULL) == 0
	       && path2(p, sizeof(p), domdir, file, NULL) == 0 && lstat(p, &st) == 0;
}

/* DOMDIR/NAME is where ezmlm lists and the first 99 homes live: a
 * directory there that is not a home's leftover (a list's, say) is in the
 * way. Checked before .dir-control moves, so a refusal changes nothing. */
static int check_unhashed(const char *domdir, const char *name, struct qa_error *e)
{
	char p[STORE_PATH_MAX];
	struct stat st;

	if (path2(p, sizeof(p), domdir, name, e) < 0)
		return -1;
	if (lstat(p, &st) < 0 || (S_ISDIR(st.st_mode) && is_home_debris(p)))
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

/* One new mailbox in a domain whose changes we hold (dir_lock), or that
 * nobody can see yet (domain add). max: maxpopaccounts, -1 = no limit. */
static int add_mailbox(const struct store *s, const struct domain_info *info,
                       struct vpw_entry *pw, int max, struct qa_error *e)
{
	char hash[DIRCTL_HASH_MAX + 1];
	size_t bad;

	if (check_new(info->dir, pw, 1, max, &bad, e) < 0
	    || dirctl_take(info->dir, 1, hash, sizeof(hash), e) < 0
	    || make_hash_dir(info->dir, hash, info->uid, info->gid, e) < 0
	    || make_home(s, info->dir, hash, pw, info->uid, info->gid, e) < 0
	    || vpasswd_insert(info->dir, pw, e) < 0)            /* the commit point */
		return -1;
	return own_files(info->dir, info->uid, info->gid, e);
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
	    || entry_new(&pw, u->local.s, passwd_hash, gecos ? gecos->s : NULL, quota, &l, e) < 0)
		return -1;
	if ((lk = dir_lock(info.dir, e)) < 0)
		return -1;
	rc = add_mailbox(s, &info, &pw, l.maxpopaccounts, e);
	dir_unlock(lk);
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
static int load_entry(const char *domdir, const char *name, struct vpw_entry *pw,
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

	if (load_entry(info->dir, name, &pw, e) < 0 || check_catchall(info, &pw, e) < 0)
		return -1;
	/* The home is removed only where vpopmail would have made it, and only
	 * under ~vpopmail/domains (a domain kept elsewhere keeps its homes). */
	shaped = dirctl_hash_of(info->dir, pw.dir, name, hash, sizeof(hash), NULL) == 0;
	if (vpasswd_delete(info->dir, name, e) < 0)          /* the commit point */
		return -1;
	if (shaped && snprintf(home, sizeof(home), "%s", pw.dir) < (int)sizeof(home)
	    && vpop_path_inside(s, home) && rm_tree(s, home, e) < 0)
		return -1;
	if (dirctl_give_back(info->dir, 1, shaped ? hash : "", e) < 0)
		return -1;
	return own_files(info->dir, info->uid, info->gid, e);
}

int store_user_del(struct store *s, const struct v_user *u, struct qa_error *e)
{
	struct domain_info info;
	int lk, rc;

	if (real_domain(s, &u->domain, &info, e) < 0 || (lk = dir_lock(info.dir, e)) < 0)
		return -1;
	rc = del_locked(s, &info, u->local.s, e);
	dir_unlock(lk);
	return rc;
}

static int set_locked(const struct domain_info *info, const char *name,
                      const struct user_change *c, const char *quota, struct qa_error *e)
{
	char md[STORE_PATH_MAX], p[STORE_PATH_MAX];
	struct vpw_entry pw;

	if (load_entry(info->dir, name, &pw, e) < 0)
		return -1;
	if (c->passwd_hash) {
		if (set_hash(&pw, c->passwd_hash, e) < 0)
			return -1;
		pw.has_clear = 0;      /* a stored clear text would be the old one */
		pw.clear[0] = '\0';
	}
	if (c->gecos)
		snprintf(pw.gecos, sizeof(pw.gecos), "%s", c->gecos->s);
	if (quota)
		snprintf(pw.quota, sizeof(pw.quota), "%s", quota);
	if (c->set_flags)
		pw.flags = c->flags;
	if (vpasswd_replace(info->dir, &pw, e) < 0)            /* the commit point */
		return -1;
	/* vsetuserquota: maildirsize follows the new quota (or goes). */
	if (quota && maildir_of(info->dir, pw.dir, md, sizeof(md))
	    && (quota_apply(md, pw.quota, e) < 0 || path2(p, sizeof(p), md, "maildirsize", e) < 0
	        || own_path(p, info->uid, info->gid, e) < 0))
		return -1;
	return own_files(info->dir, info->uid, info->gid, e);
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
	if ((lk = dir_lock(info.dir, e)) < 0)
		return -1;
	rc = set_locked(&info, u->local.s, c, c->quota ? quota : NULL, e);
	dir_unlock(lk);
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
		if (entry_new(&v[i], users[i].user.local.s, users[i].passwd_hash, users[i].gecos.s,
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

	if (path2(path, sizeof(path), domdir, ".dir-control", e) < 0
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
		j->rc = make_home(j->s, j->info->dir, j->hash[i], &j->v[i], j->info->uid,
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
		    && make_hash_dir(info->dir, hash[i], info->uid, info->gid, e) < 0)
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
			return pass(e, &job[i].err);
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
		rc = own_files(info->dir, info->uid, info->gid, e);
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
	if (batch_entries(users, n, &l, v, e) == 0 && (lk = dir_lock(info.dir, e)) >= 0) {
		rc = many_locked(s, &info, users, v, n, l.maxpopaccounts, e);
		dir_unlock(lk);
	}
	free(v);
	return rc;
}

/* ============================================================ domains: changes */

static int domains_dir_ready(const struct store *s, struct qa_error *e)
{
	if (mkdir(s->domains_dir, 0700) == 0)
		return own_tree(s->domains_dir, s->uid, s->gid, e);
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
	    || own_files(s->domains_dir, s->uid, s->gid, e) < 0
	    || make_hash_dir(s->domains_dir, hash, s->uid, s->gid, e) < 0)
		return -1;
	r = snprintf(dir, n, "%s/%s%s%s", s->domains_dir, hash, *hash ? "/" : "", name);
	if (r < 0 || (size_t)r >= n || !ctl_path_ok(dir, STORE_PATH_MAX - 256))
		return qa_fail(e, QA_ERR_INVALID, "domain", "unusable domain directory %s", dir);
	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : qa_fail_errno(e, "domain", "stat %s", dir);
	if ((r = dir_in_use(s, dir, name, e)) != 0)
		return r < 0 ? -1 : qa_fail(e, QA_ERR_EXISTS, "domain", "%s belongs to another domain", dir);
	return rm_tree(s, dir, e);
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
	if (mkdir_ok(info->dir, e) < 0 || path2(p, sizeof(p), info->dir, ".qmail-default", e) < 0)
		return -1;
	if (lstat(p, &st) < 0 && dq_catchall_write(&dq, s->vpopmail_dir, info->name, &ca, e) < 0)
		return -1;
	if (load_entry(info->dir, "postmaster", &pw, &mine) < 0) {
		if (mine.code != QA_ERR_NOT_FOUND)
			return pass(e, &mine);
		/* vadddomain runs vadduser postmaster DOMAIN PASSWORD "Postmaster". */
		if (vlimits_load(info->dir, s->limits_default, &l, NULL, e) < 0
		    || entry_new(&pw, "postmaster", hash, "Postmaster", NULL, &l, e) < 0
		    || add_mailbox(s, info, &pw, -1, e) < 0)
			return -1;
	}
	return own_tree(info->dir, s->uid, s->gid, e);
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
		return pass(e, &mine);
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

	if (domains_dir_ready(s, e) < 0 || (lk = dir_lock(s->domains_dir, e)) < 0)
		return -1;
	rc = add_locked(s, d, postmaster_hash, e);
	dir_unlock(lk);
	return rc;
}

/* Takes name out of the qmail control files; "was not there" is fine. */
static int unlist(const struct store *s, const char *name, struct qa_error *e)
{
	struct qa_error mine = { 0 };

	if (ctl_remove_domain(s->qmail_dir, name, &mine) < 0 && mine.code != QA_ERR_NOT_FOUND)
		return pass(e, &mine);
	return 0;
}

static int unassign(const struct store *s, const char *name, struct qa_error *e)
{
	struct qa_error mine = { 0 };

	if (assign_remove(s->qmail_dir, name, &mine) < 0 && mine.code != QA_ERR_NOT_FOUND)
		return pass(e, &mine);
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
	lk = S_ISDIR(st.st_mode) ? dir_lock(dir, NULL) : -1;
	if (rm_tree(s, dir, e) < 0) {
		dir_unlock(lk);
		return -1;
	}
	dir_unlock(lk);
	if (dirctl_hash_of(s->domains_dir, dir, name, hash, sizeof(hash), NULL) < 0)
		return 0;      /* not where vadddomain puts domains: no place to free */
	if (dirctl_give_back(s->domains_dir, 0, hash, e) < 0)
		return -1;
	return own_files(s->domains_dir, s->uid, s->gid, e);
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
			return pass(e, &mine);
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

	if (domains_dir_ready(s, e) < 0 || (lk = dir_lock(s->domains_dir, e)) < 0)
		return -1;
	rc = del_domain_locked(s, d, alias_only, e);
	dir_unlock(lk);
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
		return pass(e, &mine);
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

	if (domains_dir_ready(s, e) < 0 || (lk = dir_lock(s->domains_dir, e)) < 0)
		return -1;
	rc = alias_add_locked(s, alias, real, e);
	dir_unlock(lk);
	return rc;
}
