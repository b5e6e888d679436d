/* Unit tests: numbers for people (fmt.c), links (page_link) and the
 * helper-error-to-message table (errtext.c), with the shipped catalogs
 * loaded from $QA_SRCDIR (set by make check). */
#include "config.h"

#include "check_main.h"

#include "arena.h"
#include "err.h"
#include "errtext.h"
#include "fmt.h"
#include "i18n.h"
#include "page.h"
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct catalogs *cats;
static struct arena *arena;
static struct request req;
static struct ctx c;

static void setup(void)
{
	const char *src = getenv("QA_SRCDIR");
	char dir[4096], err[256];

	snprintf(dir, sizeof(dir), "%s/templates/lang", src ? src : ".");
	cats = i18n_load_dir(dir, err, sizeof(err));
	ck_assert_msg(cats != NULL, "%s", err);
	arena = arena_new(1 << 20);
	ck_assert_ptr_nonnull(arena);
	memset(&req, 0, sizeof(req));
	req.script_name = "/cgi-bin/qmailadmin";
	memset(&c, 0, sizeof(c));
	c.req = &req;
	c.a = arena;
	c.cat = i18n_catalog(cats, "en");
	ck_assert_ptr_nonnull(c.cat);
}

static void teardown(void)
{
	i18n_free(cats);
	arena_free(arena);
}

START_TEST(bytes_english)
{
	ck_assert_str_eq(fmt_bytes(&c, 0), "0 B");
	ck_assert_str_eq(fmt_bytes(&c, 1023), "1023 B");
	ck_assert_str_eq(fmt_bytes(&c, 1024), "1.0 KB");
	ck_assert_str_eq(fmt_bytes(&c, 1536), "1.5 KB");
	ck_assert_str_eq(fmt_bytes(&c, 10 * 1024 - 1), "10 KB");
	ck_assert_str_eq(fmt_bytes(&c, 50ull << 20), "50 MB");
	ck_assert_str_eq(fmt_bytes(&c, (1ull << 30) + (1ull << 29)), "1.5 GB");
	ck_assert_str_eq(fmt_bytes(&c, 1023ull << 20), "1023 MB");
	ck_assert_str_eq(fmt_bytes(&c, 3ull << 40), "3.0 TB");
	ck_assert_ptr_nonnull(fmt_bytes(&c, UINT64_MAX));
}
END_TEST

START_TEST(bytes_and_counts_swedish)
{
	c.cat = i18n_catalog(cats, "sv");
	ck_assert_str_eq(fmt_bytes(&c, 1536), "1,5 KB");
	ck_assert_str_eq(fmt_count(&c, 100000), "100\xe2\x80\xaf" "000");
	ck_assert_str_eq(fmt_count(&c, 999), "999");
}
END_TEST

START_TEST(counts_english)
{
	ck_assert_str_eq(fmt_count(&c, 0), "0");
	ck_assert_str_eq(fmt_count(&c, 1000), "1,000");
	ck_assert_str_eq(fmt_count(&c, 100000), "100,000");
	ck_assert_str_eq(fmt_count(&c, 1234567), "1,234,567");
	ck_assert_str_eq(fmt_count(&c, UINT64_MAX), "18,446,744,073,709,551,615");
}
END_TEST

START_TEST(percent)
{
	ck_assert_uint_eq(fmt_percent(0, 0), 0);
	ck_assert_uint_eq(fmt_percent(5, 0), 0);
	ck_assert_uint_eq(fmt_percent(1, 3), 33);
	ck_assert_uint_eq(fmt_percent(3, 3), 100);
	ck_assert_uint_eq(fmt_percent(7, 3), 100);
}
END_TEST

START_TEST(links_are_escaped)
{
	ck_assert_str_eq(page_link(&c, "/users", NULL), "/cgi-bin/qmailadmin/users");
	ck_assert_str_eq(page_link(&c, "/users", "domain", "emak.se", "q", NULL, "page", "2", NULL),
	                 "/cgi-bin/qmailadmin/users?domain=emak.se&page=2");
	ck_assert_str_eq(page_link(&c, "/users", "q", "a&b=<c> d/\"", NULL),
	                 "/cgi-bin/qmailadmin/users?q=a%26b%3D%3Cc%3E%20d%2F%22");
}
END_TEST

START_TEST(error_keys)
{
	struct qa_error e;

	qa_fail(&e, QA_ERR_INVALID, "password", "x");
	ck_assert_str_eq(errtext_key(&e), "err.invalid.password");
	qa_fail(&e, QA_ERR_INVALID, "nosuchfield", "x");
	ck_assert_str_eq(errtext_key(&e), "err.invalid");
	qa_fail(&e, QA_ERR_EXISTS, "user", "x");
	ck_assert_str_eq(errtext_key(&e), "err.exists.user");
	qa_fail(&e, QA_ERR_BUSY_CATCHALL, "user", "x");
	ck_assert_str_eq(errtext_key(&e), "err.catchall");
	qa_fail(&e, QA_ERR_IO, "", "x");
	ck_assert_str_eq(errtext_key(&e), "err.failed");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fmt");
	TCase *t = tcase_create("fmt");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, bytes_english);
	tcase_add_test(t, bytes_and_counts_swedish);
	tcase_add_test(t, counts_english);
	tcase_add_test(t, percent);
	tcase_add_test(t, links_are_escaped);
	tcase_add_test(t, error_keys);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(suite)
