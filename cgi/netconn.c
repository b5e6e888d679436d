/* netconn: an outgoing TCP or TLS connection with timeouts (see netconn.h).
 * The socket is non-blocking throughout; every wait is one poll() bounded
 * by the timeout. */
#include "config.h"

#include "netconn.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#define NETCONN_TIMEOUT_MS 30000

void netconn_init(struct netconn *nc, const char *host, unsigned port, int timeout_ms,
                  int verify, const char *ca_file)
{
	memset(nc, 0, sizeof(*nc));
	snprintf(nc->host, sizeof(nc->host), "%s", host ? host : "");
	nc->port = port;
	nc->timeout_ms = timeout_ms > 0 ? timeout_ms : NETCONN_TIMEOUT_MS;
	nc->verify = verify;
	nc->ca_file = ca_file;
	nc->fd = -1;
}

void netconn_close(struct netconn *nc)
{
	if (nc->ssl)
		SSL_free(nc->ssl);
	if (nc->ctx)
		SSL_CTX_free(nc->ctx);
	nc->ssl = NULL;
	nc->ctx = NULL;
	if (nc->fd >= 0)
		close(nc->fd);
	nc->fd = -1;
}

int netconn_is_open(const struct netconn *nc)
{
	return nc->fd >= 0;
}

int netconn_is_ip_literal(const char *host)
{
	unsigned char a[16];

	return inet_pton(AF_INET, host, a) == 1 || inet_pton(AF_INET6, host, a) == 1;
}

static int fail(struct netconn *nc, enum netconn_err err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The connection is unusable from now on. */
static int fail(struct netconn *nc, enum netconn_err err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nc->detail, sizeof(nc->detail), fmt, ap);
	va_end(ap);
	nc->err = err;
	netconn_close(nc);
	return err;
}

static int tls_fail(struct netconn *nc, const char *what)
{
	unsigned long e = ERR_get_error();
	char msg[160];

	if (e)
		ERR_error_string_n(e, msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "%s", errno ? strerror(errno) : "connection closed");
	ERR_clear_error();
	return fail(nc, NETCONN_ERR_TLS, "%s: %s", what, msg);
}

/* Waits until the socket is ready for events; 0, or a timeout / I/O error. */
static int wait_fd(struct netconn *nc, short events)
{
	struct pollfd p = { nc->fd, events, 0 };
	int r;

	do
		r = poll(&p, 1, nc->timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return fail(nc, NETCONN_ERR_TIMEOUT, "no answer from %s within %d ms", nc->host,
		            nc->timeout_ms);
	if (r < 0)
		return fail(nc, NETCONN_ERR_IO, "poll: %s", strerror(errno));
	return 0;
}

/* ---------------------------------------------------------------- I/O */

ssize_t netconn_read(struct netconn *nc, char *buf, size_t n)
{
	if (nc->fd < 0) {
		fail(nc, NETCONN_ERR_IO, "not connected");
		return -1;
	}
	for (;;) {
		short want = POLLIN;

		if (nc->ssl) {
			int k = SSL_read(nc->ssl, buf, n > INT32_MAX ? INT32_MAX : (int)n);

			if (k > 0)
				return k;
			switch (SSL_get_error(nc->ssl, k)) {
			case SSL_ERROR_WANT_READ: break;
			case SSL_ERROR_WANT_WRITE: want = POLLOUT; break;
			case SSL_ERROR_ZERO_RETURN: return 0;
			case SSL_ERROR_SYSCALL:
				if (ERR_peek_error() == 0)
					return 0;          /* EOF without close_notify */
				/* fall through */
			default:
				tls_fail(nc, "TLS read");
				return -1;
			}
		} else {
			ssize_t r = read(nc->fd, buf, n);

			if (r >= 0)
				return r;
			if (errno != EAGAIN && errno != EINTR) {
				fail(nc, NETCONN_ERR_IO, "read: %s", strerror(errno));
				return -1;
			}
		}
		if (wait_fd(nc, want))
			return -1;
	}
}

int netconn_write(struct netconn *nc, const void *data, size_t n)
{
	const char *p = data;

	if (nc->fd < 0)
		return fail(nc, NETCONN_ERR_IO, "not connected");
	while (n) {
		short want = POLLOUT;

		if (nc->ssl) {
			int k = SSL_write(nc->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);

			if (k > 0) {
				p += k;
				n -= (size_t)k;
				continue;
			}
			switch (SSL_get_error(nc->ssl, k)) {
			case SSL_ERROR_WANT_WRITE: break;
			case SSL_ERROR_WANT_READ: want = POLLIN; break;
			default: return tls_fail(nc, "TLS write");
			}
		} else {
			ssize_t r = send(nc->fd, p, n, MSG_NOSIGNAL);

			if (r > 0) {
				p += r;
				n -= (size_t)r;
				continue;
			}
			if (r < 0 && errno != EAGAIN && errno != EINTR)
				return fail(nc, NETCONN_ERR_IO, "write: %s", strerror(errno));
		}
		if (wait_fd(nc, want))
			return nc->err;
	}
	return 0;
}

/* ---------------------------------------------------------------- connecting */

static int connect_one(struct netconn *nc, const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	if (fd < 0)
		return -1;
	nc->fd = fd;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return 0;
	if (errno != EINPROGRESS)
		goto fail;
	if (wait_fd(nc, POLLOUT))
		return -2;                             /* timed out: do not try the next address */
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr) {
		errno = soerr ? soerr : errno;
		goto fail;
	}
	return 0;
fail:
	close(fd);
	nc->fd = -1;
	return -1;
}

