/* netstring: encode and decode (see netstring.h). */
#include "config.h"

#include "netstring.h"

#include "buf.h"

#include <string.h>

int ns_put(struct buf *b, const void *p, size_t n)
{
	buf_printf(b, "%zu:", n);
	buf_add(b, p, n);
	return buf_addc(b, ',');
}

int ns_puts(struct buf *b, const char *s)
{
	return ns_put(b, s, strlen(s));
}

int ns_get(const char **in, size_t *inlen, const char **item, size_t *itemlen, size_t max)
{
	const char *p = *in;
	size_t left = *inlen, n = 0, digits = 0;

	while (left > 0 && *p >= '0' && *p <= '9') {
		if (digits == 1 && n == 0)
			return -1;          /* "01:" is not canonical */
		/* Never overflows: n * 10 + d > max is tested without computing it. */
		if (n > max / 10 || (n == max / 10 && (size_t)(*p - '0') > max % 10))
			return -1;
		n = n * 10 + (size_t)(*p - '0');
		p++;
		left--;
		digits++;
	}
	if (digits == 0 || left == 0 || *p != ':')
		return -1;
	p++;
	left--;
	if (n >= left || p[n] != ',')
		return -1;
	*item = p;
	*itemlen = n;
	*in = p + n + 1;
	*inlen = left - n - 1;
	return 0;
}
