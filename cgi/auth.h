/* auth: the front end's side of admin sessions. The helper issues, checks
 * and revokes tickets; the front end only carries the ticket in the
 * qa_session cookie (HttpOnly, SameSite=Strict, Path=SCRIPT_NAME, Secure over
 * HTTPS, no Max-Age: it ends with the browser session; idle and absolute
 * expiry are the helper's) and asks the helper who it belongs to. It never
 * decides by itself that someone is logged in. */
#ifndef QA_AUTH_H
#define QA_AUTH_H

struct ctx;
struct proto_answer;

#define AUTH_COOKIE "qa_session"

/* The helper's ticket format: 32 lowercase hex digits, '.', 64 more. Only a
 * well-formed ticket is ever passed to the helper. */
int auth_ticket_well_formed(const char *t);

/* For page_setup: c->ticket from the request's cookie (see page.h). */
void auth_setup(struct ctx *c);

/* After a login: the cookie, and c->ticket for the rest of the request. */
void auth_start(struct ctx *c, const char *ticket);

/* The session is over (logout, expired): the cookie is cleared and the rest
 * of the request runs without a ticket. */
void auth_end(struct ctx *c);

/* For pages that need a logged-in user: asks the helper (whoami). 0 with
 * who's first record holding name, role (and local, domain). -1 when the
 * request has been answered already: the login form when there is no
 * session ("session ended" when there was one), 503 when the helper failed. */
int auth_require(struct ctx *c, struct proto_answer *who);

/* The catalog key for a helper role name ("superadmin", "domainadmin",
 * "user"); NULL for a name we do not know. */
const char *auth_role_key(const char *role);

#endif
