/* test_html: the escaping writer. Every escape, the UTF-8 repair, URL
 * component encoding, and which URLs may start a URL attribute. */
#include "config.h"

#include "buf.h"
#include "html.h"
#include "validate.h"

#include <check.h>
#include <string.h>

#include "check_main.h"

/* The buffer's bytes; "" before the first append. */
static const char *bytes(const struct buf *b)
{
	return b->p ? b->p : "";
}

struct esc_case {
	const char *in;
	size_t len;                /* 0: strlen(in) */
	const char *want;
};

static const struct esc_case html_cases[] = {
	{ "", 0, "" },
	{ "plain text", 0, "plain text" },
	{ "&", 0, "&amp;" },
	{ "<", 0, "&lt;" },
	{ ">", 0, "&gt;" },
	{ "\"", 0, "&quot;" },
	{ "'", 0, "&#39;" },
	{ "\"><script>alert(1)</script>", 0,
	  "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "a&amp;b", 0, "a&amp;amp;b" },
	{ "tab\tlf\ncr\r", 0, "tab\tlf\ncr\r" },
	{ "nul\0x", 5, "nulx" },
	{ "\x01\x08\x0b\x0c\x1b\x1f", 0, "" },
	{ "del\x7f", 0, "del\x7f" },
	{ "r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s", 0, "r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s" },
	{ "\xe2\x82\xac \xf0\x9f\x98\x80", 0, "\xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "\xef\xbf\xbd", 0, "\xef\xbf\xbd" },
	/* invalid UTF-8: each maximal bad subpart becomes one U+FFFD */
	{ "\xff", 0, "\xef\xbf\xbd" },
	{ "a\x80z", 0, "a\xef\xbf\xbdz" },
	{ "\xc0\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd" },              /* overlong '/' */
	{ "\xe0\x80\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
	{ "\xf4\x90\x80\x80", 0,
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },          /* > U+10FFFF */
	{ "\xe2\x82", 0, "\xef\xbf\xbd" },                            /* truncated */
	{ "\xe2\x82<", 0, "\xef\xbf\xbd&lt;" },
	{ "\xf0\x9f\x98", 0, "\xef\xbf\xbd" },
	{ "\xc3", 0, "\xef\xbf\xbd" },
	{ "\xc3\xc3\xa4", 0, "\xef\xbf\xbd\xc3\xa4" },
};

START_TEST(test_html_escape)
{
	const struct esc_case *c = &html_cases[_i];
	struct buf b = BUF_INIT;

	html_escape(&b, c->in, c->len ? c->len : strlen(c->in));
	ck_assert_msg(!buf_failed(&b), "case %d", _i);
	ck_assert_msg(b.len == strlen(c->want) && memcmp(bytes(&b), c->want, b.len) == 0,
	              "case %d: got \"%.*s\", want \"%s\"", _i, (int)b.len, bytes(&b), c->want);
	buf_free(&b);
}
END_TEST

START_TEST(test_html_escape_appends)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "<p>");
	html_escape(&b, "a<b", 3);
	buf_adds(&b, "</p>");
	ck_assert_str_eq(buf_cstr(&b), "<p>a&lt;b</p>");
	buf_free(&b);
}
END_TEST

START_TEST(test_html_escape_output_is_utf8)
{
	unsigned char all[256];
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	html_escape(&b, (const char *)all, sizeof(all));
	ck_assert(utf8_valid(b.p, b.len));
	ck_assert_ptr_null(memchr(b.p, '<', b.len));
	ck_assert_ptr_null(memchr(b.p, '"', b.len));
	ck_assert_ptr_null(memchr(b.p, '\0', b.len));
	buf_free(&b);
}
END_TEST

static const struct esc_case url_cases[] = {
	{ "", 0, "" },
	{ "AZaz09-._~", 0, "AZaz09-._~" },
	{ "a b", 0, "a%20b" },
	{ "a+b=c&d", 0, "a%2Bb%3Dc%26d" },
	{ "/?#[]@!$'()*,;:%", 0, "%2F%3F%23%5B%5D%40%21%24%27%28%29%2A%2C%3B%3A%25" },
	{ "\"><script>", 0, "%22%3E%3Cscript%3E" },
	{ "javascript:alert(1)", 0, "javascript%3Aalert%281%29" },
	{ "\xc3\xa5", 0, "%C3%A5" },
	{ "\xff\x00", 2, "%FF%00" },
	{ "lars.jonsson@emak.se", 0, "lars.jonsson%40emak.se" },
};

START_TEST(test_url_escape)
{
	const struct esc_case *c = &url_cases[_i];
	struct buf b = BUF_INIT;

	url_escape_component(&b, c->in, c->len ? c->len : strlen(c->in));
	ck_assert_msg(b.len == strlen(c->want) && memcmp(bytes(&b), c->want, b.len) == 0,
	              "case %d: got \"%.*s\", want \"%s\"", _i, (int)b.len, bytes(&b), c->want);
	buf_free(&b);
}
END_TEST

struct url_safe_case {
	const char *url;
	int safe;
};

static const struct url_safe_case safe_cases[] = {
	{ "", 1 },
	{ "/", 1 },
	{ "/users?domain=emak.se", 1 },
	{ "users.html", 1 },
	{ "../up", 1 },
	{ "?page=2", 1 },
	{ "#top", 1 },
	{ "//cdn.example.com/x.css", 1 },
	{ "a/b:c", 1 },
	{ "x?y=javascript:z", 1 },
	{ "my file.txt", 1 },
	{ "http://example.com/", 1 },
	{ "https://example.com/", 1 },
	{ "HTTPS://example.com/", 1 },
	{ "mailto:lars.jonsson@emak.se", 1 },
	{ "MailTo:x@y", 1 },
	{ "javascript:alert(1)", 0 },
	{ "JaVaScRiPt:alert(1)", 0 },
	{ " javascript:alert(1)", 0 },
	{ "java\tscript:alert(1)", 0 },
	{ "java\nscript:alert(1)", 0 },
	{ "java\rscript:alert(1)", 0 },
	{ "java\x01script:alert(1)", 0 },
	{ "\x01javascript:alert(1)", 0 },
	{ "\tjavascript:alert(1)", 0 },
	{ " /relative", 0 },
	{ "data:text/html,<script>alert(1)</script>", 0 },
	{ "vbscript:msgbox(1)", 0 },
	{ "file:///etc/passwd", 0 },
	{ "ftp://example.com/", 0 },
	{ "http", 1 },
	{ "https:", 1 },
	{ "httpx:", 0 },
	{ "xhttp:", 0 },
	{ ":", 0 },
	{ ":foo", 0 },
};

START_TEST(test_url_is_safe)
{
	const struct url_safe_case *c = &safe_cases[_i];

	ck_assert_msg(url_is_safe(c->url, strlen(c->url)) == c->safe,
	              "case %d: url_is_safe(\"%s\") != %d", _i, c->url, c->safe);
}
END_TEST

START_TEST(test_url_is_safe_length)
{
	/* Only the first n bytes count: "http" of "httpjavascript:" is safe. */
	ck_assert_int_eq(url_is_safe("javascript:x", 4), 1);
	ck_assert_int_eq(url_is_safe("javascript:x", 11), 0);
	ck_assert_int_eq(url_is_safe("javascript:x", 0), 1);
}
END_TEST

struct utf8_case {
	const char *s;
	int valid;
};

static const struct utf8_case utf8_cases[] = {
	{ "", 1 }, { "ascii", 1 }, { "\xc3\xa4", 1 }, { "\xf4\x8f\xbf\xbf", 1 },
	{ "\xc3", 0 }, { "\x80", 0 }, { "\xc1\xbf", 0 }, { "\xed\xbf\xbf", 0 },
	{ "\xf4\x90\x80\x80", 0 }, { "\xf5\x80\x80\x80", 0 }, { "\xe0\x9f\xbf", 0 },
};

START_TEST(test_utf8_is_valid)
{
	const struct utf8_case *c = &utf8_cases[_i];

	ck_assert_msg(utf8_valid(c->s, strlen(c->s)) == c->valid, "case %d", _i);
}
END_TEST

START_TEST(test_safe_html)
{
	struct safe_html h = safe_html_from_sanitizer("<b>x</b>", 8);
	struct safe_html none = safe_html_from_sanitizer(NULL, 5);

	ck_assert_uint_eq(h.len, 8);
	ck_assert_str_eq(h.html, "<b>x</b>");
	ck_assert_uint_eq(none.len, 0);
	ck_assert_str_eq(none.html, "");
}
END_TEST

START_TEST(test_escape_respects_buf_limit)
{
	struct buf b;

	buf_init(&b, 8);
	html_escape(&b, "<<<<", 4);
	ck_assert(buf_failed(&b));
	buf_free(&b);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *html_suite(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("escape");

	tcase_add_loop_test(tc, test_html_escape, 0, N(html_cases));
	tcase_add_test(tc, test_html_escape_appends);
	tcase_add_test(tc, test_html_escape_output_is_utf8);
	tcase_add_loop_test(tc, test_url_escape, 0, N(url_cases));
	tcase_add_loop_test(tc, test_url_is_safe, 0, N(safe_cases));
	tcase_add_test(tc, test_url_is_safe_length);
	tcase_add_loop_test(tc, test_utf8_is_valid, 0, N(utf8_cases));
	tcase_add_test(tc, test_safe_html);
	tcase_add_test(tc, test_escape_respects_buf_limit);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(html_suite)
