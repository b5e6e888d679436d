/* Unit tests: vpasswd_page (list pages in name or full-name order, with a
 * search, the total counted or taken from vpasswd.cdb) and vpasswd_map.
 * Pages are checked against a plain reference: every entry parsed,
 * filtered and sorted with qsort; at 100,000 users the sorted first pages
 * are also timed. */
#include "config.h"

#include "check_main.h"
#include "qmail_tree.h"
#include "vpasswd.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What a page handed on: the names, in order. */
struct got {
	char names[2048][40];
	size_t n;
	size_t stop_after;     /* 0: never stop */
};

static int collect(void *ctx, const char *line, size_t len)
{
	struct got *g = ctx;
	const char *c = memchr(line, ':', len);

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(memchr(line, '\n', len));
	ck_assert_uint_lt(g->n, 2048);
	snprintf(g->names[g->n], sizeof(g->names[0]), "%.*s", (int)(c - line), line);
	g->n++;
	return g->stop_after && g->n == g->stop_after ? 7 : 0;
}

/* entries: the total as vpasswd.cdb would give it, or NULL: counted. */
static struct got *page_known(const char *text, const char *search, const char *sort,
                              size_t offset, size_t limit, const size_t *entries, size_t *total)
{
	static struct got g;
	struct vpw_query q = { search, 0, 0, offset, limit, entries };
	struct qa_error e = { 0 };

	memset(&g, 0, sizeof(g));
	q.descending = sort[0] == '-';
	q.by_gecos = strstr(sort, "gecos") != NULL;
	ck_assert_int_eq(vpasswd_page(text, strlen(text), &q, collect, &g, total, &e), 0);
	return &g;
}

static struct got *page(const char *text, const char *search, const char *sort, size_t offset,
                        size_t limit, size_t *total)
{
	return page_known(text, search, sort, offset, limit, NULL, total);
}

/* "a,b,c": the names of a page joined, to compare in one assertion. */
static const char *joined(const struct got *g)
{
	static char out[4096];
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < g->n && o < sizeof(out) - 64; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? "," : "", g->names[i]);
	return out;
}

#define PAGE_IS(text, search, sort, off, lim, want_total, want)                 \
	do {                                                                    \
		size_t t_ = 0;                                                  \
		const struct got *g_ = page(text, search, sort, off, lim, &t_); \
		ck_assert_str_eq(joined(g_), want);                             \
		ck_assert_uint_eq(t_, want_total);                              \
	} while (0)

static const char four[] =
	"anna:x:1:0:Anna Berg:/d/anna:NOQUOTA\n"
	"bertil:x:1:0:Bertil Svensson:/d/bertil:NOQUOTA\n"
	"cecilia:x:1:0:Cecilia Berglund:/d/cecilia:NOQUOTA\n"
	"david:$6$saltsalt$h:1:0:David Nilsson:/d/david:NOQUOTA\n";

START_TEST(search_matches_name_or_gecos_ignoring_case)
{
	PAGE_IS(four, "BERG", "name", 0, 10, 2, "anna,cecilia");
	PAGE_IS(four, "ERT", "name", 0, 10, 1, "bertil");        /* the name */
	PAGE_IS(four, "sson", "name", 1, 10, 2, "david");
	PAGE_IS(four, "", "name", 1, 2, 4, "bertil,cecilia");
	PAGE_IS(four, NULL, "name", 0, 0, 4, "anna,bertil,cecilia,david");
	PAGE_IS(four, "saltsalt", "name", 0, 10, 0, "");         /* not the hash */
	PAGE_IS(four, "nilsson", "-name", 0, 10, 1, "david");
	PAGE_IS(four, "BERG", "-gecos", 0, 10, 2, "cecilia,anna");
}
END_TEST

