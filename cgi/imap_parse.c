/* imap_parse: the response reader and the response grammar (see
 * imap_parse.h); the typed data is in imap_data.c and imap_fetch.c. */
#include "config.h"

#include "imap_parse.h"

#include "arena.h"

#include <string.h>

void imap_limits_default(struct imap_limits *lim)
{
	lim->max_line = 1u << 20;
	lim->max_literal = IMAP_RESPONSE_MAX;
	lim->max_response = IMAP_RESPONSE_MAX;
	lim->max_depth = 64;
	lim->max_values = 1u << 20;
}

/* ---------------------------------------------------------------- reader */

void imap_reader_init(struct imap_reader *r, const struct imap_limits *lim)
{
	memset(r, 0, sizeof(*r));
	r->lim = *lim;
	buf_init(&r->resp, lim->max_response);
}

void imap_reader_free(struct imap_reader *r)
{
	buf_free(&r->resp);
}

void imap_reader_next(struct imap_reader *r)
{
	buf_reset(&r->resp);
	r->line_start = 0;
	r->literal_left = 0;
	r->complete = 0;
}

static int reader_fail(struct imap_reader *r, int err)
{
	r->error = err;
	return err;
}

/* The line just completed ends in "{n}" (before its CRLF): *size = n.
 * Returns 1 for a literal, 0 for none, or an error. */
static int literal_marker(struct imap_reader *r, size_t *size)
{
	const char *line = r->resp.p + r->line_start;
	size_t len = r->resp.len - r->line_start, i;
	uint64_t n = 0;

	len--;                                  /* LF */
	if (len && line[len - 1] == '\r')
		len--;
	if (len < 3 || line[len - 1] != '}')
		return 0;
	i = len - 1;
	while (i > 0 && line[i - 1] >= '0' && line[i - 1] <= '9')
		i--;
	if (i == len - 1 || i == 0 || line[i - 1] != '{')
		return 0;
	if (len - 1 - i > 19)
		return reader_fail(r, IMAP_PARSE_TOO_BIG);
	for (; i < len - 1; i++)
		n = n * 10 + (uint64_t)(line[i] - '0');
	if (n > r->lim.max_literal || n > r->lim.max_response - r->resp.len)
		return reader_fail(r, IMAP_PARSE_TOO_BIG);
	*size = (size_t)n;
	return 1;
}

int imap_reader_feed(struct imap_reader *r, const char *data, size_t n, size_t *used)
{
	size_t i = 0;

	*used = 0;
	if (r->error)
		return r->error;
	if (r->complete)
		return 1;
	while (i < n) {
		const char *nl;
		size_t k, lit;
		int rc;

		if (r->literal_left) {
			k = n - i < r->literal_left ? n - i : r->literal_left;
			if (buf_add(&r->resp, data + i, k) < 0)
				return reader_fail(r, IMAP_PARSE_TOO_BIG);
			r->literal_left -= k;
			i += k;
			if (!r->literal_left)
				r->line_start = r->resp.len;
			continue;
		}
		nl = memchr(data + i, '\n', n - i);
		k = nl ? (size_t)(nl - (data + i)) + 1 : n - i;
		if (r->resp.len - r->line_start + k > r->lim.max_line
		    || buf_add(&r->resp, data + i, k) < 0) {
			*used = i;
			return reader_fail(r, IMAP_PARSE_TOO_BIG);
		}
		i += k;
		if (!nl)
			continue;
		rc = literal_marker(r, &lit);
		if (rc < 0) {
			*used = i;
			return rc;
		}
		if (rc == 0) {
			r->complete = 1;
			*used = i;
			return 1;
		}
		r->literal_left = lit;
		r->line_start = r->resp.len;    /* a "{0}" goes straight on to the next line */
	}
	*used = i;
	return 0;
}

/* ---------------------------------------------------------------- tokens */

struct parser {
	const char *p, *end;
	struct arena *a;
	const struct imap_limits *lim;
	size_t nvalues;
	int err;
};

