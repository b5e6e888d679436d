/* netconn: one outgoing TCP connection of the front end, in the clear or
 * under TLS, with a timeout on the connect and on every read and write:
 * what the IMAP client (imap.c) and the SMTP client (smtp.c) share. TLS is
 * OpenSSL, TLS 1.2 or later, the chain checked against a CA file or the
 * system's store and the host name (or address) against the certificate,
 * unless verification is turned off.
 *
 * Every call returns a netconn_err (or -1 with nc->err set, for reads);
 * nc->detail says more in English for the log. After an error the
 * connection is closed and nothing more is sent. Nothing here prints,
 * exits or allocates outside the struct and OpenSSL. The caller ignores
 * SIGPIPE (sends use MSG_NOSIGNAL, but OpenSSL writes through write()). */
#ifndef QA_NETCONN_H
#define QA_NETCONN_H

#include <stddef.h>
#include <sys/types.h>

#include <openssl/ssl.h>

enum netconn_err {
	NETCONN_OK = 0,
	NETCONN_ERR_CONNECT,    /* refused, unreachable, unknown host */
	NETCONN_ERR_TIMEOUT,    /* the connect, a read or a write took longer than the timeout */
	NETCONN_ERR_TLS,        /* TLS set-up or handshake failed, certificate or name not verified */
	NETCONN_ERR_IO,         /* the connection broke */
};

struct netconn {
	char host[256];         /* name or address; also the name the certificate must carry */
	unsigned port;
	const char *ca_file;    /* PEM CA certificates; NULL or "": the system's (kept by the caller) */
	int verify;
	int timeout_ms;
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	enum netconn_err err;   /* of the last failure */
	char detail[256];
};

/* Not connected yet. timeout_ms <= 0 means 30 s. */
void netconn_init(struct netconn *nc, const char *host, unsigned port, int timeout_ms,
                  int verify, const char *ca_file);

/* TCP to host:port, each of its addresses in turn until one answers (a
 * timeout ends the attempt: the next address would wait as long). */
int netconn_connect(struct netconn *nc);

/* The TLS handshake on the connected socket (IMAPS and SMTPS at once,
 * STARTTLS after the server's go-ahead). */
int netconn_tls(struct netconn *nc);

/* Some bytes into buf: > 0, 0 at the end of the stream, or -1 with nc->err
 * and nc->detail set and the connection closed. */
ssize_t netconn_read(struct netconn *nc, char *buf, size_t n);

/* All n bytes, or an error (the connection closed). */
int netconn_write(struct netconn *nc, const void *p, size_t n);

/* Closes the connection (no TLS close_notify: the protocol has said
 * goodbye already, or the connection is being dropped). Fine to repeat. */
void netconn_close(struct netconn *nc);

int netconn_is_open(const struct netconn *nc);

/* 1 when host is a numeric IPv4 or IPv6 address. */
int netconn_is_ip_literal(const char *host);

#endif
