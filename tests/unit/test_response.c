/* Unit tests: response headers, cookies, the security defaults. */
#include "config.h"

#include "check_main.h"
#include "response.h"

#include <string.h>

static char *head_of(struct response *r, struct buf *out)
{
	buf_reset(out);
	resp_format_head(r, out);
	return (char *)buf_cstr(out);
}

START_TEST(security_headers_on_every_response)
{
	struct response r;
	struct buf out = BUF_INIT;
	char *h;

	resp_init(&r);
	buf_adds(&r.body, "hello");
	h = head_of(&r, &out);
	ck_assert_ptr_nonnull(strstr(h, "Status: 200 OK\r\n"));
	ck_assert(strncmp(h, "Status: 200 OK\r\n", 16) == 0);
	ck_assert_ptr_nonnull(strstr(h, "Content-Type: text/html; charset=utf-8\r\n"));
	ck_assert_ptr_nonnull(strstr(h, "Content-Length: 5\r\n"));
	ck_assert_ptr_nonnull(strstr(h, "Content-Security-Policy: default-src 'none';"));
	ck_assert_ptr_nonnull(strstr(h, "frame-ancestors 'none'"));
	ck_assert_ptr_nonnull(strstr(h, "X-Content-Type-Options: nosniff\r\n"));
	ck_assert_ptr_nonnull(strstr(h, "Referrer-Policy: no-referrer\r\n"));
	ck_assert_ptr_nonnull(strstr(h, "X-Frame-Options: DENY\r\n"));
	ck_assert_ptr_nonnull(strstr(h, "Cache-Control: no-store\r\n"));
	ck_assert_int_eq(strcmp(h + out.len - 4, "\r\n\r\n"), 0);
	r.no_store = 0;
	r.status = 404;
	h = head_of(&r, &out);
	ck_assert_ptr_null(strstr(h, "Cache-Control"));
	ck_assert(strncmp(h, "Status: 404 Not Found\r\n", 23) == 0);
	buf_free(&out);
	resp_free(&r);
}
END_TEST

START_TEST(headers_cannot_be_split)
{
	struct response r;

	resp_init(&r);
	ck_assert_int_eq(resp_header(&r, "X-Ok", "fine value"), 0);
	ck_assert_int_eq(resp_header(&r, "X-Bad", "a\r\nSet-Cookie: x=1"), -1);
	ck_assert_int_eq(resp_header(&r, "X-Bad", "a\nb"), -1);
	ck_assert_int_eq(resp_header(&r, "X Bad", "v"), -1);
	ck_assert_int_eq(resp_header(&r, "X:Bad", "v"), -1);
	ck_assert_int_eq(resp_header(&r, "", "v"), -1);
	ck_assert_str_eq(buf_cstr(&r.headers), "X-Ok: fine value\r\n");
	resp_free(&r);
}
END_TEST

START_TEST(cookies_are_httponly_and_checked)
{
	struct response r;
	struct cookie_opts o = { "/cgi-bin/qmailadmin", -1, "Strict", 0 };

	resp_init(&r);
	ck_assert_int_eq(resp_cookie(&r, "qa_csrf", "abc123", &o), 0);
	ck_assert_str_eq(buf_cstr(&r.headers),
	                 "Set-Cookie: qa_csrf=abc123; Path=/cgi-bin/qmailadmin; HttpOnly; SameSite=Strict\r\n");
	buf_reset(&r.headers);
	o.max_age = 60;
	o.same_site = "Lax";
	o.secure = 1;
	ck_assert_int_eq(resp_cookie(&r, "qa_lang", "sv", &o), 0);
	ck_assert_str_eq(buf_cstr(&r.headers),
	                 "Set-Cookie: qa_lang=sv; Path=/cgi-bin/qmailadmin; Max-Age=60; HttpOnly; SameSite=Lax; Secure\r\n");
	buf_reset(&r.headers);
	ck_assert_int_eq(resp_cookie(&r, "x", "a;b", &o), -1);
	ck_assert_int_eq(resp_cookie(&r, "x", "a b", &o), -1);
	ck_assert_int_eq(resp_cookie(&r, "x", "a\r\nb", &o), -1);
	ck_assert_int_eq(resp_cookie(&r, "x=y", "a", &o), -1);
	o.path = "/a;Domain=evil";
	ck_assert_int_eq(resp_cookie(&r, "x", "a", &o), -1);
	ck_assert_uint_eq(r.headers.len, 0);
	resp_free(&r);
}
END_TEST

START_TEST(redirects_stay_on_site)
{
	struct response r;

	resp_init(&r);
	ck_assert_int_eq(resp_redirect(&r, "/cgi-bin/qmailadmin/main"), 0);
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(buf_cstr(&r.headers), "Location: /cgi-bin/qmailadmin/main\r\n");
	resp_reset(&r);
	ck_assert_int_eq(resp_redirect(&r, "//evil.example/"), -1);
	ck_assert_int_eq(resp_redirect(&r, "/\\evil.example/"), -1);
	ck_assert_int_eq(resp_redirect(&r, "https://evil.example/"), -1);
	ck_assert_int_eq(resp_redirect(&r, "/x\r\nSet-Cookie: a=b"), -1);
	ck_assert_int_eq(r.status, 200);
	resp_free(&r);
}
END_TEST

START_TEST(status_texts)
{
	ck_assert_str_eq(status_text(413), "Content Too Large");
	ck_assert_str_eq(status_text(401), "Unauthorized");
	ck_assert_str_eq(status_text(503), "Service Unavailable");
	ck_assert_str_eq(status_text(999), "Unknown");
}
END_TEST

static Suite *response_suite(void)
{
	Suite *s = suite_create("response");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, security_headers_on_every_response);
	tcase_add_test(tc, headers_cannot_be_split);
	tcase_add_test(tc, cookies_are_httponly_and_checked);
	tcase_add_test(tc, redirects_stay_on_site);
	tcase_add_test(tc, status_texts);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(response_suite)
