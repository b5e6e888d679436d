/* arena: per-request memory. Everything a request allocates comes from its arena
 * and is released at once by arena_reset() when the request ends, so a FastCGI
 * worker starts every request clean and cannot leak across requests.
 * A byte limit bounds what one request may allocate: a hostile request gets an
 * allocation failure (and a 413/500), never the whole machine's memory. */
#ifndef QA_ARENA_H
#define QA_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(size_t limit);        /* limit 0 = unlimited */
void arena_free(struct arena *a);
void arena_reset(struct arena *a);            /* keeps the first block */
void *arena_alloc(struct arena *a, size_t n);  /* zeroed; NULL when over the limit */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
size_t arena_used(const struct arena *a);

#endif
