/* Unit tests of the vpopmail store (store_vpop.c): the fixture history
 * 01..07 replayed through the store API and compared with the trees the
 * real vpopmail 5.6.13 wrote (file sets and modes, every file's content,
 * cdb records; password hashes checked with crypt since salts differ),
 * every refusal (with the whole tree byte-identical afterwards), the repair
 * of what crashed operations leave behind, hostile store content, bulk
 * adds and reading. */
#include "config.h"

#include "check_main.h"
#include "conf.h"
#include "control.h"
#include "dotqmail.h"
#include "passwd.h"
#include "qmail_tree.h"
#include "store.h"
#include "vpasswd.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];
static char vpop[128];      /* ROOT/home/vpopmail, like the fixtures' /home/vpopmail */
static char qmail[128];     /* ROOT/var/qmail */
static char doms[160];      /* ROOT/home/vpopmail/domains */
static struct conf conf;
static struct store *st;
static uid_t vuid;
static gid_t vgid;

/* The vpopmail user: ourselves, unless we are root (qmail-lspawn and
 * users/assign refuse uid 0): then nobody, and the store chowns to it. */
static void pick_owner(void)
{
	struct passwd *pw = geteuid() == 0 ? getpwnam("nobody") : getpwuid(geteuid());
	struct group *gr;

	ck_assert_ptr_nonnull(pw);
	vuid = pw->pw_uid;
	gr = getgrgid(geteuid() == 0 ? pw->pw_gid : getegid());
	ck_assert_ptr_nonnull(gr);
	vgid = gr->gr_gid;
	snprintf(conf.vpopmail_user, sizeof(conf.vpopmail_user), "%s", pw->pw_name);
	snprintf(conf.vpopmail_group, sizeof(conf.vpopmail_group), "%s", gr->gr_name);
}

static void setup(void)
{
	struct qa_error e = { 0 };
	char p[256];

	tree_mkroot(root, sizeof(root));
	tree_mkdirs(root, "var/qmail/control");
	tree_mkdirs(root, "var/qmail/users");
	tree_mkdirs(root, "home/vpopmail/etc");
	tree_mkdirs(root, "home/vpopmail/bin");
	snprintf(p, sizeof(p), "%s/var/qmail/control/locals", root);
	tree_put(p, "", 0);      /* as in the fixtures: qmail's install left it */
	snprintf(vpop, sizeof(vpop), "%s/home/vpopmail", root);
	snprintf(qmail, sizeof(qmail), "%s/var/qmail", root);
	snprintf(doms, sizeof(doms), "%s/domains", vpop);
	conf_defaults(&conf);
	snprintf(conf.qmail_dir, sizeof(conf.qmail_dir), "%s", qmail);
	snprintf(conf.vpopmail_dir, sizeof(conf.vpopmail_dir), "%s", vpop);
	pick_owner();
	st = store_open(&conf, &e);
	ck_assert_msg(st != NULL, "%s", e.detail);
}

static void teardown(void)
{
	store_close(st);
	st = NULL;
	tree_rm(root);
}

/* ================================================================ helpers */

static struct qa_error err;   /* the error of the last call made through E */
#define E (qa_error_clear(&err), &err)

static void ok_call(int rc, const char *what)
{
	ck_assert_msg(rc == 0, "%s: %s %s: %s", what, qa_err_name(err.code), err.field, err.detail);
}

static struct v_domain dom(const char *s)
{
	struct v_domain d;

	ck_assert_int_eq(v_domain(s, &d, "domain", NULL), 0);
	return d;
}

static struct v_user usr(const char *s)
{
	struct v_user u;

	ck_assert_int_eq(v_user(s, &u, "user", NULL), 0);
	return u;
}

static struct v_gecos gec(const char *s)
{
	struct v_gecos g;

	ck_assert_int_eq(v_gecos(s, &g, "gecos", NULL), 0);
	return g;
}

static const char *hash(const char *clear)
{
	static char h[PASSWD_HASH_MAX];

	ck_assert_int_eq(passwd_hash(clear, "sha512", h, sizeof(h), NULL), 0);
	return h;
}

static void domain_add(const char *d, const char *pw)
{
	struct v_domain vd = dom(d);

	ok_call(store_domain_add(st, &vd, hash(pw), E), d);
}

static void domain_del(const char *d)
{
	struct v_domain vd = dom(d);

	ok_call(store_domain_del(st, &vd, E), d);
}

static void user_add(const char *addr, const char *pw, const char *gecos, const char *quota)
{
	struct v_user u = usr(addr);
	struct v_gecos g = gec(gecos);

	ok_call(store_user_add(st, &u, hash(pw), &g, quota, E), addr);
}

static void user_set(const char *addr, const struct user_change *c)
{
	struct v_user u = usr(addr);

	ok_call(store_user_set(st, &u, c, E), addr);
}

static void user_del(const char *addr)
{
	struct v_user u = usr(addr);

	ok_call(store_user_del(st, &u, E), addr);
}

static void domdir(char *out, size_t n, const char *d)
{
	snprintf(out, n, "%s/%s", doms, d);
}

static void put_rel(const char *rel, const char *text)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	tree_put(p, text, strlen(text));
}

static int exists_rel(const char *rel)
{
	char p[512];
	struct stat sb;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return lstat(p, &sb) == 0;
}

/* ================================================================ fixtures */

/* s with every "from" replaced by "to" (one pass). */
static void replace_all(struct buf *s, const char *from, const char *to)
{
	struct buf out = BUF_INIT;
	const char *p = buf_cstr(s), *hit;
	size_t fl = strlen(from);

	buf_adds(&out, "");
	while ((hit = strstr(p, from))) {
		buf_add(&out, p, (size_t)(hit - p));
		buf_adds(&out, to);
		p = hit + fl;
	}
	buf_adds(&out, p);
	buf_reset(s);
	buf_add(s, out.p, out.len);
	buf_free(&out);
}

/* Fixture text as it must read on our root: the paths and the uid:gid. */
static void localise(struct buf *b)
{
	char ids[64];

	replace_all(b, "/home/vpopmail", vpop);
	snprintf(ids, sizeof(ids), ":%u:%u:", (unsigned)vuid, (unsigned)vgid);
	replace_all(b, ":89:89:", ids);
	snprintf(ids, sizeof(ids), "\\x00%u\\x00%u\\x00", (unsigned)vuid, (unsigned)vgid);
	replace_all(b, "\\x0089\\x0089\\x00", ids);
}

