/* passwd: hashing, verification and random passwords (see passwd.h). */
#include "config.h"

#include "passwd.h"

#include "rand.h"

#include <crypt.h>
#include <string.h>

static const char salt_chars[] =
	"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* vpopmail writes "$6$" + 8 salt characters and the default 5000 rounds. */
static int sha512_setting(char *setting, size_t len)
{
	unsigned char r[8];
	size_t i;

	if (len < 12 || rand_bytes(r, sizeof(r)) < 0)
		return -1;
	memcpy(setting, "$6$", 3);
	for (i = 0; i < 8; i++)
		setting[3 + i] = salt_chars[r[i] % 64];
	setting[11] = '\0';
	return 0;
}

int passwd_hash(const char *clear, const char *scheme, char *out, size_t outlen,
                struct qa_error *e)
{
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data cd;
	const char *prefix = NULL;
	const char *h;

	if (!strcmp(scheme, "sha512")) {
		if (sha512_setting(setting, sizeof(setting)) < 0)
			return qa_fail(e, QA_ERR_IO, "password", "no randomness for a salt");
	} else {
		prefix = !strcmp(scheme, "yescrypt") ? "$y$" : !strcmp(scheme, "bcrypt") ? "$2b$" : NULL;
		if (!prefix)
			return qa_fail(e, QA_ERR_INVALID, "password_hash", "unknown hash scheme %s", scheme);
		if (!crypt_gensalt_rn(prefix, 0, NULL, 0, setting, sizeof(setting)))
			return qa_fail(e, QA_ERR_IO, "password", "crypt_gensalt failed for %s", scheme);
	}
	memset(&cd, 0, sizeof(cd));
	h = crypt_r(clear, setting, &cd);
	if (!h || h[0] != '$' || strlen(h) >= outlen)
		return qa_fail(e, QA_ERR_IO, "password", "crypt failed for %s", scheme);
	memcpy(out, h, strlen(h) + 1);
	explicit_bzero(&cd, sizeof(cd));
	return 0;
}

int passwd_verify(const char *clear, const char *stored)
{
	struct crypt_data cd;
	const char *h;
	size_t n, i;
	unsigned char diff = 0;

	if (stored[0] == '{') {
		const char *close = strchr(stored, '}');

		if (!close)
			return 0;
		stored = close + 1;
	}
	n = strlen(stored);
	if (n == 0)
		return 0;
	memset(&cd, 0, sizeof(cd));
	h = crypt_r(clear, stored, &cd);
	/* libxcrypt returns "*0"/"*1" on failure, never equal to a real hash. */
	if (!h || h[0] == '*' || strlen(h) != n) {
		explicit_bzero(&cd, sizeof(cd));
		return 0;
	}
	for (i = 0; i < n; i++)
		diff |= (unsigned char)(h[i] ^ stored[i]);
	explicit_bzero(&cd, sizeof(cd));
	return diff == 0;
}

int passwd_random(char *out, size_t outlen)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	const size_t na = sizeof(alphabet) - 1;
	unsigned char r;
	size_t i = 0;

	if (outlen < PASSWD_RANDOM_LEN + 1)
		return -1;
	while (i < PASSWD_RANDOM_LEN) {
		if (rand_bytes(&r, 1) < 0)
			return -1;
		if (r >= 256 - 256 % na)
			continue;          /* no modulo bias */
		out[i++] = alphabet[r % na];
	}
	out[i] = '\0';
	return 0;
}

int passwd_is_hash(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 4 || n >= PASSWD_HASH_MAX || s[0] != '$')
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || s[i] == 0x7f || s[i] == ':')
			return 0;
	return 1;
}
