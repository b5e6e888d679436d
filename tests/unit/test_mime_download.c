/* Unit tests: the download headers (cgi/mime_download.c) against what a
 * hostile sender can put in a part's name and type: quotes, CR/LF, paths,
 * controls, bidi overrides, huge names, text/html, SVG, and parameters
 * smuggled into the subtype (a literal can hold CRLF). Every header value
 * is also checked for what would break the header. */
#include "config.h"

#include "check_main.h"
#include "mime.h"
#include "mime_download.h"
#include "mime_fixture.h"
#include "validate.h"

static struct arena *arena;

static void setup(void)
{
	arena = arena_new(8u << 20);
}

static void teardown(void)
{
	arena_free(arena);
}

/* No CR, LF or other control, valid UTF-8 (it is all ASCII in fact), and
 * exactly the two quotes of the fallback. */
static void header_safe(const char *v)
{
	size_t i, quotes = 0;

	for (i = 0; v[i]; i++) {
		ck_assert_msg((unsigned char)v[i] >= 0x20 && (unsigned char)v[i] < 0x7f, "byte %zu of %s", i, v);
		quotes += v[i] == '"';
	}
	ck_assert_uint_eq(quotes, 2);
}

static const char *disp(const char *name)
{
	const char *v = mime_content_disposition(arena, name, "application/pdf", 0);

	ck_assert_ptr_nonnull(v);
	header_safe(v);
	return v;
}

START_TEST(safe_types)
{
	ck_assert_str_eq(mime_safe_type(arena, "image", "png"), "image/png");
	ck_assert_str_eq(mime_safe_type(arena, "IMAGE", "JPEG"), "image/jpeg");
	ck_assert_str_eq(mime_safe_type(arena, "image", "jpg"), "image/jpeg");
	ck_assert_str_eq(mime_safe_type(arena, "application", "pdf"), "application/pdf");
	ck_assert_str_eq(mime_safe_type(arena, "text", "plain"), "text/plain");
	ck_assert_str_eq(mime_safe_type(arena, "application",
	                                "vnd.openxmlformats-officedocument.wordprocessingml.document"),
	                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	/* What a browser would run or sniff into running. */
	ck_assert_str_eq(mime_safe_type(arena, "text", "html"), "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, "TEXT", "HTML"), "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, "image", "svg+xml"), "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, "application", "xhtml+xml"), "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, "text", "xml"), "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, "application", "javascript"), "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, "multipart", "x-mixed-replace"), "application/octet-stream");
	/* Parameters and header injection in the subtype. */
	ck_assert_str_eq(mime_safe_type(arena, "text", "plain; charset=\"x\r\nSet-Cookie: a\""),
	                 "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, "image", "png\r\nSet-Cookie: a"), "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, "application", "vnd.openxmlformats-officedocument.x;y=1"),
	                 "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, "image/png", "png"), "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, NULL, "png"), "application/octet-stream");
	ck_assert_str_eq(mime_safe_type(arena, "", ""), "application/octet-stream");
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(disp("report.pdf"), "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
	ck_assert_str_eq(disp("\xc3\x85rsrapport \xe2\x80\x93 2026.pdf"),
	                 "attachment; filename=\"_rsrapport _ 2026.pdf\"; "
	                 "filename*=UTF-8''%C3%85rsrapport%20%E2%80%93%202026.pdf");
	ck_assert_str_eq(disp("\xd0\xa2\xd0\xb5\xd1\x81\xd1\x82.txt"),
	                 "attachment; filename=\"____.txt\"; filename*=UTF-8''%D0%A2%D0%B5%D1%81%D1%82.txt");
	/* "%" would be unescaped by old browsers in the fallback. */
	ck_assert_str_eq(disp("100%41.pdf"), "attachment; filename=\"100_41.pdf\"; filename*=UTF-8''100%2541.pdf");
	/* Invalid UTF-8 is one U+FFFD. */
	ck_assert_str_eq(disp("\xff.pdf"), "attachment; filename=\"_.pdf\"; filename*=UTF-8''%EF%BF%BD.pdf");
}
END_TEST

