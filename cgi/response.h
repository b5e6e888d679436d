/* response: status, headers and body of one answer. Security headers are
 * added to every response here, in one place, so no page can forget them. */
#ifndef QA_RESPONSE_H
#define QA_RESPONSE_H

#include "buf.h"

struct io;

struct response {
	int status;
	const char *content_type;    /* default "text/html; charset=utf-8" */
	int no_store;                /* Cache-Control: no-store (default on) */
	const char *csp;             /* Content-Security-Policy; NULL: the strict default */
	struct buf headers;          /* extra "Name: value\r\n" lines */
	struct buf body;
	struct buf wire;             /* the head as sent; kept to reuse its memory */
};

struct cookie_opts {
	const char *path;
	long max_age;                /* < 0: a session cookie */
	const char *same_site;       /* "Strict" or "Lax" */
	int secure;                  /* set over HTTPS */
};

void resp_init(struct response *r);
void resp_reset(struct response *r);
void resp_free(struct response *r);

/* Adds a header. A name outside [A-Za-z0-9-] or a value with a control byte
 * is refused (-1): no input can split a header. */
int resp_header(struct response *r, const char *name, const char *value);

/* Adds Set-Cookie (always HttpOnly). The value must be cookie-octets only. */
int resp_cookie(struct response *r, const char *name, const char *value,
                const struct cookie_opts *o);

/* 303 See Other to location (a path on this site). */
int resp_redirect(struct response *r, const char *location);

/* The CGI header block ("Status: ...\r\n ... \r\n\r\n") into out. */
void resp_format_head(const struct response *r, struct buf *out);

/* Writes head and (unless head_only) body. -1 when the client went away. */
int resp_send(struct response *r, struct io *io, int head_only);

const char *status_text(int status);

#endif
