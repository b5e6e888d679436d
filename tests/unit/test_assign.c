/* Unit tests: users/assign and users/cdb, replayed against the trees the
 * real vpopmail 5.6.13 + qmail-newu wrote (fixtures 01..05), plus
 * idempotency, healing after a crash, hostile input and concurrency. */
#include "config.h"

#include "assign.h"
#include "check_main.h"
#include "control.h"
#include "err.h"
#include "qmail_tree.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char root[64];
static char qmail[128];

static void setup(void)
{
	char p[256];

	tree_mkroot(root, sizeof(root));
	snprintf(qmail, sizeof(qmail), "%s/var/qmail", root);
	tree_mkdirs(root, "var/qmail/users");
	tree_mkdirs(root, "var/qmail/control");
	/* As in the fixtures: qmail's install left an empty locals. */
	snprintf(p, sizeof(p), "%s/control/locals", qmail);
	tree_put(p, "", 0);
}

static void teardown(void)
{
	tree_rm(root);
}

static void qpath(char *out, size_t n, const char *rel)
{
	snprintf(out, n, "%s/%s", qmail, rel);
}

static void fpath(char *out, size_t n, const char *snap, const char *rel)
{
	snprintf(out, n, "%s/%s/var/qmail/%s", fixtures(), snap, rel);
}

static void entry(struct assign_entry *ent, const char *domain, const char *real,
                  const char *dir)
{
	memset(ent, 0, sizeof(*ent));
	snprintf(ent->domain, sizeof(ent->domain), "%s", domain);
	snprintf(ent->real, sizeof(ent->real), "%s", real);
	snprintf(ent->dir, sizeof(ent->dir), "%s", dir);
	ent->uid = 89;
	ent->gid = 89;
}

/* vadddomain / vaddaliasdomain: the assign line, then the control files. */
static void add_domain(const char *domain, const char *real, const char *dir)
{
	struct assign_entry ent;
	struct qa_error e = { 0 };
	int already = -1;

	entry(&ent, domain, real, dir);
	ck_assert_msg(assign_add(qmail, &ent, &already, &e) == 0, "%s", e.detail);
	ck_assert_int_eq(already, 0);
	ck_assert_msg(ctl_add_domain(qmail, domain, &already, &e) == 0, "%s", e.detail);
	ck_assert_int_eq(already, 0);
}

static void del_domain(const char *domain)
{
	struct qa_error e = { 0 };

	ck_assert_msg(ctl_remove_domain(qmail, domain, &e) == 0, "%s", e.detail);
	ck_assert_msg(assign_remove(qmail, domain, &e) == 0, "%s", e.detail);
}

static void same_as(const char *snap, const char *rel)
{
	char got[256], want[512];

	qpath(got, sizeof(got), rel);
	fpath(want, sizeof(want), snap, rel);
	tree_same_file(got, want);
}

#define EMAK_DIR "/home/vpopmail/domains/emak.se"

START_TEST(replay_emak_matches_vpopmail)
{
	char got[256], want[512];
	struct buf a = BUF_INIT, b = BUF_INIT;

	if (!fixtures())
		return;
	add_domain("emak.se", "emak.se", EMAK_DIR);
	same_as("01-emak-domain-added", "users/assign");
	same_as("01-emak-domain-added", "control/rcpthosts");
	same_as("01-emak-domain-added", "control/virtualdomains");
	add_domain("emak.com", "emak.se", EMAK_DIR);
	same_as("03-emak-modified", "users/assign");
	same_as("03-emak-modified", "control/rcpthosts");
	same_as("03-emak-modified", "control/virtualdomains");
	same_as("03-emak-modified", "control/locals");
	qpath(got, sizeof(got), "users/cdb");
	fpath(want, sizeof(want), "03-emak-modified", "users/cdb");
	cdb_same_records(got, want);
	/* Debian's cdb tool reads ours the same way as qmail-newu's. */
	if (cdb_tool_dump(got, &a) == 0 && cdb_tool_dump(want, &b) == 0)
		ck_assert_str_eq(buf_cstr(&a), buf_cstr(&b));
	/* Same records in the same order: the very same bytes. */
	tree_same_file(got, want);
	buf_free(&a);
	buf_free(&b);
}
END_TEST

