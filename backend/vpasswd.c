/* vpasswd: reading and changing vpopmail's per-domain user table (see
 * vpasswd.h). The file is mapped whole and indexed by line start; nothing is
 * parsed until asked for, so a page of a 100,000-user domain costs one read
 * and one scan. Changes are planned as a list of pieces (runs of the old
 * text and new lines) that are written out with one writev straight from
 * the mapping, and the cdb is built in memory and written with one write.
 *
 * Must never: write a line vpopmail cannot read back, touch lines other
 * than the ones it was asked to change, or replace vpasswd without
 * rebuilding vpasswd.cdb under the same lock. */
#include "config.h"

#include "vpasswd.h"

#include "atomic.h"
#include "cdbw.h"
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* Far above any real domain (~7 million users), low enough that a hostile
 * or broken file cannot make us allocate without bound. */
#define VPW_FILE_MAX ((size_t)1 << 30)

struct span {
	const char *p;
	size_t n;
};

/* ============================================================ one line */

static int is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* atoi() the way vpopmail reads uid and gid, minus its overflow UB: blanks,
 * a sign, digits; the first other byte ends the number; clamped to int. */
static long atoi_like(struct span s)
{
	const char *p = s.p, *end = s.p + s.n;
	long v = 0;
	int neg = 0;

	while (p < end && is_space((unsigned char)*p))
		p++;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		v = v > (INT_MAX - (*p - '0')) / 10 ? INT_MAX : v * 10 + (*p - '0');
	return neg ? -v : v;
}

static int copy_field(char *dst, size_t cap, struct span s, const char *what,
                      struct qa_error *err)
{
	if (s.n >= cap)
		return qa_fail(err, QA_ERR_CORRUPT, "vpasswd",
		               "%s field longer than %zu bytes", what, cap - 1);
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
	return 0;
}

/* Splits at the first 7 colons like vgetent(): the 8th field (clear text
 * password) is the rest of the line and may itself hold colons. Returns
 * the number of colons used (6 or 7), or less when the line is short. */
static int split_fields(const char *line, size_t len, struct span f[8])
{
	const char *p = line, *end = line + len;
	int k = 0;

	while (k < 7) {
		const char *c = memchr(p, ':', (size_t)(end - p));

		if (!c)
			break;
		f[k].p = p;
		f[k].n = (size_t)(c - p);
		k++;
		p = c + 1;
	}
	f[k].p = p;
	f[k].n = (size_t)(end - p);
	return k;
}

int vpasswd_parse_line(const char *line, size_t len, struct vpw_entry *e,
                       struct qa_error *err)
{
	struct span f[8];
	long gid;
	int k;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len + 1 >= VPW_LINE_MAX)
		return qa_fail(err, QA_ERR_CORRUPT, "vpasswd",
		               "line of %zu bytes (vpopmail reads at most %d)",
		               len + 1, VPW_LINE_MAX - 1);
	if (memchr(line, '\0', len) || memchr(line, '\n', len))
		return qa_fail(err, QA_ERR_CORRUPT, "vpasswd", "NUL or newline inside a line");
	k = split_fields(line, len, f);
	if (k < 6)
		return qa_fail(err, QA_ERR_CORRUPT, "vpasswd", "fewer than 6 ':' in a line");
	if (f[0].n == 0)
		return qa_fail(err, QA_ERR_CORRUPT, "vpasswd", "empty user name");
	memset(e, 0, sizeof(*e));
	if (copy_field(e->name, sizeof(e->name), f[0], "name", err) < 0
	    || copy_field(e->passwd, sizeof(e->passwd), f[1], "passwd", err) < 0
	    || copy_field(e->gecos, sizeof(e->gecos), f[4], "gecos", err) < 0
	    || copy_field(e->dir, sizeof(e->dir), f[5], "dir", err) < 0
	    || copy_field(e->quota, sizeof(e->quota), f[6], "quota", err) < 0)
		return -1;
	e->has_clear = k == 7;
	if (e->has_clear && copy_field(e->clear, sizeof(e->clear), f[7], "clear", err) < 0)
		return -1;
	e->uid = (int)atoi_like(f[2]);
	/* vpopmail keeps the gid in a gid_t; a negative one is nonsense, and
	 * 0 (no flags) is the harmless reading. */
	gid = atoi_like(f[3]);
	e->flags = gid < 0 ? 0 : (unsigned long)gid;
	return 0;
}

