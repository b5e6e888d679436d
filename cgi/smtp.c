/* smtp: one message to the relay over one SMTP connection (see smtp.h).
 * The connection is netconn.c's, the reply syntax and the message encoding
 * smtp_wire.c's; this file is the dialogue and the classification of what
 * went wrong. No PIPELINING: one command, one reply, which keeps every
 * failure tied to the command that caused it. */
#include "config.h"

#include "smtp.h"

#include "netconn.h"
#include "smtp_wire.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

static const char *const err_names[SMTP_ERR__COUNT] = {
	"ok", "connect", "timeout", "tls", "auth", "temp", "perm", "too_big", "protocol", "io",
	"local", "invalid", "nomem",
};

static const char *const stage_names[SMTP_AT__COUNT] = {
	"connect", "greeting", "ehlo", "starttls", "auth", "mail", "rcpt", "data", "body", "inject",
};

const char *smtp_err_name(enum smtp_err e)
{
	return (unsigned)e < SMTP_ERR__COUNT ? err_names[e] : "?";
}

const char *smtp_stage_name(enum smtp_stage s)
{
	return (unsigned)s < SMTP_AT__COUNT ? stage_names[s] : "?";
}

void smtp_result_init(struct smtp_result *res)
{
	memset(res, 0, sizeof(*res));
	res->rcpt = -1;
}

/* ---------------------------------------------------------------- addresses */

int smtp_address_ok(const char *addr)
{
	const char *at = strchr(addr, '@'), *p;
	size_t n = strlen(addr);

	if (n < 3 || n > 254 || !at || strchr(at + 1, '@'))
		return 0;
	if (at == addr || at - addr > 64 || !at[1] || n - (size_t)(at - addr) - 1 > 253)
		return 0;
	for (p = addr; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return 0;
	return 1;
}

/* ---------------------------------------------------------------- the session */

struct smtp {
	const struct smtp_config *cfg;
	struct smtp_result *res;
	struct netconn nc;
	struct smtp_reader rd;
	char in[4096];                  /* read from the server, not yet fed to rd */
	size_t in_off, in_len;
	unsigned caps;
	unsigned long long size_max;
	char helo[300];
};

static int fail(struct smtp *s, enum smtp_err err, enum smtp_stage stage, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct smtp *s, enum smtp_err err, enum smtp_stage stage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->res->detail, sizeof(s->res->detail), fmt, ap);
	va_end(ap);
	s->res->err = err;
	s->res->stage = stage;
	return err;
}

/* The connection failed (netconn closed it). */
static int net_fail(struct smtp *s, enum smtp_stage stage)
{
	static const enum smtp_err map[] = {
		[NETCONN_OK] = SMTP_ERR_IO, [NETCONN_ERR_CONNECT] = SMTP_ERR_CONNECT,
		[NETCONN_ERR_TIMEOUT] = SMTP_ERR_TIMEOUT, [NETCONN_ERR_TLS] = SMTP_ERR_TLS,
		[NETCONN_ERR_IO] = SMTP_ERR_IO,
	};

	return fail(s, map[s->nc.err], stage, "%s: %s", stage_names[stage], s->nc.detail);
}

/* A failure of ours that ends the connection (the server's bytes make no
 * sense, or we cannot go on). */
static int drop(struct smtp *s, enum smtp_err err, enum smtp_stage stage, const char *what)
{
	netconn_close(&s->nc);
	return fail(s, err, stage, "%s: %s", stage_names[stage], what);
}

