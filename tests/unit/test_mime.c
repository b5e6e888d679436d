/* Unit tests: the message view's display plan (cgi/mime.c, mime_part.c)
 * on BODYSTRUCTUREs as Dovecot 2.3 writes them (extension data, NILs and
 * all), parsed by the real parser: mixed with attachments, alternative,
 * alternative holding related with a cid: image, an Outlook invitation,
 * nested messages, and broken or unknown structures. Each plan is written
 * out as one line and compared whole. */
#include "config.h"

#include "check_main.h"
#include "buf.h"
#include "mime.h"
#include "mime_fixture.h"

static struct arena *arena;

static void setup(void)
{
	arena = arena_new(8u << 20);
}

static void teardown(void)
{
	arena_free(arena);
}

static const char *const kinds[] = { "plain", "html", "image", "message" };

/* "plain:1 message:2{html:2.2} att:3=report.pdf,application/pdf,29232" */
static void describe(struct buf *out, const struct mime_plan *p)
{
	const struct mime_item *it;
	const struct mime_attachment *at;
	size_t n = 0;

	for (it = p->items; it; it = it->next, n++) {
		buf_printf(out, "%s%s:%s", n ? " " : "", kinds[it->kind], it->part->section);
		if (it->kind == MIME_MESSAGE) {
			buf_addc(out, '{');
			if (it->inner)
				describe(out, it->inner);
			buf_addc(out, '}');
		}
	}
	ck_assert_uint_eq(n, p->nitems);
	for (at = p->attachments; at; at = at->next, n++)
		buf_printf(out, "%satt:%s=%s,%s,%llu%s", n ? " " : "", at->part->section, at->filename, at->type,
		           (unsigned long long)at->size, at->is_image ? ",image" : "");
	ck_assert_uint_eq(n, p->nitems + p->nattachments);
}

static const char *plan_of(const struct imap_body *b, unsigned opts)
{
	struct mime_plan *p;
	struct buf out = BUF_INIT;
	const char *r;

	ck_assert_int_eq(mime_plan(arena, b, opts, &p), 0);
	describe(&out, p);
	r = arena_strdup(arena, out.p ? out.p : "");
	buf_free(&out);
	return r;
}

static const char *plan(const char *text)
{
	return plan_of(bodystructure(arena, text), 0);
}

/* Parts as Dovecot writes them. */
#define PLAIN(cs, enc, size, lines) \
	"(\"text\" \"plain\" (\"charset\" \"" cs "\") NIL NIL \"" enc "\" " #size " " #lines " NIL NIL NIL NIL)"
#define HTML(size, lines) \
	"(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" " #size " " #lines \
	" NIL NIL NIL NIL)"
#define PDF(name, size) \
	"(\"application\" \"pdf\" (\"name\" \"" name "\") NIL NIL \"base64\" " #size \
	" NIL (\"attachment\" (\"filename\" \"" name "\")) NIL NIL)"
#define MULTIP(parts, sub, params) parts " \"" sub "\" (" params ") NIL NIL NIL"
#define MULTI(parts, sub, boundary) MULTIP(parts, sub, "\"boundary\" \"" boundary "\"")

START_TEST(mixed_with_attachment)
{
	ck_assert_str_eq(plan("(" MULTI(PLAIN("utf-8", "quoted-printable", 120, 4) PDF("report.pdf", 40000),
	                                "mixed", "b1") ")"),
	                 "plain:1 att:2=report.pdf,application/pdf,29232");
	/* Text parts in order, an inline image shown, one without a
	 * disposition listed, a text file sent as an attachment listed. */
	ck_assert_str_eq(plan("(" MULTI(PLAIN("utf-8", "7bit", 10, 1)
	                                "(\"image\" \"jpeg\" (\"name\" \"foto.jpg\") NIL NIL \"base64\" 8 NIL "
	                                "(\"inline\" (\"filename\" \"foto.jpg\")) NIL NIL)"
	                                "(\"image\" \"png\" (\"name\" \"bild.png\") NIL NIL \"base64\" 4 NIL NIL NIL NIL)"
	                                "(\"text\" \"plain\" (\"charset\" \"utf-8\" \"name\" \"notes.txt\") NIL NIL \"7bit\" 9 1 "
	                                "NIL (\"attachment\" (\"filename\" \"notes.txt\")) NIL NIL)"
	                                HTML(20, 1), "mixed", "b1") ")"),
	                 "plain:1 image:2 html:5 att:3=bild.png,image/png,3,image att:4=notes.txt,text/plain,9");
	/* An inline SVG is no image to show: an attachment. */
	ck_assert_str_eq(plan("(" MULTI(PLAIN("utf-8", "7bit", 10, 1)
	                                "(\"image\" \"svg+xml\" NIL NIL NIL \"base64\" 100 NIL (\"inline\" NIL) NIL NIL)",
	                                "mixed", "b1") ")"),
	                 "plain:1 att:2=part-2.svg,image/svg+xml,73");
}
END_TEST

