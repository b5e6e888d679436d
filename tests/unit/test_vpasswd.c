/* Unit tests: vpasswd (DOMDIR/vpasswd, vpasswd.cdb, .vpasswd.lock) against
 * the files the real vpopmail 5.6.13 wrote (fixtures 01-08), in temp dirs.
 * Changes replayed from the fixture COMMANDS must give the next snapshot's
 * vpasswd byte for byte, except the salted hashes, which are checked with
 * crypt(); every cdb we build must hold the records vpopmail's would. */
#include "config.h"

#include "check_main.h"
#include "qmail_tree.h"
#include "vlimits.h"
#include "vpasswd.h"

#include <crypt.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *fixture(const char *snap, const char *domain, const char *file)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s/home/vpopmail/domains/%s/%s", fixtures(), snap,
	         domain, file);
	return p[k];
}

static struct vpw_entry entry(const char *name, const char *gecos)
{
	struct vpw_entry e;

	memset(&e, 0, sizeof(e));
	snprintf(e.name, sizeof(e.name), "%s", name);
	snprintf(e.passwd, sizeof(e.passwd), "$6$saltsalt$hash");
	e.uid = 1;
	snprintf(e.gecos, sizeof(e.gecos), "%s", gecos);
	snprintf(e.dir, sizeof(e.dir), "/home/vpopmail/domains/t.test/%s", name);
	snprintf(e.quota, sizeof(e.quota), "NOQUOTA");
	return e;
}

/* The cdb holds one record per line of vpasswd, in file order, key = name,
 * value = the rest after the first ':' (what make_vpasswd_cdb writes). */
