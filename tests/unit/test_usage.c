/* Unit tests of a domain's disk use for the domain list (usage.c): the
 * sum of its mailboxes' maildirsize (or a recount where there is none),
 * the cache in STATE_DIR/usage/DOMAIN (fresh for ten minutes, refused when
 * corrupt or from the future, never written as root, forgotten on
 * request), and what the store's domain list adds for the list page: real
 * domains only with their alias domains' names, one domain by name, and
 * the count of aliases and forwards. */
#include "config.h"

#include "check_main.h"
#include "conf.h"
#include "passwd.h"
#include "qmail_tree.h"
#include "store.h"
#include "usage.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char state[128];
static struct conf conf;
static struct store *st;
static struct qa_error err;
#define E (qa_error_clear(&err), &err)
#define NOW ((time_t)1700000000)

static void ok_call(int rc, const char *what)
{
	ck_assert_msg(rc == 0, "%s: %s %s: %s", what, qa_err_name(err.code), err.field, err.detail);
}

static struct v_domain dom(const char *s)
{
	struct v_domain d;

	ck_assert_int_eq(v_domain(s, &d, "domain", NULL), 0);
	return d;
}

/* The store's owner: whoever runs the test, but never root (users/assign
 * refuses uid 0): then nobody, and the store chowns to it. */
static void setup(void)
{
	struct passwd *pw = geteuid() == 0 ? getpwnam("nobody") : getpwuid(geteuid());
	struct group *gr = pw ? getgrgid(geteuid() == 0 ? pw->pw_gid : getegid()) : NULL;
	struct qa_error e = { 0 };

	ck_assert(pw && gr);
	tree_setup();
	tree_mkdirs(tree_root, "qmail/control");
	tree_mkdirs(tree_root, "qmail/users");
	tree_mkdirs(tree_root, "vpopmail/etc");
	tree_mkdirs(tree_root, "state");
	conf_defaults(&conf);
	snprintf(conf.qmail_dir, sizeof(conf.qmail_dir), "%s/qmail", tree_root);
	snprintf(conf.vpopmail_dir, sizeof(conf.vpopmail_dir), "%s/vpopmail", tree_root);
	snprintf(conf.vpopmail_user, sizeof(conf.vpopmail_user), "%s", pw->pw_name);
	snprintf(conf.vpopmail_group, sizeof(conf.vpopmail_group), "%s", gr->gr_name);
	snprintf(state, sizeof(state), "%s/state", tree_root);
	st = store_open(&conf, &e);
	ck_assert_msg(st != NULL, "%s", e.detail);
}

static void teardown(void)
{
	store_close(st);
	st = NULL;
	tree_teardown();
}

static void domain_add(const char *d)
{
	struct v_domain vd = dom(d);
	char h[PASSWD_HASH_MAX];

	ck_assert_int_eq(passwd_hash("Secret1", "sha512", h, sizeof(h), NULL), 0);
	ok_call(store_domain_add(st, &vd, h, E), d);
}

static void alias_add(const char *alias, const char *real)
{
	struct v_domain a = dom(alias), r = dom(real);

	ok_call(store_alias_domain_add(st, &a, &r, E), alias);
}

static void user_add(const char *addr)
{
	struct v_user u;

	ck_assert_int_eq(v_user(addr, &u, "user", NULL), 0);
	ok_call(store_user_add(st, &u, "$6$abcdefgh$x", NULL, NULL, E), addr);
}

/* Writes the Maildir/maildirsize of a mailbox: a quota line, then text. */
static void maildirsize(const char *addr, const char *lines)
{
	struct v_user u;
	struct user_info ui;
	char p[4200], text[256];

	ck_assert_int_eq(v_user(addr, &u, "user", NULL), 0);
	ok_call(store_user_get(st, &u, &ui, E), addr);
	snprintf(p, sizeof(p), "%s/Maildir/maildirsize", ui.dir);
	snprintf(text, sizeof(text), "100000000S\n%s", lines);
	tree_put(p, text, strlen(text));
}

/* A message file the recount finds (the mailbox has no maildirsize). */
static void message(const char *addr, const char *name)
{
	struct v_user u;
	struct user_info ui;
	char p[4200];

	ck_assert_int_eq(v_user(addr, &u, "user", NULL), 0);
	ok_call(store_user_get(st, &u, &ui, E), addr);
	snprintf(p, sizeof(p), "%s/Maildir/new/%s", ui.dir, name);
	tree_put(p, "x", 1);
}

