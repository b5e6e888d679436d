/* multipart: multipart/form-data bodies (RFC 7578 over RFC 2046), parsed by
 * an incremental state machine so that the body may arrive in chunks of any
 * size, split anywhere, and give the same result as if it came whole.
 *
 * A file part goes straight to a mkstemp() file in the caller's temp dir
 * through a small fixed write buffer; this file must never hold an upload in
 * memory, and never uses the browser's filename for anything but a string.
 * Every limit is checked as the bytes arrive, byte-exactly, so an error does
 * not depend on how the body was chunked.
 *
 * The delimiter is "\r\n--boundary": the CRLF before it belongs to it, not
 * to the part. Parsing starts as if "\r\n" had already been read, so the
 * first delimiter may open the body without a preamble. */
#include "config.h"

#include "multipart.h"

#include "arena.h"
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BOUNDARY_MAX 70        /* RFC 2046 */
#define HEADER_BLOCK_MAX 8192  /* one part's header lines, CRLFs included */
#define WBUF_SIZE 8192

enum mp_state {
	S_DATA,           /* preamble or part body; m->match delimiter bytes held */
	S_AFTER_DELIM,    /* "\r\n--boundary" read: the next byte decides */
	S_AFTER_DASH,     /* "\r\n--boundary-" read */
	S_PADDING,        /* transport padding after a delimiter */
	S_LF,             /* the CR ending a delimiter line was read */
	S_HEADERS,        /* a part's header block */
	S_CLOSE_PADDING,  /* after "--boundary--" */
	S_CLOSE_LF,
	S_EPILOGUE
};

enum part_kind { P_NONE, P_FIELD, P_FILE };

struct multipart {
	struct arena *a;
	struct req_limits lim;
	const char *tmpdir;
	char delim[4 + BOUNDARY_MAX];  /* "\r\n--" boundary */
	size_t dlen;
	size_t match;                  /* bytes of delim matched and held back */
	enum mp_state state;
	int err;
	int finished;
	size_t total;

	/* the part being read */
	struct buf line;               /* header line being collected */
	size_t hdr_bytes;
	int have_disp;
	const char *name, *filename, *ctype;
	enum part_kind kind;
	struct buf value;              /* a field's value so far */
	struct upload *cur;            /* a file part's upload */
	int fd;
	char *wbuf;
	size_t wlen;

	/* results, in order */
	struct param *fields, **ftail;
	size_t nfields;
	struct upload *files, **utail;
	size_t nfiles;
};

/* ------------------------------------------------------------ header values */

/* One parameter of a header value, as slices of the value. */
struct hparam {
	const char *name;
	size_t nlen;
	const char *val;
	size_t vlen;
	int quoted;
};

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_ows(const char *s)
{
	while (is_ows(*s))
		s++;
	return s;
}

/* RFC 2045 tspecials. Inside a quoted value only these may be backslash-
 * escaped: old browsers send Windows paths ("C:\dir\f.txt") in filename
 * unescaped, so a backslash before anything else is kept as a literal. */
static int is_tspecial(char c)
{
	return c != '\0' && strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

static int is_token_char(char c)
{
	unsigned char u = (unsigned char)c;

	return u > 0x20 && u < 0x7f && !is_tspecial(c);
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* s[0..n) equals the lower-case word w, ignoring ASCII case (not the locale's). */
static int ascii_ieq(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] == '\0' || ascii_lower((unsigned char)s[i]) != w[i])
			return 0;
	return w[n] == '\0';
}

/* Returns the closing quote of a quoted value starting after its opening one. */
static const char *scan_quoted(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' && is_tspecial(s[1]))
			s++;
		else if (*s == '"')
			return s;
	}
	return NULL;
}

static const char *scan_value(const char *s, struct hparam *hp)
{
	const char *e;

	if (*s == '"') {
		e = scan_quoted(s + 1);
		if (!e)
			return NULL;
		hp->val = s + 1;
		hp->vlen = (size_t)(e - hp->val);
		hp->quoted = 1;
		return e + 1;
	}
	/* Unquoted: up to ';', spaces inside kept (some clients send them). */
	for (e = s; *e && *e != ';'; e++)
		;
	hp->val = s;
	hp->quoted = 0;
	while (e > s && is_ows(e[-1]))
		e--;
	hp->vlen = (size_t)(e - s);
	return e;
}