static void escape(struct buf *out, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_printf(out, (unsigned char)p[i] >= 0x21 && (unsigned char)p[i] < 0x7f ? "%c" : "\\x%02x",
		           (unsigned char)p[i]);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines of text, joined again. */
static void sort_lines(struct buf *b)
{
	char **v = NULL, *s, *save = NULL;
	struct buf out = BUF_INIT;
	size_t n = 0, i;

	buf_adds(&out, "");
	for (s = strtok_r((char *)buf_cstr(b), "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = s;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		buf_printf(&out, "%s\n", v[i]);
	free(v);
	buf_reset(b);
	buf_add(b, out.p, out.len);
	buf_free(&out);
}

/* The records vpopmail's make_vpasswd_cdb builds from a vpasswd, in the
 * form cdb_records() prints. */
static void records_of_vpasswd(const char *path, struct buf *out)
{
	struct buf text = BUF_INIT;
	char *line, *save = NULL, *colon;

	buf_reset(out);
	buf_adds(out, "");
	ck_assert_int_eq(tree_slurp(path, &text), 0);
	for (line = strtok_r((char *)buf_cstr(&text), "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!(colon = strchr(line, ':')))
			continue;
		escape(out, line, (size_t)(colon - line));
		buf_adds(out, "->");
		escape(out, colon + 1, strlen(colon + 1));
		buf_addc(out, '\n');
	}
	sort_lines(out);
	buf_free(&text);
}

/* Big texts: the first differing line goes to stderr, not to Check. */
static void same_text(struct buf *a, struct buf *b, const char *what)
{
	const char *p = buf_cstr(a), *q = buf_cstr(b);
	size_t i = 0, line = 1;

	for (; p[i] && p[i] == q[i]; i++)
		line += p[i] == '\n';
	if (p[i] || q[i])
		fprintf(stderr, "# %s: line %zu differs:\n# %.200s\n# %.200s\n", what, line,
		        p + i, q + i);
	ck_assert_msg(!p[i] && !q[i], "%s differ at line %zu", what, line);
}

static const char *password_of(const char *name, const char *snap)
{
	static char pw[64];

	if (!strcmp(name, "postmaster"))
		return "Postm4ster";
	if (!strcmp(name, "klient1"))
		return "Klient1pw";
	if (!strcmp(name, "klient2"))
		return "Klient2pw";
	if (!strcmp(name, "lars.jonsson"))
		return strcmp(snap, "03") < 0 ? "Axm01" : "MhGts";
	ck_assert_msg(!strncmp(name, "user", 4), "no password for %s", name);
	snprintf(pw, sizeof(pw), "Pw%s-secret", name + 4);
	return pw;
}

/* vpasswd: the same lines in the same order; hashes by crypt(). */
static void same_vpasswd(const char *got, const char *want, const char *snap)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	char *la, *lb, *sa = NULL, *sb = NULL;

	ck_assert_int_eq(tree_slurp(got, &a), 0);
	ck_assert_int_eq(tree_slurp(want, &b), 0);
	localise(&b);
	ck_assert_msg(a.len && a.p[a.len - 1] == '\n', "%s: no final newline", got);
	la = strtok_r((char *)buf_cstr(&a), "\n", &sa);
	lb = strtok_r((char *)buf_cstr(&b), "\n", &sb);
	for (; la && lb; la = strtok_r(NULL, "\n", &sa), lb = strtok_r(NULL, "\n", &sb)) {
		char *ha = strchr(la, ':'), *hb = strchr(lb, ':'), *ea, *eb;

		ck_assert(ha && hb);
		ea = strchr(ha + 1, ':');
		eb = strchr(hb + 1, ':');
		ck_assert(ea && eb);
		*ha = '\0';
		*ea = '\0';
		ck_assert_msg(!strncmp(la, lb, strlen(la)) && lb[strlen(la)] == ':',
		              "%s: %s where vpopmail has %s", got, la, lb);
		ck_assert_msg(!strcmp(ea + 1, eb + 1), "%s: %s:...:%s, want %s", got, la, ea + 1, eb + 1);
		ck_assert_msg(!strncmp(ha + 1, "$6$", 3) && strlen(ha + 1) == 98,
		              "%s: %s's hash is not vpopmail's $6$ form", got, la);
		ck_assert_msg(passwd_verify(password_of(la, snap), ha + 1), "%s: %s's password", got, la);
	}
	ck_assert_msg(!la && !lb, "%s: %s lines", got, la ? "extra" : "missing");
	buf_free(&a);
	buf_free(&b);
}

/* vpasswd.cdb: what vpopmail builds from our vpasswd, and the same keys
 * as vpopmail's own cdb. */
static void same_vpasswd_cdb(const char *got, const char *want)
{
	struct buf a = BUF_INIT, b = BUF_INIT, keys_a = BUF_INIT, keys_b = BUF_INIT;
	char vp[4096];
	char *s, *save = NULL;

	snprintf(vp, sizeof(vp), "%.*s", (int)(strlen(got) - 4), got);   /* .../vpasswd */
	cdb_records(got, &a);
	records_of_vpasswd(vp, &b);
	ck_assert_msg(!strcmp(buf_cstr(&a), buf_cstr(&b)), "%s is not built from vpasswd", got);
	cdb_records(want, &b);
	buf_adds(&keys_a, "");
	buf_adds(&keys_b, "");
	for (s = strtok_r((char *)buf_cstr(&a), "\n", &save); s; s = strtok_r(NULL, "\n", &save))
		buf_printf(&keys_a, "%.*s\n", (int)(strstr(s, "->") - s), s);
	save = NULL;
	for (s = strtok_r((char *)buf_cstr(&b), "\n", &save); s; s = strtok_r(NULL, "\n", &save))
		buf_printf(&keys_b, "%.*s\n", (int)(strstr(s, "->") - s), s);
	ck_assert_msg(!strcmp(buf_cstr(&keys_a), buf_cstr(&keys_b)), "keys of %s:\n%s\nwant:\n%s", got,
	              buf_cstr(&keys_a), buf_cstr(&keys_b));
	buf_free(&a);
	buf_free(&b);
	buf_free(&keys_a);
	buf_free(&keys_b);
}

static void same_localised(const char *got, const char *want, int is_cdb)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	if (is_cdb) {
		cdb_records(got, &a);
		cdb_records(want, &b);
	} else {
		ck_assert_msg(tree_slurp(got, &a) == 0, "missing %s", got);
		ck_assert_int_eq(tree_slurp(want, &b), 0);
	}
	localise(&b);
	if (strcmp(buf_cstr(&a), buf_cstr(&b)))
		fprintf(stderr, "# %s:\n%s\n# want:\n%s\n", got, buf_cstr(&a), buf_cstr(&b));
	ck_assert_msg(!strcmp(buf_cstr(&a), buf_cstr(&b)), "%s differs from %s", got, want);
	buf_free(&a);
	buf_free(&b);
}

static const char *cmp_snap;   /* "01" ... for the nftw callback */
static size_t cmp_skip;

static int cmp_file(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	char got[4096];
	const char *rel = p + cmp_skip, *base = p + ftw->base;

	(void)flag;
	if (!S_ISREG(sb->st_mode))
		return 0;
	snprintf(got, sizeof(got), "%s%s", root, rel);
	if (!strcmp(base, "vpasswd"))
		same_vpasswd(got, p, cmp_snap);
	else if (!strcmp(base, "vpasswd.cdb"))
		same_vpasswd_cdb(got, p);
	else
		same_localised(got, p, !strcmp(rel, "/var/qmail/users/cdb")
		                       || !strcmp(base, "morercpthosts.cdb"));
	return 0;
}

static void mode_string(mode_t m, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : '-';
	for (i = 0; i < 9; i++)
		out[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	out[10] = '\0';
}

/* The directories this test makes itself (their modes are ours). */
static int setup_dir(const char *rel)
{
	static const char *const own[] = {
		".", "./home", "./home/vpopmail", "./home/vpopmail/etc", "./home/vpopmail/bin",
		"./var", "./var/qmail", "./var/qmail/control", "./var/qmail/users",
	};
	size_t i;

	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(rel, own[i]))
			return 1;
	return 0;
}

static struct buf listing;

static int list_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	char rel[4096], mode[11];

	(void)flag;
	(void)ftw;
	snprintf(rel, sizeof(rel), ".%s", p + strlen(root));
	if (setup_dir(rel))
		return 0;
	mode_string(sb->st_mode, mode);
	buf_printf(&listing, "%s %s\n", mode, rel);
	return 0;
}

/* "MODE PATH" for every path of the fixture's listing and of our tree.
 * Lock files that the listing lacks are left out of ours: our assign,
 * control and dircontrol modules create theirs on first use, vpopmail's
 * only some of the time; qmail and vpopmail never read them. vdeldomain
 * writes domains/.dir-control with mode 0644 (its umask); we keep 0600. */
static void same_listing(const char *snap_dir)
{
	char path[4096], line[4096], mode[16], owner[64], rel[4096];
	struct buf want = BUF_INIT, got = BUF_INIT;
	unsigned long size;
	FILE *f;

	ck_assert(snprintf(path, sizeof(path), "%s.listing.txt", snap_dir) < (int)sizeof(path));
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	buf_adds(&want, "");
	while (fgets(line, sizeof(line), f)) {
		ck_assert_int_eq(sscanf(line, "%15s %63s %lu %4095s", mode, owner, &size, rel), 4);
		if (setup_dir(rel))
			continue;
		if (!strcmp(rel, "./home/vpopmail/domains/.dir-control"))
			strcpy(mode, "-rw-------");
		buf_printf(&want, "%s %s\n", mode, rel);
	}
	fclose(f);
	buf_init(&listing, 0);
	buf_adds(&listing, "");
	ck_assert_int_eq(nftw(root, list_one, 16, FTW_PHYS), 0);
	buf_adds(&got, "");
	{
		char *s, *save = NULL;

		for (s = strtok_r((char *)buf_cstr(&listing), "\n", &save); s;
		     s = strtok_r(NULL, "\n", &save)) {
			size_t n = strlen(s);

			if (n > 5 && !strcmp(s + n - 5, ".lock") && !strstr(buf_cstr(&want), strchr(s, ' ')))
				continue;
			buf_printf(&got, "%s\n", s);
		}
	}
	sort_lines(&want);
	sort_lines(&got);
	if (strcmp(buf_cstr(&got), buf_cstr(&want)))
		fprintf(stderr, "# our tree:\n%s# %s:\n%s", buf_cstr(&got), path, buf_cstr(&want));
	ck_assert_msg(!strcmp(buf_cstr(&got), buf_cstr(&want)), "file set or modes differ from %s", path);
	buf_free(&listing);
	buf_free(&want);
	buf_free(&got);
}

/* Our whole tree against fixture snapshot NN-name. */
static void same_as(const char *snap)
{
	char dir[4096];

	if (!fixtures())
		return;
	snprintf(dir, sizeof(dir), "%s/%s", fixtures(), snap);
	same_listing(dir);
	cmp_snap = snap;
	cmp_skip = strlen(dir);
	ck_assert_int_eq(nftw(dir, cmp_file, 16, FTW_PHYS), 0);
}

/* ================================================================ history */

static void replay_01_to_05(void)
{
	struct dq_dir dq = { NULL, (uid_t)-1, (gid_t)-1 };
	struct user_change c;
	struct v_gecos g = gec("Lars J");
	struct v_domain alias = dom("emak.com"), real = dom("emak.se");
	char dd[256];

	domain_add("emak.se", "Postm4ster");
	same_as("01-emak-domain-added");

	user_add("klient1@emak.se", "Klient1pw", "Klient 1", NULL);
	user_add("klient2@emak.se", "Klient2pw", "Klient 2", NULL);
	user_add("lars.jonsson@emak.se", "Axm01", "Lars J\xc3\xb6nsson", NULL);
	same_as("02-emak-users-added");

	memset(&c, 0, sizeof(c));
	c.passwd_hash = hash("MhGts");
	user_set("lars.jonsson@emak.se", &c);                    /* vpasswd */
	memset(&c, 0, sizeof(c));
	c.quota = "50M";
	user_set("klient2@emak.se", &c);                         /* vsetuserquota */
	memset(&c, 0, sizeof(c));
	c.set_flags = 1;
	c.flags = NO_POP | NO_WEBMAIL;
	user_set("klient1@emak.se", &c);                         /* vmoduser -p -w */
	c.flags = QA_ADMIN;
	user_set("klient2@emak.se", &c);                         /* vmoduser -a */
	memset(&c, 0, sizeof(c));
	c.quota = "10485760S,1000C";
	c.gecos = &g;
	user_set("lars.jonsson@emak.se", &c);                    /* vmoduser -q -c */
	domdir(dd, sizeof(dd), "emak.se");
	dq.path = dd;                                            /* valias -i (twice) */
	ck_assert_int_eq(dq_alias_add_target(&dq, "info", "klient2@emak.se", NULL, 0, NULL, NULL), 0);
	ck_assert_int_eq(dq_alias_add_target(&dq, "info", "someone@example.org", NULL, 0, NULL, NULL), 0);
	ok_call(store_alias_domain_add(st, &alias, &real, E), "vaddaliasdomain");
	same_as("03-emak-modified");

	user_del("lars.jonsson@emak.se");
	ck_assert_int_eq(dq_alias_delete(&dq, "info", NULL), 0);  /* valias -d */
	same_as("04-emak-user-deleted");

	domain_del("emak.com");
	domain_del("emak.se");
	same_as("05-emak-domain-deleted");
}

START_TEST(history_matches_vpopmail)
{
	char addr[64], pw[64], name[64];
	int i;

	replay_01_to_05();
	domain_add("big.test", "Postm4ster");
	for (i = 1; i <= 150; i++) {
		snprintf(addr, sizeof(addr), "user%03d@big.test", i);
		snprintf(pw, sizeof(pw), "Pw%03d-secret", i);
		snprintf(name, sizeof(name), "User %03d", i);
		user_add(addr, pw, name, NULL);
	}
	same_as("06-big-150-users");
	domain_del("big.test");
	for (i = 1; i <= 52; i++) {
		snprintf(name, sizeof(name), "d%02d.test", i);
		domain_add(name, "Postm4ster");
	}
	same_as("07-52-domains");
}
END_TEST

/* ================================================================ refusals */

/* expr must fail with code and leave every byte of the tree as it was. */
#define REFUSED(expr, want)                                                        \
	do {                                                                       \
		struct buf before_ = BUF_INIT, after_ = BUF_INIT;                  \
		int rc_;                                                           \
		tree_snapshot(root, &before_);                                     \
		rc_ = (expr);                                                      \
		tree_snapshot(root, &after_);                                      \
		ck_assert_msg(rc_ == -1, "%s succeeded", #expr);                   \
		ck_assert_msg(err.code == (want), "%s: %s (%s), want %s", #expr,   \
		              qa_err_name(err.code), err.detail, qa_err_name(want)); \
		ck_assert_msg(!strcmp(buf_cstr(&before_), buf_cstr(&after_)),      \
		              "%s changed the tree", #expr);                       \
		buf_free(&before_);                                                \
		buf_free(&after_);                                                 \
	} while (0)

static void emak_with_users(void)
{
	struct v_domain alias = dom("emak.com"), real = dom("emak.se");

	domain_add("emak.se", "Postm4ster");
	user_add("klient1@emak.se", "Klient1pw", "Klient 1", NULL);
	user_add("klient2@emak.se", "Klient2pw", "", "50M");
	ok_call(store_alias_domain_add(st, &alias, &real, E), "alias");
}

START_TEST(refusals_change_nothing)
{
	struct v_domain d = dom("emak.se"), a = dom("emak.com"), none = dom("nowhere.se");
	struct v_user k1 = usr("klient1@emak.se"), k3 = usr("klient3@emak.se");
	struct v_user ghost = usr("ghost@nowhere.se"), viaalias = usr("klient1@emak.com");
	struct v_gecos g = gec("");
	struct user_change c;

	emak_with_users();
	REFUSED(store_domain_add(st, &d, hash("x"), E), QA_ERR_EXISTS);
	REFUSED(store_domain_add(st, &a, hash("x"), E), QA_ERR_EXISTS);
	REFUSED(store_alias_domain_add(st, &a, &d, E), QA_ERR_EXISTS);
	REFUSED(store_alias_domain_add(st, &d, &a, E), QA_ERR_EXISTS);
	REFUSED(store_alias_domain_add(st, &none, &none, E), QA_ERR_NOT_FOUND);
	REFUSED(store_alias_domain_del(st, &d, E), QA_ERR_INVALID);
	REFUSED(store_domain_del(st, &none, E), QA_ERR_NOT_FOUND);
	REFUSED(store_alias_domain_del(st, &none, E), QA_ERR_NOT_FOUND);
	REFUSED(store_user_add(st, &k1, hash("x"), &g, NULL, E), QA_ERR_EXISTS);
	REFUSED(store_user_add(st, &viaalias, hash("x"), &g, NULL, E), QA_ERR_EXISTS);
	REFUSED(store_user_add(st, &ghost, hash("x"), &g, NULL, E), QA_ERR_NOT_FOUND);
	REFUSED(store_user_add(st, &k3, "$6$ab:cd", &g, NULL, E), QA_ERR_INVALID);
	REFUSED(store_user_add(st, &k3, hash("x"), &g, "lots", E), QA_ERR_INVALID);
	REFUSED(store_user_add(st, &k3, hash("x"), &g, "M", E), QA_ERR_INVALID);
	REFUSED(store_user_del(st, &k3, E), QA_ERR_NOT_FOUND);
	REFUSED(store_user_del(st, &ghost, E), QA_ERR_NOT_FOUND);
	memset(&c, 0, sizeof(c));
	c.quota = "50 M";
	REFUSED(store_user_set(st, &k1, &c, E), QA_ERR_INVALID);
	c.quota = NULL;
	c.passwd_hash = "x\ny";
	REFUSED(store_user_set(st, &k1, &c, E), QA_ERR_INVALID);
	c.passwd_hash = hash("new");
	REFUSED(store_user_set(st, &k3, &c, E), QA_ERR_NOT_FOUND);
}
END_TEST

START_TEST(limits_aliases_and_catchall_are_honoured)
{
	struct v_user k1 = usr("klient1@emak.se"), k3 = usr("klient3@emak.se");
	struct v_user info = usr("info@emak.se"), list = usr("announce@emak.se");
	struct v_gecos g = gec("");
	struct dq_catchall ca = { DQ_CA_LOCAL, "klient1" };
	struct dq_dir dq = { NULL, (uid_t)-1, (gid_t)-1 };
	char dd[256];

	emak_with_users();
	domdir(dd, sizeof(dd), "emak.se");
	dq.path = dd;
	/* 3 mailboxes (postmaster, klient1, klient2): the limit is reached. */
	put_rel("home/vpopmail/domains/emak.se/.qmailadmin-limits", "maxpopaccounts 3\n");
	REFUSED(store_user_add(st, &k3, hash("x"), &g, NULL, E), QA_ERR_LIMIT);
	put_rel("home/vpopmail/domains/emak.se/.qmailadmin-limits", "maxpopaccounts: -1\n");
	/* A name that an alias already answers for. */
	ck_assert_int_eq(dq_alias_add_target(&dq, "info", "klient2@emak.se", NULL, 0, NULL, NULL), 0);
	REFUSED(store_user_add(st, &info, hash("x"), &g, NULL, E), QA_ERR_EXISTS);
	/* A directory that is not a mailbox's leftover (an ezmlm list). */
	tree_mkdirs(root, "home/vpopmail/domains/emak.se/announce/subscribers");
	put_rel("home/vpopmail/domains/emak.se/announce/lock", "");
	REFUSED(store_user_add(st, &list, hash("x"), &g, NULL, E), QA_ERR_EXISTS);
	/* vdeluser will not delete the catch-all's mailbox. */
	ck_assert_int_eq(dq_catchall_write(&dq, vpop, "emak.se", &ca, NULL), 0);
	REFUSED(store_user_del(st, &k1, E), QA_ERR_BUSY_CATCHALL);
	ca.kind = DQ_CA_DELETE;
	ck_assert_int_eq(dq_catchall_write(&dq, vpop, "emak.se", &ca, NULL), 0);
	user_del("klient1@emak.se");
}
END_TEST

START_TEST(bulk_refusals_change_nothing)
{
	struct v_domain d = dom("emak.se"), none = dom("nowhere.se");
	struct new_user v[3];
	size_t i;

	emak_with_users();
	memset(v, 0, sizeof(v));
	for (i = 0; i < 3; i++) {
		snprintf(v[i].passwd_hash, sizeof(v[i].passwd_hash), "%s", "$6$abcdefgh$x");
		v[i].line = (unsigned)i + 2;
	}
	v[0].user = usr("new1@emak.se");
	v[1].user = usr("new2@emak.se");
	v[2].user = usr("new1@emak.se");
	REFUSED(store_user_add_many(st, &d, v, 3, E), QA_ERR_EXISTS);
	v[2].user = usr("klient1@emak.se");
	REFUSED(store_user_add_many(st, &d, v, 3, E), QA_ERR_EXISTS);
	ck_assert_msg(strstr(err.detail, "line 4"), "%s", err.detail);
	v[2].user = usr("new3@emak.se");
	snprintf(v[1].quota, sizeof(v[1].quota), "%s", "bogus");
	REFUSED(store_user_add_many(st, &d, v, 3, E), QA_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err.detail, "line 3"));
	v[1].quota[0] = '\0';
	REFUSED(store_user_add_many(st, &none, v, 3, E), QA_ERR_NOT_FOUND);
	put_rel("home/vpopmail/domains/emak.se/.qmailadmin-limits", "maxpopaccounts 5\n");
	REFUSED(store_user_add_many(st, &d, v, 3, E), QA_ERR_LIMIT);
	put_rel("home/vpopmail/domains/emak.se/.qmailadmin-limits", "maxpopaccounts 6\n");
	ok_call(store_user_add_many(st, &d, v, 3, E), "bulk add at the limit");
}
END_TEST

/* ================================================================ repairs */

START_TEST(leftovers_of_crashed_user_changes_are_repaired)
{
	struct v_user u = usr("newbie@emak.se");
	struct user_info info;
	char p[512];

	emak_with_users();
	/* A crashed add: a home, no vpasswd line. */
	tree_mkdirs(root, "home/vpopmail/domains/emak.se/newbie/Maildir/cur");
	put_rel("home/vpopmail/domains/emak.se/newbie/lastauth", "0.0.0.0");
	put_rel("home/vpopmail/domains/emak.se/newbie/Maildir/cur/1.x,S=10:2,", "old");
	user_add("newbie@emak.se", "pw", "", NULL);
	ck_assert(!exists_rel("home/vpopmail/domains/emak.se/newbie/Maildir/cur/1.x,S=10:2,"));
	ck_assert(exists_rel("home/vpopmail/domains/emak.se/newbie/Maildir/new"));
	ok_call(store_user_get(st, &u, &info, E), "get");
	ck_assert_str_eq(info.gecos, "newbie");
	/* A crash between the vpasswd and the cdb rename: no cdb. */
	snprintf(p, sizeof(p), "%s/emak.se/vpasswd.cdb", doms);
	ck_assert_int_eq(unlink(p), 0);
	ok_call(store_user_get(st, &u, &info, E), "get rebuilds the cdb");
	ck_assert(exists_rel("home/vpopmail/domains/emak.se/vpasswd.cdb"));
}
END_TEST

/* A crash between the vpasswd rename and the cdb rename: the retry of the
 * same change brings vpasswd.cdb up to date, even when it is refused. */
START_TEST(a_retry_repairs_a_stale_vpasswd_cdb)
{
	struct v_user u = usr("late@emak.se");
	struct v_gecos g = gec("");
	struct buf old = BUF_INIT, recs = BUF_INIT, want = BUF_INIT;
	char cdbp[512], vp[512];

	emak_with_users();
	snprintf(cdbp, sizeof(cdbp), "%s/emak.se/vpasswd.cdb", doms);
	snprintf(vp, sizeof(vp), "%s/emak.se/vpasswd", doms);
	ck_assert_int_eq(tree_slurp(cdbp, &old), 0);
	user_add("late@emak.se", "pw", "", NULL);
	tree_put(cdbp, old.p, old.len);                 /* the cdb rename never happened */
	ck_assert_int_eq(store_user_add(st, &u, hash("pw"), &g, NULL, E), -1);
	ck_assert_int_eq(err.code, QA_ERR_EXISTS);
	cdb_records(cdbp, &recs);
	records_of_vpasswd(vp, &want);
	same_text(&recs, &want, "vpasswd.cdb after the retried add");
	ck_assert_int_eq(tree_slurp(cdbp, &old), 0);
	user_del("late@emak.se");
	tree_put(cdbp, old.p, old.len);
	ck_assert_int_eq(store_user_del(st, &u, E), -1);
	ck_assert_int_eq(err.code, QA_ERR_NOT_FOUND);
	cdb_records(cdbp, &recs);
	records_of_vpasswd(vp, &want);
	same_text(&recs, &want, "vpasswd.cdb after the retried delete");
	buf_free(&old);
	buf_free(&recs);
	buf_free(&want);
}
END_TEST

START_TEST(leftovers_of_crashed_domain_changes_are_repaired)
{
	struct v_domain ghost = dom("ghost.se"), emak = dom("emak.se");
	struct domain_info info;
	struct buf cdb_before = BUF_INIT;
	char p[512];

	/* A crashed add that got as far as the control files. */
	tree_mkdirs(root, "home/vpopmail/domains/ghost.se/postmaster/Maildir");
	ck_assert_int_eq(ctl_add_domain(qmail, "ghost.se", NULL, NULL), 0);
	ok_call(store_domain_del(st, &ghost, E), "del cleans the debris");
	ck_assert(!exists_rel("home/vpopmail/domains/ghost.se"));
	REFUSED(store_domain_del(st, &ghost, E), QA_ERR_NOT_FOUND);
	/* The same debris does not stop an add either. */
	tree_mkdirs(root, "home/vpopmail/domains/ghost.se/junk");
	domain_add("ghost.se", "pw");
	ck_assert(!exists_rel("home/vpopmail/domains/ghost.se/junk"));
	/* A crash between users/assign and users/cdb: the add is finished. */
	snprintf(p, sizeof(p), "%s/users/cdb", qmail);
	ck_assert_int_eq(tree_slurp(p, &cdb_before), 0);
	domain_add("emak.se", "Postm4ster");
	user_add("klient1@emak.se", "Klient1pw", "", NULL);
	tree_put(p, cdb_before.p, cdb_before.len);
	ck_assert_int_eq(store_domain_get(st, &emak, &info, E), -1);
	domain_add("emak.se", "other");
	ok_call(store_domain_get(st, &emak, &info, E), "get");
	ck_assert_uint_eq(info.users, 2);
	buf_free(&cdb_before);
}
END_TEST

/* The 100th domain goes to domains/0/, as vadddomain puts it, and its
 * delete finds it there and frees its place. */
START_TEST(the_hundredth_domain_is_hashed)
{
	struct v_domain d = dom("hundred.se");
	struct domain_info info;
	char want[512], p[512];
	struct buf b = BUF_INIT;

	tree_mkdirs(root, "home/vpopmail/domains");
	put_rel("home/vpopmail/domains/.dir-control", "99\n0\n3\n0 0 0\n61 61 61\n0 2 2\n0 0 0\n\n");
	domain_add("hundred.se", "pw");
	ok_call(store_domain_get(st, &d, &info, E), "get");
	snprintf(want, sizeof(want), "%s/0/hundred.se", doms);
	ck_assert_str_eq(info.dir, want);
	ck_assert(exists_rel("home/vpopmail/domains/0/hundred.se/postmaster/Maildir/new"));
	user_add("joe@hundred.se", "pw", "Joe", NULL);
	domain_del("hundred.se");
	ck_assert(!exists_rel("home/vpopmail/domains/0/hundred.se"));
	snprintf(p, sizeof(p), "%s/.dir-control", doms);
	ck_assert_int_eq(tree_slurp(p, &b), 0);
	ck_assert_str_eq(buf_cstr(&b), "99\n0\n3\n0 0 0\n61 61 61\n0 2 2\n0 0 0\n0\n");
	buf_free(&b);
}
END_TEST

/* Paths in store files are data, not orders: nothing outside the domain is
 * removed, and symlinks inside a home are removed, not followed. */
START_TEST(hostile_store_content_stays_contained)
{
	char vp[512], line[1024];
	struct buf text = BUF_INIT;

	emak_with_users();
	tree_mkdirs(root, "outside/keep");
	put_rel("outside/keep/file", "precious");
	snprintf(line, sizeof(line), "%s/outside/keep", root);
	snprintf(vp, sizeof(vp), "%s/emak.se/klient1/Maildir/cur/link", doms);
	ck_assert_int_eq(symlink(line, vp), 0);
	user_del("klient1@emak.se");
	ck_assert(exists_rel("outside/keep/file"));
	ck_assert(!exists_rel("home/vpopmail/domains/emak.se/klient1"));
	/* A vpasswd line whose home is elsewhere. */
	snprintf(vp, sizeof(vp), "%s/emak.se/vpasswd", doms);
	ck_assert_int_eq(tree_slurp(vp, &text), 0);
	snprintf(line, sizeof(line), "evil:$6$x$y:1:0:Evil:%s/outside:NOQUOTA\n", root);
	buf_adds(&text, line);
	tree_put(vp, text.p, text.len);
	user_del("evil@emak.se");
	ck_assert(exists_rel("outside/keep/file"));
	buf_free(&text);
}
END_TEST

/* ================================================================ bulk */

static void bulk_users(struct new_user *v, size_t n, const char *domain)
{
	char addr[128];
	size_t i;

	memset(v, 0, n * sizeof(*v));
	for (i = 0; i < n; i++) {
		snprintf(addr, sizeof(addr), "u%04zu@%s", (i * 7919) % n, domain);
		v[i].user = usr(addr);
		snprintf(v[i].passwd_hash, sizeof(v[i].passwd_hash), "$6$saltsalt$h%04zu", (i * 7919) % n);
		v[i].line = (unsigned)i + 1;
	}
}

/* vpasswd of domain with the domain name taken out. */
static void vpasswd_of(const char *domain, struct buf *out)
{
	char p[512], from[256];

	snprintf(p, sizeof(p), "%s/%s/vpasswd", doms, domain);
	ck_assert_int_eq(tree_slurp(p, out), 0);
	snprintf(from, sizeof(from), "/%s/", domain);
	replace_all(out, from, "/D/");
}

START_TEST(bulk_add_places_users_like_single_adds)
{
	enum { N = 250 };
	struct new_user *v = calloc(N, sizeof(*v));
	struct v_domain a = dom("bulk.se");
	struct v_gecos g;
	struct buf x = BUF_INIT, y = BUF_INIT;
	char p[512], q[512];
	size_t i;

	struct v_domain b = dom("single.se");
	struct v_user last;
	struct user_info ui;
	char pm[PASSWD_HASH_MAX];

	snprintf(pm, sizeof(pm), "%s", hash("pw"));
	ok_call(store_domain_add(st, &a, pm, E), "bulk.se");
	ok_call(store_domain_add(st, &b, pm, E), "single.se");
	put_rel("home/vpopmail/domains/bulk.se/.qmailadmin-limits", "default_quota 1048576\n");
	put_rel("home/vpopmail/domains/single.se/.qmailadmin-limits", "default_quota 1048576\n");
	bulk_users(v, N, "bulk.se");
	last = v[N - 1].user;
	ok_call(store_user_add_many(st, &a, v, N, E), "bulk");
	for (i = 0; i < N; i++) {
		struct v_user u = v[i].user;

		snprintf(u.domain.s, sizeof(u.domain.s), "single.se");
		g = gec("");
		ok_call(store_user_add(st, &u, v[i].passwd_hash, &g, NULL, E), "single");
	}
	vpasswd_of("bulk.se", &x);
	vpasswd_of("single.se", &y);
	same_text(&x, &y, "vpasswd of bulk.se and single.se");
	snprintf(p, sizeof(p), "%s/bulk.se/.dir-control", doms);
	snprintf(q, sizeof(q), "%s/single.se/.dir-control", doms);
	tree_same_file(p, q);
	snprintf(p, sizeof(p), "%s/bulk.se/vpasswd.cdb", doms);
	snprintf(q, sizeof(q), "%s/bulk.se/vpasswd", doms);
	cdb_records(p, &x);
	records_of_vpasswd(q, &y);
	same_text(&x, &y, "records of bulk.se/vpasswd.cdb");
	/* Mailboxes 100..199 went to the hash directory 0, 200..299 to 1. */
	ok_call(store_user_get(st, &last, &ui, E), "get");
	ck_assert_msg(strstr(ui.dir, "/bulk.se/1/u"), "%s", ui.dir);
	ck_assert(snprintf(p, sizeof(p), "%s/Maildir/maildirsize", ui.dir) < (int)sizeof(p));
	ck_assert_int_eq(tree_slurp(p, &x), 0);
	ck_assert_str_eq(buf_cstr(&x), "1048576S\n0 0\n");
	buf_free(&x);
	buf_free(&y);
	free(v);
}
END_TEST

/* ================================================================ reading */

struct seen {
	char names[64][160];
	size_t n;
	struct user_info last;
};

static int seen_user(void *ctx, const struct user_info *u)
{
	struct seen *s = ctx;

	if (s->n < 64)
		snprintf(s->names[s->n++], sizeof(s->names[0]), "%s", u->local);
	s->last = *u;
	return 0;
}

static int seen_domain(void *ctx, const struct domain_info *d)
{
	struct seen *s = ctx;

	if (s->n < 64)
		snprintf(s->names[s->n++], sizeof(s->names[0]), "%s:%lu:%zu", d->name, d->users,
		         d->naliases);
	return 0;
}

START_TEST(reading_users)
{
	struct v_domain d = dom("emak.se"), a = dom("emak.com");
	struct v_user k1 = usr("klient1@emak.se"), k2 = usr("klient2@emak.com");
	struct v_user pm = usr("postmaster@emak.se");
	struct list_query q = { .with_usage = 1 };
	struct user_change c;
	struct v_gecos g;
	struct user_info ui;
	struct seen s;
	size_t total = 0;

	emak_with_users();
	put_rel("home/vpopmail/domains/emak.se/klient2/Maildir/new/1.2.host,S=1234", "x");
	put_rel("home/vpopmail/domains/emak.se/klient1/Maildir/new/1.2.host,S=1234", "x");
	ok_call(store_user_get(st, &k1, &ui, E), "get");
	ck_assert_uint_eq(ui.used_bytes, 1234);    /* no maildirsize: counted */
	ck_assert_uint_eq(ui.used_count, 1);
	/* For a session's role: the same account, its Maildir not read. */
	ok_call(store_user_get_account(st, &k1, &ui, E), "get without usage");
	ck_assert_str_eq(ui.local, "klient1");
	ck_assert_uint_eq(ui.used_bytes, 0);
	ck_assert_uint_eq(ui.used_count, 0);
	ok_call(store_user_get_account(st, &pm, &ui, E), "postmaster without usage");
	ck_assert_int_eq(ui.is_admin, 1);
	put_rel("home/vpopmail/domains/emak.se/.qmailadmin-limits", "disable_imap\n");
	ok_call(store_user_get(st, &k2, &ui, E), "get via the alias");
	ck_assert_str_eq(ui.domain, "emak.se");
	ck_assert_str_eq(ui.quota, "52428800S");
	ck_assert_uint_eq(ui.quota_bytes, 52428800);
	ck_assert_uint_eq(ui.flags, 0);
	ck_assert_uint_eq(ui.eff_flags, NO_IMAP);
	ck_assert_int_eq(ui.is_admin, 0);
	ck_assert_uint_eq(ui.used_bytes, 0);   /* maildirsize says so (recount later) */
	ck_assert(passwd_verify("Klient2pw", ui.passwd));
	ok_call(store_user_get(st, &pm, &ui, E), "postmaster");
	ck_assert_int_eq(ui.is_admin, 1);
	ck_assert_str_eq(ui.gecos, "Postmaster");

	memset(&s, 0, sizeof(s));
	ok_call(store_user_list(st, &d, &q, seen_user, &s, &total, E), "list");
	ck_assert_uint_eq(total, 3);
	ck_assert_str_eq(s.names[0], "klient1");
	ck_assert_str_eq(s.names[2], "postmaster");
	memset(&s, 0, sizeof(s));
	q.search = "KLIENT";
	q.offset = 1;
	q.limit = 5;
	ok_call(store_user_list(st, &d, &q, seen_user, &s, &total, E), "search");
	ck_assert_uint_eq(total, 2);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.names[0], "klient2");
	memset(&s, 0, sizeof(s));
	q.search = "postm";          /* gecos "Postmaster" and name */
	q.offset = 0;
	ok_call(store_user_list(st, &a, &q, seen_user, &s, &total, E), "search via alias");
	ck_assert_uint_eq(total, 1);

	/* Sorted: by name backwards; by full name ("Zed", "klient2": vadduser's
	 * default is the name, "Postmaster"), either way, a page at a time. */
	memset(&c, 0, sizeof(c));
	g = gec("Zed");
	c.gecos = &g;
	user_set("klient1@emak.se", &c);
	memset(&s, 0, sizeof(s));
	memset(&q, 0, sizeof(q));
	q.descending = 1;
	q.limit = 2;
	ok_call(store_user_list(st, &d, &q, seen_user, &s, &total, E), "by -name");
	ck_assert_uint_eq(total, 3);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.names[0], "postmaster");
	ck_assert_str_eq(s.names[1], "klient2");
	memset(&s, 0, sizeof(s));
	q.by_gecos = 1;
	q.descending = 0;
	q.offset = 1;
	ok_call(store_user_list(st, &d, &q, seen_user, &s, &total, E), "by gecos");
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.names[0], "postmaster");
	ck_assert_str_eq(s.names[1], "klient1");
	ck_assert_str_eq(s.last.gecos, "Zed");
	memset(&s, 0, sizeof(s));
	q.descending = 1;
	q.offset = 0;
	q.search = "KLIENT";
	ok_call(store_user_list(st, &d, &q, seen_user, &s, &total, E), "by -gecos, searched");
	ck_assert_uint_eq(total, 2);
	ck_assert_str_eq(s.names[0], "klient1");
	ck_assert_str_eq(s.names[1], "klient2");
}
END_TEST

