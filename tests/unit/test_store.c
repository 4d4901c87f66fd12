/*
 * test_store.c - the SQLite driver of store.h against real database files
 * in a temporary directory: migrations (new file, upgrade of a v1 and of a
 * v2 database with data, refusal of a newer or foreign one), every kind of
 * record (the steering records of v3 too), access to procedures through
 * grants, the audit chain with tampering,
 * online backup while another connection writes, and the pool from four
 * threads.  Uses only the store and core/audit.c (no other core logic).
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/migrations.h"
#include "store/store.h"
#include "tap.h"

/* tap.h's CHECK evaluates its condition twice (once to count, once to
 * print it); these conditions call the store, so evaluate once. */
#define T(cond, ...)                                                         \
	do {                                                                 \
		int t_ = !!(cond);                                           \
		CHECK(t_, __VA_ARGS__);                                      \
		if (!t_)                                                     \
			printf("#   %s\n", #cond);                           \
	} while (0)

/* A reader for document_put_stream over made-up bytes: n in all, or
 * stop (when set) before the end. */
struct mem_reader {
	size_t n, off, stop;
};

static long mem_read(void *ctx, void *b, size_t n)
{
	struct mem_reader *m = ctx;
	size_t end = m->stop ? m->stop : m->n;
	size_t k = end - m->off < n ? end - m->off : n;
	for (size_t i = 0; i < k; i++)
		((unsigned char *)b)[i] = (unsigned char)((m->off + i) * 7 + (m->off + i) / 4096);
	m->off += k;
	return (long)k;
}

static char dir[64];

static const char *path_of(const char *name)
{
	static char buf[8][128];
	static int next;
	char *p = buf[next++ % 8];
	snprintf(p, sizeof buf[0], "%s/%s", dir, name);
	return p;
}

static void remove_db(const char *name)
{
	char p[200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	unlink(p);
	snprintf(p, sizeof p, "%s/%s-wal", dir, name);
	unlink(p);
	snprintf(p, sizeof p, "%s/%s-shm", dir, name);
	unlink(p);
}

static struct store *open_db(const char *name)
{
	struct kv_error e = {0};
	struct store *s = store_sqlite_open(path_of(name), &e);
	if (!s)
		printf("# open %s: %s\n", name, e.msg);
	return s;
}

/* A raw connection, for what the store will not do (tampering). */
static sqlite3 *raw_open(const char *name)
{
	sqlite3 *db = NULL;
	if (sqlite3_open(path_of(name), &db) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static int raw_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		printf("# raw: %s\n", err ? err : "?");
	sqlite3_free(err);
	return rc;
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void hash_of(int n, unsigned char h[32])
{
	memset(h, 0, 32);
	h[0] = (unsigned char)n;
	h[31] = 0xA5;
}

/* --- fixtures ------------------------------------------------------------ */

struct world {
	struct org a, b, s1, s2;         /* municipalities A, B; suppliers */
	struct account buyer_a, bidder, nobody, council_b;
	struct procedure pa1, pa2, pb1;
	struct candidate cand;           /* in pa2 */
};

static void make_org(struct store *s, struct org *o, const char *name,
		     const char *kvk, enum org_kind k)
{
	struct kv_error e = {0};
	memset(o, 0, sizeof *o);
	o->name = (char *)name;
	o->kvk = (char *)kvk;
	o->kind = k;
	enum kv_status r = STORE(s, org_create, o, &e);
	if (r != KV_OK)
		printf("# org_create %s: %s\n", name, e.msg);
}

static void make_account(struct store *s, struct account *acc,
			 int64_t org_id, const char *email)
{
	struct kv_error e = {0};
	memset(acc, 0, sizeof *acc);
	acc->org_id = org_id;
	acc->email = (char *)email;
	acc->name = (char *)email;
	acc->pwhash = "$argon2id$v=19$m=65536,t=2,p=1$SECRETSALT$SECRETHASH";
	if (STORE(s, account_create, acc, &e) != KV_OK)
		printf("# account_create %s: %s\n", email, e.msg);
}

/* A procedure with two lots (given in the order 2, 1) and five stages
 * (given out of order) in the arena. */
static void fill_procedure(arena *a, struct procedure *p, int64_t tenant,
			   const char *ref)
{
	memset(p, 0, sizeof *p);
	p->tenant_id = tenant;
	p->reference = arena_strdup(a, ref);
	p->title = arena_strdup(a, "Schoonmaak gemeentehuis");
	p->type = PT_SAS_DIALOGUE;
	snprintf(p->cpv, sizeof p->cpv, "90910000-9");
	p->value_cents = 123456789;
	p->dialogue_rounds = 2;
	p->standstill_days = 20;
	p->n_lots = 2;
	p->lots = arena_alloc(a, 2 * sizeof *p->lots);
	p->lots[0] = (struct lot){.number = 2, .title = "Kantoren",
				  .goals = "Schoon en groen",
				  .value_cents = 5000, .fixed_budget = true};
	p->lots[1] = (struct lot){.number = 1, .title = "Scholen",
				  .value_cents = 7000};
	p->n_stages = 5;
	p->stages = arena_alloc(a, 5 * sizeof *p->stages);
	enum stage_kind kinds[5] = {SK_REGISTRATION, SK_DIALOGUE_ROUND,
				    SK_DIALOGUE_ROUND, SK_TENDER_DEADLINE,
				    SK_PROVISIONAL_AWARD};
	int order[5] = {3, 0, 4, 1, 2};
	for (int i = 0; i < 5; i++) {
		int seq = order[i];
		p->stages[i] = (struct stage){
		    .seq = seq, .kind = kinds[seq],
		    .round = kinds[seq] == SK_DIALOGUE_ROUND ? seq : 0,
		    .start = seq == 0 ? 1656669600 : 0,
		    .end = seq == 0 ? 1657879200 : 0,
		    .status = STAGE_PLANNED,
		    .rule = seq == 0 ? "vastgesteld" : NULL};
	}
}

/* --- migrations ---------------------------------------------------------- */

static void test_migrations(void)
{
	struct kv_error e = {0};
	int latest = store_sqlite_latest_version();
	T(latest >= 2, "at least two schema versions (%d)", latest);
	T(migrations_latest() == latest, "one notion of latest");

	/* A new, empty file. */
	struct store *s = open_db("new.db");
	T(s != NULL, "open creates a new database");
	if (!s)
		return;
	T(s->ops->schema_version(s) == latest,
	      "a new database is at the latest version");
	CHECK_STR(s->ops->name, "sqlite", "driver name");
	store_close(s);
	s = open_db("new.db");
	T(s && s->ops->schema_version(s) == latest,
	      "reopening leaves the version alone");
	if (s)
		store_close(s);

	sqlite3 *db = raw_open("new.db");
	T(raw_int(db, "PRAGMA application_id") == KAVEL_APPLICATION_ID,
	      "application_id marks a Kavel database");
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
	sqlite3_step(st);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "wal",
		  "journal mode is WAL");
	sqlite3_finalize(st);
	T(raw_int(db, "SELECT count(*) FROM pragma_table_list "
			  "WHERE schema = 'main' AND type = 'table' "
			  "AND name NOT LIKE 'sqlite_%' AND strict = 0") == 0,
	      "every table is STRICT");
	T(raw_int(db, "SELECT count(*) FROM pragma_table_list "
			  "WHERE schema = 'main' AND type = 'table' "
			  "AND name NOT LIKE 'sqlite_%'") == 69,
	      "all tables exist");
	sqlite3_close(db);

	/* A v1 database with data, then upgraded. */
	s = store_sqlite_open_at_version(path_of("v1.db"), 1, &e);
	T(s != NULL, "a v1 database can be built");
	if (!s)
		return;
	T(s->ops->schema_version(s) == 1, "it is at version 1");
	arena *a = arena_new();
	struct org o;
	make_org(s, &o, "Gemeente Oud", "11112222", ORG_MUNICIPALITY);
	struct account acc;
	make_account(s, &acc, o.id, "oud@example.nl");
	struct procedure p;
	fill_procedure(a, &p, o.id, "OUD-2021-1");
	T(STORE(s, procedure_create, &p, &e) == KV_OK,
	      "a procedure is stored at v1");
	for (int i = 0; i < 3; i++) {
		struct audit_event ev = {.actor = acc.id, .tenant_id = o.id,
					 .action = "procedure.create",
					 .object = "procedure/1"};
		T(STORE(s, audit_append, &ev, &e) == KV_OK &&
		      ev.seq == i + 1, "audit event %d at v1", i + 1);
	}
	struct cal_equated_day *days;
	int nd;
	T(STORE(s, equated_list, o.id, a, &days, &nd, &e) == KV_IO,
	      "v1 has no equated days yet");
	store_close(s);
	/* A v1 session row has no language. */
	db = raw_open("v1.db");
	sqlite3_prepare_v2(db,
			   "INSERT INTO sessions (token_hash, account_id, "
			   "csrf, created_at, expires_at) "
			   "VALUES (?1, ?2, 'abc', ?3, ?4)", -1, &st, NULL);
	unsigned char tok[32];
	hash_of(9, tok);
	sqlite3_bind_blob(st, 1, tok, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, acc.id);
	sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL) + 3600);
	T(sqlite3_step(st) == SQLITE_DONE, "a v1 session is stored");
	sqlite3_finalize(st);
	sqlite3_close(db);

	s = open_db("v1.db");
	T(s != NULL, "the v1 database opens with this build");
	if (s) {
		T(s->ops->schema_version(s) == latest,
		      "and is upgraded to the latest version");
		struct org o2;
		T(STORE(s, org_by_kvk, "11112222", a, &o2, &e) == KV_OK &&
		      o2.id == o.id, "the organisation survived");
		CHECK_STR(o2.name, "Gemeente Oud", "with its name");
		struct account acc2;
		T(STORE(s, account_by_email, "oud@example.nl", a, &acc2,
			    &e) == KV_OK && acc2.id == acc.id,
		      "the account survived");
		struct procedure p2;
		T(STORE(s, procedure_get, p.id, a, &p2, &e) == KV_OK &&
		      p2.n_lots == 2 && p2.n_stages == 5,
		      "the procedure survived with lots and stages");
		struct audit_verify_result vr;
		T(STORE(s, audit_verify, NULL, 0, NULL, NULL, &vr, &e) == KV_OK &&
		      vr.checked == 3 && vr.first_bad == 0,
		      "the audit chain survived intact");
		struct session ss;
		T(STORE(s, session_get, tok, &ss, &e) == KV_OK,
		      "the v1 session survived");
		CHECK_STR(ss.lang, "nl", "and got the default language");
		CHECK_STR(ss.csrf, "abc", "and kept its csrf token");
		struct cal_equated_day d = {.date = {2025, 5, 30},
					    .name = "Dag na Hemelvaart"};
		T(STORE(s, equated_add, o.id, &d, &e) == KV_OK,
		      "v2's table is usable after the upgrade");
		store_close(s);
	}

	/* Too new: refused, file untouched. */
	db = raw_open("future.db");
	raw_exec(db, "PRAGMA application_id = 1263945036; "
		     "CREATE TABLE x (a INTEGER) STRICT;");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", latest + 1);
	raw_exec(db, sql);
	sqlite3_close(db);
	kv_error_clear(&e);
	s = store_sqlite_open(path_of("future.db"), &e);
	T(s == NULL, "a database from a newer Kavel is refused");
	T(e.status == KV_IO, "with KV_IO");
	T(strstr(e.msg, "schema version") != NULL,
	      "and a clear message: %s", e.msg);
	if (s)
		store_close(s);
	db = raw_open("future.db");
	T(raw_int(db, "PRAGMA user_version") == latest + 1,
	      "the newer database was not touched");
	sqlite3_close(db);

	/* Not a Kavel database. */
	db = raw_open("other.db");
	raw_exec(db, "CREATE TABLE t (x INTEGER)");
	sqlite3_close(db);
	kv_error_clear(&e);
	s = store_sqlite_open(path_of("other.db"), &e);
	T(s == NULL && e.status == KV_IO &&
	      strstr(e.msg, "not one of Kavel"),
	      "another application's database is refused: %s", e.msg);
	if (s)
		store_close(s);

	FILE *f = fopen(path_of("junk.db"), "w");
	fputs("this is not a database at all, just some text to be sure "
	      "that it is longer than the header of a database file......"
	      "..................................................", f);
	fclose(f);
	kv_error_clear(&e);
	s = store_sqlite_open(path_of("junk.db"), &e);
	T(s == NULL && e.status == KV_IO, "a non-database is refused: %s",
	      e.msg);
	if (s)
		store_close(s);

	s = store_sqlite_open(":memory:", &e);
	T(s && s->ops->schema_version(s) == latest,
	      "an in-memory database works (for tests)");
	if (s)
		store_close(s);
	arena_free(a);
}

/* A v2 database with grants and data, upgraded to v3: the grants table is
 * rebuilt with its rows and ids, and the new tables work. */
static void test_migration_v2(void)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct store *s = store_sqlite_open_at_version(path_of("v2.db"), 2,
						       &e);
	T(s != NULL, "a v2 database can be built");
	if (!s) {
		arena_free(a);
		return;
	}
	T(s->ops->schema_version(s) == 2, "it is at version 2");
	struct org mun, sup;
	make_org(s, &mun, "Gemeente Twee", "22223333", ORG_MUNICIPALITY);
	make_org(s, &sup, "Welzijn Twee", "33334444", ORG_SUPPLIER);
	struct account buyer, bidder;
	make_account(s, &buyer, mun.id, "inkoop@twee.nl");
	make_account(s, &bidder, sup.id, "bieder@welzijn.nl");
	struct procedure p;
	fill_procedure(a, &p, mun.id, "TWEE-2022");
	T(STORE(s, procedure_create, &p, &e) == KV_OK,
	      "a procedure is stored at v2");
	struct party pt = {.org_id = sup.id, .role = PARTY_PENVOERDER};
	struct candidate cand = {.procedure_id = p.id, .name = "Welzijn Twee",
				 .parties = &pt, .n_parties = 1};
	T(STORE(s, candidate_create, &cand, &e) == KV_OK,
	      "a candidate at v2");
	struct cal_equated_day d = {.date = {2024, 5, 10},
				    .name = "Dag na Hemelvaart"};
	T(STORE(s, equated_add, mun.id, &d, &e) == KV_OK,
	      "an equated day at v2");
	struct contract *cs;
	int n;
	T(STORE(s, contract_list, 0, a, &cs, &n, &e) == KV_IO,
	      "v2 has no contracts yet");
	store_close(s);

	/* v2's grants have no contract column: written as v2 wrote them. */
	sqlite3 *db = raw_open("v2.db");
	char sql[400];
	snprintf(sql, sizeof sql,
		 "INSERT INTO grants (id, account_id, tenant_id, procedure_id, "
		 "role, candidate_id) VALUES (7, %lld, %lld, NULL, 'buyer', "
		 "NULL), (9, %lld, %lld, %lld, 'bidder', %lld)",
		 (long long)buyer.id, (long long)mun.id, (long long)bidder.id,
		 (long long)mun.id, (long long)p.id, (long long)cand.id);
	T(raw_exec(db, sql) == SQLITE_OK, "v2 grants are stored");
	T(raw_exec(db, "INSERT INTO grants (account_id, tenant_id, role) "
		       "VALUES (1, 1, 'reporter')") != SQLITE_OK,
	      "v2 knows no reporter");
	sqlite3_close(db);

	s = open_db("v2.db");
	T(s != NULL, "the v2 database opens with this build");
	if (!s) {
		arena_free(a);
		return;
	}
	T(s->ops->schema_version(s) >= 3 &&
	      s->ops->schema_version(s) == store_sqlite_latest_version(),
	      "and is upgraded to version 3 (and on to the latest)");
	struct grant *gs;
	T(STORE(s, grants_of, buyer.id, a, &gs, &n, &e) == KV_OK && n == 1 &&
	      gs[0].role == ROLE_BUYER && gs[0].tenant_id == mun.id &&
	      gs[0].procedure_id == 0 && gs[0].contract_id == 0,
	      "the buyer's grant survived, with no contract");
	T(STORE(s, grants_of, bidder.id, a, &gs, &n, &e) == KV_OK && n == 1 &&
	      gs[0].role == ROLE_BIDDER && gs[0].procedure_id == p.id &&
	      gs[0].candidate_id == cand.id && gs[0].contract_id == 0,
	      "the bidder's grant survived with its candidate");
	struct account *accs;
	unsigned *roles;
	T(STORE(s, tenant_accounts, mun.id, a, &accs, &roles, &n, &e) == KV_OK &&
	      n == 1 && accs[0].id == buyer.id && roles[0] == ROLE_BUYER,
	      "the municipality's own accounts with their roles: the buyer, not "
	      "the bidder of another organisation");
	db = raw_open("v2.db");
	T(raw_int(db, "SELECT count(*) FROM grants WHERE id IN (7, 9)") == 2,
	      "grant ids are kept");
	T(raw_int(db, "SELECT count(*) FROM sqlite_schema "
		      "WHERE name = 'grants_v3'") == 0,
	      "the rebuilt table has its old name");
	T(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0,
	      "no foreign key is broken");
	T(raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = "
		      "'index' AND tbl_name = 'grants' AND name IN "
		      "('grants_unique', 'grants_procedure', "
		      "'grants_candidate', 'grants_contract', "
		      "'grants_tenant')") == 5,
	      "the grants' indexes exist");
	sqlite3_close(db);
	struct grant again = {.account_id = buyer.id, .tenant_id = mun.id,
			      .role = ROLE_BUYER};
	kv_error_clear(&e);
	T(STORE(s, grant_add, &again, &e) == KV_CONFLICT,
	      "the uniqueness of grants still holds");
	struct procedure p2;
	T(STORE(s, procedure_get, p.id, a, &p2, &e) == KV_OK &&
	      p2.n_lots == 2 && p2.n_stages == 5, "the procedure survived");
	struct cal_equated_day *ds;
	T(STORE(s, equated_list, mun.id, a, &ds, &n, &e) == KV_OK && n == 1,
	      "the equated day survived");

	/* The new tables work on the upgraded file. */
	struct party cp = {.org_id = sup.id, .role = PARTY_PENVOERDER};
	struct contract c = {.tenant_id = mun.id, .procedure_id = p.id,
			     .lot_id = p.lots[0].id,
			     .reference = "TWEE-2022-1", .title = "Wijkteam",
			     .parties = &cp, .n_parties = 1,
			     .start = {2023, 1, 1}, .end = {2027, 1, 1},
			     .base_year = 2023, .wage_weight_bp = 10000};
	T(STORE(s, contract_create, &c, &e) == KV_OK && c.id > 0,
	      "a contract on the upgraded database: %s", e.msg);
	struct grant rep = {.account_id = bidder.id, .tenant_id = mun.id,
			    .role = ROLE_REPORTER, .contract_id = c.id};
	T(STORE(s, grant_add, &rep, &e) == KV_OK,
	      "a reporter grant on the upgraded database");
	T(STORE(s, grants_of, bidder.id, a, &gs, &n, &e) == KV_OK &&
	      n == 2 && gs[1].role == ROLE_REPORTER &&
	      gs[1].contract_id == c.id, "it reads back");
	store_close(s);
	arena_free(a);
}

/* --- organisations, accounts, grants, sessions --------------------------- */

