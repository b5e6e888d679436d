/* Unit tests: the IMAP response reader, grammar and typed data, on the
 * examples of RFC 3501, RFC 9051 and RFC 4731 and on what Dovecot 2.3.19
 * actually sent (captured from a session with a multipart message,
 * tests/integration/imap_dovecot.sh runs the same against the live server).
 * Every response is also fed one byte at a time: the reader must cut the
 * same responses whatever the chunking. */
#include "config.h"

#include "check_main.h"
#include "arena.h"
#include "imap_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct arena *arena;
static struct imap_limits lim;

static void setup(void)
{
	arena = arena_new(64u << 20);
	imap_limits_default(&lim);
}

static void teardown(void)
{
	arena_free(arena);
}

/* Feeds wire (n bytes) in chunks of chunk bytes; returns the responses'
 * bytes, each copied to the arena, in *out (at most max), and their count.
 * Stops at the first error, which goes to *err. */
static size_t cut(const char *wire, size_t n, size_t chunk, const struct imap_limits *l,
                  char **out, size_t *lens, size_t max, int *err)
{
	struct imap_reader r;
	size_t off = 0, count = 0;

	*err = 0;
	imap_reader_init(&r, l);
	while (off < n) {
		size_t k = n - off < chunk ? n - off : chunk, used;
		int rc = imap_reader_feed(&r, wire + off, k, &used);

		ck_assert_uint_le(used, k);
		off += used;
		if (rc < 0) {
			*err = rc;
			break;
		}
		if (rc == 1) {
			ck_assert_uint_lt(count, max);
			out[count] = arena_strndup(arena, r.resp.p, r.resp.len);
			lens[count++] = r.resp.len;
			imap_reader_next(&r);
		} else {
			ck_assert_uint_eq(used, k);
		}
	}
	imap_reader_free(&r);
	return count;
}

/* One whole response, cut the same in one piece and byte by byte, parsed. */
static struct imap_response *resp_n(const char *wire, size_t n)
{
	char *whole[2], *bytewise[2];
	size_t lens[2], lens1[2];
	struct imap_response *r = arena_alloc(arena, sizeof(*r));
	int err;

	ck_assert_uint_eq(cut(wire, n, n, &lim, whole, lens, 2, &err), 1);
	ck_assert_int_eq(err, 0);
	ck_assert_uint_eq(lens[0], n);
	ck_assert_uint_eq(cut(wire, n, 1, &lim, bytewise, lens1, 2, &err), 1);
	ck_assert_uint_eq(lens1[0], n);
	ck_assert(memcmp(whole[0], bytewise[0], n) == 0);
	ck_assert_int_eq(imap_parse_response(arena, whole[0], n, &lim, r), IMAP_PARSE_OK);
	return r;
}

#define resp(s) resp_n(s, sizeof(s) - 1)

static int parse_err_n(const char *wire, size_t n)
{
	struct imap_response r;

	return imap_parse_response(arena, wire, n, &lim, &r);
}

#define parse_err(s) parse_err_n(s, sizeof(s) - 1)

static int span_is(const char *p, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(p, want, n) == 0;
}

/* ---------------------------------------------------------------- reader */

START_TEST(reader_cuts_responses_and_reads_literals_exactly)
{
	/* The literal holds a CRLF, a "{3}" line end and a "*": all data. */
	static const char wire[] =
		"* 1 FETCH (BODY[] {12}\r\nab\r\n{3}\r\n* x)\r\n"
		"* 2 EXISTS\r\n"
		"a1 OK done\r\n";
	char *out[4];
	size_t lens[4], chunk;
	int err;

	for (chunk = 1; chunk <= sizeof(wire); chunk++) {
		ck_assert_uint_eq(cut(wire, sizeof(wire) - 1, chunk, &lim, out, lens, 4, &err), 3);
		ck_assert_int_eq(err, 0);
		ck_assert(span_is(out[0], lens[0], "* 1 FETCH (BODY[] {12}\r\nab\r\n{3}\r\n* x)\r\n"));
		ck_assert(span_is(out[1], lens[1], "* 2 EXISTS\r\n"));
		ck_assert(span_is(out[2], lens[2], "a1 OK done\r\n"));
	}
}
END_TEST

START_TEST(reader_empty_literal_and_several_literals)
{
	static const char wire[] = "* LIST () {0}\r\n {3}\r\na b\r\n";
	struct imap_response *r = resp(wire);
	const struct imap_value *v = r->data;

	ck_assert(imap_span_eq(r->name, r->name_len, "LIST"));
	ck_assert_int_eq(v->type, IMAP_LIST);
	ck_assert_int_eq(v->next->type, IMAP_STRING);
	ck_assert_uint_eq(v->next->len, 0);
	ck_assert(v->next->literal);
	ck_assert(span_is(v->next->next->s, v->next->next->len, "a b"));
}
END_TEST

START_TEST(reader_limits)
{
	struct imap_limits l = lim;
	char *out[2];
	size_t lens[2];
	int err;

	l.max_line = 16;
	ck_assert_uint_eq(cut("* 1 EXISTS\r\n", 12, 1, &l, out, lens, 2, &err), 1);
	cut("* OK a line that is too long\r\n", 30, 4, &l, out, lens, 2, &err);
	ck_assert_int_eq(err, IMAP_PARSE_TOO_BIG);

	l = lim;
	l.max_literal = 4;
	ck_assert_uint_eq(cut("* X {4}\r\nabcd\r\n", 15, 3, &l, out, lens, 2, &err), 1);
	cut("* X {5}\r\nabcde\r\n", 16, 3, &l, out, lens, 2, &err);
	ck_assert_int_eq(err, IMAP_PARSE_TOO_BIG);
	cut("* X {99999999999999999999999}\r\n", 31, 64, &lim, out, lens, 2, &err);
	ck_assert_int_eq(err, IMAP_PARSE_TOO_BIG);

	l = lim;
	l.max_response = 24;
	cut("* X {4}\r\nabcd {4}\r\nabcd\r\n", 25, 2, &l, out, lens, 2, &err);
	ck_assert_int_eq(err, IMAP_PARSE_TOO_BIG);
}
END_TEST