static int perr(struct parser *ps, int err)
{
	if (!ps->err)
		ps->err = err;
	return -1;
}

static int at_eol(const struct parser *ps)
{
	return ps->p < ps->end && (*ps->p == '\r' || *ps->p == '\n');
}

/* CRLF or LF. */
static int eat_eol(struct parser *ps)
{
	if (ps->p < ps->end && *ps->p == '\r')
		ps->p++;
	if (ps->p >= ps->end || *ps->p != '\n')
		return perr(ps, IMAP_PARSE_BAD);
	ps->p++;
	return 0;
}

static int eat_sp(struct parser *ps)
{
	if (ps->p >= ps->end || *ps->p != ' ')
		return perr(ps, IMAP_PARSE_BAD);
	while (ps->p < ps->end && *ps->p == ' ')    /* one is the rule; more is tolerated */
		ps->p++;
	return 0;
}

static struct imap_value *new_value(struct parser *ps, enum imap_type t)
{
	struct imap_value *v;

	if (++ps->nvalues > ps->lim->max_values) {
		perr(ps, IMAP_PARSE_TOO_BIG);
		return NULL;
	}
	v = arena_alloc(ps->a, sizeof(*v));
	if (!v)
		perr(ps, IMAP_PARSE_NOMEM);
	else
		v->type = t;
	return v;
}

/* Atom characters as servers send them: printable ASCII but the specials
 * that end one. "\" and "*" stay in (flags "\Seen", "\*"); "]" ends an
 * atom only inside a response code, "[" opens a section after BODY and
 * BINARY (BODY[HEADER.FIELDS (TO)]<0>). */
static int atom_char(unsigned char c, int in_code)
{
	if (c <= 0x20 || c >= 0x7f)
		return 0;
	if (c == '(' || c == ')' || c == '{' || c == '"')
		return 0;
	return !(in_code && c == ']');
}

static int section_opener(const char *s, size_t n)
{
	return imap_span_eq(s, n, "BODY") || imap_span_eq(s, n, "BINARY")
	       || imap_span_eq(s, n, "BINARY.SIZE") || imap_span_eq(s, n, "BODY.PEEK")
	       || imap_span_eq(s, n, "BINARY.PEEK");
}

/* "[...]" of a section: anything on the line but "]" (quoted strings may
 * hold one). */
static int skip_section(struct parser *ps)
{
	const char *q = ps->p + 1;

	while (q < ps->end && *q != ']') {
		if (*q == '\r' || *q == '\n')
			return perr(ps, IMAP_PARSE_BAD);
		if (*q == '"') {
			for (q++; q < ps->end && *q != '"'; q++) {
				if (*q == '\r' || *q == '\n')
					return perr(ps, IMAP_PARSE_BAD);
				if (*q == '\\')
					q++;
			}
			if (q >= ps->end)
				return perr(ps, IMAP_PARSE_BAD);
		}
		q++;
	}
	if (q >= ps->end)
		return perr(ps, IMAP_PARSE_BAD);
	ps->p = q + 1;
	return 0;
}

static struct imap_value *parse_atom(struct parser *ps, int in_code)
{
	const char *start = ps->p;
	struct imap_value *v;

	while (ps->p < ps->end) {
		unsigned char c = (unsigned char)*ps->p;

		if (c == '[' && !in_code && section_opener(start, (size_t)(ps->p - start))) {
			if (skip_section(ps) < 0)
				return NULL;
			continue;
		}
		if (!atom_char(c, in_code))
			break;
		ps->p++;
	}
	if (ps->p == start) {
		perr(ps, IMAP_PARSE_BAD);
		return NULL;
	}
	v = new_value(ps, imap_span_eq(start, (size_t)(ps->p - start), "NIL") ? IMAP_NIL : IMAP_ATOM);
	if (v) {
		v->s = start;
		v->len = (size_t)(ps->p - start);
	}
	return v;
}

/* "..." with \" and \\ escapes; copied to the arena only if escaped. */
static struct imap_value *parse_quoted(struct parser *ps)
{
	const char *start = ++ps->p, *q;
	size_t escapes = 0, o = 0;
	struct imap_value *v;
	char *copy;

