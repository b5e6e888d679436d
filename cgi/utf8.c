/* utf8: single-character UTF-8 decoding and encoding (see utf8.h). */
#include "config.h"

#include "utf8.h"

#include "buf.h"

size_t utf8_decode_one(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned long v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) { len = 2; v = c & 0x1f; }
	else if (c >= 0xe0 && c <= 0xef) { len = 3; v = c & 0x0f; }
	else if (c >= 0xf0 && c <= 0xf4) { len = 4; v = c & 0x07; }
	else return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff)))
	    || (len == 4 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	*cp = v;
	return len;
}

size_t utf8_encode_one(unsigned long cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* How many bytes of s (n > 0, invalid at s[0]) one U+FFFD replaces: the
 * lead byte and the continuation bytes that could still have belonged to it
 * (Unicode's "maximal subpart" practice, as browsers do). */
static size_t invalid_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf) len = 2;
	else if (c >= 0xe0 && c <= 0xef) len = 3;
	else if (c >= 0xf0 && c <= 0xf4) len = 4;
	else return 1;
	if (c == 0xe0) lo = 0xa0;
	else if (c == 0xed) hi = 0x9f;
	else if (c == 0xf0) lo = 0x90;
	else if (c == 0xf4) hi = 0x8f;
	for (i = 1; i < len && i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			break;
		lo = 0x80;
		hi = 0xbf;
	}
	return i;
}

int utf8_repair(struct buf *out, const char *in, size_t n)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, start = 0;

	while (i < n) {
		unsigned long cp;
		size_t len;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_decode_one(s + i, n - i, &cp);
		if (len) {
			i += len;
			continue;
		}
		buf_add(out, in + start, i - start);
		buf_adds(out, UTF8_REPLACEMENT);
		i += invalid_len(s + i, n - i);
		start = i;
	}
	buf_add(out, in + start, n - start);
	return buf_failed(out) ? -1 : 0;
}
