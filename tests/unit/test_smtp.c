/* Unit tests: webmail's SMTP client (cgi/smtp.c) against a scripted fake
 * server (fake_server.h: a child process on a 127.0.0.1 port that checks
 * every byte the client sends), and the wire format underneath
 * (cgi/smtp_wire.c: replies, EHLO capabilities, dot-stuffing). This reaches
 * what a real MTA rarely does on demand: 4xx and 5xx at each step, a server
 * that hangs up mid-reply or says nothing, over-long lines. The real MTA is
 * tests/integration/smtp_exim.sh. */
#include "config.h"

#include "check_main.h"
#include "fake_server.h"
#include "smtp.h"
#include "smtp_wire.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct smtp_config cfg;
static struct smtp_result res;

static void setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	memset(&cfg, 0, sizeof(cfg));
	cfg.host = "127.0.0.1";
	cfg.helo = "webmail.emak.se";
	cfg.timeout_ms = 3000;
	cfg.verify = 1;
}

static void teardown(void)
{
	server_stop();
}

static const char *const one[] = { "klient2@emak.se" };
static const char *const three[] = { "klient2@emak.se", "nobody@emak.se", "lars.jonsson@emak.se" };

#define MSG "Subject: hi\r\n\r\nHello\r\n"
#define MSG_DATA "Subject: hi\r\n\r\nHello\r\n.\r\n"

/* Sends MSG from klient1 to rcpts with the scripted server. */
static int send_to(const char *const *rcpts, size_t n, const char *msg)
{
	struct smtp_envelope env = { "klient1@emak.se", rcpts, n };

	cfg.port = server_port;
	return smtp_send(&cfg, &env, msg, strlen(msg), &res);
}

#define GREETING "220-mail.emak.se ESMTP Exim 4.96\r\n220 Welcome\r\n"
#define EHLO C("EHLO webmail.emak.se")
#define EHLO_OK "250-mail.emak.se Hello webmail.emak.se\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n" \
	"250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250 HELP\r\n"
#define MAIL C("MAIL FROM:<klient1@emak.se> SIZE=22")
#define QUIT C("QUIT"), S("221 mail.emak.se closing connection\r\n")

/* ---------------------------------------------------------------- the happy path */

START_TEST(sends_with_multiline_ehlo)
{
	static const struct step script[] = {
		S(GREETING), EHLO, S(EHLO_OK),
		MAIL, S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 Accepted\r\n"),
		C("RCPT TO:<nobody@emak.se>"), S("251 will forward\r\n"),
		C("RCPT TO:<lars.jonsson@emak.se>"), S("250 Accepted\r\n"),
		C("DATA"), S("354 Enter message, ending with \".\" on a line by itself\r\n"),
		D(MSG_DATA), S("250 OK id=1tXyZa-000001-AB\r\n"),
		QUIT, END,
	};

	server_start(script);
	ck_assert_msg(send_to(three, 3, MSG) == SMTP_OK, "%s", res.detail);
	ck_assert_int_eq(res.rcpt, -1);
	ck_assert_uint_eq(res.nrefused, 0);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* Lines that start with '.', a lone '.', and every kind of line end. */
START_TEST(dot_stuffing_and_line_ends)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S("250-mail.emak.se\r\n250 SIZE\r\n"),
		C("MAIL FROM:<klient1@emak.se> SIZE=108"), S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 OK\r\n"),
		C("DATA"), S("354 go ahead\r\n"),
		D("Subject: dots\r\n\r\n..leading dot\r\n...two\r\n..\r\nbare LF\r\nbare CR\r\nCRLF\r\n"
		  "CR at the end\r\n\r\nlast line without an end\r\n.\r\n"),
		S("250 OK\r\n"), QUIT, END,
	};

	server_start(script);
	ck_assert_msg(send_to(one, 1, "Subject: dots\n\n.leading dot\n..two\n.\nbare LF\nbare CR\rCRLF\r\n"
	                      "CR at the end\r\rlast line without an end") == SMTP_OK, "%s", res.detail);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* A message of 200 KB goes out in pieces, stuffed across their borders. */
