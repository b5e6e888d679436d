/* mutf7: modified UTF-7 mailbox names (see mutf7.h). */
#include "config.h"

#include "mutf7.h"

#include "arena.h"
#include "utf8.h"

#include <stdint.h>

static const char b64chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == ',')
		return 63;
	return -1;
}

/* One base64 run after "&" up to and with its "-": the characters go to
 * out. Returns 0, or -1 when the run is not canonical modified UTF-7. */
static int decode_run(const char *in, size_t n, size_t *i, unsigned char *out, size_t *o)
{
	uint32_t acc = 0;
	unsigned nbits = 0, high = 0;
	size_t units = 0;

	for (;;) {
		int v;

		if (*i >= n)
			return -1;                      /* no "-" */
		if (in[*i] == '-') {
			(*i)++;
			break;
		}
		v = b64val((unsigned char)in[(*i)++]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits < 16)
			continue;
		nbits -= 16;
		{
			unsigned u = (acc >> nbits) & 0xffff;

			acc &= (1u << nbits) - 1;
			units++;
			if (high) {
				if (u < 0xdc00 || u > 0xdfff)
					return -1;
				*o += utf8_encode_one(0x10000 + ((unsigned long)(high - 0xd800) << 10)
				                      + (u - 0xdc00), out + *o);
				high = 0;
			} else if (u >= 0xd800 && u <= 0xdbff) {
				high = u;
			} else if ((u >= 0xdc00 && u <= 0xdfff) || u < 0x80) {
				return -1;              /* lone low surrogate; ASCII must be direct */
			} else {
				*o += utf8_encode_one(u, out + *o);
			}
		}
	}
	/* Padding: fewer than 6 bits, all zero; at least one character. */
	if (high || nbits >= 6 || acc != 0 || units == 0)
		return -1;
	return 0;
}

int mutf7_decode(struct arena *a, const char *in, size_t n, char **out)
{
	unsigned char *p;
	size_t i = 0, o = 0;

	/* 8 base64 characters make at most 3 UTF-16 units, 9 bytes of UTF-8. */
	if (n > ((size_t)-1 - 1) / 2 || !(p = arena_alloc(a, 2 * n + 1)))
		return -1;
	while (i < n) {
		unsigned char c = (unsigned char)in[i];

		if (c < 0x20 || c > 0x7e)
			return -1;
		i++;
		if (c != '&') {
			p[o++] = c;
		} else if (i < n && in[i] == '-') {
			p[o++] = '&';
			i++;
		} else if (decode_run(in, n, &i, p, &o) < 0) {
			return -1;
		}
	}
	p[o] = '\0';
	*out = (char *)p;
	return 0;
}

/* Appends UTF-16 unit u to the open base64 run. */
static void put_unit(unsigned u, uint32_t *acc, unsigned *nbits, char *out, size_t *o)
{
	*acc = (*acc << 16) | u;
	*nbits += 16;
	while (*nbits >= 6) {
		*nbits -= 6;
		out[(*o)++] = b64chars[(*acc >> *nbits) & 0x3f];
	}
	*acc &= (1u << *nbits) - 1;
}

int mutf7_encode(struct arena *a, const char *in, size_t n, char **out)
{
	const unsigned char *s = (const unsigned char *)in;
	uint32_t acc = 0;
	unsigned nbits = 0;
	int in_run = 0;
	size_t i = 0, o = 0;
	char *p;

	/* Worst case: one 2-byte character alone, "&AOk-": 5 bytes for 2. */
	if (n > ((size_t)-1 - 1) / 3 || !(p = arena_alloc(a, 3 * n + 1)))
		return -1;
	while (i < n) {
		unsigned long cp;
		size_t len = utf8_decode_one(s + i, n - i, &cp);

		if (len == 0 || cp < 0x20 || cp == 0x7f)
			return -1;
		i += len;
		if (cp < 0x80) {
			if (in_run) {
				if (nbits)
					p[o++] = b64chars[(acc << (6 - nbits)) & 0x3f];
				p[o++] = '-';
				in_run = 0;
				acc = 0;
				nbits = 0;
			}
			p[o++] = (char)cp;
			if (cp == '&')
				p[o++] = '-';
			continue;
		}
		if (!in_run) {
			p[o++] = '&';
			in_run = 1;
		}
		if (cp >= 0x10000) {
			put_unit(0xd800 + (unsigned)((cp - 0x10000) >> 10), &acc, &nbits, p, &o);
			put_unit(0xdc00 + (unsigned)((cp - 0x10000) & 0x3ff), &acc, &nbits, p, &o);
		} else {
			put_unit((unsigned)cp, &acc, &nbits, p, &o);
		}
	}
	if (in_run) {
		if (nbits)
			p[o++] = b64chars[(acc << (6 - nbits)) & 0x3f];
		p[o++] = '-';
	}
	p[o] = '\0';
	*out = p;
	return 0;
}
