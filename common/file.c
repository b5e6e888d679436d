/* file: whole-file reads (see file.h). */
#include "config.h"

#include "file.h"

#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int file_read(const char *path, size_t max, struct buf *out)
{
	char chunk[16384];
	size_t start = out->len;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || out->len - start + (size_t)n > max || buf_add(out, chunk, (size_t)n) < 0) {
			saved = n < 0 ? errno : out->failed ? ENOMEM : EFBIG;
			close(fd);
			buf_reset(out);
			errno = saved;
			return -1;
		}
	}
	close(fd);
	return 0;
}
