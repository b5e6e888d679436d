/* Unit tests: the RFC 4180 reader behind user import. A table of inputs,
 * each with the rows it must give (rendered as "LINE[f1|f2]...", so a
 * case reads on one line) or the error it must stop with, line included. */
#include "config.h"

#include "check_main.h"
#include "buf.h"
#include "csv.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

/* Rows as "1[a|b]3[c]", with \n and \r shown; or "E:" + the error detail. */
static void render(const char *in, size_t len, size_t max_fields, size_t field_max,
                   struct buf *out)
{
	struct qa_error e;
	struct csv_row row;
	struct csv r;
	size_t i, k;
	int rc;

	qa_error_clear(&e);
	buf_reset(out);
	buf_adds(out, "");
	ck_assert_int_eq(csv_open(&r, in, len, max_fields, field_max, &e), 0);
	while ((rc = csv_next(&r, &row, &e)) > 0) {
		buf_printf(out, "%u[", row.line);
		for (i = 0; i < row.n; i++) {
			ck_assert_uint_eq(strlen(row.f[i]), row.len[i]);
			for (k = 0; k < row.len[i]; k++)
				buf_adds(out, row.f[i][k] == '\n' ? "\\n" : row.f[i][k] == '\r' ? "\\r"
				         : (char[]){ row.f[i][k], 0 });
			if (i + 1 < row.n)
				buf_addc(out, '|');
		}
		buf_addc(out, ']');
	}
	if (rc < 0) {
		ck_assert_int_eq(e.code, QA_ERR_INVALID);
		ck_assert_str_eq(e.field, "csv");
		buf_reset(out);
		buf_printf(out, "E:%s", e.detail);
		/* A reader that stopped stays stopped. */
		ck_assert_int_eq(csv_next(&r, &row, &e), -1);
	}
	csv_close(&r);
}

static const struct {
	const char *in;
	size_t len;          /* 0: strlen(in) */
	const char *want;
} good[] = {
	{ "a,b,c\n", 0, "1[a|b|c]" },
	{ "a,b\r\nc,d\r\n", 0, "1[a|b]2[c|d]" },
	{ "a,b", 0, "1[a|b]" },                              /* no final line break */
	{ "\"a,b\",c\n", 0, "1[a,b|c]" },
	{ "\"say \"\"hi\"\"\",x", 0, "1[say \"hi\"|x]" },
	{ "\"\"\"\"\n", 0, "1[\"]" },
	{ "\"l1\nl2\",x\ny,z\n", 0, "1[l1\\nl2|x]3[y|z]" },
	{ "\"a\r\nb\"\r\nc\r\n", 0, "1[a\\r\\nb]3[c]" },
	{ "a,,c\n", 0, "1[a||c]" },
	{ "a,\n", 0, "1[a|]" },
	{ ",\n", 0, "1[|]" },
	{ "\"\"\n", 0, "1[]" },
	{ "a,\"\"", 0, "1[a|]" },
	{ "\n\na\n\n\nb", 0, "3[a]6[b]" },                  /* empty lines are no records */
	{ "\r\n\r\na\r\n", 0, "3[a]" },
	{ "a\rb\r", 0, "1[a]2[b]" },                        /* old Mac line ends */
	{ "\xef\xbb\xbf" "a,b\n", 0, "1[a|b]" },            /* Excel's byte order mark */
	{ "", 0, "" },
	{ "\n\n", 0, "" },
	{ "\xc3\xa9t\xc3\xa9,\xe2\x82\xac\n", 0, "1[\xc3\xa9t\xc3\xa9|\xe2\x82\xac]" },
	{ "12345678,\"1234567\"\"\"\n", 0, "1[12345678|1234567\"]" },  /* exactly the limit */
	{ "1,2,3,4\n", 0, "1[1|2|3|4]" },
	{ " a , b \n", 0, "1[ a | b ]" },                   /* blanks are data */
	{ "a,\"b\"\n\"c\"", 0, "1[a|b]2[c]" },
};

