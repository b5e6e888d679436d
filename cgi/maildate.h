/* maildate: the Date: header (RFC 5322 §3.3, with the obsolete forms of
 * §4.3 that real mail still carries) as a time, so that a message list
 * shows the date its sender gave, the one the server's SORT orders by. */
#ifndef QA_MAILDATE_H
#define QA_MAILDATE_H

#include <time.h>

/* "Mon, 19 Oct 2026 08:12:40 +0200" (day name, seconds, zone optional;
 * two- and three-digit years; zone names such as GMT or EST; a trailing
 * comment) as seconds since the epoch; 0 when s is no such date. */
time_t mail_date_parse(const char *s);

#endif