START_TEST(alternative)
{
	const char *alt = "(" MULTI(PLAIN("utf-8", "quoted-printable", 300, 10) HTML(900, 20), "alternative", "b2") ")";
	struct imap_body *b = bodystructure(arena, alt);

	ck_assert_str_eq(plan_of(b, 0), "html:2");
	ck_assert_str_eq(plan_of(b, MIME_PREFER_PLAIN), "plain:1");
	/* Only one kind there: it is shown whatever is preferred. */
	b = bodystructure(arena, "(" MULTI(HTML(900, 20), "alternative", "b2") ")");
	ck_assert_str_eq(plan_of(b, MIME_PREFER_PLAIN), "html:1");
	/* The last of a kind is the best (RFC 2046 §5.1.4). */
	ck_assert_str_eq(plan("(" MULTI(HTML(1, 1) PLAIN("utf-8", "7bit", 1, 1) HTML(2, 1), "alternative", "b") ")"),
	                 "html:3");
	/* An Outlook invitation: the calendar stays reachable. */
	ck_assert_str_eq(plan("(" MULTI(PLAIN("utf-8", "7bit", 1, 1) HTML(2, 1)
	                                "(\"text\" \"calendar\" (\"charset\" \"utf-8\" \"method\" \"REQUEST\" \"name\" "
	                                "\"invite.ics\") NIL NIL \"base64\" 1000 14 NIL NIL NIL NIL)",
	                                "alternative", "b") ")"),
	                 "html:2 att:3=invite.ics,text/calendar,732");
	/* Nothing to show: every part is an attachment. */
	ck_assert_str_eq(plan("(" MULTI("(\"application\" \"ics\" NIL NIL NIL \"base64\" 8 NIL NIL NIL NIL)"
	                                "(\"application\" \"octet-stream\" NIL NIL NIL \"base64\" 8 NIL NIL NIL NIL)",
	                                "alternative", "b") ")"),
	                 "att:1=part-1.ics,application/ics,6 att:2=part-2.bin,application/octet-stream,6");
}
END_TEST

/* mixed( alternative( plain, related( html, png cid:logo ) ), pdf ): what
 * Apple Mail and Thunderbird send for HTML mail with an embedded logo. */
static const char *const newsletter =
	"(" MULTI("(" MULTI(PLAIN("utf-8", "quoted-printable", 300, 10)
	                    "(" MULTI(HTML(2000, 40)
	                              "(\"image\" \"png\" (\"name\" \"logo.png\") \"<logo.3f2a@emak.se>\" NIL \"base64\" "
	                              "4000 NIL (\"inline\" (\"filename\" \"logo.png\")) NIL NIL)",
	                              "related", "b3") ")",
	                    "alternative", "b2") ")"
	          PDF("Arsrapport.pdf", 40000),
	          "mixed", "b1") ")";

START_TEST(alternative_with_related)
{
	struct imap_body *b = bodystructure(arena, newsletter);

	ck_assert_str_eq(plan_of(b, 0), "html:1.2.1 att:2=Arsrapport.pdf,application/pdf,29232");
	ck_assert_str_eq(plan_of(b, MIME_PREFER_PLAIN), "plain:1.1 att:2=Arsrapport.pdf,application/pdf,29232");
	ck_assert_str_eq(mime_cid_part(b, "logo.3f2a@emak.se")->section, "1.2.2");
	ck_assert_str_eq(mime_cid_part(b, "<logo.3f2a@emak.se>")->section, "1.2.2");
	ck_assert_str_eq(mime_cid_part(b, "logo.3f2a%40emak.se")->section, "1.2.2");
	ck_assert_str_eq(mime_cid_part(b, " <logo.3f2a%40emak.se> ")->section, "1.2.2");
	ck_assert_ptr_null(mime_cid_part(b, "logo.3f2a"));
	ck_assert_ptr_null(mime_cid_part(b, "LOGO.3F2A@EMAK.SE"));
	ck_assert_ptr_null(mime_cid_part(b, ""));
	ck_assert_ptr_null(mime_cid_part(b, "<>"));
	ck_assert_ptr_null(mime_cid_part(NULL, "x"));
}
END_TEST

