/* test_form: application/x-www-form-urlencoded parsing, url_decode and the
 * param list lookups, including every limit at and one past its value. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "form.h"
#include "params.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"

static const struct req_limits big = {
	.max_body = 1 << 20, .max_fields = 10000, .max_name = 256,
	.max_value = 1 << 16, .max_upload = 1 << 20, .max_files = 4,
	.max_cookies = 50, .max_header = 4096,
};

/* The list as "name=value|name=value" for one-line comparisons. */
static const char *dump(struct arena *a, const struct param *p)
{
	struct buf b = BUF_INIT;
	char *s;

	for (; p; p = p->next) {
		ck_assert_uint_eq(p->len, strlen(p->value));
		buf_printf(&b, "%s%s=%s", b.len ? "|" : "", p->name, p->value);
	}
	s = arena_strdup(a, b.len ? b.p : "");
	buf_free(&b);
	return s;
}

struct form_case {
	const char *in;
	int rc;
	const char *want;    /* dump() of the result when rc is PARSE_OK */
};

static const struct form_case cases[] = {
	{ "a=1&b=x+y&c=%C3%A5", PARSE_OK, "a=1|b=x y|c=\xc3\xa5" },
	{ "", PARSE_OK, "" },
	{ "&&&", PARSE_OK, "" },
	{ "a=1&&b=2", PARSE_OK, "a=1|b=2" },
	{ "a=1&", PARSE_OK, "a=1" },
	{ "&a=1", PARSE_OK, "a=1" },
	{ "a", PARSE_OK, "a=" },
	{ "a=", PARSE_OK, "a=" },
	{ "=x", PARSE_OK, "=x" },
	{ "a=b=c", PARSE_OK, "a=b=c" },
	{ "a=1&a=2", PARSE_OK, "a=1|a=2" },
	{ "%41%42=%7e", PARSE_OK, "AB=~" },
	{ "c=%c3%a5", PARSE_OK, "c=\xc3\xa5" },
	{ "a=%2B%26%3D%25", PARSE_OK, "a=+&=%" },
	{ "a+b=c+d", PARSE_OK, "a b=c d" },
	{ "a=%20+%20", PARSE_OK, "a=   " },
	{ "\xff=\x80", PARSE_OK, "\xff=\x80" },
	{ "a=%G1", PARSE_BAD, NULL },
	{ "a=%1G", PARSE_BAD, NULL },
	{ "a=%4", PARSE_BAD, NULL },
	{ "a=%", PARSE_BAD, NULL },
	{ "a=%%41", PARSE_BAD, NULL },
	{ "%zz=1", PARSE_BAD, NULL },
	{ "ok=1&a=%00", PARSE_BAD, NULL },
	{ "%00=a", PARSE_BAD, NULL },
};

START_TEST(test_form_table)
{
	const struct form_case *c = &cases[_i];
	struct arena *a = arena_new(0);
	struct param *out = NULL;
	int rc = form_parse_urlencoded(a, c->in, strlen(c->in), &big, &out);

	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d", c->in, rc, c->rc);
	if (c->rc == PARSE_OK)
		ck_assert_str_eq(dump(a, out), c->want);
	else
		ck_assert_ptr_null(out);
	arena_free(a);
}
END_TEST

START_TEST(test_form_raw_nul)
{
	struct arena *a = arena_new(0);
	struct param *out = NULL;

	ck_assert_int_eq(form_parse_urlencoded(a, "a=1\0b", 5, &big, &out), PARSE_BAD);
	ck_assert_int_eq(form_parse_urlencoded(a, "\0", 1, &big, &out), PARSE_BAD);
	ck_assert_ptr_null(out);
	/* n bounds the input: bytes after it are never read. */
	ck_assert_int_eq(form_parse_urlencoded(a, "a=1&b=%zz", 3, &big, &out), PARSE_OK);
	ck_assert_str_eq(dump(a, out), "a=1");
	arena_free(a);
}
END_TEST

START_TEST(test_form_appends_and_keeps_on_error)
{
	struct arena *a = arena_new(0);
	struct param *out = NULL;

	ck_assert_int_eq(form_parse_urlencoded(a, "q=1", 3, &big, &out), PARSE_OK);
	ck_assert_int_eq(form_parse_urlencoded(a, "b=2&c=3", 7, &big, &out), PARSE_OK);
	ck_assert_str_eq(dump(a, out), "q=1|b=2|c=3");
	/* A failed parse adds nothing, not even the good pairs before the bad one. */
	ck_assert_int_eq(form_parse_urlencoded(a, "d=4&e=%", 7, &big, &out), PARSE_BAD);
	ck_assert_str_eq(dump(a, out), "q=1|b=2|c=3");
	arena_free(a);
}
END_TEST

/* Each limit: a body exactly at it parses, one byte or field more is 413. */
struct limit_case {
	const char *what;
	size_t max_body, max_fields, max_name, max_value;
	const char *at, *over;
};

static const struct limit_case limit_cases[] = {
	{ "body", 7, 100, 100, 100, "a=1&b=2", "a=1&b=22" },
	{ "body empty", 0, 100, 100, 100, "", "a" },
	{ "fields", 100, 3, 100, 100, "a=1&b=2&&c=3&", "a=1&b=2&c=3&d" },
	{ "fields zero", 100, 0, 100, 100, "&&", "a" },
	{ "name", 100, 100, 3, 100, "abc=1", "abcd=1" },
	{ "name decoded", 100, 100, 3, 100, "%41%42%43=1", "%41%42%43%44=1" },
	{ "name plus", 100, 100, 3, 100, "a+b=1", "a++b=1" },
	{ "value", 100, 100, 100, 4, "a=wxyz", "a=vwxyz" },
	{ "value decoded", 100, 100, 100, 2, "a=%C3%A5", "a=%C3%A5x" },
	{ "value empty", 100, 100, 100, 0, "a=&b", "a=1" },
};