START_TEST(large_message)
{
	size_t lines = 20000, i;
	char *msg = malloc(lines * 10 + 1), *data = malloc(lines * 12 + 4), size[64];
	struct step script[] = {
		S("220 ready\r\n"), EHLO, S("250-mail.emak.se\r\n250 SIZE 1000000\r\n"),
		{ 'C', size, 0 }, S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 OK\r\n"),
		C("DATA"), S("354 go ahead\r\n"),
		{ 'D', data, 0 }, S("250 OK\r\n"), QUIT, END,
	};
	size_t m = 0, d = 0;

	for (i = 0; i < lines; i++) {
		memcpy(msg + m, ".23456789\n", 10);
		m += 10;
		memcpy(data + d, "..23456789\r\n", 12);
		d += 12;
	}
	msg[m] = '\0';
	memcpy(data + d, ".\r\n", 3);
	script[3].n = (size_t)snprintf(size, sizeof(size), "MAIL FROM:<klient1@emak.se> SIZE=%zu", lines * 11);
	script[9].n = d + 3;
	server_start(script);
	ck_assert_msg(send_to(one, 1, msg) == SMTP_OK, "%s", res.detail);
	ck_assert_int_eq(server_done(), 0);
	free(msg);
	free(data);
}
END_TEST

START_TEST(eight_bit_body_when_offered)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S("250-mail.emak.se\r\n250 8BITMIME\r\n"),
		C("MAIL FROM:<klient1@emak.se> BODY=8BITMIME"), S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 OK\r\n"),
		C("DATA"), S("354 go ahead\r\n"),
		D("Subject: r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s\r\n.\r\n"), S("250 OK\r\n"), QUIT, END,
	};

	server_start(script);
	ck_assert_msg(send_to(one, 1, "Subject: r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s\n") == SMTP_OK, "%s",
	              res.detail);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(helo_when_ehlo_is_unknown)
{
	static const struct step script[] = {
		S("220 old server\r\n"), EHLO, S("502 Command not implemented\r\n"),
		C("HELO webmail.emak.se"), S("250 hello\r\n"),
		C("MAIL FROM:<klient1@emak.se>"), S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 OK\r\n"),
		C("DATA"), S("354 go ahead\r\n"), D(MSG_DATA), S("250 OK\r\n"), QUIT, END,
	};

	server_start(script);
	ck_assert_msg(send_to(one, 1, MSG) == SMTP_OK, "%s", res.detail);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* ---------------------------------------------------------------- refusals */

static const struct {
	const char *reply;
	enum smtp_err err;
	int code;
	const char *status;
} verdicts[] = {
	{ "451 4.3.0 Temporary local problem\r\n", SMTP_ERR_TEMP, 451, "4.3.0" },
	{ "550 5.7.1 Sender rejected\r\n", SMTP_ERR_PERM, 550, "5.7.1" },
	{ "552 5.3.4 Message too big\r\n", SMTP_ERR_TOO_BIG, 552, "5.3.4" },
	{ "421-4.7.0 Too many errors\r\n421 4.7.0 closing\r\n", SMTP_ERR_TEMP, 421, "4.7.0" },
	{ "554 Transaction failed\r\n", SMTP_ERR_PERM, 554, "" },
};

#define NVERDICTS (sizeof(verdicts) / sizeof(verdicts[0]))

static void check_verdict(int i, enum smtp_stage stage)
{
	ck_assert_int_eq(res.err, verdicts[i].err);
	ck_assert_int_eq(res.stage, stage);
	ck_assert_int_eq(res.code, verdicts[i].code);
	ck_assert_str_eq(res.status, verdicts[i].status);
	/* The first line, for the page; the whole reply, for the log. */
	ck_assert_ptr_null(strchr(res.excerpt, '\n'));
	ck_assert_int_eq(strncmp(res.excerpt, verdicts[i].reply + 4, strlen(res.excerpt)), 0);
	ck_assert_ptr_nonnull(strstr(res.detail, res.excerpt));
}

START_TEST(refused_at_mail)
{
	const struct step script[] = {
		S("220 ready\r\n"), EHLO, S(EHLO_OK), MAIL, { 'S', verdicts[_i].reply, strlen(verdicts[_i].reply) },
		QUIT, END,
	};

	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), verdicts[_i].err);
	check_verdict(_i, SMTP_AT_MAIL);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(refused_at_data)
{
	const struct step script[] = {
		S("220 ready\r\n"), EHLO, S(EHLO_OK), MAIL, S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 OK\r\n"),
		C("DATA"), { 'S', verdicts[_i].reply, strlen(verdicts[_i].reply) }, QUIT, END,
	};

	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), verdicts[_i].err);
	check_verdict(_i, SMTP_AT_DATA);
	ck_assert_int_eq(res.maybe_sent, 0);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(refused_after_the_dot)
{
	const struct step script[] = {
		S("220 ready\r\n"), EHLO, S(EHLO_OK), MAIL, S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 OK\r\n"),
		C("DATA"), S("354 go ahead\r\n"), D(MSG_DATA),
		{ 'S', verdicts[_i].reply, strlen(verdicts[_i].reply) }, QUIT, END,
	};

	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), verdicts[_i].err);
	check_verdict(_i, SMTP_AT_BODY);
	ck_assert_int_eq(res.maybe_sent, 0);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* One bad recipient: the message goes to no one, and the result names it. */
