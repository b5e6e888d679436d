/* Unit tests: quota strings (vpopmail's format_maildirquota table) and
 * Maildir/maildirsize (vpopmail's recount rules), against fixture 03's
 * maildirsize files written by vsetuserquota / vmoduser -q. */
#include "config.h"

#include "check_main.h"
#include "qmail_tree.h"
#include "quota.h"

#include <string.h>

static void maildir(const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/new", rel);
	tree_mkdirs(tree_root, p);
	snprintf(p, sizeof(p), "%s/cur", rel);
	tree_mkdirs(tree_root, p);
	snprintf(p, sizeof(p), "%s/tmp", rel);
	tree_mkdirs(tree_root, p);
}

/* ============================================================== strings */

START_TEST(normalize_follows_format_maildirquota)
{
	static const char *table[][2] = {
		{ "NOQUOTA", "NOQUOTA" },
		{ "1M", "1048576S" }, { "1MB", "1048576S" }, { "1mb", "1048576S" },
		{ "1024K", "1048576S" }, { "1024kb", "1048576S" }, { "1048576", "1048576S" },
		{ "1048576S", "1048576S" }, { "1048576s", "1048576S" }, { "50M", "52428800S" },
		{ "1000C,10MBS", "10485760S,1000C" }, { "1mbs,1000C", "1048576S,1000C" },
		{ "1048576S,1000C", "1048576S,1000C" }, { "10485760S,1000C", "10485760S,1000C" },
		{ "1000C", "1000C" }, { "0", "" }, { "0S,0C", "" }, { "garbage", "" }, { "", "" },
		{ "noquota", "" }, { "S", "" }, { ",,1M,,", "1048576S" },
		{ "10M,20M", "20971520S" },      /* the last of each kind wins */
		{ "5X", "5S" },                  /* strtoll stops at X; X is no unit */
		{ "1000c", "1000S" },            /* only an upper-case C counts */
		{ "-5M", "" }, { "-3C", "" },    /* ours: negative is garbage */
		{ "99999999999999999999", "" },  /* ours: out of range is garbage */
		{ "17592186044416M", "" },       /* ours: overflows when multiplied */
	};
	char out[QUOTA_STR_MAX + 1];
	struct qa_error err;
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		ck_assert_msg(quota_normalize(table[i][0], out, &err) == 0, "%s", table[i][0]);
		ck_assert_msg(!strcmp(out, table[i][1]), "%s -> \"%s\", want \"%s\"",
		              table[i][0], out, table[i][1]);
	}
	ck_assert_int_eq(quota_normalize("9000000000000000000,1000C", out, &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_INVALID);     /* 26 bytes: vpasswd holds 20 */
	{
		char big[200];

		memset(big, '1', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ck_assert_int_eq(quota_normalize(big, out, &err), -1);
		ck_assert_str_eq(err.field, "quota");
	}
}
END_TEST

START_TEST(parse_reads_stored_strings)
{
	static const char *bad[] = { "1M", "S", "12X", "1,", ",1", "1S,,2C", "-1S", " 1S" };
	struct quota_limit q;
	struct qa_error err;
	size_t i;

	ck_assert_int_eq(quota_parse("52428800S", &q, NULL), 0);
	ck_assert_uint_eq(q.bytes, 52428800);
	ck_assert_uint_eq(q.count, 0);
	ck_assert_int_eq(quota_parse("10485760S,1000C", &q, NULL), 0);
	ck_assert_uint_eq(q.bytes, 10485760);
	ck_assert_uint_eq(q.count, 1000);
	ck_assert_int_eq(quota_parse("1000C", &q, NULL), 0);
	ck_assert_uint_eq(q.bytes, 0);
	ck_assert_uint_eq(q.count, 1000);
	ck_assert_int_eq(quota_parse("1048576", &q, NULL), 0);   /* old vpopmail wrote these */
	ck_assert_uint_eq(q.bytes, 1048576);
	ck_assert_int_eq(quota_parse("NOQUOTA", &q, NULL), 0);
	ck_assert_uint_eq(q.bytes + q.count, 0);
	ck_assert(quota_is_none("NOQUOTA") && quota_is_none("") && !quota_is_none("1S"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		qa_error_clear(&err);
		ck_assert_msg(quota_parse(bad[i], &q, &err) == -1, "%s", bad[i]);
		ck_assert_int_eq(err.code, QA_ERR_INVALID);
	}
}
END_TEST

/* ========================================================== maildirsize */

/* vsetuserquota klient2 50M / vmoduser -q on an empty Maildir (fixture 03). */
START_TEST(new_maildirsize_matches_03)
{
	struct stat st;
	char want[512];

	maildir("Maildir");
	ck_assert_int_eq(quota_apply(tree_at("Maildir"), "52428800S", NULL), 0);
	ck_assert_str_eq(tree_text(tree_at("Maildir/maildirsize")), "52428800S\n0 0\n");
	ck_assert_int_eq(stat(tree_at("Maildir/maildirsize"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	if (fixtures()) {
		snprintf(want, sizeof(want), "%s/03-emak-modified/home/vpopmail/domains/emak.se/"
		         "klient2/Maildir/maildirsize", fixtures());
		tree_same_file(tree_at("Maildir/maildirsize"), want);
		ck_assert_int_eq(quota_apply(tree_at("Maildir"), "10485760S,1000C", NULL), 0);
		snprintf(want, sizeof(want), "%s/03-emak-modified/home/vpopmail/domains/emak.se/"
		         "lars.jonsson/Maildir/maildirsize", fixtures());
		tree_same_file(tree_at("Maildir/maildirsize"), want);
	}
	/* NOQUOTA (and "", which format_maildirquota gives for 0) remove it. */
	ck_assert_int_eq(quota_apply(tree_at("Maildir"), "NOQUOTA", NULL), 0);
	ck_assert_int_eq(access(tree_at("Maildir/maildirsize"), F_OK), -1);
	ck_assert_int_eq(quota_apply(tree_at("Maildir"), "1S", NULL), 0);
	ck_assert_int_eq(quota_apply(tree_at("Maildir"), "", NULL), 0);
	ck_assert_int_eq(access(tree_at("Maildir/maildirsize"), F_OK), -1);
	ck_assert_int_eq(quota_apply(tree_at("Maildir"), "NOQUOTA", NULL), 0);
}
END_TEST

/* docount(): sizes from ",S=" before the ':' or from stat; dot files,
 * 'T'-flagged messages, .Trash and tmp/ are not counted; folders are. */
START_TEST(recount_follows_vpopmail)
{
	uint64_t bytes, count;

	maildir("M");
	maildir("M/.Sent");
	maildir("M/.Trash");
	maildir("M/.Work.Sub");
	tree_put_text("M/new/1.M1.host,S=100", "ignored: the name says 100");
	tree_put_text("M/cur/2.M2.host:2,S", "thirty-seven bytes of message body..\n");
	tree_put_text("M/cur/3.M3.host,S=50:2,ST", "trashed");
	tree_put_text("M/cur/4.M4.host:2,T", "trashed");
	tree_put_text("M/cur/5.M5.host,S=7:2,aT", "'a' ends the flags: not trashed");
	tree_put_text("M/cur/8.M8.host:2,,S=5", "abc");        /* ,S= after ':' does not count */
	tree_put_text("M/new/.hidden", "dot files are not messages");
	tree_put_text("M/tmp/9.M9.host,S=1000", "tmp is not counted");
	tree_put_text("M/.Sent/cur/6.M6.host,S=1000:2,S", "");
	tree_put_text("M/.Work.Sub/new/10.M10.host,S=1", "");
	tree_put_text("M/.Trash/cur/7.M7.host,S=99999:2,S", "");
	tree_put_text("M/.Trash/new/11.M11.host,S=99999", "");
	tree_put_text("M/maildirsize.not", "");
	ck_assert_int_eq(quota_scan(tree_at("M"), &bytes, &count, NULL), 0);
	ck_assert_uint_eq(count, 6);
	ck_assert_uint_eq(bytes, 100 + 37 + 7 + 3 + 1000 + 1);
	ck_assert_int_eq(quota_apply(tree_at("M"), "1000C", NULL), 0);
	ck_assert_str_eq(tree_text(tree_at("M/maildirsize")), "1000C\n1148 6\n");
	/* A missing Maildir is empty, as for vpopmail. */
	ck_assert_int_eq(quota_scan(tree_at("nothing"), &bytes, &count, NULL), 0);
	ck_assert_uint_eq(bytes + count, 0);
}
END_TEST

START_TEST(usage_sums_the_lines_after_the_first)
{
	uint64_t bytes, count;
	char big[6000];

	maildir("M");
	tree_put_text("M/new/1.x,S=10", "");
	tree_put_text("M/maildirsize", "100S,5C\n10 1\n-5 -1\n20 2\n");
	ck_assert_int_eq(quota_usage(tree_at("M"), &bytes, &count, NULL), 0);
	ck_assert_uint_eq(bytes, 25);
	ck_assert_uint_eq(count, 2);
	tree_put_text("M/maildirsize", "100S\n10 1\n-50 -3");      /* no final '\n'; negative */
	ck_assert_int_eq(quota_usage(tree_at("M"), &bytes, &count, NULL), 0);
	ck_assert_uint_eq(bytes, 0);
	ck_assert_uint_eq(count, 0);
	tree_put_text("M/maildirsize", "");
	ck_assert_int_eq(quota_usage(tree_at("M"), &bytes, &count, NULL), 0);
	ck_assert_uint_eq(bytes + count, 0);
	/* Missing, or 5120 bytes and more: vpopmail recounts, so do we. */
	unlink(tree_at("M/maildirsize"));
	ck_assert_int_eq(quota_usage(tree_at("M"), &bytes, &count, NULL), 0);
	ck_assert_uint_eq(bytes, 10);
	ck_assert_uint_eq(count, 1);
	memset(big, '\n', sizeof(big));
	memcpy(big, "1S\n999 9\n", 9);
	tree_put(tree_at("M/maildirsize"), big, sizeof(big));
	ck_assert_int_eq(quota_usage(tree_at("M"), &bytes, &count, NULL), 0);
	ck_assert_uint_eq(bytes, 10);
}
END_TEST

START_TEST(refusals_change_nothing)
{
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct qa_error err;

	maildir("M");
	tree_put_text("M/maildirsize", "1S\n0 0\n");
	tree_snapshot(tree_root, &before);
	ck_assert_int_eq(quota_apply(tree_at("M"), "10M", &err), -1);       /* not normalized */
	ck_assert_int_eq(err.code, QA_ERR_INVALID);
	ck_assert_int_eq(quota_apply(tree_at("M"), "1S\n2S", &err), -1);
	ck_assert_int_eq(quota_apply(tree_at("M"), "123456789012345678901S", &err), -1);
	ck_assert_int_eq(quota_apply(tree_at("nodir"), "1S", &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_IO);
	tree_snapshot(tree_root, &after);
	ck_assert_str_eq(buf_cstr(&after), buf_cstr(&before));
	buf_free(&before);
	buf_free(&after);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("quota");
	TCase *tc = tcase_create("quota");

	tcase_add_checked_fixture(tc, tree_setup, tree_teardown);
	tcase_add_test(tc, normalize_follows_format_maildirquota);
	tcase_add_test(tc, parse_reads_stored_strings);
	tcase_add_test(tc, new_maildirsize_matches_03);
	tcase_add_test(tc, recount_follows_vpopmail);
	tcase_add_test(tc, usage_sums_the_lines_after_the_first);
	tcase_add_test(tc, refusals_change_nothing);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
