/* libFuzzer: RFC 2231 / RFC 2047 parameter values (cgi/rfc2231.c) and the
 * download header built from them (cgi/mime_download.c). The input is
 * parameters, one a line, "name=value"; names are lower-cased as the IMAP
 * parser leaves them. Invariants: a value is valid UTF-8 without C0
 * controls or DEL and never much longer than the input; the header value
 * is printable ASCII with exactly the fallback's two quotes. */
#include "config.h"

#include "arena.h"
#include "imap_parse.h"
#include "mime_download.h"
#include "rfc2231.h"
#include "validate.h"

#include <stdint.h>
#include <string.h>

static void check_text(const char *v, size_t size)
{
	size_t i, n = strlen(v);

	if (!utf8_valid(v, n) || n > 4 * size + 16)
		__builtin_trap();
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			__builtin_trap();
}

static void check_header(const char *h)
{
	size_t quotes = 0;

	if (!h)
		__builtin_trap();
	for (; *h; h++) {
		if ((unsigned char)*h < 0x20 || (unsigned char)*h >= 0x7f)
			__builtin_trap();
		quotes += *h == '"';
	}
	if (quotes != 2)
		__builtin_trap();
}

/* "name=value" lines as a parameter list in a. */
static struct imap_param *params(struct arena *a, const char *s, size_t n)
{
	struct imap_param *head = NULL, **tail = &head;
	const char *end = s + n;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s)), *eq;
		const char *stop = nl ? nl : end;
		struct imap_param *p = arena_alloc(a, sizeof(*p));
		char *c;

		eq = memchr(s, '=', (size_t)(stop - s));
		if (!p)
			break;
		p->name = arena_strndup(a, s, (size_t)((eq ? eq : stop) - s));
		p->value = arena_strndup(a, eq ? eq + 1 : stop, eq ? (size_t)(stop - eq - 1) : 0);
		for (c = p->name; c && *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c + 32);
		*tail = p;
		tail = &p->next;
		s = stop + 1;
	}
	return head;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	static const char *const names[] = { "filename", "name", "charset" };
	struct imap_param *p;
	size_t i;

	if (!a)
		a = arena_new(256u << 20);
	p = params(a, (const char *)data, size);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = mime_param(a, p, names[i]);

		if (!v)
			continue;
		check_text(v, size);
		check_header(mime_content_disposition(a, v, "image/png", (int)i & 1));
	}
	arena_reset(a);
	return 0;
}
