/* test_cookie: the Cookie header parser: the shapes browsers send, quoting,
 * control bytes, and both limits at and one past their value. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "cookie.h"
#include "params.h"

#include <check.h>
#include <string.h>

#include "check_main.h"

static const struct req_limits lim = {
	.max_body = 4096, .max_fields = 100, .max_name = 64, .max_value = 256,
	.max_upload = 4096, .max_files = 1, .max_cookies = 20, .max_header = 4096,
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

struct cookie_case {
	const char *in;
	int rc;
	const char *want;
};

static const struct cookie_case cases[] = {
	{ "a=1; b=2", PARSE_OK, "a=1|b=2" },
	{ "a=1;b=2", PARSE_OK, "a=1|b=2" },
	{ "  a = 1  ;   b=2 ; ", PARSE_OK, "a=1|b=2" },
	{ "", PARSE_OK, "" },
	{ ";;; ;", PARSE_OK, "" },
	{ "sid=\"abc def\"", PARSE_OK, "sid=abc def" },
	{ "q=\"\"", PARSE_OK, "q=" },
	{ "q=\"", PARSE_OK, "q=\"" },
	{ "q=\"a", PARSE_OK, "q=\"a" },
	{ "q=a\"b\"", PARSE_OK, "q=a\"b\"" },
	{ "flag; a=1", PARSE_OK, "a=1" },
	{ "=x; a=1", PARSE_OK, "a=1" },
	{ " =x", PARSE_OK, "" },
	{ "a=; b", PARSE_OK, "a=" },
	{ "a=b=c", PARSE_OK, "a=b=c" },
	{ "a=%41+", PARSE_OK, "a=%41+" },
	{ "a=1; a=2", PARSE_OK, "a=1|a=2" },
	{ "n=\xc3\xa5", PARSE_OK, "n=\xc3\xa5" },
	{ "a=1\tb", PARSE_BAD, NULL },
	{ "a=1\r\nb=2", PARSE_BAD, NULL },
	{ "a=\x7f", PARSE_BAD, NULL },
	{ "\x01=1", PARSE_BAD, NULL },
	{ "a=1; b=\x1f", PARSE_BAD, NULL },
};

START_TEST(test_cookie_table)
{
	const struct cookie_case *c = &cases[_i];
	struct arena *a = arena_new(0);
	struct param *out = NULL;
	int rc = cookie_parse(a, c->in, &lim, &out);

	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d", c->in, rc, c->rc);
	if (rc == PARSE_OK)
		ck_assert_str_eq(dump(a, out), c->want);
	else
		ck_assert_ptr_null(out);
	arena_free(a);
}
END_TEST

START_TEST(test_cookie_null_and_append)
{
	struct arena *a = arena_new(0);
	struct param *out = NULL;

	ck_assert_int_eq(cookie_parse(a, NULL, &lim, &out), PARSE_OK);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(cookie_parse(a, "a=1", &lim, &out), PARSE_OK);
	ck_assert_int_eq(cookie_parse(a, "b=2; c=3", &lim, &out), PARSE_OK);
	ck_assert_str_eq(dump(a, out), "a=1|b=2|c=3");
	ck_assert_int_eq(cookie_parse(a, "d=4; e=\x02", &lim, &out), PARSE_BAD);
	ck_assert_str_eq(dump(a, out), "a=1|b=2|c=3");
	ck_assert_str_eq(param_get(out, "b"), "2");
	arena_free(a);
}
END_TEST

static char *repeat_cookies(struct arena *a, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;
	char *s;

	for (i = 0; i < n; i++)
		buf_printf(&b, "%sc%zu=%zu", i ? "; " : "", i, i);
	s = arena_strdup(a, b.len ? b.p : "");
	buf_free(&b);
	return s;
}

START_TEST(test_cookie_count_limit)
{
	struct arena *a = arena_new(0);
	struct param *out = NULL;
	char *at = repeat_cookies(a, lim.max_cookies);
	char *over = repeat_cookies(a, lim.max_cookies + 1);
	char *skipped;

	ck_assert_int_eq(cookie_parse(a, at, &lim, &out), PARSE_OK);
	ck_assert_uint_eq(param_count(out), lim.max_cookies);
	ck_assert_str_eq(out->name, "c0");
	ck_assert_str_eq(param_get(out, "c19"), "19");
	out = NULL;
	ck_assert_int_eq(cookie_parse(a, over, &lim, &out), PARSE_TOO_LARGE);
	ck_assert_ptr_null(out);
	/* Pieces that are skipped do not count. */
	skipped = arena_printf(a, "%s; x; =y; ;", at);
	ck_assert_int_eq(cookie_parse(a, skipped, &lim, &out), PARSE_OK);
	ck_assert_uint_eq(param_count(out), lim.max_cookies);
	arena_free(a);
}
END_TEST

START_TEST(test_cookie_header_limit)
{
	struct req_limits l = lim;
	struct arena *a = arena_new(0);
	struct param *out = NULL;
	char h[102];

	/* 101 bytes against a limit of 100, then exactly 100. */
	l.max_header = 100;
	memset(h, 'v', sizeof(h) - 1);
	h[101] = '\0';
	h[0] = 's';
	h[1] = '=';
	ck_assert_int_eq(cookie_parse(a, h, &l, &out), PARSE_TOO_LARGE);
	ck_assert_ptr_null(out);
	h[100] = '\0';
	ck_assert_int_eq(cookie_parse(a, h, &l, &out), PARSE_OK);
	ck_assert_uint_eq(out->len, 98);
	out = NULL;
	l.max_header = 0;
	ck_assert_int_eq(cookie_parse(a, "", &l, &out), PARSE_OK);
	ck_assert_int_eq(cookie_parse(a, "a", &l, &out), PARSE_TOO_LARGE);
	arena_free(a);
}
END_TEST

START_TEST(test_cookie_nomem)
{
	struct arena *a = arena_new(64);
	struct param *out = NULL;
	char h[1001];

	memset(h, 'v', sizeof(h) - 1);
	h[1000] = '\0';
	h[0] = 's';
	h[1] = '=';
	ck_assert_int_eq(cookie_parse(a, h, &lim, &out), PARSE_NOMEM);
	ck_assert_ptr_null(out);
	arena_free(a);
}
END_TEST

static Suite *cookie_suite(void)
{
	Suite *s = suite_create("cookie");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_cookie_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_cookie_null_and_append);
	tcase_add_test(tc, test_cookie_count_limit);
	tcase_add_test(tc, test_cookie_header_limit);
	tcase_add_test(tc, test_cookie_nomem);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(cookie_suite)
