/* Unit tests: atomic file replacement, fcntl locks, error values. */
#include "config.h"

#include "atomic.h"
#include "check_main.h"
#include "err.h"
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/qa-atomic-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static char *slurp(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got;

	if (!f)
		return NULL;
	got = fread(out, 1, n - 1, f);
	out[got] = '\0';
	fclose(f);
	return out;
}

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

START_TEST(replace_writes_content_and_mode)
{
	char path[128], got[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/file", dir);
	ck_assert_int_eq(atomic_replace(path, "one\n", 4, 0600), 0);
	ck_assert_str_eq(slurp(path, got, sizeof(got)), "one\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(atomic_replace(path, "two\n", 4, 0644), 0);
	ck_assert_str_eq(slurp(path, got, sizeof(got)), "two\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	ck_assert_int_eq(count_entries(), 1);    /* no temp file left */
}
END_TEST

START_TEST(abort_keeps_the_old_file)
{
	struct atomic_file f;
	char path[128], got[64];

	snprintf(path, sizeof(path), "%s/file", dir);
	ck_assert_int_eq(atomic_replace(path, "old\n", 4, 0600), 0);
	ck_assert_int_eq(atomic_open(&f, path, 0600), 0);
	ck_assert_int_eq(atomic_write(&f, "new\n", 4), 0);
	ck_assert_int_eq(count_entries(), 2);
	atomic_abort(&f);
	ck_assert_str_eq(slurp(path, got, sizeof(got)), "old\n");
	ck_assert_int_eq(count_entries(), 1);
}
END_TEST

START_TEST(a_crash_before_rename_leaves_the_old_file)
{
	char path[128], got[64];
	pid_t pid;
	int status;

	snprintf(path, sizeof(path), "%s/file", dir);
	ck_assert_int_eq(atomic_replace(path, "old\n", 4, 0600), 0);
	pid = fork();
	if (pid == 0) {
		struct atomic_file f;

		atomic_open(&f, path, 0600);
		atomic_write(&f, "half", 4);
		_exit(0);    /* dies mid-write, like a kill -9 */
	}
	waitpid(pid, &status, 0);
	ck_assert_str_eq(slurp(path, got, sizeof(got)), "old\n");
}
END_TEST

START_TEST(commit_fails_cleanly_in_a_missing_dir)
{
	struct atomic_file f;
	char path[128];

	snprintf(path, sizeof(path), "%s/nodir/file", dir);
	ck_assert_int_eq(atomic_open(&f, path, 0600), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(lock_excludes_another_process)
{
	char lock[128];
	int fd, status;
	pid_t pid;

	snprintf(lock, sizeof(lock), "%s/.vpasswd.lock", dir);
	fd = lock_take(lock, 1000);
	ck_assert_int_ge(fd, 0);
	pid = fork();
	if (pid == 0) {
		int cfd = lock_take(lock, 50);

		_exit(cfd < 0 && errno == EAGAIN ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	lock_drop(fd);
	pid = fork();
	if (pid == 0)
		_exit(lock_take(lock, 50) >= 0 ? 0 : 1);
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

START_TEST(dir_lock_excludes_and_sees_removal)
{
	char sub[128];
	int fd, status;
	pid_t pid;

	snprintf(sub, sizeof(sub), "%s/domain", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	fd = lock_dir(sub, 1000);
	ck_assert_int_ge(fd, 0);
	pid = fork();
	if (pid == 0)
		_exit(lock_dir(sub, 20) < 0 && errno == EAGAIN ? 0 : 1);
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(rmdir(sub), 0);
	lock_drop(fd);
	ck_assert_int_eq(lock_dir(sub, 20), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(errors_have_stable_names)
{
	struct qa_error e;

	qa_error_clear(&e);
	ck_assert_int_eq(qa_fail(&e, QA_ERR_EXISTS, "user", "%s exists", "joe"), -1);
	ck_assert_int_eq(e.code, QA_ERR_EXISTS);
	ck_assert_str_eq(e.field, "user");
	ck_assert_str_eq(e.detail, "joe exists");
	ck_assert_str_eq(qa_err_name(QA_ERR_NOT_FOUND), "not_found");
	ck_assert_int_eq(qa_err_from_name("limit"), QA_ERR_LIMIT);
	ck_assert_int_eq(qa_err_from_name("bogus"), QA_ERR_PROTOCOL);
	errno = ENOENT;
	qa_fail_errno(&e, "vpasswd", "open %s", "x");
	ck_assert_int_eq(e.code, QA_ERR_IO);
	ck_assert_str_eq(e.detail, "open x: No such file or directory");
}
END_TEST

static Suite *atomic_suite(void)
{
	Suite *s = suite_create("atomic");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, replace_writes_content_and_mode);
	tcase_add_test(tc, abort_keeps_the_old_file);
	tcase_add_test(tc, a_crash_before_rename_leaves_the_old_file);
	tcase_add_test(tc, commit_fails_cleanly_in_a_missing_dir);
	tcase_add_test(tc, lock_excludes_another_process);
	tcase_add_test(tc, dir_lock_excludes_and_sees_removal);
	tcase_add_test(tc, errors_have_stable_names);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(atomic_suite)
