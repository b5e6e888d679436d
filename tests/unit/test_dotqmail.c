/* Unit tests: a domain's .qmail files. Aliases as vpopmail's valias -i and
 * qmailadmin write them (fixtures 03 and 08), the listing and its
 * classification, the catch-all line, a mailbox's .qmail, hostile input. */
#include "config.h"

#include "check_main.h"
#include "dotqmail.h"
#include "err.h"
#include "qmail_tree.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];
static char domdir[160];
static char userdir[200];
static struct dq_dir dom, user;

static void setup(void)
{
	tree_mkroot(root, sizeof(root));
	tree_mkdirs(root, "home/vpopmail/domains/emak.se/joe");
	snprintf(domdir, sizeof(domdir), "%s/home/vpopmail/domains/emak.se", root);
	snprintf(userdir, sizeof(userdir), "%s/joe", domdir);
	dom.path = domdir;
	dom.uid = (uid_t)-1;
	dom.gid = (gid_t)-1;
	user = dom;
	user.path = userdir;
}

static void teardown(void)
{
	tree_rm(root);
}

static void dpath(char *out, size_t n, const char *file)
{
	snprintf(out, n, "%s/%s", domdir, file);
}

static void put(const char *file, const char *content)
{
	char p[256];

	dpath(p, sizeof(p), file);
	tree_put(p, content, strlen(content));
}

static void expect(const char *file, const char *content)
{
	char p[256];
	struct buf b = BUF_INIT;

	dpath(p, sizeof(p), file);
	ck_assert_msg(tree_slurp(p, &b) == 0, "%s missing", file);
	ck_assert_str_eq(buf_cstr(&b), content);
	buf_free(&b);
}

static int exists(const char *file)
{
	char p[256];
	struct stat st;

	dpath(p, sizeof(p), file);
	return lstat(p, &st) == 0;
}

#define UNCHANGED(stmt)                                                       \
	do {                                                                  \
		struct buf before_ = BUF_INIT, after_ = BUF_INIT;             \
		tree_snapshot(root, &before_);                                \
		stmt;                                                         \
		tree_snapshot(root, &after_);                                 \
		ck_assert_str_eq(buf_cstr(&after_), buf_cstr(&before_));      \
		buf_free(&before_);                                           \
		buf_free(&after_);                                            \
	} while (0)

/* ---- names ---- */

START_TEST(names_map_dots_to_colons_and_back)
{
	char f[80], back[80];
	struct qa_error e = { 0 };

	ck_assert_int_eq(dq_file_name("John.Doe", f, sizeof(f), &e), 0);
	ck_assert_str_eq(f, ".qmail-john:doe");
	ck_assert_int_eq(dq_name_from_file(f, back, sizeof(back)), 0);
	ck_assert_str_eq(back, "john.doe");
	ck_assert_int_eq(dq_file_name("list-owner", f, sizeof(f), &e), 0);
	ck_assert_str_eq(f, ".qmail-list-owner");
	ck_assert_int_eq(dq_name_from_file(".qmail-", back, sizeof(back)), -1);
	ck_assert_int_eq(dq_name_from_file("vpasswd", back, sizeof(back)), -1);
	ck_assert_int_eq(dq_name_from_file(".qmail-abc", back, 3), -1);
}
END_TEST

START_TEST(hostile_names_are_refused)
{
	static const char *const bad[] = {
		"", "a", "default", "DEFAULT", "a/b", "../x", "..", "x..y", ".x", "x.", "x:y",
		"a\nb", "a b", "a\tb", "a\rb", "x|y", "x;y", "x$y", "x`y`", "x'y",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	static const char *const lines[] = { "&a@b.se" };
	struct qa_error e = { 0 };
	struct dq_entry ent;
	struct buf b = BUF_INIT;
	char f[80];
	size_t i;

	put(".qmail-info", "&a@b.se\n");
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		ck_assert_int_eq(dq_file_name(bad[i], f, sizeof(f), &e), -1);
		ck_assert_int_eq(e.code, QA_ERR_INVALID);
		UNCHANGED({
			ck_assert_int_eq(dq_alias_add_target(&dom, bad[i], "a@b.se", NULL, 0, NULL, &e), -1);
			ck_assert_int_eq(e.code, QA_ERR_INVALID);
			ck_assert_int_eq(dq_alias_write(&dom, bad[i], lines, 1, &e), -1);
			ck_assert_int_eq(dq_alias_set_blackhole(&dom, bad[i], &e), -1);
			ck_assert_int_eq(dq_alias_delete(&dom, bad[i], &e), -1);
			ck_assert_int_eq(e.code, QA_ERR_INVALID);
			ck_assert_int_eq(dq_alias_remove_line(&dom, bad[i], "&a", &e), -1);
			ck_assert_int_eq(dq_alias_get(&dom, bad[i], &ent, &e), -1);
			ck_assert_int_eq(dq_alias_read(&dom, bad[i], &b, &e), -1);
			ck_assert_int_eq(e.code, QA_ERR_INVALID);
		});
	}
	buf_free(&b);
}
END_TEST

