/* Unit tests: aliases, forwards, catch-all and limits through the store,
 * on temp roots laid out like /var/qmail and ~vpopmail: domain emak.se
 * (with alias domain emak.com) and small.test, registered in users/assign
 * and users/cdb, each with a vpasswd. Files are compared byte for byte
 * with what qmailadmin writes (formats.md section 7, fixture 08); every
 * refusal must leave the tree as it was. */
#include "config.h"

#include "check_main.h"
#include "assign.h"
#include "conf.h"
#include "qmail_tree.h"
#include "store.h"
#include "vpasswd.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64], qdir[128], vdir[128], dom[192], small[192];
static struct conf conf;
static struct store *st;
static struct qa_error e;

static void add_domain(const char *name, const char *real, const char *dir)
{
	struct assign_entry a;

	memset(&a, 0, sizeof(a));
	snprintf(a.domain, sizeof(a.domain), "%s", name);
	snprintf(a.real, sizeof(a.real), "%s", real);
	/* qmail refuses uid 0; as root the files are chowned to 89:89. */
	a.uid = geteuid() ? geteuid() : 89;
	a.gid = geteuid() ? getegid() : 89;
	snprintf(a.dir, sizeof(a.dir), "%s", dir);
	ck_assert_msg(assign_add(qdir, &a, NULL, &e) == 0, "%s", e.detail);
}

static void add_mailbox(const char *domdir, const char *name)
{
	struct vpw_entry pw;

	memset(&pw, 0, sizeof(pw));
	snprintf(pw.name, sizeof(pw.name), "%s", name);
	snprintf(pw.passwd, sizeof(pw.passwd), "$6$saltsalt$hash");
	pw.uid = 1;
	snprintf(pw.gecos, sizeof(pw.gecos), "%s", name);
	snprintf(pw.dir, sizeof(pw.dir), "%s/%s", domdir, name);
	snprintf(pw.quota, sizeof(pw.quota), "NOQUOTA");
	ck_assert_msg(vpasswd_insert(domdir, &pw, &e) == 0, "%s", e.detail);
	ck_assert_int_eq(mkdir(pw.dir, 0700), 0);
}

static void setup(void)
{
	tree_mkroot(root, sizeof(root));
	snprintf(qdir, sizeof(qdir), "%s/var/qmail", root);
	snprintf(vdir, sizeof(vdir), "%s/home/vpopmail", root);
	snprintf(dom, sizeof(dom), "%s/domains/emak.se", vdir);
	snprintf(small, sizeof(small), "%s/domains/small.test", vdir);
	tree_mkdirs(root, "var/qmail/users");
	tree_mkdirs(root, "home/vpopmail/etc");
	tree_mkdirs(root, "home/vpopmail/domains/emak.se");
	tree_mkdirs(root, "home/vpopmail/domains/small.test");
	add_domain("emak.se", "emak.se", dom);
	add_domain("emak.com", "emak.se", dom);
	add_domain("small.test", "small.test", small);
	add_mailbox(dom, "postmaster");
	add_mailbox(dom, "joe");
	add_mailbox(small, "user00001");
	conf_defaults(&conf);
	snprintf(conf.qmail_dir, sizeof(conf.qmail_dir), "%s", qdir);
	snprintf(conf.vpopmail_dir, sizeof(conf.vpopmail_dir), "%s", vdir);
	/* The current user's names: no identity change happens. */
	snprintf(conf.vpopmail_user, sizeof(conf.vpopmail_user), "%s", getpwuid(geteuid())->pw_name);
	snprintf(conf.vpopmail_group, sizeof(conf.vpopmail_group), "%s", getgrgid(getegid())->gr_name);
	st = store_open(&conf, &e);
	ck_assert_msg(st != NULL, "%s", e.detail);
}

static void teardown(void)
{
	store_close(st);
	tree_rm(root);
}

static struct v_user U(const char *addr)
{
	struct v_user u;

	ck_assert_msg(v_user(addr, &u, "user", NULL) == 0, "bad test address %s", addr);
	return u;
}

static struct v_domain D(const char *name)
{
	struct v_domain d;

	ck_assert_int_eq(v_domain(name, &d, "domain", NULL), 0);
	return d;
}

