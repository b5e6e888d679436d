/* superadmin: the server administrator's credentials, in STATE_DIR/superadmin
 * ("name:hash" lines, mode 0600), a file only the helper and root can read.
 * Set with "qmailadmin-ctl superadmin-password". */
#ifndef QA_SUPERADMIN_H
#define QA_SUPERADMIN_H

#include "err.h"
#include "validate.h"

/* 1 when name/password match an entry, 0 when not (or no file). */
int superadmin_verify(const char *state_dir, const struct v_admin *name, const char *password);

/* Adds or replaces name's entry with hash (atomic, under a lock). */
int superadmin_set(const char *state_dir, const struct v_admin *name, const char *hash,
                   struct qa_error *e);

#endif