/* A field the caller filled: NUL-terminated inside its array, at most max
 * bytes, without '\n' and (unless it is the last field) without ':'. */
static int check_field(const char *s, size_t cap, int colon_ok, const char *field,
                       struct qa_error *err)
{
	size_t n = strnlen(s, cap);

	if (n == cap)
		return qa_fail(err, QA_ERR_INVALID, field, "longer than %zu bytes", cap - 1);
	if (memchr(s, '\n', n) || (!colon_ok && memchr(s, ':', n)))
		return qa_fail(err, QA_ERR_INVALID, field, "contains ':' or a newline");
	return 0;
}

/* The name also names a directory, so refuse what could walk out of one;
 * vpopmail lower-cases names before every lookup, so an upper-case line
 * could never be found again. */
static int check_name(const char *name, struct qa_error *err)
{
	const char *p;

	if (check_field(name, VPW_NAME_MAX + 1, 0, "name", err) < 0)
		return -1;
	if (!name[0] || !strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return qa_fail(err, QA_ERR_INVALID, "name", "empty, '.', '..' or contains '/'");
	for (p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			return qa_fail(err, QA_ERR_INVALID, "name", "upper case");
	return 0;
}

static int check_entry(const struct vpw_entry *e, struct qa_error *err)
{
	if (check_name(e->name, err) < 0
	    || check_field(e->passwd, sizeof(e->passwd), 0, "passwd", err) < 0
	    || check_field(e->gecos, sizeof(e->gecos), 0, "gecos", err) < 0
	    || check_field(e->dir, sizeof(e->dir), 0, "dir", err) < 0
	    || check_field(e->quota, sizeof(e->quota), 0, "quota", err) < 0
	    || (e->has_clear && check_field(e->clear, sizeof(e->clear), 1, "clear", err) < 0))
		return -1;
	if (e->flags > INT_MAX)
		return qa_fail(err, QA_ERR_INVALID, "flags", "above %d", INT_MAX);
	return 0;
}

int vpasswd_format_line(const struct vpw_entry *e, struct buf *out, struct qa_error *err)
{
	char line[1024];
	int n;

	if (check_entry(e, err) < 0)
		return -1;
	n = snprintf(line, sizeof(line), "%s:%s:%d:%lu:%s:%s:%s%s%s\n", e->name, e->passwd,
	             e->uid, e->flags, e->gecos, e->dir, e->quota,
	             e->has_clear ? ":" : "", e->has_clear ? e->clear : "");
	if (n < 0 || n >= VPW_LINE_MAX)
		return qa_fail(err, QA_ERR_INVALID, "line",
		               "would be %d bytes; vpopmail reads at most %d", n, VPW_LINE_MAX - 1);
	if (buf_add(out, line, (size_t)n) < 0)
		return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
	return 0;
}

/* ======================================================= the whole file */

static struct span line_span(const struct vpw_file *f, size_t i)
{
	struct span s;

	s.p = f->text + f->line[i];
	s.n = f->line[i + 1] - f->line[i] - 1;    /* without the '\n' */
	return s;
}

/* The bytes before the first ':' (the whole line if there is none). */
static struct span name_of(const struct vpw_file *f, size_t i)
{
	struct span s = line_span(f, i);
	const char *c = memchr(s.p, ':', s.n);

	if (c)
		s.n = (size_t)(c - s.p);
	return s;
}

/* strcmp() order, which is the order vpopmail keeps (unsigned bytes). */
static int span_cmp(struct span a, struct span b)
{
	int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);

	if (c)
		return c;
	return a.n < b.n ? -1 : a.n > b.n;
}

static struct span cstr_span(const char *s)
{
	struct span v = { s, strlen(s) };

	return v;
}

static int grow_index(struct vpw_file *f, size_t *cap)
{
	size_t *v = realloc(f->line, *cap * 2 * sizeof(*v));

	if (!v)
		return -1;
	f->line = v;
	*cap *= 2;
	return 0;
}

/* One pass: the start of every line, and whether the names are in order
 * (each name is compared with the one before it as the pass goes). */
static int index_lines(struct vpw_file *f, struct qa_error *err)
{
	const char *p = f->text, *end = f->text + f->len;
	struct span prev = { "", 0 };
	size_t cap = f->len / 128 + 16;

	f->line = malloc(cap * sizeof(*f->line));
	if (!f->line)
		return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
	f->sorted = 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct span name = { p, (size_t)(nl - p) };
		const char *c = memchr(p, ':', name.n);

		if (f->n + 1 >= cap && grow_index(f, &cap) < 0)
			return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
		if (c)
			name.n = (size_t)(c - p);
		else
			f->nameless++;
		if (f->n > 0 && f->sorted && span_cmp(prev, name) > 0)
			f->sorted = 0;
		prev = name;
		f->line[f->n++] = (size_t)(p - f->text);
		p = nl + 1;
	}
	f->line[f->n] = f->len;
	return 0;
}

