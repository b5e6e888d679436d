/* template: template sets, the data pages hand in, and rendering (see
 * template.h). Parsing and the HTML context rules live in template_parse.c
 * and template_html.c; by the time a template gets here every substitution
 * already knows its escaping, so rendering only looks values up and calls
 * the escaping writer. Nothing here writes a data byte unescaped except a
 * sanitizer's safe_html in text. */
#include "config.h"

#include "template.h"

#include "arena.h"
#include "buf.h"
#include "file.h"
#include "html.h"
#include "i18n.h"
#include "template_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEMPLATE_FILE (1u << 20)

/* ---------------------------------------------------------------- sets */

struct tmpl_set *tmpl_set_new(void)
{
	return calloc(1, sizeof(struct tmpl_set));
}

void tmpl_set_free(struct tmpl_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		tmpl_destroy(set->t[i]);
	free(set->t);
	free(set);
}

static struct tmpl *find(const struct tmpl_set *set, const char *name, size_t *idx)
{
	size_t i;

	for (i = 0; set && name && i < set->n; i++) {
		if (strcmp(set->t[i]->name, name) == 0) {
			if (idx)
				*idx = i;
			return set->t[i];
		}
	}
	return NULL;
}

int tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return find(set, name, NULL) != NULL;
}

int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len,
             char *err, size_t errlen)
{
	struct tmpl *t;

	if (errlen)
		err[0] = '\0';
	if (!name || !tmpl_name_ok(name, strlen(name))) {
		snprintf(err, errlen, "bad template name");
		return -1;
	}
	if (find(set, name, NULL)) {
		snprintf(err, errlen, "%s: template defined twice", name);
		return -1;
	}
	t = calloc(1, sizeof(*t));
	if (!t || !(t->name = strdup(name)) ||
	    tmpl_grow((void **)&set->t, &set->cap, set->n + 1, sizeof(*set->t)) < 0) {
		tmpl_destroy(t);
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	if (tmpl_parse(t, src ? src : "", src ? len : 0, err, errlen) < 0) {
		tmpl_destroy(t);
		return -1;
	}
	set->t[set->n++] = t;
	set->linked = 0;
	return 0;
}

/* Depth-first over includes: mark 1 while on the path, 2 when done. */
static int find_cycle(struct tmpl_set *set, struct tmpl *t, char *err, size_t errlen)
{
	size_t i;

	if (t->mark == 2)
		return 0;
	if (t->mark == 1) {
		snprintf(err, errlen, "%s: include cycle", t->name);
		return -1;
	}
	t->mark = 1;
	for (i = 0; i < t->nnodes; i++)
		if (t->nodes[i].kind == N_INCLUDE &&
		    find_cycle(set, set->t[t->nodes[i].target], err, errlen) < 0)
			return -1;
	t->mark = 2;
	return 0;
}

static int resolve(struct tmpl_set *set, struct tmpl *t, char *err, size_t errlen)
{
	size_t i, idx;

	for (i = 0; i < t->nnodes; i++) {
		struct tnode *nd = &t->nodes[i];

		if (nd->kind != N_INCLUDE)
			continue;
		if (!find(set, t->pool + nd->str, &idx)) {
			snprintf(err, errlen, "%s:%d: include of unknown template '%s'",
			         t->name, nd->line, t->pool + nd->str);
			return -1;
		}
		nd->target = (uint32_t)idx;
	}
	return 0;
}

int tmpl_set_link(struct tmpl_set *set, char *err, size_t errlen)
{
	size_t i;

	if (errlen)
		err[0] = '\0';
	set->linked = 0;
	for (i = 0; i < set->n; i++) {
		set->t[i]->mark = 0;
		if (resolve(set, set->t[i], err, errlen) < 0)
			return -1;
	}
	for (i = 0; i < set->n; i++)
		if (find_cycle(set, set->t[i], err, errlen) < 0)
			return -1;
	set->linked = 1;
	return 0;
}

void tmpl_foreach_key(const struct tmpl_set *set,
                      void (*fn)(const char *tmpl, const char *key, void *ctx),
                      void *ctx)
{
	size_t i, j;

	for (i = 0; set && i < set->n; i++) {
		const struct tmpl *t = set->t[i];

		for (j = 0; j < t->nnodes; j++)
			if (t->nodes[j].kind == N_CAT)
				fn(t->name, t->pool + t->nodes[j].str, ctx);
	}
}

/* ---------------------------------------------------------------- loading */

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;

	if (file_read(path, MAX_TEMPLATE_FILE, &b) < 0) {
		snprintf(err, errlen, "%s: %s", path,
		         errno == EFBIG ? "file too large" : strerror(errno));
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.p ? b.p : strdup("");   /* caller frees */
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The NAME of every DIR/NAME.html, sorted so that loading is repeatable. */
static char **list_templates(const char *dir, size_t *count, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len <= 5 || strcmp(de->d_name + len - 5, ".html") != 0 ||
		    !tmpl_name_ok(de->d_name, len - 5))
			continue;
		if (tmpl_grow((void **)&names, &cap, n + 1, sizeof(*names)) < 0 ||
		    !(names[n] = strndup(de->d_name, len - 5))) {
			snprintf(err, errlen, "%s: out of memory", dir);
			break;
		}
		n++;
	}
	closedir(d);
	if (de) {
		while (n)
			free(names[--n]);
		free(names);
		return NULL;
	}
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	*count = n;
	return names ? names : calloc(1, sizeof(*names));
}

