/* page_domains: placeholder until the page lands (this session's work). */
#include "config.h"

#include "page.h"

void page_domains(struct ctx *c)
{
	page_not_found(c);
}

void page_domain_add(struct ctx *c)
{
	page_not_found(c);
}
