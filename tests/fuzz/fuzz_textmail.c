/* libFuzzer: text/plain to HTML. The first byte picks the flags (flowed,
 * DelSp). Invariant: html_check in its textmail mode finds only links to
 * http(s)/mailto with rel and target, and quote spans, well nested and
 * valid UTF-8. */
#include "config.h"

#include "arena.h"
#include "html_check.h"
#include "textmail.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	struct safe_html h;
	struct html_check c;
	char why[512];

	if (size < 1)
		return 0;
	if (!a)
		a = arena_new(256u << 20);
	if (textmail_html(a, (const char *)data + 1, size - 1, data[0] & 3, &h) < 0)
		__builtin_trap();
	memset(&c, 0, sizeof(c));
	c.textmail = 1;
	if (html_check(h.html, h.len, &c, why, sizeof(why)) < 0) {
		fprintf(stderr, "html_check: %s\n", why);
		__builtin_trap();
	}
	arena_reset(a);
	return 0;
}
