/*
 * main.c - the kavel command: serve, demo, migrate, backup, audit verify.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/app.h"
#include "app/libmem.h"
#include "core/error.h"
#include "store/store.h"
#include "web/input.h"
#include "web/web.h"

static const char *usage =
	"usage: kavel COMMAND [options]\n"
	"\n"
	"  serve  [--db PATH] [--listen ADDR:PORT] [--static DIR] [--pool N] [--threads N (default: cores)]\n"
	"         [--secure-cookies]\n"
	"         serve the web pages and the JSON API (default 127.0.0.1:8080)\n"
	"  demo   [--db PATH] [--reset]   create the demo database (Dordrecht and Haarlem)\n"
	"  migrate [--db PATH]            apply pending schema migrations\n"
	"  backup [--db PATH] DEST        online backup into a new file DEST\n"
	"  audit verify [--db PATH]       recompute the audit hash chain\n"
	"\n"
	"The database defaults to $KAVEL_DB, else var/kavel.db.\n";

static void bind_translations(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n > 0) {
		buf[n] = 0;
		char dir[PATH_MAX + 16];
		snprintf(dir, sizeof dir, "%s/po", dirname(buf));
		struct stat st;
		bindtextdomain("kavel", stat(dir, &st) == 0 ? dir : LOCALEDIR);
	} else {
		bindtextdomain("kavel", LOCALEDIR);
	}
	bind_textdomain_codeset("kavel", "UTF-8");
	textdomain("kavel");
}

/* Why the file at PATH is no message catalog gettext can read, or NULL:
 * it must be there and have a .mo header whose tables lie inside the file
 * (glibc trusts those offsets and faults on a truncated catalog). */
static const char *mo_problem(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return strerror(errno);
	uint32_t h[7];   /* magic, revision, n, originals, translations, hash size, hash */
	size_t got = fread(h, 1, sizeof h, f);
	long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	fclose(f);
	if (got != sizeof h)
		return "too short for a compiled message catalog (.mo)";
	if (h[0] == 0xde120495u)   /* written on the other byte order */
		for (int i = 0; i < 7; i++)
			h[i] = __builtin_bswap32(h[i]);
	if (h[0] != 0x950412deu)
		return "not a compiled message catalog (.mo)";
	uint64_t n = h[2];
	if ((uint64_t)h[3] + 8 * n > (uint64_t)size ||
	    (uint64_t)h[4] + 8 * n > (uint64_t)size ||
	    (uint64_t)h[6] + 4 * (uint64_t)h[5] > (uint64_t)size)
		return "truncated (its tables run past the end of the file)";
	return NULL;
}

/* The pages are Dutch unless a user asks for English (the msgids), so Dutch
 * needs two things: the nl_NL.UTF-8 locale (the server's request threads
 * use it, src/web/server.c) and the catalog <dir>/nl/LC_MESSAGES/kavel.mo,
 * <dir> being where bind_translations() pointed bindtextdomain.  `kavel
 * serve` checks both at start by reading them, and says in one line on
 * stderr what is missing: without it every page is English while it says
 * lang="nl". */
static void check_translations(void)
{
	const char *dir = bindtextdomain("kavel", NULL);
	char mo[PATH_MAX + 64];
	snprintf(mo, sizeof mo, "%s/nl/LC_MESSAGES/kavel.mo", dir ? dir : "?");
	locale_t nl = newlocale(LC_ALL_MASK, "nl_NL.UTF-8", (locale_t)0);
	if (!nl)
		nl = newlocale(LC_ALL_MASK, "nl_NL.utf8", (locale_t)0);
	if (!nl) {
		const char *lp = getenv("LOCPATH");
		fprintf(stderr, "kavel: no Dutch (nl) translation, every page will be "
			"English: the locale nl_NL.UTF-8 is not in %s (see `locale -a`; "
			"scripts/deps.sh generates it)\n",
			lp && *lp ? lp : "/usr/lib/locale");
		return;
	}
	const char *why = mo_problem(mo);
	/* And what gettext makes of it: a loaded catalog answers "" with its
	 * header. */
	if (!why) {
		locale_t old = uselocale(nl);
		const char *header = dgettext("kavel", "");
		uselocale(old);
		if (!header || !*header)
			why = "gettext does not load it";
	}
	freelocale(nl);
	if (!why)
		return;
	/* Bound to a build tree's po/: say how to build the catalog there. */
	char build[PATH_MAX + 64];
	size_t len = dir ? strlen(dir) : 0;
	struct stat st;
	if (len > 3 && strcmp(dir + len - 3, "/po") == 0 &&
	    snprintf(build, sizeof build, "%.*s/build.ninja", (int)(len - 3), dir) > 0 &&
	    stat(build, &st) == 0)
		fprintf(stderr, "kavel: no Dutch (nl) translation, every page will be "
			"English: %s: %s (build it: ninja -C %.*s po/nl/LC_MESSAGES/kavel.mo)\n",
			mo, why, (int)(len - 3), dir);
	else
		fprintf(stderr, "kavel: no Dutch (nl) translation, every page will be "
			"English: %s: %s (meson builds it as po/nl/LC_MESSAGES/kavel.mo)\n",
			mo, why);
}