START_TEST(reader_error_is_sticky)
{
	struct imap_limits l = lim;
	struct imap_reader r;
	size_t used;

	l.max_line = 8;
	imap_reader_init(&r, &l);
	ck_assert_int_eq(imap_reader_feed(&r, "* 123456789\r\n", 13, &used), IMAP_PARSE_TOO_BIG);
	ck_assert_int_eq(imap_reader_feed(&r, "\r\n", 2, &used), IMAP_PARSE_TOO_BIG);
	imap_reader_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- grammar */

START_TEST(status_responses)
{
	struct imap_response *r;

	r = resp("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
	         "AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.\r\n");
	ck_assert_int_eq(r->kind, IMAP_UNTAGGED);
	ck_assert_int_eq(r->cond, IMAP_COND_OK);
	ck_assert(span_is(r->code, r->code_len, "CAPABILITY"));
	ck_assert(span_is(r->text, r->text_len, "Dovecot (Debian) ready."));
	ck_assert_uint_eq(imap_caps_parse(r->code_args),
	                  IMAP_CAP_IMAP4REV1 | IMAP_CAP_SASL_IR | IMAP_CAP_ENABLE | IMAP_CAP_IDLE
	                  | IMAP_CAP_LITERALPLUS | IMAP_CAP_AUTH_PLAIN);

	r = resp("a0 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
	ck_assert_int_eq(r->kind, IMAP_TAGGED);
	ck_assert(span_is(r->tag, r->tag_len, "a0"));
	ck_assert(imap_cond_is(r, IMAP_TAGGED, IMAP_COND_NO));
	ck_assert(span_is(r->code, r->code_len, "AUTHENTICATIONFAILED"));
	ck_assert_ptr_null(r->code_args);

	r = resp("a6 OK [APPENDUID 1795664294 1] Append completed (0.016 + 1.002 + 0.014 secs).\r\n");
	ck_assert(span_is(r->code, r->code_len, "APPENDUID"));
	ck_assert(imap_atom_eq(r->code_args, "1795664294"));
	ck_assert(imap_atom_eq(r->code_args->next, "1"));

	r = resp("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n");
	ck_assert_int_eq(r->code_args->type, IMAP_LIST);
	ck_assert_uint_eq(r->code_args->len, 6);

	/* An unknown code's free text; a "[" without "]" is text. */
	r = resp("* NO [X-WHATEVER (unbalanced] text\r\n");
	ck_assert(span_is(r->code, r->code_len, "X-WHATEVER"));
	ck_assert_ptr_null(r->code_args);
	ck_assert(span_is(r->text, r->text_len, "text"));
	r = resp("* OK [ALERT no end\r\n");
	ck_assert_ptr_null(r->code);
	ck_assert(span_is(r->text, r->text_len, "[ALERT no end"));

	r = resp("* BYE Logging out\r\n");
	ck_assert_int_eq(r->cond, IMAP_COND_BYE);
	r = resp("* PREAUTH ready\r\n");
	ck_assert_int_eq(r->cond, IMAP_COND_PREAUTH);
	r = resp("a15 OK\r\n");                  /* no text: tolerated */
	ck_assert_uint_eq(r->text_len, 0);
	r = resp("a1 bad [CLIENTBUG] lower case\n");   /* LF alone, any case */
	ck_assert_int_eq(r->cond, IMAP_COND_BAD);
}
END_TEST

START_TEST(continuations)
{
	struct imap_response *r;

	r = resp("+ OK\r\n");
	ck_assert_int_eq(r->kind, IMAP_CONTINUE);
	ck_assert(span_is(r->text, r->text_len, "OK"));
	r = resp("+\r\n");
	ck_assert_uint_eq(r->text_len, 0);
	r = resp("+ \r\n");
	ck_assert_uint_eq(r->text_len, 0);
	r = resp("+ dGVzdA==\r\n");
	ck_assert(span_is(r->text, r->text_len, "dGVzdA=="));
}
END_TEST

START_TEST(values)
{
	struct imap_response *r;
	const struct imap_value *v;

	r = resp("* X atom \"q \\\"x\\\" \\\\\" NIL nil (a (b (c)) ()) ~{3}\r\na\0b \"\"\r\n");
	v = r->data;
	ck_assert(imap_atom_eq(v, "atom"));
	v = v->next;
	ck_assert_int_eq(v->type, IMAP_STRING);
	ck_assert(span_is(v->s, v->len, "q \"x\" \\"));
	v = v->next;
	ck_assert_int_eq(v->type, IMAP_NIL);
	ck_assert_int_eq(v->next->type, IMAP_NIL);
	v = v->next->next;
	ck_assert_int_eq(v->type, IMAP_LIST);
	ck_assert_uint_eq(v->len, 3);
	ck_assert(imap_atom_eq(v->child, "a"));
	ck_assert_uint_eq(v->child->next->len, 2);
	ck_assert(imap_atom_eq(v->child->next->child->next->child, "c"));
	ck_assert_uint_eq(v->child->next->next->len, 0);
	v = v->next;
	ck_assert_int_eq(v->type, IMAP_STRING);
	ck_assert(v->literal);
	ck_assert_uint_eq(v->len, 3);
	ck_assert(memcmp(v->s, "a\0b", 3) == 0);
	v = v->next;
	ck_assert_int_eq(v->type, IMAP_STRING);
	ck_assert_uint_eq(v->len, 0);
	ck_assert_ptr_null(v->next);

	/* Sections keep their spaces and parentheses in the atom. */
	r = resp("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)] {2}\r\nab BODY[3]<0> NIL)\r\n");
	v = r->data->child;
	ck_assert(imap_atom_eq(v, "BODY[HEADER.FIELDS (SUBJECT FROM)]"));
	ck_assert(imap_atom_eq(v->next->next, "BODY[3]<0>"));
	/* Outside BODY/BINARY a "[" is an atom character (a mailbox "a[b"). */
	r = resp("* LIST () \".\" a[b\r\n");
	ck_assert(imap_atom_eq(r->data->next->next, "a[b"));
}
END_TEST

START_TEST(bad_syntax)
{
	ck_assert_int_eq(parse_err(""), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* OK fine\r\ntrailing"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* OK no line end"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* X \"unterminated\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* X \"bad \\escape\"\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* X (unclosed\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* X closed)\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* X {5}\r\nabc\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* X {5+}\r\nabcde\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* X a\rb\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* X \x01\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("*\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* \r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("a+1 OK x\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("a1 MAYBE x\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("a1 PREAUTH x\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* 4294967296 EXISTS\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* 1 FETCH(UID 1)\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* 1 FETCH (BODY[1 NIL)\r\n"), IMAP_PARSE_BAD);
	ck_assert_int_eq(parse_err("* OK text\0with nul\r\n"), IMAP_PARSE_BAD);
}
END_TEST

START_TEST(depth_and_count_limits)
{
	char wire[512];
	struct imap_response r;
	int i, n = 0;

	n += sprintf(wire + n, "* X ");
	for (i = 0; i < 65; i++)
		wire[n++] = '(';
	for (i = 0; i < 65; i++)
		wire[n++] = ')';
	n += sprintf(wire + n, "\r\n");
	ck_assert_int_eq(imap_parse_response(arena, wire, (size_t)n, &lim, &r), IMAP_PARSE_TOO_BIG);
	lim.max_depth = 65;
	ck_assert_int_eq(imap_parse_response(arena, wire, (size_t)n, &lim, &r), IMAP_PARSE_OK);
	lim.max_values = 3;
	ck_assert_int_eq(parse_err("* SEARCH 1 2 3\r\n"), IMAP_PARSE_OK);
	ck_assert_int_eq(parse_err("* SEARCH 1 2 3 4\r\n"), IMAP_PARSE_TOO_BIG);
}
END_TEST

/* ---------------------------------------------------------------- typed data */

START_TEST(capability_dovecot_after_login)
{
	struct imap_response *r = resp(
		"* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY "
		"THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE "
		"UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH "
		"ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY "
		"PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY\r\n");
	uint32_t caps = imap_caps_parse(r->data);

	ck_assert(caps & IMAP_CAP_MOVE);
	ck_assert(caps & IMAP_CAP_UIDPLUS);
	ck_assert(caps & IMAP_CAP_SORT);
	ck_assert(caps & IMAP_CAP_ESEARCH);
	ck_assert(caps & IMAP_CAP_LIST_STATUS);
	ck_assert(caps & IMAP_CAP_LITERALPLUS);
	ck_assert(caps & IMAP_CAP_STATUS_SIZE);
	ck_assert(!(caps & IMAP_CAP_AUTH_PLAIN));   /* only offered before login */
	ck_assert(!(caps & IMAP_CAP_STARTTLS));
	ck_assert_str_eq(imap_cap_name(IMAP_CAP_LITERALPLUS), "LITERAL+");
	/* Case does not matter. */
	r = resp("* CAPABILITY imap4REV2 starttls logindisabled\r\n");
	ck_assert_uint_eq(imap_caps_parse(r->data),
	                  IMAP_CAP_IMAP4REV2 | IMAP_CAP_STARTTLS | IMAP_CAP_LOGINDISABLED);
}
END_TEST

START_TEST(list_responses)
{
	struct imap_mailbox m;

	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST (\\HasNoChildren) \".\" INBOX\r\n"), &m), 0);
	ck_assert_str_eq(m.name, "INBOX");
	ck_assert_int_eq(m.delim, '.');
	ck_assert_uint_eq(m.flags, IMAP_MBX_HASNOCHILDREN);

	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST (\\HasNoChildren \\Trash) \".\" \"Skr&AOQ-p\"\r\n"), &m), 0);
	ck_assert_str_eq(m.raw, "Skr&AOQ-p");
	ck_assert_str_eq(m.name, "Skr\xc3\xa4p");
	ck_assert_uint_eq(m.flags, IMAP_MBX_HASNOCHILDREN | IMAP_MBX_TRASH);

	/* RFC 3501 §7.2.2: NIL delimiter, \Noselect, a name with a "/". */
	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n"), &m), 0);
	ck_assert_str_eq(m.name, "~/Mail/foo");
	ck_assert_int_eq(m.delim, '/');
	ck_assert(m.flags & IMAP_MBX_NOSELECT);
	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST () NIL \"\"\r\n"), &m), 0);
	ck_assert_int_eq(m.delim, 0);
	ck_assert_str_eq(m.name, "");

	/* inbox in any case, names as literals, escapes, a name "NIL". */
	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST () \"/\" iNbOx\r\n"), &m), 0);
	ck_assert_str_eq(m.name, "INBOX");
	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST () \"/\" {7}\r\nA \"B\" C\r\n"), &m), 0);
	ck_assert_str_eq(m.name, "A \"B\" C");
	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST () \"\\\\\" \"a\\\\b\"\r\n"), &m), 0);
	ck_assert_int_eq(m.delim, '\\');
	ck_assert_str_eq(m.raw, "a\\b");
	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST () \".\" NIL\r\n"), &m), 0);
	ck_assert_str_eq(m.name, "NIL");

	/* Not modified UTF-7: listed, but without a UTF-8 name. */
	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST () \".\" \"a&Jjo\"\r\n"), &m), 0);
	ck_assert_ptr_null(m.name);

	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST \\Noselect \".\" x\r\n"), &m), IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST () \"..\" x\r\n"), &m), IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST () \".\"\r\n"), &m), IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_list(arena, resp("* LIST () \".\" (x)\r\n"), &m), IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_list(arena, resp("* STATUS x ()\r\n"), &m), IMAP_PARSE_BAD);
}
END_TEST

