/* Unit tests: text/plain as safe HTML (cgi/textmail.c): escaping, line
 * breaks, links and addresses with the punctuation around them, quote
 * levels, format=flowed (RFC 3676 with its examples of space-stuffing,
 * DelSp and the signature line), hostile text and bad bytes. Every output
 * is also read by html_check in its textmail mode. */
#include "config.h"

#include "check_main.h"
#include "arena.h"
#include "html_check.h"
#include "textmail.h"

#include <stdlib.h>
#include <string.h>

static struct arena *arena;

static void setup(void)
{
	arena = arena_new(0);
}

static void teardown(void)
{
	arena_free(arena);
}

static const char *tm_n(const char *in, size_t n, unsigned flags)
{
	struct html_check c = { 1, 0, NULL, 0 };
	struct safe_html h;
	char why[512];

	ck_assert_int_eq(textmail_html(arena, in, n, flags, &h), 0);
	ck_assert_msg(html_check(h.html, h.len, &c, why, sizeof(why)) == 0, "html_check: %s\nout: %s",
	              why, h.html);
	ck_assert_uint_eq(h.html[h.len], '\0');
	return h.html;
}

#define EQ(in, flags, want) ck_assert_str_eq(tm_n(in, strlen(in), flags), want)
#define LINK(url, text) "<a href=\"" url "\" rel=\"noopener noreferrer\" target=\"_blank\">" text "</a>"
#define Q "<span class=\"mail-quote\">"

START_TEST(text_is_escaped)
{
	EQ("", 0, "");
	EQ("Hej Lars!", 0, "Hej Lars!");
	EQ("a < b & c > d \"e\" 'f'", 0, "a &lt; b &amp; c &gt; d &quot;e&quot; &#39;f&#39;");
	EQ("<script>alert(1)</script>", 0, "&lt;script&gt;alert(1)&lt;/script&gt;");
	EQ("&amp; &lt;", 0, "&amp;amp; &amp;lt;");
	EQ("r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s", 0, "r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s");
}
END_TEST

START_TEST(line_breaks_are_kept)
{
	EQ("one\ntwo\n\nfour\n", 0, "one\ntwo\n\nfour\n");
	EQ("crlf\r\nline\r\n", 0, "crlf\nline\n");
	EQ("  indented\n\ttab", 0, "  indented\n\ttab");
	EQ("\n\n", 0, "\n\n");
}
END_TEST

START_TEST(urls_become_links)
{
	EQ("see http://example.com/a?b=1&c=2 now", 0,
	   "see " LINK("http://example.com/a?b=1&amp;c=2", "http://example.com/a?b=1&amp;c=2") " now");
	EQ("HTTPS://Example.COM/x", 0, LINK("HTTPS://Example.COM/x", "HTTPS://Example.COM/x"));
	EQ("mailto:lars@emak.se?subject=hej", 0,
	   LINK("mailto:lars@emak.se?subject=hej", "mailto:lars@emak.se?subject=hej"));
	/* Punctuation that ends the sentence is not part of the link. */
	EQ("Go to https://emak.se/.", 0, "Go to " LINK("https://emak.se/", "https://emak.se/") ".");
	EQ("(https://emak.se/a), or", 0, "(" LINK("https://emak.se/a", "https://emak.se/a") "), or");
	EQ("https://en.wikipedia.org/wiki/Sweden_(disambiguation)!", 0,
	   LINK("https://en.wikipedia.org/wiki/Sweden_(disambiguation)",
	        "https://en.wikipedia.org/wiki/Sweden_(disambiguation)") "!");
	EQ("<https://emak.se/x>", 0, "&lt;" LINK("https://emak.se/x", "https://emak.se/x") "&gt;");
	EQ("\"https://emak.se/q\"", 0, "&quot;" LINK("https://emak.se/q", "https://emak.se/q") "&quot;");
	EQ("[https://emak.se/]: ok?", 0, "[" LINK("https://emak.se/", "https://emak.se/") "]: ok?");
	EQ("two http://a.se/1,http://b.se/2", 0,
	   "two " LINK("http://a.se/1,http://b.se/2", "http://a.se/1,http://b.se/2"));
	EQ("https://emak.se/\xc3\xa5\xc3\xa4\xc3\xb6 \xc2\xa0", 0,
	   LINK("https://emak.se/\xc3\xa5\xc3\xa4\xc3\xb6", "https://emak.se/\xc3\xa5\xc3\xa4\xc3\xb6") " \xc2\xa0");
	EQ("https://emak.se/x\xc2\xa0y", 0, LINK("https://emak.se/x", "https://emak.se/x") "\xc2\xa0y");
	/* Not links. */
	EQ("http:// alone, https://. and xhttp://x.se", 0, "http:// alone, https://. and xhttp://x.se");
	EQ("ftp://x.se/ file:///etc/passwd www.emak.se", 0, "ftp://x.se/ file:///etc/passwd www.emak.se");
}
END_TEST

