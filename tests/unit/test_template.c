/* test_template: the template engine. Rendered output in every escaping
 * context (text, attribute, URL start, URL component), blocks, scopes,
 * includes, catalog texts, every refusal at parse time, linking, loading a
 * directory and the data API. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "html.h"
#include "i18n.h"
#include "template.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"

#define XSS "\"><script>alert(1)</script>"
#define XSS_HTML "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
#define XSS_URL "%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"

static const char catalog_en[] =
	"# test catalog\n"
	"hello = Hello\n"
	"greet = Hello {1}, you have {2} messages\n"
	"lt = a<b \"q\"\n"
	"url.help = /help?x=1\n"
	"bad.url = javascript:alert(1)\n"
	"brace = {x} {1} {9} {\n";

static const struct {
	const char *name;
	const char *src;
} partials[] = {
	{ "p", "<i>{{name}}</i>" },
	{ "loop", "{{#each items}}[{{name}}]{{/each}}" },
};

static struct tdict *test_data(struct arena *a)
{
	struct tdict *d = tdict_new(a), *item, *sub;
	struct tlist *items;

	td_set(d, "name", XSS);
	td_set(d, "user", "lars.jonsson@emak.se");
	td_set(d, "js", "javascript:alert(1)");
	td_set(d, "good", "https://emak.se/x?a=1&b=2");
	td_set(d, "rel", "/users?domain=emak.se");
	td_set(d, "empty", "");
	td_set(d, "q", "a b&c");
	td_setf(d, "count", "%d", 3);
	td_set_bool(d, "yes", 1);
	td_set_bool(d, "no", 0);
	td_set_html(d, "html", safe_html_from_sanitizer("<b>bold</b>", 11));
	td_list(d, "none");
	items = td_list(d, "items");
	item = tlist_add(items);
	td_set(item, "name", "a");
	td_set(item, "url", "/a");
	sub = tlist_add(td_list(item, "sub"));
	td_set(sub, "name", "s1");
	item = tlist_add(items);
	td_set(item, "name", "b<");
	td_set(item, "url", "javascript:x");
	return d;
}

static struct tmpl_set *test_set(const char *src, char *err, size_t errlen)
{
	struct tmpl_set *set = tmpl_set_new();
	size_t i;

	ck_assert_ptr_nonnull(set);
	for (i = 0; i < sizeof(partials) / sizeof(partials[0]); i++)
		ck_assert_int_eq(tmpl_add(set, partials[i].name, partials[i].src,
		                          strlen(partials[i].src), err, errlen), 0);
	if (tmpl_add(set, "t", src, strlen(src), err, errlen) < 0 ||
	    tmpl_set_link(set, err, errlen) < 0) {
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}

/* Renders src with the test data and catalog; NULL (and err) on failure. */
static char *render(const char *src, char *err, size_t errlen)
{
	struct tmpl_set *set = test_set(src, err, errlen);
	struct catalog *cat;
	struct arena *a;
	struct buf out = BUF_INIT;
	char *res = NULL;

	if (!set)
		return NULL;
	cat = catalog_parse("en", catalog_en, strlen(catalog_en), err, errlen);
	ck_assert_msg(cat != NULL, "%s", err);
	a = arena_new(0);
	if (tmpl_render(set, "t", test_data(a), cat, &out) == 0)
		res = strndup(out.p ? out.p : "", out.len);
	else
		snprintf(err, errlen, "render failed");
	buf_free(&out);
	arena_free(a);
	catalog_free(cat);
	tmpl_set_free(set);
	return res;
}

struct render_case {
	const char *src;
	const char *want;
};

