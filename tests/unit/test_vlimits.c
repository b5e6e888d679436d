/* Unit tests: .qmailadmin-limits / vlimits.default parsing the way
 * vpopmail's vlimits_read_limits_file() parses, the canonical layout (with
 * perm_maillist written where the reader expects it), the files, and the
 * gid flag bits the limits impose. */
#include "config.h"

#include "check_main.h"
#include "qmail_tree.h"
#include "vlimits.h"

#include <string.h>

static void parse(struct vlimits *l, const char *text)
{
	vlimits_defaults(l);
	vlimits_parse(l, text, strlen(text));
}

START_TEST(flag_bits_are_vpopmails)
{
	static const unsigned long bits[] = {
		NO_PASSWD_CHNG, NO_POP, NO_WEBMAIL, NO_IMAP, BOUNCE_MAIL, NO_RELAY, NO_DIALUP,
		V_USER0, V_USER1, V_USER2, V_USER3, NO_SMTP, QA_ADMIN, V_OVERRIDE,
		NO_SPAMASSASSIN, DELETE_SPAM, SA_ADMIN, SA_EXPERT, NO_MAILDROP,
	};
	size_t i;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		ck_assert_uint_eq(bits[i], 1UL << i);
	ck_assert_uint_eq(QA_ADMIN, 4096);
	ck_assert_uint_eq(NO_MAILDROP, 262144);
}
END_TEST

START_TEST(defaults_when_neither_file_exists)
{
	struct vlimits l;
	enum vlimits_source src;

	ck_assert_int_eq(vlimits_load(tree_root, tree_at("etc/vlimits.default"), &l, &src, NULL), 0);
	ck_assert_int_eq(src, VLIMITS_NONE);
	ck_assert_int_eq(l.maxpopaccounts, -1);
	ck_assert_int_eq(l.maxaliases, -1);
	ck_assert_int_eq(l.maxforwards, -1);
	ck_assert_int_eq(l.maxautoresponders, -1);
	ck_assert_int_eq(l.maxmailinglists, -1);
	ck_assert_int_eq(l.diskquota + l.maxmsgcount + l.defaultquota + l.defaultmaxmsgcount, 0);
	ck_assert_int_eq(l.perm_account + l.perm_maillist + l.perm_quota, 0);
	ck_assert_uint_eq(vlimits_flag_mask(&l), 0);
}
END_TEST

START_TEST(parser_follows_vlimits_read_limits_file)
{
	struct vlimits l;

	parse(&l, "# comment\r\n"
	          "maxpopaccounts 10\r\n"
	          "\n"
	          "maxforwards:5\n"
	          "maxautoresponders: \t:: 7xyz\n"     /* atoi stops at x */
	          "maxmailinglists\n"                  /* no value: unchanged */
	          "maxaliases:\n"                      /* empty value: atoi("") = 0 */
	          "quota: 2048\n"
	          "default_quota\t104857600\n"
	          "default_maxmsgcount: 1000\n"
	          "disable_pop\n"
	          "disable_imap: yes\n"                /* a flag is set whatever follows */
	          "DISABLE_SMTP\n"                     /* keywords are case-sensitive */
	          "frobnicate: 3\n"
	          "perm_account: 15\n"                 /* & 7 */
	          "perm_maillist: 473\n"               /* 1 + 3<<3 + 7<<6 */
	          "perm_quota: 2\n");
	ck_assert_int_eq(l.maxpopaccounts, 10);
	ck_assert_int_eq(l.maxforwards, 5);
	ck_assert_int_eq(l.maxautoresponders, 7);
	ck_assert_int_eq(l.maxmailinglists, -1);
	ck_assert_int_eq(l.maxaliases, 0);
	ck_assert_int_eq(l.diskquota, 2048);
	ck_assert_int_eq(l.defaultquota, 104857600);
	ck_assert_int_eq(l.defaultmaxmsgcount, 1000);
	ck_assert(l.disable_pop && l.disable_imap && !l.disable_smtp);
	ck_assert_int_eq(l.perm_account, 7);
	ck_assert_int_eq(l.perm_maillist, 1);
	ck_assert_int_eq(l.perm_maillist_users, 3);
	ck_assert_int_eq(l.perm_maillist_moderators, 7);
	ck_assert_int_eq(l.perm_quota, 2);
	ck_assert_uint_eq(vlimits_flag_mask(&l), NO_POP | NO_IMAP);

	/* A NUL ends the data; so does a line of 2 KB or more. */
	vlimits_defaults(&l);
	vlimits_parse(&l, "maxforwards: 1\n\0maxaliases: 2\n", 30);
	ck_assert_int_eq(l.maxforwards, 1);
	ck_assert_int_eq(l.maxaliases, -1);
	{
		char big[2100 + 40];

		memset(big, 'x', 2100);
		memcpy(big, "#", 1);
		big[2100] = '\n';
		strcpy(big + 2101, "maxaliases: 3\n");
		parse(&l, big);
		ck_assert_int_eq(l.maxaliases, -1);
	}
}
END_TEST