/* Reads the next "; name=value" of a header value: 1 and *hp filled, 0 at the
 * end, -1 on a syntax error. */
static int hparam_next(const char **sp, struct hparam *hp)
{
	const char *s = skip_ows(*sp);

	if (*s == '\0')
		return 0;
	if (*s != ';')
		return -1;
	s = skip_ows(s + 1);
	if (*s == '\0') {
		*sp = s;
		return 0;
	}
	hp->name = s;
	while (is_token_char(*s))
		s++;
	hp->nlen = (size_t)(s - hp->name);
	s = skip_ows(s);
	if (hp->nlen == 0 || *s != '=')
		return -1;
	s = scan_value(skip_ows(s + 1), hp);
	if (!s)
		return -1;
	*sp = s;
	return 1;
}

/* Copies the value, escapes removed, into dst; -1 if it does not fit cap. */
static int hparam_unquote(const struct hparam *hp, char *dst, size_t cap, size_t *len)
{
	size_t i, o = 0;

	for (i = 0; i < hp->vlen; i++) {
		char c = hp->val[i];

		if (hp->quoted && c == '\\' && i + 1 < hp->vlen && is_tspecial(hp->val[i + 1]))
			c = hp->val[++i];
		if (o + 1 >= cap)
			return -1;
		dst[o++] = c;
	}
	if (cap == 0)
		return -1;
	dst[o] = '\0';
	*len = o;
	return 0;
}

/* RFC 2046 bchars, and no CR or LF: the delimiter matcher relies on that. */
static int boundary_valid(const char *b, size_t len)
{
	static const char bchars[] = "'()+_,-./:=? ";
	size_t i;

	if (len == 0 || len > BOUNDARY_MAX || b[len - 1] == ' ')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)b[i];

		if (!(c >= '0' && c <= '9') && !(ascii_lower(c) >= 'a' && ascii_lower(c) <= 'z')
		    && !(c != '\0' && strchr(bchars, c)))
			return 0;
	}
	return 1;
}

static int find_boundary(const char *s, char *out, size_t outlen)
{
	struct hparam hp;
	size_t len = 0;
	int found = 0, rc;

	while ((rc = hparam_next(&s, &hp)) == 1) {
		if (!ascii_ieq(hp.name, hp.nlen, "boundary"))
			continue;
		/* Two boundaries would let two readers of this body disagree. */
		if (found++)
			return PARSE_BAD;
		if (hparam_unquote(&hp, out, outlen, &len) < 0)
			return PARSE_BAD;
	}
	if (rc < 0 || !found || !boundary_valid(out, len))
		return PARSE_BAD;
	return PARSE_OK;
}

int multipart_boundary(const char *content_type, char *out, size_t outlen)
{
	static const char type[] = "multipart/form-data";
	const char *s;
	int rc;

	if (!content_type || !out || outlen == 0)
		return PARSE_BAD;
	s = skip_ows(content_type);
	if (strlen(s) < sizeof(type) - 1 || !ascii_ieq(s, sizeof(type) - 1, type))
		return PARSE_BAD;
	s += sizeof(type) - 1;
	if (*s != '\0' && *s != ';' && !is_ows(*s))
		return PARSE_BAD;
	rc = find_boundary(s, out, outlen);
	if (rc != PARSE_OK)
		out[0] = '\0';
	return rc;
}

/* ------------------------------------------------------------ errors, files */

void uploads_unlink(struct upload *files)
{
	for (; files; files = files->next)
		if (files->path)
			unlink(files->path);
}

static void drop_files(struct multipart *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	uploads_unlink(m->files);
	m->files = NULL;
	m->utail = &m->files;
}