START_TEST(one_recipient_refused)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S(EHLO_OK), MAIL, S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 Accepted\r\n"),
		C("RCPT TO:<nobody@emak.se>"), S("550 5.1.1 <nobody@emak.se>: unknown user\r\n"),
		C("RCPT TO:<lars.jonsson@emak.se>"), S("250 Accepted\r\n"),
		QUIT, END,
	};

	server_start(script);
	ck_assert_int_eq(send_to(three, 3, MSG), SMTP_ERR_PERM);
	ck_assert_int_eq(res.stage, SMTP_AT_RCPT);
	ck_assert_int_eq(res.rcpt, 1);
	ck_assert_uint_eq(res.nrefused, 1);
	ck_assert_int_eq(res.code, 550);
	ck_assert_str_eq(res.status, "5.1.1");
	ck_assert_str_eq(res.excerpt, "5.1.1 <nobody@emak.se>: unknown user");
	ck_assert_ptr_nonnull(strstr(res.detail, "nobody@emak.se 550"));
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* A permanent refusal is the answer over an earlier temporary one. */
START_TEST(permanent_refusal_wins)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S(EHLO_OK), MAIL, S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("450 4.2.0 greylisted, try later\r\n"),
		C("RCPT TO:<nobody@emak.se>"), S("450 4.2.0 greylisted, try later\r\n"),
		C("RCPT TO:<lars.jonsson@emak.se>"), S("550 5.1.1 no such user\r\n"),
		QUIT, END,
	};

	server_start(script);
	ck_assert_int_eq(send_to(three, 3, MSG), SMTP_ERR_PERM);
	ck_assert_int_eq(res.rcpt, 2);
	ck_assert_uint_eq(res.nrefused, 3);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(temporary_recipient_refusal)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S(EHLO_OK), MAIL, S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("452 4.2.2 mailbox full\r\n"), QUIT, END,
	};

	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_TEMP);
	ck_assert_int_eq(res.stage, SMTP_AT_RCPT);
	ck_assert_int_eq(res.rcpt, 0);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(greeting_refused)
{
	static const struct step script[] = {
		S("554 mail.emak.se does not accept mail from you\r\n"), QUIT, END,
	};

	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_PERM);
	ck_assert_int_eq(res.stage, SMTP_AT_GREETING);
	ck_assert_int_eq(res.code, 554);
	ck_assert_str_eq(res.excerpt, "mail.emak.se does not accept mail from you");
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(greeting_busy)
{
	static const struct step script[] = { S("421 too busy, try later\r\n"), X, END };

	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_TEMP);
	ck_assert_int_eq(res.stage, SMTP_AT_GREETING);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(size_over_the_limit)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S("250-mail.emak.se\r\n250 SIZE 10\r\n"), QUIT, END,
	};

	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_TOO_BIG);
	ck_assert_int_eq(res.stage, SMTP_AT_MAIL);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* ---------------------------------------------------------------- broken servers */

