/* assign: qmail's users/assign and its compiled users/cdb, which is how
 * qmail-lspawn and every vpopmail tool find a domain's directory and uid.
 * A vpopmail domain is one line  +DOMAIN-:REAL:UID:GID:DOMDIR:-::  (REAL
 * is DOMAIN itself, or the real domain for an alias domain); the file ends
 * with a "." line.
 *
 * Changes happen under users/assign.lock (the fcntl lock vpopmail takes),
 * with vpopmail's sorted insert, atomically (mode 0644), and are followed
 * by a rebuild of users/cdb in qmail-newu's exact format, also atomic.
 * A domain that is in users/assign but not in users/cdb does not exist for
 * vpopmail, so every call that holds the lock also brings users/cdb up to
 * date with users/assign: a crash between the two writes heals on the next
 * call.
 *
 * It must never run qmail-newu or a shell, never write users/assign with a
 * line qmail-newu would reject, and never put a byte from an unvalidated
 * name or path into a line. */
#ifndef QA_ASSIGN_H
#define QA_ASSIGN_H

#include <stddef.h>

#include "err.h"
#include "validate.h"

#define ASSIGN_DIR_MAX 255   /* vpopmail's MAX_PW_DIR is smaller; be generous */

struct assign_entry {
	char domain[V_DOMAIN_MAX + 1];   /* the name mail is addressed to */
	char real[V_DOMAIN_MAX + 1];     /* the real domain (== domain unless alias) */
	unsigned long uid;
	unsigned long gid;
	char dir[ASSIGN_DIR_MAX + 1];    /* DOMDIR of the real domain */
};

/* Adds the line for ent at vpopmail's sorted position (creating
 * users/assign as ".\n" first if it is missing), then rebuilds users/cdb.
 * The exact line being there already is success with *already = 1 (may be
 * NULL); another line for the same domain is QA_ERR_EXISTS. uid 0 is
 * refused (qmail-lspawn would refuse it too). */
int assign_add(const char *qmaildir, const struct assign_entry *ent, int *already,
               struct qa_error *e);

/* Removes the +DOMAIN-: line and rebuilds users/cdb. QA_ERR_NOT_FOUND when
 * there is no such line. */
int assign_remove(const char *qmaildir, const char *domain, struct qa_error *e);

/* vpopmail's vget_assign(): looks up key "!DOMAIN-" in users/cdb and fills
 * out (out->domain = DOMAIN, out->real = the real domain). QA_ERR_NOT_FOUND
 * when users/cdb does not have it. */
int assign_lookup(const char *qmaildir, const char *domain, struct assign_entry *out,
                  struct qa_error *e);

/* Every vpopmail domain line of users/assign, in file order (like
 * vpopmail's get_domain_entries("")). *out is malloc'ed; free it with
 * assign_list_free(). Lines that are not domain lines are skipped. */
int assign_list(const char *qmaildir, struct assign_entry **out, size_t *n,
                struct qa_error *e);
void assign_list_free(struct assign_entry *list);

/* 1 when the entry is an alias domain (its real domain is another). */
int assign_is_alias(const struct assign_entry *ent);

/* Rebuilds users/cdb from users/assign under the lock, as qmail-newu. */
int assign_rebuild_cdb(const char *qmaildir, struct qa_error *e);

#endif
