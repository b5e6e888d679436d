/* Unit tests: password hashes, session tickets, login throttling. */
#include "config.h"

#include "check_main.h"
#include "passwd.h"
#include "session.h"
#include "throttle.h"

#include <crypt.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/qa-auth-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	pid_t pid;

	/* No shell in the product; a test may clean up with rm. */
	snprintf(cmd, sizeof(cmd), "%s", dir);
	pid = fork();
	if (pid == 0) {
		execl("/bin/rm", "rm", "-rf", cmd, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
}

START_TEST(sha512_hash_is_vpopmail_shaped)
{
	char h[PASSWD_HASH_MAX];
	struct qa_error e;

	ck_assert_int_eq(passwd_hash("Axm01", "sha512", h, sizeof(h), &e), 0);
	ck_assert_int_eq(strncmp(h, "$6$", 3), 0);
	ck_assert_int_eq(h[11], '$');              /* 8 salt characters */
	ck_assert_uint_eq(strlen(h), 3 + 8 + 1 + 86);
	ck_assert(passwd_verify("Axm01", h));
	ck_assert(!passwd_verify("axm01", h));
	ck_assert(!passwd_verify("", h));
}
END_TEST

START_TEST(other_schemes_and_prefixes)
{
	char h[PASSWD_HASH_MAX], pref[PASSWD_HASH_MAX + 20];
	struct qa_error e;

	ck_assert_int_eq(passwd_hash("MhGts", "yescrypt", h, sizeof(h), &e), 0);
	ck_assert_int_eq(strncmp(h, "$y$", 3), 0);
	ck_assert(passwd_verify("MhGts", h));
	ck_assert_int_eq(passwd_hash("MhGts", "bcrypt", h, sizeof(h), &e), 0);
	ck_assert_int_eq(strncmp(h, "$2b$", 4), 0);
	ck_assert(passwd_verify("MhGts", h));
	snprintf(pref, sizeof(pref), "{CRYPT}%s", h);
	ck_assert(passwd_verify("MhGts", pref));
	ck_assert_int_eq(passwd_hash("x", "md4", h, sizeof(h), &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
}
END_TEST

START_TEST(fixture_hashes_verify)
{
	/* From fixture 03-emak-modified: written by vpopmail 5.6's vpasswd. */
	const char *lars = "$6$1BMH/ouu$BK6kOnoqioWp/Baa6/aTJuQAVEvbMgsIoIVFrzgVUN/NsbwQpNDaeOxXyIKAsnDRrk5JURs819UJTlvHexIL/0";

	ck_assert(passwd_verify("MhGts", lars));
	ck_assert(!passwd_verify("Axm01", lars));
	ck_assert(!passwd_verify("MhGts", ""));
	ck_assert(!passwd_verify("MhGts", "{CRYPT"));
	ck_assert(!passwd_verify("MhGts", "*"));
	ck_assert(!passwd_verify("MhGts", "$6$"));
}
END_TEST

START_TEST(random_passwords)
{
	char a[32], b[32];

	ck_assert_int_eq(passwd_random(a, sizeof(a)), 0);
	ck_assert_int_eq(passwd_random(b, sizeof(b)), 0);
	ck_assert_uint_eq(strlen(a), PASSWD_RANDOM_LEN);
	ck_assert_str_ne(a, b);
	ck_assert_ptr_null(strpbrk(a, "0O1lI"));
	ck_assert_int_eq(passwd_random(a, PASSWD_RANDOM_LEN), -1);
	ck_assert(passwd_is_hash("$6$abc$def"));
	ck_assert(!passwd_is_hash("plain"));
	ck_assert(!passwd_is_hash("$6$a:b"));
	ck_assert(!passwd_is_hash("$6$a\nb"));
}
END_TEST

START_TEST(session_round_trip_and_logout)
{
	struct session_store s;
	struct session sess;
	struct qa_error e;
	char t[SESSION_TICKET_LEN + 1];
	struct stat st;
	char keypath[128];

	ck_assert_int_eq(session_store_open(&s, dir, 600, 3600, &e), 0);
	snprintf(keypath, sizeof(keypath), "%s/key", dir);
	ck_assert_int_eq(stat(keypath, &st), -1);       /* made by the first login */
	ck_assert_int_eq(session_create(&s, ROLE_DOMAIN_ADMIN, "postmaster@emak.se", NULL, t, &e), 0);
	ck_assert_int_eq(stat(keypath, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_uint_eq(strlen(t), SESSION_TICKET_LEN);
	ck_assert_int_eq(session_check(&s, t, time(NULL), &sess, &e), 0);
	ck_assert_int_eq(sess.role, ROLE_DOMAIN_ADMIN);
	ck_assert_str_eq(sess.name, "postmaster@emak.se");
	/* A second store opened on the same dir (another helper run) agrees. */
	ck_assert_int_eq(session_store_open(&s, dir, 600, 3600, &e), 0);
	ck_assert_int_eq(session_check(&s, t, time(NULL), &sess, &e), 0);
	ck_assert_int_eq(session_revoke(&s, t, &e), 0);
	ck_assert_int_eq(session_check(&s, t, time(NULL), &sess, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_EXPIRED);
}
END_TEST

START_TEST(forged_and_altered_tickets_fail)
{
	struct session_store s;
	struct session sess;
	struct qa_error e;
	char t[SESSION_TICKET_LEN + 1], bad[SESSION_TICKET_LEN + 8];

	ck_assert_int_eq(session_store_open(&s, dir, 600, 3600, &e), 0);
	ck_assert_int_eq(session_create(&s, ROLE_USER, "klient1@emak.se", NULL, t, &e), 0);
	memcpy(bad, t, sizeof(t));
	bad[40] = bad[40] == 'a' ? 'b' : 'a';          /* altered MAC */
	ck_assert_int_eq(session_check(&s, bad, time(NULL), &sess, &e), -1);
	memcpy(bad, t, sizeof(t));
	bad[3] = bad[3] == 'a' ? 'b' : 'a';            /* other sid, old MAC */
	ck_assert_int_eq(session_check(&s, bad, time(NULL), &sess, &e), -1);
	ck_assert_int_eq(session_check(&s, "", time(NULL), &sess, &e), -1);
	ck_assert_int_eq(session_check(&s, "../../etc/passwd", time(NULL), &sess, &e), -1);
	snprintf(bad, sizeof(bad), "%sX", t);
	ck_assert_int_eq(session_check(&s, bad, time(NULL), &sess, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_EXPIRED);
	ck_assert_int_eq(session_check(&s, t, time(NULL), &sess, &e), 0);
}
END_TEST

START_TEST(expiry_idle_and_absolute)
{
	struct session_store s;
	struct session sess;
	struct qa_error e;
	char t[SESSION_TICKET_LEN + 1];
	time_t now = time(NULL);

	ck_assert_int_eq(session_store_open(&s, dir, 600, 3600, &e), 0);
	ck_assert_int_eq(session_create(&s, ROLE_USER, "klient1@emak.se", NULL, t, &e), 0);
	ck_assert_int_eq(session_check(&s, t, now + 599, &sess, &e), 0);
	ck_assert_int_eq(session_check(&s, t, now + 601, &sess, &e), -1);   /* idle */
	ck_assert_int_eq(session_create(&s, ROLE_USER, "klient1@emak.se", NULL, t, &e), 0);
	s.idle = 100000;
	ck_assert_int_eq(session_check(&s, t, now + 3601, &sess, &e), -1);  /* absolute */
	ck_assert_int_eq(e.code, QA_ERR_EXPIRED);
}
END_TEST

START_TEST(revoke_by_name_keeps_the_current_one)
{
	struct session_store s;
	struct session sess;
	struct qa_error e;
	char a[SESSION_TICKET_LEN + 1], b[SESSION_TICKET_LEN + 1], c[SESSION_TICKET_LEN + 1];

	ck_assert_int_eq(session_store_open(&s, dir, 600, 3600, &e), 0);
	session_create(&s, ROLE_USER, "klient1@emak.se", NULL, a, &e);
	session_create(&s, ROLE_USER, "klient1@emak.se", NULL, b, &e);
	session_create(&s, ROLE_USER, "klient2@emak.se", NULL, c, &e);
	ck_assert_int_eq(session_check(&s, a, time(NULL), &sess, &e), 0);
	ck_assert_int_eq(session_revoke_name(&s, "klient1@emak.se", sess.sid), 1);
	ck_assert_int_eq(session_check(&s, a, time(NULL), &sess, &e), 0);
	ck_assert_int_eq(session_check(&s, b, time(NULL), &sess, &e), -1);
	ck_assert_int_eq(session_check(&s, c, time(NULL), &sess, &e), 0);
}
END_TEST

/* Webmail's sealed half rides in the session file: kept, replaced by
 * session_set_wm with the rest unchanged, gone with the session. */
START_TEST(session_keeps_the_webmail_half)
{
	struct session_store s;
	struct session sess;
	struct qa_error e;
	char t[SESSION_TICKET_LEN + 1], wm[SESSION_WM_MAX + 2];
	const char *w1 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	const char *w2 = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100aa";
	time_t login;

	ck_assert_int_eq(session_store_open(&s, dir, 600, 3600, &e), 0);
	ck_assert_int_eq(session_create(&s, ROLE_USER, "klient1@emak.se", w1, t, &e), 0);
	ck_assert_int_eq(session_check(&s, t, time(NULL), &sess, &e), 0);
	ck_assert_str_eq(sess.wm, w1);
	login = sess.login;
	ck_assert_int_eq(session_set_wm(&s, sess.sid, w2, &e), 0);
	ck_assert_int_eq(session_check(&s, t, time(NULL), &sess, &e), 0);
	ck_assert_str_eq(sess.wm, w2);
	ck_assert_str_eq(sess.name, "klient1@emak.se");
	ck_assert_int_eq(sess.role, ROLE_USER);
	ck_assert_int_eq((long)sess.login, (long)login);
	/* Bad halves are refused and change nothing. */
	ck_assert_int_eq(session_set_wm(&s, sess.sid, "xyz", &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	memset(wm, 'a', sizeof(wm) - 1);
	wm[sizeof(wm) - 1] = '\0';
	ck_assert_int_eq(session_set_wm(&s, sess.sid, wm, &e), -1);
	ck_assert_int_eq(session_create(&s, ROLE_USER, "klient1@emak.se", "00\nrole", t, &e), -1);
	ck_assert_int_eq(session_check(&s, t, time(NULL), &sess, &e), 0);
	ck_assert_str_eq(sess.wm, w2);
	/* Without one: empty. */
	ck_assert_int_eq(session_create(&s, ROLE_USER, "klient2@emak.se", NULL, t, &e), 0);
	ck_assert_int_eq(session_check(&s, t, time(NULL), &sess, &e), 0);
	ck_assert_str_eq(sess.wm, "");
}
END_TEST

static void hex_of(char *out, const unsigned char *in, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", in[i]);
}

/* The helper hashes with Nettle; tickets and throttle files made before (with
 * libcrypto) must stay valid: checked here against libcrypto itself. */
START_TEST(tickets_and_throttle_names_match_libcrypto)
{
	struct session_store s;
	struct qa_error e;
	char t[SESSION_TICKET_LEN + 1], path[256], msg[64], want[65];
	unsigned char key[32], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	struct stat st;
	int fd;

	ck_assert_int_eq(session_store_open(&s, dir, 600, 3600, &e), 0);
	ck_assert_int_eq(session_create(&s, ROLE_USER, "klient1@emak.se", NULL, t, &e), 0);
	snprintf(path, sizeof(path), "%s/key", dir);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, key, sizeof(key)), sizeof(key));
	close(fd);
	snprintf(msg, sizeof(msg), "qa-session:%.32s", t);
	HMAC(EVP_sha256(), key, sizeof(key), (const unsigned char *)msg, strlen(msg), md, &mdlen);
	ck_assert_uint_eq(mdlen, 32);
	hex_of(want, md, 32);
	ck_assert_str_eq(t + 33, want);

	throttle_fail(dir, "acct:joe@emak.se", 900, 1000000);
	SHA256((const unsigned char *)"acct:joe@emak.se", 16, md);
	hex_of(want, md, 16);
	snprintf(path, sizeof(path), "%s/throttle/%s", dir, want);
	ck_assert_int_eq(stat(path, &st), 0);
}
END_TEST

START_TEST(throttle_counts_per_window)
{
	time_t now = 1000000;
	int i;

	for (i = 0; i < 4; i++) {
		ck_assert(!throttle_blocked(dir, "acct:joe@emak.se", 5, 900, now));
		throttle_fail(dir, "acct:joe@emak.se", 900, now + i);
	}
	ck_assert(!throttle_blocked(dir, "acct:joe@emak.se", 5, 900, now + 10));
	throttle_fail(dir, "acct:joe@emak.se", 900, now + 10);
	ck_assert(throttle_blocked(dir, "acct:joe@emak.se", 5, 900, now + 10));
	ck_assert(!throttle_blocked(dir, "acct:other@emak.se", 5, 900, now + 10));
	ck_assert(!throttle_blocked(dir, "acct:joe@emak.se", 5, 900, now + 901));
	throttle_clear(dir, "acct:joe@emak.se");
	ck_assert(!throttle_blocked(dir, "acct:joe@emak.se", 1, 900, now + 10));
}
END_TEST

static Suite *auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sha512_hash_is_vpopmail_shaped);
	tcase_add_test(tc, other_schemes_and_prefixes);
	tcase_add_test(tc, fixture_hashes_verify);
	tcase_add_test(tc, random_passwords);
	tcase_add_test(tc, session_round_trip_and_logout);
	tcase_add_test(tc, forged_and_altered_tickets_fail);
	tcase_add_test(tc, expiry_idle_and_absolute);
	tcase_add_test(tc, revoke_by_name_keeps_the_current_one);
	tcase_add_test(tc, session_keeps_the_webmail_half);
	tcase_add_test(tc, throttle_counts_per_window);
	tcase_add_test(tc, tickets_and_throttle_names_match_libcrypto);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(auth_suite)
