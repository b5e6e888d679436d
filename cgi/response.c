/* response: answer building and the security headers (see response.h). */
#include "config.h"

#include "response.h"

#include "io.h"

#include <string.h>

/* No inline script or style anywhere, no framing, forms post only to us. */
#define CSP "default-src 'none'; style-src 'self'; img-src 'self'; " \
	"script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

void resp_init(struct response *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->headers, 64 * 1024);
	buf_init(&r->body, 0);
	buf_init(&r->wire, 0);
	resp_reset(r);
}

/* A body larger than this (a webmail download) is freed rather than kept
 * for the next request, so that a worker does not hold it for its life. */
#define RESP_KEEP (1u << 20)

void resp_reset(struct response *r)
{
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	r->no_store = 1;
	r->csp = NULL;
	buf_reset(&r->headers);
	if (r->body.cap > RESP_KEEP)
		buf_free(&r->body);
	else
		buf_reset(&r->body);
}

void resp_free(struct response *r)
{
	buf_free(&r->headers);
	buf_free(&r->body);
	buf_free(&r->wire);
}

static int token_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
		      || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int value_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int resp_header(struct response *r, const char *name, const char *value)
{
	if (!token_ok(name) || !value_ok(value))
		return -1;
	buf_adds(&r->headers, name);
	buf_adds(&r->headers, ": ");
	buf_adds(&r->headers, value);
	return buf_adds(&r->headers, "\r\n");
}

/* RFC 6265 cookie-octet: no controls, space, DQUOTE, comma, semicolon, backslash. */
static int cookie_value_ok(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\')
			return 0;
	}
	return 1;
}

int resp_cookie(struct response *r, const char *name, const char *value,
                const struct cookie_opts *o)
{
	struct buf *h = &r->headers;

	if (!token_ok(name) || !cookie_value_ok(value) || !value_ok(o->path)
	    || strchr(o->path, ';'))
		return -1;
	buf_printf(h, "Set-Cookie: %s=%s; Path=%s", name, value, *o->path ? o->path : "/");
	if (o->max_age >= 0)
		buf_printf(h, "; Max-Age=%ld", o->max_age);
	buf_adds(h, "; HttpOnly");
	if (o->same_site)
		buf_printf(h, "; SameSite=%s", o->same_site);
	if (o->secure)
		buf_adds(h, "; Secure");
	return buf_adds(h, "\r\n");
}

int resp_redirect(struct response *r, const char *location)
{
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		return -1;    /* only paths on this site: never an open redirect */
	if (resp_header(r, "Location", location) < 0)
		return -1;
	r->status = 303;
	return 0;
}

const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void resp_format_head(const struct response *r, struct buf *out)
{
	buf_printf(out, "Status: %d %s\r\n", r->status, status_text(r->status));
	buf_printf(out, "Content-Type: %s\r\n", r->content_type);
	buf_printf(out, "Content-Length: %zu\r\n", r->body.len);
	buf_printf(out, "Content-Security-Policy: %s\r\n", r->csp ? r->csp : CSP);
	buf_adds(out, "X-Content-Type-Options: nosniff\r\n");
	buf_adds(out, "X-Frame-Options: DENY\r\n");
	buf_adds(out, "Referrer-Policy: no-referrer\r\n");
	buf_adds(out, "Cross-Origin-Opener-Policy: same-origin\r\n");
	buf_adds(out, "Cross-Origin-Resource-Policy: same-origin\r\n");
	if (r->no_store)
		buf_adds(out, "Cache-Control: no-store\r\n");
	buf_add(out, r->headers.p ? r->headers.p : "", r->headers.len);
	buf_adds(out, "\r\n");
}

int resp_send(struct response *r, struct io *io, int head_only)
{
	int rc;

	/* The head is formatted into a buffer kept across requests, so a
	 * FastCGI worker allocates nothing here once it has warmed up. */
	buf_reset(&r->wire);
	resp_format_head(r, &r->wire);
	rc = buf_failed(&r->wire) ? -1 : io_write(io, r->wire.p, r->wire.len);
	if (rc == 0 && !head_only && r->body.len)
		rc = io_write(io, r->body.p, r->body.len);
	return rc;
}
