/* store_vpop_fs: the filesystem helpers of the vpopmail (cdb backend)
 * store, shared by store_vpop_domain.c and store_vpop_user.c (see
 * store_vpop.h): guarded tree removal and chown, mkdir and small-file
 * helpers, mailbox home creation, and the lock on a directory.
 *
 * Must never: remove a tree outside ~vpopmail/domains, follow a symlink
 * while removing or chowning one, remove a directory it cannot show to be a
 * mailbox's leftover, print, or exit. */
#include "config.h"

#include "store_vpop.h"

#include "lock.h"

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

/* ============================================================ helpers */

int vpop_path2(char *out, size_t n, const char *a, const char *b, struct qa_error *e)
{
	int r = snprintf(out, n, "%s/%s", a, b);

	if (r < 0 || (size_t)r >= n)
		return qa_fail(e, QA_ERR_INVALID, "dir", "path too long: %s/%s", a, b);
	return 0;
}

/* Copies a local error into the caller's (which may be NULL) and fails. */
int vpop_pass(struct qa_error *e, const struct qa_error *mine)
{
	if (e)
		*e = *mine;
	return -1;
}

/* mkdir that accepts an existing directory (never a symlink to one). */
int vpop_mkdir_ok(const char *path, struct qa_error *e)
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
int vpop_rm_tree(const struct store *s, const char *path, struct qa_error *e)
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
int vpop_own_tree(const char *path, uid_t uid, gid_t gid, struct qa_error *e)
{
	struct owner o = { uid, gid };

	if (geteuid() != 0)
		return 0;
	if (tree_walk(path, own_one, &o) < 0)
		return qa_fail_errno(e, "dir", "chown %s", path);
	return 0;
}

int vpop_own_path(const char *path, uid_t uid, gid_t gid, struct qa_error *e)
{
	if (geteuid() == 0 && lchown(path, uid, gid) < 0 && errno != ENOENT)
		return qa_fail_errno(e, "dir", "chown %s", path);
	return 0;
}

/* The files vpasswd.c and dircontrol.c create in a directory (with the
 * caller's uid, which is root in domain operations). */
int vpop_own_files(const char *dir, uid_t uid, gid_t gid, struct qa_error *e)
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
		if (vpop_path2(path, sizeof(path), dir, names[i], e) < 0)
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
int vpop_dir_lock(const char *dir, struct qa_error *e)
{
	int fd = lock_dir(dir, STORE_LOCK_TIMEOUT_MS);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		return qa_fail(e, QA_ERR_NOT_FOUND, "dir", "%s is gone", dir);
	if (errno == EAGAIN)
		return qa_fail(e, QA_ERR_LOCKED, "dir", "%s is busy", dir);
	return qa_fail_errno(e, "dir", "lock %s", dir);
}

void vpop_dir_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* ============================================================ users: homes */

/* A directory where a new mailbox's home goes, while vpasswd has no such
 * user, is a crashed add's or delete's leftover when it holds only what a
 * home holds. Anything else (an ezmlm list directory, say) is kept. */
int vpop_is_home_debris(const char *path)
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
	if (!S_ISDIR(st.st_mode) || !vpop_is_home_debris(home))
		return qa_fail(e, QA_ERR_EXISTS, "user", "%s exists and is not a mailbox", home);
	return vpop_rm_tree(s, home, e);
}

/* vadduser's home: [hash/]name/{Maildir/{cur,new,tmp},lastauth}, plus
 * maildirsize when there is a quota. Whatever a crashed attempt left at the
 * same place is removed first. Sets pw->dir. */
int vpop_make_home(const struct store *s, const char *domdir, const char *hash,
              struct vpw_entry *pw, uid_t uid, gid_t gid, struct qa_error *e)
{
	static const char *const sub[] = { "Maildir", "Maildir/cur", "Maildir/new", "Maildir/tmp" };
	char dir[STORE_PATH_MAX], p[STORE_PATH_MAX], md[VPW_QUOTA_MAX + 8];
	size_t i;
	int n = snprintf(dir, sizeof(dir), "%s/%s%s%s", domdir, hash, *hash ? "/" : "", pw->name);

	if (n < 0 || (size_t)n >= sizeof(dir) || (size_t)n > VPW_DIR_MAX)
		return qa_fail(e, QA_ERR_INVALID, "user", "home directory path too long");
	if (clear_debris(s, dir, e) < 0 || vpop_mkdir_ok(dir, e) < 0)
		return -1;
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (vpop_path2(p, sizeof(p), dir, sub[i], e) < 0 || vpop_mkdir_ok(p, e) < 0)
			return -1;
	/* Auth logging (vpopmail's default): vchkpw rewrites it on login. */
	if (vpop_path2(p, sizeof(p), dir, "lastauth", e) < 0 || write_new(p, "0.0.0.0", e) < 0)
		return -1;
	/* A new, empty Maildir: what quota_apply() would write after its recount. */
	if (!quota_is_none(pw->quota)) {
		snprintf(md, sizeof(md), "%s\n0 0\n", pw->quota);
		if (vpop_path2(p, sizeof(p), dir, "Maildir/maildirsize", e) < 0 || write_new(p, md, e) < 0)
			return -1;
	}
	if (vpop_own_tree(dir, uid, gid, e) < 0)
		return -1;
	memcpy(pw->dir, dir, (size_t)n + 1);
	return 0;
}

/* mkdir -p DOMDIR/hash (hash: "0", "0/1", ... "0/1/"), owned like the domain. */
int vpop_make_hash_dir(const char *domdir, const char *hash, uid_t uid, gid_t gid,
                  struct qa_error *e)
{
	char p[STORE_PATH_MAX], c;
	size_t base = strlen(domdir) + 1, n, i;
	int rc;

	if (!*hash)
		return 0;
	if (vpop_path2(p, sizeof(p), domdir, hash, e) < 0)
		return -1;
	n = strlen(p);
	for (i = base + 1; i <= n; i++) {
		if ((p[i] != '/' && p[i] != '\0') || p[i - 1] == '/')
			continue;
		c = p[i];
		p[i] = '\0';
		rc = vpop_mkdir_ok(p, e) < 0 || vpop_own_path(p, uid, gid, e) < 0 ? -1 : 0;
		p[i] = c;
		if (rc < 0)
			return -1;
	}
	return 0;
}