START_TEST(hostile_targets_and_lines_are_refused)
{
	static const char *const bad[] = {
		"a b@x.se", "|/bin/sh@x.se", "/etc/passwd", "x@y.se\nz@w.se", "&x@y.se", "#x@y.se",
		"x@", "@x.se", "x@-bad.se", "x@y.se\r", "x@y", "x@y.se x@z.se", ".x@y.se",
		"x..y@z.se", "x\"y@z.se", "x@y..se", "x@[1.2.3.4]",
	};
	static const char *const badlines[] = { "a\nb", "", " lead", "\tx" };
	struct qa_error e = { 0 };
	size_t i;

	put(".qmail-info", "&a@b.se\n");
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		UNCHANGED(ck_assert_int_eq(dq_alias_add_target(&dom, "info", bad[i], "emak.se",
		                                               DQ_AMP, NULL, &e), -1));
		ck_assert_msg(e.code == QA_ERR_INVALID, "%s", bad[i]);
	}
	for (i = 0; i < sizeof(badlines) / sizeof(*badlines); i++) {
		UNCHANGED(ck_assert_int_eq(dq_alias_write(&dom, "info", &badlines[i], 1, &e), -1));
		UNCHANGED(ck_assert_int_eq(dq_alias_remove_line(&dom, "info", badlines[i], &e), -1));
	}
	/* No '@' and no domain to append: refused, not guessed. */
	UNCHANGED(ck_assert_int_eq(dq_alias_add_target(&dom, "info", "joe", NULL, 0, NULL, &e), -1));
	UNCHANGED(ck_assert_int_eq(dq_alias_add_target(&dom, "info", "joe", "bad/dom", 0, NULL, &e), -1));
}
END_TEST

/* ---- alias files against the fixtures ---- */