static void expect_file(const char *dir, const char *file, const char *content)
{
	char p[512];
	struct buf b = BUF_INIT;
	struct stat sb;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	ck_assert_msg(tree_slurp(p, &b) == 0, "%s missing", p);
	ck_assert_str_eq(buf_cstr(&b), content);
	ck_assert_int_eq(stat(p, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0600);
	buf_free(&b);
}

static int exists(const char *dir, const char *file)
{
	char p[512];
	struct stat sb;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	return lstat(p, &sb) == 0;
}

static void put(const char *dir, const char *file, const char *content)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	tree_put(p, content, strlen(content));
}

static int set2(const char *alias, const char *t1, const char *t2)
{
	struct v_target t[2];
	struct v_user a = U(alias);

	ck_assert_int_eq(v_target(t1, &t[0], "t", NULL), 0);
	if (t2)
		ck_assert_int_eq(v_target(t2, &t[1], "t", NULL), 0);
	return store_alias_set(st, &a, t, t2 ? 2 : 1, &e);
}

/* The statement must fail with code, and change no file. */
#define REFUSED(stmt, want)                                                   \
	do {                                                                  \
		struct buf before_ = BUF_INIT, after_ = BUF_INIT;             \
		tree_snapshot(root, &before_);                                \
		ck_assert_int_eq((stmt), -1);                                 \
		ck_assert_msg(e.code == (want), "code %d: %s", e.code, e.detail); \
		tree_snapshot(root, &after_);                                 \
		ck_assert_str_eq(buf_cstr(&after_), buf_cstr(&before_));      \
		buf_free(&before_);                                           \
		buf_free(&after_);                                            \
	} while (0)

/* ---- aliases ---- */

START_TEST(alias_with_two_targets_as_qmailadmin_writes_it)
{
	struct dq_entry ent;
	struct v_user a = U("info@emak.se");

	ck_assert_msg(set2("info@emak.se", "joe@emak.se", "sales@other.org") == 0, "%s", e.detail);
	expect_file(dom, ".qmail-info", "&joe@emak.se\n&sales@other.org\n");
	ck_assert_int_eq(store_alias_get(st, &a, &ent, &e), 0);
	ck_assert_int_eq(ent.kind, DQ_FORWARD);
	ck_assert_uint_eq(ent.ntargets, 2);
	ck_assert_str_eq(ent.targets[1], "sales@other.org");
	dq_entry_free(&ent);
	/* Replacing keeps no old line; a repeated target is written once. */
	ck_assert_int_eq(set2("info@emak.se", "Bo.Ek@Other.ORG", "Bo.Ek@other.org"), 0);
	expect_file(dom, ".qmail-info", "&Bo.Ek@other.org\n");
}
END_TEST

START_TEST(alias_matches_fixture_08)
{
	char want[512], got[512];
	const char *fx = fixtures();

	if (!fx)
		return;
	ck_assert_int_eq(set2("sales@small.test", "user00001@small.test", NULL), 0);
	snprintf(want, sizeof(want), "%s/08-qmailadmin-small-test/home/vpopmail/domains/small.test/"
	         ".qmail-sales", fx);
	snprintf(got, sizeof(got), "%s/.qmail-sales", small);
	tree_same_file(got, want);
}
END_TEST

