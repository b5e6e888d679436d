/* page_user_edit: placeholder until the page lands (this session's work). */
#include "config.h"

#include "page.h"

void page_user_edit(struct ctx *c)
{
	page_not_found(c);
}
