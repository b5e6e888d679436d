/* webmail: opening the mailbox, folder names, the folder list (webmail.h). */
#include "config.h"

#include "webmail.h"

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "helper_client.h"
#include "imap.h"
#include "page.h"
#include "request.h"
#include "template.h"
#include "validate.h"
#include "wmkey.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The session cannot reach mail (no key cookie, a key that does not open
 * the sealed half, a password the IMAP server no longer takes): end it, so
 * that the next login seals the password anew. */
static void relogin(struct ctx *c)
{
	struct helper_arg arg = { "ticket", c->ticket };
	struct proto_answer ans;
	struct qa_error e;

	if (c->ticket)
		ctx_helper(c, "logout", &arg, 1, &ans, &e);
	auth_end(c);
	page_login_form(c, 200, c->me.name, MSG("mail.relogin"), NULL);
}

static void unreachable(struct ctx *c, struct imap *im)
{
	fprintf(stderr, "qmailadmin: webmail: %s\n", imap_detail(im));
	page_error_msg(c, 503, ctx_text(c, MSG("mail.unreachable_title")),
	               ctx_text(c, MSG("mail.unreachable")));
}

/* The password, unsealed from the helper's half and the cookie's. */
static int password_of(struct ctx *c, const struct proto_answer *ans, char *pw, size_t n)
{
	const char *secret = ans->nrec ? proto_rec_get(&ans->rec[0], "secret") : NULL;
	const char *key = auth_wm_key(c);

	return key && secret ? wm_unseal(key, secret, pw, n) : -1;
}

/* keep (n bytes) gets a copy of the password when not NULL (wm_open_pw). */
static struct imap *open_as(struct ctx *c, char *keep, size_t n)
{
	char pw[WM_PASSWORD_MAX + 1];
	struct imap_config cfg;
	struct proto_answer ans;
	struct qa_error e;
	struct imap *im;
	int rc;

	c->nav = "mail";
	if (!c->app->conf.webmail) {
		page_not_found(c);
		return NULL;
	}
	rc = page_call(c, "webmail.open", NULL, 0, &ans, &e);
	if (rc == PAGE_DONE)
		return NULL;
	if (rc == PAGE_FAIL) {
		if (e.code == QA_ERR_DENIED)
			page_error_msg(c, 403, ctx_text(c, MSG("mail.off_title")), ctx_text(c, MSG("mail.off")));
		else
			page_fail(c, &e);
		return NULL;
	}
	if (password_of(c, &ans, pw, sizeof(pw)) < 0) {
		relogin(c);
		return NULL;
	}
	imap_config_from_conf(&cfg, &c->app->conf);
	im = imap_new(c->a, &cfg);
	rc = im ? imap_connect(im) : IMAP_ERR_NOMEM;
	if (rc == IMAP_OK)
		rc = imap_login(im, c->me.name, pw, IMAP_AUTH_AUTO);
	if (rc == IMAP_OK && keep && strlen(pw) < n)
		memcpy(keep, pw, strlen(pw) + 1);
	OPENSSL_cleanse(pw, sizeof(pw));
	if (rc == IMAP_OK)
		return im;
	if (rc == IMAP_ERR_AUTH)
		relogin(c);
	else
		unreachable(c, im);
	imap_free(im);
	return NULL;
}

struct imap *wm_open(struct ctx *c)
{
	return open_as(c, NULL, 0);
}

struct imap *wm_open_pw(struct ctx *c, char *pw, size_t n)
{
	if (n)
		pw[0] = '\0';
	return open_as(c, pw, n);
}

void wm_close(struct imap *im)
{
	if (!im)
		return;
	imap_logout(im);
	imap_free(im);
}