START_TEST(reading_domains)
{
	struct v_domain d = dom("emak.se"), a = dom("emak.com");
	struct list_query q = { .with_usage = 1 };
	struct domain_info di;
	struct seen s;
	size_t total = 0;

	emak_with_users();
	domain_add("other.org", "pw");
	ok_call(store_domain_get(st, &d, &di, E), "domain get");
	ck_assert_uint_eq(di.users, 3);
	ck_assert_uint_eq(di.naliases, 1);
	ok_call(store_domain_get(st, &a, &di, E), "alias get");
	ck_assert_int_eq(di.is_alias, 1);
	ck_assert_str_eq(di.real, "emak.se");
	memset(&s, 0, sizeof(s));
	memset(&q, 0, sizeof(q));
	ok_call(store_domain_list(st, &q, seen_domain, &s, &total, E), "domain list");
	ck_assert_uint_eq(total, 3);
	ck_assert_str_eq(s.names[0], "emak.com:3:0");
	ck_assert_str_eq(s.names[1], "emak.se:3:1");
	ck_assert_str_eq(s.names[2], "other.org:1:0");
	memset(&s, 0, sizeof(s));
	q.search = "EMAK";
	q.offset = 1;
	q.limit = 1;
	ok_call(store_domain_list(st, &q, seen_domain, &s, &total, E), "domain search");
	ck_assert_uint_eq(total, 2);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.names[0], "emak.se:3:1");
}
END_TEST