START_TEST(valias_i_twice_gives_the_fixture_file)
{
	char got[256], want[512];
	struct qa_error e = { 0 };
	struct stat st;
	int already = -1;

	if (!fixtures())
		return;
	/* valias -i klient2@emak.se info@emak.se; valias -i someone@example.org ... */
	ck_assert_int_eq(dq_alias_add_target(&dom, "info", "klient2@emak.se", NULL, 0, &already, &e), 0);
	ck_assert_int_eq(already, 0);
	ck_assert_int_eq(dq_alias_add_target(&dom, "info", "someone@example.org", NULL, 0, &already, &e), 0);
	dpath(got, sizeof(got), ".qmail-info");
	snprintf(want, sizeof(want), "%s/03-emak-modified/home/vpopmail/domains/emak.se/.qmail-info",
	         fixtures());
	tree_same_file(got, want);   /* no '&': valias writes the target as given */
	ck_assert_int_eq(stat(got, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(dq_alias_add_target(&dom, "info", "someone@example.org", NULL, 0, &already, &e), 0);
	ck_assert_int_eq(already, 1);
	tree_same_file(got, want);
}
END_TEST

START_TEST(qmailadmin_forward_gives_the_fixture_file)
{
	char got[256], want[512];
	struct dq_dir small;
	char smalldir[200];
	struct qa_error e = { 0 };

	if (!fixtures())
		return;
	tree_mkdirs(root, "home/vpopmail/domains/small.test");
	snprintf(smalldir, sizeof(smalldir), "%s/home/vpopmail/domains/small.test", root);
	small = dom;
	small.path = smalldir;
	/* A bare local name becomes NAME@DOMAIN, written "&addr". */
	ck_assert_int_eq(dq_alias_add_target(&small, "Sales", "user00001", "small.test", DQ_AMP,
	                                     NULL, &e), 0);
	snprintf(got, sizeof(got), "%s/.qmail-sales", smalldir);
	snprintf(want, sizeof(want), "%s/08-qmailadmin-small-test/home/vpopmail/domains/small.test/"
	         ".qmail-sales", fixtures());
	tree_same_file(got, want);
}
END_TEST

START_TEST(fixture_03_info_is_a_forward)
{
	char d[512];
	struct dq_dir fx = { d, (uid_t)-1, (gid_t)-1 };
	struct dq_entry ent;
	struct dq_catchall ca;
	struct qa_error e = { 0 };

	if (!fixtures())
		return;
	snprintf(d, sizeof(d), "%s/03-emak-modified/home/vpopmail/domains/emak.se", fixtures());
	ck_assert_msg(dq_alias_get(&fx, "info", &ent, &e) == 0, "%s", e.detail);
	ck_assert_str_eq(ent.name, "info");
	ck_assert_int_eq(ent.kind, DQ_FORWARD);
	ck_assert_int_eq(ent.ntargets, 2);
	ck_assert_str_eq(ent.targets[0], "klient2@emak.se");
	ck_assert_str_eq(ent.targets[1], "someone@example.org");
	dq_entry_free(&ent);
	ck_assert_int_eq(dq_catchall_read(d, "emak.se", &ca, &e), 0);
	ck_assert_int_eq(ca.kind, DQ_CA_DELETE);
}
END_TEST

/* Rebuilds fixture 08's domain dir under root, with its list links made
 * real symlinks again (git stored them as files holding the target). */
static void build_small_test(char *out, size_t n)
{
	char listing[512], line[1024], src[1024], dst[1024], *arrow, *rel;
	const char *regular[] = { ".qmail-default", ".qmail-sales", ".qmail-vacation" };
	FILE *f;
	size_t i;

	snprintf(out, n, "%s/home/vpopmail/domains/small.test", root);
	tree_mkdirs(root, "home/vpopmail/domains/small.test/announce");
	for (i = 0; i < 3; i++) {
		snprintf(src, sizeof(src), "%s/08-qmailadmin-small-test/home/vpopmail/domains/"
		         "small.test/%s", fixtures(), regular[i]);
		snprintf(dst, sizeof(dst), "%s/%s", out, regular[i]);
		tree_copy(src, dst);
	}
	snprintf(src, sizeof(src), "%s/08-qmailadmin-small-test/home/vpopmail/domains/"
	         "small.test/announce/editor", fixtures());
	snprintf(dst, sizeof(dst), "%s/announce/editor", out);
	tree_copy(src, dst);
	snprintf(listing, sizeof(listing), "%s/08-qmailadmin-small-test.listing.txt", fixtures());
	ck_assert_ptr_nonnull(f = fopen(listing, "r"));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != 'l' || !(arrow = strstr(line, " -> ")) || !(rel = strstr(line, " ./")))
			continue;
		*arrow = '\0';
		snprintf(dst, sizeof(dst), "%s/%s", root, rel + 3);
		snprintf(src, sizeof(src), "%s%s", root, arrow + 4);
		ck_assert_int_eq(symlink(src, dst), 0);
	}
	fclose(f);
}

START_TEST(fixture_08_is_listed_like_qmailadmin)
{
	char small[256];
	struct dq_entry *l;
	struct dq_catchall ca;
	struct qa_error e = { 0 };
	size_t n;

	if (!fixtures())
		return;
	build_small_test(small, sizeof(small));
	ck_assert_msg(dq_list(small, &l, &n, &e) == 0, "%s", e.detail);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(l[0].name, "announce");
	ck_assert_int_eq(l[0].kind, DQ_LIST);
	ck_assert_str_eq(l[1].name, "sales");
	ck_assert_int_eq(l[1].kind, DQ_FORWARD);
	ck_assert_int_eq(l[1].ntargets, 1);
	ck_assert_str_eq(l[1].targets[0], "user00001@small.test");
	ck_assert_str_eq(l[2].name, "vacation");
	ck_assert_int_eq(l[2].kind, DQ_AUTORESPONDER);
	ck_assert_int_eq(l[2].ntargets, 1);
	ck_assert_str_eq(l[2].targets[0], "user00002@small.test");
	dq_list_free(l, n);
	ck_assert_int_eq(dq_catchall_read(small, "small.test", &ca, &e), 0);
	ck_assert_int_eq(ca.kind, DQ_CA_DELETE);
}
END_TEST

