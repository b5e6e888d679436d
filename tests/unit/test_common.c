/* Unit tests: buf (the string builder) and arena (per-request memory). */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "check_main.h"

#include <stdint.h>
#include <string.h>

START_TEST(buf_appends_and_terminates)
{
	struct buf b = BUF_INIT;

	ck_assert_str_eq(buf_cstr(&b), "");
	ck_assert_int_eq(buf_adds(&b, "abc"), 0);
	ck_assert_int_eq(buf_addc(&b, '-'), 0);
	ck_assert_int_eq(buf_printf(&b, "%d/%s", 42, "x"), 0);
	ck_assert_int_eq(buf_add(&b, "\0z", 2), 0);
	ck_assert_uint_eq(b.len, 10);
	ck_assert_mem_eq(b.p, "abc-42/x\0z", 10);
	ck_assert_int_eq(b.p[b.len], '\0');
	buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(buf_cstr(&b), "");
	buf_free(&b);
}
END_TEST

START_TEST(buf_grows_past_many_doublings)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < 100000; i++)
		buf_addc(&b, 'a' + i % 26);
	ck_assert(!buf_failed(&b));
	ck_assert_uint_eq(b.len, 100000);
	ck_assert_int_eq(b.p[99999], 'a' + 99999 % 26);
	buf_free(&b);
}
END_TEST

START_TEST(buf_cap_fails_and_sticks)
{
	struct buf b;

	buf_init(&b, 8);
	ck_assert_int_eq(buf_adds(&b, "12345678"), 0);
	ck_assert_int_eq(buf_addc(&b, '9'), -1);
	ck_assert(buf_failed(&b));
	/* Later appends are refused too: no silently truncated middle. */
	ck_assert_int_eq(buf_adds(&b, ""), -1);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_int_eq(buf_printf(&b, "%s", "x"), -1);
	buf_reset(&b);
	ck_assert(!buf_failed(&b));
	buf_free(&b);
}
END_TEST

START_TEST(arena_allocates_zeroed_and_aligned)
{
	struct arena *a = arena_new(0);
	char *p = arena_alloc(a, 10);
	long double *q = arena_alloc(a, sizeof(long double));
	size_t i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(p[i], 0);
	ck_assert_uint_eq((uintptr_t)q % 16, 0);
	ck_assert_str_eq(arena_strndup(a, "hello", 4), "hell");
	ck_assert_str_eq(arena_printf(a, "%s=%d", "n", 7), "n=7");
	arena_free(a);
}
END_TEST

START_TEST(arena_big_blocks_and_reset)
{
	struct arena *a = arena_new(0);
	char *big = arena_alloc(a, 1 << 20);
	int i;

	ck_assert_ptr_nonnull(big);
	memset(big, 'x', 1 << 20);
	for (i = 0; i < 10000; i++)
		ck_assert_ptr_nonnull(arena_alloc(a, 100));
	ck_assert_uint_ge(arena_used(a), (1u << 20) + 10000 * 100);
	arena_reset(a);
	ck_assert_uint_eq(arena_used(a), 0);
	ck_assert_ptr_nonnull(arena_alloc(a, 100));
	arena_free(a);
}
END_TEST

START_TEST(arena_limit_refuses)
{
	struct arena *a = arena_new(1000);

	ck_assert_ptr_nonnull(arena_alloc(a, 900));
	ck_assert_ptr_null(arena_alloc(a, 200));
	ck_assert_ptr_null(arena_alloc(a, SIZE_MAX));
	ck_assert_ptr_null(arena_alloc(a, SIZE_MAX - 8));
	arena_reset(a);
	ck_assert_ptr_nonnull(arena_alloc(a, 900));
	arena_free(a);
}
END_TEST

static Suite *common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, buf_appends_and_terminates);
	tcase_add_test(tc, buf_grows_past_many_doublings);
	tcase_add_test(tc, buf_cap_fails_and_sticks);
	tcase_add_test(tc, arena_allocates_zeroed_and_aligned);
	tcase_add_test(tc, arena_big_blocks_and_reset);
	tcase_add_test(tc, arena_limit_refuses);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(common_suite)
