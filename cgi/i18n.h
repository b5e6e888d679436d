/* i18n: message catalogs (templates/lang/en, templates/lang/sv ...).
 * Catalog file format, UTF-8, one message a line:
 *     # comment
 *     key = text with {1} placeholders
 * Keys are [a-z0-9_.]+; text is plain text (the template engine escapes it).
 * A key defined twice, a line without " = ", or invalid UTF-8 is an error. */
#ifndef QA_I18N_H
#define QA_I18N_H

#include <stddef.h>

struct catalog;
struct catalogs;

struct catalogs *i18n_load_dir(const char *langdir, char *err, size_t errlen);
void i18n_free(struct catalogs *cs);

/* For tests and fuzzers: parse one catalog from memory. */
struct catalog *catalog_parse(const char *lang, const char *text, size_t len,
                              char *err, size_t errlen);
void catalog_free(struct catalog *c);

/* For tests and fuzzers: an empty set to add parsed catalogs to. i18n_add
 * takes c over, also when it fails (c NULL, or its language already there). */
struct catalogs *i18n_new(void);
int i18n_add(struct catalogs *cs, struct catalog *c);

const struct catalog *i18n_catalog(const struct catalogs *cs, const char *lang);
const char *catalog_lang(const struct catalog *c);
const char *catalog_text(const struct catalog *c, const char *key);  /* NULL if missing */
size_t catalog_size(const struct catalog *c);
const char *catalog_key_at(const struct catalog *c, size_t i);      /* sorted by key */
size_t i18n_count(const struct catalogs *cs);
const struct catalog *i18n_at(const struct catalogs *cs, size_t i);

/* Picks a language: the cookie's if it names a loaded catalog, else the best
 * match of an Accept-Language header (q-values honoured, "sv-SE" matches
 * "sv"), else deflt. Never NULL if deflt is loaded. */
const char *i18n_negotiate(const struct catalogs *cs, const char *cookie_lang,
                           const char *accept_language, const char *deflt);

#endif
