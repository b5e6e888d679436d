/* Unit tests: rcpthosts, morercpthosts(.cdb), virtualdomains and locals,
 * replayed against the tree vpopmail 5.6.13 + qmail-newmrh wrote for 52
 * domains (fixture 07), vpopmail's sort order, and telling qmail-send to
 * reload. */
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
#include <time.h>
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

static void put(const char *rel, const char *content)
{
	char p[256];

	qpath(p, sizeof(p), rel);
	tree_put(p, content, strlen(content));
}

static void expect(const char *rel, const char *content)
{
	char p[256];
	struct buf b = BUF_INIT;

	qpath(p, sizeof(p), rel);
	ck_assert_msg(tree_slurp(p, &b) == 0, "%s missing", rel);
	ck_assert_str_eq(buf_cstr(&b), content);
	buf_free(&b);
}

static int exists(const char *rel)
{
	char p[256];

	qpath(p, sizeof(p), rel);
	return access(p, F_OK) == 0;
}

static void add(const char *d)
{
	struct qa_error e = { 0 };

	ck_assert_msg(ctl_add_domain(qmail, d, NULL, &e) == 0, "%s: %s", d, e.detail);
}

static void del(const char *d)
{
	struct qa_error e = { 0 };

	ck_assert_msg(ctl_remove_domain(qmail, d, &e) == 0, "%s: %s", d, e.detail);
}

/* ---- vpopmail's sort order ---- */

static void insert_all(struct ctl_lines *l, const char *const *in, size_t n, enum ctl_key kt)
{
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_int_eq(ctl_lines_insert_sorted(l, in[i], kt), 0);
}

START_TEST(sorted_by_the_last_two_labels_first)
{
	static const char *const in[] = {
		"mail.example.com", "example.org", "a.example.com", "example.com", "b.a.example.com",
	};
	struct ctl_lines l = { 0 };

	insert_all(&l, in, 5, CTL_KEY_PLAIN);
	ck_assert_int_eq(l.n, 5);
	/* keys: example.com, example.com.a, example.com.b.a, example.com.mail, example.org */
	ck_assert_str_eq(l.v[0], "example.com");
	ck_assert_str_eq(l.v[1], "a.example.com");
	ck_assert_str_eq(l.v[2], "b.a.example.com");
	ck_assert_str_eq(l.v[3], "mail.example.com");
	ck_assert_str_eq(l.v[4], "example.org");
	ck_assert(ctl_lines_is_sorted(&l, CTL_KEY_PLAIN));
	ctl_lines_free(&l);
}
END_TEST

START_TEST(virtualdomains_and_assign_keys)
{
	static const char *const vd[] = { "b.se:b.se", "x.a.se:x.a.se", "a.se:a.se" };
	static const char *const as[] = {
		"+b.se-:b.se:89:89:/d/b.se:-::", "+emak.com-:emak.se:89:89:/d/emak.se:-::",
		"+a.se-:a.se:89:89:/d/a.se:-::",
	};
	struct ctl_lines l = { 0 };

	insert_all(&l, vd, 3, CTL_KEY_PLAIN);
	ck_assert_str_eq(l.v[0], "a.se:a.se");
	ck_assert_str_eq(l.v[1], "x.a.se:x.a.se");
	ck_assert_str_eq(l.v[2], "b.se:b.se");
	ctl_lines_free(&l);
	insert_all(&l, as, 3, CTL_KEY_ASSIGN);
	ck_assert_str_eq(l.v[0], "+a.se-:a.se:89:89:/d/a.se:-::");
	ck_assert_str_eq(l.v[1], "+b.se-:b.se:89:89:/d/b.se:-::");
	ck_assert_str_eq(l.v[2], "+emak.com-:emak.se:89:89:/d/emak.se:-::");
	ctl_lines_free(&l);
}
END_TEST

START_TEST(an_unsorted_file_is_sorted_stably)
{
	static const char *const in[] = { "z.se", "# comment", "b.se", "b.se", "a.se" };
	struct ctl_lines l = { 0 };
	size_t i;

	for (i = 0; i < 5; i++)
		ck_assert_int_eq(ctl_lines_push(&l, in[i], strlen(in[i])), 0);
	ck_assert(!ctl_lines_is_sorted(&l, CTL_KEY_PLAIN));
	ck_assert_int_eq(ctl_lines_insert_sorted(&l, "c.se", CTL_KEY_PLAIN), 0);
	ck_assert_int_eq(l.n, 6);
	ck_assert_str_eq(l.v[0], "# comment");
	ck_assert_str_eq(l.v[1], "a.se");
	ck_assert_str_eq(l.v[2], "b.se");
	ck_assert_str_eq(l.v[3], "b.se");
	ck_assert_str_eq(l.v[4], "c.se");
	ck_assert_str_eq(l.v[5], "z.se");
	ctl_lines_free(&l);
}
END_TEST