START_TEST(name_order_pages_both_ways)
{
	PAGE_IS(four, "", "name", 0, 3, 4, "anna,bertil,cecilia");
	PAGE_IS(four, "", "name", 3, 3, 4, "david");
	PAGE_IS(four, "", "name", 4, 3, 4, "");
	PAGE_IS(four, "", "-name", 0, 3, 4, "david,cecilia,bertil");
	PAGE_IS(four, "", "-name", 3, 3, 4, "anna");
	PAGE_IS(four, "", "-name", 9, 3, 4, "");
	PAGE_IS(four, "", "-name", 1, 0, 4, "cecilia,bertil,anna");
	/* No final newline, an empty line, a line without ':' (no one, not
	 * counted), a first line that is empty. */
	PAGE_IS("\nb:x:1:0:B:/d/b:\n\nno colon\nc:x:1:0:C:/d/c:", "", "-name", 0, 9, 2, "c,b");
	PAGE_IS("\nb:x:1:0:B:/d/b:\n\nno colon\nc:x:1:0:C:/d/c:", "", "name", 0, 9, 2, "b,c");
	PAGE_IS("\nb:x:1:0:B:/d/b:\n\nno colon\nc:x:1:0:C:/d/c:", "", "gecos", 0, 9, 2, "b,c");
	PAGE_IS("", "", "-name", 0, 9, 0, "");
	PAGE_IS("\n", "", "-name", 0, 9, 0, "");
	PAGE_IS("\n\n", "", "gecos", 0, 9, 0, "");
	PAGE_IS("x:\n", "", "-name", 0, 9, 1, "x");
}
END_TEST

START_TEST(gecos_order_ignores_ascii_case_then_uses_the_name)
{
	static const char text[] =
		"a1:x:1:0:zed:/d/a1:\n"
		"a2:x:1:0:Anna:/d/a2:\n"
		"a3:x:1:0:anna:/d/a3:\n"
		"a4:x:1:0:\xc3\x96rjan:/d/a4:\n"      /* Örjan: UTF-8 after ASCII */
		"a5:x:1:0:Bo:/d/a5:\n"
		"a6:x:1:0::/d/a6:\n"                  /* empty first */
		"a7:x\n";                             /* no gecos field: empty */

	PAGE_IS(text, "", "gecos", 0, 0, 7, "a6,a7,a2,a3,a5,a1,a4");
	PAGE_IS(text, "", "-gecos", 0, 0, 7, "a4,a1,a5,a3,a2,a7,a6");
	PAGE_IS(text, "", "gecos", 2, 2, 7, "a2,a3");
	PAGE_IS(text, "", "-gecos", 5, 10, 7, "a7,a6");
	PAGE_IS(text, "ANNA", "gecos", 0, 1, 2, "a2");
	PAGE_IS(text, "", "gecos", 7, 1, 7, "");
}
END_TEST

/* Latin-1 Supplement and Latin Extended-A capitals fold to their lower
 * case; the order is the byte order of the folded UTF-8: a-z, then (in
 * code point order) × ä å æ é ö ø ÿ, then ł. */
START_TEST(gecos_order_folds_latin_letters_too)
{
	static const char text[] =
		"b1:x:1:0:\xc3\x85sa:/d/b1:\n"        /* Åsa */
		"b2:x:1:0:\xc3\xa5ke:/d/b2:\n"        /* åke */
		"b3:x:1:0:Zoe:/d/b3:\n"
		"b4:x:1:0:\xc3\x89mile:/d/b4:\n"      /* Émile: after z, not with e */
		"b5:x:1:0:eva:/d/b5:\n"
		"b6:x:1:0:\xc3\x96rjan:/d/b6:\n"      /* Örjan */
		"b7:x:1:0:\xc3\xa4rla:/d/b7:\n"       /* ärla */
		"b8:x:1:0:\xc3\x84nna:/d/b8:\n"       /* Änna */
		"b9:x:1:0:\xc3\x98st:/d/b9:\n"        /* Øst */
		"c1:x:1:0:\xc3\xa6" "ble:/d/c1:\n"       /* æble */
		"c2:x:1:0:\xc3\x86r\xc3\xb8:/d/c2:\n" /* Ærø */
		"c3:x:1:0:\xc5\x81ukasz:/d/c3:\n"     /* Łukasz */
		"c4:x:1:0:\xc5\x82ucja:/d/c4:\n"      /* łucja */
		"c5:x:1:0:\xc3\x97x:/d/c5:\n"         /* ×x: a sign, not a letter */
		"c6:x:1:0:\xc5\xb8" "ves:/d/c6:\n";      /* Ÿves: ÿ, in Latin-1 */

	PAGE_IS(text, "", "gecos", 0, 0, 15, "b5,b3,c5,b8,b7,b2,b1,c1,c2,b4,b6,b9,c6,c4,c3");
	PAGE_IS(text, "", "-gecos", 0, 3, 15, "c3,c4,c6");
	/* a search folds the same letters */
	PAGE_IS(text, "\xc3\xa5sa", "name", 0, 0, 1, "b1");             /* åsa */
	PAGE_IS(text, "\xc3\x85KE", "name", 0, 0, 1, "b2");             /* ÅKE */
	PAGE_IS(text, "\xc5\x81u", "gecos", 0, 0, 2, "c4,c3");          /* Łu */
	PAGE_IS(text, "\xc3\xa6R\xc3\x98", "name", 0, 0, 1, "c2");      /* æRØ */
	PAGE_IS(text, "\xc3\xb7", "name", 0, 0, 0, "");                 /* ÷ is not × folded */
}
END_TEST

