/* vpasswd_page: one page of a domain's vpasswd, in name or full-name order,
 * optionally filtered by a search text (see vpasswd.h). The list pages of
 * the web UI and the CLI read vpasswd this way: the file is mapped, not
 * copied or indexed, and walked once; only the lines of the page are
 * handed on (and parsed by the caller).
 *
 * Costs at 100,000 users: name order is the file's own (vpasswd is sorted),
 * so a page in either direction is one pass that counts the entries and
 * hands on the page as it passes it (descending walks from the end, so its
 * first page is found in the first lines it looks at). Full-name order
 * needs every line compared: the pass keeps only the offset + limit best
 * lines in a bounded heap (log(offset + limit) work for the few lines that
 * enter it) and sorts just those at the end.
 *
 * Must never: change the file, hand on a line without ':' (it names no
 * one, and is not counted), or allocate more than offset + limit entries. */
#include "config.h"

#include "vpasswd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* As vpasswd.c: far above any real domain, a bound on a hostile file. */
#define VPW_FILE_MAX ((size_t)1 << 30)

struct span {
	const char *p;
	size_t n;
};

/* ============================================================ mapping */

int vpasswd_map(const char *domdir, struct vpw_map *m, struct qa_error *err)
{
	char path[PATH_MAX];
	struct stat st;
	void *p;
	int fd, n;

	memset(m, 0, sizeof(*m));
	n = snprintf(path, sizeof(path), "%s/vpasswd", domdir);
	if (!domdir[0] || n < 0 || (size_t)n >= sizeof(path))
		return qa_fail(err, QA_ERR_INVALID, "domdir", "empty or too long");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return qa_fail_errno(err, "vpasswd", "open %s", path);
	if (fstat(fd, &st) < 0) {
		n = errno;
		close(fd);
		errno = n;
		return qa_fail_errno(err, "vpasswd", "stat %s", path);
	}
	if (st.st_size == 0 || (size_t)st.st_size > VPW_FILE_MAX) {
		close(fd);
		return st.st_size == 0 ? 0 : qa_fail(err, QA_ERR_CORRUPT, "vpasswd", "%s too large", path);
	}
	/* vpasswd is only ever replaced by rename, never truncated in place:
	 * the mapping keeps the bytes of the file we opened. */
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return qa_fail_errno(err, "vpasswd", "mmap %s", path);
	m->text = p;
	m->len = (size_t)st.st_size;
	return 0;
}

void vpasswd_unmap(struct vpw_map *m)
{
	if (m->len)
		munmap((void *)m->text, m->len);
	memset(m, 0, sizeof(*m));
}

/* ============================================================ one line */

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Whether h contains the lower-case needle, ignoring ASCII case. */
static int contains_ci(struct span h, const unsigned char *needle, size_t nn)
{
	size_t i, j;

	if (nn == 0)
		return 1;
	for (i = 0; i + nn <= h.n; i++) {
		if (ascii_lower((unsigned char)h.p[i]) != needle[0])
			continue;
		for (j = 1; j < nn && ascii_lower((unsigned char)h.p[i + j]) == needle[j]; j++)
			;
		if (j == nn)
			return 1;
	}
	return 0;
}

/* Field 5 (gecos) of an entry whose name ends at its first ':': between
 * the 4th and 5th colon; empty if absent. */
static struct span gecos_of(struct span line, struct span name)
{
	const char *p = name.p + name.n + 1, *end = line.p + line.n, *c;
	struct span g = { end, 0 };
	int k;

	for (k = 0; k < 3; k++) {
		c = memchr(p, ':', (size_t)(end - p));
		if (!c)
			return g;
		p = c + 1;
	}
	c = memchr(p, ':', (size_t)(end - p));
	g.p = p;
	g.n = (size_t)((c ? c : end) - p);
	return g;
}

/* What a walk needs: the query, the search text in lower case, the
 * matches counted so far and where the page goes. */
struct walk {
	const struct vpw_query *q;
	unsigned char needle[VPW_LINE_MAX];
	size_t nn;
	size_t total;
	vpw_line_fn fn;
	void *ctx;
	int rc;
};

