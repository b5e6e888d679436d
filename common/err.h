/* err: the one error type of the backend. Every failure is a code with a
 * stable protocol name (the front end maps it to a translated message), the
 * field or file it concerns, and a short English detail for logs and the CLI.
 * Library code never prints and never exits: it fills a qa_error and returns. */
#ifndef QA_ERR_H
#define QA_ERR_H

enum qa_err {
	QA_OK = 0,
	QA_ERR_INVALID,     /* a value failed its allow-list */
	QA_ERR_EXISTS,      /* already there */
	QA_ERR_NOT_FOUND,   /* no such domain, user, alias ... */
	QA_ERR_LIMIT,       /* a domain limit (.qmailadmin-limits) was reached */
	QA_ERR_LOCKED,      /* a lock could not be taken in time */
	QA_ERR_IO,          /* the filesystem refused (errno in the detail) */
	QA_ERR_CORRUPT,     /* a store file is malformed; nothing was changed */
	QA_ERR_DENIED,      /* the caller may not do this */
	QA_ERR_AUTH,        /* wrong name or password */
	QA_ERR_THROTTLED,   /* too many failed logins; try later */
	QA_ERR_EXPIRED,     /* session ticket expired or revoked */
	QA_ERR_PROTOCOL,    /* malformed helper request */
	QA_ERR_NOMEM,
	QA_ERR_BUSY_CATCHALL, /* the account is the domain's catch-all target */
	QA_ERR__COUNT
};

struct qa_error {
	enum qa_err code;
	char field[32];     /* the request field or store file concerned, or "" */
	char detail[256];
};

/* Sets e (if non-NULL) and returns -1, so callers can "return qa_fail(...)". */
int qa_fail(struct qa_error *e, enum qa_err code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Like qa_fail with QA_ERR_IO and ": strerror(errno)" appended. */
int qa_fail_errno(struct qa_error *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void qa_error_clear(struct qa_error *e);

/* Stable names: "invalid", "exists", "not_found", ... (never change them:
 * the front end and scripts depend on them). */
const char *qa_err_name(enum qa_err code);
enum qa_err qa_err_from_name(const char *name);   /* QA_ERR_PROTOCOL if unknown */

#endif
