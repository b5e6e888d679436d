/* auth: the qa_session cookie and the whoami check (see auth.h). */
#include "config.h"

#include "auth.h"

#include "page.h"
#include "request.h"
#include "response.h"
#include "wmkey.h"

#include <string.h>

static int hex_run(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int auth_ticket_well_formed(const char *t)
{
	return t && strlen(t) == 32 + 1 + 64 && hex_run(t, 32) && t[32] == '.'
	       && hex_run(t + 33, 64);
}

void auth_setup(struct ctx *c)
{
	const char *v = req_cookie(c->req, AUTH_COOKIE);

	c->had_session = v && *v;
	c->ticket = auth_ticket_well_formed(v) ? v : NULL;
}

static void set_cookie(struct ctx *c, const char *name, const char *value, long max_age)
{
	struct cookie_opts o = { c->req->script_name, max_age, "Strict", c->req->https };

	resp_cookie(c->resp, name, value, &o);
}

void auth_start(struct ctx *c, const char *ticket, const char *wm_key)
{
	set_cookie(c, AUTH_COOKIE, ticket, -1);
	if (wm_key)
		set_cookie(c, WM_COOKIE, wm_key, -1);
	c->ticket = ticket;
}

void auth_end(struct ctx *c)
{
	set_cookie(c, AUTH_COOKIE, "", 0);
	if (req_cookie(c->req, WM_COOKIE))
		set_cookie(c, WM_COOKIE, "", 0);
	c->ticket = NULL;
}

const char *auth_wm_key(const struct ctx *c)
{
	const char *k = req_cookie(c->req, WM_COOKIE);

	return wm_key_ok(k) ? k : NULL;
}

static void session_ended(struct ctx *c)
{
	auth_end(c);
	page_login_form(c, 200, NULL, MSG("login.expired"), NULL);
}

void auth_login_again(struct ctx *c)
{
	if (c->had_session)
		session_ended(c);
	else
		page_login_form(c, 200, NULL, NULL, NULL);
}

const char *auth_role_key(const char *role)
{
	static const struct {
		const char *role;
		const char *key;
	} keys[] = {
		{ "superadmin", MSG("role.superadmin") },
		{ "domainadmin", MSG("role.domainadmin") },
		{ "user", MSG("role.user") },
	};
	size_t i;

	for (i = 0; role && i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].role, role))
			return keys[i].key;
	return NULL;
}