START_TEST(list_links_are_never_replaced_or_deleted)
{
	char small[256], p[300];
	struct dq_dir d = dom;
	struct qa_error e = { 0 };
	static const char *const lines[] = { "&x@y.se" };

	if (!fixtures())
		return;
	build_small_test(small, sizeof(small));
	d.path = small;
	UNCHANGED({
		ck_assert_int_eq(dq_alias_write(&d, "announce", lines, 1, &e), -1);
		ck_assert_int_eq(dq_alias_add_target(&d, "announce", "x@y.se", NULL, 0, NULL, &e), -1);
		ck_assert_int_eq(dq_alias_delete(&d, "announce-owner", &e), -1);
		ck_assert_int_eq(dq_alias_set_blackhole(&d, "announce-default", &e), -1);
	});
	snprintf(p, sizeof(p), "%s/.qmail-announce", small);
	ck_assert_int_eq(access(p, F_OK), 0);
}
END_TEST

START_TEST(listing_classifies_every_kind)
{
	struct dq_entry *l;
	struct qa_error e = { 0 };
	char p[256];
	size_t n;

	put(".qmail-Bob", "&bob@x.se\n");
	put(".qmail-alice", "# keep this\n&alice@x.se\n");
	put(".qmail-john:doe", "/home/vpopmail/domains/emak.se/john/Maildir/\n");
	put(".qmail-hole", "#\n");
	put(".qmail-prog", "|/usr/bin/procmail -m x\n&copy@x.se\n");
	put(".qmail-empty", "");
	put(".qmail-list2", "|if test ! -f '/d/l/sublist'; then /usr/bin/ezmlm/ezmlm-reject '/d/l'; fi\n");
	put(".qmail-list2-default", "|/usr/bin/ezmlm/ezmlm-manage '/d/l'\n");
	put(".qmail-old.new", "&half@written.se\n");   /* vpopmail's temp file */
	put(".qmail-default", "| /home/vpopmail/bin/vdelivermail '' delete\n");
	put("vpasswd", "");
	dpath(p, sizeof(p), ".qmail-adir");
	ck_assert_int_eq(mkdir(p, 0700), 0);
	ck_assert_msg(dq_list(domdir, &l, &n, &e) == 0, "%s", e.detail);
	ck_assert_int_eq(n, 7);
	ck_assert_str_eq(l[0].name, "alice");
	ck_assert_int_eq(l[0].kind, DQ_FORWARD);
	ck_assert_str_eq(l[0].targets[0], "alice@x.se");
	ck_assert_str_eq(l[1].name, "Bob");
	ck_assert_int_eq(l[2].kind, DQ_EMPTY);
	ck_assert_str_eq(l[3].name, "hole");
	ck_assert_int_eq(l[3].kind, DQ_BLACKHOLE);
	ck_assert_int_eq(l[3].ntargets, 0);
	ck_assert_str_eq(l[4].name, "john.doe");
	ck_assert_int_eq(l[4].kind, DQ_FORWARD);
	ck_assert_str_eq(l[4].targets[0], "/home/vpopmail/domains/emak.se/john/Maildir/");
	ck_assert_str_eq(l[5].name, "list2");
	ck_assert_int_eq(l[5].kind, DQ_LIST);
	ck_assert_str_eq(l[6].name, "prog");
	ck_assert_int_eq(l[6].kind, DQ_PROGRAM);
	ck_assert_int_eq(l[6].ntargets, 1);
	ck_assert_str_eq(l[6].targets[0], "/usr/bin/procmail -m x");
	dq_list_free(l, n);
}
END_TEST

