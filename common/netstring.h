/* netstring: djb's length-prefixed framing, "5:hello,". Binary-safe, and a
 * reader knows every length before it reads, so nothing is ever guessed. */
#ifndef QA_NETSTRING_H
#define QA_NETSTRING_H

#include <stddef.h>

struct buf;

int ns_put(struct buf *b, const void *p, size_t n);
int ns_puts(struct buf *b, const char *s);

/* Takes the next netstring from *in (of *inlen bytes): sets *item and *itemlen to
 * its payload and advances *in past it. Returns 0, or -1 when the input is
 * malformed, truncated, has a leading zero in a non-zero length, or claims
 * more than max bytes. */
int ns_get(const char **in, size_t *inlen, const char **item, size_t *itemlen, size_t max);

#endif