START_TEST(status_response)
{
	struct imap_status st;
	char *name;

	ck_assert_int_eq(imap_parse_status(arena,
		resp("* STATUS Skr&AOQ-p (MESSAGES 0 RECENT 0 UIDNEXT 1 UIDVALIDITY 1795664295 UNSEEN 0)\r\n"),
		&name, &st), 0);
	ck_assert_str_eq(name, "Skr&AOQ-p");
	ck_assert_uint_eq(st.have, IMAP_ST_MESSAGES | IMAP_ST_RECENT | IMAP_ST_UIDNEXT
	                  | IMAP_ST_UIDVALIDITY | IMAP_ST_UNSEEN);
	ck_assert_uint_eq(st.uidvalidity, 1795664295u);
	ck_assert_uint_eq(st.uidnext, 1);
	ck_assert_int_eq(imap_parse_status(arena,
		resp("* STATUS INBOX (MESSAGES 231 UIDNEXT 44292 SIZE 12345678901 X-NEW 7)\r\n"),
		&name, &st), 0);
	ck_assert_uint_eq(st.messages, 231);
	ck_assert_uint_eq(st.size, 12345678901ull);
	ck_assert_int_eq(imap_parse_status(arena, resp("* STATUS INBOX (MESSAGES)\r\n"), &name, &st),
	                 IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_status(arena, resp("* STATUS INBOX (MESSAGES x)\r\n"), &name, &st),
	                 IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_status(arena, resp("* STATUS INBOX (UIDNEXT 4294967296)\r\n"),
	                                   &name, &st), IMAP_PARSE_BAD);
}
END_TEST

