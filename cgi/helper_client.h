/* helper_client: runs one qmailadmin-helper operation for a page. The helper
 * is the only authority on who a user is and on every store; the front end
 * starts it once per operation (posix_spawn, fixed argv, an empty
 * environment, no descriptors but its stdin and stdout pipes and our
 * stderr), writes the request, reads the whole answer into the request's
 * arena under a deadline and a size limit, and reaps it (killing it first
 * when it overstays). It never runs a shell. The caller ignores SIGPIPE (as
 * main.c does for the whole front end): a helper may exit before it has read
 * the whole request. */
#ifndef QA_HELPER_CLIENT_H
#define QA_HELPER_CLIENT_H

#include <stddef.h>

#include "conf.h"
#include "err.h"
#include "proto.h"

struct arena;

#define HELPER_TIMEOUT_MS 10000

struct helper {
	const char *path;                     /* conf.helper: an absolute path */
	char env[CONF_PATH_MAX + 32];         /* "QMAILADMIN_CONF=..." or "" */
	int timeout_ms;
};

struct helper_arg {
	const char *key;
	const char *val;                      /* NULL: the argument is left out */
};

/* The helper is path. conf_override is $QMAILADMIN_CONF as the front end got
 * it (NULL when unset): only then is it passed on, so that tests can point
 * an unprivileged helper at their own config (a setuid helper ignores it). */
void helper_init(struct helper *h, const char *path, const char *conf_override);

/* Runs op with args. 0 when the helper answered "ok": ans holds its records,
 * allocated in a. -1 otherwise, with e set: the helper's own error (auth,
 * throttled, expired, denied ...) or QA_ERR_IO when no answer came (the
 * helper could not be run, overstayed h->timeout_ms, or answered bytes that
 * do not decode), with a detail for the log. */
int helper_call(const struct helper *h, struct arena *a, const char *op,
                const struct helper_arg *args, size_t nargs,
                struct proto_answer *ans, struct qa_error *e);

#endif
