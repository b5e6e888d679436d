/* cdbw: the one way the backend writes a cdb file (vpasswd.cdb, users/cdb,
 * morercpthosts.cdb): tinycdb's cdb_make into an atomic_file, so readers see
 * the old database or the complete new one, never a partial file. */
#ifndef QA_CDBW_H
#define QA_CDBW_H

#include <cdb.h>
#include <stddef.h>
#include <sys/types.h>

#include "atomic.h"

struct cdbw {
	struct atomic_file af;
	struct cdb_make cm;
	int failed;
};

int cdbw_open(struct cdbw *w, const char *path, mode_t mode);
int cdbw_add(struct cdbw *w, const void *key, size_t klen, const void *val, size_t vlen);
/* Finishes the tables, then atomic_commit. -1 (errno set) on any failure,
 * and then the old file is untouched. */
int cdbw_commit(struct cdbw *w);
void cdbw_abort(struct cdbw *w);

#endif
