/* fmt: numbers for people, in the request's language: sizes ("1.5 MB",
 * "1,5 MB"), counts with thousands separators ("100,000", "100 000") and
 * quota percentages. Results live in the request's arena. */
#ifndef QA_FMT_H
#define QA_FMT_H

#include <stdint.h>

struct ctx;

/* Bytes with binary units (1 KB = 1024 bytes, as Maildir++ quotas and the
 * old qmailadmin count): "0 B", "900 B", "1.5 KB", "20 MB", "1.2 GB". */
const char *fmt_bytes(struct ctx *c, uint64_t n);

/* A count with the language's thousands separator. */
const char *fmt_count(struct ctx *c, uint64_t n);

/* used as a whole percentage of limit, 0..100 (0 when limit is 0). */
unsigned fmt_percent(uint64_t used, uint64_t limit);

#endif
