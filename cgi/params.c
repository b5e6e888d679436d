/* params: lookups over the name/value lists the request parsers build.
 * Lists are short (bounded by req_limits.max_fields), so a linear walk is
 * both the simplest and a fast enough structure. */
#include "config.h"

#include "params.h"

#include <string.h>

const struct param *param_find(const struct param *list, const char *name)
{
	for (; list; list = list->next)
		if (strcmp(list->name, name) == 0)
			return list;
	return NULL;
}

const char *param_get(const struct param *list, const char *name)
{
	const struct param *p = param_find(list, name);

	return p ? p->value : NULL;
}

size_t param_count(const struct param *list)
{
	size_t n = 0;

	for (; list; list = list->next)
		n++;
	return n;
}