START_TEST(more_than_ten_labels_sort_like_vpopmail)
{
	/* extract_domain keeps only the first 10 labels: these two compare on
	 * "j.k" (labels 9-10), not on their real last two labels. */
	static const char *const in[] = {
		"a.b.c.d.e.f.g.h.j.k.zz.se", "a.b.c.d.e.f.g.h.j.k.aa.se",
	};
	struct ctl_lines l = { 0 };

	insert_all(&l, in, 2, CTL_KEY_PLAIN);
	ck_assert_str_eq(l.v[0], "a.b.c.d.e.f.g.h.j.k.zz.se");
	ctl_lines_free(&l);
}
END_TEST

/* ---- fixture 07: 52 domains ---- */

static void same_as_07(const char *rel)
{
	char got[256], want[512];

	qpath(got, sizeof(got), rel);
	snprintf(want, sizeof(want), "%s/07-52-domains/var/qmail/%s", fixtures(), rel);
	tree_same_file(got, want);
}

START_TEST(replay_52_domains_matches_vpopmail)
{
	char d[32], dir[64], got[256], want[512];
	struct assign_entry ent;
	struct qa_error e = { 0 };
	struct buf a = BUF_INIT, b = BUF_INIT;
	int i;

	if (!fixtures())
		return;
	for (i = 1; i <= 52; i++) {
		snprintf(d, sizeof(d), "d%02d.test", i);
		snprintf(dir, sizeof(dir), "/home/vpopmail/domains/%s", d);
		memset(&ent, 0, sizeof(ent));
		snprintf(ent.domain, sizeof(ent.domain), "%s", d);
		snprintf(ent.real, sizeof(ent.real), "%s", d);
		snprintf(ent.dir, sizeof(ent.dir), "%s", dir);
		ent.uid = ent.gid = 89;
		ck_assert_msg(assign_add(qmail, &ent, NULL, &e) == 0, "%s", e.detail);
		add(d);
	}
	same_as_07("control/rcpthosts");
	same_as_07("control/morercpthosts");
	same_as_07("control/virtualdomains");
	same_as_07("control/locals");
	same_as_07("users/assign");
	qpath(got, sizeof(got), "control/morercpthosts.cdb");
	snprintf(want, sizeof(want), "%s/07-52-domains/var/qmail/control/morercpthosts.cdb", fixtures());
	cdb_same_records(got, want);
	if (cdb_tool_dump(got, &a) == 0 && cdb_tool_dump(want, &b) == 0)
		ck_assert_str_eq(buf_cstr(&a), buf_cstr(&b));
	tree_same_file(got, want);
	qpath(got, sizeof(got), "users/cdb");
	snprintf(want, sizeof(want), "%s/07-52-domains/var/qmail/users/cdb", fixtures());
	cdb_same_records(got, want);
	tree_same_file(got, want);
	buf_free(&a);
	buf_free(&b);
}
END_TEST

START_TEST(morercpthosts_goes_when_empty)
{
	char p[256];
	struct buf recs = BUF_INIT;
	char d[32];
	int i;

	for (i = 1; i <= 52; i++) {
		snprintf(d, sizeof(d), "d%02d.test", i);
		add(d);
	}
	del("d52.test");
	expect("control/morercpthosts", "d51.test\n");
	qpath(p, sizeof(p), "control/morercpthosts.cdb");
	cdb_records(p, &recs);
	ck_assert_str_eq(buf_cstr(&recs), "d51.test->\n");
	/* A freed rcpthosts slot is reused; nothing moves between the files. */
	del("d01.test");
	add("new.test");
	expect("control/morercpthosts", "d51.test\n");
	del("d51.test");
	ck_assert(!exists("control/morercpthosts"));
	ck_assert(!exists("control/morercpthosts.cdb"));
	buf_free(&recs);
}
END_TEST

START_TEST(morercpthosts_cdb_follows_qmail_newmrh)
{
	char p[256];
	struct buf recs = BUF_INIT;
	struct qa_error e = { 0 };

	put("control/morercpthosts", "# comment\nMixed.Case.se  \t\n\nplain.se\nno-newline.se");
	ck_assert_int_eq(ctl_rebuild_morercpthosts(qmail, &e), 0);
	qpath(p, sizeof(p), "control/morercpthosts.cdb");
	cdb_records(p, &recs);
	ck_assert_str_eq(buf_cstr(&recs), "mixed.case.se->\nno-newline.se->\nplain.se->\n");
	buf_free(&recs);
}
END_TEST

