/* arena: bump allocator over a list of malloc'd blocks (see arena.h). */
#include "config.h"

#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384
#define ARENA_ALIGN 16

struct block {
	struct block *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

struct arena {
	struct block *head;    /* current block; the first block is the tail */
	size_t limit;
	size_t total;          /* bytes handed out since the last reset */
};

static struct block *block_new(size_t size)
{
	struct block *b = malloc(sizeof(*b) + size);

	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *arena_new(size_t limit)
{
	struct arena *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->head = block_new(ARENA_BLOCK);
	if (!a->head) {
		free(a);
		return NULL;
	}
	a->limit = limit;
	return a;
}

void arena_reset(struct arena *a)
{
	struct block *b = a->head;

	while (b->next) {
		struct block *next = b->next;

		free(b);
		b = next;
	}
	b->used = 0;
	a->head = b;
	a->total = 0;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	arena_reset(a);
	free(a->head);
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct block *b = a->head;
	size_t need;
	void *p;

	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need == 0)
		need = ARENA_ALIGN;
	if (a->limit && (need > a->limit || a->total > a->limit - need))
		return NULL;
	if (b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		struct block *nb = block_new(size);

		if (!nb)
			return NULL;
		/* New blocks go in front; the first block stays last so reset keeps it. */
		nb->next = b;
		a->head = b = nb;
	}
	p = (char *)b->data + b->used;
	b->used += need;
	a->total += need;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