/* Records the first error; from then on nothing is kept, on disk or not. */
static int fail(struct multipart *m, int err)
{
	if (!m->err)
		m->err = err;
	drop_files(m);
	buf_free(&m->line);
	buf_free(&m->value);
	return m->err;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A full disk is the server's problem, not the client's: 500, not 400. */
static int flush(struct multipart *m)
{
	if (m->wlen > 0 && write_all(m->fd, m->wbuf, m->wlen) < 0)
		return fail(m, PARSE_NOMEM);
	m->wlen = 0;
	return PARSE_OK;
}

static int open_upload(struct multipart *m)
{
	struct upload *u = arena_alloc(m->a, sizeof(*u));
	char *path = arena_printf(m->a, "%s/qa-upload-XXXXXX", m->tmpdir);

	if (!u || !path)
		return fail(m, PARSE_NOMEM);
	/* mkstemp makes the file 0600 and O_EXCL; no one else may read an upload. */
	m->fd = mkstemp(path);
	if (m->fd < 0)
		return fail(m, PARSE_NOMEM);
	(void)fcntl(m->fd, F_SETFD, FD_CLOEXEC);
	u->field = m->name;
	u->filename = m->filename;
	u->ctype = m->ctype && *m->ctype ? m->ctype : "application/octet-stream";
	u->path = path;
	*m->utail = u;
	m->utail = &u->next;
	m->cur = u;
	return PARSE_OK;
}

/* ------------------------------------------------------------ part bodies */

static void emit_field(struct multipart *m, const char *p, size_t n)
{
	size_t room = m->lim.max_value - m->value.len;

	/* Look for a NUL only where a byte-at-a-time feed would have: same error. */
	if (memchr(p, '\0', n < room ? n : room)) {
		fail(m, PARSE_BAD);
		return;
	}
	if (n > room) {
		fail(m, PARSE_TOO_LARGE);
		return;
	}
	if (buf_add(&m->value, p, n) < 0)
		fail(m, PARSE_NOMEM);
}

static void emit_file(struct multipart *m, const char *p, size_t n)
{
	m->cur->size += n;
	if (m->wlen == 0 && n >= WBUF_SIZE) {
		if (write_all(m->fd, p, n) < 0)
			fail(m, PARSE_NOMEM);
		return;
	}
	while (n > 0) {
		size_t k = WBUF_SIZE - m->wlen;

		if (k > n)
			k = n;
		memcpy(m->wbuf + m->wlen, p, k);
		m->wlen += k;
		p += k;
		n -= k;
		if (m->wlen == WBUF_SIZE && flush(m) != PARSE_OK)
			return;
	}
}

/* Body bytes of the current part; the preamble's are dropped. */
static void emit(struct multipart *m, const char *p, size_t n)
{
	if (m->err || n == 0)
		return;
	if (m->kind == P_FIELD)
		emit_field(m, p, n);
	else if (m->kind == P_FILE)
		emit_file(m, p, n);
}

/* The held-back bytes turned out not to be a delimiter: they are data. */
static void emit_held(struct multipart *m)
{
	emit(m, m->delim, m->match);
	m->match = 0;
}

static void end_field(struct multipart *m)
{
	struct param *p = arena_alloc(m->a, sizeof(*p));

	if (!p) {
		fail(m, PARSE_NOMEM);
		return;
	}
	p->name = m->name;
	p->value = arena_strndup(m->a, m->value.len ? m->value.p : "", m->value.len);
	p->len = m->value.len;
	if (!p->value) {
		fail(m, PARSE_NOMEM);
		return;
	}
	*m->ftail = p;
	m->ftail = &p->next;
	buf_reset(&m->value);
}

static void end_file(struct multipart *m)
{
	int fd = m->fd;

	if (flush(m) != PARSE_OK)
		return;
	m->fd = -1;
	m->cur = NULL;
	if (close(fd) < 0)
		fail(m, PARSE_NOMEM);
}

/* A delimiter was recognised: the part before it is complete. */
static void end_part(struct multipart *m)
{
	if (m->kind == P_FIELD)
		end_field(m);
	else if (m->kind == P_FILE)
		end_file(m);
	m->kind = P_NONE;
}

/* Passes data on up to a possible delimiter, then matches it byte by byte.
 * Since a boundary holds no CR, a failed match can only restart at a CR. */
static size_t step_data(struct multipart *m, const char *p, size_t n)
{
	size_t i = 0;

	if (m->match == 0) {
		const char *cr = memchr(p, '\r', n);
		size_t span = cr ? (size_t)(cr - p) : n;

		if (span > 0) {
			emit(m, p, span);
			return span;
		}
	}
	while (i < n && m->match < m->dlen) {
		if (p[i] == m->delim[m->match]) {
			m->match++;
			i++;
			continue;
		}
		emit_held(m);
		if (p[i] != '\r')
			return i;
		m->match = 1;
		i++;
	}
	if (m->match == m->dlen)
		m->state = S_AFTER_DELIM;
	return i;
}

/* ------------------------------------------------------------ part headers */

static int store_disposition(struct multipart *m, const struct hparam *hp)
{
	const char **dst;
	char *v;
	size_t len;

	if (ascii_ieq(hp->name, hp->nlen, "name"))
		dst = &m->name;
	else if (ascii_ieq(hp->name, hp->nlen, "filename"))
		dst = &m->filename;
	else
		return PARSE_OK;        /* filename* and others: not needed */
	if (*dst)
		return PARSE_BAD;
	v = arena_alloc(m->a, hp->vlen + 1);
	if (!v)
		return PARSE_NOMEM;
	if (hparam_unquote(hp, v, hp->vlen + 1, &len) < 0)
		return PARSE_BAD;
	if (dst == &m->name && len > m->lim.max_name)
		return PARSE_TOO_LARGE;
	*dst = v;
	return PARSE_OK;
}

static int parse_disposition(struct multipart *m, const char *v)
{
	static const char type[] = "form-data";
	struct hparam hp;
	const char *s = v;
	int rc;

	if (m->have_disp)
		return PARSE_BAD;
	m->have_disp = 1;
	while (is_token_char(*s))
		s++;
	if (!ascii_ieq(v, (size_t)(s - v), type))
		return PARSE_BAD;
	while ((rc = hparam_next(&s, &hp)) == 1) {
		rc = store_disposition(m, &hp);
		if (rc != PARSE_OK)
			return rc;
	}
	return rc < 0 ? PARSE_BAD : PARSE_OK;
}

/* One header line without its CRLF, NUL-terminated in place. */
static int parse_header(struct multipart *m, char *s, size_t n)
{
	char *colon, *v, *e;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return PARSE_BAD;
	}
	colon = memchr(s, ':', n);
	if (!colon || colon == s)
		return PARSE_BAD;
	for (i = 0; s + i < colon; i++)
		if (!is_token_char(s[i]))
			return PARSE_BAD;  /* also refuses folded (continued) lines */
	v = (char *)skip_ows(colon + 1);
	for (e = s + n; e > v && is_ows(e[-1]); e--)
		;
	*e = '\0';
	if (ascii_ieq(s, (size_t)(colon - s), "content-disposition"))
		return parse_disposition(m, v);
	if (!ascii_ieq(s, (size_t)(colon - s), "content-type"))
		return PARSE_OK;
	if (m->ctype)
		return PARSE_BAD;
	m->ctype = arena_strdup(m->a, v);
	return m->ctype ? PARSE_OK : PARSE_NOMEM;
}

