/* fuzz_template: libFuzzer target for the template engine. Parses the input
 * as a template (beside two fixed partials it may include); when it parses
 * and links, renders it twice with data of the same shape: once with hostile
 * strings, once with harmless ones. Escaping must keep the hostile values
 * from changing the page's structure, so the two outputs must:
 *  - hold the same number of '<', '>', '"' and '\'' bytes (values add none);
 *  - walk the same sequence of HTML tokenizer states, re-read linearly;
 *  - agree byte for byte everywhere but text and harmless quoted values (so
 *    no value reached a script, style, comment, name or on* attribute);
 *  - start the same number of URL attributes with a script-capable scheme;
 *  - be valid UTF-8 whenever the template is. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "html.h"
#include "validate.h"
#include "i18n.h"
#include "template.h"
#include "template_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const hostile[] = {
	"\"><script>alert(1)</script>",
	"javascript:alert(1)",
	"' onmouseover='alert(1)' x='",
	"</textarea></title></script><!-- -->",
	" JaVaScRiPt:alert(1)",
	"\xff\xfe\xc0\xaf<&>\x01\x7f{{a}}",
	"data:text/html,<svg onload=alert(1)>",
	"java\tscript:x",
};

static const char catalog_text_en[] =
	"hello = Hello {1}, \"{2}\" <b>\n"
	"url = javascript:alert(1)\n"
	"rel = /x?y=1&z=<2>\n";

static struct catalog *catalog_en;

/* Every dict carries every list key, so a nested {{#each}} always finds the
 * nearest (short) list instead of looping over the root's again. */
static void fill(struct tdict *d, int hostile_values, int depth)
{
	static const char *const keys[] = { "a", "b", "c", "name", "url", "x", "y", "z" };
	struct tlist *items, *sub;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		td_set(d, keys[i], hostile_values ? hostile[(i + (size_t)depth) % 8] : "v");
	td_set(d, "empty", "");
	td_set_bool(d, "yes", 1);
	td_set_bool(d, "no", 0);
	td_set_html(d, "h", safe_html_from_sanitizer("<i>ok</i>", 9));
	items = td_list(d, "items");
	sub = td_list(d, "sub");
	td_list(d, "none");
	if (depth >= 2)
		return;
	for (i = 0; i < 2; i++)
		fill(tlist_add(depth ? sub : items), hostile_values, depth + 1);
}

static size_t count_markup(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += s[i] == '<' || s[i] == '>' || s[i] == '"' || s[i] == '\'';
	return c;
}

/* A URL value a browser would run: scheme after leading spaces and controls,
 * with tabs and newlines removed. */
static int runs_script(const char *s, size_t n)
{
	static const char *const schemes[] = { "javascript:", "vbscript:", "data:" };
	char v[16];
	size_t i, k = 0, j;

	for (i = 0; i < n && (unsigned char)s[i] <= 0x20; i++)
		;
	for (; i < n && k < sizeof(v); i++)
		if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			v[k++] = s[i];
	for (j = 0; j < 3; j++)
		if (k >= strlen(schemes[j]) && strncasecmp(v, schemes[j], strlen(schemes[j])) == 0)
			return 1;
	return 0;
}

static int in_value(unsigned char st)
{
	return st == H_VALUE_DQ || st == H_VALUE_SQ || st == H_VALUE_UQ;
}

/* The attribute's name, classified here again rather than trusting the
 * engine's own lists: 1 for names whose values run or load things. */
static int attr_in(const struct hstate *h, const char *const *names, size_t n)
{
	size_t i, len = h->attrlen < HS_ATTR_MAX ? h->attrlen : HS_ATTR_MAX;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(h->attr, names[i], len) == 0)
			return 1;
	return 0;
}

static int attr_is_url(const struct hstate *h)
{
	static const char *const names[] = { "href", "src", "action", "formaction",
		"xlink:href", "data", "poster", "background", "codebase", "cite" };

	return attr_in(h, names, sizeof(names) / sizeof(names[0]));
}