static int load_one(struct tmpl_set *set, const char *dir, const char *name,
                    char *err, size_t errlen)
{
	char path[4096];
	size_t len;
	char *src;
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.html", dir, name) >= sizeof(path)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	src = read_file(path, &len, err, errlen);
	if (!src)
		return -1;
	r = tmpl_add(set, name, src, len, err, errlen);
	free(src);
	return r;
}

struct tmpl_set *tmpl_load_dir(const char *dir, char *err, size_t errlen)
{
	struct tmpl_set *set = tmpl_set_new();
	char **names;
	size_t n = 0, i;
	int r = 0;

	if (errlen)
		err[0] = '\0';
	if (!set) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	names = list_templates(dir, &n, err, errlen);
	if (!names) {
		tmpl_set_free(set);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (r == 0)
			r = load_one(set, dir, names[i], err, errlen);
		free(names[i]);
	}
	free(names);
	if (r < 0 || tmpl_set_link(set, err, errlen) < 0) {
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}

/* ---------------------------------------------------------------- data */

enum tkind { V_STR, V_BOOL, V_LIST, V_HTML };

struct tentry {
	const char *key;
	uint32_t hash;
	unsigned char kind;        /* enum tkind */
	const char *s;             /* V_STR, V_HTML */
	size_t n;                  /* length; for V_BOOL the value */
	struct tlist *list;        /* V_LIST */
};

/* A small array scanned linearly: pages set a few dozen keys at most. */
struct tdict {
	struct arena *a;
	struct tentry *e;
	size_t n, cap;
};

struct tlist {
	struct arena *a;
	struct tdict **items;
	size_t n, cap;
};

/* Doubles an arena array; the old copy stays in the arena until reset. */
static void *arena_grow(struct arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p;

	if (ncap > (size_t)-1 / size)
		return NULL;
	p = arena_alloc(a, ncap * size);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, old, n * size);
	*cap = ncap;
	return p;
}

static struct tentry *dict_find(const struct tdict *d, const char *key, uint32_t hash)
{
	size_t i;

	for (i = 0; d && i < d->n; i++)
		if (d->e[i].hash == hash && strcmp(d->e[i].key, key) == 0)
			return &d->e[i];
	return NULL;
}

/* The entry for key, added if missing; setting a key again replaces it. */
static struct tentry *dict_slot(struct tdict *d, const char *key)
{
	uint32_t hash;
	struct tentry *e, *ne;

	if (!d || !key)
		return NULL;
	hash = tmpl_hash(key, strlen(key));
	e = dict_find(d, key, hash);
	if (e)
		return e;
	if (d->n == d->cap) {
		ne = arena_grow(d->a, d->e, d->n, &d->cap, sizeof(*ne));
		if (!ne)
			return NULL;
		d->e = ne;
	}
	e = &d->e[d->n];
	memset(e, 0, sizeof(*e));
	e->key = arena_strdup(d->a, key);
	if (!e->key)
		return NULL;
	e->hash = hash;
	d->n++;
	return e;
}

