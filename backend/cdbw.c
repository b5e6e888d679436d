/* cdbw: atomic cdb writer over tinycdb (see cdbw.h). */
#include "config.h"

#include "cdbw.h"

#include <errno.h>
#include <limits.h>

int cdbw_open(struct cdbw *w, const char *path, mode_t mode)
{
	w->failed = 0;
	if (atomic_open(&w->af, path, mode) < 0)
		return -1;
	if (cdb_make_start(&w->cm, w->af.fd) < 0) {
		atomic_abort(&w->af);
		return -1;
	}
	return 0;
}

int cdbw_add(struct cdbw *w, const void *key, size_t klen, const void *val, size_t vlen)
{
	if (w->failed)
		return -1;
	if (klen > UINT_MAX / 2 || vlen > UINT_MAX / 2) {
		errno = EOVERFLOW;
		w->failed = 1;
		return -1;
	}
	if (cdb_make_add(&w->cm, key, (unsigned)klen, val, (unsigned)vlen) < 0) {
		w->failed = 1;
		return -1;
	}
	return 0;
}

int cdbw_commit(struct cdbw *w)
{
	if (w->failed || cdb_make_finish(&w->cm) < 0) {
		int saved = errno;

		atomic_abort(&w->af);
		errno = saved;
		return -1;
	}
	return atomic_commit(&w->af);
}

void cdbw_abort(struct cdbw *w)
{
	/* cdb_make_finish frees tinycdb's record lists; run it on the doomed
	 * temp file so nothing leaks, then throw the file away. */
	cdb_make_finish(&w->cm);
	atomic_abort(&w->af);
}