/* The next whole reply into s->rd.reply. */
static int read_reply(struct smtp *s, enum smtp_stage stage)
{
	for (;;) {
		ssize_t got;

		if (s->in_off < s->in_len) {
			size_t used = 0;
			int rc = smtp_reader_feed(&s->rd, s->in + s->in_off, s->in_len - s->in_off, &used);

			if (rc == SMTP_READ_DONE) {
				s->in_off += used;
				return 0;
			}
			if (rc < 0)
				return drop(s, SMTP_ERR_PROTOCOL, stage,
				            rc == SMTP_READ_TOO_LONG ? "a reply line over 1000 bytes"
				            : rc == SMTP_READ_TOO_MANY ? "a reply of too many lines"
				                                       : "not an SMTP reply");
		}
		s->in_off = s->in_len = 0;
		got = netconn_read(&s->nc, s->in, sizeof(s->in));
		if (got < 0)
			return net_fail(s, stage);
		if (got == 0)
			return drop(s, SMTP_ERR_IO, stage, "the server closed the connection");
		s->in_len = (size_t)got;
	}
}

/* The reply's text on one line, for the log. */
static void one_line(const struct smtp_reply *r, char *out, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < r->len && o + 4 < size; i++) {
		if (r->text[i] == '\n') {
			memcpy(out + o, " / ", 3);
			o += 3;
		} else {
			out[o++] = r->text[i];
		}
	}
	out[o] = '\0';
}

/* RFC 3463's 5.3.4 "message too big for system"; or 552 "exceeded storage
 * allocation" for the message as a whole (at RCPT it is the mailbox). */
static int too_big(int code, const char *status, enum smtp_stage stage)
{
	if (status[0] && !strcmp(status + 1, ".3.4"))
		return 1;
	return code == 552 && (stage == SMTP_AT_MAIL || stage == SMTP_AT_BODY);
}

/* The reply in s->rd.reply is not the one wanted: a 4xx is temporary, a
 * 5xx permanent (too big when its status says so), any other code out of
 * place. The server's words are kept for the log and the page. */
static int reply_fail(struct smtp *s, enum smtp_stage stage, enum smtp_err err5)
{
	const struct smtp_reply *r = &s->rd.reply;
	struct smtp_result *res = s->res;
	char text[SMTP_DETAIL_MAX - 64];
	enum smtp_err err;

	res->code = r->code;
	smtp_reply_status(r, res->status);
	smtp_reply_excerpt(r, res->excerpt, sizeof(res->excerpt));
	one_line(r, text, sizeof(text));
	if (r->code >= 400 && r->code < 500)
		err = SMTP_ERR_TEMP;
	else if (r->code >= 500)
		err = too_big(r->code, res->status, stage) ? SMTP_ERR_TOO_BIG : err5;
	else
		err = SMTP_ERR_PROTOCOL;
	return fail(s, err, stage, "%s: %d %s", stage_names[stage], r->code, text);
}

/* Sends a command line (CRLF added) and reads its reply. secret: not in
 * the log, and wiped. */
static int command(struct smtp *s, enum smtp_stage stage, int secret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int command(struct smtp *s, enum smtp_stage stage, int secret, const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) - 2)
		return fail(s, SMTP_ERR_INVALID, stage, "%s: command too long", stage_names[stage]);
	memcpy(line + n, "\r\n", 2);
	rc = netconn_write(&s->nc, line, (size_t)n + 2);
	if (secret)
		OPENSSL_cleanse(line, sizeof(line));
	if (rc)
		return net_fail(s, stage);
	return read_reply(s, stage);
}

/* QUIT after a refusal, so that the server's log shows a clean end; its
 * reply does not matter. */
static void quit_quietly(struct smtp *s)
{
	int timeout = s->nc.timeout_ms;

	if (!netconn_is_open(&s->nc))
		return;
	s->nc.timeout_ms = timeout < 2000 ? timeout : 2000;
	if (netconn_write(&s->nc, "QUIT\r\n", 6) == 0) {
		struct smtp_result keep = *s->res;

		read_reply(s, SMTP_AT_CONNECT);
		*s->res = keep;
	}
	netconn_close(&s->nc);
}

/* ---------------------------------------------------------------- steps */

static int host_name_ok(const char *h)
{
	size_t i;

	if (!strchr(h, '.') || h[0] == '.' || strlen(h) > 253)
		return 0;
	for (i = 0; h[i]; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z')
		      || (h[i] >= '0' && h[i] <= '9') || h[i] == '.' || h[i] == '-'))
			return 0;
	return 1;
}

