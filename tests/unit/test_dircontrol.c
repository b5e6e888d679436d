/* Unit tests: dircontrol (.dir-control, .dir_control_free) against the files
 * vpopmail 5.6.13 wrote: 01/02 (first and later writes: "0 2 4" then
 * "0 2 2"), 05/06 (domains level) and 06 (150 users: where users 99-150
 * landed), plus the free list and the long-run sequence. */
#include "config.h"

#include "check_main.h"
#include "dircontrol.h"
#include "qmail_tree.h"

#include <string.h>

static const char *fixture(const char *snap, const char *rel)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s/home/vpopmail/domains/%s", fixtures(), snap, rel);
	return p[k];
}

static void take(const char *dir, int use_free, const char *want)
{
	char hash[DIRCTL_HASH_MAX + 1];
	struct qa_error err;

	ck_assert_msg(dirctl_take(dir, use_free, hash, sizeof(hash), &err) == 0, "%s", err.detail);
	if (want)
		ck_assert_str_eq(hash, want);
}

/* ============================================================== format */

START_TEST(defaults_are_vpopmails_missing_file)
{
	struct dirctl dc;
	struct buf b = BUF_INIT;

	dirctl_init(&dc);
	dirctl_format(&dc, &b);
	ck_assert_str_eq(buf_cstr(&b), "0\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");
	ck_assert_int_eq(dirctl_parse(&dc, "", 0, NULL), 0);   /* empty = missing */
	ck_assert_int_eq(dc.mod[2], 4);
	buf_free(&b);
}
END_TEST

/* vread_dir_control's bug: the third number is read after the FIRST space. */
START_TEST(parse_copies_the_second_number_into_the_third)
{
	static const char *t = "5\n1\n3\n0 0 0\n61 61 61\n0 2 4\n7 8 9\nA/B\n";
	struct dirctl dc;
	struct buf b = BUF_INIT;

	ck_assert_int_eq(dirctl_parse(&dc, t, strlen(t), NULL), 0);
	ck_assert_uint_eq(dc.cur_users, 5);
	ck_assert_int_eq(dc.level_cur, 1);
	ck_assert_int_eq(dc.mod[2], 2);
	ck_assert_int_eq(dc.idx[0], 7);
	ck_assert_int_eq(dc.idx[2], 8);
	ck_assert_str_eq(dc.the_dir, "A/B");
	dirctl_format(&dc, &b);
	ck_assert_str_eq(buf_cstr(&b), "5\n1\n3\n0 0 0\n61 61 61\n0 2 2\n7 8 8\nA/B\n");
	/* The reader keeps a 9th line's text when there is one. */
	t = "5\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n1\n2\n";
	ck_assert_int_eq(dirctl_parse(&dc, t, strlen(t), NULL), 0);
	ck_assert_str_eq(dc.the_dir, "2");
	/* A last line without '\n' is still a line (fgets returns it). */
	t = "5\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n7";
	ck_assert_int_eq(dirctl_parse(&dc, t, strlen(t), NULL), 0);
	ck_assert_str_eq(dc.the_dir, "7");
	buf_free(&b);
}
END_TEST

START_TEST(parse_refuses_what_would_misindex)
{
	static const char *bad[] = {
		"5\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n",          /* 7 lines */
		"5\n0\n3\n0 0 0\n61 61 61\n0\n0 0 0\n\n",            /* no space */
		"5\n3\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n",        /* level 3 */
		"5\n0\n3\n0 0 0\n61 99 61\n0 2 4\n0 0 0\n\n",        /* end 99 */
		"5\n0\n3\n0 0 0\n61 61 61\n0 900 4\n0 0 0\n\n",      /* offset 900 */
		"5\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n../x\n",    /* not a hash */
		"5\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n/0\n",
		"5\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\na b\n",
	};
	struct dirctl dc;
	struct qa_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		qa_error_clear(&err);
		ck_assert_msg(dirctl_parse(&dc, bad[i], strlen(bad[i]), &err) == -1, "case %zu", i);
		ck_assert_int_eq(err.code, QA_ERR_CORRUPT);
	}
}
END_TEST

