/* encode: the content transfer encoders of a message we send, base64 and
 * quoted-printable (RFC 2045 §6.7, §6.8): the inverse of decode.h. */
#ifndef QA_ENCODE_H
#define QA_ENCODE_H

#include <stddef.h>

struct buf;

#define ENCODE_LINE 76        /* RFC 2045: encoded lines are at most 76 characters */

/* Appends n bytes as base64; with line > 0, a CRLF after every line
 * characters and after the last (a part's body), else one run (an RFC 2047
 * word). */
void encode_base64(struct buf *out, const void *in, size_t n, size_t line);

/* Appends text with CRLF line ends as quoted-printable: lines of at most
 * 76 characters (soft breaks "=" CRLF), "=", control characters and 8-bit
 * bytes as "=XX", a space or tab before a line end encoded, a CR that is
 * not part of CRLF as "=0D"; also "." and the "F" of "From " at the start
 * of a line, which some transports mangle. Ends with CRLF. */
void encode_qp(struct buf *out, const char *in, size_t n);

#endif
