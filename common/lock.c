/* lock: fcntl whole-file write locks with a deadline (see lock.h). vpopmail
 * polls with F_SETLK (10 tries, 2 s apart); we poll the same way but more
 * finely, so neither side can block the other forever. */
#include "config.h"

#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int try_lock(int fd)
{
	struct flock fl = { 0 };

	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 0;
	return fcntl(fd, F_SETLK, &fl);
}

int lock_take(const char *lockpath, int timeout_ms)
{
	struct timespec pause = { 0, 5 * 1000 * 1000 };
	int fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	int waited = 0;

	if (fd < 0)
		return -1;
	while (try_lock(fd) < 0) {
		if ((errno != EACCES && errno != EAGAIN && errno != EINTR)
		    || waited >= timeout_ms) {
			int saved = errno == EACCES ? EAGAIN : errno;

			close(fd);
			errno = saved;
			return -1;
		}
		nanosleep(&pause, NULL);
		waited += 5;
	}
	return fd;
}

void lock_drop(int fd)
{
	struct flock fl = { 0 };

	if (fd < 0)
		return;
	fl.l_type = F_UNLCK;
	fl.l_whence = SEEK_SET;
	fcntl(fd, F_SETLK, &fl);
	close(fd);
}

int lock_dir(const char *dir, int timeout_ms)
{
	struct timespec pause = { 0, 1000 * 1000 };
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), waited = 0, saved;

	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR) || waited >= timeout_ms) {
			saved = errno == EWOULDBLOCK ? EAGAIN : errno;
			close(fd);
			errno = saved;
			return -1;
		}
		nanosleep(&pause, NULL);
		waited++;
	}
	/* Removed while we waited (a domain delete): nothing to change. */
	if (fstat(fd, &st) < 0 || st.st_nlink == 0) {
		close(fd);
		errno = ENOENT;
		return -1;
	}
	return fd;
}
