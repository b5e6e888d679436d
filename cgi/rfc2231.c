/* rfc2231: parameter value decoding (see rfc2231.h). */
#include "config.h"

#include "rfc2231.h"

#include "arena.h"
#include "buf.h"
#include "imap_parse.h"
#include "mime_text.h"

#include <stdlib.h>
#include <string.h>

/* Piece numbers are at most four digits: a real value has a handful. */
#define PIECE_MAX 9999u

/* One numbered piece: name*N (plain) or name*N* (percent-encoded). */
struct piece {
	unsigned n;
	int encoded;
	size_t order;                /* where it was in the list, to sort stably */
	const char *value;
};

/* What a parameter's name is to the name looked for. */
enum pname { P_OTHER, P_PLAIN, P_WHOLE, P_PIECE };

/* Reads "N" or "N*" after "name*": digits without a leading zero
 * (RFC 2231 "section"), bounded. */
static int piece_number(const char *s, unsigned *n, int *encoded)
{
	unsigned v = 0;
	size_t i = 0;

	if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return 0;
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > PIECE_MAX)
			return 0;
	}
	*encoded = s[i] == '*';
	if (s[i + (size_t)*encoded] != '\0')
		return 0;
	*n = v;
	return 1;
}

static enum pname classify(const char *pname, const char *name, size_t nlen, struct piece *pc)
{
	if (!pname || strncmp(pname, name, nlen))
		return P_OTHER;
	if (pname[nlen] == '\0')
		return P_PLAIN;
	if (pname[nlen] != '*')
		return P_OTHER;
	if (pname[nlen + 1] == '\0')
		return P_WHOLE;
	return piece_number(pname + nlen + 1, &pc->n, &pc->encoded) ? P_PIECE : P_OTHER;
}

/* Appends s with "%XX" decoded (in place: decoding never grows). */
static void add_percent(struct buf *out, const char *s)
{
	size_t start = out->len, n = strlen(s);

	if (buf_add(out, s, n) < 0)
		return;
	out->len = start + mime_percent_decode(out->p + start, out->p + start, n);
	out->p[out->len] = '\0';
}

/* Splits "charset'language'rest": *cs gets the charset (may be empty) and
 * the rest is returned. Without both quotes the whole value is the rest. */
static const char *split_charset(const char *v, const char **cs, size_t *cslen)
{
	const char *q1 = strchr(v, '\''), *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;

	*cs = NULL;
	*cslen = 0;
	if (!q2)
		return v;
	*cs = v;
	*cslen = (size_t)(q1 - v);
	return q2 + 1;
}

/* Bytes in a charset (or none) to a NUL-terminated UTF-8 copy in a. */
static const char *to_text(struct arena *a, struct buf *bytes, const char *cs, size_t cslen)
{
	struct buf out = BUF_INIT;
	const char *r = NULL;

	if (!buf_failed(bytes)
	    && mime_text_utf8(&out, cs, cslen, bytes->p ? bytes->p : "", bytes->len, 0) == 0)
		r = arena_strndup(a, out.p ? out.p : "", out.len);
	buf_free(&out);
	buf_free(bytes);
	return r;
}

/* name*=charset'lang'%XX... */
static const char *decode_whole(struct arena *a, const char *v)
{
	struct buf bytes = BUF_INIT;
	const char *cs;
	size_t cslen;

	add_percent(&bytes, split_charset(v, &cs, &cslen));
	return to_text(a, &bytes, cs, cslen);
}

static int by_number(const void *x, const void *y)
{
	const struct piece *p = x, *q = y;

	if (p->n != q->n)
		return p->n < q->n ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

/* Joins the pieces from the first one up to a gap. Only the first piece may
 * name a charset (when encoded); if no piece is encoded, the joined value is
 * plain text and may hold RFC 2047 words like a plain value. */
static const char *decode_pieces(struct arena *a, struct piece *pc, size_t n)
{
	struct buf bytes = BUF_INIT;
	const char *cs = NULL, *r;
	size_t i, cslen = 0;
	int any_encoded = 0;

	qsort(pc, n, sizeof(*pc), by_number);
	for (i = 0; i < n; i++) {
		if (i > 0 && pc[i].n == pc[i - 1].n)
			continue;                       /* a repeat: the first counts */
		if (i > 0 && pc[i].n != pc[i - 1].n + 1)
			break;                          /* a gap: the rest is lost */
		if (!pc[i].encoded) {
			buf_adds(&bytes, pc[i].value);
			continue;
		}
		any_encoded = 1;
		add_percent(&bytes, pc[i].n == 0 ? split_charset(pc[i].value, &cs, &cslen) : pc[i].value);
	}
	if (any_encoded)
		return to_text(a, &bytes, cs, cslen);
	r = buf_failed(&bytes) ? NULL : mime_text_header(a, bytes.p ? bytes.p : "", bytes.len);
	buf_free(&bytes);
	return r;
}

static int pc_has_first(const struct piece *pc, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pc[i].n == 0)
			return 1;
	return 0;
}

const char *mime_param(struct arena *a, const struct imap_param *p, const char *name)
{
	const struct imap_param *q;
	const char *plain = NULL, *whole = NULL;
	struct piece *pc = NULL, one;
	size_t n = 0, count = 0, nlen = strlen(name);

	for (q = p; q; q = q->next)
		count++;
	for (q = p; q; q = q->next) {
		enum pname k = q->value ? classify(q->name, name, nlen, &one) : P_OTHER;

		if (k == P_PLAIN && !plain)
			plain = q->value;
		else if (k == P_WHOLE && !whole)
			whole = q->value;
		else if (k == P_PIECE) {
			if (!pc && !(pc = arena_alloc(a, count * sizeof(*pc))))
				return NULL;
			one.order = n;
			one.value = q->value;
			pc[n++] = one;
		}
	}
	if (whole)
		return decode_whole(a, whole);
	if (n && (!plain || pc_has_first(pc, n)))
		return decode_pieces(a, pc, n);
	return plain ? mime_text_header(a, plain, strlen(plain)) : NULL;
}