static const char *cache_file(const char *d)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/usage/%s", state, d);
	return p;
}

static struct usage get(const char *d, time_t now)
{
	struct v_domain vd = dom(d);
	struct usage u;

	ok_call(usage_get(st, state, &vd, now, &u, E), d);
	return u;
}

/* ================================================================ parsing */

START_TEST(parses_only_three_numbers_and_a_newline)
{
	static const char *const bad[] = {
		"", "\n", "1 2\n", "1 2 3", "1 2 3\n4", " 1 2 3\n", "1  2 3\n", "1 2 3 \n",
		"-1 2 3\n", "1 +2 3\n", "1 2 3\r\n", "a 2 3\n", "1\t2 3\n",
		"18446744073709551616 1 1\n", "1 1 9223372036854775808\n",
	};
	struct usage u;
	size_t i;

	ck_assert_int_eq(usage_parse("12 3 1700000000\n", 16, &u), 0);
	ck_assert_uint_eq(u.bytes, 12);
	ck_assert_uint_eq(u.count, 3);
	ck_assert_int_eq((long long)u.when, 1700000000LL);
	ck_assert_int_eq(usage_parse("18446744073709551615 0 0\n", 25, &u), 0);
	ck_assert(u.bytes == UINT64_MAX);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(usage_parse(bad[i], strlen(bad[i]), &u) < 0, "accepted \"%s\"", bad[i]);
	/* A NUL inside is not the end of the text. */
	ck_assert_int_lt(usage_parse("1 2 3\n\0", 7, &u), 0);
}
END_TEST

/* ================================================================ as root */

START_TEST(root_sums_but_writes_nothing)
{
	struct usage u;

	if (geteuid() != 0)
		return;          /* the check that matters runs as root only */
	domain_add("emak.se");
	user_add("klient1@emak.se");
	maildirsize("klient1@emak.se", "1000 2\n");
	u = get("emak.se", NOW);
	ck_assert_uint_eq(u.bytes, 1000);
	ck_assert_uint_eq(u.count, 2);
	ck_assert_int_ne(access(cache_file("emak.se"), F_OK), 0);
	ck_assert_int_ne(access(tree_at("state/usage"), F_OK), 0);
}
END_TEST

/* The rest runs as the vpopmail user would: as root, become nobody. */
static void become_nobody(void)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return;
	pw = getpwnam("nobody");
	ck_assert_ptr_nonnull(pw);
	ck_assert_int_eq(setgroups(0, NULL), 0);
	ck_assert_int_eq(setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid), 0);
	ck_assert_int_eq(setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid), 0);
}

/* ================================================================ the cache */

