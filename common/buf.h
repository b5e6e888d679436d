/* buf: the one growable byte string of the project.
 * Binary-safe; always keeps a NUL after the data so p can be used as a C string.
 * Functions return 0 on success and -1 when memory (or the optional cap) ran out;
 * after a failure the buf is marked failed and later appends are ignored, so a
 * caller may append many pieces and check buf_failed() once. */
#ifndef QA_BUF_H
#define QA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *p;
	size_t len;
	size_t cap;
	size_t max;   /* 0 = no limit; otherwise appends past max fail */
	int failed;
};

#define BUF_INIT { NULL, 0, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);          /* len = 0, keeps the memory */
int buf_add(struct buf *b, const void *data, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, int c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
int buf_failed(const struct buf *b);
const char *buf_cstr(struct buf *b);     /* never NULL */

#endif
