/* store_vpop_core: opening the vpopmail store and resolving domains, shared
 * by the other store_vpop files (see store_vpop.h). */
#include "config.h"

#include "store_vpop.h"

#include "assign.h"
#include "conf.h"
#include "control.h"
#include "privs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int copy_path(char *dst, size_t n, const char *a, const char *b, struct qa_error *e)
{
	if (snprintf(dst, n, "%s%s", a, b) >= (int)n)
		return qa_fail(e, QA_ERR_INVALID, "", "path too long: %s%s", a, b);
	return 0;
}

struct store *store_open(const struct conf *c, struct qa_error *e)
{
	struct store *s = calloc(1, sizeof(*s));
	struct ident id;

	if (!s) {
		qa_fail(e, QA_ERR_NOMEM, "", "out of memory");
		return NULL;
	}
	if (copy_path(s->qmail_dir, sizeof(s->qmail_dir), c->qmail_dir, "", e) < 0
	    || copy_path(s->vpopmail_dir, sizeof(s->vpopmail_dir), c->vpopmail_dir, "", e) < 0
	    || copy_path(s->domains_dir, sizeof(s->domains_dir), c->vpopmail_dir, "/domains", e) < 0
	    || copy_path(s->limits_default, sizeof(s->limits_default), c->vpopmail_dir,
	                 "/etc/vlimits.default", e) < 0
	    || copy_path(s->qmail_reload, sizeof(s->qmail_reload), c->qmail_reload, "", e) < 0
	    || privs_lookup(c->vpopmail_user, c->vpopmail_group, &id, e) < 0) {
		free(s);
		return NULL;
	}
	s->uid = id.uid;
	s->gid = id.gid;
	return s;
}

void store_close(struct store *s)
{
	free(s);
}

int vpop_domain(struct store *s, const struct v_domain *d, struct domain_info *out,
                struct qa_error *e)
{
	struct assign_entry ent;

	memset(out, 0, sizeof(*out));
	if (assign_lookup(s->qmail_dir, d->s, &ent, e) < 0)
		return -1;
	snprintf(out->name, sizeof(out->name), "%s", d->s);
	snprintf(out->real, sizeof(out->real), "%s", ent.real);
	snprintf(out->dir, sizeof(out->dir), "%s", ent.dir);
	out->uid = (uid_t)ent.uid;
	out->gid = (gid_t)ent.gid;
	out->is_alias = assign_is_alias(&ent);
	return 0;
}

void vpop_dq_dir(const struct domain_info *info, struct dq_dir *out)
{
	out->path = info->dir;
	out->uid = info->uid;
	out->gid = info->gid;
}

int vpop_path_inside(const struct store *s, const char *path)
{
	size_t n = strlen(s->domains_dir);
	const char *p;

	if (strncmp(path, s->domains_dir, n) != 0 || path[n] != '/' || !path[n + 1])
		return 0;
	for (p = path + n; *p; p++)
		if (p[0] == '/' && p[1] == '.' && p[2] == '.' && (p[3] == '/' || !p[3]))
			return 0;
	return 1;
}

/* "command:/usr/bin/svc -h /service/qmail-send" -> argv, split on spaces
 * (no quoting: no shell is ever involved). */
static int run_command(const char *cmd, struct qa_error *e)
{
	char copy[STORE_PATH_MAX], *argv[16], *save = NULL, *tok;
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", cmd);
	for (tok = strtok_r(copy, " ", &save); tok && n < 15; tok = strtok_r(NULL, " ", &save))
		argv[n++] = tok;
	argv[n] = NULL;
	if (n == 0 || argv[0][0] != '/')
		return qa_fail(e, QA_ERR_INVALID, "qmail_reload", "not an absolute command");
	return ctl_run_reload((const char *const *)argv, e);
}

int vpop_reload_qmail(const struct store *s, struct qa_error *e)
{
	if (!strcmp(s->qmail_reload, "none"))
		return 0;
	if (!strncmp(s->qmail_reload, "pidfile:", 8))
		return ctl_hup_pidfile(s->qmail_reload + 8, e);
	return run_command(s->qmail_reload + 8, e);
}
