/* page_alias_edit: placeholder until the page lands (this session's work). */
#include "config.h"

#include "page.h"

void page_alias_edit(struct ctx *c)
{
	page_not_found(c);
}

void page_alias_del(struct ctx *c)
{
	page_not_found(c);
}
