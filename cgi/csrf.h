/* csrf: tokens that every form carries, in a hidden field named "csrf".
 * Which token a request uses depends on whether it carries a session ticket
 * (a well-formed qa_session cookie, c->ticket; see auth.h):
 *
 * - No ticket (the login form, before login): a random value kept in an
 *   HttpOnly, SameSite=Strict cookie (qa_csrf) and echoed in the field
 *   (double submit): another site can neither read the cookie nor make the
 *   browser send it, so it cannot produce a matching pair.
 * - A ticket (logged in): the first 32 hex digits of SHA-256(ticket "csrf"),
 *   bound to the session: a token from another session, or a double-submit
 *   pair, is refused. The ticket is secret (HttpOnly) and the hash is one-way,
 *   so a page's token reveals nothing of the ticket.
 *
 * A session that ends during a request (logout, expiry) clears c->ticket, so
 * the login form shown then gets a double-submit token again. */
#ifndef QA_CSRF_H
#define QA_CSRF_H

struct ctx;

#define CSRF_COOKIE "qa_csrf"
#define CSRF_FIELD "csrf"

/* The request's token. Without a ticket: the cookie's when well-formed, else
 * a new one that is also set as the cookie on the response. With a ticket:
 * the session's. NULL if no randomness or no memory. */
const char *csrf_token(struct ctx *c);

/* 1 when the POSTed field is the request's token (constant-time compare):
 * the session's with a ticket, else the double-submit cookie's. */
int csrf_ok(const struct ctx *c);

/* Format check: exactly 32 lowercase hex digits. */
int csrf_well_formed(const char *t);

/* The session-bound token for ticket into out (33 bytes). -1 on failure. */
int csrf_session_token(const char *ticket, char out[33]);

#endif