static const struct render_case render_cases[] = {
	/* text and attributes */
	{ "{{name}}", XSS_HTML },
	{ "<p>{{name}}</p>", "<p>" XSS_HTML "</p>" },
	{ "<p title=\"{{name}}\">", "<p title=\"" XSS_HTML "\">" },
	{ "<p title='{{name}}'>", "<p title='" XSS_HTML "'>" },
	{ "<p data-x=\"{{name}}\" class=\"a {{q}}\">",
	  "<p data-x=\"" XSS_HTML "\" class=\"a a b&amp;c\">" },
	{ "<input type=text value=\"{{q}}\">", "<input type=text value=\"a b&amp;c\">" },
	{ "<textarea>{{name}}</textarea>", "<textarea>" XSS_HTML "</textarea>" },
	{ "<title>{{q}}</title>", "<title>a b&amp;c</title>" },
	/* URL attributes: start of the value, then later in it */
	{ "<a href=\"{{name}}\">", "<a href=\"" XSS_HTML "\">" },
	{ "<a href=\"{{js}}\">", "<a href=\"#\">" },
	{ "<a HREF='{{js}}'>", "<a HREF='#'>" },
	{ "<img src=\"{{js}}\">", "<img src=\"#\">" },
	{ "<form action=\"{{js}}\">", "<form action=\"#\">" },
	{ "<button formaction=\"{{js}}\">", "<button formaction=\"#\">" },
	{ "<svg><a xlink:href=\"{{js}}\">", "<svg><a xlink:href=\"#\">" },
	{ "<a href=\"{{good}}\">", "<a href=\"https://emak.se/x?a=1&amp;b=2\">" },
	{ "<a href=\"/x?u={{name}}\">", "<a href=\"/x?u=" XSS_URL "\">" },
	{ "<a href=\"{{rel}}&u={{user}}\">",
	  "<a href=\"/users?domain=emak.se&u=lars.jonsson%40emak.se\">" },
	{ "<a href=\"/u/{{js}}\">", "<a href=\"/u/javascript%3Aalert%281%29\">" },
	{ "<a href=\"{{nothing}}\">", "<a href=\"\">" },
	{ "<a title=\"{{js}}\" href=\"/\">", "<a title=\"javascript:alert(1)\" href=\"/\">" },
	{ "<a href=\"{{#if yes}}/x{{/if}}{{js}}\">", "<a href=\"/xjavascript%3Aalert%281%29\">" },
	{ "<a href=\"{{#if no}}/x{{/if}}{{js}}\">", "<a href=\"javascript%3Aalert%281%29\">" },
	{ "<a href=\"{{#each items}}{{url}}{{/each}}\">", "<a href=\"%2Fajavascript%3Ax\">" },
	/* sanitized HTML: raw only in text */
	{ "{{html}}", "<b>bold</b>" },
	{ "<p title=\"{{html}}\">", "<p title=\"&lt;b&gt;bold&lt;/b&gt;\">" },
	{ "<a href=\"{{html}}\">", "<a href=\"&lt;b&gt;bold&lt;/b&gt;\">" },
	{ "<a href=\"/?h={{html}}\">", "<a href=\"/?h=%3Cb%3Ebold%3C%2Fb%3E\">" },
	{ "<textarea>{{html}}</textarea>", "<textarea>&lt;b&gt;bold&lt;/b&gt;</textarea>" },
	/* missing values and other kinds */
	{ "[{{nothing}}]", "[]" },
	{ "[{{yes}}|{{no}}|{{items}}]", "[1||]" },
	/* if, else, unless */
	{ "{{#if yes}}Y{{else}}N{{/if}}", "Y" },
	{ "{{#if no}}Y{{else}}N{{/if}}", "N" },
	{ "{{#if empty}}Y{{else}}N{{/if}}", "N" },
	{ "{{#if nothing}}Y{{else}}N{{/if}}", "N" },
	{ "{{#if q}}Y{{else}}N{{/if}}", "Y" },
	{ "{{#if items}}Y{{else}}N{{/if}}", "Y" },
	{ "{{#if none}}Y{{else}}N{{/if}}", "N" },
	{ "{{#if html}}Y{{else}}N{{/if}}", "Y" },
	{ "{{#if yes}}Y{{/if}}|{{#if no}}Y{{/if}}", "Y|" },
	{ "{{#unless no}}U{{/unless}}", "U" },
	{ "{{#unless yes}}U{{else}}E{{/unless}}", "E" },
	{ "{{#if yes}}{{#if no}}a{{else}}b{{/if}}{{else}}c{{/if}}", "b" },
	/* each and scopes */
	{ "{{#each items}}<li>{{name}}</li>{{/each}}", "<li>a</li><li>b&lt;</li>" },
	{ "{{#each items}}{{count}}{{name}};{{/each}}", "3a;3b&lt;;" },
	{ "{{#each items}}{{#each sub}}{{name}}/{{q}}{{/each}}{{/each}}", "s1/a b&amp;c" },
	{ "{{#each items}}{{#if sub}}+{{else}}-{{/if}}{{/each}}", "+-" },
	{ "{{#each name}}x{{/each}}{{#each nothing}}y{{/each}}{{#each none}}z{{/each}}", "" },
	{ "{{#each items}}<a href=\"{{url}}\">{{/each}}", "<a href=\"/a\"><a href=\"#\">" },
	/* includes */
	{ "A{{> p}}B", "A<i>" XSS_HTML "</i>B" },
	{ "{{>p}}", "<i>" XSS_HTML "</i>" },
	{ "{{#each items}}{{> p}}{{/each}}", "<i>a</i><i>b&lt;</i>" },
	{ "{{> loop}}", "[a][b&lt;]" },
	/* catalog texts */
	{ "{{_ hello}}", "Hello" },
	{ "{{_ greet user count}}", "Hello lars.jonsson@emak.se, you have 3 messages" },
	{ "{{_ greet name}}", "Hello " XSS_HTML ", you have {2} messages" },
	{ "{{_ greet nothing yes}}", "Hello , you have 1 messages" },
	{ "{{#each items}}{{_ greet name}}|{{/each}}",
	  "Hello a, you have {2} messages|Hello b&lt;, you have {2} messages|" },
	{ "{{_ lt}}", "a&lt;b &quot;q&quot;" },
	{ "<p title=\"{{_ lt}}\">", "<p title=\"a&lt;b &quot;q&quot;\">" },
	{ "<a href=\"{{_ bad.url}}\">", "<a href=\"#\">" },
	{ "<a href=\"{{_ url.help}}\">", "<a href=\"/help?x=1\">" },
	{ "<a href=\"/x?{{_ lt}}\">", "<a href=\"/x?a%3Cb%20%22q%22\">" },
	{ "{{_ missing.key}}", "missing.key" },
	{ "{{_ brace}}", "{x} {1} {9} {" },
	{ "{{_ brace name}}", "{x} " XSS_HTML " {9} {" },
	/* comments and tag whitespace */
	{ "a{{! ignored }}b", "ab" },
	{ "a{{!\nmulti\nline\n}}b", "ab" },
	{ "a{{! a comment of many more words than any tag may hold: 1 2 3 4 5 6 7 8 9 10 11 12 }}b", "ab" },
	{ "a{{ ! spaced }}b", "ab" },
	{ "{{ q }}|{{#if  yes }}y{{/if }}|{{_  hello }}", "a b&amp;c|y|Hello" },
	/* markup around substitutions */
	{ "<script>var a = 1 < 2 && \"</b>\";</script>{{q}}",
	  "<script>var a = 1 < 2 && \"</b>\";</script>a b&amp;c" },
	{ "<script>x</SCRIPT >{{q}}", "<script>x</SCRIPT >a b&amp;c" },
	{ "<style>p > a { }</style><p>{{q}}", "<style>p > a { }</style><p>a b&amp;c" },
	{ "<!-- <a href=\" -->{{q}}", "<!-- <a href=\" -->a b&amp;c" },
	{ "<!-->{{q}}", "<!-->a b&amp;c" },
	{ "<!--->{{q}}", "<!--->a b&amp;c" },
	{ "<!-- a --!>{{q}}", "<!-- a --!>a b&amp;c" },
	{ "<!DOCTYPE html>\n<title>{{q}}</title>", "<!DOCTYPE html>\n<title>a b&amp;c</title>" },
	{ "<?xml x?>{{q}}", "<?xml x?>a b&amp;c" },
	{ "a < b {{q}}", "a < b a b&amp;c" },
	{ "<textarea><p title=\"</textarea>{{q}}", "<textarea><p title=\"</textarea>a b&amp;c" },
	{ "<a href=x title=\"{{q}}\">", "<a href=x title=\"a b&amp;c\">" },
	/* blocks between attributes */
	{ "<input type=\"checkbox\"{{#if yes}} checked{{/if}}>",
	  "<input type=\"checkbox\" checked>" },
	{ "<option value=\"{{q}}\"{{#if no}} selected{{/if}}>", "<option value=\"a b&amp;c\">" },
	{ "<input{{#if yes}} disabled{{/if}} name=\"{{q}}\">", "<input disabled name=\"a b&amp;c\">" },
	{ "<a {{#if yes}}href=\"{{js}}\"{{else}}title=\"{{js}}\"{{/if}}>", "<a href=\"#\">" },
	{ "<p class=\"a{{#if yes}} b{{/if}}\">", "<p class=\"a b\">" },
	{ "<script>{{#if yes}}var a;{{/if}}</script>", "<script>var a;</script>" },
};