void wm_fail(struct ctx *c, struct imap *im, int rc)
{
	switch (rc) {
	case IMAP_ERR_NO_MAILBOX:
		page_error_msg(c, 404, NULL, ctx_text(c, MSG("mail.no_folder")));
		break;
	case IMAP_ERR_DENIED:
		page_error_msg(c, 403, NULL, ctx_text(c, MSG("mail.denied")));
		break;
	case IMAP_ERR_QUOTA:
		page_error_msg(c, 507, NULL, ctx_text(c, MSG("mail.over_quota")));
		break;
	case IMAP_ERR_EXISTS:
		page_error_msg(c, 409, NULL, ctx_text(c, MSG("mail.folder_exists")));
		break;
	case IMAP_ERR_INVALID:
	case IMAP_ERR_REFUSED:
		page_error_msg(c, 400, NULL, ctx_text(c, MSG("mail.refused")));
		break;
	case IMAP_ERR_AUTH:
		relogin(c);
		break;
	default:
		unreachable(c, im);
	}
	imap_free(im);
}

const char *wm_folder(const char *v)
{
	size_t i, n;

	if (!v || !*v)
		return "INBOX";
	n = strlen(v);
	if (n > WM_FOLDER_MAX || !utf8_valid(v, n))
		return NULL;
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return NULL;
	return v;
}

int wm_section(const char *v)
{
	size_t i, n = v ? strlen(v) : 0;

	if (n == 0 || n > 64 || v[0] == '.' || v[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] == '.' && v[i + 1] != '.')))
			return 0;
	return 1;
}

uint32_t wm_uid(const char *v)
{
	unsigned long long u;
	char *end;

	if (!v || *v < '1' || *v > '9' || strlen(v) > 10)
		return 0;
	u = strtoull(v, &end, 10);
	return *end || u > 0xffffffffULL ? 0 : (uint32_t)u;
}

/* ---------------------------------------------------------------- folders */

static const struct {
	unsigned flag;
	const char *name;        /* created with this name when missing */
	const char *key;         /* its label */
} specials[WM_NSPECIAL] = {
	{ 0, "INBOX", MSG("mail.f_inbox") },
	{ IMAP_MBX_SENT, "Sent", MSG("mail.f_sent") },
	{ IMAP_MBX_DRAFTS, "Drafts", MSG("mail.f_drafts") },
	{ IMAP_MBX_TRASH, "Trash", MSG("mail.f_trash") },
};

/* Which special folder m is: by its RFC 6154 flag first, by name if no
 * folder carries the flag (by_name). -1 for none. */
static int special_of(const struct imap_mailbox *m, int by_name)
{
	int i;

	if (!m->name || (m->flags & (IMAP_MBX_NOSELECT | IMAP_MBX_NONEXISTENT)))
		return -1;
	if (!strcasecmp(m->name, "INBOX"))
		return WM_INBOX;
	for (i = 1; i < WM_NSPECIAL; i++)
		if (by_name ? !strcasecmp(m->name, specials[i].name) : (m->flags & specials[i].flag) != 0)
			return i;
	return -1;
}

static int by_name(const void *a, const void *b)
{
	const struct imap_mailbox *x = a, *y = b;

	return strcmp(x->name ? x->name : x->raw, y->name ? y->name : y->raw);
}

/* Finds each special folder in f; creates the missing ones. */
static int find_specials(struct imap *im, struct imap_mailbox *f, size_t n,
                         const char *special[WM_NSPECIAL], int created[WM_NSPECIAL])
{
	size_t i;
	int s, pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++)
			if ((s = special_of(&f[i], pass)) >= 0 && !special[s])
				special[s] = f[i].name;
	for (s = 0; s < WM_NSPECIAL; s++) {
		int rc;

		created[s] = 0;
		if (special[s])
			continue;
		rc = imap_create(im, specials[s].name);
		if (rc != IMAP_OK && rc != IMAP_ERR_EXISTS)
			return rc;
		special[s] = specials[s].name;
		created[s] = 1;
	}
	return IMAP_OK;
}