START_TEST(related)
{
	/* "start" names the root, wherever it is. */
	ck_assert_str_eq(plan("(" MULTIP("(\"image\" \"gif\" NIL \"<a@x>\" NIL \"base64\" 40 NIL NIL NIL NIL)"
	                                 "(\"text\" \"html\" NIL \"<root@x>\" NIL \"7bit\" 10 1 NIL NIL NIL NIL)",
	                                 "related", "\"boundary\" \"b\" \"start\" \"<root@x>\" \"type\" \"text/html\"") ")"),
	                 "html:2");
	/* No HTML to place them: the images are shown after the text, other
	 * parts are attachments, an image without Content-ID is shown too. */
	ck_assert_str_eq(plan("(" MULTI(PLAIN("utf-8", "7bit", 1, 1)
	                                "(\"image\" \"gif\" NIL \"<a@x>\" NIL \"base64\" 40 NIL NIL NIL NIL)"
	                                "(\"image\" \"webp\" NIL NIL NIL \"base64\" 40 NIL NIL NIL NIL)"
	                                "(\"application\" \"pdf\" NIL \"<p@x>\" NIL \"base64\" 40 NIL NIL NIL NIL)",
	                                "related", "b") ")"),
	                 "plain:1 image:2 image:3 att:4=part-4.pdf,application/pdf,30");
	/* With HTML: images with a Content-ID are for it, the rest listed. */
	ck_assert_str_eq(plan("(" MULTI(HTML(1, 1)
	                                "(\"image\" \"gif\" NIL \"<a@x>\" NIL \"base64\" 40 NIL NIL NIL NIL)"
	                                "(\"image\" \"webp\" NIL NIL NIL \"base64\" 40 NIL NIL NIL NIL)"
	                                "(\"application\" \"pdf\" NIL \"<p@x>\" NIL \"base64\" 40 NIL NIL NIL NIL)",
	                                "related", "b") ")"),
	                 "html:1 att:3=part-3.webp,image/webp,30,image att:4=part-4.pdf,application/pdf,30");
	/* An alternative judges a related part by its root, not its first part. */
	ck_assert_str_eq(plan("(" MULTI(PLAIN("utf-8", "7bit", 1, 1)
	                                "(" MULTIP("(\"image\" \"gif\" NIL \"<a@x>\" NIL \"base64\" 40 NIL NIL NIL NIL)"
	                                           "(\"text\" \"html\" NIL \"<root@x>\" NIL \"7bit\" 10 1 NIL NIL NIL NIL)",
	                                           "related", "\"start\" \"<root@x>\"") ")",
	                                "alternative", "b") ")"),
	                 "html:2.2");
	/* A "start" that names nothing: the first part is the root. */
	ck_assert_str_eq(plan("(" MULTIP(HTML(1, 1) PLAIN("utf-8", "7bit", 1, 1), "related", "\"start\" \"<none@x>\"") ")"),
	                 "html:1 plain:2");
}
END_TEST

/* An envelope as Dovecot writes it. */
#define ENVELOPE(subject) \
	"(\"Mon, 04 May 2026 10:00:00 +0200\" " subject " ((\"Styrelsen\" NIL \"styrelsen\" \"emak.se\")) " \
	"((\"Styrelsen\" NIL \"styrelsen\" \"emak.se\")) ((\"Styrelsen\" NIL \"styrelsen\" \"emak.se\")) " \
	"((NIL NIL \"lars.jonsson\" \"emak.se\")) NIL NIL NIL \"<1@emak.se>\")"