/* Past the 16 bytes of the integer key, and a letter split across it. */
START_TEST(gecos_fold_past_the_key)
{
	static const char text[] =
		"a1:x:1:0:Karl-Gustav LINDSTR\xc3\x96M:/d/a1:\n"
		"a2:x:1:0:karl-gustav lindstr\xc3\xb6m:/d/a2:\n"
		"a3:x:1:0:Karl-Gustav Lindstrom:/d/a3:\n"
		"a4:x:1:0:abcdefghijklmno\xc3\x85:/d/a4:\n"   /* Å's bytes are 16th and 17th */
		"a5:x:1:0:ABCDEFGHIJKLMNO\xc3\xa5:/d/a5:\n"
		"a6:x:1:0:abcdefghijklmnoz:/d/a6:\n";

	PAGE_IS(text, "", "gecos", 0, 0, 6, "a6,a4,a5,a3,a1,a2");
	PAGE_IS(text, "", "-gecos", 0, 0, 6, "a2,a1,a3,a5,a4,a6");
}
END_TEST

START_TEST(a_stop_from_the_callback_ends_the_page_not_the_count)
{
	struct vpw_query q = { NULL, 0, 0, 0, 0, NULL };
	struct got g;
	size_t total = 0;
	int desc;

	for (desc = 0; desc < 4; desc++) {
		memset(&g, 0, sizeof(g));
		g.stop_after = 2;
		q.by_gecos = desc / 2;
		q.descending = desc % 2;
		ck_assert_int_eq(vpasswd_page(four, strlen(four), &q, collect, &g, &total, NULL), 7);
		ck_assert_uint_eq(g.n, 2);
		ck_assert_uint_eq(total, 4);
	}
}
END_TEST

/* ---- the reference: every entry, filtered, sorted with qsort */

struct ref {
	char line[128];
	char name[40];
	char gecos[64];
};

/* The fold for the letters make_text uses, written out: ASCII, Latin-1
 * capitals (C3 80..9E but not the sign C3 97) and Ł (C5 81). */
static void ref_fold(const char *in, char *out)
{
	const unsigned char *u = (const unsigned char *)in;
	size_t i;

	for (i = 0; u[i]; i++) {
		out[i] = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]);
		if (i > 0 && u[i - 1] == 0xC3 && u[i] >= 0x80 && u[i] <= 0x9E && u[i] != 0x97)
			out[i] = (char)(u[i] + 0x20);
		if (i > 0 && u[i - 1] == 0xC5 && u[i] == 0x81)
			out[i] = (char)0x82;
	}
	out[i] = '\0';
}

static int ref_cmp(const void *pa, const void *pb)
{
	const struct ref *a = pa, *b = pb;
	char fa[64], fb[64];
	int c;

	ref_fold(a->gecos, fa);
	ref_fold(b->gecos, fb);
	c = strcmp(fa, fb);

	if (c)
		return c;
	c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->line, b->line);
}