int wm_folders(struct ctx *c, struct imap *im, unsigned flags, struct imap_mailbox **out,
               size_t *n, const char *special[WM_NSPECIAL])
{
	struct imap_mailbox *f, *all;
	int created[WM_NSPECIAL], rc, s;
	size_t i, nf, k = 0;

	memset(special, 0, sizeof(special[0]) * WM_NSPECIAL);
	rc = imap_list(im, flags & WM_COUNTS ? IMAP_LIST_STATUS : 0, &f, &nf);
	if (rc == IMAP_OK)
		rc = find_specials(im, f, nf, special, created);
	if (rc != IMAP_OK)
		return rc;
	all = arena_alloc(c->a, (nf + WM_NSPECIAL) * sizeof(*all));
	if (!all)
		return IMAP_ERR_NOMEM;
	/* The special ones first, in their order; a new one has no mail yet. */
	for (s = 0; s < WM_NSPECIAL; s++) {
		for (i = 0; i < nf && !created[s]; i++)
			if (f[i].name == special[s])
				all[k++] = f[i];
		if (created[s]) {
			all[k].name = all[k].raw = (char *)special[s];
			all[k].status.have = flags & WM_COUNTS ? IMAP_ST_MESSAGES | IMAP_ST_UNSEEN : 0;
			k++;
		}
	}
	for (i = 0; i < nf; i++) {
		int special_one = 0;

		for (s = 0; s < WM_NSPECIAL; s++)
			special_one |= f[i].name == special[s];
		if (!special_one && f[i].name && !(f[i].flags & IMAP_MBX_NONEXISTENT))
			all[k++] = f[i];
	}
	qsort(all + WM_NSPECIAL, k - WM_NSPECIAL, sizeof(*all), by_name);
	*out = all;
	*n = k;
	return IMAP_OK;
}

void wm_folders_data(struct ctx *c, const struct imap_mailbox *f, size_t n,
                     const char *special[WM_NSPECIAL], const char *current)
{
	struct tlist *l = td_list(c->data, "folders");
	size_t i;
	int s;

	for (i = 0; i < n; i++) {
		struct tdict *d = tlist_add(l);
		const char *label = f[i].name;

		if (!d)
			return;
		for (s = 0; s < WM_NSPECIAL; s++)
			if (f[i].name == special[s] || !strcmp(f[i].name, special[s]))
				label = ctx_text(c, specials[s].key);
		td_set(d, "name", f[i].name);
		td_set(d, "label", label);
		td_setf(d, "id", "%zu", i);
		td_set(d, "url", page_link(c, "/mail", "f", f[i].name, NULL));
		td_set_bool(d, "selectable", !(f[i].flags & IMAP_MBX_NOSELECT));
		if ((f[i].status.have & IMAP_ST_UNSEEN) && f[i].status.unseen)
			td_setf(d, "unseen", "%u", f[i].status.unseen);
		if (f[i].status.have & IMAP_ST_MESSAGES)
			td_setf(d, "messages", "%u", f[i].status.messages);
		if (current && !strcmp(current, f[i].name)) {
			td_set_bool(d, "current", 1);
			td_set(c->data, "folder_label", label);
		}
	}
}

/* ---------------------------------------------------------------- dates */

const char *wm_date(struct ctx *c, time_t t, int full)
{
	static const char *const months[12] = {
		MSG("month.1"), MSG("month.2"), MSG("month.3"), MSG("month.4"),
		MSG("month.5"), MSG("month.6"), MSG("month.7"), MSG("month.8"),
		MSG("month.9"), MSG("month.10"), MSG("month.11"), MSG("month.12"),
	};
	time_t now = time(NULL);
	struct tm tm, today;

	if (t <= 0 || !localtime_r(&t, &tm) || !localtime_r(&now, &today))
		return "";
	if (full)
		return arena_printf(c->a, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		                    tm.tm_mday, tm.tm_hour, tm.tm_min);
	if (tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday)
		return arena_printf(c->a, "%02d:%02d", tm.tm_hour, tm.tm_min);
	if (tm.tm_year == today.tm_year)
		return arena_printf(c->a, "%d %s", tm.tm_mday, ctx_text(c, months[tm.tm_mon]));
	return arena_printf(c->a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
