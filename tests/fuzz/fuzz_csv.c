/* libFuzzer: the CSV reader, which the helper runs on an uploaded file.
 * The first input byte picks the limits (1..4 fields, 1..64 bytes each).
 * Invariants: every row has 1..max fields, each within its limit, NUL-free
 * and valid UTF-8; line numbers grow and never pass the input's line
 * count; an error names a line; and the rows, written back with every
 * field quoted, read back as the same rows. */
#include "config.h"

#include "buf.h"
#include "csv.h"
#include "validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 4096

static unsigned line_breaks(const uint8_t *d, size_t n)
{
	unsigned lines = 1;
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i] == '\n' || (d[i] == '\r' && (i + 1 == n || d[i + 1] != '\n')))
			lines++;
	return lines;
}

static void check_row(const struct csv_row *row, size_t max_fields, size_t field_max,
                      unsigned prev, unsigned last)
{
	size_t i;

	if (row->n < 1 || row->n > max_fields || row->line <= prev || row->line > last)
		__builtin_trap();
	for (i = 0; i < row->n; i++)
		if (row->len[i] > field_max || strlen(row->f[i]) != row->len[i]
		    || !utf8_valid(row->f[i], row->len[i]))
			__builtin_trap();
}

/* The row quoted RFC 4180 style, appended to out. */
static void write_row(const struct csv_row *row, struct buf *out)
{
	size_t i, k;

	for (i = 0; i < row->n; i++) {
		buf_addc(out, '"');
		for (k = 0; k < row->len[i]; k++) {
			if (row->f[i][k] == '"')
				buf_addc(out, '"');
			buf_addc(out, row->f[i][k]);
		}
		buf_adds(out, i + 1 < row->n ? "\"," : "\"\r\n");
	}
}

/* Reads data; the rows as "len:bytes" records into flat (for comparing). */
static int read_all(const char *data, size_t size, size_t mf, size_t fm, struct buf *flat,
                    struct buf *rewritten, unsigned last)
{
	struct csv_row row;
	struct qa_error e;
	struct csv r;
	unsigned prev = 0, rows = 0;
	size_t i;
	int rc = 0;

	if (csv_open(&r, data, size, mf, fm, &e) < 0)
		__builtin_trap();
	while (rows++ < MAX_ROWS && (rc = csv_next(&r, &row, &e)) > 0) {
		check_row(&row, mf, fm, prev, last);
		prev = row.line;
		buf_printf(flat, "%zu;", row.n);
		for (i = 0; i < row.n; i++) {
			buf_printf(flat, "%zu:", row.len[i]);
			buf_add(flat, row.f[i], row.len[i]);
		}
		if (rewritten)
			write_row(&row, rewritten);
	}
	if (rows <= MAX_ROWS && rc < 0 && (e.code != QA_ERR_INVALID || strncmp(e.detail, "line ", 5)))
		__builtin_trap();
	csv_close(&r);
	return rows > MAX_ROWS ? 1 : rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf flat = BUF_INIT, again = BUF_INIT, rewritten = BUF_INIT;
	size_t mf, fm;
	int rc;

	if (size < 1)
		return 0;
	mf = (size_t)(data[0] & 3) + 1;
	fm = (size_t)(data[0] >> 2) + 1;
	data++;
	size--;
	rc = read_all((const char *)data, size, mf, fm, &flat, &rewritten,
	              line_breaks(data, size));
	if (rc == 0) {
		/* Written back quoted, the same rows come out. */
		if (read_all(rewritten.p ? rewritten.p : "", rewritten.len, mf, fm, &again, NULL,
		             line_breaks((const uint8_t *)(rewritten.p ? rewritten.p : ""), rewritten.len)) != 0
		    || flat.len != again.len || (flat.len && memcmp(flat.p, again.p, flat.len)))
			__builtin_trap();
	}
	buf_free(&flat);
	buf_free(&again);
	buf_free(&rewritten);
	return 0;
}