START_TEST(select_dovecot)
{
	static const char *const lines[] = {
		"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n",
		"* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n",
		"* 1 EXISTS\r\n",
		"* 1 RECENT\r\n",
		"* OK [UIDVALIDITY 1795664294] UIDs valid\r\n",
		"* OK [UIDNEXT 2] Predicted next UID\r\n",
		"a7 OK [READ-WRITE] Select completed (0.001 + 0.000 + 0.001 secs).\r\n",
	};
	struct imap_selected s = { 0 };
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		ck_assert_int_eq(imap_selected_apply(&s, resp_n(lines[i], strlen(lines[i]))), 1);
	ck_assert_uint_eq(s.exists, 1);
	ck_assert_uint_eq(s.recent, 1);
	ck_assert_uint_eq(s.uidvalidity, 1795664294u);
	ck_assert_uint_eq(s.uidnext, 2);
	ck_assert_uint_eq(s.flags, IMAP_FLAG_ANSWERED | IMAP_FLAG_FLAGGED | IMAP_FLAG_DELETED
	                  | IMAP_FLAG_SEEN | IMAP_FLAG_DRAFT);
	ck_assert_uint_eq(s.permanent_flags, s.flags | IMAP_FLAG_ANY_KEYWORD);
	ck_assert_int_eq(s.read_only, 0);
	ck_assert_int_eq(imap_selected_apply(&s, resp("* 1 EXPUNGE\r\n")), 1);
	ck_assert_uint_eq(s.exists, 0);
	ck_assert_int_eq(imap_selected_apply(&s, resp("a14 OK [READ-ONLY] Examine completed\r\n")), 1);
	ck_assert_int_eq(s.read_only, 1);
	ck_assert_int_eq(imap_selected_apply(&s, resp("* OK [PERMANENTFLAGS ()] Read-only mailbox.\r\n")), 1);
	ck_assert_uint_eq(s.permanent_flags, 0);
	ck_assert_int_eq(imap_selected_apply(&s, resp("* OK [CLOSED] Previous mailbox closed.\r\n")), 0);
	ck_assert_int_eq(imap_selected_apply(&s, resp("* 3 FETCH (FLAGS ())\r\n")), 0);
	ck_assert_int_eq(imap_selected_apply(&s, resp("* OK [UIDNEXT x] bad\r\n")), 0);
}
END_TEST

/* What Dovecot 2.3.19 sent for the multipart test message (the "To" has a
 * raw UTF-8 display name, which Dovecot sends as a literal mid-line). */
