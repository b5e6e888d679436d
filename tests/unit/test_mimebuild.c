/* Unit tests: the message we send (cgi/mimebuild.c, mb_body.c, encode.c)
 * byte for byte, each header injection attempt refused with its field, and
 * the reply helpers (mb_reply.c). Python's email package reads what we
 * build in tests/integration/mimebuild.sh. */
#include "config.h"

#include "check_main.h"
#include "arena.h"
#include "buf.h"
#include "decode.h"
#include "encode.h"
#include "mimebuild.h"

#include <stdlib.h>
#include <string.h>

static struct arena *arena;

static void setup(void)
{
	arena = arena_new(64u << 20);
	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
}

static void teardown(void)
{
	arena_free(arena);
}

static struct addrlist list(const char *s)
{
	struct addrlist l;
	struct addrlist_error e;

	ck_assert_int_eq(addrlist_parse(arena, s, strlen(s), 0, &l, &e), 0);
	return l;
}

/* A message with what every test needs: From, To, a fixed date and id. */
static struct mb_msg msg(void)
{
	struct mb_msg m;

	memset(&m, 0, sizeof(m));
	m.from = list("Lars Jonsson <lars@emak.se>").v[0];
	m.to = list("\xc3\x85sa Lindstr\xc3\xb6m <asa@emak.se>");
	m.date = 1700000000;
	m.message_id = "<fixed@emak.se>";
	return m;
}

static const char *build_ok(const struct mb_msg *m, struct mb_result *res)
{
	struct buf out = BUF_INIT;
	struct mb_err e;
	char *r;

	ck_assert_msg(mb_build(arena, m, &out, res, &e) == 0, "refused: %s %s %zu", mb_err_name(e.code),
	              e.field, e.index);
	r = arena_strndup(arena, out.p, out.len);
	buf_free(&out);
	return r;
}

static struct mb_err build_err(const struct mb_msg *m)
{
	struct buf out = BUF_INIT;
	struct mb_result res;
	struct mb_err e;

	ck_assert_int_eq(mb_build(arena, m, &out, &res, &e), -1);
	ck_assert_uint_eq(out.len, 0);           /* nothing written */
	buf_free(&out);
	return e;
}

/* The message with its random boundary as "BOUNDARY". */
static const char *unrandom(const char *s)
{
	const char *b = strstr(s, "boundary=\"");
	char bnd[64], *r = arena_strdup(arena, s), *p;
	size_t n;

	if (!b)
		return s;
	b += 10;
	n = strcspn(b, "\"");
	ck_assert_uint_lt(n, sizeof(bnd));
	memcpy(bnd, b, n);
	bnd[n] = 0;
	while ((p = strstr(r, bnd)))
		r = arena_printf(arena, "%.*sBOUNDARY%s", (int)(p - r), r, p + n);
	return r;
}

START_TEST(simple_message_exact)
{
	struct mb_msg m = msg();
	struct mb_result res;
	const char *out;

	m.cc = list("Team: a@x.se, b@y.se;");
	m.bcc = list("hidden@emak.se, asa@emak.se");
	m.subject = "Hej";
	m.body = "Hej \xc3\x85sa!\n\nMvh\nLars\n";
	m.body_len = strlen(m.body);
	m.in_reply_to = "<parent@x.se>";
	m.references = "<root@x.se> <parent@x.se>";
	m.user_agent = "qmailadmin-ng";
	out = build_ok(&m, &res);
	ck_assert_str_eq(out, "Date: Tue, 14 Nov 2023 23:13:20 +0100\r\n"
	                      "From: Lars Jonsson <lars@emak.se>\r\n"
	                      "To: =?UTF-8?Q?=C3=85sa_Lindstr=C3=B6m?= <asa@emak.se>\r\n"
	                      "Cc: Team: a@x.se, b@y.se;\r\n"
	                      "Subject: Hej\r\n"
	                      "Message-ID: <fixed@emak.se>\r\n"
	                      "In-Reply-To: <parent@x.se>\r\n"
	                      "References: <root@x.se> <parent@x.se>\r\n"
	                      "User-Agent: qmailadmin-ng\r\n"
	                      "MIME-Version: 1.0\r\n"
	                      "Content-Type: text/plain; charset=utf-8\r\n"
	                      "Content-Transfer-Encoding: 8bit\r\n"
	                      "\r\n"
	                      "Hej \xc3\x85sa!\r\n\r\nMvh\r\nLars\r\n");
	ck_assert_uint_eq(res.nrcpts, 4);
	ck_assert_str_eq(res.rcpts[0], "asa@emak.se");
	ck_assert_str_eq(res.rcpts[1], "a@x.se");
	ck_assert_str_eq(res.rcpts[2], "b@y.se");
	ck_assert_str_eq(res.rcpts[3], "hidden@emak.se");
	ck_assert_str_eq(res.message_id, "<fixed@emak.se>");
	ck_assert_ptr_null(strstr(out, "hidden"));
	/* A draft keeps Bcc. */
	m.flags = MB_DRAFT;
	out = build_ok(&m, &res);
	ck_assert_ptr_nonnull(strstr(out, "\r\nBcc: hidden@emak.se, asa@emak.se\r\n"));
}
END_TEST

