/* Unit tests: address lists as users type them and as headers hold them
 * (cgi/addrlist.c), each refusal with its code and address, and the way
 * back to a header value (cgi/addrlist_fmt.c, cgi/hdrwrite.c). */
#include "config.h"

#include "check_main.h"
#include "addrlist.h"
#include "arena.h"

#include <string.h>

static struct arena *arena;

static void setup(void)
{
	arena = arena_new(8u << 20);
}

static void teardown(void)
{
	arena_free(arena);
}

static struct addrlist parse_ok(const char *in, unsigned flags)
{
	struct addrlist l;
	struct addrlist_error e;
	int rc = addrlist_parse(arena, in, strlen(in), flags, &l, &e);

	ck_assert_msg(rc == 0, "%s: %s at %zu (address %zu: %s)", in, addrlist_err_name(e.code), e.offset,
	              e.index, e.text);
	return l;
}

static struct addrlist typed(const char *in)
{
	return parse_ok(in, 0);
}

/* "name|local|domain" lines, one an address, for compact checks. */
static const char *dump(const struct addrlist *l)
{
	char *s = arena_strdup(arena, "");
	size_t i;

	for (i = 0; i < l->n; i++)
		s = arena_printf(arena, "%s%s%s|%s|%s|%s", s, i ? "\n" : "", l->v[i].group ? l->v[i].group : "-",
		                 l->v[i].name, l->v[i].local, l->v[i].domain);
	return s;
}

static struct addrlist_error refuse(const char *in, size_t n, unsigned flags)
{
	struct addrlist l;
	struct addrlist_error e;

	ck_assert_msg(addrlist_parse(arena, in, n, flags, &l, &e) == -1, "accepted: %s", in);
	return e;
}

#define REFUSED(in, want, idx, txt)                                                          \
	do {                                                                                 \
		struct addrlist_error e_ = refuse(in, sizeof(in) - 1, 0);                    \
		ck_assert_msg(e_.code == (want), "%s: got %s", in, addrlist_err_name(e_.code)); \
		ck_assert_msg(e_.index == (idx), "%s: index %zu", in, e_.index);                                          \
		ck_assert_str_eq(e_.text, txt);                                              \
	} while (0)

