/* Unit tests: a fetched part's bytes to text (cgi/mime_body.c): transfer
 * encodings, the charsets mail arrives in (ISO-8859-1/15, windows-1252,
 * KOI8-R, ISO-2022-JP, UTF-8, none at all), and damage. The part is the
 * BODYSTRUCTURE Dovecot sends for it, parsed. */
#include "config.h"

#include "check_main.h"
#include "mime.h"
#include "mime_fixture.h"
#include "utf8.h"
#include "validate.h"

static struct arena *arena;

static void setup(void)
{
	arena = arena_new(8u << 20);
}

static void teardown(void)
{
	arena_free(arena);
}

#define FFFD UTF8_REPLACEMENT

/* A text/plain part; params is the inside of its parameter list or NIL. */
static struct imap_body *part(const char *params, const char *enc)
{
	return bodystructure(arena, arena_printf(arena, "(\"text\" \"plain\" %s NIL NIL %s 100 3 NIL NIL NIL NIL)",
	                                         params, enc));
}

static const char *text_n(const struct imap_body *b, const char *raw, size_t n)
{
	char *out;
	size_t len;

	ck_assert_int_eq(mime_decode_text(arena, b, raw, n, &out, &len), 0);
	ck_assert_uint_eq(strlen(out), len);             /* no NUL inside */
	ck_assert(utf8_valid(out, len));
	return out;
}

static const char *text(const char *params, const char *enc, const char *raw)
{
	return text_n(part(params, enc), raw, strlen(raw));
}

START_TEST(charsets)
{
	ck_assert_str_eq(text("(\"charset\" \"utf-8\")", "\"8bit\"", "H\xc3\xa4lsningar\r\n"), "H\xc3\xa4lsningar\n");
	ck_assert_str_eq(text("(\"charset\" \"ISO-8859-1\")", "\"quoted-printable\"", "Hej p=E5 dig, =E5=E4=F6=\r\n!"),
	                 "Hej p\xc3\xa5 dig, \xc3\xa5\xc3\xa4\xc3\xb6!");
	ck_assert_str_eq(text("(\"charset\" \"iso-8859-15\")", "\"quoted-printable\"", "100 =A4"), "100 \xe2\x82\xac");
	ck_assert_str_eq(text("(\"charset\" \"windows-1252\")", "\"8bit\"", "\x93quoted\x94 \x96 \x80"),
	                 "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x93 \xe2\x82\xac");
	/* KOI8-R in base64: "Привет, мир" */
	ck_assert_str_eq(text("(\"charset\" \"koi8-r\")", "\"base64\"", "8NLJ18XULCDNydI=\r\n"),
	                 "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, \xd0\xbc\xd0\xb8\xd1\x80");
	/* ISO-2022-JP, 7bit with escapes: "こんにちは" */
	ck_assert_str_eq(text("(\"charset\" \"ISO-2022-JP\")", "\"7bit\"", "\x1b$B$3$s$K$A$O\x1b(B\r\n"),
	                 "\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab\xe3\x81\xa1\xe3\x81\xaf\n");
}
END_TEST

START_TEST(unlabelled_8bit)
{
	/* No charset: UTF-8 when it is... */
	ck_assert_str_eq(text("NIL", "\"8bit\"", "V\xc3\xa4rlden"), "V\xc3\xa4rlden");
	/* ... else windows-1252. */
	ck_assert_str_eq(text("NIL", "\"8bit\"", "V\xe4rlden \x93x\x94"), "V\xc3\xa4rlden \xe2\x80\x9cx\xe2\x80\x9d");
	ck_assert_str_eq(text("NIL", "NIL", "V\xe4rlden"), "V\xc3\xa4rlden");
	/* US-ASCII with 8-bit bytes is a lie: the bytes decide. */
	ck_assert_str_eq(text("(\"charset\" \"us-ascii\")", "\"7bit\"", "V\xc3\xa4rlden"), "V\xc3\xa4rlden");
	ck_assert_str_eq(text("(\"charset\" \"us-ascii\")", "\"7bit\"", "V\xe4rlden"), "V\xc3\xa4rlden");
	/* A charset iconv does not know, or one that is not a name. */
	ck_assert_str_eq(text("(\"charset\" \"x-no-such\")", "\"8bit\"", "V\xe4rlden"), "V\xc3\xa4rlden");
	ck_assert_str_eq(text("(\"charset\" \"utf-8//TRANSLIT\")", "\"8bit\"", "V\xc3\xa4rlden"), "V\xc3\xa4rlden");
	ck_assert_str_eq(text("(\"charset\" \"\")", "\"8bit\"", "V\xe4rlden"), "V\xc3\xa4rlden");
}
END_TEST

START_TEST(damage_and_controls)
{
	static const char controls[] = "a\0b\x1b[31m\tc\x7f\r\nd\re\n";

	/* Declared UTF-8 that is not: each bad sequence a U+FFFD. */
	ck_assert_str_eq(text("(\"charset\" \"utf-8\")", "\"8bit\"", "a\xff" "b\xc3"), "a" FFFD "b" FFFD);
	/* NUL, escape and DEL go, tabs stay, every line end is LF. */
	ck_assert_str_eq(text_n(part("NIL", "\"8bit\""), controls, sizeof(controls) - 1),
	                 "a" FFFD "b" FFFD "[31m\tc" FFFD "\nd\ne\n");
	/* A NUL that base64 hides. */
	ck_assert_str_eq(text("(\"charset\" \"utf-8\")", "\"base64\"", "YQBi"), "a" FFFD "b");
	/* Broken base64 and quoted-printable decode what they can. */
	ck_assert_str_eq(text("(\"charset\" \"utf-8\")", "\"base64\"", "SGVq!!IGTDpQ=="), "Hej d\xc3\xa5");
	ck_assert_str_eq(text("(\"charset\" \"utf-8\")", "\"quoted-printable\"", "a=ZZb=\r\nc=3"), "a=ZZbc=3");
	/* An encoding we do not know: as it is. */
	ck_assert_str_eq(text("(\"charset\" \"utf-8\")", "\"x-uuencode\"", "begin 644"), "begin 644");
	ck_assert_str_eq(text("NIL", "\"8bit\"", ""), "");
}
END_TEST

START_TEST(binary)
{
	struct imap_body *b = bodystructure(arena, "(\"application\" \"pdf\" NIL NIL NIL \"base64\" 8 NIL NIL NIL NIL)");
	char *out;
	size_t n;

	ck_assert_int_eq(mime_decode_binary(arena, b, "JVBE\r\nRgA=", 10, &out, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert(memcmp(out, "%PDF\0", 5) == 0);
	b = bodystructure(arena, "(\"application\" \"pdf\" NIL NIL NIL \"quoted-printable\" 8 NIL NIL NIL NIL)");
	ck_assert_int_eq(mime_decode_binary(arena, b, "=00=FF=\r\nx", 10, &out, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(memcmp(out, "\0\xff" "x", 3) == 0);
	b = bodystructure(arena, "(\"application\" \"pdf\" NIL NIL NIL \"binary\" 3 NIL NIL NIL NIL)");
	ck_assert_int_eq(mime_decode_binary(arena, b, "\r\n\0", 3, &out, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(memcmp(out, "\r\n\0", 3) == 0);
	ck_assert_int_eq(mime_decode_binary(arena, b, NULL, 0, &out, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(out, "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mime_body");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, charsets);
	tcase_add_test(tc, unlabelled_8bit);
	tcase_add_test(tc, damage_and_controls);
	tcase_add_test(tc, binary);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
