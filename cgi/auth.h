/* auth: the front end's side of admin sessions. The helper issues, checks
 * and revokes tickets; the front end only carries the ticket in the
 * qa_session cookie (HttpOnly, SameSite=Strict, Path=SCRIPT_NAME, Secure over
 * HTTPS, no Max-Age: it ends with the browser session; idle and absolute
 * expiry are the helper's) and asks the helper who it belongs to. It never
 * decides by itself that someone is logged in. */
#ifndef QA_AUTH_H
#define QA_AUTH_H

struct ctx;

#define AUTH_COOKIE "qa_session"

/* The helper's ticket format: 32 lowercase hex digits, '.', 64 more. Only a
 * well-formed ticket is ever passed to the helper. */
int auth_ticket_well_formed(const char *t);

/* For page_setup: c->ticket from the request's cookie (see page.h). */
void auth_setup(struct ctx *c);

/* After a login: the cookie, and c->ticket for the rest of the request;
 * with wm_key (may be NULL), also webmail's key cookie (wmkey.h), which
 * has the same attributes and lifetime. */
void auth_start(struct ctx *c, const char *ticket, const char *wm_key);

/* The browser's half of webmail's password (the qa_wm cookie) if it is
 * well-formed, else NULL. */
const char *auth_wm_key(const struct ctx *c);

/* The session is over (logout, expired): the cookies are cleared and the rest
 * of the request runs without a ticket. */
void auth_end(struct ctx *c);

/* No session, or it has ended: the login form ("your session has ended"
 * when the request carried one, and the cookie is cleared). */
void auth_login_again(struct ctx *c);

/* The catalog key for a helper role name ("superadmin", "domainadmin",
 * "user"); NULL for a name we do not know. */
const char *auth_role_key(const char *role);

#endif
