/* smtp: webmail's SMTP client (RFC 5321) for the configured relay. One
 * call sends one message over one connection: greeting, EHLO (HELO when
 * the server knows no EHLO), STARTTLS when configured (certificate and host
 * name checked unless configured off; EHLO again), AUTH PLAIN when given
 * credentials (RFC 4954, only under TLS or to a loopback address), MAIL
 * FROM (SIZE= and BODY=8BITMIME when offered), one RCPT TO per recipient,
 * DATA with the message dot-stuffed and its line ends made CRLF, QUIT. A
 * timeout bounds the connect and every read and write (netconn.c); every
 * reply is read under limits (smtp_wire.h) and its code checked.
 *
 * Recipients: every RCPT is tried, and when the server refuses any of them
 * the message is sent to none: no DATA, the result names the first refused
 * address (and counts the others), so the user can correct it and send
 * again to everyone at once. A partial send would leave the user unable to
 * tell who got the message.
 *
 * Nothing here prints, exits or keeps state between calls; the password is
 * wiped after use. The caller ignores SIGPIPE, as the front end's main()
 * does. submit.h chooses between this and qmail-inject. */
#ifndef QA_SMTP_H
#define QA_SMTP_H

#include <stddef.h>

enum smtp_err {
	SMTP_OK = 0,
	SMTP_ERR_CONNECT,     /* no connection: refused, unreachable, unknown host */
	SMTP_ERR_TIMEOUT,     /* the connect, a read or a write took longer than the timeout */
	SMTP_ERR_TLS,         /* handshake, certificate or host name; STARTTLS not offered or refused */
	SMTP_ERR_AUTH,        /* credentials refused; no AUTH PLAIN; a password would go in the clear */
	SMTP_ERR_TEMP,        /* a 4xx reply (or qmail-inject's 111): try again later */
	SMTP_ERR_PERM,        /* a 5xx reply (or qmail-inject's 100): refused */
	SMTP_ERR_TOO_BIG,     /* over the server's SIZE, or refused as too big (x.3.4) */
	SMTP_ERR_PROTOCOL,    /* the server's bytes are not SMTP, over our limits, or a code out of place */
	SMTP_ERR_IO,          /* the connection broke, or the server closed it */
	SMTP_ERR_LOCAL,       /* qmail-inject could not be run, or died */
	SMTP_ERR_INVALID,     /* bad arguments: an address we will not send, no recipients */
	SMTP_ERR_NOMEM,
	SMTP_ERR__COUNT
};

/* Where it went wrong. */
enum smtp_stage {
	SMTP_AT_CONNECT, SMTP_AT_GREETING, SMTP_AT_EHLO, SMTP_AT_STARTTLS, SMTP_AT_AUTH,
	SMTP_AT_MAIL, SMTP_AT_RCPT, SMTP_AT_DATA,
	SMTP_AT_BODY,         /* the message and its final ".": the server's verdict on it */
	SMTP_AT_INJECT,       /* qmail-inject */
	SMTP_AT__COUNT
};

/* Stable names for logs and tests: "ok", "connect", "timeout", "tls",
 * "auth", "temp", "perm", "too_big", "protocol", "io", "local", "invalid",
 * "nomem"; stages "connect", "greeting", "ehlo", "starttls", "auth",
 * "mail", "rcpt", "data", "body", "inject". */
const char *smtp_err_name(enum smtp_err e);
const char *smtp_stage_name(enum smtp_stage s);

#define SMTP_EXCERPT_MAX 160
#define SMTP_DETAIL_MAX 1024

struct smtp_result {
	enum smtp_err err;
	enum smtp_stage stage;
	int code;                       /* the failing reply's code (qmail-inject: its exit status), or 0 */
	char status[12];                /* its enhanced status code ("5.1.1"), or "" */
	long rcpt;                      /* stage RCPT: the first refused recipient's index; else -1 */
	size_t nrefused;                /* how many recipients were refused */
	/* The whole message went out but its verdict did not come back (a
	 * timeout or a broken connection after the final "."): it may have
	 * been accepted. */
	int maybe_sent;
	/* The server's own words, for the page: its reply's first line (or
	 * qmail-inject's first line on stderr), printable ASCII, short; "" when
	 * there are none. The page escapes it like any text. */
	char excerpt[SMTP_EXCERPT_MAX];
	/* What happened, for the log (English, the server's whole reply). */
	char detail[SMTP_DETAIL_MAX];
};

enum smtp_tls { SMTP_TLS_NONE, SMTP_TLS_STARTTLS, SMTP_TLS_SMTPS };

struct smtp_config {
	const char *host;               /* name or address; also the name the certificate must carry */
	unsigned port;
	enum smtp_tls tls;
	const char *ca_file;            /* PEM CA certificates; NULL or "": the system's */
	int verify;                     /* check the certificate chain and the host name */
	int timeout_ms;                 /* the connect and each read and write; <= 0: 30 s */
	/* The name we give in EHLO. NULL: this host's name when it is a fully
	 * qualified one, else the address literal of our end ("[127.0.0.1]"). */
	const char *helo;
	const char *user;               /* AUTH PLAIN as user with password; NULL: no AUTH */
	const char *password;
};

struct smtp_envelope {
	const char *sender;             /* MAIL FROM: an address, or "" for the null sender */
	const char *const *rcpts;       /* RCPT TO, in order */
	size_t nrcpts;
};

/* An envelope address we send: 1-254 bytes of printable ASCII, one '@'
 * with a local part of 1-64 and a domain of 1-253 bytes, and none of the
 * bytes that would change the command: space, <>()[]\,;:" (quoted local
 * parts, source routes and SMTPUTF8 are not supported). */
int smtp_address_ok(const char *addr);

/* Sends msg (len bytes; any mix of CRLF, LF and bare CR line ends) from
 * env->sender to every one of env->rcpts. Returns res->err (SMTP_OK when
 * the server took the message); res is filled in either way. */
int smtp_send(const struct smtp_config *cfg, const struct smtp_envelope *env,
              const char *msg, size_t len, struct smtp_result *res);

/* res cleared: no error, rcpt -1. */
void smtp_result_init(struct smtp_result *res);

#endif