START_TEST(closes_mid_reply)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S("250-mail.emak.se\r\n250-SIZE"), X, END,
	};

	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_IO);
	ck_assert_int_eq(res.stage, SMTP_AT_EHLO);
	ck_assert_ptr_nonnull(strstr(res.detail, "closed"));
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(over_long_reply_line)
{
	static char line[SMTP_LINE_MAX + 100];
	struct step script[] = { S("220 ready\r\n"), EHLO, { 'S', line, 0 }, END };

	memset(line, 'x', sizeof(line));
	memcpy(line, "250-", 4);
	memcpy(line + sizeof(line) - 2, "\r\n", 2);
	script[2].n = sizeof(line);
	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_PROTOCOL);
	ck_assert_int_eq(res.stage, SMTP_AT_EHLO);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(not_smtp)
{
	static const struct step script[] = { S("* OK IMAP4rev1 ready\r\n"), END };

	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_PROTOCOL);
	ck_assert_int_eq(res.stage, SMTP_AT_GREETING);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(silent_server_times_out)
{
	static const struct step script[] = { W(1500), X, END };

	cfg.timeout_ms = 200;
	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_TIMEOUT);
	ck_assert_int_eq(res.stage, SMTP_AT_GREETING);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* No verdict after the whole message: it may have been taken. */
START_TEST(timeout_after_the_dot)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S(EHLO_OK), MAIL, S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 OK\r\n"),
		C("DATA"), S("354 go ahead\r\n"), D(MSG_DATA), W(1500), X, END,
	};

	cfg.timeout_ms = 300;
	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_TIMEOUT);
	ck_assert_int_eq(res.stage, SMTP_AT_BODY);
	ck_assert_int_eq(res.maybe_sent, 1);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(connection_refused)
{
	static const struct step script[] = { X, END };

	server_start(script);
	server_stop();                             /* nothing listens there now */
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_CONNECT);
	ck_assert_int_eq(res.stage, SMTP_AT_CONNECT);
}
END_TEST

/* ---------------------------------------------------------------- AUTH and STARTTLS */

#define EHLO_AUTH "250-mail.emak.se\r\n250-AUTH LOGIN PLAIN\r\n250 SIZE 0\r\n"
/* base64("\0klient1@emak.se\0Klient1pw") */
#define AUTH C("AUTH PLAIN AGtsaWVudDFAZW1hay5zZQBLbGllbnQxcHc=")

