/* usage: a domain's disk use for the domain list: the sum of its
 * mailboxes' Maildir++ usage (maildirsize, as the user list reads it).
 * Summing means reading one file per mailbox, so the figure is cached per
 * domain in STATE_DIR/usage/DOMAIN as "<bytes> <count> <unixtime>\n" and
 * recomputed when it is USAGE_MAX_AGE old: a list page costs one small
 * read per domain, and a figure is at most ten minutes behind.
 *
 * Runs as the vpopmail user (domain.list and domain.get do), so usage/ and
 * its files are that user's, like sessions/ (session.h). As root it reads
 * and forgets but writes nothing, so that no root-owned file lands in the
 * state directory.
 *
 * Must never: follow a symlink to a cache file, take more from a cache
 * file than its three numbers, fail a listing because the cache cannot be
 * written, print, or exit. */
#ifndef QA_USAGE_H
#define QA_USAGE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"
#include "validate.h"

struct store;

#define USAGE_MAX_AGE 600    /* seconds */
#define USAGE_LINE_MAX 64    /* "<20 digits> <20 digits> <20 digits>\n" */

struct usage {
	uint64_t bytes;
	uint64_t count;
	time_t when;         /* when it was summed */
};

/* Reads "<bytes> <count> <unixtime>\n" (decimal digits, one space each, the
 * newline required): 0, or -1 for anything else. */
int usage_parse(const char *text, size_t len, struct usage *out);

/* The usage of the real domain d at time now: the cached figure while it is
 * younger than USAGE_MAX_AGE (and not from the future), else summed from
 * the store and cached. Fails only when the store cannot list d's users. */
int usage_get(struct store *s, const char *state_dir, const struct v_domain *d, time_t now,
              struct usage *out, struct qa_error *e);

/* Drops d's cached figure (the domain is gone); a missing one is fine. */
void usage_forget(const char *state_dir, const struct v_domain *d);

#endif
