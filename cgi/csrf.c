/* csrf: double-submit tokens (see csrf.h). */
#include "config.h"

#include "csrf.h"

#include "arena.h"
#include "page.h"
#include "rand.h"
#include "request.h"
#include "response.h"

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

const char *csrf_token(struct ctx *c)
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

int csrf_ok(const struct ctx *c)
{
	const char *cookie = req_cookie(c->req, CSRF_COOKIE);
	const char *field = req_form(c->req, CSRF_FIELD);
	unsigned char diff = 0;
	size_t i;

	if (!csrf_well_formed(cookie) || !csrf_well_formed(field))
		return 0;
	for (i = 0; i < 2 * TOKEN_BYTES; i++)
		diff |= (unsigned char)(cookie[i] ^ field[i]);
	return diff == 0;
}