/* Takes ownership of text (allocated with one spare byte) and indexes it.
 * A last line without '\n' gets one: vpopmail's cdb builder would drop
 * that line, and every line we write ends in '\n'. */
static int adopt_text(struct vpw_file *f, char *text, size_t len, struct qa_error *err)
{
	memset(f, 0, sizeof(*f));
	f->text = text;
	f->len = len;
	if (len > 0 && text[len - 1] != '\n')
		text[f->len++] = '\n';
	if (index_lines(f, err) < 0) {
		vpasswd_free(f);
		return -1;
	}
	return 0;
}

int vpasswd_load_mem(struct vpw_file *f, const void *data, size_t len, struct qa_error *err)
{
	char *text;

	if (len > VPW_FILE_MAX)
		return qa_fail(err, QA_ERR_CORRUPT, "vpasswd", "larger than %zu bytes", VPW_FILE_MAX);
	text = malloc(len + 1);
	if (!text)
		return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
	if (len)
		memcpy(text, data, len);
	return adopt_text(f, text, len, err);
}

/* Reads fd to EOF into a buffer with one spare byte. The file is only ever
 * replaced by rename, so st_size is normally exact; growth is handled. */
static int read_all(int fd, size_t hint, char **out, size_t *outlen, struct qa_error *err)
{
	size_t cap = hint + 2, len = 0;
	char *p = malloc(cap), *np;
	ssize_t r;

	if (!p)
		return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
	for (;;) {
		if (len + 1 >= cap) {
			if (cap > VPW_FILE_MAX) {
				free(p);
				return qa_fail(err, QA_ERR_CORRUPT, "vpasswd", "too large");
			}
			np = realloc(p, cap * 2);
			if (!np) {
				free(p);
				return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
			}
			p = np;
			cap *= 2;
		}
		r = read(fd, p + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(p);
			return qa_fail_errno(err, "vpasswd", "read");
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	*out = p;
	*outlen = len;
	return 0;
}

static int domdir_path(char *out, size_t cap, const char *domdir, const char *name,
                       struct qa_error *err)
{
	int n;

	if (!domdir[0])
		return qa_fail(err, QA_ERR_INVALID, "domdir", "empty");
	n = snprintf(out, cap, "%s/%s", domdir, name);
	if (n < 0 || (size_t)n >= cap)
		return qa_fail(err, QA_ERR_INVALID, "domdir", "path too long");
	return 0;
}

/* The last file mapped, kept indexed: a change loads vpasswd once to check
 * (store_vpop.c, without the lock) and again under the lock, and the second
 * load is usually of the very same file. The kept mapping holds the inode,
 * so its number cannot be reused: while the path opens to the same device
 * and inode (and size, mtime and ctime agree) it is the same file, and
 * vpasswd is never rewritten in place, only replaced by rename. The cache
 * is dropped only when nothing loaded from it is still in use. */
static struct {
	int valid;
	struct stat st;
	struct vpw_file f;
	size_t refs;
} cache;

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size
	       && a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec
	       && a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void cache_drop(void)
{
	if (!cache.valid || cache.refs)
		return;
	cache.f.shared = 0;
	vpasswd_free(&cache.f);
	cache.valid = 0;
}

/* Hands f (just mapped and indexed) to the cache, if it may take it. */
static void cache_keep(struct vpw_file *f, const struct stat *st)
{
	cache_drop();
	if (cache.valid)
		return;
	cache.f = *f;
	cache.st = *st;
	cache.refs = 1;
	cache.valid = 1;
	f->shared = 1;
}

int vpasswd_load(struct vpw_file *f, const char *domdir, struct qa_error *err)
{
	char path[PATH_MAX], *text = NULL;
	struct stat st;
	size_t len = 0;
	int fd, rc;

	memset(f, 0, sizeof(*f));
	if (domdir_path(path, sizeof(path), domdir, "vpasswd", err) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return vpasswd_load_mem(f, "", 0, err);
	if (fd < 0)
		return qa_fail_errno(err, "vpasswd", "open %s", path);
	if (fstat(fd, &st) < 0) {
		rc = errno;
		close(fd);
		errno = rc;
		return qa_fail_errno(err, "vpasswd", "stat %s", path);
	}
	if ((size_t)st.st_size > VPW_FILE_MAX) {
		close(fd);
		return qa_fail(err, QA_ERR_CORRUPT, "vpasswd", "%s too large", path);
	}
	if (cache.valid && same_file(&cache.st, &st)) {
		close(fd);
		*f = cache.f;
		f->shared = 1;
		cache.refs++;
		return 0;
	}
	/* Map the file rather than copy it: vpasswd is only ever replaced by
	 * rename (vpopmail and we write a temp file), never truncated in place,
	 * so the mapping stays valid and keeps the old inode's bytes. A file
	 * without its final '\n' is read instead, to add one in memory. */
	if (st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
		               fd, 0);

		if (m != MAP_FAILED && ((const char *)m)[st.st_size - 1] == '\n') {
			close(fd);
			f->text = m;
			f->len = f->maplen = (size_t)st.st_size;
			if (index_lines(f, err) < 0) {
				vpasswd_free(f);
				return -1;
			}
			cache_keep(f, &st);
			return 0;
		}
		if (m != MAP_FAILED)
			munmap(m, (size_t)st.st_size);
	}
	rc = read_all(fd, (size_t)st.st_size, &text, &len, err);
	close(fd);
	if (rc < 0)
		return -1;
	return adopt_text(f, text, len, err);
}

void vpasswd_free(struct vpw_file *f)
{
	if (f->shared) {
		if (cache.valid && cache.refs && f->text == cache.f.text)
			cache.refs--;
		memset(f, 0, sizeof(*f));
		return;
	}
	if (f->maplen)
		munmap(f->text, f->maplen);
	else
		free(f->text);
	free(f->line);
	memset(f, 0, sizeof(*f));
}

size_t vpasswd_count(const struct vpw_file *f)
{
	return f->n;
}

void vpasswd_line(const struct vpw_file *f, size_t i, const char **p, size_t *len)
{
	struct span s = line_span(f, i);

	*p = s.p;
	*len = s.n;
}

int vpasswd_entry(const struct vpw_file *f, size_t i, struct vpw_entry *e,
                  struct qa_error *err)
{
	struct span s;

	if (i >= f->n)
		return qa_fail(err, QA_ERR_NOT_FOUND, "vpasswd", "no line %zu", i);
	s = line_span(f, i);
	return vpasswd_parse_line(s.p, s.n, e, err);
}

/* First line whose name is >= name (strict: > name), in a sorted file. */
static size_t bound(const struct vpw_file *f, struct span name, int strict)
{
	size_t lo = 0, hi = f->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = span_cmp(name_of(f, mid), name);

		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether line i is an entry for key: a line without ':' names no one
 * (vpopmail's reader and cdb builder skip or choke on it), even though it
 * still takes part in the ordering by its whole text. */
static int names(const struct vpw_file *f, size_t i, struct span key)
{
	struct span s = line_span(f, i);

	return key.n < s.n && s.p[key.n] == ':' && !memcmp(s.p, key.p, key.n);
}

static long find_span(const struct vpw_file *f, struct span name)
{
	size_t i;

	if (f->sorted) {
		for (i = bound(f, name, 0); i < f->n && span_cmp(name_of(f, i), name) == 0; i++)
			if (names(f, i, name))
				return (long)i;
		return -1;
	}
	for (i = 0; i < f->n; i++)
		if (names(f, i, name))
			return (long)i;
	return -1;
}

long vpasswd_find(const struct vpw_file *f, const char *name)
{
	return find_span(f, cstr_span(name));
}

int vpasswd_lookup(const struct vpw_file *f, const char *name, struct vpw_entry *e,
                   struct qa_error *err)
{
	long i = vpasswd_find(f, name);

	if (i < 0)
		return qa_fail(err, QA_ERR_NOT_FOUND, "name", "no user %s", name);
	return vpasswd_entry(f, (size_t)i, e, err);
}

/* ============================================================== changes */

/* The new vpasswd as runs of bytes, each made of whole '\n'-ended lines. */
struct plan {
	struct span *v;
	size_t n, cap;
	int failed;
};

static void plan_add(struct plan *pl, const char *p, size_t n)
{
	if (n == 0 || pl->failed)
		return;
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 16;
		struct span *v = realloc(pl->v, cap * sizeof(*v));

		if (!v) {
			pl->failed = 1;
			return;
		}
		pl->v = v;
		pl->cap = cap;
	}
	pl->v[pl->n].p = p;
	pl->v[pl->n++].n = n;
}

/* Old lines [from, to). */
static void plan_old(struct plan *pl, const struct vpw_file *f, size_t from, size_t to)
{
	plan_add(pl, f->text + f->line[from], f->line[to] - f->line[from]);
}

/* One cdb record per line, in file order: key = the name, value = the rest
 * of the line after the first ':' without the '\n' (vpopmail's
 * make_vpasswd_cdb). A line without ':' would crash vpopmail's builder;
 * there is nothing sensible to index for it, so it is skipped. */
static int add_records(struct cdbw *w, const struct plan *pl)
{
	size_t k;

	for (k = 0; k < pl->n; k++) {
		const char *p = pl->v[k].p, *end = p + pl->v[k].n;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *c = memchr(p, ':', (size_t)(nl - p));

			if (c && cdbw_add(w, p, (size_t)(c - p), c + 1, (size_t)(nl - c - 1)) < 0)
				return -1;
			p = nl + 1;
		}
	}
	return 0;
}

static size_t plan_bytes(const struct plan *pl)
{
	size_t k, n = 0;

	for (k = 0; k < pl->n; k++)
		n += pl->v[k].n;
	return n;
}

/* lines: about how many lines the plan holds (a size hint). */
static int open_cdb(struct cdbw *w, const char *domdir, const struct plan *pl,
                    size_t lines, struct qa_error *err)
{
	char path[PATH_MAX];

	if (domdir_path(path, sizeof(path), domdir, "vpasswd.cdb", err) < 0)
		return -1;
	if (cdbw_open(w, path, 0600) < 0)
		return qa_fail_errno(err, "vpasswd.cdb", "create temp for %s", path);
	cdbw_reserve(w, plan_bytes(pl), lines);
	if (add_records(w, pl) < 0 || cdbw_write(w) < 0) {
		qa_fail_errno(err, "vpasswd.cdb", "write %s", path);
		cdbw_abort(w);
		return -1;
	}
	return 0;
}

/* Dovecot's passwd-file (and other readers that cache vpasswd) rereads the
 * file only when its mtime, in whole seconds, or its size has changed. A
 * change that keeps the size (a new password hash, a flag, a quota) in the
 * same second as the last one would go unseen, and the old password would
 * keep working. So such a file is given the next second as its mtime; a
 * burst of changes may run the clock ahead by at most MTIME_AHEAD_MAX. */
#define MTIME_AHEAD_MAX 5

static void mtime_after(int fd, const char *path, off_t new_size)
{
	struct timespec now, ts[2];
	struct stat old;

	if (stat(path, &old) < 0 || old.st_size != new_size
	    || clock_gettime(CLOCK_REALTIME, &now) < 0 || now.tv_sec > old.st_mtime
	    || old.st_mtime > now.tv_sec + MTIME_AHEAD_MAX)
		return;
	ts[0].tv_sec = ts[1].tv_sec = old.st_mtime + 1;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	futimens(fd, ts);
}

/* Writes the planned vpasswd and its cdb, both to temp files first, then
 * renames vpasswd, then the cdb, so a reader never sees a cdb newer than
 * vpasswd. If the second rename fails the stale cdb is removed: vpopmail
 * rebuilds a missing cdb from vpasswd on its next lookup. */
static int write_both(const char *domdir, const struct plan *pl, size_t lines,
                      struct qa_error *err)
{
	char path[PATH_MAX];
	struct atomic_file af;
	struct cdbw w;
	struct iovec *iov;
	off_t size;
	size_t k;

	if (pl->failed || pl->n > INT_MAX)
		return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
	if (domdir_path(path, sizeof(path), domdir, "vpasswd", err) < 0)
		return -1;
	iov = malloc((pl->n ? pl->n : 1) * sizeof(*iov));
	if (!iov)
		return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
	for (k = 0; k < pl->n; k++) {
		iov[k].iov_base = (void *)pl->v[k].p;
		iov[k].iov_len = pl->v[k].n;
	}
	if (atomic_open(&af, path, 0600) < 0) {
		free(iov);
		return qa_fail_errno(err, "vpasswd", "create temp for %s", path);
	}
	/* straight from the old file's mapping and the new lines */
	atomic_writev(&af, iov, (int)pl->n);
	for (size = 0, k = 0; k < pl->n; k++)
		size += (off_t)pl->v[k].n;
	free(iov);
	mtime_after(af.fd, path, size);
	if (af.failed) {
		qa_fail_errno(err, "vpasswd", "write %s", path);
		atomic_abort(&af);
		return -1;
	}
	/* The disk writes vpasswd while the cdb is built, and the cdb while
	 * vpasswd is fsync'ed and renamed; both fsyncs below still wait. */
	atomic_start_sync(&af);
	if (open_cdb(&w, domdir, pl, lines, err) < 0) {
		atomic_abort(&af);
		return -1;
	}
	atomic_start_sync(&w.af);
	if (atomic_commit(&af) < 0) {
		qa_fail_errno(err, "vpasswd", "replace %s", path);
		cdbw_abort(&w);
		return -1;
	}
	if (cdbw_commit(&w) < 0) {
		qa_fail_errno(err, "vpasswd.cdb", "replace the cdb of %s", path);
		if (domdir_path(path, sizeof(path), domdir, "vpasswd.cdb", NULL) == 0
		    && unlink(path) == 0)
			fsync_parent(path);
		return -1;
	}
	return 0;
}

/* The lock and a fresh read: every change starts here, so it works on what
 * the last writer (us or vpopmail) left, never on a stale copy. */
struct session {
	int lockfd;
	struct vpw_file f;
	struct plan pl;
};

static int session_open(struct session *s, const char *domdir, struct qa_error *err)
{
	char path[PATH_MAX];

	memset(s, 0, sizeof(*s));
	s->lockfd = -1;
	if (domdir_path(path, sizeof(path), domdir, ".vpasswd.lock", err) < 0)
		return -1;
	s->lockfd = lock_take(path, VPW_LOCK_TIMEOUT_MS);
	if (s->lockfd < 0)
		return qa_fail_errno(err, "vpasswd", "lock %s", path);
	if (vpasswd_load(&s->f, domdir, err) < 0) {
		lock_drop(s->lockfd);
		s->lockfd = -1;
		return -1;
	}
	return 0;
}

static void session_close(struct session *s)
{
	free(s->pl.v);
	vpasswd_free(&s->f);
	if (s->lockfd >= 0)
		lock_drop(s->lockfd);
	s->lockfd = -1;
}

/* Drops every line named name, putting repl (if any) where the first one
 * was. Sorted files hold the matches in one run found by binary search. */
static int rewrite_matches(const char *domdir, const char *name, const struct buf *repl,
                           struct qa_error *err)
{
	struct session s;
	struct span key = cstr_span(name);
	size_t lo, hi, i, prev = 0, hits = 0;
	int rc;

	if (session_open(&s, domdir, err) < 0)
		return -1;
	lo = s.f.sorted ? bound(&s.f, key, 0) : 0;
	hi = s.f.sorted ? bound(&s.f, key, 1) : s.f.n;
	for (i = lo; i < hi; i++) {
		if (!names(&s.f, i, key))
			continue;
		plan_old(&s.pl, &s.f, prev, i);
		if (repl && hits == 0)
			plan_add(&s.pl, repl->p, repl->len);
		prev = i + 1;
		hits++;
	}
	plan_old(&s.pl, &s.f, prev, s.f.n);
	rc = hits ? write_both(domdir, &s.pl, s.f.n, err)
	          : qa_fail(err, QA_ERR_NOT_FOUND, "name", "no user %s", name);
	session_close(&s);
	return rc;
}

int vpasswd_replace(const char *domdir, const struct vpw_entry *e, struct qa_error *err)
{
	struct buf line = BUF_INIT;
	int rc;

	if (vpasswd_format_line(e, &line, err) < 0)
		return -1;
	rc = rewrite_matches(domdir, e->name, &line, err);
	buf_free(&line);
	return rc;
}

int vpasswd_delete(const char *domdir, const char *name, struct qa_error *err)
{
	if (check_name(name, err) < 0)
		return -1;
	return rewrite_matches(domdir, name, NULL, err);
}

int vpasswd_rebuild_cdb(const char *domdir, struct qa_error *err)
{
	struct session s;
	struct cdbw w;
	int rc = -1;

	if (session_open(&s, domdir, err) < 0)
		return -1;
	plan_old(&s.pl, &s.f, 0, s.f.n);
	if (s.pl.failed)
		qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
	else if (open_cdb(&w, domdir, &s.pl, s.f.n, err) == 0) {
		rc = cdbw_commit(&w);
		if (rc < 0)
			qa_fail_errno(err, "vpasswd.cdb", "replace the cdb in %s", domdir);
	}
	session_close(&s);
	return rc;
}

/* =========================================================== bulk adds */

/* The new lines, formatted once, and their order by name. */
struct item {
	const char *name;
	size_t k;          /* index into the caller's array and into off[] */
};

struct batch {
	struct buf text;
	size_t *off;       /* line k is text.p[off[k] .. off[k+1]) */
	struct item *order;  /* sorted by name */
	size_t *pos;       /* per sorted item: the old line it goes before */
	size_t n;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->name, ((const struct item *)b)->name);
}

static void batch_free(struct batch *b)
{
	buf_free(&b->text);
	free(b->off);
	free(b->order);
	free(b->pos);
}

/* Formats and sorts; refuses invalid entries and names given twice. */
static int batch_prepare(struct batch *b, const struct vpw_entry *v, size_t n,
                         struct qa_error *err)
{
	size_t j;

	memset(b, 0, sizeof(*b));
	b->n = n;
	b->off = calloc(n + 1, sizeof(*b->off));
	b->order = calloc(n ? n : 1, sizeof(*b->order));
	b->pos = calloc(n ? n : 1, sizeof(*b->pos));
	if (!b->off || !b->order || !b->pos)
		return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
	for (j = 0; j < n; j++) {
		b->off[j] = b->text.len;
		b->order[j].name = v[j].name;
		b->order[j].k = j;
		if (vpasswd_format_line(&v[j], &b->text, err) < 0)
			return -1;
	}
	b->off[n] = b->text.len;
	qsort(b->order, n, sizeof(*b->order), by_name);
	for (j = 1; j < n; j++)
		if (!strcmp(b->order[j - 1].name, b->order[j].name))
			return qa_fail(err, QA_ERR_EXISTS, "name", "%s given twice",
			               b->order[j].name);
	return 0;
}

/* Index (in sorted order) of the new entry called name, or -1. */
static long batch_find(const struct batch *b, struct span name)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = span_cmp(cstr_span(b->order[mid].name), name);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* QA_ERR_EXISTS naming the first new entry already in the file. A sorted
 * file is binary searched per new name; otherwise each old name is looked
 * up among the (sorted) new ones. */
static int batch_check_absent(const struct batch *b, const struct vpw_file *f,
                              struct qa_error *err)
{
	size_t i;
	long j;

	if (f->sorted) {
		for (i = 0; i < b->n; i++)
			if (find_span(f, cstr_span(b->order[i].name)) >= 0)
				return qa_fail(err, QA_ERR_EXISTS, "name", "%s exists",
				               b->order[i].name);
		return 0;
	}
	for (i = 0; i < f->n; i++) {
		struct span name = name_of(f, i);

		j = name.n < line_span(f, i).n ? batch_find(b, name) : -1;
		if (j >= 0)
			return qa_fail(err, QA_ERR_EXISTS, "name", "%s exists",
			               b->order[j].name);
	}
	return 0;
}

/* Where vpopmail's one-by-one inserts would put each new line: before the
 * first old line whose name is greater. Taken in sorted order these places
 * never decrease, so one pass over the old lines finds them all, sorted or
 * not, and adding earlier new lines never moves a later one's place. */
static void batch_place(struct batch *b, const struct vpw_file *f)
{
	size_t i, j = 0;

	if (f->sorted) {
		for (j = 0; j < b->n; j++)
			b->pos[j] = bound(f, cstr_span(b->order[j].name), 1);
		return;
	}
	for (i = 0; i < f->n && j < b->n; i++) {
		struct span old = name_of(f, i);

		while (j < b->n && span_cmp(old, cstr_span(b->order[j].name)) > 0)
			b->pos[j++] = i;
	}
	while (j < b->n)
		b->pos[j++] = f->n;
}

static void batch_plan(const struct batch *b, const struct vpw_file *f, struct plan *pl)
{
	size_t j, prev = 0;

	for (j = 0; j < b->n; j++) {
		size_t k = b->order[j].k;

		plan_old(pl, f, prev, b->pos[j]);
		plan_add(pl, b->text.p + b->off[k], b->off[k + 1] - b->off[k]);
		prev = b->pos[j];
	}
	plan_old(pl, f, prev, f->n);
}

int vpasswd_insert_many(const char *domdir, const struct vpw_entry *v, size_t n,
                        struct qa_error *err)
{
	struct batch b;
	struct session s;
	int rc = -1;

	if (n == 0)
		return 0;
	if (batch_prepare(&b, v, n, err) < 0) {
		batch_free(&b);
		return -1;
	}
	if (session_open(&s, domdir, err) < 0) {
		batch_free(&b);
		return -1;
	}
	if (batch_check_absent(&b, &s.f, err) == 0) {
		batch_place(&b, &s.f);
		batch_plan(&b, &s.f, &s.pl);
		rc = write_both(domdir, &s.pl, s.f.n + n, err);
	}
	session_close(&s);
	batch_free(&b);
	return rc;
}

int vpasswd_insert(const char *domdir, const struct vpw_entry *e, struct qa_error *err)
{
	return vpasswd_insert_many(domdir, e, 1, err);
}
