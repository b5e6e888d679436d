/* form: application/x-www-form-urlencoded bodies and query strings (the
 * WHATWG URL standard's parser, with our limits). Pure: bytes in, an arena
 * list out; nothing is appended to the caller's list unless the whole input
 * parses, so a rejected request never leaves half its fields behind. */
#include "config.h"

#include "form.h"

#include "arena.h"

#include <string.h>

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t url_decode(char *dst, const char *src, size_t n, int plus_is_space)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];
		int hi, lo;

		if (c == '+' && plus_is_space) {
			dst[o++] = ' ';
			continue;
		}
		if (c != '%') {
			dst[o++] = (char)c;
			continue;
		}
		/* Browsers never send a lone '%'; refusing it keeps one meaning per byte. */
		if (n - i < 3)
			goto bad;
		hi = hexval((unsigned char)src[i + 1]);
		lo = hexval((unsigned char)src[i + 2]);
		if (hi < 0 || lo < 0)
			goto bad;
		dst[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	dst[o] = '\0';
	return o;
bad:
	dst[o] = '\0';
	return (size_t)-1;
}

/* Decodes one name or value into a new arena string of at most max bytes. */
static int decode_part(struct arena *a, const char *s, size_t n, size_t max,
                       char **out, size_t *outlen)
{
	char *d;
	size_t len;

	/* Every escape is 3 bytes for 1, so more than 3*max raw bytes cannot fit. */
	if (n / 3 > max)
		return PARSE_TOO_LARGE;
	d = arena_alloc(a, n + 1);
	if (!d)
		return PARSE_NOMEM;
	len = url_decode(d, s, n, 1);
	if (len == (size_t)-1)
		return PARSE_BAD;
	if (memchr(d, '\0', len))
		return PARSE_BAD;
	if (len > max)
		return PARSE_TOO_LARGE;
	*out = d;
	*outlen = len;
	return PARSE_OK;
}

/* One "name=value" (or "name") pair, already split off at '&'. */
static int parse_pair(struct arena *a, const char *s, size_t n,
                      const struct req_limits *lim, struct param **pp)
{
	const char *eq = memchr(s, '=', n);
	size_t nlen = eq ? (size_t)(eq - s) : n;
	char *name, *value;
	size_t len;
	struct param *p;
	int rc;

	rc = decode_part(a, s, nlen, lim->max_name, &name, &len);
	if (rc != PARSE_OK)
		return rc;
	if (eq)
		rc = decode_part(a, eq + 1, n - nlen - 1, lim->max_value, &value, &len);
	else
		rc = decode_part(a, "", 0, lim->max_value, &value, &len);
	if (rc != PARSE_OK)
		return rc;
	p = arena_alloc(a, sizeof(*p));
	if (!p)
		return PARSE_NOMEM;
	p->name = name;
	p->value = value;
	p->len = len;
	*pp = p;
	return PARSE_OK;
}

static void list_append(struct param **out, struct param *list)
{
	while (*out)
		out = &(*out)->next;
	*out = list;
}

int form_parse_urlencoded(struct arena *a, const char *s, size_t n,
                          const struct req_limits *lim, struct param **out)
{
	struct param *head = NULL, **tail = &head;
	size_t count = 0, pos = 0;

	if (n > lim->max_body)
		return PARSE_TOO_LARGE;
	/* A raw NUL would otherwise be refused only where it lands in a field. */
	if (n && memchr(s, '\0', n))
		return PARSE_BAD;
	while (pos < n) {
		const char *amp = memchr(s + pos, '&', n - pos);
		size_t len = amp ? (size_t)(amp - (s + pos)) : n - pos;
		int rc;

		if (len > 0) {
			if (++count > lim->max_fields)
				return PARSE_TOO_LARGE;
			rc = parse_pair(a, s + pos, len, lim, tail);
			if (rc != PARSE_OK)
				return rc;
			tail = &(*tail)->next;
		}
		pos += len + 1;
	}
	list_append(out, head);
	return PARSE_OK;
}