int netconn_connect(struct netconn *nc)
{
	struct addrinfo hints, *res, *ai;
	char port[8];
	int rc, saved = 0;

	netconn_close(nc);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", nc->port);
	rc = getaddrinfo(nc->host, port, &hints, &res);
	if (rc)
		return fail(nc, NETCONN_ERR_CONNECT, "%s: %s", nc->host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		rc = connect_one(nc, ai);
		if (rc == 0 || rc == -2)
			break;
		saved = errno;
	}
	freeaddrinfo(res);
	if (rc == -2)
		return nc->err;
	if (rc < 0)
		return fail(nc, NETCONN_ERR_CONNECT, "%s port %u: %s", nc->host, nc->port,
		            strerror(saved ? saved : ECONNREFUSED));
	return 0;
}

/* ---------------------------------------------------------------- TLS */

static int tls_setup(struct netconn *nc)
{
	X509_VERIFY_PARAM *param;
	int ip = netconn_is_ip_literal(nc->host);

	ERR_clear_error();
	if (!(nc->ctx = SSL_CTX_new(TLS_client_method())))
		return tls_fail(nc, "TLS setup");
	SSL_CTX_set_min_proto_version(nc->ctx, TLS1_2_VERSION);
	if (nc->verify) {
		if (nc->ca_file && *nc->ca_file) {
			if (SSL_CTX_load_verify_locations(nc->ctx, nc->ca_file, NULL) != 1)
				return tls_fail(nc, nc->ca_file);
		} else if (SSL_CTX_set_default_verify_paths(nc->ctx) != 1) {
			return tls_fail(nc, "the system's CA certificates");
		}
		SSL_CTX_set_verify(nc->ctx, SSL_VERIFY_PEER, NULL);
	} else {
		SSL_CTX_set_verify(nc->ctx, SSL_VERIFY_NONE, NULL);
	}
	if (!(nc->ssl = SSL_new(nc->ctx)) || SSL_set_fd(nc->ssl, nc->fd) != 1)
		return tls_fail(nc, "TLS setup");
	if (!ip)
		SSL_set_tlsext_host_name(nc->ssl, nc->host);
	if (nc->verify) {
		param = SSL_get0_param(nc->ssl);
		X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (ip ? X509_VERIFY_PARAM_set1_ip_asc(param, nc->host) != 1
		       : X509_VERIFY_PARAM_set1_host(param, nc->host, 0) != 1)
			return tls_fail(nc, "TLS host name");
	}
	return 0;
}

int netconn_tls(struct netconn *nc)
{
	int rc;

	if (nc->fd < 0)
		return fail(nc, NETCONN_ERR_IO, "not connected");
	if (nc->ssl)
		return fail(nc, NETCONN_ERR_TLS, "TLS is on already");
	if ((rc = tls_setup(nc)))
		return rc;
	for (;;) {
		int k = SSL_connect(nc->ssl);
		short want;

		if (k == 1)
			return 0;
		switch (SSL_get_error(nc->ssl, k)) {
		case SSL_ERROR_WANT_READ: want = POLLIN; break;
		case SSL_ERROR_WANT_WRITE: want = POLLOUT; break;
		default: {
			long v = SSL_get_verify_result(nc->ssl);

			if (v != X509_V_OK)
				return fail(nc, NETCONN_ERR_TLS, "certificate of %s: %s", nc->host,
				            X509_verify_cert_error_string(v));
			return tls_fail(nc, "TLS handshake");
		}
		}
		if (wait_fd(nc, want))
			return nc->err;
	}
}