/* The file vpopmail ships, as the spec describes it. */
START_TEST(reads_the_shipped_vlimits_default)
{
	struct vlimits l;
	enum vlimits_source src;

	tree_mkdirs(tree_root, "etc");
	tree_put_text("etc/vlimits.default",
	    "# Default limits file.\n"
	    "maxpopaccounts      -1\nmaxforwards         -1\nmaxautoresponders   -1\n"
	    "maxmailinglists     -1\n\n"
	    "perm_account        0\nperm_alias          0\nperm_forward        0\n"
	    "perm_autoresponder  0\nperm_maillist       0\nperm_quota          0\n"
	    "perm_defaultquota   0\n");
	ck_assert_int_eq(vlimits_load(tree_root, tree_at("etc/vlimits.default"), &l, &src, NULL), 0);
	ck_assert_int_eq(src, VLIMITS_DEFAULT);
	ck_assert_int_eq(l.maxpopaccounts, -1);
	/* The domain's own file wins, on top of the defaults (not the file). */
	tree_put_text(".qmailadmin-limits", "maxforwards: 3\n");
	ck_assert_int_eq(vlimits_load(tree_root, tree_at("etc/vlimits.default"), &l, &src, NULL), 0);
	ck_assert_int_eq(src, VLIMITS_DOMAIN);
	ck_assert_int_eq(l.maxforwards, 3);
	ck_assert_int_eq(l.maxpopaccounts, -1);
}
END_TEST

/* vlimits_write_limits_file()'s order; perm_maillist keeps its bits. */
START_TEST(writes_the_canonical_layout)
{
	struct vlimits l;
	struct buf b = BUF_INIT;

	vlimits_defaults(&l);
	l.maxpopaccounts = 100;
	l.diskquota = 500;
	l.defaultquota = 52428800;
	l.disable_maildrop = l.disable_pop = l.disable_relay = 1;
	l.perm_account = 4;
	l.perm_maillist = 1;
	l.perm_maillist_users = 5;
	l.perm_maillist_moderators = 3;
	l.perm_quota = 2;
	ck_assert_int_eq(vlimits_format(&l, &b), 0);
	ck_assert_str_eq(buf_cstr(&b),
	                 "maxpopaccounts: 100\nmaxaliases: -1\nmaxforwards: -1\n"
	                 "maxautoresponders: -1\nmaxmailinglists: -1\n"
	                 "quota: 500\nmaxmsgcount: 0\ndefault_quota: 52428800\n"
	                 "default_maxmsgcount: 0\n"
	                 "disable_pop\ndisable_external_relay\ndisable_maildrop\n"
	                 "perm_account: 4\nperm_alias: 0\nperm_forward: 0\nperm_autoresponder: 0\n"
	                 "perm_maillist: 233\nperm_quota: 2\nperm_defaultquota: 0\n");
	buf_free(&b);
}
END_TEST

