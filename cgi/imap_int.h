/* imap_int: what imap.c (connection, TLS, running commands, login) shares
 * with imap_quote.c (building commands) and imap_cmd.c (the mailbox and
 * message commands). Not for pages. */
#ifndef QA_IMAP_INT_H
#define QA_IMAP_INT_H

#include "buf.h"
#include "imap.h"
#include "netconn.h"

enum imap_state { IMAP_S_NEW, IMAP_S_NOAUTH, IMAP_S_AUTH, IMAP_S_SELECTED, IMAP_S_CLOSED };

struct imap {
	struct arena *a;            /* results */
	struct arena *scratch;      /* the values of the response being handled */
	struct imap_config cfg;      /* cfg.host is nc.host */
	struct netconn nc;
	struct imap_reader rd;
	char in[16384];             /* read from the socket, not yet fed to rd */
	size_t in_off, in_len;
	unsigned tagn;
	char tag[16];               /* of the command in flight */
	uint32_t caps, hidden;
	int have_caps;
	enum imap_state state;
	enum imap_err dead;         /* a connection-level error: sticky */
	int bye;                    /* the server said BYE */
	struct imap_selected sel;
	char detail[256];
};

/* ---- building a command: text, strings and literals in pieces; a piece
 * that ends in a synchronizing literal's "{n}" waits for "+" */

#define IMAP_CMD_PIECES 64

struct imap_cmd {
	struct buf b;
	struct {
		const char *ext;        /* NULL: b.p + off */
		size_t off, len;
		int wait;               /* wait for a continuation after it */
	} piece[IMAP_CMD_PIECES];
	size_t npieces;
	size_t mark;                /* start of b's text not yet in a piece */
	int secret;                 /* wipe b when done */
	enum imap_err err;
};

/* "TAG VERB"; secret: the command carries a password. */
void imap_cmd_begin(struct imap *im, struct imap_cmd *c, const char *verb, int secret);
void imap_cmd_text(struct imap_cmd *c, const char *s);
void imap_cmd_printf(struct imap_cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An astring: quoted when it can be, else a literal (n bytes, no NUL). */
void imap_cmd_string(struct imap *im, struct imap_cmd *c, const char *s, size_t n);
/* A mailbox name in UTF-8, sent in modified UTF-7 (INBOX as INBOX). */
void imap_cmd_mailbox(struct imap *im, struct imap_cmd *c, const char *name);
/* A literal whose bytes stay where they are (they must outlive the run). */
void imap_cmd_literal(struct imap *im, struct imap_cmd *c, const char *data, size_t n);
/* Ends the piece here and waits for "+" (AUTHENTICATE without SASL-IR). */
void imap_cmd_wait(struct imap_cmd *c);
void imap_cmd_free(struct imap_cmd *c);
/* Ends the piece here (imap_run(), after the final CRLF). */
void imap_cmd_end_piece(struct imap_cmd *c);

/* Called for each untagged response of the command (after the client's own
 * bookkeeping: capabilities, the selected mailbox, BYE). Returns IMAP_OK or
 * an error that ends the command (after its tagged response is read). */
typedef int (*imap_untagged_fn)(struct imap *im, const struct imap_response *r, void *ctx);

/* What a plain NO means for this command, when no response code says. */
enum imap_no { IMAP_NO_REFUSED, IMAP_NO_AUTH, IMAP_NO_MAILBOX };

/* Sends c (ends it with CRLF, frees it), reads up to its tagged response.
 * Returns IMAP_OK, the error of a NO or BAD (by response code, else as
 * no_means says), or a connection error. *tagged (may be NULL) gets the
 * tagged response's code: a pointer into the scratch arena, valid until the
 * next command. */
int imap_run(struct imap *im, struct imap_cmd *c, imap_untagged_fn fn, void *ctx,
             enum imap_no no_means, struct imap_response *tagged);

/* Sets im->detail; returns err. */
int imap_fail(struct imap *im, enum imap_err err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A parse error as the client's error. */
int imap_parse_fail(struct imap *im, int perr, const char *what);

/* "1:3,7" for uids (any order, duplicates allowed) into c. IMAP_ERR_INVALID
 * for none or a zero. */
int imap_cmd_uidset(struct imap_cmd *c, const uint32_t *uids, size_t n);

#endif