START_TEST(hostile_names)
{
	/* Breaking out of the quoted string. */
	ck_assert_str_eq(disp("\"; evil=1"), "attachment; filename=\"; evil=1\"; filename*=UTF-8''%3B%20evil%3D1");
	ck_assert_str_eq(disp("a\\\"; evil=1.pdf"),
	                 "attachment; filename=\"a; evil=1.pdf\"; filename*=UTF-8''a%3B%20evil%3D1.pdf");
	/* Breaking out of the header. */
	ck_assert_str_eq(disp("a\r\nSet-Cookie: s=1.txt"),
	                 "attachment; filename=\"aSet-Cookie: s=1.txt\"; filename*=UTF-8''aSet-Cookie%3A%20s%3D1.txt");
	/* Out of the download folder, or hidden in it. */
	ck_assert_str_eq(disp("../../etc/passwd"), "attachment; filename=\"etcpasswd\"; filename*=UTF-8''etcpasswd");
	ck_assert_str_eq(disp("..\\..\\boot.ini"), "attachment; filename=\"boot.ini\"; filename*=UTF-8''boot.ini");
	ck_assert_str_eq(disp(".bashrc"), "attachment; filename=\"bashrc\"; filename*=UTF-8''bashrc");
	ck_assert_str_eq(disp("invoice.pdf. . "), "attachment; filename=\"invoice.pdf\"; filename*=UTF-8''invoice.pdf");
	/* Control characters (no NUL can reach here: names are C strings),
	 * C1 controls, and a right-to-left override hiding "exe". */
	ck_assert_str_eq(disp("a\x01" "b\x1b" "c\x7f" "d\xc2\x85" "e\xe2\x80\xae" "fdp.exe"),
	                 "attachment; filename=\"abcdefdp.exe\"; filename*=UTF-8''abcdefdp.exe");
	ck_assert_str_eq(disp("\t\x0b"), "attachment; filename=\"download\"; filename*=UTF-8''download");
	ck_assert_str_eq(disp("..."), "attachment; filename=\"download\"; filename*=UTF-8''download");
	ck_assert_str_eq(disp(""), "attachment; filename=\"download\"; filename*=UTF-8''download");
	ck_assert_str_eq(mime_content_disposition(arena, NULL, NULL, 1),
	                 "attachment; filename=\"download\"; filename*=UTF-8''download");
}
END_TEST

static const char *repeat(const char *s, int n)
{
	char *r = arena_strdup(arena, "");

	while (n-- > 0)
		r = arena_printf(arena, "%s%s", r, s);
	return r;
}

START_TEST(long_names)
{
	char name[2001];
	const char *v;

	/* Cut to MIME_DOWNLOAD_NAME_MAX bytes, the extension kept. */
	memset(name, 'a', 1996);
	strcpy(name + 1996, ".pdf");
	v = disp(name);
	ck_assert_str_eq(v, arena_printf(arena, "attachment; filename=\"%.*s.pdf\"; filename*=UTF-8''%.*s.pdf",
	                                 116, name, 116, name));
	/* Not inside a character: 58 "ö" (116 bytes) and ".pdf". */
	name[0] = '\0';
	while (strlen(name) < 1990)
		strcat(name, "\xc3\xb6");
	strcat(name, ".pdf");
	v = disp(name);
	ck_assert_str_eq(strstr(v, "filename=\""), arena_printf(arena, "filename=\"%s.pdf\"; filename*=UTF-8''%s.pdf",
	                                                        repeat("_", 58), repeat("%C3%B6", 58)));
	/* No extension, or one too long to be one: just cut. */
	memset(name, 'b', 300);
	name[300] = '\0';
	ck_assert_str_eq(disp(name), arena_printf(arena, "attachment; filename=\"%.*s\"; filename*=UTF-8''%.*s",
	                                          120, name, 120, name));
}
END_TEST

