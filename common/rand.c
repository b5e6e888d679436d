/* rand: getrandom(2) wrappers. Never falls back to a weak source: a token
 * that cannot be made securely is an error the caller reports. */
#include "config.h"

#include "rand.h"

#include <errno.h>
#include <sys/random.h>

int rand_bytes(void *p, size_t n)
{
	unsigned char *b = p;

	while (n > 0) {
		ssize_t r = getrandom(b, n, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

int rand_hex(char *out, size_t nbytes)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[64];
	size_t i;

	if (nbytes > sizeof(raw) || rand_bytes(raw, nbytes) < 0)
		return -1;
	for (i = 0; i < nbytes; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[2 * nbytes] = '\0';
	return 0;
}