static const char dovecot_fetch[] =
	"* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent) RFC822.SIZE 623 INTERNALDATE \"26-Nov-2026 03:38:17 +0000\" "
	"ENVELOPE (\"Tue, 24 Nov 2026 10:00:00 +0100\" \"=?UTF-8?B?SMOkbHNuaW5nYXI=?=\" "
	"((\"=?ISO-8859-1?Q?Lars_J=F6nsson?=\" NIL \"lars\" \"emak.se\")) "
	"((\"=?ISO-8859-1?Q?Lars_J=F6nsson?=\" NIL \"lars\" \"emak.se\")) "
	"((\"=?ISO-8859-1?Q?Lars_J=F6nsson?=\" NIL \"lars\" \"emak.se\")) "
	"((NIL NIL \"klient1\" \"emak.se\")({11}\r\nKlient Tv\xc3\xa5 NIL \"klient2\" \"emak.se\")) "
	"NIL NIL NIL \"<abc@emak.se>\") "
	"BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 15 0 NIL NIL NIL NIL)"
	"(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 35 (NIL \"inner\" ((NIL NIL \"a\" \"b.c\")) "
	"((NIL NIL \"a\" \"b.c\")) ((NIL NIL \"a\" \"b.c\")) NIL NIL NIL NIL NIL) "
	"(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 4 0 NIL NIL NIL NIL) 3 NIL NIL NIL NIL)"
	"(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 8 NIL "
	"(\"attachment\" (\"filename\" \"a.pdf\")) NIL NIL) \"mixed\" (\"boundary\" \"XX\") NIL NIL NIL))\r\n";

START_TEST(fetch_dovecot_envelope_and_bodystructure)
{
	struct imap_fetch f;
	const struct imap_body *b, *p;
	const struct imap_address *ad;

	ck_assert_int_eq(imap_parse_fetch(arena, resp(dovecot_fetch), &f), IMAP_PARSE_OK);
	ck_assert_uint_eq(f.seq, 1);
	ck_assert_uint_eq(f.have, IMAP_FETCH_UID | IMAP_FETCH_FLAGS | IMAP_FETCH_SIZE
	                  | IMAP_FETCH_INTERNALDATE | IMAP_FETCH_ENVELOPE | IMAP_FETCH_BODYSTRUCTURE);
	ck_assert_uint_eq(f.uid, 1);
	ck_assert_uint_eq(f.flags.bits, IMAP_FLAG_SEEN | IMAP_FLAG_RECENT);
	ck_assert_uint_eq(f.size, 623);
	ck_assert_int_eq((long)f.internaldate, 1795664297L);

	ck_assert_str_eq(f.env->date, "Tue, 24 Nov 2026 10:00:00 +0100");
	ck_assert_str_eq(f.env->subject, "=?UTF-8?B?SMOkbHNuaW5nYXI=?=");
	ck_assert_str_eq(f.env->from->name, "=?ISO-8859-1?Q?Lars_J=F6nsson?=");
	ck_assert_str_eq(f.env->from->mailbox, "lars");
	ck_assert_str_eq(f.env->from->host, "emak.se");
	ck_assert_ptr_null(f.env->from->adl);
	ad = f.env->to;
	ck_assert_ptr_null(ad->name);
	ck_assert_str_eq(ad->mailbox, "klient1");
	ck_assert_str_eq(ad->next->name, "Klient Tv\xc3\xa5");
	ck_assert_str_eq(ad->next->mailbox, "klient2");
	ck_assert_ptr_null(ad->next->next);
	ck_assert_ptr_null(f.env->cc);
	ck_assert_ptr_null(f.env->in_reply_to);
	ck_assert_str_eq(f.env->message_id, "<abc@emak.se>");

	b = f.body;
	ck_assert_str_eq(b->type, "multipart");
	ck_assert_str_eq(b->subtype, "mixed");
	ck_assert_str_eq(b->section, "");
	ck_assert_uint_eq(b->nparts, 3);
	ck_assert_str_eq(imap_param_get(b->params, "BOUNDARY"), "XX");

	p = b->parts;
	ck_assert_str_eq(p->section, "1");
	ck_assert_str_eq(p->type, "text");
	ck_assert_str_eq(p->subtype, "plain");
	ck_assert_str_eq(imap_param_get(p->params, "charset"), "utf-8");
	ck_assert_str_eq(p->encoding, "quoted-printable");
	ck_assert_uint_eq(p->size, 15);
	ck_assert_uint_eq(p->lines, 0);

	p = p->next;
	ck_assert_str_eq(p->section, "2");
	ck_assert_str_eq(p->type, "message");
	ck_assert_str_eq(p->env->subject, "inner");
	ck_assert_str_eq(p->env->from->host, "b.c");
	ck_assert_uint_eq(p->lines, 3);
	ck_assert_str_eq(p->msg->section, "2.1");
	ck_assert_str_eq(p->msg->subtype, "plain");
	ck_assert_uint_eq(p->msg->size, 4);

	p = p->next;
	ck_assert_str_eq(p->section, "3");
	ck_assert_str_eq(p->type, "application");
	ck_assert_str_eq(p->subtype, "pdf");
	ck_assert_str_eq(p->encoding, "base64");
	ck_assert_str_eq(p->disposition, "attachment");
	ck_assert_str_eq(imap_param_get(p->disp_params, "filename"), "a.pdf");
	ck_assert_ptr_null(p->md5);
	ck_assert_ptr_null(p->next);

	ck_assert_ptr_eq(imap_body_find(b, "2.1"), b->parts->next->msg);
	ck_assert_ptr_eq(imap_body_find(b, "2"), b->parts->next);
	ck_assert_ptr_null(imap_body_find(b, "4"));
}
END_TEST