START_TEST(test_render)
{
	const struct render_case *c = &render_cases[_i];
	char err[256] = "";
	char *got = render(c->src, err, sizeof(err));

	ck_assert_msg(got != NULL, "case %d (%s): %s", _i, c->src, err);
	ck_assert_msg(strcmp(got, c->want) == 0, "case %d (%s):\n got  %s\n want %s",
	              _i, c->src, got, c->want);
	free(got);
}
END_TEST

struct refuse_case {
	const char *src;
	const char *why;           /* a part of the message */
	int line;
};

static const struct refuse_case refuse_cases[] = {
	/* substitutions where no escaping helps */
	{ "<script>{{x}}</script>", "inside <script>", 1 },
	{ "<script type=\"x\">var a = \"{{x}}\";</script>", "inside <script>", 1 },
	{ "<style>{{x}}</style>", "inside <script>, <style>", 1 },
	{ "<!-- {{x}} -->", "comment", 1 },
	{ "<!DOCTYPE {{x}}>", "comment", 1 },
	{ "<{{x}}>", "inside a tag", 1 },
	{ "</{{x}}>", "inside a tag", 1 },
	{ "<a {{x}}>", "inside a tag", 1 },
	{ "<a {{x}}=1>", "inside a tag", 1 },
	{ "<a b=\"1\"{{x}}>", "inside a tag", 1 },
	{ "<a b{{x}}=1>", "attribute name", 1 },
	{ "<a href={{x}}>", "unquoted", 1 },
	{ "<a href=x{{x}}>", "unquoted", 1 },
	{ "<a onclick=\"{{x}}\">", "attribute 'onclick'", 1 },
	{ "<a ONMOUSEOVER='{{x}}'>", "attribute 'onmouseover'", 1 },
	{ "<p style=\"color: {{x}}\">", "attribute 'style'", 1 },
	{ "<img srcset=\"{{x}}\">", "attribute 'srcset'", 1 },
	{ "<iframe srcdoc=\"{{x}}\">", "attribute 'srcdoc'", 1 },
	{ "<textarea><{{x}}</textarea>", "right after '<'", 1 },
	{ "<title></tit{{x}}</title>", "right after '<'", 1 },
	{ "<iframe>{{x}}</iframe>", "raw text", 1 },
	{ "<script>\n<!-- x\n</script>", "'<!--' inside <script>", 2 },
	/* blocks */
	{ "{{#foo x}}{{/foo}}", "unknown block {{#foo}}", 1 },
	{ "{{#}}", "unknown block", 1 },
	{ "{{#if}}{{/if}}", "takes one name", 1 },
	{ "{{#if a b}}{{/if}}", "takes one name", 1 },
	{ "\n{{#if x}}\n", "{{#if}} is never closed", 2 },
	{ "{{#each x}}{{#if y}}{{/each}}", "{{/each}} closes {{#if}} from line 1", 1 },
	{ "{{/if}}", "without an open block", 1 },
	{ "{{/foo}}", "bad closing tag", 1 },
	{ "{{/if x}}", "bad closing tag", 1 },
	{ "{{else}}", "{{else}} outside", 1 },
	{ "{{#each x}}{{else}}{{/each}}", "{{else}} outside", 1 },
	{ "{{#if x}}{{else}}{{else}}{{/if}}", "{{else}} outside", 1 },
	{ "{{#if x}}{{else x}}{{/if}}", "{{else}} takes nothing", 1 },
	/* branches must end where they started */
	{ "{{#if x}}<a href=\"{{/if}}\">", "starts in text but its body ends in an attribute value", 1 },
	{ "{{#if x}}<b{{else}}<i{{/if}}>", "ends in a tag", 1 },
	{ "<p class=\"{{#if x}}\">{{/if}}", "ends in text", 1 },
	{ "{{#if x}}a{{else}}<!--{{/if}}-->", "{{else}} branch ends in a comment", 1 },
	{ "{{#each x}}<a href=\"{{/each}}\">", "ends in an attribute value", 1 },
	{ "{{#unless x}}<script>{{/unless}}</script>", "ends in <script>", 1 },
	{ "<script>{{#if x}}</script>{{/if}}", "starts in <script>", 1 },
	{ "<a {{#if x}}b{{/if}}c>", "run on across a block", 1 },
	{ "<a{{#if x}}b{{/if}}>", "run on across a block", 1 },
	{ "<input n{{#if x}}ame{{/if}}>", "run on across a block", 1 },
	{ "<a href {{#if x}} title{{/if}} =\"{{u}}\">", "'=' without an attribute name", 1 },
	{ "<a =\"x\">", "'=' without an attribute name", 1 },
	/* includes */
	{ "<a title=\"{{> p}}\">", "{{> p}} must be in text, not in an attribute value", 1 },
	{ "<script>{{> p}}</script>", "must be in text", 1 },
	{ "<textarea>{{> p}}</textarea>", "must be in text", 1 },
	{ "{{>}}", "takes one template name", 1 },
	{ "{{> a b}}", "takes one template name", 1 },
	{ "{{> bad/name}}", "bad name 'bad/name'", 1 },
	/* tags and names */
	{ "x\n{{y", "unterminated {{ tag", 2 },
	{ "{{y}", "unterminated", 1 },
	{ "{{}}", "empty", 1 },
	{ "{{ \n }}", "empty", 1 },
	{ "{{x y}}", "unexpected 'y'", 1 },
	{ "{{bad!}}", "bad name 'bad!'", 1 },
	{ "{{{x}}}", "bad name '{x'", 1 },
	{ "{{#if bad!}}{{/if}}", "bad name", 1 },
	{ "{{_ Bad.Key}}", "bad catalog key 'Bad.Key'", 1 },
	{ "{{_ a-b}}", "bad catalog key", 1 },
	{ "{{_}}", "needs a catalog key", 1 },
	{ "{{_ k a!}}", "bad name 'a!'", 1 },
	{ "{{_ k a b c d e f g h i j}}", "too many words", 1 },
	/* a template must end in text */
	{ "<a href=\"x\"", "ends in a tag", 1 },
	{ "<script>", "ends in <script>", 1 },
	{ "<!-- x", "ends in a comment", 1 },
	{ "<a title=\"", "ends in an attribute value", 1 },
	/* line numbers count every newline, in text, tags and comments */
	{ "a\nb\n{{#nope x}}", "unknown block", 3 },
	{ "\n\n<script>\n{{x}}", "inside <script>", 4 },
	{ "{{! multi\nline }}\n{{bad!}}", "bad name", 3 },
	{ "{{#if x}}\n{{/each}}", "{{/each}} closes", 2 },
	{ "{{#if\nx}}{{bad!}}", "bad name", 2 },
};