START_TEST(alias_domain_and_dotted_names)
{
	struct dq_entry *list;
	struct v_user a = U("john.doe@emak.com"), spam = U("spam@emak.se");
	struct v_domain d = D("emak.com");
	size_t n;

	/* An alias domain writes into the real domain's directory. */
	ck_assert_msg(set2("john.doe@emak.com", "john@doe.org", NULL) == 0, "%s", e.detail);
	expect_file(dom, ".qmail-john:doe", "&john@doe.org\n");
	ck_assert_int_eq(store_alias_blackhole(st, &spam, &e), 0);
	put(dom, ".qmail-vacation", "|/usr/local/bin/autorespond 10000 5 x/VACATION/message x/VACATION\n");
	ck_assert_int_eq(store_alias_list(st, &d, &list, &n, &e), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(list[0].name, "john.doe");
	ck_assert_int_eq(list[0].kind, DQ_FORWARD);
	ck_assert_str_eq(list[1].name, "spam");
	ck_assert_int_eq(list[1].kind, DQ_BLACKHOLE);
	ck_assert_int_eq(list[2].kind, DQ_AUTORESPONDER);
	dq_list_free(list, n);
	ck_assert_int_eq(store_alias_del(st, &a, &e), 0);
	ck_assert(!exists(dom, ".qmail-john:doe"));
}
END_TEST

START_TEST(blackhole_is_a_single_hash)
{
	struct v_user a = U("nobody@emak.se");
	struct dq_entry ent;

	ck_assert_int_eq(store_alias_blackhole(st, &a, &e), 0);
	expect_file(dom, ".qmail-nobody", "#\n");
	ck_assert_int_eq(store_alias_get(st, &a, &ent, &e), 0);
	ck_assert_int_eq(ent.kind, DQ_BLACKHOLE);
	dq_entry_free(&ent);
	/* A blackhole may become a forward and back. */
	ck_assert_int_eq(set2("nobody@emak.se", "a@b.se", NULL), 0);
	ck_assert_int_eq(store_alias_blackhole(st, &a, &e), 0);
	expect_file(dom, ".qmail-nobody", "#\n");
}
END_TEST

START_TEST(alias_refusals_change_nothing)
{
	struct v_user joe = U("joe@emak.se"), pm = U("postmaster@emak.com"), x = U("x1@nowhere.se");
	struct v_user list = U("announce@emak.se"), cmd = U("announce-subscribe@emak.se");
	struct v_user ar = U("vacation@emak.se"), miss = U("missing@emak.se");
	struct v_target t;
	char link[512];

	ck_assert_int_eq(v_target("a@b.se", &t, "t", NULL), 0);
	snprintf(link, sizeof(link), "%s/.qmail-announce", dom);
	ck_assert_int_eq(symlink("/nonexistent/announce/editor", link), 0);
	snprintf(link, sizeof(link), "%s/.qmail-announce-default", dom);
	ck_assert_int_eq(symlink("/nonexistent/announce/manager", link), 0);
	put(dom, ".qmail-vacation", "|/usr/local/bin/autorespond 10000 5 x/VACATION/message x/VACATION\n");
	REFUSED(store_alias_set(st, &joe, &t, 1, &e), QA_ERR_EXISTS);        /* a mailbox */
	REFUSED(store_alias_blackhole(st, &pm, &e), QA_ERR_EXISTS);          /* via the alias domain */
	REFUSED(store_alias_set(st, &list, &t, 1, &e), QA_ERR_EXISTS);       /* a list link */
	REFUSED(store_alias_set(st, &cmd, &t, 1, &e), QA_ERR_EXISTS);        /* a list command address */
	REFUSED(store_alias_set(st, &ar, &t, 1, &e), QA_ERR_EXISTS);         /* an autoresponder */
	REFUSED(store_alias_set(st, &x, &t, 1, &e), QA_ERR_NOT_FOUND);       /* no such domain */
	REFUSED(store_alias_set(st, &miss, &t, 0, &e), QA_ERR_INVALID);      /* no targets */
	REFUSED(store_alias_del(st, &miss, &e), QA_ERR_NOT_FOUND);
	REFUSED(store_alias_del(st, &ar, &e), QA_ERR_INVALID);
	REFUSED(store_alias_del(st, &list, &e), QA_ERR_INVALID);
	/* Without vpasswd.cdb (vpopmail rebuilds it later) vpasswd decides. */
	snprintf(link, sizeof(link), "%s/vpasswd.cdb", dom);
	ck_assert_int_eq(unlink(link), 0);
	REFUSED(store_alias_set(st, &joe, &t, 1, &e), QA_ERR_EXISTS);
}
END_TEST

START_TEST(maxforwards_limits_new_aliases)
{
	struct v_user b = U("b1@emak.se");

	put(dom, ".qmailadmin-limits", "maxforwards: 1\n");
	ck_assert_int_eq(set2("a1@emak.se", "x@y.se", NULL), 0);
	REFUSED(set2("b1@emak.se", "x@y.se", NULL), QA_ERR_LIMIT);
	REFUSED(store_alias_blackhole(st, &b, &e), QA_ERR_LIMIT);
	/* Changing an existing alias is no new forward. */
	ck_assert_int_eq(set2("a1@emak.se", "z@y.se", NULL), 0);
	put(dom, ".qmailadmin-limits", "maxforwards: -1\n");
	ck_assert_int_eq(set2("b1@emak.se", "x@y.se", NULL), 0);
}
END_TEST

/* ---- a mailbox's own .qmail ---- */

START_TEST(forward_with_and_without_copy)
{
	struct v_user joe = U("joe@emak.se");
	struct dq_user in, out;
	char userdir[256], want[512];

	snprintf(userdir, sizeof(userdir), "%s/joe", dom);
	ck_assert_int_eq(store_forward_get(st, &joe, &out, &e), 0);
	ck_assert_uint_eq(out.nforward, 0);
	memset(&in, 0, sizeof(in));
	snprintf(in.forward[0], sizeof(in.forward[0]), "joe@elsewhere.org");
	in.nforward = 1;
	ck_assert_msg(store_forward_set(st, &joe, &in, &e) == 0, "%s", e.detail);
	expect_file(userdir, ".qmail", "&joe@elsewhere.org\n");
	in.save_copy = 1;
	ck_assert_int_eq(store_forward_set(st, &joe, &in, &e), 0);
	snprintf(want, sizeof(want), "&joe@elsewhere.org\n%s/Maildir/\n", userdir);
	expect_file(userdir, ".qmail", want);
	ck_assert_int_eq(store_forward_get(st, &joe, &out, &e), 0);
	ck_assert_uint_eq(out.nforward, 1);
	ck_assert_str_eq(out.forward[0], "joe@elsewhere.org");
	ck_assert_int_eq(out.save_copy, 1);
	/* No forwards: normal delivery needs no file. */
	memset(&in, 0, sizeof(in));
	ck_assert_int_eq(store_forward_set(st, &joe, &in, &e), 0);
	ck_assert(!exists(userdir, ".qmail"));
}
END_TEST

START_TEST(forward_keeps_the_vacation_line)
{
	struct v_user joe = U("joe@emak.se");
	struct dq_user u;
	char userdir[256], vac[600], want[1024];

	snprintf(userdir, sizeof(userdir), "%s/joe", dom);
	snprintf(vac, sizeof(vac), "| /usr/local/bin/autorespond 86400 3 %s/vacation/message %s/vacation",
	         userdir, userdir);
	snprintf(want, sizeof(want), "%s/Maildir/\n%s\n", userdir, vac);
	put(userdir, ".qmail", want);
	ck_assert_int_eq(store_forward_get(st, &joe, &u, &e), 0);
	ck_assert_int_eq(u.vacation, 1);
	snprintf(u.forward[0], sizeof(u.forward[0]), "a@b.se");
	u.nforward = 1;
	ck_assert_int_eq(store_forward_set(st, &joe, &u, &e), 0);
	snprintf(want, sizeof(want), "&a@b.se\n%s\n", vac);
	expect_file(userdir, ".qmail", want);
}
END_TEST

START_TEST(forward_refusals)
{
	struct v_user ghost = U("ghost@emak.se");
	struct dq_user u;

	memset(&u, 0, sizeof(u));
	REFUSED(store_forward_set(st, &ghost, &u, &e), QA_ERR_NOT_FOUND);
	REFUSED(store_forward_get(st, &ghost, &u, &e), QA_ERR_NOT_FOUND);
}
END_TEST

/* ---- catch-all ---- */

START_TEST(catchall_variants)
{
	static const struct {
		enum dq_catchall_kind kind;
		const char *target, *action;
	} cases[] = {
		{ DQ_CA_DELETE, "", "delete" },
		{ DQ_CA_BOUNCE, "", "bounce-no-mailbox" },
		{ DQ_CA_LOCAL, "joe", "joe@emak.se" },
		{ DQ_CA_REMOTE, "all@other.org", "all@other.org" },
		{ DQ_CA_REMOTE_DOMAIN, "other.org", "$EXT@other.org" },
	};
	struct v_domain d = D("emak.com");
	struct dq_catchall in, out;
	char want[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&in, 0, sizeof(in));
		in.kind = cases[i].kind;
		snprintf(in.target, sizeof(in.target), "%s", cases[i].target);
		ck_assert_msg(store_catchall_set(st, &d, &in, &e) == 0, "%s", e.detail);
		snprintf(want, sizeof(want), "| %s/bin/vdelivermail '' %s\n", vdir, cases[i].action);
		expect_file(dom, ".qmail-default", want);
		ck_assert_int_eq(store_catchall_get(st, &d, &out, &e), 0);
		ck_assert_int_eq(out.kind, cases[i].kind);
		ck_assert_str_eq(out.target, cases[i].target);
	}
	memset(&in, 0, sizeof(in));
	in.kind = DQ_CA_LOCAL;
	snprintf(in.target, sizeof(in.target), "nosuch");
	REFUSED(store_catchall_set(st, &d, &in, &e), QA_ERR_NOT_FOUND);
	in.kind = DQ_CA_REMOTE;
	snprintf(in.target, sizeof(in.target), "a$(reboot)@x.se");
	REFUSED(store_catchall_set(st, &d, &in, &e), QA_ERR_INVALID);
}
END_TEST

