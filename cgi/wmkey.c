/* wmkey: sealing webmail's password (see wmkey.h). */
#include "config.h"

#include "wmkey.h"

#include "rand.h"

#include <openssl/evp.h>
#include <string.h>

#define KEY_LEN 32
#define NONCE_LEN 12
#define TAG_LEN 16

/* Ties a sealed password to this use: a GCM tag made for anything else
 * with the same key does not open here. */
static const unsigned char aad[] = "qmailadmin-ng webmail password v1";

static int unhex(const char *s, size_t n, unsigned char *out)
{
	size_t i;

	for (i = 0; i < 2 * n; i++) {
		int v = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10 : -1;

		if (v < 0)
			return -1;
		if (i % 2)
			out[i / 2] |= (unsigned char)v;
		else
			out[i / 2] = (unsigned char)(v << 4);
	}
	return 0;
}

static void tohex(const unsigned char *in, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int wm_new_key(char *key)
{
	return rand_hex(key, KEY_LEN);
}

int wm_key_ok(const char *key)
{
	unsigned char k[KEY_LEN];

	return key && strlen(key) == WM_KEY_HEX && unhex(key, KEY_LEN, k) == 0;
}

/* One AES-256-GCM pass: enc 1 seals in into out and writes tag; enc 0
 * opens in into out and checks tag. */
static int gcm(int enc, const unsigned char *key, const unsigned char *nonce,
               const unsigned char *in, int len, unsigned char *out, unsigned char *tag)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int n = 0, fin = 0, ok;

	ok = x && EVP_CipherInit_ex(x, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) == 1
	     && EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) == 1
	     && EVP_CipherInit_ex(x, NULL, NULL, key, nonce, enc) == 1
	     && EVP_CipherUpdate(x, NULL, &n, aad, (int)sizeof(aad) - 1) == 1
	     && EVP_CipherUpdate(x, out, &n, in, len) == 1
	     && (enc || EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) == 1)
	     && EVP_CipherFinal_ex(x, out + n, &fin) == 1
	     && (!enc || EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) == 1);
	EVP_CIPHER_CTX_free(x);
	return ok && n + fin == len ? 0 : -1;
}

int wm_seal(const char *key, const char *password, char *secret, size_t size)
{
	unsigned char k[KEY_LEN], buf[NONCE_LEN + WM_PASSWORD_MAX + TAG_LEN];
	size_t len = password ? strlen(password) : 0;
	int rc = -1;

	if (size)
		secret[0] = '\0';
	if (!wm_key_ok(key) || len == 0 || len > WM_PASSWORD_MAX
	    || size < 2 * (NONCE_LEN + len + TAG_LEN) + 1)
		return -1;
	unhex(key, KEY_LEN, k);
	if (rand_bytes(buf, NONCE_LEN) == 0
	    && gcm(1, k, buf, (const unsigned char *)password, (int)len, buf + NONCE_LEN,
	           buf + NONCE_LEN + len) == 0) {
		tohex(buf, NONCE_LEN + len + TAG_LEN, secret);
		rc = 0;
	}
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

int wm_unseal(const char *key, const char *secret, char *password, size_t size)
{
	unsigned char k[KEY_LEN], buf[NONCE_LEN + WM_PASSWORD_MAX + TAG_LEN];
	size_t n = secret ? strlen(secret) : 0, len;
	int rc = -1;

	if (size)
		password[0] = '\0';
	if (!wm_key_ok(key) || n % 2 || n / 2 <= NONCE_LEN + TAG_LEN || n / 2 > sizeof(buf)
	    || unhex(secret, n / 2, buf) < 0)
		return -1;
	len = n / 2 - NONCE_LEN - TAG_LEN;
	if (size < len + 1)
		return -1;
	unhex(key, KEY_LEN, k);
	if (gcm(0, k, buf, buf + NONCE_LEN, (int)len, (unsigned char *)password,
	        buf + NONCE_LEN + len) == 0
	    && !memchr(password, '\0', len)) {
		password[len] = '\0';
		rc = 0;
	} else {
		OPENSSL_cleanse(password, len);
		password[0] = '\0';
	}
	OPENSSL_cleanse(k, sizeof(k));
	return rc;
}
