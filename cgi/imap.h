/* imap: webmail's IMAP client. One connection per request, with the user's
 * own credentials: the IMAP server is the authority on mail. Plain TCP,
 * STARTTLS or IMAPS (OpenSSL, certificate and host name checked unless the
 * configuration says not to); a timeout on the connect and on every read
 * and write; every response bounded (imap_parse.h's limits); mailbox names
 * in UTF-8 at this API and modified UTF-7 on the wire; strings sent quoted
 * or as literals (non-synchronizing when the server offers LITERAL+).
 *
 * Every call returns an enum imap_err; imap_detail() says more in English
 * for the log (never for the page: the page translates the code). After a
 * connection-level error (timeout, I/O, TLS, protocol) every later call
 * returns the same error at once. Results are allocated in the arena given
 * to imap_new(); nothing here prints, exits or keeps state between
 * connections. The caller ignores SIGPIPE, as the front end's main() does.
 *
 * The pages put the calls together; a typical request:
 *
 *     struct imap *im = imap_new(arena, &cfg);
 *     rc = imap_connect(im);
 *     if (!rc) rc = imap_login(im, user, password, IMAP_AUTH_AUTO);
 *     if (!rc) rc = imap_select(im, "INBOX", 1, &sel);
 *     if (!rc) rc = imap_fetch(im, uids, n, &spec, &msgs, &nmsgs);
 *     imap_logout(im);
 *     imap_free(im);
 */
#ifndef QA_IMAP_H
#define QA_IMAP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "imap_parse.h"

struct arena;
struct conf;

enum imap_err {
	IMAP_OK = 0,
	IMAP_ERR_CONNECT,     /* no connection: refused, unreachable, unknown host */
	IMAP_ERR_TIMEOUT,     /* the connect, a read or a write took longer than the timeout */
	IMAP_ERR_TLS,         /* handshake failed, certificate or host name not verified, no STARTTLS */
	IMAP_ERR_AUTH,        /* wrong user or password, or the account may not log in */
	IMAP_ERR_NO_MAILBOX,  /* no such mailbox */
	IMAP_ERR_EXISTS,      /* the mailbox exists already */
	IMAP_ERR_QUOTA,       /* over quota */
	IMAP_ERR_DENIED,      /* not permitted (NOPERM, a read-only mailbox) */
	IMAP_ERR_REFUSED,     /* any other NO */
	IMAP_ERR_SERVER,      /* BAD, BYE, UNAVAILABLE: the server failed or went away */
	IMAP_ERR_PROTOCOL,    /* the server's bytes are not IMAP or are over our limits */
	IMAP_ERR_IO,          /* the connection broke */
	IMAP_ERR_UNSUPPORTED, /* the server lacks what this needs (SORT, a usable login) */
	IMAP_ERR_INVALID,     /* a bad argument: a name that is not UTF-8, an empty set */
	IMAP_ERR_NOMEM,
	IMAP_ERR__COUNT
};

/* Stable names for logs and tests: "ok", "connect", "timeout", "tls",
 * "auth", "no_mailbox", "exists", "quota", "denied", "refused", "server",
 * "protocol", "io", "unsupported", "invalid", "nomem". */
const char *imap_err_name(enum imap_err e);

enum imap_tls { IMAP_TLS_NONE, IMAP_TLS_STARTTLS, IMAP_TLS_IMAPS };

struct imap_config {
	const char *host;           /* name or address; also the name the certificate must carry */
	unsigned port;
	enum imap_tls tls;
	const char *ca_file;        /* PEM CA certificates; NULL or "": the system's */
	int verify;                 /* check the certificate chain and the host name */
	int timeout_ms;             /* the connect and each read and write */
	struct imap_limits lim;     /* one response */
};

#define IMAP_TIMEOUT_MS 30000

/* The configuration's imap_* keys; limits at their defaults. */
void imap_config_from_conf(struct imap_config *ic, const struct conf *c);

struct imap;

/* A client that is not connected yet; results go to a. NULL without memory.
 * cfg is copied. */
struct imap *imap_new(struct arena *a, const struct imap_config *cfg);
/* Closes the connection (without LOGOUT) and frees everything but the
 * results in the arena. NULL is fine. */
void imap_free(struct imap *im);

const char *imap_detail(const struct imap *im);
/* The server's capabilities (IMAP_CAP_* bits) as last announced. */
uint32_t imap_caps(const struct imap *im);
/* Pretends the server did not announce these (tests; servers with a broken
 * extension). */
void imap_hide_caps(struct imap *im, uint32_t caps);

/* ---- connection and login */

/* TCP connect, TLS as configured (STARTTLS before anything else is sent),
 * the greeting, the capabilities. */
int imap_connect(struct imap *im);

enum imap_auth { IMAP_AUTH_AUTO, IMAP_AUTH_PLAIN, IMAP_AUTH_LOGIN };

/* AUTO: AUTHENTICATE PLAIN when offered (the response in the command with
 * SASL-IR), else LOGIN. Any byte but NUL may be in user and password (LOGIN
 * sends odd ones as literals). A refusal is IMAP_ERR_AUTH; LOGINDISABLED
 * with no other way in is IMAP_ERR_UNSUPPORTED. Copies of the password are
 * wiped after use. */
int imap_login(struct imap *im, const char *user, const char *password, enum imap_auth how);

