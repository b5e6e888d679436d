/* cdbw: atomic cdb writer, built in memory (see cdbw.h). The layout is the
 * one of formats.md 0.1 and tinycdb's cdb_make: a 2048-byte header of 256
 * (table_pos, table_slots) pairs, the records in insertion order, then the
 * 256 tables one after the other, each with 2 slots per record hashed into
 * it, filled in insertion order by linear probing from (h >> 8) % slots;
 * an empty table has table_pos = where it would start and 0 slots. */
#include "config.h"

#include "cdbw.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CDBW_HEADER 2048

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t cdbw_hash(const unsigned char *p, size_t n)
{
	uint32_t h = 5381;

	while (n--)
		h = ((h << 5) + h) ^ *p++;
	return h;
}

static int fail(struct cdbw *w, int e)
{
	w->failed = 1;
	errno = e;
	return -1;
}

static int grow_buf(struct cdbw *w, size_t need)
{
	size_t cap = w->cap ? w->cap : 65536;
	unsigned char *p;

	if (need <= w->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	p = realloc(w->buf, cap);
	if (!p)
		return -1;
	w->buf = p;
	w->cap = cap;
	return 0;
}

static int grow_rec(struct cdbw *w, size_t need)
{
	size_t cap = w->reccap ? w->reccap : 1024;
	struct cdbw_slot *v;

	if (need <= w->reccap)
		return 0;
	while (cap < need)
		cap *= 2;
	v = realloc(w->rec, cap * sizeof(*v));
	if (!v)
		return -1;
	w->rec = v;
	w->reccap = cap;
	return 0;
}

int cdbw_open(struct cdbw *w, const char *path, mode_t mode)
{
	memset(w, 0, sizeof(*w));
	w->af.fd = -1;
	if (atomic_open(&w->af, path, mode) < 0)
		return -1;
	if (grow_buf(w, CDBW_HEADER) < 0) {
		atomic_abort(&w->af);
		errno = ENOMEM;
		return -1;
	}
	w->len = CDBW_HEADER;
	return 0;
}

void cdbw_reserve(struct cdbw *w, size_t bytes, size_t n)
{
	/* records (8-byte heads) and later the tables (16 bytes a record) */
	if (w->failed || n > (SIZE_MAX - bytes) / 32)
		return;
	if (w->len + bytes + 24 * n > w->cap) {
		/* exactly this much, not the next power of two */
		unsigned char *p = realloc(w->buf, w->len + bytes + 24 * n);

		if (!p)
			return;   /* only a hint: cdbw_add grows as needed */
		w->buf = p;
		w->cap = w->len + bytes + 24 * n;
	}
	if (grow_rec(w, w->nrec + n) < 0)
		return;
#ifdef MADV_HUGEPAGE
	/* A large database fills every page of the buffer: 2 MB pages take
	 * that many fewer faults. Advice only; ignored where unsupported. */
	if (w->cap >= ((size_t)8 << 20)) {
		uintptr_t a = ((uintptr_t)w->buf + 4095) & ~(uintptr_t)4095;
		uintptr_t e = ((uintptr_t)w->buf + w->cap) & ~(uintptr_t)4095;

		if (e > a)
			(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
	}
#endif
}

int cdbw_add(struct cdbw *w, const void *key, size_t klen, const void *val, size_t vlen)
{
	unsigned char *p;
	size_t need;

	if (w->failed)
		return -1;
	if (klen > UINT32_MAX / 2 || vlen > UINT32_MAX / 2)
		return fail(w, EOVERFLOW);
	need = 8 + klen + vlen;
	/* every byte, tables included, must stay below 4 GiB */
	if (w->len + need + 16 * (w->nrec + 1) > UINT32_MAX)
		return fail(w, ENOMEM);
	if (grow_buf(w, w->len + need) < 0 || grow_rec(w, w->nrec + 1) < 0)
		return fail(w, ENOMEM);
	p = w->buf + w->len;
	put32(p, (uint32_t)klen);
	put32(p + 4, (uint32_t)vlen);
	if (klen)
		memcpy(p + 8, key, klen);
	if (vlen)
		memcpy(p + 8 + klen, val, vlen);
	w->rec[w->nrec].hash = cdbw_hash(key, klen);
	w->rec[w->nrec].pos = (uint32_t)w->len;
	w->nrec++;
	w->len += need;
	return 0;
}

/* Appends the tables and fills the header. */
static int finish(struct cdbw *w)
{
	size_t count[256], start[256], t, i, *order = NULL;
	unsigned char *tab;

	if (grow_buf(w, w->len + 16 * w->nrec) < 0)
		return fail(w, ENOMEM);
	if (w->nrec && !(order = malloc(w->nrec * sizeof(*order))))
		return fail(w, ENOMEM);
	memset(count, 0, sizeof(count));
	for (i = 0; i < w->nrec; i++)
		count[w->rec[i].hash & 255]++;
	for (t = 0, i = 0; t < 256; t++) {
		start[t] = i;
		i += count[t];
	}
	/* records grouped by table, each group in insertion order */
	for (i = 0; i < w->nrec; i++)
		order[start[w->rec[i].hash & 255]++] = i;
	tab = w->buf + w->len;
	memset(tab, 0, 16 * w->nrec);
	for (t = 0, i = 0; t < 256; t++) {
		size_t slots = 2 * count[t], k;

		put32(w->buf + 8 * t, (uint32_t)(w->len));
		put32(w->buf + 8 * t + 4, (uint32_t)slots);
		for (k = 0; k < count[t]; k++, i++) {
			const struct cdbw_slot *r = &w->rec[order[i]];
			size_t s = (r->hash >> 8) % slots;

			/* pos 0 never names a record (the header is there) */
			while (tab[8 * s + 4] | tab[8 * s + 5] | tab[8 * s + 6] | tab[8 * s + 7])
				if (++s == slots)
					s = 0;
			put32(tab + 8 * s, r->hash);
			put32(tab + 8 * s + 4, r->pos);
		}
		tab += 8 * slots;
		w->len += 8 * slots;
	}
	free(order);
	return 0;
}

static void release(struct cdbw *w)
{
	free(w->buf);
	free(w->rec);
	w->buf = NULL;
	w->rec = NULL;
	w->len = w->cap = w->nrec = w->reccap = 0;
}

int cdbw_write(struct cdbw *w)
{
	if (!w->buf)     /* already written */
		return w->failed ? -1 : 0;
	if (w->failed || finish(w) < 0 || atomic_write(&w->af, w->buf, w->len) < 0) {
		int saved = errno;

		release(w);
		w->failed = 1;
		errno = saved;
		return -1;
	}
	release(w);
	return 0;
}

int cdbw_commit(struct cdbw *w)
{
	if (cdbw_write(w) < 0) {
		int saved = errno;

		atomic_abort(&w->af);
		errno = saved;
		return -1;
	}
	return atomic_commit(&w->af);
}

void cdbw_abort(struct cdbw *w)
{
	release(w);
	atomic_abort(&w->af);
}
