/* io: FastCGI or CGI transport (see io.h). */
#include "config.h"

#include "io.h"

#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>

const char *io_getenv(const struct io *io, const char *name)
{
	if (io->fcgi)
		return FCGX_GetParam(name, io->fcgi->envp);
	return getenv(name);
}

size_t io_read(struct io *io, char *p, size_t n)
{
	int r;

	if (!io->fcgi)
		return fread(p, 1, n, stdin);
	if (n > 1 << 20)
		n = 1 << 20;
	r = FCGX_GetStr(p, (int)n, io->fcgi->in);
	return r > 0 ? (size_t)r : 0;
}

int io_write(struct io *io, const void *p, size_t n)
{
	const char *s = p;

	if (io->write_failed)
		return -1;
	if (!io->fcgi) {
		if (fwrite(s, 1, n, stdout) != n)
			io->write_failed = 1;
		return io->write_failed ? -1 : 0;
	}
	while (n > 0) {
		int chunk = n > 1 << 20 ? 1 << 20 : (int)n;

		if (FCGX_PutStr(s, chunk, io->fcgi->out) != chunk) {
			io->write_failed = 1;
			return -1;
		}
		s += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

void io_flush(struct io *io)
{
	if (io->fcgi)
		FCGX_FFlush(io->fcgi->out);
	else
		fflush(stdout);
}
