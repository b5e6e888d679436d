/* test_multipart: the streaming multipart/form-data parser. A browser-like
 * body with text fields and binary files (every byte value, CRLFs and
 * boundary look-alikes inside) must come out byte for byte the same however
 * it is chunked; malformed bodies and every limit give their error, and no
 * temp file survives an error or uploads_unlink(). Each test gets its own
 * temp dir, which must be empty again at the end. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "multipart.h"
#include "params.h"

#include <check.h>
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"

#define BND "----WebKitFormBoundary7MA4YWxkTrZu0gW"

static const struct req_limits lim = {
	.max_body = 1 << 16, .max_fields = 1000, .max_name = 64,
	.max_value = 1 << 16, .max_upload = 1 << 22, .max_files = 8,
	.max_cookies = 20, .max_header = 4096,
};

static char tmpdir[64];

static size_t files_in_dir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/qa-test-mp-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	/* Every test must leave no upload behind: rmdir fails on a non-empty dir. */
	ck_assert_uint_eq(files_in_dir(), 0);
	ck_assert_int_eq(rmdir(tmpdir), 0);
}

/* ------------------------------------------------------------ helpers */

struct result {
	int rc;
	struct param *fields;
	struct upload *files;
};

/* Feeds body in chunks of chunk bytes (0: all at once) and finishes. */
static struct result parse_lim(struct arena *a, const char *body, size_t n,
                               size_t chunk, const struct req_limits *l)
{
	struct result r = { 0, NULL, NULL };
	struct multipart *m = multipart_new(a, BND, l, tmpdir);
	size_t off = 0;
	int frc = PARSE_OK;

	if (!m) {
		r.rc = PARSE_NOMEM;     /* only with a tiny arena */
		return r;
	}
	if (chunk == 0)
		chunk = n ? n : 1;
	while (off < n && frc == PARSE_OK) {
		size_t k = n - off < chunk ? n - off : chunk;

		frc = multipart_feed(m, body + off, k);
		off += k;
	}
	r.rc = multipart_finish(m, &r.fields, &r.files);
	if (frc != PARSE_OK)
		ck_assert_int_eq(r.rc, frc);
	return r;
}

static struct result parse(struct arena *a, const char *body, size_t n, size_t chunk)
{
	return parse_lim(a, body, n, chunk, &lim);
}

static void add_part(struct buf *b, const char *headers, const char *data, size_t n)
{
	buf_printf(b, "--%s\r\n%s\r\n", BND, headers);
	buf_add(b, data, n);
	buf_adds(b, "\r\n");
}