START_TEST(addresses_become_links)
{
	EQ("Mail lars.jonsson@emak.se.", 0,
	   "Mail " LINK("mailto:lars.jonsson@emak.se", "lars.jonsson@emak.se") ".");
	EQ("<postmaster@emak.se>", 0, "&lt;" LINK("mailto:postmaster@emak.se", "postmaster@emak.se") "&gt;");
	EQ("a+tag_x%1@sub-1.emak.co.uk, b@c.se", 0,
	   LINK("mailto:a+tag_x%1@sub-1.emak.co.uk", "a+tag_x%1@sub-1.emak.co.uk") ", "
	   LINK("mailto:b@c.se", "b@c.se"));
	EQ("a@b a@b.c @emak.se a@.se a@emak.1 .@emak.se a@@emak.se", 0,
	   "a@b a@b.c @emak.se a@.se a@emak.1 .@emak.se a@@emak.se");
	EQ("http://user@emak.se/ path", 0, LINK("http://user@emak.se/", "http://user@emak.se/") " path");
}
END_TEST

START_TEST(hostile_text_stays_text)
{
	EQ("javascript:alert(1) data:text/html,<b>x</b> vbscript:x", 0,
	   "javascript:alert(1) data:text/html,&lt;b&gt;x&lt;/b&gt; vbscript:x");
	EQ("http://x.se/\"onmouseover=\"alert(1)", 0,
	   LINK("http://x.se/", "http://x.se/") "&quot;onmouseover=&quot;alert(1)");
	EQ("http://x.se/'onmouseover='alert(1)'", 0,
	   LINK("http://x.se/&#39;onmouseover=&#39;alert(1)", "http://x.se/&#39;onmouseover=&#39;alert(1)") "&#39;");
	EQ("http://x.se/<script>", 0, LINK("http://x.se/", "http://x.se/") "&lt;script&gt;");
	EQ("java\tscript:x https://x.se/a\tb", 0,
	   "java\tscript:x " LINK("https://x.se/a", "https://x.se/a") "\tb");
}
END_TEST

START_TEST(bad_bytes)
{
	static const char nul[] = "a\0b\x01\x1b" "c\x7f";

	ck_assert_str_eq(tm_n(nul, sizeof(nul) - 1, 0), "abc\x7f");
	EQ("\xff\xfe \xc3\x28 \xe2\x82", 0, "\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd( \xef\xbf\xbd");
	EQ("https://x.se/\xff", 0, LINK("https://x.se/\xef\xbf\xbd", "https://x.se/\xef\xbf\xbd"));
	EQ("\xff@emak.se", 0, "\xef\xbf\xbd@emak.se");
}
END_TEST

START_TEST(quotes_get_spans)
{
	EQ("Hej\n> quoted\n> two\nreply\n", 0,
	   "Hej\n" Q "&gt; quoted\n&gt; two\n</span>reply\n");
	EQ("> a\n>> b\n> > c\n>>> d\ne", 0,
	   Q "&gt; a\n" Q "&gt;&gt; b\n&gt; &gt; c\n" Q "&gt;&gt;&gt; d\n</span></span></span>e");
	EQ("> end", 0, Q "&gt; end</span>");
	EQ("> https://emak.se/x.", 0, Q "&gt; " LINK("https://emak.se/x", "https://emak.se/x") ".</span>");
	EQ(" > not a quote", 0, " &gt; not a quote");
	EQ(">>>>>>>>>>>>>>> deep", 0,
	   Q Q Q Q Q Q Q Q "&gt;&gt;&gt;&gt;&gt;&gt;&gt;&gt;&gt;&gt;&gt;&gt;&gt;&gt;&gt; deep"
	   "</span></span></span></span></span></span></span></span>");
}
END_TEST

