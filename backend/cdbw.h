/* cdbw: the one way the backend writes a cdb file (vpasswd.cdb, users/cdb,
 * morercpthosts.cdb): the whole database is built in memory (records in
 * insertion order, then the 256 hash tables, exactly the bytes tinycdb's
 * cdb_make writes) and written to an atomic_file with one write, so
 * readers see the old database or the complete new one, never a partial
 * file. */
#ifndef QA_CDBW_H
#define QA_CDBW_H

#include <cdb.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "atomic.h"

struct cdbw_slot {
	uint32_t hash;
	uint32_t pos;
};

struct cdbw {
	struct atomic_file af;
	unsigned char *buf;       /* header + records so far (+ tables at commit) */
	size_t len, cap;
	struct cdbw_slot *rec;    /* one per record, in insertion order */
	size_t nrec, reccap;
	int failed;
};

int cdbw_open(struct cdbw *w, const char *path, mode_t mode);
/* Optional: room for records totalling about bytes (keys + values) and n
 * records, so a large database is not copied while it grows. */
void cdbw_reserve(struct cdbw *w, size_t bytes, size_t n);
int cdbw_add(struct cdbw *w, const void *key, size_t klen, const void *val, size_t vlen);
/* Writes the database to the temp file without committing it: the caller
 * may then start its writeback early (atomic_start_sync) and commit later.
 * Calling it is optional; cdbw_commit writes if it was not. */
int cdbw_write(struct cdbw *w);
/* Finishes the tables, then atomic_commit. -1 (errno set) on any failure,
 * and then the old file is untouched. */
int cdbw_commit(struct cdbw *w);
void cdbw_abort(struct cdbw *w);

#endif
