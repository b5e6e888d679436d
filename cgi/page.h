/* page: what a page handler gets (struct ctx) and the helpers every page
 * shares: rendering into the layout, catalog text, URLs. One page group per
 * page_*.c file; each exports one handler declared here. */
#ifndef QA_PAGE_H
#define QA_PAGE_H

struct app;
struct catalog;
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

/* Handlers. */
void page_login(struct ctx *c);
void page_not_found(struct ctx *c);
void page_error(struct ctx *c, int status);

#endif