static void test_people(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();

	make_org(s, &w->a, "Gemeente Dordrecht", "12345678", ORG_MUNICIPALITY);
	make_org(s, &w->b, "Gemeente Zwijndrecht", "23456789",
		 ORG_MUNICIPALITY);
	make_org(s, &w->s1, "Schoon BV", "34567890", ORG_SUPPLIER);
	make_org(s, &w->s2, "Groen & Co", "45678901", ORG_SUPPLIER);
	T(w->a.id > 0 && w->b.id > 0 && w->s1.id > 0 && w->s2.id > 0,
	      "organisations get ids");
	T(w->a.created_at > 0, "created_at is set when 0");

	struct org o;
	T(STORE(s, org_get, w->s1.id, a, &o, &e) == KV_OK,
	      "org_get finds it");
	CHECK_STR(o.name, "Schoon BV", "org name round trip");
	CHECK_STR(o.kvk, "34567890", "org kvk round trip");
	T(o.kind == ORG_SUPPLIER && o.created_at == w->s1.created_at,
	      "org kind and time round trip");
	T(STORE(s, org_by_kvk, "12345678", a, &o, &e) == KV_OK &&
	      o.id == w->a.id && o.kind == ORG_MUNICIPALITY, "org_by_kvk");
	T(STORE(s, org_by_kvk, "99999999", a, &o, &e) == KV_NOT_FOUND,
	      "unknown KvK: not found");
	T(STORE(s, org_get, 424242, a, &o, &e) == KV_NOT_FOUND,
	      "unknown id: not found");
	struct org *list;
	int n;
	T(STORE(s, org_list, a, &list, &n, &e) == KV_OK && n == 4,
	      "org_list has four");
	T(n == 4 && strcmp(list[0].name, "Gemeente Dordrecht") == 0 &&
	      strcmp(list[3].name, "Schoon BV") == 0,
	      "org_list is ordered by name");

	struct org dup = {.name = "Kopie", .kvk = "12345678",
			  .kind = ORG_SUPPLIER};
	kv_error_clear(&e);
	T(STORE(s, org_create, &dup, &e) == KV_CONFLICT,
	      "duplicate KvK: conflict");
	CHECK_STR(e.field, "kvk", "names the field");
	T(strstr(e.msg, "12345678") != NULL, "says which: %s", e.msg);
	struct org bad = {.name = "Fout", .kvk = "1234", .kind = ORG_SUPPLIER};
	T(STORE(s, org_create, &bad, &e) == KV_INVALID,
	      "a malformed KvK is invalid: %s", e.msg);

	struct person per = {.org_id = w->a.id, .name = "Jan de Vries",
			     .email = "jan@dordrecht.nl",
			     .job_title = "Inkoper"};
	T(STORE(s, person_create, &per, &e) == KV_OK && per.id > 0,
	      "person_create");
	struct person orphan = {.org_id = 999, .name = "Niemand"};
	T(STORE(s, person_create, &orphan, &e) == KV_INVALID,
	      "a person of an unknown organisation is invalid");

	make_account(s, &w->buyer_a, w->a.id, "jan@dordrecht.nl");
	make_account(s, &w->bidder, w->s1.id, "piet@schoon.nl");
	make_account(s, &w->nobody, w->s2.id, "els@groen.nl");
	make_account(s, &w->council_b, w->b.id, "raad@zwijndrecht.nl");
	T(w->buyer_a.id && w->bidder.id && w->nobody.id &&
	      w->council_b.id, "accounts get ids");
	struct account acc = {.org_id = w->a.id, .person_id = per.id,
			      .email = "marie@dordrecht.nl", .name = "Marie",
			      .pwhash = "$argon2id$SECRET", .disabled = true};
	T(STORE(s, account_create, &acc, &e) == KV_OK, "account with "
	      "person");
	struct account got;
	T(STORE(s, account_get, acc.id, a, &got, &e) == KV_OK,
	      "account_get");
	T(got.org_id == w->a.id && got.person_id == per.id &&
	      got.disabled && got.created_at == acc.created_at,
	      "account fields round trip");
	CHECK_STR(got.email, "marie@dordrecht.nl", "email round trip");
	CHECK_STR(got.name, "Marie", "name round trip");
	CHECK_STR(got.pwhash, "$argon2id$SECRET", "pwhash round trip");
	T(STORE(s, account_get, w->bidder.id, a, &got, &e) == KV_OK &&
	      got.person_id == 0 && !got.disabled,
	      "no person reads back as 0");
	T(STORE(s, account_by_email, "Piet@Schoon.NL", a, &got, &e) ==
		  KV_OK && got.id == w->bidder.id,
	      "account_by_email ignores case");
	T(STORE(s, account_by_email, "niemand@x.nl", a, &got, &e) ==
		  KV_NOT_FOUND, "unknown e-mail: not found");
	struct account dupacc = {.org_id = w->a.id,
				 .email = "JAN@dordrecht.nl", .name = "J",
				 .pwhash = "$argon2id$TOPSECRET"};
	kv_error_clear(&e);
	T(STORE(s, account_create, &dupacc, &e) == KV_CONFLICT,
	      "duplicate e-mail (other case): conflict");
	CHECK_STR(e.field, "email", "names the field");
	T(strstr(e.msg, "TOPSECRET") == NULL &&
	      strstr(e.msg, "argon2") == NULL, "the message holds no hash");

	/* Grants. */
	struct grant g = {.account_id = w->buyer_a.id, .tenant_id = w->a.id,
			  .role = ROLE_BUYER};
	T(STORE(s, grant_add, &g, &e) == KV_OK, "tenant-wide grant");
	T(STORE(s, grant_add, &g, &e) == KV_CONFLICT,
	      "the same grant twice: conflict");
	struct grant gc = {.account_id = w->council_b.id,
			   .tenant_id = w->b.id, .role = ROLE_COUNCIL};
	T(STORE(s, grant_add, &gc, &e) == KV_OK, "council grant in B");
	struct grant gx = {.account_id = w->buyer_a.id, .tenant_id = 777,
			   .role = ROLE_BUYER};
	T(STORE(s, grant_add, &gx, &e) == KV_INVALID,
	      "grant in an unknown tenant: invalid");
	struct grant g2 = {.account_id = w->buyer_a.id, .tenant_id = w->a.id,
			   .role = ROLE_BUYER | ROLE_COUNCIL};
	T(STORE(s, grant_add, &g2, &e) == KV_INVALID,
	      "a grant holds one role");
	struct grant gb = {.account_id = w->bidder.id, .tenant_id = w->a.id,
			   .role = ROLE_BIDDER};
	T(STORE(s, grant_add, &gb, &e) == KV_INVALID,
	      "a tenant-wide bidder grant is invalid");
	struct grant *gs;
	T(STORE(s, grants_of, w->buyer_a.id, a, &gs, &n, &e) == KV_OK &&
	      n == 1, "grants_of");
	T(n == 1 && gs[0].tenant_id == w->a.id &&
	      gs[0].procedure_id == 0 && gs[0].role == ROLE_BUYER &&
	      gs[0].candidate_id == 0 && gs[0].account_id == w->buyer_a.id,
	      "grant round trip, NULL procedure as 0");
	T(STORE(s, grants_of, w->nobody.id, a, &gs, &n, &e) == KV_OK &&
	      n == 0 && gs == NULL, "no grants: empty");

	/* Sessions. */
	time_t now = time(NULL);
	struct session ss = {.account_id = w->buyer_a.id, .lang = "en",
			     .created_at = now, .expires_at = now + 3600};
	hash_of(1, ss.token_hash);
	/* As many hex characters as the field holds. */
	memset(ss.csrf, 'a', sizeof ss.csrf - 1);
	ss.csrf[sizeof ss.csrf - 1] = '\0';
	T(STORE(s, session_create, &ss, &e) == KV_OK, "session_create");
	kv_error_clear(&e);
	T(STORE(s, session_create, &ss, &e) == KV_CONFLICT,
	      "the same token twice: conflict");
	struct session out;
	T(STORE(s, session_get, ss.token_hash, &out, &e) == KV_OK,
	      "session_get");
	T(out.account_id == w->buyer_a.id &&
	      out.created_at == ss.created_at &&
	      out.expires_at == ss.expires_at &&
	      memcmp(out.token_hash, ss.token_hash, 32) == 0,
	      "session fields round trip");
	CHECK_STR(out.csrf, ss.csrf, "csrf round trip");
	T(strlen(out.csrf) == sizeof out.csrf - 1, "the full csrf token");
	CHECK_STR(out.lang, "en", "lang round trip");
	T(STORE(s, session_set_lang, ss.token_hash, "nl", &e) == KV_OK,
	      "session_set_lang");
	STORE(s, session_get, ss.token_hash, &out, &e);
	CHECK_STR(out.lang, "nl", "language changed");
	unsigned char unknown[32];
	hash_of(2, unknown);
	T(STORE(s, session_get, unknown, &out, &e) == KV_NOT_FOUND,
	      "unknown session: not found");
	T(STORE(s, session_set_lang, unknown, "en", &e) == KV_NOT_FOUND,
	      "set_lang of an unknown session: not found");
	struct session old = ss;
	hash_of(3, old.token_hash);
	old.created_at = now - 7200;
	old.expires_at = now - 1;
	T(STORE(s, session_create, &old, &e) == KV_OK,
	      "an expired session can be stored");
	T(STORE(s, session_get, old.token_hash, &out, &e) ==
		  KV_NOT_FOUND, "an expired session: not found");
	T(STORE(s, session_delete, ss.token_hash, &e) == KV_OK,
	      "session_delete");
	T(STORE(s, session_get, ss.token_hash, &out, &e) == KV_NOT_FOUND,
	      "a deleted session: not found");
	struct session longer = ss;
	hash_of(4, longer.token_hash);
	memset(longer.csrf, 'b', sizeof longer.csrf); /* no terminator */
	T(STORE(s, session_create, &longer, &e) == KV_INVALID,
	  "an unterminated csrf token is refused");
	struct session orphan_s = ss;
	orphan_s.account_id = 9999;
	T(STORE(s, session_create, &orphan_s, &e) == KV_INVALID,
	      "a session of an unknown account is invalid");
	arena_free(a);
}

/* --- procedures ---------------------------------------------------------- */

static void test_procedures(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();

	fill_procedure(a, &w->pa1, w->a.id, "DOR-2022-SWT");
	T(STORE(s, procedure_create, &w->pa1, &e) == KV_OK,
	      "procedure_create");
	T(w->pa1.id > 0 && w->pa1.lots[0].id > 0 &&
	      w->pa1.lots[1].id > 0 && w->pa1.stages[4].id > 0,
	      "ids of procedure, lots and stages are set");

	struct procedure p;
	T(STORE(s, procedure_get, w->pa1.id, a, &p, &e) == KV_OK,
	      "procedure_get");
	T(p.id == w->pa1.id && p.tenant_id == w->a.id &&
	      p.type == PT_SAS_DIALOGUE && p.value_cents == 123456789 &&
	      p.dialogue_rounds == 2 && p.standstill_days == 20 &&
	      p.created_at == w->pa1.created_at && p.created_at > 0,
	      "procedure fields round trip");
	CHECK_STR(p.reference, "DOR-2022-SWT", "reference");
	CHECK_STR(p.title, "Schoonmaak gemeentehuis", "title");
	CHECK_STR(p.cpv, "90910000-9", "cpv");
	T(p.n_lots == 2 && p.lots[0].number == 1 &&
	      p.lots[1].number == 2, "lots ordered by number");
	T(p.n_lots == 2 && p.lots[1].fixed_budget &&
	      !p.lots[0].fixed_budget && p.lots[1].value_cents == 5000 &&
	      p.lots[0].goals == NULL && p.lots[1].id == w->pa1.lots[0].id,
	      "lot fields round trip");
	CHECK_STR(p.lots[1].goals, "Schoon en groen", "lot goals");
	CHECK_STR(p.lots[0].title, "Scholen", "lot title");
	int ordered = p.n_stages == 5;
	for (int i = 0; ordered && i < 5; i++)
		ordered = p.stages[i].seq == i;
	T(ordered, "stages ordered by seq");
	T(p.n_stages == 5 && p.stages[0].kind == SK_REGISTRATION &&
	      p.stages[0].start == 1656669600 &&
	      p.stages[0].end == 1657879200 &&
	      p.stages[1].kind == SK_DIALOGUE_ROUND &&
	      p.stages[1].round == 1 && p.stages[4].kind ==
	      SK_PROVISIONAL_AWARD && p.stages[4].start == 0 &&
	      p.stages[4].status == STAGE_PLANNED &&
	      p.stages[4].rule == NULL, "stage fields round trip");
	CHECK_STR(p.stages[0].rule, "vastgesteld", "stage rule");
	T(STORE(s, procedure_get, 9999, a, &p, &e) == KV_NOT_FOUND,
	      "unknown procedure: not found");

	struct procedure dup;
	fill_procedure(a, &dup, w->a.id, "DOR-2022-SWT");
	kv_error_clear(&e);
	T(STORE(s, procedure_create, &dup, &e) == KV_CONFLICT,
	      "the same reference in one tenant: conflict");
	CHECK_STR(e.field, "reference", "names the field");
	T(strstr(e.msg, "DOR-2022-SWT") != NULL, "and the reference: %s",
	      e.msg);
	T(dup.id == 0 && dup.lots[0].id == 0, "no ids on failure");

	/* All or nothing: a bad lot undoes the procedure. */
	struct procedure half;
	fill_procedure(a, &half, w->a.id, "DOR-2022-ICT");
	half.lots[1].number = 2; /* two lots numbered 2 */
	T(STORE(s, procedure_create, &half, &e) == KV_CONFLICT,
	      "two lots with one number: conflict");
	fill_procedure(a, &w->pa2, w->a.id, "DOR-2022-ICT");
	T(STORE(s, procedure_create, &w->pa2, &e) == KV_OK,
	      "the failed procedure left nothing behind");

	fill_procedure(a, &w->pb1, w->b.id, "DOR-2022-SWT");
	T(STORE(s, procedure_create, &w->pb1, &e) == KV_OK,
	      "the same reference in another tenant is fine");
	struct procedure orphan;
	fill_procedure(a, &orphan, 4242, "X-1");
	T(STORE(s, procedure_create, &orphan, &e) == KV_INVALID,
	      "a procedure of an unknown tenant: invalid");

	/* Within the caller's transaction, a rollback undoes it. */
	struct procedure inner;
	fill_procedure(a, &inner, w->a.id, "DOR-ROLLBACK");
	T(store_begin(s, true, &e) == KV_OK, "begin write");
	T(STORE(s, procedure_create, &inner, &e) == KV_OK,
	      "create inside a transaction");
	int64_t inner_id = inner.id;
	store_rollback(s);
	T(STORE(s, procedure_get, inner_id, a, &p, &e) == KV_NOT_FOUND,
	      "rolled back with the transaction");

	/* lot_create */
	struct lot l3 = {.number = 3, .title = "Sporthallen",
			 .value_cents = 100};
	T(STORE(s, lot_create, w->pa1.id, &l3, &e) == KV_OK && l3.id > 0,
	      "lot_create");
	struct lot l3b = {.number = 3, .title = "Dubbel"};
	kv_error_clear(&e);
	T(STORE(s, lot_create, w->pa1.id, &l3b, &e) == KV_CONFLICT,
	      "a lot number twice: conflict (%s)", e.msg);

	/* stage_update */
	struct stage st = w->pa1.stages[4]; /* seq 2 */
	T(st.seq == 2, "fixture: stage seq 2");
	st.start = 1660000000;
	st.end = 1661000000;
	st.status = STAGE_COMPLETED;
	st.completed_at = 1661000100;
	st.completed_by = w->buyer_a.id;
	st.rule = "20 kalenderdagen";
	T(STORE(s, stage_update, w->pa1.id, &st, &e) == KV_OK,
	      "stage_update");
	T(STORE(s, procedure_get, w->pa1.id, a, &p, &e) == KV_OK &&
	      p.n_lots == 3, "reloaded with three lots");
	T(p.stages[2].id == st.id && p.stages[2].start == 1660000000 &&
	      p.stages[2].end == 1661000000 &&
	      p.stages[2].status == STAGE_COMPLETED &&
	      p.stages[2].completed_at == 1661000100 &&
	      p.stages[2].completed_by == w->buyer_a.id,
	      "stage update round trip");
	CHECK_STR(p.stages[2].rule, "20 kalenderdagen", "rule updated");
	T(STORE(s, stage_update, w->pb1.id, &st, &e) == KV_NOT_FOUND,
	      "a stage of another procedure: not found");
	st.completed_by = 31337;
	T(STORE(s, stage_update, w->pa1.id, &st, &e) == KV_INVALID,
	      "completed by an unknown account: invalid");
	arena_free(a);
}

/* --- candidates and visibility ------------------------------------------ */

static void test_candidates(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();

	struct party parties[2] = {
	    {.org_id = w->s1.id, .role = PARTY_PENVOERDER},
	    {.org_id = w->s2.id, .role = PARTY_MEMBER},
	};
	w->cand = (struct candidate){.procedure_id = w->pa2.id,
				     .name = "Combinatie Schoon-Groen",
				     .consortium = true,
				     .parties = parties, .n_parties = 2};
	T(STORE(s, candidate_create, &w->cand, &e) == KV_OK &&
	      w->cand.id > 0, "candidate_create (consortium)");
	struct party single_p = {.org_id = w->s2.id,
				 .role = PARTY_PENVOERDER};
	struct candidate single = {.procedure_id = w->pa2.id,
				   .name = "Groen & Co", .parties = &single_p,
				   .n_parties = 1};
	T(STORE(s, candidate_create, &single, &e) == KV_OK,
	      "candidate_create (single)");

	struct party two_pv[2] = {
	    {.org_id = w->s1.id, .role = PARTY_PENVOERDER},
	    {.org_id = w->s2.id, .role = PARTY_PENVOERDER},
	};
	struct candidate bad = {.procedure_id = w->pa2.id, .name = "Fout",
				.consortium = true, .parties = two_pv,
				.n_parties = 2};
	kv_error_clear(&e);
	T(STORE(s, candidate_create, &bad, &e) == KV_CONFLICT &&
	      bad.id == 0, "two penvoerders: conflict (%s)", e.msg);
	struct party ghost = {.org_id = 8888, .role = PARTY_PENVOERDER};
	struct candidate bad2 = {.procedure_id = w->pa2.id, .name = "Spook",
				 .parties = &ghost, .n_parties = 1};
	T(STORE(s, candidate_create, &bad2, &e) == KV_INVALID,
	      "an unknown organisation: invalid");

	struct candidate *cs;
	int n;
	T(STORE(s, candidate_list, w->pa2.id, a, &cs, &n, &e) == KV_OK &&
	      n == 2, "candidate_list: the failed ones left nothing");
	if (n == 2) {
		T(cs[0].id == w->cand.id && cs[0].consortium &&
		      cs[0].procedure_id == w->pa2.id && cs[0].n_parties == 2,
		      "consortium round trip");
		CHECK_STR(cs[0].name, "Combinatie Schoon-Groen", "its name");
		T(cs[0].n_parties == 2 &&
		      cs[0].parties[0].org_id == w->s1.id &&
		      cs[0].parties[0].role == PARTY_PENVOERDER &&
		      cs[0].parties[1].role == PARTY_MEMBER,
		      "parties in order with roles");
		CHECK_STR(cs[0].parties[0].org_name, "Schoon BV",
			  "party org name joined");
		CHECK_STR(cs[0].parties[1].kvk, "45678901", "party kvk joined");
		T(!cs[1].consortium && cs[1].n_parties == 1,
		      "single candidate round trip");
	}
	T(STORE(s, candidate_list, w->pa1.id, a, &cs, &n, &e) == KV_OK &&
	      n == 0, "no candidates: empty list");

	/* Grants on one procedure. */
	struct grant gb = {.account_id = w->bidder.id, .tenant_id = w->a.id,
			   .procedure_id = w->pa2.id, .role = ROLE_BIDDER,
			   .candidate_id = w->cand.id};
	T(STORE(s, grant_add, &gb, &e) == KV_OK, "bidder grant");
	struct grant gwrong = gb;
	gwrong.procedure_id = w->pa1.id; /* candidate is in pa2 */
	gwrong.account_id = w->nobody.id;
	T(STORE(s, grant_add, &gwrong, &e) == KV_INVALID,
	      "a candidate from another procedure: invalid");
	struct grant gtenant = gb;
	gtenant.account_id = w->nobody.id;
	gtenant.tenant_id = w->b.id; /* pa2 is A's */
	T(STORE(s, grant_add, &gtenant, &e) == KV_INVALID,
	      "a procedure of another tenant: invalid");
	struct grant *gs;
	T(STORE(s, grants_of, w->bidder.id, a, &gs, &n, &e) == KV_OK &&
	      n == 1 && gs[0].procedure_id == w->pa2.id &&
	      gs[0].candidate_id == w->cand.id && gs[0].role == ROLE_BIDDER,
	      "bidder grant round trip");

	/* Who sees what. */
	struct procedure_summary *ps;
	T(STORE(s, procedure_visible, w->buyer_a.id, a, &ps, &n, &e) ==
		  KV_OK && n == 2, "the buyer of A sees A's two procedures");
	if (n == 2) {
		T(ps[0].id == w->pa1.id && ps[1].id == w->pa2.id,
		      "ordered by id, none of B's");
		CHECK_STR(ps[0].tenant_name, "Gemeente Dordrecht",
			  "with the tenant's name");
		CHECK_STR(ps[0].reference, "DOR-2022-SWT", "and reference");
		CHECK_STR(ps[1].title, "Schoonmaak gemeentehuis", "and title");
		T(ps[0].n_lots == 3 && ps[1].n_lots == 2 &&
		      ps[0].type == PT_SAS_DIALOGUE && ps[0].tenant_id ==
		      w->a.id, "and lot counts");
	}
	T(STORE(s, procedure_visible, w->bidder.id, a, &ps, &n, &e) ==
		  KV_OK && n == 1 && ps[0].id == w->pa2.id,
	      "the bidder sees only the procedure of the grant");
	T(STORE(s, procedure_visible, w->council_b.id, a, &ps, &n, &e) ==
		  KV_OK && n == 1 && ps[0].id == w->pb1.id,
	      "the council of B sees B's procedure only");
	if (n == 1)
		CHECK_STR(ps[0].tenant_name, "Gemeente Zwijndrecht",
			  "B's name");
	T(STORE(s, procedure_visible, w->nobody.id, a, &ps, &n, &e) ==
		  KV_OK && n == 0, "without grants nothing is visible");
	arena_free(a);
}

/* --- decisions ---------------------------------------------------------- */

