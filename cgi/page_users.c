/* page_users: placeholder until the page lands (this session's work). */
#include "config.h"

#include "page.h"

void page_users(struct ctx *c)
{
	page_not_found(c);
}
