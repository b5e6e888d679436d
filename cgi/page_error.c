/* page_error: the error page for every status the front end answers with
 * itself (bad requests, limits, unknown pages, server trouble). */
#include "config.h"

#include "page.h"

#include "template.h"

struct error_text {
	int status;
	const char *title;
	const char *text;
};

/* Literal keys, so the catalog check can find every one of them. */
static const struct error_text texts[] = {
	{ 400, MSG("error.bad_request"), MSG("error.bad_request_text") },
	{ 403, MSG("error.forbidden"), MSG("error.forbidden_text") },
	{ 404, MSG("error.not_found"), MSG("error.not_found_text") },
	{ 405, MSG("error.bad_method"), MSG("error.bad_method_text") },
	{ 413, MSG("error.too_large"), MSG("error.too_large_text") },
	{ 500, MSG("error.internal"), MSG("error.internal_text") },
	{ 503, MSG("error.unavailable"), MSG("error.unavailable_text") },
};

static const struct error_text *text_for(int status)
{
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].status == status)
			return &texts[i];
	return &texts[5];    /* 500 */
}

void page_error_msg(struct ctx *c, int status, const char *title, const char *message)
{
	const struct error_text *t = text_for(status);

	td_setf(c->data, "status", "%d", status);
	td_set(c->data, "title", title ? title : ctx_text(c, t->title));
	td_set(c->data, "message", message ? message : ctx_text(c, t->text));
	page_render(c, status, "error");
}

void page_error(struct ctx *c, int status)
{
	page_error_msg(c, status, NULL, NULL);
}

void page_not_found(struct ctx *c)
{
	page_error(c, 404);
}
