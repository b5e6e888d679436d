/* csrf: double-submit and session-bound tokens (see csrf.h). */
#include "config.h"

#include "csrf.h"

#include "arena.h"
#include "page.h"
#include "rand.h"
#include "request.h"
#include "response.h"

#include <openssl/evp.h>
#include <string.h>

#define TOKEN_BYTES 16

int csrf_well_formed(const char *t)
{
	size_t i;

	if (!t || strlen(t) != 2 * TOKEN_BYTES)
		return 0;
	for (i = 0; i < 2 * TOKEN_BYTES; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return 0;
	return 1;
}

int csrf_session_token(const char *ticket, char out[33])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE], in[256];
	size_t n = strlen(ticket), i;
	unsigned int mdlen = 0;

	if (n + 4 > sizeof(in))
		return -1;
	memcpy(in, ticket, n);
	memcpy(in + n, "csrf", 4);
	if (!EVP_Digest(in, n + 4, md, &mdlen, EVP_sha256(), NULL) || mdlen < TOKEN_BYTES)
		return -1;
	for (i = 0; i < TOKEN_BYTES; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * TOKEN_BYTES] = '\0';
	return 0;
}

static const char *double_submit_token(struct ctx *c)
{
	const char *have = req_cookie(c->req, CSRF_COOKIE);
	struct cookie_opts o;
	char *t;

	if (csrf_well_formed(have))
		return have;
	t = arena_alloc(c->a, 2 * TOKEN_BYTES + 1);
	if (!t || rand_hex(t, TOKEN_BYTES) < 0)
		return NULL;
	o.path = c->req->script_name;
	o.max_age = -1;
	o.same_site = "Strict";
	o.secure = c->req->https;
	if (resp_cookie(c->resp, CSRF_COOKIE, t, &o) < 0)
		return NULL;
	return t;
}

const char *csrf_token(struct ctx *c)
{
	char *t;

	if (!c->ticket)
		return double_submit_token(c);
	t = arena_alloc(c->a, 2 * TOKEN_BYTES + 1);
	if (!t || csrf_session_token(c->ticket, t) < 0)
		return NULL;
	return t;
}

int csrf_ok(const struct ctx *c)
{
	const char *field = req_form(c->req, CSRF_FIELD);
	const char *want = req_cookie(c->req, CSRF_COOKIE);
	char bound[2 * TOKEN_BYTES + 1];
	unsigned char diff = 0;
	size_t i;

	if (c->ticket) {
		if (csrf_session_token(c->ticket, bound) < 0)
			return 0;
		want = bound;
	}
	if (!csrf_well_formed(want) || !csrf_well_formed(field))
		return 0;
	for (i = 0; i < 2 * TOKEN_BYTES; i++)
		diff |= (unsigned char)(want[i] ^ field[i]);
	return diff == 0;
}