	for (q = start; q < ps->end && *q != '"'; q++) {
		if (*q == '\r' || *q == '\n' || *q == '\0')
			break;
		if (*q == '\\') {
			if (q + 1 >= ps->end || (q[1] != '"' && q[1] != '\\'))
				break;
			escapes++;
			q++;
		}
	}
	if (q >= ps->end || *q != '"') {
		perr(ps, IMAP_PARSE_BAD);
		return NULL;
	}
	ps->p = q + 1;
	if (!(v = new_value(ps, IMAP_STRING)))
		return NULL;
	v->len = (size_t)(q - start);
	v->s = start;
	if (!escapes)
		return v;
	if (!(copy = arena_alloc(ps->a, v->len - escapes + 1))) {
		perr(ps, IMAP_PARSE_NOMEM);
		return NULL;
	}
	for (q = start; q < start + v->len; q++) {
		if (*q == '\\')
			q++;
		copy[o++] = *q;
	}
	v->s = copy;
	v->len = o;
	return v;
}

/* "{n}" CRLF and n bytes (or "~{n}", a literal8 that may hold NUL). */
static struct imap_value *parse_literal(struct parser *ps)
{
	uint64_t n = 0;
	size_t digits = 0;
	struct imap_value *v;

	if (*ps->p == '~')
		ps->p++;
	if (ps->p >= ps->end || *ps->p != '{') {
		perr(ps, IMAP_PARSE_BAD);
		return NULL;
	}
	for (ps->p++; ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9'; ps->p++) {
		if (++digits > 19) {
			perr(ps, IMAP_PARSE_TOO_BIG);
			return NULL;
		}
		n = n * 10 + (uint64_t)(*ps->p - '0');
	}
	if (!digits || ps->p >= ps->end || *ps->p != '}') {
		perr(ps, IMAP_PARSE_BAD);
		return NULL;
	}
	ps->p++;
	if (eat_eol(ps) < 0)
		return NULL;
	if (n > ps->lim->max_literal || n > (uint64_t)(ps->end - ps->p)) {
		perr(ps, n > ps->lim->max_literal ? IMAP_PARSE_TOO_BIG : IMAP_PARSE_BAD);
		return NULL;
	}
	if (!(v = new_value(ps, IMAP_STRING)))
		return NULL;
	v->literal = 1;
	v->s = ps->p;
	v->len = (size_t)n;
	ps->p += n;
	return v;
}

static struct imap_value *parse_value(struct parser *ps, unsigned depth, int in_code);

/* "(" values ")", the "(" already seen. */
static struct imap_value *parse_list(struct parser *ps, unsigned depth, int in_code)
{
	struct imap_value *v, **tail;

	if (depth >= ps->lim->max_depth) {
		perr(ps, IMAP_PARSE_TOO_BIG);
		return NULL;
	}
	if (!(v = new_value(ps, IMAP_LIST)))
		return NULL;
	tail = &v->child;
	ps->p++;
	for (;;) {
		while (ps->p < ps->end && *ps->p == ' ')
			ps->p++;
		if (ps->p >= ps->end || at_eol(ps)) {
			perr(ps, IMAP_PARSE_BAD);
			return NULL;
		}
		if (*ps->p == ')') {
			ps->p++;
			return v;
		}
		if (!(*tail = parse_value(ps, depth + 1, in_code)))
			return NULL;
		tail = &(*tail)->next;
		v->len++;
	}
}

static struct imap_value *parse_value(struct parser *ps, unsigned depth, int in_code)
{
	if (ps->p >= ps->end) {
		perr(ps, IMAP_PARSE_BAD);
		return NULL;
	}
	if (*ps->p == '(')
		return parse_list(ps, depth, in_code);
	if (*ps->p == '"')
		return parse_quoted(ps);
	if (*ps->p == '{' || (*ps->p == '~' && ps->p + 1 < ps->end && ps->p[1] == '{'))
		return parse_literal(ps);
	return parse_atom(ps, in_code);
}

