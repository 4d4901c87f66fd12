/*
 * main.c - the kavel command: serve, demo, migrate, backup, audit verify and anchor.
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
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/app.h"
#include "app/libmem.h"
#include "core/error.h"
#include "store/anchor.h"
#include "store/store.h"
#include "vault/space.h"
#include "web/input.h"
#include "web/web.h"

static const char *usage =
	"usage: kavel COMMAND [options]\n"
	"\n"
	"  serve  [--db PATH] [--listen ADDR:PORT] [--static DIR] [--pool N] [--threads N (default: cores)]\n"
	"         [--max-connections N (512)] [--max-per-address N (32)] [--header-deadline SECONDS (10)]\n"
	"         [--hash-workers N (half the cores, at least 1)] [--trusted-proxy ADDR[,ADDR...]]\n"
	"         [--min-free-mb N (512)] [--reserve-mb N (64)]\n"
	"         [--smtp-url smtp://HOST:PORT --smtp-from ADDRESS --base-url URL [--smtp-user NAME]]\n"
	"         (the SMTP password, if any, in $KAVEL_SMTP_PASSWORD)\n"
	"         [--secure-cookies]\n"
	"         serve the web pages and the JSON API (default 127.0.0.1:8080)\n"
	"  demo   [--db PATH] [--reset]   create the demo database (Dordrecht and Haarlem)\n"
	"  migrate [--db PATH]            apply pending schema migrations\n"
	"  backup [--db PATH] DEST        online backup into a new file DEST\n"
	"  audit verify [--db PATH] [--anchor FILE [--public-key HEX]]\n"
	"                                 recompute the audit hash chain; with --anchor\n"
	"                                 also hold it to the signed checkpoints in FILE\n"
	"  audit anchor [--db PATH] --key KEYFILE --anchor FILE\n"
	"                                 sign the chain's head with the Ed25519 key in\n"
	"                                 KEYFILE (made if missing, 0600) and append it to FILE\n"
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
				    .max_connections = 512, .max_per_address = 32,
				    .header_deadline = 10,
				    .min_free_mb = (int)(SPACE_FLOOR_DEFAULT >> 20),
				    .reserve_mb = (int)(SPACE_RESERVE_DEFAULT >> 20),
				    .hash_workers = (int)sysconf(_SC_NPROCESSORS_ONLN) / 2,
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
		{"max-connections", required_argument, 0, 'm'},
		{"max-per-address", required_argument, 0, 'a'},
		{"header-deadline", required_argument, 0, 'h'},
		{"hash-workers", required_argument, 0, 'H'},
		{"min-free-mb", required_argument, 0, 'f'},
		{"reserve-mb", required_argument, 0, 'r'},
		{"trusted-proxy", required_argument, 0, 'P'},
		{"smtp-url", required_argument, 0, 'M'},
		{"smtp-from", required_argument, 0, 'F'},
		{"smtp-user", required_argument, 0, 'U'},
		{"base-url", required_argument, 0, 'B'},
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
		case 'm':
			if (!cli_int(optarg, 4, 100000, "--max-connections", &cfg.max_connections))
				return 2;
			break;
		case 'a':
			if (!cli_int(optarg, 1, 100000, "--max-per-address", &cfg.max_per_address))
				return 2;
			break;
		case 'h':
			if (!cli_int(optarg, 1, 3600, "--header-deadline", &cfg.header_deadline))
				return 2;
			break;
		case 'H':
			if (!cli_int(optarg, 1, 16, "--hash-workers", &cfg.hash_workers))
				return 2;
			break;
		case 'f':
			if (!cli_int(optarg, 0, 1 << 20, "--min-free-mb", &cfg.min_free_mb))
				return 2;
			break;
		case 'r':
			if (!cli_int(optarg, 0, 1 << 16, "--reserve-mb", &cfg.reserve_mb))
				return 2;
			break;
		case 'P':
			if (!server_trusted_proxies_ok(optarg)) {
				fprintf(stderr, "kavel: --trusted-proxy wants IP addresses "
					"separated by commas, such as 127.0.0.1,::1; "
					"'%s' is not\n", optarg);
				return 2;
			}
			cfg.trusted_proxies = optarg;
			break;
		case 'M': cfg.smtp_url = optarg; break;
		case 'F': cfg.smtp_from = optarg; break;
		case 'U': cfg.smtp_user = optarg; break;
		case 'B': {
			size_t n = strlen(optarg);
			while (n > 0 && optarg[n - 1] == '/')
				optarg[--n] = 0;   /* links add their own / */
			cfg.base_url = optarg;
			break;
		}
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
	if (cfg.smtp_url && (!cfg.smtp_from || !cfg.base_url ||
			     (strncmp(cfg.smtp_url, "smtp://", 7) != 0 &&
			      strncmp(cfg.smtp_url, "smtps://", 8) != 0) ||
			     (strncmp(cfg.base_url, "http://", 7) != 0 &&
			      strncmp(cfg.base_url, "https://", 8) != 0))) {
		fprintf(stderr, "kavel: --smtp-url smtp://HOST:PORT (or smtps://) needs "
			"--smtp-from ADDRESS and --base-url https://HOST for the links "
			"it mails\n");
		return 2;
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

/* The options of `kavel audit verify|anchor`. */
struct audit_opts {
	const char *db, *anchor, *key, *public_key;
};

static int audit_opts_read(int argc, char **argv, struct audit_opts *o)
{
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'},
		{"anchor", required_argument, 0, 'a'},
		{"key", required_argument, 0, 'k'},
		{"public-key", required_argument, 0, 'p'},
		{0, 0, 0, 0}};
	int c;
	o->db = default_db();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'a': o->anchor = optarg; break;
		case 'k': o->key = optarg; break;
		case 'p': o->public_key = optarg; break;
		default: fputs(usage, stderr); return 2;
		}
	}
	return 0;
}

