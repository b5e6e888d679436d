/* Unit tests: modified UTF-7 mailbox names (cgi/mutf7.c), RFC 3501's
 * example, Swedish names as Dovecot stores them, and every way a name can
 * be malformed in either direction. */
#include "config.h"

#include "check_main.h"
#include "arena.h"
#include "mutf7.h"

#include <string.h>

static struct arena *arena;

static void setup(void)
{
	arena = arena_new(1u << 20);
}

static void teardown(void)
{
	arena_free(arena);
}

static const char *dec(const char *in)
{
	char *out;

	return mutf7_decode(arena, in, strlen(in), &out) == 0 ? out : NULL;
}

static const char *enc(const char *in)
{
	char *out;

	return mutf7_encode(arena, in, strlen(in), &out) == 0 ? out : NULL;
}

static void both_ways(const char *utf8, const char *mutf7)
{
	ck_assert_str_eq(enc(utf8), mutf7);
	ck_assert_str_eq(dec(mutf7), utf8);
}

START_TEST(round_trips)
{
	/* RFC 3501 §5.1.3 */
	both_ways("~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	          "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
	both_ways("Skr\xc3\xa4p", "Skr&AOQ-p");
	both_ways("R\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s", "R&AOQ-ksm&APY-rg&AOU-s");
	both_ways("\xc3\xa5\xc3\xa4\xc3\xb6", "&AOUA5AD2-");
	both_ways("A&B", "A&-B");
	both_ways("&", "&-");
	both_ways("", "");
	both_ways("INBOX.Sent Items", "INBOX.Sent Items");
	both_ways("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", "&BB8EQAQ4BDIENQRC-");
	/* Outside the BMP: a surrogate pair. */
	both_ways("\xf0\x9f\x98\x80", "&2D3eAA-");
	both_ways("x\xf0\x9f\x98\x80y\xc3\xa4", "x&2D3eAA-y&AOQ-");
}
END_TEST

START_TEST(bad_modified_utf7)
{
	static const char *const bad[] = {
		"&", "&AOQ", "Skr&AOQ", "&AOQ-&", "&AGE-", "&2D0-", "&3gA-", "&2D3YPQ-",
		"a\xc3\xa4", "tab\there", "&Jjo!-", "&AOR-", "&AOQA-", "&AAA-", "&AOQAAA-",
		"&A-", "&AO-", "\x7f",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(dec(bad[i]) == NULL, "accepted \"%s\"", bad[i]);
	/* Two runs where one would do are not canonical, but harmless. */
	ck_assert_str_eq(dec("&AOQ-&AOQ-"), "\xc3\xa4\xc3\xa4");
}
END_TEST

START_TEST(bad_utf8)
{
	static const char *const bad[] = {
		"\xff", "a\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"new\nline", "\x01", "del\x7f",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(enc(bad[i]) == NULL, "accepted bad[%zu]", i);
}
END_TEST

static Suite *mutf7_suite(void)
{
	Suite *s = suite_create("mutf7");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trips);
	tcase_add_test(tc, bad_modified_utf7);
	tcase_add_test(tc, bad_utf8);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(mutf7_suite)
