/* ops_domain: domain operations (the superadmin's; a domain admin may read
 * its own domain). Like vadddomain / vdeldomain / vaddaliasdomain. */
#include "config.h"

#include "ops.h"

#include "conf.h"
#include "passwd.h"
#include "store.h"
#include "usage.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Page bounds shared by every list operation. */
int arg_page(struct op_ctx *c, struct list_query *q)
{
	unsigned long long off = 0, lim = 50;
	const char *s = arg(c, "offset"), *l = arg(c, "limit");

	memset(q, 0, sizeof(*q));
	if ((s && *s && v_uint(s, 100000000, &off, "offset", c->err) < 0)
	    || (l && *l && v_uint(l, 1000, &lim, "limit", c->err) < 0))
		return -1;
	q->offset = (size_t)off;
	q->limit = lim ? (size_t)lim : 50;
	q->search = arg(c, "search");
	if (q->search && (strlen(q->search) > 64 || !utf8_valid(q->search, strlen(q->search))))
		return qa_fail(c->err, QA_ERR_INVALID, "search", "search text too long or not UTF-8");
	if (q->search && !*q->search)
		q->search = NULL;
	return 0;
}

/* The password argument, or a new random one when "random" is "1" or the
 * password is missing; the clear text is put in the answer only if random. */
int arg_new_password(struct op_ctx *c, const char *key, char *hash, size_t hashlen)
{
	const char *pw = arg(c, key), *random = arg(c, "random");
	char rnd[PASSWD_RANDOM_LEN + 1];
	struct v_password p;

	if ((random && !strcmp(random, "1")) || !pw || !*pw) {
		if (passwd_random(rnd, sizeof(rnd)) < 0)
			return qa_fail(c->err, QA_ERR_IO, key, "no randomness for a password");
		proto_put(c->out, "password", rnd);
		return passwd_hash(rnd, c->conf->password_hash, hash, hashlen, c->err);
	}
	if (v_password(pw, &p, key, c->err) < 0)
		return -1;
	return passwd_hash(p.s, c->conf->password_hash, hash, hashlen, c->err);
}

/* An optional "0"/"1" argument (absent = 0). */
static int arg_flag(struct op_ctx *c, const char *key, int *out)
{
	const char *s = arg(c, key);
	unsigned long long n = 0;

	if (s && *s && v_uint(s, 1, &n, key, c->err) < 0)
		return -1;
	*out = (int)n;
	return 0;
}

/* The disk use of d's real domain, when it can be summed (usage.h). */
static void add_usage(struct op_ctx *c, struct domain_info *d)
{
	struct v_domain real;
	struct usage u;

	if (v_domain(d->real, &real, "domain", NULL) < 0
	    || usage_get(c->store, c->conf->state_dir, &real, time(NULL), &u, NULL) < 0)
		return;
	d->has_usage = 1;
	d->disk_bytes = u.bytes;
	d->disk_count = u.count;
}

static void put_domain(struct proto_writer *w, const struct domain_info *d)
{
	proto_iput(w, "domain", d->name);
	proto_iput(w, "real", d->real);
	proto_iput(w, "alias", d->is_alias ? "1" : "0");
	proto_iputf(w, "users", "%lu", d->users);
	proto_iputf(w, "aliases", "%zu", d->naliases);
	proto_iputf(w, "forwards", "%zu", d->nforwards);
	if (d->alias_names && *d->alias_names)
		proto_iput(w, "alias_domains", d->alias_names);
	if (d->has_usage) {
		proto_iputf(w, "disk_bytes", "%llu", d->disk_bytes);
		proto_iputf(w, "disk_count", "%llu", d->disk_count);
	}
}

struct listing {
	struct op_ctx *c;
	int usage;
};

static int list_one(void *ctx, const struct domain_info *d)
{
	struct listing *l = ctx;
	struct domain_info mine;

	if (l->usage && !d->is_alias) {   /* an alias's disk is its real domain's */
		mine = *d;
		add_usage(l->c, &mine);
		d = &mine;
	}
	proto_item(l->c->out);
	put_domain(l->c->out, d);
	return 0;
}

/* Arguments: search, offset, limit (arg_page); domain (exactly that one);
 * real=1 (real domains only, each with its alias_domains); usage=1 (each
 * real domain's disk_bytes and disk_count). */
int op_domain_list(struct op_ctx *c)
{
	struct listing l = { c, 0 };
	struct v_domain only;
	struct list_query q;
	size_t total = 0;

	if (arg_page(c, &q) < 0 || arg_flag(c, "real", &q.reals_only) < 0
	    || arg_flag(c, "usage", &l.usage) < 0)
		return -1;
	if (arg(c, "domain")) {
		if (arg_domain(c, "domain", &only) < 0)
			return -1;
		q.name = only.s;
	}
	if (store_domain_list(c->store, &q, list_one, &l, &total, c->err) < 0)
		return -1;
	proto_putf(c->out, "total", "%zu", total);
	return 0;
}

/* Adds a real domain's alias_domains to the item being written: the
 * domain list is what knows them all at once. */