START_TEST(nested_message)
{
	struct imap_body *b = bodystructure(arena, "(" MULTI(
		PLAIN("us-ascii", "7bit", 50, 2)
		"(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5000 "
		ENVELOPE("\"=?UTF-8?Q?Fr=C3=A5n_styrelsen?=\"")
		" (" MULTI("(" MULTI(PLAIN("iso-8859-1", "quoted-printable", 100, 3) HTML(300, 6), "alternative", "i2") ")"
		           PDF("protokoll.pdf", 4000), "mixed", "i1") ")"
		" 80 NIL (\"attachment\" NIL) NIL NIL)"
		"(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 500 " ENVELOPE("NIL")
		" " PLAIN("utf-8", "8bit", 20, 1) " 4 NIL NIL NIL NIL)",
		"mixed", "b1") ")");
	struct mime_plan *p;

	ck_assert_str_eq(plan_of(b, 0),
	                 "plain:1 message:2{html:2.1.2 att:2.2=protokoll.pdf,application/pdf,2923} "
	                 "message:3{plain:3.1} att:2=Fr\xc3\xa5n styrelsen.eml,message/rfc822,5000");
	ck_assert_str_eq(plan_of(b, MIME_PREFER_PLAIN),
	                 "plain:1 message:2{plain:2.1.1 att:2.2=protokoll.pdf,application/pdf,2923} "
	                 "message:3{plain:3.1} att:2=Fr\xc3\xa5n styrelsen.eml,message/rfc822,5000");
	ck_assert_int_eq(mime_plan(arena, b, 0, &p), 0);
	ck_assert_str_eq(p->items->next->env->from->mailbox, "styrelsen");
	ck_assert_str_eq(p->items->next->env->subject, "=?UTF-8?Q?Fr=C3=A5n_styrelsen?=");
	/* Without a subject, a forwarded message gets a made-up name. */
	ck_assert_str_eq(mime_filename(arena, b->parts->next->next), "part-3.eml");
}
END_TEST

START_TEST(message_depth)
{
	const char *inner = PLAIN("utf-8", "7bit", 1, 1);
	int i;

	/* Each level a message/rfc822 around the one inside it. */
	for (i = 0; i < MIME_MESSAGE_DEPTH + 1; i++)
		inner = arena_printf(arena, "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 10 %s %s 1 NIL NIL NIL NIL)",
		                     ENVELOPE("\"Fwd\""), inner);
	/* MIME_MESSAGE_DEPTH (4) messages in messages are planned, the fifth
	 * is only listed. */
	ck_assert_str_eq(plan(inner),
	                 "message:1{message:1.1{message:1.1.1{message:1.1.1.1{"
	                 "att:1.1.1.1.1=Fwd.eml,message/rfc822,10}}}}");
}
END_TEST

START_TEST(single_parts)
{
	ck_assert_str_eq(plan(PLAIN("utf-8", "7bit", 10, 1)), "plain:1");
	ck_assert_str_eq(plan(HTML(10, 1)), "html:1");
	ck_assert_str_eq(plan("(\"application\" \"pdf\" NIL NIL NIL \"base64\" 5 NIL NIL NIL NIL)"),
	                 "att:1=part-1.pdf,application/pdf,3");
	/* text/plain sent as an attachment is one. */
	ck_assert_str_eq(plan("(\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1 NIL (\"attachment\" NIL) NIL NIL)"),
	                 "att:1=part-1.txt,text/plain,10");
}
END_TEST

START_TEST(broken_and_unknown)
{
	/* NIL everywhere NIL may be, no extension data at all. */
	ck_assert_str_eq(plan("(\"application\" \"octet-stream\" NIL NIL NIL NIL 0)"),
	                 "att:1=part-1.bin,application/octet-stream,0");
	ck_assert_str_eq(plan("((\"text\" \"plain\" NIL NIL NIL NIL 3 1)(\"x-unknown\" \"thing\" NIL NIL NIL "
	                      "\"x-uuencode\" 7) \"mixed\")"),
	                 "plain:1 att:2=part-2.bin,x-unknown/thing,7");
	/* Unknown multipart subtypes are read as mixed: a delivery report. */
	ck_assert_str_eq(plan("(" MULTIP(PLAIN("us-ascii", "7bit", 500, 12)
	                                 "(\"message\" \"delivery-status\" NIL NIL NIL \"7bit\" 300 NIL NIL NIL NIL)"
	                                 "(\"text\" \"rfc822-headers\" NIL NIL NIL \"7bit\" 800 20 NIL NIL NIL NIL)",
	                                 "report", "\"report-type\" \"delivery-status\" \"boundary\" \"b\"") ")"),
	                 "plain:1 att:2=part-2.txt,message/delivery-status,300 att:3=part-3.txt,text/rfc822-headers,800");
	ck_assert_str_eq(plan("(" MULTI(HTML(1, 1) PLAIN("utf-8", "7bit", 1, 1), "x-weird", "b") ")"),
	                 "html:1 plain:2");
	/* Signed: the content and the signature as an attachment. */
	ck_assert_str_eq(plan("(" MULTI(PLAIN("utf-8", "7bit", 1, 1)
	                                "(\"application\" \"pgp-signature\" (\"name\" \"signature.asc\") NIL NIL "
	                                "\"7bit\" 488 NIL (\"attachment\" (\"filename\" \"signature.asc\")) NIL NIL)",
	                                "signed", "b") ")"),
	                 "plain:1 att:2=signature.asc,application/pgp-signature,488");
	/* A type that is not tokens is listed as octet-stream. */
	ck_assert_str_eq(plan("(\"text\" \"plain; charset=x\" NIL NIL NIL \"7bit\" 1 1)"),
	                 "att:1=part-1.bin,application/octet-stream,1");
	/* A message/rfc822 part without the envelope and body a server owes. */
	ck_assert_str_eq(plan("(\"message\" \"rfc822\" (\"name\" \"fwd.eml\") NIL NIL \"7bit\" 9)"),
	                 "att:1=fwd.eml,message/rfc822,9");
	/* Deep multipart nesting is followed. */
	ck_assert_str_eq(plan("(((((((((" PLAIN("utf-8", "7bit", 1, 1) " \"mixed\") \"mixed\") \"mixed\") \"mixed\") "
	                      "\"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\")"),
	                 "plain:1.1.1.1.1.1.1.1.1");
}
END_TEST

