/* libFuzzer: the HTML mail sanitizer. The first byte picks the options
 * (remote images, styles, a cid: map). Invariants: html_check's
 * independent reading of the output finds only allowed elements,
 * attributes and URL schemes, well nested and valid UTF-8; the output
 * stays within SANITIZE_OUT_MAX (plus one event's worth). */
#include "config.h"

#include "arena.h"
#include "html_check.h"
#include "sanitize.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CID_PREFIX "/mail/part?cid="

static const char *cid_url(void *arg, const char *cid)
{
	return arena_printf(arg, CID_PREFIX "%s", cid);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	struct sanitize_opts o;
	struct sanitize_result r;
	struct html_check c;
	char why[512];

	if (size < 1)
		return 0;
	if (!a)
		a = arena_new(256u << 20);
	memset(&o, 0, sizeof(o));
	o.remote_images = data[0] & 1;
	o.keep_style = (data[0] & 2) != 0;
	if (data[0] & 4) {
		o.cid_url = cid_url;
		o.cid_arg = a;
	}
	if (sanitize_html(a, (const char *)data + 1, size - 1, &o, &r) < 0)
		__builtin_trap();
	memset(&c, 0, sizeof(c));
	c.remote_images = o.remote_images;
	c.cid_prefix = o.cid_url ? CID_PREFIX : NULL;
	c.styles = o.keep_style;
	if (html_check(r.html.html, r.html.len, &c, why, sizeof(why)) < 0) {
		fprintf(stderr, "html_check: %s\n", why);
		__builtin_trap();
	}
	if (r.html.len > SANITIZE_OUT_MAX + (1u << 20) || r.html.html[r.html.len] != '\0')
		__builtin_trap();
	arena_reset(a);
	return 0;
}
