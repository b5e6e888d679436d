/* fuzz_catalog: libFuzzer target for catalog_parse() and i18n_negotiate().
 * The input up to its first NUL byte is an Accept-Language header (and its
 * first bytes a language cookie); the rest, or all of it when there is no
 * NUL, is a catalog. Checks the contract as well as memory safety: keys are
 * valid, sorted and unique and each finds its own text, texts are trimmed,
 * valid UTF-8 without control bytes, a refusal says why, and negotiation
 * always picks a loaded language. */
#include "config.h"

#include "html.h"
#include "validate.h"
#include "i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int key_ok(const char *k)
{
	if (!*k)
		return 0;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_' || *k == '.'))
			return 0;
	return 1;
}

static int text_ok(const char *t)
{
	size_t n = strlen(t), i;

	if (n && (t[0] == ' ' || t[0] == '\t' || t[n - 1] == ' ' || t[n - 1] == '\t'))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 && t[i] != '\t')
			return 0;
	return utf8_valid(t, n);
}

static void check_catalog(const struct catalog *c)
{
	size_t i;

	for (i = 0; i < catalog_size(c); i++) {
		const char *key = catalog_key_at(c, i);
		const char *text = catalog_text(c, key);

		if (!key_ok(key) || !text || !text_ok(text))
			__builtin_trap();
		if (i && strcmp(catalog_key_at(c, i - 1), key) >= 0)
			__builtin_trap();
	}
	if (catalog_key_at(c, catalog_size(c)) || strcmp(catalog_lang(c), "sv") != 0)
		__builtin_trap();
}

static void check_negotiate(struct catalog *sv, const char *header)
{
	struct catalogs *cs = i18n_new();
	char err[128], cookie[4] = "";
	const char *got;

	if (!cs || i18n_add(cs, catalog_parse("en", "a = b\n", 6, err, sizeof(err))) < 0)
		__builtin_trap();
	if (sv && i18n_add(cs, sv) < 0)
		__builtin_trap();
	strncpy(cookie, header, sizeof(cookie) - 1);
	got = i18n_negotiate(cs, NULL, header, "en");
	if (!got || !i18n_catalog(cs, got))
		__builtin_trap();
	got = i18n_negotiate(cs, cookie, header, "en");
	if (!got || !i18n_catalog(cs, got))
		__builtin_trap();
	if (!sv && strcmp(got, "en") != 0)
		__builtin_trap();
	got = i18n_negotiate(cs, cookie, header, "fr");   /* default not loaded */
	if (got && !i18n_catalog(cs, got))
		__builtin_trap();
	i18n_free(cs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *nul = memchr(in, '\0', size);
	size_t hlen = nul ? (size_t)(nul - in) : size;
	const char *text = nul ? nul + 1 : in;
	size_t tlen = nul ? size - hlen - 1 : size;
	char err[256] = "";
	char *header = malloc(hlen + 1);
	struct catalog *c;

	if (!header)
		return 0;
	memcpy(header, in, hlen);
	header[hlen] = '\0';
	c = catalog_parse("sv", text, tlen, err, sizeof(err));
	if (c)
		check_catalog(c);
	else if (strncmp(err, "sv:", 3) != 0)
		__builtin_trap();
	check_negotiate(c, header);   /* takes c over */
	free(header);
	return 0;
}
