/* page: what a page handler gets (struct ctx) and the helpers every page
 * shares: rendering into the layout, catalog text, URLs. One page group per
 * page_*.c file; each exports one handler declared here. */
#ifndef QA_PAGE_H
#define QA_PAGE_H

#include <stddef.h>

struct app;
struct catalog;
struct helper_arg;
struct proto_answer;
struct qa_error;
struct request;
struct response;
struct tdict;
struct arena;

struct ctx {
	struct app *app;
	struct request *req;
	struct response *resp;
	struct arena *a;
	const struct catalog *cat;
	const char *lang;
	struct tdict *data;          /* the page's template data; base values set */
	const char *ticket;          /* the qa_session ticket if well-formed, until it ends */
	int had_session;             /* the request carried a qa_session cookie */
};

typedef void (*page_fn)(struct ctx *c);

/* Sets up language, base template data (lang, base URL, static URL, the
 * language switch links, the CSRF token) for a request. */
void page_setup(struct ctx *c);

/* Renders template tmpl with c->data as the response body with status. */
void page_render(struct ctx *c, int status, const char *tmpl);

/* Marks a catalog key written in C, so tests/unit/catalog_keys.sh can check
 * that every catalog defines it (templates are checked by test_catalogs). */
#define MSG(key) (key)

/* Catalog text for key in the request's language (the key itself if missing). */
const char *ctx_text(const struct ctx *c, const char *key);

/* SCRIPT_NAME + path, e.g. ctx_url(c, "/login") = "/cgi-bin/qmailadmin/login". */
const char *ctx_url(const struct ctx *c, const char *path);

/* Runs one helper operation (helper_client.h) for this request; trouble on
 * the server's side (no helper, timeout, store errors) goes to the log. */
int ctx_helper(struct ctx *c, const char *op, const struct helper_arg *args, size_t nargs,
               struct proto_answer *ans, struct qa_error *e);

/* The login form with status, the user field filled in (user), and a
 * notice (catalog key: logged out, session ended) or an error (catalog key). */
void page_login_form(struct ctx *c, int status, const char *user, const char *notice,
                     const char *error);

/* Handlers. */
void page_main(struct ctx *c);
void page_login(struct ctx *c);
void page_logout(struct ctx *c);
void page_not_found(struct ctx *c);
void page_error(struct ctx *c, int status);

#endif