START_TEST(a_stale_morercpthosts_cdb_heals)
{
	char p[256];
	struct buf recs = BUF_INIT;
	struct qa_error e = { 0 };
	int already = -1, i;
	char d[32];

	for (i = 1; i <= 51; i++) {
		snprintf(d, sizeof(d), "d%02d.test", i);
		add(d);
	}
	/* Crash after morercpthosts was written, before its cdb. */
	qpath(p, sizeof(p), "control/morercpthosts.cdb");
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(ctl_add_domain(qmail, "d51.test", &already, &e), 0);
	ck_assert_int_eq(already, 0);
	cdb_records(p, &recs);
	ck_assert_str_eq(buf_cstr(&recs), "d51.test->\n");
	ck_assert_int_eq(ctl_add_domain(qmail, "d51.test", &already, &e), 0);
	ck_assert_int_eq(already, 1);
	buf_free(&recs);
}
END_TEST

START_TEST(locals_loses_the_domain_only)
{
	put("control/locals", "mail.host.tld\nemak.se\nEMAK.SE \nlocalhost\n");
	add("emak.se");
	expect("control/locals", "mail.host.tld\nlocalhost\n");
	expect("control/rcpthosts", "emak.se\n");
	expect("control/virtualdomains", "emak.se:emak.se\n");
}
END_TEST

START_TEST(a_missing_locals_stays_missing)
{
	char p[256];

	qpath(p, sizeof(p), "control/locals");
	ck_assert_int_eq(unlink(p), 0);
	add("emak.se");
	ck_assert(!exists("control/locals"));
	ck_assert(exists("control/rcpthosts"));
}
END_TEST

