/* page_login: the login form, one for the superadmin, domain postmasters and
 * mailbox owners. The front end never decides who someone is: the password
 * check and the session ticket belong to qmailadmin-helper. */
#include "config.h"

#include "page.h"

#include "app.h"
#include "csrf.h"
#include "request.h"
#include "template.h"

#include <string.h>

#define USER_MAX 255      /* local@domain: 64 + 1 + 190 is more than enough */
#define PASSWORD_MAX 128  /* vpopmail's own limit for the clear password */

static void show_form(struct ctx *c, int status, const char *user, const char *error)
{
	td_set(c->data, "title", ctx_text(c, MSG("login.title")));
	if (user)
		td_set(c->data, "user", user);
	if (error)
		td_set(c->data, "error", ctx_text(c, error));
	page_render(c, status, "login");
}

/* Plain bounded text without control bytes. */
static int field_ok(const char *v, size_t max)
{
	const unsigned char *p;

	if (!v || !*v || strlen(v) > max)
		return 0;
	for (p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static void login_post(struct ctx *c)
{
	const char *user = req_form(c->req, "user");
	const char *password = req_form(c->req, "password");

	if (!csrf_ok(c)) {
		page_error(c, 403);
		return;
	}
	if (!field_ok(user, USER_MAX) || !field_ok(password, PASSWORD_MAX)) {
		show_form(c, 400, field_ok(user, USER_MAX) ? user : NULL, MSG("login.missing"));
		return;
	}
	/* Authentication is the helper's job (qmailadmin-helper, issue 3); until
	 * it is installed there is nobody to ask, and we say so. */
	show_form(c, 503, user, MSG("login.unavailable"));
}

void page_login(struct ctx *c)
{
	if (c->req->method == M_POST)
		login_post(c);
	else
		show_form(c, 200, NULL, NULL);
}