struct tdict *tdict_new(struct arena *a)
{
	struct tdict *d = a ? arena_alloc(a, sizeof(*d)) : NULL;

	if (d)
		d->a = a;
	return d;
}

static int set_bytes(struct tdict *d, const char *key, unsigned char kind,
                     const char *s, size_t n)
{
	char *copy = d ? arena_strndup(d->a, s, n) : NULL;
	struct tentry *e = copy ? dict_slot(d, key) : NULL;

	if (!e)
		return -1;
	e->kind = kind;
	e->s = copy;
	e->n = n;
	e->list = NULL;
	return 0;
}

int td_set(struct tdict *d, const char *key, const char *value)
{
	if (!value)
		value = "";
	return set_bytes(d, key, V_STR, value, strlen(value));
}

int td_setf(struct tdict *d, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (!d)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(s = arena_alloc(d->a, (size_t)n + 1)))
		return -1;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return set_bytes(d, key, V_STR, s, (size_t)n);
}

int td_set_bool(struct tdict *d, const char *key, int value)
{
	struct tentry *e = dict_slot(d, key);

	if (!e)
		return -1;
	e->kind = V_BOOL;
	e->s = NULL;
	e->n = value != 0;
	e->list = NULL;
	return 0;
}

int td_set_html(struct tdict *d, const char *key, struct safe_html html)
{
	return set_bytes(d, key, V_HTML, html.html ? html.html : "", html.html ? html.len : 0);
}

struct tlist *td_list(struct tdict *d, const char *key)
{
	struct tentry *e = d && key ? dict_find(d, key, tmpl_hash(key, strlen(key))) : NULL;
	struct tlist *l;

	if (e && e->kind == V_LIST)
		return e->list;
	l = d ? arena_alloc(d->a, sizeof(*l)) : NULL;
	e = l ? dict_slot(d, key) : NULL;
	if (!e)
		return NULL;
	l->a = d->a;
	e->kind = V_LIST;
	e->s = NULL;
	e->n = 0;
	e->list = l;
	return l;
}

struct tdict *tlist_add(struct tlist *l)
{
	struct tdict *item, **items;

	if (!l)
		return NULL;
	if (l->n == l->cap) {
		items = arena_grow(l->a, l->items, l->n, &l->cap, sizeof(*items));
		if (!items)
			return NULL;
		l->items = items;
	}
	item = tdict_new(l->a);
	if (item)
		l->items[l->n++] = item;
	return item;
}

/* ---------------------------------------------------------------- rendering */

struct scope {
	const struct tdict *d;
	const struct scope *up;
};

struct render {
	const struct tmpl_set *set;
	const struct catalog *cat;
	struct buf *out;
	struct buf scratch;        /* a catalog text with its arguments filled in */
};

static const struct tentry *lookup(const struct scope *sc, const char *name, uint32_t hash)
{
	const struct tentry *e;

	for (; sc; sc = sc->up)
		if ((e = dict_find(sc->d, name, hash)) != NULL)
			return e;
	return NULL;
}

static int truthy(const struct tentry *e)
{
	if (!e)
		return 0;
	if (e->kind == V_LIST)
		return e->list->n > 0;
	return e->n > 0;
}

/* What a value reads as inside a string: lists read as nothing, booleans as
 * "1" or nothing. */
static void value_bytes(const struct tentry *e, const char **s, size_t *n)
{
	*s = "";
	*n = 0;
	if (!e || e->kind == V_LIST)
		return;
	if (e->kind == V_BOOL) {
		*s = e->n ? "1" : "";
		*n = e->n ? 1 : 0;
		return;
	}
	*s = e->s;
	*n = e->n;
}

static void write_escaped(struct buf *out, const char *s, size_t n, unsigned char esc)
{
	switch (esc) {
	case ESC_URL_START:
		if (!url_is_safe(s, n)) {
			buf_addc(out, '#');
			return;
		}
		html_escape(out, s, n);
		return;
	case ESC_URL_PART:
		url_escape_component(out, s, n);
		return;
	default:
		html_escape(out, s, n);
		return;
	}
}

