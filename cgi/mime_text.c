/* mime_text: charset conversion and control filtering (see mime_text.h). */
#include "config.h"

#include "mime_text.h"

#include "arena.h"
#include "buf.h"
#include "charset.h"
#include "rfc2047.h"
#include "utf8.h"
#include "validate.h"

#include <string.h>
#include <strings.h>

/* US-ASCII labels say nothing about 8-bit bytes: the data decides. */
static int no_charset(const char *cs, size_t n)
{
	static const char *const ascii[] = { "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us" };
	size_t i;

	if (!cs || n == 0)
		return 1;
	for (i = 0; i < sizeof(ascii) / sizeof(ascii[0]); i++)
		if (strlen(ascii[i]) == n && !strncasecmp(cs, ascii[i], n))
			return 1;
	return 0;
}

/* Unlabelled bytes: UTF-8 if they are, else windows-1252 (which glibc
 * always has; utf8_repair() in case it does not). */
static int guess(struct buf *out, const char *in, size_t n)
{
	int rc;

	if (utf8_valid(in, n))
		return buf_add(out, in, n);
	rc = charset_to_utf8(out, "windows-1252", 12, in, n);
	if (rc == -1)
		return utf8_repair(out, in, n);
	return rc < 0 ? -1 : 0;
}

/* Copies UTF-8 text to out with control characters as flags say. */
static void filter(struct buf *out, const char *s, size_t n, unsigned flags)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != 0x7f)
			continue;
		buf_add(out, s + start, i - start);
		start = i + 1;
		if ((flags & MIME_TEXT_LINES) && (c == '\n' || c == '\t'))
			buf_addc(out, c);
		else if ((flags & MIME_TEXT_LINES) && c == '\r') {
			if (i + 1 == n || s[i + 1] != '\n')
				buf_addc(out, '\n');    /* CRLF: the LF comes next */
		}
		else if (c == '\t')
			buf_addc(out, ' ');
		else
			buf_adds(out, UTF8_REPLACEMENT);
	}
	buf_add(out, s + start, n - start);
}

int mime_text_utf8(struct buf *out, const char *charset, size_t cslen, const char *in, size_t n,
                   unsigned flags)
{
	struct buf tmp = BUF_INIT;
	int rc;

	if (no_charset(charset, cslen))
		rc = guess(&tmp, in, n);
	else if ((rc = charset_to_utf8(&tmp, charset, cslen, in, n)) == -1)
		rc = guess(&tmp, in, n);
	/* See mime_text_header(): what iconv gives is checked, not trusted. */
	if (rc == 0 && !buf_failed(&tmp) && !utf8_valid(tmp.p, tmp.len)) {
		struct buf fixed = BUF_INIT;

		rc = utf8_repair(&fixed, tmp.p, tmp.len);
		buf_free(&tmp);
		tmp = fixed;
	}
	if (rc == 0 && !buf_failed(&tmp))
		filter(out, tmp.p ? tmp.p : "", tmp.len, flags);
	buf_free(&tmp);
	return rc == 0 && !buf_failed(out) ? 0 : -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* out may be in: each byte is written at or before where it was read. */
size_t mime_percent_decode(char *out, const char *in, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (in[i] == '%' && i + 2 < n && (hi = hexval(in[i + 1])) >= 0
		    && (lo = hexval(in[i + 2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = in[i];
		}
	}
	return o;
}

char *mime_text_header(struct arena *a, const char *in, size_t n)
{
	char *s = rfc2047_decode(a, in, n, NULL);
	struct buf fixed = BUF_INIT;

	if (!s || utf8_valid(s, strlen(s)))
		return s;
	s = utf8_repair(&fixed, s, strlen(s)) == 0 ? arena_strndup(a, fixed.p, fixed.len) : NULL;
	buf_free(&fixed);
	return s;
}