static void test_decisions(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();

	struct condition conds[2] = {
	    {.description = "Advies Ondernemingsraad (art. 25 WOR)"},
	    {.description = "Instemming gemeenteraad"},
	};
	enum stage_kind gov[2] = {SK_DEFINITIVE_AWARD, SK_PROVISIONAL_AWARD};
	struct decision d1 = {.tenant_id = w->a.id, .number = "2021/34505",
			      .date = {2021, 2, 16},
			      .title = "Gunning schoonmaak",
			      .body = "Het college besluit ...",
			      .conditions = conds, .n_conditions = 2,
			      .procedure_id = w->pa1.id, .governs = gov,
			      .n_governs = 2};
	T(STORE(s, decision_create, &d1, &e) == KV_OK && d1.id > 0 &&
	      conds[0].id > 0 && conds[1].id > 0,
	      "decision_create sets the ids of decision and conditions");
	struct decision d0 = {.tenant_id = w->a.id, .number = "2020/1",
			      .date = {2020, 12, 1}, .title = "Kader"};
	T(STORE(s, decision_create, &d0, &e) == KV_OK,
	      "a decision without procedure");
	struct decision db_ = {.tenant_id = w->b.id, .number = "2021/34505",
			       .date = {2021, 3, 1}, .title = "Ander"};
	T(STORE(s, decision_create, &db_, &e) == KV_OK,
	      "the same number in another tenant");
	struct decision dup = d0;
	kv_error_clear(&e);
	T(STORE(s, decision_create, &dup, &e) == KV_CONFLICT,
	      "the same number twice: conflict");
	CHECK_STR(e.field, "number", "names the field");
	struct decision cross = {.tenant_id = w->b.id, .number = "X",
				 .date = {2021, 3, 1}, .title = "Kruis",
				 .procedure_id = w->pa1.id};
	T(STORE(s, decision_create, &cross, &e) == KV_INVALID,
	      "a decision on another tenant's procedure: invalid");
	enum stage_kind twice[2] = {SK_STANDSTILL, SK_STANDSTILL};
	struct decision dd = {.tenant_id = w->a.id, .number = "2021/2",
			      .date = {2021, 3, 1}, .title = "Dubbel",
			      .procedure_id = w->pa1.id, .governs = twice,
			      .n_governs = 2};
	T(STORE(s, decision_create, &dd, &e) == KV_CONFLICT &&
	      dd.id == 0, "a stage governed twice: conflict, nothing kept");
	struct decision baddate = {.tenant_id = w->a.id, .number = "2021/3",
				   .date = {-5, 1, 1}, .title = "Datum"};
	T(STORE(s, decision_create, &baddate, &e) == KV_INVALID,
	      "a bad date: invalid");

	struct decision *ds;
	int n;
	T(STORE(s, decision_list, w->a.id, 0, a, &ds, &n, &e) == KV_OK &&
	      n == 2, "decision_list of a tenant");
	T(n == 2 && ds[0].id == d0.id && ds[1].id == d1.id,
	      "ordered by date");
	if (n == 2) {
		struct decision *x = &ds[1];
		T(x->tenant_id == w->a.id && x->date.year == 2021 &&
		      x->date.month == 2 && x->date.day == 16 &&
		      x->procedure_id == w->pa1.id, "decision fields");
		CHECK_STR(x->number, "2021/34505", "number");
		CHECK_STR(x->title, "Gunning schoonmaak", "title");
		CHECK_STR(x->body, "Het college besluit ...", "body");
		T(x->n_conditions == 2 &&
		      x->conditions[0].state == COND_PENDING &&
		      x->conditions[0].resolved_at == 0 &&
		      x->conditions[0].resolution == NULL,
		      "conditions pending");
		CHECK_STR(x->conditions[1].description,
			  "Instemming gemeenteraad", "condition text");
		T(x->n_governs == 2 &&
		      x->governs[0] == SK_DEFINITIVE_AWARD &&
		      x->governs[1] == SK_PROVISIONAL_AWARD,
		      "governed stages in order");
		T(ds[0].procedure_id == 0 && ds[0].n_conditions == 0 &&
		      ds[0].n_governs == 0, "an unlinked decision");
	}
	T(STORE(s, decision_list, w->a.id, w->pa1.id, a, &ds, &n, &e) ==
		  KV_OK && n == 1 && ds[0].id == d1.id,
	      "decision_list of one procedure");
	T(STORE(s, decision_list, w->b.id, w->pa1.id, a, &ds, &n, &e) ==
		  KV_OK && n == 0, "not across tenants");

	T(STORE(s, condition_resolve, conds[0].id, COND_MET,
		    "positief advies d.d. 1 maart 2021", 1614600000, &e) ==
		  KV_OK, "condition_resolve");
	T(STORE(s, condition_resolve, 77777, COND_MET, "x", 1, &e) ==
		  KV_NOT_FOUND, "resolving an unknown condition: not found");
	STORE(s, decision_list, w->a.id, w->pa1.id, a, &ds, &n, &e);
	T(n == 1 && ds[0].conditions[0].state == COND_MET &&
	      ds[0].conditions[0].resolved_at == 1614600000 &&
	      ds[0].conditions[1].state == COND_PENDING,
	      "resolution round trip");
	if (n == 1)
		CHECK_STR(ds[0].conditions[0].resolution,
			  "positief advies d.d. 1 maart 2021",
			  "resolution text");
	T(STORE(s, condition_resolve, conds[1].id, COND_WAIVED, NULL,
		    1614700000, &e) == KV_OK, "waived");
	T(STORE(s, condition_resolve, conds[0].id, COND_PENDING, "x",
		    1614800000, &e) == KV_OK, "back to pending");
	STORE(s, decision_list, w->a.id, w->pa1.id, a, &ds, &n, &e);
	T(n == 1 && ds[0].conditions[0].state == COND_PENDING &&
	      ds[0].conditions[0].resolved_at == 0 &&
	      ds[0].conditions[0].resolution == NULL &&
	      ds[0].conditions[1].state == COND_WAIVED,
	      "pending again clears the resolution");

	int64_t did = 0, tid = 0;
	T(STORE(s, condition_decision, conds[1].id, &did, &tid, &e) ==
		  KV_OK && did == d1.id && tid == w->a.id,
	      "condition_decision gives decision and tenant");
	T(STORE(s, condition_decision, 77777, &did, &tid, &e) ==
		  KV_NOT_FOUND, "unknown condition: not found");
	arena_free(a);
}

/* --- equated days ------------------------------------------------------- */

static void test_equated(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct cal_equated_day d1 = {.date = {2025, 12, 24},
				     .name = "Kerstavond",
				     .source = "Besluit college 2025/12"};
	struct cal_equated_day d2 = {.date = {2025, 5, 30},
				     .name = "Vrijdag na Hemelvaartsdag"};
	struct cal_equated_day inst = {.date = {2026, 5, 15},
				       .name = "Vrijdag na Hemelvaartsdag",
				       .source = "Besluit gelijkstelling"};
	T(STORE(s, equated_add, w->a.id, &d1, &e) == KV_OK,
	      "equated_add for a tenant");
	T(STORE(s, equated_add, w->a.id, &d2, &e) == KV_OK,
	      "another for the tenant");
	T(STORE(s, equated_add, 0, &inst, &e) == KV_OK,
	      "equated_add for the installation");
	kv_error_clear(&e);
	T(STORE(s, equated_add, w->a.id, &d1, &e) == KV_CONFLICT,
	      "the same day twice: conflict (%s)", e.msg);
	T(STORE(s, equated_add, 0, &inst, &e) == KV_CONFLICT,
	      "the same installation day twice: conflict");
	T(STORE(s, equated_add, w->b.id, &d1, &e) == KV_OK,
	      "another tenant may add the same day");
	T(STORE(s, equated_add, 5555, &d1, &e) == KV_INVALID,
	      "an unknown tenant: invalid");

	struct cal_equated_day *ds;
	int n;
	T(STORE(s, equated_list, w->a.id, a, &ds, &n, &e) == KV_OK &&
	      n == 2, "equated_list of the tenant");
	T(n == 2 && ds[0].date.year == 2025 && ds[0].date.month == 5 &&
	      ds[0].date.day == 30 && ds[1].date.month == 12,
	      "ordered by date");
	if (n == 2) {
		CHECK_STR(ds[1].name, "Kerstavond", "name");
		CHECK_STR(ds[1].source, "Besluit college 2025/12", "source");
		CHECK_STR(ds[0].source, "", "no source: empty");
	}
	T(STORE(s, equated_list, 0, a, &ds, &n, &e) == KV_OK && n == 1 &&
	      ds[0].date.year == 2026, "equated_list of the installation");
	T(STORE(s, equated_list, w->s1.id, a, &ds, &n, &e) == KV_OK &&
	      n == 0 && ds == NULL, "none: empty");
	arena_free(a);
}

/* --- steering (schema v3) ------------------------------------------------ */

struct steer {
	struct contract c1, c2, c3;      /* c1, c2 of A; c3 of B */
	struct party p1[2], p2[1], p3[1];
	struct kpi k1, k2, k3;           /* k1, k2 of c1; k3 of c2 */
};

static int date_is(cal_date d, int y, int m, int dd)
{
	return d.year == y && d.month == m && d.day == dd;
}

static int64_t count_contracts(struct store *s, int64_t tenant)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct contract *cs;
	int n = -1;
	if (STORE(s, contract_list, tenant, a, &cs, &n, &e) != KV_OK)
		n = -1;
	arena_free(a);
	return n;
}

static void test_contracts(struct store *s, struct world *w,
			   struct steer *t)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	/* The world's lots lived in test_procedures' arena: reload. */
	struct procedure pa1, pa2;
	if (STORE(s, procedure_get, w->pa1.id, a, &pa1, &e) != KV_OK ||
	    STORE(s, procedure_get, w->pa2.id, a, &pa2, &e) != KV_OK ||
	    pa1.n_lots < 1 || pa2.n_lots < 1) {
		T(0, "fixture: the procedures with their lots");
		arena_free(a);
		return;
	}
	int64_t lot1 = pa1.lots[0].id, lot_other = pa2.lots[0].id;

	t->p1[0] = (struct party){.org_id = w->s1.id,
				  .role = PARTY_PENVOERDER};
	t->p1[1] = (struct party){.org_id = w->s2.id, .role = PARTY_MEMBER};
	t->c1 = (struct contract){
	    .tenant_id = w->a.id, .procedure_id = w->pa1.id,
	    .lot_id = lot1, .reference = "DOR-2022-SWT-2",
	    .title = "Sociaal wijkteam, perceel 2", .parties = t->p1,
	    .n_parties = 2, .start = {2022, 7, 1}, .end = {2030, 1, 1},
	    .extension_options = 2, .extension_months = 24,
	    .evaluation_years = {3, 6}, .n_evaluations = 2,
	    .budget_cents = 1234567890, .base_year = 2022,
	    .wage_weight_bp = 7500, .price_weight_bp = 2500};
	T(STORE(s, contract_create, &t->c1, &e) == KV_OK && t->c1.id > 0,
	  "contract_create (from a lot, a consortium): %s", e.msg);

	t->p2[0] = (struct party){.org_id = w->s2.id,
				  .role = PARTY_PENVOERDER};
	t->c2 = (struct contract){
	    .tenant_id = w->a.id, .reference = "DOR-BW-2019",
	    .title = "Buurtwerk", .parties = t->p2, .n_parties = 1,
	    .start = {2019, 1, 1}, .end = {2023, 1, 1},
	    .base_year = 2019, .wage_weight_bp = 10000, .terminated = true,
	    .terminated_on = {2021, 12, 31},
	    .termination_reason = "Opgegaan in het wijkteam",
	    .termination_decision = "2021/777"};
	T(STORE(s, contract_create, &t->c2, &e) == KV_OK,
	  "contract_create (entered directly, terminated): %s", e.msg);

	t->p3[0] = (struct party){.org_id = w->s1.id,
				  .role = PARTY_PENVOERDER};
	t->c3 = (struct contract){
	    .tenant_id = w->b.id, .procedure_id = w->pb1.id,
	    .reference = "DOR-2022-SWT-2", .title = "Zelfde kenmerk",
	    .parties = t->p3, .n_parties = 1, .start = {2023, 1, 1},
	    .end = {2025, 1, 1}, .evaluation_years = {1},
	    .n_evaluations = 1};
	T(STORE(s, contract_create, &t->c3, &e) == KV_OK,
	  "the same reference in another tenant: %s", e.msg);

	struct contract c;
	memset(&c, 0, sizeof c);
	T(STORE(s, contract_get, t->c1.id, a, &c, &e) == KV_OK,
	  "contract_get");
	T(c.id == t->c1.id && c.tenant_id == w->a.id &&
	  c.procedure_id == w->pa1.id && c.lot_id == lot1 &&
	  date_is(c.start, 2022, 7, 1) && date_is(c.end, 2030, 1, 1) &&
	  c.extension_options == 2 && c.extension_months == 24 &&
	  c.extensions_used == 0 && c.budget_cents == 1234567890 &&
	  c.base_year == 2022 && c.wage_weight_bp == 7500 &&
	  c.price_weight_bp == 2500 && !c.terminated &&
	  date_is(c.terminated_on, 0, 0, 0) &&
	  c.termination_reason == NULL && c.termination_decision == NULL,
	  "contract fields round trip");
	CHECK_STR(c.reference, "DOR-2022-SWT-2", "reference");
	CHECK_STR(c.title, "Sociaal wijkteam, perceel 2", "title");
	T(c.n_evaluations == 2 && c.evaluation_years[0] == 3 &&
	  c.evaluation_years[1] == 6, "evaluation years");
	T(c.n_parties == 2 && c.parties[0].org_id == w->s1.id &&
	  c.parties[0].role == PARTY_PENVOERDER &&
	  c.parties[1].org_id == w->s2.id &&
	  c.parties[1].role == PARTY_MEMBER, "parties in order with roles");
	if (c.n_parties == 2) {
		CHECK_STR(c.parties[0].org_name, "Schoon BV",
			  "party name filled");
		CHECK_STR(c.parties[1].kvk, "45678901", "party kvk filled");
	}
	T(STORE(s, contract_get, t->c2.id, a, &c, &e) == KV_OK &&
	  c.procedure_id == 0 && c.lot_id == 0 && c.terminated &&
	  date_is(c.terminated_on, 2021, 12, 31) && c.n_evaluations == 0 &&
	  c.n_parties == 1 && c.extension_options == 0,
	  "a direct, terminated contract round trips");
	CHECK_STR(c.termination_reason, "Opgegaan in het wijkteam",
		  "termination reason");
	CHECK_STR(c.termination_decision, "2021/777", "termination decision");
	T(STORE(s, contract_get, 987654, a, &c, &e) == KV_NOT_FOUND,
	  "unknown contract: not found");

	/* Refusals leave nothing behind. */
	struct contract bad = t->c1;
	bad.id = 0;
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_CONFLICT && bad.id == 0,
	  "the same reference twice in a tenant: conflict");
	CHECK_STR(e.field, "reference", "names the field");
	T(strstr(e.msg, "DOR-2022-SWT-2") != NULL, "and the reference: %s",
	  e.msg);
	struct party two_pv[2] = {
	    {.org_id = w->s1.id, .role = PARTY_PENVOERDER},
	    {.org_id = w->s2.id, .role = PARTY_PENVOERDER}};
	bad = t->c1;
	bad.id = 0;
	bad.reference = "NEW-1";
	bad.parties = two_pv;
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_CONFLICT && bad.id == 0,
	  "two penvoerders: conflict (%s)", e.msg);
	CHECK_STR(e.field, "parties", "names the parties");
	struct party same[2] = {
	    {.org_id = w->s1.id, .role = PARTY_PENVOERDER},
	    {.org_id = w->s1.id, .role = PARTY_MEMBER}};
	bad.parties = same;
	T(STORE(s, contract_create, &bad, &e) == KV_CONFLICT,
	  "one organisation twice: conflict (%s)", e.msg);
	struct party ghost = {.org_id = 31337, .role = PARTY_PENVOERDER};
	bad.parties = &ghost;
	bad.n_parties = 1;
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "a party that does not exist: invalid");
	CHECK_STR(e.field, "parties", "names the parties");
	bad = t->c1;
	bad.id = 0;
	bad.reference = "NEW-2";
	bad.end = (cal_date){2022, 7, 1};
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "an end not after the start: invalid (%s)", e.msg);
	CHECK_STR(e.field, "end", "names the end");
	bad.end = t->c1.end;
	bad.start = (cal_date){0, 0, 0};
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "no start: invalid (%s)", e.msg);
	CHECK_STR(e.field, "start", "names the start");
	bad.start = t->c1.start;
	bad.reference = "";
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "an empty reference: invalid");
	CHECK_STR(e.field, "reference", "names the reference");
	bad.reference = "NEW-3";
	bad.lot_id = lot_other; /* a lot of another procedure */
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "a lot of another procedure: invalid");
	bad.lot_id = lot1;
	bad.procedure_id = 0;
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "a lot without its procedure: invalid");
	CHECK_STR(e.field, "lot_id", "names the lot");
	bad.lot_id = 0;
	bad.procedure_id = w->pb1.id; /* B's procedure, A's contract */
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "a procedure of another tenant: invalid");
	bad.procedure_id = 0;
	bad.extensions_used = 3; /* of 2 options */
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "more extensions used than options: invalid");
	CHECK_STR(e.field, "extensions_used", "names the field");
	bad.extensions_used = 0;
	bad.wage_weight_bp = 10001;
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "a weight over 100 %%: invalid");
	CHECK_STR(e.field, "wage_weight_bp", "names the weight");
	bad.wage_weight_bp = 7500;
	bad.n_evaluations = CONTRACT_MAX_EVALUATIONS + 1;
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "too many evaluation moments: invalid");
	CHECK_STR(e.field, "evaluation_years", "names the field");
	bad.n_evaluations = 2;
	bad.evaluation_years[1] = 3;
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_CONFLICT && bad.id == 0,
	  "an evaluation year twice: conflict, after the contract row");
	CHECK_STR(e.field, "evaluation_years", "names the field");
	bad.evaluation_years[1] = 6;
	bad.terminated = true; /* without a date */
	kv_error_clear(&e);
	T(STORE(s, contract_create, &bad, &e) == KV_INVALID,
	  "terminated without a date: invalid");
	CHECK_STR(e.field, "terminated_on", "names the date");
	T(count_contracts(s, w->a.id) == 2,
	  "the refused contracts left nothing");

	/* Rolled back with the caller's transaction. */
	struct contract inner = t->c2;
	inner.id = 0;
	inner.reference = "ROLLBACK";
	T(store_begin(s, true, &e) == KV_OK &&
	  STORE(s, contract_create, &inner, &e) == KV_OK && inner.id > 0,
	  "create inside a transaction");
	store_rollback(s);
	T(STORE(s, contract_get, inner.id, a, &c, &e) == KV_NOT_FOUND,
	  "gone with the rollback");

	/* Lists. */
	struct contract *cs;
	int n;
	T(STORE(s, contract_list, w->a.id, a, &cs, &n, &e) == KV_OK &&
	  n == 2 && cs[0].id == t->c1.id && cs[1].id == t->c2.id,
	  "contract_list of A, by id");
	T(n == 2 && cs[0].n_parties == 2 && cs[0].n_evaluations == 2 &&
	  cs[1].n_parties == 1 && cs[1].terminated,
	  "with parties and evaluation years");
	if (n == 2)
		CHECK_STR(cs[1].parties[0].org_name, "Groen & Co",
			  "party names in the list");
	T(STORE(s, contract_list, w->b.id, a, &cs, &n, &e) == KV_OK &&
	  n == 1 && cs[0].id == t->c3.id && cs[0].tenant_id == w->b.id,
	  "contract_list of B");
	T(STORE(s, contract_list, 0, a, &cs, &n, &e) == KV_OK && n == 3 &&
	  cs[0].id < cs[1].id && cs[1].id < cs[2].id,
	  "tenant 0 lists all, by id");
	T(STORE(s, contract_list, w->s1.id, a, &cs, &n, &e) == KV_OK &&
	  n == 0 && cs == NULL, "none: empty");

	/* contract_update saves the mutable fields only. */
	struct contract u = t->c1;
	u.extensions_used = 1;
	u.end = (cal_date){2032, 1, 1};
	u.budget_cents = 1300000000;
	u.base_year = 2023;
	u.wage_weight_bp = 6000;
	u.price_weight_bp = 4000;
	u.evaluation_years[0] = 3;
	u.evaluation_years[1] = 6;
	u.evaluation_years[2] = 9;
	u.n_evaluations = 3;
	u.terminated = true;
	u.terminated_on = (cal_date){2031, 6, 30};
	u.termination_reason = "Wanprestatie";
	u.termination_decision = "2031/12";
	u.reference = "CHANGED";        /* not mutable: ignored */
	u.title = "Changed";
	u.start = (cal_date){2020, 1, 1};
	u.extension_options = 5;
	T(STORE(s, contract_update, &u, &e) == KV_OK, "contract_update: %s",
	  e.msg);
	T(STORE(s, contract_get, t->c1.id, a, &c, &e) == KV_OK &&
	  c.extensions_used == 1 && date_is(c.end, 2032, 1, 1) &&
	  c.budget_cents == 1300000000 && c.base_year == 2023 &&
	  c.wage_weight_bp == 6000 && c.price_weight_bp == 4000 &&
	  c.n_evaluations == 3 && c.evaluation_years[2] == 9 &&
	  c.terminated && date_is(c.terminated_on, 2031, 6, 30),
	  "the mutable fields changed");
	CHECK_STR(c.termination_reason, "Wanprestatie", "reason saved");
	CHECK_STR(c.termination_decision, "2031/12", "decision saved");
	CHECK_STR(c.reference, "DOR-2022-SWT-2", "the reference did not");
	CHECK_STR(c.title, "Sociaal wijkteam, perceel 2", "nor the title");
	T(date_is(c.start, 2022, 7, 1) && c.extension_options == 2 &&
	  c.n_parties == 2, "nor the start, options or parties");

	struct contract v = c;
	v.extensions_used = 3; /* of 2 */
	v.n_evaluations = 1;
	kv_error_clear(&e);
	T(STORE(s, contract_update, &v, &e) == KV_INVALID,
	  "more extensions than options: invalid");
	CHECK_STR(e.field, "extensions_used", "names the field");
	v.extensions_used = 2;
	v.n_evaluations = 2;
	v.evaluation_years[1] = 3; /* twice */
	T(STORE(s, contract_update, &v, &e) == KV_CONFLICT,
	  "an evaluation year twice: conflict");
	T(STORE(s, contract_get, t->c1.id, a, &c, &e) == KV_OK &&
	  c.extensions_used == 1 && c.n_evaluations == 3,
	  "a refused update changed nothing");
	v = c;
	v.tenant_id = w->b.id;
	T(STORE(s, contract_update, &v, &e) == KV_NOT_FOUND,
	  "an update in another tenant: not found");
	v = c;
	v.id = 987654;
	T(STORE(s, contract_update, &v, &e) == KV_NOT_FOUND,
	  "an unknown contract: not found");
	v = c;
	v.terminated = false;
	v.n_evaluations = 0;
	T(STORE(s, contract_update, &v, &e) == KV_OK &&
	  STORE(s, contract_get, t->c1.id, a, &c, &e) == KV_OK &&
	  !c.terminated && date_is(c.terminated_on, 0, 0, 0) &&
	  c.n_evaluations == 0, "termination undone, evaluations cleared");
	v.n_evaluations = 2;
	v.evaluation_years[0] = 3;
	v.evaluation_years[1] = 6;
	T(STORE(s, contract_update, &v, &e) == KV_OK,
	  "evaluation years back");
	t->c1 = v;
	arena_free(a);
}

