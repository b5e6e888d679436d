/* usage: domains' disk use, summed from the store and cached (see usage.h). */
#include "config.h"

#include "usage.h"

#include "atomic.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Digits up to the byte stop, which must follow; *p moves past stop. */
static int parse_field(const char **p, const char *end, char stop, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (s >= end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (s >= end || *s != stop)
		return -1;
	*p = s + 1;
	*out = v;
	return 0;
}

int usage_parse(const char *text, size_t len, struct usage *out)
{
	const char *p = text, *end = text + len;
	uint64_t when;

	if (parse_field(&p, end, ' ', &out->bytes) < 0 || parse_field(&p, end, ' ', &out->count) < 0
	    || parse_field(&p, end, '\n', &when) < 0 || p != end || when > (uint64_t)INT64_MAX)
		return -1;
	out->when = (time_t)when;
	return 0;
}

static int cache_path(const char *state_dir, const struct v_domain *d, char *out, size_t n)
{
	int r = snprintf(out, n, "%s/usage/%s", state_dir, d->s);

	return r < 0 || (size_t)r >= n ? -1 : 0;
}

/* The cached figure for d when it is fresh at now: 1, else 0. */
static int cache_read(const char *path, time_t now, struct usage *out)
{
	char text[USAGE_LINE_MAX + 1];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return 0;
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n <= 0 || n > USAGE_LINE_MAX || usage_parse(text, (size_t)n, out) < 0)
		return 0;
	return out->when <= now && now - out->when < USAGE_MAX_AGE;
}

/* Best effort: a figure that cannot be kept is summed again next time. */
static void cache_write(const char *state_dir, const char *path, const struct usage *u)
{
	char dir[4200], text[USAGE_LINE_MAX + 1];
	int n;

	if (geteuid() == 0)
		return;
	snprintf(dir, sizeof(dir), "%s/usage", state_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return;
	n = snprintf(text, sizeof(text), "%llu %llu %lld\n", (unsigned long long)u->bytes,
	             (unsigned long long)u->count, (long long)u->when);
	if (n > 0 && n <= USAGE_LINE_MAX)
		atomic_replace(path, text, (size_t)n, 0600);
}

static int add_user(void *ctx, const struct user_info *u)
{
	struct usage *sum = ctx;

	sum->bytes += u->used_bytes;
	sum->count += u->used_count;
	return 0;
}

int usage_get(struct store *s, const char *state_dir, const struct v_domain *d, time_t now,
              struct usage *out, struct qa_error *e)
{
	struct list_query q;
	char path[4400];
	int cacheable = cache_path(state_dir, d, path, sizeof(path)) == 0;

	if (cacheable && cache_read(path, now, out))
		return 0;
	memset(&q, 0, sizeof(q));
	q.with_usage = 1;              /* limit 0: every mailbox */
	memset(out, 0, sizeof(*out));
	out->when = now;
	if (store_user_list(s, d, &q, add_user, out, NULL, e) < 0)
		return -1;
	if (cacheable)
		cache_write(state_dir, path, out);
	return 0;
}

void usage_forget(const char *state_dir, const struct v_domain *d)
{
	char path[4400];

	if (cache_path(state_dir, d, path, sizeof(path)) == 0)
		unlink(path);
}
