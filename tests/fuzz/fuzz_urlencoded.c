/* fuzz_urlencoded: libFuzzer target for form_parse_urlencoded() and
 * url_decode(). Besides memory safety it checks the contract: every limit
 * holds, no value contains a NUL, and a parsed list, re-encoded, parses back
 * to the same list. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "form.h"
#include "params.h"

#include <stdint.h>
#include <string.h>

static const struct req_limits lim = {
	.max_body = 4096, .max_fields = 64, .max_name = 64, .max_value = 512,
	.max_upload = 8192, .max_files = 2, .max_cookies = 16, .max_header = 1024,
};

static void check_list(const struct param *p)
{
	size_t n = 0;

	for (; p; p = p->next, n++) {
		if (strlen(p->value) != p->len || p->len > lim.max_value)
			__builtin_trap();
		if (strlen(p->name) > lim.max_name)
			__builtin_trap();
	}
	if (n > lim.max_fields)
		__builtin_trap();
}

static void encode(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.')
			buf_addc(b, c);
		else if (c == ' ')
			buf_addc(b, '+');
		else
			buf_printf(b, "%%%02X", c);
	}
}

/* Re-encodes the list and parses it again: the same pairs must come back. */
static void round_trip(struct arena *a, const struct param *list)
{
	struct req_limits big = lim;
	struct param *again = NULL;
	const struct param *p, *q;
	struct buf b = BUF_INIT;

	for (p = list; p; p = p->next) {
		if (p != list)
			buf_addc(&b, '&');
		encode(&b, p->name);
		buf_addc(&b, '=');
		encode(&b, p->value);
	}
	big.max_body = b.len;
	if (form_parse_urlencoded(a, b.len ? b.p : "", b.len, &big, &again) != PARSE_OK)
		__builtin_trap();
	for (p = list, q = again; p || q; p = p->next, q = q->next) {
		/* An empty pair ("=") is not skipped, so the lists line up one to one. */
		if (!p || !q || strcmp(p->name, q->name) || strcmp(p->value, q->value))
			__builtin_trap();
	}
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	struct param *list = NULL;
	char dst[8193];
	size_t n;
	int rc;

	if (!a)
		a = arena_new(1 << 20);
	rc = form_parse_urlencoded(a, (const char *)data, size, &lim, &list);
	if (rc == PARSE_OK) {
		check_list(list);
		round_trip(a, list);
	} else if (list) {
		__builtin_trap();       /* nothing is appended on error */
	}
	if (size < sizeof(dst)) {
		n = url_decode(dst, (const char *)data, size, size ? data[0] & 1 : 0);
		if (n != (size_t)-1 && (n > size || dst[n] != '\0'))
			__builtin_trap();
	}
	arena_reset(a);
	return 0;
}