static void test_index_figures(struct store *s, struct steer *t)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct index_figures f23 = {.year = 2023, .wage_prognosis_bp = 425,
				    .price_prognosis_bp = 310,
				    .wage_actual_bp = 999,
				    .price_actual_bp = 999};
	struct index_figures f22 = {.year = 2022, .wage_prognosis_bp = 300,
				    .price_prognosis_bp = -120,
				    .has_actual = true,
				    .wage_actual_bp = 412,
				    .price_actual_bp = 0};
	T(STORE(s, index_figures_set, t->c1.id, &f23, &e) == KV_OK,
	  "index_figures_set, prognosis only");
	T(STORE(s, index_figures_set, t->c1.id, &f22, &e) == KV_OK,
	  "index_figures_set with the realisation");
	T(STORE(s, index_figures_set, t->c2.id, &f22, &e) == KV_OK,
	  "the same year for another contract");
	struct index_figures *fs;
	int n;
	T(STORE(s, index_figures_list, t->c1.id, a, &fs, &n, &e) == KV_OK &&
	  n == 2, "index_figures_list");
	T(n == 2 && fs[0].year == 2022 && fs[0].wage_prognosis_bp == 300 &&
	  fs[0].price_prognosis_bp == -120 && fs[0].has_actual &&
	  fs[0].wage_actual_bp == 412 && fs[0].price_actual_bp == 0,
	  "by year; a realisation round trips (a zero too)");
	T(n == 2 && fs[1].year == 2023 && fs[1].wage_prognosis_bp == 425 &&
	  fs[1].price_prognosis_bp == 310 && !fs[1].has_actual &&
	  fs[1].wage_actual_bp == 0 && fs[1].price_actual_bp == 0,
	  "no realisation: has_actual false, figures 0");
	f23.has_actual = true;
	f23.wage_actual_bp = 510;
	f23.price_actual_bp = 290;
	f23.wage_prognosis_bp = 430;
	T(STORE(s, index_figures_set, t->c1.id, &f23, &e) == KV_OK,
	  "index_figures_set again");
	T(STORE(s, index_figures_list, t->c1.id, a, &fs, &n, &e) == KV_OK &&
	  n == 2 && fs[1].has_actual && fs[1].wage_actual_bp == 510 &&
	  fs[1].price_actual_bp == 290 && fs[1].wage_prognosis_bp == 430,
	  "replaces the year");
	struct index_figures bad = {.year = 12, .wage_prognosis_bp = 1};
	kv_error_clear(&e);
	T(STORE(s, index_figures_set, t->c1.id, &bad, &e) == KV_INVALID,
	  "a year out of range: invalid");
	CHECK_STR(e.field, "year", "names the year");
	bad.year = 2024;
	bad.price_prognosis_bp = 20000;
	T(STORE(s, index_figures_set, t->c1.id, &bad, &e) == KV_INVALID,
	  "a prognosis over 100 %%: invalid");
	T(STORE(s, index_figures_set, 987654, &f22, &e) == KV_INVALID,
	  "an unknown contract: invalid");
	T(STORE(s, index_figures_list, t->c3.id, a, &fs, &n, &e) == KV_OK &&
	  n == 0 && fs == NULL, "none: empty");
	arena_free(a);
}

static void test_frames(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct frame_row rows[3] = {
	    {.category = "Wijkteams", .cents = {100000, 0, 120000, 130000},
	     .has = {true, true, true, true}},
	    {.category = "Buurtwerk", .cents = {-5000, 777, 8000, 0},
	     .has = {true, false, true, true}},
	    {.category = "Taakstelling Wmo", .taakstelling = true,
	     .cents = {1, 2, 3, -25000, 0, 55},
	     .has = {false, false, false, true, false, true}},
	};
	struct budget_frame f1 = {.tenant_id = w->a.id,
				  .title = "Beschikbare budgetten Wmo",
				  .first_year = 2022, .n_years = 4,
				  .rows = rows, .n_rows = 3,
				  .source = "Collegebesluit 2021/34505"};
	T(STORE(s, frame_create, &f1, &e) == KV_OK && f1.id > 0,
	  "frame_create: %s", e.msg);
	struct budget_frame g;
	T(STORE(s, frame_get, f1.id, a, &g, &e) == KV_OK, "frame_get");
	T(g.id == f1.id && g.tenant_id == w->a.id && g.first_year == 2022 &&
	  g.n_years == 4 && g.n_rows == 3, "frame fields round trip");
	CHECK_STR(g.title, "Beschikbare budgetten Wmo", "title");
	CHECK_STR(g.source, "Collegebesluit 2021/34505", "source");
	int same = g.n_rows == 3;
	for (int r = 0; same && r < 3; r++) {
		same = strcmp(g.rows[r].category, rows[r].category) == 0 &&
		       g.rows[r].taakstelling == rows[r].taakstelling;
		for (int y = 0; same && y < FRAME_MAX_YEARS; y++) {
			bool want = y < 4 && rows[r].has[y];
			same = g.rows[r].has[y] == want &&
			       g.rows[r].cents[y] ==
				   (want ? rows[r].cents[y] : 0);
		}
	}
	T(same, "rows in order; has[] exact (a zero is filled, an empty "
		"cell is not; nothing past n_years)");
	T(g.n_rows == 3 && !g.rows[1].has[1] && g.rows[1].cents[1] == 0 &&
	  g.rows[0].has[1] && g.rows[0].cents[1] == 0 &&
	  g.rows[2].taakstelling && g.rows[2].cents[3] == -25000,
	  "the empty cell and the zero differ");

	struct budget_frame dup = f1;
	dup.id = 0;
	kv_error_clear(&e);
	T(STORE(s, frame_create, &dup, &e) == KV_CONFLICT && dup.id == 0,
	  "the same title twice in a tenant: conflict");
	CHECK_STR(e.field, "title", "names the title");
	T(strstr(e.msg, "Beschikbare budgetten Wmo") != NULL,
	  "and the title: %s", e.msg);
	struct budget_frame fb = f1;
	fb.id = 0;
	fb.tenant_id = w->b.id;
	T(STORE(s, frame_create, &fb, &e) == KV_OK,
	  "the same title in another tenant");
	struct budget_frame empty = {.tenant_id = w->a.id, .title = "Leeg",
				     .first_year = 2025, .n_years = 1};
	T(STORE(s, frame_create, &empty, &e) == KV_OK,
	  "a frame without rows or source");
	struct budget_frame bad = empty;
	bad.title = "Te lang";
	bad.n_years = FRAME_MAX_YEARS + 1;
	kv_error_clear(&e);
	T(STORE(s, frame_create, &bad, &e) == KV_INVALID,
	  "more than 12 years: invalid");
	CHECK_STR(e.field, "n_years", "names the field");
	bad.n_years = 0;
	T(STORE(s, frame_create, &bad, &e) == KV_INVALID,
	  "no years: invalid");
	bad.n_years = 1;
	bad.title = "";
	kv_error_clear(&e);
	T(STORE(s, frame_create, &bad, &e) == KV_INVALID,
	  "no title: invalid");
	CHECK_STR(e.field, "title", "names the title");
	/* An amount past year 9999 fails after the frame and its first
	 * rows are written: nothing of it stays. */
	bad = f1;
	bad.id = 0;
	bad.title = "Ver weg";
	bad.first_year = 9997;
	kv_error_clear(&e);
	T(STORE(s, frame_create, &bad, &e) == KV_INVALID && bad.id == 0,
	  "a cell past year 9999: invalid (%s)", e.msg);
	CHECK_STR(e.field, "first_year", "names the first year");

	struct budget_frame *fs;
	int n;
	T(STORE(s, frame_list, w->a.id, a, &fs, &n, &e) == KV_OK && n == 2,
	  "frame_list of A: the refused ones left nothing");
	T(n == 2 && fs[0].id == f1.id && fs[0].n_rows == 3 &&
	  fs[0].rows[1].has[0] && !fs[0].rows[1].has[1] &&
	  fs[1].id == empty.id && fs[1].n_rows == 0 &&
	  fs[1].rows == NULL && fs[1].source == NULL,
	  "by id, with rows and cells");
	T(STORE(s, frame_list, w->b.id, a, &fs, &n, &e) == KV_OK && n == 1 &&
	  fs[0].id == fb.id, "frame_list of B");
	T(STORE(s, frame_list, w->s1.id, a, &fs, &n, &e) == KV_OK &&
	  n == 0 && fs == NULL, "none: empty");
	T(STORE(s, frame_get, 987654, a, &g, &e) == KV_NOT_FOUND,
	  "unknown frame: not found");
	sqlite3 *db = raw_open("main.db");
	T(raw_int(db, "SELECT count(*) FROM frame_amounts") == 2 * 8,
	  "one stored cell per filled cell (8 per frame)");
	sqlite3_close(db);
	arena_free(a);
}

static void test_subsidies(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct subsidy s1 = {.tenant_id = w->a.id,
			     .recipient_org_id = w->s1.id,
			     .purpose = "Buurtwerk", .kind = SUBSIDY_BUDGET,
			     .from_year = 2019, .to_year = 2022,
			     .cents_per_year = 45000000,
			     .decision = "2018/123", .phase_out = true,
			     .phase_out_years = 3,
			     .phase_out_pct = {75, 50, 25, 0, 0},
			     .phase_out_scope = "overhead en ondersteuning",
			     .staff_taken_over = "4 fte jongerenwerk"};
	struct subsidy s2 = {.tenant_id = w->a.id,
			     .recipient_org_id = w->s2.id,
			     .purpose = "Opstart", .kind = SUBSIDY_INCIDENTAL,
			     .from_year = 2023, .to_year = 2023,
			     .cents_per_year = 0};
	struct subsidy s3 = {.tenant_id = w->b.id,
			     .recipient_org_id = w->s2.id,
			     .purpose = "Jongerenwerk",
			     .kind = SUBSIDY_ANNUAL, .from_year = 2022,
			     .to_year = 2022, .cents_per_year = 100};
	T(STORE(s, subsidy_create, &s1, &e) == KV_OK && s1.id > 0,
	  "subsidy_create with a phase-out: %s", e.msg);
	T(STORE(s, subsidy_create, &s2, &e) == KV_OK, "a bare subsidy");
	T(STORE(s, subsidy_create, &s3, &e) == KV_OK, "one of B");
	struct subsidy *ss;
	int n;
	T(STORE(s, subsidy_list, w->a.id, a, &ss, &n, &e) == KV_OK && n == 2,
	  "subsidy_list of A");
	if (n == 2) {
		struct subsidy *x = &ss[0];
		T(x->id == s1.id && x->tenant_id == w->a.id &&
		  x->recipient_org_id == w->s1.id &&
		  x->kind == SUBSIDY_BUDGET && x->from_year == 2019 &&
		  x->to_year == 2022 && x->cents_per_year == 45000000 &&
		  x->end_decision == NULL && x->phase_out &&
		  x->phase_out_years == 3 && x->phase_out_pct[0] == 75 &&
		  x->phase_out_pct[1] == 50 && x->phase_out_pct[2] == 25 &&
		  x->phase_out_pct[3] == 0 && x->phase_out_pct[4] == 0,
		  "subsidy fields round trip");
		CHECK_STR(x->recipient_name, "Schoon BV", "recipient filled");
		CHECK_STR(x->purpose, "Buurtwerk", "purpose");
		CHECK_STR(x->decision, "2018/123", "decision");
		CHECK_STR(x->phase_out_scope, "overhead en ondersteuning",
			  "phase-out scope");
		CHECK_STR(x->staff_taken_over, "4 fte jongerenwerk",
			  "staff taken over");
		T(ss[1].id == s2.id && ss[1].kind == SUBSIDY_INCIDENTAL &&
		  !ss[1].phase_out && ss[1].decision == NULL &&
		  ss[1].phase_out_scope == NULL, "the bare one");
	}
	s1.to_year = 2024;
	s1.kind = SUBSIDY_MULTI_YEAR;
	s1.end_decision = "2022/9";
	s1.phase_out = false;
	s1.phase_out_years = 0;
	T(STORE(s, subsidy_update, &s1, &e) == KV_OK, "subsidy_update");
	T(STORE(s, subsidy_list, w->a.id, a, &ss, &n, &e) == KV_OK &&
	  n == 2 && ss[0].to_year == 2024 &&
	  ss[0].kind == SUBSIDY_MULTI_YEAR && !ss[0].phase_out,
	  "the update round trips");
	if (n == 2)
		CHECK_STR(ss[0].end_decision, "2022/9", "end decision");
	struct subsidy bad = s1;
	bad.tenant_id = w->b.id;
	T(STORE(s, subsidy_update, &bad, &e) == KV_NOT_FOUND,
	  "an update in another tenant: not found");
	bad = s1;
	bad.phase_out_pct[2] = 120;
	kv_error_clear(&e);
	T(STORE(s, subsidy_update, &bad, &e) == KV_INVALID,
	  "a percentage over 100: invalid");
	CHECK_STR(e.field, "phase_out_pct", "names the field");
	bad = s2;
	bad.id = 0;
	bad.to_year = 2020;
	kv_error_clear(&e);
	T(STORE(s, subsidy_create, &bad, &e) == KV_INVALID,
	  "ending before it starts: invalid");
	CHECK_STR(e.field, "to_year", "names the field");
	bad.to_year = 2023;
	bad.phase_out = true;
	kv_error_clear(&e);
	T(STORE(s, subsidy_create, &bad, &e) == KV_INVALID,
	  "a phase-out of 0 years: invalid");
	CHECK_STR(e.field, "phase_out_years", "names the field");
	bad.phase_out = false;
	bad.recipient_org_id = 31337;
	T(STORE(s, subsidy_create, &bad, &e) == KV_INVALID,
	  "an unknown recipient: invalid");
	bad.recipient_org_id = w->s2.id;
	bad.kind = (enum subsidy_kind)9;
	kv_error_clear(&e);
	T(STORE(s, subsidy_create, &bad, &e) == KV_INVALID,
	  "an unknown kind: invalid");
	CHECK_STR(e.field, "kind", "names the kind");
	T(STORE(s, subsidy_list, w->b.id, a, &ss, &n, &e) == KV_OK &&
	  n == 1 && ss[0].id == s3.id, "subsidy_list of B");
	arena_free(a);
}

static void test_form_periods(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct form_period p1 = {.tenant_id = w->a.id,
				 .assignment = "Sociaal Wijkteam",
				 .from_year = 2020, .to_year = 0,
				 .form = FORM_ONE_PENVOERDER,
				 .parties = "Stichting De Sociale Basis "
					    "(penvoerder), MEE",
				 .source = "Memo 20 april 2020"};
	struct form_period p2 = {.tenant_id = w->a.id,
				 .assignment = "Sociaal Wijkteam",
				 .from_year = 2015, .to_year = 2019,
				 .form = FORM_SEPARATE_SUBSIDIES};
	struct form_period p3 = {.tenant_id = w->a.id,
				 .assignment = "Buurtwerk",
				 .from_year = 2018, .to_year = 2021,
				 .form = FORM_CONSORTIUM_CONTRACT};
	T(STORE(s, form_period_create, &p1, &e) == KV_OK && p1.id > 0,
	  "form_period_create (open-ended)");
	T(STORE(s, form_period_create, &p2, &e) == KV_OK, "an earlier one");
	T(STORE(s, form_period_create, &p3, &e) == KV_OK,
	  "another assignment");
	struct form_period *ps;
	int n;
	T(STORE(s, form_period_list, w->a.id, a, &ps, &n, &e) == KV_OK &&
	  n == 3, "form_period_list");
	T(n == 3 && ps[0].id == p3.id && ps[1].id == p2.id &&
	  ps[2].id == p1.id, "by assignment, then from_year");
	if (n == 3) {
		T(ps[2].from_year == 2020 && ps[2].to_year == 0 &&
		  ps[2].form == FORM_ONE_PENVOERDER &&
		  ps[2].tenant_id == w->a.id,
		  "fields round trip; still so reads 0");
		CHECK_STR(ps[2].assignment, "Sociaal Wijkteam", "assignment");
		CHECK_STR(ps[2].parties,
			  "Stichting De Sociale Basis (penvoerder), MEE",
			  "parties");
		CHECK_STR(ps[2].source, "Memo 20 april 2020", "source");
		T(ps[1].to_year == 2019 &&
		  ps[1].form == FORM_SEPARATE_SUBSIDIES &&
		  ps[1].parties == NULL && ps[1].source == NULL &&
		  ps[0].form == FORM_CONSORTIUM_CONTRACT,
		  "the others");
	}
	struct form_period dup = p2;
	dup.id = 0;
	dup.to_year = 2016;
	kv_error_clear(&e);
	T(STORE(s, form_period_create, &dup, &e) == KV_CONFLICT,
	  "two periods of one assignment from one year: conflict");
	CHECK_STR(e.field, "from_year", "names the field");
	dup.from_year = 2010;
	dup.to_year = 2009;
	kv_error_clear(&e);
	T(STORE(s, form_period_create, &dup, &e) == KV_INVALID,
	  "to before from: invalid");
	CHECK_STR(e.field, "to_year", "names the field");
	dup.to_year = 2011;
	dup.form = (enum org_form)17;
	T(STORE(s, form_period_create, &dup, &e) == KV_INVALID,
	  "an unknown form: invalid");
	T(STORE(s, form_period_list, w->b.id, a, &ps, &n, &e) == KV_OK &&
	  n == 0 && ps == NULL, "none in B");
	arena_free(a);
}

static void test_kpis(struct store *s, struct steer *t)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	t->k1 = (struct kpi){.contract_id = t->c1.id, .name = "Bereik",
			     .definition = "Aandeel bereikte inwoners",
			     .unit = "%", .direction = KPI_HIGHER_IS_BETTER,
			     .has_target = true, .target_milli = 85000,
			     .source = "Registratie wijkteam",
			     .frequency = KPI_MONTHLY};
	t->k2 = (struct kpi){.contract_id = t->c1.id, .name = "Wachttijd",
			     .unit = "dagen", .direction = KPI_LOWER_IS_BETTER,
			     .frequency = KPI_QUARTERLY};
	t->k3 = (struct kpi){.contract_id = t->c2.id, .name = "Bereik",
			     .direction = KPI_HIGHER_IS_BETTER,
			     .has_target = true, .target_milli = 0,
			     .frequency = KPI_YEARLY};
	T(STORE(s, kpi_create, &t->k1, &e) == KV_OK && t->k1.id > 0,
	  "kpi_create");
	T(STORE(s, kpi_create, &t->k2, &e) == KV_OK, "a second KPI");
	T(STORE(s, kpi_create, &t->k3, &e) == KV_OK,
	  "the same name in another contract");
	struct kpi dup = t->k1;
	dup.id = 0;
	kv_error_clear(&e);
	T(STORE(s, kpi_create, &dup, &e) == KV_CONFLICT && dup.id == 0,
	  "the same name twice in a contract: conflict");
	CHECK_STR(e.field, "name", "names the field");
	T(strstr(e.msg, "Bereik") != NULL, "and the name: %s", e.msg);
	dup.contract_id = 987654;
	dup.name = "Nieuw";
	T(STORE(s, kpi_create, &dup, &e) == KV_INVALID,
	  "an unknown contract: invalid");
	dup.contract_id = t->c1.id;
	dup.name = "";
	kv_error_clear(&e);
	T(STORE(s, kpi_create, &dup, &e) == KV_INVALID, "no name: invalid");
	CHECK_STR(e.field, "name", "names the field");
	dup.name = "Nieuw";
	dup.frequency = (enum kpi_frequency)5;
	kv_error_clear(&e);
	T(STORE(s, kpi_create, &dup, &e) == KV_INVALID,
	  "an unknown frequency: invalid");
	CHECK_STR(e.field, "frequency", "names the field");

	struct kpi *ks;
	int n;
	T(STORE(s, kpi_list, t->c1.id, a, &ks, &n, &e) == KV_OK && n == 2,
	  "kpi_list");
	if (n == 2) {
		T(ks[0].id == t->k1.id && ks[0].contract_id == t->c1.id &&
		  ks[0].direction == KPI_HIGHER_IS_BETTER &&
		  ks[0].has_target && ks[0].target_milli == 85000 &&
		  ks[0].frequency == KPI_MONTHLY, "KPI fields round trip");
		CHECK_STR(ks[0].name, "Bereik", "name");
		CHECK_STR(ks[0].definition, "Aandeel bereikte inwoners",
			  "definition");
		CHECK_STR(ks[0].unit, "%", "unit");
		CHECK_STR(ks[0].source, "Registratie wijkteam", "source");
		T(ks[1].id == t->k2.id && !ks[1].has_target &&
		  ks[1].target_milli == 0 && ks[1].definition == NULL &&
		  ks[1].direction == KPI_LOWER_IS_BETTER &&
		  ks[1].frequency == KPI_QUARTERLY, "without a target");
	}
	T(STORE(s, kpi_list, t->c2.id, a, &ks, &n, &e) == KV_OK && n == 1 &&
	  ks[0].has_target && ks[0].target_milli == 0 &&
	  ks[0].frequency == KPI_YEARLY, "a target of 0 is a target");
	T(STORE(s, kpi_list, t->c3.id, a, &ks, &n, &e) == KV_OK && n == 0 &&
	  ks == NULL, "none: empty");
	arena_free(a);
}

static struct measurement meas(int64_t kpi, const char *period,
			       const char *area, int64_t v)
{
	struct measurement m = {.kpi_id = kpi, .area = (char *)area,
				.value_milli = v};
	snprintf(m.period, sizeof m.period, "%s", period);
	return m;
}

