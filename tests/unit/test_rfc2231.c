/* Unit tests: MIME parameter values (cgi/rfc2231.c) as servers hand them
 * over in BODYSTRUCTURE: Dovecot's joined "filename*", the raw numbered
 * pieces other servers pass on, RFC 2047 words in plain values, in UTF-8,
 * ISO-8859-1 (read as windows-1252), KOI8-R and unknown charsets, and
 * broken ones: pieces out of order or missing, bad "%", controls. */
#include "config.h"

#include "check_main.h"
#include "mime_fixture.h"
#include "rfc2231.h"
#include "utf8.h"

static struct arena *arena;

static void setup(void)
{
	arena = arena_new(1u << 20);
}

static void teardown(void)
{
	arena_free(arena);
}

#define FFFD UTF8_REPLACEMENT
#define ARSRAPPORT "\xc3\x85rsrapport \xe2\x80\x93 2026.pdf"    /* "Årsrapport – 2026.pdf" */

/* The "filename" of an attachment whose disposition parameters are params
 * (the inside of the list, as the server wrote it). */
static const char *fname(const char *params)
{
	struct imap_body *b = bodystructure(arena, arena_printf(arena,
		"(\"application\" \"pdf\" NIL NIL NIL \"base64\" 1000 NIL (\"attachment\" (%s)) NIL NIL)",
		params));

	return mime_param(arena, b->disp_params, "filename");
}

START_TEST(whole_encoded_values)
{
	/* What Dovecot sends: the pieces already joined into one "name*". */
	ck_assert_str_eq(fname("\"filename*\" \"utf-8''%C3%85rsrapport%20%E2%80%93%202026.pdf\""), ARSRAPPORT);
	ck_assert_str_eq(fname("\"FILENAME*\" \"UTF-8'sv'%C3%85rsrapport%20%E2%80%93%202026.pdf\""), ARSRAPPORT);
	/* ISO-8859-1 is read as windows-1252, where 0x96 is the en dash. */
	ck_assert_str_eq(fname("\"filename*\" \"iso-8859-1''%C5rsrapport%20%96%202026.pdf\""), ARSRAPPORT);
	ck_assert_str_eq(fname("\"filename*\" \"ISO-8859-15''%A4uro.txt\""), "\xe2\x82\xac" "uro.txt");
	ck_assert_str_eq(fname("\"filename*\" \"koi8-r''%F4%C5%D3%D4.txt\""),
	                 "\xd0\xa2\xd0\xb5\xd1\x81\xd1\x82.txt");             /* Тест.txt */
	/* The whole value wins over a plain one. */
	ck_assert_str_eq(fname("\"filename\" \"Arsrapport.pdf\" \"filename*\" \"utf-8''%C3%85.pdf\""),
	                 "\xc3\x85.pdf");
}
END_TEST

START_TEST(numbered_pieces)
{
	/* A character split across pieces survives: bytes are joined first. */
	ck_assert_str_eq(fname("\"filename*0*\" \"utf-8''%C3\" \"filename*1*\" \"%85rsrapport%20%E2%80\" "
	                       "\"filename*2*\" \"%93%202026.pdf\""), ARSRAPPORT);
	/* Encoded and plain pieces mixed (RFC 2231 §4.1's example's shape). */
	ck_assert_str_eq(fname("\"filename*0*\" \"utf-8''%C3%85rsrapport%20\" \"filename*1\" \"- 2026\" "
	                       "\"filename*2*\" \".pdf\""), "\xc3\x85rsrapport - 2026.pdf");
	/* Out of order, as a server may list them. */
	ck_assert_str_eq(fname("\"filename*2*\" \"%93%202026.pdf\" \"filename*0*\" \"utf-8''%C3%85rsrapport\" "
	                       "\"filename*1*\" \"%20%E2%80\""), ARSRAPPORT);
	/* Plain pieces only: joined, then read as a plain value (2047 words too). */
	ck_assert_str_eq(fname("\"filename*0\" \"very long \" \"filename*1\" \"name.pdf\""), "very long name.pdf");
	ck_assert_str_eq(fname("\"filename*0\" \"=?UTF-8?B?w4Vyc3Jh\" \"filename*1\" \"cHBvcnQucGRm?=\""),
	                 "\xc3\x85rsrapport.pdf");
	/* Pieces beat a plain value... */
	ck_assert_str_eq(fname("\"filename\" \"short.pdf\" \"filename*0\" \"long\" \"filename*1\" \"er.pdf\""),
	                 "longer.pdf");
	/* ... if they start at 0. */
	ck_assert_str_eq(fname("\"filename\" \"short.pdf\" \"filename*1\" \"er.pdf\""), "short.pdf");
}
END_TEST

START_TEST(broken_pieces)
{
	/* A gap: what follows it is lost. */
	ck_assert_str_eq(fname("\"filename*0\" \"a\" \"filename*1\" \"b\" \"filename*3\" \"d\""), "ab");
	/* No piece 0 and nothing else: the run from the first one there. */
	ck_assert_str_eq(fname("\"filename*2\" \"c\" \"filename*1\" \"b\""), "bc");
	ck_assert_str_eq(fname("\"filename*1*\" \"utf-8''%C3%A5\""), "utf-8''\xc3\xa5");
	/* A repeat: the first counts. */
	ck_assert_str_eq(fname("\"filename*0\" \"a\" \"filename*0\" \"x\" \"filename*1\" \"b\""), "ab");
	/* Not pieces: a leading zero, letters, a second star, a huge number. */
	ck_assert_ptr_null(fname("\"filename*00\" \"a\" \"filename*x\" \"b\" \"filename**\" \"c\" "
	                         "\"filename*99999\" \"d\" \"filename*1*2\" \"e\""));
	/* Only the first piece names a charset; a later "x''" is text. */
	ck_assert_str_eq(fname("\"filename*0*\" \"utf-8''a\" \"filename*1*\" \"utf-8''b\""), "autf-8''b");
	/* An encoded piece without a charset: UTF-8 if it is, else windows-1252. */
	ck_assert_str_eq(fname("\"filename*0*\" \"%C3%A5\" \"filename*1*\" \"%E5\""), "\xc3\x83\xc2\xa5\xc3\xa5");
	ck_assert_str_eq(fname("\"filename*0*\" \"%C3%A5\""), "\xc3\xa5");
}
END_TEST