static int attr_is_code(const struct hstate *h)
{
	static const char *const names[] = { "style", "srcset", "srcdoc" };

	return (h->attrlen >= 2 && h->attr[0] == 'o' && h->attr[1] == 'n') ||
	       attr_in(h, names, sizeof(names) / sizeof(names[0]));
}

/* Where a substitution may write: nothing else may differ between renders. */
static int substitutable(const struct hstate *h)
{
	return h->st == H_TEXT || h->st == H_RCDATA ||
	       ((h->st == H_VALUE_DQ || h->st == H_VALUE_SQ) && !attr_is_code(h));
}

/* The states a linear re-read goes through (runs collapsed), every byte read
 * outside substitutable places, and a 'J' for each URL attribute value that
 * runs script. -1 if the tokenizer refuses. */
static int signature(const char *s, size_t n, struct buf *sig)
{
	struct hstate h;
	unsigned char last = 0xff;
	size_t i, vstart = 0;
	int url = 0;

	hs_init(&h);
	for (i = 0; i < n; i++) {
		unsigned char before = h.st;

		if (hs_step(&h, (unsigned char)s[i]))
			return -1;
		if (url && !in_value(h.st)) {
			if (runs_script(s + vstart, i - vstart))
				buf_addc(sig, 'J');
			url = 0;
		}
		if (!in_value(before) && in_value(h.st) && attr_is_url(&h)) {
			url = 1;
			vstart = h.st == H_VALUE_UQ ? i : i + 1;
		}
		if (h.st != last)
			buf_addc(sig, 'A' + h.st);
		last = h.st;
		if (!substitutable(&h))
			buf_addc(sig, s[i]);
	}
	return 0;
}

static void render(const struct tmpl_set *set, int hostile_values, struct buf *out)
{
	struct arena *a = arena_new(0);
	struct tdict *d = tdict_new(a);

	fill(d, hostile_values, 0);
	buf_init(out, 1u << 22);
	if (tmpl_render(set, "t", d, catalog_en, out) < 0 && !buf_failed(out))
		__builtin_trap();
	arena_free(a);
}

static void check(const struct tmpl_set *set, const uint8_t *data, size_t size)
{
	struct buf bad, good, sig_bad = BUF_INIT, sig_good = BUF_INIT;
	int rb, rg;

	render(set, 1, &bad);
	render(set, 0, &good);
	if (buf_failed(&bad) || buf_failed(&good))
		goto out;   /* output cap: a template that repeats a lot */
	if (count_markup(bad.p, bad.len) != count_markup(good.p, good.len))
		__builtin_trap();
	if (utf8_valid((const char *)data, size) && !utf8_valid(bad.p, bad.len))
		__builtin_trap();
	rb = signature(bad.p, bad.len, &sig_bad);
	rg = signature(good.p, good.len, &sig_good);
	if (rb != rg || sig_bad.len != sig_good.len ||
	    (sig_bad.len && memcmp(sig_bad.p, sig_good.p, sig_bad.len) != 0))
		__builtin_trap();
out:
	buf_free(&bad);
	buf_free(&good);
	buf_free(&sig_bad);
	buf_free(&sig_good);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char p[] = "<i title=\"{{a}}\">{{b}}</i><a href=\"{{url}}\">";
	static const char q[] = "{{#each items}}<a href=\"/u?n={{name}}\">{{_ hello a b}}</a>{{/each}}";
	struct tmpl_set *set = tmpl_set_new();
	char err[256];

	if (!catalog_en)
		catalog_en = catalog_parse("en", catalog_text_en, strlen(catalog_text_en),
		                           err, sizeof(err));
	if (!set || !catalog_en ||
	    tmpl_add(set, "p", p, strlen(p), err, sizeof(err)) < 0 ||
	    tmpl_add(set, "q", q, strlen(q), err, sizeof(err)) < 0)
		__builtin_trap();
	if (tmpl_add(set, "t", (const char *)data, size, err, sizeof(err)) == 0 &&
	    tmpl_set_link(set, err, sizeof(err)) == 0)
		check(set, data, size);
	else if (strlen(err) == 0 || strlen(err) >= sizeof(err))
		__builtin_trap();   /* every refusal says why */
	tmpl_set_free(set);
	return 0;
}
