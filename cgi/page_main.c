/* page_main: the start page at the bare script URL. Logged in, it shows who
 * (name and role, as the helper says) and the logout button; otherwise the
 * login form. */
#include "config.h"

#include "page.h"

#include "auth.h"
#include "request.h"
#include "template.h"

static const char *role_key(enum me_role r)
{
	switch (r) {
	case ME_SUPERADMIN: return auth_role_key("superadmin");
	case ME_DOMAINADMIN: return auth_role_key("domainadmin");
	case ME_USER: return auth_role_key("user");
	default: return NULL;
	}
}

void page_main(struct ctx *c)
{
	const char *key;

	if (!page_get_ok(c) || page_whoami(c) != PAGE_OK)
		return;
	if (c->me.role == ME_SUPERADMIN) {   /* the superadmin's start page: the domain list */
		page_redirect(c, "/domains", NULL);
		return;
	}
	c->nav = "main";
	key = role_key(c->me.role);
	td_set(c->data, "title", ctx_text(c, MSG("main.title")));
	td_set(c->data, "name", c->me.name);
	td_set(c->data, "role", key ? ctx_text(c, key) : "");
	page_render(c, 200, "main");
}