START_TEST(sums_the_mailboxes_and_caches_the_figure)
{
	struct stat sb;
	struct usage u;

	domain_add("emak.se");
	user_add("klient1@emak.se");
	user_add("klient2@emak.se");
	user_add("klient3@emak.se");
	maildirsize("postmaster@emak.se", "100 1\n");
	/* Lines may be negative (an IMAP server's deletes); they all count. */
	maildirsize("klient1@emak.se", "5000 4\n-1000 -1\n");
	message("klient3@emak.se", "1700000000.1.host,S=2500:2,S");
	u = get("emak.se", NOW);
	ck_assert_uint_eq(u.bytes, 100 + 4000 + 2500);
	ck_assert_uint_eq(u.count, 1 + 3 + 1);
	ck_assert_str_eq(tree_text(cache_file("emak.se")), "6600 5 1700000000\n");
	ck_assert_int_eq(stat(tree_at("state/usage"), &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0700);
	ck_assert_int_eq(stat(cache_file("emak.se"), &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0600);
	ck_assert_uint_eq(sb.st_uid, geteuid());

	/* Within ten minutes the cached figure stands, whatever changed. */
	maildirsize("klient2@emak.se", "700 7\n");
	u = get("emak.se", NOW + USAGE_MAX_AGE - 1);
	ck_assert_uint_eq(u.bytes, 6600);
	ck_assert_int_eq((long long)u.when, (long long)NOW);
	/* Then it is summed again. */
	u = get("emak.se", NOW + USAGE_MAX_AGE);
	ck_assert_uint_eq(u.bytes, 7300);
	ck_assert_uint_eq(u.count, 12);
	ck_assert_str_eq(tree_text(cache_file("emak.se")), "7300 12 1700000600\n");
}
END_TEST

START_TEST(a_bad_or_future_cache_is_summed_again)
{
	struct usage u;

	domain_add("emak.se");
	maildirsize("postmaster@emak.se", "100 1\n");
	tree_mkdirs(tree_root, "state/usage");
	tree_put(cache_file("emak.se"), "999 9\n", 6);
	u = get("emak.se", NOW);
	ck_assert_uint_eq(u.bytes, 100);
	/* From the future (a clock set back): not trusted. */
	tree_put(cache_file("emak.se"), "999 9 1700000100\n", 17);
	u = get("emak.se", NOW);
	ck_assert_uint_eq(u.bytes, 100);
	ck_assert_str_eq(tree_text(cache_file("emak.se")), "100 1 1700000000\n");
	/* A symlink is not followed: the figure is summed, the link replaced. */
	ck_assert_int_eq(unlink(cache_file("emak.se")), 0);
	tree_put(tree_at("elsewhere"), "999 9 1700000000\n", 17);
	ck_assert_int_eq(symlink(tree_at("elsewhere"), cache_file("emak.se")), 0);
	u = get("emak.se", NOW);
	ck_assert_uint_eq(u.bytes, 100);
	ck_assert_str_eq(tree_text(tree_at("elsewhere")), "999 9 1700000000\n");
}
END_TEST

START_TEST(an_unwritable_cache_still_gives_the_figure)
{
	struct usage u;

	domain_add("emak.se");
	maildirsize("postmaster@emak.se", "100 1\n");
	tree_put(tree_at("state/usage"), "", 0);     /* a file where the directory goes */
	u = get("emak.se", NOW);
	ck_assert_uint_eq(u.bytes, 100);
}
END_TEST

START_TEST(forget_drops_the_figure_and_unknown_domains_fail)
{
	struct v_domain gone = dom("gone.example");
	struct usage u;

	domain_add("emak.se");
	get("emak.se", NOW);
	ck_assert_int_eq(access(cache_file("emak.se"), F_OK), 0);
	usage_forget(state, &gone);              /* nothing there: fine */
	usage_forget(state, &(struct v_domain){ "emak.se" });
	ck_assert_int_ne(access(cache_file("emak.se"), F_OK), 0);
	ck_assert_int_lt(usage_get(st, state, &gone, NOW, &u, E), 0);
	ck_assert_int_eq(err.code, QA_ERR_NOT_FOUND);
}
END_TEST

/* ================================================================ domain lists */

struct seen {
	char text[2048];
	size_t n;
};

static int collect(void *ctx, const struct domain_info *d)
{
	struct seen *s = ctx;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s%s[%s] u%lu a%zu f%zu", s->n ? "; " : "",
	         d->name, d->alias_names ? d->alias_names : "-", d->users, d->naliases, d->nforwards);
	s->n++;
	return 0;
}

static const char *list(const struct list_query *q, size_t *total)
{
	static struct seen s;

	memset(&s, 0, sizeof(s));
	ok_call(store_domain_list(st, q, collect, &s, total, E), "list");
	return s.text;
}

static void forward(const char *domdir_rel, const char *name, const char *line)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/.qmail-%s", tree_at(domdir_rel), name);
	tree_put(p, line, strlen(line));
}

