/* test_i18n: message catalogs (format, errors, sorted lookups), loading a
 * language directory, and choosing a language from a cookie and an
 * Accept-Language header. */
#include "config.h"

#include "i18n.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_main.h"

struct good_case {
	const char *text;
	const char *key;
	const char *want;         /* NULL: key must be missing */
};

static const struct good_case good_cases[] = {
	{ "a = b\n", "a", "b" },
	{ "a = b", "a", "b" },                               /* no final newline */
	{ "# comment\n\n   \n\t# indented comment\na = b\n", "a", "b" },
	{ "a = b\r\nc = d\r\n", "c", "d" },                  /* CRLF */
	{ "  a   =   spaced out  \t\n", "a", "spaced out" },
	{ "a = b = c\n", "a", "b = c" },
	{ "a.b_c.9 = x\n", "a.b_c.9", "x" },
	{ "greet = Hej {1}, du har {2} brev\n", "greet", "Hej {1}, du har {2} brev" },
	{ "sv = r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s \xe2\x82\xac\n", "sv", "r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s \xe2\x82\xac" },
	{ "html = <b>&amp;</b>\n", "html", "<b>&amp;</b>" },  /* plain text, kept as is */
	{ "tab = a\tb\n", "tab", "a\tb" },
	{ "empty = \n", "empty", "" },
	{ "# a = b\n", "a", NULL },
	{ "", "a", NULL },
	{ "a = b\n", "b", NULL },
	{ "a = b\n", "", NULL },
};

START_TEST(test_parse_good)
{
	const struct good_case *c = &good_cases[_i];
	char err[256] = "";
	struct catalog *cat = catalog_parse("en", c->text, strlen(c->text), err, sizeof(err));
	const char *got;

	ck_assert_msg(cat != NULL, "case %d: %s", _i, err);
	got = catalog_text(cat, c->key);
	if (c->want)
		ck_assert_msg(got && strcmp(got, c->want) == 0, "case %d: got \"%s\"", _i,
		              got ? got : "(null)");
	else
		ck_assert_msg(got == NULL, "case %d: got \"%s\"", _i, got);
	ck_assert_str_eq(catalog_lang(cat), "en");
	catalog_free(cat);
}
END_TEST

struct bad_case {
	const char *text;
	size_t len;                /* 0: strlen(text) */
	const char *err;           /* the whole message */
};

static const struct bad_case bad_cases[] = {
	{ "a=b\n", 0, "en:1: expected 'key = text'" },
	{ "ok = 1\njust text\n", 0, "en:2: expected 'key = text'" },
	{ "a =b\n", 0, "en:1: expected 'key = text'" },
	{ "Abc = x\n", 0, "en:1: bad key 'Abc' (keys are [a-z0-9_.]+)" },
	{ "a-b = x\n", 0, "en:1: bad key 'a-b' (keys are [a-z0-9_.]+)" },
	{ "a b = x\n", 0, "en:1: bad key 'a b' (keys are [a-z0-9_.]+)" },
	{ " = x\n", 0, "en:1: bad key '' (keys are [a-z0-9_.]+)" },
	{ "a = 1\nb = 2\n\na = 3\n", 0, "en:4: key 'a' already defined on line 1" },
	{ "z = 1\na = 2\nz = 3\n", 0, "en:3: key 'z' already defined on line 1" },
	{ "a = 1\nb = \xff\n", 0, "en:2: invalid UTF-8" },
	{ "a = \xc3\n", 0, "en:1: invalid UTF-8" },
	{ "a = \xed\xa0\x80\n", 0, "en:1: invalid UTF-8" },
	{ "\xff# comment\n", 0, "en:1: invalid UTF-8" },
	{ "a = 1\nb = x\0y\n", 14, "en:2: NUL byte" },
	{ "a = x\x1b[31m\n", 0, "en:1: control character in line" },
	{ "a = x\ry\n", 0, "en:1: control character in line" },
};

