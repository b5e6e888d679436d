/* fuzz_multipart: libFuzzer target for the streaming multipart parser.
 * The first input byte picks a chunk size, so split points land everywhere
 * (inside delimiters too); the second picks a roomy or a tight arena, so
 * running out of memory is fuzzed too; the rest is the body, and also goes
 * to multipart_boundary() as a Content-Type. Each body is parsed twice,
 * whole and chunked, and the two results must be identical. Also checked:
 * every upload's file has exactly the size the parser reports and mode 0600,
 * the limits hold, and an error leaves no file in the temp dir. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "multipart.h"
#include "params.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOUNDARY "AaB03x"

static const struct req_limits lim = {
	.max_body = 4096, .max_fields = 8, .max_name = 32, .max_value = 256,
	.max_upload = 4000, .max_files = 3, .max_cookies = 16, .max_header = 1024,
};

static char tmpdir[] = "/tmp/qa-fuzz-mp-XXXXXX";

static void remove_tmpdir(void)
{
	rmdir(tmpdir);
}

static size_t files_in_dir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		__builtin_trap();
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

struct result {
	int rc;
	struct param *fields;
	struct upload *files;
};

static struct result parse(struct arena *a, const char *body, size_t n, size_t chunk)
{
	struct result r = { PARSE_NOMEM, NULL, NULL };
	struct multipart *m = multipart_new(a, BOUNDARY, &lim, tmpdir);
	size_t off;
	int frc = PARSE_OK;

	if (!m)
		return r;               /* a tight arena: PARSE_NOMEM */
	for (off = 0; off < n && frc == PARSE_OK; off += chunk) {
		size_t k = n - off < chunk ? n - off : chunk;

		frc = multipart_feed(m, body + off, k);
	}
	r.rc = multipart_finish(m, &r.fields, &r.files);
	if (frc != PARSE_OK && r.rc != frc)
		__builtin_trap();
	if (r.rc != PARSE_OK && (r.fields || r.files || files_in_dir() != 0))
		__builtin_trap();
	return r;
}

static void check_result(const struct result *r)
{
	const struct param *p;
	const struct upload *u;
	size_t n = 0;
	struct stat st;

	for (p = r->fields; p; p = p->next, n++)
		if (strlen(p->value) != p->len || p->len > lim.max_value ||
		    strlen(p->name) > lim.max_name)
			__builtin_trap();
	if (n > lim.max_fields)
		__builtin_trap();
	for (n = 0, u = r->files; u; u = u->next, n++) {
		if (stat(u->path, &st) != 0 || (size_t)st.st_size != u->size)
			__builtin_trap();
		if ((st.st_mode & 07777) != 0600 || !u->ctype || !u->filename)
			__builtin_trap();
	}
	if (n > lim.max_files)
		__builtin_trap();
}

/* Everything a result says, file contents included, as one byte string. */
static void snapshot(struct buf *b, const struct result *r)
{
	const struct param *p;
	const struct upload *u;
	char chunk[4096];

	buf_printf(b, "rc=%d\n", r->rc);
	for (p = r->fields; p; p = p->next) {
		buf_printf(b, "F %s %zu:", p->name, p->len);
		buf_add(b, p->value, p->len);
	}
	for (u = r->files; u; u = u->next) {
		FILE *f = fopen(u->path, "rb");
		size_t k;

		if (!f)
			__builtin_trap();
		buf_printf(b, "U %s %s %s %zu:", u->field, u->filename, u->ctype, u->size);
		while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(b, chunk, k);
		fclose(f);
	}
}

static void fuzz_boundary(const uint8_t *data, size_t size)
{
	char ct[256], out[72];
	struct arena *a;

	if (size >= sizeof(ct))
		size = sizeof(ct) - 1;
	memcpy(ct, data, size);
	ct[size] = '\0';
	if (multipart_boundary(ct, out, sizeof(out)) != PARSE_OK)
		return;
	/* A boundary we accept is one the parser accepts. */
	a = arena_new(0);
	if (strlen(out) < 1 || strlen(out) > 70 || !multipart_new(a, out, &lim, tmpdir))
		__builtin_trap();
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct buf whole = BUF_INIT, split = BUF_INIT;
	struct arena *a;
	struct result r;
	size_t chunk;

	if (!ready) {
		if (!mkdtemp(tmpdir))
			abort();
		atexit(remove_tmpdir);
		ready = 1;
	}
	if (size < 2)
		return 0;
	/* 1..64 bytes per feed, or (for 0) the whole body at once */
	chunk = data[0] % 65;
	/* mostly roomy; sometimes just past what multipart_new needs */
	a = arena_new(data[1] < 32 ? 8192 + 512 + (size_t)data[1] * 64 : 1 << 20);
	data += 2;
	size -= 2;
	fuzz_boundary(data, size);
	r = parse(a, (const char *)data, size, size ? size : 1);
	check_result(&r);
	snapshot(&whole, &r);
	uploads_unlink(r.files);
	arena_reset(a);         /* the same room for the second parse */
	r = parse(a, (const char *)data, size, chunk ? chunk : size + 1);
	snapshot(&split, &r);
	uploads_unlink(r.files);
	if (whole.len != split.len || memcmp(whole.p, split.p, whole.len) != 0)
		__builtin_trap();
	if (files_in_dir() != 0)
		__builtin_trap();
	buf_free(&whole);
	buf_free(&split);
	arena_free(a);
	return 0;
}
