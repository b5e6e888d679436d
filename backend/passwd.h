/* passwd: password hashing and checking with libxcrypt, the way vpopmail's
 * tools and vchkpw do it, so hashes we write log in everywhere. */
#ifndef QA_PASSWD_H
#define QA_PASSWD_H

#include <stddef.h>

#include "err.h"

#define PASSWD_HASH_MAX 256
#define PASSWD_RANDOM_LEN 12

/* Hashes clear with scheme "sha512" ($6$ and an 8-character salt, exactly
 * vpopmail's format), "yescrypt" ($y$) or "bcrypt" ($2b$). */
int passwd_hash(const char *clear, const char *scheme, char *out, size_t outlen,
                struct qa_error *e);

/* 1 when clear matches stored. A leading "{SCHEME}" is skipped as vpopmail
 * does; an empty or malformed stored hash never matches. */
int passwd_verify(const char *clear, const char *stored);

/* A random password of PASSWD_RANDOM_LEN characters from an alphabet with
 * no look-alikes (no 0/O, 1/l/I), for "random password" and new domains. */
int passwd_random(char *out, size_t outlen);

/* 1 when s looks like a crypt(3) hash we may store as given (CSV import):
 * starts with '$', no ':' or control bytes, at most PASSWD_HASH_MAX-1 long. */
int passwd_is_hash(const char *s);

#endif