/* RFC 5321 4.1.4: a fully qualified name, else the address literal. */
static void choose_helo(struct smtp *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char addr[INET6_ADDRSTRLEN] = "127.0.0.1";

	if (s->cfg->helo && host_name_ok(s->cfg->helo)) {
		snprintf(s->helo, sizeof(s->helo), "%s", s->cfg->helo);
		return;
	}
	if (gethostname(s->helo, sizeof(s->helo) - 1) == 0 && host_name_ok(s->helo))
		return;
	memset(&ss, 0, sizeof(ss));
	if (getsockname(s->nc.fd, (struct sockaddr *)&ss, &len) == 0 && ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, addr, sizeof(addr));
		snprintf(s->helo, sizeof(s->helo), "[IPv6:%s]", addr);
		return;
	}
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof(addr));
	snprintf(s->helo, sizeof(s->helo), "[%s]", addr);
}

static int greeting(struct smtp *s)
{
	int rc = read_reply(s, SMTP_AT_GREETING);

	if (rc)
		return rc;
	return s->rd.reply.code == 220 ? 0 : reply_fail(s, SMTP_AT_GREETING, SMTP_ERR_PERM);
}

/* EHLO, or HELO for a server that does not know EHLO (500, 502: then no
 * extensions). */
static int hello(struct smtp *s)
{
	int rc = command(s, SMTP_AT_EHLO, 0, "EHLO %s", s->helo);

	if (rc)
		return rc;
	if (s->rd.reply.code == 250) {
		s->caps = smtp_ehlo_caps(&s->rd.reply, &s->size_max);
		return 0;
	}
	s->caps = 0;
	s->size_max = 0;
	if (s->rd.reply.code >= 500 && (rc = command(s, SMTP_AT_EHLO, 0, "HELO %s", s->helo)))
		return rc;
	if (s->rd.reply.code == 250)
		return 0;
	return reply_fail(s, SMTP_AT_EHLO, SMTP_ERR_PERM);
}

static int starttls(struct smtp *s)
{
	int rc;

	if (!(s->caps & SMTP_CAP_STARTTLS))
		return fail(s, SMTP_ERR_TLS, SMTP_AT_STARTTLS, "starttls: %s does not offer STARTTLS",
		            s->nc.host);
	if ((rc = command(s, SMTP_AT_STARTTLS, 0, "STARTTLS")))
		return rc;
	if (s->rd.reply.code != 220) {
		char why[SMTP_DETAIL_MAX];

		reply_fail(s, SMTP_AT_STARTTLS, SMTP_ERR_PERM);
		memcpy(why, s->res->detail, sizeof(why));
		return fail(s, SMTP_ERR_TLS, SMTP_AT_STARTTLS, "refused: %.900s", why);
	}
	/* Bytes sent before the handshake would be taken as if protected. */
	if (s->in_off < s->in_len)
		return drop(s, SMTP_ERR_TLS, SMTP_AT_STARTTLS, "data after the STARTTLS answer");
	if (netconn_tls(&s->nc))
		return net_fail(s, SMTP_AT_STARTTLS);
	smtp_reader_init(&s->rd);
	return hello(s);                            /* what was announced in the clear is forgotten */
}

static int is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (!strcmp(host, "localhost"))
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* AUTH PLAIN (RFC 4616, 4954) with the initial response: "\0user\0password"
 * in base64. A 334 means the server wants something else: "*" cancels. */
