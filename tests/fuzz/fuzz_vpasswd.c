/* fuzz_vpasswd: libFuzzer target for the vpasswd line parser and the
 * whole-file reader. Checks the contract as well as memory safety: a line
 * that parses and formats parses back to the same entry; a formatted line
 * is shorter than 300 bytes and ends in its only '\n'; every line of a file
 * is found again by name (the first one of that name), sortedness holds
 * when claimed, and a scan returns ascending indexes within its counts. */
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

/* The needle is data[1..1+k) with k = data[0] % 5 (a NUL cuts it short). */
static void check_scan(const struct vpw_file *f, const uint8_t *data, size_t size)
{
	char needle[8];
	size_t idx[16], n, total, i, k = size ? data[0] % 5 : 0, off = size ? data[0] / 5 % 4 : 0;

	if (k > size - (size > 0))
		k = size - (size > 0);
	memcpy(needle, data + (size > 0), k);
	needle[k] = '\0';
	vpasswd_scan(f, needle, off, 16, idx, &n, &total);
	if (n > 16 || n > total || total > vpasswd_count(f))
		__builtin_trap();
	for (i = 0; i < n; i++)
		if (idx[i] >= vpasswd_count(f) || (i && idx[i] <= idx[i - 1]))
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vpw_file f;

	check_line((const char *)data, size);
	if (vpasswd_load_mem(&f, data, size, NULL) < 0)
		return 0;
	if (f.len && f.text[f.len - 1] != '\n')
		__builtin_trap();
	check_lines(&f);
	check_scan(&f, data, size);
	vpasswd_free(&f);
	return 0;
}