START_TEST(simple_forms)
{
	struct addrlist l = typed("asa@emak.se");

	ck_assert_str_eq(dump(&l), "-||asa|emak.se");
	l = typed("\xc3\x85sa Lindstr\xc3\xb6m <asa@emak.se>");
	ck_assert_str_eq(dump(&l), "-|\xc3\x85sa Lindstr\xc3\xb6m|asa|emak.se");
	l = typed("\"Lindstr\xc3\xb6m, \xc3\x85sa\" <asa@EMAK.SE>");
	ck_assert_str_eq(dump(&l), "-|Lindstr\xc3\xb6m, \xc3\x85sa|asa|emak.se");
	l = typed("<Lars.Jonsson@emak.se>");
	ck_assert_str_eq(dump(&l), "-||Lars.Jonsson|emak.se");
	l = typed("  lars.jonsson@emak.se  ");
	ck_assert_str_eq(dump(&l), "-||lars.jonsson|emak.se");
	l = typed("");
	ck_assert_uint_eq(l.n, 0);
	l = typed(" , ;\n ");
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(quotes_and_escapes)
{
	struct addrlist l = typed("\"Sm\\\"org \\\\ Bord\" <a@x.se>");

	ck_assert_str_eq(dump(&l), "-|Sm\"org \\ Bord|a|x.se");
	l = typed("\"\" <a@x.se>");
	ck_assert_str_eq(dump(&l), "-||a|x.se");
	l = typed("\"john doe\"@example.com");
	ck_assert_str_eq(dump(&l), "-||john doe|example.com");
	/* A quoted local part that needs no quotes loses them. */
	l = typed("\"john\"@example.com");
	ck_assert_str_eq(dump(&l), "-||john|example.com");
	l = typed("\"tab\there\" <a@x.se>");
	ck_assert_str_eq(dump(&l), "-|tab here|a|x.se");
}
END_TEST

START_TEST(obsolete_and_comments)
{
	struct addrlist l = typed("Dr. J. Smith <j.smith@example.com>");

	ck_assert_str_eq(dump(&l), "-|Dr. J. Smith|j.smith|example.com");
	l = typed("asa@emak.se (\xc3\x85sa Lindstr\xc3\xb6m)");
	ck_assert_str_eq(dump(&l), "-|\xc3\x85sa Lindstr\xc3\xb6m|asa|emak.se");
	l = typed("(Lars (the boss)) lars@emak.se");
	ck_assert_str_eq(dump(&l), "-|Lars (the boss)|lars|emak.se");
	l = typed("Lars (work) <lars@emak.se> (ignored)");
	ck_assert_str_eq(dump(&l), "-|Lars|lars|emak.se");
	l = typed("<@relay.example.com,@r2.example.com:a@x.se>");
	ck_assert_str_eq(dump(&l), "-||a|x.se");
	l = typed("a @ x.se");
	ck_assert_str_eq(dump(&l), "-||a|x.se");
	/* The address pasted as its own name. */
	l = typed("lars@emak.se <lars@emak.se>");
	ck_assert_str_eq(dump(&l), "-|lars@emak.se|lars|emak.se");
}
END_TEST

START_TEST(separators)
{
	struct addrlist l = typed("a@x.se, b@y.se; c@z.se,,");

	ck_assert_str_eq(dump(&l), "-||a|x.se\n-||b|y.se\n-||c|z.se");
	l = typed("a@x.se\nB <b@y.se>\r\n\tc@z.se d@w.se");
	ck_assert_str_eq(dump(&l), "-||a|x.se\n-|B|b|y.se\n-||c|z.se\n-||d|w.se");
	l = typed("<a@x.se><b@y.se>");
	ck_assert_str_eq(dump(&l), "-||a|x.se\n-||b|y.se");
}
END_TEST

START_TEST(groups)
{
	struct addrlist l = typed("Team: a@x.se, B <b@y.se>; c@z.se");

	ck_assert_str_eq(dump(&l), "Team||a|x.se\nTeam|B|b|y.se\n-||c|z.se");
	ck_assert_ptr_eq(l.v[0].group, l.v[1].group);
	l = typed("undisclosed-recipients:;");
	ck_assert_uint_eq(l.n, 0);
	l = typed("\"The Team\": a@x.se");   /* no ";" at the end */
	ck_assert_str_eq(dump(&l), "The Team||a|x.se");
	REFUSED("A: B: b@y.se;;", ADDRLIST_ERR_SYNTAX, 1, "B: b@y.se");
}
END_TEST

START_TEST(idn)
{
	struct addrlist l = typed("R\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s <info@r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se>");

	ck_assert_str_eq(dump(&l), "-|R\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s|info|xn--rksmrgs-5wao1o.se");
	/* Upper case and a decomposed "a" + ring (macOS input) map the same way. */
	l = typed("info@R\xc3\x84KSM\xc3\x96RG\xc3\x85S.se, info@ra\xcc\x88ksmo\xcc\x88rga\xcc\x8a" "s.se");
	ck_assert_str_eq(dump(&l), "-||info|xn--rksmrgs-5wao1o.se\n-||info|xn--rksmrgs-5wao1o.se");
	l = typed("info@XN--RKSMRGS-5WAO1O.SE");
	ck_assert_str_eq(dump(&l), "-||info|xn--rksmrgs-5wao1o.se");
	REFUSED("a@xn--zz.se", ADDRLIST_ERR_DOMAIN, 1, "a@xn--zz.se");
	REFUSED("a@\xe2\x98\x83\xe2\x80\x8d.se", ADDRLIST_ERR_DOMAIN, 1, "a@\xe2\x98\x83\xe2\x80\x8d.se");
	REFUSED("a@r\xe4ksm\xf6rg\xe5" "s.se", ADDRLIST_ERR_UTF8, 1, "a@r?ksm?rg?s.se");
}
END_TEST

START_TEST(header_mode)
{
	struct addrlist l = parse_ok("=?UTF-8?Q?=C3=85sa_Lindstr=C3=B6m?= <asa@emak.se>,\r\n"
	                             " =?ISO-8859-1?Q?Lars_J=F6nsson?= <lars@emak.se>,\r\n\t\"Per\r\n Persson\" <per@emak.se>",
	                             ADDRLIST_HEADER);

	ck_assert_str_eq(dump(&l), "-|\xc3\x85sa Lindstr\xc3\xb6m|asa|emak.se\n-|Lars J\xc3\xb6nsson|lars|emak.se\n"
	                           "-|Per Persson|per|emak.se");
	/* Raw Latin-1 in a name, as old mailers send it. */
	l = parse_ok("J\xf6rgen <j@x.se>", ADDRLIST_HEADER);
	ck_assert_str_eq(dump(&l), "-|J\xc3\xb6rgen|j|x.se");
	/* A new line that is no fold is refused, in a header too. */
	struct addrlist_error e = refuse("a@x.se,\r\nBcc: evil@y.se", 23, ADDRLIST_HEADER);
	ck_assert_int_eq(e.code, ADDRLIST_ERR_CONTROL);
	/* Typed: encoded-words are names as they stand. */
	l = typed("=?UTF-8?Q?x?= <a@x.se>");
	ck_assert_str_eq(dump(&l), "-|=?UTF-8?Q?x?=|a|x.se");
}
END_TEST

START_TEST(refusals)
{
	REFUSED("a@x.se, \"Bob\nBcc: evil@y.se\" <b@y.se>", ADDRLIST_ERR_CONTROL, 2, "\"Bob");
	REFUSED("a@x.se, Bob <b@y.se\x01>", ADDRLIST_ERR_CONTROL, 2, "Bob <b@y.se >");
	REFUSED("a@x\0.se", ADDRLIST_ERR_CONTROL, 1, "a@x .se");
	REFUSED("\"Bob\xc2\x85\" <b@y.se>", ADDRLIST_ERR_CONTROL, 1, "\"Bob \" <b@y.se>");
	REFUSED("B\xf6" "b <b@y.se>", ADDRLIST_ERR_UTF8, 1, "B?b <b@y.se>");
	REFUSED("a@x.se, \"Bob <b@y.se>", ADDRLIST_ERR_QUOTE, 2, "\"Bob <b@y.se>");
	REFUSED("Bob <b@y.se", ADDRLIST_ERR_BRACKET, 1, "Bob <b@y.se");
	REFUSED("Bob b@y.se>", ADDRLIST_ERR_SYNTAX, 1, "Bob b@y.se>");
	REFUSED("b@y.se>", ADDRLIST_ERR_BRACKET, 1, "b@y.se>");
	REFUSED("b@y.se (Bob", ADDRLIST_ERR_BRACKET, 1, "b@y.se (Bob");
	REFUSED("b@y.se)", ADDRLIST_ERR_BRACKET, 1, "b@y.se)");
	REFUSED("a@x.se, @y.se", ADDRLIST_ERR_NO_LOCAL, 2, "@y.se");
	REFUSED("Bob <@y.se>", ADDRLIST_ERR_NO_LOCAL, 1, "Bob <@y.se>");
	REFUSED("Bob <>", ADDRLIST_ERR_NO_LOCAL, 1, "Bob <>");
	REFUSED("a@x.se, bob", ADDRLIST_ERR_NO_DOMAIN, 2, "bob");
	REFUSED("Bob Smith", ADDRLIST_ERR_NO_DOMAIN, 1, "Bob Smith");
	REFUSED("bob@", ADDRLIST_ERR_NO_DOMAIN, 1, "bob@");
	REFUSED("Bob <bob@>", ADDRLIST_ERR_NO_DOMAIN, 1, "Bob <bob@>");
	REFUSED("a..b@x.se", ADDRLIST_ERR_LOCAL, 1, "a..b@x.se");
	REFUSED(".a@x.se", ADDRLIST_ERR_LOCAL, 1, ".a@x.se");
	REFUSED("-fevil@x.se", ADDRLIST_ERR_LOCAL, 1, "-fevil@x.se");
	REFUSED("\"-f x\"@x.se", ADDRLIST_ERR_LOCAL, 1, "\"-f x\"@x.se");
	REFUSED("r\xc3\xa4ka@x.se", ADDRLIST_ERR_LOCAL, 1, "r\xc3\xa4ka@x.se");
	REFUSED("a@[192.0.2.1]", ADDRLIST_ERR_DOMAIN, 1, "a@[192.0.2.1]");
	REFUSED("a@localhost", ADDRLIST_ERR_DOMAIN, 1, "a@localhost");
	REFUSED("a@192.0.2.1", ADDRLIST_ERR_DOMAIN, 1, "a@192.0.2.1");
	REFUSED("a@-x.se", ADDRLIST_ERR_DOMAIN, 1, "a@-x.se");
	REFUSED("a@x-.se", ADDRLIST_ERR_DOMAIN, 1, "a@x-.se");
	REFUSED("a@x..se", ADDRLIST_ERR_DOMAIN, 1, "a@x..se");
	REFUSED("a@x.se.", ADDRLIST_ERR_DOMAIN, 1, "a@x.se.");
	REFUSED("a@x_y.se", ADDRLIST_ERR_DOMAIN, 1, "a@x_y.se");
	REFUSED("a@b@x.se", ADDRLIST_ERR_SYNTAX, 1, "a@b@x.se");
	REFUSED("a\\b@x.se", ADDRLIST_ERR_SYNTAX, 1, "a\\b@x.se");
}
END_TEST

START_TEST(limits)
{
	char in[ADDRLIST_INPUT_MAX + 2];
	struct addrlist_error e;
	struct addrlist l;
	size_t i;

	/* 64 bytes of local part pass, 65 do not; so for 63-byte labels. */
	memset(in, 'a', 64);
	strcpy(in + 64, "@x.se");
	ck_assert_int_eq(addrlist_parse(arena, in, strlen(in), 0, &l, &e), 0);
	memset(in, 'a', 65);
	strcpy(in + 65, "@x.se");
	ck_assert_int_eq(addrlist_parse(arena, in, strlen(in), 0, &l, &e), -1);
	ck_assert_int_eq(e.code, ADDRLIST_ERR_TOO_LONG);
	strcpy(in, "a@");
	memset(in + 2, 'b', 64);
	strcpy(in + 66, ".se");
	ck_assert_int_eq(addrlist_parse(arena, in, strlen(in), 0, &l, &e), -1);
	ck_assert_int_eq(e.code, ADDRLIST_ERR_TOO_LONG);
	/* A 252-byte domain passes with "a@" (254 bytes, the RFC 5321 path
	 * limit), 253 do not. */
	{
		char *label = arena_strndup(arena, "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", 62);
		char *d252 = arena_printf(arena, "%s.%s.%s.%.*s.se", label, label, label, 60, label);
		char *d253 = arena_printf(arena, "%s.%s.%s.%.*s.se", label, label, label, 61, label);

		ck_assert_uint_eq(strlen(d252), 252);
		l = typed(arena_printf(arena, "a@%s", d252));
		ck_assert_uint_eq(strlen(l.v[0].domain), 252);
		strcpy(in, arena_printf(arena, "a@%s", d253));
		ck_assert_int_eq(addrlist_parse(arena, in, strlen(in), 0, &l, &e), -1);
		ck_assert_int_eq(e.code, ADDRLIST_ERR_TOO_LONG);
	}
	/* A long name. */
	memset(in, 'n', ADDRLIST_NAME_MAX + 1);
	strcpy(in + ADDRLIST_NAME_MAX + 1, " <a@x.se>");
	ck_assert_int_eq(addrlist_parse(arena, in, strlen(in), 0, &l, &e), -1);
	ck_assert_int_eq(e.code, ADDRLIST_ERR_TOO_LONG);
	/* ADDRLIST_MAX addresses pass, one more does not. */
	in[0] = 0;
	for (i = 0; i <= ADDRLIST_MAX; i++)
		strcat(in, "a@x.se,");
	ck_assert_int_eq(addrlist_parse(arena, in, strlen(in) - 7, 0, &l, &e), 0);
	ck_assert_uint_eq(l.n, ADDRLIST_MAX);
	ck_assert_int_eq(addrlist_parse(arena, in, strlen(in), 0, &l, &e), -1);
	ck_assert_int_eq(e.code, ADDRLIST_ERR_TOO_MANY);
	ck_assert_uint_eq(e.index, ADDRLIST_MAX + 1);
	memset(in, ' ', ADDRLIST_INPUT_MAX + 1);
	ck_assert_int_eq(addrlist_parse(arena, in, ADDRLIST_INPUT_MAX + 1, 0, &l, &e), -1);
	ck_assert_int_eq(e.code, ADDRLIST_ERR_TOO_MANY);
}
END_TEST

static const char *fmt(const char *typed_in, size_t col)
{
	struct addrlist l = typed(typed_in);
	const char *r = addrlist_format(arena, &l, col);

	ck_assert_ptr_nonnull(r);
	return r;
}

START_TEST(format_exact)
{
	ck_assert_str_eq(fmt("asa@emak.se", 4), "asa@emak.se");
	ck_assert_str_eq(fmt("Lars Jonsson <lars@emak.se>", 4), "Lars Jonsson <lars@emak.se>");
	ck_assert_str_eq(fmt("\xc3\x85sa Lindstr\xc3\xb6m <asa@emak.se>", 4),
	                 "=?UTF-8?Q?=C3=85sa_Lindstr=C3=B6m?= <asa@emak.se>");
	ck_assert_str_eq(fmt("\"Lindstr\xc3\xb6m, \xc3\x85sa\" <asa@emak.se>", 4),
	                 "=?UTF-8?Q?Lindstr=C3=B6m=2C_=C3=85sa?= <asa@emak.se>");
	ck_assert_str_eq(fmt("Dr. J. Smith <j@x.se>", 4), "\"Dr. J. Smith\" <j@x.se>");
	ck_assert_str_eq(fmt("\"Sm\\\"org \\\\ Bord\" <a@x.se>", 4), "\"Sm\\\"org \\\\ Bord\" <a@x.se>");
	ck_assert_str_eq(fmt("\"john doe\"@x.se", 4), "\"john doe\"@x.se");
	ck_assert_str_eq(fmt("=?UTF-8?Q?x?= <a@x.se>", 4), "=?UTF-8?Q?=3D=3FUTF-8=3FQ=3Fx=3F=3D?= <a@x.se>");
	/* Japanese: B is shorter than Q. */
	ck_assert_str_eq(fmt("\xe6\x97\xa5\xe6\x9c\xac <a@x.jp>", 4), "=?UTF-8?B?5pel5pys?= <a@x.jp>");
	ck_assert_str_eq(fmt("Team: a@x.se, B <b@y.se>; c@z.se", 4), "Team: a@x.se, B <b@y.se>;, c@z.se");
	ck_assert_str_eq(fmt("info@r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se", 4), "info@xn--rksmrgs-5wao1o.se");
	/* Folded between addresses, lines within 78. */
	ck_assert_str_eq(fmt("Lars Jonsson <lars.jonsson@emak.se>, Klient Ett <klient1@emak.se>, "
	                     "Klient Tva <klient2@emak.se>", 4),
	                 "Lars Jonsson <lars.jonsson@emak.se>, Klient Ett <klient1@emak.se>,\r\n"
	                 " Klient Tva <klient2@emak.se>");
}
END_TEST

/* Every line of a folded value within 78 (the first after col bytes). */
static void check_lines(const char *v, size_t col)
{
	const char *line = v;

	for (;;) {
		const char *crlf = strstr(line, "\r\n");
		size_t len = crlf ? (size_t)(crlf - line) : strlen(line);

		ck_assert_msg(len + col <= 78, "line too long: %.*s", (int)len, line);
		col = 0;
		if (!crlf)
			break;
		ck_assert_msg(crlf[2] == ' ', "fold without a space");
		line = crlf + 2;
	}
}

START_TEST(format_long_names_round_trip)
{
	static const char *const lists[] = {
		"\"\xc3\x85sa Lindstr\xc3\xb6m-\xc3\x85kesson fr\xc3\xa5n R\xc3\xa4ksm\xc3\xb6rg\xc3\xa5sens "
		"f\xc3\xb6rening i \xc3\x96sterg\xc3\xb6tland\" <asa@emak.se>, b@x.se",
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac"
		"\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5"
		"\xe6\x9c\xac\xe8\xaa\x9e <a@x.jp>",
		"A Very Long Name Made Of Many Short Words That Goes On And On Past The Line <a@x.se>",
		"Team \xc3\x85: \" spaced  name \" <a@x.se>, \"x@y\" <b@y.se>;",
	};
	size_t i, j;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		struct addrlist a = typed(lists[i]), b;
		const char *v = addrlist_format(arena, &a, 4);

		check_lines(v, 4);
		b = parse_ok(v, ADDRLIST_HEADER);
		ck_assert_uint_eq(a.n, b.n);
		for (j = 0; j < a.n; j++) {
			ck_assert_str_eq(a.v[j].name, b.v[j].name);
			ck_assert_str_eq(a.v[j].local, b.v[j].local);
			ck_assert_str_eq(a.v[j].domain, b.v[j].domain);
			ck_assert_str_eq(a.v[j].group ? a.v[j].group : "-", b.v[j].group ? b.v[j].group : "-");
		}
	}
}
END_TEST

