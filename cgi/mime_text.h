/* mime_text: bytes of some declared (or undeclared) charset made into text a
 * page can show: valid UTF-8 without control characters. The one place
 * where the MIME code (rfc2231, mime_body, mailaddr_view) decides what
 * unlabelled 8-bit data is and which characters never leave it. */
#ifndef QA_MIME_TEXT_H
#define QA_MIME_TEXT_H

#include <stddef.h>

struct buf;

/* Keep line ends (CRLF and a lone CR become LF) and tabs: body text. Without
 * it the result is one line: a tab becomes a space, CR and LF U+FFFD. */
#define MIME_TEXT_LINES 1u

/* Appends in (n bytes) to out as UTF-8. charset (cslen bytes; NULL or empty
 * for none) is converted with charset.c; without one, with one iconv does
 * not know, or with US-ASCII (which 8-bit data belies), the bytes are read as
 * UTF-8 when they are valid UTF-8, else as windows-1252. Control characters
 * (C0 and DEL, NUL included) become U+FFFD but for what flags keep. Returns
 * 0, or -1 when out failed. */
int mime_text_utf8(struct buf *out, const char *charset, size_t cslen, const char *in, size_t n,
                   unsigned flags);

struct arena;

/* Header text (RFC 2047 words, raw 8-bit) to UTF-8 with rfc2047_decode(),
 * its output checked: glibc's iconv reads some labels ("%utf-8") as a
 * UTF-8 that lets invalid sequences through, which charset.c passes on.
 * NULL only when memory ran out. */
char *mime_text_header(struct arena *a, const char *in, size_t n);

/* Decodes "%XX" (either case) in n bytes of in into out (room for n bytes,
 * or in itself);
 * a "%" without two hex digits after it stays. Returns the bytes written.
 * For RFC 2231 values and RFC 2392 cid: URLs. */
size_t mime_percent_decode(char *out, const char *in, size_t n);

#endif
