/* file: reading a whole (small) file, the one way: bounded, binary-safe. */
#ifndef QA_FILE_H
#define QA_FILE_H

#include <stddef.h>

struct buf;

/* Appends the content of path to out. Returns 0, or -1 with errno set
 * (EFBIG when the file holds more than max bytes; out is then reset). */
int file_read(const char *path, size_t max, struct buf *out);

#endif
