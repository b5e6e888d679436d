/* Unit tests: the Date: header parser (cgi/maildate.c). */
#include "config.h"

#include "check_main.h"

#include "maildate.h"

START_TEST(rfc5322_dates)
{
	/* 2026-10-19 06:12:40 UTC */
	ck_assert_int_eq(mail_date_parse("Mon, 19 Oct 2026 08:12:40 +0200"), 1792390360);
	ck_assert_int_eq(mail_date_parse("19 Oct 2026 08:12:40 +0200"), 1792390360);
	ck_assert_int_eq(mail_date_parse("  Mon,19 Oct 2026 06:12:40 +0000 (UTC)"), 1792390360);
	ck_assert_int_eq(mail_date_parse("Mon, 19 Oct 2026 01:12:40 -0500"), 1792390360);
	ck_assert_int_eq(mail_date_parse("Mon, 19 oct 2026 06:12 +0000"), 1792390320);
	/* RFC 5322 A.1.1's example */
	ck_assert_int_eq(mail_date_parse("Fri, 21 Nov 1997 09:55:06 -0600"), 880127706);
}
END_TEST

START_TEST(obsolete_forms)
{
	ck_assert_int_eq(mail_date_parse("Fri, 21 Nov 97 09:55:06 CST"), 880127706);
	ck_assert_int_eq(mail_date_parse("21 Nov 1997 15:55:06 GMT"), 880127706);
	ck_assert_int_eq(mail_date_parse("21 Nov 1997 15:55:06 Z"), 880127706);
	ck_assert_int_eq(mail_date_parse("21 Nov 1997 15:55:06"), 880127706);
	ck_assert_int_eq(mail_date_parse("Thu, 1 Jan 10 00:00:00 +0000"), 1262304000);
}
END_TEST

START_TEST(not_dates)
{
	ck_assert_int_eq(mail_date_parse(NULL), 0);
	ck_assert_int_eq(mail_date_parse(""), 0);
	ck_assert_int_eq(mail_date_parse("yesterday"), 0);
	ck_assert_int_eq(mail_date_parse("Mon 19 Oct 2026 08:12:40"), 0);   /* day name without comma */
	ck_assert_int_eq(mail_date_parse("32 Oct 2026 08:12:40 +0000"), 0);
	ck_assert_int_eq(mail_date_parse("19 Foo 2026 08:12:40 +0000"), 0);
	ck_assert_int_eq(mail_date_parse("19 Oct 2026 24:00:00 +0000"), 0);
	ck_assert_int_eq(mail_date_parse("19 Oct 2026 08"), 0);
	ck_assert_int_eq(mail_date_parse("19 Oct 1800 08:00 +0000"), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("maildate");
	TCase *t = tcase_create("maildate");

	tcase_add_test(t, rfc5322_dates);
	tcase_add_test(t, obsolete_forms);
	tcase_add_test(t, not_dates);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(suite)