static int ref_cmp_name(const void *pa, const void *pb)
{
	return strcmp(((const struct ref *)pa)->line, ((const struct ref *)pb)->line);
}

/* n entries with few distinct full names (many ties), in name order. */
static char *make_text(size_t n, struct ref *refs)
{
	static const char *const first[] = { "Anna", "anna", "Lars", "Åsa", "bo", "Örjan", "",
		                             "åsa", "ÖRJAN", "Łukasz", "łukasz" };
	struct buf b = BUF_INIT;
	size_t i;
	uint32_t r = 12345;

	for (i = 0; i < n; i++) {
		r = r * 1103515245u + 12345u;
		snprintf(refs[i].name, sizeof(refs[i].name), "u%05zu", i);
		snprintf(refs[i].gecos, sizeof(refs[i].gecos), "%s%s%u", first[(r >> 16) % 11],
		         (r >> 8) % 3 ? " " : "", (r >> 20) % 5);
		snprintf(refs[i].line, sizeof(refs[i].line), "%s:x:1:0:%s:/d/%s:NOQUOTA",
		         refs[i].name, refs[i].gecos, refs[i].name);
		buf_printf(&b, "%s\n", refs[i].line);
	}
	return b.p;
}

static void check_against_ref(const char *text, struct ref *refs, size_t n, const char *sort,
                              const char *search, size_t offset, size_t limit)
{
	static struct ref kept[1200];
	size_t total, k = 0, i, want;
	const struct got *g;

	for (i = 0; i < n; i++)
		if (!search || strcasestr(refs[i].name, search) || strcasestr(refs[i].gecos, search))
			kept[k++] = refs[i];
	qsort(kept, k, sizeof(kept[0]), strstr(sort, "gecos") ? ref_cmp : ref_cmp_name);
	g = page(text, search, sort, offset, limit, &total);
	ck_assert_uint_eq(total, k);
	want = offset >= k ? 0 : (limit && k - offset > limit ? limit : k - offset);
	ck_assert_uint_eq(g->n, want);
	for (i = 0; i < want; i++) {
		size_t j = sort[0] == '-' ? k - 1 - (offset + i) : offset + i;

		ck_assert_msg(!strcmp(g->names[i], kept[j].name), "%s %s off %zu lim %zu: #%zu is %s, want %s",
		              sort, search ? search : "-", offset, limit, i, g->names[i], kept[j].name);
	}
	/* With the total known (vpasswd.cdb's count) a page by name is the
	 * same, read from the nearer end. */
	if (search || strstr(sort, "gecos"))
		return;
	g = page_known(text, search, sort, offset, limit, &k, &total);
	ck_assert_uint_eq(total, k);
	ck_assert_uint_eq(g->n, want);
	for (i = 0; i < want; i++) {
		size_t j = sort[0] == '-' ? k - 1 - (offset + i) : offset + i;

		ck_assert_msg(!strcmp(g->names[i], kept[j].name), "known %s off %zu lim %zu: #%zu is %s, want %s",
		              sort, offset, limit, i, g->names[i], kept[j].name);
	}
}

START_TEST(pages_agree_with_a_full_sort)
{
	static struct ref refs[1000];
	static const char *const sorts[] = { "name", "-name", "gecos", "-gecos" };
	static const size_t offsets[] = { 0, 1, 49, 50, 333, 480, 500, 520, 950, 999, 1000, 1500 };
	static const size_t limits[] = { 0, 1, 7, 50, 1000 };
	char *text = make_text(1000, refs);
	size_t s, o, l;

	for (s = 0; s < 4; s++)
		for (o = 0; o < sizeof(offsets) / sizeof(offsets[0]); o++)
			for (l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
				check_against_ref(text, refs, 1000, sorts[s], NULL, offsets[o], limits[l]);
				check_against_ref(text, refs, 1000, sorts[s], "ANNA 3", offsets[o] % 60,
				                  limits[l]);
			}
	free(text);
}
END_TEST