START_TEST(fetch_dovecot_sections)
{
	static const char wire[] =
		"* 1 FETCH (UID 1 BODY[1] {15}\r\nHej p=C3=A5 dig BODY[2.HEADER] {31}\r\n"
		"From: a@b.c\r\nSubject: inner\r\n\r\n BODY[HEADER.FIELDS (SUBJECT FROM)] {95}\r\n"
		"From: =?ISO-8859-1?Q?Lars_J=F6nsson?= <lars@emak.se>\r\n"
		"Subject: =?UTF-8?B?SMOkbHNuaW5nYXI=?=\r\n\r\n BODY[3]<0> {4}\r\nJVBE)\r\n";
	struct imap_fetch f;
	const struct imap_section *s;

	ck_assert_int_eq(imap_parse_fetch(arena, resp(wire), &f), IMAP_PARSE_OK);
	ck_assert_uint_eq(f.uid, 1);
	s = imap_fetch_section(&f, "1");
	ck_assert_ptr_nonnull(s);
	ck_assert(span_is(s->data, s->len, "Hej p=C3=A5 dig"));
	ck_assert_int_eq(s->has_origin, 0);
	s = imap_fetch_section(&f, "2.header");
	ck_assert(span_is(s->data, s->len, "From: a@b.c\r\nSubject: inner\r\n\r\n"));
	s = imap_fetch_section(&f, "HEADER.FIELDS (SUBJECT FROM)");
	ck_assert_uint_eq(s->len, 95);
	s = imap_fetch_section(&f, "3");
	ck_assert(span_is(s->data, s->len, "JVBE"));
	ck_assert_int_eq(s->has_origin, 1);
	ck_assert_uint_eq(s->origin, 0);
	ck_assert_int_eq(s->data[s->len], '\0');
}
END_TEST

START_TEST(fetch_rfc3501_examples)
{
	struct imap_fetch f;
	const struct imap_body *b;

	/* RFC 3501 §7.4.2 */
	ck_assert_int_eq(imap_parse_fetch(arena, resp(
		"* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
		"RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
		"\"IMAP4rev1 WG mtg summary and minutes\" "
		"((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
		"((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
		"((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
		"((NIL NIL \"imap\" \"cac.washington.edu\")) "
		"((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\") (\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) "
		"NIL NIL \"<B27397-0100000@cac.washington.edu>\") "
		"BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n"), &f), 0);
	ck_assert_uint_eq(f.seq, 12);
	ck_assert_uint_eq(f.flags.bits, IMAP_FLAG_SEEN);
	ck_assert_int_eq((long)f.internaldate, 837596665L);
	ck_assert_uint_eq(f.size, 4286);
	ck_assert_str_eq(f.env->cc->next->name, "John Klensin");
	ck_assert_str_eq(f.body->type, "text");
	ck_assert_str_eq(f.body->section, "1");
	ck_assert_str_eq(f.body->encoding, "7bit");
	ck_assert_str_eq(imap_param_get(f.body->params, "charset"), "US-ASCII");
	ck_assert_uint_eq(f.body->lines, 92);

	/* RFC 3501 §7.4.2, BODYSTRUCTURE */
	ck_assert_int_eq(imap_parse_fetch(arena, resp(
		"* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23)"
		"(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") "
		"\"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73) \"MIXED\"))\r\n"),
		&f), 0);
	b = f.body;
	ck_assert_str_eq(b->subtype, "mixed");
	ck_assert_ptr_null(b->params);
	ck_assert_str_eq(b->parts->next->id, "<960723163407.20117h@cac.washington.edu>");
	ck_assert_str_eq(b->parts->next->description, "Compiler diff");
	ck_assert_str_eq(imap_param_get(b->parts->next->params, "name"), "cc.diff");
	ck_assert_str_eq(b->parts->next->section, "2");
}
END_TEST

