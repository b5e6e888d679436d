/* html: the escaping writer (see html.h). Every substituted byte reaches a page
 * through one of these functions, so they must never pass through a byte that
 * can change the HTML structure, and must always leave valid UTF-8 behind.
 * This file builds no markup of its own. */
#include "config.h"

#include "html.h"

#include "buf.h"

#include <stddef.h>

/* The range the second byte of a sequence starting with lead must fall in:
 * narrower than 80..BF for the leads that could otherwise encode overlong
 * forms, surrogates or code points past U+10FFFF (RFC 3629). */
static void utf8_second_range(unsigned char lead, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (lead == 0xe0)
		*lo = 0xa0;
	else if (lead == 0xed)
		*hi = 0x9f;
	else if (lead == 0xf0)
		*lo = 0x90;
	else if (lead == 0xf4)
		*hi = 0x8f;
}

/* How many bytes of a valid sequence start at s. When the sequence is
 * complete and valid that is its length, and *ok is set; otherwise it is the
 * "maximal subpart" (at least 1) that one U+FFFD replaces, as browsers do. */
static size_t utf8_scan(const unsigned char *s, size_t n, int *ok)
{
	unsigned char lo, hi;
	size_t len, i;

	*ok = 0;
	if (s[0] < 0x80) {
		*ok = 1;
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 1;
	utf8_second_range(s[0], &lo, &hi);
	if (n < 2 || s[1] < lo || s[1] > hi)
		return 1;
	for (i = 2; i < len; i++)
		if (i >= n || (s[i] & 0xc0) != 0x80)
			return i;
	*ok = 1;
	return len;
}

static const char *html_entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

/* 1 for the ASCII bytes that html_escape copies unchanged. */
static int html_plain(unsigned char c)
{
	if (c >= 0x80)
		return 0;
	if (c < 0x20)
		return c == '\t' || c == '\n' || c == '\r';
	return html_entity(c) == NULL;
}

void html_escape(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run;

	while (i < n) {
		/* Copy runs of harmless bytes in one append: most text is plain. */
		for (run = i; run < n && html_plain(p[run]); run++)
			;
		if (run > i) {
			buf_add(out, p + i, run - i);
			i = run;
			continue;
		}
		if (p[i] >= 0x80) {
			int ok;
			size_t len = utf8_scan(p + i, n - i, &ok);

			if (ok)
				buf_add(out, p + i, len);
			else
				buf_adds(out, "\xef\xbf\xbd");
			i += len;
			continue;
		}
		if (html_entity(p[i]))
			buf_adds(out, html_entity(p[i]));
		/* Other C0 controls are dropped: they are never valid in a page. */
		i++;
	}
}

static int url_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

void url_escape_component(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run;
	char enc[3] = { '%', 0, 0 };

	while (i < n) {
		for (run = i; run < n && url_unreserved(p[run]); run++)
			;
		if (run > i) {
			buf_add(out, p + i, run - i);
			i = run;
			continue;
		}
		enc[1] = hex[p[i] >> 4];
		enc[2] = hex[p[i] & 15];
		buf_add(out, enc, 3);
		i++;
	}
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int scheme_is(const char *s, size_t n, const char *want)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!want[i] || ascii_lower((unsigned char)s[i]) != want[i])
			return 0;
	return want[n] == '\0';
}

/* The scheme is whatever precedes the first ':' that comes before any '/',
 * '?' or '#'. Browsers strip leading spaces and controls and delete tabs and
 * newlines anywhere ("java\tscript:"), and html_escape drops C0 controls, so
 * such a byte anywhere before that point makes the value unsafe rather than
 * something we try to normalise. A space inside is harmless: it cannot be
 * part of a scheme, so the browser reads a relative reference. */
int url_is_safe(const char *s, size_t n)
{
	size_t i;

	if (n && (unsigned char)s[0] <= 0x20)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c == '/' || c == '?' || c == '#')
			return 1;
		if (c == ':')
			return scheme_is(s, i, "http") || scheme_is(s, i, "https") ||
			       scheme_is(s, i, "mailto");
	}
	return 1;
}

struct safe_html safe_html_from_sanitizer(const char *html, size_t len)
{
	struct safe_html h;

	h.html = html ? html : "";
	h.len = html ? len : 0;
	return h;
}
