/* rand: cryptographic randomness (getrandom), for tokens and salts. */
#ifndef QA_RAND_H
#define QA_RAND_H

#include <stddef.h>

/* Fills p with n random bytes; 0 on success, -1 if the kernel refused. */
int rand_bytes(void *p, size_t n);

/* Writes 2*nbytes lowercase hex digits plus a NUL into out (size >= 2n+1). */
int rand_hex(char *out, size_t nbytes);

#endif
