/* atomic: the one way this project replaces a file. The new content goes to
 * a temp file in the same directory, is fsync'ed, given its mode (and owner),
 * renamed over the old name, and the directory is fsync'ed: a crash at any
 * point leaves either the old file or the new one, never a mix. */
#ifndef QA_ATOMIC_H
#define QA_ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

struct atomic_file {
	int fd;
	char path[4096];
	char tmp[4096];
	mode_t mode;
	uid_t uid;          /* (uid_t)-1: leave as created */
	gid_t gid;
	int failed;
};

/* Starts replacing path. Returns 0 or -1 (errno set). */
int atomic_open(struct atomic_file *f, const char *path, mode_t mode);
/* Optional: chown the new file before it is renamed into place. */
void atomic_set_owner(struct atomic_file *f, uid_t uid, gid_t gid);
int atomic_write(struct atomic_file *f, const void *p, size_t n);
/* Writes iov[0..n) in order (writev, partial writes resumed). */
struct iovec;
int atomic_writev(struct atomic_file *f, const struct iovec *iov, int n);
/* Optional, after the last write: starts the writeback of what was written
 * without waiting for it, so it overlaps whatever the caller does before
 * atomic_commit (whose fsync still waits for all of it). Never fails. */
void atomic_start_sync(struct atomic_file *f);
/* fsync, fchmod/fchown, rename, fsync dir. On any failure the temp file is
 * removed, the old file is untouched, and -1 is returned. */
int atomic_commit(struct atomic_file *f);
/* Gives up: removes the temp file. Safe to call after a failed commit. */
void atomic_abort(struct atomic_file *f);

/* One-shot: replace path with data[0..n). */
int atomic_replace(const char *path, const void *data, size_t n, mode_t mode);

/* fsync the directory that holds path (after a rename or unlink in it). */
int fsync_parent(const char *path);

#endif
