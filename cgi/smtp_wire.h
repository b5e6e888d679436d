/* smtp_wire: the bytes of SMTP (RFC 5321) without any I/O. The server's
 * replies are read incrementally under fixed limits (the line length, the
 * lines of one reply), and the message is turned into the form DATA sends
 * (CRLF line ends, a '.' doubled at the start of a line, "." at the end) or
 * into the LF form that qmail-inject reads. Line ends in the input may be
 * CRLF, LF or a bare CR: each is one line end on the way out, so nothing a
 * user typed can end DATA early or smuggle a bare CR or LF to the server.
 * Pure functions over caller memory: tests/fuzz/fuzz_smtp_reply.c fuzzes
 * them. */
#ifndef QA_SMTP_WIRE_H
#define QA_SMTP_WIRE_H

#include <stddef.h>

/* One reply line with its CRLF. RFC 5321 4.5.3.1.5 says 512; servers that
 * put a long explanation in a 5xx go over that, so we allow some more. */
#define SMTP_LINE_MAX 1000
#define SMTP_REPLY_LINES_MAX 100
/* The text kept of one reply; the rest is read and dropped (truncated). */
#define SMTP_REPLY_TEXT_MAX 8192

struct smtp_reply {
	int code;                       /* 200-599 */
	size_t nlines;
	/* Each line's text after "NNN-" or "NNN ", the lines joined by '\n';
	 * a byte that is not printable ASCII is kept as '?'. NUL-terminated. */
	char text[SMTP_REPLY_TEXT_MAX];
	size_t len;
	int truncated;
};

struct smtp_reader {
	char line[SMTP_LINE_MAX];
	size_t len;                     /* bytes of the line so far (without LF) */
	int done;                       /* reply holds a whole reply */
	struct smtp_reply reply;
};

enum {
	SMTP_READ_MORE = 0,             /* all input used, the reply is not complete */
	SMTP_READ_DONE = 1,             /* rd->reply is complete; *used says how far */
	SMTP_READ_TOO_LONG = -1,        /* a line over SMTP_LINE_MAX */
	SMTP_READ_SYNTAX = -2,          /* not "NNN-text" / "NNN text", or a code that changes */
	SMTP_READ_TOO_MANY = -3,        /* over SMTP_REPLY_LINES_MAX lines */
};

void smtp_reader_init(struct smtp_reader *rd);

/* Feeds n bytes. Returns SMTP_READ_DONE with *used bytes taken (the rest
 * belongs to the next reply: feed it again after handling this one), or
 * SMTP_READ_MORE with all n taken, or an error (the reader must not be fed
 * again). After DONE the next feed starts a new reply. */
int smtp_reader_feed(struct smtp_reader *rd, const char *p, size_t n, size_t *used);

/* The first line's text, as a short and safe excerpt for a page: printable
 * ASCII, at most size - 1 bytes, cut at a word when it is longer (" ..."). */
void smtp_reply_excerpt(const struct smtp_reply *r, char *out, size_t size);

/* The RFC 3463 enhanced status code ("5.1.1") that the first line starts
 * with, class matching the reply's; "" when none. out holds 12 bytes. */
void smtp_reply_status(const struct smtp_reply *r, char out[12]);

/* ---- EHLO capabilities (RFC 5321 4.1.1.1: the lines after the first) */

#define SMTP_CAP_STARTTLS    0x01u
#define SMTP_CAP_AUTH_PLAIN  0x02u
#define SMTP_CAP_SIZE        0x04u
#define SMTP_CAP_8BITMIME    0x08u
#define SMTP_CAP_PIPELINING  0x10u
#define SMTP_CAP_ENHANCED    0x20u  /* ENHANCEDSTATUSCODES */
#define SMTP_CAP_AUTH        0x40u  /* AUTH with any mechanism */

/* The capability bits of an EHLO reply; *size_max the SIZE limit (0: none
 * announced or unlimited). */
unsigned smtp_ehlo_caps(const struct smtp_reply *r, unsigned long long *size_max);

/* ---- the message */

enum smtp_enc_mode {
	SMTP_ENC_DATA,                  /* CRLF, dot-stuffed, ended by ".\r\n" */
	SMTP_ENC_CRLF,                  /* CRLF line ends only (SIZE=, IMAP APPEND) */
	SMTP_ENC_LF,                    /* LF line ends only (qmail-inject) */
};

struct smtp_enc {
	enum smtp_enc_mode mode;
	int bol;                        /* the next byte starts a line */
	int cr;                         /* the last input byte was a CR (its line end is out) */
};

#define SMTP_ENC_OUT_MIN 8          /* the least room for smtp_enc_step and _finish */

void smtp_enc_init(struct smtp_enc *e, enum smtp_enc_mode mode);

/* Encodes from in[0..n) into out (size >= SMTP_ENC_OUT_MIN). Returns the
 * bytes written; *used gets the input bytes taken (all of them when out is
 * large enough, at least one). */
size_t smtp_enc_step(struct smtp_enc *e, const char *in, size_t n, size_t *used,
                     char *out, size_t size);

/* The end of the message: a line end if the last line had none, and for
 * DATA the final ".\r\n". Returns the bytes written to out (at most 5). */
size_t smtp_enc_finish(struct smtp_enc *e, char *out);

/* The size of the whole encoded message. RFC 1870's SIZE= is the CRLF
 * form's: without the doubled dots and the final ".". */
unsigned long long smtp_enc_size(enum smtp_enc_mode mode, const char *msg, size_t len);

#endif