static void test_measurements(struct store *s, struct steer *t)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct measurement batch[5] = {
	    meas(t->k2.id, "2023-Q2", NULL, 9000),
	    meas(t->k1.id, "2023-02", "", 82500),
	    meas(t->k1.id, "2023-01", "Noord", 70000),
	    meas(t->k1.id, "2023-01", "", 80000),
	    meas(t->k2.id, "2023-Q1", "", -12500),
	};
	T(STORE(s, measurements_put, batch, 5, &e) == KV_OK,
	  "measurements_put: %s", e.msg);
	struct measurement one = meas(t->k3.id, "2023", "Zuid", 1);
	T(STORE(s, measurements_put, &one, 1, &e) == KV_OK,
	  "one of another contract");
	T(STORE(s, measurements_put, NULL, 0, &e) == KV_OK,
	  "an empty batch is fine");
	struct measurement *ms;
	int n;
	T(STORE(s, measurements_list, t->c1.id, a, &ms, &n, &e) == KV_OK &&
	  n == 5, "measurements_list of the contract");
	int order = n == 5 && ms[0].kpi_id == t->k1.id &&
		    strcmp(ms[0].area, "") == 0 &&
		    strcmp(ms[0].period, "2023-01") == 0 &&
		    strcmp(ms[1].period, "2023-02") == 0 &&
		    strcmp(ms[2].area, "Noord") == 0 &&
		    ms[3].kpi_id == t->k2.id &&
		    strcmp(ms[3].period, "2023-Q1") == 0 &&
		    strcmp(ms[4].period, "2023-Q2") == 0;
	T(order, "by kpi, area, period");
	T(n == 5 && ms[0].value_milli == 80000 &&
	  ms[3].value_milli == -12500 && ms[0].id > 0,
	  "values round trip");
	T(n == 5 && ms[4].area != NULL && ms[4].area[0] == '\0' &&
	  ms[4].value_milli == 9000, "a NULL area is stored as ''");
	int64_t first_id = n == 5 ? ms[0].id : 0;

	struct measurement again = meas(t->k1.id, "2023-01", "", 81000);
	T(STORE(s, measurements_put, &again, 1, &e) == KV_OK,
	  "the same kpi, period and area again");
	T(STORE(s, measurements_list, t->c1.id, a, &ms, &n, &e) == KV_OK &&
	  n == 5 && ms[0].value_milli == 81000 && ms[0].id == first_id &&
	  ms[2].value_milli == 70000,
	  "replaced (same id), the area's own value untouched");

	/* All or nothing. */
	struct measurement mixed[3] = {
	    meas(t->k1.id, "2023-01", "", 1),
	    meas(t->k1.id, "2023-03", "", 83000),
	    meas(987654, "2023-03", "", 5),
	};
	kv_error_clear(&e);
	T(STORE(s, measurements_put, mixed, 3, &e) == KV_INVALID,
	  "a batch with an unknown KPI: invalid");
	CHECK_STR(e.field, "kpi_id", "names the field");
	T(strstr(e.msg, "3") != NULL, "and which one: %s", e.msg);
	T(STORE(s, measurements_list, t->c1.id, a, &ms, &n, &e) == KV_OK &&
	  n == 5 && ms[0].value_milli == 81000,
	  "nothing of the batch was stored or replaced");
	mixed[2] = meas(t->k1.id, "2023/03", "", 5);
	kv_error_clear(&e);
	T(STORE(s, measurements_put, mixed, 3, &e) == KV_INVALID,
	  "a malformed period: invalid");
	CHECK_STR(e.field, "period", "names the period");
	T(STORE(s, measurements_list, t->c1.id, a, &ms, &n, &e) == KV_OK &&
	  n == 5, "still nothing stored");
	struct measurement longp = meas(t->k1.id, "2023-01", "", 1);
	memset(longp.period, '1', sizeof longp.period);
	T(STORE(s, measurements_put, &longp, 1, &e) == KV_INVALID,
	  "an unterminated period: invalid");

	/* Inside the caller's transaction, a refused batch undoes only
	 * itself. */
	struct measurement ok = meas(t->k1.id, "2023-04", "", 84000);
	T(store_begin(s, true, &e) == KV_OK &&
	  STORE(s, measurements_put, &ok, 1, &e) == KV_OK,
	  "a batch inside a transaction");
	T(STORE(s, measurements_put, mixed, 3, &e) == KV_INVALID,
	  "then a refused one");
	T(store_commit(s, &e) == KV_OK, "commit");
	T(STORE(s, measurements_list, t->c1.id, a, &ms, &n, &e) == KV_OK &&
	  n == 6, "the first batch is kept, the refused one is not");

	T(STORE(s, measurements_list, t->c2.id, a, &ms, &n, &e) == KV_OK &&
	  n == 1 && ms[0].kpi_id == t->k3.id &&
	  strcmp(ms[0].period, "2023") == 0, "another contract's");
	if (n == 1)
		CHECK_STR(ms[0].area, "Zuid", "area");
	T(STORE(s, measurements_list, t->c3.id, a, &ms, &n, &e) == KV_OK &&
	  n == 0 && ms == NULL, "none: empty");
	arena_free(a);
}

static void test_evaluations(struct store *s, struct steer *t)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct evaluation e6 = {.contract_id = t->c1.id, .after_year = 6};
	struct evaluation e3 = {.contract_id = t->c1.id, .after_year = 3,
				.due = {2025, 7, 1},
				.outcome = EVAL_PENDING};
	T(STORE(s, evaluation_put, &e6, &e) == KV_OK && e6.id > 0,
	  "evaluation_put without a due date");
	T(STORE(s, evaluation_put, &e3, &e) == KV_OK && e3.id > 0 &&
	  e3.id != e6.id, "evaluation_put");
	struct evaluation *es;
	int n;
	T(STORE(s, evaluation_list, t->c1.id, a, &es, &n, &e) == KV_OK &&
	  n == 2 && es[0].after_year == 3 && es[1].after_year == 6,
	  "evaluation_list by after_year");
	T(n == 2 && es[0].id == e3.id && es[0].contract_id == t->c1.id &&
	  date_is(es[0].due, 2025, 7, 1) && es[0].outcome == EVAL_PENDING &&
	  es[0].notes == NULL && es[0].decision == NULL &&
	  date_is(es[1].due, 0, 0, 0), "fields round trip");

	struct evaluation neg = {.contract_id = t->c1.id, .after_year = 3,
				 .due = {2025, 9, 1},
				 .outcome = EVAL_NEGATIVE,
				 .notes = "Bereik onder de norm",
				 .decision = "2025/88"};
	T(STORE(s, evaluation_put, &neg, &e) == KV_OK && neg.id == e3.id,
	  "put again: the same evaluation (id %lld)", (long long)neg.id);
	T(STORE(s, evaluation_list, t->c1.id, a, &es, &n, &e) == KV_OK &&
	  n == 2 && es[0].outcome == EVAL_NEGATIVE &&
	  date_is(es[0].due, 2025, 9, 1), "replaced");
	if (n == 2) {
		CHECK_STR(es[0].notes, "Bereik onder de norm", "notes");
		CHECK_STR(es[0].decision, "2025/88", "decision");
	}
	struct evaluation bad = {.contract_id = 987654, .after_year = 3};
	T(STORE(s, evaluation_put, &bad, &e) == KV_INVALID,
	  "an unknown contract: invalid");
	bad.contract_id = t->c1.id;
	bad.after_year = 0;
	kv_error_clear(&e);
	T(STORE(s, evaluation_put, &bad, &e) == KV_INVALID,
	  "after year 0: invalid");
	CHECK_STR(e.field, "after_year", "names the field");
	bad.after_year = 3;
	bad.outcome = (enum evaluation_outcome)7;
	kv_error_clear(&e);
	T(STORE(s, evaluation_put, &bad, &e) == KV_INVALID,
	  "an unknown outcome: invalid");
	CHECK_STR(e.field, "outcome", "names the field");
	T(STORE(s, evaluation_list, t->c2.id, a, &es, &n, &e) == KV_OK &&
	  n == 0 && es == NULL, "none: empty");
	arena_free(a);
}

static void test_risks(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct risk r1 = {.tenant_id = w->a.id, .procedure_id = w->pa1.id,
			  .title = "Ondernemingsraad adviseert negatief",
			  .description = "Vertraging van de gunning",
			  .mitigation = "Vroeg betrekken", .level = RISK_HIGH,
			  .status = "gedekt mits tijdig advies"};
	struct risk r2 = {.tenant_id = w->a.id, .title = "Personeel",
			  .level = RISK_LOW};
	struct risk r3 = {.tenant_id = w->b.id, .title = "B",
			  .level = RISK_MEDIUM};
	T(STORE(s, risk_create, &r1, &e) == KV_OK && r1.id > 0,
	  "risk_create");
	T(STORE(s, risk_create, &r2, &e) == KV_OK, "one without procedure");
	T(STORE(s, risk_create, &r3, &e) == KV_OK, "one of B");
	struct risk *rs;
	int n;
	T(STORE(s, risk_list, w->a.id, a, &rs, &n, &e) == KV_OK && n == 2,
	  "risk_list of A");
	if (n == 2) {
		T(rs[0].id == r1.id && rs[0].tenant_id == w->a.id &&
		  rs[0].procedure_id == w->pa1.id &&
		  rs[0].level == RISK_HIGH, "risk fields round trip");
		CHECK_STR(rs[0].title, "Ondernemingsraad adviseert negatief",
			  "title");
		CHECK_STR(rs[0].description, "Vertraging van de gunning",
			  "description");
		CHECK_STR(rs[0].mitigation, "Vroeg betrekken", "mitigation");
		CHECK_STR(rs[0].status, "gedekt mits tijdig advies", "status");
		T(rs[1].procedure_id == 0 && rs[1].level == RISK_LOW &&
		  rs[1].description == NULL && rs[1].status == NULL,
		  "a bare risk");
	}
	struct risk bad = r2;
	bad.procedure_id = w->pb1.id;
	T(STORE(s, risk_create, &bad, &e) == KV_INVALID,
	  "a procedure of another tenant: invalid");
	bad.procedure_id = 0;
	bad.title = NULL;
	kv_error_clear(&e);
	T(STORE(s, risk_create, &bad, &e) == KV_INVALID, "no title: invalid");
	CHECK_STR(e.field, "title", "names the field");
	bad.title = "x";
	bad.level = (enum risk_level)3;
	T(STORE(s, risk_create, &bad, &e) == KV_INVALID,
	  "an unknown level: invalid");
	T(STORE(s, risk_list, w->b.id, a, &rs, &n, &e) == KV_OK && n == 1 &&
	  rs[0].level == RISK_MEDIUM, "risk_list of B");
	arena_free(a);
}

/* The reporter's grant names one contract of the tenant. */
static void test_reporter_grants(struct store *s, struct world *w,
				 struct steer *t)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct account rep;
	make_account(s, &rep, w->s1.id, "rapportage@schoon.nl");
	struct grant g = {.account_id = rep.id, .tenant_id = w->a.id,
			  .role = ROLE_REPORTER, .contract_id = t->c1.id};
	T(STORE(s, grant_add, &g, &e) == KV_OK, "a reporter grant: %s",
	  e.msg);
	kv_error_clear(&e);
	T(STORE(s, grant_add, &g, &e) == KV_CONFLICT,
	  "the same reporter grant twice: conflict");
	CHECK_STR(e.field, "role", "names the role");
	struct grant g2 = g;
	g2.contract_id = t->c2.id;
	T(STORE(s, grant_add, &g2, &e) == KV_OK,
	  "a reporter of a second contract");
	struct grant bad = g;
	bad.contract_id = 0;
	kv_error_clear(&e);
	T(STORE(s, grant_add, &bad, &e) == KV_INVALID,
	  "a reporter without a contract: invalid");
	CHECK_STR(e.field, "contract_id", "names the contract");
	bad.contract_id = t->c3.id; /* B's contract in A */
	T(STORE(s, grant_add, &bad, &e) == KV_INVALID,
	  "a contract of another tenant: invalid");
	bad.contract_id = t->c1.id;
	bad.procedure_id = w->pa1.id;
	kv_error_clear(&e);
	T(STORE(s, grant_add, &bad, &e) == KV_INVALID,
	  "a reporter on a procedure: invalid");
	CHECK_STR(e.field, "contract_id", "names the contract");
	struct grant buyer = {.account_id = rep.id, .tenant_id = w->a.id,
			      .role = ROLE_BUYER, .contract_id = t->c1.id};
	kv_error_clear(&e);
	T(STORE(s, grant_add, &buyer, &e) == KV_INVALID,
	  "a buyer naming a contract: invalid");
	CHECK_STR(e.field, "contract_id", "names the contract");
	struct grant *gs;
	int n;
	T(STORE(s, grants_of, rep.id, a, &gs, &n, &e) == KV_OK && n == 2 &&
	  gs[0].role == ROLE_REPORTER && gs[0].contract_id == t->c1.id &&
	  gs[0].procedure_id == 0 && gs[0].tenant_id == w->a.id &&
	  gs[1].contract_id == t->c2.id, "reporter grants round trip");
	T(STORE(s, grants_of, w->buyer_a.id, a, &gs, &n, &e) == KV_OK &&
	  n == 1 && gs[0].contract_id == 0, "others read contract 0");
	struct procedure_summary *ps;
	T(STORE(s, procedure_visible, rep.id, a, &ps, &n, &e) == KV_OK &&
	  n == 0, "a reporter sees no procedures");
	arena_free(a);
}

static void test_steering(struct store *s, struct world *w)
{
	struct steer t;
	memset(&t, 0, sizeof t);
	test_contracts(s, w, &t);
	test_index_figures(s, &t);
	test_frames(s, w);
	test_subsidies(s, w);
	test_form_periods(s, w);
	test_kpis(s, &t);
	test_measurements(s, &t);
	test_evaluations(s, &t);
	test_risks(s, w);
	test_reporter_grants(s, w, &t);
}

/* --- audit -------------------------------------------------------------- */

static void add_events(struct store *s, int n, int64_t actor,
		       int64_t tenant, const char *payload)
{
	struct kv_error e = {0};
	char obj[64];
	for (int i = 0; i < n; i++) {
		snprintf(obj, sizeof obj, "procedure/%d/stage/%d", i % 3 + 1,
			 i);
		struct audit_event ev = {.actor = actor, .tenant_id = tenant,
					 .action = "stage.move",
					 .object = obj, .before = "{}",
					 .after = payload};
		if (STORE(s, audit_append, &ev, &e) != KV_OK) {
			printf("# audit_append: %s\n", e.msg);
			return;
		}
	}
}

static void verify(struct store *s, struct audit_verify_result *vr)
{
	struct kv_error e = {0};
	memset(vr, 0, sizeof *vr);
	if (STORE(s, audit_verify, NULL, 0, NULL, NULL, vr, &e) != KV_OK)
		printf("# audit_verify: %s\n", e.msg);
}

/* A fresh database with 50 events. */
static struct store *fifty(const char *name)
{
	struct store *s = open_db(name);
	if (s)
		add_events(s, 50, 0, 1, "{\"n\":1}");
	return s;
}

struct progress_log {
	int calls;
	int64_t last_done, last_total;
	int monotonic;
};

static void on_progress(void *ctx, int64_t done_, int64_t total)
{
	struct progress_log *p = ctx;
	if (done_ < p->last_done)
		p->monotonic = 0;
	p->calls++;
	p->last_done = done_;
	p->last_total = total;
}

static void test_audit(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct audit_verify_result vr;

	verify(s, &vr);
	T(vr.checked == 0 && vr.first_bad == 0, "an empty log verifies");

	struct audit_event first = {.actor = w->buyer_a.id,
				    .tenant_id = w->a.id,
				    .action = "procedure.create",
				    .object = "procedure/1",
				    .after = "{\"ref\":\"DOR\"}"};
	T(STORE(s, audit_append, &first, &e) == KV_OK && first.seq == 1,
	      "the first event gets seq 1");
	unsigned char zero[32] = {0};
	T(memcmp(first.prev, zero, 32) == 0,
	      "the first event follows 32 zero bytes");
	T(audit_check(&first) && first.at > 0,
	      "it is sealed, with a time");
	struct audit_event second = {.tenant_id = w->b.id,
				     .action = "system.note",
				     .object = "procedure/2"};
	T(STORE(s, audit_append, &second, &e) == KV_OK &&
	      second.seq == 2 && memcmp(second.prev, first.hash, 32) == 0,
	      "the second follows the first");

	/* Inside the caller's write transaction; rolled back, the seq is
	 * reused. */
	T(store_begin(s, true, &e) == KV_OK, "begin write");
	struct audit_event gone = {.action = "x", .object = "y"};
	T(STORE(s, audit_append, &gone, &e) == KV_OK && gone.seq == 3,
	      "append in a transaction");
	store_rollback(s);
	struct audit_event third = {.actor = w->buyer_a.id,
				    .tenant_id = w->a.id,
				    .action = "stage.complete",
				    .object = "procedure/1/stage/3"};
	T(store_begin(s, true, &e) == KV_OK &&
	      STORE(s, audit_append, &third, &e) == KV_OK &&
	      store_commit(s, &e) == KV_OK && third.seq == 3,
	      "after a rollback the next event takes seq 3");
	add_events(s, 47, w->buyer_a.id, w->a.id, "{\"n\":2}");
	verify(s, &vr);
	T(vr.checked == 50 && vr.first_bad == 0 && vr.reason[0] == 0,
	      "50 events verify");

	struct audit_row *rows;
	int n;
	T(STORE(s, audit_list, w->a.id, "procedure/1", 5, a, &rows, &n,
		    &e) == KV_OK && n == 5, "audit_list with a limit");
	int desc = n == 5 && rows[0].ev.seq == 49; /* 50 is procedure/2 */
	for (int i = 1; desc && i < n; i++)
		desc = rows[i].ev.seq < rows[i - 1].ev.seq;
	T(desc, "newest first");
	int match = 1;
	for (int i = 0; i < n; i++)
		match &= rows[i].ev.tenant_id == w->a.id &&
			 strncmp(rows[i].ev.object, "procedure/1", 11) == 0 &&
			 audit_check(&rows[i].ev);
	T(match, "all of tenant A, under the prefix, with valid hashes");
	if (n)
		CHECK_STR(rows[0].actor_name, "jan@dordrecht.nl",
			  "actor name joined");
	T(STORE(s, audit_list, w->b.id, "", 0, a, &rows, &n, &e) ==
		  KV_OK && n == 1 && rows[0].ev.seq == 2 &&
	      rows[0].actor_name == NULL, "B's one event, by the system");
	if (n == 1) {
		CHECK_STR(rows[0].ev.before, "", "absent before reads \"\"");
		CHECK_STR(rows[0].ev.action, "system.note", "action");
	}
	T(STORE(s, audit_list, 0, NULL, 0, a, &rows, &n, &e) == KV_OK &&
	      n == 50, "tenant 0 lists everything");

	/* Append-only. */
	sqlite3 *db = raw_open("main.db");
	T(sqlite3_exec(db, "UPDATE audit SET actor = 0 WHERE seq = 1",
			   NULL, NULL, NULL) != SQLITE_OK &&
	      strstr(sqlite3_errmsg(db), "append-only"),
	      "UPDATE of the audit log is refused");
	T(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 50", NULL, NULL,
			   NULL) != SQLITE_OK,
	      "DELETE from the audit log is refused");
	sqlite3_close(db);
	verify(s, &vr);
	T(vr.checked == 50 && vr.first_bad == 0, "still intact");

	/* Tampering, each on its own copy of 50 events. */
	struct store *t = fifty("tamper1.db");
	db = raw_open("tamper1.db");
	raw_exec(db, "DROP TRIGGER audit_no_update; "
		     "UPDATE audit SET after_json = '{\"n\":666}' "
		     "WHERE seq = 17");
	sqlite3_close(db);
	verify(t, &vr);
	T(vr.first_bad == 17, "an altered event is named (%lld)",
	      (long long)vr.first_bad);
	CHECK_STR(vr.reason, "event 17 was altered", "with the reason");
	T(vr.checked == 17, "verification stops there");
	store_close(t);

	t = fifty("tamper2.db");
	db = raw_open("tamper2.db");
	raw_exec(db, "DROP TRIGGER audit_no_delete; "
		     "DELETE FROM audit WHERE seq = 23");
	sqlite3_close(db);
	verify(t, &vr);
	T(vr.first_bad == 23, "a deleted event is named (%lld)",
	      (long long)vr.first_bad);
	CHECK_STR(vr.reason, "event 23 is missing", "as missing");
	store_close(t);

	/* Altered and re-sealed: the next event no longer follows. */
	t = fifty("tamper3.db");
	db = raw_open("tamper3.db");
	struct audit_event forged;
	STORE(t, audit_list, 0, "", 0, a, &rows, &n, &e);
	forged = rows[50 - 17].ev; /* newest first: index 33 is seq 17 */
	T(forged.seq == 17, "fixture: event 17");
	forged.after = "{\"n\":\"forged\"}";
	audit_seal(&forged);
	sqlite3_stmt *st;
	raw_exec(db, "DROP TRIGGER audit_no_update");
	sqlite3_prepare_v2(db, "UPDATE audit SET after_json = ?1, hash = ?2 "
			       "WHERE seq = 17", -1, &st, NULL);
	sqlite3_bind_text(st, 1, forged.after, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, forged.hash, 32, SQLITE_STATIC);
	T(sqlite3_step(st) == SQLITE_DONE, "forged event 17 written");
	sqlite3_finalize(st);
	sqlite3_close(db);
	verify(t, &vr);
	T(vr.first_bad == 18, "a re-sealed forgery is caught at 18");
	CHECK_STR(vr.reason, "event 18 does not follow event 17",
		  "as a broken link");
	store_close(t);

	/* The first event removed. */
	t = fifty("tamper4.db");
	db = raw_open("tamper4.db");
	raw_exec(db, "DROP TRIGGER audit_no_delete; "
		     "DELETE FROM audit WHERE seq = 1");
	sqlite3_close(db);
	verify(t, &vr);
	T(vr.first_bad == 1, "a missing first event is named");
	CHECK_STR(vr.reason, "event 1 is missing", "as missing");
	store_close(t);
	arena_free(a);
}

/* Many events: progress every 10000 and at the end.  The database is
 * then used for the backup test. */
static void test_audit_progress(void)
{
	struct kv_error e = {0};
	struct store *s = open_db("big.db");
	if (!s)
		return;
	static char payload[401];
	memset(payload, 'x', 400);
	T(store_begin(s, true, &e) == KV_OK, "begin a big write");
	add_events(s, 25000, 0, 1, payload);
	T(store_commit(s, &e) == KV_OK, "25000 events committed");
	struct progress_log pl = {.monotonic = 1};
	struct audit_verify_result vr;
	T(STORE(s, audit_verify, NULL, 0, on_progress, &pl, &vr, &e) == KV_OK,
	      "verify with progress");
	T(vr.checked == 25000 && vr.first_bad == 0, "25000 verified");
	T(pl.calls == 3, "progress at 10000, 20000 and the end (%d)",
	      pl.calls);
	T(pl.last_done == 25000 && pl.last_total == 25000 &&
	      pl.monotonic, "the last call says done");
	store_close(s);
}

/* --- backup ------------------------------------------------------------- */

