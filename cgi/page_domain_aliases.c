/* page_domain_aliases: placeholder until the page lands (this session's work). */
#include "config.h"

#include "page.h"

void page_domain_aliases(struct ctx *c)
{
	page_not_found(c);
}