static void emit_var(struct render *r, const struct tmpl *t, const struct tnode *nd,
                     const struct scope *sc)
{
	const struct tentry *e = lookup(sc, t->pool + nd->str, nd->hash);
	const char *s;
	size_t n;

	/* Sanitized HTML is markup only where markup can go: in text. */
	if (e && e->kind == V_HTML && nd->esc == ESC_TEXT) {
		buf_add(r->out, e->s, e->n);
		return;
	}
	value_bytes(e, &s, &n);
	write_escaped(r->out, s, n, nd->esc);
}

/* Copies text into the scratch buffer with {1}..{9} replaced by the
 * arguments' values; other braces stay as they are. */
static void fill_args(struct render *r, const struct tmpl *t, const struct tnode *nd,
                      const char *text, const struct scope *sc)
{
	const char *p = text, *brace;
	const struct targ *arg;
	const char *s;
	size_t n;

	buf_reset(&r->scratch);
	while ((brace = strchr(p, '{')) != NULL) {
		unsigned k = (unsigned char)brace[1] - '1';

		buf_add(&r->scratch, p, (size_t)(brace - p));
		p = brace + 1;
		if (k >= nd->nargs || brace[2] != '}') {
			buf_addc(&r->scratch, '{');
			continue;
		}
		arg = &t->args[nd->args + k];
		value_bytes(lookup(sc, t->pool + arg->str, arg->hash), &s, &n);
		buf_add(&r->scratch, s, n);
		p = brace + 3;
	}
	buf_adds(&r->scratch, p);
}

static void emit_catalog(struct render *r, const struct tmpl *t, const struct tnode *nd,
                         const struct scope *sc)
{
	const char *key = t->pool + nd->str;
	const char *text = r->cat ? catalog_text(r->cat, key) : NULL;

	if (!text)
		text = key;
	fill_args(r, t, nd, text, sc);
	if (buf_failed(&r->scratch)) {
		r->out->failed = 1;
		return;
	}
	write_escaped(r->out, r->scratch.p, r->scratch.len, nd->esc);
}

static void render_range(struct render *r, const struct tmpl *t, uint32_t from,
                         uint32_t to, const struct scope *sc);

static void render_each(struct render *r, const struct tmpl *t, uint32_t i,
                        const struct scope *sc)
{
	const struct tnode *nd = &t->nodes[i];
	const struct tentry *e = lookup(sc, t->pool + nd->str, nd->hash);
	struct scope inner = { NULL, sc };
	size_t k;

	if (!e || e->kind != V_LIST)
		return;
	for (k = 0; k < e->list->n && !buf_failed(r->out); k++) {
		inner.d = e->list->items[k];
		render_range(r, t, i + 1, nd->end, &inner);
	}
}

static void render_range(struct render *r, const struct tmpl *t, uint32_t from,
                         uint32_t to, const struct scope *sc)
{
	uint32_t i = from;

	while (i < to && !buf_failed(r->out)) {
		const struct tnode *nd = &t->nodes[i];
		const struct tmpl *inc;
		int cond;

		switch (nd->kind) {
		case N_TEXT:
			buf_add(r->out, t->pool + nd->str, nd->len);
			break;
		case N_VAR:
			emit_var(r, t, nd, sc);
			break;
		case N_CAT:
			emit_catalog(r, t, nd, sc);
			break;
		case N_INCLUDE:
			inc = r->set->t[nd->target];
			render_range(r, inc, 0, (uint32_t)inc->nnodes, sc);
			break;
		case N_EACH:
			render_each(r, t, i, sc);
			i = nd->end;
			continue;
		default: /* N_IF, N_UNLESS */
			cond = truthy(lookup(sc, t->pool + nd->str, nd->hash));
			if (cond == (nd->kind == N_IF))
				render_range(r, t, i + 1, nd->alt, sc);
			else
				render_range(r, t, nd->alt, nd->end, sc);
			i = nd->end;
			continue;
		}
		i++;
	}
}

int tmpl_render(const struct tmpl_set *set, const char *name,
                const struct tdict *data, const struct catalog *cat,
                struct buf *out)
{
	const struct tmpl *t = find(set, name, NULL);
	struct scope root = { data, NULL };
	struct render r = { set, cat, out, BUF_INIT };

	if (!t || !set->linked || !out)
		return -1;
	buf_init(&r.scratch, out->max);
	render_range(&r, t, 0, (uint32_t)t->nnodes, &root);
	buf_free(&r.scratch);
	return buf_failed(out) ? -1 : 0;
}
