/* Unit tests: the allow-list validators shared by the front end and the
 * helper. Every hostile value is refused and leaves the output untouched. */
#include "config.h"

#include "check_main.h"
#include "validate.h"

#include <string.h>

static const struct { const char *in, *want; } good_domains[] = {
	{ "emak.se", "emak.se" }, { "EMAK.SE", "emak.se" }, { "mail.example.co.uk", "mail.example.co.uk" },
	{ "xn--jnsson-wxa.se", "xn--jnsson-wxa.se" }, { "a-b.example", "a-b.example" }, { "1.example", "1.example" },
};
static const char *const bad_domains[] = {
	"", "se", "emak", ".emak.se", "emak.se.", "emak..se", "-emak.se", "emak-.se", "emak.s",
	"em ak.se", "emak.se/x", "../etc", "emak.se\n", "emak.se:x", "j\xc3\xb6nsson.se", "emak_x.se",
	"10.0.0.1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.se",
	"a.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.se",
};

START_TEST(domains_good)
{
	struct v_domain d;
	struct qa_error e;

	ck_assert_int_eq(v_domain(good_domains[_i].in, &d, "domain", &e), 0);
	ck_assert_str_eq(d.s, good_domains[_i].want);
}
END_TEST

START_TEST(domains_bad)
{
	struct v_domain d = { "untouched" };
	struct qa_error e;

	qa_error_clear(&e);
	ck_assert_msg(v_domain(bad_domains[_i], &d, "domain", &e) == -1, "accepted %s", bad_domains[_i]);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	ck_assert_str_eq(e.field, "domain");
	ck_assert_str_eq(d.s, "untouched");
}
END_TEST