struct writer {
	const char *path;
	atomic_int stop;
	atomic_int written;
	int failed;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	struct kv_error e = {0};
	struct store *s = store_sqlite_open(w->path, &e);
	if (!s) {
		w->failed = 1;
		return NULL;
	}
	for (int i = 0; !atomic_load(&w->stop); i++) {
		char kvk[16], name[32];
		snprintf(kvk, sizeof kvk, "7%07d", i % 10000000);
		snprintf(name, sizeof name, "Leverancier %d", i);
		struct org o = {.name = name, .kvk = kvk,
				.kind = ORG_SUPPLIER};
		if (STORE(s, org_create, &o, &e) != KV_OK) {
			w->failed = 1;
			break;
		}
		atomic_fetch_add(&w->written, 1);
		struct audit_event ev = {.action = "org.create",
					 .object = "org"};
		if (STORE(s, audit_append, &ev, &e) != KV_OK) {
			w->failed = 1;
			break;
		}
	}
	store_close(s);
	return NULL;
}

static void slow_progress(void *ctx, int64_t done_, int64_t total)
{
	on_progress(ctx, done_, total);
	usleep(2000); /* give the writer room to commit meanwhile */
}

static void test_backup(void)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct store *s = open_db("big.db");
	if (!s)
		return;
	struct org marker;
	make_org(s, &marker, "Gemeente Backup", "88888888", ORG_MUNICIPALITY);

	/* An uncommitted write on another connection must not be in it. */
	struct store *other = open_db("big.db");
	T(other && store_begin(other, true, &e) == KV_OK,
	      "another connection holds a write transaction");
	struct org pending;
	make_org(other, &pending, "Nog niet", "99990000", ORG_SUPPLIER);

	struct progress_log pl = {.monotonic = 1};
	T(STORE(s, backup, path_of("backup1.db"), on_progress, &pl,
		    &e) == KV_OK, "backup while a writer holds the lock: %s",
	      e.msg);
	T(pl.calls >= 2 && pl.last_done == pl.last_total &&
	      pl.last_total > 256 && pl.monotonic,
	      "progress in steps of 256 pages (%d calls, %lld pages)",
	      pl.calls, (long long)pl.last_total);
	T(store_commit(other, &e) == KV_OK, "the writer commits after");
	store_close(other);

	struct stat sb;
	T(stat(path_of("backup1.db"), &sb) == 0 &&
	      (sb.st_mode & 077) == 0, "the backup is private to the owner");
	kv_error_clear(&e);
	T(STORE(s, backup, path_of("backup1.db"), NULL, NULL, &e) ==
		  KV_CONFLICT, "an existing file is not overwritten: %s",
	      e.msg);
	T(STORE(s, backup, path_of("no/such/dir.db"), NULL, NULL, &e) ==
		  KV_IO, "an impossible path: KV_IO");

	struct store *b = open_db("backup1.db");
	T(b != NULL, "the backup opens");
	if (b) {
		struct org o;
		T(STORE(b, org_by_kvk, "88888888", a, &o, &e) == KV_OK,
		      "and holds the data");
		T(STORE(b, org_by_kvk, "99990000", a, &o, &e) ==
			  KV_NOT_FOUND, "but not the uncommitted write");
		struct audit_verify_result vr;
		T(STORE(b, audit_verify, NULL, 0, NULL, NULL, &vr, &e) == KV_OK &&
		      vr.checked == 25000 && vr.first_bad == 0,
		      "its audit chain is whole");
		store_close(b);
	}

	/* A writer thread commits while the backup runs. */
	struct writer w = {.path = path_of("big.db")};
	pthread_t th;
	pthread_create(&th, NULL, writer_main, &w);
	while (atomic_load(&w.written) < 5)
		usleep(1000);
	int before = atomic_load(&w.written);
	struct progress_log pl2 = {.monotonic = 1};
	enum kv_status r = STORE(s, backup, path_of("backup2.db"),
				 slow_progress, &pl2, &e);
	int during = atomic_load(&w.written) - before;
	atomic_store(&w.stop, 1);
	pthread_join(th, NULL);
	T(r == KV_OK, "backup while another thread writes: %s",
	      r ? e.msg : "ok");
	T(!w.failed, "the writer was never blocked into failure");
	T(during > 0, "the writer committed during the backup (%d)",
	      during);
	b = open_db("backup2.db");
	T(b != NULL, "the second backup opens");
	if (b) {
		struct org *orgs;
		int n;
		T(STORE(b, org_list, a, &orgs, &n, &e) == KV_OK &&
		      n >= before, "it holds what was committed before (%d)",
		      n);
		struct audit_verify_result vr;
		T(STORE(b, audit_verify, NULL, 0, NULL, NULL, &vr, &e) == KV_OK &&
		      vr.first_bad == 0 && vr.checked >= 25000,
		      "a consistent snapshot: the chain is whole (%lld)",
		      (long long)vr.checked);
		store_close(b);
	}
	store_close(s);
	arena_free(a);
}

/* --- the pool ----------------------------------------------------------- */

struct pool_run {
	struct store_pool *pool;
	atomic_int in_use, max_in_use, failures;
};

static void *pool_worker(void *arg)
{
	struct pool_run *pr = arg;
	arena *a = arena_new();
	for (int i = 0; i < 25; i++) {
		struct store *s = store_pool_acquire(pr->pool);
		int now = atomic_fetch_add(&pr->in_use, 1) + 1;
		int max = atomic_load(&pr->max_in_use);
		while (now > max &&
		       !atomic_compare_exchange_weak(&pr->max_in_use, &max,
						     now))
			;
		struct kv_error e = {0};
		struct audit_event ev = {.action = "pool.test",
					 .object = "pool"};
		struct org o;
		if (store_begin(s, true, &e) != KV_OK ||
		    STORE(s, audit_append, &ev, &e) != KV_OK ||
		    store_commit(s, &e) != KV_OK)
			atomic_fetch_add(&pr->failures, 1);
		if (STORE(s, org_by_kvk, "12345678", a, &o, &e) != KV_OK)
			atomic_fetch_add(&pr->failures, 1);
		if (i == 3) /* a request that forgot its transaction */
			store_begin(s, false, &e);
		usleep(200);
		atomic_fetch_sub(&pr->in_use, 1);
		store_pool_release(pr->pool, s);
	}
	arena_free(a);
	return NULL;
}

static void test_pool(void)
{
	struct kv_error e = {0};
	T(store_pool_open(path_of("main.db"), 0, &e) == NULL &&
	      e.status == KV_INVALID, "a pool of 0 is refused");
	T(store_pool_open(path_of("future.db"), 2, &e) == NULL,
	      "a pool on a refused database fails");
	struct pool_run pr = {0};
	pr.pool = store_pool_open(path_of("main.db"), 2, &e);
	T(pr.pool != NULL, "store_pool_open with 2 connections");
	if (!pr.pool)
		return;
	struct store *s0 = store_pool_acquire(pr.pool);
	struct audit_verify_result vr;
	verify(s0, &vr);
	int64_t before = vr.checked;
	store_pool_release(pr.pool, s0);

	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, pool_worker, &pr);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	T(atomic_load(&pr.failures) == 0, "every request succeeded");
	T(atomic_load(&pr.max_in_use) <= 2,
	      "never more than 2 connections out (%d)",
	      atomic_load(&pr.max_in_use));
	T(atomic_load(&pr.max_in_use) == 2, "and both were used");
	s0 = store_pool_acquire(pr.pool);
	verify(s0, &vr);
	T(vr.checked == before + 100 && vr.first_bad == 0,
	      "100 events from 4 threads form one chain");
	store_pool_release(pr.pool, s0);
	store_pool_close(pr.pool);
}

/* A v3 database with data, upgraded to v4: the vault tables appear, the
 * data stays, and every vault operation works with its refusals. */
static void test_migration_v3(void)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct store *s = store_sqlite_open_at_version(path_of("v3.db"), 3,
						       &e);
	T(s != NULL, "a v3 database can be built");
	if (!s) {
		arena_free(a);
		return;
	}
	T(s->ops->schema_version(s) == 3, "it is at version 3");
	struct org mun, sup;
	make_org(s, &mun, "Gemeente Drie", "44445555", ORG_MUNICIPALITY);
	make_org(s, &sup, "Welzijn Drie", "55556666", ORG_SUPPLIER);
	struct account b1, b2, b3, bidder;
	make_account(s, &b1, mun.id, "inkoop1@drie.nl");
	make_account(s, &b2, mun.id, "inkoop2@drie.nl");
	make_account(s, &b3, mun.id, "inkoop3@drie.nl");
	make_account(s, &bidder, sup.id, "bieder@drie.nl");
	struct procedure p, q;
	fill_procedure(a, &p, mun.id, "DRIE-2024");
	fill_procedure(a, &q, mun.id, "DRIE-2024-B");
	T(STORE(s, procedure_create, &p, &e) == KV_OK &&
	      STORE(s, procedure_create, &q, &e) == KV_OK,
	      "procedures are stored at v3");
	struct party pt = {.org_id = sup.id, .role = PARTY_PENVOERDER};
	struct candidate cand = {.procedure_id = p.id, .name = "Welzijn Drie",
				 .parties = &pt, .n_parties = 1};
	T(STORE(s, candidate_create, &cand, &e) == KV_OK, "a candidate at v3");
	struct grant g1 = {.account_id = b1.id, .tenant_id = mun.id,
			   .role = ROLE_BUYER};
	struct grant g2 = {.account_id = b2.id, .tenant_id = mun.id,
			   .procedure_id = p.id, .role = ROLE_BUYER};
	struct grant g3 = {.account_id = b3.id, .tenant_id = mun.id,
			   .procedure_id = q.id, .role = ROLE_BUYER};
	T(STORE(s, grant_add, &g1, &e) == KV_OK &&
	      STORE(s, grant_add, &g2, &e) == KV_OK &&
	      STORE(s, grant_add, &g3, &e) == KV_OK, "grants at v3");
	struct vault_key_rec k = {.account_id = b1.id};
	T(STORE(s, vault_key_create, &k, &e) == KV_IO,
	      "v3 has no vault keys yet");
	store_close(s);

	s = open_db("v3.db");
	T(s != NULL, "the v3 database opens with this build");
	if (!s) {
		arena_free(a);
		return;
	}
	T(s->ops->schema_version(s) >= 4 &&
	      s->ops->schema_version(s) == store_sqlite_latest_version(),
	      "and is upgraded to version 4 (and on to the latest)");
	struct procedure p2;
	T(STORE(s, procedure_get, p.id, a, &p2, &e) == KV_OK &&
	      p2.n_lots == p.n_lots && p2.n_stages == p.n_stages,
	      "the procedure survived");
	struct grant *gs;
	int n;
	T(STORE(s, grants_of, b2.id, a, &gs, &n, &e) == KV_OK && n == 1 &&
	      gs[0].procedure_id == p.id, "the grants survived");

	/* Vault keys: one per account. */
	struct account *bs[] = {&b1, &b2, &b3};
	for (int i = 0; i < 3; i++) {
		struct vault_key_rec key = {.account_id = bs[i]->id,
					    .created_at = 1700000000};
		memset(key.salt, 0x10 + i, sizeof key.salt);
		memset(key.pk, 0x20 + i, sizeof key.pk);
		T(STORE(s, vault_key_create, &key, &e) == KV_OK,
		  "vault key %d stored", i + 1);
	}
	struct vault_key_rec again = {.account_id = b1.id};
	kv_error_clear(&e);
	T(STORE(s, vault_key_create, &again, &e) == KV_CONFLICT,
	      "a second vault key for one account is a conflict");
	struct vault_key_rec got;
	T(STORE(s, vault_key_get, b2.id, a, &got, &e) == KV_OK &&
	      got.salt[0] == 0x11 && got.pk[31] == 0x21 &&
	      strcmp(got.email, "inkoop2@drie.nl") == 0 &&
	      got.created_at == 1700000000, "a vault key reads back");
	T(STORE(s, vault_key_get, bidder.id, a, &got, &e) == KV_NOT_FOUND,
	      "an account without a key: not found");
	struct vault_key_rec *ks;
	T(STORE(s, vault_keys_of_buyers, mun.id, p.id, a, &ks, &n, &e) ==
		      KV_OK && n == 2 && ks[0].account_id == b1.id &&
	      ks[1].account_id == b2.id,
	      "the procedure's buyers with keys: tenant-wide and on it, not "
	      "a buyer of another procedure");

	/* The vault and its shares. */
	struct vault_rec v = {.procedure_id = p.id, .created_at = 1700000100};
	memset(v.pk, 0x33, sizeof v.pk);
	struct vault_share_rec sh[2] = {
		{.holder_account = b1.id, .partner_account = b2.id, .part = 0},
		{.holder_account = b2.id, .partner_account = b1.id, .part = 1},
	};
	memset(sh[0].sealed, 0x44, sizeof sh[0].sealed);
	memset(sh[1].sealed, 0x55, sizeof sh[1].sealed);
	struct vault_rec vr;
	T(STORE(s, vault_get, p.id, &vr, &e) == KV_NOT_FOUND,
	      "no vault before one is made");
	T(STORE(s, vault_create, &v, sh, 2, &e) == KV_OK, "a vault is stored");
	kv_error_clear(&e);
	T(STORE(s, vault_create, &v, sh, 2, &e) == KV_CONFLICT,
	      "a second vault for the procedure is a conflict");
	struct vault_share_rec bad[2] = {sh[0], sh[0]};
	struct vault_rec vq = {.procedure_id = q.id};
	kv_error_clear(&e);
	T(STORE(s, vault_create, &vq, bad, 2, &e) != KV_OK &&
	      STORE(s, vault_get, q.id, &vr, &e) == KV_NOT_FOUND,
	      "a vault with a duplicate share stores nothing");
	T(STORE(s, vault_get, p.id, &vr, &e) == KV_OK && vr.pk[0] == 0x33 &&
	      vr.created_at == 1700000100 && vr.opened_at == 0,
	      "the vault reads back, sealed");
	struct vault_share_rec sg;
	T(STORE(s, vault_share_get, p.id, b2.id, b1.id, &sg, &e) == KV_OK &&
	      sg.part == 1 && sg.sealed[79] == 0x55,
	      "a share reads back by holder and partner");
	T(STORE(s, vault_share_get, p.id, b1.id, b3.id, &sg, &e) ==
		      KV_NOT_FOUND, "a pair without shares: not found");

	/* Submissions. */
	struct submission sub = {.procedure_id = p.id, .lot_id = p.lots[0].id,
				 .candidate_id = cand.id,
				 .account_id = bidder.id,
				 .received_at = 1700000200,
				 .file_name = "inschrijving.pdf",
				 .content_type = "application/pdf",
				 .size = 12345, .path = "ab-cd.kvlt"};
	memset(sub.sha256, 0x66, 32);
	memset(sub.receipt, 0x77, 32);
	T(STORE(s, submission_create, &sub, &e) == KV_OK && sub.id > 0,
	      "a submission is stored");
	struct submission other = sub;
	other.path = "ef.kvlt";
	other.lot_id = q.lots[0].id;
	kv_error_clear(&e);
	T(STORE(s, submission_create, &other, &e) == KV_INVALID,
	      "a lot of another procedure is refused");
	other.lot_id = p.lots[0].id;
	other.path = "ab-cd.kvlt";
	kv_error_clear(&e);
	T(STORE(s, submission_create, &other, &e) == KV_CONFLICT,
	      "two submissions cannot share a file");
	other.path = "sub/dir.kvlt";
	kv_error_clear(&e);
	T(STORE(s, submission_create, &other, &e) == KV_INVALID,
	      "a path outside the vault directory is refused");
	struct submission *subs;
	T(STORE(s, submission_list, p.id, a, &subs, &n, &e) == KV_OK &&
	      n == 1 && subs[0].id == sub.id && subs[0].size == 12345 &&
	      subs[0].lot_number == p.lots[0].number &&
	      strcmp(subs[0].candidate_name, "Welzijn Drie") == 0 &&
	      subs[0].sha256[0] == 0x66 && subs[0].receipt[31] == 0x77 &&
	      strcmp(subs[0].path, "ab-cd.kvlt") == 0 &&
	      subs[0].withdrawn_at == 0, "the submission reads back");

	/* Opening is recorded once, by two different buyers. */
	kv_error_clear(&e);
	T(STORE(s, vault_mark_opened, p.id, 1700000300, b1.id, b1.id, &e) ==
		      KV_INVALID, "one buyer twice cannot open the vault");
	T(STORE(s, vault_mark_opened, p.id, 1700000300, b1.id, b2.id, &e) ==
		      KV_OK, "the opening is recorded");
	kv_error_clear(&e);
	T(STORE(s, vault_mark_opened, p.id, 1700000400, b2.id, b1.id, &e) ==
		      KV_CONFLICT, "a vault opens once");
	T(STORE(s, vault_get, p.id, &vr, &e) == KV_OK &&
	      vr.opened_at == 1700000300 && vr.opened_by_1 == b1.id &&
	      vr.opened_by_2 == b2.id, "the opening reads back");
	sqlite3 *db = raw_open("v3.db");
	T(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0,
	  "no foreign key is broken");
	sqlite3_close(db);
	store_close(s);
	arena_free(a);
}

/* A v4 database with data, upgraded to v5: the question tables appear,
 * the data stays, and every question and nota operation works with its
 * refusals; a nota reads back without who asked. */
