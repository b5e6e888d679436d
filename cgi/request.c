/* request: CGI variables and body into struct request (see request.h). */
#include "config.h"

#include "request.h"

#include "arena.h"
#include "cookie.h"
#include "form.h"
#include "io.h"
#include "multipart.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static enum method parse_method(const char *m)
{
	if (!m || !strcmp(m, "GET"))
		return M_GET;
	if (!strcmp(m, "POST"))
		return M_POST;
	if (!strcmp(m, "HEAD"))
		return M_HEAD;
	return M_OTHER;
}

/* A header-ish CGI variable, bounded and free of control bytes, or "". */
static const char *env_value(struct io *io, const char *name, size_t max)
{
	const char *v = io_getenv(io, name);
	const unsigned char *p;

	if (!v || strlen(v) > max)
		return "";
	for (p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "";
	return v;
}

static void read_script_name(struct request *r, struct io *io)
{
	const char *s = env_value(io, "SCRIPT_NAME", 512);
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		n--;
	r->script_name = arena_strndup(r->a, s, n);
	if (!r->script_name)
		r->script_name = "";
}

/* CONTENT_LENGTH as a number; -1 when absent or malformed. */
static long long content_length(struct io *io)
{
	const char *v = io_getenv(io, "CONTENT_LENGTH");
	char *end;
	long long n;

	if (!v || !*v || *v < '0' || *v > '9')
		return -1;
	n = strtoll(v, &end, 10);
	return *end || n < 0 ? -1 : n;
}

static int read_urlencoded(struct request *r, struct io *io, long long len,
                           const struct req_limits *lim)
{
	char *body;
	size_t got = 0, n;

	if ((size_t)len > lim->max_body)
		return PARSE_TOO_LARGE;
	body = arena_alloc(r->a, (size_t)len + 1);
	if (!body)
		return PARSE_NOMEM;
	while (got < (size_t)len && (n = io_read(io, body + got, (size_t)len - got)) > 0)
		got += n;
	if (got != (size_t)len)
		return PARSE_BAD;
	return form_parse_urlencoded(r->a, body, got, lim, &r->form);
}

static int read_multipart(struct request *r, struct io *io, long long len,
                          const char *ctype, const struct req_limits *lim,
                          const char *tmpdir)
{
	char boundary[128], chunk[16384];
	struct multipart *m;
	size_t left = (size_t)len, n;
	int st;

	if ((size_t)len > lim->max_upload)
		return PARSE_TOO_LARGE;
	st = multipart_boundary(ctype, boundary, sizeof(boundary));
	if (st != PARSE_OK)
		return st;
	m = multipart_new(r->a, boundary, lim, tmpdir);
	if (!m)
		return PARSE_NOMEM;
	while (st == PARSE_OK && left > 0) {
		n = io_read(io, chunk, left < sizeof(chunk) ? left : sizeof(chunk));
		if (n == 0)
			break;
		left -= n;
		st = multipart_feed(m, chunk, n);
	}
	if (st == PARSE_OK && left > 0)
		st = PARSE_BAD;
	if (multipart_finish(m, &r->form, &r->uploads) != PARSE_OK && st == PARSE_OK)
		st = PARSE_BAD;
	return st;
}

static int read_body(struct request *r, struct io *io, const struct req_limits *lim,
                     const char *tmpdir)
{
	const char *ctype = env_value(io, "CONTENT_TYPE", lim->max_header);
	long long len = content_length(io);

	if (r->method != M_POST)
		return PARSE_OK;
	if (len < 0)
		return PARSE_BAD;
	if (!strncasecmp(ctype, "multipart/form-data", 19))
		return read_multipart(r, io, len, ctype, lim, tmpdir);
	if (!strncasecmp(ctype, "application/x-www-form-urlencoded", 33) || len == 0)
		return read_urlencoded(r, io, len, lim);
	return PARSE_BAD;
}

int request_read(struct request *r, struct io *io, struct arena *a,
                 const struct req_limits *lim, const char *tmpdir)
{
	const char *query, *cookie, *https;
	int st;

	memset(r, 0, sizeof(*r));
	r->a = a;
	r->method = parse_method(io_getenv(io, "REQUEST_METHOD"));
	read_script_name(r, io);
	r->path_info = env_value(io, "PATH_INFO", 512);
	r->remote_addr = env_value(io, "REMOTE_ADDR", 64);
	r->accept_language = env_value(io, "HTTP_ACCEPT_LANGUAGE", 512);
	https = io_getenv(io, "HTTPS");
	r->https = https && *https && strcasecmp(https, "off") != 0;

	cookie = io_getenv(io, "HTTP_COOKIE");
	if (cookie && (st = cookie_parse(a, cookie, lim, &r->cookies)) != PARSE_OK) {
		r->cookies = NULL;
		return st;
	}
	query = io_getenv(io, "QUERY_STRING");
	if (query && (st = form_parse_urlencoded(a, query, strlen(query), lim, &r->query)) != PARSE_OK)
		return st;
	return read_body(r, io, lim, tmpdir);
}

void request_cleanup(struct request *r)
{
	uploads_unlink(r->uploads);
	r->uploads = NULL;
}

const char *req_query(const struct request *r, const char *name)
{
	return param_get(r->query, name);
}

const char *req_form(const struct request *r, const char *name)
{
	return param_get(r->form, name);
}

const char *req_cookie(const struct request *r, const char *name)
{
	return param_get(r->cookies, name);
}