/* ---- limits ---- */

START_TEST(limits_round_trip)
{
	static const char file[] =
		"maxpopaccounts: 10\nmaxaliases: -1\nmaxforwards: 5\nmaxautoresponders: -1\n"
		"maxmailinglists: -1\nquota: 0\nmaxmsgcount: 0\ndefault_quota: 52428800\n"
		"default_maxmsgcount: 0\ndisable_pop\ndelete_spam\nperm_account: 0\nperm_alias: 0\n"
		"perm_forward: 0\nperm_autoresponder: 0\nperm_maillist: 73\nperm_quota: 0\n"
		"perm_defaultquota: 0\n";
	struct v_domain d = D("emak.se"), alias_dom = D("emak.com"), nowhere = D("nowhere.se");
	struct vlimits l;
	char deflt[256];
	int is_default;

	ck_assert_int_eq(store_limits_get(st, &d, &l, &is_default, &e), 0);
	ck_assert_int_eq(is_default, 1);
	ck_assert_int_eq(l.maxforwards, -1);
	l.maxpopaccounts = 10;
	l.maxforwards = 5;
	l.defaultquota = 52428800;
	l.disable_pop = 1;
	l.delete_spam = 1;
	l.perm_maillist = 1;
	l.perm_maillist_users = 1;
	l.perm_maillist_moderators = 1;
	ck_assert_int_eq(store_limits_set(st, &d, &l, &e), 0);
	expect_file(dom, ".qmailadmin-limits", file);
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(store_limits_get(st, &alias_dom, &l, &is_default, &e), 0);
	ck_assert_int_eq(is_default, 0);
	ck_assert_int_eq(l.maxforwards, 5);
	ck_assert_int_eq(l.perm_maillist_moderators, 1);
	/* Reset: back to vlimits.default. */
	snprintf(deflt, sizeof(deflt), "%s/etc", vdir);
	put(deflt, "vlimits.default", "maxpopaccounts 3\n");
	ck_assert_int_eq(store_limits_reset(st, &d, &e), 0);
	ck_assert(!exists(dom, ".qmailadmin-limits"));
	ck_assert_int_eq(store_limits_get(st, &d, &l, &is_default, &e), 0);
	ck_assert_int_eq(is_default, 1);
	ck_assert_int_eq(l.maxpopaccounts, 3);
	ck_assert_int_eq(l.maxforwards, -1);
	ck_assert_int_eq(store_limits_reset(st, &d, &e), 0);   /* already gone: fine */
	REFUSED(store_limits_reset(st, &nowhere, &e), QA_ERR_NOT_FOUND);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("store_alias");
	TCase *t = tcase_create("store_alias");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, alias_with_two_targets_as_qmailadmin_writes_it);
	tcase_add_test(t, alias_matches_fixture_08);
	tcase_add_test(t, alias_domain_and_dotted_names);
	tcase_add_test(t, blackhole_is_a_single_hash);
	tcase_add_test(t, alias_refusals_change_nothing);
	tcase_add_test(t, maxforwards_limits_new_aliases);
	tcase_add_test(t, forward_with_and_without_copy);
	tcase_add_test(t, forward_keeps_the_vacation_line);
	tcase_add_test(t, forward_refusals);
	tcase_add_test(t, catchall_variants);
	tcase_add_test(t, limits_round_trip);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(suite)
