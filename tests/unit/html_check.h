/* html_check: a second, independent reading of what the sanitizer and
 * textmail write, for the unit tests and the fuzz targets. It tokenizes the
 * fragment as strictly as our writer writes it (every value in double
 * quotes, every < > " ' & in text and values escaped, tags well nested)
 * and, with its own lists rather than the sanitizer's tables, fails on any
 * element, attribute or URL scheme that could run, load or submit
 * something. It shares no code with the sanitizer but utf8_valid(). */
#ifndef QA_HTML_CHECK_H
#define QA_HTML_CHECK_H

#include <stddef.h>

struct html_check {
	int textmail;            /* 1: only textmail's a and span.mail-quote */
	int remote_images;       /* 1: img src may be http(s) */
	const char *cid_prefix;  /* img src may start with this (NULL: none) */
	int styles;              /* 1: style attributes may appear (checked) */
};

/* 0 when html[0..n) passes; else -1, with the reason and where in why. */
int html_check(const char *html, size_t n, const struct html_check *c, char *why, size_t size);

#endif
