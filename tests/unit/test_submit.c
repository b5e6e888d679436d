/* Unit tests: the sending transports (cgi/submit.c). qmail-inject is played
 * by a small shell script in a temporary directory that records its argv,
 * environment and stdin and exits as the test says (0, 100, 111, a signal,
 * a long sleep): the spawn path, the LF message, the exit-status verdicts
 * and the deadline are what is tested; the real qmail-inject's options (-a,
 * -f, --) are those of qmail 1.03's qmail-inject.c. The SMTP transport is
 * smtp.c's (test_smtp); here only the configuration's part in it (smtp_auth
 * = user) is, against the scripted server. */
#include "config.h"

#include "check_main.h"
#include "conf.h"
#include "fake_server.h"
#include "file.h"
#include "buf.h"
#include "submit.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/qa-submit-XXXXXX";
static char prog[128];
static struct smtp_result res;

/* Records what it got, then exits with the status in the file "code":
 * "kill" kills itself, "sleep" outlives the deadline. */
static const char script[] =
	"#!/bin/sh\n"
	"d=$(dirname \"$0\")\n"
	"printf '%s\\n' \"$@\" >\"$d/argv\"\n"
	"env | sort >\"$d/env\"\n"
	"code=$(cat \"$d/code\")\n"
	"case $code in\n"
	"early) echo 'qmail-inject: fatal: refused before reading' >&2; exit 100 ;;\n"
	"sleep) exec sleep 10 ;;\n"
	"esac\n"
	"cat >\"$d/stdin\"\n"
	"case $code in\n"
	"0) ;;\n"
	"kill) kill -9 $$ ;;\n"
	"*) echo \"qmail-inject: fatal: the test says $code\" >&2 ;;\n"
	"esac\n"
	"exit $code\n";

static void put(const char *name, const char *text, mode_t mode)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static const char *got(const char *name)
{
	static struct buf b;
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf_reset(&b);
	if (file_read(path, 1 << 20, &b) < 0)
		return "(missing)";
	return buf_cstr(&b);
}

static void setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(prog, sizeof(prog), "%s/qmail-inject", dir);
	put("qmail-inject", script, 0755);
	/* Ours, not for the child: it must get PATH only. */
	setenv("QMAILINJECT", "f", 1);
	setenv("QMAILUSER", "intruder", 1);
}

