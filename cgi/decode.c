/* decode: base64, quoted-printable and RFC 2047 Q decoding (see decode.h).
 * Pure functions over caller-sized buffers: no allocation, no failure. */
#include "config.h"

#include "decode.h"

#include <string.h>

/* ---------------------------------------------------------------- base64 */

/* 0-63 for the alphabet, 64 for '=', 65 for skipped blanks, 66 for others. */
enum { B64_PAD = 64, B64_BLANK = 65, B64_OTHER = 66 };

static unsigned char b64_class(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c - 'A');
	if (c >= 'a' && c <= 'z')
		return (unsigned char)(c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (unsigned char)(c - '0' + 52);
	switch (c) {
	case '+': return 62;
	case '/': return 63;
	case '=': return B64_PAD;
	case ' ': case '\t': case '\r': case '\n': return B64_BLANK;
	default: return B64_OTHER;
	}
}

void b64_init(struct b64_state *s)
{
	memset(s, 0, sizeof(*s));
}

size_t b64_update(struct b64_state *s, const char *in, size_t n, unsigned char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char v = b64_class((unsigned char)in[i]);

		if (v == B64_BLANK)
			continue;
		if (v == B64_OTHER) {
			s->damaged = 1;
			continue;
		}
		if (v == B64_PAD) {
			s->npad++;
			continue;
		}
		if (s->npad) {          /* data after the end */
			s->damaged = 1;
			continue;
		}
		s->acc = (s->acc << 6) | v;
		s->nbits += 6;
		if (s->nbits >= 8) {
			s->nbits -= 8;
			out[o++] = (unsigned char)(s->acc >> s->nbits);
			s->acc &= (1u << s->nbits) - 1;
		}
	}
	return o;
}

void b64_final(struct b64_state *s)
{
	/* 6 bits left: one sextet of a group, which no encoder writes. */
	if (s->nbits == 6)
		s->damaged = 1;
}

size_t b64_decode(const char *in, size_t n, unsigned char *out, int *damaged)
{
	struct b64_state s;
	size_t o;

	b64_init(&s);
	o = b64_update(&s, in, n, out);
	b64_final(&s);
	if (damaged)
		*damaged = s.damaged;
	return o;
}

/* ---------------------------------------------------------------- hex */

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* ---------------------------------------------------------------- quoted-printable */

void qp_init(struct qp_state *s)
{
	memset(s, 0, sizeof(*s));
	s->hex1 = -1;
}

/* Writes a pending "=" (and its first digit) as ordinary text: it was not
 * an escape. */
static size_t qp_flush_eq(struct qp_state *s, unsigned char *out)
{
	size_t o = 0;

	if (!s->eq)
		return 0;
	s->damaged = 1;
	out[o++] = '=';
	if (s->hex1 >= 0)
		out[o++] = (unsigned char)s->hex1;
	s->eq = 0;
	s->hex1 = -1;
	return o;
}

static size_t qp_flush_blanks(struct qp_state *s, unsigned char *out)
{
	size_t n = s->nblank;

	memcpy(out, s->blank, n);
	s->nblank = 0;
	return n;
}

/* A line ended (LF, or CRLF: nl is what to write). Pending blanks are
 * trailing and go; after a "=" the line end itself goes too (soft break). */
static size_t qp_line_end(struct qp_state *s, const char *nl, unsigned char *out)
{
	size_t n = 0;
	int soft = s->eq && s->hex1 < 0;

	if (s->eq && s->hex1 >= 0)
		n += qp_flush_eq(s, out);
	s->eq = 0;
	s->nblank = 0;
	s->cr = 0;
	if (!soft) {
		memcpy(out + n, nl, strlen(nl));
		n += strlen(nl);
	}
	return n;
}

static size_t qp_byte(struct qp_state *s, unsigned char c, unsigned char *out)
{
	size_t o = 0;

	if (s->eq && s->hex1 >= 0) {
		if (hexval(c) >= 0) {
			out[o++] = (unsigned char)(hexval((unsigned char)s->hex1) << 4 | hexval(c));
			s->eq = 0;
			s->hex1 = -1;
			return o;
		}
		o += qp_flush_eq(s, out);
	} else if (s->eq && !s->nblank && !s->cr && hexval(c) >= 0) {
		s->hex1 = c;
		return 0;
	}
	if (s->cr) {
		if (c == '\n')
			return o + qp_line_end(s, "\r\n", out + o);
		/* A CR alone is text. */
		o += qp_flush_eq(s, out + o);
		o += qp_flush_blanks(s, out + o);
		out[o++] = '\r';
		s->cr = 0;
	}
	if (c == '\n')
		return o + qp_line_end(s, "\n", out + o);
	if (c == '\r') {
		s->cr = 1;
		return o;
	}
	if (c == ' ' || c == '\t') {
		if (s->nblank == QP_HOLD) {      /* too long to be padding: text */
			o += qp_flush_eq(s, out + o);
			o += qp_flush_blanks(s, out + o);
		}
		s->blank[s->nblank++] = (char)c;
		return o;
	}
	o += qp_flush_eq(s, out + o);
	o += qp_flush_blanks(s, out + o);
	if (c == '=')
		s->eq = 1;
	else
		out[o++] = c;
	return o;
}

size_t qp_update(struct qp_state *s, const char *in, size_t n, unsigned char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		o += qp_byte(s, (unsigned char)in[i], out + o);
	return o;
}

size_t qp_final(struct qp_state *s, unsigned char *out)
{
	size_t o = 0;

	if (s->eq && s->hex1 >= 0)
		o += qp_flush_eq(s, out);
	s->eq = 0;               /* a "=" at the very end: a soft break */
	s->nblank = 0;           /* blanks at the end of the last line */
	if (s->cr)
		out[o++] = '\r';
	s->cr = 0;
	return o;
}

size_t qp_decode(const char *in, size_t n, unsigned char *out, int *damaged)
{
	struct qp_state s;
	size_t o;

	qp_init(&s);
	o = qp_update(&s, in, n, out);
	o += qp_final(&s, out + o);
	if (damaged)
		*damaged = s.damaged;
	return o;
}

/* ---------------------------------------------------------------- Q */

size_t q_decode(const char *in, size_t n, unsigned char *out, int *damaged)
{
	size_t i, o = 0;
	int bad = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '_') {
			out[o++] = ' ';
		} else if (c == '=' && i + 2 < n
		           && hexval((unsigned char)in[i + 1]) >= 0
		           && hexval((unsigned char)in[i + 2]) >= 0) {
			out[o++] = (unsigned char)(hexval((unsigned char)in[i + 1]) << 4
			                           | hexval((unsigned char)in[i + 2]));
			i += 2;
		} else {
			if (c == '=')
				bad = 1;
			out[o++] = c;
		}
	}
	if (damaged)
		*damaged = bad;
	return o;
}
