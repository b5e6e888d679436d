/* libFuzzer: the base64, quoted-printable and Q decoders. Invariants: the
 * output stays within the documented bounds, and decoding in three chunks
 * (cut where the first two bytes say) gives the same bytes and the same
 * damage flag as decoding in one call. */
#include "config.h"

#include "decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_b64(const char *in, size_t n, size_t c1, size_t c2)
{
	unsigned char *whole = malloc(B64_OUT_MAX(n)), *part = malloc(3 * B64_OUT_MAX(n) + 9);
	struct b64_state s;
	size_t w, k;
	int damaged;

	if (!whole || !part)
		abort();
	w = b64_decode(in, n, whole, &damaged);
	if (w > B64_OUT_MAX(n) || w > n)
		__builtin_trap();
	b64_init(&s);
	k = b64_update(&s, in, c1, part);
	if (k > B64_OUT_MAX(c1))
		__builtin_trap();
	k += b64_update(&s, in + c1, c2 - c1, part + k);
	k += b64_update(&s, in + c2, n - c2, part + k);
	b64_final(&s);
	if (k != w || memcmp(part, whole, w) || s.damaged != damaged)
		__builtin_trap();
	free(whole);
	free(part);
}

static void check_qp(const char *in, size_t n, size_t c1, size_t c2)
{
	unsigned char *whole = malloc(n + 1), *part = malloc(3 * (n + QP_HOLD + 3));
	struct qp_state s;
	size_t w, k, step;
	int damaged;

	if (!whole || !part)
		abort();
	w = qp_decode(in, n, whole, &damaged);
	if (w > n)
		__builtin_trap();
	qp_init(&s);
	k = step = qp_update(&s, in, c1, part);
	if (step > c1 + QP_HOLD + 3)
		__builtin_trap();
	step = qp_update(&s, in + c1, c2 - c1, part + k);
	if (step > c2 - c1 + QP_HOLD + 3)
		__builtin_trap();
	k += step;
	k += qp_update(&s, in + c2, n - c2, part + k);
	k += qp_final(&s, part + k);
	if (k != w || memcmp(part, whole, w) || s.damaged != damaged)
		__builtin_trap();
	free(whole);
	free(part);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in;
	unsigned char *q;
	size_t n, c1, c2;
	int damaged;

	if (size < 2)
		return 0;
	in = (const char *)data + 2;
	n = size - 2;
	c1 = n ? data[0] % (n + 1) : 0;
	c2 = n ? data[1] % (n + 1) : 0;
	if (c2 < c1) {
		size_t t = c1;

		c1 = c2;
		c2 = t;
	}
	check_b64(in, n, c1, c2);
	check_qp(in, n, c1, c2);
	if (!(q = malloc(n + 1)))
		abort();
	if (q_decode(in, n, q, &damaged) > n)
		__builtin_trap();
	free(q);
	return 0;
}