START_TEST(map_reads_the_file_as_it_is)
{
	struct vpw_map m;
	struct qa_error e = { 0 };

	ck_assert_int_eq(vpasswd_map(tree_root, &m, &e), 0);     /* missing: empty */
	ck_assert_uint_eq(m.len, 0);
	tree_put_text("vpasswd", "");
	ck_assert_int_eq(vpasswd_map(tree_root, &m, &e), 0);
	ck_assert_uint_eq(m.len, 0);
	tree_put_text("vpasswd", four);
	ck_assert_int_eq(vpasswd_map(tree_root, &m, &e), 0);
	ck_assert_uint_eq(m.len, strlen(four));
	ck_assert_mem_eq(m.text, four, m.len);
	vpasswd_unmap(&m);
	ck_assert_ptr_null(m.text);
	ck_assert_int_eq(vpasswd_map("", &m, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
}
END_TEST

static void set_mtime(const char *rel, time_t t)
{
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };

	ck_assert_int_eq(utimensat(AT_FDCWD, tree_at(rel), ts, 0), 0);
}

/* The count comes from vpasswd.cdb only when it can be trusted: a cdb
 * not older than vpasswd, and a text whose last line vpopmail's builder
 * would have read (it ends in '\n'). */
START_TEST(map_counts_from_the_cdb_when_it_is_current)
{
	struct vpw_map m;
	struct qa_error e = { 0 };
	size_t total = 0;
	struct got g;
	struct vpw_query q = { NULL, 0, 0, 0, 2, NULL };

	tree_put_text("vpasswd", four);
	ck_assert_int_eq(vpasswd_map(tree_root, &m, &e), 0);
	ck_assert_int_eq(m.entries_known, 0);                   /* no cdb */
	vpasswd_unmap(&m);
	ck_assert_uint_eq(vpasswd_entries(tree_root), 4);       /* counted */
	ck_assert_int_eq(vpasswd_rebuild_cdb(tree_root, &e), 0);
	set_mtime("vpasswd", 1000000000);
	set_mtime("vpasswd.cdb", 1000000000);
	ck_assert_int_eq(vpasswd_map(tree_root, &m, &e), 0);
	ck_assert_int_eq(m.entries_known, 1);
	ck_assert_uint_eq(m.entries, 4);
	/* the cdb says 4 and is believed: the page stops after its lines */
	memset(&g, 0, sizeof(g));
	q.entries = &m.entries;
	ck_assert_int_eq(vpasswd_page(m.text, m.len, &q, collect, &g, &total, &e), 0);
	ck_assert_uint_eq(total, 4);
	ck_assert_str_eq(joined(&g), "anna,bertil");
	vpasswd_unmap(&m);
	ck_assert_uint_eq(vpasswd_entries(tree_root), 4);
	/* a vpasswd edited by hand after the cdb: counted in the text */
	tree_put_text("vpasswd", "anna:x:1:0:A:/d/a:\nbo:x:1:0:B:/d/b:\n");
	set_mtime("vpasswd", 1000000001);
	ck_assert_int_eq(vpasswd_map(tree_root, &m, &e), 0);
	ck_assert_int_eq(m.entries_known, 0);
	vpasswd_unmap(&m);
	ck_assert_uint_eq(vpasswd_entries(tree_root), 2);
	/* no final newline: vpopmail's cdb would lack the last line */
	tree_put_text("vpasswd", "anna:x:1:0:A:/d/a:\nbo:x:1:0:B:/d/b:");
	ck_assert_int_eq(vpasswd_rebuild_cdb(tree_root, &e), 0);
	set_mtime("vpasswd", 1000000002);
	set_mtime("vpasswd.cdb", 1000000003);
	ck_assert_int_eq(vpasswd_map(tree_root, &m, &e), 0);
	ck_assert_int_eq(m.entries_known, 0);
	vpasswd_unmap(&m);
	/* a broken cdb header (odd slots) is no count */
	tree_put_text("vpasswd", four);
	tree_put_text("vpasswd.cdb", "\x01\x02");
	set_mtime("vpasswd", 1000000004);
	set_mtime("vpasswd.cdb", 1000000005);
	ck_assert_int_eq(vpasswd_map(tree_root, &m, &e), 0);
	ck_assert_int_eq(m.entries_known, 0);
	vpasswd_unmap(&m);
	ck_assert_uint_eq(vpasswd_entries(tree_root), 4);
	unlink(tree_at("vpasswd"));
	ck_assert_uint_eq(vpasswd_entries(tree_root), 0);
}
END_TEST

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* 100,000 users: the first and the last page in every order, from the
 * mapped file (bounds loose for sanitizer builds; see bench/store for the
 * figures through the helper). */
START_TEST(a_hundred_thousand_users)
{
	static const char *const sorts[] = { "name", "-name", "gecos", "-gecos" };
	static const char *const first[] = { "u000000", "u099999", "u000000", "u099999" };
	static const char *const last[] = { "u099999", "u000000", "u099999", "u000000" };
	struct buf text = BUF_INIT;
	struct vpw_map m;
	struct timespec t0;
	size_t i, total;
	double ms;

	/* Full names in the reverse of name order: gecos order is -name. */
	for (i = 0; i < 100000; i++)
		buf_printf(&text, "u%06zu:$6$abcdefgh$%086zu:1:0:User %06zu:"
		           "/home/vpopmail/domains/big.test/%zu/u%06zu:NOQUOTA\n",
		           i, i, 99999 - i, i / 100, i);
	tree_put(tree_at("vpasswd"), text.p, text.len);
	ck_assert_int_eq(vpasswd_rebuild_cdb(tree_root, NULL), 0);
	for (i = 0; i < 4; i++) {
		struct vpw_query q = { NULL, 0, 0, 0, 50, NULL };
		struct got *g = calloc(1, sizeof(*g));

		ck_assert_ptr_nonnull(g);
		q.descending = sorts[i][0] == '-';
		q.by_gecos = strstr(sorts[i], "gecos") != NULL;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ck_assert_int_eq(vpasswd_map(tree_root, &m, NULL), 0);
		ck_assert_int_eq(m.entries_known, 1);
		q.entries = &m.entries;
		ck_assert_int_eq(vpasswd_page(m.text, m.len, &q, collect, g, &total, NULL), 0);
		q.entries = NULL;
		vpasswd_unmap(&m);
		ms = ms_since(&t0);
		fprintf(stderr, "# page 1 of 50 by %s: %.1f ms\n", sorts[i], ms);
		ck_assert_uint_eq(total, 100000);
		ck_assert_uint_eq(g->n, 50);
		/* by gecos is the reverse of by name here */
		ck_assert_str_eq(g->names[0], q.by_gecos ? last[i - 2] : first[i]);
		ck_assert(ms < 2000);
		memset(g, 0, sizeof(*g));
		q.offset = 99990;
		ck_assert_int_eq(vpasswd_page(text.p, text.len, &q, collect, g, &total, NULL), 0);
		ck_assert_uint_eq(g->n, 10);
		ck_assert_str_eq(g->names[9], q.by_gecos ? first[i - 2] : last[i]);
		free(g);
	}
	buf_free(&text);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vpasswd_page");
	TCase *tc = tcase_create("vpasswd_page");

	tcase_add_checked_fixture(tc, tree_setup, tree_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, search_matches_name_or_gecos_ignoring_case);
	tcase_add_test(tc, name_order_pages_both_ways);
	tcase_add_test(tc, gecos_order_ignores_ascii_case_then_uses_the_name);
	tcase_add_test(tc, gecos_order_folds_latin_letters_too);
	tcase_add_test(tc, gecos_fold_past_the_key);
	tcase_add_test(tc, a_stop_from_the_callback_ends_the_page_not_the_count);
	tcase_add_test(tc, pages_agree_with_a_full_sort);
	tcase_add_test(tc, map_reads_the_file_as_it_is);
	tcase_add_test(tc, map_counts_from_the_cdb_when_it_is_current);
	tcase_add_test(tc, a_hundred_thousand_users);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