static void utc_text(kv_instant t, char out[24])
{
	struct tm tm;
	time_t tt = (time_t)t;
	gmtime_r(&tt, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Verifies the chain of s, held to the checkpoints of o->anchor if given.
 * 0 intact, 3 broken, 1 could not read; says so on stdout/stderr.  *res
 * keeps the head for `audit anchor`. */
static int audit_check_chain(struct store *s, const struct audit_opts *o, arena *a,
			     bool quiet, struct audit_verify_result *res,
			     struct audit_checkpoint **cps_out, int *ncp_out)
{
	struct audit_checkpoint *cps = NULL;
	int ncp = 0;
	char err[700];
	memset(res, 0, sizeof *res);
	*cps_out = NULL;
	*ncp_out = 0;
	if (o->anchor) {
		if (anchor_read(o->anchor, a, &cps, &ncp, err, sizeof err) != 0) {
			fprintf(stderr, "kavel: %s\n", err);
			return 3;
		}
		*cps_out = cps;
		*ncp_out = ncp;
		if (o->public_key && ncp) {
			char pk[2 * AUDIT_ANCHOR_PK_LEN + 1];
			sodium_bin2hex(pk, sizeof pk, cps[0].pk, AUDIT_ANCHOR_PK_LEN);
			if (strcasecmp(pk, o->public_key) != 0) {
				printf("BROKEN: the checkpoints in %s are signed by key %s, not by the published key %s\n",
				       o->anchor, pk, o->public_key);
				return 3;
			}
		}
	}
	struct kv_error e;
	enum kv_status rc = STORE(s, audit_verify, cps, ncp, quiet ? NULL : progress, "audit events",
				  res, &e);
	if (rc != KV_OK) {
		fprintf(stderr, "kavel: audit verify: %s\n", e.msg);
		return 1;
	}
	if (res->first_bad) {
		printf("BROKEN at event %lld: %s (%lld events read)\n",
		       (long long)res->first_bad, res->reason, (long long)res->checked);
		if (res->anchor_bad >= 0) {
			char at[24];
			utc_text(cps[res->anchor_bad].at, at);
			printf("  the checkpoint of %s, line %d, signed %s, vouches for event %lld\n",
			       o->anchor, res->anchor_bad + 1, at,
			       (long long)cps[res->anchor_bad].seq);
		}
		return 3;
	}
	if (quiet)
		return 0;
	if (o->anchor && ncp) {
		char pk[2 * AUDIT_ANCHOR_PK_LEN + 1], at[24];
		sodium_bin2hex(pk, sizeof pk, cps[0].pk, AUDIT_ANCHOR_PK_LEN);
		utc_text(cps[ncp - 1].at, at);
		printf("OK: %lld events, chain intact, and it holds all %d signed checkpoints of %s "
		       "(the last: event %lld, signed %s, key %s)\n",
		       (long long)res->checked, ncp, o->anchor, (long long)cps[ncp - 1].seq, at, pk);
	} else if (o->anchor) {
		printf("OK: %lld events, chain intact (%s holds no checkpoint yet)\n",
		       (long long)res->checked, o->anchor);
	} else {
		printf("OK: %lld events, chain intact\n", (long long)res->checked);
	}
	return 0;
}

/* kavel audit anchor: sign the head of an intact chain (one that still
 * holds every earlier checkpoint) and append it to the checkpoint file. */
static int audit_anchor(struct store *s, const struct audit_opts *o, arena *a)
{
	if (!o->key || !o->anchor) {
		fputs("kavel: audit anchor needs --key KEYFILE and --anchor FILE\n", stderr);
		return 2;
	}
	unsigned char sk[AUDIT_ANCHOR_SK_LEN];
	bool created = false;
	char err[700];
	if (anchor_key_load(o->key, true, sk, &created, err, sizeof err) != 0) {
		fprintf(stderr, "kavel: %s\n", err);
		return 1;
	}
	struct audit_verify_result res;
	struct audit_checkpoint *cps = NULL;
	int ncp = 0;
	int rc = audit_check_chain(s, o, a, true, &res, &cps, &ncp);
	if (rc != 0) {
		sodium_memzero(sk, sizeof sk);
		fprintf(stderr, "kavel: no checkpoint was written: the chain is not intact\n");
		return rc;
	}
	struct audit_checkpoint cp = {.seq = res.head_seq, .at = (kv_instant)time(NULL)};
	memcpy(cp.hash, res.head_hash, AUDIT_HASH_LEN);
	if (ncp) {
		unsigned char pk[AUDIT_ANCHOR_PK_LEN];
		crypto_sign_ed25519_sk_to_pk(pk, sk);
		if (memcmp(pk, cps[0].pk, sizeof pk) != 0) {
			sodium_memzero(sk, sizeof sk);
			fprintf(stderr, "kavel: %s holds checkpoints of another key than %s; "
				"start a new checkpoint file for a new key\n", o->anchor, o->key);
			return 1;
		}
	}
	char line[AUDIT_ANCHOR_LINE_MAX];
	int signed_ok = audit_checkpoint_sign(&cp, sk, line, sizeof line);
	sodium_memzero(sk, sizeof sk);
	if (signed_ok != 0 || anchor_append(o->anchor, line, err, sizeof err) != 0) {
		fprintf(stderr, "kavel: %s\n", signed_ok != 0 ? "cannot sign the checkpoint" : err);
		return 1;
	}
	char pk[2 * AUDIT_ANCHOR_PK_LEN + 1], hash[2 * AUDIT_HASH_LEN + 1], at[24];
	sodium_bin2hex(pk, sizeof pk, cp.pk, AUDIT_ANCHOR_PK_LEN);
	audit_hex(cp.hash, hash);
	utc_text(cp.at, at);
	if (created)
		fprintf(stderr, "kavel: a new anchor key was made in %s; keep it where the "
			"database's owner cannot write, and publish its public key %s\n", o->key, pk);
	printf("Checkpoint appended to %s: event %lld, hash %s, signed %s by key %s\n"
	       "Publish this line (the council report and opening records carry it too):\n%s",
	       o->anchor, (long long)cp.seq, hash, at, pk, line);
	return 0;
}

static int cmd_audit(int argc, char **argv)
{
	bool verify = argc >= 2 && strcmp(argv[1], "verify") == 0;
	bool anchor = argc >= 2 && strcmp(argv[1], "anchor") == 0;
	if (!verify && !anchor) {
		fputs(usage, stderr);
		return 2;
	}
	struct audit_opts o = {0};
	if (audit_opts_read(argc - 1, argv + 1, &o))
		return 2;
	struct kv_error e;
	struct store *s = store_sqlite_open(o.db, &e);
	if (!s) {
		fprintf(stderr, "kavel: %s\n", e.msg);
		return 1;
	}
	arena *a = arena_new();
	struct audit_verify_result res;
	struct audit_checkpoint *cps;
	int ncp;
	int rc = verify ? audit_check_chain(s, &o, a, false, &res, &cps, &ncp)
			: audit_anchor(s, &o, a);
	arena_free(a);
	store_close(s);
	return rc;
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
