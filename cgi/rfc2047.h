/* rfc2047: header text for display. Decodes encoded-words (RFC 2047,
 * "=?charset?B|Q?text?=", with RFC 2231's "*language" suffix) into UTF-8
 * through charset.c, joins adjacent encoded-words (the white space between
 * them goes, and their bytes are converted together, so a character split
 * across two words survives), unfolds folded lines, and reads raw 8-bit
 * text as UTF-8 when it is, else as the fallback charset. The result is
 * always valid UTF-8 without control characters: tabs become spaces, other
 * controls and undecodable bytes U+FFFD. Hostile input never crashes it,
 * and it never fails but for memory. */
#ifndef QA_RFC2047_H
#define QA_RFC2047_H

#include <stddef.h>

struct arena;

/* Decodes n bytes of a header field's body into a NUL-terminated UTF-8
 * string in a. fallback names the charset of raw 8-bit bytes that are not
 * UTF-8 (NULL: "windows-1252", the usual truth of unlabelled mail). An
 * encoded-word in a charset iconv does not know stays as it was written.
 * Returns NULL only when memory ran out. */
char *rfc2047_decode(struct arena *a, const char *in, size_t n, const char *fallback);

#endif