START_TEST(auth_plain)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S(EHLO_AUTH), AUTH, S("235 2.7.0 Authentication succeeded\r\n"),
		MAIL, S("250 OK\r\n"), C("RCPT TO:<klient2@emak.se>"), S("250 OK\r\n"),
		C("DATA"), S("354 go ahead\r\n"), D(MSG_DATA), S("250 OK\r\n"), QUIT, END,
	};

	cfg.user = "klient1@emak.se";
	cfg.password = "Klient1pw";
	server_start(script);
	ck_assert_msg(send_to(one, 1, MSG) == SMTP_OK, "%s", res.detail);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(auth_refused)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S(EHLO_AUTH), AUTH,
		S("535 5.7.8 Authentication credentials invalid\r\n"), QUIT, END,
	};

	cfg.user = "klient1@emak.se";
	cfg.password = "Klient1pw";
	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_AUTH);
	ck_assert_int_eq(res.stage, SMTP_AT_AUTH);
	ck_assert_int_eq(res.code, 535);
	ck_assert_ptr_null(strstr(res.detail, "AGtsaWVu"));         /* no credentials in the log */
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(auth_challenge_cancelled)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S(EHLO_AUTH), AUTH, S("334 \r\n"),
		C("*"), S("501 5.0.0 AUTH aborted\r\n"), QUIT, END,
	};

	cfg.user = "klient1@emak.se";
	cfg.password = "Klient1pw";
	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_AUTH);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(auth_not_offered)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S("250-mail.emak.se\r\n250 AUTH LOGIN CRAM-MD5\r\n"), QUIT, END,
	};

	cfg.user = "klient1@emak.se";
	cfg.password = "Klient1pw";
	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_AUTH);
	ck_assert_int_eq(res.stage, SMTP_AT_AUTH);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(starttls_not_offered)
{
	static const struct step script[] = { S("220 ready\r\n"), EHLO, S(EHLO_OK), QUIT, END };

	cfg.tls = SMTP_TLS_STARTTLS;
	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_TLS);
	ck_assert_int_eq(res.stage, SMTP_AT_STARTTLS);
	ck_assert_ptr_nonnull(strstr(res.detail, "does not offer STARTTLS"));
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(starttls_refused)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S("250-mail.emak.se\r\n250 STARTTLS\r\n"),
		C("STARTTLS"), S("454 4.7.0 TLS not available due to local problem\r\n"), QUIT, END,
	};

	cfg.tls = SMTP_TLS_STARTTLS;
	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_TLS);
	ck_assert_int_eq(res.code, 454);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* Bytes after "220 go ahead" but before the handshake: an injection. */
START_TEST(starttls_injection)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S("250-mail.emak.se\r\n250 STARTTLS\r\n"),
		C("STARTTLS"), S("220 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n"), END,
	};

	cfg.tls = SMTP_TLS_STARTTLS;
	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_TLS);
	ck_assert_ptr_nonnull(strstr(res.detail, "after the STARTTLS"));
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(starttls_handshake_fails)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S("250-mail.emak.se\r\n250 STARTTLS\r\n"),
		C("STARTTLS"), S("220 go ahead\r\n"), W(100), S("this is not TLS\r\n"), X, END,
	};

	cfg.tls = SMTP_TLS_STARTTLS;
	server_start(script);
	ck_assert_int_eq(send_to(one, 1, MSG), SMTP_ERR_TLS);
	ck_assert_int_eq(res.stage, SMTP_AT_STARTTLS);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* ---------------------------------------------------------------- arguments */

START_TEST(envelope_checked_before_connecting)
{
	static const char *const evil[] = { "klient2@emak.se", "x@emak.se>\r\nRCPT TO:<evil@example.com" };
	struct smtp_envelope env = { "klient1@emak.se", evil, 2 };

	cfg.port = 1;                             /* nothing is ever sent there */
	ck_assert_int_eq(smtp_send(&cfg, &env, MSG, strlen(MSG), &res), SMTP_ERR_INVALID);
	ck_assert_int_eq(res.rcpt, 1);
	env.nrcpts = 0;
	ck_assert_int_eq(smtp_send(&cfg, &env, MSG, strlen(MSG), &res), SMTP_ERR_INVALID);
	env.nrcpts = 1;
	env.sender = "klient1@emak.se\r\nDATA";
	ck_assert_int_eq(smtp_send(&cfg, &env, MSG, strlen(MSG), &res), SMTP_ERR_INVALID);
	ck_assert_int_eq(res.stage, SMTP_AT_MAIL);
}
END_TEST