static void test_migration_v4(void)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct store *s = store_sqlite_open_at_version(path_of("v4.db"), 4,
						       &e);
	T(s != NULL, "a v4 database can be built");
	if (!s) {
		arena_free(a);
		return;
	}
	T(s->ops->schema_version(s) == 4, "it is at version 4");
	struct org mun, s1, s2;
	make_org(s, &mun, "Gemeente Vier", "44446666", ORG_MUNICIPALITY);
	make_org(s, &s1, "Welzijn Vier", "55557777", ORG_SUPPLIER);
	make_org(s, &s2, "Zorg Vier", "66668888", ORG_SUPPLIER);
	struct account buyer, bid1, bid2;
	make_account(s, &buyer, mun.id, "inkoop@vier.nl");
	make_account(s, &bid1, s1.id, "bieder1@vier.nl");
	make_account(s, &bid2, s2.id, "bieder2@vier.nl");
	struct procedure p, q;
	fill_procedure(a, &p, mun.id, "VIER-2025");
	fill_procedure(a, &q, mun.id, "VIER-2025-B");
	T(STORE(s, procedure_create, &p, &e) == KV_OK &&
	      STORE(s, procedure_create, &q, &e) == KV_OK,
	      "procedures are stored at v4");
	struct party pt1 = {.org_id = s1.id, .role = PARTY_PENVOERDER};
	struct party pt2 = {.org_id = s2.id, .role = PARTY_PENVOERDER};
	struct candidate c1 = {.procedure_id = p.id, .name = "Welzijn Vier",
			       .parties = &pt1, .n_parties = 1};
	struct candidate c2 = {.procedure_id = p.id, .name = "Zorg Vier",
			       .parties = &pt2, .n_parties = 1};
	T(STORE(s, candidate_create, &c1, &e) == KV_OK &&
	      STORE(s, candidate_create, &c2, &e) == KV_OK,
	      "candidates at v4");
	struct submission sub = {.procedure_id = p.id, .lot_id = p.lots[0].id,
				 .candidate_id = c1.id, .account_id = bid1.id,
				 .received_at = 1700000200,
				 .file_name = "bod.pdf",
				 .content_type = "application/pdf",
				 .size = 10, .path = "v4.kvlt"};
	T(STORE(s, submission_create, &sub, &e) == KV_IO,
	  "v4 knows no envelopes yet");
	sqlite3 *db4 = raw_open("v4.db");
	char sql4[512];
	snprintf(sql4, sizeof sql4,
		 "INSERT INTO submissions (procedure_id, lot_id, candidate_id, "
		 "account_id, received_at, file_name, content_type, size, "
		 "sha256, path, receipt) VALUES (%lld, %lld, %lld, %lld, "
		 "1700000200, 'bod.pdf', 'application/pdf', 10, zeroblob(32), "
		 "'v4.kvlt', zeroblob(32))", (long long)p.id,
		 (long long)p.lots[0].id, (long long)c1.id, (long long)bid1.id);
	T(sqlite3_exec(db4, sql4, NULL, NULL, NULL) == SQLITE_OK,
	  "a submission at v4, stored the v4 way");
	sqlite3_close(db4);
	struct question qq = {.procedure_id = p.id, .candidate_id = c1.id,
			      .account_id = bid1.id, .text = "Vraag?"};
	T(STORE(s, question_create, &qq, &e) == KV_IO,
	      "v4 has no questions yet");
	store_close(s);

	s = open_db("v4.db");
	T(s != NULL, "the v4 database opens with this build");
	if (!s) {
		arena_free(a);
		return;
	}
	T(s->ops->schema_version(s) >= 5 &&
	      s->ops->schema_version(s) == store_sqlite_latest_version(),
	      "and is upgraded to version 5 and on");
	struct procedure p2;
	struct candidate *cs;
	struct submission *subs;
	int n;
	T(STORE(s, procedure_get, p.id, a, &p2, &e) == KV_OK &&
	      p2.n_lots == 2 && p2.n_stages == 5, "the procedure survived");
	T(STORE(s, candidate_list, p.id, a, &cs, &n, &e) == KV_OK && n == 2,
	  "the candidates survived");
	T(STORE(s, submission_list, p.id, a, &subs, &n, &e) == KV_OK &&
	      n == 1 && subs[0].size == 10 &&
	      subs[0].envelope == ENVELOPE_QUALITY,
	  "the submission survived, in the quality envelope");

	/* The question deadline. */
	kv_instant dl = 1;
	T(STORE(s, question_deadline_get, p.id, &dl, &e) == KV_NOT_FOUND &&
	      dl == 0, "no question deadline of its own at first");
	T(STORE(s, question_deadline_set, p.id, 1700100000, 1700000000,
		buyer.id, &e) == KV_OK &&
	      STORE(s, question_deadline_set, p.id, 1700200000, 1700000001,
		    buyer.id, &e) == KV_OK &&
	      STORE(s, question_deadline_get, p.id, &dl, &e) == KV_OK &&
	      dl == 1700200000, "a question deadline is set, then replaced");
	T(STORE(s, question_deadline_get, q.id, &dl, &e) == KV_NOT_FOUND,
	  "another procedure's deadline is its own");

	/* Questions: general and per lot, of two candidates. */
	int64_t lot_a = p.lots[0].id;   /* number 2, "Kantoren" */
	struct question qs[3] = {
		{.procedure_id = p.id, .candidate_id = c1.id,
		 .account_id = bid1.id, .asked_at = 1700000300,
		 .text = "Algemeen:\nmag dat?"},
		{.procedure_id = p.id, .lot_id = lot_a, .candidate_id = c1.id,
		 .account_id = bid1.id, .asked_at = 1700000400,
		 .text = "Over kantoren?"},
		{.procedure_id = p.id, .lot_id = lot_a, .candidate_id = c2.id,
		 .account_id = bid2.id, .asked_at = 1700000500,
		 .text = "Ook over kantoren?"},
	};
	for (int i = 0; i < 3; i++)
		T(STORE(s, question_create, &qs[i], &e) == KV_OK &&
		      qs[i].id > 0, "question %d is stored", i + 1);
	struct question bad = qs[1];
	bad.lot_id = q.lots[0].id;
	kv_error_clear(&e);
	T(STORE(s, question_create, &bad, &e) == KV_INVALID,
	  "a lot of another procedure is refused");
	bad = qs[0];
	bad.procedure_id = q.id;
	kv_error_clear(&e);
	T(STORE(s, question_create, &bad, &e) == KV_INVALID,
	  "a candidate of another procedure is refused");
	bad = qs[0];
	bad.text = "";
	kv_error_clear(&e);
	T(STORE(s, question_create, &bad, &e) == KV_INVALID &&
	      strcmp(e.field, "text") == 0, "an empty question is refused");

	struct question *ql;
	T(STORE(s, question_list, p.id, 0, a, &ql, &n, &e) == KV_OK &&
	      n == 3 && ql[0].id == qs[0].id && ql[0].lot_id == 0 &&
	      ql[0].lot_number == 0 && ql[0].lot_title == NULL &&
	      strcmp(ql[0].text, "Algemeen:\nmag dat?") == 0 &&
	      ql[1].lot_number == 2 && strcmp(ql[1].lot_title, "Kantoren") == 0 &&
	      strcmp(ql[2].candidate_name, "Zorg Vier") == 0 &&
	      strcmp(ql[2].account_name, "bieder2@vier.nl") == 0 &&
	      ql[2].asked_at == 1700000500 && !ql[2].answer &&
	      !ql[2].nota_id, "every question reads back, with who asked");
	T(STORE(s, question_list, p.id, c2.id, a, &ql, &n, &e) == KV_OK &&
	      n == 1 && ql[0].id == qs[2].id,
	  "one candidate's questions only");
	T(STORE(s, question_list, q.id, 0, a, &ql, &n, &e) == KV_OK && n == 0,
	  "another procedure has none");
	struct question got;
	T(STORE(s, question_get, q.id, qs[0].id, a, &got, &e) ==
		      KV_NOT_FOUND, "a question is found within its procedure only");

	/* Answers and publishing. */
	struct nota nt = {.procedure_id = p.id, .published_at = 1700000600,
			  .published_by = buyer.id};
	int64_t *ids;
	T(STORE(s, nota_publish, &nt, a, &ids, &e) == KV_NOT_FOUND &&
	      nt.n_questions == 0, "nothing answered: no nota");
	struct nota *nl;
	T(STORE(s, nota_list, p.id, a, &nl, &n, &e) == KV_OK && n == 0,
	  "and none was stored");
	T(STORE(s, question_answer, p.id, qs[0].id, "Concept.", 1700000550,
		buyer.id, &e) == KV_OK &&
	      STORE(s, question_answer, p.id, qs[0].id, "Ja,\nals...",
		    1700000560, buyer.id, &e) == KV_OK &&
	      STORE(s, question_answer, p.id, qs[2].id, "Nee.", 1700000570,
		    buyer.id, &e) == KV_OK,
	  "answers are stored, and a draft replaced");
	kv_error_clear(&e);
	T(STORE(s, question_answer, p.id, 999999, "x", 1, buyer.id, &e) ==
		      KV_NOT_FOUND, "an unknown question cannot be answered");
	kv_error_clear(&e);
	T(STORE(s, question_answer, q.id, qs[0].id, "x", 1, buyer.id, &e) ==
		      KV_NOT_FOUND, "nor one of another procedure");
	T(STORE(s, nota_publish, &nt, a, &ids, &e) == KV_OK &&
	      nt.number == 1 && nt.id > 0 && nt.n_questions == 2 &&
	      ids[0] == qs[0].id && ids[1] == qs[2].id,
	  "publishing makes nota 1 of the two answered questions");
	kv_error_clear(&e);
	T(STORE(s, question_answer, p.id, qs[0].id, "Toch niet.", 1700000700,
		buyer.id, &e) == KV_CONFLICT,
	  "a published answer cannot change");
	T(STORE(s, question_get, p.id, qs[0].id, a, &got, &e) == KV_OK &&
	      strcmp(got.answer, "Ja,\nals...") == 0 &&
	      got.answered_at == 1700000560 && got.answered_by == buyer.id &&
	      got.nota_number == 1 && got.published_at == 1700000600,
	  "it reads back published, unchanged");
	struct nota nota1;
	T(STORE(s, nota_get, p.id, 1, a, &nota1, &e) == KV_OK &&
	      nota1.number == 1 && nota1.published_at == 1700000600 &&
	      nota1.published_by == buyer.id && nota1.n_questions == 2 &&
	      nota1.questions[0].id == qs[0].id &&
	      nota1.questions[1].lot_number == 2 &&
	      strcmp(nota1.questions[1].answer, "Nee.") == 0,
	  "nota 1 reads back with its questions");
	bool anonymous = true;
	for (int i = 0; i < nota1.n_questions; i++)
		anonymous = anonymous && nota1.questions[i].candidate_id == 0 &&
			    nota1.questions[i].account_id == 0 &&
			    !nota1.questions[i].candidate_name &&
			    !nota1.questions[i].account_name;
	T(anonymous, "a nota's questions carry nothing about who asked");
	T(STORE(s, nota_get, p.id, 2, a, &nota1, &e) == KV_NOT_FOUND,
	  "there is no nota 2 yet");
	T(STORE(s, nota_get, q.id, 1, a, &nota1, &e) == KV_NOT_FOUND,
	  "nor a nota 1 of another procedure");

	T(STORE(s, question_answer, p.id, qs[1].id, "Later.", 1700000800,
		buyer.id, &e) == KV_OK &&
	      STORE(s, nota_publish, &nt, a, &ids, &e) == KV_OK &&
	      nt.number == 2 && nt.n_questions == 1 && ids[0] == qs[1].id,
	  "the question answered later goes into nota 2");
	struct nota other = {.procedure_id = q.id, .published_at = 1};
	T(STORE(s, nota_list, p.id, a, &nl, &n, &e) == KV_OK && n == 2 &&
	      nl[0].number == 1 && nl[0].n_questions == 2 &&
	      nl[1].number == 2 && nl[1].n_questions == 1 && !nl[0].questions,
	  "the notas are listed by number with their counts");
	T(STORE(s, nota_publish, &other, a, &ids, &e) == KV_NOT_FOUND,
	  "another procedure has nothing to publish");

	/* Published documents are immutable, also below the store. */
	sqlite3 *db = raw_open("v4.db");
	T(sqlite3_exec(db, "UPDATE notas SET published_at = 1", NULL, NULL,
		       NULL) != SQLITE_OK, "a nota cannot be changed");
	T(sqlite3_exec(db, "DELETE FROM notas", NULL, NULL, NULL) !=
		      SQLITE_OK, "nor deleted");
	T(sqlite3_exec(db, "UPDATE questions SET text = 'x' WHERE nota_id "
			   "IS NOT NULL", NULL, NULL, NULL) != SQLITE_OK,
	  "a published question cannot be changed");
	T(sqlite3_exec(db, "DELETE FROM questions WHERE nota_id IS NOT NULL",
		       NULL, NULL, NULL) != SQLITE_OK, "nor deleted");
	T(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0,
	  "no foreign key is broken");
	sqlite3_close(db);
	store_close(s);
	arena_free(a);
}

/* A v5 database with data, upgraded to v6: publication, selection
 * criteria and applications appear, the data stays, and every new
 * operation works with its refusals. */
static void test_migration_v5(void)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct store *s = store_sqlite_open_at_version(path_of("v5.db"), 5,
						       &e);
	T(s != NULL, "a v5 database can be built");
	if (!s) {
		arena_free(a);
		return;
	}
	T(s->ops->schema_version(s) == 5, "it is at version 5");
	struct org mun, s1, s2;
	make_org(s, &mun, "Gemeente Vijf", "45456767", ORG_MUNICIPALITY);
	make_org(s, &s1, "Welzijn Vijf", "56567878", ORG_SUPPLIER);
	make_org(s, &s2, "Zorg Vijf", "67678989", ORG_SUPPLIER);
	struct account buyer, bid1;
	make_account(s, &buyer, mun.id, "inkoop@vijf.nl");
	make_account(s, &bid1, s1.id, "bieder1@vijf.nl");
	struct procedure p, q;
	fill_procedure(a, &p, mun.id, "VIJF-2026");
	fill_procedure(a, &q, mun.id, "VIJF-2026-B");
	T(STORE(s, procedure_create, &p, &e) == KV_OK &&
	      STORE(s, procedure_create, &q, &e) == KV_OK,
	      "procedures are stored at v5");
	struct party pt1 = {.org_id = s1.id, .role = PARTY_PENVOERDER};
	struct party pt2 = {.org_id = s2.id, .role = PARTY_PENVOERDER};
	struct candidate c1 = {.procedure_id = p.id, .name = "Welzijn Vijf",
			       .parties = &pt1, .n_parties = 1};
	struct candidate c2 = {.procedure_id = p.id, .name = "Zorg Vijf",
			       .parties = &pt2, .n_parties = 1};
	T(STORE(s, candidate_create, &c1, &e) == KV_OK &&
	      STORE(s, candidate_create, &c2, &e) == KV_OK,
	      "candidates at v5");
	struct question qq = {.procedure_id = p.id, .candidate_id = c1.id,
			      .account_id = bid1.id, .text = "Vraag?"};
	T(STORE(s, question_create, &qq, &e) == KV_OK, "a question at v5");
	T(STORE(s, publication_set, p.id, 1700000000, buyer.id, &e) == KV_IO,
	  "v5 has no publications yet");
	store_close(s);

	s = open_db("v5.db");
	T(s != NULL, "the v5 database opens with this build");
	if (!s) {
		arena_free(a);
		return;
	}
	T(s->ops->schema_version(s) >= 6 &&
	      s->ops->schema_version(s) == store_sqlite_latest_version(),
	      "and is upgraded to version 6 and on");
	struct candidate *cs;
	struct question *qs;
	int n;
	T(STORE(s, candidate_list, p.id, a, &cs, &n, &e) == KV_OK && n == 2,
	  "the candidates survived");
	T(STORE(s, question_list, p.id, 0, a, &qs, &n, &e) == KV_OK && n == 1,
	  "the question survived");

	/* Publication. */
	kv_instant at = 1;
	int64_t *ids;
	T(STORE(s, publication_get, p.id, &at, &e) == KV_NOT_FOUND && at == 0,
	  "a procedure is not published at first");
	T(STORE(s, published_list, a, &ids, &n, &e) == KV_OK && n == 0,
	  "nothing is listed");
	T(STORE(s, publication_set, p.id, 1700000000, buyer.id, &e) == KV_OK &&
	      STORE(s, publication_get, p.id, &at, &e) == KV_OK &&
	      at == 1700000000, "a procedure is published");
	T(STORE(s, publication_set, p.id, 1700000001, buyer.id, &e) ==
		  KV_CONFLICT, "not twice");
	T(STORE(s, published_list, a, &ids, &n, &e) == KV_OK && n == 1 &&
	      ids[0] == p.id, "the published procedure is listed");

	/* Selection criteria. */
	struct selection_criterion cr = {.procedure_id = p.id,
					 .key = "ervaring", .title = "Ervaring"};
	struct selection_criterion cr2 = {.procedure_id = p.id,
					  .key = "ervaring", .title = "Nog eens"};
	struct selection_criterion bad = {.procedure_id = p.id,
					  .key = "Slecht!", .title = "X"};
	struct selection_criterion *crs;
	T(STORE(s, criterion_create, &cr, &e) == KV_OK && cr.id > 0,
	  "a criterion is stored");
	T(STORE(s, criterion_create, &cr2, &e) == KV_CONFLICT &&
	      strcmp(e.field, "key") == 0, "a key is unique per procedure");
	T(STORE(s, criterion_create, &bad, &e) == KV_INVALID &&
	      strcmp(e.field, "key") == 0, "a bad key is refused");
	cr2.procedure_id = q.id;
	T(STORE(s, criterion_create, &cr2, &e) == KV_OK,
	  "another procedure may use the key");
	T(STORE(s, criterion_list, p.id, a, &crs, &n, &e) == KV_OK && n == 1 &&
	      strcmp(crs[0].title, "Ervaring") == 0 &&
	      strcmp(crs[0].description, "") == 0, "the criteria are listed");

	/* Applications and documents. */
	struct application ap = {.candidate_id = c1.id, .procedure_id = p.id,
				 .answers = "{\"ervaring\":\"Tien jaar.\"}",
				 .updated_at = 1700000100,
				 .updated_by = bid1.id};
	struct application got, *aps;
	T(STORE(s, application_get, p.id, c1.id, a, &got, &e) == KV_NOT_FOUND,
	  "no application at first");
	T(STORE(s, application_put, &ap, &e) == KV_OK &&
	      ap.submitted_at == 1700000100, "an application is stored");
	ap.answers = "{\"ervaring\":\"Twaalf jaar.\"}";
	ap.updated_at = 1700000200;
	T(STORE(s, application_put, &ap, &e) == KV_OK &&
	      ap.submitted_at == 1700000100, "and changed, keeping its first "
					      "moment");
	T(STORE(s, application_get, p.id, c1.id, a, &got, &e) == KV_OK &&
	      strstr(got.answers, "Twaalf") && got.updated_at == 1700000200 &&
	      strcmp(got.candidate_name, "Welzijn Vijf") == 0,
	  "it reads back changed");
	T(STORE(s, application_get, q.id, c1.id, a, &got, &e) == KV_NOT_FOUND,
	  "not under another procedure");
	struct application wrong = {.candidate_id = c2.id,
				    .procedure_id = q.id, .answers = "{}",
				    .updated_at = 1};
	T(STORE(s, application_put, &wrong, &e) == KV_INVALID,
	  "a candidate of another procedure is refused");
	struct application notobj = {.candidate_id = c2.id,
				     .procedure_id = p.id, .answers = "[1]",
				     .updated_at = 1};
	T(STORE(s, application_put, &notobj, &e) == KV_INVALID &&
	      strcmp(e.field, "answers") == 0, "answers are an object");
	static const unsigned char pdf[] = "%PDF-1.4 test";
	struct application_document d = {.candidate_id = c1.id,
					 .name = "referenties.pdf",
					 .size = sizeof pdf - 1,
					 .content = pdf,
					 .uploaded_at = 1700000300};
	memset(d.sha256, 7, sizeof d.sha256);
	struct application_document d2 = d, d3 = d, *ds;
	d3.candidate_id = c2.id;
	T(STORE(s, document_put, &d, &e) == KV_OK && d.id > 0,
	  "a document is stored");
	d2.size = 4;
	T(STORE(s, document_put, &d2, &e) == KV_OK && d2.id == d.id,
	  "a document of the same name is replaced");
	T(STORE(s, document_put, &d3, &e) == KV_INVALID,
	  "a document needs an application");
	T(STORE(s, document_list, c1.id, a, &ds, &n, &e) == KV_OK && n == 1 &&
	      ds[0].size == 4 && ds[0].sha256[0] == 7 && !ds[0].content,
	  "the documents are listed without content");
	{
		/* Streamed in pieces: 6 MiB, above v6's old 5 MiB cap. */
		struct mem_reader mr = {.n = 6 * 1024 * 1024 + 3};
		struct application_document big = {.candidate_id = c1.id,
						   .name = "groot.zip", .size = (int64_t)mr.n,
						   .uploaded_at = 1700000400};
		struct application_document back;
		T(STORE(s, document_put_stream, &big, mem_read, &mr, &e) == KV_OK && big.id > 0,
		  "a document of 6 MiB is streamed into its row");
		bool same = STORE(s, document_get, c1.id, big.id, a, &back, &e) == KV_OK &&
			    back.size == big.size;
		for (size_t i = 0; same && i < mr.n; i++)
			same = back.content[i] == (unsigned char)(i * 7 + i / 4096);
		T(same, "and read back byte for byte");
		struct mem_reader shortr = {.n = 1000, .stop = 500};
		struct application_document cut = big;
		cut.name = "kort.zip";
		cut.size = 1000;
		T(store_begin(s, true, &e) == KV_OK &&
		  STORE(s, document_put_stream, &cut, mem_read, &shortr, &e) == KV_IO,
		  "a reader that ends early is refused (the caller rolls back)");
		store_rollback(s);
		T(STORE(s, document_get, c2.id, big.id, a, &back, &e) == KV_NOT_FOUND,
		  "another candidate's document is not found");
	}
	T(STORE(s, application_list, p.id, a, &aps, &n, &e) == KV_OK &&
	      n == 1 && aps[0].n_documents == 2, "the applications are listed, with their two documents");

	sqlite3 *db = raw_open("v5.db");
	T(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0,
	  "no foreign key is broken");
	T(raw_int(db, "SELECT length(content) FROM application_documents") == 4,
	  "the document's content is in the database");
	sqlite3_close(db);
	store_close(s);
	arena_free(a);
}

/* A v6 database with criteria and an application, upgraded to v7: the
 * criteria become pass-fail with no points, the data stays, scores,
 * rounds and results work. */
static void test_migration_v6(void)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct store *s = store_sqlite_open_at_version(path_of("v6.db"), 6,
						       &e);
	T(s != NULL, "a v6 database can be built");
	if (!s) {
		arena_free(a);
		return;
	}
	T(s->ops->schema_version(s) == 6, "it is at version 6");
	struct org mun, s1;
	make_org(s, &mun, "Gemeente Zes", "46466868", ORG_MUNICIPALITY);
	make_org(s, &s1, "Welzijn Zes", "57577979", ORG_SUPPLIER);
	struct account buyer;
	make_account(s, &buyer, mun.id, "inkoop@zes.nl");
	struct procedure p;
	fill_procedure(a, &p, mun.id, "ZES-2026");
	T(STORE(s, procedure_create, &p, &e) == KV_OK, "a procedure at v6");
	struct party pt1 = {.org_id = s1.id, .role = PARTY_PENVOERDER};
	struct candidate c1 = {.procedure_id = p.id, .name = "Welzijn Zes",
			       .parties = &pt1, .n_parties = 1};
	T(STORE(s, candidate_create, &c1, &e) == KV_OK, "a candidate at v6");
	struct selection_criterion cr = {.procedure_id = p.id,
					 .key = "ervaring", .title = "Ervaring"};
	T(STORE(s, criterion_create, &cr, &e) == KV_IO,
	  "v6 knows no criterion kind yet");
	sqlite3 *db = raw_open("v6.db");
	T(sqlite3_exec(db, "INSERT INTO selection_criteria (procedure_id, key, "
			   "title) SELECT id, 'ervaring', 'Ervaring' FROM "
			   "procedures WHERE reference = 'ZES-2026'",
		       NULL, NULL, NULL) == SQLITE_OK,
	  "a v6 criterion, stored the v6 way");
	sqlite3_close(db);
	struct application ap = {.candidate_id = c1.id, .procedure_id = p.id,
				 .answers = "{\"ervaring\":\"Tien jaar.\"}",
				 .updated_at = 1700000100};
	T(STORE(s, application_put, &ap, &e) == KV_OK, "an application at v6");
	store_close(s);

	s = open_db("v6.db");
	T(s != NULL && s->ops->schema_version(s) == store_sqlite_latest_version(),
	  "upgraded to version 7 (and on to the latest)");
	if (!s) {
		arena_free(a);
		return;
	}
	struct selection_criterion *crs;
	int n;
	T(STORE(s, criterion_list, p.id, a, &crs, &n, &e) == KV_OK && n == 1 &&
	      crs[0].kind == SEL_PASS_FAIL && crs[0].max_points == 0 &&
	      strcmp(crs[0].key, "ervaring") == 0,
	  "the old criterion is pass-fail without points");
	struct application got;
	T(STORE(s, application_get, p.id, c1.id, a, &got, &e) == KV_OK &&
	      strstr(got.answers, "Tien jaar."), "the application survived");
	struct selection_criterion sc = {.procedure_id = p.id, .key = "visie",
					 .title = "Visie", .kind = SEL_SCORED,
					 .max_points = 20};
	T(STORE(s, criterion_create, &sc, &e) == KV_OK, "a scored criterion");
	struct selection_score s1s = {.candidate_id = c1.id,
				      .criterion_id = crs[0].id,
				      .passed = true, .motivation = "Voldoet.",
				      .assessed_by = buyer.id,
				      .assessed_at = 1700000200};
	struct selection_score s2s = {.candidate_id = c1.id,
				      .criterion_id = sc.id, .points = 12,
				      .motivation = "Redelijk.",
				      .assessed_at = 1700000200};
	struct selection_score nomot = s2s;
	nomot.motivation = "";
	T(STORE(s, score_put, &s1s, &e) == KV_OK &&
	      STORE(s, score_put, &s2s, &e) == KV_OK, "scores are stored");
	s2s.points = 14;
	T(STORE(s, score_put, &s2s, &e) == KV_OK, "and replaced");
	T(STORE(s, score_put, &nomot, &e) == KV_INVALID &&
	      strcmp(e.field, "motivation") == 0, "a motivation is required");
	struct selection_score *ss;
	T(STORE(s, score_list, p.id, a, &ss, &n, &e) == KV_OK && n == 2 &&
	      ss[0].passed && ss[1].points == 14 &&
	      strcmp(ss[1].criterion_key, "visie") == 0,
	  "the scores are listed with their keys");
	struct selection_round rd = {.procedure_id = p.id, .number = 1,
				     .max_admitted = 2,
				     .published_at = 1700000300,
				     .published_by = buyer.id};
	struct selection_result_rec rr = {.candidate_id = c1.id,
					  .outcome = SEL_ADMITTED, .rank = 1,
					  .points = 14, .cutoff = -1,
					  .reason = "Admitted."};
	struct selection_round last;
	T(STORE(s, selection_round_last, p.id, &last, &e) == KV_NOT_FOUND,
	  "no round at first");
	T(STORE(s, selection_publish, &rd, &rr, 1, &e) == KV_OK && rd.id > 0,
	  "a round is published with its result");
	struct selection_round again = rd;
	T(STORE(s, selection_publish, &again, &rr, 1, &e) == KV_CONFLICT,
	  "not twice with the same number");
	struct selection_result_rec *res;
	T(STORE(s, selection_round_last, p.id, &last, &e) == KV_OK &&
	      last.published_at == 1700000300 && last.max_admitted == 2 &&
	      STORE(s, selection_results, last.id, c1.id, a, &res, &n, &e) ==
		      KV_OK && n == 1 && res[0].outcome == SEL_ADMITTED &&
	      res[0].cutoff == -1 && !res[0].failed_key &&
	      strcmp(res[0].candidate_name, "Welzijn Zes") == 0,
	  "the round and the result read back");
	db = raw_open("v6.db");
	T(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0,
	  "no foreign key is broken");
	sqlite3_close(db);
	store_close(s);
	arena_free(a);
}

