/* page_main: the start page at the bare script URL. Logged in, it shows who
 * (name and role, as the helper says) and the logout button; otherwise the
 * login form. The admin pages will hang off it. */
#include "config.h"

#include "page.h"

#include "auth.h"
#include "proto.h"
#include "request.h"
#include "response.h"
#include "template.h"

void page_main(struct ctx *c)
{
	struct proto_answer who;
	const char *role, *key;

	if (c->req->method == M_POST) {
		resp_header(c->resp, "Allow", "GET, HEAD");
		page_error(c, 405);
		return;
	}
	if (auth_require(c, &who) < 0)
		return;
	role = proto_rec_get(&who.rec[0], "role");
	key = auth_role_key(role);
	td_set(c->data, "title", ctx_text(c, MSG("main.title")));
	td_set(c->data, "name", proto_rec_get(&who.rec[0], "name"));
	td_set(c->data, "role", key ? ctx_text(c, key) : role);
	page_render(c, 200, "main");
}
