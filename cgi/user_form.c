/* user_form: pieces the mailbox pages share (see user_form.h). */
#include "config.h"

#include "user_form.h"

#include "arena.h"
#include "err.h"
#include "errtext.h"
#include "fmt.h"
#include "helper_client.h"
#include "page.h"
#include "proto.h"
#include "request.h"
#include "template.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MB ((uint64_t)1 << 20)
#define GB ((uint64_t)1 << 30)
#define QUOTA_MAX_BYTES ((uint64_t)1 << 50)   /* a petabyte: more is a typo */

const struct uf_flag uf_flags[] = {
	{ "no_pop", MSG("users.flag_no_pop"), MSG("users.tag_no_pop") },
	{ "no_imap", MSG("users.flag_no_imap"), MSG("users.tag_no_imap") },
	{ "no_webmail", MSG("users.flag_no_webmail"), MSG("users.tag_no_webmail") },
	{ "no_relay", MSG("users.flag_no_relay"), MSG("users.tag_no_relay") },
	{ "no_password_change", MSG("users.flag_no_password_change"),
	  MSG("users.tag_no_password_change") },
	{ "admin", MSG("users.flag_admin"), MSG("users.tag_admin") },
};
const size_t uf_nflags = sizeof(uf_flags) / sizeof(uf_flags[0]);

int uf_has_flag(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (list && *list) {
		size_t k = strcspn(list, ",");

		if (k == n && !memcmp(list, name, n))
			return 1;
		list += k + (list[k] == ',');
	}
	return 0;
}

static uint64_t rec_u64(const struct proto_record *r, const char *key)
{
	const char *v = proto_rec_get(r, key);

	return v ? strtoull(v, NULL, 10) : 0;
}

void uf_usage(struct ctx *c, struct tdict *d, const struct proto_record *r)
{
	uint64_t used = rec_u64(r, "used_bytes"), limit = rec_u64(r, "quota_bytes");
	unsigned pct = fmt_percent(used, limit);

	if (proto_rec_get(r, "used_bytes"))
		td_set(d, "used", fmt_bytes(c, used));
	if (!limit)
		return;
	td_set(d, "limit", fmt_bytes(c, limit));
	td_set(d, "bar", pct >= 100 ? "bar full" : pct >= 80 ? "bar warn" : "bar");
	/* Widths in steps of 5 %, as style.css has them; a little use shows. */
	td_setf(d, "bar_fill", "w%u", used && pct < 5 ? 5 : (pct + 2) / 5 * 5);
}

const char *uf_quota_fields(struct ctx *c, struct tdict *d, uint64_t bytes)
{
	const char *dec = ctx_text(c, MSG("fmt.decimal")), *num;
	uint64_t unit = bytes >= GB && bytes % GB == 0 ? GB : MB;
	uint64_t hundredths = (bytes * 100 + unit / 2) / unit;

	td_set_bool(d, "quota_none", bytes == 0);
	td_set_bool(d, "quota_gb", unit == GB);
	if (!bytes)
		return "none";
	if (hundredths % 100 == 0)
		num = arena_printf(c->a, "%" PRIu64, hundredths / 100);
	else if (hundredths % 10 == 0)
		num = arena_printf(c->a, "%" PRIu64 "%s%" PRIu64, hundredths / 100, dec,
		                   hundredths / 10 % 10);
	else
		num = arena_printf(c->a, "%" PRIu64 "%s%02" PRIu64, hundredths / 100, dec,
		                   hundredths % 100);
	td_set(d, "quota_num", num);
	return uf_quota_shown(c, num, unit == GB ? "GB" : "MB", NULL);
}

/* "50", "1.5", "0,25": a positive number with up to 3 decimals, in
 * thousandths. -1 for anything else. */
static int64_t thousandths(const char *s)
{
	uint64_t whole = 0, frac = 0;
	int digits = 0, fd = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++)
		if ((whole = whole * 10 + (uint64_t)(*s - '0')) > (QUOTA_MAX_BYTES >> 20))
			return -1;
	if (*s == '.' || *s == ',')
		for (s++; *s >= '0' && *s <= '9' && fd < 3; s++, fd++)
			frac = frac * 10 + (uint64_t)(*s - '0');
	if (*s || (!digits && !fd))
		return -1;
	for (; fd < 3; fd++)
		frac *= 10;
	return (int64_t)(whole * 1000 + frac);
}

