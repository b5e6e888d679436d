/* fmt: numbers for people (see fmt.h). The separators come from the
 * catalog (fmt.decimal, fmt.thousands), so a new language needs no code. */
#include "config.h"

#include "fmt.h"

#include "arena.h"
#include "page.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *fmt_bytes(struct ctx *c, uint64_t n)
{
	static const char *const units[] = { "KB", "MB", "GB", "TB", "PB" };
	uint64_t tenths;
	size_t u = 0;
	const char *s;

	if (n < 1024)
		return arena_printf(c->a, "%" PRIu64 " B", n);
	/* Tenths of the unit, rounded; one decimal below 10, none above. */
	tenths = n / 1024 * 10 + ((n % 1024) * 10 + 512) / 1024;
	while (tenths >= 10240 && u + 1 < sizeof(units) / sizeof(units[0])) {
		tenths = (tenths + 512) / 1024;
		u++;
	}
	if (tenths >= 100)
		s = arena_printf(c->a, "%" PRIu64 " %s", (tenths + 5) / 10, units[u]);
	else
		s = arena_printf(c->a, "%" PRIu64 "%s%" PRIu64 " %s", tenths / 10,
		                 ctx_text(c, MSG("fmt.decimal")), tenths % 10, units[u]);
	return s ? s : "";
}

const char *fmt_count(struct ctx *c, uint64_t n)
{
	char digits[24], out[64];
	const char *sep = ctx_text(c, MSG("fmt.thousands"));
	size_t nd, seplen = strlen(sep), o = 0, i;
	const char *s;

	nd = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, n);
	if (seplen > 8)
		seplen = 0;
	for (i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0) {
			memcpy(out + o, sep, seplen);
			o += seplen;
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
	s = arena_strdup(c->a, out);
	return s ? s : "";
}

unsigned fmt_percent(uint64_t used, uint64_t limit)
{
	if (limit == 0)
		return 0;
	if (used >= limit)
		return 100;
	return (unsigned)(used * 100 / limit);
}
