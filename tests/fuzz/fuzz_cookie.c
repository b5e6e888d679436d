/* fuzz_cookie: libFuzzer target for cookie_parse(). Checks the contract as
 * well as memory safety: the limits hold, names are non-empty and trimmed,
 * and no name or value holds a separator or a control byte. */
#include "config.h"

#include "arena.h"
#include "cookie.h"
#include "params.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct req_limits lim = {
	.max_body = 4096, .max_fields = 64, .max_name = 64, .max_value = 512,
	.max_upload = 8192, .max_files = 2, .max_cookies = 16, .max_header = 1024,
};

static int has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static void check_list(const struct param *p, size_t hlen)
{
	size_t n = 0;

	for (; p; p = p->next, n++) {
		size_t nl = strlen(p->name);

		if (nl == 0 || p->name[0] == ' ' || p->name[nl - 1] == ' ')
			__builtin_trap();
		if (strpbrk(p->name, ";=") || strchr(p->value, ';'))
			__builtin_trap();
		if (has_ctl(p->name) || has_ctl(p->value) || strlen(p->value) != p->len)
			__builtin_trap();
		if (nl + p->len > hlen)
			__builtin_trap();
	}
	if (n > lim.max_cookies)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	struct param *list = NULL;
	char *h = malloc(size + 1);
	int rc;

	if (!a)
		a = arena_new(1 << 20);
	if (!h)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';         /* an inner NUL just ends the header early */
	rc = cookie_parse(a, h, &lim, &list);
	if (rc == PARSE_OK)
		check_list(list, strlen(h));
	else if (list)
		__builtin_trap();
	if (rc == PARSE_OK && strlen(h) > lim.max_header)
		__builtin_trap();
	free(h);
	arena_reset(a);
	return 0;
}
