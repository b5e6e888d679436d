/* buf: growable byte string (see buf.h). Never truncates silently: a failed
 * append marks the buffer failed instead. */
#include "config.h"

#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->failed = 0;
}

void buf_free(struct buf *b)
{
	free(b->p);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->p)
		b->p[0] = '\0';
}

static int buf_grow(struct buf *b, size_t extra)
{
	size_t need, ncap;
	char *np;

	if (b->failed)
		return -1;
	if (extra > (size_t)-1 - b->len - 1)
		goto fail;
	need = b->len + extra + 1;
	if (b->max && need - 1 > b->max)
		goto fail;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need) {
		if (ncap > (size_t)-1 / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	np = realloc(b->p, ncap);
	if (!np)
		goto fail;
	b->p = np;
	b->cap = ncap;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

int buf_add(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addc(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_add(b, &ch, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_grow(b, (size_t)n) < 0) {
		b->failed = 1;
		return -1;
	}
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

int buf_failed(const struct buf *b)
{
	return b->failed;
}

const char *buf_cstr(struct buf *b)
{
	if (!b->p) {
		if (buf_grow(b, 0) < 0)
			return "";
		b->p[0] = '\0';
	}
	return b->p;
}