START_TEST(null_sender)
{
	static const struct step script[] = {
		S("220 ready\r\n"), EHLO, S("250 mail.emak.se\r\n"), C("MAIL FROM:<>"), S("250 OK\r\n"),
		C("RCPT TO:<klient2@emak.se>"), S("250 OK\r\n"),
		C("DATA"), S("354 go ahead\r\n"), D(MSG_DATA), S("250 OK\r\n"), QUIT, END,
	};
	struct smtp_envelope env = { "", one, 1 };

	server_start(script);
	cfg.port = server_port;
	ck_assert_msg(smtp_send(&cfg, &env, MSG, strlen(MSG), &res) == SMTP_OK, "%s", res.detail);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

static const struct {
	const char *addr;
	int ok;
} addresses[] = {
	{ "klient1@emak.se", 1 }, { "lars.jonsson+news@emak.se", 1 }, { "a@b", 1 },
	{ "x@[127.0.0.1]", 0 }, { "klient1", 0 }, { "@emak.se", 0 }, { "klient1@", 0 },
	{ "a@b@c", 0 }, { "a b@emak.se", 0 }, { "a<b@emak.se", 0 }, { "a@emak.se>", 0 },
	{ "\"q\"@emak.se", 0 }, { "r\xc3\xa4ka@emak.se", 0 }, { "a@emak.se\r\n", 0 },
	{ "a@emak.se\n", 0 }, { "", 0 },
	{ "0123456789012345678901234567890123456789012345678901234567890123@emak.se", 1 },
	{ "01234567890123456789012345678901234567890123456789012345678901234@emak.se", 0 },
};

START_TEST(address_check)
{
	ck_assert_msg(smtp_address_ok(addresses[_i].addr) == addresses[_i].ok, "%s", addresses[_i].addr);
}
END_TEST

/* ---------------------------------------------------------------- the wire format */

static int feed_all(struct smtp_reader *rd, const char *s)
{
	size_t used = 0;

	smtp_reader_init(rd);
	return smtp_reader_feed(rd, s, strlen(s), &used);
}

START_TEST(reply_syntax)
{
	struct smtp_reader rd;
	char ex[32], st[12];
	size_t used;

	ck_assert_int_eq(feed_all(&rd, "250-first\r\n250-second\n250 last\r\n"), SMTP_READ_DONE);
	ck_assert_int_eq(rd.reply.code, 250);
	ck_assert_uint_eq(rd.reply.nlines, 3);
	ck_assert_str_eq(rd.reply.text, "first\nsecond\nlast");
	ck_assert_int_eq(feed_all(&rd, "250\r\n"), SMTP_READ_DONE);
	ck_assert_str_eq(rd.reply.text, "");
	ck_assert_int_eq(feed_all(&rd, "250-a\r\n251 b\r\n"), SMTP_READ_SYNTAX);
	ck_assert_int_eq(feed_all(&rd, "25\r\n"), SMTP_READ_SYNTAX);
	ck_assert_int_eq(feed_all(&rd, "250x\r\n"), SMTP_READ_SYNTAX);
	ck_assert_int_eq(feed_all(&rd, "150 go\r\n"), SMTP_READ_SYNTAX);
	ck_assert_int_eq(feed_all(&rd, "250-a\r\n250"), SMTP_READ_MORE);
	ck_assert_int_eq(feed_all(&rd, "550 bad\tbyte \x01\xff\r\n"), SMTP_READ_DONE);
	ck_assert_str_eq(rd.reply.text, "bad byte ??");
	/* Two replies in one read: the second waits for the next feed. */
	smtp_reader_init(&rd);
	ck_assert_int_eq(smtp_reader_feed(&rd, "220 a\r\n250 b\r\n", 14, &used), SMTP_READ_DONE);
	ck_assert_uint_eq(used, 7);
	ck_assert_int_eq(smtp_reader_feed(&rd, "250 b\r\n", 7, &used), SMTP_READ_DONE);
	ck_assert_int_eq(rd.reply.code, 250);
	ck_assert_str_eq(rd.reply.text, "b");
	/* Excerpt and status. */
	ck_assert_int_eq(feed_all(&rd, "550-5.1.1 the user does not exist here\r\n550 see the manual\r\n"),
	                 SMTP_READ_DONE);
	smtp_reply_excerpt(&rd.reply, ex, sizeof(ex));
	ck_assert_str_eq(ex, "5.1.1 the user does not ...");
	smtp_reply_status(&rd.reply, st);
	ck_assert_str_eq(st, "5.1.1");
	ck_assert_int_eq(feed_all(&rd, "550 4.1.1 wrong class\r\n"), SMTP_READ_DONE);
	smtp_reply_status(&rd.reply, st);
	ck_assert_str_eq(st, "");
	ck_assert_int_eq(feed_all(&rd, "550 5.1.1234 too many digits\r\n"), SMTP_READ_DONE);
	smtp_reply_status(&rd.reply, st);
	ck_assert_str_eq(st, "");
}
END_TEST

START_TEST(reply_limits)
{
	struct smtp_reader rd;
	char line[SMTP_LINE_MAX + 1];
	size_t used, i;

	/* A line of exactly SMTP_LINE_MAX bytes with its CRLF is fine ... */
	memset(line, 'x', sizeof(line));
	memcpy(line, "250 ", 4);
	memcpy(line + SMTP_LINE_MAX - 2, "\r\n", 2);
	smtp_reader_init(&rd);
	ck_assert_int_eq(smtp_reader_feed(&rd, line, SMTP_LINE_MAX, &used), SMTP_READ_DONE);
	/* ... one more byte is not. */
	memcpy(line + SMTP_LINE_MAX - 2, "x\r\n", 3);
	smtp_reader_init(&rd);
	ck_assert_int_eq(smtp_reader_feed(&rd, line, SMTP_LINE_MAX + 1, &used), SMTP_READ_TOO_LONG);
	smtp_reader_init(&rd);
	for (i = 0; i < SMTP_REPLY_LINES_MAX; i++)
		ck_assert_int_eq(smtp_reader_feed(&rd, "250-more\r\n", 10, &used), SMTP_READ_MORE);
	ck_assert_int_eq(smtp_reader_feed(&rd, "250 last\r\n", 10, &used), SMTP_READ_TOO_MANY);
}
END_TEST

START_TEST(ehlo_capabilities)
{
	struct smtp_reader rd;
	unsigned long long max;
	unsigned caps;

	feed_all(&rd, "250-mail.emak.se STARTTLS SIZE 99\r\n250-size 1000\r\n250-starttls\r\n"
	              "250-AUTH=LOGIN PLAIN\r\n250 8bitmime\r\n");
	caps = smtp_ehlo_caps(&rd.reply, &max);
	ck_assert_uint_eq(caps, SMTP_CAP_SIZE | SMTP_CAP_STARTTLS | SMTP_CAP_AUTH | SMTP_CAP_AUTH_PLAIN
	                        | SMTP_CAP_8BITMIME);
	ck_assert_uint_eq(max, 1000);
	feed_all(&rd, "250-mail.emak.se\r\n250-AUTH LOGIN PLAINX\r\n250-SIZE\r\n250 STARTTLSX\r\n");
	caps = smtp_ehlo_caps(&rd.reply, &max);
	ck_assert_uint_eq(caps, SMTP_CAP_AUTH | SMTP_CAP_SIZE);
	ck_assert_uint_eq(max, 0);
	feed_all(&rd, "250 mail.emak.se STARTTLS\r\n");        /* the greeting line is not a capability */
	ck_assert_uint_eq(smtp_ehlo_caps(&rd.reply, &max), 0);
}
END_TEST

/* Encoding in one piece or byte by byte gives the same bytes. */
static char *encode(enum smtp_enc_mode mode, const char *in, size_t piece)
{
	static char out[4096];
	struct smtp_enc e;
	size_t pos = 0, o = 0, n = strlen(in), used;

	smtp_enc_init(&e, mode);
	while (pos < n) {
		size_t take = n - pos < piece ? n - pos : piece;

		o += smtp_enc_step(&e, in + pos, take, &used, out + o, SMTP_ENC_OUT_MIN);
		pos += used;
	}
	o += smtp_enc_finish(&e, out + o);
	out[o] = '\0';
	return out;
}

static const struct {
	enum smtp_enc_mode mode;
	const char *in, *out;
} encodings[] = {
	{ SMTP_ENC_DATA, "", ".\r\n" },
	{ SMTP_ENC_DATA, ".", "..\r\n.\r\n" },
	{ SMTP_ENC_DATA, ".\r\n", "..\r\n.\r\n" },
	{ SMTP_ENC_DATA, "a\r\n.\r\nb", "a\r\n..\r\nb\r\n.\r\n" },
	{ SMTP_ENC_DATA, "a.b\n.c.\n", "a.b\r\n..c.\r\n.\r\n" },
	{ SMTP_ENC_DATA, "a\rb\r\r\nc\n\rd", "a\r\nb\r\n\r\nc\r\n\r\nd\r\n.\r\n" },
	{ SMTP_ENC_DATA, "\r.\n.", "\r\n..\r\n..\r\n.\r\n" },
	{ SMTP_ENC_CRLF, ".a\nb\r", ".a\r\nb\r\n" },
	{ SMTP_ENC_CRLF, "", "" },
	{ SMTP_ENC_LF, "a\r\n.b\rc\n", "a\n.b\nc\n" },
	{ SMTP_ENC_LF, "a\r\n\r\nb", "a\n\nb\n" },
};

START_TEST(message_encoding)
{
	const char *in = encodings[_i].in, *want = encodings[_i].out;

	ck_assert_str_eq(encode(encodings[_i].mode, in, 4096), want);
	ck_assert_str_eq(encode(encodings[_i].mode, in, 1), want);
	ck_assert_uint_eq(smtp_enc_size(encodings[_i].mode, in, strlen(in)), strlen(want));
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(smtp_err_name(SMTP_OK), "ok");
	ck_assert_str_eq(smtp_err_name(SMTP_ERR_TOO_BIG), "too_big");
	ck_assert_str_eq(smtp_err_name(SMTP_ERR_NOMEM), "nomem");
	ck_assert_str_eq(smtp_err_name(SMTP_ERR__COUNT), "?");
	ck_assert_str_eq(smtp_stage_name(SMTP_AT_RCPT), "rcpt");
	ck_assert_str_eq(smtp_stage_name(SMTP_AT_INJECT), "inject");
}
END_TEST

static Suite *smtp_suite(void)
{
	Suite *s = suite_create("smtp");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, sends_with_multiline_ehlo);
	tcase_add_test(tc, dot_stuffing_and_line_ends);
	tcase_add_test(tc, large_message);
	tcase_add_test(tc, eight_bit_body_when_offered);
	tcase_add_test(tc, helo_when_ehlo_is_unknown);
	tcase_add_loop_test(tc, refused_at_mail, 0, NVERDICTS);
	tcase_add_loop_test(tc, refused_at_data, 0, NVERDICTS);
	tcase_add_loop_test(tc, refused_after_the_dot, 0, NVERDICTS);
	tcase_add_test(tc, one_recipient_refused);
	tcase_add_test(tc, permanent_refusal_wins);
	tcase_add_test(tc, temporary_recipient_refusal);
	tcase_add_test(tc, greeting_refused);
	tcase_add_test(tc, greeting_busy);
	tcase_add_test(tc, size_over_the_limit);
	tcase_add_test(tc, closes_mid_reply);
	tcase_add_test(tc, over_long_reply_line);
	tcase_add_test(tc, not_smtp);
	tcase_add_test(tc, silent_server_times_out);
	tcase_add_test(tc, timeout_after_the_dot);
	tcase_add_test(tc, connection_refused);
	tcase_add_test(tc, auth_plain);
	tcase_add_test(tc, auth_refused);
	tcase_add_test(tc, auth_challenge_cancelled);
	tcase_add_test(tc, auth_not_offered);
	tcase_add_test(tc, starttls_not_offered);
	tcase_add_test(tc, starttls_refused);
	tcase_add_test(tc, starttls_injection);
	tcase_add_test(tc, starttls_handshake_fails);
	tcase_add_test(tc, envelope_checked_before_connecting);
	tcase_add_test(tc, null_sender);
	tcase_add_loop_test(tc, address_check, 0, sizeof(addresses) / sizeof(addresses[0]));
	tcase_add_test(tc, reply_syntax);
	tcase_add_test(tc, reply_limits);
	tcase_add_test(tc, ehlo_capabilities);
	tcase_add_loop_test(tc, message_encoding, 0, sizeof(encodings) / sizeof(encodings[0]));
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(smtp_suite)
