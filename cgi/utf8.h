/* utf8: one UTF-8 character at a time, for the decoders that build text
 * from other encodings (mutf7, rfc2047). Whole-string validation is
 * utf8_valid() in common/validate.h. */
#ifndef QA_UTF8_H
#define QA_UTF8_H

#include <stddef.h>

#define UTF8_REPLACEMENT "\xef\xbf\xbd"   /* U+FFFD */

/* The character at s (n > 0 bytes left) as a code point in *cp. Returns its
 * length (1-4), or 0 when s does not start with a valid UTF-8 sequence
 * (overlong forms, surrogates and values past U+10FFFF are invalid). */
size_t utf8_decode_one(const unsigned char *s, size_t n, unsigned long *cp);

/* Writes cp as UTF-8 into out (4 bytes room) and returns the length; a
 * surrogate or a value past U+10FFFF is written as U+FFFD. */
size_t utf8_encode_one(unsigned long cp, unsigned char *out);

struct buf;

/* Appends in (n bytes) to out, each invalid UTF-8 sequence (its maximal
 * valid prefix, at least one byte) replaced with U+FFFD. Returns 0, or -1
 * when out failed (no memory, over its cap). */
int utf8_repair(struct buf *out, const char *in, size_t n);

#endif
