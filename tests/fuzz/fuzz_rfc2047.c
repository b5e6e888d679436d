/* libFuzzer: header decoding with RFC 2047 words in any charset iconv
 * knows. The first byte picks the fallback charset of raw 8-bit text.
 * Invariants: the result is valid UTF-8 without C0 controls or DEL, and
 * never much longer than the input. */
#include "config.h"

#include "arena.h"
#include "rfc2047.h"
#include "validate.h"

#include <stdint.h>
#include <string.h>

static const char *const fallbacks[] = {
	NULL, "windows-1252", "utf-8", "ISO-2022-JP", "UTF-16", "koi8-r", "no-such-charset", "UTF-7",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	const char *out;
	size_t i, n;

	if (size < 1)
		return 0;
	if (!a)
		a = arena_new(256u << 20);
	out = rfc2047_decode(a, (const char *)data + 1, size - 1,
	                     fallbacks[data[0] % (sizeof(fallbacks) / sizeof(fallbacks[0]))]);
	if (!out)
		__builtin_trap();
	n = strlen(out);
	if (!utf8_valid(out, n) || n > 4 * (size - 1) + 16)
		__builtin_trap();
	for (i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			__builtin_trap();
	arena_reset(a);
	return 0;
}