static int auth_plain(struct smtp *s)
{
	const char *user = s->cfg->user, *pw = s->cfg->password ? s->cfg->password : "";
	size_t ul = strlen(user), pl = strlen(pw), n = ul + pl + 2;
	unsigned char raw[2 * 1024 + 2], b64[4 * ((sizeof(raw) + 2) / 3) + 1];
	int rc;

	if (!s->nc.ssl && !is_loopback(s->nc.host))
		return fail(s, SMTP_ERR_AUTH, SMTP_AT_AUTH,
		            "auth: not sending a password to %s without TLS (set smtp_tls)", s->nc.host);
	if (!(s->caps & SMTP_CAP_AUTH_PLAIN))
		return fail(s, SMTP_ERR_AUTH, SMTP_AT_AUTH, "auth: %s does not offer AUTH PLAIN%s",
		            s->nc.host, s->nc.ssl ? "" : " (before TLS)");
	if (ul > 1024 || pl > 1024)
		return fail(s, SMTP_ERR_INVALID, SMTP_AT_AUTH, "auth: user or password too long");
	raw[0] = '\0';
	memcpy(raw + 1, user, ul);
	raw[ul + 1] = '\0';
	memcpy(raw + ul + 2, pw, pl);
	EVP_EncodeBlock(b64, raw, (int)n);
	rc = command(s, SMTP_AT_AUTH, 1, "AUTH PLAIN %s", (const char *)b64);
	OPENSSL_cleanse(raw, sizeof(raw));
	OPENSSL_cleanse(b64, sizeof(b64));
	if (!rc && s->rd.reply.code == 334)
		rc = command(s, SMTP_AT_AUTH, 0, "*");
	if (rc)
		return rc;
	if (s->rd.reply.code == 235)
		return 0;
	return reply_fail(s, SMTP_AT_AUTH, SMTP_ERR_AUTH);
}

static int has_8bit(const char *msg, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)msg[i] >= 0x80)
			return 1;
	return 0;
}

static int mail_from(struct smtp *s, const char *sender, const char *msg, size_t len)
{
	unsigned long long size = smtp_enc_size(SMTP_ENC_CRLF, msg, len);
	char size_arg[32] = "";
	int rc;

	if (s->caps & SMTP_CAP_SIZE) {
		if (s->size_max && size > s->size_max)
			return fail(s, SMTP_ERR_TOO_BIG, SMTP_AT_MAIL,
			            "mail: the message has %llu bytes, %s takes at most %llu", size,
			            s->nc.host, s->size_max);
		snprintf(size_arg, sizeof(size_arg), " SIZE=%llu", size);
	}
	rc = command(s, SMTP_AT_MAIL, 0, "MAIL FROM:<%s>%s%s", sender, size_arg,
	             (s->caps & SMTP_CAP_8BITMIME) && has_8bit(msg, len) ? " BODY=8BITMIME" : "");
	if (rc)
		return rc;
	return s->rd.reply.code == 250 ? 0 : reply_fail(s, SMTP_AT_MAIL, SMTP_ERR_PERM);
}

/* Every recipient is tried; the first refusal is the result (a permanent
 * one wins over a temporary one), the others go to the log. */
static int rcpt_to(struct smtp *s, const struct smtp_envelope *env)
{
	struct smtp_result *res = s->res, first = *res;
	char more[SMTP_DETAIL_MAX] = "";
	size_t i, o = 0, refused = 0;
	int rc;

	for (i = 0; i < env->nrcpts; i++) {
		if ((rc = command(s, SMTP_AT_RCPT, 0, "RCPT TO:<%s>", env->rcpts[i])))
			return rc;
		if (s->rd.reply.code == 250 || s->rd.reply.code == 251)
			continue;
		if (s->rd.reply.code < 400)
			return reply_fail(s, SMTP_AT_RCPT, SMTP_ERR_PERM);
		if (refused++ == 0 || (first.err == SMTP_ERR_TEMP && s->rd.reply.code >= 500)) {
			reply_fail(s, SMTP_AT_RCPT, SMTP_ERR_PERM);
			res->rcpt = (long)i;
			first = *res;
		}
		if (o + 1 < sizeof(more))
			o += (size_t)snprintf(more + o, sizeof(more) - o, "%s%s %d", o ? ", " : "",
			                      env->rcpts[i], s->rd.reply.code);
	}
	if (!refused)
		return 0;
	*res = first;
	res->nrefused = refused;
	snprintf(res->detail, sizeof(res->detail), "rcpt: %zu of %zu refused (%.200s): %.700s",
	         res->nrefused, env->nrcpts, more, first.detail);
	return res->err;
}

