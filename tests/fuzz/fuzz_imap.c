/* libFuzzer: the IMAP response reader, grammar and typed parsers, as the
 * client meets them: the input is a server's byte stream, fed to the reader
 * in chunks (their size from the first byte); every whole response is
 * parsed and handed to every typed parser (CAPABILITY, LIST, STATUS, the
 * selected mailbox, SEARCH, ESEARCH, FETCH with ENVELOPE and
 * BODYSTRUCTURE), whatever its name. Invariants: responses end in LF and
 * stay within the limits; lists hold as many items as they say; every
 * parsed body part has a section that finds a part again. */
#include "config.h"

#include "arena.h"
#include "imap_parse.h"

#include <stdint.h>
#include <string.h>

static struct imap_limits lim = { 4096, 4096, 16384, 32, 4096 };

static void check_values(const struct imap_value *v, const char *buf, size_t len, unsigned depth)
{
	for (; v; v = v->next) {
		if (depth > lim.max_depth)
			__builtin_trap();
		if (v->type == IMAP_LIST) {
			const struct imap_value *c;
			size_t n = 0;

			for (c = v->child; c; c = c->next)
				n++;
			if (n != v->len)
				__builtin_trap();
			check_values(v->child, buf, len, depth + 1);
		} else if (v->len > len) {
			__builtin_trap();
		}
	}
}

static void check_body(const struct imap_body *root, const struct imap_body *b)
{
	const struct imap_body *c;
	size_t n = 0;

	if (!b->type || !b->subtype || !b->section || !imap_body_find(root, b->section))
		__builtin_trap();
	for (c = b->parts; c; c = c->next, n++)
		check_body(root, c);
	if (n != b->nparts)
		__builtin_trap();
	if (b->msg)
		check_body(root, b->msg);
}

static void typed(struct arena *a, const struct imap_response *r)
{
	struct imap_mailbox m;
	struct imap_status st;
	struct imap_selected sel = { 0 };
	struct imap_esearch es;
	struct imap_fetch f;
	const struct imap_value *v;
	uint32_t *nums;
	size_t n;
	char *name;

	imap_caps_parse(r->data);
	imap_caps_parse(r->code_args);
	imap_selected_apply(&sel, r);
	if (imap_parse_list(a, r, &m) == IMAP_PARSE_OK && (!m.raw || (m.name && !*m.raw && *m.name)))
		__builtin_trap();
	imap_parse_status(a, r, &name, &st);
	if (imap_parse_numbers(a, r, 1000, &nums, &n) == IMAP_PARSE_OK && n > 1000)
		__builtin_trap();
	if (imap_parse_esearch(a, r, 1000, &es) == IMAP_PARSE_OK && es.nall > 1000)
		__builtin_trap();
	if (imap_parse_fetch(a, r, &f) == IMAP_PARSE_OK && f.body)
		check_body(f.body, f.body);
	for (v = r->data; v; v = v->next) {
		struct imap_body *b;
		struct imap_envelope *e;
		struct imap_flags fl;

		if (imap_parse_body(a, v, &b) == IMAP_PARSE_OK)
			check_body(b, b);
		imap_parse_envelope(a, v, &e);
		imap_parse_flags(a, v, &fl);
		if (v->type == IMAP_ATOM)
			imap_parse_seqset(a, v->s, v->len, 1000, &nums, &n);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	struct imap_reader rd;
	size_t off = 1, chunk;

	if (size < 1)
		return 0;
	if (!a)
		a = arena_new(64u << 20);
	chunk = (size_t)data[0] + 1;
	imap_reader_init(&rd, &lim);
	while (off < size) {
		size_t k = size - off < chunk ? size - off : chunk, used;
		int rc = imap_reader_feed(&rd, (const char *)data + off, k, &used);
		struct imap_response r;

		if (used > k)
			__builtin_trap();
		off += used;
		if (rc < 0)
			break;
		if (rc == 0)
			continue;
		if (rd.resp.len == 0 || rd.resp.len > lim.max_response || rd.resp.p[rd.resp.len - 1] != '\n')
			__builtin_trap();
		if (imap_parse_response(a, rd.resp.p, rd.resp.len, &lim, &r) == IMAP_PARSE_OK) {
			check_values(r.data, rd.resp.p, rd.resp.len, 0);
			check_values(r.code_args, rd.resp.p, rd.resp.len, 0);
			typed(a, &r);
		}
		imap_reader_next(&rd);
		arena_reset(a);
	}
	imap_reader_free(&rd);
	arena_reset(a);
	return 0;
}
