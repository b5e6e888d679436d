/* csv: the RFC 4180 reader (see csv.h). One pass over the bytes, no
 * backtracking; the only memory is the row slot allocated by csv_open(),
 * so a hostile upload costs no more than a well-formed one. */
#include "config.h"

#include "csv.h"

#include "validate.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 4, 5)))
static int stop(struct csv *r, struct qa_error *e, unsigned line, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	r->failed = 1;
	return qa_fail(e, QA_ERR_INVALID, "csv", "line %u: %s", line, what);
}

int csv_open(struct csv *r, const char *data, size_t len, size_t max_fields, size_t field_max,
             struct qa_error *e)
{
	memset(r, 0, sizeof(*r));
	if (max_fields < 1 || max_fields > CSV_FIELDS_MAX || field_max < 1
	    || field_max > (SIZE_MAX / CSV_FIELDS_MAX) - 1)
		return qa_fail(e, QA_ERR_INVALID, "csv", "bad reader limits");
	if (!(r->store = malloc(max_fields * (field_max + 1))))
		return qa_fail(e, QA_ERR_NOMEM, "csv", "out of memory");
	r->p = data ? data : "";
	r->len = data ? len : 0;
	r->line = 1;
	r->max_fields = max_fields;
	r->field_max = field_max;
	if (r->len >= 3 && !memcmp(r->p, "\xef\xbb\xbf", 3))
		r->pos = 3;   /* the byte order mark Excel puts first */
	return 0;
}

void csv_close(struct csv *r)
{
	free(r->store);
	r->store = NULL;
}

/* Length of the line break at pos: 2 for CRLF, 1 for LF or a lone CR. */
static size_t eol_len(const struct csv *r, size_t pos)
{
	if (pos >= r->len)
		return 0;
	if (r->p[pos] == '\n')
		return 1;
	if (r->p[pos] == '\r')
		return pos + 1 < r->len && r->p[pos + 1] == '\n' ? 2 : 1;
	return 0;
}

/* Appends n bytes of input at pos to the field, within its limit. */
static int put(struct csv *r, char *dst, size_t *dl, size_t idx, size_t n, struct qa_error *e)
{
	if (n > r->field_max - *dl)
		return stop(r, e, r->line, "field %zu is longer than %zu bytes", idx + 1, r->field_max);
	memcpy(dst + *dl, r->p + r->pos, n);
	*dl += n;
	r->pos += n;
	return 0;
}

static int field_plain(struct csv *r, char *dst, size_t *dl, size_t idx, struct qa_error *e)
{
	while (r->pos < r->len) {
		char c = r->p[r->pos];

		if (c == ',' || c == '\n' || c == '\r')
			return 0;
		if (c == '"')
			return stop(r, e, r->line, "stray quote in field %zu (quote the whole field "
			            "and double the quotes inside)", idx + 1);
		if (c == '\0')
			return stop(r, e, r->line, "NUL byte in field %zu", idx + 1);
		if (put(r, dst, dl, idx, 1, e) < 0)
			return -1;
	}
	return 0;
}

/* After a closing quote: "" is one quote; else ',', a line end or the end. */
static int close_quote(struct csv *r, char *dst, size_t *dl, size_t idx, int *done,
                       struct qa_error *e)
{
	if (r->pos + 1 < r->len && r->p[r->pos + 1] == '"') {
		r->pos++;   /* the first of the pair; put() copies the second */
		return put(r, dst, dl, idx, 1, e);
	}
	r->pos++;
	*done = 1;
	if (r->pos < r->len && r->p[r->pos] != ',' && !eol_len(r, r->pos))
		return stop(r, e, r->line, "stray quote: text after the closing quote of field %zu",
		            idx + 1);
	return 0;
}

static int field_quoted(struct csv *r, char *dst, size_t *dl, size_t idx, struct qa_error *e)
{
	unsigned start = r->line;
	int done = 0;
	size_t n;

	r->pos++;
	while (!done) {
		if (r->pos >= r->len)
			return stop(r, e, start, "unterminated quote in field %zu", idx + 1);
		if (r->p[r->pos] == '"') {
			if (close_quote(r, dst, dl, idx, &done, e) < 0)
				return -1;
		} else if (r->p[r->pos] == '\0') {
			return stop(r, e, r->line, "NUL byte in field %zu", idx + 1);
		} else if ((n = eol_len(r, r->pos))) {
			if (put(r, dst, dl, idx, n, e) < 0)
				return -1;
			r->line++;   /* a line break inside quotes is data */
		} else if (put(r, dst, dl, idx, 1, e) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Reads field idx of the current record into its slot. */
static int read_field(struct csv *r, struct csv_row *row, struct qa_error *e)
{
	size_t idx = row->n, dl = 0;
	char *dst = r->store + idx * (r->field_max + 1);
	unsigned line = r->line;
	int rc;

	if (idx == r->max_fields)
		return stop(r, e, r->line, "more than %zu fields", r->max_fields);
	if (r->pos < r->len && r->p[r->pos] == '"')
		rc = field_quoted(r, dst, &dl, idx, e);
	else
		rc = field_plain(r, dst, &dl, idx, e);
	if (rc < 0)
		return -1;
	dst[dl] = '\0';
	if (!utf8_valid(dst, dl))
		return stop(r, e, line, "field %zu is not valid UTF-8", idx + 1);
	row->f[idx] = dst;
	row->len[idx] = dl;
	row->n++;
	return 0;
}

int csv_next(struct csv *r, struct csv_row *row, struct qa_error *e)
{
	size_t n;

	row->n = 0;
	if (r->failed || !r->store)
		return qa_fail(e, QA_ERR_INVALID, "csv", "line %u: reading stopped at an error",
		               r->line);
	while ((n = eol_len(r, r->pos))) {   /* empty lines are no records */
		r->pos += n;
		r->line++;
	}
	if (r->pos >= r->len)
		return 0;
	row->line = r->line;
	for (;;) {
		if (read_field(r, row, e) < 0)
			return -1;
		if (r->pos >= r->len)
			return 1;
		if (r->p[r->pos] == ',') {
			r->pos++;
			continue;
		}
		r->pos += eol_len(r, r->pos);
		r->line++;
		return 1;
	}
}