START_TEST(bodystructure_nesting_and_extensions)
{
	struct imap_fetch f;
	const struct imap_body *b, *alt;

	/* multipart/mixed: multipart/alternative (text, html with language and
	 * location), an image with md5 and an inline disposition, a
	 * message/rfc822 whose body is multipart, and extension data beyond. */
	ck_assert_int_eq(imap_parse_fetch(arena, resp(
		"* 2 FETCH (UID 9 BODYSTRUCTURE ("
		"((\"text\" \"plain\" (\"charset\" \"iso-8859-1\") NIL NIL \"8bit\" 10 1 NIL NIL NIL NIL)"
		"(\"text\" \"html\" NIL NIL NIL \"7bit\" 20 2 NIL NIL (\"sv\" \"en\") \"http://x/\") "
		"\"alternative\" (\"boundary\" \"b2\") NIL NIL NIL)"
		"(\"image\" \"png\" NIL \"<img1>\" NIL \"base64\" 100 \"md5sum\" (\"inline\" NIL) \"sv\" NIL 42 (\"x\"))"
		"(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 300 "
		"(NIL \"fwd\" NIL NIL NIL ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL NIL) "
		"((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)(\"application\" \"octet-stream\" NIL NIL NIL \"base64\" 2) "
		"\"mixed\") 12)"
		" \"mixed\" (\"boundary\" \"b1\") (\"inline\" NIL) \"sv\" NIL))\r\n"), &f), 0);
	b = f.body;
	ck_assert_str_eq(b->disposition, "inline");
	ck_assert_str_eq(b->language[0], "sv");
	alt = b->parts;
	ck_assert_str_eq(alt->subtype, "alternative");
	ck_assert_str_eq(alt->section, "1");
	ck_assert_str_eq(alt->parts->section, "1.1");
	ck_assert_str_eq(alt->parts->next->section, "1.2");
	ck_assert_uint_eq(alt->parts->next->nlanguage, 2);
	ck_assert_str_eq(alt->parts->next->language[1], "en");
	ck_assert_str_eq(alt->parts->next->location, "http://x/");
	ck_assert_str_eq(alt->next->md5, "md5sum");
	ck_assert_str_eq(alt->next->id, "<img1>");
	ck_assert_str_eq(alt->next->disposition, "inline");
	ck_assert_ptr_null(alt->next->disp_params);
	ck_assert_str_eq(alt->next->section, "2");
	b = alt->next->next;
	ck_assert_str_eq(b->section, "3");
	ck_assert_str_eq(b->env->to->mailbox, "undisclosed-recipients");   /* a group starts */
	ck_assert_ptr_null(b->env->to->host);
	ck_assert_ptr_null(b->env->to->next->mailbox);                     /* ... and ends */
	ck_assert_str_eq(b->msg->subtype, "mixed");
	ck_assert_str_eq(b->msg->parts->section, "3.1");
	ck_assert_str_eq(b->msg->parts->next->section, "3.2");
	ck_assert_ptr_eq(imap_body_find(f.body, "3.2"), b->msg->parts->next);
	ck_assert_ptr_eq(imap_body_find(f.body, "3"), b);
}
END_TEST

START_TEST(bodystructure_bad)
{
	static const char *const bad[] = {
		"* 1 FETCH (BODYSTRUCTURE ())\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"text\"))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\"))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" x 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"odd\") NIL NIL \"7bit\" 1 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)))\r\n",
		"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) \"mixed\" x))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (NIL \"plain\" NIL NIL NIL \"7bit\" 1 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1 (NIL) x 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1 NIL (\"inline\")))\r\n",
		"* 1 FETCH (ENVELOPE (NIL NIL NIL))\r\n",
		"* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"a\")) NIL NIL NIL NIL NIL NIL NIL))\r\n",
		"* 1 FETCH (UID)\r\n",
		"* 1 FETCH (UID 0)\r\n",
		"* 1 FETCH (UID x)\r\n",
		"* 1 FETCH (FLAGS \\Seen)\r\n",
		"* 1 FETCH (INTERNALDATE \"yesterday\")\r\n",
		"* 1 FETCH (BODY[1]<x> \"a\")\r\n",
		"* 1 FETCH (BODY[1] (a))\r\n",
		"* 1 FETCH UID 1\r\n",
		"* FETCH (UID 1)\r\n",
	};
	struct imap_fetch f;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(imap_parse_fetch(arena, resp_n(bad[i], strlen(bad[i])), &f) != IMAP_PARSE_OK,
		              "accepted: %s", bad[i]);
	/* Unknown items are skipped; "(MODSEQ n)" is read. */
	ck_assert_int_eq(imap_parse_fetch(arena, resp("* 1 FETCH (X-GUID abc UID 4 MODSEQ (77) "
	                                              "PREVIEW \"hi\" SAVEDATE NIL)\r\n"), &f), 0);
	ck_assert_uint_eq(f.uid, 4);
	ck_assert_uint_eq(f.modseq, 77);
	/* RFC822.* are sections too; NIL data is no data. */
	ck_assert_int_eq(imap_parse_fetch(arena, resp("* 1 FETCH (RFC822.HEADER {2}\r\nab BODY[2] NIL)\r\n"),
	                                  &f), 0);
	ck_assert(span_is(imap_fetch_section(&f, "HEADER")->data, 2, "ab"));
	ck_assert_ptr_null(imap_fetch_section(&f, "2")->data);
}
END_TEST

