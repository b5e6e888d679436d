/* Unit tests: header decoding (cgi/rfc2047.c) with RFC 2047 §8's examples,
 * Swedish, Russian and Japanese headers as mailers write them, and broken
 * input; charset conversion (cgi/charset.c) and UTF-8 repair (cgi/utf8.c). */
#include "config.h"

#include "check_main.h"
#include "arena.h"
#include "buf.h"
#include "charset.h"
#include "rfc2047.h"
#include "validate.h"
#include "utf8.h"

#include <string.h>

static struct arena *arena;

static void setup(void)
{
	arena = arena_new(1u << 20);
}

static void teardown(void)
{
	arena_free(arena);
}

static const char *d(const char *in)
{
	return rfc2047_decode(arena, in, strlen(in), NULL);
}

#define FFFD UTF8_REPLACEMENT

START_TEST(rfc2047_section8_examples)
{
	ck_assert_str_eq(d("=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>"), "Keith Moore <moore@cs.utk.edu>");
	ck_assert_str_eq(d("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>"),
	                 "Keld J\xc3\xb8rn Simonsen <keld@dkuug.dk>");
	ck_assert_str_eq(d("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>"),
	                 "Andr\xc3\xa9 Pirard <PIRARD@vm1.ulg.ac.be>");
	ck_assert_str_eq(d("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
	                   "    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?="),
	                 "If you can read this you understand the example.");
	ck_assert_str_eq(d("(=?ISO-8859-1?Q?a?=)"), "(a)");
	ck_assert_str_eq(d("(=?ISO-8859-1?Q?a?= b)"), "(a b)");
	ck_assert_str_eq(d("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)"), "(ab)");
	ck_assert_str_eq(d("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)"), "(ab)");
	ck_assert_str_eq(d("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)"), "(ab)");
	ck_assert_str_eq(d("(=?ISO-8859-1?Q?a_b?=)"), "(a b)");
	ck_assert_str_eq(d("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)"), "(a b)");
}
END_TEST

