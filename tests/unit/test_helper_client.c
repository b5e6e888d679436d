/* Unit tests: helper_client against stub helpers written here (sh scripts
 * that record what they got and answer prepared bytes): the request arrives
 * whole, answers decode into the arena, and every way a helper can fail (not
 * there, not executable, garbage, truncated, trailing bytes, too slow) is
 * QA_ERR_IO with the child reaped. The real helper is driven end to end by
 * tests/integration/login.sh. */
#include "config.h"

#include "check_main.h"
#include "arena.h"
#include "helper_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[64];
static struct arena *arena;

static void setup(void)
{
	signal(SIGPIPE, SIG_IGN);               /* as the front end's main() does */
	snprintf(dir, sizeof(dir), "/tmp/qa-hc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	arena = arena_new(32u << 20);
}

static void teardown(void)
{
	pid_t pid = fork();

	/* No shell in the product; a test may clean up with rm. */
	if (pid == 0) {
		execl("/bin/rm", "rm", "-rf", dir, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	arena_free(arena);
}

static const char *path_of(const char *name)
{
	static char p[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static void write_file(const char *name, const void *data, size_t n, mode_t mode)
{
	int fd = open(path_of(name), O_WRONLY | O_CREAT | O_TRUNC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
	close(fd);
}

/* The whole of the small text file name in the test dir. */
static void read_text(const char *name, char *out, size_t n)
{
	int fd = open(path_of(name), O_RDONLY);
	ssize_t got;

	ck_assert_int_ge(fd, 0);
	got = read(fd, out, n - 1);
	close(fd);
	ck_assert_int_ge(got, 0);
	out[got] = '\0';
}

/* A stub helper: a /bin/sh script; $D in body is the test dir. */
static const char *stub(const char *body)
{
	char script[1024];
	int n = snprintf(script, sizeof(script), "#!/bin/sh\nD=%s\n%s\n", dir, body);

	ck_assert(n > 0 && (size_t)n < sizeof(script));
	write_file("stub", script, (size_t)n, 0755);
	return path_of("stub");
}

/* The answer file the stubs send: scalars key=value, status from code. */
static void write_answer(enum qa_err code, const char *key, const char *val, const char *tail)
{
	struct proto_writer w;
	struct qa_error e;
	struct buf out = BUF_INIT;

	proto_writer_init(&w);
	if (key)
		proto_put(&w, key, val);
	qa_error_clear(&e);
	if (code != QA_OK)
		qa_fail(&e, code, "user", "wrong address or password");
	ck_assert_int_eq(proto_answer_finish(&w, &e, &out), 0);
	buf_adds(&out, tail);
	write_file("answer", out.p, out.len, 0644);
	proto_writer_free(&w);
	buf_free(&out);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* No child of ours is left, not even a zombie. */
static int no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

START_TEST(request_goes_in_answer_comes_out)
{
	struct helper h;
	struct helper_arg args[] = { { "user", "postmaster@emak.se" }, { "password", "Postm4ster" },
	                             { "remote", NULL } };
	struct proto_answer ans;
	struct qa_error e;
	struct buf body = BUF_INIT, want = BUF_INIT;
	char got[512];

	write_answer(QA_OK, "ticket", "abc.def", "");
	helper_init(&h, stub("/bin/cat >$D/request\nexec /bin/cat $D/answer"), NULL);
	ck_assert_int_eq(helper_call(&h, arena, "login", args, 3, &ans, &e), 0);
	ck_assert_int_eq(ans.err.code, QA_OK);
	ck_assert_uint_eq(ans.nrec, 1);
	ck_assert_str_eq(proto_rec_get(&ans.rec[0], "ticket"), "abc.def");
	/* The bytes on the helper's stdin: the request, NULL values left out. */
	proto_req_start(&body, "login");
	proto_req_add(&body, "user", "postmaster@emak.se");
	proto_req_add(&body, "password", "Postm4ster");
	ck_assert_int_eq(proto_req_finish(&body, &want), 0);
	read_text("request", got, sizeof(got));   /* a request is text */
	ck_assert_str_eq(got, want.p);
	ck_assert(no_children());
	buf_free(&body);
	buf_free(&want);
}
END_TEST

START_TEST(helper_errors_are_the_helpers)
{
	struct helper h;
	struct proto_answer ans;
	struct qa_error e;

	write_answer(QA_ERR_AUTH, NULL, NULL, "");
	helper_init(&h, stub("exec /bin/cat $D/answer"), NULL);
	ck_assert_int_eq(helper_call(&h, arena, "login", NULL, 0, &ans, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_AUTH);
	ck_assert_str_eq(e.field, "user");
	ck_assert(no_children());
}
END_TEST

/* Megabytes both ways: the request is written while the answer is read. */
START_TEST(large_request_and_answer)
{
	size_t big = 3u << 20;
	char *v = malloc(big + 1);
	struct helper h;
	struct helper_arg arg = { "data", v };
	struct proto_answer ans;
	struct qa_error e;
	struct stat st;

	memset(v, 'x', big);
	v[big] = '\0';
	write_answer(QA_OK, "blob", v, "");
	helper_init(&h, stub("/bin/cat >$D/request\nexec /bin/cat $D/answer"), NULL);
	ck_assert_int_eq(helper_call(&h, arena, "user.import", &arg, 1, &ans, &e), 0);
	ck_assert_uint_eq(ans.rec[0].kv[0].vlen, big);
	ck_assert_int_eq(stat(path_of("request"), &st), 0);
	ck_assert_int_gt(st.st_size, (off_t)big);
	/* A helper that answers without reading is no error of ours. */
	helper_init(&h, stub("exec /bin/cat $D/answer"), NULL);
	ck_assert_int_eq(helper_call(&h, arena, "user.import", &arg, 1, &ans, &e), 0);
	ck_assert(no_children());
	free(v);
}
END_TEST

static void expect_io(const struct helper *h, const char *detail)
{
	struct proto_answer ans;
	struct qa_error e;

	ck_assert_int_eq(helper_call(h, arena, "whoami", NULL, 0, &ans, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_IO);
	ck_assert_msg(strstr(e.detail, detail), "detail \"%s\" lacks \"%s\"", e.detail, detail);
	ck_assert(no_children());
}

START_TEST(missing_or_not_executable)
{
	struct helper h;

	helper_init(&h, path_of("no-such-helper"), NULL);
	expect_io(&h, "No such file or directory");
	write_file("plain", "#!/bin/sh\n", 10, 0644);
	helper_init(&h, path_of("plain"), NULL);
	expect_io(&h, "Permission denied");    /* root too: no x bit at all */
}
END_TEST

START_TEST(bad_answers)
{
	struct helper h;

	helper_init(&h, stub("echo garbage"), NULL);
	expect_io(&h, "no length prefix");
	helper_init(&h, stub("exit 3"), NULL);
	expect_io(&h, "incomplete (exit status 3)");
	write_answer(QA_OK, "ticket", "abc", "X");
	helper_init(&h, stub("exec /bin/cat $D/answer"), NULL);
	expect_io(&h, "bytes after the answer");
	write_answer(QA_OK, "ticket", "abc", "");
	helper_init(&h, stub("/usr/bin/head -c 20 $D/answer"), NULL);
	expect_io(&h, "incomplete");
	helper_init(&h, stub("printf '99999999999:'"), NULL);
	expect_io(&h, "length prefix");
	helper_init(&h, stub("printf '5:hello,'"), NULL);
	expect_io(&h, "does not decode");
	helper_init(&h, stub("kill -9 $$"), NULL);
	expect_io(&h, "killed by signal 9");
}
END_TEST

START_TEST(too_slow_is_killed)
{
	struct helper h;
	double t0;

	helper_init(&h, stub("exec /bin/sleep 30"), NULL);
	h.timeout_ms = 300;
	t0 = now();
	expect_io(&h, "did not answer within 300 ms");
	ck_assert(now() - t0 < 3.0);
}
END_TEST

/* A helper that answers and then lingers: the answer counts, the process is
 * killed at the deadline. */
START_TEST(lingering_helper_is_reaped)
{
	struct helper h;
	struct proto_answer ans;
	struct qa_error e;
	double t0;

	write_answer(QA_OK, "name", "admin", "");
	helper_init(&h, stub("/bin/cat $D/answer\nexec /bin/sleep 30 >/dev/null"), NULL);
	h.timeout_ms = 300;
	t0 = now();
	ck_assert_int_eq(helper_call(&h, arena, "whoami", NULL, 0, &ans, &e), 0);
	ck_assert_str_eq(proto_rec_get(&ans.rec[0], "name"), "admin");
	ck_assert(now() - t0 < 3.0);
	ck_assert(no_children());
}
END_TEST

START_TEST(environment_is_empty_but_the_test_config)
{
	struct helper h;
	struct proto_answer ans;
	struct qa_error e;
	char env[4096];

	setenv("QA_SECRET_OF_THE_FRONT_END", "x", 1);
	write_answer(QA_OK, NULL, NULL, "");
	helper_init(&h, stub("/usr/bin/env >$D/env\nexec /bin/cat $D/answer"), "/etc/test.conf");
	ck_assert_int_eq(helper_call(&h, arena, "whoami", NULL, 0, &ans, &e), 0);
	read_text("env", env, sizeof(env));
	ck_assert_ptr_nonnull(strstr(env, "QMAILADMIN_CONF=/etc/test.conf\n"));
	ck_assert_ptr_null(strstr(env, "QA_SECRET"));
	helper_init(&h, stub("/usr/bin/env >$D/env\nexec /bin/cat $D/answer"), NULL);
	ck_assert_int_eq(helper_call(&h, arena, "whoami", NULL, 0, &ans, &e), 0);
	read_text("env", env, sizeof(env));
	ck_assert_ptr_null(strstr(env, "QMAILADMIN_CONF"));
	unsetenv("QA_SECRET_OF_THE_FRONT_END");
}
END_TEST

/* Our descriptors (FastCGI sockets in the app) do not leak into the helper:
 * a background child of the stub would keep this pipe open. */
START_TEST(other_descriptors_are_closed)
{
	struct helper h;
	struct proto_answer ans;
	struct qa_error e;
	struct pollfd p;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);         /* deliberately not close-on-exec */
	write_answer(QA_OK, NULL, NULL, "");
	helper_init(&h, stub("/bin/sleep 2 </dev/null >/dev/null 2>&1 &\nexec /bin/cat $D/answer"),
	            NULL);
	ck_assert_int_eq(helper_call(&h, arena, "whoami", NULL, 0, &ans, &e), 0);
	close(fds[1]);
	p.fd = fds[0];
	p.events = POLLIN;
	ck_assert_int_eq(poll(&p, 1, 0), 1);
	ck_assert(p.revents & POLLHUP);         /* no writer left anywhere */
	close(fds[0]);
}
END_TEST

static Suite *helper_client_suite(void)
{
	Suite *s = suite_create("helper_client");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, request_goes_in_answer_comes_out);
	tcase_add_test(tc, helper_errors_are_the_helpers);
	tcase_add_test(tc, large_request_and_answer);
	tcase_add_test(tc, missing_or_not_executable);
	tcase_add_test(tc, bad_answers);
	tcase_add_test(tc, too_slow_is_killed);
	tcase_add_test(tc, lingering_helper_is_reaped);
	tcase_add_test(tc, environment_is_empty_but_the_test_config);
	tcase_add_test(tc, other_descriptors_are_closed);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(helper_client_suite)
