/* libFuzzer: modified UTF-7 both ways. Invariants: a decoded name is valid
 * UTF-8 without control characters and encodes to a name that decodes to
 * it again; an encoded name is printable ASCII and decodes back to the
 * input exactly. */
#include "config.h"

#include "arena.h"
#include "mutf7.h"
#include "validate.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	const char *in = (const char *)data;
	char *out, *again, *back;
	size_t i;

	if (!a)
		a = arena_new(64u << 20);
	if (mutf7_decode(a, in, size, &out) == 0) {
		if (!utf8_valid(out, strlen(out)))
			__builtin_trap();
		for (i = 0; out[i]; i++)
			if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
				__builtin_trap();
		if (mutf7_encode(a, out, strlen(out), &again) < 0
		    || mutf7_decode(a, again, strlen(again), &back) < 0 || strcmp(back, out))
			__builtin_trap();
	}
	if (mutf7_encode(a, in, size, &out) == 0) {
		for (i = 0; out[i]; i++)
			if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] > 0x7e)
				__builtin_trap();
		if (mutf7_decode(a, out, strlen(out), &back) < 0 || strlen(back) != size
		    || memcmp(back, in, size))
			__builtin_trap();
	}
	arena_reset(a);
	return 0;
}
