/* libFuzzer: the address-list parser (cgi/addrlist.c) and its writer
 * (cgi/addrlist_fmt.c, cgi/hdrwrite.c). The first byte picks typed or
 * header input; the rest is the list. Invariants: a refusal names an
 * address and its text is valid UTF-8 without controls; an accepted list
 * has only checked parts, and written as a header value it is printable
 * ASCII folded with CRLF SP alone, and parsed again as a header it gives
 * back the same addresses, names and groups. */
#include "config.h"

#include "addrlist.h"
#include "arena.h"
#include "validate.h"

#include <stdint.h>
#include <string.h>

static void check_error(const struct addrlist_error *e)
{
	size_t i, n = strlen(e->text);

	if (e->code == ADDRLIST_OK || e->code >= ADDRLIST_ERR__COUNT || !utf8_valid(e->text, n)
	    || (!e->index && e->code != ADDRLIST_ERR_CONTROL && e->code != ADDRLIST_ERR_TOO_MANY))
		__builtin_trap();
	for (i = 0; i < n; i++)
		if ((unsigned char)e->text[i] < 0x20 || e->text[i] == 0x7f)
			__builtin_trap();
}

/* Printable ASCII; CR only in "\r\n " folds; lines <= 998. */
static void check_value(const char *v)
{
	size_t line = 0;

	for (; *v; v++) {
		if (*v == '\r') {
			if (v[1] != '\n' || v[2] != ' ')
				__builtin_trap();
			v++;
			line = 0;
			continue;
		}
		if (*v < 0x20 || *v > 0x7e || ++line > 998)
			__builtin_trap();
	}
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	struct addrlist l, again;
	struct addrlist_error e;
	const char *v;
	size_t i;

	if (!size)
		return 0;
	if (!a)
		a = arena_new(256u << 20);
	if (addrlist_parse(a, (const char *)data + 1, size - 1, data[0] & 1 ? ADDRLIST_HEADER : 0, &l, &e)) {
		check_error(&e);
		arena_reset(a);
		return 0;
	}
	for (i = 0; i < l.n; i++)
		if (addrlist_check(&l.v[i]) != ADDRLIST_OK)
			__builtin_trap();
	if (!(v = addrlist_format(a, &l, 4)))
		__builtin_trap();
	check_value(v);
	if (addrlist_parse(a, v, strlen(v), ADDRLIST_HEADER, &again, &e) || again.n != l.n)
		__builtin_trap();
	for (i = 0; i < l.n; i++)
		if (strcmp(l.v[i].name, again.v[i].name) || strcmp(l.v[i].local, again.v[i].local)
		    || strcmp(l.v[i].domain, again.v[i].domain) || !same(l.v[i].group, again.v[i].group))
			__builtin_trap();
	arena_reset(a);
	return 0;
}