START_TEST(charsets)
{
	ck_assert_str_eq(d("=?UTF-8?B?SMOkbHNuaW5nYXI=?="), "H\xc3\xa4lsningar");
	ck_assert_str_eq(d("=?ISO-8859-1?Q?Lars_J=F6nsson?="), "Lars J\xc3\xb6nsson");
	ck_assert_str_eq(d("=?iso-8859-15?q?=A4uro?="), "\xe2\x82\xac" "uro");
	ck_assert_str_eq(d("=?windows-1252?Q?=93quoted=94?="), "\xe2\x80\x9cquoted\xe2\x80\x9d");
	/* ISO-8859-1 and US-ASCII labels are read as windows-1252 (WHATWG). */
	ck_assert_str_eq(d("=?iso-8859-1?q?=80?="), "\xe2\x82\xac");
	ck_assert_str_eq(d("=?KOI8-R?B?8NLJ18XU?="), "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
	ck_assert_str_eq(d("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?="), "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	ck_assert_str_eq(d("=?UTF-16BE?B?BB8EQAQ4BDIENQRC?="), "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
	/* RFC 2231 language suffix. */
	ck_assert_str_eq(d("=?UTF-8*sv?Q?=C3=A4?="), "\xc3\xa4");
}
END_TEST

START_TEST(adjacent_words_are_joined_before_conversion)
{
	/* One UTF-8 character split over two words, and an ISO-2022-JP escape
	 * sequence state carried from one word to the next. */
	ck_assert_str_eq(d("=?utf-8?q?=C3?= =?UTF-8?Q?=A4?="), "\xc3\xa4");
	ck_assert_str_eq(d("=?UTF-8?B?w6Q=?==?UTF-8?B?w6Q=?="), "\xc3\xa4\xc3\xa4");
	ck_assert_str_eq(d("=?ISO-2022-JP?B?GyRCRnxLXA==?= =?ISO-2022-JP?B?OGwbKEI=?="),
	                 "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	/* Text between words stays, and ends the run. */
	ck_assert_str_eq(d("=?utf-8?q?=C3?= x =?UTF-8?Q?=A4?="), FFFD " x " FFFD);
}
END_TEST

START_TEST(raw_text)
{
	ck_assert_str_eq(d("plain ascii"), "plain ascii");
	ck_assert_str_eq(d("R\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s"), "R\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s");
	ck_assert_str_eq(d("J\xf6nsson"), "J\xc3\xb6nsson");     /* 8-bit, not UTF-8: windows-1252 */
	ck_assert_str_eq(rfc2047_decode(arena, "\xcf\xf0\xe8", 3, "windows-1251"), "\xd0\x9f\xd1\x80\xd0\xb8");
	ck_assert_str_eq(rfc2047_decode(arena, "\xf6", 1, "no-such-charset"), FFFD);
	/* Unfolding, tabs, controls. */
	ck_assert_str_eq(d("a long\r\n subject"), "a long subject");
	ck_assert_str_eq(d("a\tb"), "a b");
	ck_assert_str_eq(d("a\x01" "b\x7f"), "a" FFFD "b" FFFD);
	ck_assert_str_eq(d("line\r\nbreak"), "line break");
	ck_assert_str_eq(d("trailing\r\n"), "trailing");
	ck_assert_str_eq(d("=?UTF-8?Q?a=0D=0Ab=00c?="), "a b" FFFD "c");
	ck_assert_str_eq(d("=?UTF-8?Q?c1=C2=85?="), "c1" FFFD);
}
END_TEST

START_TEST(broken_words)
{
	/* Not encoded-words: kept as written. */
	ck_assert_str_eq(d("=?UTF-8?Q?no end"), "=?UTF-8?Q?no end");
	ck_assert_str_eq(d("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
	ck_assert_str_eq(d("=??Q?abc?="), "=??Q?abc?=");
	ck_assert_str_eq(d("=?UTF-8?Q?a b?="), "=?UTF-8?Q?a b?=");
	ck_assert_str_eq(d("=?"), "=?");
	/* Unknown charset: as written (RFC 2047 §6.2). */
	ck_assert_str_eq(d("=?x-nonsense?Q?abc?= and"), "=?x-nonsense?Q?abc?= and");
	ck_assert_str_eq(d("=?a/b?Q?abc?="), "=?a/b?Q?abc?=");
	/* Damaged data: what decodes, then U+FFFD. */
	ck_assert_str_eq(d("=?UTF-8?B?!!!?="), FFFD);
	ck_assert_str_eq(d("=?UTF-8?Q?=FF?="), FFFD);
	ck_assert_str_eq(d("=?UTF-8?B?w6?="), FFFD);
	ck_assert_str_eq(d("=?UTF-8?Q?ok=ZZ?="), "ok=ZZ" FFFD);
	ck_assert_str_eq(d("=?ISO-2022-JP?B?GyRCRnxL?="), "\xe6\x97\xa5" FFFD);
	/* Lenient: a word glued to text. */
	ck_assert_str_eq(d("foo=?UTF-8?Q?bar?=baz"), "foobarbaz");
	ck_assert_str_eq(d("=?UTF-8?Q?" "?="), "");
}
END_TEST

/* glibc's iconv takes "%utf-8" as a UTF-8 that passes U+110000 and up
 * (F4 A0 A0 A0): the output is repaired, never passed on. */
START_TEST(odd_utf8_spellings_stay_valid)
{
	const char *s = d("=?%utf-8?B?9KCgoA==?=");

	ck_assert_ptr_nonnull(s);
	ck_assert(utf8_valid(s, strlen(s)));
	s = d("=?utf-8'?B?9KCgoA==?=");
	ck_assert(utf8_valid(s, strlen(s)));
}
END_TEST

START_TEST(charset_and_repair)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(charset_to_utf8(&b, "windows-1252", 12, "\x80\x81", 2), 0);
	ck_assert_str_eq(buf_cstr(&b), "\xe2\x82\xac" FFFD);
	buf_reset(&b);
	ck_assert_int_eq(charset_to_utf8(&b, "bogus", 5, "x", 1), -1);
	ck_assert_int_eq(charset_to_utf8(&b, "UTF-8//TRANSLIT", 15, "x", 1), -1);
	ck_assert_int_eq(charset_to_utf8(&b, "", 0, "x", 1), -1);
	ck_assert_uint_eq(b.len, 0);
	ck_assert(charset_known("koi8-r", 6));
	ck_assert(charset_known("UTF8", 4));
	ck_assert(!charset_known("x-nonsense", 10));
	ck_assert_int_eq(charset_to_utf8(&b, "utf-8", 5, "a\xe2\x82" "b\xf0\x9f\x98\x80\xc0\xaf", 11), 0);
	ck_assert_str_eq(buf_cstr(&b), "a" FFFD "b\xf0\x9f\x98\x80" FFFD FFFD);
	buf_reset(&b);
	/* A sequence cut at the end; UTF-16 with an odd byte. */
	ck_assert_int_eq(charset_to_utf8(&b, "SHIFT_JIS", 9, "\x93\xfa\x96", 3), 0);
	ck_assert_str_eq(buf_cstr(&b), "\xe6\x97\xa5" FFFD);
	buf_reset(&b);
	ck_assert_int_eq(charset_to_utf8(&b, "UTF-16LE", 8, "a\0b", 3), 0);
	ck_assert_str_eq(buf_cstr(&b), "a" FFFD);
	buf_reset(&b);
	/* Long input crosses iconv's output chunks. */
	{
		static char latin[10000];

		memset(latin, '\xe5', sizeof(latin));
		ck_assert_int_eq(charset_to_utf8(&b, "latin1", 6, latin, sizeof(latin)), 0);
		ck_assert_uint_eq(b.len, 20000);
	}
	buf_free(&b);
}
END_TEST

static Suite *rfc2047_suite(void)
{
	Suite *s = suite_create("rfc2047");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rfc2047_section8_examples);
	tcase_add_test(tc, charsets);
	tcase_add_test(tc, odd_utf8_spellings_stay_valid);
	tcase_add_test(tc, adjacent_words_are_joined_before_conversion);
	tcase_add_test(tc, raw_text);
	tcase_add_test(tc, broken_words);
	tcase_add_test(tc, charset_and_repair);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(rfc2047_suite)