START_TEST(round_trips_through_the_file)
{
	struct vlimits l, back;
	struct stat st;
	enum vlimits_source src;

	vlimits_defaults(&l);
	l.maxpopaccounts = 1;
	l.maxaliases = 2;
	l.maxforwards = 3;
	l.maxautoresponders = 4;
	l.maxmailinglists = 0;
	l.diskquota = 6;
	l.maxmsgcount = 7;
	l.defaultquota = 8000000000LL;
	l.defaultmaxmsgcount = 9;
	l.disable_pop = l.disable_imap = l.disable_dialup = l.disable_passwordchanging = 1;
	l.disable_webmail = l.disable_relay = l.disable_smtp = l.disable_spamassassin = 1;
	l.delete_spam = l.disable_maildrop = 1;
	l.perm_account = 1;
	l.perm_alias = 2;
	l.perm_forward = 3;
	l.perm_autoresponder = 4;
	l.perm_maillist = 5;
	l.perm_maillist_users = 6;
	l.perm_maillist_moderators = 7;
	l.perm_quota = 6;
	l.perm_defaultquota = 5;
	ck_assert_int_eq(vlimits_save(tree_root, &l, NULL), 0);
	ck_assert_int_eq(stat(tree_at(".qmailadmin-limits"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(vlimits_load(tree_root, NULL, &back, &src, NULL), 0);
	ck_assert_int_eq(src, VLIMITS_DOMAIN);
	ck_assert_mem_eq(&back, &l, sizeof(l));
	ck_assert_uint_eq(vlimits_flag_mask(&back),
	                  NO_POP | NO_IMAP | NO_DIALUP | NO_PASSWD_CHNG | NO_WEBMAIL | NO_RELAY
	                  | NO_SMTP | NO_SPAMASSASSIN | DELETE_SPAM | NO_MAILDROP);
	ck_assert_int_eq(vlimits_remove(tree_root, NULL), 0);
	ck_assert_int_eq(vlimits_remove(tree_root, NULL), 0);
	ck_assert_int_eq(vlimits_load(tree_root, NULL, &back, &src, NULL), 0);
	ck_assert_int_eq(src, VLIMITS_NONE);
}
END_TEST

START_TEST(effective_flags_honour_v_override)
{
	struct vlimits l;

	parse(&l, "disable_pop\ndisable_smtp\n");
	ck_assert_uint_eq(vlimits_effective_flags(V_USER0, &l), V_USER0 | NO_POP | NO_SMTP);
	ck_assert_uint_eq(vlimits_effective_flags(V_OVERRIDE | NO_IMAP, &l), V_OVERRIDE | NO_IMAP);
}
END_TEST

START_TEST(refusals_change_nothing)
{
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct vlimits l;
	struct qa_error err;

	tree_put_text(".qmailadmin-limits", "maxforwards: 3\n");
	tree_mkdirs(tree_root, "d");
	ck_assert_int_eq(symlink(tree_at(".qmailadmin-limits"), tree_at("d/.qmailadmin-limits")), 0);
	tree_snapshot(tree_root, &before);
	vlimits_defaults(&l);
	ck_assert_int_eq(vlimits_save(tree_at("nodir"), &l, &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_IO);
	ck_assert_int_eq(vlimits_save("", &l, &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_INVALID);
	ck_assert_int_eq(vlimits_load(tree_at("d"), NULL, &l, NULL, &err), -1);   /* no symlinks */
	tree_snapshot(tree_root, &after);
	ck_assert_str_eq(buf_cstr(&after), buf_cstr(&before));
	buf_free(&before);
	buf_free(&after);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vlimits");
	TCase *tc = tcase_create("vlimits");

	tcase_add_checked_fixture(tc, tree_setup, tree_teardown);
	tcase_add_test(tc, flag_bits_are_vpopmails);
	tcase_add_test(tc, defaults_when_neither_file_exists);
	tcase_add_test(tc, parser_follows_vlimits_read_limits_file);
	tcase_add_test(tc, reads_the_shipped_vlimits_default);
	tcase_add_test(tc, writes_the_canonical_layout);
	tcase_add_test(tc, round_trips_through_the_file);
	tcase_add_test(tc, effective_flags_honour_v_override);
	tcase_add_test(tc, refusals_change_nothing);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