static const struct {
	const char *in;
	size_t len;
	const char *want;    /* the start of "E:" + detail */
} bad[] = {
	{ "a,b\n\"op\nen", 0, "E:line 2: unterminated quote in field 1" },
	{ "\"", 0, "E:line 1: unterminated quote" },
	{ "a,b\nc\"d,e\n", 0, "E:line 2: stray quote in field 1" },
	{ "a\nb,x\"\n", 0, "E:line 2: stray quote in field 2" },
	{ "a\n\"x\"y\n", 0, "E:line 2: stray quote: text after the closing quote of field 1" },
	{ "\"a\nb\"x\n", 0, "E:line 2: stray quote: text after" },
	{ "a\n\"x\" ,y\n", 0, "E:line 2: stray quote: text after" },
	{ "1,2,3,4\n1,2,3,4,5\n", 0, "E:line 2: more than 4 fields" },
	{ "1,2,3,4,\n", 0, "E:line 1: more than 4 fields" },
	{ "a\nb\n123456789\n", 0, "E:line 3: field 1 is longer than 8 bytes" },
	{ "a,\"1234\n5678\"\n", 0, "E:line 2: field 2 is longer than 8 bytes" },
	{ "a,\"12345678\"\"\"\n", 0, "E:line 1: field 2 is longer than 8 bytes" },
	{ "a\n\xff\n", 0, "E:line 2: field 1 is not valid UTF-8" },
	{ "a\nb,\xc0\xaf\n", 0, "E:line 2: field 2 is not valid UTF-8" },   /* overlong '/' */
	{ "\"x\n\xed\xa0\x80\"\n", 0, "E:line 1: field 1 is not valid UTF-8" }, /* surrogate */
	{ "a\nb\0c\n", 6, "E:line 2: NUL byte in field 1" },
	{ "a\n\"b\0\"\n", 7, "E:line 2: NUL byte in field 1" },
	{ "a,b\n\n\nc,\"d", 0, "E:line 4: unterminated quote in field 2" },
};

START_TEST(good_inputs)
{
	struct buf out = BUF_INIT;
	const char *in = good[_i].in;

	render(in, good[_i].len ? good[_i].len : strlen(in), 4, 8, &out);
	ck_assert_msg(!strcmp(buf_cstr(&out), good[_i].want), "case %d: got %s, want %s", _i,
	              buf_cstr(&out), good[_i].want);
	buf_free(&out);
}
END_TEST

START_TEST(bad_inputs)
{
	struct buf out = BUF_INIT;
	const char *in = bad[_i].in;

	render(in, bad[_i].len ? bad[_i].len : strlen(in), 4, 8, &out);
	ck_assert_msg(!strncmp(buf_cstr(&out), bad[_i].want, strlen(bad[_i].want)),
	              "case %d: got %s, want %s...", _i, buf_cstr(&out), bad[_i].want);
	buf_free(&out);
}
END_TEST

START_TEST(limits_are_checked)
{
	struct qa_error e;
	struct csv r;

	ck_assert_int_eq(csv_open(&r, "a", 1, 0, 8, &e), -1);
	ck_assert_int_eq(csv_open(&r, "a", 1, CSV_FIELDS_MAX + 1, 8, &e), -1);
	ck_assert_int_eq(csv_open(&r, "a", 1, 4, 0, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
}
END_TEST

/* 100,000 lines: line numbers stay exact and memory stays one row. */
START_TEST(long_file_counts_lines)
{
	struct buf in = BUF_INIT;
	struct qa_error e;
	struct csv_row row;
	struct csv r;
	unsigned i, n = 0;

	for (i = 0; i < 100000; i++)
		buf_printf(&in, i % 3 ? "u%u,\"p\r\nw\"\r\n" : "u%u,pw\n", i);
	buf_adds(&in, "last,\"x\"y\n");
	ck_assert_int_eq(csv_open(&r, in.p, in.len, 2, 16, &e), 0);
	while (csv_next(&r, &row, &e) > 0)
		n++;
	ck_assert_uint_eq(n, 100000);
	/* 33,334 one-line rows and 66,666 two-line ones come first. */
	ck_assert_str_eq(e.detail, "line 166667: stray quote: text after the closing quote of field 2");
	csv_close(&r);
	buf_free(&in);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("csv");
	TCase *t = tcase_create("csv");

	tcase_add_loop_test(t, good_inputs, 0, (int)(sizeof(good) / sizeof(good[0])));
	tcase_add_loop_test(t, bad_inputs, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(t, limits_are_checked);
	tcase_add_test(t, long_file_counts_lines);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(suite)
