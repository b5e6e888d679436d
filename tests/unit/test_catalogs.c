/* test_catalogs: the shipped templates and message catalogs agree. Loads the
 * real templates/ and templates/lang/ from $QA_SRCDIR (set by make check)
 * and checks that every template parses and links, that every key a
 * template uses is in every catalog, that all catalogs have the key set of
 * "en" with the same {N} placeholders, and that no message is empty. A
 * failure names each offending key. */
#include "config.h"

#include "buf.h"
#include "i18n.h"
#include "template.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"

static struct tmpl_set *templates;
static struct catalogs *catalogs;
static char tmpl_err[512], lang_err[512];
static struct buf problems = BUF_INIT;   /* one line per problem found */

static void load(void)
{
	const char *src = getenv("QA_SRCDIR");
	char dir[4096];

	if (!src || !*src)
		src = ".";
	snprintf(dir, sizeof(dir), "%s/templates", src);
	templates = tmpl_load_dir(dir, tmpl_err, sizeof(tmpl_err));
	snprintf(dir, sizeof(dir), "%s/templates/lang", src);
	catalogs = i18n_load_dir(dir, lang_err, sizeof(lang_err));
}

static void unload(void)
{
	tmpl_set_free(templates);
	i18n_free(catalogs);
	buf_free(&problems);
	templates = NULL;
	catalogs = NULL;
}

/* Ends a check whose problems were collected in the problems buffer. The
 * buffer is freed by the fixture: a failed assertion does not return. */
static void assert_none(const char *what)
{
	ck_assert_msg(!buf_failed(&problems), "out of memory");
	ck_assert_msg(problems.len == 0, "%s:\n%s", what, problems.p);
}

START_TEST(test_templates_load)
{
	ck_assert_msg(templates != NULL, "templates: %s", tmpl_err);
}
END_TEST

START_TEST(test_catalogs_load)
{
	ck_assert_msg(catalogs != NULL, "catalogs: %s", lang_err);
	ck_assert_msg(i18n_catalog(catalogs, "en") != NULL, "no \"en\" catalog");
}
END_TEST

static void check_key(const char *tmpl, const char *key, void *ctx)
{
	struct buf *b = ctx;
	size_t i;

	for (i = 0; i < i18n_count(catalogs); i++) {
		const struct catalog *c = i18n_at(catalogs, i);

		if (!catalog_text(c, key))
			buf_printf(b, "  %s.html uses '%s', missing in %s\n", tmpl, key,
			           catalog_lang(c));
	}
}

START_TEST(test_template_keys_exist)
{
	ck_assert_msg(templates && catalogs, "not loaded: %s %s", tmpl_err, lang_err);
	buf_reset(&problems);
	tmpl_foreach_key(templates, check_key, &problems);
	assert_none("catalog keys used by templates but not defined");
}
END_TEST

/* Lines "  LANG lacks 'KEY'" for each key of a that b lacks. */
static void keys_missing(struct buf *out, const struct catalog *a, const struct catalog *b)
{
	size_t i;

	for (i = 0; i < catalog_size(a); i++)
		if (!catalog_text(b, catalog_key_at(a, i)))
			buf_printf(out, "  %s lacks '%s' (defined in %s)\n", catalog_lang(b),
			           catalog_key_at(a, i), catalog_lang(a));
}

START_TEST(test_same_keys_as_en)
{
	const struct catalog *en = catalogs ? i18n_catalog(catalogs, "en") : NULL;
	size_t i;

	ck_assert_msg(en != NULL, "no \"en\" catalog: %s", lang_err);
	buf_reset(&problems);
	for (i = 0; i < i18n_count(catalogs); i++) {
		const struct catalog *c = i18n_at(catalogs, i);

		keys_missing(&problems, en, c);
		keys_missing(&problems, c, en);
	}
	assert_none("catalogs differ from en");
}
END_TEST

START_TEST(test_no_empty_text)
{
	size_t i, k;

	ck_assert_msg(catalogs != NULL, "%s", lang_err);
	buf_reset(&problems);
	for (i = 0; i < i18n_count(catalogs); i++) {
		const struct catalog *c = i18n_at(catalogs, i);

		for (k = 0; k < catalog_size(c); k++)
			if (!*catalog_text(c, catalog_key_at(c, k)))
				buf_printf(&problems, "  %s: '%s' is empty\n", catalog_lang(c),
				           catalog_key_at(c, k));
	}
	assert_none("empty messages");
}
END_TEST

/* The {1}..{9} a text uses, as a bit set. */
static unsigned placeholders(const char *s)
{
	unsigned set = 0;

	for (; (s = strchr(s, '{')) != NULL; s++)
		if (s[1] >= '1' && s[1] <= '9' && s[2] == '}')
			set |= 1u << (s[1] - '0');
	return set;
}

START_TEST(test_same_placeholders)
{
	const struct catalog *en = catalogs ? i18n_catalog(catalogs, "en") : NULL;
	size_t i, k;

	ck_assert_msg(en != NULL, "no \"en\" catalog: %s", lang_err);
	buf_reset(&problems);
	for (i = 0; i < i18n_count(catalogs); i++) {
		const struct catalog *c = i18n_at(catalogs, i);

		for (k = 0; k < catalog_size(en); k++) {
			const char *key = catalog_key_at(en, k);
			const char *text = catalog_text(c, key);

			if (text && placeholders(text) != placeholders(catalog_text(en, key)))
				buf_printf(&problems, "  %s: '%s' has other {N} placeholders than en\n",
				           catalog_lang(c), key);
		}
	}
	assert_none("placeholders differ");
}
END_TEST

static Suite *catalogs_suite(void)
{
	Suite *s = suite_create("catalogs");
	TCase *tc = tcase_create("shipped");

	tcase_add_unchecked_fixture(tc, load, unload);
	tcase_add_test(tc, test_templates_load);
	tcase_add_test(tc, test_catalogs_load);
	tcase_add_test(tc, test_template_keys_exist);
	tcase_add_test(tc, test_same_keys_as_en);
	tcase_add_test(tc, test_no_empty_text);
	tcase_add_test(tc, test_same_placeholders);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(catalogs_suite)