START_TEST(date_and_message_id)
{
	struct mb_msg m = msg();
	struct mb_result res;
	const char *out;

	m.date = 1717243200;       /* summer time */
	m.message_id = NULL;
	m.from = list("info@r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se").v[0];
	out = build_ok(&m, &res);
	ck_assert_ptr_nonnull(strstr(out, "Date: Sat, 1 Jun 2024 14:00:00 +0200\r\n"));
	ck_assert_uint_eq(strlen(res.message_id), 1 + 32 + 1 + strlen("xn--rksmrgs-5wao1o.se") + 1);
	ck_assert_str_eq(res.message_id + 33, "@xn--rksmrgs-5wao1o.se>");
	ck_assert_ptr_nonnull(strstr(out, arena_printf(arena, "\r\nMessage-ID: %s\r\n", res.message_id)));
	ck_assert_str_ne(build_ok(&m, &res), out);   /* a new id each time */
	setenv("TZ", "UTC", 1);
	tzset();
	m.date = 1700000000;
	ck_assert_ptr_nonnull(strstr(build_ok(&m, &res), "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"));
}
END_TEST

START_TEST(subjects)
{
	struct mb_msg m = msg();
	struct mb_result res;

	m.subject = "Re: M\xc3\xb6tet p\xc3\xa5 fredag";
	ck_assert_ptr_nonnull(strstr(build_ok(&m, &res), "\r\nSubject: =?UTF-8?Q?Re=3A_M=C3=B6tet_p=C3=A5_fredag?=\r\n"));
	m.subject = "An ASCII subject that is long enough to be folded at a space between two words";
	ck_assert_ptr_nonnull(strstr(build_ok(&m, &res), "\r\nSubject: An ASCII subject that is long enough to be "
	                                                  "folded at a space between\r\n two words\r\n"));
	m.subject = "two  spaces";        /* kept: encoded-words carry them */
	ck_assert_ptr_nonnull(strstr(build_ok(&m, &res), "\r\nSubject: =?UTF-8?Q?two__spaces?=\r\n"));
	m.subject = "=?UTF-8?Q?not_a_word?=";
	ck_assert_ptr_nonnull(strstr(build_ok(&m, &res), "\r\nSubject: =?UTF-8?Q?=3D=3FUTF-8=3FQ=3Fnot=5Fa=5Fword=3F=3D?=\r\n"));
	m.subject = "";
	ck_assert_ptr_null(strstr(build_ok(&m, &res), "Subject"));
	/* Long Swedish: encoded-words of at most 75, lines within 78, cut
	 * between characters. */
	m.subject = "R\xc3\xa4ksm\xc3\xb6rg\xc3\xa5sar \xc3\xa5t alla p\xc3\xa5 \xc3\xa5rsm\xc3\xb6tet i "
	            "\xc3\x96sterg\xc3\xb6tland, och kaffe med v\xc3\xa4lling f\xc3\xb6r de som vill";
	ck_assert_ptr_nonnull(strstr(build_ok(&m, &res),
	                             "\r\nSubject: =?UTF-8?Q?R=C3=A4ksm=C3=B6rg=C3=A5sar_=C3=A5t_alla_p=C3=A5_=C3=A5rs?=\r\n"
	                             " =?UTF-8?Q?m=C3=B6tet_i_=C3=96sterg=C3=B6tland=2C_och_kaffe_med_v=C3=A4lli?=\r\n"
	                             " =?UTF-8?Q?ng_f=C3=B6r_de_som_vill?=\r\n"));
}
END_TEST

