/* qmail_tree.h: helpers for the unit tests of the qmail/vpopmail store
 * (test_assign, test_control, test_dotqmail, test_dircontrol, test_quota,
 * test_vlimits, test_vpasswd): temp roots laid out like
 * /var/qmail and ~vpopmail, the golden fixtures written by the real tools,
 * whole-tree snapshots (to prove a refused request changed nothing) and
 * cdb dumps. Test code only: it may abort the test, never the library. */
#ifndef QA_QMAIL_TREE_H
#define QA_QMAIL_TREE_H

#include <cdb.h>
#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"

/* The fixture tree, or NULL (tests using it then skip). */
static inline const char *fixtures(void)
{
	const char *f = getenv("QA_FIXTURES");
	struct stat st;

	if (!f || !*f)
		f = "/work/shared/fixtures/vpopmail";
	return stat(f, &st) == 0 && S_ISDIR(st.st_mode) ? f : NULL;
}

static inline void tree_mkroot(char *out, size_t n)
{
	snprintf(out, n, "/tmp/qa-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(out));
}

static inline int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static inline void tree_rm(const char *root)
{
	if (root && *root)
		nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdir -p root/rel */
static inline void tree_mkdirs(const char *root, const char *rel)
{
	char p[4096];
	size_t i, n;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	n = strlen(p);
	for (i = strlen(root) + 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		ck_assert(mkdir(p, 0755) == 0 || access(p, F_OK) == 0);
		p[i] = i < n ? '/' : '\0';
	}
}

static inline int tree_slurp(const char *path, struct buf *out)
{
	char chunk[4096];
	ssize_t r;
	int fd = open(path, O_RDONLY);

	buf_reset(out);
	buf_adds(out, "");   /* buf_cstr() of a never-written buf lacks its NUL */
	if (fd < 0)
		return -1;
	while ((r = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)r);
	close(fd);
	return r < 0 ? -1 : 0;
}

static inline void tree_put(const char *path, const char *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
	close(fd);
}

static inline void tree_copy(const char *src, const char *dst)
{
	struct buf b = BUF_INIT;

	ck_assert_msg(tree_slurp(src, &b) == 0, "cannot read %s", src);
	tree_put(dst, b.p ? b.p : "", b.len);
	buf_free(&b);
}

/* Fails the test unless the two files hold the same bytes. */
static inline void tree_same_file(const char *got, const char *want)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int same;

	ck_assert_msg(tree_slurp(got, &a) == 0, "cannot read %s", got);
	ck_assert_msg(tree_slurp(want, &b) == 0, "cannot read %s", want);
	same = a.len == b.len && (!a.len || !memcmp(a.p, b.p, a.len));
	if (!same)
		fprintf(stderr, "# %s:\n%s# want (%s):\n%s", got, buf_cstr(&a), want, buf_cstr(&b));
	buf_free(&a);
	buf_free(&b);
	ck_assert_msg(same, "%s differs from %s", got, want);
}

/* ---- one fresh temp root per test ----
 * tcase_add_checked_fixture(tc, tree_setup, tree_teardown); then tree_at()
 * names a path under it, tree_put_text() writes one, tree_text() reads one. */

static char tree_root[64];

static inline void tree_setup(void)
{
	tree_mkroot(tree_root, sizeof(tree_root));
}

static inline void tree_teardown(void)
{
	tree_rm(tree_root);
}

/* tree_root/rel, in one of 8 rotating buffers (a call may take several). */
static inline const char *tree_at(const char *rel)
{
	static char p[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tree_root, rel);
	return p[k];
}

/* Writes text to tree_root/rel. */
static inline void tree_put_text(const char *rel, const char *text)
{
	tree_put(tree_at(rel), text, strlen(text));
}

/* The file's content (valid until the next call), or NULL when unreadable. */
static inline const char *tree_text(const char *path)
{
	static struct buf b;

	if (tree_slurp(path, &b) < 0)
		return NULL;
	return buf_cstr(&b);
}

/* ---- snapshots: every path under a root with type, mode and content ---- */

static size_t snap_skip;

static inline int snap_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct buf snap_lines;   /* NUL-separated entries before sorting */

static inline int snap_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	struct buf content = BUF_INIT;
	char link[4096];
	ssize_t ln;

	(void)flag;
	(void)ftw;
	buf_printf(&snap_lines, "%s %o %lld", p + snap_skip, (unsigned)st->st_mode,
	           (long long)st->st_size);
	if (S_ISLNK(st->st_mode) && (ln = readlink(p, link, sizeof(link) - 1)) >= 0)
		buf_printf(&snap_lines, " -> %.*s", (int)ln, link);
	if (S_ISREG(st->st_mode) && tree_slurp(p, &content) == 0) {
		size_t i;

		buf_adds(&snap_lines, " ");
		for (i = 0; i < content.len; i++)
			buf_printf(&snap_lines, "%02x", (unsigned char)content.p[i]);
	}
	buf_free(&content);
	buf_addc(&snap_lines, '\0');
	return 0;
}