static void start_headers(struct multipart *m)
{
	m->state = S_HEADERS;
	m->hdr_bytes = 0;
	m->have_disp = 0;
	m->name = m->filename = m->ctype = NULL;
	buf_reset(&m->line);
}

/* The blank line after the headers: the part's body starts. */
static int start_body(struct multipart *m)
{
	if (!m->name)
		return PARSE_BAD;      /* RFC 7578: form-data with a name is required */
	m->state = S_DATA;
	m->match = 0;
	if (m->filename) {
		if (m->nfiles >= m->lim.max_files)
			return PARSE_TOO_LARGE;
		m->nfiles++;
		m->kind = P_FILE;
		return open_upload(m);
	}
	if (m->nfields >= m->lim.max_fields)
		return PARSE_TOO_LARGE;
	m->nfields++;
	m->kind = P_FIELD;
	buf_reset(&m->value);
	return PARSE_OK;
}

static int header_line(struct multipart *m)
{
	char *s = m->line.p;
	size_t n = m->line.len;
	int rc;

	/* Lines end in CRLF; a bare LF is malformed (and a smuggling favourite). */
	if (n < 2 || s[n - 2] != '\r')
		return PARSE_BAD;
	s[n - 2] = '\0';
	if (n == 2)
		rc = start_body(m);
	else
		rc = parse_header(m, s, n - 2);
	buf_reset(&m->line);
	return rc;
}

static size_t step_headers(struct multipart *m, const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);
	size_t take = nl ? (size_t)(nl - p) + 1 : n;
	int rc;

	if (take > HEADER_BLOCK_MAX - m->hdr_bytes) {
		fail(m, PARSE_BAD);
		return n;
	}
	m->hdr_bytes += take;
	if (buf_add(&m->line, p, take) < 0) {
		fail(m, PARSE_NOMEM);
		return n;
	}
	if (nl) {
		rc = header_line(m);
		if (rc != PARSE_OK)
			fail(m, rc);
	}
	return take;
}

/* ------------------------------------------------------------ delimiter lines */

