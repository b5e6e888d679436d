/* hdrwrite: folding header writer and RFC 2047 encoder (see hdrwrite.h). */
#include "config.h"

#include "hdrwrite.h"

#include "buf.h"
#include "encode.h"

#include <string.h>

#define EW_OVERHEAD 12        /* "=?UTF-8?Q?" and "?=" */
#define EW_PAYLOAD (HDR_WORD_MAX - EW_OVERHEAD)
#define EW_PAYLOAD_MIN 12     /* one 4-byte character Q-encoded */

void hdrw_begin(struct hdrw *w, struct buf *out, const char *name, size_t col)
{
	w->out = out;
	w->words = 0;
	w->glue = !name;
	if (!name) {
		w->col = col;
		return;
	}
	buf_adds(out, name);
	buf_addc(out, ':');
	w->col = strlen(name) + 1;
}

void hdrw_word(struct hdrw *w, const char *s, size_t n, int space)
{
	if (w->glue)
		space = 0, w->glue = 0;
	if (space && w->words > 0 && w->col + 1 + n > HDR_LINE_SOFT) {
		buf_add(w->out, "\r\n ", 3);
		w->col = 1;
	} else if (space) {
		buf_addc(w->out, ' ');
		w->col++;
	}
	buf_add(w->out, s, n);
	w->col += n;
	w->words++;
}

void hdrw_keep(struct hdrw *w, size_t width)
{
	if (w->words > 0 && w->col + 1 + width > HDR_LINE_SOFT && 1 + width <= HDR_LINE_SOFT) {
		buf_add(w->out, "\r\n", 2);     /* the next word's space makes the fold */
		w->col = 0;
		w->words = 0;
	}
}

void hdrw_end(struct hdrw *w)
{
	buf_add(w->out, "\r\n", 2);
	w->col = 0;
	w->words = 0;
}

int hdr_plain(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
		if (s[i] == '=' && i + 1 < n && s[i + 1] == '?')
			return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- RFC 2047 */

/* What a "Q" word may hold as it is, in every place a word may stand
 * (RFC 2047 §5 (3), the strictest: a phrase). */
static int q_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	       || c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

static size_t q_len(unsigned char c)
{
	return q_safe(c) || c == ' ' ? 1 : 3;
}

/* The length of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const unsigned char *s, size_t n)
{
	size_t len = 1;

	while (len < n && len < 4 && (s[len] & 0xc0) == 0x80)
		len++;
	return len;
}

/* How many bytes of s (whole characters) fit in maxpay encoded bytes. */
static size_t take(const unsigned char *s, size_t n, int q, size_t maxpay)
{
	size_t used = 0, enc = 0;

	while (used < n) {
		size_t clen = char_len(s + used, n - used), e = 0, i;

		if (q)
			for (i = 0; i < clen; i++)
				e += q_len(s[used + i]);
		else
			e = (used + clen + 2) / 3 * 4 - enc;
		if (enc + e > maxpay)
			break;
		enc += e;
		used += clen;
	}
	return used ? used : char_len(s, n);   /* never stall */
}

static void add_q(struct buf *out, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == ' ')
			buf_addc(out, '_');
		else if (q_safe(s[i]))
			buf_addc(out, (char)s[i]);
		else
			buf_printf(out, "=%02X", s[i]);
}

/* "Q" (readable where the text is mostly ASCII, as Swedish is) unless it
 * would be more than a third longer than "B" (Cyrillic, CJK). */
static int prefer_q(const unsigned char *s, size_t n)
{
	size_t i, q = 0;

	for (i = 0; i < n; i++)
		q += q_len(s[i]);
	return 3 * q <= 4 * ((n + 2) / 3 * 4);
}

void hdrw_encoded(struct hdrw *w, const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	int q = prefer_q(s, n);
	size_t room = HDR_LINE_SOFT > w->col + 1 + EW_OVERHEAD ? HDR_LINE_SOFT - w->col - 1 - EW_OVERHEAD : 0;
	size_t maxpay = room > EW_PAYLOAD ? EW_PAYLOAD : room;

	/* The first word fits the current line, or starts a new one. */
	if (maxpay < EW_PAYLOAD_MIN)
		maxpay = EW_PAYLOAD;
	while (n > 0) {
		struct buf word = BUF_INIT;
		size_t len = take(s, n, q, maxpay);

		buf_adds(&word, q ? "=?UTF-8?Q?" : "=?UTF-8?B?");
		if (q)
			add_q(&word, s, len);
		else
			encode_base64(&word, s, len, 0);
		buf_adds(&word, "?=");
		if (buf_failed(&word))
			w->out->failed = 1;
		else
			hdrw_word(w, word.p, word.len, 1);
		buf_free(&word);
		s += len;
		n -= len;
		maxpay = EW_PAYLOAD;
	}
}