/* LOGOUT, then the connection is closed. */
int imap_logout(struct imap *im);

/* ---- mailboxes (names in UTF-8; "INBOX" in any case is the inbox) */

#define IMAP_LIST_STATUS 1          /* with MESSAGES, UNSEEN (LIST-STATUS, else one STATUS each) */

/* LIST "" "*": every mailbox in server order, as an array in the arena. */
int imap_list(struct imap *im, unsigned flags, struct imap_mailbox **out, size_t *n);
int imap_status(struct imap *im, const char *mailbox, struct imap_status *out);
int imap_create(struct imap *im, const char *mailbox);
int imap_rename(struct imap *im, const char *from, const char *to);
int imap_delete(struct imap *im, const char *mailbox);

/* SELECT (or EXAMINE when read_only); out (may be NULL) gets the mailbox's
 * state, which later responses keep current (imap_selected()). */
int imap_select(struct imap *im, const char *mailbox, int read_only, struct imap_selected *out);
const struct imap_selected *imap_selected(const struct imap *im);

/* APPEND msg (len bytes, CRLF line ends) with flags (IMAP_FLAG_*) and, when
 * date is not 0, that internal date. *uid (may be NULL) gets the new
 * message's UID when the server says it (UIDPLUS), else 0. */
int imap_append(struct imap *im, const char *mailbox, unsigned flags, time_t date,
                const char *msg, size_t len, uint32_t *uid);

/* ---- messages of the selected mailbox, by UID */

/* In a spec's items only: the sections are fetched as BODY[...], which sets
 * \Seen (a message being read), not BODY.PEEK[...]; one command fewer than
 * a STORE after the FETCH. */
#define IMAP_FETCH_MARK_SEEN (1u << 16)

struct imap_fetch_spec {
	unsigned items;             /* IMAP_FETCH_FLAGS | _SIZE | _INTERNALDATE | _ENVELOPE | _BODYSTRUCTURE, _MARK_SEEN */
	const char *const *sections; /* BODY.PEEK[...]: "1.2", "HEADER", "2.MIME", "TEXT", "" ... */
	size_t nsections;
	uint64_t origin, max;       /* max > 0: each section's bytes from origin, at most max */
};

/* UID FETCH: out[0..n) in the order of uids (UIDs that no longer exist are
 * left out), UID always included. Sections do not set \Seen unless the
 * spec has IMAP_FETCH_MARK_SEEN. */
int imap_fetch(struct imap *im, const uint32_t *uids, size_t nuids,
               const struct imap_fetch_spec *spec, struct imap_fetch **out, size_t *n);

enum imap_search_key {
	IMAP_SK_ALL, IMAP_SK_FROM, IMAP_SK_TO, IMAP_SK_CC, IMAP_SK_SUBJECT, IMAP_SK_BODY,
	IMAP_SK_TEXT, IMAP_SK_SEEN, IMAP_SK_UNSEEN, IMAP_SK_FLAGGED, IMAP_SK_UNFLAGGED,
	IMAP_SK_DELETED, IMAP_SK_UNDELETED, IMAP_SK_ANSWERED,
};

struct imap_search_term {
	enum imap_search_key key;
	const char *value;          /* UTF-8, for the keys that take text */
};

struct imap_search {
	const struct imap_search_term *terms;   /* none: ALL */
	size_t nterms;
	int any;                    /* 1: any term matches (OR), 0: all must (AND) */
};

/* UID SEARCH (CHARSET UTF-8 when a value is not ASCII; RETURN (ALL) with
 * ESEARCH): the matching UIDs, ascending. */
int imap_search(struct imap *im, const struct imap_search *q, uint32_t **uids, size_t *n);

enum imap_sort_key { IMAP_SORT_ARRIVAL, IMAP_SORT_DATE, IMAP_SORT_FROM, IMAP_SORT_SUBJECT,
                     IMAP_SORT_SIZE, IMAP_SORT_TO, IMAP_SORT_CC };

/* UID SORT (RFC 5256): the matching UIDs in that order. IMAP_ERR_UNSUPPORTED
 * when the server has no SORT (the page then sorts its own window). */
int imap_sort(struct imap *im, enum imap_sort_key key, int reverse, const struct imap_search *q,
              uint32_t **uids, size_t *n);

enum imap_store_op { IMAP_STORE_ADD, IMAP_STORE_REMOVE, IMAP_STORE_SET };

/* UID STORE +FLAGS.SILENT / -FLAGS.SILENT / FLAGS.SILENT: system flags
 * (IMAP_FLAG_*, not \Recent) and keywords (atoms like "$Junk"). */
int imap_store(struct imap *im, const uint32_t *uids, size_t n, enum imap_store_op op,
               unsigned flags, const char *const *keywords, size_t nkeywords);

/* UID MOVE; without MOVE: UID COPY, \Deleted, then UID EXPUNGE (UIDPLUS)
 * or, without UIDPLUS, EXPUNGE only when no other message is \Deleted
 * (else the moved ones stay behind, marked \Deleted). */
int imap_move(struct imap *im, const uint32_t *uids, size_t n, const char *dest);

/* \Deleted, then expunged as imap_move() does without MOVE. */
int imap_expunge_uids(struct imap *im, const uint32_t *uids, size_t n);

#endif