START_TEST(format_flowed)
{
	/* Soft breaks (a trailing space) joined; hard breaks kept. */
	EQ("This is a \nflowed paragraph.\nA fixed line.\n", TEXTMAIL_FLOWED,
	   "This is a flowed paragraph.\nA fixed line.\n");
	/* Space-stuffing removed. */
	EQ(" From me\n >not a quote\n", TEXTMAIL_FLOWED, "From me\n&gt;not a quote\n");
	/* DelSp=yes: the space that marks the break is removed too. */
	EQ("Lorem\xe3\x80\x81 \nipsum\n", TEXTMAIL_FLOWED | TEXTMAIL_DELSP,
	   "Lorem\xe3\x80\x81ipsum\n");
	/* The signature separator is not a soft break. */
	EQ("text \n-- \nLars\n", TEXTMAIL_FLOWED, "text -- \nLars\n");
	EQ("text\n-- \nLars\n", TEXTMAIL_FLOWED, "text\n-- \nLars\n");
	/* Quote levels flow within their level only. */
	EQ(">> one \n>> two\n> three \n> four\nfive", TEXTMAIL_FLOWED,
	   Q Q "&gt;&gt; one two\n</span>&gt; three four\n</span>five");
	EQ("> flowed \nthen unquoted\n", TEXTMAIL_FLOWED,
	   Q "&gt; flowed \n</span>then unquoted\n");
	/* A URL split by a soft break is joined before linking. */
	EQ("see https://emak.se/a/ \nb\n", TEXTMAIL_FLOWED,
	   "see " LINK("https://emak.se/a/", "https://emak.se/a/") " b\n");
	EQ("last line flowed ", TEXTMAIL_FLOWED, "last line flowed ");
	EQ("crlf \r\nflowed\r\n", TEXTMAIL_FLOWED, "crlf flowed\n");
	/* Without the flag, the same text is shown as written. */
	EQ("This is a \nflowed paragraph.", 0, "This is a \nflowed paragraph.");
}
END_TEST

static char *repeat(const char *unit, size_t times, size_t *len)
{
	size_t un = strlen(unit), i;
	char *s = malloc(un * times + 1);

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < times; i++)
		memcpy(s + i * un, unit, un);
	s[un * times] = '\0';
	*len = un * times;
	return s;
}

START_TEST(long_input)
{
	size_t n;
	char *in = repeat("http://x.se/", 100000, &n);
	const char *out = tm_n(in, n, 0);

	ck_assert_ptr_null(strstr(out, "<a"));     /* too long to link */
	free(in);
	in = repeat("a@b.se ", 100000, &n);
	tm_n(in, n, 0);
	free(in);
	in = repeat("a@", 200000, &n);
	tm_n(in, n, 0);
	free(in);
	in = repeat("https://x.se/)", 100000, &n);
	tm_n(in, n, 0);
	free(in);
	in = repeat(">", 200000, &n);
	tm_n(in, n, TEXTMAIL_FLOWED);
	free(in);
	in = repeat("word \n", 200000, &n);
	out = tm_n(in, n, TEXTMAIL_FLOWED);
	ck_assert_uint_eq(strlen(out), 5 * 200000);
	free(in);
}
END_TEST

START_TEST(memory_limit_is_an_error)
{
	struct arena *small = arena_new(16);
	struct safe_html h;

	ck_assert_int_eq(textmail_html(small, "a long enough line of text, well past sixteen bytes of room, so -1",
	                               62, 0, &h), -1);
	ck_assert_uint_eq(h.len, 0);
	arena_free(small);
}
END_TEST

static Suite *textmail_suite(void)
{
	Suite *s = suite_create("textmail");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_is_escaped);
	tcase_add_test(tc, line_breaks_are_kept);
	tcase_add_test(tc, urls_become_links);
	tcase_add_test(tc, addresses_become_links);
	tcase_add_test(tc, hostile_text_stays_text);
	tcase_add_test(tc, bad_bytes);
	tcase_add_test(tc, quotes_get_spans);
	tcase_add_test(tc, format_flowed);
	tcase_add_test(tc, long_input);
	tcase_add_test(tc, memory_limit_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(textmail_suite)