START_TEST(lists_real_domains_with_their_aliases)
{
	struct list_query q = { .limit = 10 };
	size_t total = 0;

	domain_add("emak.se");
	domain_add("other.example");
	alias_add("emak.nu", "emak.se");
	alias_add("emak.com", "emak.se");
	user_add("klient1@emak.se");
	forward("vpopmail/domains/emak.se", "info", "&klient1@emak.se\n");
	forward("vpopmail/domains/emak.se", "sales", "&someone@example.org\n");

	/* Everything, alias domains as items of their own (as before). */
	ck_assert_str_eq(list(&q, &total),
	                 "emak.com[-] u2 a0 f2; emak.nu[-] u2 a0 f2; emak.se[emak.com,emak.nu] u2 a2 f2; "
	                 "other.example[] u1 a0 f0");
	ck_assert_uint_eq(total, 4);
	/* Real domains only, each naming its aliases. */
	q.reals_only = 1;
	ck_assert_str_eq(list(&q, &total),
	                 "emak.se[emak.com,emak.nu] u2 a2 f2; other.example[] u1 a0 f0");
	ck_assert_uint_eq(total, 2);
	/* The search finds a real domain through an alias's name too. */
	q.search = ".NU";
	ck_assert_str_eq(list(&q, &total), "emak.se[emak.com,emak.nu] u2 a2 f2");
	ck_assert_uint_eq(total, 1);
	q.search = "nothing";
	ck_assert_str_eq(list(&q, &total), "");
	ck_assert_uint_eq(total, 0);
	/* One domain by its exact name; an alias is no real domain. */
	q.search = NULL;
	q.name = "emak.se";
	ck_assert_str_eq(list(&q, &total), "emak.se[emak.com,emak.nu] u2 a2 f2");
	q.name = "emak.s";
	ck_assert_str_eq(list(&q, &total), "");
	q.name = "emak.nu";
	ck_assert_str_eq(list(&q, &total), "");
	q.reals_only = 0;
	ck_assert_str_eq(list(&q, &total), "emak.nu[-] u2 a0 f2");
	ck_assert_uint_eq(total, 1);
}
END_TEST

START_TEST(pages_count_real_domains_only)
{
	struct list_query q = { .limit = 2, .reals_only = 1 };
	size_t total = 0;

	domain_add("a.example");
	domain_add("b.example");
	domain_add("c.example");
	alias_add("a-alias.example", "c.example");
	alias_add("b-alias.example", "c.example");
	ck_assert_str_eq(list(&q, &total), "a.example[] u1 a0 f0; b.example[] u1 a0 f0");
	ck_assert_uint_eq(total, 3);
	q.offset = 2;
	ck_assert_str_eq(list(&q, &total),
	                 "c.example[a-alias.example,b-alias.example] u1 a2 f0");
	ck_assert_uint_eq(total, 3);
}
END_TEST

START_TEST(domain_get_counts_forwards)
{
	struct v_domain d = dom("emak.se"), a = dom("emak.nu");
	struct domain_info info;

	domain_add("emak.se");
	alias_add("emak.nu", "emak.se");
	forward("vpopmail/domains/emak.se", "info", "&postmaster@emak.se\n");
	ok_call(store_domain_get(st, &d, &info, E), "get");
	ck_assert_uint_eq(info.nforwards, 1);
	ck_assert_uint_eq(info.naliases, 1);
	ck_assert_ptr_null(info.alias_names);
	ok_call(store_domain_get(st, &a, &info, E), "get alias");
	ck_assert_uint_eq(info.nforwards, 1);
	ck_assert_int_eq(info.is_alias, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("usage");
	TCase *parse = tcase_create("parse"), *as_root = tcase_create("as root");
	TCase *cache = tcase_create("cache"), *lists = tcase_create("domain lists");

	tcase_add_test(parse, parses_only_three_numbers_and_a_newline);
	suite_add_tcase(s, parse);
	tcase_add_checked_fixture(as_root, setup, teardown);
	tcase_add_test(as_root, root_sums_but_writes_nothing);
	suite_add_tcase(s, as_root);
	/* Runs after "as root" (no fork: in order); drops root for good. */
	tcase_add_unchecked_fixture(cache, become_nobody, NULL);
	tcase_add_checked_fixture(cache, setup, teardown);
	tcase_add_test(cache, sums_the_mailboxes_and_caches_the_figure);
	tcase_add_test(cache, a_bad_or_future_cache_is_summed_again);
	tcase_add_test(cache, an_unwritable_cache_still_gives_the_figure);
	tcase_add_test(cache, forget_drops_the_figure_and_unknown_domains_fail);
	suite_add_tcase(s, cache);
	tcase_add_checked_fixture(lists, setup, teardown);
	tcase_add_test(lists, lists_real_domains_with_their_aliases);
	tcase_add_test(lists, pages_count_real_domains_only);
	tcase_add_test(lists, domain_get_counts_forwards);
	suite_add_tcase(s, lists);
	return s;
}

CHECK_MAIN(suite)