START_TEST(bad_bytes)
{
	/* A "%" that is no escape stays. */
	ck_assert_str_eq(fname("\"filename*\" \"utf-8''100%.pdf\""), "100%.pdf");
	ck_assert_str_eq(fname("\"filename*\" \"utf-8''%zz%4\""), "%zz%4");
	/* Without two quotes the whole value is encoded text. */
	ck_assert_str_eq(fname("\"filename*\" \"%C3%A5.pdf\""), "\xc3\xa5.pdf");
	ck_assert_str_eq(fname("\"filename*\" \"utf-8'%C3%A5.pdf\""), "utf-8'\xc3\xa5.pdf");
	/* Unknown and empty charsets: the bytes decide. */
	ck_assert_str_eq(fname("\"filename*\" \"x-no-such''%C3%A5\""), "\xc3\xa5");
	ck_assert_str_eq(fname("\"filename*\" \"x-no-such''%E5\""), "\xc3\xa5");
	ck_assert_str_eq(fname("\"filename*\" \"''%E5\""), "\xc3\xa5");
	ck_assert_str_eq(fname("\"filename*\" \"us-ascii''%C3%A5\""), "\xc3\xa5");
	/* Invalid UTF-8 where UTF-8 is declared, controls, NUL, a tab. */
	ck_assert_str_eq(fname("\"filename*\" \"utf-8''%FF.pdf\""), FFFD ".pdf");
	ck_assert_str_eq(fname("\"filename*\" \"utf-8''a%00b%0D%0Ac%7Fd%09e\""),
	                 "a" FFFD "b" FFFD FFFD "c" FFFD "d e");
	/* glibc's iconv reads "%utf-8" as a UTF-8 that lets U+110000 and up
	 * through; the result is checked all the same. */
	ck_assert_str_eq(fname("\"filename*\" \"%utf-8''%F4%A0%A0%A0.pdf\""), FFFD FFFD FFFD FFFD ".pdf");
	ck_assert_str_eq(fname("\"filename\" \"=?%utf-8?B?9KCgoA==?=.pdf\""), FFFD FFFD FFFD FFFD ".pdf");
	/* A charset that is not a token is no charset. */
	ck_assert_str_eq(fname("\"filename*\" \"utf-8//IGNORE''%E5\""), "\xc3\xa5");
}
END_TEST

START_TEST(plain_values)
{
	struct imap_body *b;

	/* RFC 2047 words in a plain value, where RFC 2047 §5 says they may
	 * not be but mailers put them. */
	b = bodystructure(arena, "(\"application\" \"pdf\" (\"name\" \"=?UTF-8?B?w4Vyc3JhcHBvcnQgLSAyMDI2LnBkZg==?=\") "
	                         "NIL NIL \"base64\" 10 NIL NIL NIL NIL)");
	ck_assert_str_eq(mime_param(arena, b->params, "name"), "\xc3\x85rsrapport - 2026.pdf");
	ck_assert_str_eq(fname("\"filename\" \"=?ISO-8859-1?Q?=C5rsrapport_=96_2026.pdf?=\""), ARSRAPPORT);
	ck_assert_str_eq(fname("\"filename\" \"=?koi8-r?B?9MXT1A==?=.txt\""), "\xd0\xa2\xd0\xb5\xd1\x81\xd1\x82.txt");
	/* Raw 8-bit: UTF-8 when it is, else windows-1252. */
	ck_assert_str_eq(fname("\"filename\" \"\xc3\x85rsrapport.pdf\""), "\xc3\x85rsrapport.pdf");
	ck_assert_str_eq(fname("\"filename\" \"\xc5rsrapport \x96 2026.pdf\""), ARSRAPPORT);
	ck_assert_str_eq(fname("\"filename\" \"plain.pdf\""), "plain.pdf");
	ck_assert_str_eq(fname("\"filename\" \"\""), "");
	/* A literal with a line break in it (quoted strings cannot hold one). */
	ck_assert_str_eq(fname("\"filename\" {5}\r\na\r\nb\x01"), "a b" FFFD);
}
END_TEST

START_TEST(names_and_absence)
{
	struct imap_body *b = bodystructure(arena, "(\"text\" \"plain\" (\"charset\" \"utf-8\" \"filename\" \"x\" "
	                                           "\"name*\" \"utf-8''y\" \"names\" \"z\") NIL NIL \"7bit\" 1 1)");

	ck_assert_str_eq(mime_param(arena, b->params, "charset"), "utf-8");
	ck_assert_str_eq(mime_param(arena, b->params, "name"), "y");
	ck_assert_ptr_null(mime_param(arena, b->params, "file"));     /* a prefix is not a name */
	ck_assert_ptr_null(mime_param(arena, b->params, "boundary"));
	ck_assert_ptr_null(mime_param(arena, NULL, "name"));
	ck_assert_ptr_null(fname("\"size\" \"12\""));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rfc2231");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, whole_encoded_values);
	tcase_add_test(tc, numbered_pieces);
	tcase_add_test(tc, broken_pieces);
	tcase_add_test(tc, bad_bytes);
	tcase_add_test(tc, plain_values);
	tcase_add_test(tc, names_and_absence);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