static int put_alias_names(void *ctx, const struct domain_info *d)
{
	struct op_ctx *c = ctx;

	if (d->alias_names && *d->alias_names)
		proto_iput(c->out, "alias_domains", d->alias_names);
	return 0;
}

/* Arguments: domain; usage=1 (disk_bytes and disk_count, of the real
 * domain for an alias). */
int op_domain_get(struct op_ctx *c)
{
	struct v_domain d;
	struct domain_info info;
	struct list_query q;
	int usage;

	if (arg_domain(c, "domain", &d) < 0 || arg_flag(c, "usage", &usage) < 0
	    || may_domain(c, &d) < 0 || store_domain_get(c->store, &d, &info, c->err) < 0)
		return -1;
	if (usage)
		add_usage(c, &info);
	proto_item(c->out);
	put_domain(c->out, &info);
	if (info.is_alias || !info.naliases)
		return 0;
	memset(&q, 0, sizeof(q));
	q.name = info.name;
	return store_domain_list(c->store, &q, put_alias_names, c, NULL, c->err);
}

/* What a domain holds besides mailboxes, counted as the limits count them:
 * maxforwards covers forwards and blackholes. */
struct holdings {
	size_t forwards, autoresponders, lists;
};

static int count_holdings(struct op_ctx *c, const struct v_domain *d, struct holdings *h)
{
	struct dq_entry *list;
	size_t n, i;

	memset(h, 0, sizeof(*h));
	if (store_alias_list(c->store, d, &list, &n, c->err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		h->forwards += list[i].kind == DQ_FORWARD || list[i].kind == DQ_BLACKHOLE;
		h->autoresponders += list[i].kind == DQ_AUTORESPONDER;
		h->lists += list[i].kind == DQ_LIST;
	}
	dq_list_free(list, n);
	return 0;
}

/* The catch-all's mode and target; "none" when there is no .qmail-default
 * (qmail then bounces mail for unknown names itself). */
static int put_catchall(struct op_ctx *c, const struct v_domain *d)
{
	struct dq_catchall ca;
	struct qa_error miss;

	if (store_catchall_get(c->store, d, &ca, &miss) < 0) {
		if (miss.code != QA_ERR_NOT_FOUND) {
			*c->err = miss;
			return -1;
		}
		proto_iput(c->out, "catchall", "none");
		return 0;
	}
	proto_iput(c->out, "catchall", catchall_mode(ca.kind));
	proto_iput(c->out, "catchall_target", ca.target);
	return 0;
}

/* domain.summary: all that a domain admin's start page shows, in one run:
 * the domain as domain.get has it, the forwards, autoresponders and mailing
 * lists it holds, its limits (max_*: -1 = no limit) and its catch-all.
 * Without a domain argument: the caller's own domain. */
int op_domain_summary(struct op_ctx *c)
{
	struct domain_info info;
	struct holdings h;
	struct vlimits l;
	struct v_domain d;
	int is_default;

	if (arg_domain_or_own(c, &d) < 0 || may_domain(c, &d) < 0 || store_domain_get(c->store, &d, &info, c->err) < 0
	    || store_limits_get(c->store, &d, &l, &is_default, c->err) < 0
	    || count_holdings(c, &d, &h) < 0)
		return -1;
	proto_item(c->out);
	put_domain(c->out, &info);
	proto_iputf(c->out, "forwards", "%zu", h.forwards);
	proto_iputf(c->out, "autoresponders", "%zu", h.autoresponders);
	proto_iputf(c->out, "lists", "%zu", h.lists);
	proto_iputf(c->out, "max_users", "%d", l.maxpopaccounts);
	proto_iputf(c->out, "max_forwards", "%d", l.maxforwards);
	proto_iputf(c->out, "max_autoresponders", "%d", l.maxautoresponders);
	proto_iputf(c->out, "max_lists", "%d", l.maxmailinglists);
	proto_iputf(c->out, "default_quota", "%lld", (long long)l.defaultquota);
	proto_iput(c->out, "limits_default", is_default ? "1" : "0");
	return put_catchall(c, &d);
}

int op_domain_add(struct op_ctx *c)
{
	char hash[PASSWD_HASH_MAX];
	struct v_domain d;

	if (arg_domain(c, "domain", &d) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "domain %s", d.s);
	if (arg_new_password(c, "password", hash, sizeof(hash)) < 0)
		return -1;
	return store_domain_add(c->store, &d, hash, c->err);
}

int op_domain_del(struct op_ctx *c)
{
	struct v_domain d;

	if (arg_domain(c, "domain", &d) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "domain %s", d.s);
	if (store_domain_del(c->store, &d, c->err) < 0)
		return -1;
	usage_forget(c->conf->state_dir, &d);
	return 0;
}

int op_alias_domain_add(struct op_ctx *c)
{
	struct v_domain alias, real;

	if (arg_domain(c, "alias", &alias) < 0 || arg_domain(c, "domain", &real) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "alias domain %s of %s", alias.s, real.s);
	return store_alias_domain_add(c->store, &alias, &real, c->err);
}

int op_alias_domain_del(struct op_ctx *c)
{
	struct v_domain alias;

	if (arg_domain(c, "alias", &alias) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "alias domain %s", alias.s);
	return store_alias_domain_del(c->store, &alias, c->err);
}
