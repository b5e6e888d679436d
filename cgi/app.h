/* app: the front end's long-lived state (config, parsed templates, catalogs,
 * the per-request arena) and the one entry point that answers a request. */
#ifndef QA_APP_H
#define QA_APP_H

#include <stddef.h>

#include "conf.h"
#include "helper_client.h"
#include "params.h"
#include "response.h"

struct arena;
struct catalogs;
struct io;
struct tmpl_set;

struct app {
	struct conf conf;
	struct req_limits limits;
	struct tmpl_set *tmpl;
	struct catalogs *cats;
	struct arena *arena;        /* reset at the start of every request */
	struct response resp;       /* reused; reset per request */
	struct helper helper;       /* how to run qmailadmin-helper */
};

/* Loads the config at conf_path, the templates and the catalogs. */
int app_init(struct app *app, const char *conf_path, char *err, size_t errlen);
void app_free(struct app *app);

/* Reads one request from io, answers it, and leaves nothing behind. */
void app_handle(struct app *app, struct io *io);

#endif
