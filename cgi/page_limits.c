/* page_limits: placeholder until the page lands (this session's work). */
#include "config.h"

#include "page.h"

void page_limits(struct ctx *c)
{
	page_not_found(c);
}
