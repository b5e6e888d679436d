/* wmkey: webmail's split password (architecture.md, Sessions).
 *
 * Webmail logs in to IMAP with the mailbox's own password on every request,
 * so the password must be kept between requests, but never whole in one
 * place. At login the front end makes a random 256-bit key, seals the
 * password with it (AES-256-GCM, a fresh 96-bit nonce) and hands the sealed
 * bytes to the helper, which keeps them in the session file; the key goes
 * to the browser alone, in the qa_wm cookie (HttpOnly, SameSite=Strict). A
 * stolen cookie without the session file, or the session files without
 * the cookie, reveal nothing; logging out deletes the sealed half. GCM's
 * tag makes a mismatched pair fail instead of yielding a wrong password. */
#ifndef QA_WMKEY_H
#define QA_WMKEY_H

#include <stddef.h>

#define WM_COOKIE "qa_wm"
#define WM_KEY_HEX 64                /* 32 bytes */
#define WM_PASSWORD_MAX 128          /* vpopmail's limit for a clear password */
/* nonce 12 + sealed password + tag 16, as hex */
#define WM_SECRET_HEX_MAX (2 * (12 + WM_PASSWORD_MAX + 16))

/* A new random key as 64 lowercase hex digits (key[WM_KEY_HEX + 1]). */
int wm_new_key(char *key);

/* Is key 64 lowercase hex digits? */
int wm_key_ok(const char *key);

/* Seals password (1..WM_PASSWORD_MAX bytes) under key into secret, hex,
 * NUL-terminated (size >= WM_SECRET_HEX_MAX + 1). 0, or -1. */
int wm_seal(const char *key, const char *password, char *secret, size_t size);

/* Opens secret with key into password (size >= WM_PASSWORD_MAX + 1). -1
 * when the halves do not belong together or either is malformed; password
 * is then "". */
int wm_unseal(const char *key, const char *secret, char *password, size_t size);

#endif
