/* Unit tests: webmail's split password (cgi/wmkey.c). */
#include "config.h"

#include "check_main.h"

#include "wmkey.h"

#include <string.h>

START_TEST(round_trip)
{
	char key[WM_KEY_HEX + 1], secret[WM_SECRET_HEX_MAX + 1], pw[WM_PASSWORD_MAX + 1];

	ck_assert_int_eq(wm_new_key(key), 0);
	ck_assert(wm_key_ok(key));
	ck_assert_int_eq(wm_seal(key, "Klient1pw åäö", secret, sizeof(secret)), 0);
	/* nonce 12 + 16 bytes of password + tag 16, in hex */
	ck_assert_uint_eq(strlen(secret), 2 * (12 + strlen("Klient1pw åäö") + 16));
	ck_assert_ptr_null(strstr(secret, "4b6c69656e74"));   /* "Klient" in hex: not in the clear */
	ck_assert_int_eq(wm_unseal(key, secret, pw, sizeof(pw)), 0);
	ck_assert_str_eq(pw, "Klient1pw åäö");
}
END_TEST

START_TEST(each_seal_is_new)
{
	char key[WM_KEY_HEX + 1], a[WM_SECRET_HEX_MAX + 1], b[WM_SECRET_HEX_MAX + 1];

	wm_new_key(key);
	ck_assert_int_eq(wm_seal(key, "same", a, sizeof(a)), 0);
	ck_assert_int_eq(wm_seal(key, "same", b, sizeof(b)), 0);
	ck_assert_str_ne(a, b);    /* fresh nonce */
}
END_TEST

START_TEST(wrong_key_or_altered_secret_fails)
{
	char key[WM_KEY_HEX + 1], other[WM_KEY_HEX + 1], secret[WM_SECRET_HEX_MAX + 1];
	char pw[WM_PASSWORD_MAX + 1];
	size_t i;

	wm_new_key(key);
	wm_new_key(other);
	ck_assert_int_eq(wm_seal(key, "secret-pw", secret, sizeof(secret)), 0);
	ck_assert_int_eq(wm_unseal(other, secret, pw, sizeof(pw)), -1);
	ck_assert_str_eq(pw, "");
	/* Any one changed digit, in nonce, text or tag, fails the tag. */
	for (i = 0; i < strlen(secret); i += 7) {
		char s2[WM_SECRET_HEX_MAX + 1];

		memcpy(s2, secret, sizeof(s2));
		s2[i] = s2[i] == '0' ? '1' : '0';
		ck_assert_int_eq(wm_unseal(key, s2, pw, sizeof(pw)), -1);
		ck_assert_str_eq(pw, "");
	}
	secret[strlen(secret) - 2] = '\0';            /* cut */
	ck_assert_int_eq(wm_unseal(key, secret, pw, sizeof(pw)), -1);
}
END_TEST

START_TEST(malformed_input_refused)
{
	char key[WM_KEY_HEX + 1], secret[WM_SECRET_HEX_MAX + 1], pw[WM_PASSWORD_MAX + 1];
	char longpw[WM_PASSWORD_MAX + 2];

	wm_new_key(key);
	ck_assert(!wm_key_ok(NULL));
	ck_assert(!wm_key_ok("abc"));
	ck_assert(!wm_key_ok("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
	ck_assert_int_eq(wm_seal("nothex", "pw", secret, sizeof(secret)), -1);
	ck_assert_int_eq(wm_seal(key, "", secret, sizeof(secret)), -1);
	memset(longpw, 'x', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0';
	ck_assert_int_eq(wm_seal(key, longpw, secret, sizeof(secret)), -1);
	longpw[WM_PASSWORD_MAX] = '\0';                 /* exactly the limit */
	ck_assert_int_eq(wm_seal(key, longpw, secret, sizeof(secret)), 0);
	ck_assert_int_eq(wm_unseal(key, secret, pw, sizeof(pw)), 0);
	ck_assert_str_eq(pw, longpw);
	ck_assert_int_eq(wm_seal(key, "pw", secret, 10), -1);   /* no room */
	ck_assert_int_eq(wm_unseal(key, "zz", pw, sizeof(pw)), -1);
	ck_assert_int_eq(wm_unseal(key, "", pw, sizeof(pw)), -1);
	ck_assert_int_eq(wm_unseal(key, NULL, pw, sizeof(pw)), -1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("wmkey");
	TCase *t = tcase_create("wmkey");

	tcase_add_test(t, round_trip);
	tcase_add_test(t, each_seal_is_new);
	tcase_add_test(t, wrong_key_or_altered_secret_fails);
	tcase_add_test(t, malformed_input_refused);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(suite)