START_TEST(test_parse_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	char err[256] = "";
	size_t len = c->len ? c->len : strlen(c->text);

	ck_assert_ptr_null(catalog_parse("en", c->text, len, err, sizeof(err)));
	ck_assert_msg(strcmp(err, c->err) == 0, "case %d: got \"%s\", want \"%s\"", _i, err, c->err);
}
END_TEST

START_TEST(test_parse_args)
{
	static const char *const bad_langs[] = { "EN", "e", "engl", "e1", "", "s/v" };
	char err[256] = "", *big;
	size_t i, n = (1u << 20) + 1;

	for (i = 0; i < sizeof(bad_langs) / sizeof(bad_langs[0]); i++) {
		ck_assert_ptr_null(catalog_parse(bad_langs[i], "a = b", 5, err, sizeof(err)));
		ck_assert_ptr_nonnull(strstr(err, "bad language code"));
	}
	ck_assert_ptr_null(catalog_parse(NULL, "a = b", 5, err, sizeof(err)));
	big = malloc(n);
	ck_assert_ptr_nonnull(big);
	memset(big, '#', n);
	ck_assert_ptr_null(catalog_parse("en", big, n, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "larger than"));
	free(big);
	/* a tiny error buffer is cut, never overrun */
	ck_assert_ptr_null(catalog_parse("en", "x", 1, err, 4));
	ck_assert_str_eq(err, "en:");
	ck_assert_ptr_null(catalog_parse("en", "x", 1, NULL, 0));
	catalog_free(NULL);
}
END_TEST

START_TEST(test_sorted_keys)
{
	const char *text = "zeta = z\nalpha = a\nmid.b = 2\nmid.a = 1\nmid = 0\n";
	static const char *const want[] = { "alpha", "mid", "mid.a", "mid.b", "zeta" };
	char err[256];
	struct catalog *c = catalog_parse("sv", text, strlen(text), err, sizeof(err));
	size_t i;

	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(catalog_size(c), 5);
	for (i = 0; i < 5; i++) {
		ck_assert_str_eq(catalog_key_at(c, i), want[i]);
		ck_assert_ptr_nonnull(catalog_text(c, want[i]));
	}
	ck_assert_ptr_null(catalog_key_at(c, 5));
	ck_assert_str_eq(catalog_text(c, "mid.a"), "1");
	ck_assert_ptr_null(catalog_text(c, "mid.c"));
	ck_assert_ptr_null(catalog_text(c, NULL));
	ck_assert_ptr_null(catalog_text(NULL, "a"));
	ck_assert_uint_eq(catalog_size(NULL), 0);
	catalog_free(c);
}
END_TEST

static struct catalog *cat(const char *lang, const char *text)
{
	char err[256];
	struct catalog *c = catalog_parse(lang, text, strlen(text), err, sizeof(err));

	ck_assert_msg(c != NULL, "%s", err);
	return c;
}

static struct catalogs *en_sv(void)
{
	struct catalogs *cs = i18n_new();

	ck_assert_int_eq(i18n_add(cs, cat("sv", "hello = Hej\n")), 0);
	ck_assert_int_eq(i18n_add(cs, cat("en", "hello = Hello\n")), 0);
	return cs;
}

START_TEST(test_set)
{
	struct catalogs *cs = en_sv();

	ck_assert_uint_eq(i18n_count(cs), 2);
	ck_assert_str_eq(catalog_lang(i18n_at(cs, 0)), "en");    /* sorted */
	ck_assert_str_eq(catalog_lang(i18n_at(cs, 1)), "sv");
	ck_assert_ptr_null(i18n_at(cs, 2));
	ck_assert_str_eq(catalog_text(i18n_catalog(cs, "sv"), "hello"), "Hej");
	ck_assert_ptr_eq(i18n_catalog(cs, "SV"), i18n_catalog(cs, "sv"));
	ck_assert_ptr_null(i18n_catalog(cs, "fr"));
	ck_assert_ptr_null(i18n_catalog(cs, NULL));
	ck_assert_int_eq(i18n_add(cs, cat("sv", "x = y\n")), -1);  /* taken, and freed */
	ck_assert_int_eq(i18n_add(cs, NULL), -1);
	ck_assert_uint_eq(i18n_count(cs), 2);
	ck_assert_uint_eq(i18n_count(NULL), 0);
	i18n_free(cs);
	i18n_free(NULL);
}
END_TEST