/* ================================================================ fixtures */

/* vadddomain's postmaster writes the file from scratch ("0 2 4"); the three
 * vadduser calls after it read it first ("0 2 2"). */
START_TEST(first_and_later_writes_match_01_and_02)
{
	if (!fixtures())
		return;
	take(tree_root, 1, "");
	tree_same_file(tree_at(".dir-control"), fixture("01-emak-domain-added", "emak.se/.dir-control"));
	take(tree_root, 1, "");
	take(tree_root, 1, "");
	take(tree_root, 1, "");
	tree_same_file(tree_at(".dir-control"), fixture("02-emak-users-added", "emak.se/.dir-control"));
	ck_assert_int_eq(access(tree_at(".dir_control_free"), F_OK), -1);
}
END_TEST

/* vdeluser: the count drops, nothing else (04); and the domains level:
 * vadddomain x2 -> 01, vdeldomain -> 05 ("0 2 2"), vadddomain -> 06. */
START_TEST(deletes_match_04_and_the_domains_level_05_06)
{
	char hash[8];

	if (!fixtures())
		return;
	take(tree_root, 1, "");
	take(tree_root, 1, "");
	take(tree_root, 1, "");
	take(tree_root, 1, "");
	ck_assert_int_eq(dirctl_hash_of("/home/vpopmail/domains/emak.se",
	                                "/home/vpopmail/domains/emak.se/lars.jonsson",
	                                "lars.jonsson", hash, sizeof(hash), NULL), 0);
	ck_assert_str_eq(hash, "");
	ck_assert_int_eq(dirctl_give_back(tree_root, 1, hash, NULL), 0);
	tree_same_file(tree_at(".dir-control"), fixture("04-emak-user-deleted", "emak.se/.dir-control"));
	ck_assert_int_eq(access(tree_at(".dir_control_free"), F_OK), -1);

	tree_mkdirs(tree_root, "domains");
	take(tree_at("domains"), 0, "");
	tree_same_file(tree_at("domains/.dir-control"), fixture("01-emak-domain-added", ".dir-control"));
	ck_assert_int_eq(dirctl_give_back(tree_at("domains"), 0, "", NULL), 0);
	tree_same_file(tree_at("domains/.dir-control"), fixture("05-emak-domain-deleted", ".dir-control"));
	take(tree_at("domains"), 0, "");
	tree_same_file(tree_at("domains/.dir-control"), fixture("06-big-150-users", ".dir-control"));
}
END_TEST

/* vadddomain big.test + 150 vadduser: each user's hash directory is the
 * one in the fixture's vpasswd, and the final state is byte-identical. */
START_TEST(replaying_150_adds_matches_06)
{
	struct buf text = BUF_INIT;
	const char *p, *end;
	int users = 0;

	if (!fixtures())
		return;
	ck_assert_int_eq(tree_slurp(fixture("06-big-150-users", "big.test/vpasswd"), &text), 0);
	/* The fixture lists postmaster first, then user001..user150: the order
	 * in which they were added. */
	for (p = text.p, end = text.p + text.len; p < end; users++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char line[512], *f[7], *s = line, hash[DIRCTL_HASH_MAX + 1];
		int k;

		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		for (k = 0; k < 7; k++)
			f[k] = strsep(&s, ":");
		ck_assert_int_eq(dirctl_hash_of("/home/vpopmail/domains/big.test", f[5], f[0], hash,
		                                sizeof(hash), NULL), 0);
		take(tree_root, 1, hash);
		p = nl + 1;
	}
	ck_assert_int_eq(users, 151);
	tree_same_file(tree_at(".dir-control"), fixture("06-big-150-users", "big.test/.dir-control"));
	buf_free(&text);
}
END_TEST

/* ============================================================ long runs */

/* What the real tools do to the state over many adds: each add is a read
 * (with the reader bug) and a write of the file. */
