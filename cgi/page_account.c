/* page_account: placeholder until the page lands (this session's work). */
#include "config.h"

#include "page.h"

void page_account(struct ctx *c)
{
	page_not_found(c);
}