static void cdb_matches_text(const char *domdir)
{
	char vp[512], cp[512];
	struct buf text = BUF_INIT;
	struct cdb c;
	unsigned pos;
	const char *p, *end;
	int fd;

	snprintf(vp, sizeof(vp), "%s/vpasswd", domdir);
	snprintf(cp, sizeof(cp), "%s/vpasswd.cdb", domdir);
	ck_assert_int_eq(tree_slurp(vp, &text), 0);
	fd = open(cp, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(cdb_init(&c, fd), 0);
	cdb_seqinit(&pos, &c);
	for (p = text.p, end = text.p + text.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *colon = memchr(p, ':', (size_t)(nl - p));

		ck_assert_ptr_nonnull(nl);
		if (colon) {
			ck_assert_int_gt(cdb_seqnext(&pos, &c), 0);
			ck_assert_uint_eq(cdb_keylen(&c), (unsigned)(colon - p));
			ck_assert_mem_eq(cdb_getkey(&c), p, (size_t)(colon - p));
			ck_assert_uint_eq(cdb_datalen(&c), (unsigned)(nl - colon - 1));
			ck_assert_mem_eq(cdb_getdata(&c), colon + 1, (size_t)(nl - colon - 1));
		}
		p = nl + 1;
	}
	ck_assert_int_eq(cdb_seqnext(&pos, &c), 0);
	cdb_free(&c);
	close(fd);
	buf_free(&text);
}

/* ============================================================ one line */

START_TEST(parses_a_fixture_line)
{
	const char *l = "klient2:$6$qyA7ACY1$dd0X:1:4096:Klient 2:"
	                "/home/vpopmail/domains/emak.se/klient2:52428800S\n";
	struct vpw_entry e;
	struct qa_error err;

	ck_assert_int_eq(vpasswd_parse_line(l, strlen(l), &e, &err), 0);
	ck_assert_str_eq(e.name, "klient2");
	ck_assert_str_eq(e.passwd, "$6$qyA7ACY1$dd0X");
	ck_assert_int_eq(e.uid, 1);
	ck_assert_uint_eq(e.flags, QA_ADMIN);
	ck_assert_str_eq(e.gecos, "Klient 2");
	ck_assert_str_eq(e.dir, "/home/vpopmail/domains/emak.se/klient2");
	ck_assert_str_eq(e.quota, "52428800S");
	ck_assert_int_eq(e.has_clear, 0);
}
END_TEST

START_TEST(keeps_a_clear_password_with_colons)
{
	const char *l = "joe:$1$x$y:1:0:Joe:/d/joe:NOQUOTA:se:cr:et";
	struct vpw_entry e;
	struct buf out = BUF_INIT;

	ck_assert_int_eq(vpasswd_parse_line(l, strlen(l), &e, NULL), 0);
	ck_assert_int_eq(e.has_clear, 1);
	ck_assert_str_eq(e.clear, "se:cr:et");
	ck_assert_str_eq(e.quota, "NOQUOTA");
	ck_assert_int_eq(vpasswd_format_line(&e, &out, NULL), 0);
	ck_assert_str_eq(buf_cstr(&out), "joe:$1$x$y:1:0:Joe:/d/joe:NOQUOTA:se:cr:et\n");
	buf_free(&out);
}
END_TEST

START_TEST(refuses_what_vgetent_would_not_read)
{
	static const char *bad[] = {
		"joe:x:1:0:Joe:/d/joe",            /* 5 colons */
		"joe",
		"",
		":x:1:0:Joe:/d/joe:NOQUOTA",       /* empty name */
		"joe:x:1:0:Joe\n:/d/joe:NOQUOTA",  /* newline inside */
	};
	char longline[400];
	struct vpw_entry e;
	struct qa_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		qa_error_clear(&err);
		ck_assert_int_eq(vpasswd_parse_line(bad[i], strlen(bad[i]), &e, &err), -1);
		ck_assert_int_eq(err.code, QA_ERR_CORRUPT);
	}
	ck_assert_int_eq(vpasswd_parse_line("a:b\0c:1:0:g:d:q", 15, &e, &err), -1);
	/* fgets(300) reads a 299-byte line (its '\n' included) whole; not 300. */
	snprintf(longline, sizeof(longline), "joe:%0128d:1:0:%064d:/%087d:NOQUOTA\n", 0, 0, 0);
	ck_assert_uint_eq(strlen(longline), 299);
	ck_assert_int_eq(vpasswd_parse_line(longline, 299, &e, &err), 0);
	snprintf(longline, sizeof(longline), "joe:%0128d:1:0:%064d:/%088d:NOQUOTA\n", 0, 0, 0);
	ck_assert_int_eq(vpasswd_parse_line(longline, 300, &e, &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_CORRUPT);
	/* and each field keeps vpopmail's MAX_PW_* limit */
	snprintf(longline, sizeof(longline), "joe:%0129d:1:0::/d:NOQUOTA\n", 0);
	ck_assert_int_eq(vpasswd_parse_line(longline, strlen(longline), &e, &err), -1);
}
END_TEST

START_TEST(line_length_limit_is_exactly_vpopmails)
{
	struct vpw_entry e = entry("joe", "");
	struct buf out = BUF_INIT;
	struct qa_error err;
	size_t base;

	/* Fill fields until the line is 299 bytes, then one more. */
	memset(e.passwd, 'p', VPW_PASSWD_MAX);
	e.passwd[VPW_PASSWD_MAX] = '\0';
	memset(e.gecos, 'g', VPW_GECOS_MAX);
	e.gecos[VPW_GECOS_MAX] = '\0';
	e.dir[0] = '\0';
	ck_assert_int_eq(vpasswd_format_line(&e, &out, &err), 0);
	base = out.len;
	memset(e.dir, 'd', 299 - base);
	e.dir[299 - base] = '\0';
	buf_reset(&out);
	ck_assert_int_eq(vpasswd_format_line(&e, &out, &err), 0);
	ck_assert_uint_eq(out.len, 299);
	ck_assert_int_eq(vpasswd_parse_line(out.p, out.len, &e, &err), 0);
	e.dir[299 - base] = 'd';
	e.dir[300 - base] = '\0';
	buf_reset(&out);
	ck_assert_int_eq(vpasswd_format_line(&e, &out, &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_INVALID);
	ck_assert_str_eq(err.field, "line");
	ck_assert_uint_eq(out.len, 0);
	buf_free(&out);
}
END_TEST

START_TEST(format_refuses_bad_fields)
{
	static const struct { const char *field; const char *value; } bad[] = {
		{ "name", "jo:e" }, { "name", "Joe" }, { "name", "a/b" }, { "name", ".." },
		{ "name", "" }, { "gecos", "Joe: X" }, { "gecos", "Joe\nX" },
		{ "dir", "/a:b" }, { "quota", "1:2" }, { "passwd", "x\n" }, { "clear", "a\nb" },
	};
	struct buf out = BUF_INIT;
	struct qa_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vpw_entry e = entry("joe", "Joe");
		char *f = !strcmp(bad[i].field, "name") ? e.name
		          : !strcmp(bad[i].field, "gecos") ? e.gecos
		          : !strcmp(bad[i].field, "dir") ? e.dir
		          : !strcmp(bad[i].field, "quota") ? e.quota
		          : !strcmp(bad[i].field, "passwd") ? e.passwd : e.clear;

		e.has_clear = !strcmp(bad[i].field, "clear");
		strcpy(f, bad[i].value);
		qa_error_clear(&err);
		ck_assert_int_eq(vpasswd_format_line(&e, &out, &err), -1);
		ck_assert_int_eq(err.code, QA_ERR_INVALID);
		ck_assert_str_eq(err.field, bad[i].field);
		ck_assert_uint_eq(out.len, 0);
	}
	{
		struct vpw_entry e = entry("joe", "Joe");

		e.flags = 1UL << 40;
		ck_assert_int_eq(vpasswd_format_line(&e, &out, &err), -1);
		ck_assert_str_eq(err.field, "flags");
	}
	buf_free(&out);
}
END_TEST

/* Every domain directory of every fixture snapshot that has a vpasswd. */
static size_t fixture_domdirs(char dirs[][512], size_t max)
{
	DIR *top = opendir(fixtures()), *d;
	struct dirent *s, *e;
	size_t n = 0;
	char path[512], vp[600];

	ck_assert_ptr_nonnull(top);
	while ((s = readdir(top)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s/home/vpopmail/domains", fixtures(), s->d_name);
		if (s->d_name[0] == '.' || (d = opendir(path)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL && n < max) {
			ck_assert_int_lt(snprintf(vp, sizeof(vp), "%s/%s/vpasswd", path, e->d_name),
			                 (int)sizeof(vp));
			if (e->d_name[0] == '.' || access(vp, R_OK) != 0)
				continue;
			ck_assert_int_lt(snprintf(dirs[n++], sizeof(dirs[0]), "%s/%s", path,
			                          e->d_name), (int)sizeof(dirs[0]));
		}
		closedir(d);
	}
	closedir(top);
	return n;
}

/* Every line of every fixture vpasswd parses, and formats back to itself. */
START_TEST(every_fixture_line_round_trips)
{
	static char dirs[128][512];
	size_t nd, s, i, lines = 0;

	if (!fixtures())
		return;
	nd = fixture_domdirs(dirs, 128);
	ck_assert_uint_ge(nd, 4 + 1 + 52 + 1);     /* 01-04, 06, 07, 08 */
	for (s = 0; s < nd; s++) {
		struct buf again = BUF_INIT;
		struct vpw_file f;
		struct qa_error err;

		ck_assert_int_eq(vpasswd_load(&f, dirs[s], &err), 0);
		ck_assert(f.sorted);
		ck_assert_uint_gt(vpasswd_count(&f), 0);
		for (i = 0; i < vpasswd_count(&f); i++) {
			struct vpw_entry e;

			ck_assert_int_eq(vpasswd_entry(&f, i, &e, &err), 0);
			ck_assert_int_eq(vpasswd_format_line(&e, &again, &err), 0);
			ck_assert_int_eq(vpasswd_find(&f, e.name), (long)i);
			lines++;
		}
		ck_assert_uint_eq(again.len, f.len);
		ck_assert_mem_eq(again.p, f.text, f.len);
		vpasswd_free(&f);
		buf_free(&again);
	}
	ck_assert_uint_ge(lines, 1 + 4 + 4 + 3 + 151 + 52 + 11);
}
END_TEST

/* ========================================================== cdb from text */

/* Our cdb from each fixture vpasswd holds the records of vpopmail's. */
START_TEST(cdb_holds_what_vpopmails_holds)
{
	static char dirs[128][512];
	size_t nd, s;

	if (!fixtures())
		return;
	nd = fixture_domdirs(dirs, 128);
	for (s = 0; s < nd; s++) {
		char vp[600], cdb[600];

		snprintf(vp, sizeof(vp), "%s/vpasswd", dirs[s]);
		snprintf(cdb, sizeof(cdb), "%s/vpasswd.cdb", dirs[s]);
		tree_copy(vp, tree_at("vpasswd"));
		ck_assert_int_eq(vpasswd_rebuild_cdb(tree_root, NULL), 0);
		cdb_same_records(tree_at("vpasswd.cdb"), cdb);
		cdb_matches_text(tree_root);
	}
}
END_TEST

/* And Debian's cdb(1) dumps ours and vpopmail's the same way. */
START_TEST(cdb_tool_dumps_agree)
{
	static const char *snaps[][2] = {
		{ "03-emak-modified", "emak.se" }, { "06-big-150-users", "big.test" },
		{ "08-qmailadmin-small-test", "small.test" },
	};
	size_t s;

	if (!fixtures())
		return;
	for (s = 0; s < sizeof(snaps) / sizeof(snaps[0]); s++) {
		struct buf ours = BUF_INIT, theirs = BUF_INIT;

		tree_copy(fixture(snaps[s][0], snaps[s][1], "vpasswd"), tree_at("vpasswd"));
		ck_assert_int_eq(vpasswd_rebuild_cdb(tree_root, NULL), 0);
		if (cdb_tool_dump(tree_at("vpasswd.cdb"), &ours) == 0) {
			ck_assert_int_eq(cdb_tool_dump(fixture(snaps[s][0], snaps[s][1],
			                                       "vpasswd.cdb"), &theirs), 0);
			ck_assert_uint_gt(ours.len, 0);
			ck_assert_str_eq(buf_cstr(&ours), buf_cstr(&theirs));
		}
		buf_free(&ours);
		buf_free(&theirs);
	}
}
END_TEST

START_TEST(cdb_lookup_finds_every_user)
{
	struct vpw_file f;
	struct cdb c;
	size_t i;
	int fd;

	if (!fixtures())
		return;
	tree_copy(fixture("06-big-150-users", "big.test", "vpasswd"), tree_at("vpasswd"));
	ck_assert_int_eq(vpasswd_rebuild_cdb(tree_root, NULL), 0);
	ck_assert_int_eq(vpasswd_load(&f, tree_root, NULL), 0);
	fd = open(tree_at("vpasswd.cdb"), O_RDONLY);
	ck_assert_int_eq(cdb_init(&c, fd), 0);
	for (i = 0; i < vpasswd_count(&f); i++) {
		struct vpw_entry e;
		const char *line;
		size_t len, nl;

		ck_assert_int_eq(vpasswd_entry(&f, i, &e, NULL), 0);
		vpasswd_line(&f, i, &line, &len);
		nl = strlen(e.name);
		ck_assert_int_eq(cdb_find(&c, e.name, (unsigned)nl), 1);
		ck_assert_uint_eq(cdb_datalen(&c), len - nl - 1);
		ck_assert_mem_eq(cdb_getdata(&c), line + nl + 1, len - nl - 1);
	}
	ck_assert_int_eq(cdb_find(&c, "nobody", 6), 0);
	cdb_free(&c);
	close(fd);
	vpasswd_free(&f);
}
END_TEST

/* ======================================== replaying the fixture commands */

struct pw {
	const char *name;
	const char *clear;
};

static const char *password_of(const struct pw *pw, const char *name)
{
	for (; pw->name; pw++)
		if (!strcmp(pw->name, name))
			return pw->clear;
	return NULL;
}

/* Our vpasswd equals the fixture's line for line, but for the salted hash,
 * which must verify against the known password in both files. */
static void same_but_hashes(const char *got, const char *want, const struct pw *pw)
{
	struct vpw_file a, b;
	size_t i;

	ck_assert_int_eq(vpasswd_load(&a, got, NULL), 0);
	{
		struct buf t = BUF_INIT;

		ck_assert_int_eq(tree_slurp(want, &t), 0);
		ck_assert_int_eq(vpasswd_load_mem(&b, t.p, t.len, NULL), 0);
		buf_free(&t);
	}
	ck_assert_uint_eq(vpasswd_count(&a), vpasswd_count(&b));
	for (i = 0; i < vpasswd_count(&a); i++) {
		struct vpw_entry x, y;
		const char *clear;

		ck_assert_int_eq(vpasswd_entry(&a, i, &x, NULL), 0);
		ck_assert_int_eq(vpasswd_entry(&b, i, &y, NULL), 0);
		clear = password_of(pw, x.name);
		if (clear) {
			ck_assert_str_eq(crypt(clear, x.passwd), x.passwd);
			ck_assert_str_eq(crypt(clear, y.passwd), y.passwd);
			strcpy(x.passwd, y.passwd);
		}
		ck_assert_msg(!memcmp(&x, &y, sizeof(x)), "line %zu (%s) differs", i, x.name);
	}
	vpasswd_free(&a);
	vpasswd_free(&b);
}

static void hash_into(char *out, size_t n, const char *clear)
{
	static int k;
	char salt[32];

	snprintf(salt, sizeof(salt), "$6$qatest%02d$", k++ % 100);
	snprintf(out, n, "%s", crypt(clear, salt));
}

/* vadduser klient1, klient2, lars.jonsson: 01 -> 02. */
START_TEST(vadduser_lines_match_fixture_02)
{
	static const struct pw pw[] = {
		{ "klient1", "Klient1pw" }, { "klient2", "Klient2pw" },
		{ "lars.jonsson", "Axm01" }, { NULL, NULL },
	};
	static const char *gecos[] = { "Klient 1", "Klient 2", "Lars J\xc3\xb6nsson" };
	struct qa_error err;
	int i;

	if (!fixtures())
		return;
	tree_copy(fixture("01-emak-domain-added", "emak.se", "vpasswd"), tree_at("vpasswd"));
	/* Added in the fixture's order, one by one, like the three commands. */
	for (i = 0; i < 3; i++) {
		struct vpw_entry e = entry(pw[i].name, gecos[i]);

		snprintf(e.dir, sizeof(e.dir), "/home/vpopmail/domains/emak.se/%s", pw[i].name);
		hash_into(e.passwd, sizeof(e.passwd), pw[i].clear);
		ck_assert_int_eq(vpasswd_insert(tree_root, &e, &err), 0);
		cdb_matches_text(tree_root);
	}
	same_but_hashes(tree_root, fixture("02-emak-users-added", "emak.se", "vpasswd"), pw);
}
END_TEST

static void fresh(const char *name, struct vpw_entry *e)
{
	struct vpw_file f;

	ck_assert_int_eq(vpasswd_load(&f, tree_root, NULL), 0);
	ck_assert_int_eq(vpasswd_lookup(&f, name, e, NULL), 0);
	vpasswd_free(&f);
}

/* vpasswd, vsetuserquota, vmoduser -p -w / -a / -q -c: 02 -> 03; then
 * vdeluser lars.jonsson: 03 -> 04, byte for byte. */
START_TEST(vmoduser_and_vdeluser_match_fixtures_03_04)
{
	static const struct pw pw[] = { { "lars.jonsson", "MhGts" }, { NULL, NULL } };
	struct vpw_entry e;
	struct qa_error err;

	if (!fixtures())
		return;
	tree_copy(fixture("02-emak-users-added", "emak.se", "vpasswd"), tree_at("vpasswd"));
	fresh("lars.jonsson", &e);                      /* vpasswd ... MhGts */
	hash_into(e.passwd, sizeof(e.passwd), "MhGts");
	ck_assert_int_eq(vpasswd_replace(tree_root, &e, &err), 0);
	fresh("klient2", &e);                           /* vsetuserquota ... 50M */
	strcpy(e.quota, "52428800S");
	ck_assert_int_eq(vpasswd_replace(tree_root, &e, &err), 0);
	fresh("klient1", &e);                           /* vmoduser -p -w */
	e.flags |= NO_POP | NO_WEBMAIL;
	ck_assert_int_eq(vpasswd_replace(tree_root, &e, &err), 0);
	fresh("klient2", &e);                           /* vmoduser -a */
	e.flags |= QA_ADMIN;
	ck_assert_int_eq(vpasswd_replace(tree_root, &e, &err), 0);
	fresh("lars.jonsson", &e);                      /* -q 10485760S,1000C -c */
	strcpy(e.quota, "10485760S,1000C");
	strcpy(e.gecos, "Lars J");
	ck_assert_int_eq(vpasswd_replace(tree_root, &e, &err), 0);
	cdb_matches_text(tree_root);
	same_but_hashes(tree_root, fixture("03-emak-modified", "emak.se", "vpasswd"), pw);

	ck_assert_int_eq(vpasswd_delete(tree_root, "lars.jonsson", &err), 0);
	tree_same_file(tree_at("vpasswd"), fixture("04-emak-user-deleted", "emak.se", "vpasswd"));
	cdb_same_records(tree_at("vpasswd.cdb"), fixture("04-emak-user-deleted", "emak.se",
	                                            "vpasswd.cdb"));
}
END_TEST

/* A change that keeps vpasswd's size gets a later mtime second than the
 * file had, so that Dovecot's passwd-file (which rereads on a new mtime
 * second or size) sees it; a burst cannot run the clock far ahead. */
START_TEST(same_size_changes_move_the_mtime_second)
{
	struct vpw_entry e;
	struct qa_error err;
	struct stat a, b;
	int i;

	if (!fixtures())
		return;
	tree_copy(fixture("02-emak-users-added", "emak.se", "vpasswd"), tree_at("vpasswd"));
	fresh("klient1", &e);
	ck_assert_int_eq(vpasswd_replace(tree_root, &e, &err), 0);
	ck_assert_int_eq(stat(tree_at("vpasswd"), &a), 0);
	for (i = 0; i < 3; i++) {
		fresh("klient1", &e);
		hash_into(e.passwd, sizeof(e.passwd), i % 2 ? "Pw-one1" : "Pw-two2");
		ck_assert_int_eq(vpasswd_replace(tree_root, &e, &err), 0);
		ck_assert_int_eq(stat(tree_at("vpasswd"), &b), 0);
		ck_assert_int_eq(b.st_size, a.st_size);
		ck_assert_int_gt(b.st_mtime, a.st_mtime);    /* a new second each time */
		a = b;
	}
	for (i = 0; i < 20; i++) {
		fresh("klient1", &e);
		hash_into(e.passwd, sizeof(e.passwd), i % 2 ? "Pw-one1" : "Pw-two2");
		ck_assert_int_eq(vpasswd_replace(tree_root, &e, &err), 0);
	}
	ck_assert_int_eq(stat(tree_at("vpasswd"), &b), 0);
	ck_assert_int_le(b.st_mtime, time(NULL) + 6);     /* at most 5 s ahead */
}
END_TEST

/* ======================================================= file mutations */

START_TEST(insert_goes_before_the_first_greater_name)
{
	struct vpw_entry e;
	struct vpw_file f;
	struct stat st;
	const char *names[] = { "mm", "aa", "zz", "mm.a", "m" };
	const char *want[] = { "aa", "m", "mm", "mm.a", "zz" };
	size_t i;

	for (i = 0; i < 5; i++) {
		e = entry(names[i], "");
		ck_assert_int_eq(vpasswd_insert(tree_root, &e, NULL), 0);
	}
	ck_assert_int_eq(vpasswd_load(&f, tree_root, NULL), 0);
	ck_assert(f.sorted);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(vpasswd_entry(&f, i, &e, NULL), 0);
		ck_assert_str_eq(e.name, want[i]);
	}
	vpasswd_free(&f);
	ck_assert_int_eq(stat(tree_at("vpasswd"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(stat(tree_at("vpasswd.cdb"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(stat(tree_at(".vpasswd.lock"), &st), 0);
	cdb_matches_text(tree_root);
}
END_TEST

/* A refused change leaves every file in the domain dir as it was. */
START_TEST(refusals_change_nothing)
{
	struct vpw_entry v[3];
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct qa_error err;

	v[0] = entry("bob", "Bob");
	v[1] = entry("alice", "Alice");
	ck_assert_int_eq(vpasswd_insert_many(tree_root, v, 2, &err), 0);
	tree_snapshot(tree_root, &before);

	ck_assert_int_eq(vpasswd_insert(tree_root, &v[0], &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_EXISTS);
	ck_assert_str_eq(err.field, "name");

	v[2] = entry("carol", "Carol");
	v[0] = entry("dave", "Dave");
	v[1] = entry("dave", "Dave 2");
	ck_assert_int_eq(vpasswd_insert_many(tree_root, v, 3, &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_EXISTS);
	ck_assert_ptr_nonnull(strstr(err.detail, "dave"));

	v[1] = entry("alice", "again");
	ck_assert_int_eq(vpasswd_insert_many(tree_root, v, 3, &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_EXISTS);
	ck_assert_ptr_nonnull(strstr(err.detail, "alice"));

	v[1] = entry("erin", "bad:gecos");
	ck_assert_int_eq(vpasswd_insert_many(tree_root, v, 3, &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_INVALID);
	ck_assert_str_eq(err.field, "gecos");

	v[0] = entry("nobody", "x");
	ck_assert_int_eq(vpasswd_replace(tree_root, &v[0], &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_NOT_FOUND);
	ck_assert_int_eq(vpasswd_delete(tree_root, "nobody", &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_NOT_FOUND);
	ck_assert_int_eq(vpasswd_delete(tree_root, "../x", &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_INVALID);
	ck_assert_int_eq(vpasswd_insert(tree_at("nodir"), &v[0], &err), -1);
	ck_assert_int_eq(err.code, QA_ERR_IO);

	tree_snapshot(tree_root, &after);
	ck_assert_str_eq(buf_cstr(&after), buf_cstr(&before));
	buf_free(&before);
	buf_free(&after);
}
END_TEST

START_TEST(replace_and_delete_handle_duplicates)
{
	struct vpw_entry e = entry("bob", "New Bob");
	struct buf got = BUF_INIT;

	tree_put_text("vpasswd", "alice:x:1:0:A:/d/alice:NOQUOTA\n"
	               "bob:x:1:0:B1:/d/bob:NOQUOTA\n"
	               "bob:x:1:0:B2:/d/bob:NOQUOTA\n"
	               "carol:x:1:0:C:/d/carol:NOQUOTA\n");
	ck_assert_int_eq(vpasswd_replace(tree_root, &e, NULL), 0);
	tree_slurp(tree_at("vpasswd"), &got);
	ck_assert_str_eq(buf_cstr(&got),
	                 "alice:x:1:0:A:/d/alice:NOQUOTA\n"
	                 "bob:$6$saltsalt$hash:1:0:New Bob:/home/vpopmail/domains/t.test/bob:NOQUOTA\n"
	                 "carol:x:1:0:C:/d/carol:NOQUOTA\n");
	tree_put_text("vpasswd", "bob:x:1:0:B1:/d/bob:NOQUOTA\n"
	               "alice:x:1:0:A:/d/alice:NOQUOTA\n"
	               "bob:x:1:0:B2:/d/bob:NOQUOTA\n");
	ck_assert_int_eq(vpasswd_delete(tree_root, "bob", NULL), 0);
	tree_slurp(tree_at("vpasswd"), &got);
	ck_assert_str_eq(buf_cstr(&got), "alice:x:1:0:A:/d/alice:NOQUOTA\n");
	cdb_matches_text(tree_root);
	buf_free(&got);
}
END_TEST

/* A hand-edited, unsorted file: lookups still work, inserts land where
 * vpopmail's would, and a bulk insert equals the inserts one by one. */
START_TEST(unsorted_files_behave_like_vpopmail)
{
	static const char *text = "mike:x:1:0:M:/d/mike:NOQUOTA\n"
	                          "bravo:x:1:0:B:/d/bravo:NOQUOTA\n"
	                          "zulu:x:1:0:Z:/d/zulu:NOQUOTA\n"
	                          "alpha:x:1:0:A:/d/alpha:NOQUOTA\n";
	static const char *names[] = { "yankee", "charlie", "aaron", "zz", "november" };
	struct vpw_entry v[5];
	struct vpw_file f;
	struct buf one = BUF_INIT, bulk = BUF_INIT;
	size_t i;

	tree_put_text("vpasswd", text);
	ck_assert_int_eq(vpasswd_load(&f, tree_root, NULL), 0);
	ck_assert(!f.sorted);
	ck_assert_int_eq(vpasswd_find(&f, "alpha"), 3);
	ck_assert_int_eq(vpasswd_find(&f, "zulu"), 2);
	ck_assert_int_eq(vpasswd_find(&f, "nobody"), -1);
	vpasswd_free(&f);
	for (i = 0; i < 5; i++) {
		v[i] = entry(names[i], "");
		ck_assert_int_eq(vpasswd_insert(tree_root, &v[i], NULL), 0);
	}
	tree_slurp(tree_at("vpasswd"), &one);
	ck_assert_str_eq(buf_cstr(&one),
	                 "aaron:$6$saltsalt$hash:1:0::/home/vpopmail/domains/t.test/aaron:NOQUOTA\n"
	                 "charlie:$6$saltsalt$hash:1:0::/home/vpopmail/domains/t.test/charlie:NOQUOTA\n"
	                 "mike:x:1:0:M:/d/mike:NOQUOTA\n"
	                 "bravo:x:1:0:B:/d/bravo:NOQUOTA\n"
	                 "november:$6$saltsalt$hash:1:0::/home/vpopmail/domains/t.test/november:NOQUOTA\n"
	                 "yankee:$6$saltsalt$hash:1:0::/home/vpopmail/domains/t.test/yankee:NOQUOTA\n"
	                 "zulu:x:1:0:Z:/d/zulu:NOQUOTA\n"
	                 "alpha:x:1:0:A:/d/alpha:NOQUOTA\n"
	                 "zz:$6$saltsalt$hash:1:0::/home/vpopmail/domains/t.test/zz:NOQUOTA\n");
	tree_put_text("vpasswd", text);
	ck_assert_int_eq(vpasswd_insert_many(tree_root, v, 5, NULL), 0);
	tree_slurp(tree_at("vpasswd"), &bulk);
	ck_assert_str_eq(buf_cstr(&bulk), buf_cstr(&one));
	cdb_matches_text(tree_root);
	buf_free(&one);
	buf_free(&bulk);
}
END_TEST

/* A last line without '\n' (hand edit) is kept and terminated; a line
 * without ':' is kept but not indexed; a missing vpasswd is empty. */
START_TEST(odd_files_are_kept_and_repaired)
{
	struct vpw_entry e = entry("bob", "Bob");
	struct vpw_file f;
	struct buf got = BUF_INIT;

	ck_assert_int_eq(vpasswd_load(&f, tree_root, NULL), 0);
	ck_assert_uint_eq(vpasswd_count(&f), 0);
	vpasswd_free(&f);
	tree_put_text("vpasswd", "# comment\nzed:x:1:0:Z:/d/zed:NOQUOTA");
	ck_assert_int_eq(vpasswd_insert(tree_root, &e, NULL), 0);
	tree_slurp(tree_at("vpasswd"), &got);
	ck_assert_str_eq(buf_cstr(&got),
	                 "# comment\n"
	                 "bob:$6$saltsalt$hash:1:0:Bob:/home/vpopmail/domains/t.test/bob:NOQUOTA\n"
	                 "zed:x:1:0:Z:/d/zed:NOQUOTA\n");
	cdb_matches_text(tree_root);
	ck_assert_int_eq(vpasswd_load(&f, tree_root, NULL), 0);
	ck_assert_int_eq(vpasswd_entry(&f, 0, &e, NULL), -1);
	ck_assert_int_eq(vpasswd_lookup(&f, "zed", &e, NULL), 0);
	ck_assert_int_eq(vpasswd_lookup(&f, "nobody", &e, NULL), -1);
	vpasswd_free(&f);
	buf_free(&got);
}
END_TEST

/* After a crash between the renames the cdb is stale: rebuilding mends it. */
START_TEST(rebuild_mends_a_stale_cdb)
{
	struct vpw_entry e = entry("bob", "Bob");

	ck_assert_int_eq(vpasswd_insert(tree_root, &e, NULL), 0);
	tree_put_text("vpasswd", "alice:x:1:0:A:/d/alice:NOQUOTA\nbob:y:1:0:B:/d/bob:NOQUOTA\n");
	ck_assert_int_eq(vpasswd_rebuild_cdb(tree_root, NULL), 0);
	cdb_matches_text(tree_root);
}
END_TEST

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* 100,000 users: loading, finding and an insert stay fast (the bounds are
 * loose for sanitizer builds; the measured figures are far below them).
 * List pages: test_vpasswd_page. */
START_TEST(a_hundred_thousand_users)
{
	struct buf text = BUF_INIT;
	struct vpw_file f;
	struct vpw_entry e;
	struct timespec t0;
	size_t i;
	double ms;

	for (i = 0; i < 100000; i++)
		buf_printf(&text, "user%06zu:$6$abcdefgh$%086zu:1:0:User %zu:"
		           "/home/vpopmail/domains/big.test/%zu/user%06zu:NOQUOTA\n",
		           i * 2, i, i * 2, i / 100, i * 2);
	tree_put(tree_at("vpasswd"), text.p, text.len);
	ck_assert_int_eq(vpasswd_rebuild_cdb(tree_root, NULL), 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(vpasswd_load(&f, tree_root, NULL), 0);
	ms = ms_since(&t0);
	ck_assert_uint_eq(vpasswd_count(&f), 100000);
	ck_assert(f.sorted);
	fprintf(stderr, "# load: %.1f ms\n", ms);
	ck_assert(ms < 1000);
	ck_assert_int_eq(vpasswd_find(&f, "user199998"), 99999);
	ck_assert_int_eq(vpasswd_find(&f, "user000001"), -1);
	vpasswd_free(&f);

	e = entry("user000001", "Odd one");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(vpasswd_insert(tree_root, &e, NULL), 0);
	ms = ms_since(&t0);
	fprintf(stderr, "# insert into 100,000: %.1f ms\n", ms);
	ck_assert(ms < 3000);
	ck_assert_int_eq(vpasswd_load(&f, tree_root, NULL), 0);
	ck_assert_int_eq(vpasswd_find(&f, "user000001"), 1);
	ck_assert(f.sorted);
	vpasswd_free(&f);
	cdb_matches_text(tree_root);
	buf_free(&text);
}
END_TEST

/* ============================================================ concurrency */

START_TEST(eight_writers_lose_nothing)
{
	struct vpw_file f;
	pid_t pids[8];
	size_t i;
	int k, status;

	for (k = 0; k < 8; k++) {
		pids[k] = fork();
		ck_assert_int_ge(pids[k], 0);
		if (pids[k] == 0) {
			int j, bad = 0;

			for (j = 0; j < 200; j++) {
				char name[32];
				struct vpw_entry e;

				snprintf(name, sizeof(name), "w%d-u%03d", (k * 37) % 8, j);
				e = entry(name, "");
				bad |= vpasswd_insert(tree_root, &e, NULL) != 0;
			}
			_exit(bad);
		}
	}
	for (k = 0; k < 8; k++) {
		ck_assert_int_eq(waitpid(pids[k], &status, 0), pids[k]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ck_assert_int_eq(vpasswd_load(&f, tree_root, NULL), 0);
	ck_assert_uint_eq(vpasswd_count(&f), 1600);
	ck_assert(f.sorted);
	for (i = 0; i < 1600; i++) {
		char name[32];

		snprintf(name, sizeof(name), "w%zu-u%03zu", i / 200, i % 200);
		ck_assert_int_eq(vpasswd_find(&f, name), (long)i);
	}
	vpasswd_free(&f);
	cdb_matches_text(tree_root);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vpasswd");
	TCase *tc = tcase_create("vpasswd");

	tcase_add_checked_fixture(tc, tree_setup, tree_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, parses_a_fixture_line);
	tcase_add_test(tc, keeps_a_clear_password_with_colons);
	tcase_add_test(tc, refuses_what_vgetent_would_not_read);
	tcase_add_test(tc, line_length_limit_is_exactly_vpopmails);
	tcase_add_test(tc, format_refuses_bad_fields);
	tcase_add_test(tc, every_fixture_line_round_trips);
	tcase_add_test(tc, cdb_holds_what_vpopmails_holds);
	tcase_add_test(tc, cdb_tool_dumps_agree);
	tcase_add_test(tc, cdb_lookup_finds_every_user);
	tcase_add_test(tc, vadduser_lines_match_fixture_02);
	tcase_add_test(tc, vmoduser_and_vdeluser_match_fixtures_03_04);
	tcase_add_test(tc, same_size_changes_move_the_mtime_second);
	tcase_add_test(tc, insert_goes_before_the_first_greater_name);
	tcase_add_test(tc, refusals_change_nothing);
	tcase_add_test(tc, replace_and_delete_handle_duplicates);
	tcase_add_test(tc, unsorted_files_behave_like_vpopmail);
	tcase_add_test(tc, odd_files_are_kept_and_repaired);
	tcase_add_test(tc, rebuild_mends_a_stale_cdb);
	tcase_add_test(tc, a_hundred_thousand_users);
	tcase_add_test(tc, eight_writers_lose_nothing);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
