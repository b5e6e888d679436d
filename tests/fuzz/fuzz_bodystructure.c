/* libFuzzer: a BODYSTRUCTURE value as a server could send it (literals
 * included), parsed by cgi/imap_fetch.c, then everything the message view
 * does with it: the display plan both ways (cgi/mime.c), the attachment
 * list, cid: lookups, address display, text decoding of the input itself as
 * each shown part, and the download headers of every part. Invariants:
 * every string for the page is valid UTF-8 without controls (text keeps
 * tabs and LF), every type is "token/token", every header value printable
 * ASCII with the fallback's two quotes. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "imap_parse.h"
#include "mailaddr_view.h"
#include "mime.h"
#include "mime_download.h"
#include "validate.h"

#include <stdint.h>
#include <string.h>

static const uint8_t *input;
static size_t input_size;

static void check_text(const char *v, size_t n, int lines)
{
	size_t i;

	if (!v || !utf8_valid(v, n) || strlen(v) != n)
		__builtin_trap();
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if ((c < 0x20 || c == 0x7f) && !(lines && (c == '\n' || c == '\t')))
			__builtin_trap();
	}
}

static void check_header(const char *h, int quoted)
{
	size_t quotes = 0;

	if (!h)
		__builtin_trap();
	for (; *h; h++) {
		if ((unsigned char)*h < 0x20 || (unsigned char)*h >= 0x7f || (!quoted && *h == ';'))
			__builtin_trap();
		quotes += *h == '"';
	}
	if (quotes != (quoted ? 2u : 0u))
		__builtin_trap();
}

static void check_type(const char *t)
{
	const char *slash = t ? strchr(t, '/') : NULL;
	char type[256];

	if (!slash || (size_t)(slash - t) >= sizeof(type))
		__builtin_trap();
	memcpy(type, t, (size_t)(slash - t));
	type[slash - t] = '\0';
	if (!mime_is_token(type) || !mime_is_token(slash + 1))
		__builtin_trap();
}

/* An id with something in it besides blanks and angle brackets. */
static int has_id(const char *id)
{
	return id && id[strspn(id, " \t<>")];
}

static void download(struct arena *a, const struct imap_body *b, const char *name)
{
	struct mime_download d;
	int i;

	for (i = 0; i < 2; i++) {
		if (mime_download_headers(a, b, name, i, &d) < 0)
			__builtin_trap();
		check_header(d.content_type, 0);
		check_type(d.content_type);
		check_header(d.content_disposition, 1);
		if (!strcmp(d.content_type, "text/html") || !strcmp(d.content_type, "image/svg+xml"))
			__builtin_trap();
	}
}

static void check_plan(struct arena *a, const struct imap_body *root, const struct mime_plan *p)
{
	const struct mime_item *it;
	const struct mime_attachment *at;
	char *out;
	size_t n;

	for (it = p->items; it; it = it->next) {
		if (has_id(it->part->id) && mime_cid_part(root, it->part->id) == NULL)
			__builtin_trap();
		if (it->kind == MIME_PLAIN || it->kind == MIME_HTML) {
			if (mime_decode_text(a, it->part, (const char *)input, input_size, &out, &n) < 0)
				__builtin_trap();
			check_text(out, n, 1);
		}
		if (it->kind == MIME_MESSAGE && it->env) {
			out = mailaddr_list(a, it->env->from);
			check_text(out, out ? strlen(out) : 0, 0);
			out = mailaddr_short(a, it->env->to);
			check_text(out, out ? strlen(out) : 0, 0);
		}
		if (it->kind == MIME_MESSAGE && it->inner)
			check_plan(a, root, it->inner);
		download(a, it->part, NULL);
	}
	for (at = p->attachments; at; at = at->next) {
		check_text(at->filename, strlen(at->filename), 0);
		if (!*at->filename)
			__builtin_trap();
		check_type(at->type);
		download(a, at->part, at->filename);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	struct imap_limits lim;
	struct imap_response r;
	struct imap_fetch f;
	struct mime_plan *p;
	struct buf wire = BUF_INIT;
	unsigned opts;

	if (!a)
		a = arena_new(256u << 20);
	input = data;
	input_size = size;
	imap_limits_default(&lim);
	buf_adds(&wire, "* 1 FETCH (BODYSTRUCTURE ");
	buf_add(&wire, data, size);
	buf_adds(&wire, ")\r\n");
	if (!buf_failed(&wire) && imap_parse_response(a, wire.p, wire.len, &lim, &r) == IMAP_PARSE_OK
	    && imap_parse_fetch(a, &r, &f) == IMAP_PARSE_OK && f.body) {
		for (opts = 0; opts <= MIME_PREFER_PLAIN; opts++) {
			if (mime_plan(a, f.body, opts, &p) < 0)
				__builtin_trap();
			check_plan(a, f.body, p);
		}
	}
	buf_free(&wire);
	arena_reset(a);
	return 0;
}