static void teardown(void)
{
	static const char *const files[] = { "qmail-inject", "argv", "env", "stdin", "code" };
	char path[256];
	size_t i;

	server_stop();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

static const char *const two[] = { "klient2@emak.se", "-lars@emak.se" };
static const struct smtp_envelope env = { "klient1@emak.se", two, 2 };

#define MSG "From: klient1@emak.se\r\nSubject: hi\r\n\r\n.dot line\r\nbare CR\rend"

static int inject(const char *code, int timeout_ms)
{
	put("code", code, 0644);
	return submit_inject(prog, timeout_ms, &env, MSG, strlen(MSG), &res);
}

START_TEST(inject_sends)
{
	ck_assert_msg(inject("0", 5000) == SMTP_OK, "%s", res.detail);
	/* -a: the recipients are the arguments; "--": one that starts with '-' is one. */
	ck_assert_str_eq(got("argv"), "-a\n-f\nklient1@emak.se\n--\nklient2@emak.se\n-lars@emak.se\n");
	ck_assert_str_eq(got("stdin"), "From: klient1@emak.se\nSubject: hi\n\n.dot line\nbare CR\nend\n");
	ck_assert_ptr_null(strstr(got("env"), "QMAIL"));
	ck_assert_ptr_nonnull(strstr(got("env"), "PATH=/usr/bin:/bin\n"));
}
END_TEST

START_TEST(inject_verdicts)
{
	ck_assert_int_eq(inject("100", 5000), SMTP_ERR_PERM);
	ck_assert_int_eq(res.stage, SMTP_AT_INJECT);
	ck_assert_int_eq(res.code, 100);
	ck_assert_str_eq(res.excerpt, "qmail-inject: fatal: the test says 100");
	ck_assert_ptr_nonnull(strstr(res.detail, "exit status 100"));
	ck_assert_int_eq(inject("111", 5000), SMTP_ERR_TEMP);
	ck_assert_int_eq(res.code, 111);
	ck_assert_int_eq(inject("1", 5000), SMTP_ERR_LOCAL);
	ck_assert_int_eq(inject("kill", 5000), SMTP_ERR_LOCAL);
	ck_assert_ptr_nonnull(strstr(res.detail, "signal 9"));
}
END_TEST

/* It refuses before reading a large message: no hang, no SIGPIPE. */
START_TEST(inject_refuses_early)
{
	size_t n = 4u << 20;
	char *big = malloc(n);

	memset(big, 'x', n);
	put("code", "early", 0644);
	ck_assert_int_eq(submit_inject(prog, 5000, &env, big, n, &res), SMTP_ERR_PERM);
	ck_assert_str_eq(res.excerpt, "qmail-inject: fatal: refused before reading");
	free(big);
}
END_TEST

START_TEST(inject_deadline)
{
	ck_assert_int_eq(inject("sleep", 300), SMTP_ERR_TIMEOUT);
	ck_assert_int_eq(res.stage, SMTP_AT_INJECT);
}
END_TEST

START_TEST(inject_missing_program)
{
	ck_assert_int_eq(submit_inject("/nonexistent/qmail-inject", 5000, &env, MSG, strlen(MSG), &res),
	                 SMTP_ERR_LOCAL);
	ck_assert_ptr_nonnull(strstr(res.detail, "cannot run"));
}
END_TEST

START_TEST(inject_checks_addresses)
{
	static const char *const bad[] = { "klient2@emak.se", "x@emak.se\nevil@example.com" };
	struct smtp_envelope e = { "klient1@emak.se", bad, 2 };

	put("code", "0", 0644);
	ck_assert_int_eq(submit_inject(prog, 5000, &e, MSG, strlen(MSG), &res), SMTP_ERR_INVALID);
	ck_assert_int_eq(res.stage, SMTP_AT_RCPT);
	ck_assert_int_eq(res.rcpt, 1);
	ck_assert_str_eq(got("argv"), "(missing)");           /* never run */
	e.rcpts = two;
	e.sender = "";
	ck_assert_int_eq(submit_inject(prog, 5000, &e, MSG, strlen(MSG), &res), SMTP_ERR_INVALID);
}
END_TEST

/* ---------------------------------------------------------------- the configuration */

START_TEST(config_from_conf)
{
	struct submit_config sc;
	struct conf c;

	conf_defaults(&c);
	submit_config_from_conf(&sc, &c);
	ck_assert_int_eq(sc.via, SUBMIT_SMTP);
	ck_assert_int_eq(sc.auth, SUBMIT_AUTH_NONE);
	ck_assert_str_eq(sc.smtp.host, "127.0.0.1");
	ck_assert_uint_eq(sc.smtp.port, 25);
	ck_assert_int_eq(sc.smtp.tls, SMTP_TLS_NONE);
	ck_assert_int_eq(sc.smtp.verify, 1);
	ck_assert_int_eq(sc.smtp.timeout_ms, 30000);
	ck_assert_ptr_null(sc.smtp.user);
	ck_assert_str_eq(sc.qmail_inject, "/var/qmail/bin/qmail-inject");
	strcpy(c.send_via, "qmail-inject");
	strcpy(c.qmail_inject, "/opt/qmail/bin/qmail-inject");
	strcpy(c.smtp_tls, "smtps");
	strcpy(c.smtp_auth, "config");
	strcpy(c.smtp_user, "webmail");
	strcpy(c.smtp_password, "pw");
	c.smtp_timeout = 5;
	submit_config_from_conf(&sc, &c);
	ck_assert_int_eq(sc.via, SUBMIT_QMAIL_INJECT);
	ck_assert_str_eq(sc.qmail_inject, "/opt/qmail/bin/qmail-inject");
	ck_assert_int_eq(sc.smtp.tls, SMTP_TLS_SMTPS);
	ck_assert_str_eq(sc.smtp.user, "webmail");
	ck_assert_str_eq(sc.smtp.password, "pw");
	ck_assert_int_eq(sc.timeout_ms, 5000);
	strcpy(c.smtp_auth, "user");
	submit_config_from_conf(&sc, &c);
	ck_assert_int_eq(sc.auth, SUBMIT_AUTH_USER);
	ck_assert_ptr_null(sc.smtp.user);                     /* given per message */
}
END_TEST

START_TEST(send_via_qmail_inject)
{
	struct submit_config sc;
	struct conf c;

	conf_defaults(&c);
	strcpy(c.send_via, "qmail-inject");
	snprintf(c.qmail_inject, sizeof(c.qmail_inject), "%s", prog);
	submit_config_from_conf(&sc, &c);
	put("code", "0", 0644);
	ck_assert_msg(submit_send(&sc, &env, MSG, strlen(MSG), "klient1@emak.se", "pw", &res) == SMTP_OK,
	              "%s", res.detail);
	ck_assert_str_eq(got("argv"), "-a\n-f\nklient1@emak.se\n--\nklient2@emak.se\n-lars@emak.se\n");
}
END_TEST

/* smtp_auth = user: AUTH PLAIN with the logged-in user's own login. */
START_TEST(send_with_the_users_login)
{
	static const struct step steps[] = {
		S("220 ready\r\n"), C("EHLO webmail.emak.se"), S("250-mail.emak.se\r\n250 AUTH PLAIN\r\n"),
		C("AUTH PLAIN AGtsaWVudDFAZW1hay5zZQBLbGllbnQxcHc="), S("235 OK\r\n"),
		C("MAIL FROM:<klient1@emak.se>"), S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 OK\r\n"), C("RCPT TO:<-lars@emak.se>"), S("250 OK\r\n"),
		C("DATA"), S("354 go ahead\r\n"),
		D("From: klient1@emak.se\r\nSubject: hi\r\n\r\n..dot line\r\nbare CR\r\nend\r\n.\r\n"),
		S("250 OK\r\n"), C("QUIT"), S("221 bye\r\n"), END,
	};
	struct submit_config sc;
	struct conf c;

	conf_defaults(&c);
	strcpy(c.smtp_auth, "user");
	submit_config_from_conf(&sc, &c);
	server_start(steps);
	sc.smtp.port = server_port;
	sc.smtp.helo = "webmail.emak.se";
	ck_assert_msg(submit_send(&sc, &env, MSG, strlen(MSG), "klient1@emak.se", "Klient1pw", &res)
	              == SMTP_OK, "%s", res.detail);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* ---------------------------------------------------------------- the page's words */

START_TEST(error_keys)
{
	smtp_result_init(&res);
	ck_assert_ptr_null(submit_err_key(&res));
	res.err = SMTP_ERR_PERM;
	res.stage = SMTP_AT_RCPT;
	res.rcpt = 1;
	ck_assert_str_eq(submit_err_key(&res), "send.err_rcpt_perm");
	res.err = SMTP_ERR_TEMP;
	ck_assert_str_eq(submit_err_key(&res), "send.err_rcpt_temp");
	res.err = SMTP_ERR_INVALID;
	ck_assert_str_eq(submit_err_key(&res), "send.err_rcpt_invalid");
	res.stage = SMTP_AT_BODY;
	res.rcpt = -1;
	res.err = SMTP_ERR_TEMP;
	ck_assert_str_eq(submit_err_key(&res), "send.err_temp");
	res.err = SMTP_ERR_PERM;
	ck_assert_str_eq(submit_err_key(&res), "send.err_perm");
	res.err = SMTP_ERR_TIMEOUT;
	ck_assert_str_eq(submit_err_key(&res), "send.err_timeout");
	res.maybe_sent = 1;
	ck_assert_str_eq(submit_err_key(&res), "send.err_maybe_sent");
	res.err = SMTP_ERR_IO;
	ck_assert_str_eq(submit_err_key(&res), "send.err_maybe_sent");
	res.maybe_sent = 0;
	ck_assert_str_eq(submit_err_key(&res), "send.err_server");
	res.err = SMTP_ERR_PROTOCOL;
	ck_assert_str_eq(submit_err_key(&res), "send.err_server");
	res.err = SMTP_ERR_TOO_BIG;
	ck_assert_str_eq(submit_err_key(&res), "send.err_too_big");
	res.err = SMTP_ERR_TLS;
	ck_assert_str_eq(submit_err_key(&res), "send.err_tls");
	res.err = SMTP_ERR_AUTH;
	ck_assert_str_eq(submit_err_key(&res), "send.err_auth");
	res.err = SMTP_ERR_LOCAL;
	ck_assert_str_eq(submit_err_key(&res), "send.err_local");
	res.err = SMTP_ERR_CONNECT;
	ck_assert_str_eq(submit_err_key(&res), "send.err_connect");
}
END_TEST

static Suite *submit_suite(void)
{
	Suite *s = suite_create("submit");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, inject_sends);
	tcase_add_test(tc, inject_verdicts);
	tcase_add_test(tc, inject_refuses_early);
	tcase_add_test(tc, inject_deadline);
	tcase_add_test(tc, inject_missing_program);
	tcase_add_test(tc, inject_checks_addresses);
	tcase_add_test(tc, config_from_conf);
	tcase_add_test(tc, send_via_qmail_inject);
	tcase_add_test(tc, send_with_the_users_login);
	tcase_add_test(tc, error_keys);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(submit_suite)