START_TEST(search_sort_esearch)
{
	uint32_t *n;
	size_t count;
	struct imap_esearch es;

	/* RFC 3501 §7.2.5, RFC 5256, RFC 7162 */
	ck_assert_int_eq(imap_parse_numbers(arena, resp("* SEARCH 2 3 6\r\n"), 10, &n, &count), 0);
	ck_assert_uint_eq(count, 3);
	ck_assert_uint_eq(n[2], 6);
	ck_assert_int_eq(imap_parse_numbers(arena, resp("* SEARCH\r\n"), 10, &n, &count), 0);
	ck_assert_uint_eq(count, 0);
	ck_assert_int_eq(imap_parse_numbers(arena, resp("* SORT 5 3 4 1 2\r\n"), 10, &n, &count), 0);
	ck_assert_uint_eq(n[0], 5);
	ck_assert_int_eq(imap_parse_numbers(arena, resp("* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n"),
	                                    10, &n, &count), 0);
	ck_assert_uint_eq(count, 10);
	ck_assert_int_eq(imap_parse_numbers(arena, resp("* SEARCH 1 2 3\r\n"), 2, &n, &count), IMAP_PARSE_TOO_BIG);
	ck_assert_int_eq(imap_parse_numbers(arena, resp("* SEARCH 1 x\r\n"), 9, &n, &count), IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_numbers(arena, resp("* SEARCH 0\r\n"), 9, &n, &count), IMAP_PARSE_BAD);

	/* Dovecot, and RFC 4731's examples. */
	ck_assert_int_eq(imap_parse_esearch(arena, resp("* ESEARCH (TAG \"a11\") UID MIN 1 MAX 1 ALL 1 COUNT 1\r\n"),
	                                    100, &es), 0);
	ck_assert_str_eq(es.tag, "a11");
	ck_assert(es.uid);
	ck_assert_uint_eq(es.have, IMAP_ES_MIN | IMAP_ES_MAX | IMAP_ES_ALL | IMAP_ES_COUNT);
	ck_assert_uint_eq(es.nall, 1);
	ck_assert_int_eq(imap_parse_esearch(arena, resp("* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n"), 100, &es), 0);
	ck_assert(!es.uid);
	ck_assert_uint_eq(es.min, 2);
	ck_assert_uint_eq(es.count, 3);
	ck_assert_int_eq(imap_parse_esearch(arena, resp("* ESEARCH (TAG \"A283\") ALL 2,10:11\r\n"), 100, &es), 0);
	ck_assert_uint_eq(es.nall, 3);
	ck_assert_uint_eq(es.all[0], 2);
	ck_assert_uint_eq(es.all[2], 11);
	ck_assert_int_eq(imap_parse_esearch(arena, resp("* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800\r\n"), 100, &es), 0);
	ck_assert_uint_eq(es.max, 3800);
	ck_assert_int_eq(imap_parse_esearch(arena, resp("* ESEARCH (TAG \"A284\")\r\n"), 100, &es), 0);
	ck_assert_uint_eq(es.have, 0);
	ck_assert_int_eq(imap_parse_esearch(arena, resp("* ESEARCH UID ALL 1:4294967295\r\n"), 100, &es),
	                 IMAP_PARSE_TOO_BIG);
	ck_assert_int_eq(imap_parse_esearch(arena, resp("* ESEARCH UID COUNT\r\n"), 100, &es), IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_esearch(arena, resp("* ESEARCH UID MIN x\r\n"), 100, &es), IMAP_PARSE_BAD);
}
END_TEST

START_TEST(sequence_sets)
{
	uint32_t *n;
	size_t count;

	ck_assert_int_eq(imap_parse_seqset(arena, "4:2,7,9:9", 9, 10, &n, &count), 0);
	ck_assert_uint_eq(count, 5);
	ck_assert_uint_eq(n[0], 2);
	ck_assert_uint_eq(n[2], 4);
	ck_assert_uint_eq(n[3], 7);
	ck_assert_uint_eq(n[4], 9);
	ck_assert_int_eq(imap_parse_seqset(arena, "4294967295", 10, 1, &n, &count), 0);
	ck_assert_uint_eq(n[0], 4294967295u);
	ck_assert_int_eq(imap_parse_seqset(arena, "1:5", 3, 4, &n, &count), IMAP_PARSE_TOO_BIG);
	ck_assert_int_eq(imap_parse_seqset(arena, "1:*", 3, 4, &n, &count), IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_seqset(arena, "1,,2", 4, 4, &n, &count), IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_seqset(arena, "0", 1, 4, &n, &count), IMAP_PARSE_BAD);
	ck_assert_int_eq(imap_parse_seqset(arena, "", 0, 4, &n, &count), IMAP_PARSE_BAD);
}
END_TEST

START_TEST(date_times)
{
	time_t t;

	ck_assert_int_eq(imap_parse_date_time("17-Jul-1996 02:44:25 -0700", 26, &t), 0);
	ck_assert_int_eq((long)t, 837596665L);
	ck_assert_int_eq(imap_parse_date_time(" 7-Nov-2026 01:00:00 +0100", 26, &t), 0);
	ck_assert_int_eq((long)t, 1794009600L);
	ck_assert_int_eq(imap_parse_date_time("7-nov-2026 01:00:00 +0100", 25, &t), 0);
	ck_assert_int_eq((long)t, 1794009600L);
	ck_assert_int_eq(imap_parse_date_time("17-Jux-1996 02:44:25 -0700", 26, &t), -1);
	ck_assert_int_eq(imap_parse_date_time("17-Jul-1996 24:44:25 -0700", 26, &t), -1);
	ck_assert_int_eq(imap_parse_date_time("17-Jul-1996 02:44:25 07000", 26, &t), -1);
	ck_assert_int_eq(imap_parse_date_time("", 0, &t), -1);
}
END_TEST

static Suite *imap_parse_suite(void)
{
	Suite *s = suite_create("imap_parse");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reader_cuts_responses_and_reads_literals_exactly);
	tcase_add_test(tc, reader_empty_literal_and_several_literals);
	tcase_add_test(tc, reader_limits);
	tcase_add_test(tc, reader_error_is_sticky);
	tcase_add_test(tc, status_responses);
	tcase_add_test(tc, continuations);
	tcase_add_test(tc, values);
	tcase_add_test(tc, bad_syntax);
	tcase_add_test(tc, depth_and_count_limits);
	tcase_add_test(tc, capability_dovecot_after_login);
	tcase_add_test(tc, list_responses);
	tcase_add_test(tc, status_response);
	tcase_add_test(tc, select_dovecot);
	tcase_add_test(tc, fetch_dovecot_envelope_and_bodystructure);
	tcase_add_test(tc, fetch_dovecot_sections);
	tcase_add_test(tc, fetch_rfc3501_examples);
	tcase_add_test(tc, bodystructure_nesting_and_extensions);
	tcase_add_test(tc, bodystructure_bad);
	tcase_add_test(tc, search_sort_esearch);
	tcase_add_test(tc, sequence_sets);
	tcase_add_test(tc, date_times);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(imap_parse_suite)