/* A v7 database with a procedure and two candidates upgraded to v8: the
 * data stays, and the dialogue's plan deadlines, documents (one per kind,
 * replaced in place), meetings with minutes and feedback (fixed once
 * published, by the store and by a trigger) work. */
static void test_migration_v7(void)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct store *s = store_sqlite_open_at_version(path_of("v7.db"), 7,
						       &e);
	T(s != NULL, "a v7 database can be built");
	if (!s) {
		arena_free(a);
		return;
	}
	T(s->ops->schema_version(s) == 7, "it is at version 7");
	struct org mun, s1, s2;
	make_org(s, &mun, "Gemeente Zeven", "47477878", ORG_MUNICIPALITY);
	make_org(s, &s1, "Welzijn Zeven", "58588989", ORG_SUPPLIER);
	make_org(s, &s2, "Zorg Zeven", "59599090", ORG_SUPPLIER);
	struct account buyer;
	make_account(s, &buyer, mun.id, "inkoop@zeven.nl");
	struct procedure p, q;
	fill_procedure(a, &p, mun.id, "ZEVEN-2026");
	fill_procedure(a, &q, mun.id, "ZEVEN-2026-B");
	T(STORE(s, procedure_create, &p, &e) == KV_OK &&
	      STORE(s, procedure_create, &q, &e) == KV_OK, "procedures at v7");
	struct party pt1 = {.org_id = s1.id, .role = PARTY_PENVOERDER};
	struct party pt2 = {.org_id = s2.id, .role = PARTY_PENVOERDER};
	struct candidate c1 = {.procedure_id = p.id, .name = "Welzijn Zeven",
			       .parties = &pt1, .n_parties = 1};
	struct candidate c2 = {.procedure_id = p.id, .name = "Zorg Zeven",
			       .parties = &pt2, .n_parties = 1};
	struct candidate cq = {.procedure_id = q.id, .name = "Zorg Zeven",
			       .parties = &pt2, .n_parties = 1};
	T(STORE(s, candidate_create, &c1, &e) == KV_OK &&
	      STORE(s, candidate_create, &c2, &e) == KV_OK &&
	      STORE(s, candidate_create, &cq, &e) == KV_OK, "candidates at v7");
	store_close(s);

	s = open_db("v7.db");
	T(s != NULL && s->ops->schema_version(s) >= 8 &&
	      s->ops->schema_version(s) == store_sqlite_latest_version(),
	  "upgraded to version 8 and on");
	if (!s) {
		arena_free(a);
		return;
	}
	struct candidate *cs;
	int n;
	T(STORE(s, candidate_list, p.id, a, &cs, &n, &e) == KV_OK && n == 2,
	  "the candidates survived");

	struct dialogue_due d = {.procedure_id = p.id, .round = 1,
				 .plan_due = 1700003600, .set_at = 1700000000,
				 .set_by = buyer.id};
	struct dialogue_due *ds;
	T(STORE(s, dialogue_due_set, &d, &e) == KV_OK, "a plan deadline");
	d.plan_due = 1700007200;
	T(STORE(s, dialogue_due_set, &d, &e) == KV_OK, "and moved");
	T(STORE(s, dialogue_due_list, p.id, a, &ds, &n, &e) == KV_OK && n == 1 &&
	      ds[0].round == 1 && ds[0].plan_due == 1700007200,
	  "one deadline per round, the last");

	static const unsigned char pdf[] = "%PDF-1.7 plan A";
	static const unsigned char pdf2[] = "%PDF-1.7 plan A, version 2";
	struct dialogue_document doc = {
		.procedure_id = p.id, .candidate_id = c1.id, .round = 1,
		.kind = DLG_DOC_PLAN, .name = "plan.pdf",
		.content_type = "application/pdf", .size = 15, .content = pdf,
		.uploaded_at = 1700000100};
	hash_of(1, doc.sha256);
	T(STORE(s, dialogue_document_put, &doc, &e) == KV_OK && doc.id > 0,
	  "a plan is stored");
	int64_t first = doc.id;
	doc.content = pdf2;
	doc.size = 26;
	doc.name = "plan-v2.pdf";
	hash_of(2, doc.sha256);
	T(STORE(s, dialogue_document_put, &doc, &e) == KV_OK && doc.id == first,
	  "a new plan replaces it in place");
	struct dialogue_document other = doc;
	other.candidate_id = cq.id;
	T(STORE(s, dialogue_document_put, &other, &e) == KV_INVALID &&
	      strcmp(e.field, "candidate") == 0,
	  "not for a candidate of another procedure");
	struct dialogue_document badtype = doc;
	badtype.content_type = "application/x-msdownload";
	T(STORE(s, dialogue_document_put, &badtype, &e) != KV_OK,
	  "the table takes only PDFs and ZIP containers");
	struct dialogue_document minutes = doc;
	minutes.kind = DLG_DOC_MINUTES;
	minutes.name = "verslag.pdf";
	T(STORE(s, dialogue_document_put, &minutes, &e) == KV_OK &&
	      minutes.id != first, "minutes are a document of their own");
	struct dialogue_document *docs;
	T(STORE(s, dialogue_document_list, p.id, 0, a, &docs, &n, &e) == KV_OK &&
	      n == 2 && docs[0].kind == DLG_DOC_PLAN &&
	      strcmp(docs[0].name, "plan-v2.pdf") == 0 && docs[0].size == 26 &&
	      !docs[0].content && docs[1].kind == DLG_DOC_MINUTES,
	  "the documents are listed without content");
	T(STORE(s, dialogue_document_list, p.id, c2.id, a, &docs, &n, &e) ==
		      KV_OK && n == 0, "the other candidate has none");
	struct dialogue_document got;
	T(STORE(s, dialogue_document_get, p.id, first, a, &got, &e) == KV_OK &&
	      got.size == 26 && memcmp(got.content, pdf2, 26) == 0 &&
	      got.sha256[0] == 2, "a document reads back with its content");
	T(STORE(s, dialogue_document_get, q.id, first, a, &got, &e) ==
		      KV_NOT_FOUND, "not through another procedure");

	struct dialogue_meeting m = {.procedure_id = p.id,
				     .candidate_id = c1.id, .round = 1,
				     .at = 1700010000, .place = "Stadskantoor",
				     .planned_at = 1700000200,
				     .planned_by = buyer.id};
	T(STORE(s, dialogue_meeting_put, &m, &e) == KV_OK, "a meeting");
	m.minutes = "Besproken: de aanpak.";
	m.minutes_at = 1700011000;
	m.minutes_by = buyer.id;
	T(STORE(s, dialogue_meeting_put, &m, &e) == KV_OK, "its minutes");
	struct dialogue_meeting noplace = m;
	noplace.place = "";
	T(STORE(s, dialogue_meeting_put, &noplace, &e) == KV_INVALID &&
	      strcmp(e.field, "place") == 0, "a meeting needs a place");
	struct dialogue_meeting *ms;
	T(STORE(s, dialogue_meeting_list, p.id, 0, a, &ms, &n, &e) == KV_OK &&
	      n == 1 && ms[0].at == 1700010000 &&
	      strcmp(ms[0].minutes, "Besproken: de aanpak.") == 0 &&
	      ms[0].minutes_at == 1700011000, "the meeting reads back");

	struct dialogue_feedback f = {.procedure_id = p.id,
				      .candidate_id = c1.id, .round = 1,
				      .text = "Concept", .written_at = 1700012000,
				      .written_by = buyer.id};
	T(STORE(s, dialogue_feedback_publish, p.id, c1.id, 1, 1700012500,
		buyer.id, &e) == KV_NOT_FOUND, "no feedback to publish yet");
	T(STORE(s, dialogue_feedback_put, &f, &e) == KV_OK, "a draft");
	f.text = "Uw plan is helder.";
	T(STORE(s, dialogue_feedback_put, &f, &e) == KV_OK, "rewritten");
	T(STORE(s, dialogue_feedback_publish, p.id, c1.id, 1, 1700013000,
		buyer.id, &e) == KV_OK, "published");
	T(STORE(s, dialogue_feedback_publish, p.id, c1.id, 1, 1700013001,
		buyer.id, &e) == KV_CONFLICT, "not twice");
	T(STORE(s, dialogue_feedback_put, &f, &e) == KV_CONFLICT,
	  "published feedback cannot change");
	struct dialogue_feedback *fs;
	T(STORE(s, dialogue_feedback_list, p.id, c1.id, a, &fs, &n, &e) ==
		      KV_OK && n == 1 && fs[0].published_at == 1700013000 &&
	      strcmp(fs[0].text, "Uw plan is helder.") == 0,
	  "the feedback reads back, published");
	store_close(s);
	sqlite3 *db = raw_open("v7.db");
	T(sqlite3_exec(db, "UPDATE dialogue_feedback SET text = 'anders'",
		       NULL, NULL, NULL) != SQLITE_OK &&
	      sqlite3_exec(db, "DELETE FROM dialogue_feedback", NULL, NULL,
			   NULL) != SQLITE_OK,
	  "a trigger refuses changing or deleting published feedback");
	T(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0,
	  "no foreign key is broken");
	sqlite3_close(db);
	arena_free(a);
}

/* A v7 database with a procedure, upgraded by the size limit's migration
 * (submission_limits): no limit at first, one is set and replaced, the
 * bounds hold, the procedure stays. */
static void test_migration_submission_limits(void)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct store *s = store_sqlite_open_at_version(path_of("v7l.db"), 7, &e);
	T(s != NULL, "a v7 database can be built");
	if (!s) {
		arena_free(a);
		return;
	}
	struct org mun;
	make_org(s, &mun, "Gemeente Zeven", "47477979", ORG_MUNICIPALITY);
	struct procedure p;
	fill_procedure(a, &p, mun.id, "ZEVEN-2026");
	T(STORE(s, procedure_create, &p, &e) == KV_OK, "a procedure at v7");
	struct bid_limits lim = {.max_bytes = -1};
	T(STORE(s, bid_limits_get, p.id, &lim, &e) == KV_IO,
	  "v7 knows no size limit yet");
	store_close(s);

	s = open_db("v7l.db");
	T(s != NULL && s->ops->schema_version(s) == store_sqlite_latest_version(),
	  "upgraded to the latest version");
	if (!s) {
		arena_free(a);
		return;
	}
	T(STORE(s, bid_limits_get, p.id, &lim, &e) == KV_NOT_FOUND && lim.max_bytes == 0,
	  "no limit of its own at first");
	struct bid_limits one = {.max_bytes = 1 << 20, .files = 20, .bytes = (int64_t)1 << 30};
	T(STORE(s, bid_limits_set, p.id, &one, 1700000000, 0, &e) == KV_OK &&
	      STORE(s, bid_limits_get, p.id, &lim, &e) == KV_OK && lim.max_bytes == 1 << 20 &&
	      lim.files == 20 && lim.bytes == (int64_t)1 << 30,
	  "a limit of 1 MiB is stored with its quota");
	struct bid_limits big = {.max_bytes = (int64_t)2048 << 20, .files = 3,
				 .bytes = (int64_t)4096 << 20};
	T(STORE(s, bid_limits_set, p.id, &big, 1700000100, 0, &e) == KV_OK &&
	      STORE(s, bid_limits_get, p.id, &lim, &e) == KV_OK &&
	      lim.max_bytes == (int64_t)2048 << 20 && lim.files == 3 &&
	      lim.bytes == (int64_t)4096 << 20, "and replaced by 2 GiB, 3 files, 4 GiB");
	struct bid_limits bad[] = {
		{.max_bytes = (1 << 20) - 1, .files = 3, .bytes = (int64_t)1 << 30},
		{.max_bytes = ((int64_t)2048 << 20) + 1, .files = 3, .bytes = (int64_t)4096 << 20},
		{.max_bytes = 1 << 20, .files = 0, .bytes = (int64_t)1 << 30},
		{.max_bytes = 1 << 20, .files = 1001, .bytes = (int64_t)1 << 30},
		{.max_bytes = 1 << 20, .files = 3, .bytes = ((int64_t)16384 << 20) + 1},
	};
	int refused = 0;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		refused += STORE(s, bid_limits_set, p.id, &bad[i], 1700000200, 0, &e) == KV_INVALID;
	T(refused == 5, "the table refuses limits outside their bounds (file, count, total)");
	T(STORE(s, bid_limits_get, p.id, &lim, &e) == KV_OK &&
	      lim.max_bytes == (int64_t)2048 << 20 && lim.files == 3,
	  "the refusals changed nothing");
	struct procedure got;
	T(STORE(s, procedure_get, p.id, a, &got, &e) == KV_OK &&
	      strcmp(got.reference, "ZEVEN-2026") == 0, "the procedure survived");
	sqlite3 *db = raw_open("v7l.db");
	T(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0,
	  "no foreign key is broken");
	sqlite3_close(db);
	store_close(s);
	arena_free(a);
}

/* A v10 database with a procedure and a criterion of its preselection,
 * upgraded by v11 (criteria per selection round): the old criterion is of
 * round 1, a criterion of round 3 is stored and listed after it, a round
 * outside 1..10 is refused by the table and changes nothing. */
static void test_migration_v11(void)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	struct store *s = store_sqlite_open_at_version(path_of("v10.db"), 10,
						       &e);
	T(s != NULL, "a v10 database can be built");
	if (!s) {
		arena_free(a);
		return;
	}
	struct org mun;
	make_org(s, &mun, "Gemeente Elf", "47478080", ORG_MUNICIPALITY);
	struct procedure p;
	fill_procedure(a, &p, mun.id, "ELF-2026");
	T(STORE(s, procedure_create, &p, &e) == KV_OK, "a procedure at v10");
	store_close(s);
	sqlite3 *db = raw_open("v10.db");
	char sql[256];
	snprintf(sql, sizeof sql,
		 "INSERT INTO selection_criteria (procedure_id, key, title, "
		 "kind, max_points) VALUES (%lld, 'ervaring', 'Ervaring', "
		 "'scored', 10)", (long long)p.id);
	T(raw_exec(db, sql) == SQLITE_OK, "a criterion at v10");
	T(raw_exec(db, "SELECT round FROM selection_criteria") != SQLITE_OK,
	  "v10 has no rounds of criteria");
	sqlite3_close(db);

	s = open_db("v10.db");
	T(s != NULL && s->ops->schema_version(s) >= 11 &&
	      s->ops->schema_version(s) == store_sqlite_latest_version(),
	  "upgraded past version 11 to the latest");
	if (!s) {
		arena_free(a);
		return;
	}
	struct selection_criterion *crs = NULL;
	int n = 0;
	T(STORE(s, criterion_list, p.id, a, &crs, &n, &e) == KV_OK && n == 1 &&
	      crs[0].round == 1 && strcmp(crs[0].key, "ervaring") == 0 &&
	      crs[0].max_points == 10,
	  "the old criterion belongs to round 1");
	struct selection_criterion c3 = {.procedure_id = p.id, .key = "plan",
					 .title = "Plan", .description = "",
					 .kind = SEL_SCORED, .max_points = 5,
					 .round = 3};
	struct selection_criterion c1 = {.procedure_id = p.id, .key = "eigen",
					 .title = "Eigen verklaring",
					 .description = "",
					 .kind = SEL_PASS_FAIL};
	T(STORE(s, criterion_create, &c3, &e) == KV_OK &&
	      STORE(s, criterion_create, &c1, &e) == KV_OK,
	  "criteria of rounds 3 and (by default) 1");
	struct selection_criterion bad = c3;
	bad.key = "elf";
	bad.round = 11;
	T(STORE(s, criterion_create, &bad, &e) == KV_INVALID &&
	      strcmp(e.field, "round") == 0,
	  "the table refuses round 11: %s", e.msg);
	T(STORE(s, criterion_list, p.id, a, &crs, &n, &e) == KV_OK && n == 3 &&
	      strcmp(crs[0].key, "ervaring") == 0 && crs[0].round == 1 &&
	      strcmp(crs[1].key, "eigen") == 0 && crs[1].round == 1 &&
	      strcmp(crs[2].key, "plan") == 0 && crs[2].round == 3,
	  "listed by round, then as added; the refusal kept nothing");
	struct selection_round *rds = NULL;
	int nrd = -1;
	T(STORE(s, selection_round_list, p.id, a, &rds, &nrd, &e) == KV_OK &&
	      nrd == 0, "no published rounds yet");
	store_close(s);
	db = raw_open("v10.db");
	T(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0,
	  "no foreign key is broken");
	sqlite3_close(db);
	arena_free(a);
}

/* Procurement documents (schema v14): each put of the same procedure,
 * lot, kind and title is the next version; the list is every version,
 * newest first; a version of another procedure is not found; a visit
 * gives the one before. */
static void test_tender_documents(struct store *s, struct world *w)
{
	struct kv_error e = {0};
	arena *a = arena_new();
	static const unsigned char pdf[] = "%PDF-1.4 leidraad";
	struct tender_document d = {.procedure_id = w->pa1.id, .kind = "leidraad",
				    .title = "Aanbestedingsleidraad", .file_name = "l1.pdf",
				    .content_type = "application/pdf", .size = sizeof pdf - 1,
				    .content = pdf, .uploaded_at = 1000,
				    .uploaded_by = w->buyer_a.id};
	T(STORE(s, tender_document_put, &d, &e) == KV_OK && d.version == 1 && d.id > 0,
	  "a first document is version 1 (%s)", e.msg);
	int64_t first = d.id, doc = d.document_id;
	d.file_name = "l2.pdf";
	d.uploaded_at = 2000;
	T(STORE(s, tender_document_put, &d, &e) == KV_OK && d.version == 2 &&
	  d.document_id == doc && d.id != first, "the same kind and title: version 2 of it");
	d.kind = "annex";
	T(STORE(s, tender_document_put, &d, &e) == KV_OK && d.version == 1 &&
	  d.document_id != doc, "another kind: a document of its own");
	struct tender_document *ds = NULL;
	int n = 0;
	T(STORE(s, tender_document_list, w->pa1.id, a, &ds, &n, &e) == KV_OK && n == 3,
	  "the list holds every version (%d)", n);
	T(n == 3 && strcmp(ds[0].kind, "leidraad") == 0 && ds[0].version == 2 &&
	  ds[1].version == 1 && strcmp(ds[1].file_name, "l1.pdf") == 0 &&
	  strcmp(ds[2].kind, "annex") == 0 && !ds[0].content,
	  "the leidraad before annexes, the newest version first, without content");
	struct tender_document got;
	T(STORE(s, tender_document_get, w->pa1.id, first, a, &got, &e) == KV_OK &&
	  got.size == (int64_t)sizeof pdf - 1 && memcmp(got.content, pdf, sizeof pdf - 1) == 0 &&
	  got.uploaded_at == 1000, "a version reads back with its content");
	T(STORE(s, tender_document_get, w->pa2.id, first, a, &got, &e) == KV_NOT_FOUND,
	  "not under another procedure");
	kv_instant prev = -1;
	T(STORE(s, tender_visit, w->bidder.id, w->pa1.id, 5000, &prev, &e) == KV_OK && prev == 0,
	  "a first visit has none before it");
	T(STORE(s, tender_visit, w->bidder.id, w->pa1.id, 6000, &prev, &e) == KV_OK && prev == 5000,
	  "a second gives the first");
	T(STORE(s, tender_visit, w->bidder.id, w->pa1.id, 7000, &prev, &e) == KV_OK && prev == 6000,
	  "a third the second");
	arena_free(a);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/kavel-store-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	printf("# databases in %s\n", dir);

	test_migrations();
	test_migration_v2();
	test_migration_v3();
	test_migration_v4();
	test_migration_v5();
	test_migration_v6();
	test_migration_v7();
	test_migration_submission_limits();
	test_migration_v11();

	struct world w;
	memset(&w, 0, sizeof w);
	struct store *s = open_db("main.db");
	T(s != NULL, "open main.db");
	if (s) {
		test_people(s, &w);
		test_procedures(s, &w);
		test_candidates(s, &w);
		test_decisions(s, &w);
		test_equated(s, &w);
		test_steering(s, &w);
		test_tender_documents(s, &w);
		test_audit(s, &w);
		store_close(s);
	}
	test_audit_progress();
	test_backup();
	test_pool();

	const char *names[] = {"new.db", "v1.db", "v2.db", "v3.db", "v4.db", "v5.db", "v6.db", "v10.db", "future.db",
			       "other.db", "junk.db", "main.db", "tamper1.db",
			       "tamper2.db", "tamper3.db", "tamper4.db",
			       "big.db", "backup1.db", "backup2.db"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		remove_db(names[i]);
	rmdir(dir);
	return tap_done();
}
