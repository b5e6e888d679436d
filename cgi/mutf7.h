/* mutf7: IMAP's modified UTF-7 for mailbox names (RFC 3501 §5.1.3), both
 * ways. Printable ASCII stands for itself ("&" as "&-"); everything else is
 * UTF-16 in base64 with "," for "/", between "&" and "-". Both directions
 * are strict: a name that does not round-trip is refused rather than shown
 * or sent wrongly. */
#ifndef QA_MUTF7_H
#define QA_MUTF7_H

#include <stddef.h>

struct arena;

/* Modified UTF-7 (n bytes) to UTF-8, NUL-terminated in a. Returns 0, or -1
 * when in is not valid modified UTF-7: a byte outside printable ASCII, an
 * unterminated or badly padded base64 run, an odd or unpaired UTF-16 unit,
 * an encoded character below U+0080 (those must stand for themselves), or
 * no memory. */
int mutf7_decode(struct arena *a, const char *in, size_t n, char **out);

/* UTF-8 (n bytes) to modified UTF-7, NUL-terminated in a. Returns 0, or -1
 * when in is not valid UTF-8 (overlong forms, surrogates, past U+10FFFF),
 * holds a control character (below U+0020, U+007F) or memory ran out. */
int mutf7_encode(struct arena *a, const char *in, size_t n, char **out);

#endif
