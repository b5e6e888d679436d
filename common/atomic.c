/* atomic: crash-safe file replacement (see atomic.h). */
#include "config.h"

#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

int fsync_parent(const char *path)
{
	char dir[4096];
	int fd, rc, saved;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int atomic_open(struct atomic_file *f, const char *path, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	int n;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->mode = mode;
	f->uid = (uid_t)-1;
	f->gid = (gid_t)-1;
	/* ".NAME.tmp.XXXXXX" beside the target: same filesystem, so rename is
	 * atomic, and a leading dot keeps it out of qmail's .qmail-* lookups. */
	n = snprintf(f->tmp, sizeof(f->tmp), "%.*s.%s.tmp.XXXXXX", dirlen, path,
	             path + dirlen);
	if (n < 0 || (size_t)n >= sizeof(f->tmp)
	    || snprintf(f->path, sizeof(f->path), "%s", path) >= (int)sizeof(f->path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	f->fd = mkostemp(f->tmp, O_CLOEXEC);
	return f->fd < 0 ? -1 : 0;
}

void atomic_set_owner(struct atomic_file *f, uid_t uid, gid_t gid)
{
	f->uid = uid;
	f->gid = gid;
}

int atomic_write(struct atomic_file *f, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0 && !f->failed) {
		ssize_t w = write(f->fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			f->failed = 1;
			break;
		}
		s += w;
		n -= (size_t)w;
	}
	return f->failed ? -1 : 0;
}

int atomic_writev(struct atomic_file *f, const struct iovec *iov, int n)
{
	struct iovec v[64];
	size_t skip = 0;     /* bytes of iov[0] already written */

	while (n > 0 && !f->failed) {
		int k, m = n < 64 ? n : 64;
		ssize_t w;

		for (k = 0; k < m; k++)
			v[k] = iov[k];
		v[0].iov_base = (char *)v[0].iov_base + skip;
		v[0].iov_len -= skip;
		w = writev(f->fd, v, m);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			f->failed = 1;
			break;
		}
		/* w counts from iov[0] + skip */
		w += (ssize_t)skip;
		while (n > 0 && (size_t)w >= iov[0].iov_len) {
			w -= (ssize_t)iov[0].iov_len;
			iov++;
			n--;
		}
		skip = (size_t)w;
	}
	return f->failed ? -1 : 0;
}

void atomic_start_sync(struct atomic_file *f)
{
#ifdef SYNC_FILE_RANGE_WRITE
	if (f->fd >= 0 && !f->failed)
		(void)sync_file_range(f->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
	(void)f;
#endif
}

int atomic_commit(struct atomic_file *f)
{
	int saved;

	if (f->fd < 0 || f->failed)
		goto fail;
	if (fchmod(f->fd, f->mode) < 0)
		goto fail;
	if ((f->uid != (uid_t)-1 || f->gid != (gid_t)-1) && fchown(f->fd, f->uid, f->gid) < 0)
		goto fail;
	if (fsync(f->fd) < 0)
		goto fail;
	if (close(f->fd) < 0) {
		f->fd = -1;
		goto fail;
	}
	f->fd = -1;
	if (rename(f->tmp, f->path) < 0)
		goto fail;
	f->tmp[0] = '\0';
	return fsync_parent(f->path);
fail:
	saved = errno;
	atomic_abort(f);
	errno = saved;
	return -1;
}

void atomic_abort(struct atomic_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp[0])
		unlink(f->tmp);
	f->tmp[0] = '\0';
}

int atomic_replace(const char *path, const void *data, size_t n, mode_t mode)
{
	struct atomic_file f;

	if (atomic_open(&f, path, mode) < 0)
		return -1;
	if (atomic_write(&f, data, n) < 0) {
		atomic_abort(&f);
		return -1;
	}
	return atomic_commit(&f);
}
