/* err: error values (see err.h). */
#include "config.h"

#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const names[QA_ERR__COUNT] = {
	[QA_OK] = "ok",
	[QA_ERR_INVALID] = "invalid",
	[QA_ERR_EXISTS] = "exists",
	[QA_ERR_NOT_FOUND] = "not_found",
	[QA_ERR_LIMIT] = "limit",
	[QA_ERR_LOCKED] = "locked",
	[QA_ERR_IO] = "io",
	[QA_ERR_CORRUPT] = "corrupt",
	[QA_ERR_DENIED] = "denied",
	[QA_ERR_AUTH] = "auth",
	[QA_ERR_THROTTLED] = "throttled",
	[QA_ERR_EXPIRED] = "expired",
	[QA_ERR_PROTOCOL] = "protocol",
	[QA_ERR_NOMEM] = "nomem",
	[QA_ERR_BUSY_CATCHALL] = "catchall",
};

static void set(struct qa_error *e, enum qa_err code, const char *field)
{
	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
}

int qa_fail(struct qa_error *e, enum qa_err code, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	set(e, code, field);
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	return -1;
}

int qa_fail_errno(struct qa_error *e, const char *field, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t n;

	if (!e)
		return -1;
	set(e, saved == EAGAIN ? QA_ERR_LOCKED : QA_ERR_IO, field);
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	n = strlen(e->detail);
	snprintf(e->detail + n, sizeof(e->detail) - n, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

void qa_error_clear(struct qa_error *e)
{
	memset(e, 0, sizeof(*e));
}

const char *qa_err_name(enum qa_err code)
{
	return code < QA_ERR__COUNT && names[code] ? names[code] : "protocol";
}

enum qa_err qa_err_from_name(const char *name)
{
	int i;

	for (i = 0; i < QA_ERR__COUNT; i++)
		if (names[i] && !strcmp(names[i], name))
			return (enum qa_err)i;
	return QA_ERR_PROTOCOL;
}
