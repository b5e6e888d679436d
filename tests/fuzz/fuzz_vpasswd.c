/* fuzz_vpasswd: libFuzzer target for the vpasswd line parser and the
 * whole-file reader. Checks the contract as well as memory safety: a line
 * that parses and formats parses back to the same entry; a formatted line
 * is shorter than 300 bytes and ends in its only '\n'; every line of a file
 * is found again by name (the first one of that name), sortedness holds
 * when claimed, and a list page in any order counts the same entries and
 * hands on lines of the input, in file order (or its reverse) by name. */
#include "config.h"

#include "vpasswd.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_line(const char *data, size_t size)
{
	struct vpw_entry a, b;
	struct buf out = BUF_INIT;

	if (vpasswd_parse_line(data, size, &a, NULL) < 0)
		return;
	if (vpasswd_format_line(&a, &out, NULL) == 0) {
		if (out.len >= VPW_LINE_MAX || out.p[out.len - 1] != '\n'
		    || memchr(out.p, '\n', out.len - 1))
			__builtin_trap();
		if (vpasswd_parse_line(out.p, out.len, &b, NULL) < 0 || memcmp(&a, &b, sizeof(a)))
			__builtin_trap();
	}
	buf_free(&out);
}

static int name_is(const struct vpw_file *f, long i, const char *name)
{
	const char *p;
	size_t len, n = strlen(name);

	vpasswd_line(f, (size_t)i, &p, &len);
	return len > n && !memcmp(p, name, n) && p[n] == ':';
}

static void check_lines(const struct vpw_file *f)
{
	size_t i;

	for (i = 0; i < vpasswd_count(f); i++) {
		struct vpw_entry e;
		const char *p;
		size_t len;
		long j;

		vpasswd_line(f, i, &p, &len);
		if (memchr(p, '\n', len))
			__builtin_trap();
		if (vpasswd_entry(f, i, &e, NULL) < 0)
			continue;
		j = vpasswd_find(f, e.name);
		if (j < 0 || (size_t)j > i || !name_is(f, j, e.name))
			__builtin_trap();
	}
}

/* What a page handed on: where each line starts in the input. */
struct seen {
	const char *base;
	size_t size;
	size_t pos[16];
	size_t n;
};

static int seen_line(void *ctx, const char *line, size_t len)
{
	struct seen *s = ctx;

	if (line < s->base || len > s->size || (size_t)(line - s->base) > s->size - len
	    || !memchr(line, ':', len) || memchr(line, '\n', len) || s->n >= 16)
		__builtin_trap();
	s->pos[s->n++] = (size_t)(line - s->base);
	return 0;
}

/* Pages of the raw input in all four orders; the needle is data[1..1+k)
 * with k = data[0] % 5 (a NUL cuts it short). Every order counts the same
 * entries; name order hands on lines in file order (or its reverse). */
static void check_page(const uint8_t *data, size_t size)
{
	char needle[8];
	size_t k = size ? data[0] % 5 : 0, off = size ? data[0] / 5 % 4 : 0, total, first = 0, i;
	int order;

	if (k > size - (size > 0))
		k = size - (size > 0);
	memcpy(needle, data + (size > 0), k);
	needle[k] = '\0';
	for (order = 0; order < 4; order++) {
		struct vpw_query q = { needle, order / 2, order % 2, off, 16, NULL };
		struct seen s = { (const char *)data, size, { 0 }, 0 };

		if (vpasswd_page((const char *)data, size, &q, seen_line, &s, &total, NULL) != 0)
			__builtin_trap();
		if (order == 0)
			first = total;
		if (total != first || s.n > total || s.n != (total > off ? (total - off < 16 ? total - off : 16) : 0))
			__builtin_trap();
		for (i = 1; i < s.n && order < 2; i++)
			if (order == 0 ? s.pos[i] <= s.pos[i - 1] : s.pos[i] >= s.pos[i - 1])
				__builtin_trap();
	}
}

/* With the total known (as vpasswd.cdb's header gives it), a page by name
 * is read from the nearer end and stops there: the same lines, the same
 * total, for every offset up to past the end. */
static void check_known(const uint8_t *data, size_t size)
{
	size_t total = 0, known, off, i;
	int order;

	for (order = 0; order < 2; order++)
		for (off = 0; off < 40; off += 3) {
			struct vpw_query q = { NULL, 0, order, off, 16, NULL };
			struct seen a = { (const char *)data, size, { 0 }, 0 };
			struct seen b = { (const char *)data, size, { 0 }, 0 };

			if (vpasswd_page((const char *)data, size, &q, seen_line, &a, &known, NULL) != 0)
				__builtin_trap();
			q.entries = &known;
			if (vpasswd_page((const char *)data, size, &q, seen_line, &b, &total, NULL) != 0
			    || total != known || a.n != b.n)
				__builtin_trap();
			for (i = 0; i < a.n; i++)
				if (a.pos[i] != b.pos[i])
					__builtin_trap();
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vpw_file f;

	check_line((const char *)data, size);
	check_page(data, size);
	check_known(data, size);
	if (vpasswd_load_mem(&f, data, size, NULL) < 0)
		return 0;
	if (f.len && f.text[f.len - 1] != '\n')
		__builtin_trap();
	check_lines(&f);
	vpasswd_free(&f);
	return 0;
}
