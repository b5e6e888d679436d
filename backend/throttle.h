/* throttle: failed-login counting per account and per client address, so a
 * password cannot be guessed at web speed. State lives in
 * STATE_DIR/throttle/, one small file per key (named by a hash of it, so no
 * input ever reaches a file name). */
#ifndef QA_THROTTLE_H
#define QA_THROTTLE_H

#include <time.h>

/* 1 when key has limit or more failures within the window ending now. */
int throttle_blocked(const char *state_dir, const char *key, unsigned long limit,
                     unsigned long window, time_t now);
/* Counts one failure for key. */
void throttle_fail(const char *state_dir, const char *key, unsigned long window, time_t now);
/* Forgets key's failures (after a successful login). */
void throttle_clear(const char *state_dir, const char *key);

#endif
