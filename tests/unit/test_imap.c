/* Unit tests: the IMAP client's state machine (cgi/imap.c, imap_cmd.c)
 * against a scripted fake server: a child process on a 127.0.0.1 port that
 * sends what the script says and checks, byte for byte, what the client
 * sends. This reaches what a real server rarely does (refusals before a
 * literal, a server that stops answering, one that hangs up mid-literal,
 * injected bytes after STARTTLS, servers without MOVE, UIDPLUS, LITERAL+,
 * SASL-IR or ESEARCH); the happy paths against the real Dovecot are
 * tests/integration/imap_dovecot.sh. */
#include "config.h"

#include "check_main.h"
#include "arena.h"
#include "conf.h"
#include "fake_server.h"
#include "imap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---------------------------------------------------------------- the fake server (fake_server.h) */

static struct arena *arena;

static void setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	arena = arena_new(64u << 20);
}

static void teardown(void)
{
	server_stop();
	arena_free(arena);
}

static struct imap *client_with(int timeout_ms, size_t max_literal)
{
	struct imap_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.host = "127.0.0.1";
	cfg.port = server_port;
	cfg.timeout_ms = timeout_ms;
	cfg.verify = 1;
	imap_limits_default(&cfg.lim);
	if (max_literal)
		cfg.lim.max_literal = max_literal;
	return imap_new(arena, &cfg);
}

static struct imap *client(void)
{
	return client_with(3000, 0);
}

#define GREETING "* OK [CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN SASL-IR] ready\r\n"
#define PLAIN_IR "a1 AUTHENTICATE PLAIN AGtsaWVudDFAZW1hay5zZQBLbGllbnQxcHc="
#define LOGGED_IN "a1 OK [CAPABILITY IMAP4rev1 LITERAL+ MOVE UIDPLUS ESEARCH SORT] Logged in\r\n"

/* Connected and logged in as klient1@emak.se with AUTHENTICATE PLAIN. */
static struct imap *logged_in(void)
{
	struct imap *im = client();

	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_login(im, "klient1@emak.se", "Klient1pw", IMAP_AUTH_AUTO), IMAP_OK);
	return im;
}

/* ---------------------------------------------------------------- login */

