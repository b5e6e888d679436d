/* errtext: helper refusals to catalog keys (see errtext.h). */
#include "config.h"

#include "errtext.h"

#include "err.h"
#include "page.h"

#include <string.h>

struct errtext {
	enum qa_err code;
	const char *field;      /* NULL: any field */
	const char *key;
};

/* First match wins: specific fields before the code's catch-all row. */
static const struct errtext table[] = {
	{ QA_ERR_INVALID, "user", MSG("err.invalid.user") },
	{ QA_ERR_INVALID, "alias", MSG("err.invalid.user") },
	{ QA_ERR_INVALID, "local", MSG("err.invalid.user") },
	{ QA_ERR_INVALID, "password", MSG("err.invalid.password") },
	{ QA_ERR_INVALID, "gecos", MSG("err.invalid.gecos") },
	{ QA_ERR_INVALID, "quota", MSG("err.invalid.quota") },
	{ QA_ERR_INVALID, "domain", MSG("err.invalid.domain") },
	{ QA_ERR_INVALID, "targets", MSG("err.invalid.targets") },
	{ QA_ERR_INVALID, "target", MSG("err.invalid.targets") },
	{ QA_ERR_INVALID, "flags", MSG("err.invalid.flags") },
	{ QA_ERR_INVALID, "search", MSG("err.invalid.search") },
	{ QA_ERR_INVALID, NULL, MSG("err.invalid") },
	{ QA_ERR_EXISTS, "user", MSG("err.exists.user") },
	{ QA_ERR_EXISTS, "alias", MSG("err.exists.user") },
	{ QA_ERR_EXISTS, "domain", MSG("err.exists.domain") },
	{ QA_ERR_EXISTS, "alias_domain", MSG("err.exists.domain") },
	{ QA_ERR_EXISTS, NULL, MSG("err.exists") },
	{ QA_ERR_NOT_FOUND, "user", MSG("err.not_found.user") },
	{ QA_ERR_NOT_FOUND, "domain", MSG("err.not_found.domain") },
	{ QA_ERR_NOT_FOUND, "alias", MSG("err.not_found.alias") },
	{ QA_ERR_NOT_FOUND, "target", MSG("err.not_found.target") },
	{ QA_ERR_NOT_FOUND, "targets", MSG("err.not_found.target") },
	{ QA_ERR_NOT_FOUND, NULL, MSG("err.not_found") },
	{ QA_ERR_LIMIT, NULL, MSG("err.limit") },
	{ QA_ERR_LOCKED, NULL, MSG("err.locked") },
	{ QA_ERR_DENIED, "password", MSG("err.denied.password") },
	{ QA_ERR_DENIED, NULL, MSG("err.denied") },
	{ QA_ERR_AUTH, NULL, MSG("err.auth") },
	{ QA_ERR_THROTTLED, NULL, MSG("login.throttled") },
	{ QA_ERR_BUSY_CATCHALL, NULL, MSG("err.catchall") },
};

const char *errtext_key(const struct qa_error *e)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].code == e->code && (!table[i].field || !strcmp(table[i].field, e->field)))
			return table[i].key;
	return MSG("err.failed");
}