START_TEST(virtualdomains_routing_elsewhere_is_refused)
{
	struct qa_error e = { 0 };
	struct buf before = BUF_INIT, after = BUF_INIT;

	put("control/virtualdomains", "emak.se:someoneelse\n");
	put("control/virtualdomains.lock", "");
	tree_snapshot(root, &before);
	ck_assert_int_eq(ctl_add_domain(qmail, "emak.se", NULL, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_EXISTS);
	tree_snapshot(root, &after);
	ck_assert_str_eq(buf_cstr(&after), buf_cstr(&before));
	buf_free(&before);
	buf_free(&after);
}
END_TEST

START_TEST(adding_twice_and_removing_twice)
{
	struct qa_error e = { 0 };
	int already = -1;

	ck_assert_int_eq(ctl_add_domain(qmail, "Emak.SE", &already, &e), 0);
	ck_assert_int_eq(already, 0);
	ck_assert_int_eq(ctl_add_domain(qmail, "emak.se", &already, &e), 0);
	ck_assert_int_eq(already, 1);
	expect("control/rcpthosts", "emak.se\n");
	del("emak.se");
	expect("control/rcpthosts", "");
	expect("control/virtualdomains", "");
	ck_assert_int_eq(ctl_remove_domain(qmail, "emak.se", &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
}
END_TEST

START_TEST(a_half_removed_domain_is_finished)
{
	/* A crash after rcpthosts, before virtualdomains: the retry finishes. */
	put("control/rcpthosts", "");
	put("control/virtualdomains", "a.se:a.se\nemak.se:emak.se\n");
	del("emak.se");
	expect("control/virtualdomains", "a.se:a.se\n");
}
END_TEST

START_TEST(where_reports_each_file)
{
	struct qa_error e = { 0 };
	unsigned where = 99;

	ck_assert_int_eq(ctl_domain_where(qmail, "emak.se", &where, &e), 0);
	ck_assert_int_eq(where, 0);
	put("control/locals", "emak.se\n");
	put("control/morercpthosts", "EMAK.SE\n");
	ck_assert_int_eq(ctl_domain_where(qmail, "emak.se", &where, &e), 0);
	ck_assert_int_eq(where, CTL_IN_LOCALS | CTL_IN_MORERCPTHOSTS);
	add("emak.se");
	ck_assert_int_eq(ctl_domain_where(qmail, "emak.se", &where, &e), 0);
	ck_assert_int_eq(where, CTL_IN_MORERCPTHOSTS | CTL_IN_VIRTUALDOMAINS);
	ck_assert_int_eq(ctl_domain_where(qmail, "x/y", &where, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
}
END_TEST

START_TEST(a_control_file_with_nul_is_not_touched)
{
	struct qa_error e = { 0 };
	char p[256];

	qpath(p, sizeof(p), "control/rcpthosts");
	tree_put(p, "a.se\0b.se\n", 10);
	ck_assert_int_eq(ctl_add_domain(qmail, "emak.se", NULL, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_CORRUPT);
	qpath(p, sizeof(p), "control/rcpthosts");
	ck_assert_int_eq(access(p, F_OK), 0);
}
END_TEST

/* ---- reloading qmail-send ---- */

static volatile sig_atomic_t got_hup;

static void on_hup(int sig)
{
	(void)sig;
	got_hup = 1;
}

/* A stand-in for qmail-send: exits 0 once it gets SIGHUP. */
static pid_t fake_qmail_send(void)
{
	sigset_t block, old;
	pid_t pid;

	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct timespec t = { 5, 0 };
		siginfo_t si;

		_exit(sigtimedwait(&block, &si, &t) == SIGHUP ? 0 : 1);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

START_TEST(hup_signals_the_pid_in_the_file)
{
	char p[256], pid_s[32];
	struct qa_error e = { 0 };
	pid_t pid = fake_qmail_send();
	int status;

	snprintf(p, sizeof(p), "%s/qmail-send.pid", root);
	snprintf(pid_s, sizeof(pid_s), "%ld\n", (long)pid);
	tree_put(p, pid_s, strlen(pid_s));
	ck_assert_msg(ctl_hup_pidfile(p, &e) == 0, "%s", e.detail);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Now that pid is gone. */
	ck_assert_int_eq(ctl_hup_pidfile(p, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
}
END_TEST

START_TEST(hup_refuses_a_bad_pid_file)
{
	static const char *const bad[] = {
		"", "\n", "abc\n", "12 34\n", "0\n", "1\n", "-5\n", "+5\n", "007\n", "12\n\n",
		" 12\n", "12\r\n", "99999999999\n", "2147483648\n", "0x10\n",
	};
	char p[256];
	struct qa_error e = { 0 };
	void (*old)(int) = signal(SIGHUP, on_hup);
	size_t i;

	snprintf(p, sizeof(p), "%s/pid", root);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		tree_put(p, bad[i], strlen(bad[i]));
		ck_assert_int_eq(ctl_hup_pidfile(p, &e), -1);
		ck_assert_msg(e.code == QA_ERR_CORRUPT, "%s accepted", bad[i]);
	}
	ck_assert_int_eq(ctl_hup_pidfile("relative/pid", &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	ck_assert_int_eq(ctl_hup_pidfile(root, &e), -1);         /* a directory */
	ck_assert_int_eq(e.code, QA_ERR_CORRUPT);
	snprintf(p, sizeof(p), "%s/nope", root);
	ck_assert_int_eq(ctl_hup_pidfile(p, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_IO);
	ck_assert_int_eq(got_hup, 0);
	signal(SIGHUP, old);
}
END_TEST

START_TEST(reload_command_runs_without_a_shell)
{
	static const char *const ok[] = { "/bin/true", NULL };
	static const char *const fails[] = { "/bin/false", NULL };
	static const char *const relative[] = { "true", NULL };
	static const char *const missing[] = { "/nonexistent/svc", "-h", NULL };
	/* The child's stdout is /dev/null and its environment is fixed. */
	static const char *const env[] = {
		"/bin/sh", "-c",
		"[ \"$(readlink /proc/$$/fd/1)\" = /dev/null ] && [ -z \"$HOME\" ] "
		"&& [ \"$PATH\" = /usr/local/bin:/usr/bin:/bin ]",
		NULL,
	};
	struct qa_error e = { 0 };

	ck_assert_msg(ctl_run_reload(ok, &e) == 0, "%s", e.detail);
	ck_assert_int_eq(ctl_run_reload(fails, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_IO);
	ck_assert_int_eq(ctl_run_reload(relative, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	ck_assert_int_eq(ctl_run_reload(missing, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_IO);
	ck_assert_msg(ctl_run_reload(env, &e) == 0, "%s", e.detail);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("control");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sorted_by_the_last_two_labels_first);
	tcase_add_test(tc, virtualdomains_and_assign_keys);
	tcase_add_test(tc, an_unsorted_file_is_sorted_stably);
	tcase_add_test(tc, more_than_ten_labels_sort_like_vpopmail);
	tcase_add_test(tc, replay_52_domains_matches_vpopmail);
	tcase_add_test(tc, morercpthosts_goes_when_empty);
	tcase_add_test(tc, morercpthosts_cdb_follows_qmail_newmrh);
	tcase_add_test(tc, a_stale_morercpthosts_cdb_heals);
	tcase_add_test(tc, locals_loses_the_domain_only);
	tcase_add_test(tc, a_missing_locals_stays_missing);
	tcase_add_test(tc, virtualdomains_routing_elsewhere_is_refused);
	tcase_add_test(tc, adding_twice_and_removing_twice);
	tcase_add_test(tc, a_half_removed_domain_is_finished);
	tcase_add_test(tc, where_reports_each_file);
	tcase_add_test(tc, a_control_file_with_nul_is_not_touched);
	tcase_add_test(tc, hup_signals_the_pid_in_the_file);
	tcase_add_test(tc, hup_refuses_a_bad_pid_file);
	tcase_add_test(tc, reload_command_runs_without_a_shell);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
