/* template: the HTML template engine. Templates are parsed once at start-up
 * into a tree; rendering walks the tree and escapes every substitution for the
 * HTML context the parser found it in (text, quoted attribute, URL
 * attribute). Page code supplies data, never markup.
 *
 * Syntax (see templates/README.md):
 *   {{name}}              value, escaped for its context
 *   {{_ key}}             catalog text (templates/lang/LANG), escaped likewise
 *   {{_ key a b}}         catalog text with {1} {2} replaced by values a, b
 *   {{#if name}}..{{else}}..{{/if}}   {{#unless name}}..{{/unless}}
 *   {{#each name}}..{{/each}}         loop over a list of dicts
 *   {{> other}}           include templates/other.html (text context only)
 *   {{! comment}}
 * Substitutions are refused at parse time where no escaping can make them
 * safe: inside <script> or <style>, comments, tag or attribute names,
 * unquoted attribute values, on* and style attributes, srcset. In a URL
 * attribute (href, src, action, formaction, ...) a value at the start of the
 * attribute must be a safe URL (else "#" is written); later values are
 * percent-encoded as components. Branches and loop bodies must end in the
 * HTML context they started in. */
#ifndef QA_TEMPLATE_H
#define QA_TEMPLATE_H

#include <stddef.h>

struct arena;
struct buf;
struct catalog;
struct safe_html;

struct tmpl_set;
struct tdict;
struct tlist;

struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *set);

/* Parses one template named name (e.g. "login") from src. Includes are
 * resolved by tmpl_set_link once all are added. On error returns -1 and
 * writes "name:line: reason" into err. */
int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len,
             char *err, size_t errlen);

/* Resolves includes; fails on a missing template or an include cycle. */
int tmpl_set_link(struct tmpl_set *set, char *err, size_t errlen);

/* Loads every DIR/NAME.html as template NAME, then links. NULL on error. */
struct tmpl_set *tmpl_load_dir(const char *dir, char *err, size_t errlen);

/* Calls fn for every catalog key used ({{_ key}}) in every template. */
void tmpl_foreach_key(const struct tmpl_set *set,
                      void (*fn)(const char *tmpl, const char *key, void *ctx),
                      void *ctx);
int tmpl_exists(const struct tmpl_set *set, const char *name);

/* Data: dicts of strings, booleans, lists of dicts and sanitized HTML. Keys
 * and string values are copied into the arena. Lookup inside {{#each}} tries
 * the item first, then the enclosing scopes out to the root. */
struct tdict *tdict_new(struct arena *a);
int td_set(struct tdict *d, const char *key, const char *value);
int td_setf(struct tdict *d, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int td_set_bool(struct tdict *d, const char *key, int value);
int td_set_html(struct tdict *d, const char *key, struct safe_html html);
struct tlist *td_list(struct tdict *d, const char *key);  /* created if missing */
struct tdict *tlist_add(struct tlist *l);                  /* appends an item */

/* Renders template name into out. A missing value renders as "", a missing
 * catalog key as the key itself (the catalog test keeps that from shipping).
 * Returns 0, or -1 for an unknown template or a buffer failure. */
int tmpl_render(const struct tmpl_set *set, const char *name,
                const struct tdict *data, const struct catalog *cat,
                struct buf *out);

#endif