static void add_close(struct buf *b)
{
	buf_printf(b, "--%s--\r\n", BND);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	ck_assert_ptr_nonnull(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return b.p ? b.p : calloc(1, 1);
}

static void assert_file(const struct upload *u, const char *want, size_t n)
{
	struct stat st;
	size_t len;
	char *got;

	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(stat(u->path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_uint_eq((size_t)st.st_size, n);
	ck_assert_uint_eq(u->size, n);
	ck_assert_ptr_nonnull(strstr(u->path, "/qa-upload-"));
	got = slurp(u->path, &len);
	ck_assert_uint_eq(len, n);
	ck_assert_msg(memcmp(got, want, n) == 0, "%s: content differs", u->field);
	free(got);
}

/* Everything a result says, file contents included, as one byte string. */
static void snapshot(struct buf *b, const struct result *r)
{
	const struct param *p;
	const struct upload *u;

	buf_printf(b, "rc=%d\n", r->rc);
	for (p = r->fields; p; p = p->next) {
		buf_printf(b, "F %s %zu:", p->name, p->len);
		buf_add(b, p->value, p->len);
	}
	for (u = r->files; u; u = u->next) {
		size_t len;
		char *got = slurp(u->path, &len);

		buf_printf(b, "U %s %s %s %zu %zu:", u->field, u->filename, u->ctype,
		           u->size, len);
		buf_add(b, got, len);
		free(got);
	}
}

/* A binary file meant to trip a delimiter matcher: all 256 byte values,
 * CRLFs, and the boundary in every near-miss form. */
static void make_binary(struct buf *b)
{
	static const char *traps[] = {
		"\r\n--" BND "X", "\r\n--" BND "-x", "\r\n--" BND "-", "\r\n--" BND "+",
		"\r\n--" "----WebKitFormBoundary7MA4YW", "\r\r\n--" BND "Z",
		"\n--" BND "\r\n", "--" BND "\r\n", "\r\n-", "\r\n\r\n", "\r", "\r\n--",
	};
	size_t i;
	int c;

	for (c = 0; c < 256; c++)
		buf_addc(b, c);
	for (i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
		buf_adds(b, traps[i]);
		buf_addc(b, 'q');
	}
	for (c = 255; c >= 0; c--)
		buf_addc(b, c);
	buf_adds(b, "\r\n");
}

struct browser_body {
	struct buf body, bin;
};

static void browser_body(struct browser_body *bb)
{
	static const char note[] = "line one\r\nline two --" BND "X\r\n--" BND "-\r\n";

	buf_init(&bb->body, 0);
	buf_init(&bb->bin, 0);
	make_binary(&bb->bin);
	add_part(&bb->body, "Content-Disposition: form-data; name=\"user\"\r\n",
	         "lars.jonsson@emak.se", 20);
	add_part(&bb->body, "Content-Disposition: form-data; name=\"note\"\r\n",
	         note, sizeof(note) - 1);
	add_part(&bb->body, "Content-Disposition: form-data; name=\"avatar\"; "
	         "filename=\"a \\\"b\\\".bin\"\r\nContent-Type: application/x-binary\r\n",
	         bb->bin.p, bb->bin.len);
	add_part(&bb->body, "content-disposition: form-data; name=\"doc\"; filename=\"notes.txt\"\r\n"
	         "CONTENT-TYPE: text/plain; charset=utf-8\r\n", "hello\r\n", 7);
	add_part(&bb->body, "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
	         "Content-Type: application/octet-stream\r\n", "", 0);
	add_part(&bb->body, "Content-Disposition: form-data; name=\"go\"\r\n", "Save", 4);
	add_close(&bb->body);
}

static void browser_free(struct browser_body *bb)
{
	buf_free(&bb->body);
	buf_free(&bb->bin);
}

/* ------------------------------------------------------------ browser body */

START_TEST(test_browser_body)
{
	struct browser_body bb;
	struct arena *a = arena_new(0);
	struct result r;
	const struct upload *u;

	browser_body(&bb);
	r = parse(a, bb.body.p, bb.body.len, 0);
	ck_assert_int_eq(r.rc, PARSE_OK);
	ck_assert_uint_eq(param_count(r.fields), 3);
	ck_assert_str_eq(r.fields->name, "user");
	ck_assert_str_eq(param_get(r.fields, "user"), "lars.jonsson@emak.se");
	ck_assert_str_eq(param_get(r.fields, "note"),
	                 "line one\r\nline two --" BND "X\r\n--" BND "-\r\n");
	ck_assert_str_eq(r.fields->next->next->name, "go");
	ck_assert_str_eq(r.fields->next->next->value, "Save");
	u = r.files;
	ck_assert_uint_eq(files_in_dir(), 3);
	ck_assert_str_eq(u->field, "avatar");
	ck_assert_str_eq(u->filename, "a \"b\".bin");
	ck_assert_str_eq(u->ctype, "application/x-binary");
	assert_file(u, bb.bin.p, bb.bin.len);
	u = u->next;
	ck_assert_str_eq(u->field, "doc");
	ck_assert_str_eq(u->filename, "notes.txt");
	ck_assert_str_eq(u->ctype, "text/plain; charset=utf-8");
	assert_file(u, "hello\r\n", 7);
	u = u->next;
	ck_assert_str_eq(u->field, "empty");
	ck_assert_str_eq(u->filename, "");
	assert_file(u, "", 0);
	ck_assert_ptr_null(u->next);
	ck_assert_uint_eq(files_in_dir(), 3);
	uploads_unlink(r.files);
	ck_assert_uint_eq(files_in_dir(), 0);
	browser_free(&bb);
	arena_free(a);
}
END_TEST

/* Chunk sizes that put split points everywhere, the delimiter included. */
static const size_t chunks[] = { 1, 2, 3, 5, 7, 13, 41, 42, 43, 64, 255, 4096, 8191, 0 };

START_TEST(test_chunking_is_invisible)
{
	struct browser_body bb;
	struct arena *a = arena_new(0);
	struct buf whole = BUF_INIT, split = BUF_INIT;
	struct result r;

	browser_body(&bb);
	r = parse(a, bb.body.p, bb.body.len, 0);
	ck_assert_int_eq(r.rc, PARSE_OK);
	snapshot(&whole, &r);
	uploads_unlink(r.files);
	r = parse(a, bb.body.p, bb.body.len, chunks[_i]);
	snapshot(&split, &r);
	uploads_unlink(r.files);
	ck_assert_uint_eq(split.len, whole.len);
	ck_assert_msg(memcmp(split.p, whole.p, whole.len) == 0, "chunk %zu differs", chunks[_i]);
	buf_free(&whole);
	buf_free(&split);
	browser_free(&bb);
	arena_free(a);
}
END_TEST

/* A file much larger than any internal buffer, full of near-delimiters. */
START_TEST(test_large_file)
{
	struct arena *a = arena_new(0);
	struct buf body = BUF_INIT, data = BUF_INIT;
	struct result r;
	size_t i, n;
	unsigned int x = 12345;

	for (i = 0; i < 300000; i++) {
		x = x * 1103515245u + 12345u;
		buf_addc(&data, (int)(x >> 16) & 0xff);
		if (i % 9973 == 0)
			buf_adds(&data, "\r\n--" BND "x\r\n--" BND);
	}
	add_part(&body, "Content-Disposition: form-data; name=f; filename=big\r\n",
	         data.p, data.len);
	add_close(&body);
	for (n = 0; n < 2; n++) {
		r = parse(a, body.p, body.len, n ? 1 : 0);
		ck_assert_int_eq(r.rc, PARSE_OK);
		ck_assert_ptr_nonnull(r.files);
		ck_assert_str_eq(r.files->ctype, "application/octet-stream");
		assert_file(r.files, data.p, data.len);
		uploads_unlink(r.files);
	}
	buf_free(&body);
	buf_free(&data);
	arena_free(a);
}
END_TEST

START_TEST(test_many_fields)
{
	struct arena *a = arena_new(0);
	struct buf body = BUF_INIT;
	struct result r;
	const struct param *p;
	size_t i;

	for (i = 0; i < 1000; i++) {
		char h[96], v[32];
		int n;

		snprintf(h, sizeof(h), "Content-Disposition: form-data; name=\"f%zu\"\r\n", i);
		n = snprintf(v, sizeof(v), "value %zu", i);
		add_part(&body, h, v, (size_t)n);
	}
	add_close(&body);
	r = parse(a, body.p, body.len, 0);
	ck_assert_int_eq(r.rc, PARSE_OK);
	ck_assert_uint_eq(param_count(r.fields), 1000);
	for (i = 0, p = r.fields; p; p = p->next, i++) {
		char v[32];

		snprintf(v, sizeof(v), "value %zu", i);
		ck_assert_str_eq(p->value, v);
	}
	ck_assert_ptr_null(r.files);
	buf_free(&body);
	arena_free(a);
}
END_TEST

/* ------------------------------------------------------------ small bodies */

#define CD "Content-Disposition: form-data; "
#define D "--" BND
#define PART(h, v) D "\r\n" h "\r\n\r\n" v "\r\n"
#define CLOSE D "--"

struct body_case {
	const char *what;
	const char *body;
	int rc;
	const char *want;    /* fields as "name=value|..." and files as "name<-filename" */
};

static const struct body_case cases[] = {
	{ "simple", PART(CD "name=\"a\"", "1") CLOSE "\r\n", PARSE_OK, "a=1" },
	{ "close without CRLF", PART(CD "name=\"a\"", "1") CLOSE, PARSE_OK, "a=1" },
	{ "only the close", CLOSE "\r\n", PARSE_OK, "" },
	{ "epilogue", PART(CD "name=a", "1") CLOSE "\r\nthis is ignored\r\n" D "\r\nx",
	  PARSE_OK, "a=1" },
	{ "preamble", "This is a preamble.\r\n--x\r\n" PART(CD "name=a", "1") CLOSE,
	  PARSE_OK, "a=1" },
	{ "preamble of one CRLF", "\r\n" PART(CD "name=a", "1") CLOSE, PARSE_OK, "a=1" },
	{ "padding", D " \t \r\n" CD "name=a\r\n\r\n1\r\n" D "--  \t\r\n", PARSE_OK, "a=1" },
	{ "CRLF belongs to the delimiter", PART(CD "name=a", "x\r\n") CLOSE, PARSE_OK, "a=x\r\n" },
	{ "empty value", PART(CD "name=a", "") CLOSE, PARSE_OK, "a=" },
	{ "boundary prefix in data", PART(CD "name=a", "--" BND "X\r\n" D "X") CLOSE,
	  PARSE_OK, "a=--" BND "X\r\n" D "X" },
	{ "boundary dash in data", PART(CD "name=a", "y\r\n" D "-z") CLOSE, PARSE_OK,
	  "a=y\r\n" D "-z" },
	{ "unquoted and case", D "\r\nCONTENT-DISPOSITION:FORM-DATA;NAME=b c ; x=y\r\n\r\nv\r\n" CLOSE,
	  PARSE_OK, "b c=v" },
	{ "escapes", PART(CD "name=\"a\\\"b\\\\c\"", "v") CLOSE, PARSE_OK, "a\"b\\c=v" },
	{ "windows path", PART(CD "name=f; filename=\"C:\\dir\\f.txt\"", "v") CLOSE,
	  PARSE_OK, "f<-C:\\dir\\f.txt" },
	{ "filename* ignored", PART(CD "name=f; filename*=UTF-8''%C3%A5.txt; filename=a.txt", "v")
	  CLOSE, PARSE_OK, "f<-a.txt" },
	{ "filename* alone is a field", PART(CD "name=f; filename*=UTF-8''a", "v") CLOSE,
	  PARSE_OK, "f=v" },
	{ "other headers ignored", PART(CD "name=a\r\nContent-Transfer-Encoding: 8bit\r\nX-Y:z",
	  "v") CLOSE, PARSE_OK, "a=v" },
	{ "utf-8 name", PART(CD "name=\"\xc3\xa5\"", "\xc3\xa4") CLOSE, PARSE_OK,
	  "\xc3\xa5=\xc3\xa4" },
	{ "order", PART(CD "name=a", "1") PART(CD "name=f; filename=x", "") PART(CD "name=b", "2")
	  CLOSE, PARSE_OK, "a=1|b=2|f<-x" },
	{ "missing close", PART(CD "name=a", "1"), PARSE_BAD, NULL },
	{ "truncated in body", D "\r\n" CD "name=a\r\n\r\n12", PARSE_BAD, NULL },
	{ "truncated in headers", D "\r\n" CD "name=a\r\n", PARSE_BAD, NULL },
	{ "truncated in close", PART(CD "name=a", "1") D "-", PARSE_BAD, NULL },
	{ "close then CR", PART(CD "name=a", "1") CLOSE "\r", PARSE_BAD, NULL },
	{ "no delimiter", "a=1&b=2", PARSE_BAD, NULL },
	{ "empty body", "", PARSE_BAD, NULL },
	{ "a delimiter starts a line", "x--" BND "\r\n" CD "name=a\r\n\r\n1\r\n" CLOSE,
	  PARSE_OK, "" },
	{ "junk after padding", D " x\r\n" CD "name=a\r\n\r\n1\r\n" CLOSE, PARSE_BAD, NULL },
	{ "junk after close", PART(CD "name=a", "1") CLOSE "x", PARSE_BAD, NULL },
	{ "bare LF: no delimiter", D "\n" CD "name=a\r\n\r\n1\r\n" CLOSE, PARSE_OK, "" },
	{ "bare LF in headers", D "\r\n" CD "name=a\n\r\n1\r\n" CLOSE, PARSE_BAD, NULL },
	{ "CR in header", D "\r\n" CD "name=a\rb\r\n\r\n1\r\n" CLOSE, PARSE_BAD, NULL },
	{ "no headers", D "\r\n\r\n1\r\n" CLOSE, PARSE_BAD, NULL },
	{ "no disposition", PART("Content-Type: text/plain", "1") CLOSE, PARSE_BAD, NULL },
	{ "attachment", PART("Content-Disposition: attachment; name=a", "1") CLOSE, PARSE_BAD, NULL },
	{ "no name", PART(CD "filename=a", "1") CLOSE, PARSE_BAD, NULL },
	{ "two names", PART(CD "name=a; name=b", "1") CLOSE, PARSE_BAD, NULL },
	{ "two filenames", PART(CD "name=a; filename=x; filename=y", "1") CLOSE, PARSE_BAD, NULL },
	{ "two dispositions", PART(CD "name=a\r\n" CD "name=b", "1") CLOSE, PARSE_BAD, NULL },
	{ "two types", PART(CD "name=a\r\nContent-Type: a\r\nContent-Type: b", "1") CLOSE,
	  PARSE_BAD, NULL },
	{ "unterminated quote", PART(CD "name=\"a", "1") CLOSE, PARSE_BAD, NULL },
	{ "junk after quote", PART(CD "name=\"a\"b", "1") CLOSE, PARSE_BAD, NULL },
	{ "param without value", PART(CD "name=a; flag", "1") CLOSE, PARSE_BAD, NULL },
	{ "no colon", PART(CD "name=a\r\nJunk", "1") CLOSE, PARSE_BAD, NULL },
	{ "space before colon", PART("Content-Disposition : form-data; name=a", "1") CLOSE,
	  PARSE_BAD, NULL },
	{ "continuation", PART(CD "name=a\r\n filename=x", "1") CLOSE, PARSE_BAD, NULL },
	{ "control in header", PART(CD "name=a\x01", "1") CLOSE, PARSE_BAD, NULL },
	{ "DEL in header", PART(CD "name=a\x7f", "1") CLOSE, PARSE_BAD, NULL },
};

static const char *describe(struct arena *a, const struct result *r)
{
	struct buf b = BUF_INIT;
	const struct param *p;
	const struct upload *u;
	char *s;

	for (p = r->fields; p; p = p->next)
		buf_printf(&b, "%s%s=%s", b.len ? "|" : "", p->name, p->value);
	for (u = r->files; u; u = u->next)
		buf_printf(&b, "%s%s<-%s", b.len ? "|" : "", u->field, u->filename);
	s = arena_strdup(a, b.len ? b.p : "");
	buf_free(&b);
	return s;
}

START_TEST(test_body_table)
{
	const struct body_case *c = &cases[_i];
	size_t k;

	for (k = 0; k < 3; k++) {
		struct arena *a = arena_new(0);
		struct result r = parse(a, c->body, strlen(c->body), k == 2 ? 0 : k + 1);

		ck_assert_msg(r.rc == c->rc, "%s (chunk %zu): rc %d, want %d", c->what, k,
		              r.rc, c->rc);
		if (c->rc == PARSE_OK)
			ck_assert_str_eq(describe(a, &r), c->want);
		else
			ck_assert_msg(!r.fields && !r.files, "%s: output on error", c->what);
		uploads_unlink(r.files);
		arena_free(a);
	}
}
END_TEST

START_TEST(test_nul)
{
	static const char in_value[] = PART(CD "name=a", "x\0y") CLOSE;
	static const char in_header[] = PART(CD "name=a\0", "xy") CLOSE;
	static const char in_file[] = PART(CD "name=a; filename=b", "x\0y") CLOSE;
	struct arena *a = arena_new(0);
	struct result r;

	r = parse(a, in_value, sizeof(in_value) - 1, 0);
	ck_assert_int_eq(r.rc, PARSE_BAD);
	r = parse(a, in_header, sizeof(in_header) - 1, 1);
	ck_assert_int_eq(r.rc, PARSE_BAD);
	/* Files are binary: a NUL there is just a byte. */
	r = parse(a, in_file, sizeof(in_file) - 1, 0);
	ck_assert_int_eq(r.rc, PARSE_OK);
	assert_file(r.files, "x\0y", 3);
	uploads_unlink(r.files);
	arena_free(a);
}
END_TEST

/* ------------------------------------------------------------ errors and files */

START_TEST(test_error_unlinks)
{
	struct browser_body bb;
	struct arena *a = arena_new(0);
	struct multipart *m;
	struct param *fields = NULL;
	struct upload *files = NULL;
	size_t cut;

	browser_body(&bb);
	/* Cut the body in the middle of the second file: two temp files exist. */
	cut = (size_t)((char *)memmem(bb.body.p, bb.body.len, "hello", 5) - bb.body.p) + 2;
	m = multipart_new(a, BND, &lim, tmpdir);
	ck_assert_int_eq(multipart_feed(m, bb.body.p, cut), PARSE_OK);
	ck_assert_uint_eq(files_in_dir(), 2);
	ck_assert_int_eq(multipart_finish(m, &fields, &files), PARSE_BAD);
	ck_assert_ptr_null(fields);
	ck_assert_ptr_null(files);
	ck_assert_uint_eq(files_in_dir(), 0);
	ck_assert_int_eq(multipart_finish(m, &fields, &files), PARSE_BAD);

	/* A feed error removes the files at once; later feeds repeat the error. */
	m = multipart_new(a, BND, &lim, tmpdir);
	ck_assert_int_eq(multipart_feed(m, bb.body.p, cut), PARSE_OK);
	ck_assert_int_eq(multipart_feed(m, "\r\n" D "junk\r\n", strlen("\r\n" D "junk\r\n")),
	                 PARSE_OK);
	ck_assert_int_eq(multipart_feed(m, "\r\n" D " junk\r\n", strlen("\r\n" D " junk\r\n")),
	                 PARSE_BAD);
	ck_assert_uint_eq(files_in_dir(), 0);
	ck_assert_int_eq(multipart_feed(m, "x", 1), PARSE_BAD);
	ck_assert_int_eq(multipart_finish(m, &fields, &files), PARSE_BAD);
	ck_assert_ptr_null(files);
	browser_free(&bb);
	arena_free(a);
}
END_TEST

START_TEST(test_appends_and_unlink)
{
	static const char b1[] = PART(CD "name=a; filename=one", "1") PART(CD "name=x", "y") CLOSE;
	static const char b2[] = PART(CD "name=b; filename=two", "22") CLOSE;
	struct arena *a = arena_new(0);
	struct param *fields = NULL;
	struct upload *files = NULL;
	struct multipart *m;
	struct stat st;
	const char *p1;

	m = multipart_new(a, BND, &lim, tmpdir);
	ck_assert_int_eq(multipart_feed(m, b1, sizeof(b1) - 1), PARSE_OK);
	ck_assert_int_eq(multipart_finish(m, &fields, &files), PARSE_OK);
	m = multipart_new(a, BND, &lim, tmpdir);
	ck_assert_int_eq(multipart_feed(m, b2, sizeof(b2) - 1), PARSE_OK);
	ck_assert_int_eq(multipart_finish(m, &fields, &files), PARSE_OK);
	ck_assert_str_eq(describe(a, &(struct result){ 0, fields, files }), "x=y|a<-one|b<-two");
	assert_file(files->next, "22", 2);
	p1 = files->path;
	ck_assert_uint_eq(files_in_dir(), 2);
	uploads_unlink(files);
	ck_assert_int_eq(stat(p1, &st), -1);
	ck_assert_uint_eq(files_in_dir(), 0);
	uploads_unlink(NULL);
	arena_free(a);
}
END_TEST

START_TEST(test_new_refuses)
{
	struct arena *a = arena_new(0);
	char b71[72];

	memset(b71, 'b', 71);
	b71[71] = '\0';
	ck_assert_ptr_null(multipart_new(a, "", &lim, tmpdir));
	ck_assert_ptr_null(multipart_new(a, b71, &lim, tmpdir));
	ck_assert_ptr_nonnull(multipart_new(a, b71 + 1, &lim, tmpdir));
	ck_assert_ptr_null(multipart_new(a, "a\r\nb", &lim, tmpdir));
	ck_assert_ptr_null(multipart_new(a, "ab ", &lim, tmpdir));
	ck_assert_ptr_null(multipart_new(a, NULL, &lim, tmpdir));
	ck_assert_ptr_null(multipart_new(a, "ab", &lim, NULL));
	arena_free(a);
}
END_TEST

START_TEST(test_bad_tmpdir)
{
	static const char body[] = PART(CD "name=a; filename=f", "1") CLOSE;
	struct arena *a = arena_new(0);
	struct multipart *m = multipart_new(a, BND, &lim, "/nonexistent/qa-test");
	struct param *fields = NULL;
	struct upload *files = NULL;

	ck_assert_int_eq(multipart_feed(m, body, sizeof(body) - 1), PARSE_NOMEM);
	ck_assert_int_eq(multipart_finish(m, &fields, &files), PARSE_NOMEM);
	arena_free(a);
}
END_TEST

/* ------------------------------------------------------------ limits */

struct limit_case {
	const char *what;
	size_t field;        /* offsetof the limit in struct req_limits */
	size_t value;
	const char *at;
	size_t at_len;
	const char *over;
	size_t over_len;
	int over_rc;
};

#define LIM(f) offsetof(struct req_limits, f)
#define LIT(s) s, sizeof(s) - 1
#define TWO(f) PART(CD "name=a" f, "1") PART(CD "name=b" f, "2")
#define ONE PART(CD "name=a", "1") CLOSE

static const struct limit_case limit_cases[] = {
	{ "fields", LIM(max_fields), 2, LIT(TWO("") PART(CD "name=f; filename=x", "") CLOSE),
	  LIT(TWO("") PART(CD "name=c", "3") CLOSE), PARSE_TOO_LARGE },
	{ "fields zero", LIM(max_fields), 0, LIT(CLOSE), LIT(PART(CD "name=a", "") CLOSE),
	  PARSE_TOO_LARGE },
	{ "files", LIM(max_files), 2, LIT(TWO("; filename=x") PART(CD "name=c", "3") CLOSE),
	  LIT(TWO("; filename=x") PART(CD "name=c; filename=\"\"", "") CLOSE), PARSE_TOO_LARGE },
	{ "value", LIM(max_value), 4, LIT(PART(CD "name=a", "abcd") CLOSE),
	  LIT(PART(CD "name=a", "abcde") CLOSE), PARSE_TOO_LARGE },
	{ "value zero", LIM(max_value), 0, LIT(PART(CD "name=a", "") CLOSE),
	  LIT(PART(CD "name=a", "x") CLOSE), PARSE_TOO_LARGE },
	{ "value not files", LIM(max_value), 1, LIT(PART(CD "name=a; filename=f", "abcdef") CLOSE),
	  LIT(PART(CD "name=a", "ab") CLOSE), PARSE_TOO_LARGE },
	{ "value NUL past limit", LIM(max_value), 2, LIT(PART(CD "name=a", "ab") CLOSE),
	  LIT(PART(CD "name=a", "abc\0") CLOSE), PARSE_TOO_LARGE },
	{ "value NUL at limit", LIM(max_value), 2, LIT(PART(CD "name=a", "ab") CLOSE),
	  LIT(PART(CD "name=a", "a\0c") CLOSE), PARSE_BAD },
	{ "name", LIM(max_name), 3, LIT(PART(CD "name=\"a\\\"c\"", "") CLOSE),
	  LIT(PART(CD "name=abcd", "") CLOSE), PARSE_TOO_LARGE },
	{ "upload", LIM(max_upload), sizeof(ONE) - 1, LIT(ONE), LIT(ONE "\r\n"), PARSE_TOO_LARGE },
	{ "upload, error after it", LIM(max_upload), sizeof(D) - 1 + 1, LIT(""), LIT(D " x\r\n"),
	  PARSE_TOO_LARGE },
	{ "upload, error before it", LIM(max_upload), sizeof(D) - 1 + 2, LIT(""), LIT(D " x\r\n"),
	  PARSE_BAD },
};

START_TEST(test_limits)
{
	const struct limit_case *c = &limit_cases[_i];
	struct req_limits l = lim;
	size_t k;

	*(size_t *)((char *)&l + c->field) = c->value;
	for (k = 0; k < 2; k++) {
		struct arena *a = arena_new(0);
		struct result r;

		if (c->at_len > 0) {
			r = parse_lim(a, c->at, c->at_len, k, &l);
			ck_assert_msg(r.rc == PARSE_OK, "%s: at the limit rc %d", c->what, r.rc);
			uploads_unlink(r.files);
		}
		r = parse_lim(a, c->over, c->over_len, k, &l);
		ck_assert_msg(r.rc == c->over_rc, "%s (chunk %zu): over rc %d", c->what, k, r.rc);
		ck_assert_ptr_null(r.files);
		ck_assert_uint_eq(files_in_dir(), 0);
		arena_free(a);
	}
}
END_TEST

/* A part's header block may be 8192 bytes with its CRLFs, not one more. */
START_TEST(test_header_block_limit)
{
	struct arena *a = arena_new(0);
	struct buf body = BUF_INIT;
	struct result r;
	size_t len, k;

	for (k = 0; k < 2; k++) {
		buf_reset(&body);
		buf_printf(&body, "%s\r\n", D);
		buf_adds(&body, CD "name=a\r\nX-Pad: ");
		/* the block is what we have after the delimiter line, plus "\r\n\r\n" */
		len = body.len - (strlen(D) + 2);
		while (len + 4 < 8192 + k) {
			buf_addc(&body, 'p');
			len++;
		}
		buf_adds(&body, "\r\n\r\nv\r\n" CLOSE);
		r = parse(a, body.p, body.len, k ? 0 : 1);
		ck_assert_int_eq(r.rc, k ? PARSE_BAD : PARSE_OK);
	}
	buf_free(&body);
	arena_free(a);
}
END_TEST

START_TEST(test_nomem)
{
	struct browser_body bb;
	struct arena *a;
	struct result r;
	size_t limit;

	browser_body(&bb);
	/* However small the arena, the result is NOMEM (or OK), never a crash or a file left. */
	for (limit = 0; limit < 24000; limit += 97) {
		a = arena_new(limit);
		r = parse(a, bb.body.p, bb.body.len, 0);
		ck_assert(r.rc == PARSE_OK || r.rc == PARSE_NOMEM);
		uploads_unlink(r.files);
		ck_assert_uint_eq(files_in_dir(), 0);
		arena_free(a);
	}
	browser_free(&bb);
}
END_TEST

/* ------------------------------------------------------------ boundary */

struct boundary_case {
	const char *ct;
	size_t outlen;
	int rc;
	const char *want;
};

#define B70 "1234567890123456789012345678901234567890123456789012345678901234567890"

static const struct boundary_case bcases[] = {
	{ "multipart/form-data; boundary=\"abc\"", 80, PARSE_OK, "abc" },
	{ "multipart/form-data; boundary=abc", 80, PARSE_OK, "abc" },
	{ "multipart/form-data;boundary=abc", 80, PARSE_OK, "abc" },
	{ "  Multipart/Form-Data ; charset=\"x;y\"; BOUNDARY=" BND " ;", 80, PARSE_OK, BND },
	{ "multipart/form-data; boundary=\"a b'()+_,-./:=?\"", 80, PARSE_OK, "a b'()+_,-./:=?" },
	{ "multipart/form-data; boundary=" B70, 71, PARSE_OK, B70 },
	{ "multipart/form-data; boundary=" B70 "1", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; boundary=abc", 3, PARSE_BAD, NULL },
	{ "multipart/form-data; boundary=abc", 4, PARSE_OK, "abc" },
	{ "multipart/form-data", 80, PARSE_BAD, NULL },
	{ "multipart/form-data;", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; charset=utf-8", 80, PARSE_BAD, NULL },
	{ "multipart/mixed; boundary=abc", 80, PARSE_BAD, NULL },
	{ "multipart/form-datax; boundary=abc", 80, PARSE_BAD, NULL },
	{ "application/x-www-form-urlencoded", 80, PARSE_BAD, NULL },
	{ "", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; boundary=", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; boundary=\"\"", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; boundary=\"ab \"", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; boundary=a@b", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; boundary=\"a\\\"b\"", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; boundary=\"a\r\nb\"", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; boundary=\"abc", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; boundary=a; boundary=a", 80, PARSE_BAD, NULL },
	{ "multipart/form-data boundary=a", 80, PARSE_BAD, NULL },
	{ "multipart/form-data; =a; boundary=a", 80, PARSE_BAD, NULL },
};

START_TEST(test_boundary)
{
	const struct boundary_case *c = &bcases[_i];
	char out[80];
	int rc;

	memset(out, 'z', sizeof(out));
	rc = multipart_boundary(c->ct, out, c->outlen);
	ck_assert_msg(rc == c->rc, "%s: rc %d", c->ct, rc);
	if (rc == PARSE_OK)
		ck_assert_str_eq(out, c->want);
	ck_assert_int_eq(multipart_boundary(NULL, out, sizeof(out)), PARSE_BAD);
}
END_TEST

static Suite *multipart_suite(void)
{
	Suite *s = suite_create("multipart");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_browser_body);
	tcase_add_loop_test(tc, test_chunking_is_invisible, 0,
	                    (int)(sizeof(chunks) / sizeof(chunks[0])));
	tcase_add_test(tc, test_large_file);
	tcase_add_test(tc, test_many_fields);
	tcase_add_loop_test(tc, test_body_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_error_unlinks);
	tcase_add_test(tc, test_appends_and_unlink);
	tcase_add_test(tc, test_new_refuses);
	tcase_add_test(tc, test_bad_tmpdir);
	tcase_add_loop_test(tc, test_limits, 0,
	                    (int)(sizeof(limit_cases) / sizeof(limit_cases[0])));
	tcase_add_test(tc, test_header_block_limit);
	tcase_add_test(tc, test_nomem);
	tcase_add_loop_test(tc, test_boundary, 0, (int)(sizeof(bcases) / sizeof(bcases[0])));
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(multipart_suite)
