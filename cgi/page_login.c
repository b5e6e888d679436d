/* page_login: logging in and out, one form for the superadmin, domain
 * postmasters and mailbox owners. The front end never decides who someone
 * is: qmailadmin-helper checks the password, throttles failures and issues
 * the session ticket; this page carries the ticket into the qa_session
 * cookie (auth.h) and back out.
 *
 * Statuses: a wrong address or password is 401 (no WWW-Authenticate: this is
 * no HTTP authentication scheme, and browsers just show the page), so that
 * access logs show failed logins; throttled 429; missing fields 400; a helper
 * that cannot be asked 503. The user field is kept, the password never. */
#include "config.h"

#include "page.h"

#include "app.h"
#include "auth.h"
#include "csrf.h"
#include "helper_client.h"
#include "request.h"
#include "response.h"
#include "template.h"
#include "wmkey.h"

#include <stdio.h>
#include <string.h>

#define USER_MAX 255      /* local@domain: 64 + 1 + 190 is more than enough */
#define PASSWORD_MAX 128  /* vpopmail's own limit for the clear password */

/* ?notice=NAME after a redirect: only names from this list show anything. */
static const struct {
	const char *name;
	const char *key;
} notices[] = {
	{ "logged_out", MSG("login.logged_out") },
};

void page_login_form(struct ctx *c, int status, const char *user, const char *notice,
                     const char *error)
{
	td_set(c->data, "title", ctx_text(c, MSG("login.title")));
	if (user)
		td_set(c->data, "user", user);
	if (notice)
		td_set(c->data, "notice", ctx_text(c, notice));
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

/* The helper said yes: keep the ticket, go to the start page (303, so that
 * reloading it does not post the password again). */
static void logged_in(struct ctx *c, const struct proto_answer *ans, const char *wm_key)
{
	const char *ticket = proto_rec_get(&ans->rec[0], "ticket");
	const char *webmail = proto_rec_get(&ans->rec[0], "webmail");

	if (!auth_ticket_well_formed(ticket)) {
		fprintf(stderr, "qmailadmin: helper login: the answer has no valid ticket\n");
		page_error(c, 503);
		return;
	}
	/* The key is worth keeping only if the helper kept the sealed half. */
	auth_start(c, ticket, webmail && !strcmp(webmail, "1") ? wm_key : NULL);
	if (resp_redirect(c->resp, ctx_url(c, "/")) < 0)
		page_error(c, 500);
}

static void login_post(struct ctx *c)
{
	const char *user = req_form(c->req, "user");
	const char *password = req_form(c->req, "password");
	char wm_key[WM_KEY_HEX + 1], wm_secret[WM_SECRET_HEX_MAX + 1];
	struct helper_arg args[] = {
		{ "user", user }, { "password", password }, { "remote", c->req->remote_addr },
		{ "wm_secret", wm_secret },
	};
	struct proto_answer ans;
	struct qa_error e;

	if (!csrf_ok(c)) {
		page_error(c, 403);
		return;
	}
	if (!field_ok(user, USER_MAX) || !field_ok(password, PASSWORD_MAX)) {
		page_login_form(c, 400, field_ok(user, USER_MAX) ? user : NULL, NULL,
		                MSG("login.missing"));
		return;
	}
	/* Webmail's password, split (wmkey.h): sealed for the helper's session,
	 * the key for the browser. Without randomness there is no webmail, but
	 * the admin pages still work. */
	if (!c->app->conf.webmail || strchr(user, '@') == NULL || wm_new_key(wm_key) < 0
	    || wm_seal(wm_key, password, wm_secret, sizeof(wm_secret)) < 0)
		wm_key[0] = wm_secret[0] = '\0';
	if (ctx_helper(c, "login", args, sizeof(args) / sizeof(args[0]), &ans, &e) == 0
	    && ans.nrec > 0) {
		logged_in(c, &ans, wm_key[0] ? wm_key : NULL);
		return;
	}
	if (e.code == QA_ERR_AUTH)
		page_login_form(c, 401, user, NULL, MSG("login.failed"));
	else if (e.code == QA_ERR_THROTTLED)
		page_login_form(c, 429, user, NULL, MSG("login.throttled"));
	else
		page_login_form(c, 503, user, NULL, MSG("login.unavailable"));
}

static const char *notice_key(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(notices) / sizeof(notices[0]); i++)
		if (!strcmp(notices[i].name, name))
			return notices[i].key;
	return NULL;
}

void page_login(struct ctx *c)
{
	if (c->req->method == M_POST)
		login_post(c);
	else
		page_login_form(c, 200, NULL, notice_key(req_query(c->req, "notice")), NULL);
}

/* POST only, with the session's CSRF token: a link or an image elsewhere
 * must not be able to log anyone out. The helper revokes the ticket, so a
 * copy of the cookie is worthless afterwards. */
void page_logout(struct ctx *c)
{
	struct helper_arg arg = { "ticket", c->ticket };
	struct proto_answer ans;
	struct qa_error e;

	if (c->req->method != M_POST) {
		resp_header(c->resp, "Allow", "POST");
		page_error(c, 405);
		return;
	}
	if (!csrf_ok(c)) {
		page_error(c, 403);
		return;
	}
	/* An expired ticket is as good as revoked. When the helper cannot be
	 * asked, the cookie stays, so that logging out can be tried again. */
	if (c->ticket && ctx_helper(c, "logout", &arg, 1, &ans, &e) < 0
	    && e.code != QA_ERR_EXPIRED) {
		page_error(c, 503);
		return;
	}
	auth_end(c);
	if (resp_redirect(c->resp, ctx_url(c, "/login?notice=logged_out")) < 0)
		page_error(c, 500);
}