/* vpasswd as other hands may leave it: a line without ':', one longer than
 * any read buffer, no final newline. The page counts what the search
 * counts, and lists in file order. */
START_TEST(listing_pages_through_odd_vpasswd)
{
	struct v_domain d = dom("emak.se");
	struct list_query q = { .search = NULL };
	struct buf text = BUF_INIT;
	struct seen s;
	size_t total = 0, i;
	char vp[512];

	emak_with_users();
	snprintf(vp, sizeof(vp), "%s/emak.se/vpasswd", doms);
	ck_assert_int_eq(tree_slurp(vp, &text), 0);
	buf_adds(&text, "no colon here\nhuge:");
	for (i = 0; i < 300000; i++)
		buf_addc(&text, 'x');
	buf_adds(&text, "\nzzz:$6$x$y:1:0:Zed:/nowhere/zzz:NOQUOTA");
	tree_put(vp, text.p, text.len);
	memset(&s, 0, sizeof(s));
	ok_call(store_user_list(st, &d, &q, seen_user, &s, &total, E), "list");
	ck_assert_uint_eq(total, 5);                /* 3 + huge + zzz */
	ck_assert_uint_eq(s.n, 4);                  /* huge is no mailbox */
	ck_assert_str_eq(s.names[3], "zzz");
	memset(&s, 0, sizeof(s));
	q.offset = 4;
	q.limit = 10;
	ok_call(store_user_list(st, &d, &q, seen_user, &s, &total, E), "page 2");
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.names[0], "zzz");
	memset(&s, 0, sizeof(s));
	q.offset = 0;
	q.search = "ZED";
	ok_call(store_user_list(st, &d, &q, seen_user, &s, &total, E), "search");
	ck_assert_uint_eq(total, 1);
	ck_assert_str_eq(s.names[0], "zzz");
	buf_free(&text);
}
END_TEST

