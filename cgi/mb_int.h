/* mb_int.h: what mimebuild.c and mb_body.c share. */
#ifndef QA_MB_INT_H
#define QA_MB_INT_H

#include <stddef.h>

struct buf;

enum mb_cte { MB_7BIT, MB_8BIT, MB_QP, MB_BASE64 };

#define MB_LINE_MAX 998        /* RFC 5322 §2.1.1: MUST */
#define MB_FLOW_WIDTH 76       /* RFC 3676 §4.2: lines of flowed text */

/* The body text with CRLF line ends (a lone LF is one; a lone CR stays),
 * ending with CRLF; with flowed, as RFC 3676 format=flowed text (trailing
 * spaces trimmed, long lines wrapped with soft breaks, space-stuffed). */
void mb_text_lines(struct buf *out, const char *text, size_t n, int flowed);

/* How text made by mb_text_lines() goes: 7bit when all ASCII, 8bit with
 * UTF-8, quoted-printable when a line is longer than 998 bytes or a
 * control character (but tab) is there. */
enum mb_cte mb_text_cte(const char *s, size_t n);

/* A message/rfc822 attachment: its lines with CRLF (into out) and 7bit or
 * 8bit, or MB_BASE64 (out untouched) when it holds a NUL, a lone CR or a
 * line over 998 bytes. */
enum mb_cte mb_message_lines(struct buf *out, const char *s, size_t n);

const char *mb_cte_name(enum mb_cte cte);

/* One "<id>" at s (printable ASCII, no white space or "<" inside, at most
 * MB_MSGID_MAX bytes): its length, or 0 when s does not start with one. */
size_t mb_msgid_len(const char *s);

#endif
