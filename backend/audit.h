/* audit: one syslog line (facility mail) per change: who, what, the result. */
#ifndef QA_AUDIT_H
#define QA_AUDIT_H

#include "err.h"

/* e NULL means success. Control bytes in the texts are replaced, so a
 * value cannot forge a second log line. */
void audit_log(const char *op, const char *who, const char *what, const struct qa_error *e);

#endif
