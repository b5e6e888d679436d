/* Unit tests: netstrings and the helper protocol. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "check_main.h"
#include "netstring.h"
#include "proto.h"

#include <stdio.h>
#include <string.h>

START_TEST(netstring_round_trip)
{
	struct buf b = BUF_INIT;
	const char *p, *item;
	size_t len, n;

	ns_puts(&b, "hello");
	ns_put(&b, "a\0b", 3);
	ns_puts(&b, "");
	ck_assert_str_eq(b.p, "5:hello,3:a");
	p = b.p;
	len = b.len;
	ck_assert_int_eq(ns_get(&p, &len, &item, &n, 100), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(item, "hello", 5);
	ck_assert_int_eq(ns_get(&p, &len, &item, &n, 100), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_mem_eq(item, "a\0b", 3);
	ck_assert_int_eq(ns_get(&p, &len, &item, &n, 100), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(len, 0);
	buf_free(&b);
}
END_TEST

static const char *const bad_ns[] = {
	"", ":", "5:hello", "5:hello;", "5:hell,", "01:a,", "x:a,", "-1:a,",
	"99999999999999999999999:a,", "3:abc", "4:abc,", "11:abc,",
};

START_TEST(netstring_refuses_malformed)
{
	const char *p = bad_ns[_i], *item;
	size_t len = strlen(p), n;

	ck_assert_int_eq(ns_get(&p, &len, &item, &n, 1000), -1);
}
END_TEST

START_TEST(netstring_max_is_exact)
{
	const char *p = "3:abc,", *item;
	size_t len = 6, n;

	ck_assert_int_eq(ns_get(&p, &len, &item, &n, 2), -1);
	ck_assert_int_eq(ns_get(&p, &len, &item, &n, 3), 0);
}
END_TEST

START_TEST(request_round_trip)
{
	struct buf b = BUF_INIT, out = BUF_INIT;
	struct proto_req r;
	struct qa_error e;

	proto_req_start(&b, "user.add");
	proto_req_add(&b, "user", "lars.jonsson@emak.se");
	proto_req_add(&b, "gecos", "Lars J\xc3\xb6nsson");
	proto_req_add(&b, "password", "");
	ck_assert_int_eq(proto_req_finish(&b, &out), 0);
	ck_assert_int_eq(proto_req_decode(out.p, out.len, &r, &e), 0);
	ck_assert_str_eq(r.op, "user.add");
	ck_assert_uint_eq(r.n, 3);
	ck_assert_str_eq(proto_req_get(&r, "user"), "lars.jonsson@emak.se");
	ck_assert_str_eq(proto_req_get(&r, "gecos"), "Lars J\xc3\xb6nsson");
	ck_assert_str_eq(proto_req_get(&r, "password"), "");
	ck_assert_ptr_null(proto_req_get(&r, "quota"));
	buf_free(&b);
	buf_free(&out);
}
END_TEST

#define R(s) { s, sizeof(s) - 1 }
static const struct {
	const char *data;
	size_t len;
} bad_req[] = {
	R(""),                                        /* empty */
	R("3:3:qa1,"),                                /* outer length wrong */
	R("11:3:qa2,2:op,,"),                         /* wrong magic */
	R("12:3:qa1,2:op,x,"),                        /* garbage inside */
	R("19:3:qa1,2:op,1:k,1:v,,,"),                /* a byte after the outer netstring */
	R("23:3:qa1,2:op,1:k,1:v,1:k,,"),             /* key without value */
	R("27:3:qa1,2:op,1:k,1:v,1:k,1:w,,"),         /* repeated key */
	R("20:3:qa1,2:op,1:K,2:vv,,"),                /* key not [a-z0-9_.] */
	R("20:3:qa1,2:op,1:k,2:v\0,,"),               /* NUL in value */
	R("12:3:qa1,3:o p,,"),                        /* bad op */
};

