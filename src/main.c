/*
 * main.c - the kavel command: serve, demo, migrate, backup, audit verify.
 */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/app.h"
#include "core/error.h"
#include "store/store.h"
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
		mkdir(d, 0750);
}

static void progress(void *ctx, int64_t done, int64_t total)
{
	fprintf(stderr, "\r%s: %lld/%lld", (const char *)ctx, (long long)done,
		(long long)total);
	if (done >= total)
		fputc('\n', stderr);
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
		case 'p': cfg.pool_size = atoi(optarg); break;
		case 't': cfg.threads = atoi(optarg); break;
		case 'S': cfg.secure_cookies = true; break;
		case 'l': {
			snprintf(addr, sizeof addr, "%s", optarg);
			char *colon = strrchr(addr, ':');
			if (!colon || atoi(colon + 1) <= 0 || atoi(colon + 1) > 65535) {
				fprintf(stderr, "kavel: --listen wants ADDR:PORT, such as 127.0.0.1:8080\n");
				return 2;
			}
			*colon = 0;
			cfg.listen_addr = addr;
			cfg.port = atoi(colon + 1);
			break;
		}
		default: fputs(usage, stderr); return 2;
		}
	}
	struct kv_error e;
	struct store *s = store_sqlite_open(cfg.db_path, &e);  /* migrates */
	if (!s) {
		fprintf(stderr, "kavel: %s\n", e.msg);
		return 1;
	}
	store_close(s);
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
	arena *a = arena_new();
	struct app x = {.st = s, .a = a, .now = time(NULL), .actor = 0};
	enum kv_status rc = app_load_demo(&x, &e);
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
	server_json_allocator();
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
