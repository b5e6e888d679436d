/* vpasswd_page: one page of a domain's vpasswd, in name or full-name order,
 * optionally filtered by a search text (see vpasswd.h). The list pages of
 * the web UI and the CLI read vpasswd this way: the file is mapped, not
 * copied or indexed, and walked once; only the lines of the page are
 * handed on (and parsed by the caller).
 *
 * Costs at 100,000 users: name order is the file's own (vpasswd is kept
 * sorted: vpopmail and vpasswd.c insert each name in its place), and
 * without a search the number of entries comes from vpasswd.cdb's header
 * (vpasswd_map), so a page by name reads only the lines up to it, from
 * whichever end of the file is nearer: page 1 (and -name's page 1, from
 * the end) reads 50 lines, a page in the middle half of the file. With a
 * search, or when the cdb cannot be trusted, the walk goes on to count.
 * Full-name order needs every line compared: the pass keeps only the
 * offset + limit best lines in a bounded heap (log(offset + limit) work
 * for the few lines that enter it) and sorts just those at the end.
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

/* The records of a cdb file, from its 2 KB header alone: 256 pairs
 * (table position, slots), and every table has twice as many slots as
 * records (formats.md 0.1). 0 on success, -1 if the header is unreadable. */
static int cdb_record_count(int fd, size_t *n)
{
	unsigned char h[2048];
	unsigned long long slots = 0;
	size_t i;

	if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return -1;
	for (i = 0; i < 256; i++) {
		const unsigned char *p = h + 8 * i + 4;

		slots += (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16
		         | (unsigned long)p[3] << 24;
	}
	if (slots % 2 || slots / 2 > SIZE_MAX)
		return -1;
	*n = (size_t)(slots / 2);
	return 0;
}

static int not_older(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec > b->st_mtim.tv_sec
	       || (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec >= b->st_mtim.tv_nsec);
}

/* vpasswd.cdb's record count and its stat, read before vpasswd is opened:
 * every writer (vpopmail's tools and vpasswd.c) renames vpasswd first and
 * the cdb after it, so a cdb opened first and not older than the vpasswd
 * opened next was built from that vpasswd (or, within one clock tick, from
 * the one before it: a view racing a change). 0, or -1 when unusable. */
static int cdb_count(const char *domdir, struct stat *st, size_t *n)
{
	char path[PATH_MAX];
	int fd, rc, k = snprintf(path, sizeof(path), "%s/vpasswd.cdb", domdir);

	if (k < 0 || (size_t)k >= sizeof(path) || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	rc = fstat(fd, st) == 0 ? cdb_record_count(fd, n) : -1;
	close(fd);
	return rc;
}

int vpasswd_map(const char *domdir, struct vpw_map *m, struct qa_error *err)
{
	char path[PATH_MAX];
	struct stat st, cst;
	size_t records = 0;
	void *p;
	int fd, n, have_cdb;

	memset(m, 0, sizeof(*m));
	n = snprintf(path, sizeof(path), "%s/vpasswd", domdir);
	if (!domdir[0] || n < 0 || (size_t)n >= sizeof(path))
		return qa_fail(err, QA_ERR_INVALID, "domdir", "empty or too long");
	have_cdb = cdb_count(domdir, &cst, &records) == 0;
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
	/* vpopmail's cdb builder leaves out a last line without its '\n'
	 * (formats.md 1.2): then the cdb counts one entry less than the text. */
	if (have_cdb && not_older(&cst, &st) && m->text[m->len - 1] == '\n') {
		m->entries = records;
		m->entries_known = 1;
	}
	return 0;
}

void vpasswd_unmap(struct vpw_map *m)
{
	if (m->len)
		munmap((void *)m->text, m->len);
	memset(m, 0, sizeof(*m));
}

static int count_one(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	(void)line;
	(void)len;
	return 0;
}

size_t vpasswd_entries(const char *domdir)
{
	struct vpw_query q = { NULL, 0, 0, 0, 1, NULL };
	struct vpw_map m;
	size_t n = 0;

	if (vpasswd_map(domdir, &m, NULL) < 0)
		return 0;
	if (m.entries_known)
		n = m.entries;
	else if (vpasswd_page(m.text, m.len, &q, count_one, NULL, &n, NULL) < 0)
		n = 0;
	vpasswd_unmap(&m);
	return n;
}

/* ============================================================ case folding */

/* The lower case of the letters that full names in Western and Central
 * European languages use: ASCII, and in UTF-8 the Latin-1 Supplement
 * (U+00C0..U+00DE, but not the multiplication sign) and Latin Extended-A
 * (U+0100..U+017E) capitals. Each pair is two bytes in UTF-8 both ways, so
 * a folded text is as long as the text, and a byte's fold depends only on
 * its neighbours: compares and searches fold as they go, copying nothing.
 * Letters without a two-byte lower case (U+0130, dotted I) stay as they are.
 * Order is then the byte order of the folded UTF-8: a-z, then the Latin-1
 * letters (à..þ: å ä ö after z, as in Swedish; é after z too, not with e),
 * then Latin Extended-A. No locale, no ICU: one order for every language. */
static const struct fold_range {
	unsigned short first, last;
	short delta;               /* lower = capital + delta */
	unsigned char parity;      /* capitals: 0 even, 1 odd, 2 all */
} fold_ranges[] = {
	{ 0xC0, 0xD6, 0x20, 2 },      /* À..Ö */
	{ 0xD8, 0xDE, 0x20, 2 },      /* Ø..Þ */
	{ 0x100, 0x12F, 1, 0 },       /* Ā ā .. Į į */
	{ 0x132, 0x137, 1, 0 },       /* Ĳ ĳ .. Ķ ķ */
	{ 0x139, 0x148, 1, 1 },       /* Ĺ ĺ .. Ň ň */
	{ 0x14A, 0x177, 1, 0 },       /* Ŋ ŋ .. Ŷ ŷ */
	{ 0x178, 0x178, 0xFF - 0x178, 2 },  /* Ÿ ÿ */
	{ 0x179, 0x17E, 1, 1 },       /* Ź ź .. Ž ž */
};

/* The code point of a two-byte sequence led by 0xC3..0xC5 folded. */
static unsigned fold_pair(unsigned char lead, unsigned char cont)
{
	unsigned cp = (unsigned)(lead & 0x1F) << 6 | (cont & 0x3F);
	size_t i;

	for (i = 0; i < sizeof(fold_ranges) / sizeof(fold_ranges[0]); i++) {
		const struct fold_range *r = &fold_ranges[i];

		if (cp >= r->first && cp <= r->last && (r->parity == 2 || cp % 2 == r->parity))
			return (unsigned)((int)cp + r->delta);
	}
	return cp;
}

static int folds_lead(unsigned char b)
{
	return b >= 0xC3 && b <= 0xC5;
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Byte i of the folded s[0..n), for a byte of 0x80 or more. */
static unsigned char fold_high(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char b = u[i];

	if (folds_lead(b) && i + 1 < n && (u[i + 1] & 0xC0) == 0x80)
		return (unsigned char)(0xC0 | fold_pair(b, u[i + 1]) >> 6);
	if ((b & 0xC0) == 0x80 && i > 0 && folds_lead(u[i - 1]))
		return (unsigned char)(0x80 | (fold_pair(u[i - 1], b) & 0x3F));
	return b;
}

/* Byte i of the folded s[0..n): ASCII inline, the rest out of line. */
static inline unsigned char fold_at(const char *s, size_t n, size_t i)
{
	unsigned char b = (unsigned char)s[i];

	return b < 0x80 ? ascii_lower(b) : fold_high(s, n, i);
}

/* ============================================================ one line */

/* Whether h contains the folded needle, folding h. */
static int contains_ci(struct span h, const unsigned char *needle, size_t nn)
{
	size_t i, j;

	if (nn == 0)
		return 1;
	for (i = 0; i + nn <= h.n; i++) {
		if (fold_at(h.p, h.n, i) != needle[0])
			continue;
		for (j = 1; j < nn && fold_at(h.p, h.n, i + j) == needle[j]; j++)
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

/* What a walk needs: the search text folded, the page (offset, limit),
 * the matches counted so far and where the page goes. stop: the total is
 * known, so the walk may end with the page. */
struct walk {
	unsigned char needle[VPW_LINE_MAX];
	size_t nn;
	size_t offset, limit;
	int stop;
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

/* Counts a matching line and hands it on when it falls on the page.
 * 1 when the walk may end here. */
static int take(struct walk *w, struct span line)
{
	if (entry_name(w, line).n == (size_t)-1)
		return 0;
	w->total++;
	if (w->total > w->offset && !w->rc && (!w->limit || w->total <= w->offset + w->limit))
		w->rc = w->fn(w->ctx, line.p, line.n);
	return w->stop && (w->rc || (w->limit && w->total >= w->offset + w->limit));
}

/* ================================================== name order: the file's */

static void walk_forward(struct walk *w, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct span line = { p, (size_t)((nl ? nl : end) - p) };

		if (take(w, line))
			return;
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
		if (take(w, line) || start == 0)
			return;
		end = start - 1;
	}
}

/* ============================================ full-name order: a bounded heap */

/* A line with what its place in gecos order is decided by. key holds the
 * first 16 bytes of the folded gecos, big-endian, so that most
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
	size_t i, n = k->gecos.n < 16 ? k->gecos.n : 16;

	memcpy(b, k->gecos.p, n);
	memcpy(&hi, b, 8);
	memcpy(&lo, b + 8, 8);
	if ((hi | lo) & 0x8080808080808080ULL) {     /* not all ASCII */
		for (i = 0; i < n; i++)
			b[i] = fold_at(k->gecos.p, k->gecos.n, i);
	} else {
		for (i = 0; i < 16; i++)
			b[i] = ascii_lower(b[i]);
	}
	hi = lo = 0;
	for (i = 0; i < 8; i++) {
		hi = hi << 8 | b[i];
		lo = lo << 8 | b[i + 8];
	}
	k->key[0] = hi;
	k->key[1] = lo;
}

static int span_cmp(struct span a, struct span b)
{
	int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);

	return c ? c : (a.n > b.n) - (a.n < b.n);
}

/* The folded full name (byte order of the folded UTF-8), then the name,
 * then the whole line (duplicates of a name). */
static int keyed_cmp(const struct keyed *a, const struct keyed *b)
{
	size_t i, n = a->gecos.n < b->gecos.n ? a->gecos.n : b->gecos.n;
	int c;

	if (a->key[0] != b->key[0])
		return a->key[0] < b->key[0] ? -1 : 1;
	if (a->key[1] != b->key[1])
		return a->key[1] < b->key[1] ? -1 : 1;
	for (i = 16; i < n; i++) {
		c = fold_at(a->gecos.p, a->gecos.n, i) - fold_at(b->gecos.p, b->gecos.n, i);
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

static int walk_by_gecos(struct walk *w, int desc, const char *text, size_t len,
                         struct qa_error *err)
{
	const char *p = text, *end = text + len;
	struct heap h = { NULL, 0, 0, 0, desc, 0 };
	size_t i;

	h.cap = w->limit && w->offset <= SIZE_MAX - w->limit ? w->offset + w->limit : SIZE_MAX;
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
	for (i = w->offset; i < h.n && w->rc == 0; i++)
		w->rc = w->fn(w->ctx, h.v[i].line.p, h.v[i].line.n);
	free(h.v);
	return 0;
}

/* ============================================ name order, from the far end */

/* A page in the second half of name order (or the first half of -name) is
 * nearer the other end of the file: walk from there to the page, keep its
 * lines, and hand them on in the order asked for. Needs the total. */
struct far {
	struct span *v;
	size_t n;
};

static int keep_far(void *ctx, const char *line, size_t len)
{
	struct far *f = ctx;

	f->v[f->n].p = line;
	f->v[f->n++].n = len;
	return 0;
}

static int walk_far(struct walk *w, int desc, size_t entries, const char *text, size_t len,
                    struct qa_error *err)
{
	struct walk back = *w;
	struct far f = { NULL, 0 };
	size_t n = entries - w->offset < w->limit ? entries - w->offset : w->limit;

	f.v = malloc(n * sizeof(*f.v));
	if (!f.v)
		return qa_fail(err, QA_ERR_NOMEM, "vpasswd", "out of memory");
	back.offset = entries - w->offset - n;
	back.limit = n;
	back.fn = keep_far;
	back.ctx = &f;
	if (desc)
		walk_forward(&back, text, len);
	else
		walk_backward(&back, text, len);
	while (f.n > 0 && w->rc == 0) {
		f.n--;
		w->rc = w->fn(w->ctx, f.v[f.n].p, f.v[f.n].n);
	}
	free(f.v);
	return 0;
}

/* ============================================================= the page */

/* By name, with the total known: the page from the nearer end, stopping
 * there; otherwise from the end the order starts at, to the end. */
static int walk_by_name(struct walk *w, const struct vpw_query *q, const char *text, size_t len,
                        struct qa_error *err)
{
	size_t n;

	if (q->entries && !w->nn) {
		w->stop = 1;
		if (w->offset >= *q->entries)
			return 0;
		n = *q->entries - w->offset;
		if (w->limit && n > w->limit)
			n = w->limit;
		/* from the far end: total - offset lines, against offset + n */
		if (w->limit && *q->entries - w->offset < w->offset + n)
			return walk_far(w, q->descending, *q->entries, text, len, err);
	}
	if (q->descending)
		walk_backward(w, text, len);
	else
		walk_forward(w, text, len);
	return 0;
}

int vpasswd_page(const char *text, size_t len, const struct vpw_query *q, vpw_line_fn fn,
                 void *ctx, size_t *total, struct qa_error *err)
{
	struct walk w;
	size_t k;
	int rc;

	memset(&w, 0, sizeof(w));
	w.offset = q->offset;
	w.limit = q->limit;
	w.fn = fn;
	w.ctx = ctx;
	w.nn = q->search ? strlen(q->search) : 0;
	*total = 0;
	if (w.nn >= sizeof(w.needle))
		return 0;     /* longer than any line vpopmail can read */
	for (k = 0; k < w.nn; k++)
		w.needle[k] = fold_at(q->search, w.nn, k);
	rc = q->by_gecos ? walk_by_gecos(&w, q->descending, text, len, err)
	                 : walk_by_name(&w, q, text, len, err);
	if (rc < 0)
		return -1;
	*total = q->entries && !w.nn && !q->by_gecos ? *q->entries : w.total;
	return w.rc;
}