/* The name (before the first ':') when the line is an entry that matches
 * the search; n = (size_t)-1 when it is not. */
static struct span entry_name(const struct walk *w, struct span line)
{
	const char *c = memchr(line.p, ':', line.n);
	struct span name = { line.p, (size_t)-1 };

	if (!c)
		return name;
	name.n = (size_t)(c - line.p);
	if (w->nn && !contains_ci(name, w->needle, w->nn)
	    && !contains_ci(gecos_of(line, name), w->needle, w->nn))
		name.n = (size_t)-1;
	return name;
}

/* Counts a matching line and hands it on when it falls on the page. */
static void take(struct walk *w, struct span line)
{
	const struct vpw_query *q = w->q;

	if (entry_name(w, line).n == (size_t)-1)
		return;
	if (w->total++ < q->offset || w->rc || (q->limit && w->total > q->offset + q->limit))
		return;
	w->rc = w->fn(w->ctx, line.p, line.n);
}

/* ================================================== name order: the file's */

static void walk_forward(struct walk *w, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct span line = { p, (size_t)((nl ? nl : end) - p) };

		take(w, line);
		p = line.p + line.n + 1;
	}
}

/* The last '\n' in text[0..end), looked for a window at a time: lines
 * are short, and a sanitizer checks the whole range memrchr is given. */
static const char *last_newline(const char *text, size_t end)
{
	while (end > 0) {
		size_t lo = end > 1024 ? end - 1024 : 0;
		const char *nl = memrchr(text + lo, '\n', end - lo);

		if (nl)
			return nl;
		end = lo;
	}
	return NULL;
}

/* From the last line to the first (a final '\n' ends the last line; it
 * does not start an empty one). */
static void walk_backward(struct walk *w, const char *text, size_t len)
{
	size_t end = len, start;

	if (len == 0)
		return;
	if (text[end - 1] == '\n')
		end--;
	for (;;) {
		const char *nl = last_newline(text, end);
		struct span line;

		start = nl ? (size_t)(nl - text) + 1 : 0;
		line.p = text + start;
		line.n = end - start;
		take(w, line);
		if (start == 0)
			return;
		end = start - 1;
	}
}

/* ============================================ full-name order: a bounded heap */

/* A line with what its place in gecos order is decided by. key holds the
 * first 16 bytes of the gecos in lower case, big-endian, so that most
 * comparisons are two integer compares (and a heap may take in every line
 * when the file comes in the reverse of the order asked for). */
struct keyed {
	struct span line, name, gecos;
	uint64_t key[2];
};

static void make_key(struct keyed *k)
{
	unsigned char b[16] = { 0 };
	uint64_t hi = 0, lo = 0;
	size_t i;

	memcpy(b, k->gecos.p, k->gecos.n < 16 ? k->gecos.n : 16);
	for (i = 0; i < 8; i++) {
		hi = hi << 8 | ascii_lower(b[i]);
		lo = lo << 8 | ascii_lower(b[i + 8]);
	}
	k->key[0] = hi;
	k->key[1] = lo;
}

static int span_cmp(struct span a, struct span b)
{
	int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);

	return c ? c : (a.n > b.n) - (a.n < b.n);
}

/* Full name ignoring ASCII case (other bytes as they are: UTF-8 sorts by
 * code point), then the name, then the whole line (duplicates of a name). */
static int keyed_cmp(const struct keyed *a, const struct keyed *b)
{
	size_t i, n = a->gecos.n < b->gecos.n ? a->gecos.n : b->gecos.n;
	int c;

	if (a->key[0] != b->key[0])
		return a->key[0] < b->key[0] ? -1 : 1;
	if (a->key[1] != b->key[1])
		return a->key[1] < b->key[1] ? -1 : 1;
	for (i = 16; i < n; i++) {
		c = ascii_lower((unsigned char)a->gecos.p[i]) - ascii_lower((unsigned char)b->gecos.p[i]);
		if (c)
			return c;
	}
	if (a->gecos.n != b->gecos.n)
		return a->gecos.n < b->gecos.n ? -1 : 1;
	c = span_cmp(a->name, b->name);
	return c ? c : span_cmp(a->line, b->line);
}