START_TEST(test_refuse)
{
	const struct refuse_case *c = &refuse_cases[_i];
	struct tmpl_set *set = tmpl_set_new();
	char err[256] = "", want[32];
	int r = tmpl_add(set, "t", c->src, strlen(c->src), err, sizeof(err));

	ck_assert_msg(r == -1, "case %d (%s) was accepted", _i, c->src);
	snprintf(want, sizeof(want), "t:%d: ", c->line);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
	              "case %d (%s): \"%s\" does not start with \"%s\"", _i, c->src, err, want);
	ck_assert_msg(strstr(err, c->why) != NULL, "case %d (%s): \"%s\" lacks \"%s\"",
	              _i, c->src, err, c->why);
	ck_assert_int_eq(tmpl_exists(set, "t"), 0);
	tmpl_set_free(set);
}
END_TEST

START_TEST(test_limits)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf src = BUF_INIT;
	char err[256];
	size_t big = (16u << 20) + 1;
	char *huge = malloc(big);
	int i;

	/* blocks nest 32 deep, not 33 */
	for (i = 0; i < 32; i++)
		buf_adds(&src, "{{#if x}}");
	for (i = 0; i < 32; i++)
		buf_adds(&src, "{{/if}}");
	ck_assert_msg(tmpl_add(set, "deep", src.p, src.len, err, sizeof(err)) == 0, "%s", err);
	buf_reset(&src);
	for (i = 0; i < 33; i++)
		buf_adds(&src, "{{#each x}}");
	ck_assert_int_eq(tmpl_add(set, "deeper", src.p, src.len, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "deeper:1: blocks nested deeper than 32");
	ck_assert_ptr_nonnull(huge);
	memset(huge, ' ', big);
	ck_assert_int_eq(tmpl_add(set, "huge", huge, big, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "larger than"));
	/* a short error buffer is cut, not overrun */
	ck_assert_int_eq(tmpl_add(set, "short", "{{#", 3, err, 5), -1);
	ck_assert_str_eq(err, "shor");
	free(huge);
	buf_free(&src);
	tmpl_set_free(set);
}
END_TEST

