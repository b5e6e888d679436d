/* cookie: the Cookie request header ("a=1; b=2"), parsed leniently the way
 * browsers send it (RFC 6265 section 5.4) but with hard limits. Values are
 * kept as sent, except that one pair of surrounding double quotes is removed.
 * Nothing is appended to the caller's list unless the whole header parses. */
#include "config.h"

#include "cookie.h"

#include "arena.h"

#include <string.h>

static int is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* Narrows [*s, *e) by removing spaces at both ends. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && **s == ' ')
		(*s)++;
	while (*e > *s && (*e)[-1] == ' ')
		(*e)--;
}

/* Makes a param of one "name=value" piece; *pp stays NULL for a piece that
 * browsers would ignore (no '=' or an empty name). */
static int parse_pair(struct arena *a, const char *s, const char *e,
                      struct param **pp)
{
	const char *eq = memchr(s, '=', (size_t)(e - s));
	const char *ns = s, *ne = eq, *vs, *ve = e;
	struct param *p;

	*pp = NULL;
	if (!eq)
		return PARSE_OK;
	trim(&ns, &ne);
	if (ns == ne)
		return PARSE_OK;
	vs = eq + 1;
	trim(&vs, &ve);
	if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
		vs++;
		ve--;
	}
	p = arena_alloc(a, sizeof(*p));
	if (!p)
		return PARSE_NOMEM;
	p->name = arena_strndup(a, ns, (size_t)(ne - ns));
	p->value = arena_strndup(a, vs, (size_t)(ve - vs));
	if (!p->name || !p->value)
		return PARSE_NOMEM;
	p->len = (size_t)(ve - vs);
	*pp = p;
	return PARSE_OK;
}

static int check_bytes(const char *header, const struct req_limits *lim)
{
	size_t i;

	for (i = 0; header[i]; i++) {
		if (i >= lim->max_header)
			return PARSE_TOO_LARGE;
		if (is_ctl((unsigned char)header[i]))
			return PARSE_BAD;
	}
	return PARSE_OK;
}

int cookie_parse(struct arena *a, const char *header,
                 const struct req_limits *lim, struct param **out)
{
	struct param *head = NULL, **tail = &head;
	size_t count = 0;
	const char *s;
	int rc;

	if (!header)
		return PARSE_OK;
	/* Checked first and whole, so the limit holds before anything is allocated. */
	rc = check_bytes(header, lim);
	if (rc != PARSE_OK)
		return rc;
	for (s = header; *s; ) {
		const char *e = strchr(s, ';');

		if (!e)
			e = s + strlen(s);
		rc = parse_pair(a, s, e, tail);
		if (rc != PARSE_OK)
			return rc;
		if (*tail) {
			if (++count > lim->max_cookies)
				return PARSE_TOO_LARGE;
			tail = &(*tail)->next;
		}
		s = *e ? e + 1 : e;
	}
	while (*out)
		out = &(*out)->next;
	*out = head;
	return PARSE_OK;
}
