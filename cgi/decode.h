/* decode: MIME content transfer decoders, base64 and quoted-printable
 * (RFC 2045 §6.7, §6.8), and the "Q" encoding of RFC 2047 headers. Each
 * works in one call on a whole buffer or incrementally on chunks of any size
 * (a message part arrives from IMAP in one literal, but a page may decode
 * while it streams). Decoders never fail: bytes that are not part of the
 * encoding are skipped (base64) or kept as they are (quoted-printable), and
 * the state records that the input was damaged, for a page that wants to
 * say so. Output never exceeds the bounds documented per function. */
#ifndef QA_DECODE_H
#define QA_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* ---- base64 */

struct b64_state {
	uint32_t acc;      /* bits not yet written */
	unsigned nbits;    /* how many of them */
	unsigned npad;     /* '=' seen: the data has ended */
	int damaged;       /* a byte outside the alphabet, data after padding, a lone sextet */
};

void b64_init(struct b64_state *s);
/* Decodes n bytes of base64 into out, which must hold B64_OUT_MAX(n) bytes.
 * CR, LF, spaces and tabs are skipped silently, other bytes outside the
 * alphabet are skipped and mark the input damaged (RFC 2045 says "ignore");
 * bytes after the padding are ignored. Returns the bytes written. */
size_t b64_update(struct b64_state *s, const char *in, size_t n, unsigned char *out);
/* Ends the input: a dangling single sextet marks it damaged. Writes nothing
 * (base64 never holds back a whole byte). */
void b64_final(struct b64_state *s);
#define B64_OUT_MAX(n) ((n) / 4 * 3 + 3)

/* The same in one call; *damaged (if not NULL) is set to 0 or 1. */
size_t b64_decode(const char *in, size_t n, unsigned char *out, int *damaged);

/* ---- quoted-printable */

#define QP_HOLD 80    /* blanks held back at most (RFC 2045 lines are <= 76) */

struct qp_state {
	int eq;            /* a "=" is pending */
	int hex1;          /* its first hex digit, or -1 */
	int cr;            /* a CR is pending: a line end if LF follows */
	size_t nblank;     /* blanks pending: removed if the line ends here */
	char blank[QP_HOLD];
	int damaged;       /* "=" not followed by two hex digits or a line end */
};

void qp_init(struct qp_state *s);
/* Decodes n bytes into out, which must hold n + QP_HOLD + 3 bytes. "=XX"
 * (either case) is the byte XX, "=" at the end of a line (blanks may follow
 * it) joins the lines, blanks at the end of a line are removed (RFC 2045
 * §6.8 rule 3), CRLF and a bare LF both end a line and are written as they
 * came. A "=" not followed by hex digits or a line end is kept as it is and
 * marks the input damaged. Returns the bytes written. */
size_t qp_update(struct qp_state *s, const char *in, size_t n, unsigned char *out);
/* Ends the input: writes what is held back (at most QP_HOLD + 3 bytes; a
 * trailing "=" is a soft break and dropped). Returns the bytes written. */
size_t qp_final(struct qp_state *s, unsigned char *out);

/* The same in one call: out must hold n bytes (quoted-printable never grows). */
size_t qp_decode(const char *in, size_t n, unsigned char *out, int *damaged);

/* ---- RFC 2047 "Q" */

/* Decodes the encoded-text of a Q encoded-word: "_" is a space, "=XX" a
 * byte; anything else is itself. A bad "=" is kept and sets *damaged. out
 * must hold n bytes. */
size_t q_decode(const char *in, size_t n, unsigned char *out, int *damaged);

#endif
