/* cookie: the Cookie request header (RFC 6265 section 5.4 syntax, lenient the
 * way browsers are: "a=1; b=2", optional spaces, quoted values unquoted). */
#ifndef QA_COOKIE_H
#define QA_COOKIE_H

#include "params.h"

/* Pairs without '=' and empty names are skipped. Values are not
 * percent-decoded (we only ever set cookie values made of URL-safe bytes).
 * strlen(header) > lim->max_header or more than lim->max_cookies pairs is
 * PARSE_TOO_LARGE; a control byte (< 0x20 or 0x7f) is PARSE_BAD. */
int cookie_parse(struct arena *a, const char *header,
                 const struct req_limits *lim, struct param **out);

#endif
