/* Unit tests: address lists for display (cgi/mailaddr_view.c) from
 * ENVELOPEs as Dovecot writes them: names in RFC 2047 and raw 8-bit, groups
 * (empty, unterminated), and what a spoofer would try. */
#include "config.h"

#include "check_main.h"
#include "mailaddr_view.h"
#include "mime_fixture.h"
#include "utf8.h"

static struct arena *arena;

static void setup(void)
{
	arena = arena_new(1u << 20);
}

static void teardown(void)
{
	arena_free(arena);
}

#define FFFD UTF8_REPLACEMENT

/* The To: list of an envelope whose To: is list. */
static const struct imap_address *to(const char *list)
{
	return envelope(arena, arena_printf(arena, "(NIL NIL NIL NIL NIL %s NIL NIL NIL NIL)", list))->to;
}

static const char *full(const char *list)
{
	return mailaddr_list(arena, to(list));
}

static const char *brief(const char *list)
{
	return mailaddr_short(arena, to(list));
}

START_TEST(addresses)
{
	const char *lars = "((\"=?UTF-8?Q?Lars_J=C3=B6nsson?=\" NIL \"lars.jonsson\" \"emak.se\"))";

	ck_assert_str_eq(full(lars), "Lars J\xc3\xb6nsson <lars.jonsson@emak.se>");
	ck_assert_str_eq(brief(lars), "Lars J\xc3\xb6nsson");
	ck_assert_str_eq(full("((NIL NIL \"info\" \"emak.se\"))"), "info@emak.se");
	ck_assert_str_eq(brief("((NIL NIL \"info\" \"emak.se\"))"), "info@emak.se");
	ck_assert_str_eq(full("((\"Anna\" NIL \"anna\" \"emak.se\")(NIL NIL \"b\" \"emak.se\")"
	                      "(\"  \" NIL \"c\" \"emak.se\"))"),
	                 "Anna <anna@emak.se>, b@emak.se, c@emak.se");
	ck_assert_str_eq(brief("((\"  \" NIL \"c\" \"emak.se\")(\"Anna\" NIL \"anna\" \"emak.se\"))"), "c@emak.se");
	/* A name that is the address says nothing more. */
	ck_assert_str_eq(full("((\"Info@Emak.se\" NIL \"info\" \"emak.se\"))"), "info@emak.se");
	/* Raw 8-bit names: UTF-8 if they are, else windows-1252. */
	ck_assert_str_eq(full("((\"J\xf6nsson, Lars\" NIL \"lars\" \"emak.se\"))"), "J\xc3\xb6nsson, Lars <lars@emak.se>");
	ck_assert_str_eq(full("((\"\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd\" NIL \"ivan\" \"example.ru\"))"),
	                 "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd <ivan@example.ru>");
	ck_assert_str_eq(full("((\"=?koi8-r?B?6dfBzg==?=\" NIL \"ivan\" \"example.ru\"))"),
	                 "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd <ivan@example.ru>");
	/* An unqualified address (Dovecot leaves the host empty). */
	ck_assert_str_eq(full("((NIL NIL \"root\" \"\"))"), "root");
	ck_assert_str_eq(full("NIL"), "");
	ck_assert_str_eq(brief("NIL"), "");
}
END_TEST

START_TEST(groups)
{
	const char *board = "((NIL NIL \"Styrelsen\" NIL)(NIL NIL \"a\" \"emak.se\")(\"B\" NIL \"b\" \"emak.se\")"
	                    "(NIL NIL NIL NIL)(NIL NIL \"c\" \"emak.se\"))";

	ck_assert_str_eq(full(board), "Styrelsen: a@emak.se, B <b@emak.se>;, c@emak.se");
	ck_assert_str_eq(brief(board), "Styrelsen");
	ck_assert_str_eq(full("((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL))"), "undisclosed-recipients:;");
	ck_assert_str_eq(brief("((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL))"), "undisclosed-recipients");
	/* What RFC 5322 does not allow but a server may pass on. */
	ck_assert_str_eq(full("((NIL NIL \"G\" NIL)(NIL NIL \"a\" \"x\"))"), "G: a@x;");
	ck_assert_str_eq(full("((NIL NIL \"G\" NIL)(NIL NIL \"H\" NIL)(NIL NIL \"a\" \"x\")(NIL NIL NIL NIL))"),
	                 "G:;, H: a@x;");
	ck_assert_str_eq(full("((NIL NIL NIL NIL)(NIL NIL \"a\" \"x\"))"), "a@x");
	ck_assert_str_eq(full("((NIL NIL \"=?UTF-8?Q?Fr=C3=A5gor?=\" NIL)(NIL NIL NIL NIL))"), "Fr\xc3\xa5gor:;");
}
END_TEST

START_TEST(spoofing)
{
	/* An encoded-word in the address is shown as written, not decoded. */
	ck_assert_str_eq(full("((\"CEO\" NIL \"=?utf-8?q?ceo?=\" \"bank.example\"))"),
	                 "CEO <=?utf-8?q?ceo?=@bank.example>");
	/* Controls in a name or an address cannot start a new line. */
	ck_assert_str_eq(full("(({13}\r\nEvil\r\nBcc: x\x1b NIL {3}\r\na\nb \"x\"))"),
	                 "Evil Bcc: x" FFFD " <a" FFFD "b@x>");
	/* A name whose charset label makes iconv pass invalid UTF-8. */
	ck_assert_str_eq(full("((\"=?%utf-8?B?9KCgoA==?=\" NIL \"a\" \"x\"))"), FFFD FFFD FFFD FFFD " <a@x>");
	/* Invalid UTF-8 in a host: windows-1252. */
	ck_assert_str_eq(full("((NIL NIL \"a\" \"\xe5.example\"))"), "a@\xc3\xa5.example");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mailaddr_view");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, addresses);
	tcase_add_test(tc, groups);
	tcase_add_test(tc, spoofing);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