/* The heap keeps the best `cap` lines of the order seen so far; its root is
 * the worst of them, the one a better line replaces. */
struct heap {
	struct keyed *v;
	size_t n, alloc, cap;
	int desc;
	int failed;
};

/* > 0 when a comes after b in the page's order. */
static int after(const struct heap *h, const struct keyed *a, const struct keyed *b)
{
	int c = keyed_cmp(a, b);

	return h->desc ? -c : c;
}

static void sift_down(struct heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct keyed t;

		if (l < h->n && after(h, &h->v[l], &h->v[m]) > 0)
			m = l;
		if (r < h->n && after(h, &h->v[r], &h->v[m]) > 0)
			m = r;
		if (m == i)
			return;
		t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
}

static void sift_up(struct heap *h, size_t i)
{
	while (i > 0 && after(h, &h->v[i], &h->v[(i - 1) / 2]) > 0) {
		struct keyed t = h->v[i];

		h->v[i] = h->v[(i - 1) / 2];
		h->v[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void heap_offer(struct heap *h, const struct keyed *k)
{
	if (h->n < h->cap) {
		if (h->n == h->alloc) {
			size_t na = h->alloc ? h->alloc * 2 : 64;
			struct keyed *v;

			if (na > h->cap)
				na = h->cap;
			v = realloc(h->v, na * sizeof(*v));
			if (!v) {
				h->failed = 1;
				return;
			}
			h->v = v;
			h->alloc = na;
		}
		h->v[h->n] = *k;
		sift_up(h, h->n++);
	} else if (after(h, &h->v[0], k) > 0) {
		h->v[0] = *k;
		sift_down(h, 0);
	}
}

/* Pops the worst until empty: the kept lines end up in page order. */
static void heap_sort(struct heap *h)
{
	size_t n = h->n;

	while (h->n > 1) {
		struct keyed t = h->v[0];

		h->v[0] = h->v[--h->n];
		h->v[h->n] = t;
		sift_down(h, 0);
	}
	h->n = n;
}

static int walk_by_gecos(struct walk *w, const char *text, size_t len, struct qa_error *err)
{
	const struct vpw_query *q = w->q;
	const char *p = text, *end = text + len;
	struct heap h = { NULL, 0, 0, 0, q->descending, 0 };
	size_t i;

	h.cap = q->limit && q->offset <= SIZE_MAX - q->limit ? q->offset + q->limit : SIZE_MAX;
	while (p < end && !h.failed) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct keyed k;

		k.line.p = p;
		k.line.n = (size_t)((nl ? nl : end) - p);
		p = k.line.p + k.line.n + 1;
		k.name = entry_name(w, k.line);
		if (k.name.n == (size_t)-1)
			continue;
		w->total++;
		k.gecos = gecos_of(k.line, k.name);
		make_key(&k);
		heap_offer(&h, &k);
	}
	if (h.failed) {
		free(h.v);
		return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
	}
	heap_sort(&h);
	for (i = q->offset; i < h.n && w->rc == 0; i++)
		w->rc = w->fn(w->ctx, h.v[i].line.p, h.v[i].line.n);
	free(h.v);
	return 0;
}

/* ============================================================= the page */

int vpasswd_page(const char *text, size_t len, const struct vpw_query *q, vpw_line_fn fn,
                 void *ctx, size_t *total, struct qa_error *err)
{
	struct walk w;
	size_t k;

	memset(&w, 0, sizeof(w));
	w.q = q;
	w.fn = fn;
	w.ctx = ctx;
	w.nn = q->search ? strlen(q->search) : 0;
	*total = 0;
	if (w.nn >= sizeof(w.needle))
		return 0;     /* longer than any line vpopmail can read */
	for (k = 0; k < w.nn; k++)
		w.needle[k] = ascii_lower((unsigned char)q->search[k]);
	if (q->by_gecos) {
		if (walk_by_gecos(&w, text, len, err) < 0)
			return -1;
	} else if (q->descending) {
		walk_backward(&w, text, len);
	} else {
		walk_forward(&w, text, len);
	}
	*total = w.total;
	return w.rc;
}
