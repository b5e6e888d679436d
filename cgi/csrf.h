/* csrf: tokens that every form carries. Before login the token is a random
 * value kept in an HttpOnly, SameSite=Strict cookie and echoed in a hidden
 * field (double submit): another site can neither read the cookie nor make the
 * browser send it, so it cannot produce a matching pair. */
#ifndef QA_CSRF_H
#define QA_CSRF_H

struct ctx;

#define CSRF_COOKIE "qa_csrf"
#define CSRF_FIELD "csrf"

/* The request's token: the cookie's when well-formed, else a new one that is
 * also set as the cookie on the response. NULL if no randomness. */
const char *csrf_token(struct ctx *c);

/* 1 when the POSTed field matches the cookie (constant-time compare). */
int csrf_ok(const struct ctx *c);

/* Format check: exactly 32 lowercase hex digits. */
int csrf_well_formed(const char *t);

#endif
