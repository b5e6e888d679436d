/* throttle: failed-login counters (see throttle.h). A counter file holds
 * "COUNT FIRST\n": the failures since FIRST; a window that has passed starts
 * a new count. Updates are serialized by one lock file. */
#include "config.h"

#include "throttle.h"

#include "atomic.h"
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int key_path(const char *state_dir, const char *key, char *out, size_t n)
{
	struct sha256_ctx ctx;
	unsigned char md[SHA256_DIGEST_SIZE];
	char name[2 * 16 + 1];
	int i;

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(key), (const uint8_t *)key);
	sha256_digest(&ctx, sizeof(md), md);
	for (i = 0; i < 16; i++)
		snprintf(name + 2 * i, 3, "%02x", md[i]);
	return snprintf(out, n, "%s/throttle/%s", state_dir, name) >= (int)n ? -1 : 0;
}

static void read_counter(const char *path, unsigned long *count, long long *first)
{
	char body[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	*count = 0;
	*first = 0;
	if (fd < 0)
		return;
	n = read(fd, body, sizeof(body) - 1);
	close(fd);
	if (n <= 0)
		return;
	body[n] = '\0';
	if (sscanf(body, "%lu %lld", count, first) != 2)
		*count = 0;
}

int throttle_blocked(const char *state_dir, const char *key, unsigned long limit,
                     unsigned long window, time_t now)
{
	char path[4300];
	unsigned long count;
	long long first;

	if (key_path(state_dir, key, path, sizeof(path)) < 0)
		return 1;
	read_counter(path, &count, &first);
	return now - first < (long long)window && count >= limit;
}

void throttle_fail(const char *state_dir, const char *key, unsigned long window, time_t now)
{
	char dir[4200], lockpath[4300], path[4300], body[64];
	unsigned long count;
	long long first;
	int lock, n;

	snprintf(dir, sizeof(dir), "%s/throttle", state_dir);
	if ((mkdir(dir, 0700) < 0 && errno != EEXIST) || key_path(state_dir, key, path, sizeof(path)) < 0)
		return;
	snprintf(lockpath, sizeof(lockpath), "%s/.lock", dir);
	lock = lock_take(lockpath, 5000);
	if (lock < 0)
		return;
	read_counter(path, &count, &first);
	if (now - first >= (long long)window) {
		count = 0;
		first = now;
	}
	n = snprintf(body, sizeof(body), "%lu %lld\n", count + 1, first);
	atomic_replace(path, body, (size_t)n, 0600);
	lock_drop(lock);
}

void throttle_clear(const char *state_dir, const char *key)
{
	char path[4300];

	if (key_path(state_dir, key, path, sizeof(path)) == 0)
		unlink(path);
}