static int send_body(struct smtp *s, const char *msg, size_t len)
{
	struct smtp_enc e;
	char out[16384];
	size_t pos = 0, used, n;
	int rc;

	smtp_enc_init(&e, SMTP_ENC_DATA);
	while (pos < len) {
		n = smtp_enc_step(&e, msg + pos, len - pos, &used, out, sizeof(out));
		pos += used;
		if (netconn_write(&s->nc, out, n))
			return net_fail(s, SMTP_AT_BODY);
	}
	n = smtp_enc_finish(&e, out);
	if (netconn_write(&s->nc, out, n))
		return net_fail(s, SMTP_AT_BODY);
	if ((rc = read_reply(s, SMTP_AT_BODY))) {
		s->res->maybe_sent = 1;
		return rc;
	}
	return s->rd.reply.code == 250 ? 0 : reply_fail(s, SMTP_AT_BODY, SMTP_ERR_PERM);
}

static int dialogue(struct smtp *s, const struct smtp_envelope *env, const char *msg, size_t len)
{
	int rc;

	if (netconn_connect(&s->nc))
		return net_fail(s, SMTP_AT_CONNECT);
	if (s->cfg->tls == SMTP_TLS_SMTPS && netconn_tls(&s->nc))
		return net_fail(s, SMTP_AT_CONNECT);
	choose_helo(s);
	if ((rc = greeting(s)) || (rc = hello(s)))
		return rc;
	if (s->cfg->tls == SMTP_TLS_STARTTLS && (rc = starttls(s)))
		return rc;
	if (s->cfg->user && (rc = auth_plain(s)))
		return rc;
	if ((rc = mail_from(s, env->sender, msg, len)) || (rc = rcpt_to(s, env)))
		return rc;
	if ((rc = command(s, SMTP_AT_DATA, 0, "DATA")))
		return rc;
	if (s->rd.reply.code != 354)
		return reply_fail(s, SMTP_AT_DATA, SMTP_ERR_PERM);
	return send_body(s, msg, len);
}

static int check_envelope(struct smtp_result *res, const struct smtp_envelope *env)
{
	size_t i;

	res->stage = SMTP_AT_MAIL;
	if (!env->sender || (*env->sender && !smtp_address_ok(env->sender))) {
		snprintf(res->detail, sizeof(res->detail), "not a sender address we send");
		return res->err = SMTP_ERR_INVALID;
	}
	res->stage = SMTP_AT_RCPT;
	if (!env->nrcpts) {
		snprintf(res->detail, sizeof(res->detail), "no recipients");
		return res->err = SMTP_ERR_INVALID;
	}
	for (i = 0; i < env->nrcpts; i++) {
		if (!env->rcpts[i] || !smtp_address_ok(env->rcpts[i])) {
			res->rcpt = (long)i;
			res->nrefused = 1;
			snprintf(res->detail, sizeof(res->detail), "recipient %zu: not an address we send", i + 1);
			return res->err = SMTP_ERR_INVALID;
		}
	}
	return 0;
}

int smtp_send(const struct smtp_config *cfg, const struct smtp_envelope *env,
              const char *msg, size_t len, struct smtp_result *res)
{
	struct smtp *s;
	int rc;

	smtp_result_init(res);
	if (check_envelope(res, env))
		return res->err;
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(res->detail, sizeof(res->detail), "out of memory");
		return res->err = SMTP_ERR_NOMEM;
	}
	s->cfg = cfg;
	s->res = res;
	netconn_init(&s->nc, cfg->host, cfg->port, cfg->timeout_ms, cfg->verify, cfg->ca_file);
	smtp_reader_init(&s->rd);
	rc = dialogue(s, env, msg, len);
	quit_quietly(s);                            /* its answer changes nothing */
	free(s);
	return rc;
}