static const char *default_db(void)
{
	const char *e = getenv("KAVEL_DB");
	return e && *e ? e : "var/kavel.db";
}

static void ensure_parent_dir(const char *path)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", path);
	char *d = dirname(tmp);
	if (strcmp(d, ".") != 0)
		mkdir(d, 0700);
}

/* One line on stderr for each of the database's files (the database, its
 * WAL and SHM) that others than its owner may read, and for its
 * directory and the vault directory beside it when others may enter
 * them: after an opening the database holds the vault's secret key, and
 * always the password hashes.  Files Kavel makes are 0600 and 0700 by
 * the umask main() sets; this catches those made before, or by hand. */
static void warn_wide_modes(const char *db)
{
	char dir[PATH_MAX], paths[5][PATH_MAX + 8];
	snprintf(dir, sizeof dir, "%s", db);
	const char *d = dirname(dir);
	int n = 0;
	n += snprintf(paths[0], sizeof paths[0], "%s", db) >= (int)sizeof paths[0];
	n += snprintf(paths[1], sizeof paths[1], "%s-wal", db) >= (int)sizeof paths[1];
	n += snprintf(paths[2], sizeof paths[2], "%s-shm", db) >= (int)sizeof paths[2];
	n += snprintf(paths[3], sizeof paths[3], "%s", d) >= (int)sizeof paths[3];
	n += snprintf(paths[4], sizeof paths[4], "%s/vault", d) >= (int)sizeof paths[4];
	if (n)
		return;                 /* a path too long to open anyway */
	for (int i = 0; i < 5; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0 || (st.st_mode & 077) == 0)
			continue;
		bool is_dir = S_ISDIR(st.st_mode);
		fprintf(stderr, "kavel: warning: %s is open to others (mode %04o): it %s; "
			"chmod %s %s\n", paths[i], (unsigned)(st.st_mode & 07777),
			is_dir ? "holds the database or the sealed bids"
			       : "holds password hashes and, after an opening, the vault's secret key",
			is_dir ? "700" : "600", paths[i]);
	}
}

static void progress(void *ctx, int64_t done, int64_t total)
{
	fprintf(stderr, "\r%s: %lld/%lld", (const char *)ctx, (long long)done,
		(long long)total);
	if (done >= total)
		fputc('\n', stderr);
}

/* A whole number from lo to hi for a command-line option, or a line on
 * stderr naming the option and false. */
static bool cli_int(const char *s, long long lo, long long hi, const char *option,
		    int *out)
{
	long long v;
	struct kv_error e;
	if (in_int(s, lo, hi, &v, option, &e) != KV_OK) {
		fprintf(stderr, "kavel: %s: %s\n", option, e.msg);
		return false;
	}
	*out = (int)v;
	return true;
}

static int cmd_serve(int argc, char **argv)
{
	struct server_config cfg = {.db_path = default_db(),
				    .listen_addr = "127.0.0.1", .port = 8080,
				    .pool_size = 8,
				    /* one event loop per core */
				    .threads = (int)sysconf(_SC_NPROCESSORS_ONLN)};
	static char addr[64];
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'},
		{"listen", required_argument, 0, 'l'},
		{"static", required_argument, 0, 's'},
		{"pool", required_argument, 0, 'p'},
		{"threads", required_argument, 0, 't'},
		{"secure-cookies", no_argument, 0, 'S'},
		{0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': cfg.db_path = optarg; break;
		case 's': cfg.static_dir = optarg; break;
		case 'p':
			if (!cli_int(optarg, 1, 256, "--pool", &cfg.pool_size))
				return 2;
			break;
		case 't':
			if (!cli_int(optarg, 0, 1024, "--threads", &cfg.threads))
				return 2;
			break;
		case 'S': cfg.secure_cookies = true; break;
		case 'l': {
			snprintf(addr, sizeof addr, "%s", optarg);
			char *colon = strrchr(addr, ':');
			if (!colon || !cli_int(colon + 1, 1, 65535, "--listen's port", &cfg.port)) {
				fprintf(stderr, "kavel: --listen wants ADDR:PORT, such as 127.0.0.1:8080\n");
				return 2;
			}
			*colon = 0;
			cfg.listen_addr = addr;
			break;
		}
		default: fputs(usage, stderr); return 2;
		}
	}
	check_translations();
	struct kv_error e;
	struct store *s = store_sqlite_open(cfg.db_path, &e);  /* migrates */
	if (!s) {
		fprintf(stderr, "kavel: %s\n", e.msg);
		return 1;
	}
	store_close(s);
	warn_wide_modes(cfg.db_path);
	return server_run(&cfg);
}

static int cmd_db_only(int argc, char **argv, const char **db, int *reset)
{
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'},
		{"reset", no_argument, 0, 'r'},
		{0, 0, 0, 0}};
	int c;
	*db = default_db();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			*db = optarg;
		else if (c == 'r' && reset)
			*reset = 1;
		else {
			fputs(usage, stderr);
			return 2;
		}
	}
	return 0;
}