START_TEST(inline_only_for_images)
{
	ck_assert_str_eq(mime_content_disposition(arena, "logo.png", "image/png", 1),
	                 "inline; filename=\"logo.png\"; filename*=UTF-8''logo.png");
	ck_assert_str_eq(mime_content_disposition(arena, "logo.png", "image/png", 0),
	                 "attachment; filename=\"logo.png\"; filename*=UTF-8''logo.png");
	ck_assert_str_eq(mime_content_disposition(arena, "doc.pdf", "application/pdf", 1),
	                 "attachment; filename=\"doc.pdf\"; filename*=UTF-8''doc.pdf");
	ck_assert_str_eq(mime_content_disposition(arena, "x.bmp", "image/bmp", 1),
	                 "attachment; filename=\"x.bmp\"; filename*=UTF-8''x.bmp");
}
END_TEST

START_TEST(parts)
{
	struct mime_download d;
	struct imap_body *b;

	/* An HTML attachment is saved, never shown. */
	b = bodystructure(arena, "(\"text\" \"html\" (\"charset\" \"utf-8\" \"name\" \"page.html\") NIL NIL \"7bit\" "
	                         "10 1 NIL (\"attachment\" (\"filename\" \"page.html\")) NIL NIL)");
	ck_assert_int_eq(mime_download_headers(arena, b, NULL, 1, &d), 0);
	ck_assert_str_eq(d.content_type, "application/octet-stream");
	ck_assert_str_eq(d.content_disposition, "attachment; filename=\"page.html\"; filename*=UTF-8''page.html");
	/* An SVG asked for inline (a cid: image) is not inline. */
	b = bodystructure(arena, "(\"image\" \"svg+xml\" NIL \"<i@x>\" NIL \"base64\" 10 NIL NIL NIL NIL)");
	ck_assert_int_eq(mime_download_headers(arena, b, NULL, 1, &d), 0);
	ck_assert_str_eq(d.content_type, "application/octet-stream");
	ck_assert_str_eq(d.content_disposition, "attachment; filename=\"part-1.svg\"; filename*=UTF-8''part-1.svg");
	/* A cid: PNG is. */
	b = bodystructure(arena, "(\"image\" \"png\" NIL \"<i@x>\" NIL \"base64\" 10 NIL NIL NIL NIL)");
	ck_assert_int_eq(mime_download_headers(arena, b, NULL, 1, &d), 0);
	ck_assert_str_eq(d.content_type, "image/png");
	ck_assert_str_eq(d.content_disposition, "inline; filename=\"part-1.png\"; filename*=UTF-8''part-1.png");
	/* CRLF in a subtype and a name, as literals bring them. */
	b = bodystructure(arena, "(\"text\" {35}\r\nplain; charset=\"x\r\nSet-Cookie: a=1\" "
	                         "(\"name\" {22}\r\nx\r\nSet-Cookie: b=1.txt) NIL NIL \"7bit\" 10 1)");
	ck_assert_int_eq(mime_download_headers(arena, b, NULL, 0, &d), 0);
	ck_assert_str_eq(d.content_type, "application/octet-stream");
	header_safe(d.content_disposition);
	ck_assert_str_eq(d.content_disposition, "attachment; filename=\"x Set-Cookie: b=1.txt\"; "
	                                        "filename*=UTF-8''x%20Set-Cookie%3A%20b%3D1.txt");
	/* The page's own name wins. */
	ck_assert_int_eq(mime_download_headers(arena, b, "Mail.txt", 0, &d), 0);
	ck_assert_str_eq(d.content_disposition, "attachment; filename=\"Mail.txt\"; filename*=UTF-8''Mail.txt");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mime_download");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, safe_types);
	tcase_add_test(tc, names);
	tcase_add_test(tc, hostile_names);
	tcase_add_test(tc, long_names);
	tcase_add_test(tc, inline_only_for_images);
	tcase_add_test(tc, parts);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