START_TEST(remove_line_matches_prefixes_like_valias)
{
	struct qa_error e = { 0 };

	put(".qmail-info", "&a@x.se\n&ab@x.se\nb@x.se\n");
	ck_assert_int_eq(dq_alias_remove_line(&dom, "info", "&a@x.se", &e), 0);
	expect(".qmail-info", "&ab@x.se\nb@x.se\n");
	ck_assert_int_eq(dq_alias_remove_line(&dom, "info", "&zz", &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
	ck_assert_int_eq(dq_alias_remove_line(&dom, "info", "&a", &e), 0);   /* a prefix */
	expect(".qmail-info", "b@x.se\n");
	ck_assert_int_eq(dq_alias_remove_line(&dom, "info", "b@x.se", &e), 0);
	ck_assert(!exists(".qmail-info"));   /* an empty alias file goes */
	ck_assert_int_eq(dq_alias_remove_line(&dom, "info", "b@x.se", &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
}
END_TEST

START_TEST(write_blackhole_read_and_delete)
{
	static const char *const lines[] = { "&a@x.se", "|/usr/bin/foo" };
	struct qa_error e = { 0 };
	struct dq_entry ent;
	struct buf b = BUF_INIT;

	ck_assert_int_eq(dq_alias_write(&dom, "Sales.Team", lines, 2, &e), 0);
	expect(".qmail-sales:team", "&a@x.se\n|/usr/bin/foo\n");
	ck_assert_int_eq(dq_alias_read(&dom, "sales.team", &b, &e), 0);
	ck_assert_str_eq(buf_cstr(&b), "&a@x.se\n|/usr/bin/foo\n");
	ck_assert_int_eq(dq_alias_set_blackhole(&dom, "sales.team", &e), 0);
	expect(".qmail-sales:team", "#\n");
	ck_assert_int_eq(dq_alias_get(&dom, "sales.team", &ent, &e), 0);
	ck_assert_str_eq(ent.name, "sales.team");
	ck_assert_int_eq(ent.kind, DQ_BLACKHOLE);
	dq_entry_free(&ent);
	ck_assert_int_eq(dq_alias_write(&dom, "x1", lines, 0, &e), -1);
	ck_assert_int_eq(dq_alias_delete(&dom, "sales.team", &e), 0);
	ck_assert(!exists(".qmail-sales:team"));
	ck_assert_int_eq(dq_alias_delete(&dom, "sales.team", &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
	ck_assert_int_eq(dq_alias_read(&dom, "sales.team", &b, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
	ck_assert_int_eq(dq_alias_get(&dom, "sales.team", &ent, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
	buf_free(&b);
}
END_TEST

START_TEST(files_get_the_domain_owner)
{
	char p[256];
	struct dq_dir d = dom;
	struct qa_error e = { 0 };
	struct stat st;

	if (geteuid() != 0)
		return;
	d.uid = 89;
	d.gid = 89;
	ck_assert_int_eq(dq_alias_add_target(&d, "info", "a@x.se", NULL, DQ_AMP, NULL, &e), 0);
	dpath(p, sizeof(p), ".qmail-info");
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_uid, 89);
	ck_assert_int_eq(st.st_gid, 89);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
}
END_TEST

/* ---- catch-all ---- */

static void catchall_round_trip(enum dq_catchall_kind k, const char *target, const char *line)
{
	struct dq_catchall ca = { k, "" }, back;
	struct qa_error e = { 0 };

	snprintf(ca.target, sizeof(ca.target), "%s", target);
	ck_assert_msg(dq_catchall_write(&dom, "/home/vpopmail", "emak.se", &ca, &e) == 0, "%s",
	              e.detail);
	expect(".qmail-default", line);
	ck_assert_int_eq(dq_catchall_read(domdir, "emak.se", &back, &e), 0);
	ck_assert_int_eq(back.kind, k);
	ck_assert_str_eq(back.target, target);
}

START_TEST(catchall_kinds_round_trip)
{
	catchall_round_trip(DQ_CA_DELETE, "", "| /home/vpopmail/bin/vdelivermail '' delete\n");
	catchall_round_trip(DQ_CA_BOUNCE, "",
	                    "| /home/vpopmail/bin/vdelivermail '' bounce-no-mailbox\n");
	catchall_round_trip(DQ_CA_LOCAL, "postmaster",
	                    "| /home/vpopmail/bin/vdelivermail '' postmaster@emak.se\n");
	catchall_round_trip(DQ_CA_REMOTE, "joe@other.org",
	                    "| /home/vpopmail/bin/vdelivermail '' joe@other.org\n");
	catchall_round_trip(DQ_CA_REMOTE_DOMAIN, "other.org",
	                    "| /home/vpopmail/bin/vdelivermail '' $EXT@other.org\n");
	catchall_round_trip(DQ_CA_PATH, "/home/vpopmail/domains/emak.se/joe",
	                    "| /home/vpopmail/bin/vdelivermail '' /home/vpopmail/domains/emak.se/joe\n");
}
END_TEST

START_TEST(catchall_matches_vadddomain)
{
	char want[512];
	struct dq_catchall ca = { DQ_CA_DELETE, "" };
	struct qa_error e = { 0 };

	if (!fixtures())
		return;
	ck_assert_int_eq(dq_catchall_write(&dom, "/home/vpopmail", "emak.se", &ca, &e), 0);
	snprintf(want, sizeof(want), "%s/01-emak-domain-added/home/vpopmail/domains/emak.se/"
	         ".qmail-default", fixtures());
	expect(".qmail-default", "| /home/vpopmail/bin/vdelivermail '' delete\n");
	{
		char got[256];

		dpath(got, sizeof(got), ".qmail-default");
		tree_same_file(got, want);
	}
}
END_TEST

START_TEST(catchall_reads_foreign_lines)
{
	struct dq_catchall ca;
	struct qa_error e = { 0 };

	put(".qmail-default", "|/usr/local/bin/maildrop\n");
	ck_assert_int_eq(dq_catchall_read(domdir, "emak.se", &ca, &e), 0);
	ck_assert_int_eq(ca.kind, DQ_CA_OTHER);
	ck_assert_str_eq(ca.target, "|/usr/local/bin/maildrop");
	put(".qmail-default", "| /var/vpopmail/bin/vdelivermail '' Joe@EMAK.SE  \n");
	ck_assert_int_eq(dq_catchall_read(domdir, "emak.se", &ca, &e), 0);
	ck_assert_int_eq(ca.kind, DQ_CA_LOCAL);
	ck_assert_str_eq(ca.target, "Joe");
	put(".qmail-default", "| /home/vpopmail/bin/vdelivermail '' x y\n");
	ck_assert_int_eq(dq_catchall_read(domdir, "emak.se", &ca, &e), 0);
	ck_assert_int_eq(ca.kind, DQ_CA_OTHER);
	{
		char p[256];

		dpath(p, sizeof(p), ".qmail-default");
		ck_assert_int_eq(unlink(p), 0);
	}
	ck_assert_int_eq(dq_catchall_read(domdir, "emak.se", &ca, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_NOT_FOUND);
}
END_TEST

START_TEST(catchall_refuses_what_the_shell_would_run)
{
	static const struct dq_catchall bad[] = {
		{ DQ_CA_REMOTE, "joe`reboot`@x.org" }, { DQ_CA_REMOTE, "joe$HOME@x.org" },
		{ DQ_CA_REMOTE, "j|x@x.org" }, { DQ_CA_REMOTE, "j&x@x.org" }, { DQ_CA_REMOTE, "j'x@x.org" },
		{ DQ_CA_REMOTE, "$(id)@x.org" }, { DQ_CA_REMOTE, "joe@x.org; rm -rf /" },
		{ DQ_CA_REMOTE, "nobody" }, { DQ_CA_LOCAL, "../joe" }, { DQ_CA_LOCAL, "j;x" },
		{ DQ_CA_LOCAL, "x" }, { DQ_CA_REMOTE_DOMAIN, "x.org;id" }, { DQ_CA_REMOTE_DOMAIN, "$x" },
		{ DQ_CA_PATH, "/x;reboot" }, { DQ_CA_PATH, "relative" }, { DQ_CA_PATH, "/a/../b" },
		{ DQ_CA_PATH, "/a b" }, { DQ_CA_OTHER, "|/bin/sh" },
	};
	struct dq_catchall ok = { DQ_CA_DELETE, "" };
	struct qa_error e = { 0 };
	size_t i;

	put(".qmail-default", "| /home/vpopmail/bin/vdelivermail '' delete\n");
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		UNCHANGED(ck_assert_int_eq(dq_catchall_write(&dom, "/home/vpopmail", "emak.se",
		                                             &bad[i], &e), -1));
		ck_assert_msg(e.code == QA_ERR_INVALID, "%s accepted", bad[i].target);
	}
	UNCHANGED({
		ck_assert_int_eq(dq_catchall_write(&dom, "home/vpopmail", "emak.se", &ok, &e), -1);
		ck_assert_int_eq(dq_catchall_write(&dom, "/home/v popmail", "emak.se", &ok, &e), -1);
		ck_assert_int_eq(dq_catchall_write(&dom, "/home/vpopmail", "emak/se", &ok, &e), -1);
	});
}
END_TEST

/* ---- USERDIR/.qmail ---- */

static void user_expect(const char *content)
{
	char p[256];
	struct buf b = BUF_INIT;

	snprintf(p, sizeof(p), "%s/.qmail", userdir);
	if (!content) {
		ck_assert_int_ne(access(p, F_OK), 0);
		return;
	}
	ck_assert_msg(tree_slurp(p, &b) == 0, ".qmail missing");
	ck_assert_str_eq(buf_cstr(&b), content);
	buf_free(&b);
}

static void user_put(const char *content)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/.qmail", userdir);
	tree_put(p, content, strlen(content));
}

START_TEST(user_forward_and_saved_copy)
{
	struct dq_user u;
	struct qa_error e = { 0 };
	char want[512];

	ck_assert_int_eq(dq_user_read(userdir, &u, &e), 0);
	ck_assert_int_eq(u.nforward + u.save_copy + u.blackhole + u.vacation, 0);
	snprintf(u.forward[0], sizeof(u.forward[0]), "joe@elsewhere.org");
	u.nforward = 1;
	ck_assert_int_eq(dq_user_write(&user, &u, &e), 0);
	user_expect("&joe@elsewhere.org\n");
	u.save_copy = 1;
	ck_assert_int_eq(dq_user_write(&user, &u, &e), 0);
	snprintf(want, sizeof(want), "&joe@elsewhere.org\n%s/Maildir/\n", userdir);
	user_expect(want);
	memset(&u, 0, sizeof(u));
	ck_assert_int_eq(dq_user_read(userdir, &u, &e), 0);
	ck_assert_int_eq(u.nforward, 1);
	ck_assert_str_eq(u.forward[0], "joe@elsewhere.org");
	ck_assert_int_eq(u.save_copy, 1);
	ck_assert_int_eq(u.blackhole, 0);
	/* Back to normal delivery: the file goes. */
	memset(&u, 0, sizeof(u));
	ck_assert_int_eq(dq_user_write(&user, &u, &e), 0);
	user_expect(NULL);
	ck_assert_int_eq(dq_user_write(&user, &u, &e), 0);
}
END_TEST

START_TEST(user_vacation_and_blackhole)
{
	struct dq_user u = { 0 };
	struct qa_error e = { 0 };
	char want[1024];

	u.vacation = 1;
	ck_assert_int_eq(dq_vacation_line("/usr/local/bin", userdir, u.vacation_line,
	                                  sizeof(u.vacation_line), &e), 0);
	ck_assert_int_eq(dq_user_write(&user, &u, &e), 0);
	snprintf(want, sizeof(want), "%s/Maildir/\n| /usr/local/bin/autorespond 86400 3 "
	         "%s/vacation/message %s/vacation\n", userdir, userdir, userdir);
	user_expect(want);
	memset(&u, 0, sizeof(u));
	ck_assert_int_eq(dq_user_read(userdir, &u, &e), 0);
	ck_assert_int_eq(u.vacation, 1);
	ck_assert_int_eq(u.save_copy, 0);   /* no forward: the Maildir line is normal delivery */
	ck_assert_int_eq(u.blackhole, 0);
	/* Vacation stays as it is when only the forwards change. */
	u.vacation_line[0] = '\0';
	snprintf(u.forward[0], sizeof(u.forward[0]), "a@b.se");
	u.nforward = 1;
	ck_assert_int_eq(dq_user_write(&user, &u, &e), 0);
	snprintf(want, sizeof(want), "&a@b.se\n| /usr/local/bin/autorespond 86400 3 "
	         "%s/vacation/message %s/vacation\n", userdir, userdir);
	user_expect(want);
	memset(&u, 0, sizeof(u));
	u.blackhole = 1;
	ck_assert_int_eq(dq_user_write(&user, &u, &e), 0);
	user_expect("# delete\n");
	ck_assert_int_eq(dq_user_read(userdir, &u, &e), 0);
	ck_assert_int_eq(u.blackhole, 1);
	user_put("|/bin/true delete\n");
	ck_assert_int_eq(dq_user_read(userdir, &u, &e), 0);
	ck_assert_int_eq(u.blackhole, 1);
}
END_TEST

START_TEST(user_keeps_unknown_programs_and_foreign_vacation)
{
	struct dq_user u;
	struct qa_error e = { 0 };

	user_put("|/usr/bin/procmail -m x\n&old@x.org\n|/opt/ar/autorespond 3600 1 /x/m /x\n");
	ck_assert_int_eq(dq_user_read(userdir, &u, &e), 0);
	ck_assert_int_eq(u.nforward, 1);
	ck_assert_int_eq(u.vacation, 1);
	snprintf(u.forward[0], sizeof(u.forward[0]), "new@y.org");
	ck_assert_int_eq(dq_user_write(&user, &u, &e), 0);
	user_expect("|/usr/bin/procmail -m x\n&new@y.org\n|/opt/ar/autorespond 3600 1 /x/m /x\n");
	u.vacation = 0;
	u.nforward = 0;
	ck_assert_int_eq(dq_user_write(&user, &u, &e), 0);
	{
		char want[512];

		snprintf(want, sizeof(want), "|/usr/bin/procmail -m x\n%s/Maildir/\n", userdir);
		user_expect(want);
	}
}
END_TEST

START_TEST(user_refuses_bad_values)
{
	struct dq_user u;
	struct qa_error e = { 0 };
	size_t i;

	user_put("&keep@x.org\n");
	memset(&u, 0, sizeof(u));
	u.nforward = 1;
	snprintf(u.forward[0], sizeof(u.forward[0]), "bad address@x.org");
	UNCHANGED(ck_assert_int_eq(dq_user_write(&user, &u, &e), -1));
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	snprintf(u.forward[0], sizeof(u.forward[0]), "a@b.se");
	u.blackhole = 1;
	UNCHANGED(ck_assert_int_eq(dq_user_write(&user, &u, &e), -1));
	u.blackhole = 0;
	u.vacation = 1;
	snprintf(u.vacation_line, sizeof(u.vacation_line),
	         "| /usr/local/bin/autorespond 86400 3 /x/vacation/message /x/vacation; rm -rf /");
	UNCHANGED(ck_assert_int_eq(dq_user_write(&user, &u, &e), -1));
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	snprintf(u.vacation_line, sizeof(u.vacation_line),
	         "| /usr/local/bin/autorespond 86400 3 /x/vacation/message /y/vacation");
	UNCHANGED(ck_assert_int_eq(dq_user_write(&user, &u, &e), -1));
	u.vacation_line[0] = '\0';   /* on, but there is no line to keep */
	UNCHANGED(ck_assert_int_eq(dq_user_write(&user, &u, &e), -1));
	u.vacation = 0;
	u.nforward = DQ_MAX_FORWARDS + 1;
	UNCHANGED(ck_assert_int_eq(dq_user_write(&user, &u, &e), -1));
	ck_assert_int_eq(e.code, QA_ERR_LIMIT);
	UNCHANGED(ck_assert_int_eq(dq_vacation_line("/usr/bin", "/x y", u.vacation_line,
	                                            sizeof(u.vacation_line), &e), -1));
	/* More forwards than the struct holds: refused on reading, not cut. */
	{
		struct buf b = BUF_INIT;

		for (i = 0; i <= DQ_MAX_FORWARDS; i++)
			buf_printf(&b, "&f%zu@x.org\n", i);
		user_put(buf_cstr(&b));
		buf_free(&b);
	}
	ck_assert_int_eq(dq_user_read(userdir, &u, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_LIMIT);
	user.path = "relative/dir";
	ck_assert_int_eq(dq_user_read(user.path, &u, &e), -1);
	ck_assert_int_eq(e.code, QA_ERR_INVALID);
	user.path = userdir;
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dotqmail");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, names_map_dots_to_colons_and_back);
	tcase_add_test(tc, hostile_names_are_refused);
	tcase_add_test(tc, hostile_targets_and_lines_are_refused);
	tcase_add_test(tc, valias_i_twice_gives_the_fixture_file);
	tcase_add_test(tc, qmailadmin_forward_gives_the_fixture_file);
	tcase_add_test(tc, fixture_03_info_is_a_forward);
	tcase_add_test(tc, fixture_08_is_listed_like_qmailadmin);
	tcase_add_test(tc, list_links_are_never_replaced_or_deleted);
	tcase_add_test(tc, listing_classifies_every_kind);
	tcase_add_test(tc, remove_line_matches_prefixes_like_valias);
	tcase_add_test(tc, write_blackhole_read_and_delete);
	tcase_add_test(tc, files_get_the_domain_owner);
	tcase_add_test(tc, catchall_kinds_round_trip);
	tcase_add_test(tc, catchall_matches_vadddomain);
	tcase_add_test(tc, catchall_reads_foreign_lines);
	tcase_add_test(tc, catchall_refuses_what_the_shell_would_run);
	tcase_add_test(tc, user_forward_and_saved_copy);
	tcase_add_test(tc, user_vacation_and_blackhole);
	tcase_add_test(tc, user_keeps_unknown_programs_and_foreign_vacation);
	tcase_add_test(tc, user_refuses_bad_values);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