START_TEST(replay_deletion_matches_vpopmail)
{
	char got[256], want[512];

	if (!fixtures())
		return;
	add_domain("emak.se", "emak.se", EMAK_DIR);
	add_domain("emak.com", "emak.se", EMAK_DIR);
	del_domain("emak.com");
	del_domain("emak.se");
	same_as("05-emak-domain-deleted", "users/assign");
	same_as("05-emak-domain-deleted", "control/rcpthosts");
	same_as("05-emak-domain-deleted", "control/virtualdomains");
	same_as("05-emak-domain-deleted", "control/locals");
	qpath(got, sizeof(got), "users/cdb");
	fpath(want, sizeof(want), "05-emak-domain-deleted", "users/cdb");
	cdb_same_records(got, want);
	tree_same_file(got, want);
}
END_TEST

START_TEST(lookup_reads_users_cdb_like_vget_assign)
{
	struct assign_entry ent;
	struct qa_error e = { 0 };

	add_domain("emak.se", "emak.se", EMAK_DIR);
	add_domain("emak.com", "emak.se", EMAK_DIR);
	ck_assert_int_eq(assign_lookup(qmail, "emak.com", &ent, &e), 0);
	ck_assert_str_eq(ent.domain, "emak.com");
	ck_assert_str_eq(ent.real, "emak.se");
	ck_assert_str_eq(ent.dir, EMAK_DIR);
	ck_assert_int_eq(ent.uid, 89);
	ck_assert_int_eq(ent.gid, 89);
	ck_assert(assign_is_alias(&ent));
	ck_assert_int_eq(assign_lookup(qmail, "EMAK.SE", &ent, &e), 0);
	ck_assert_str_eq(ent.real, "emak.se");
	ck_assert(!assign_is_alias(&ent));
	ck_assert_int_eq(assign_lookup(qmail, "emak.org", &ent, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
}
END_TEST

START_TEST(lookup_reads_the_fixture_cdb)
{
	char q[512];
	struct assign_entry ent;
	struct qa_error e = { 0 };

	if (!fixtures())
		return;
	snprintf(q, sizeof(q), "%s/03-emak-modified/var/qmail", fixtures());
	ck_assert_int_eq(assign_lookup(q, "emak.com", &ent, &e), 0);
	ck_assert_str_eq(ent.real, "emak.se");
	ck_assert_str_eq(ent.dir, EMAK_DIR);
}
END_TEST

START_TEST(a_domain_only_in_assign_does_not_exist)
{
	char p[256];
	struct assign_entry ent;
	struct qa_error e = { 0 };

	qpath(p, sizeof(p), "users/assign");
	tree_put(p, "+x.se-:x.se:89:89:/d/x.se:-::\n.\n", 32);
	ck_assert_int_eq(assign_lookup(qmail, "x.se", &ent, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
	ck_assert_int_eq(assign_rebuild_cdb(qmail, &e), 0);
	ck_assert_int_eq(assign_lookup(qmail, "x.se", &ent, &e), 0);
	ck_assert_str_eq(ent.dir, "/d/x.se");
}
END_TEST

START_TEST(list_gives_domains_and_aliases)
{
	struct assign_entry *l;
	struct qa_error e = { 0 };
	size_t n;

	add_domain("emak.se", "emak.se", EMAK_DIR);
	add_domain("emak.com", "emak.se", EMAK_DIR);
	add_domain("other.org", "other.org", "/home/vpopmail/domains/other.org");
	ck_assert_int_eq(assign_list(qmail, &l, &n, &e), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(l[0].domain, "emak.com");
	ck_assert_str_eq(l[0].real, "emak.se");
	ck_assert(assign_is_alias(&l[0]));
	ck_assert_str_eq(l[1].domain, "emak.se");
	ck_assert(!assign_is_alias(&l[1]));
	ck_assert_str_eq(l[2].domain, "other.org");
	ck_assert_str_eq(l[2].dir, "/home/vpopmail/domains/other.org");
	assign_list_free(l);
}
END_TEST

START_TEST(adding_the_same_line_twice_changes_nothing)
{
	char p[256];
	struct assign_entry ent;
	struct qa_error e = { 0 };
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct stat st1, st2;
	int already = 0;

	add_domain("emak.se", "emak.se", EMAK_DIR);
	qpath(p, sizeof(p), "users/cdb");
	ck_assert_int_eq(stat(p, &st1), 0);
	tree_snapshot(root, &before);
	entry(&ent, "emak.se", "emak.se", EMAK_DIR);
	ck_assert_int_eq(assign_add(qmail, &ent, &already, &e), 0);
	ck_assert_int_eq(already, 1);
	ck_assert_int_eq(ctl_add_domain(qmail, "emak.se", &already, &e), 0);
	ck_assert_int_eq(already, 1);
	tree_snapshot(root, &after);
	ck_assert_str_eq(buf_cstr(&after), buf_cstr(&before));
	ck_assert_int_eq(stat(p, &st2), 0);
	ck_assert_int_eq(st1.st_ino, st2.st_ino);   /* users/cdb not even rewritten */
	buf_free(&before);
	buf_free(&after);
}
END_TEST

START_TEST(another_line_for_the_domain_is_refused)
{
	struct assign_entry ent;
	struct qa_error e = { 0 };

	add_domain("emak.se", "emak.se", EMAK_DIR);
	entry(&ent, "emak.se", "emak.se", "/elsewhere/emak.se");
	ck_assert_int_eq(assign_add(qmail, &ent, NULL, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_EXISTS);
	entry(&ent, "EMAK.SE", "other.se", EMAK_DIR);
	ck_assert_int_eq(assign_add(qmail, &ent, NULL, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_EXISTS);
}
END_TEST

START_TEST(removing_an_absent_domain_is_not_found)
{
	struct qa_error e = { 0 };

	ck_assert_int_eq(assign_remove(qmail, "emak.se", &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
	add_domain("emak.se", "emak.se", EMAK_DIR);
	ck_assert_int_eq(assign_remove(qmail, "emak.com", &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
	ck_assert_int_eq(assign_remove(qmail, "emak.se", &e), 0);
	ck_assert_int_eq(assign_remove(qmail, "emak.se", &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
}
END_TEST

START_TEST(a_crash_before_users_cdb_heals_on_the_next_call)
{
	char p[256];
	struct assign_entry ent;
	struct qa_error e = { 0 };
	int already = 0;

	add_domain("emak.se", "emak.se", EMAK_DIR);
	/* The new assign was renamed in, then the helper died before users/cdb. */
	qpath(p, sizeof(p), "users/cdb");
	ck_assert_int_eq(unlink(p), 0);
	entry(&ent, "emak.se", "emak.se", EMAK_DIR);
	ck_assert_int_eq(assign_add(qmail, &ent, &already, &e), 0);
	ck_assert_int_eq(already, 1);
	ck_assert_int_eq(assign_lookup(qmail, "emak.se", &ent, &e), 0);
	/* Same for a removal retried after users/cdb went stale. */
	qpath(p, sizeof(p), "users/assign");
	tree_put(p, ".\n", 2);
	ck_assert_int_eq(assign_remove(qmail, "emak.se", &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
	ck_assert_int_eq(assign_lookup(qmail, "emak.se", &ent, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
}
END_TEST

START_TEST(foreign_lines_keep_qmail_newu_semantics)
{
	char p[256];
	struct assign_entry ent;
	struct qa_error e = { 0 };
	struct buf got = BUF_INIT;
	static const char before[] =
		"+Big.Org-:big.org:89:89:/d/big.org:-::extra\n"
		"=joe:joe:1000:1000:/home/joe:::\n"
		".\n"
		"# kept after the end\n";

	qpath(p, sizeof(p), "users/assign");
	tree_put(p, before, sizeof(before) - 1);
	entry(&ent, "a.se", "a.se", "/d/a.se");
	ck_assert_msg(assign_add(qmail, &ent, NULL, &e) == 0, "%s", e.detail);
	ck_assert_int_eq(tree_slurp(p, &got), 0);
	ck_assert_str_eq(buf_cstr(&got),
		"+Big.Org-:big.org:89:89:/d/big.org:-::extra\n"
		"+a.se-:a.se:89:89:/d/a.se:-::\n"
		"=joe:joe:1000:1000:/home/joe:::\n"
		".\n"
		"# kept after the end\n");
	qpath(p, sizeof(p), "users/cdb");
	cdb_records(p, &got);
	ck_assert_str_eq(buf_cstr(&got),
		"!a.se-->a.se\\x0089\\x0089\\x00/d/a.se\\x00-\\x00\n"
		"!big.org-->big.org\\x0089\\x0089\\x00/d/big.org\\x00-\\x00\n"
		"!joe\\x00->joe\\x001000\\x001000\\x00/home/joe\\x00\\x00\n"
		"->-\n");
	ck_assert_int_eq(assign_lookup(qmail, "big.org", &ent, &e), 0);
	buf_free(&got);
}
END_TEST

/* A file qmail-newu would reject is left alone: nothing is written. */
#define refused_as_corrupt(lit) refused_as_corrupt_n(lit, sizeof(lit) - 1)
static void refused_as_corrupt_n(const char *content, size_t n)
{
	char p[256];
	struct assign_entry ent;
	struct qa_error e = { 0 };
	struct buf before = BUF_INIT, after = BUF_INIT;

	qpath(p, sizeof(p), "users/assign");
	tree_put(p, content, n);
	qpath(p, sizeof(p), "users/assign.lock");
	tree_put(p, "", 0);
	tree_snapshot(root, &before);
	entry(&ent, "a.se", "a.se", "/d/a.se");
	ck_assert_int_eq(assign_add(qmail, &ent, NULL, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_CORRUPT);
	tree_snapshot(root, &after);
	ck_assert_str_eq(buf_cstr(&after), buf_cstr(&before));
	buf_free(&before);
	buf_free(&after);
}

START_TEST(a_bad_assign_file_is_not_touched)
{
	refused_as_corrupt("no colon here\n.\n");
	refused_as_corrupt(":leading:colon:1:2:/x:-::\n.\n");
	refused_as_corrupt("+few-:colons:1:2:/x\n.\n");
	refused_as_corrupt("+x.se-:x.se:89:89:/d\0x:-::\n.\n");
}
END_TEST

/* Runs f and fails unless it changed nothing under root. */
#define UNCHANGED(stmt)                                                       \
	do {                                                                  \
		struct buf before_ = BUF_INIT, after_ = BUF_INIT;             \
		tree_snapshot(root, &before_);                                \
		stmt;                                                         \
		tree_snapshot(root, &after_);                                 \
		ck_assert_str_eq(buf_cstr(&after_), buf_cstr(&before_));      \
		buf_free(&before_);                                           \
		buf_free(&after_);                                            \
	} while (0)

static void refused_add(const struct assign_entry *ent)
{
	struct qa_error e = { 0 };

	UNCHANGED(ck_assert_int_eq(assign_add(qmail, ent, NULL, &e), -1));
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
}

static void refused_domain(const char *d)
{
	struct qa_error e = { 0 };
	struct assign_entry out;

	UNCHANGED(ck_assert_int_eq(ctl_add_domain(qmail, d, NULL, &e), -1));
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	UNCHANGED(ck_assert_int_eq(assign_remove(qmail, d, &e), -1));
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	UNCHANGED(ck_assert_int_eq(ctl_remove_domain(qmail, d, &e), -1));
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	ck_assert_int_eq(assign_lookup(qmail, d, &out, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
}

START_TEST(hostile_names_and_paths_change_nothing)
{
	static const char *const bad_domains[] = {
		"a/b.se", "../x.se", "x.se/..", "..", "x..se", "x.se:evil", "x.se\nfoo",
		"x se.com", " x.se", "x.se ", "x.se\t", "", "se", "-x.se", "x\\y.se",
		"x.se\r", "*.se", "x.se-:evil:0:0:/:-::",
	};
	static const char *const bad_dirs[] = {
		"relative/emak.se", "/home/v/../etc", "/home/v/./x", "/home/v:x", "/home/v\nx",
		"/home/v x", "/home//x", "/home/x/", "/", "", "/home/$(reboot)", "/home/`x`",
		"/home/x;y", "/home/'x'",
	};
	struct assign_entry ent;
	char longname[300];
	size_t i;

	add_domain("emak.se", "emak.se", EMAK_DIR);
	for (i = 0; i < sizeof(bad_domains) / sizeof(*bad_domains); i++) {
		entry(&ent, bad_domains[i], "emak.se", EMAK_DIR);
		refused_add(&ent);
		entry(&ent, "ok.se", bad_domains[i], EMAK_DIR);
		refused_add(&ent);
		refused_domain(bad_domains[i]);
	}
	for (i = 0; i < sizeof(bad_dirs) / sizeof(*bad_dirs); i++) {
		entry(&ent, "ok.se", "ok.se", bad_dirs[i]);
		refused_add(&ent);
	}
	memset(longname, 'a', sizeof(longname) - 4);
	memcpy(longname + sizeof(longname) - 4, ".se", 4);
	refused_domain(longname);
	entry(&ent, "ok.se", "ok.se", EMAK_DIR);
	ent.uid = 0;
	refused_add(&ent);
	/* Fields without their terminator are never read past their end. */
	ent.uid = 89;
	memset(ent.dir, 'd', sizeof(ent.dir));
	ent.dir[0] = '/';
	refused_add(&ent);
	entry(&ent, "ok.se", "ok.se", EMAK_DIR);
	memset(ent.domain, 'a', sizeof(ent.domain));
	refused_add(&ent);
}
END_TEST

START_TEST(paths_are_checked_strictly)
{
	ck_assert(ctl_path_ok("/home/vpopmail/domains/emak.se", 255));
	ck_assert(ctl_path_ok("/home/vpopmail/domains/0/big-1.test", 255));
	ck_assert(!ctl_path_ok("/home/vpopmail/domains/..", 255));
	ck_assert(!ctl_path_ok("/home/vpopmail/domains/../x", 255));
	ck_assert(ctl_path_ok("/home/vpopmail/domains/..x", 255));
	ck_assert(ctl_path_ok("/home/vpopmail/domains/.x", 255));
	ck_assert(!ctl_path_ok("/home/vpopmail/domains/.", 255));
	ck_assert(!ctl_path_ok("/a/b", 3));
}
END_TEST

/* ---- concurrency: 4 writers, 20 domains each, all at once ---- */

static void writer(int w)
{
	struct assign_entry ent;
	struct qa_error e = { 0 };
	char d[64], dir[128];
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(d, sizeof(d), "w%dd%02d.test", w, i);
		snprintf(dir, sizeof(dir), "/home/vpopmail/domains/%s", d);
		entry(&ent, d, d, dir);
		if (assign_add(qmail, &ent, NULL, &e) < 0 || ctl_add_domain(qmail, d, NULL, &e) < 0) {
			fprintf(stderr, "# writer %d: %s: %s\n", w, d, e.detail);
			_exit(1);
		}
	}
	_exit(0);
}

static void load(const char *rel, struct ctl_lines *l)
{
	char p[256];
	struct qa_error e = { 0 };
	int missing;

	qpath(p, sizeof(p), rel);
	ck_assert_int_eq(ctl_lines_load(p, l, &missing, &e), 0);
	ck_assert(!missing);
}

START_TEST(concurrent_writers_lose_nothing)
{
	struct ctl_lines a = { 0 }, r = { 0 }, m = { 0 };
	struct assign_entry ent;
	struct qa_error e = { 0 };
	struct buf recs = BUF_INIT;
	char d[64], p[256];
	pid_t pid[4];
	int w, i, status;
	size_t n, k;
	unsigned where;

	for (w = 0; w < 4; w++) {
		pid[w] = fork();
		ck_assert_int_ge(pid[w], 0);
		if (pid[w] == 0)
			writer(w);
	}
	for (w = 0; w < 4; w++) {
		ck_assert_int_eq(waitpid(pid[w], &status, 0), pid[w]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	load("users/assign", &a);
	ck_assert_int_eq(a.n, 81);
	ck_assert_str_eq(a.v[80], ".");
	a.n--;                                  /* sortedness of the entries */
	ck_assert(ctl_lines_is_sorted(&a, CTL_KEY_ASSIGN));
	a.n++;
	load("control/rcpthosts", &r);
	load("control/morercpthosts", &m);
	ck_assert_int_eq(r.n, 50);
	ck_assert_int_eq(m.n, 30);
	ck_assert(ctl_lines_is_sorted(&r, CTL_KEY_PLAIN));
	ck_assert(ctl_lines_is_sorted(&m, CTL_KEY_PLAIN));
	for (w = 0; w < 4; w++) {
		for (i = 0; i < 20; i++) {
			snprintf(d, sizeof(d), "w%dd%02d.test", w, i);
			ck_assert_msg(assign_lookup(qmail, d, &ent, &e) == 0, "%s", d);
			ck_assert_int_eq(ctl_domain_where(qmail, d, &where, &e), 0);
			ck_assert(where & CTL_IN_VIRTUALDOMAINS);
			ck_assert(where & (CTL_IN_RCPTHOSTS | CTL_IN_MORERCPTHOSTS));
		}
	}
	/* users/cdb holds the 80 domains and the wildchars, nothing else. */
	qpath(p, sizeof(p), "users/cdb");
	cdb_records(p, &recs);
	for (n = 0, k = 0; k < recs.len; k++)
		n += recs.p[k] == '\n';
	ck_assert_int_eq(n, 81);
	/* morercpthosts.cdb has exactly the lines of morercpthosts. */
	qpath(p, sizeof(p), "control/morercpthosts.cdb");
	cdb_records(p, &recs);
	for (n = 0, k = 0; k < recs.len; k++)
		n += recs.p[k] == '\n';
	ck_assert_int_eq(n, 30);
	for (k = 0; k < m.n; k++) {
		char want[128];

		snprintf(want, sizeof(want), "%s->\n", m.v[k]);
		ck_assert_ptr_nonnull(strstr(buf_cstr(&recs), want));
	}
	buf_free(&recs);
	ctl_lines_free(&a);
	ctl_lines_free(&r);
	ctl_lines_free(&m);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("assign");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, replay_emak_matches_vpopmail);
	tcase_add_test(tc, replay_deletion_matches_vpopmail);
	tcase_add_test(tc, lookup_reads_users_cdb_like_vget_assign);
	tcase_add_test(tc, lookup_reads_the_fixture_cdb);
	tcase_add_test(tc, a_domain_only_in_assign_does_not_exist);
	tcase_add_test(tc, list_gives_domains_and_aliases);
	tcase_add_test(tc, adding_the_same_line_twice_changes_nothing);
	tcase_add_test(tc, another_line_for_the_domain_is_refused);
	tcase_add_test(tc, removing_an_absent_domain_is_not_found);
	tcase_add_test(tc, a_crash_before_users_cdb_heals_on_the_next_call);
	tcase_add_test(tc, foreign_lines_keep_qmail_newu_semantics);
	tcase_add_test(tc, a_bad_assign_file_is_not_touched);
	tcase_add_test(tc, hostile_names_and_paths_change_nothing);
	tcase_add_test(tc, paths_are_checked_strictly);
	tcase_add_test(tc, concurrent_writers_lose_nothing);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