START_TEST(login_plain_with_sasl_ir)
{
	static const struct step script[] = {
		S(GREETING), C(PLAIN_IR), S(LOGGED_IN),
		C("a2 LOGOUT"), S("* BYE Logging out\r\na2 OK Logout completed.\r\n"), END,
	};
	struct imap *im;

	server_start(script);
	im = logged_in();
	ck_assert(imap_caps(im) & IMAP_CAP_MOVE);          /* from the OK after login */
	ck_assert(!(imap_caps(im) & IMAP_CAP_AUTH_PLAIN));
	ck_assert_int_eq(imap_logout(im), IMAP_OK);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(login_plain_without_sasl_ir)
{
	static const struct step script[] = {
		S("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n"),
		C("a1 AUTHENTICATE PLAIN"), S("+ \r\n"), C("AGtsaWVudDFAZW1hay5zZQBLbGllbnQxcHc="),
		S("a1 OK Logged in\r\n"),
		C("a2 CAPABILITY"), S("* CAPABILITY IMAP4rev1 UIDPLUS\r\na2 OK done\r\n"), END,
	};
	struct imap *im;

	server_start(script);
	im = logged_in();
	ck_assert_uint_eq(imap_caps(im), IMAP_CAP_IMAP4REV1 | IMAP_CAP_UIDPLUS);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(login_quoted_and_literal)
{
	/* No capabilities in the greeting: asked for. The password with an
	 * 8-bit character and a quote goes as a synchronizing literal. */
	static const struct step script[] = {
		S("* OK ready\r\n"), C("a1 CAPABILITY"), S("* CAPABILITY IMAP4rev1\r\na1 OK\r\n"),
		C("a2 LOGIN \"lars.j\\\"onsson@emak.se\" {12}"), S("+ go ahead\r\n"),
		D("p\xc3\xa4ss \"w\xc3\xb6rd"), C(""), S("a2 OK [CAPABILITY IMAP4rev1] hi\r\n"), END,
	};
	struct imap *im;

	server_start(script);
	im = client();
	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_login(im, "lars.j\"onsson@emak.se", "p\xc3\xa4ss \"w\xc3\xb6rd", IMAP_AUTH_AUTO),
	                 IMAP_OK);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(login_literal_plus)
{
	static const struct step script[] = {
		S("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n"),
		C("a1 LOGIN {4+}"), D("a\r\nb"), C(" \"pw\""), S("a1 OK [CAPABILITY IMAP4rev1] hi\r\n"), END,
	};
	struct imap *im;

	server_start(script);
	im = client();
	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_login(im, "a\r\nb", "pw", IMAP_AUTH_LOGIN), IMAP_OK);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(login_refused)
{
	static const struct step script[] = {
		S(GREETING), C(PLAIN_IR), S("a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"),
		C("a2 LOGIN \"klient1@emak.se\" \"Klient1pw\""), S("a2 NO Login failed\r\n"),
		C("a3 LOGIN \"klient1@emak.se\" \"Klient1pw\""), S("a3 NO [UNAVAILABLE] Try later\r\n"),
		C("a4 LOGIN \"klient1@emak.se\" \"Klient1pw\""), S("a4 BAD what\r\n"), END,
	};
	struct imap *im;

	server_start(script);
	im = client();
	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_login(im, "klient1@emak.se", "Klient1pw", IMAP_AUTH_AUTO), IMAP_ERR_AUTH);
	ck_assert_ptr_nonnull(strstr(imap_detail(im), "Authentication failed."));
	ck_assert_int_eq(imap_login(im, "klient1@emak.se", "Klient1pw", IMAP_AUTH_LOGIN), IMAP_ERR_AUTH);
	ck_assert_int_eq(imap_login(im, "klient1@emak.se", "Klient1pw", IMAP_AUTH_LOGIN), IMAP_ERR_SERVER);
	ck_assert_int_eq(imap_login(im, "klient1@emak.se", "Klient1pw", IMAP_AUTH_LOGIN), IMAP_ERR_SERVER);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(login_disabled)
{
	static const struct step script[] = {
		S("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n"), END,
	};
	struct imap *im;

	server_start(script);
	im = client();
	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_login(im, "u", "p", IMAP_AUTH_AUTO), IMAP_ERR_UNSUPPORTED);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(greetings)
{
	static const struct step bye[] = { S("* BYE Too many connections\r\n"), END };
	static const struct step junk[] = { S("HTTP/1.1 400 Bad Request\r\n"), END };
	static const struct step preauth[] = {
		S("* PREAUTH [CAPABILITY IMAP4rev1] welcome\r\n"), C("a1 LIST \"\" \"*\""),
		S("* LIST () \"/\" INBOX\r\na1 OK\r\n"), END,
	};
	struct imap *im;
	struct imap_mailbox *m;
	size_t n;

	server_start(bye);
	im = client();
	ck_assert_int_eq(imap_connect(im), IMAP_ERR_SERVER);
	ck_assert_ptr_nonnull(strstr(imap_detail(im), "Too many connections"));
	ck_assert_int_eq(imap_login(im, "u", "p", IMAP_AUTH_AUTO), IMAP_ERR_SERVER);   /* sticky */
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);

	server_start(junk);
	im = client();
	ck_assert_int_eq(imap_connect(im), IMAP_ERR_PROTOCOL);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);

	server_start(preauth);
	im = client();
	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_login(im, "u", "p", IMAP_AUTH_AUTO), IMAP_OK);         /* nothing sent */
	ck_assert_int_eq(imap_list(im, 0, &m, &n), IMAP_OK);
	ck_assert_uint_eq(n, 1);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* ---------------------------------------------------------------- connection failures */

START_TEST(connect_refused)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct imap *im;

	/* A port that was free a moment ago. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	close(fd);
	server_port = ntohs(sin.sin_port);
	im = client();
	ck_assert_int_eq(imap_connect(im), IMAP_ERR_CONNECT);
	imap_free(im);
}
END_TEST

START_TEST(silent_server_times_out)
{
	static const struct step script[] = { W(1500), END };
	struct imap *im;
	int rc;

	server_start(script);
	im = client_with(200, 0);
	rc = imap_connect(im);
	ck_assert_int_eq(rc, IMAP_ERR_TIMEOUT);
	ck_assert_int_eq(imap_login(im, "u", "p", IMAP_AUTH_AUTO), IMAP_ERR_TIMEOUT);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(hang_up_mid_literal)
{
	static const struct step script[] = {
		S(GREETING), C(PLAIN_IR), S(LOGGED_IN),
		C("a2 SELECT INBOX"), S("* 1 EXISTS\r\na2 OK [READ-WRITE] done\r\n"),
		C("a3 UID FETCH 1 (UID BODY.PEEK[])"),
		S("* 1 FETCH (UID 1 BODY[] {100}\r\nonly a bit of it"), X,
	};
	const char *secs[] = { "" };
	struct imap_fetch_spec spec = { 0, secs, 1, 0, 0 };
	struct imap_fetch *f;
	uint32_t uid = 1;
	size_t n;
	struct imap *im;

	server_start(script);
	im = logged_in();
	ck_assert_int_eq(imap_select(im, "inbox", 0, NULL), IMAP_OK);
	ck_assert_int_eq(imap_fetch(im, &uid, 1, &spec, &f, &n), IMAP_ERR_IO);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* IMAP_FETCH_MARK_SEEN: BODY[...] (sets \Seen), and the FLAGS the server
 * sends along are taken. */
