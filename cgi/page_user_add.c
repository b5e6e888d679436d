/* page_user_add: placeholder until the page lands (this session's work). */
#include "config.h"

#include "page.h"

void page_user_add(struct ctx *c)
{
	page_not_found(c);
}