START_TEST(filenames)
{
	/* RFC 2231 pieces in the disposition, as a non-Dovecot server passes
	 * them on; the Content-Type name is only a fallback. */
	ck_assert_str_eq(plan("(\"application\" \"pdf\" (\"name\" \"fallback.pdf\") NIL NIL \"base64\" 400 NIL "
	                      "(\"attachment\" (\"filename*0*\" \"utf-8''%C3%85rsrapport%20%E2%80\" "
	                      "\"filename*1*\" \"%93%202026.pdf\")) NIL NIL)"),
	                 "att:1=\xc3\x85rsrapport \xe2\x80\x93 2026.pdf,application/pdf,292");
	/* RFC 2047 in name=, without a disposition. */
	ck_assert_str_eq(plan("(\"application\" \"pdf\" (\"name\" \"=?ISO-8859-1?Q?=C5rsrapport.pdf?=\") NIL NIL "
	                      "\"base64\" 4 NIL NIL NIL NIL)"),
	                 "att:1=\xc3\x85rsrapport.pdf,application/pdf,3");
	/* Paths: the last part. Blank or empty names: made up. */
	ck_assert_str_eq(plan("(\"application\" \"msword\" (\"name\" \"C:\\\\Users\\\\lars\\\\brev.doc\") NIL NIL "
	                      "\"base64\" 4 NIL NIL NIL NIL)"),
	                 "att:1=brev.doc,application/msword,3");
	ck_assert_str_eq(plan("(\"application\" \"zip\" (\"name\" \"../../etc/ \") NIL NIL \"base64\" 4 NIL "
	                      "(\"attachment\" (\"filename\" \"  \")) NIL NIL)"),
	                 "att:1=part-1.zip,application/zip,3");
	ck_assert_str_eq(plan("(\"image\" \"jpeg\" NIL NIL NIL \"base64\" 4 NIL (\"attachment\" (\"filename\" \"\")) "
	                      "NIL NIL)"),
	                 "att:1=part-1.jpg,image/jpeg,3,image");
	/* Characters that reorder or hide text are not shown. */
	ck_assert_str_eq(plan("(\"application\" \"octet-stream\" NIL NIL NIL \"base64\" 4 NIL (\"attachment\" "
	                      "(\"filename*\" \"utf-8''%E2%80%8F invoice%E2%80%AEfdp.exe%E2%81%A9 \")) NIL NIL)"),
	                 "att:1=invoicefdp.exe,application/octet-stream,3");
	/* Sizes: base64 is 3/4 less a CRLF every 78 bytes, other encodings as
	 * they are. */
	ck_assert_str_eq(plan("(\"application\" \"zip\" NIL NIL NIL \"base64\" 7 NIL NIL NIL NIL)"),
	                 "att:1=part-1.zip,application/zip,5");
	ck_assert_str_eq(plan("(\"application\" \"zip\" NIL NIL NIL \"BASE64\" 18446744073709551615 NIL NIL NIL NIL)"),
	                 "att:1=part-1.zip,application/zip,13480312976941595411");
	ck_assert_str_eq(plan("(\"application\" \"zip\" NIL NIL NIL \"quoted-printable\" 7 NIL NIL NIL NIL)"),
	                 "att:1=part-1.zip,application/zip,7");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mime");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mixed_with_attachment);
	tcase_add_test(tc, alternative);
	tcase_add_test(tc, alternative_with_related);
	tcase_add_test(tc, related);
	tcase_add_test(tc, nested_message);
	tcase_add_test(tc, message_depth);
	tcase_add_test(tc, single_parts);
	tcase_add_test(tc, broken_and_unknown);
	tcase_add_test(tc, filenames);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
