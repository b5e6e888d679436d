/* charset: text in any charset glibc's iconv knows, converted to UTF-8, for
 * headers (rfc2047) and message parts. Never fails on bad bytes: invalid or
 * truncated sequences become U+FFFD. */
#ifndef QA_CHARSET_H
#define QA_CHARSET_H

#include <stddef.h>

struct buf;

#define CHARSET_NAME_MAX 64

/* Appends in (n bytes, in the charset named by name, cslen bytes) to out as
 * UTF-8. The name is matched without case; a few labels that mail gets
 * wrong are read as the WHATWG Encoding Standard reads them (ISO-8859-1,
 * Latin-1 and US-ASCII as windows-1252, GB2312 as GB18030, KS_C_5601-1987
 * as CP949, ...); UTF-8 is checked here, everything else goes through
 * iconv. Returns 0; -1 with nothing appended when the name is not a MIME
 * token (RFC 2045), longer than CHARSET_NAME_MAX, or unknown to iconv; -2
 * when out failed (no memory, over its cap). */
int charset_to_utf8(struct buf *out, const char *name, size_t cslen, const char *in, size_t n);

/* 1 when name (cslen bytes) is a charset iconv can convert from. */
int charset_known(const char *name, size_t cslen);

#endif
