/* audit: syslog lines for changes (see audit.h). */
#include "config.h"

#include "audit.h"

#include <stdio.h>
#include <syslog.h>

static void clean(char *out, size_t n, const char *in)
{
	size_t i;

	for (i = 0; in && in[i] && i + 1 < n; i++)
		out[i] = (unsigned char)in[i] < 0x20 || in[i] == 0x7f ? '?' : in[i];
	out[i] = '\0';
}

void audit_log(const char *op, const char *who, const char *what, const struct qa_error *e)
{
	char w[256], t[512], d[256];

	clean(w, sizeof(w), who);
	clean(t, sizeof(t), what);
	clean(d, sizeof(d), e ? e->detail : "");
	openlog("qmailadmin", LOG_PID, LOG_MAIL);
	if (!e)
		syslog(LOG_INFO, "%s by %s: %s: ok", op, w, t);
	else
		syslog(LOG_NOTICE, "%s by %s: %s: failed (%s: %s)", op, w, t, qa_err_name(e->code), d);
	closelog();
}
