/* html: the one escaping writer. Every byte of untrusted data that reaches a
 * page passes through one of these; the template engine picks which by
 * context, so page code never calls them to build markup by hand. */
#ifndef QA_HTML_H
#define QA_HTML_H

#include <stddef.h>

struct buf;

/* Text content and quoted attribute values: & < > " ' become entities.
 * Invalid UTF-8 sequences are replaced with U+FFFD, and C0 controls other
 * than tab, LF and CR are dropped, so the page is always valid UTF-8. */
void html_escape(struct buf *out, const char *s, size_t n);

/* A URL component (path segment or query value): every byte outside the RFC
 * 3986 unreserved set becomes %XX. The result needs no further escaping. */
void url_escape_component(struct buf *out, const char *s, size_t n);

/* 1 when s may start a URL attribute: a relative reference (no scheme) or one
 * of http:, https:, mailto: (ASCII case-insensitive, after no leading
 * whitespace or control bytes), else 0. */
int url_is_safe(const char *s, size_t n);

/* Sanitized HTML: the only kind of value the engine writes unescaped. Only the
 * HTML sanitizer may construct one (with safe_html_from_sanitizer). */
struct safe_html {
	const char *html;
	size_t len;
};
struct safe_html safe_html_from_sanitizer(const char *html, size_t len);

#endif