START_TEST(test_link_errors)
{
	static const struct {
		const char *a, *b, *why;
	} cases[] = {
		{ "{{> missing}}", "", "a:1: include of unknown template 'missing'" },
		{ "{{> b}}", "{{> a}}", "include cycle" },
		{ "{{> a}}", "", "include cycle" },
		{ "x", "{{#if y}}{{> b}}{{/if}}", "include cycle" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tmpl_set *set = tmpl_set_new();
		struct buf out = BUF_INIT;
		char err[256] = "";

		ck_assert_int_eq(tmpl_add(set, "a", cases[i].a, strlen(cases[i].a), err, sizeof(err)), 0);
		ck_assert_int_eq(tmpl_add(set, "b", cases[i].b, strlen(cases[i].b), err, sizeof(err)), 0);
		ck_assert_int_eq(tmpl_set_link(set, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, cases[i].why) != NULL, "%zu: %s", i, err);
		/* an unlinked set does not render */
		ck_assert_int_eq(tmpl_render(set, "a", NULL, NULL, &out), -1);
		buf_free(&out);
		tmpl_set_free(set);
	}
}
END_TEST

START_TEST(test_set_api)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[256] = "";

	ck_assert_int_eq(tmpl_add(set, "a", "A{{> b}}", 8, err, sizeof(err)), 0);
	ck_assert_int_eq(tmpl_add(set, "a", "x", 1, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "twice"));
	ck_assert_int_eq(tmpl_add(set, "bad name", "x", 1, err, sizeof(err)), -1);
	ck_assert_int_eq(tmpl_add(set, "b", NULL, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(tmpl_render(set, "a", NULL, NULL, &out), -1);   /* not linked */
	ck_assert_int_eq(tmpl_set_link(set, err, sizeof(err)), 0);
	ck_assert(tmpl_exists(set, "a"));
	ck_assert(tmpl_exists(set, "b"));
	ck_assert(!tmpl_exists(set, "c"));
	ck_assert(!tmpl_exists(set, NULL));
	ck_assert_int_eq(tmpl_render(set, "c", NULL, NULL, &out), -1);
	ck_assert_int_eq(tmpl_render(set, "a", NULL, NULL, &out), 0);
	ck_assert_str_eq(buf_cstr(&out), "A");
	buf_free(&out);
	tmpl_set_free(set);
	tmpl_set_free(NULL);
}
END_TEST

static void collect_key(const char *tmpl, const char *key, void *ctx)
{
	struct buf *b = ctx;

	buf_printf(b, "%s:%s;", tmpl, key);
}

START_TEST(test_foreach_key)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf keys = BUF_INIT;
	char err[256];
	const char *a = "{{_ one}}{{#if x}}{{_ two y}}{{/if}}";

	ck_assert_int_eq(tmpl_add(set, "a", a, strlen(a), err, sizeof(err)), 0);
	ck_assert_int_eq(tmpl_add(set, "b", "<p title=\"{{_ three}}\">", 23, err, sizeof(err)), 0);
	tmpl_foreach_key(set, collect_key, &keys);
	ck_assert_str_eq(buf_cstr(&keys), "a:one;a:two;b:three;");
	buf_free(&keys);
	tmpl_set_free(set);
}
END_TEST

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void remove_tree(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_load_dir)
{
	char dir[] = "/tmp/test_template.XXXXXX", sub[600], err[256] = "";
	struct tmpl_set *set;
	struct buf out = BUF_INIT;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file(dir, "page.html", "<h1>{{_ title}}</h1>{{> part}}");
	write_file(dir, "part.html", "<p>{{q}}</p>");
	write_file(dir, "README.md", "{{ not a template");
	write_file(dir, "bad name.html", "{{ not loaded either");
	write_file(dir, ".html", "{{ nor this");
	snprintf(sub, sizeof(sub), "%s/lang", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	set = tmpl_load_dir(dir, err, sizeof(err));
	ck_assert_msg(set != NULL, "%s", err);
	ck_assert(tmpl_exists(set, "page") && tmpl_exists(set, "part"));
	ck_assert(!tmpl_exists(set, "README") && !tmpl_exists(set, "bad name"));
	ck_assert_int_eq(tmpl_render(set, "page", NULL, NULL, &out), 0);
	ck_assert_str_eq(buf_cstr(&out), "<h1>title</h1><p></p>");
	tmpl_set_free(set);

	write_file(dir, "broken.html", "ok\n<a href={{x}}>");
	ck_assert_ptr_null(tmpl_load_dir(dir, err, sizeof(err)));
	ck_assert_msg(strstr(err, "broken:2: ") != NULL, "%s", err);
	write_file(dir, "broken.html", "{{> nowhere}}");
	ck_assert_ptr_null(tmpl_load_dir(dir, err, sizeof(err)));
	ck_assert_msg(strstr(err, "nowhere") != NULL, "%s", err);
	remove_tree(dir);
	ck_assert_ptr_null(tmpl_load_dir(dir, err, sizeof(err)));
	ck_assert_msg(strstr(err, dir) != NULL, "%s", err);
	buf_free(&out);
}
END_TEST

START_TEST(test_data_api)
{
	struct arena *a = arena_new(0);
	struct tdict *d = tdict_new(a);
	struct tlist *l;
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	char err[256];
	const char *src = "{{k}}|{{#each l}}{{v}}{{/each}}|{{n}}{{key42}}";
	int i;

	ck_assert_int_eq(td_set(d, "k", "one"), 0);
	ck_assert_int_eq(td_set(d, "k", "two"), 0);     /* replaces */
	ck_assert_int_eq(td_set(d, "n", NULL), 0);      /* NULL reads as "" */
	l = td_list(d, "l");
	ck_assert_ptr_eq(td_list(d, "l"), l);            /* same list again */
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(td_setf(tlist_add(l), "v", "%d,", i), 0);
	ck_assert_int_eq(td_set(NULL, "k", "v"), -1);
	ck_assert_int_eq(td_set(d, NULL, "v"), -1);
	ck_assert_int_eq(td_set_bool(NULL, "k", 1), -1);
	ck_assert_ptr_null(tlist_add(NULL));
	ck_assert_ptr_null(td_list(NULL, "x"));
	ck_assert_ptr_null(tdict_new(NULL));
	for (i = 0; i < 100; i++) {                      /* many keys */
		char key[16];

		snprintf(key, sizeof(key), "key%d", i);
		ck_assert_int_eq(td_setf(d, key, "%d", i), 0);
	}
	set = test_set(src, err, sizeof(err));
	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(tmpl_render(set, "t", d, NULL, &out), 0);
	ck_assert_str_eq(buf_cstr(&out),
	                 "two|0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,|42");
	/* a key set to another kind takes that kind */
	td_set(d, "l", "flat");
	buf_reset(&out);
	ck_assert_int_eq(tmpl_render(set, "t", d, NULL, &out), 0);
	ck_assert_str_eq(buf_cstr(&out), "two||42");
	buf_free(&out);
	tmpl_set_free(set);
	arena_free(a);
}
END_TEST

START_TEST(test_data_arena_limit)
{
	struct arena *a = arena_new(256);
	struct tdict *d = tdict_new(a);
	char big[512];
	int i, failed = 0;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(td_set(d, "big", big), -1);
	for (i = 0; i < 100 && !failed; i++)
		failed = td_setf(d, "k", "%d", i) < 0 || !tlist_add(td_list(d, "l"));
	ck_assert(failed);
	arena_free(a);
}
END_TEST

START_TEST(test_render_buf_limit)
{
	struct tmpl_set *set;
	struct buf out;
	char err[256];

	set = test_set("{{#each items}}{{name}}{{name}}{{/each}}", err, sizeof(err));
	ck_assert_ptr_nonnull(set);
	buf_init(&out, 4);
	ck_assert_int_eq(tmpl_render(set, "t", NULL, NULL, &out), 0);
	ck_assert_int_eq(tmpl_render(set, "p", NULL, NULL, &out), -1);
	buf_free(&out);
	tmpl_set_free(set);
}
END_TEST

START_TEST(test_render_null_data_and_catalog)
{
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	char err[256];

	set = test_set("{{_ greet a b}}{{x}}{{#if x}}y{{/if}}", err, sizeof(err));
	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(tmpl_render(set, "t", NULL, NULL, &out), 0);
	ck_assert_str_eq(buf_cstr(&out), "greet");
	buf_free(&out);
	tmpl_set_free(set);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("render");
	TCase *tp = tcase_create("parse");
	TCase *ts = tcase_create("set");

	tcase_add_loop_test(tc, test_render, 0, N(render_cases));
	tcase_add_test(tc, test_render_buf_limit);
	tcase_add_test(tc, test_render_null_data_and_catalog);
	tcase_add_loop_test(tp, test_refuse, 0, N(refuse_cases));
	tcase_add_test(tp, test_limits);
	tcase_add_test(ts, test_link_errors);
	tcase_add_test(ts, test_set_api);
	tcase_add_test(ts, test_foreach_key);
	tcase_add_test(ts, test_load_dir);
	tcase_add_test(ts, test_data_api);
	tcase_add_test(ts, test_data_arena_limit);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tp);
	suite_add_tcase(s, ts);
	return s;
}

CHECK_MAIN(template_suite)
