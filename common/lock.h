/* lock: the fcntl() whole-file write lock vpopmail takes on its lock files
 * (DOMDIR/.vpasswd.lock, users/assign.lock, control/FILE.lock). Using the same
 * lock on the same file is what lets our writes and vpopmail's own tools run
 * side by side without losing each other's changes. */
#ifndef QA_LOCK_H
#define QA_LOCK_H

/* Opens (creating, mode 0600) lockpath and takes the write lock, waiting up
 * to timeout_ms. Returns the locked fd, or -1 (errno EAGAIN on timeout). */
int lock_take(const char *lockpath, int timeout_ms);

/* Releases the lock and closes fd (closing alone would release it too). */
void lock_drop(int fd);

/* Serialises our own changes to one directory (a domain, or domains/) with an
 * flock() on the directory itself: no lock file is created, and it cannot be
 * dropped by vpasswd.c closing its own fcntl lock file in the same process.
 * Waits up to timeout_ms. Returns the locked fd, or -1 with errno: EAGAIN on
 * timeout, ENOENT when the directory is (or was, while we waited) removed. */
int lock_dir(const char *dir, int timeout_ms);

#endif
