/* Unit tests: qmailadmin.conf parsing. */
#include "config.h"

#include "check_main.h"
#include "conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse(struct conf *c, const char *text, char *err, size_t errlen)
{
	conf_defaults(c);
	return conf_parse(c, text, strlen(text), err, errlen);
}

START_TEST(defaults_are_the_documented_ones)
{
	struct conf c;

	conf_defaults(&c);
	ck_assert_str_eq(c.qmail_dir, "/var/qmail");
	ck_assert_str_eq(c.vpopmail_dir, "/home/vpopmail");
	ck_assert_str_eq(c.vpopmail_user, "vpopmail");
	ck_assert_str_eq(c.vpopmail_group, "vchkpw");
	ck_assert_str_eq(c.imap_host, "127.0.0.1");
	ck_assert_uint_eq(c.imap_port, 143);
	ck_assert_str_eq(c.imap_tls, "none");
	ck_assert_str_eq(c.imap_ca_file, "");
	ck_assert_int_eq(c.imap_verify, 1);
	ck_assert_uint_eq(c.imap_timeout, 30);
	ck_assert_uint_eq(c.smtp_port, 25);
	ck_assert_str_eq(c.send_via, "smtp");
	ck_assert_str_eq(c.smtp_tls, "none");
	ck_assert_int_eq(c.smtp_verify, 1);
	ck_assert_uint_eq(c.smtp_timeout, 30);
	ck_assert_str_eq(c.smtp_auth, "none");
	ck_assert_str_eq(c.smtp_user, "");
	ck_assert_str_eq(c.qmail_inject, "");
	ck_assert_uint_eq(c.session_idle, 1800);
	ck_assert_uint_eq(c.session_max, 43200);
	ck_assert_uint_eq(c.max_body, 65536);
	ck_assert_uint_eq(c.max_upload, 25u << 20);
	ck_assert_str_eq(c.default_lang, "en");
	ck_assert_str_eq(c.password_hash, "sha512");
	ck_assert_str_eq(c.qmail_reload, "none");
	ck_assert_uint_eq(c.login_fail_limit, 5);
	ck_assert_uint_eq(c.login_fail_window, 900);
	ck_assert_str_eq(c.state_dir, QA_LOCALSTATEDIR "/lib/qmailadmin");
}
END_TEST