static const char *body_of(const char *text, unsigned flags)
{
	struct mb_msg m = msg();
	struct mb_result res;
	const char *out;

	m.body = text;
	m.body_len = strlen(text);
	m.flags = flags;
	out = build_ok(&m, &res);
	return strstr(out, "Content-Type: text/plain");
}

START_TEST(body_encodings)
{
	char *long_line = arena_alloc(arena, 1200), *p;
	const char *b;
	size_t i;

	ck_assert_str_eq(body_of("plain ascii\n", 0), "Content-Type: text/plain; charset=utf-8\r\n"
	                                              "Content-Transfer-Encoding: 7bit\r\n\r\nplain ascii\r\n");
	ck_assert_str_eq(body_of("CRLF\r\nand LF\nno end", 0), "Content-Type: text/plain; charset=utf-8\r\n"
	                                                      "Content-Transfer-Encoding: 7bit\r\n\r\nCRLF\r\nand LF\r\nno end\r\n");
	ck_assert_str_eq(body_of("", 0), "Content-Type: text/plain; charset=utf-8\r\n"
	                                 "Content-Transfer-Encoding: 7bit\r\n\r\n");
	ck_assert_str_eq(body_of("bell\x07, tab\there, = and a trailing space \n.dot\nFrom me\n", 0),
	                 "Content-Type: text/plain; charset=utf-8\r\n"
	                 "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	                 "bell=07, tab\there, =3D and a trailing space=20\r\n=2Edot\r\n=46rom me\r\n");
	/* A line of 1,100 bytes goes quoted-printable, in lines within 76. */
	for (i = 0; i < 1098; i += 9)
		memcpy(long_line + i, "\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5 ", 9);
	strcpy(long_line + 1098, "xx\n");
	b = body_of(long_line, 0);
	ck_assert_ptr_nonnull(strstr(b, "Content-Transfer-Encoding: quoted-printable\r\n"));
	for (p = strstr(b, "\r\n\r\n") + 4; *p; p = strstr(p, "\r\n") + 2)
		ck_assert_uint_le(strcspn(p, "\r"), 76);
	{   /* ... and decodes back. */
		const char *enc = strstr(b, "\r\n\r\n") + 4;
		unsigned char *dec = arena_alloc(arena, strlen(enc) + 1);
		size_t n = qp_decode(enc, strlen(enc), dec, NULL);

		ck_assert_uint_eq(n, 1102);
		ck_assert_int_eq(memcmp(dec, long_line, 1100), 0);
		ck_assert_int_eq(memcmp(dec + 1100, "\r\n", 2), 0);
	}
}
END_TEST

START_TEST(format_flowed)
{
	ck_assert_str_eq(
	        body_of("Det h\xc3\xa4r \xc3\xa4r ett stycke som \xc3\xa4r l\xc3\xa4ngre \xc3\xa4n sjuttiosex tecken "
	                "och som d\xc3\xa4rf\xc3\xb6r bryts mjukt.   \n"
	                "> > citerad rad som ocks\xc3\xa5 \xc3\xa4r l\xc3\xa5ng nog att brytas n\xc3\xa4r den skickas "
	                "som flowed\n>\n From x\n-- \nLars\n",
	                MB_FLOWED),
	        "Content-Type: text/plain; charset=utf-8; format=flowed\r\n"
	        "Content-Transfer-Encoding: 8bit\r\n\r\n"
	        "Det h\xc3\xa4r \xc3\xa4r ett stycke som \xc3\xa4r l\xc3\xa4ngre \xc3\xa4n sjuttiosex tecken och som \r\n"
	        "d\xc3\xa4rf\xc3\xb6r bryts mjukt.\r\n"
	        /* "> >" is one level, its text "> citerad ...", as a flowed reader sees it */
	        "> > citerad rad som ocks\xc3\xa5 \xc3\xa4r l\xc3\xa5ng nog att brytas n\xc3\xa4r den skickas som \r\n"
	        "> flowed\r\n"
	        ">\r\n"
	        "  From x\r\n"
	        "-- \r\n"
	        "Lars\r\n");
}
END_TEST

START_TEST(attachments_exact)
{
	static const unsigned char bytes[] = { 0, 1, 2, 0xfe, 0xff, '\r', '\n', '-', '-' };
	struct mb_attachment att[3] = {
		{ "\xc3\x85rsrapport.pdf", "Application/PDF", (const char *)bytes, sizeof(bytes), NULL },
		{ "C:\\fakepath\\notes.txt", "not a type", "x", 1, NULL },
		{ "fwd.eml", "message/rfc822", "Subject: x\n\nbody\n", 17, NULL },
	};
	struct mb_msg m = msg();
	struct mb_result res;

	m.body = "Se bilagan.\n";
	m.body_len = strlen(m.body);
	m.att = att;
	m.natt = 3;
	ck_assert_str_eq(strstr(unrandom(build_ok(&m, &res)), "MIME-Version"),
	                 "MIME-Version: 1.0\r\n"
	                 "Content-Type: multipart/mixed;\r\n boundary=\"BOUNDARY\"\r\n"
	                 "\r\n"
	                 "--BOUNDARY\r\n"
	                 "Content-Type: text/plain; charset=utf-8\r\n"
	                 "Content-Transfer-Encoding: 7bit\r\n"
	                 "\r\n"
	                 "Se bilagan.\r\n"
	                 "\r\n--BOUNDARY\r\n"
	                 "Content-Type: application/pdf\r\n"
	                 "Content-Transfer-Encoding: base64\r\n"
	                 "Content-Disposition: attachment;\r\n"
	                 " filename*=UTF-8''%C3%85rsrapport.pdf;\r\n"
	                 " filename=\"_rsrapport.pdf\"\r\n"
	                 "\r\n"
	                 "AAEC/v8NCi0t\r\n"
	                 "\r\n--BOUNDARY\r\n"
	                 "Content-Type: application/octet-stream\r\n"
	                 "Content-Transfer-Encoding: base64\r\n"
	                 "Content-Disposition: attachment;\r\n"
	                 " filename=\"notes.txt\"\r\n"
	                 "\r\n"
	                 "eA==\r\n"
	                 "\r\n--BOUNDARY\r\n"
	                 "Content-Type: message/rfc822\r\n"
	                 "Content-Transfer-Encoding: 7bit\r\n"
	                 "Content-Disposition: attachment;\r\n"
	                 " filename=\"fwd.eml\"\r\n"
	                 "\r\n"
	                 "Subject: x\r\n\r\nbody\r\n"
	                 "\r\n--BOUNDARY--\r\n");
}
END_TEST

START_TEST(base64_lines)
{
	unsigned char *data = arena_alloc(arena, 256 * 40), *dec;
	struct buf out = BUF_INIT;
	const char *p;
	size_t i, n;

	for (i = 0; i < 256 * 40; i++)
		data[i] = (unsigned char)i;
	encode_base64(&out, data, 256 * 40, ENCODE_LINE);
	for (p = out.p; *p; p = strstr(p, "\r\n") + 2)
		ck_assert_uint_le(strcspn(p, "\r"), 76);
	ck_assert_uint_eq(strcspn(out.p, "\r"), 76);
	dec = arena_alloc(arena, B64_OUT_MAX(out.len));
	n = b64_decode(out.p, out.len, dec, NULL);
	ck_assert_uint_eq(n, 256 * 40);
	ck_assert_int_eq(memcmp(dec, data, n), 0);
	buf_free(&out);
}
END_TEST

START_TEST(long_attachment_name)
{
	struct mb_attachment att = { "M\xc3\xb6tesanteckningar fr\xc3\xa5n styrelsem\xc3\xb6tet i "
	                             "R\xc3\xa4ksm\xc3\xb6rg\xc3\xa5sf\xc3\xb6reningen v\xc3\xa5ren 2024.odt",
	                             "application/vnd.oasis.opendocument.text", "x", 1, NULL };
	struct mb_msg m = msg();
	struct mb_result res;

	m.att = &att;
	m.natt = 1;
	ck_assert_ptr_nonnull(strstr(build_ok(&m, &res),
	                             "Content-Disposition: attachment;\r\n"
	                             " filename*0*=UTF-8''M%C3%B6tesanteckningar%20fr%C3%A5n%20styrelsem%C3%B6tet;\r\n"
	                             " filename*1*=%20i%20R%C3%A4ksm%C3%B6rg%C3%A5sf%C3%B6reningen%20v;\r\n"
	                             " filename*2*=%C3%A5ren%202024.odt;\r\n"
	                             " filename=\"M_tesanteckningar fr_n styrelsem_tet i R_ksm_rg_sf_renin.odt\"\r\n"));
}
END_TEST

#define REFUSED(m, want, fld, idx)                                                      \
	do {                                                                            \
		struct mb_err e_ = build_err(&(m));                                     \
		ck_assert_msg(e_.code == (want), "got %s", mb_err_name(e_.code));       \
		ck_assert_str_eq(e_.field, fld);                                        \
		ck_assert_uint_eq(e_.index, idx);                                       \
	} while (0)

START_TEST(header_injection_refused)
{
	struct mb_attachment att = { "a.pdf", "application/pdf", "x", 1, NULL };
	struct addr evil;
	struct mb_msg m;

	m = msg(), m.subject = "a\r\nBcc: x@y.se";
	REFUSED(m, MB_ERR_CONTROL, "subject", 0);
	m = msg(), m.subject = "a\nb";
	REFUSED(m, MB_ERR_CONTROL, "subject", 0);
	m = msg(), m.subject = "a\rb";
	REFUSED(m, MB_ERR_CONTROL, "subject", 0);
	m = msg(), m.subject = "a\tb";
	REFUSED(m, MB_ERR_CONTROL, "subject", 0);
	m = msg(), m.subject = "a\xc2\x85" "b";         /* C1 NEL */
	REFUSED(m, MB_ERR_CONTROL, "subject", 0);
	m = msg(), m.subject = "a\xe5";
	REFUSED(m, MB_ERR_UTF8, "subject", 0);
	m = msg(), m.from.name = "Lars\nBcc: x@y.se";
	REFUSED(m, MB_ERR_CONTROL, "from", 1);
	m = msg(), m.from.local = "lars\r\nX";
	REFUSED(m, MB_ERR_CONTROL, "from", 1);
	m = msg(), m.from.domain = "emak.se\r\nBcc: x@y.se";
	REFUSED(m, MB_ERR_CONTROL, "from", 1);
	m = msg();
	evil = m.to.v[0];
	evil.name = "\xc3\x85sa\n";
	m.to.v = &evil;
	REFUSED(m, MB_ERR_CONTROL, "to", 1);
	m = msg(), m.cc = list("a@x.se, b@y.se");
	evil = m.cc.v[1], evil.domain = "y.se\nX: 1";
	m.cc.v[1] = evil;
	REFUSED(m, MB_ERR_CONTROL, "cc", 2);
	m = msg(), m.bcc = list("a@x.se");
	m.bcc.v[0].local = "a\rb";
	REFUSED(m, MB_ERR_CONTROL, "bcc", 1);
	m = msg(), m.cc = list("a@x.se");
	m.cc.v[0].group = "Team\r\n";
	REFUSED(m, MB_ERR_CONTROL, "cc", 1);
	m = msg(), m.in_reply_to = "<a@x>\r\nBcc: x@y.se";
	REFUSED(m, MB_ERR_CONTROL, "in_reply_to", 0);
	m = msg(), m.references = "<a@x> <b@y>\nX: y";
	REFUSED(m, MB_ERR_CONTROL, "references", 0);
	m = msg(), m.message_id = "<a@x>\r\n";
	REFUSED(m, MB_ERR_CONTROL, "message_id", 0);
	m = msg(), m.user_agent = "UA\r\nX: y";
	REFUSED(m, MB_ERR_CONTROL, "user_agent", 0);
	m = msg(), att.filename = "a\r.pdf", m.att = &att, m.natt = 1;
	REFUSED(m, MB_ERR_CONTROL, "attachment", 1);
	m = msg(), att.filename = "a.pdf", att.content_type = "text/plain\nX-Evil: 1", m.att = &att, m.natt = 1;
	REFUSED(m, MB_ERR_CONTROL, "attachment", 1);
	att.content_type = "application/pdf";
	m = msg(), att.filename = "a\xff.pdf", m.att = &att, m.natt = 1;
	REFUSED(m, MB_ERR_UTF8, "attachment", 1);
	att.filename = "a.pdf";
}
END_TEST

START_TEST(other_refusals)
{
	struct mb_attachment att = { "a.bin", NULL, NULL, 0, "/nonexistent/file" };
	char *big = arena_alloc(arena, 3000);
	struct mb_msg m;

	m = msg(), m.references = "<a@x> not-an-id";
	REFUSED(m, MB_ERR_INVALID, "references", 0);
	m = msg(), m.in_reply_to = "<a b@x>";
	REFUSED(m, MB_ERR_INVALID, "in_reply_to", 0);
	m = msg(), m.message_id = "<a@x> <b@y>";
	REFUSED(m, MB_ERR_TOO_LONG, "message_id", 0);
	m = msg(), m.user_agent = "\xc3\xa5";
	REFUSED(m, MB_ERR_INVALID, "user_agent", 0);
	m = msg(), m.from.group = "G";
	REFUSED(m, MB_ERR_INVALID, "from", 1);
	m = msg(), m.from.domain = "r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se";  /* not through addrlist_parse */
	REFUSED(m, MB_ERR_INVALID, "from", 1);
	m = msg(), m.body = "\xc3(", m.body_len = 2;
	REFUSED(m, MB_ERR_UTF8, "body", 0);
	m = msg(), m.att = &att, m.natt = 1;
	REFUSED(m, MB_ERR_IO, "attachment", 1);
	memset(big, 'x', 2999);
	m = msg(), m.subject = big;
	REFUSED(m, MB_ERR_TOO_LONG, "subject", 0);
	m = msg(), m.body = big, m.body_len = 2999, m.max_size = 2000;
	REFUSED(m, MB_ERR_TOO_BIG, "body", 0);
	m = msg(), m.body = big, m.body_len = 1900, m.max_size = 2000;
	REFUSED(m, MB_ERR_TOO_BIG, "message", 0);
	ck_assert_str_eq(mb_err_name(MB_ERR_CONTROL), "control");
}
END_TEST

START_TEST(reply_subjects)
{
	static const char *const cases[][3] = {
		{ "Re: ", "Hej", "Re: Hej" },
		{ "Re: ", "Re: Hej", "Re: Hej" },
		{ "Re: ", "RE: re: Hej", "Re: Hej" },
		{ "Re: ", "Sv: SV: Aw: Hej", "Re: Hej" },
		{ "Re: ", "Re[2]: Re(3): Hej", "Re: Hej" },
		{ "Re: ", "Re : Antw: VS: Odp: Hej", "Re: Hej" },
		{ "Re: ", "Fwd: Hej", "Re: Fwd: Hej" },
		{ "Re: ", "Re: Fwd: Re: Hej", "Re: Fwd: Re: Hej" },
		{ "Re: ", "Rekommendation: l\xc3\xa4s", "Re: Rekommendation: l\xc3\xa4s" },
		{ "Re: ", "Resa: Stockholm", "Re: Resa: Stockholm" },
		{ "Re: ", "", "Re:" },
		{ "Re: ", NULL, "Re:" },
		{ "Re: ", "  Re:Hej", "Re: Hej" },
		{ "Fwd: ", "Fwd: FW: VB: WG: Hej", "Fwd: Hej" },
		{ "Fwd: ", "Re: Hej", "Fwd: Re: Hej" },
		{ "Fwd: ", "VS: Hej", "Fwd: Hej" },
		{ "Sv: ", "SV: Re: M\xc3\xb6te", "Sv: M\xc3\xb6te" },
		{ "VB: ", "Fwd: M\xc3\xb6te", "VB: M\xc3\xb6te" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_str_eq(mb_reply_subject(arena, cases[i][0], cases[i][1]), cases[i][2]);
}
END_TEST

START_TEST(references)
{
	struct buf many = BUF_INIT;
	char *r;
	size_t i;

	ck_assert_str_eq(mb_references(arena, "<a@x> <b@y>", NULL, "<c@z>"), "<a@x> <b@y> <c@z>");
	ck_assert_str_eq(mb_references(arena, NULL, "<p@x>", "<c@z>"), "<p@x> <c@z>");
	ck_assert_str_eq(mb_references(arena, NULL, "<p@x> <q@x>", "<c@z>"), "<c@z>");
	ck_assert_str_eq(mb_references(arena, "\r\n <a@x>\r\n\t(comment) <b y> <b@y>", NULL, "<c@z>"),
	                 "<a@x> <b@y> <c@z>");
	ck_assert_str_eq(mb_references(arena, "<a@x> <c@z>", NULL, "<c@z>"), "<a@x> <c@z>");
	ck_assert_str_eq(mb_references(arena, NULL, NULL, "<c@z>"), "<c@z>");
	ck_assert_ptr_null(mb_references(arena, NULL, NULL, "garbage"));
	ck_assert_ptr_null(mb_references(arena, "", "", NULL));
	/* 30 ids: the root and the latest 19. */
	for (i = 0; i < 30; i++)
		buf_printf(&many, "<id%zu@x.se> ", i);
	r = mb_references(arena, many.p, NULL, "<last@x.se>");
	ck_assert_str_eq(r, "<id0@x.se> <id12@x.se> <id13@x.se> <id14@x.se> <id15@x.se> <id16@x.se> "
	                    "<id17@x.se> <id18@x.se> <id19@x.se> <id20@x.se> <id21@x.se> <id22@x.se> "
	                    "<id23@x.se> <id24@x.se> <id25@x.se> <id26@x.se> <id27@x.se> <id28@x.se> "
	                    "<id29@x.se> <last@x.se>");
	buf_free(&many);
	{   /* ... which mb_build takes. */
		struct mb_msg m = msg();
		struct mb_result res;

		m.references = r;
		ck_assert_ptr_nonnull(strstr(build_ok(&m, &res), "\r\nReferences: <id0@x.se> <id12@x.se>"));
	}
}
END_TEST

START_TEST(quote_body)
{
	ck_assert_str_eq(mb_quote_body(arena, "Hej!\r\n\r\n> tidigare\nMvh\n-- \nLars\nemak.se\n",
	                               "Den 14 nov. 2023 23:13 skrev Lars Jonsson:"),
	                 "Den 14 nov. 2023 23:13 skrev Lars Jonsson:\n"
	                 "> Hej!\n"
	                 ">\n"
	                 ">> tidigare\n"
	                 "> Mvh\n");
	ck_assert_str_eq(mb_quote_body(arena, "no end", NULL), "> no end\n");
	ck_assert_str_eq(mb_quote_body(arena, NULL, NULL), "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mimebuild");
	TCase *t = tcase_create("mimebuild");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, simple_message_exact);
	tcase_add_test(t, date_and_message_id);
	tcase_add_test(t, subjects);
	tcase_add_test(t, body_encodings);
	tcase_add_test(t, format_flowed);
	tcase_add_test(t, attachments_exact);
	tcase_add_test(t, base64_lines);
	tcase_add_test(t, long_attachment_name);
	tcase_add_test(t, header_injection_refused);
	tcase_add_test(t, other_refusals);
	tcase_add_test(t, reply_subjects);
	tcase_add_test(t, references);
	tcase_add_test(t, quote_body);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(suite)
