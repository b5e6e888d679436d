/* page_user_del: placeholder until the page lands (this session's work). */
#include "config.h"

#include "page.h"

void page_user_del(struct ctx *c)
{
	page_not_found(c);
}