struct nego_case {
	const char *cookie;
	const char *accept;
	const char *deflt;
	const char *want;          /* NULL: no language */
};

static const struct nego_case nego_cases[] = {
	{ NULL, NULL, "en", "en" },
	{ NULL, "sv-SE,sv;q=0.9,en;q=0.8", "en", "sv" },
	{ NULL, "en;q=0.1, sv;q=0.5", "en", "sv" },
	{ NULL, "fr", "en", "en" },
	{ NULL, "fr", "sv", "sv" },
	{ NULL, "fr, sv;q=0.1", "en", "sv" },
	{ NULL, "en-US,en;q=0.9,sv;q=0.8", "sv", "en" },
	{ NULL, "SV-se", "en", "sv" },
	{ NULL, "sv, en", "en", "sv" },                  /* equal q: the first */
	{ NULL, "en, sv", "sv", "en" },
	{ NULL, "  sv ; q=0.7 , en ; q=0.6", "en", "sv" },
	{ NULL, "sv;Q=0.5,en;q=0.4", "en", "sv" },
	{ NULL, "sv;level=1;q=0.9, en;q=0.8", "en", "sv" },
	{ NULL, "sv;q=0", "en", "en" },                   /* q=0: not acceptable */
	{ NULL, "sv;q=0.000, en;q=0.001", "sv", "en" },
	{ NULL, "sv;q=1.0", "en", "sv" },
	{ NULL, "sv;q=1.000", "en", "sv" },
	{ NULL, "*", "sv", "sv" },
	{ NULL, "fr, *;q=0.5", "sv", "sv" },
	{ NULL, "*;q=0.5, en", "sv", "en" },
	/* the cookie wins when it names a loaded catalog */
	{ "sv", "en", "en", "sv" },
	{ "SV", "en", "en", "sv" },
	{ "fr", "sv", "en", "sv" },
	{ "sv-SE", NULL, "en", "en" },
	{ "", NULL, "sv", "sv" },
	/* malformed: skipped, never trusted */
	{ NULL, "sv;q=1.5", "en", "en" },
	{ NULL, "sv;q=0.5x", "en", "en" },
	{ NULL, "sv;q=", "en", "en" },
	{ NULL, "sv;q=0.1234", "en", "en" },
	{ NULL, "sv;q=-1", "en", "en" },
	{ NULL, "sv;q=.5", "en", "en" },
	{ NULL, "sv;q=0.5;q=x, en;q=0.1", "sv", "en" },
	{ NULL, "", "en", "en" },
	{ NULL, ",,,", "en", "en" },
	{ NULL, ";;;", "en", "en" },
	{ NULL, "q=1", "en", "en" },
	{ NULL, "sv;;q=0.5", "en", "sv" },
	{ NULL, "\xff\xfe, sv", "en", "sv" },
	{ NULL, "-sv", "en", "en" },
	{ NULL, "sv-", "en", "en" },
	{ NULL, "sv--se", "en", "en" },
	{ NULL, "123", "en", "en" },
	{ NULL, "sv-toolongsubtag", "en", "en" },
	{ NULL, "svabcdefgh", "en", "en" },
	{ NULL, "s v", "en", "en" },
	{ NULL, "sv-419", "en", "sv" },
	/* no language at all when the default is not loaded */
	{ NULL, "fr", "de", NULL },
	{ NULL, NULL, NULL, NULL },
	{ NULL, "sv", "de", "sv" },
};