START_TEST(check_and_spec)
{
	struct addr ad = { "Klient Ett", "klient1", "emak.se", NULL };

	ck_assert_int_eq(addrlist_check(&ad), ADDRLIST_OK);
	ck_assert_str_eq(addrlist_addr_spec(arena, &ad), "klient1@emak.se");
	ad.name = NULL;
	ck_assert_int_eq(addrlist_check(&ad), ADDRLIST_OK);
	ck_assert_str_eq(addrlist_format(arena, &(struct addrlist){ &ad, 1 }, 6), "klient1@emak.se");
	ad.name = "Evil\r\nBcc: x@y.se";
	ck_assert_int_eq(addrlist_check(&ad), ADDRLIST_ERR_CONTROL);
	ad.name = "";
	ad.local = "a\nb";
	ck_assert_int_eq(addrlist_check(&ad), ADDRLIST_ERR_CONTROL);
	ad.local = "john doe";
	ck_assert_int_eq(addrlist_check(&ad), ADDRLIST_OK);
	ck_assert_str_eq(addrlist_addr_spec(arena, &ad), "\"john doe\"@emak.se");
	ad.domain = "emak.se\r\nX: y";
	ck_assert_int_eq(addrlist_check(&ad), ADDRLIST_ERR_CONTROL);
	ad.domain = "r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se";
	ck_assert_int_eq(addrlist_check(&ad), ADDRLIST_ERR_DOMAIN);
	ck_assert_str_eq(addrlist_err_name(ADDRLIST_ERR_NO_DOMAIN), "no_domain");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("addrlist");
	TCase *t = tcase_create("addrlist");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, simple_forms);
	tcase_add_test(t, quotes_and_escapes);
	tcase_add_test(t, obsolete_and_comments);
	tcase_add_test(t, separators);
	tcase_add_test(t, groups);
	tcase_add_test(t, idn);
	tcase_add_test(t, header_mode);
	tcase_add_test(t, refusals);
	tcase_add_test(t, limits);
	tcase_add_test(t, format_exact);
	tcase_add_test(t, format_long_names_round_trip);
	tcase_add_test(t, check_and_spec);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(suite)