START_TEST(request_refuses_malformed)
{
	char data[64];
	struct proto_req r;
	struct qa_error e;

	memcpy(data, bad_req[_i].data, bad_req[_i].len);
	qa_error_clear(&e);
	ck_assert_int_eq(proto_req_decode(data, bad_req[_i].len, &r, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_PROTOCOL);
}
END_TEST

START_TEST(request_arg_limit)
{
	struct buf b = BUF_INIT, out = BUF_INIT;
	struct proto_req r;
	struct qa_error e;
	char key[16];
	int i;

	proto_req_start(&b, "x");
	for (i = 0; i < PROTO_MAX_ARGS; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		proto_req_add(&b, key, "v");
	}
	proto_req_finish(&b, &out);
	ck_assert_int_eq(proto_req_decode(out.p, out.len, &r, &e), 0);
	proto_req_add(&b, "one_more", "v");
	proto_req_finish(&b, &out);
	ck_assert_int_eq(proto_req_decode(out.p, out.len, &r, &e), -1);
	buf_free(&b);
	buf_free(&out);
}
END_TEST

START_TEST(answer_round_trip)
{
	struct proto_writer w;
	struct buf out = BUF_INIT;
	struct proto_answer ans;
	struct arena *a = arena_new(0);
	int i;

	proto_writer_init(&w);
	for (i = 0; i < 3; i++) {
		proto_item(&w);
		proto_iputf(&w, "name", "user%d", i);
		proto_iput(&w, "gecos", "");
	}
	proto_putf(&w, "total", "%d", 3);     /* scalars may come last */
	ck_assert_int_eq(proto_answer_finish(&w, NULL, &out), 0);
	ck_assert_int_eq(proto_answer_decode(a, out.p, out.len, &ans), 0);
	ck_assert_int_eq(ans.err.code, QA_OK);
	ck_assert_uint_eq(ans.nrec, 4);
	ck_assert_str_eq(proto_rec_get(&ans.rec[0], "total"), "3");
	ck_assert_str_eq(proto_rec_get(&ans.rec[3], "name"), "user2");
	ck_assert_str_eq(proto_rec_get(&ans.rec[3], "gecos"), "");
	ck_assert_ptr_null(proto_rec_get(&ans.rec[1], "total"));
	proto_writer_free(&w);
	buf_free(&out);
	arena_free(a);
}
END_TEST

START_TEST(answer_carries_errors)
{
	struct proto_writer w;
	struct buf out = BUF_INIT;
	struct proto_answer ans;
	struct arena *a = arena_new(0);
	struct qa_error e;

	proto_writer_init(&w);
	qa_fail(&e, QA_ERR_EXISTS, "user", "lars.jonsson@emak.se exists");
	ck_assert_int_eq(proto_answer_finish(&w, &e, &out), 0);
	ck_assert_int_eq(proto_answer_decode(a, out.p, out.len, &ans), 0);
	ck_assert_int_eq(ans.err.code, QA_ERR_EXISTS);
	ck_assert_str_eq(ans.err.field, "user");
	ck_assert_str_eq(ans.err.detail, "lars.jonsson@emak.se exists");
	ck_assert_uint_eq(ans.nrec, 1);
	ck_assert_uint_eq(ans.rec[0].n, 0);
	/* A truncated answer is refused, never half-read. */
	ck_assert_int_eq(proto_answer_decode(a, out.p, out.len - 1, &ans), -1);
	proto_writer_free(&w);
	buf_free(&out);
	arena_free(a);
}
END_TEST

static Suite *proto_suite(void)
{
	Suite *s = suite_create("proto");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, netstring_round_trip);
	tcase_add_loop_test(tc, netstring_refuses_malformed, 0, sizeof(bad_ns) / sizeof(bad_ns[0]));
	tcase_add_test(tc, netstring_max_is_exact);
	tcase_add_test(tc, request_round_trip);
	tcase_add_loop_test(tc, request_refuses_malformed, 0, sizeof(bad_req) / sizeof(bad_req[0]));
	tcase_add_test(tc, request_arg_limit);
	tcase_add_test(tc, answer_round_trip);
	tcase_add_test(tc, answer_carries_errors);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(proto_suite)
