/* imap: the connection (over netconn.c: TCP, TLS, timeouts), responses,
 * commands and their pieces, the greeting, STARTTLS, login and logout (see
 * imap.h). The mailbox and message commands are in imap_cmd.c. */
#include "config.h"

#include "imap_int.h"

#include "arena.h"
#include "conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

static const char *const err_names[IMAP_ERR__COUNT] = {
	"ok", "connect", "timeout", "tls", "auth", "no_mailbox", "exists", "quota",
	"denied", "refused", "server", "protocol", "io", "unsupported", "invalid", "nomem",
};

const char *imap_err_name(enum imap_err e)
{
	return (unsigned)e < IMAP_ERR__COUNT ? err_names[e] : "?";
}

void imap_config_from_conf(struct imap_config *ic, const struct conf *c)
{
	memset(ic, 0, sizeof(*ic));
	ic->host = c->imap_host;
	ic->port = c->imap_port;
	ic->tls = !strcmp(c->imap_tls, "imaps") ? IMAP_TLS_IMAPS
	          : !strcmp(c->imap_tls, "starttls") ? IMAP_TLS_STARTTLS : IMAP_TLS_NONE;
	ic->ca_file = c->imap_ca_file;
	ic->verify = c->imap_verify;
	/* poll() takes an int of milliseconds; a day is plenty. */
	ic->timeout_ms = (int)(c->imap_timeout > 86400 ? 86400000 : c->imap_timeout * 1000);
	imap_limits_default(&ic->lim);
}

/* ---------------------------------------------------------------- the client */

struct imap *imap_new(struct arena *a, const struct imap_config *cfg)
{
	struct imap *im = calloc(1, sizeof(*im));

	if (!im)
		return NULL;
	im->scratch = arena_new(0);
	if (!im->scratch) {
		free(im);
		return NULL;
	}
	im->a = a;
	im->cfg = *cfg;
	if (im->cfg.timeout_ms <= 0)
		im->cfg.timeout_ms = IMAP_TIMEOUT_MS;
	netconn_init(&im->nc, cfg->host, cfg->port, im->cfg.timeout_ms, cfg->verify, cfg->ca_file);
	im->cfg.host = im->nc.host;
	imap_reader_init(&im->rd, &im->cfg.lim);
	return im;
}

static void drop_connection(struct imap *im)
{
	netconn_close(&im->nc);
	im->state = IMAP_S_CLOSED;
}

void imap_free(struct imap *im)
{
	if (!im)
		return;
	drop_connection(im);
	imap_reader_free(&im->rd);
	arena_free(im->scratch);
	free(im);
}

const char *imap_detail(const struct imap *im)
{
	return im->detail;
}

uint32_t imap_caps(const struct imap *im)
{
	return im->caps & ~im->hidden;
}

void imap_hide_caps(struct imap *im, uint32_t caps)
{
	im->hidden |= caps;
}

const struct imap_selected *imap_selected(const struct imap *im)
{
	return &im->sel;
}