/* Values separated by spaces up to the end of the line (or "]" in a code). */
static struct imap_value *parse_values(struct parser *ps, int in_code)
{
	struct imap_value *first = NULL, **tail = &first;

	for (;;) {
		while (ps->p < ps->end && *ps->p == ' ')
			ps->p++;
		if (ps->p >= ps->end || at_eol(ps))
			return first;
		if (!(*tail = parse_value(ps, 0, in_code)))
			return NULL;
		tail = &(*tail)->next;
	}
}

/* ---------------------------------------------------------------- responses */

static const struct {
	const char *name;
	enum imap_cond cond;
} conds[] = {
	{ "OK", IMAP_COND_OK }, { "NO", IMAP_COND_NO }, { "BAD", IMAP_COND_BAD },
	{ "BYE", IMAP_COND_BYE }, { "PREAUTH", IMAP_COND_PREAUTH },
};

/* A word of letters and digits at p (a tag, a status, a data name). */
static size_t word_len(const struct parser *ps, int in_code)
{
	const char *q = ps->p;

	while (q < ps->end && atom_char((unsigned char)*q, in_code) && *q != '[' && *q != ']')
		q++;
	return (size_t)(q - ps->p);
}

static enum imap_cond cond_of(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(conds) / sizeof(conds[0]); i++)
		if (imap_span_eq(s, n, conds[i].name))
			return conds[i].cond;
	return IMAP_COND_NONE;
}

/* The text to the end of the line. */
static void take_text(struct parser *ps, struct imap_response *r)
{
	r->text = ps->p;
	while (ps->p < ps->end && *ps->p != '\r' && *ps->p != '\n' && *ps->p != '\0')
		ps->p++;
	r->text_len = (size_t)(ps->p - r->text);
}

/* "[" code [SP args] "]" SP text, or just text. A "[" with no "]" on the
 * line is taken as text. */
static int parse_resp_text(struct parser *ps, struct imap_response *r)
{
	const char *q, *end_code;
	size_t n;

	if (ps->p < ps->end && *ps->p == '[') {
		for (q = ps->p + 1; q < ps->end && *q != ']' && *q != '\r' && *q != '\n'; q++)
			if (*q == '"')
				for (q++; q < ps->end && *q != '"' && *q != '\r' && *q != '\n'; q++)
					if (*q == '\\' && q + 1 < ps->end && q[1] != '\r' && q[1] != '\n')
						q++;
		if (q < ps->end && *q == ']') {
			end_code = q;
			ps->p++;
			n = word_len(ps, 1);
			if (n == 0)
				return perr(ps, IMAP_PARSE_BAD);
			r->code = ps->p;
			r->code_len = n;
			ps->p += n;
			if (ps->p < end_code && *ps->p == ' ') {
				struct parser sub = *ps;

				sub.end = end_code;
				r->code_args = parse_values(&sub, 1);
				if (sub.err == IMAP_PARSE_NOMEM || sub.err == IMAP_PARSE_TOO_BIG)
					return perr(ps, sub.err);
				if (sub.err || sub.p != end_code)
					r->code_args = NULL;     /* an unknown code's free text */
				ps->nvalues = sub.nvalues;
			} else if (ps->p != end_code) {
				return perr(ps, IMAP_PARSE_BAD);
			}
			ps->p = end_code + 1;
			if (ps->p < ps->end && *ps->p == ' ')
				ps->p++;
		}
	}
	take_text(ps, r);
	return 0;
}