START_TEST(test_form_limits)
{
	const struct limit_case *c = &limit_cases[_i];
	struct req_limits lim = big;
	struct arena *a = arena_new(0);
	struct param *out = NULL;
	int rc;

	lim.max_body = c->max_body;
	lim.max_fields = c->max_fields;
	lim.max_name = c->max_name;
	lim.max_value = c->max_value;
	rc = form_parse_urlencoded(a, c->at, strlen(c->at), &lim, &out);
	ck_assert_msg(rc == PARSE_OK, "%s: at the limit rc %d", c->what, rc);
	out = NULL;
	rc = form_parse_urlencoded(a, c->over, strlen(c->over), &lim, &out);
	ck_assert_msg(rc == PARSE_TOO_LARGE, "%s: over the limit rc %d", c->what, rc);
	ck_assert_ptr_null(out);
	arena_free(a);
}
END_TEST

START_TEST(test_form_many_fields)
{
	struct arena *a = arena_new(0);
	struct param *out = NULL;
	const struct param *p;
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < 5000; i++)
		buf_printf(&b, "%sf%zu=v%zu", i ? "&" : "", i, i * 7);
	ck_assert_int_eq(form_parse_urlencoded(a, b.p, b.len, &big, &out), PARSE_OK);
	ck_assert_uint_eq(param_count(out), 5000);
	for (i = 0, p = out; p; p = p->next, i++) {
		char name[32], value[32];

		snprintf(name, sizeof(name), "f%zu", i);
		snprintf(value, sizeof(value), "v%zu", i * 7);
		ck_assert_str_eq(p->name, name);
		ck_assert_str_eq(p->value, value);
	}
	ck_assert_str_eq(param_get(out, "f4999"), "v34993");
	buf_free(&b);
	arena_free(a);
}
END_TEST

START_TEST(test_form_nomem)
{
	struct arena *a = arena_new(256);
	struct param *out = NULL;
	char body[2048];

	memset(body, 'x', sizeof(body));
	body[0] = 'a';
	body[1] = '=';
	ck_assert_int_eq(form_parse_urlencoded(a, body, sizeof(body), &big, &out),
	                 PARSE_NOMEM);
	ck_assert_ptr_null(out);
	arena_free(a);
}
END_TEST

START_TEST(test_url_decode)
{
	char dst[64];

	ck_assert_uint_eq(url_decode(dst, "a+b%20c", 7, 1), 5);
	ck_assert_str_eq(dst, "a b c");
	ck_assert_uint_eq(url_decode(dst, "a+b%2b", 6, 0), 4);
	ck_assert_str_eq(dst, "a+b+");
	ck_assert_uint_eq(url_decode(dst, "", 0, 1), 0);
	ck_assert_str_eq(dst, "");
	ck_assert_uint_eq(url_decode(dst, "%00x", 4, 1), 2);
	ck_assert_int_eq(dst[0], '\0');
	ck_assert_int_eq(dst[1], 'x');
	ck_assert_uint_eq(url_decode(dst, "%fF%Ff", 6, 1), 2);
	ck_assert_int_eq((unsigned char)dst[0], 0xff);
	ck_assert_uint_eq(url_decode(dst, "ab%", 3, 1), (size_t)-1);
	ck_assert_uint_eq(url_decode(dst, "ab%4", 4, 1), (size_t)-1);
	ck_assert_uint_eq(url_decode(dst, "%4g", 3, 1), (size_t)-1);
	ck_assert_uint_eq(url_decode(dst, "% 41", 4, 1), (size_t)-1);
	/* The length bounds the read: the escape past n is not looked at. */
	ck_assert_uint_eq(url_decode(dst, "ab%41", 2, 1), 2);
	ck_assert_str_eq(dst, "ab");
}
END_TEST

START_TEST(test_params)
{
	struct arena *a = arena_new(0);
	struct param *out = NULL;
	const char *s = "a=1&b=2&a=3&empty=";

	ck_assert_uint_eq(param_count(NULL), 0);
	ck_assert_ptr_null(param_find(NULL, "a"));
	ck_assert_ptr_null(param_get(NULL, "a"));
	ck_assert_int_eq(form_parse_urlencoded(a, s, strlen(s), &big, &out), PARSE_OK);
	ck_assert_uint_eq(param_count(out), 4);
	ck_assert_str_eq(param_get(out, "a"), "1");
	ck_assert_ptr_eq(param_find(out, "a"), out);
	ck_assert_str_eq(param_get(out, "b"), "2");
	ck_assert_str_eq(param_get(out, "empty"), "");
	ck_assert_ptr_null(param_get(out, "A"));
	ck_assert_ptr_null(param_get(out, "c"));
	arena_free(a);
}
END_TEST

static Suite *form_suite(void)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_form_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_form_raw_nul);
	tcase_add_test(tc, test_form_appends_and_keeps_on_error);
	tcase_add_loop_test(tc, test_form_limits, 0,
	                    (int)(sizeof(limit_cases) / sizeof(limit_cases[0])));
	tcase_add_test(tc, test_form_many_fields);
	tcase_add_test(tc, test_form_nomem);
	tcase_add_test(tc, test_url_decode);
	tcase_add_test(tc, test_params);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(form_suite)