/* After "\r\n--boundary": "--", padding or CR make it a delimiter (as in Go's
 * mime/multipart); anything else means the bytes were part data after all
 * ("--boundaryX" inside a file). Returns the bytes consumed (0 or 1). */
static size_t step_after_delim(struct multipart *m, char c)
{
	if (m->state == S_AFTER_DELIM && c == '-') {
		m->state = S_AFTER_DASH;
		return 1;
	}
	if (m->state == S_AFTER_DASH && c == '-') {
		end_part(m);
		m->state = S_CLOSE_PADDING;
		return 1;
	}
	if (m->state == S_AFTER_DELIM && (is_ows(c) || c == '\r')) {
		end_part(m);
		m->state = c == '\r' ? S_LF : S_PADDING;
		return 1;
	}
	emit_held(m);
	if (m->state == S_AFTER_DASH)
		emit(m, "-", 1);
	m->state = S_DATA;
	return 0;
}

/* The rest of a delimiter line: padding, then CRLF. */
static void step_line_end(struct multipart *m, char c)
{
	int closing = m->state == S_CLOSE_PADDING || m->state == S_CLOSE_LF;

	if ((m->state == S_PADDING || m->state == S_CLOSE_PADDING) && is_ows(c))
		return;
	if ((m->state == S_PADDING || m->state == S_CLOSE_PADDING) && c == '\r')
		m->state = closing ? S_CLOSE_LF : S_LF;
	else if (m->state == S_CLOSE_LF && c == '\n')
		m->state = S_EPILOGUE;
	else if (m->state == S_LF && c == '\n')
		start_headers(m);
	else
		fail(m, PARSE_BAD);
}

static size_t step(struct multipart *m, const char *p, size_t n)
{
	switch (m->state) {
	case S_DATA:
		return step_data(m, p, n);
	case S_HEADERS:
		return step_headers(m, p, n);
	case S_EPILOGUE:
		return n;               /* ignored, as RFC 2046 says */
	case S_AFTER_DELIM:
	case S_AFTER_DASH:
		return step_after_delim(m, *p);
	default:
		step_line_end(m, *p);
		return 1;
	}
}

/* ------------------------------------------------------------ the interface */

struct multipart *multipart_new(struct arena *a, const char *boundary,
                                const struct req_limits *lim, const char *tmpdir)
{
	struct multipart *m;
	size_t blen;

	if (!a || !boundary || !lim || !tmpdir)
		return NULL;
	blen = strlen(boundary);
	if (!boundary_valid(boundary, blen))
		return NULL;
	m = arena_alloc(a, sizeof(*m));
	if (!m)
		return NULL;
	m->wbuf = arena_alloc(a, WBUF_SIZE);
	if (!m->wbuf)
		return NULL;
	m->a = a;
	m->lim = *lim;
	m->tmpdir = tmpdir;
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, boundary, blen);
	m->dlen = 4 + blen;
	m->match = 2;           /* as if the body began with CRLF (see the top) */
	m->state = S_DATA;
	m->kind = P_NONE;
	m->fd = -1;
	buf_init(&m->line, 0);
	buf_init(&m->value, 0);
	m->ftail = &m->fields;
	m->utail = &m->files;
	return m;
}

int multipart_feed(struct multipart *m, const char *data, size_t n)
{
	size_t room, i = 0;

	if (m->err || m->finished)
		return m->err ? m->err : PARSE_BAD;
	/* Parse up to the limit first, so the error is the one a 1-byte feed gets. */
	room = m->lim.max_upload - m->total;
	if (n > room) {
		multipart_feed(m, data, room);
		return m->err ? m->err : fail(m, PARSE_TOO_LARGE);
	}
	m->total += n;
	while (i < n && !m->err)
		i += step(m, data + i, n - i);
	return m->err;
}

int multipart_finish(struct multipart *m, struct param **fields, struct upload **files)
{
	if (m->finished)
		return m->err ? m->err : PARSE_BAD;
	m->finished = 1;
	if (m->err)
		return fail(m, m->err);
	if (m->state != S_CLOSE_PADDING && m->state != S_EPILOGUE)
		return fail(m, PARSE_BAD);
	buf_free(&m->line);
	buf_free(&m->value);
	while (*fields)
		fields = &(*fields)->next;
	*fields = m->fields;
	while (*files)
		files = &(*files)->next;
	*files = m->files;
	return PARSE_OK;
}
