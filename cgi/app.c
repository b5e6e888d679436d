/* app: start-up (config, templates, catalogs) and the per-request cycle:
 * parse -> route -> render -> send -> clean up. Nothing of one request
 * survives into the next except the reused buffers. */
#include "config.h"

#include "app.h"

#include "arena.h"
#include "i18n.h"
#include "io.h"
#include "page.h"
#include "request.h"
#include "template.h"
#include "webmail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct route {
	const char *path;
	page_fn fn;
};

/* PATH_INFO -> page. The bare script URL is the start page: the logged-in
 * user's, or the login form. */
static const struct route routes[] = {
	{ "", page_main },
	{ "/", page_main },
	{ "/login", page_login },
	{ "/logout", page_logout },
	{ "/domains", page_domains },
	{ "/domains/add", page_domain_add },
	{ "/domains/delete", page_domain_del },
	{ "/domains/aliases", page_domain_aliases },
	{ "/domains/limits", page_limits },
	{ "/users", page_users },
	{ "/users/add", page_user_add },
	{ "/users/edit", page_user_edit },
	{ "/users/delete", page_user_del },
	{ "/aliases", page_aliases },
	{ "/aliases/edit", page_alias_edit },
	{ "/aliases/delete", page_alias_del },
	{ "/catchall", page_catchall },
	{ "/account", page_account },
	{ "/mail", page_mail },
	{ "/mail/act", page_mail_act },
	{ "/mail/empty-trash", page_mail_empty_trash },
	{ "/mail/folders", page_mail_folders },
	{ "/mail/msg", page_mail_msg },
	{ "/mail/part", page_mail_part },
	{ "/mail/source", page_mail_source },
	{ "/mail/compose", page_compose },
};

static void set_limits(struct app *app)
{
	struct req_limits *l = &app->limits;

	l->max_body = app->conf.max_body;
	l->max_fields = app->conf.max_fields;
	l->max_name = 256;
	l->max_value = app->conf.max_body;
	l->max_upload = app->conf.max_upload;
	l->max_files = app->conf.max_files;
	l->max_cookies = 50;
	l->max_header = 4096;
}

int app_init(struct app *app, const char *conf_path, char *err, size_t errlen)
{
	char path[CONF_PATH_MAX + 16];

	memset(app, 0, sizeof(*app));
	if (conf_load(&app->conf, conf_path, err, errlen) < 0)
		return -1;
	set_limits(app);
	app->tmpl = tmpl_load_dir(app->conf.templates_dir, err, errlen);
	if (!app->tmpl)
		return -1;
	snprintf(path, sizeof(path), "%s/lang", app->conf.templates_dir);
	app->cats = i18n_load_dir(path, err, errlen);
	if (!app->cats)
		return -1;
	if (!i18n_catalog(app->cats, app->conf.default_lang)) {
		snprintf(err, errlen, "%s: no catalog for default_lang \"%s\"", path,
		         app->conf.default_lang);
		return -1;
	}
	/* Bodies are copied and decoded a few times over; uploads go to disk.
	 * Webmail holds a fetched part and its decoded bytes (webmail.h). */
	app->arena = arena_new(4 * app->conf.max_body + (4u << 20) + WM_MEM_MAX);
	if (!app->arena) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	resp_init(&app->resp);
	/* The config's path goes to the helper only when it came from the
	 * environment (tests); a setuid helper ignores it anyway. */
	helper_init(&app->helper, app->conf.helper, getenv("QMAILADMIN_CONF"));
	return 0;
}

void app_free(struct app *app)
{
	tmpl_set_free(app->tmpl);
	i18n_free(app->cats);
	arena_free(app->arena);
	resp_free(&app->resp);
}

static void route(struct ctx *c)
{
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].path, c->req->path_info) == 0) {
			routes[i].fn(c);
			return;
		}
	}
	page_not_found(c);
}

void app_handle(struct app *app, struct io *io)
{
	struct request req;
	struct ctx c;
	int st;

	arena_reset(app->arena);
	resp_reset(&app->resp);
	st = request_read(&req, io, app->arena, &app->limits, app->conf.tmp_dir);
	memset(&c, 0, sizeof(c));
	c.app = app;
	c.req = &req;
	c.resp = &app->resp;
	c.a = app->arena;
	page_setup(&c);
	if (st != PARSE_OK) {
		page_error(&c, st);
	} else if (req.method == M_OTHER) {
		resp_header(c.resp, "Allow", "GET, HEAD, POST");
		page_error(&c, 405);
	} else {
		route(&c);
	}
	resp_send(c.resp, io, req.method == M_HEAD);
	request_cleanup(&req);
}