START_TEST(quota_changes_follow_maildirsize)
{
	struct user_change c;
	char p[512];
	struct buf b = BUF_INIT;

	emak_with_users();
	put_rel("home/vpopmail/domains/emak.se/klient1/Maildir/cur/1.2.host,S=2000:2,S", "x");
	memset(&c, 0, sizeof(c));
	c.quota = "1MB";
	user_set("klient1@emak.se", &c);
	snprintf(p, sizeof(p), "%s/emak.se/klient1/Maildir/maildirsize", doms);
	ck_assert_int_eq(tree_slurp(p, &b), 0);
	ck_assert_str_eq(buf_cstr(&b), "1048576S\n2000 1\n");
	c.quota = "NOQUOTA";
	user_set("klient1@emak.se", &c);
	ck_assert(!exists_rel("home/vpopmail/domains/emak.se/klient1/Maildir/maildirsize"));
	c.quota = "0";
	user_set("klient2@emak.se", &c);
	ck_assert(!exists_rel("home/vpopmail/domains/emak.se/klient2/Maildir/maildirsize"));
	buf_free(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, history_matches_vpopmail);
	tcase_add_test(tc, refusals_change_nothing);
	tcase_add_test(tc, limits_aliases_and_catchall_are_honoured);
	tcase_add_test(tc, bulk_refusals_change_nothing);
	tcase_add_test(tc, leftovers_of_crashed_user_changes_are_repaired);
	tcase_add_test(tc, a_retry_repairs_a_stale_vpasswd_cdb);
	tcase_add_test(tc, leftovers_of_crashed_domain_changes_are_repaired);
	tcase_add_test(tc, the_hundredth_domain_is_hashed);
	tcase_add_test(tc, hostile_store_content_stays_contained);
	tcase_add_test(tc, bulk_add_places_users_like_single_adds);
	tcase_add_test(tc, reading_users);
	tcase_add_test(tc, reading_domains);
	tcase_add_test(tc, listing_pages_through_odd_vpasswd);
	tcase_add_test(tc, quota_changes_follow_maildirsize);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(suite)