static const char *add(struct dirctl *dc, struct buf *b)
{
	buf_reset(b);
	dirctl_format(dc, b);
	if (dirctl_parse(dc, b->p, b->len, NULL) < 0 || dirctl_next(dc, NULL) < 0)
		ck_abort_msg("step failed");
	return dc->the_dir;
}

/* Traced by hand through bigdir.c: level 1 starts at "0/0" with its index
 * one ahead of its character, so "0/z" (12400) is followed by "1/0"; from
 * then on each first-level character holds 62 second-level ones. The
 * third level starts after "z/z" (390600), and because the reader makes
 * its offset the second level's (2, not 4) it rewrites the middle
 * character: "0/1/", "0/2/", ... */
START_TEST(the_long_run_follows_vpopmail)
{
	static const struct { unsigned long at; const char *dir; } seen[] = {
		{ 99, "" }, { 100, "0" }, { 199, "0" }, { 200, "1" }, { 6200, "z" },
		{ 6300, "0/0" }, { 6400, "0/1" }, { 12300, "0/y" }, { 12400, "0/z" },
		{ 12500, "1/0" }, { 18600, "1/z" }, { 18700, "2/0" }, { 390600, "z/z" },
		{ 390700, "0/1/" }, { 390800, "0/2/" },
	};
	struct dirctl dc;
	struct buf b = BUF_INIT;
	unsigned long n;
	size_t k = 0;

	dirctl_init(&dc);
	for (n = 1; n <= 390800; n++) {
		const char *d = add(&dc, &b);

		if (k < sizeof(seen) / sizeof(seen[0]) && seen[k].at == n) {
			ck_assert_msg(!strcmp(d, seen[k].dir), "user %lu: %s, want %s", n, d,
			              seen[k].dir);
			k++;
		}
	}
	ck_assert_uint_eq(k, sizeof(seen) / sizeof(seen[0]));
	buf_free(&b);
}
END_TEST

/* ============================================================ free list */

START_TEST(deleted_places_are_reused_first)
{
	int i;

	for (i = 0; i < 250; i++)
		take(tree_root, 1, NULL);
	ck_assert_int_eq(dirctl_give_back(tree_root, 1, "0", NULL), 0);
	ck_assert_int_eq(dirctl_give_back(tree_root, 1, "1", NULL), 0);
	ck_assert_str_eq(tree_text(tree_at(".dir_control_free")), "0\n1\n");
	ck_assert_str_eq(tree_text(tree_at(".dir-control")),
	                 "248\n0\n3\n0 0 0\n61 61 61\n0 2 2\n1 0 0\n1\n");
	take(tree_root, 1, "0");
	ck_assert_str_eq(tree_text(tree_at(".dir_control_free")), "1\n");
	ck_assert_str_eq(tree_text(tree_at(".dir-control")),
	                 "249\n0\n3\n0 0 0\n61 61 61\n0 2 2\n1 0 0\n1\n");
	take(tree_root, 1, "1");
	take(tree_root, 1, "1");        /* list empty: .dir-control again (250) */
	ck_assert_str_eq(tree_text(tree_at(".dir_control_free")), "");
	ck_assert_str_eq(tree_text(tree_at(".dir-control")),
	                 "251\n0\n3\n0 0 0\n61 61 61\n0 2 2\n1 0 0\n1\n");
}
END_TEST

/* backfill(): '#' comments and blank lines are skipped; our reader also
 * passes over a line that is not a hash path and stops, like vpopmail's, at
 * a last line without '\n'. Other lines stay as they were. */