int uf_quota_arg(struct ctx *c, const char *num, const char *unit, const char *none,
                 const char **out)
{
	int64_t t;
	uint64_t bytes;

	*out = NULL;
	if (none && *none) {
		*out = "NOQUOTA";
		return 0;
	}
	if (!num || !*num)
		return 0;
	t = thousandths(num);
	if (t <= 0)
		return -1;
	bytes = ((uint64_t)t * (unit && !strcmp(unit, "GB") ? GB : MB) + 500) / 1000;
	if (bytes == 0 || bytes > QUOTA_MAX_BYTES)
		return -1;
	*out = arena_printf(c->a, "%" PRIu64, bytes);
	return *out ? 0 : -1;
}

const char *uf_quota_shown(struct ctx *c, const char *num, const char *unit, const char *none)
{
	if (none && *none)
		return "none";
	if (!num || !*num)
		return "";
	return arena_printf(c->a, "%s %s", num, unit && !strcmp(unit, "GB") ? "GB" : "MB");
}

/* The form field a helper's error names. */
static const char *form_field(const char *field)
{
	static const struct {
		const char *helper, *form;
	} map[] = {
		{ "user", "local" }, { "local", "local" }, { "alias", "local" },
		{ "password", "password" }, { "gecos", "gecos" }, { "quota", "quota" },
		{ "targets", "targets" }, { "target", "targets" },
	};
	size_t i;

	for (i = 0; field && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].helper, field))
			return map[i].form;
	return NULL;
}

void uf_error(struct ctx *c, const char *key, const char *field)
{
	td_set(c->data, "error", ctx_text(c, key));
	if (field)
		td_set_bool(c->data, arena_printf(c->a, "bad_%s", field), 1);
}

int uf_refused(struct ctx *c, const struct qa_error *e)
{
	const char *field = form_field(e->field);

	switch (e->code) {
	case QA_ERR_INVALID:
		uf_error(c, errtext_key(e), field);
		return 400;
	case QA_ERR_NOT_FOUND:
		if (field && !strcmp(field, "targets")) {
			uf_error(c, errtext_key(e), field);
			return 400;
		}
		break;
	case QA_ERR_EXISTS:
	case QA_ERR_LIMIT:
	case QA_ERR_BUSY_CATCHALL:
		uf_error(c, errtext_key(e), field);
		return 409;
	case QA_ERR_LOCKED:
		uf_error(c, errtext_key(e), NULL);
		return 503;
	default:
		break;
	}
	page_fail(c, e);
	return 0;
}

int uf_password(struct ctx *c, const char **pw, int *random)
{
	const char *p1 = req_form(c->req, "password"), *p2 = req_form(c->req, "password2");

	*pw = NULL;
	*random = uf_ticked(c, "random");
	if (*random)
		return 0;
	if ((!p1 || !*p1) && (!p2 || !*p2))
		return 0;
	if (!p1 || !p2 || strcmp(p1, p2)) {
		uf_error(c, MSG("users.err_password_mismatch"), "password");
		return -1;
	}
	if (strlen(p1) > UF_PASSWORD_MAX) {
		uf_error(c, MSG("err.invalid.password"), "password");
		return -1;
	}
	*pw = p1;
	return 0;
}

const char *uf_field(struct ctx *c, const char *name, size_t max, const char *key)
{
	const char *v = req_form(c->req, name);
	size_t n;

	if (!v)
		return "";
	while (*v == ' ')
		v++;
	n = strlen(v);
	while (n > 0 && v[n - 1] == ' ')
		n--;
	if (n > max) {
		uf_error(c, key, name);
		return NULL;
	}
	return arena_printf(c->a, "%.*s", (int)n, v);
}

int uf_ticked(struct ctx *c, const char *name)
{
	const char *v = req_form(c->req, name);

	return v && *v;
}

const char *uf_domain_of(const char *address)
{
	const char *at = address ? strrchr(address, '@') : NULL;

	return at && at[1] ? at + 1 : NULL;
}

const struct proto_record *uf_load_user(struct ctx *c, const struct helper_arg *args, size_t n)
{
	struct proto_answer ans;
	struct qa_error e;
	int rc = page_call(c, "user.get", args, n, &ans, &e);

	c->domain = uf_domain_of(args[0].val);
	if (rc == PAGE_OK && c->me.role == ME_USER) {
		qa_error_clear(&e);
		e.code = QA_ERR_DENIED;
		rc = PAGE_FAIL;
	}
	if (rc == PAGE_FAIL)
		page_fail(c, &e);
	if (rc != PAGE_OK)
		return NULL;
	if (ans.nrec < 2) {
		page_error(c, 503);      /* an "ok" without the user: a broken helper */
		return NULL;
	}
	return &ans.rec[1];
}