START_TEST(test_negotiate)
{
	const struct nego_case *c = &nego_cases[_i];
	struct catalogs *cs = en_sv();
	const char *got = i18n_negotiate(cs, c->cookie, c->accept, c->deflt);

	if (c->want)
		ck_assert_msg(got && strcmp(got, c->want) == 0, "case %d (%s): got %s", _i,
		              c->accept ? c->accept : "", got ? got : "NULL");
	else
		ck_assert_msg(got == NULL, "case %d: got %s", _i, got);
	i18n_free(cs);
}
END_TEST

START_TEST(test_negotiate_long_headers)
{
	struct catalogs *cs = en_sv();
	char *h = malloc(100000);
	size_t i;

	ck_assert_ptr_nonnull(h);
	/* a few junk items, then a real one: found */
	strcpy(h, "x,x,x,x,x,x,x,x,x,x,sv");
	ck_assert_str_eq(i18n_negotiate(cs, NULL, h, "en"), "sv");
	/* past the work limits: ignored, and fast */
	for (i = 0; i < 99990; i += 2)
		memcpy(h + i, "x,", 2);
	strcpy(h + i, "sv");
	ck_assert_str_eq(i18n_negotiate(cs, NULL, h, "en"), "en");
	memset(h, ' ', 99990);
	strcpy(h + 99990, "sv");
	ck_assert_str_eq(i18n_negotiate(cs, NULL, h, "en"), "en");
	ck_assert_ptr_null(i18n_negotiate(NULL, "sv", "sv", "en"));
	free(h);
	i18n_free(cs);
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

START_TEST(test_load_dir)
{
	char dir[] = "/tmp/test_i18n.XXXXXX", path[600], err[512] = "", want[600];
	struct catalogs *cs;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	cs = i18n_load_dir(dir, err, sizeof(err));
	ck_assert_ptr_null(cs);
	ck_assert_msg(strstr(err, "no catalogs") != NULL, "%s", err);
	write_file(dir, "en", "hello = Hello\n");
	write_file(dir, "sv", "hello = Hej\n");
	write_file(dir, "README", "not a catalog\n");
	write_file(dir, "EN", "not = loaded\n");
	write_file(dir, "sv~", "not a catalog\n");
	write_file(dir, "english", "not a catalog\n");
	snprintf(path, sizeof(path), "%s/de", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	cs = i18n_load_dir(dir, err, sizeof(err));
	ck_assert_msg(cs != NULL, "%s", err);
	ck_assert_uint_eq(i18n_count(cs), 2);
	ck_assert_str_eq(catalog_text(i18n_catalog(cs, "sv"), "hello"), "Hej");
	i18n_free(cs);

	write_file(dir, "fi", "hello = Hei\nhello = Moi\n");
	ck_assert_ptr_null(i18n_load_dir(dir, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s/fi:2: key 'hello' already defined on line 1", dir);
	ck_assert_str_eq(err, want);

	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(path), 0);
	ck_assert_ptr_null(i18n_load_dir(dir, err, sizeof(err)));
	ck_assert_msg(strstr(err, "No such file") != NULL, "%s", err);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *i18n_suite(void)
{
	Suite *s = suite_create("i18n");
	TCase *tp = tcase_create("parse");
	TCase *tn = tcase_create("negotiate");

	tcase_add_loop_test(tp, test_parse_good, 0, N(good_cases));
	tcase_add_loop_test(tp, test_parse_bad, 0, N(bad_cases));
	tcase_add_test(tp, test_parse_args);
	tcase_add_test(tp, test_sorted_keys);
	tcase_add_test(tp, test_load_dir);
	tcase_add_test(tn, test_set);
	tcase_add_loop_test(tn, test_negotiate, 0, N(nego_cases));
	tcase_add_test(tn, test_negotiate_long_headers);
	suite_add_tcase(s, tp);
	suite_add_tcase(s, tn);
	return s;
}

CHECK_MAIN(i18n_suite)