static int cmd_demo(int argc, char **argv)
{
	const char *db;
	int reset = 0;
	if (cmd_db_only(argc, argv, &db, &reset))
		return 2;
	ensure_parent_dir(db);
	if (reset) {
		char p[PATH_MAX];
		unlink(db);
		snprintf(p, sizeof p, "%s-wal", db);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", db);
		unlink(p);
	} else if (access(db, F_OK) == 0) {
		fprintf(stderr, "kavel: %s exists; use --reset to replace it with the demo\n", db);
		return 1;
	}
	struct kv_error e = {0};
	struct store *s = store_sqlite_open(db, &e);
	if (!s) {
		fprintf(stderr, "kavel: %s\n", e.msg);
		return 1;
	}
	/* The demo's sealed bids live beside the database, where the server
	 * looks for them. */
	char p_db[PATH_MAX], vault_dir[PATH_MAX];
	snprintf(p_db, sizeof p_db, "%s", db);
	snprintf(vault_dir, sizeof vault_dir, "%s/vault", dirname(p_db));
	if (mkdir(vault_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "kavel: cannot create %s: %s\n", vault_dir,
			strerror(errno));
		store_close(s);
		return 1;
	}
	arena *a = arena_new();
	struct app x = {.st = s, .a = a, .now = time(NULL), .actor = 0};
	enum kv_status rc = app_load_demo(&x, vault_dir, &e);
	arena_free(a);
	store_close(s);
	if (rc != KV_OK) {
		fprintf(stderr, "kavel: demo: %s%s%s\n", e.field, *e.field ? ": " : "", e.msg);
		return 1;
	}
	printf("Demo database ready: %s\n", db);
	return 0;
}

static int cmd_migrate(int argc, char **argv)
{
	const char *db;
	if (cmd_db_only(argc, argv, &db, NULL))
		return 2;
	ensure_parent_dir(db);
	struct kv_error e;
	struct store *s = store_sqlite_open(db, &e);
	if (!s) {
		fprintf(stderr, "kavel: %s\n", e.msg);
		return 1;
	}
	printf("%s: schema version %d\n", db, s->ops->schema_version(s));
	store_close(s);
	warn_wide_modes(db);
	return 0;
}

static int cmd_backup(int argc, char **argv)
{
	const char *db;
	if (cmd_db_only(argc, argv, &db, NULL))
		return 2;
	if (optind >= argc) {
		fputs("kavel: backup needs a destination file\n", stderr);
		return 2;
	}
	struct kv_error e;
	struct store *s = store_sqlite_open(db, &e);
	if (!s) {
		fprintf(stderr, "kavel: %s\n", e.msg);
		return 1;
	}
	enum kv_status rc = STORE(s, backup, argv[optind], progress, "backup", &e);
	store_close(s);
	if (rc != KV_OK) {
		fprintf(stderr, "kavel: backup: %s\n", e.msg);
		return 1;
	}
	printf("Backup written to %s\n", argv[optind]);
	return 0;
}

static int cmd_audit(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	const char *db;
	if (cmd_db_only(argc - 1, argv + 1, &db, NULL))
		return 2;
	struct kv_error e;
	struct store *s = store_sqlite_open(db, &e);
	if (!s) {
		fprintf(stderr, "kavel: %s\n", e.msg);
		return 1;
	}
	struct audit_verify_result res = {0};
	enum kv_status rc = STORE(s, audit_verify, progress, "audit events", &res, &e);
	store_close(s);
	if (rc != KV_OK) {
		fprintf(stderr, "kavel: audit verify: %s\n", e.msg);
		return 1;
	}
	if (res.first_bad) {
		printf("BROKEN at event %lld: %s (%lld events read)\n",
		       (long long)res.first_bad, res.reason, (long long)res.checked);
		return 3;
	}
	printf("OK: %lld events, chain intact\n", (long long)res.checked);
	return 0;
}

int main(int argc, char **argv)
{
	/* Every file and directory Kavel makes (database, WAL, backups, the
	 * vault's sealed files) is its owner's alone: 0600 and 0700. */
	umask(077);
	libmem_install();   /* before any JSON value exists */
	setlocale(LC_ALL, "");
	unsetenv("LANGUAGE");
	bind_translations();
	struct kv_error e;
	if (sodium_init() < 0) {
		fputs("kavel: libsodium failed to initialise\n", stderr);
		return 1;
	}
	if (cal_init(&e) != 0) {
		fprintf(stderr, "kavel: %s\n", e.msg);
		return 1;
	}
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	argc--, argv++;
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc, argv);
	if (strcmp(cmd, "demo") == 0)
		return cmd_demo(argc, argv);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(argc, argv);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc, argv);
	if (strcmp(cmd, "audit") == 0)
		return cmd_audit(argc, argv);
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	fprintf(stderr, "kavel: unknown command '%s'\n%s", cmd, usage);
	return 2;
}