/* Everything under root, one sorted line per path. */
static inline void tree_snapshot(const char *root, struct buf *out)
{
	char **v = NULL;
	size_t n = 0, i, off;

	buf_reset(out);
	buf_init(&snap_lines, 0);
	snap_skip = strlen(root);
	ck_assert_int_eq(nftw(root, snap_one, 16, FTW_PHYS), 0);
	for (off = 0; off < snap_lines.len; off += strlen(snap_lines.p + off) + 1) {
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = snap_lines.p + off;
	}
	qsort(v, n, sizeof(*v), snap_cmp);
	for (i = 0; i < n; i++)
		buf_printf(out, "%s\n", v[i]);
	free(v);
	buf_free(&snap_lines);
}

/* ---- cdb ---- */

/* Every record of a cdb file as "key->data" lines (bytes escaped), sorted. */
static inline void cdb_records(const char *path, struct buf *out)
{
	struct cdb c;
	unsigned pos;
	char **v = NULL;
	size_t n = 0, i;
	int fd = open(path, O_RDONLY);

	buf_reset(out);
	ck_assert_msg(fd >= 0, "cannot open %s", path);
	ck_assert_int_eq(cdb_init(&c, fd), 0);
	cdb_seqinit(&pos, &c);
	while (cdb_seqnext(&pos, &c) > 0) {
		struct buf one = BUF_INIT;
		const unsigned char *k = cdb_getkey(&c), *d = cdb_getdata(&c);

		for (i = 0; i < cdb_keylen(&c); i++)
			buf_printf(&one, k[i] >= 0x21 && k[i] < 0x7f ? "%c" : "\\x%02x", k[i]);
		buf_adds(&one, "->");
		for (i = 0; i < cdb_datalen(&c); i++)
			buf_printf(&one, d[i] >= 0x21 && d[i] < 0x7f ? "%c" : "\\x%02x", d[i]);
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = strdup(buf_cstr(&one));
		buf_free(&one);
	}
	cdb_free(&c);
	close(fd);
	qsort(v, n, sizeof(*v), snap_cmp);
	for (i = 0; i < n; i++) {
		buf_printf(out, "%s\n", v[i]);
		free(v[i]);
	}
	free(v);
}

static inline void cdb_same_records(const char *got, const char *want)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int same;

	cdb_records(got, &a);
	cdb_records(want, &b);
	same = !strcmp(buf_cstr(&a), buf_cstr(&b));
	if (!same)
		fprintf(stderr, "# %s:\n%s# want:\n%s", got, buf_cstr(&a), buf_cstr(&b));
	buf_free(&a);
	buf_free(&b);
	ck_assert_msg(same, "records of %s differ from %s", got, want);
}

/* Debian's "cdb -d FILE" output, its lines sorted; 0 when the tool exists. */
static inline int cdb_tool_dump(const char *path, struct buf *out)
{
	const char *tool = "/usr/bin/cdb";
	int p[2], status;
	pid_t pid;
	char chunk[4096], **v = NULL;
	ssize_t r;
	size_t n = 0, i;
	struct buf raw = BUF_INIT;
	char *s, *save = NULL;

	buf_reset(out);
	if (access(tool, X_OK) != 0 || pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execl(tool, "cdb", "-d", path, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((r = read(p[0], chunk, sizeof(chunk))) > 0)
		buf_add(&raw, chunk, (size_t)r);
	close(p[0]);
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Values hold NULs: turn them into a visible mark before splitting. */
	for (i = 0; i < raw.len; i++)
		if (raw.p[i] == '\0')
			raw.p[i] = '\x01';
	for (s = strtok_r(raw.p, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = s;
	}
	qsort(v, n, sizeof(*v), snap_cmp);
	for (i = 0; i < n; i++)
		buf_printf(out, "%s\n", v[i]);
	free(v);
	buf_free(&raw);
	return 0;
}

#endif