START_TEST(fetch_that_marks_seen)
{
	static const struct step script[] = {
		S(GREETING), C(PLAIN_IR), S(LOGGED_IN),
		C("a2 SELECT INBOX"), S("* 1 EXISTS\r\na2 OK done\r\n"),
		C("a3 UID FETCH 1 (UID BODY[1])"),
		S("* 1 FETCH (UID 1 BODY[1] {5}\r\nhello FLAGS (\\Seen))\r\na3 OK\r\n"), END,
	};
	const char *secs[] = { "1" };
	struct imap_fetch_spec spec = { IMAP_FETCH_MARK_SEEN, secs, 1, 0, 0 };
	const struct imap_section *sec;
	struct imap_fetch *f;
	uint32_t uid = 1;
	size_t n;
	struct imap *im;

	server_start(script);
	im = client_with(3000, 0);
	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_login(im, "klient1@emak.se", "Klient1pw", IMAP_AUTH_AUTO), IMAP_OK);
	ck_assert_int_eq(imap_select(im, "INBOX", 0, NULL), IMAP_OK);
	ck_assert_int_eq(imap_fetch(im, &uid, 1, &spec, &f, &n), IMAP_OK);
	ck_assert_uint_eq(n, 1);
	sec = imap_fetch_section(&f[0], "1");
	ck_assert_ptr_nonnull(sec);
	ck_assert_uint_eq(sec->len, 5);
	ck_assert_int_eq(memcmp(sec->data, "hello", 5), 0);
	ck_assert_uint_eq(f[0].flags.bits & IMAP_FLAG_SEEN, IMAP_FLAG_SEEN);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(response_over_the_limit)
{
	static const struct step script[] = {
		S(GREETING), C(PLAIN_IR), S(LOGGED_IN),
		C("a2 SELECT INBOX"), S("* 1 EXISTS\r\na2 OK done\r\n"),
		C("a3 UID FETCH 1 (UID BODY.PEEK[1])"),
		S("* 1 FETCH (UID 1 BODY[1] {17}\r\n01234567890123456)\r\na3 OK\r\n"), END,
	};
	const char *secs[] = { "1" };
	struct imap_fetch_spec spec = { 0, secs, 1, 0, 0 };
	struct imap_fetch *f;
	uint32_t uid = 1;
	size_t n;
	struct imap *im;

	server_start(script);
	im = client_with(3000, 16);
	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_login(im, "klient1@emak.se", "Klient1pw", IMAP_AUTH_AUTO), IMAP_OK);
	ck_assert_int_eq(imap_select(im, "INBOX", 0, NULL), IMAP_OK);
	ck_assert_int_eq(imap_fetch(im, &uid, 1, &spec, &f, &n), IMAP_ERR_PROTOCOL);
	ck_assert_ptr_nonnull(strstr(imap_detail(im), "limit"));
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(foreign_tag_and_stray_continuation)
{
	static const struct step tag[] = {
		S(GREETING), C(PLAIN_IR), S("b1 OK Logged in\r\n"), END,
	};
	static const struct step plus[] = {
		S(GREETING), C(PLAIN_IR), S("+ what\r\n"), END,
	};
	struct imap *im;

	server_start(tag);
	im = client();
	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_login(im, "klient1@emak.se", "Klient1pw", IMAP_AUTH_AUTO), IMAP_ERR_PROTOCOL);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);

	server_start(plus);
	im = client();
	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_login(im, "klient1@emak.se", "Klient1pw", IMAP_AUTH_AUTO), IMAP_ERR_PROTOCOL);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(bye_during_a_command)
{
	static const struct step script[] = {
		S(GREETING), C(PLAIN_IR), S(LOGGED_IN),
		C("a2 STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)"),
		S("* BYE Server shutting down\r\n"), X,
	};
	struct imap_status st;
	struct imap *im;

	server_start(script);
	im = logged_in();
	ck_assert_int_eq(imap_status(im, "INBOX", &st), IMAP_ERR_SERVER);
	ck_assert_ptr_nonnull(strstr(imap_detail(im), "shutting down"));
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* ---------------------------------------------------------------- STARTTLS */

START_TEST(starttls_failures)
{
	static const struct step none[] = { S(GREETING), END };
	static const struct step refused[] = {
		S("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n"), C("a1 STARTTLS"), S("a1 NO not now\r\n"), END,
	};
	static const struct step injected[] = {
		S("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n"), C("a1 STARTTLS"),
		S("a1 OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n"), END,
	};
	static const struct step garbage[] = {
		S("* OK ready\r\n"), C("a1 CAPABILITY"), S("* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK\r\n"),
		C("a2 STARTTLS"), S("a2 OK Begin TLS\r\n"), W(100), S("this is not TLS at all\r\n"), X,
	};
	const struct step *scripts[] = { none, refused, injected, garbage };
	size_t i;

	for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		struct imap_config cfg;
		struct imap *im;

		server_start(scripts[i]);
		memset(&cfg, 0, sizeof(cfg));
		cfg.host = "127.0.0.1";
		cfg.port = server_port;
		cfg.tls = IMAP_TLS_STARTTLS;
		cfg.verify = 1;
		cfg.timeout_ms = 3000;
		imap_limits_default(&cfg.lim);
		im = imap_new(arena, &cfg);
		ck_assert_int_eq(imap_connect(im), IMAP_ERR_TLS);
		ck_assert_int_eq(imap_login(im, "u", "p", IMAP_AUTH_AUTO), IMAP_ERR_TLS);
		imap_free(im);
		ck_assert_int_eq(server_done(), 0);
	}
}
END_TEST