START_TEST(free_list_reading_is_backfills)
{
	tree_put_text(".dir_control_free", "# freed\n\n  \n../etc\nA # was A\nB\n");
	take(tree_root, 1, "A");
	ck_assert_str_eq(tree_text(tree_at(".dir_control_free")), "# freed\n\n  \n../etc\nB\n");
	/* cur_users was 0 (no .dir-control): backfill does not count it. */
	ck_assert_str_eq(tree_text(tree_at(".dir-control")), "0\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");
	tree_put_text(".dir_control_free", "C");
	take(tree_root, 1, "");
	ck_assert_str_eq(tree_text(tree_at(".dir_control_free")), "C");
	ck_assert_int_eq(dirctl_give_back(tree_root, 1, "D", NULL), 0);
	ck_assert_str_eq(tree_text(tree_at(".dir_control_free")), "C\nD\n");
}
END_TEST

START_TEST(hash_of_reads_a_home)
{
	char h[16];
	struct qa_error err;

	ck_assert_int_eq(dirctl_hash_of("/d/x.se", "/d/x.se/0/joe", "joe", h, sizeof(h), NULL), 0);
	ck_assert_str_eq(h, "0");
	ck_assert_int_eq(dirctl_hash_of("/d/x.se", "/d/x.se/z/1//joe", "joe", h, sizeof(h), NULL), 0);
	ck_assert_str_eq(h, "z/1/");
	ck_assert_int_eq(dirctl_hash_of("/d/x.se", "/d/x.se/joe", "joe", h, sizeof(h), NULL), 0);
	ck_assert_str_eq(h, "");
	ck_assert_int_eq(dirctl_hash_of("/d/x.se", "/d/y.se/0/joe", "joe", h, sizeof(h), &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_INVALID);
	ck_assert_int_eq(dirctl_hash_of("/d/x.se", "/d/x.se/../joe", "joe", h, sizeof(h), &err), -1);
	ck_assert_int_eq(dirctl_hash_of("/d/x.se", "/d/x.se/0/xjoe", "joe", h, sizeof(h), &err), -1);
	ck_assert_int_eq(dirctl_hash_of("/d/x.se", "/d/x.se", "joe", h, sizeof(h), &err), -1);
}
END_TEST

/* A corrupt .dir-control or a bad hash changes nothing on disk. */
START_TEST(refusals_change_nothing)
{
	static const char *bad = "5\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n../x\n";
	struct buf before = BUF_INIT, after = BUF_INIT;
	char hash[16];
	struct qa_error err;

	tree_put_text(".dir-control", bad);
	tree_put_text(".dir_control_free", "# nothing usable\n");
	tree_put_text(".dir_control_free.lock", "");
	tree_snapshot(tree_root, &before);
	ck_assert_int_eq(dirctl_take(tree_root, 1, hash, sizeof(hash), &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_CORRUPT);
	ck_assert_int_eq(dirctl_give_back(tree_root, 1, "0", &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_CORRUPT);
	ck_assert_int_eq(dirctl_give_back(tree_root, 1, "../x", &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_INVALID);
	tree_put_text(".dir-control", "5\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\nab\n");
	ck_assert_int_eq(dirctl_take(tree_root, 1, hash, 2, &err), -1);   /* "ab" will not fit */
	tree_put_text(".dir-control", bad);
	tree_snapshot(tree_root, &after);
	ck_assert_str_eq(buf_cstr(&after), buf_cstr(&before));
	buf_free(&before);
	buf_free(&after);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dircontrol");
	TCase *tc = tcase_create("dircontrol");

	tcase_add_checked_fixture(tc, tree_setup, tree_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, defaults_are_vpopmails_missing_file);
	tcase_add_test(tc, parse_copies_the_second_number_into_the_third);
	tcase_add_test(tc, parse_refuses_what_would_misindex);
	tcase_add_test(tc, first_and_later_writes_match_01_and_02);
	tcase_add_test(tc, deletes_match_04_and_the_domains_level_05_06);
	tcase_add_test(tc, replaying_150_adds_matches_06);
	tcase_add_test(tc, the_long_run_follows_vpopmail);
	tcase_add_test(tc, deleted_places_are_reused_first);
	tcase_add_test(tc, free_list_reading_is_backfills);
	tcase_add_test(tc, hash_of_reads_a_home);
	tcase_add_test(tc, refusals_change_nothing);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