static int parse_untagged(struct parser *ps, struct imap_response *r)
{
	size_t n = word_len(ps, 0);

	if (n == 0)
		return perr(ps, IMAP_PARSE_BAD);
	if (ps->p[0] >= '0' && ps->p[0] <= '9') {
		struct imap_value num = { IMAP_ATOM, 0, ps->p, n, NULL, NULL };

		if (imap_value_u32(&num, &r->number) < 0)
			return perr(ps, IMAP_PARSE_BAD);
		r->has_number = 1;
		ps->p += n;
		if (eat_sp(ps) < 0)
			return -1;
		n = word_len(ps, 0);
		if (n == 0)
			return perr(ps, IMAP_PARSE_BAD);
	} else if ((r->cond = cond_of(ps->p, n)) != IMAP_COND_NONE) {
		ps->p += n;
		if (ps->p < ps->end && *ps->p == ' ')
			ps->p++;
		return parse_resp_text(ps, r);
	}
	r->name = ps->p;
	r->name_len = n;
	ps->p += n;
	if (ps->p < ps->end && !at_eol(ps) && eat_sp(ps) < 0)
		return -1;
	r->data = parse_values(ps, 0);
	return ps->err ? -1 : 0;
}

static int parse_tagged(struct parser *ps, struct imap_response *r)
{
	size_t n = word_len(ps, 0);

	if (n == 0 || memchr(ps->p, '+', n))
		return perr(ps, IMAP_PARSE_BAD);
	r->tag = ps->p;
	r->tag_len = n;
	ps->p += n;
	if (eat_sp(ps) < 0)
		return -1;
	n = word_len(ps, 0);
	r->cond = cond_of(ps->p, n);
	if (r->cond == IMAP_COND_NONE || r->cond == IMAP_COND_PREAUTH)
		return perr(ps, IMAP_PARSE_BAD);
	ps->p += n;
	if (ps->p < ps->end && *ps->p == ' ')
		ps->p++;
	return parse_resp_text(ps, r);
}

int imap_parse_response(struct arena *a, const char *buf, size_t len,
                        const struct imap_limits *lim, struct imap_response *out)
{
	struct parser ps = { buf, buf + len, a, lim, 0, 0 };

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return IMAP_PARSE_BAD;
	if (buf[0] == '+') {
		out->kind = IMAP_CONTINUE;
		ps.p++;
		if (ps.p < ps.end && *ps.p == ' ')
			ps.p++;
		take_text(&ps, out);
	} else if (buf[0] == '*') {
		out->kind = IMAP_UNTAGGED;
		ps.p++;
		if (eat_sp(&ps) == 0)
			parse_untagged(&ps, out);
	} else {
		out->kind = IMAP_TAGGED;
		parse_tagged(&ps, out);
	}
	if (!ps.err)
		eat_eol(&ps);
	if (!ps.err && ps.p != ps.end)
		ps.err = IMAP_PARSE_BAD;            /* bytes after the last line */
	return ps.err;
}

/* ---------------------------------------------------------------- helpers */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int imap_span_eq(const char *p, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!s[i] || lower((unsigned char)p[i]) != lower((unsigned char)s[i]))
			return 0;
	return s[n] == '\0';
}

int imap_atom_eq(const struct imap_value *v, const char *s)
{
	return v && (v->type == IMAP_ATOM || v->type == IMAP_NIL) && imap_span_eq(v->s, v->len, s);
}

int imap_cond_is(const struct imap_response *r, enum imap_kind kind, enum imap_cond cond)
{
	return r->kind == kind && r->cond == cond;
}

int imap_value_u64(const struct imap_value *v, uint64_t *out)
{
	uint64_t n = 0;
	size_t i;

	if (!v || v->type != IMAP_ATOM || v->len == 0 || v->len > 20)
		return -1;
	for (i = 0; i < v->len; i++) {
		unsigned d = (unsigned)(v->s[i] - '0');

		if (d > 9 || n > (UINT64_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*out = n;
	return 0;
}

int imap_value_u32(const struct imap_value *v, uint32_t *out)
{
	uint64_t n;

	if (imap_value_u64(v, &n) < 0 || n > UINT32_MAX)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

char *imap_value_dup(struct arena *a, const struct imap_value *v, int *nomem)
{
	char *s;

	if (!v || v->type == IMAP_NIL || v->type == IMAP_LIST)
		return NULL;
	s = arena_strndup(a, v->s, v->len);
	if (!s && nomem)
		*nomem = 1;
	return s;
}