static const char *const bad_locals[] = {
	"", "a", ".joe", "joe.", "jo..e", "jo/e", "..", "jo:e", "jo e", "jo\ne", "jo$e", "jo`e",
	"jo'e", "jo|e", "jo;e", "jo&e", "j\xc3\xb6n", "vpasswd", "VPASSWD", "vpasswd.cdb",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

START_TEST(locals_bad)
{
	struct v_local l = { "untouched" };
	struct qa_error e;

	ck_assert_msg(v_local(bad_locals[_i], &l, "user", &e) == -1, "accepted %s", bad_locals[_i]);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	ck_assert_str_eq(l.s, "untouched");
}
END_TEST

START_TEST(locals_and_users_good)
{
	struct v_local l;
	struct v_user u;
	struct qa_error e;

	ck_assert_int_eq(v_local("Lars.Jonsson", &l, "user", &e), 0);
	ck_assert_str_eq(l.s, "lars.jonsson");
	ck_assert_int_eq(v_local("a_b-c+d=e", &l, "user", &e), 0);
	ck_assert_int_eq(v_user("Lars.Jonsson@EMAK.se", &u, "user", &e), 0);
	ck_assert_str_eq(u.local.s, "lars.jonsson");
	ck_assert_str_eq(u.domain.s, "emak.se");
	ck_assert_int_eq(v_user("postmaster", &u, "user", &e), -1);
	ck_assert_int_eq(v_user("@emak.se", &u, "user", &e), -1);
	ck_assert_int_eq(v_user("joe@emak.se@x.se", &u, "user", &e), -1);
}
END_TEST

START_TEST(passwords_and_gecos)
{
	struct v_password p;
	struct v_gecos g;
	struct qa_error e;
	char longpw[200];

	ck_assert_int_eq(v_password("MhGts", &p, "password", &e), 0);
	ck_assert_int_eq(v_password("p\xc3\xa5 ss:w\"rd", &p, "password", &e), 0);
	ck_assert_int_eq(v_password("", &p, "password", &e), -1);
	ck_assert_int_eq(v_password("a\nb", &p, "password", &e), -1);
	ck_assert_int_eq(v_password("\xff\xfe", &p, "password", &e), -1);
	memset(longpw, 'x', sizeof(longpw));
	longpw[129] = '\0';
	ck_assert_int_eq(v_password(longpw, &p, "password", &e), -1);
	longpw[128] = '\0';
	ck_assert_int_eq(v_password(longpw, &p, "password", &e), 0);
	ck_assert_int_eq(v_gecos("Lars J\xc3\xb6nsson", &g, "gecos", &e), 0);
	ck_assert_str_eq(g.s, "Lars J\xc3\xb6nsson");
	ck_assert_int_eq(v_gecos("", &g, "gecos", &e), 0);
	ck_assert_int_eq(v_gecos("<script>alert(1)</script>", &g, "gecos", &e), 0);
	ck_assert_int_eq(v_gecos("a:b", &g, "gecos", &e), -1);
	ck_assert_int_eq(v_gecos("a\rb", &g, "gecos", &e), -1);
	ck_assert_int_eq(v_gecos("\xc3", &g, "gecos", &e), -1);
	ck_assert_int_eq(v_gecos("\xed\xa0\x80", &g, "gecos", &e), -1);   /* surrogate */
	ck_assert_int_eq(v_gecos("\xc0\xaf", &g, "gecos", &e), -1);       /* overlong '/' */
}
END_TEST

static const char *const bad_targets[] = {
	"", "joe", "joe@", "@x.se", "|/bin/sh@x.se", "/tmp/x@x.se", "&joe@x.se", "#x@x.se",
	"jo e@x.se", "joe@x.se\n", "joe@x.se\nevil@y.se", "\"joe\"@x.se", "<joe@x.se>",
	"joe@[127.0.0.1]", ".joe@x.se", "joe.@x.se", "jo..e@x.se", "joe@x_y.se",
};

START_TEST(targets)
{
	struct v_target t;
	struct qa_error e;

	ck_assert_int_eq(v_target("Someone@Example.ORG", &t, "forward", &e), 0);
	ck_assert_str_eq(t.s, "Someone@example.org");
	ck_assert_int_eq(v_target("a+tag@sub.example.org", &t, "forward", &e), 0);
}
END_TEST

START_TEST(targets_bad)
{
	struct v_target t;
	struct qa_error e;

	ck_assert_msg(v_target(bad_targets[_i], &t, "forward", &e) == -1, "accepted %s", bad_targets[_i]);
}
END_TEST

START_TEST(numbers)
{
	unsigned long long n;
	struct qa_error e;

	ck_assert_int_eq(v_uint("0", 10, &n, "n", &e), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(v_uint("10", 10, &n, "n", &e), 0);
	ck_assert_uint_eq(n, 10);
	ck_assert_int_eq(v_uint("11", 10, &n, "n", &e), -1);
	ck_assert_int_eq(v_uint("9", 5, &n, "n", &e), -1);
	ck_assert_int_eq(v_uint("007", 10, &n, "n", &e), -1);
	ck_assert_int_eq(v_uint("-1", 10, &n, "n", &e), -1);
	ck_assert_int_eq(v_uint("1 ", 10, &n, "n", &e), -1);
	ck_assert_int_eq(v_uint("18446744073709551616", ~0ULL, &n, "n", &e), -1);
	ck_assert_int_eq(v_uint("18446744073709551615", ~0ULL, &n, "n", &e), 0);
}
END_TEST

START_TEST(admin_names)
{
	struct v_admin a;
	struct qa_error e;

	ck_assert_int_eq(v_admin("Admin", &a, "user", &e), 0);
	ck_assert_str_eq(a.s, "admin");
	ck_assert_int_eq(v_admin("ad min", &a, "user", &e), -1);
	ck_assert_int_eq(v_admin("admin@x.se", &a, "user", &e), -1);
	ck_assert_int_eq(v_admin("", &a, "user", &e), -1);
}
END_TEST

static Suite *validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, domains_good, 0, sizeof(good_domains) / sizeof(good_domains[0]));
	tcase_add_loop_test(tc, domains_bad, 0, sizeof(bad_domains) / sizeof(bad_domains[0]));
	tcase_add_loop_test(tc, locals_bad, 0, sizeof(bad_locals) / sizeof(bad_locals[0]));
	tcase_add_test(tc, locals_and_users_good);
	tcase_add_test(tc, passwords_and_gecos);
	tcase_add_test(tc, targets);
	tcase_add_loop_test(tc, targets_bad, 0, sizeof(bad_targets) / sizeof(bad_targets[0]));
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, admin_names);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(validate_suite)
