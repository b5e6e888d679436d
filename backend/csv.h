/* csv: an RFC 4180 reader for the CSV files admins upload (user import).
 * Fields are separated by ',', records end at CRLF, LF or a lone CR (old
 * Mac exports); a field that starts with '"' is quoted: it may hold ',',
 * line breaks and '""' (one '"'), and its closing quote must be followed
 * by ',', a line end or the end of the data. A missing final line break is
 * fine, empty lines are no records, and a UTF-8 byte order mark at the
 * start is skipped (spreadsheets write one).
 *
 * Memory is bounded by the limits given to csv_open(), whatever the input:
 * one row of max_fields fields of field_max bytes each. Every error is
 * QA_ERR_INVALID, names the physical line ("line 17: ..."), and stops the
 * reader; it never guesses at a broken file: an unterminated quote, a stray
 * quote, too many fields, a field over its limit, invalid UTF-8, a NUL. */
#ifndef QA_CSV_H
#define QA_CSV_H

#include <stddef.h>

#include "err.h"

#define CSV_FIELDS_MAX 64          /* the most fields a reader may be opened for */

struct csv {
	const char *p;
	size_t len, pos;
	unsigned line;                 /* physical line of pos, from 1 */
	size_t max_fields, field_max;
	char *store;                   /* max_fields slots of field_max + 1 bytes */
	int failed;
};

struct csv_row {
	unsigned line;                 /* where the record starts */
	size_t n;                      /* 1..max_fields */
	const char *f[CSV_FIELDS_MAX]; /* NUL-terminated, valid UTF-8, no NUL inside */
	size_t len[CSV_FIELDS_MAX];
};

/* A reader over data[0..len) (not copied: it must outlive the reader).
 * max_fields is 1..CSV_FIELDS_MAX, field_max at least 1. */
int csv_open(struct csv *r, const char *data, size_t len, size_t max_fields, size_t field_max,
             struct qa_error *e);
void csv_close(struct csv *r);

/* The next record: 1 with row filled (its fields stay valid until the next
 * call), 0 at the end, -1 on an error (and every later call fails too). */
int csv_next(struct csv *r, struct csv_row *row, struct qa_error *e);

#endif