START_TEST(parses_every_kind)
{
	struct conf c;
	char err[256] = "";
	const char *text =
		"# comment\n"
		"\n"
		"  qmail_dir = /srv/qmail  \n"
		"vpopmail_dir=/srv/vpopmail\r\n"
		"imap_port = 993\n"
		"session_idle = 15m\n"
		"session_max = 1d\n"
		"max_body = 128K\n"
		"max_upload = 2M\n"
		"max_fields = 50\n"
		"default_lang = sv\n"
		"static_url = https://static.example.com/qa\n"
		"helper = /usr/lib/qmailadmin/qmailadmin-helper\n"
		"password_hash = yescrypt\n"
		"qmail_reload = command:/usr/bin/svc -h /service/qmail-send\n";

	ck_assert_msg(parse(&c, text, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.qmail_dir, "/srv/qmail");
	ck_assert_str_eq(c.vpopmail_dir, "/srv/vpopmail");
	ck_assert_uint_eq(c.imap_port, 993);
	ck_assert_uint_eq(c.session_idle, 900);
	ck_assert_uint_eq(c.session_max, 86400);
	ck_assert_uint_eq(c.max_body, 131072);
	ck_assert_uint_eq(c.max_upload, 2u << 20);
	ck_assert_uint_eq(c.max_fields, 50);
	ck_assert_str_eq(c.default_lang, "sv");
	ck_assert_str_eq(c.static_url, "https://static.example.com/qa");
	ck_assert_str_eq(c.helper, "/usr/lib/qmailadmin/qmailadmin-helper");
	ck_assert_str_eq(c.password_hash, "yescrypt");
	ck_assert_str_eq(c.qmail_reload, "command:/usr/bin/svc -h /service/qmail-send");
}
END_TEST

static const struct {
	const char *text;
	const char *err;
} bad[] = {
	{ "nosuchkey = 1\n", "line 1: unknown key \"nosuchkey\"" },
	{ "\n\nqmail_dir\n", "line 3: expected \"key = value\"" },
	{ "qmail_dir = relative/path\n", "line 1: qmail_dir: must be an absolute path" },
	{ "qmail_dir = /a\nqmail_dir = /b\n", "line 2: qmail_dir: set twice" },
	{ "imap_port = 0\n", "line 1: imap_port: must be a port number 1-65535" },
	{ "imap_port = 65536\n", "line 1: imap_port: must be a port number 1-65535" },
	{ "imap_port = 1K\n", "line 1: imap_port: must be a port number 1-65535" },
	{ "session_idle = 10x\n", "line 1: session_idle: must be a duration like 30m or 12h" },
	{ "session_idle = 2h\nsession_max = 1h\n", "line 2: session_idle is longer than session_max" },
	{ "max_body = -1\n", "line 1: max_body: bad number" },
	{ "max_body = 99999999999999999999999\n", "line 1: max_body: bad number" },
	{ "max_fields = 10K\n", "line 1: max_fields: bad number" },
	{ "default_lang = english\n", "line 1: default_lang: must be a language code like en or sv" },
	{ "default_lang = SV\n", "line 1: default_lang: must be a language code like en or sv" },
	{ "imap_host = \n", "line 1: imap_host: bad value" },
	{ "imap_host = a\tb\n", "line 1: imap_host: bad value" },
	{ "password_hash = md5\n", "line 1: password_hash: must be sha512, yescrypt or bcrypt" },
	{ "imap_tls = ssl\n", "line 1: imap_tls: must be none, starttls or imaps" },
	{ "imap_tls = IMAPS\n", "line 1: imap_tls: must be none, starttls or imaps" },
	{ "imap_verify = 1\n", "line 1: imap_verify: must be yes or no" },
	{ "imap_ca_file = ca.pem\n", "line 1: imap_ca_file: must be an absolute path" },
	{ "imap_timeout = 0\n", "line 1: imap_timeout: must be a duration like 30m or 12h" },
	{ "qmail_reload = svc -h\n", "line 1: qmail_reload: must be none, pidfile:/PATH or command:/PATH ARGS" },
	{ "send_via = sendmail\n", "line 1: send_via: must be smtp or qmail-inject" },
	{ "smtp_tls = imaps\n", "line 1: smtp_tls: must be none, starttls or smtps" },
	{ "smtp_auth = plain\n", "line 1: smtp_auth: must be none, config or user" },
	{ "smtp_auth = config\nsmtp_user = webmail\n",
	  "line 2: smtp_auth = config needs smtp_user and smtp_password" },
	{ "qmail_inject = qmail-inject\n", "line 1: qmail_inject: must be an absolute path" },
	{ "smtp_verify = maybe\n", "line 1: smtp_verify: must be yes or no" },
};

START_TEST(imap_keys)
{
	struct conf c;
	char err[256] = "";

	ck_assert_msg(parse(&c, "imap_host = mail.emak.se\nimap_port = 993\nimap_tls = imaps\n"
	                    "imap_ca_file = /etc/ssl/certs/emak-ca.pem\nimap_verify = no\n"
	                    "imap_timeout = 1m\n", err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.imap_host, "mail.emak.se");
	ck_assert_uint_eq(c.imap_port, 993);
	ck_assert_str_eq(c.imap_tls, "imaps");
	ck_assert_str_eq(c.imap_ca_file, "/etc/ssl/certs/emak-ca.pem");
	ck_assert_int_eq(c.imap_verify, 0);
	ck_assert_uint_eq(c.imap_timeout, 60);
	ck_assert_msg(parse(&c, "imap_tls = starttls\nimap_verify = yes\n", err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.imap_tls, "starttls");
	ck_assert_int_eq(c.imap_verify, 1);
}
END_TEST

START_TEST(smtp_keys)
{
	struct conf c;
	char err[256] = "";

	ck_assert_msg(parse(&c, "send_via = qmail-inject\nqmail_inject = /opt/qmail/bin/qmail-inject\n"
	                    "smtp_host = relay.emak.se\nsmtp_port = 587\nsmtp_tls = starttls\n"
	                    "smtp_ca_file = /etc/ssl/emak-ca.pem\nsmtp_verify = no\nsmtp_timeout = 2m\n"
	                    "smtp_auth = config\nsmtp_user = webmail@emak.se\n"
	                    "smtp_password = s3cret pass\n", err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.send_via, "qmail-inject");
	ck_assert_str_eq(c.qmail_inject, "/opt/qmail/bin/qmail-inject");
	ck_assert_str_eq(c.smtp_host, "relay.emak.se");
	ck_assert_uint_eq(c.smtp_port, 587);
	ck_assert_str_eq(c.smtp_tls, "starttls");
	ck_assert_str_eq(c.smtp_ca_file, "/etc/ssl/emak-ca.pem");
	ck_assert_int_eq(c.smtp_verify, 0);
	ck_assert_uint_eq(c.smtp_timeout, 120);
	ck_assert_str_eq(c.smtp_auth, "config");
	ck_assert_str_eq(c.smtp_user, "webmail@emak.se");
	ck_assert_str_eq(c.smtp_password, "s3cret pass");
	ck_assert_msg(parse(&c, "smtp_tls = smtps\nsmtp_auth = user\n", err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.smtp_tls, "smtps");
	ck_assert_str_eq(c.smtp_auth, "user");
}
END_TEST

/* A password in the file: the file may not be readable by everyone. */
START_TEST(load_refuses_a_readable_smtp_password)
{
	char path[] = "/tmp/qa-conf-XXXXXX";
	int fd = mkstemp(path);
	struct conf c;
	char err[512];
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("smtp_auth = config\nsmtp_user = webmail\nsmtp_password = pw\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_eq(conf_load(&c, path, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "smtp_password"));
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_msg(conf_load(&c, path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.smtp_password, "pw");
	unlink(path);
}
END_TEST

START_TEST(refuses_bad_lines)
{
	struct conf c;
	char err[256] = "";

	ck_assert_int_eq(parse(&c, bad[_i].text, err, sizeof(err)), -1);
	ck_assert_str_eq(err, bad[_i].err);
}
END_TEST

START_TEST(refuses_nul_and_long_values)
{
	struct conf c;
	char err[256] = "", text[9000];

	conf_defaults(&c);
	ck_assert_int_eq(conf_parse(&c, "qmail_dir = /a\0b\n", 17, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "line 1: NUL byte");
	memset(text, 'a', sizeof(text));
	memcpy(text, "imap_host = ", 12);
	ck_assert_int_eq(conf_parse(&c, text, 300 + 12, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "line 1: imap_host: value too long");
	ck_assert_int_eq(conf_parse(&c, text, sizeof(text), err, sizeof(err)), -1);
	ck_assert_str_eq(err, "line 1: line too long");
}
END_TEST

START_TEST(load_reads_a_file_and_names_it_in_errors)
{
	char path[] = "/tmp/qa-conf-XXXXXX";
	int fd = mkstemp(path);
	struct conf c;
	char err[512];
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("smtp_port = 587\nbogus\n", f);
	fclose(f);
	ck_assert_int_eq(conf_load(&c, path, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "line 2"));
	f = fopen(path, "w");
	fputs("smtp_port = 587\n", f);
	fclose(f);
	ck_assert_int_eq(conf_load(&c, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.smtp_port, 587);
	unlink(path);
	ck_assert_int_eq(conf_load(&c, path, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
}
END_TEST

START_TEST(default_path_honours_env)
{
	setenv("QMAILADMIN_CONF", "/tmp/x.conf", 1);
	ck_assert_str_eq(conf_default_path(), "/tmp/x.conf");
	unsetenv("QMAILADMIN_CONF");
	ck_assert_str_eq(conf_default_path(), QA_SYSCONFDIR "/qmailadmin.conf");
}
END_TEST

static Suite *conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, defaults_are_the_documented_ones);
	tcase_add_test(tc, parses_every_kind);
	tcase_add_test(tc, imap_keys);
	tcase_add_test(tc, smtp_keys);
	tcase_add_test(tc, load_refuses_a_readable_smtp_password);
	tcase_add_loop_test(tc, refuses_bad_lines, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, refuses_nul_and_long_values);
	tcase_add_test(tc, load_reads_a_file_and_names_it_in_errors);
	tcase_add_test(tc, default_path_honours_env);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(conf_suite)
