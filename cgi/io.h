/* io: one request's input, output and parameters, whether it came over
 * FastCGI (libfcgi's FCGX API) or as a plain CGI exec (stdio + environ).
 * Page code never knows which. */
#ifndef QA_IO_H
#define QA_IO_H

#include <stddef.h>

struct FCGX_Request;

struct io {
	struct FCGX_Request *fcgi;   /* NULL in CGI mode */
	int write_failed;
};

const char *io_getenv(const struct io *io, const char *name);
/* Reads up to n bytes of the request body; returns bytes read, 0 at the end. */
size_t io_read(struct io *io, char *p, size_t n);
/* Writes all n bytes; -1 (and io->write_failed) if the client went away. */
int io_write(struct io *io, const void *p, size_t n);
void io_flush(struct io *io);

#endif