int imap_fail(struct imap *im, enum imap_err err, const char *fmt, ...)
{
	char detail[sizeof(im->detail)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	memcpy(im->detail, detail, sizeof(detail));
	return err;
}

/* A connection-level failure: the connection is unusable from now on. */
static int die(struct imap *im, enum imap_err err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int die(struct imap *im, enum imap_err err, const char *fmt, ...)
{
	char detail[sizeof(im->detail)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);     /* the arguments may be im->detail */
	va_end(ap);
	memcpy(im->detail, detail, sizeof(detail));
	im->dead = err;
	drop_connection(im);
	return err;
}

int imap_parse_fail(struct imap *im, int perr, const char *what)
{
	if (perr == IMAP_PARSE_NOMEM)
		return imap_fail(im, IMAP_ERR_NOMEM, "%s: out of memory", what);
	return die(im, IMAP_ERR_PROTOCOL, "%s: %s", what,
	           perr == IMAP_PARSE_TOO_BIG ? "over the size limits" : "not IMAP syntax");
}

/* The server's text, printable ASCII only, for details. */
static void copy_text(char *out, size_t size, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < size; i++)
		out[o++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[o] = '\0';
}

/* ---------------------------------------------------------------- I/O */

/* A failure of the connection (netconn closed it) as the client's error. */
static int net_fail(struct imap *im)
{
	static const enum imap_err map[] = {
		[NETCONN_OK] = IMAP_ERR_IO, [NETCONN_ERR_CONNECT] = IMAP_ERR_CONNECT,
		[NETCONN_ERR_TIMEOUT] = IMAP_ERR_TIMEOUT, [NETCONN_ERR_TLS] = IMAP_ERR_TLS,
		[NETCONN_ERR_IO] = IMAP_ERR_IO,
	};

	return die(im, map[im->nc.err], "%s", im->nc.detail);
}

/* ---------------------------------------------------------------- responses */

/* The next whole response, parsed (values in the scratch arena). */
static int next_response(struct imap *im, struct imap_response *r)
{
	int rc, prc;

	if (im->dead)
		return im->dead;
	if (im->rd.complete)
		imap_reader_next(&im->rd);
	arena_reset(im->scratch);
	for (;;) {
		size_t used;
		ssize_t got;

		if (im->in_off < im->in_len) {
			rc = imap_reader_feed(&im->rd, im->in + im->in_off, im->in_len - im->in_off, &used);
			im->in_off += used;
			if (rc < 0)
				return imap_parse_fail(im, rc, "response");
			if (rc == 1)
				break;
		}
		im->in_off = im->in_len = 0;
		got = netconn_read(&im->nc, im->in, sizeof(im->in));
		if (got < 0)
			return net_fail(im);
		if (got == 0) {
			if (im->bye)
				return die(im, IMAP_ERR_SERVER, "%s", im->detail);
			return die(im, IMAP_ERR_IO, "%s closed the connection", im->nc.host);
		}
		im->in_len = (size_t)got;
	}
	prc = imap_parse_response(im->scratch, im->rd.resp.p, im->rd.resp.len, &im->cfg.lim, r);
	if (prc != IMAP_PARSE_OK)
		return imap_parse_fail(im, prc, "response");
	return 0;
}

/* The client's own reading of an untagged response, for every command. */
static void bookkeeping(struct imap *im, const struct imap_response *r)
{
	if (r->cond == IMAP_COND_BYE) {
		im->bye = 1;
		snprintf(im->detail, sizeof(im->detail), "the server said BYE: ");
		copy_text(im->detail + strlen(im->detail), sizeof(im->detail) - strlen(im->detail),
		          r->text, r->text_len);
		return;
	}
	if (r->code && imap_span_eq(r->code, r->code_len, "CAPABILITY")) {
		im->caps = imap_caps_parse(r->code_args);
		im->have_caps = 1;
	}
	if (r->name && imap_span_eq(r->name, r->name_len, "CAPABILITY") && !r->has_number) {
		im->caps = imap_caps_parse(r->data);
		im->have_caps = 1;
	}
	if (r->code && imap_span_eq(r->code, r->code_len, "CLOSED"))
		memset(&im->sel, 0, sizeof(im->sel));
	imap_selected_apply(&im->sel, r);
}

/* ---------------------------------------------------------------- running a command */

/* The error of a tagged NO or BAD. */
static int status_error(struct imap *im, const struct imap_response *r, enum imap_no no_means)
{
	static const struct {
		const char *code;
		enum imap_err err;
	} codes[] = {
		{ "AUTHENTICATIONFAILED", IMAP_ERR_AUTH }, { "AUTHORIZATIONFAILED", IMAP_ERR_AUTH },
		{ "EXPIRED", IMAP_ERR_AUTH }, { "NONEXISTENT", IMAP_ERR_NO_MAILBOX },
		{ "TRYCREATE", IMAP_ERR_NO_MAILBOX }, { "ALREADYEXISTS", IMAP_ERR_EXISTS },
		{ "OVERQUOTA", IMAP_ERR_QUOTA }, { "LIMIT", IMAP_ERR_QUOTA },
		{ "NOPERM", IMAP_ERR_DENIED }, { "PRIVACYREQUIRED", IMAP_ERR_DENIED },
		{ "UNAVAILABLE", IMAP_ERR_SERVER }, { "SERVERBUG", IMAP_ERR_SERVER },
		{ "CORRUPTION", IMAP_ERR_SERVER }, { "INUSE", IMAP_ERR_SERVER },
	};
	char text[160];
	enum imap_err err;
	size_t i;

	copy_text(text, sizeof(text), r->text, r->text_len);
	if (r->cond == IMAP_COND_BAD)
		return imap_fail(im, IMAP_ERR_SERVER, "%s BAD: %s", im->tag, text);
	err = no_means == IMAP_NO_AUTH ? IMAP_ERR_AUTH
	      : no_means == IMAP_NO_MAILBOX ? IMAP_ERR_NO_MAILBOX : IMAP_ERR_REFUSED;
	for (i = 0; r->code && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (imap_span_eq(r->code, r->code_len, codes[i].code))
			err = codes[i].err;
	return imap_fail(im, err, "%s NO: %s", im->tag, text);
}

/* Reads responses until a continuation (wait_plus) or our tagged response
 * (into *tagged). Untagged ones go to fn; its first error is kept. */
static int read_until(struct imap *im, int wait_plus, imap_untagged_fn fn, void *ctx,
                      int *fn_err, struct imap_response *tagged)
{
	for (;;) {
		int rc = next_response(im, tagged);

		if (rc)
			return rc;
		if (tagged->kind == IMAP_CONTINUE) {
			if (wait_plus)
				return 0;
			return die(im, IMAP_ERR_PROTOCOL, "unexpected continuation request");
		}
		if (tagged->kind == IMAP_TAGGED) {
			if (!imap_span_eq(tagged->tag, tagged->tag_len, im->tag))
				return die(im, IMAP_ERR_PROTOCOL, "answer with a tag we did not send");
			return 0;
		}
		bookkeeping(im, tagged);
		if (fn && !*fn_err)
			*fn_err = fn(im, tagged, ctx);
	}
}

int imap_run(struct imap *im, struct imap_cmd *c, imap_untagged_fn fn, void *ctx,
             enum imap_no no_means, struct imap_response *tagged)
{
	struct imap_response local;
	int rc = 0, fn_err = 0;
	size_t i;

	if (!tagged)
		tagged = &local;
	memset(tagged, 0, sizeof(*tagged));
	if (im->dead) {
		imap_cmd_free(c);
		return im->dead;
	}
	if (!netconn_is_open(&im->nc)) {
		imap_cmd_free(c);
		return imap_fail(im, IMAP_ERR_IO, "not connected");
	}
	imap_cmd_text(c, "\r\n");
	imap_cmd_end_piece(c);
	if (buf_failed(&c->b))
		c->err = IMAP_ERR_NOMEM;
	if (c->err) {
		rc = c->err;
		im->tagn--;                 /* never sent: the next command takes its tag */
		imap_cmd_free(c);
		return imap_fail(im, rc, "%s: bad arguments for the command", im->tag);
	}
	for (i = 0; i < c->npieces && !rc; i++) {
		const char *p = c->piece[i].ext ? c->piece[i].ext : c->b.p + c->piece[i].off;

		rc = netconn_write(&im->nc, p, c->piece[i].len) ? net_fail(im) : 0;
		if (rc || !c->piece[i].wait)
			continue;
		rc = read_until(im, 1, fn, ctx, &fn_err, tagged);
		if (!rc && tagged->kind == IMAP_TAGGED) {
			/* Refused before the literal or the SASL response. */
			imap_cmd_free(c);
			return tagged->cond == IMAP_COND_OK
			       ? die(im, IMAP_ERR_PROTOCOL, "command completed before its data was sent")
			       : status_error(im, tagged, no_means);
		}
	}
	imap_cmd_free(c);
	if (!rc)
		rc = read_until(im, 0, fn, ctx, &fn_err, tagged);
	if (rc)
		return rc;
	if (tagged->code)
		bookkeeping(im, tagged);
	if (tagged->cond != IMAP_COND_OK)
		return status_error(im, tagged, no_means);
	if (fn_err)
		return fn_err == IMAP_ERR_NOMEM ? imap_fail(im, fn_err, "out of memory") : fn_err;
	return 0;
}

/* ---------------------------------------------------------------- session */

static int capability(struct imap *im)
{
	struct imap_cmd c;

	im->have_caps = 0;
	imap_cmd_begin(im, &c, "CAPABILITY", 0);
	return imap_run(im, &c, NULL, NULL, IMAP_NO_REFUSED, NULL);
}

static int greeting(struct imap *im)
{
	struct imap_response r;
	char text[160];
	int rc = next_response(im, &r);

	if (rc)
		return rc;
	copy_text(text, sizeof(text), r.text, r.text_len);
	if (r.kind != IMAP_UNTAGGED
	    || (r.cond != IMAP_COND_OK && r.cond != IMAP_COND_PREAUTH && r.cond != IMAP_COND_BYE))
		return die(im, IMAP_ERR_PROTOCOL, "not an IMAP greeting");
	if (r.cond == IMAP_COND_BYE)
		return die(im, IMAP_ERR_SERVER, "the server refused the connection: %s", text);
	bookkeeping(im, &r);
	im->state = r.cond == IMAP_COND_PREAUTH ? IMAP_S_AUTH : IMAP_S_NOAUTH;
	return 0;
}

static int starttls(struct imap *im)
{
	struct imap_cmd c;
	int rc;

	if (im->state != IMAP_S_NOAUTH)
		return die(im, IMAP_ERR_TLS, "the server logged us in before STARTTLS (PREAUTH)");
	if (!im->have_caps && (rc = capability(im)))
		return rc;
	if (!(imap_caps(im) & IMAP_CAP_STARTTLS))
		return die(im, IMAP_ERR_TLS, "%s does not offer STARTTLS", im->nc.host);
	imap_cmd_begin(im, &c, "STARTTLS", 0);
	rc = imap_run(im, &c, NULL, NULL, IMAP_NO_REFUSED, NULL);
	if (rc)
		return rc == IMAP_ERR_REFUSED || rc == IMAP_ERR_SERVER
		       ? die(im, IMAP_ERR_TLS, "STARTTLS refused: %s", im->detail) : rc;
	/* Bytes sent before the handshake would be read as if protected. */
	if (im->in_off < im->in_len)
		return die(im, IMAP_ERR_TLS, "data after the STARTTLS answer");
	if (netconn_tls(&im->nc))
		return net_fail(im);
	im->caps = 0;                               /* announced in the clear: forget */
	return capability(im);
}

int imap_connect(struct imap *im)
{
	int rc;

	if (im->dead)
		return im->dead;
	if (im->state != IMAP_S_NEW)
		return imap_fail(im, IMAP_ERR_INVALID, "already connected");
	if (netconn_connect(&im->nc))
		return net_fail(im);
	if (im->cfg.tls == IMAP_TLS_IMAPS && netconn_tls(&im->nc))
		return net_fail(im);
	if ((rc = greeting(im)))
		return rc;
	if (im->cfg.tls == IMAP_TLS_STARTTLS)
		return starttls(im);
	if (!im->have_caps)
		return capability(im);
	return 0;
}

/* AUTHENTICATE PLAIN (RFC 4616): "\0user\0password" in base64, in the
 * command itself with SASL-IR (RFC 4959), else after the "+". */
static int auth_plain(struct imap *im, const char *user, const char *password)
{
	size_t ul = strlen(user), pl = strlen(password), n = ul + pl + 2;
	unsigned char *raw, *b64;
	struct imap_cmd c;
	int rc;

	if (ul > 1024 || pl > 1024)
		return imap_fail(im, IMAP_ERR_INVALID, "user or password too long");
	raw = malloc(n);
	b64 = malloc(4 * ((n + 2) / 3) + 1);
	if (!raw || !b64) {
		free(raw);
		free(b64);
		return imap_fail(im, IMAP_ERR_NOMEM, "out of memory");
	}
	raw[0] = '\0';
	memcpy(raw + 1, user, ul);
	raw[ul + 1] = '\0';
	memcpy(raw + ul + 2, password, pl);
	EVP_EncodeBlock(b64, raw, (int)n);
	imap_cmd_begin(im, &c, "AUTHENTICATE PLAIN", 1);
	if (imap_caps(im) & IMAP_CAP_SASL_IR)
		imap_cmd_text(&c, " ");
	else
		imap_cmd_wait(&c);
	imap_cmd_text(&c, (const char *)b64);
	rc = imap_run(im, &c, NULL, NULL, IMAP_NO_AUTH, NULL);
	explicit_bzero(raw, n);
	explicit_bzero(b64, 4 * ((n + 2) / 3) + 1);
	free(raw);
	free(b64);
	return rc;
}

static int auth_login(struct imap *im, const char *user, const char *password)
{
	struct imap_cmd c;

	if (strlen(user) > 1024 || strlen(password) > 1024)
		return imap_fail(im, IMAP_ERR_INVALID, "user or password too long");

	imap_cmd_begin(im, &c, "LOGIN ", 1);
	imap_cmd_string(im, &c, user, strlen(user));
	imap_cmd_text(&c, " ");
	imap_cmd_string(im, &c, password, strlen(password));
	return imap_run(im, &c, NULL, NULL, IMAP_NO_AUTH, NULL);
}

int imap_login(struct imap *im, const char *user, const char *password, enum imap_auth how)
{
	uint32_t caps;
	int rc;

	if (im->dead)
		return im->dead;
	if (im->state == IMAP_S_AUTH)
		return 0;                                 /* PREAUTH */
	if (im->state != IMAP_S_NOAUTH)
		return imap_fail(im, IMAP_ERR_INVALID, "not connected");
	caps = imap_caps(im);
	if (how == IMAP_AUTH_AUTO)
		how = caps & IMAP_CAP_AUTH_PLAIN ? IMAP_AUTH_PLAIN : IMAP_AUTH_LOGIN;
	if (how == IMAP_AUTH_LOGIN && (caps & IMAP_CAP_LOGINDISABLED))
		return imap_fail(im, IMAP_ERR_UNSUPPORTED, "%s disables LOGIN (TLS needed?)", im->nc.host);
	im->have_caps = 0;
	rc = how == IMAP_AUTH_PLAIN ? auth_plain(im, user, password) : auth_login(im, user, password);
	if (rc)
		return rc;
	im->state = IMAP_S_AUTH;
	/* Capabilities change after login; Dovecot says them in the OK. */
	return im->have_caps ? 0 : capability(im);
}

int imap_logout(struct imap *im)
{
	struct imap_cmd c;
	int rc;

	if (im->dead || !netconn_is_open(&im->nc))
		return im->dead;
	imap_cmd_begin(im, &c, "LOGOUT", 0);
	rc = imap_run(im, &c, NULL, NULL, IMAP_NO_REFUSED, NULL);
	drop_connection(im);
	return rc == IMAP_ERR_SERVER && im->bye ? 0 : rc;
}