/* ---------------------------------------------------------------- mailboxes */

START_TEST(mailbox_commands)
{
	static const struct step script[] = {
		S(GREETING), C(PLAIN_IR),
		S("a1 OK [CAPABILITY IMAP4rev1 LIST-EXTENDED LIST-STATUS SPECIAL-USE] Logged in\r\n"),
		C("a2 LIST \"\" \"*\" RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN))"),
		S("* LIST (\\HasNoChildren) \".\" INBOX\r\n* STATUS INBOX (MESSAGES 3 UNSEEN 1)\r\n"
		  "* LIST (\\HasNoChildren \\Trash) \".\" \"Skr&AOQ-p\"\r\n"
		  "* STATUS \"Skr&AOQ-p\" (MESSAGES 0 UNSEEN 0)\r\na2 OK List completed\r\n"),
		C("a3 CREATE \"R&AOQ-kor\""), S("a3 OK\r\n"),
		C("a4 CREATE \"R&AOQ-kor\""), S("a4 NO [ALREADYEXISTS] Mailbox already exists\r\n"),
		C("a5 RENAME \"R&AOQ-kor\" \"R&AOQ-kor 2\""), S("a5 OK\r\n"),
		C("a6 DELETE \"nothere\""), S("a6 NO [NONEXISTENT] Mailbox doesn't exist\r\n"),
		C("a7 SELECT \"nothere\""), S("a7 NO Mailbox doesn't exist: nothere\r\n"),
		C("a8 EXAMINE \"Skr&AOQ-p\""),
		S("* FLAGS (\\Seen \\Deleted)\r\n* OK [PERMANENTFLAGS ()] Read-only mailbox.\r\n"
		  "* 0 EXISTS\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT 1] next\r\n"
		  "a8 OK [READ-ONLY] Examine completed\r\n"),
		C("a9 STATUS \"Skr&AOQ-p\" (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)"),
		S("* STATUS Skr&AOQ-p (MESSAGES 2 RECENT 0 UIDNEXT 9 UIDVALIDITY 7 UNSEEN 1)\r\na9 OK\r\n"),
		END,
	};
	struct imap_mailbox *m;
	struct imap_selected sel;
	struct imap_status st;
	size_t n;
	struct imap *im;

	server_start(script);
	im = logged_in();
	ck_assert_int_eq(imap_list(im, IMAP_LIST_STATUS, &m, &n), IMAP_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(m[0].name, "INBOX");
	ck_assert_uint_eq(m[0].status.messages, 3);
	ck_assert_uint_eq(m[0].status.unseen, 1);
	ck_assert_str_eq(m[1].name, "Skr\xc3\xa4p");
	ck_assert(m[1].flags & IMAP_MBX_TRASH);
	ck_assert_ptr_eq(m[0].next, &m[1]);
	ck_assert_int_eq(imap_create(im, "R\xc3\xa4kor"), IMAP_OK);
	ck_assert_int_eq(imap_create(im, "R\xc3\xa4kor"), IMAP_ERR_EXISTS);
	ck_assert_int_eq(imap_rename(im, "R\xc3\xa4kor", "R\xc3\xa4kor 2"), IMAP_OK);
	ck_assert_int_eq(imap_delete(im, "nothere"), IMAP_ERR_NO_MAILBOX);
	ck_assert_int_eq(imap_select(im, "nothere", 0, &sel), IMAP_ERR_NO_MAILBOX);
	/* Not sent at all: */
	ck_assert_int_eq(imap_create(im, "bad\x01name"), IMAP_ERR_INVALID);
	ck_assert_int_eq(imap_create(im, "bad\xffname"), IMAP_ERR_INVALID);
	ck_assert_int_eq(imap_create(im, ""), IMAP_ERR_INVALID);
	ck_assert_int_eq(imap_select(im, "Skr\xc3\xa4p", 1, &sel), IMAP_OK);
	ck_assert_int_eq(sel.read_only, 1);
	ck_assert_uint_eq(sel.uidvalidity, 7);
	ck_assert_uint_eq(sel.permanent_flags, 0);
	ck_assert_int_eq(imap_status(im, "Skr\xc3\xa4p", &st), IMAP_OK);
	ck_assert_uint_eq(st.messages, 2);
	ck_assert_uint_eq(st.uidnext, 9);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(list_without_list_status)
{
	static const struct step script[] = {
		S("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n"), C(PLAIN_IR),
		S("a1 OK [CAPABILITY IMAP4rev1] Logged in\r\n"),
		C("a2 LIST \"\" \"*\""),
		S("* LIST (\\Noselect) \"/\" Archive\r\n* LIST () \"/\" INBOX\r\na2 OK\r\n"),
		C("a3 STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)"),
		S("* STATUS inbox (MESSAGES 4 RECENT 0 UIDNEXT 5 UIDVALIDITY 1 UNSEEN 2)\r\na3 OK\r\n"), END,
	};
	struct imap_mailbox *m;
	size_t n;
	struct imap *im;

	server_start(script);
	im = logged_in();
	ck_assert_int_eq(imap_list(im, IMAP_LIST_STATUS, &m, &n), IMAP_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(m[0].status.have, 0);
	ck_assert_uint_eq(m[1].status.messages, 4);
	ck_assert_uint_eq(m[1].status.unseen, 2);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(append_literals)
{
	static const struct step script[] = {
		S("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n"), C(PLAIN_IR),
		S("a1 OK [CAPABILITY IMAP4rev1 UIDPLUS] Logged in\r\n"),
		/* Refused before the literal: the connection stays usable. */
		C("a2 APPEND \"Skr&AOQ-p\" (\\Seen) {9}"), S("a2 NO [TRYCREATE] Mailbox doesn't exist\r\n"),
		C("a3 APPEND INBOX (\\Seen \\Flagged) \"24-Nov-2026 09:00:00 +0000\" {9}"), S("+ OK\r\n"),
		D("Subject: "), C(""), S("a3 OK [APPENDUID 1795664294 7] Append completed\r\n"),
		END,
	};
	struct imap *im;
	uint32_t uid = 99;

	server_start(script);
	im = logged_in();
	ck_assert_int_eq(imap_append(im, "Skr\xc3\xa4p", IMAP_FLAG_SEEN, 0, "Subject: ", 9, &uid),
	                 IMAP_ERR_NO_MAILBOX);
	ck_assert_uint_eq(uid, 0);
	ck_assert_int_eq(imap_append(im, "INBOX", IMAP_FLAG_SEEN | IMAP_FLAG_FLAGGED | IMAP_FLAG_RECENT,
	                             1795510800, "Subject: ", 9, &uid), IMAP_OK);
	ck_assert_uint_eq(uid, 7);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

/* ---------------------------------------------------------------- messages */

START_TEST(fetch_merges_and_orders)
{
	static const struct step script[] = {
		S(GREETING), C(PLAIN_IR), S(LOGGED_IN),
		C("a2 SELECT INBOX"),
		S("* 3 EXISTS\r\n* OK [UIDVALIDITY 5] x\r\na2 OK [READ-WRITE] done\r\n"),
		C("a3 UID FETCH 4:5,9 (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)]<0.100>)"),
		S("* 1 FETCH (UID 4 FLAGS (\\Seen) RFC822.SIZE 10 BODY[HEADER.FIELDS (SUBJECT)]<0> {4}\r\nS: a)\r\n"
		  "* 2 FETCH (UID 5 FLAGS () RFC822.SIZE 20 BODY[HEADER.FIELDS (SUBJECT)]<0> \"S: b\")\r\n"
		  "* 3 FETCH (FLAGS (\\Deleted))\r\n"           /* no UID: another message's news */
		  "* 2 FETCH (UID 5 FLAGS (\\Flagged))\r\n"     /* a later change to one asked for */
		  "* 4 EXISTS\r\n"
		  "a3 OK Fetch completed\r\n"),
		END,
	};
	const char *secs[] = { "HEADER.FIELDS (SUBJECT)" };
	struct imap_fetch_spec spec = { IMAP_FETCH_FLAGS | IMAP_FETCH_SIZE, secs, 1, 0, 100 };
	uint32_t uids[] = { 9, 5, 4, 5 };
	struct imap_fetch *f;
	size_t n;
	struct imap *im;

	server_start(script);
	im = logged_in();
	ck_assert_int_eq(imap_select(im, "INBOX", 0, NULL), IMAP_OK);
	ck_assert_int_eq(imap_fetch(im, uids, 4, &spec, &f, &n), IMAP_OK);
	ck_assert_uint_eq(n, 2);                              /* 9 is gone, 5 comes once */
	ck_assert_uint_eq(f[0].uid, 5);
	ck_assert_uint_eq(f[0].flags.bits, IMAP_FLAG_FLAGGED);
	ck_assert_uint_eq(f[0].size, 20);
	ck_assert_str_eq(imap_fetch_section(&f[0], "HEADER.FIELDS (SUBJECT)")->data, "S: b");
	ck_assert_uint_eq(f[1].uid, 4);
	ck_assert_str_eq(imap_fetch_section(&f[1], "header.fields (subject)")->data, "S: a");
	ck_assert_ptr_eq(f[0].next, &f[1]);
	ck_assert_uint_eq(imap_selected(im)->exists, 4);
	/* Refused before sending: a bad section, no UIDs, UID 0. */
	secs[0] = "1]<0> X";
	ck_assert_int_eq(imap_fetch(im, uids, 1, &spec, &f, &n), IMAP_ERR_INVALID);
	ck_assert_int_eq(imap_fetch(im, uids, 0, &spec, &f, &n), IMAP_ERR_INVALID);
	uids[0] = 0;
	secs[0] = "1";
	ck_assert_int_eq(imap_fetch(im, uids, 1, &spec, &f, &n), IMAP_ERR_INVALID);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(search_and_sort)
{
	static const struct step script[] = {
		S(GREETING), C(PLAIN_IR), S(LOGGED_IN),
		C("a2 SELECT INBOX"), S("* 3 EXISTS\r\na2 OK done\r\n"),
		/* ESEARCH, LITERAL+ for the UTF-8 value, OR of three. */
		C("a3 UID SEARCH RETURN (ALL) CHARSET UTF-8 OR OR FROM \"lars\" SUBJECT {10+}"),
		D("r\xc3\xa4ksm\xc3\xb6rg"), C(" BODY \"x\\\"y\""),
		S("* ESEARCH (TAG \"a3\") UID ALL 7,2:3\r\na3 OK\r\n"),
		C("a4 UID SEARCH RETURN (ALL) UNSEEN FLAGGED"),
		S("* ESEARCH (TAG \"a4\") UID\r\na4 OK\r\n"),
		C("a5 UID SORT (REVERSE DATE) UTF-8 ALL"), S("* SORT 3 7 2\r\na5 OK\r\n"),
		C("a6 UID SEARCH CHARSET UTF-8 SUBJECT {3+}"), D("\xc3\xa5x"), C(""),
		S("* BAD [BADCHARSET (US-ASCII)] no\r\na6 NO [BADCHARSET (US-ASCII)] Charset not supported\r\n"),
		END,
	};
	struct imap_search_term t3[] = {
		{ IMAP_SK_FROM, "lars" }, { IMAP_SK_SUBJECT, "r\xc3\xa4ksm\xc3\xb6rg" }, { IMAP_SK_BODY, "x\"y" },
	};
	struct imap_search_term t2[] = { { IMAP_SK_UNSEEN, NULL }, { IMAP_SK_FLAGGED, NULL } };
	struct imap_search_term t1[] = { { IMAP_SK_SUBJECT, "\xc3\xa5x" } };
	struct imap_search q3 = { t3, 3, 1 }, q2 = { t2, 2, 0 }, q1 = { t1, 1, 0 };
	uint32_t *u;
	size_t n;
	struct imap *im;

	server_start(script);
	im = logged_in();
	ck_assert_int_eq(imap_select(im, "INBOX", 0, NULL), IMAP_OK);
	ck_assert_int_eq(imap_search(im, &q3, &u, &n), IMAP_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(u[0], 2);
	ck_assert_uint_eq(u[2], 7);
	ck_assert_int_eq(imap_search(im, &q2, &u, &n), IMAP_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(imap_sort(im, IMAP_SORT_DATE, 1, NULL, &u, &n), IMAP_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(u[0], 3);
	ck_assert_uint_eq(u[2], 2);
	imap_hide_caps(im, IMAP_CAP_ESEARCH);
	ck_assert_int_eq(imap_search(im, &q1, &u, &n), IMAP_ERR_REFUSED);
	imap_hide_caps(im, IMAP_CAP_SORT);
	ck_assert_int_eq(imap_sort(im, IMAP_SORT_DATE, 1, NULL, &u, &n), IMAP_ERR_UNSUPPORTED);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(search_with_synchronizing_literal)
{
	static const struct step script[] = {
		S("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n"), C(PLAIN_IR),
		S("a1 OK [CAPABILITY IMAP4rev1] Logged in\r\n"),
		C("a2 SELECT INBOX"), S("* 3 EXISTS\r\na2 OK done\r\n"),
		C("a3 UID SEARCH CHARSET UTF-8 SUBJECT {2}"), S("+ Ready\r\n"), D("\xc3\xa5"), C(""),
		S("* SEARCH 3 1\r\na3 OK\r\n"), END,
	};
	struct imap_search_term t[] = { { IMAP_SK_SUBJECT, "\xc3\xa5" } };
	struct imap_search q = { t, 1, 0 };
	uint32_t *u;
	size_t n;
	struct imap *im;

	server_start(script);
	im = logged_in();
	ck_assert_int_eq(imap_select(im, "INBOX", 0, NULL), IMAP_OK);
	ck_assert_int_eq(imap_search(im, &q, &u, &n), IMAP_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(u[0], 1);                 /* ascending */
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(store_move_expunge)
{
	static const struct step script[] = {
		S(GREETING), C(PLAIN_IR), S(LOGGED_IN),
		C("a2 SELECT INBOX"), S("* 9 EXISTS\r\na2 OK done\r\n"),
		C("a3 UID STORE 1:3,5 +FLAGS.SILENT (\\Seen \\Flagged $Work)"), S("a3 OK\r\n"),
		C("a4 UID STORE 2 -FLAGS.SILENT (\\Seen)"), S("a4 OK\r\n"),
		C("a5 UID STORE 2 FLAGS.SILENT ()"), S("a5 OK\r\n"),
		/* MOVE */
		C("a6 UID MOVE 2 \"Skr&AOQ-p\""),
		S("* OK [COPYUID 7 2 1] Moved\r\n* 2 EXPUNGE\r\na6 OK Move completed\r\n"),
		C("a7 UID MOVE 3 \"nothere\""), S("a7 NO [TRYCREATE] Mailbox doesn't exist\r\n"),
		/* no MOVE, UIDPLUS: COPY, STORE, UID EXPUNGE */
		C("a8 UID COPY 4 \"Trash\""), S("a8 OK\r\n"),
		C("a9 UID STORE 4 +FLAGS.SILENT (\\Deleted)"), S("a9 OK\r\n"),
		C("a10 UID EXPUNGE 4"), S("* 3 EXPUNGE\r\na10 OK\r\n"),
		/* no UIDPLUS either: EXPUNGE only when no other message is \Deleted */
		C("a11 UID COPY 5:6 \"Trash\""), S("a11 OK\r\n"),
		C("a12 UID STORE 5:6 +FLAGS.SILENT (\\Deleted)"), S("a12 OK\r\n"),
		C("a13 UID SEARCH RETURN (ALL) DELETED"), S("* ESEARCH (TAG \"a13\") UID ALL 5:6\r\na13 OK\r\n"),
		C("a14 EXPUNGE"), S("* 3 EXPUNGE\r\n* 3 EXPUNGE\r\na14 OK\r\n"),
		C("a15 UID COPY 7 \"Trash\""), S("a15 OK\r\n"),
		C("a16 UID STORE 7 +FLAGS.SILENT (\\Deleted)"), S("a16 OK\r\n"),
		C("a17 UID SEARCH RETURN (ALL) DELETED"), S("* ESEARCH (TAG \"a17\") UID ALL 7:8\r\na17 OK\r\n"),
		END,
	};
	uint32_t set[] = { 5, 3, 1, 2, 2 }, two = 2, three = 3, four = 4, five_six[] = { 6, 5 }, seven = 7;
	const char *kw[] = { "$Work" }, *badkw[] = { "\\Seen" };
	struct imap *im;

	server_start(script);
	im = logged_in();
	ck_assert_int_eq(imap_select(im, "INBOX", 0, NULL), IMAP_OK);
	ck_assert_int_eq(imap_store(im, set, 5, IMAP_STORE_ADD, IMAP_FLAG_SEEN | IMAP_FLAG_FLAGGED, kw, 1),
	                 IMAP_OK);
	ck_assert_int_eq(imap_store(im, &two, 1, IMAP_STORE_REMOVE, IMAP_FLAG_SEEN, NULL, 0), IMAP_OK);
	ck_assert_int_eq(imap_store(im, &two, 1, IMAP_STORE_SET, 0, NULL, 0), IMAP_OK);
	ck_assert_int_eq(imap_store(im, &two, 1, IMAP_STORE_ADD, 0, badkw, 1), IMAP_ERR_INVALID);
	ck_assert_int_eq(imap_move(im, &two, 1, "Skr\xc3\xa4p"), IMAP_OK);
	ck_assert_uint_eq(imap_selected(im)->exists, 8);
	ck_assert_int_eq(imap_move(im, &three, 1, "nothere"), IMAP_ERR_NO_MAILBOX);
	imap_hide_caps(im, IMAP_CAP_MOVE);
	ck_assert_int_eq(imap_move(im, &four, 1, "Trash"), IMAP_OK);
	imap_hide_caps(im, IMAP_CAP_UIDPLUS);
	ck_assert_int_eq(imap_move(im, five_six, 2, "Trash"), IMAP_OK);
	ck_assert_int_eq(imap_move(im, &seven, 1, "Trash"), IMAP_OK);   /* 8 is \Deleted too: no EXPUNGE */
	ck_assert_uint_eq(imap_selected(im)->exists, 5);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
}
END_TEST

START_TEST(commands_in_the_wrong_state)
{
	static const struct step script[] = { S(GREETING), C(PLAIN_IR), S(LOGGED_IN), END };
	uint32_t uid = 1, *u;
	size_t n;
	struct imap_mailbox *m;
	struct imap *im;

	server_start(script);
	im = client();
	ck_assert_int_eq(imap_list(im, 0, &m, &n), IMAP_ERR_INVALID);
	ck_assert_int_eq(imap_connect(im), IMAP_OK);
	ck_assert_int_eq(imap_list(im, 0, &m, &n), IMAP_ERR_INVALID);
	ck_assert_int_eq(imap_login(im, "klient1@emak.se", "Klient1pw", IMAP_AUTH_AUTO), IMAP_OK);
	ck_assert_int_eq(imap_store(im, &uid, 1, IMAP_STORE_ADD, IMAP_FLAG_SEEN, NULL, 0), IMAP_ERR_INVALID);
	ck_assert_int_eq(imap_search(im, NULL, &u, &n), IMAP_ERR_INVALID);
	ck_assert_int_eq(imap_connect(im), IMAP_ERR_INVALID);
	imap_free(im);
	ck_assert_int_eq(server_done(), 0);
	ck_assert_str_eq(imap_err_name(IMAP_ERR_NO_MAILBOX), "no_mailbox");
	ck_assert_str_eq(imap_err_name(IMAP_ERR_TLS), "tls");
}
END_TEST

START_TEST(config_from_conf)
{
	static const char text[] = "imap_host = mail.emak.se\nimap_port = 993\nimap_tls = imaps\n"
	                           "imap_ca_file = /etc/qa/ca.pem\nimap_verify = no\nimap_timeout = 1m\n";
	struct imap_config ic;
	struct conf c;
	char err[128];

	conf_defaults(&c);
	imap_config_from_conf(&ic, &c);
	ck_assert_str_eq(ic.host, "127.0.0.1");
	ck_assert_uint_eq(ic.port, 143);
	ck_assert_int_eq(ic.tls, IMAP_TLS_NONE);
	ck_assert_int_eq(ic.verify, 1);
	ck_assert_int_eq(ic.timeout_ms, 30000);
	ck_assert_uint_eq(ic.lim.max_depth, 64);
	ck_assert_int_eq(conf_parse(&c, text, sizeof(text) - 1, err, sizeof(err)), 0);
	imap_config_from_conf(&ic, &c);
	ck_assert_str_eq(ic.host, "mail.emak.se");
	ck_assert_uint_eq(ic.port, 993);
	ck_assert_int_eq(ic.tls, IMAP_TLS_IMAPS);
	ck_assert_str_eq(ic.ca_file, "/etc/qa/ca.pem");
	ck_assert_int_eq(ic.verify, 0);
	ck_assert_int_eq(ic.timeout_ms, 60000);
}
END_TEST

static Suite *imap_suite(void)
{
	Suite *s = suite_create("imap");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, login_plain_with_sasl_ir);
	tcase_add_test(tc, login_plain_without_sasl_ir);
	tcase_add_test(tc, login_quoted_and_literal);
	tcase_add_test(tc, login_literal_plus);
	tcase_add_test(tc, login_refused);
	tcase_add_test(tc, login_disabled);
	tcase_add_test(tc, greetings);
	tcase_add_test(tc, connect_refused);
	tcase_add_test(tc, silent_server_times_out);
	tcase_add_test(tc, hang_up_mid_literal);
	tcase_add_test(tc, response_over_the_limit);
	tcase_add_test(tc, fetch_that_marks_seen);
	tcase_add_test(tc, foreign_tag_and_stray_continuation);
	tcase_add_test(tc, bye_during_a_command);
	tcase_add_test(tc, starttls_failures);
	tcase_add_test(tc, mailbox_commands);
	tcase_add_test(tc, list_without_list_status);
	tcase_add_test(tc, append_literals);
	tcase_add_test(tc, fetch_merges_and_orders);
	tcase_add_test(tc, search_and_sort);
	tcase_add_test(tc, search_with_synchronizing_literal);
	tcase_add_test(tc, store_move_expunge);
	tcase_add_test(tc, commands_in_the_wrong_state);
	tcase_add_test(tc, config_from_conf);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(imap_suite)
