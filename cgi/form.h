/* form: application/x-www-form-urlencoded (bodies and query strings). */
#ifndef QA_FORM_H
#define QA_FORM_H

#include "params.h"

/* Parses s[0..n) ("a=1&b=x+y&c=%C3%A5"): '+' is a space, %XX is decoded, a
 * missing '=' gives an empty value, empty pairs ("a=1&&b=2") are skipped.
 * A bad escape ("%G1", "%4") or a decoded NUL is PARSE_BAD; more than
 * lim->max_fields pairs, n > lim->max_body, a name over max_name or a value
 * over max_value is PARSE_TOO_LARGE. *out is appended to in order. */
int form_parse_urlencoded(struct arena *a, const char *s, size_t n,
                          const struct req_limits *lim, struct param **out);

/* Percent-decodes src[0..n) into dst (which has room for n+1 bytes), with
 * '+' as space when plus_is_space. Returns the decoded length, or (size_t)-1
 * on a bad escape. dst is NUL-terminated. */
size_t url_decode(char *dst, const char *src, size_t n, int plus_is_space);

#endif
