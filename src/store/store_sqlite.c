/*
 * store_sqlite.c - the SQLite driver of the storage interface (store.h).
 *
 * One struct sq is one connection.  Every operation is a prepared statement
 * with bound parameters (values are never formatted into SQL); statements
 * are prepared once per connection and kept in a small cache until the
 * connection closes.  Operations that touch several rows run in their own
 * transaction when the caller has none, and in a savepoint inside the
 * caller's transaction otherwise, so they either happen whole or not at
 * all.  The schema lives in migrations.c.
 *
 * Enumerations are stored as text codes (the tables below); a code this
 * build does not know reads back as a KV_IO error, never as a guess.
 * Strings a read returns are copied into the caller's arena.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "migrations.h"

/* --- codes of the enumerations (stable: they are in the data) ---------- */

static const char *const org_kind_codes[] = {
	[ORG_MUNICIPALITY] = "municipality",
	[ORG_SUPPLIER] = "supplier",
};

static const char *const proc_type_codes[] = {
	[PT_SAS_DIALOGUE] = "sas-dialogue",
	[PT_SAS_OPEN] = "sas-open",
	[PT_OPEN] = "open",
	[PT_RESTRICTED] = "restricted",
	[PT_COMPETITIVE_DIALOGUE] = "competitive-dialogue",
	[PT_NEGOTIATED] = "negotiated",
	[PT_PRIVATE_SINGLE] = "private-single",
	[PT_PRIVATE_MULTIPLE] = "private-multiple",
};

static const char *const stage_kind_codes[] = {
	[SK_PRE_ANNOUNCEMENT] = "pre-announcement",
	[SK_REGISTRATION] = "registration",
	[SK_DOCUMENT_ISSUED] = "document-issued",
	[SK_APPLICATION_DEADLINE] = "application-deadline",
	[SK_SELECTION] = "selection",
	[SK_DIALOGUE_ROUND] = "dialogue-round",
	[SK_TENDER_DEADLINE] = "tender-deadline",
	[SK_EVALUATION] = "evaluation",
	[SK_PROVISIONAL_AWARD] = "provisional-award",
	[SK_STANDSTILL] = "standstill",
	[SK_DEFINITIVE_AWARD] = "definitive-award",
	[SK_CONTRACT_START] = "contract-start",
};

static const char *const stage_status_codes[] = {
	[STAGE_PLANNED] = "planned",
	[STAGE_COMPLETED] = "completed",
};

static const char *const party_role_codes[] = {
	[PARTY_PENVOERDER] = "penvoerder",
	[PARTY_MEMBER] = "member",
	[PARTY_SUBCONTRACTOR] = "subcontractor",
};

static const char *const condition_state_codes[] = {
	[COND_PENDING] = "pending",
	[COND_MET] = "met",
	[COND_WAIVED] = "waived",
};

/* Steering (schema v3).  The core has code functions for these too
 * (steering.h); the store keeps its own tables, as for the enumerations
 * above, so the codes in the data do not depend on core logic. */
static const char *const subsidy_kind_codes[] = {
	[SUBSIDY_MULTI_YEAR] = "multi-year",
	[SUBSIDY_BUDGET] = "budget",
	[SUBSIDY_ANNUAL] = "annual",
	[SUBSIDY_INCIDENTAL] = "incidental",
};

static const char *const org_form_codes[] = {
	[FORM_SEPARATE_SUBSIDIES] = "separate-subsidies",
	[FORM_ONE_PENVOERDER] = "one-penvoerder",
	[FORM_MAIN_CONTRACTOR] = "main-contractor",
	[FORM_EQUAL_PARTIES] = "equal-parties",
	[FORM_CONSORTIUM_CONTRACT] = "consortium-contract",
	[FORM_SINGLE_PROVIDER] = "single-provider",
};

static const char *const kpi_direction_codes[] = {
	[KPI_HIGHER_IS_BETTER] = "higher-is-better",
	[KPI_LOWER_IS_BETTER] = "lower-is-better",
};

static const char *const kpi_frequency_codes[] = {
	[KPI_MONTHLY] = "monthly",
	[KPI_QUARTERLY] = "quarterly",
	[KPI_YEARLY] = "yearly",
};

static const char *const evaluation_outcome_codes[] = {
	[EVAL_PENDING] = "pending",
	[EVAL_POSITIVE] = "positive",
	[EVAL_NEGATIVE] = "negative",
};

static const char *const risk_level_codes[] = {
	[RISK_LOW] = "low",
	[RISK_MEDIUM] = "medium",
	[RISK_HIGH] = "high",
};

#define N_CODES(t) ((int)(sizeof(t) / sizeof *(t)))

/* A new enumerator needs a code here and a new migration that widens the
 * CHECK constraint; these make the build fail until it has both. */
_Static_assert(N_CODES(proc_type_codes) == PT__COUNT, "proc_type codes");
_Static_assert(N_CODES(stage_kind_codes) == SK__COUNT, "stage_kind codes");

/* Roles are bits; stored one per grant. */
static const struct {
	enum role role;
	const char *code;
} role_codes[] = {
	{ROLE_BUYER, "buyer"},
	{ROLE_ASSESSOR, "assessor"},
	{ROLE_BIDDER, "bidder"},
	{ROLE_COUNCIL, "council"},
	{ROLE_REPORTER, "reporter"},
};

static const char *code_of(const char *const *codes, int n, int v)
{
	return v >= 0 && v < n ? codes[v] : NULL;
}

static int code_find(const char *const *codes, int n, const unsigned char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < n; i++)
		if (codes[i] && strcmp(codes[i], (const char *)s) == 0)
			return i;
	return -1;
}

static const char *role_code_of(enum role r)
{
	for (size_t i = 0; i < sizeof role_codes / sizeof *role_codes; i++)
		if (role_codes[i].role == r)
			return role_codes[i].code;
	return NULL;
}

static int role_find(const unsigned char *s)
{
	for (size_t i = 0; s && i < sizeof role_codes / sizeof *role_codes;
	     i++)
		if (strcmp(role_codes[i].code, (const char *)s) == 0)
			return (int)role_codes[i].role;
	return -1;
}

/* --- the connection and its statements --------------------------------- */

#define STMT_CACHE 128

struct sq {
	struct store base;
	sqlite3 *db;
	int version;        /* the schema version once opened: the tests build
			       databases at older versions, so a statement
			       over a later column chooses by it */
	int n_cache;
	struct {
		const char *sql;    /* identity: the address of the text */
		sqlite3_stmt *st;
		int busy;
	} cache[STMT_CACHE];
};

static const struct store_ops sqlite_ops;

static struct sq *SQ(struct store *s)
{
	return (struct sq *)s;
}

/* Maps a failed SQLite call to a kv_status with a sentence.  Unique-key
 * violations are the caller's to explain (it knows which key); this
 * covers the rest.  Messages name tables and columns, never values, so
 * no password hash or token can end up in one. */
static enum kv_status db_fail(struct sq *s, int rc, struct kv_error *e)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return kv_fail(e, KV_CONFLICT, "",
			       _("This already exists (%s)."),
			       sqlite3_errmsg(s->db));
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return kv_fail(e, KV_INVALID, "",
			       _("This refers to an organisation, account, "
				 "procedure or candidate that does not exist, "
				 "or that belongs to another municipality."));
	case SQLITE_CONSTRAINT_TRIGGER:
		return kv_fail(e, KV_DENIED, "",
			       _("The database refused the change: %s."),
			       sqlite3_errmsg(s->db));
	default:
		break;
	}
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return kv_fail(e, KV_INVALID, "",
			       _("A value is missing or out of range (%s)."),
			       sqlite3_errmsg(s->db));
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return kv_fail(e, KV_IO, "",
			       _("The database is busy; please try again "
				 "(%s)."), sqlite3_errmsg(s->db));
	return kv_fail(e, KV_IO, "", _("The database failed: %s."),
		       sqlite3_errmsg(s->db));
}

static int is_unique(int rc)
{
	return rc == SQLITE_CONSTRAINT_UNIQUE ||
	       rc == SQLITE_CONSTRAINT_PRIMARYKEY;
}

/* What a broken constraint means to a person.  The schema names each
 * CHECK a person can break (migrations.c, from v3); a NOT NULL column is
 * named "table.column", as SQLite reports it. */
struct constraint_msg {
	const char *name;
	const char *field;
	const char *msg;              /* N_(): translated when used */
};

/* Maps a failed write through the table t (n entries): a named CHECK or
 * NOT NULL constraint found there gives KV_INVALID with its field and
 * sentence; anything else goes to db_fail.  Unique keys and foreign keys
 * are the caller's to explain first. */
static enum kv_status constraint_fail(struct sq *s, int rc,
				      const struct constraint_msg *t, int n,
				      struct kv_error *e)
{
	static const char check[] = "CHECK constraint failed: ";
	static const char notnull[] = "NOT NULL constraint failed: ";
	const char *m = sqlite3_errmsg(s->db), *name = NULL;
	if (rc == SQLITE_CONSTRAINT_CHECK &&
	    strncmp(m, check, sizeof check - 1) == 0)
		name = m + sizeof check - 1;
	else if (rc == SQLITE_CONSTRAINT_NOTNULL &&
		 strncmp(m, notnull, sizeof notnull - 1) == 0)
		name = m + sizeof notnull - 1;
	for (int i = 0; name && i < n; i++)
		if (strcmp(name, t[i].name) == 0)
			return kv_fail(e, KV_INVALID, t[i].field, "%s",
				       _(t[i].msg));
	return db_fail(s, rc, e);
}

static enum kv_status corrupt(struct kv_error *e, const char *what,
			      const unsigned char *code)
{
	return kv_fail(e, KV_IO, "",
		       _("The database holds a %s this version of Kavel does "
			 "not know: \"%s\"."), what,
		       code ? (const char *)code : "(null)");
}

/* A ready statement for sql, or NULL with e filled.  Give it back with
 * done(). */
static sqlite3_stmt *prep(struct sq *s, const char *sql, struct kv_error *e)
{
	int slot = -1;
	for (int i = 0; i < s->n_cache; i++) {
		if (s->cache[i].sql == sql) {
			if (!s->cache[i].busy) {
				s->cache[i].busy = 1;
				return s->cache[i].st;
			}
			slot = -2; /* in use further up: a one-off copy */
			break;
		}
	}
	if (slot == -1 && s->n_cache < STMT_CACHE)
		slot = s->n_cache;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->db, sql, -1,
				    slot >= 0 ? SQLITE_PREPARE_PERSISTENT : 0,
				    &st, NULL);
	if (rc != SQLITE_OK) {
		db_fail(s, rc, e);
		return NULL;
	}
	if (slot >= 0) {
		s->cache[slot].sql = sql;
		s->cache[slot].st = st;
		s->cache[slot].busy = 1;
		s->n_cache++;
	}
	return st;
}

static void done(struct sq *s, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (int i = 0; i < s->n_cache; i++) {
		if (s->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			s->cache[i].busy = 0;
			return;
		}
	}
	sqlite3_finalize(st);
}

/* Runs a statement that returns no rows; SQLITE_OK or the error. */
static int run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Text that must not be NULL in the table: NULL binds as "". */
static void bind_str(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

/* An optional id or instant: 0 binds as NULL. */
static void bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static char *col_str(arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t,
			     (size_t)sqlite3_column_bytes(st, i));
}

static const unsigned char *col_code(sqlite3_stmt *st, int i)
{
	return sqlite3_column_text(st, i);
}

/* 'YYYY-MM-DD' <-> cal_date (plain digits; the calendar is not needed). */
static void date_text(cal_date d, char buf[40])
{
	snprintf(buf, 40, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static int date_parse(const unsigned char *t, cal_date *d)
{
	char tail;
	if (!t || sscanf((const char *)t, "%4d-%2d-%2d%c", &d->year,
			 &d->month, &d->day, &tail) != 3)
		return -1;
	return 0;
}

/* A civil date that may be unset (all zero in C) is NULL in the table. */
static bool date_unset(cal_date d)
{
	return d.year == 0 && d.month == 0 && d.day == 0;
}

static void bind_date(sqlite3_stmt *st, int i, cal_date d)
{
	char buf[40];
	if (date_unset(d)) {
		sqlite3_bind_null(st, i);
		return;
	}
	date_text(d, buf);
	sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
}

/* NULL reads as the unset date; text that is no date is -1. */
static int col_date(sqlite3_stmt *st, int i, cal_date *d)
{
	memset(d, 0, sizeof *d);
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	return date_parse(col_code(st, i), d);
}

/* Grows an array in the arena (doubling; the old copy stays in the arena
 * until it is freed). */
/* A result array growing by rows: arena_grow, first block of 8. */
static void *grow(arena *a, void *arr, int n, int *cap, size_t elem)
{
	return arena_grow(a, arr, n, cap, elem, 8);
}

static kv_instant now_or(kv_instant t)
{
	return t ? t : (kv_instant)time(NULL);
}

/* --- transactions ------------------------------------------------------- */

/* Runs SQL text of one or more statements once (the set-up at opening). */
static enum kv_status exec_script(struct sq *s, const char *sql,
				  struct kv_error *e)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? KV_OK : db_fail(s, rc, e);
}

/* Runs one statement of transaction control (BEGIN, COMMIT, SAVEPOINT
 * ...) from the statement cache: every request begins and ends one, and
 * sqlite3_exec would parse it again each time. */
static enum kv_status exec_sql(struct sq *s, const char *sql,
			       struct kv_error *e)
{
	sqlite3_stmt *st = prep(s, sql, e);
	if (!st)
		return KV_IO;
	int rc = sqlite3_step(st);
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, st);
	return r;
}

/* An operation's own unit of work: a transaction of its own when the
 * caller has none (IMMEDIATE for writes, so a read-then-write cannot lose
 * its snapshot), a savepoint inside the caller's transaction otherwise. */
enum unit { UNIT_TX, UNIT_SAVEPOINT, UNIT_NONE };

static enum kv_status unit_begin(struct sq *s, bool write, enum unit *u,
				 struct kv_error *e)
{
	/* A read inside the caller's transaction already has its snapshot
	 * and nothing to undo. */
	if (!write && !sqlite3_get_autocommit(s->db)) {
		*u = UNIT_NONE;
		return KV_OK;
	}
	if (sqlite3_get_autocommit(s->db)) {
		*u = UNIT_TX;
		return exec_sql(s, write ? "BEGIN IMMEDIATE" : "BEGIN", e);
	}
	*u = UNIT_SAVEPOINT;
	return exec_sql(s, "SAVEPOINT kavel_op", e);
}

/* Ends the unit: commits when st is KV_OK (returning the commit's
 * status), otherwise undoes it and returns st. */
static enum kv_status unit_end(struct sq *s, enum unit u, enum kv_status st,
			       struct kv_error *e)
{
	if (u == UNIT_NONE)
		return st;
	if (u == UNIT_TX) {
		if (st == KV_OK) {
			st = exec_sql(s, "COMMIT", e);
			if (st == KV_OK)
				return KV_OK;
		}
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	if (st == KV_OK)
		return exec_sql(s, "RELEASE kavel_op", e);
	sqlite3_exec(s->db, "ROLLBACK TO kavel_op; RELEASE kavel_op", NULL,
		     NULL, NULL);
	return st;
}

static enum kv_status op_begin(struct store *st, bool write,
			       struct kv_error *e)
{
	struct sq *s = SQ(st);
	if (!sqlite3_get_autocommit(s->db))
		return kv_fail(e, KV_IO, "",
			       _("A transaction is already open on this "
				 "database connection."));
	return exec_sql(s, write ? "BEGIN IMMEDIATE" : "BEGIN", e);
}

static enum kv_status op_commit(struct store *st, struct kv_error *e)
{
	struct sq *s = SQ(st);
	enum kv_status r = exec_sql(s, "COMMIT", e);
	if (r != KV_OK && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

static void op_rollback(struct store *st)
{
	struct sq *s = SQ(st);
	struct kv_error ignored;
	if (!sqlite3_get_autocommit(s->db))
		exec_sql(s, "ROLLBACK", &ignored);
}

/* --- open and close ------------------------------------------------------ */

static void op_close(struct store *st)
{
	struct sq *s = SQ(st);
	if (!s)
		return;
	if (s->db) {
		op_rollback(st);
		for (int i = 0; i < s->n_cache; i++)
			sqlite3_finalize(s->cache[i].st);
		sqlite3_stmt *left;
		while ((left = sqlite3_next_stmt(s->db, NULL))) {
			fprintf(stderr, "kavel: store: statement left "
				"unfinalized: %s\n", sqlite3_sql(left));
			sqlite3_finalize(left);
		}
		sqlite3_close(s->db);
	}
	free(s);
}

static int op_schema_version(struct store *st)
{
	return migrations_current(SQ(st)->db, NULL);
}

static int pragma_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		snprintf(out, n, "%s", t ? (const char *)t : "");
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		out[0] = '\0';
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Refuses a file that is not (or not yet) a Kavel database of a version
 * this build can use. */
static enum kv_status check_identity(sqlite3 *db, const char *path,
				     struct kv_error *e)
{
	char buf[32];
	int version = migrations_current(db, e);
	if (version < 0)
		return kv_fail(e, KV_IO, "",
			       _("The file %s is not a database Kavel can "
				 "open: %s."), path, sqlite3_errmsg(db));
	if (version > migrations_latest())
		return kv_fail(e, KV_IO, "",
			       _("The database %s has schema version %d, but "
				 "this version of Kavel knows versions up to "
				 "%d only.  Use a newer Kavel, or restore a "
				 "backup made by this version."), path,
			       version, migrations_latest());
	if (pragma_text(db, "PRAGMA application_id", buf, sizeof buf) !=
	    SQLITE_OK)
		return kv_fail(e, KV_IO, "", _("The database failed: %s."),
			       sqlite3_errmsg(db));
	long app = strtol(buf, NULL, 10);
	if (version > 0 && app != KAVEL_APPLICATION_ID)
		return kv_fail(e, KV_IO, "",
			       _("The file %s is a SQLite database, but not "
				 "one of Kavel."), path);
	if (version == 0) {
		/* A new database must be empty. */
		if (pragma_text(db,
				"SELECT name FROM sqlite_schema LIMIT 1",
				buf, sizeof buf) != SQLITE_OK)
			return kv_fail(e, KV_IO, "",
				       _("The database failed: %s."),
				       sqlite3_errmsg(db));
		if (buf[0])
			return kv_fail(e, KV_IO, "",
				       _("The file %s is a SQLite database, "
					 "but not one of Kavel."), path);
	}
	return KV_OK;
}

struct store *store_sqlite_open_at_version(const char *path, int version,
					   struct kv_error *e)
{
	struct sq *s = calloc(1, sizeof *s);
	if (!s) {
		fputs("kavel: out of memory\n", stderr);
		abort();
	}
	s->base.ops = &sqlite_ops;
	int rc = sqlite3_open_v2(path, &s->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				     SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		kv_fail(e, KV_IO, "", _("Could not open the database %s: %s."),
			path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		op_close(&s->base);
		return NULL;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	char mode[16];
	if (exec_script(s, "PRAGMA busy_timeout = 5000; "
			"PRAGMA foreign_keys = ON; "
			"PRAGMA trusted_schema = OFF", e) != KV_OK ||
	    check_identity(s->db, path, e) != KV_OK)
		goto fail;
	rc = pragma_text(s->db, "PRAGMA journal_mode = WAL", mode,
			 sizeof mode);
	if (rc != SQLITE_OK) {
		db_fail(s, rc, e);
		goto fail;
	}
	/* An in-memory database (tests) has no file to log beside. */
	const char *file = sqlite3_db_filename(s->db, "main");
	if (strcmp(mode, "wal") != 0 &&
	    !(strcmp(mode, "memory") == 0 && (!file || !file[0]))) {
		kv_fail(e, KV_IO, "",
			_("The database %s cannot use write-ahead logging "
			  "(journal mode is %s)."), path, mode);
		goto fail;
	}
	if (exec_script(s, "PRAGMA synchronous = FULL", e) != KV_OK ||
	    migrations_apply(s->db, version, e) != KV_OK)
		goto fail;
	s->version = migrations_current(s->db, NULL);
	return &s->base;
fail:
	op_close(&s->base);
	return NULL;
}

struct store *store_sqlite_open(const char *path, struct kv_error *e)
{
	return store_sqlite_open_at_version(path, migrations_latest(), e);
}

int store_sqlite_latest_version(void)
{
	return migrations_latest();
}

/* --- organisations, people, accounts, grants ---------------------------- */

static const char SQL_ORG_INSERT[] =
	"INSERT INTO organisations (name, kvk, kind, created_at) "
	"VALUES (?1, ?2, ?3, ?4)";

static enum kv_status op_org_create(struct store *st, struct org *o,
				    struct kv_error *e)
{
	struct sq *s = SQ(st);
	const char *kind = code_of(org_kind_codes, N_CODES(org_kind_codes),
				   (int)o->kind);
	if (!kind)
		return kv_fail(e, KV_INVALID, "kind",
			       _("Unknown kind of organisation."));
	sqlite3_stmt *q = prep(s, SQL_ORG_INSERT, e);
	if (!q)
		return KV_IO;
	o->created_at = now_or(o->created_at);
	bind_text(q, 1, o->name);
	bind_text(q, 2, o->kvk);
	bind_text(q, 3, kind);
	sqlite3_bind_int64(q, 4, o->created_at);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "kvk",
			    _("An organisation with KvK number %s is already "
			      "registered."), o->kvk);
	else if (rc == SQLITE_CONSTRAINT_CHECK ||
		 rc == SQLITE_CONSTRAINT_NOTNULL)
		r = kv_fail(e, KV_INVALID, "kvk",
			    _("An organisation needs a name and a KvK number "
			      "of 8 digits."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else
		o->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

#define ORG_COLS "id, name, kvk, kind, created_at"

static enum kv_status org_row(sqlite3_stmt *q, arena *a, struct org *o,
			      struct kv_error *e)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(q, 0);
	o->name = col_str(a, q, 1);
	o->kvk = col_str(a, q, 2);
	int k = code_find(org_kind_codes, N_CODES(org_kind_codes),
			  col_code(q, 3));
	if (k < 0)
		return corrupt(e, _("kind of organisation"), col_code(q, 3));
	o->kind = (enum org_kind)k;
	o->created_at = sqlite3_column_int64(q, 4);
	return KV_OK;
}

/* One org by the query sql with one bound parameter set by the caller. */
static enum kv_status org_one(struct sq *s, sqlite3_stmt *q, arena *a,
			      struct org *o, struct kv_error *e)
{
	int rc = sqlite3_step(q);
	enum kv_status r;
	if (rc == SQLITE_ROW)
		r = org_row(q, a, o, e);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("No such organisation."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_ORG_GET[] =
	"SELECT " ORG_COLS " FROM organisations WHERE id = ?1";
static const char SQL_ORG_BY_KVK[] =
	"SELECT " ORG_COLS " FROM organisations WHERE kvk = ?1";
static const char SQL_ORG_LIST[] =
	"SELECT " ORG_COLS " FROM organisations "
	"ORDER BY name COLLATE NOCASE, id";

static enum kv_status op_org_get(struct store *st, int64_t id, arena *a,
				 struct org *o, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_ORG_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, id);
	return org_one(s, q, a, o, e);
}

static enum kv_status op_org_by_kvk(struct store *st, const char *kvk,
				    arena *a, struct org *o,
				    struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_ORG_BY_KVK, e);
	if (!q)
		return KV_IO;
	bind_str(q, 1, kvk);
	return org_one(s, q, a, o, e);
}

static enum kv_status op_org_list(struct store *st, arena *a,
				  struct org **out, int *n,
				  struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_ORG_LIST, e);
	if (!q)
		return KV_IO;
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		r = org_row(q, a, &(*out)[*n], e);
		(*n)++;
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_PERSON_INSERT[] =
	"INSERT INTO people (org_id, name, email, job_title) "
	"VALUES (?1, ?2, ?3, ?4)";

static enum kv_status op_person_create(struct store *st, struct person *p,
				       struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_PERSON_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, p->org_id);
	bind_text(q, 2, p->name);
	bind_text(q, 3, p->email);
	bind_text(q, 4, p->job_title);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else
		p->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static const char SQL_ACCOUNT_INSERT[] =
	"INSERT INTO accounts (org_id, person_id, email, name, pwhash, "
	"disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

static enum kv_status op_account_create(struct store *st,
					struct account *acc,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_ACCOUNT_INSERT, e);
	if (!q)
		return KV_IO;
	acc->created_at = now_or(acc->created_at);
	sqlite3_bind_int64(q, 1, acc->org_id);
	bind_opt(q, 2, acc->person_id);
	bind_text(q, 3, acc->email);
	bind_text(q, 4, acc->name);
	bind_text(q, 5, acc->pwhash);
	sqlite3_bind_int(q, 6, acc->disabled ? 1 : 0);
	sqlite3_bind_int64(q, 7, acc->created_at);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "email",
			    _("An account with the e-mail address %s already "
			      "exists."), acc->email);
	else if (rc == SQLITE_CONSTRAINT_CHECK ||
		 rc == SQLITE_CONSTRAINT_NOTNULL)
		r = kv_fail(e, KV_INVALID, "email",
			    _("An account needs an e-mail address, a name "
			      "and a password."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else
		acc->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

#define ACCOUNT_COLS \
	"id, org_id, person_id, email, name, pwhash, disabled, created_at"
static const char SQL_ACCOUNT_GET[] =
	"SELECT " ACCOUNT_COLS " FROM accounts WHERE id = ?1";
static const char SQL_ACCOUNT_BY_EMAIL[] =
	"SELECT " ACCOUNT_COLS " FROM accounts WHERE email = ?1";

static enum kv_status account_one(struct sq *s, sqlite3_stmt *q, arena *a,
				  struct account *acc, struct kv_error *e)
{
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		memset(acc, 0, sizeof *acc);
		acc->id = sqlite3_column_int64(q, 0);
		acc->org_id = sqlite3_column_int64(q, 1);
		acc->person_id = sqlite3_column_int64(q, 2);
		acc->email = col_str(a, q, 3);
		acc->name = col_str(a, q, 4);
		acc->pwhash = col_str(a, q, 5);
		acc->disabled = sqlite3_column_int(q, 6) != 0;
		acc->created_at = sqlite3_column_int64(q, 7);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "", _("No such account."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

static enum kv_status op_account_get(struct store *st, int64_t id, arena *a,
				     struct account *acc,
				     struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_ACCOUNT_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, id);
	return account_one(s, q, a, acc, e);
}

static enum kv_status op_account_by_email(struct store *st,
					  const char *email, arena *a,
					  struct account *acc,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_ACCOUNT_BY_EMAIL, e);
	if (!q)
		return KV_IO;
	bind_str(q, 1, email);
	return account_one(s, q, a, acc, e);
}

static const char SQL_GRANT_INSERT[] =
	"INSERT INTO grants (account_id, tenant_id, procedure_id, role, "
	"candidate_id, contract_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static const struct constraint_msg grant_checks[] = {
	{"grant_bidder_procedure", "procedure_id",
	 N_("A bidder's role holds for one procedure.")},
	{"grant_candidate", "candidate_id",
	 N_("Only a bidder's role names a candidate.")},
	{"grant_reporter_contract", "contract_id",
	 N_("A reporter's role holds for one contract, not for a "
	    "procedure.")},
	{"grant_contract", "contract_id",
	 N_("Only a reporter's role names a contract.")},
};

static enum kv_status op_grant_add(struct store *st, const struct grant *g,
				   struct kv_error *e)
{
	struct sq *s = SQ(st);
	const char *role = role_code_of(g->role);
	if (!role)
		return kv_fail(e, KV_INVALID, "role",
			       _("A grant holds exactly one known role."));
	sqlite3_stmt *q = prep(s, SQL_GRANT_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, g->account_id);
	sqlite3_bind_int64(q, 2, g->tenant_id);
	bind_opt(q, 3, g->procedure_id);
	bind_text(q, 4, role);
	bind_opt(q, 5, g->candidate_id);
	bind_opt(q, 6, g->contract_id);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "role",
			    _("The account already holds this role here."));
	else if (rc == SQLITE_CONSTRAINT_CHECK)
		r = constraint_fail(s, rc, grant_checks,
				    N_CODES(grant_checks), e);
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_TENANT_ACCOUNTS[] =
	"SELECT a.id, a.org_id, a.email, a.name, g.role FROM accounts a "
	"JOIN grants g ON g.account_id = a.id AND g.tenant_id = ?1 "
	"WHERE a.org_id = ?1 AND a.disabled = 0 "
	"ORDER BY a.name, a.id, g.id";

static enum kv_status op_tenant_accounts(struct store *st, int64_t tenant_id,
					 arena *a, struct account **out,
					 unsigned **roles, int *n,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*roles = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_TENANT_ACCOUNTS, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, tenant_id);
	int cap = 0, rcap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		int role = role_find(col_code(q, 4));
		if (role < 0) {
			r = corrupt(e, _("role"), col_code(q, 4));
			break;
		}
		int64_t id = sqlite3_column_int64(q, 0);
		if (!*n || (*out)[*n - 1].id != id) {
			*out = grow(a, *out, *n, &cap, sizeof **out);
			*roles = grow(a, *roles, *n, &rcap, sizeof **roles);
			struct account *acc = &(*out)[*n];
			memset(acc, 0, sizeof *acc);
			acc->id = id;
			acc->org_id = sqlite3_column_int64(q, 1);
			acc->email = col_str(a, q, 2);
			acc->name = col_str(a, q, 3);
			(*roles)[(*n)++] = 0;
		}
		(*roles)[*n - 1] |= (unsigned)role;
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_GRANTS_OF[] =
	"SELECT account_id, tenant_id, procedure_id, role, candidate_id, "
	"contract_id FROM grants WHERE account_id = ?1 ORDER BY id";

static enum kv_status op_grants_of(struct store *st, int64_t account_id,
				   arena *a, struct grant **out, int *n,
				   struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_GRANTS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, account_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct grant *g = &(*out)[(*n)++];
		memset(g, 0, sizeof *g);
		g->account_id = sqlite3_column_int64(q, 0);
		g->tenant_id = sqlite3_column_int64(q, 1);
		g->procedure_id = sqlite3_column_int64(q, 2);
		int role = role_find(col_code(q, 3));
		if (role < 0)
			r = corrupt(e, _("role"), col_code(q, 3));
		else
			g->role = (enum role)role;
		g->candidate_id = sqlite3_column_int64(q, 4);
		g->contract_id = sqlite3_column_int64(q, 5);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- sessions ------------------------------------------------------------ */

static const char SQL_SESSION_INSERT[] =
	"INSERT INTO sessions (token_hash, account_id, csrf, lang, "
	"created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static enum kv_status op_session_create(struct store *st,
					const struct session *ss,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	size_t csrf_len = strnlen(ss->csrf, sizeof ss->csrf);
	size_t lang_len = strnlen(ss->lang, sizeof ss->lang);
	if (csrf_len == sizeof ss->csrf || lang_len == sizeof ss->lang)
		return kv_fail(e, KV_INVALID, "",
			       _("The session's CSRF token or language is "
				 "too long."));
	sqlite3_stmt *q = prep(s, SQL_SESSION_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_blob(q, 1, ss->token_hash, sizeof ss->token_hash,
			  SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, ss->account_id);
	sqlite3_bind_text(q, 3, ss->csrf, (int)csrf_len, SQLITE_TRANSIENT);
	if (lang_len)
		sqlite3_bind_text(q, 4, ss->lang, (int)lang_len,
				  SQLITE_TRANSIENT);
	else
		sqlite3_bind_text(q, 4, "nl", 2, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, now_or(ss->created_at));
	sqlite3_bind_int64(q, 6, ss->expires_at);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "",
			    _("This session already exists."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_SESSION_GET[] =
	"SELECT account_id, csrf, lang, created_at, expires_at "
	"FROM sessions WHERE token_hash = ?1 AND expires_at > ?2";

static void copy_fixed(char *dst, size_t n, sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	size_t len = t ? (size_t)sqlite3_column_bytes(q, i) : 0;
	if (len >= n)
		len = n - 1;
	if (len)
		memcpy(dst, t, len);
	dst[len] = '\0';
}

static enum kv_status op_session_get(struct store *st,
				     const unsigned char token_hash[32],
				     struct session *ss, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_SESSION_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_blob(q, 1, token_hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, (int64_t)time(NULL));
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		memset(ss, 0, sizeof *ss);
		memcpy(ss->token_hash, token_hash, sizeof ss->token_hash);
		ss->account_id = sqlite3_column_int64(q, 0);
		copy_fixed(ss->csrf, sizeof ss->csrf, q, 1);
		copy_fixed(ss->lang, sizeof ss->lang, q, 2);
		ss->created_at = sqlite3_column_int64(q, 3);
		ss->expires_at = sqlite3_column_int64(q, 4);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("The session has ended; please log in again."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

static const char SQL_SESSION_DELETE[] =
	"DELETE FROM sessions WHERE token_hash = ?1";

static enum kv_status op_session_delete(struct store *st,
					const unsigned char token_hash[32],
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_SESSION_DELETE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_blob(q, 1, token_hash, 32, SQLITE_TRANSIENT);
	int rc = run(q);
	enum kv_status r = rc == SQLITE_OK ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_SESSION_LANG[] =
	"UPDATE sessions SET lang = ?2 WHERE token_hash = ?1";

static enum kv_status op_session_set_lang(struct store *st,
					  const unsigned char token_hash[32],
					  const char *lang,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	if (!lang || strlen(lang) < 2 || strlen(lang) >= 8)
		return kv_fail(e, KV_INVALID, "lang", _("Unknown language."));
	sqlite3_stmt *q = prep(s, SQL_SESSION_LANG, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_blob(q, 1, token_hash, 32, SQLITE_TRANSIENT);
	bind_text(q, 2, lang);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else if (sqlite3_changes(s->db) == 0)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("The session has ended; please log in again."));
	done(s, q);
	return r;
}

/* --- procedures, lots, stages -------------------------------------------- */

static const char SQL_PROC_INSERT[] =
	"INSERT INTO procedures (tenant_id, reference, title, type, cpv, "
	"value_cents, dialogue_rounds, standstill_days, created_at, description) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
/* Before v16 (tests' older databases): no description. */
static const char SQL_PROC_INSERT_V1[] =
	"INSERT INTO procedures (tenant_id, reference, title, type, cpv, "
	"value_cents, dialogue_rounds, standstill_days, created_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_LOT_INSERT[] =
	"INSERT INTO lots (procedure_id, number, title, goals, value_cents, "
	"fixed_budget) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_STAGE_INSERT[] =
	"INSERT INTO stages (procedure_id, seq, kind, round, start_at, "
	"end_at, status, completed_at, completed_by, rule) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

static enum kv_status lot_insert(struct sq *s, int64_t procedure_id,
				 struct lot *l, struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, SQL_LOT_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int(q, 2, l->number);
	bind_str(q, 3, l->title);
	bind_text(q, 4, l->goals);
	sqlite3_bind_int64(q, 5, l->value_cents);
	sqlite3_bind_int(q, 6, l->fixed_budget ? 1 : 0);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "number",
			    _("Lot %d already exists in this procedure."),
			    l->number);
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else
		l->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status stage_insert(struct sq *s, int64_t procedure_id,
				   struct stage *sg, struct kv_error *e)
{
	const char *kind = code_of(stage_kind_codes, N_CODES(stage_kind_codes),
				   (int)sg->kind);
	const char *status = code_of(stage_status_codes,
				     N_CODES(stage_status_codes),
				     (int)sg->status);
	if (!kind || !status)
		return kv_fail(e, KV_INVALID, "stages",
			       _("Unknown kind or status of stage."));
	sqlite3_stmt *q = prep(s, SQL_STAGE_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int(q, 2, sg->seq);
	bind_text(q, 3, kind);
	sqlite3_bind_int(q, 4, sg->round);
	bind_opt(q, 5, sg->start);
	bind_opt(q, 6, sg->end);
	bind_text(q, 7, status);
	bind_opt(q, 8, sg->completed_at);
	bind_opt(q, 9, sg->completed_by);
	bind_text(q, 10, sg->rule);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "stages",
			    _("Two stages have the same place (%d) in the "
			      "timeline."), sg->seq);
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else
		sg->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status proc_insert(struct sq *s, struct procedure *p,
				  struct kv_error *e)
{
	const char *type = code_of(proc_type_codes, N_CODES(proc_type_codes),
				   (int)p->type);
	if (!type)
		return kv_fail(e, KV_INVALID, "type",
			       _("Unknown type of procedure."));
	bool described = s->version >= 16;
	sqlite3_stmt *q = prep(s, described ? SQL_PROC_INSERT : SQL_PROC_INSERT_V1, e);
	if (!q)
		return KV_IO;
	p->created_at = now_or(p->created_at);
	sqlite3_bind_int64(q, 1, p->tenant_id);
	bind_text(q, 2, p->reference);
	bind_str(q, 3, p->title);
	bind_text(q, 4, type);
	sqlite3_bind_text(q, 5, p->cpv, (int)strnlen(p->cpv, sizeof p->cpv),
			  SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 6, p->value_cents);
	sqlite3_bind_int(q, 7, p->dialogue_rounds);
	sqlite3_bind_int(q, 8, p->standstill_days);
	sqlite3_bind_int64(q, 9, p->created_at);
	if (described)
		bind_str(q, 10, p->description ? p->description : "");
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "reference",
			    _("This municipality already has a procedure "
			      "with reference %s."), p->reference);
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else
		p->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status op_procedure_create(struct store *st,
					  struct procedure *p,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	int64_t old_id = p->id;
	r = proc_insert(s, p, e);
	for (int i = 0; r == KV_OK && i < p->n_lots; i++)
		r = lot_insert(s, p->id, &p->lots[i], e);
	for (int i = 0; r == KV_OK && i < p->n_stages; i++)
		r = stage_insert(s, p->id, &p->stages[i], e);
	r = unit_end(s, u, r, e);
	if (r != KV_OK) {
		/* Nothing was stored: leave no ids that point nowhere. */
		p->id = old_id;
		for (int i = 0; i < p->n_lots; i++)
			p->lots[i].id = 0;
		for (int i = 0; i < p->n_stages; i++)
			p->stages[i].id = 0;
	}
	return r;
}

static const char SQL_PROC_GET[] =
	"SELECT id, tenant_id, reference, title, type, cpv, value_cents, "
	"dialogue_rounds, standstill_days, created_at, description "
	"FROM procedures WHERE id = ?1";
static const char SQL_PROC_GET_V1[] =
	"SELECT id, tenant_id, reference, title, type, cpv, value_cents, "
	"dialogue_rounds, standstill_days, created_at, '' "
	"FROM procedures WHERE id = ?1";
static const char SQL_LOTS_OF[] =
	"SELECT id, number, title, goals, value_cents, fixed_budget "
	"FROM lots WHERE procedure_id = ?1 ORDER BY number";
static const char SQL_STAGES_OF[] =
	"SELECT id, seq, kind, round, start_at, end_at, status, "
	"completed_at, completed_by, rule "
	"FROM stages WHERE procedure_id = ?1 ORDER BY seq";

static enum kv_status proc_load(struct sq *s, int64_t id, arena *a,
				struct procedure *p, struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, s->version >= 16 ? SQL_PROC_GET : SQL_PROC_GET_V1, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		memset(p, 0, sizeof *p);
		p->id = sqlite3_column_int64(q, 0);
		p->tenant_id = sqlite3_column_int64(q, 1);
		p->reference = col_str(a, q, 2);
		p->title = col_str(a, q, 3);
		int t = code_find(proc_type_codes, N_CODES(proc_type_codes),
				  col_code(q, 4));
		if (t < 0)
			r = corrupt(e, _("type of procedure"), col_code(q, 4));
		else
			p->type = (enum proc_type)t;
		copy_fixed(p->cpv, sizeof p->cpv, q, 5);
		p->value_cents = sqlite3_column_int64(q, 6);
		p->dialogue_rounds = sqlite3_column_int(q, 7);
		p->standstill_days = sqlite3_column_int(q, 8);
		p->created_at = sqlite3_column_int64(q, 9);
		p->description = col_str(a, q, 10);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "", _("No such procedure."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	if (r != KV_OK)
		return r;

	if (!(q = prep(s, SQL_LOTS_OF, e)))
		return KV_IO;
	sqlite3_bind_int64(q, 1, id);
	int cap = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		p->lots = grow(a, p->lots, p->n_lots, &cap, sizeof *p->lots);
		struct lot *l = &p->lots[p->n_lots++];
		l->id = sqlite3_column_int64(q, 0);
		l->number = sqlite3_column_int(q, 1);
		l->title = col_str(a, q, 2);
		l->goals = col_str(a, q, 3);
		l->value_cents = sqlite3_column_int64(q, 4);
		l->fixed_budget = sqlite3_column_int(q, 5) != 0;
	}
	if (rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	if (r != KV_OK)
		return r;

	if (!(q = prep(s, SQL_STAGES_OF, e)))
		return KV_IO;
	sqlite3_bind_int64(q, 1, id);
	cap = 0;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		p->stages = grow(a, p->stages, p->n_stages, &cap,
				 sizeof *p->stages);
		struct stage *sg = &p->stages[p->n_stages++];
		sg->id = sqlite3_column_int64(q, 0);
		sg->seq = sqlite3_column_int(q, 1);
		int k = code_find(stage_kind_codes, N_CODES(stage_kind_codes),
				  col_code(q, 2));
		int stt = code_find(stage_status_codes,
				    N_CODES(stage_status_codes),
				    col_code(q, 6));
		if (k < 0) {
			r = corrupt(e, _("kind of stage"), col_code(q, 2));
		} else if (stt < 0) {
			r = corrupt(e, _("status of stage"), col_code(q, 6));
		} else {
			sg->kind = (enum stage_kind)k;
			sg->status = (enum stage_status)stt;
		}
		sg->round = sqlite3_column_int(q, 3);
		sg->start = sqlite3_column_int64(q, 4);
		sg->end = sqlite3_column_int64(q, 5);
		sg->completed_at = sqlite3_column_int64(q, 7);
		sg->completed_by = sqlite3_column_int64(q, 8);
		sg->rule = col_str(a, q, 9);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_procedure_get(struct store *st, int64_t id,
				       arena *a, struct procedure *p,
				       struct kv_error *e)
{
	struct sq *s = SQ(st);
	enum unit u;
	enum kv_status r = unit_begin(s, false, &u, e);
	if (r != KV_OK)
		return r;
	r = proc_load(s, id, a, p, e);
	return unit_end(s, u, r, e);
}

static const char SQL_PROC_VISIBLE[] =
	"SELECT p.id, p.tenant_id, o.name, p.reference, p.title, p.type, "
	"  (SELECT count(*) FROM lots l WHERE l.procedure_id = p.id) "
	"FROM procedures p JOIN organisations o ON o.id = p.tenant_id "
	"WHERE EXISTS (SELECT 1 FROM grants g WHERE g.account_id = ?1 "
	"  AND g.role <> 'reporter' " /* reporters see their contract only */
	"  AND (g.procedure_id = p.id "
	"       OR (g.procedure_id IS NULL AND g.tenant_id = p.tenant_id))) "
	"ORDER BY p.id";

static enum kv_status op_procedure_visible(struct store *st,
					   int64_t account_id, arena *a,
					   struct procedure_summary **out,
					   int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_PROC_VISIBLE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, account_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct procedure_summary *ps = &(*out)[(*n)++];
		ps->id = sqlite3_column_int64(q, 0);
		ps->tenant_id = sqlite3_column_int64(q, 1);
		ps->tenant_name = col_str(a, q, 2);
		ps->reference = col_str(a, q, 3);
		ps->title = col_str(a, q, 4);
		int t = code_find(proc_type_codes, N_CODES(proc_type_codes),
				  col_code(q, 5));
		if (t < 0)
			r = corrupt(e, _("type of procedure"), col_code(q, 5));
		else
			ps->type = (enum proc_type)t;
		ps->n_lots = sqlite3_column_int(q, 6);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_STAGE_UPDATE[] =
	"UPDATE stages SET start_at = ?3, end_at = ?4, status = ?5, "
	"completed_at = ?6, completed_by = ?7, rule = ?8 "
	"WHERE id = ?1 AND procedure_id = ?2";

static enum kv_status op_stage_update(struct store *st,
				      int64_t procedure_id,
				      const struct stage *sg,
				      struct kv_error *e)
{
	struct sq *s = SQ(st);
	const char *status = code_of(stage_status_codes,
				     N_CODES(stage_status_codes),
				     (int)sg->status);
	if (!status)
		return kv_fail(e, KV_INVALID, "status",
			       _("Unknown status of stage."));
	sqlite3_stmt *q = prep(s, SQL_STAGE_UPDATE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, sg->id);
	sqlite3_bind_int64(q, 2, procedure_id);
	bind_opt(q, 3, sg->start);
	bind_opt(q, 4, sg->end);
	bind_text(q, 5, status);
	bind_opt(q, 6, sg->completed_at);
	bind_opt(q, 7, sg->completed_by);
	bind_text(q, 8, sg->rule);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else if (sqlite3_changes(s->db) == 0)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This procedure has no such stage."));
	done(s, q);
	return r;
}

static enum kv_status op_lot_create(struct store *st, int64_t procedure_id,
				    struct lot *l, struct kv_error *e)
{
	return lot_insert(SQ(st), procedure_id, l, e);
}

/* --- candidates ---------------------------------------------------------- */

static const char SQL_CANDIDATE_INSERT[] =
	"INSERT INTO candidates (procedure_id, name, consortium) "
	"VALUES (?1, ?2, ?3)";
static const char SQL_PARTY_INSERT[] =
	"INSERT INTO candidate_parties (candidate_id, org_id, role) "
	"VALUES (?1, ?2, ?3)";

static enum kv_status party_insert(struct sq *s, int64_t candidate_id,
				   const struct party *pt, int n_penvoerder,
				   struct kv_error *e)
{
	const char *role = code_of(party_role_codes, N_CODES(party_role_codes),
				   (int)pt->role);
	if (!role)
		return kv_fail(e, KV_INVALID, "parties",
			       _("Unknown role of a party."));
	sqlite3_stmt *q = prep(s, SQL_PARTY_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, candidate_id);
	sqlite3_bind_int64(q, 2, pt->org_id);
	bind_text(q, 3, role);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "parties",
			    n_penvoerder > 1
				? _("A candidate has one penvoerder only.")
				: _("An organisation appears twice in one "
				    "candidate."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_candidate_create(struct store *st,
					  struct candidate *c,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	int n_penvoerder = 0;
	for (int i = 0; i < c->n_parties; i++)
		n_penvoerder += c->parties[i].role == PARTY_PENVOERDER;
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_CANDIDATE_INSERT, e);
	if (!q)
		r = KV_IO;
	if (r == KV_OK) {
		sqlite3_bind_int64(q, 1, c->procedure_id);
		bind_text(q, 2, c->name);
		sqlite3_bind_int(q, 3, c->consortium ? 1 : 0);
		int rc = run(q);
		if (rc != SQLITE_OK)
			r = db_fail(s, rc, e);
		else
			c->id = sqlite3_last_insert_rowid(s->db);
		done(s, q);
	}
	for (int i = 0; r == KV_OK && i < c->n_parties; i++)
		r = party_insert(s, c->id, &c->parties[i], n_penvoerder, e);
	r = unit_end(s, u, r, e);
	if (r != KV_OK)
		c->id = 0;
	return r;
}

static const char SQL_CANDIDATES_OF[] =
	"SELECT id, procedure_id, name, consortium FROM candidates "
	"WHERE procedure_id = ?1 ORDER BY id";
static const char SQL_PARTIES_OF[] =
	"SELECT cp.org_id, o.name, o.kvk, cp.role "
	"FROM candidate_parties cp JOIN organisations o ON o.id = cp.org_id "
	"WHERE cp.candidate_id = ?1 ORDER BY cp.id";

static enum kv_status parties_load(struct sq *s, struct candidate *c,
				   arena *a, struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, SQL_PARTIES_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, c->id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		c->parties = grow(a, c->parties, c->n_parties, &cap,
				  sizeof *c->parties);
		struct party *pt = &c->parties[c->n_parties++];
		pt->org_id = sqlite3_column_int64(q, 0);
		pt->org_name = col_str(a, q, 1);
		pt->kvk = col_str(a, q, 2);
		int role = code_find(party_role_codes,
				     N_CODES(party_role_codes), col_code(q, 3));
		if (role < 0)
			r = corrupt(e, _("role of a party"), col_code(q, 3));
		else
			pt->role = (enum party_role)role;
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_candidate_list(struct store *st,
					int64_t procedure_id, arena *a,
					struct candidate **out, int *n,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	enum unit u;
	enum kv_status r = unit_begin(s, false, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_CANDIDATES_OF, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, procedure_id);
	int cap = 0, rc = SQLITE_DONE;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct candidate *c = &(*out)[(*n)++];
		memset(c, 0, sizeof *c);
		c->id = sqlite3_column_int64(q, 0);
		c->procedure_id = sqlite3_column_int64(q, 1);
		c->name = col_str(a, q, 2);
		c->consortium = sqlite3_column_int(q, 3) != 0;
	}
	if (rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	for (int i = 0; r == KV_OK && i < *n; i++)
		r = parties_load(s, &(*out)[i], a, e);
	return unit_end(s, u, r, e);
}

/* --- decisions and their conditions -------------------------------------- */

static const char SQL_DECISION_INSERT[] =
	"INSERT INTO decisions (tenant_id, number, date, title, body, "
	"procedure_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_CONDITION_INSERT[] =
	"INSERT INTO conditions (decision_id, description, state, "
	"resolved_at, resolution) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_GOVERNS_INSERT[] =
	"INSERT INTO decision_stages (decision_id, kind) VALUES (?1, ?2)";

static enum kv_status condition_insert(struct sq *s, int64_t decision_id,
				       struct condition *c,
				       struct kv_error *e)
{
	const char *state = code_of(condition_state_codes,
				    N_CODES(condition_state_codes),
				    (int)c->state);
	if (!state)
		return kv_fail(e, KV_INVALID, "conditions",
			       _("Unknown state of a condition."));
	sqlite3_stmt *q = prep(s, SQL_CONDITION_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, decision_id);
	bind_text(q, 2, c->description);
	bind_text(q, 3, state);
	bind_opt(q, 4, c->resolved_at);
	bind_text(q, 5, c->resolution);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else
		c->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status governs_insert(struct sq *s, int64_t decision_id,
				     enum stage_kind k, struct kv_error *e)
{
	const char *kind = code_of(stage_kind_codes, N_CODES(stage_kind_codes),
				   (int)k);
	if (!kind)
		return kv_fail(e, KV_INVALID, "governs",
			       _("Unknown kind of stage."));
	sqlite3_stmt *q = prep(s, SQL_GOVERNS_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, decision_id);
	bind_text(q, 2, kind);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "governs",
			    _("The decision names the same stage twice."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_decision_create(struct store *st,
					 struct decision *d,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	if (d->n_governs > 0 && !d->procedure_id)
		return kv_fail(e, KV_INVALID, "governs",
			       _("A decision that governs stages must name "
				 "their procedure."));
	char date[40];
	date_text(d->date, date);
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_DECISION_INSERT, e);
	if (!q)
		r = KV_IO;
	if (r == KV_OK) {
		sqlite3_bind_int64(q, 1, d->tenant_id);
		bind_text(q, 2, d->number);
		bind_text(q, 3, date);
		bind_str(q, 4, d->title);
		bind_str(q, 5, d->body);
		bind_opt(q, 6, d->procedure_id);
		int rc = run(q);
		if (is_unique(rc))
			r = kv_fail(e, KV_CONFLICT, "number",
				    _("This municipality already registered "
				      "a decision with number %s."),
				    d->number);
		else if (rc == SQLITE_CONSTRAINT_CHECK)
			r = kv_fail(e, KV_INVALID, "date",
				    _("The date of the decision is not a "
				      "valid date."));
		else if (rc != SQLITE_OK)
			r = db_fail(s, rc, e);
		else
			d->id = sqlite3_last_insert_rowid(s->db);
		done(s, q);
	}
	for (int i = 0; r == KV_OK && i < d->n_conditions; i++)
		r = condition_insert(s, d->id, &d->conditions[i], e);
	for (int i = 0; r == KV_OK && i < d->n_governs; i++)
		r = governs_insert(s, d->id, d->governs[i], e);
	r = unit_end(s, u, r, e);
	if (r != KV_OK) {
		d->id = 0;
		for (int i = 0; i < d->n_conditions; i++)
			d->conditions[i].id = 0;
	}
	return r;
}

#define DECISION_COLS "id, tenant_id, number, date, title, body, procedure_id"
static const char SQL_DECISIONS_OF_TENANT[] =
	"SELECT " DECISION_COLS " FROM decisions WHERE tenant_id = ?1 "
	"ORDER BY date, id";
static const char SQL_DECISIONS_OF_PROC[] =
	"SELECT " DECISION_COLS " FROM decisions WHERE tenant_id = ?1 "
	"AND procedure_id = ?2 ORDER BY date, id";
static const char SQL_CONDITIONS_OF[] =
	"SELECT id, description, state, resolved_at, resolution "
	"FROM conditions WHERE decision_id = ?1 ORDER BY id";
static const char SQL_GOVERNS_OF[] =
	"SELECT kind FROM decision_stages WHERE decision_id = ?1 ORDER BY id";

static enum kv_status decision_details(struct sq *s, struct decision *d,
				       arena *a, struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, SQL_CONDITIONS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, d->id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		d->conditions = grow(a, d->conditions, d->n_conditions, &cap,
				     sizeof *d->conditions);
		struct condition *c = &d->conditions[d->n_conditions++];
		c->id = sqlite3_column_int64(q, 0);
		c->description = col_str(a, q, 1);
		int stt = code_find(condition_state_codes,
				    N_CODES(condition_state_codes),
				    col_code(q, 2));
		if (stt < 0)
			r = corrupt(e, _("state of a condition"),
				    col_code(q, 2));
		else
			c->state = (enum condition_state)stt;
		c->resolved_at = sqlite3_column_int64(q, 3);
		c->resolution = col_str(a, q, 4);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	if (r != KV_OK)
		return r;

	if (!(q = prep(s, SQL_GOVERNS_OF, e)))
		return KV_IO;
	sqlite3_bind_int64(q, 1, d->id);
	cap = 0;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		d->governs = grow(a, d->governs, d->n_governs, &cap,
				  sizeof *d->governs);
		int k = code_find(stage_kind_codes, N_CODES(stage_kind_codes),
				  col_code(q, 0));
		if (k < 0)
			r = corrupt(e, _("kind of stage"), col_code(q, 0));
		else
			d->governs[d->n_governs++] = (enum stage_kind)k;
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_decision_list(struct store *st, int64_t tenant_id,
				       int64_t procedure_id, arena *a,
				       struct decision **out, int *n,
				       struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	enum unit u;
	enum kv_status r = unit_begin(s, false, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, procedure_id ? SQL_DECISIONS_OF_PROC
					       : SQL_DECISIONS_OF_TENANT, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, tenant_id);
	if (procedure_id)
		sqlite3_bind_int64(q, 2, procedure_id);
	int cap = 0, rc = SQLITE_DONE;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct decision *d = &(*out)[(*n)++];
		memset(d, 0, sizeof *d);
		d->id = sqlite3_column_int64(q, 0);
		d->tenant_id = sqlite3_column_int64(q, 1);
		d->number = col_str(a, q, 2);
		if (date_parse(col_code(q, 3), &d->date) < 0)
			r = corrupt(e, _("date"), col_code(q, 3));
		d->title = col_str(a, q, 4);
		d->body = col_str(a, q, 5);
		d->procedure_id = sqlite3_column_int64(q, 6);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	for (int i = 0; r == KV_OK && i < *n; i++)
		r = decision_details(s, &(*out)[i], a, e);
	return unit_end(s, u, r, e);
}

static const char SQL_CONDITION_RESOLVE[] =
	"UPDATE conditions SET state = ?2, resolved_at = ?3, resolution = ?4 "
	"WHERE id = ?1";

static enum kv_status op_condition_resolve(struct store *st,
					   int64_t condition_id,
					   enum condition_state cs,
					   const char *resolution,
					   kv_instant at, struct kv_error *e)
{
	struct sq *s = SQ(st);
	const char *state = code_of(condition_state_codes,
				    N_CODES(condition_state_codes), (int)cs);
	if (!state)
		return kv_fail(e, KV_INVALID, "state",
			       _("Unknown state of a condition."));
	sqlite3_stmt *q = prep(s, SQL_CONDITION_RESOLVE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, condition_id);
	bind_text(q, 2, state);
	if (cs == COND_PENDING) {
		/* Back to pending: no longer resolved. */
		sqlite3_bind_null(q, 3);
		sqlite3_bind_null(q, 4);
	} else {
		sqlite3_bind_int64(q, 3, now_or(at));
		bind_text(q, 4, resolution);
	}
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else if (sqlite3_changes(s->db) == 0)
		r = kv_fail(e, KV_NOT_FOUND, "", _("No such condition."));
	done(s, q);
	return r;
}

static const char SQL_CONDITION_DECISION[] =
	"SELECT d.id, d.tenant_id FROM conditions c "
	"JOIN decisions d ON d.id = c.decision_id WHERE c.id = ?1";

static enum kv_status op_condition_decision(struct store *st,
					    int64_t condition_id,
					    int64_t *decision_id,
					    int64_t *tenant_id,
					    struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CONDITION_DECISION, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, condition_id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		*decision_id = sqlite3_column_int64(q, 0);
		*tenant_id = sqlite3_column_int64(q, 1);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "", _("No such condition."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

/* --- equated days -------------------------------------------------------- */

/* Tenant 0 is the installation: its days are stored with tenant_id NULL
 * (IS binds 0 -> NULL to match). */
static const char SQL_EQUATED_LIST[] =
	"SELECT date, name, source FROM equated_days "
	"WHERE tenant_id IS ?1 ORDER BY date";
static const char SQL_EQUATED_INSERT[] =
	"INSERT INTO equated_days (tenant_id, date, name, source) "
	"VALUES (?1, ?2, ?3, ?4)";

static enum kv_status op_equated_list(struct store *st, int64_t tenant_id,
				      arena *a, struct cal_equated_day **out,
				      int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_EQUATED_LIST, e);
	if (!q)
		return KV_IO;
	bind_opt(q, 1, tenant_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct cal_equated_day *d = &(*out)[(*n)++];
		if (date_parse(col_code(q, 0), &d->date) < 0)
			r = corrupt(e, _("date"), col_code(q, 0));
		d->name = col_str(a, q, 1);
		d->source = col_str(a, q, 2);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_equated_add(struct store *st, int64_t tenant_id,
				     const struct cal_equated_day *d,
				     struct kv_error *e)
{
	struct sq *s = SQ(st);
	char date[40];
	date_text(d->date, date);
	sqlite3_stmt *q = prep(s, SQL_EQUATED_INSERT, e);
	if (!q)
		return KV_IO;
	bind_opt(q, 1, tenant_id);
	bind_text(q, 2, date);
	bind_text(q, 3, d->name);
	bind_str(q, 4, d->source);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "date",
			    _("%s is already an equated day."), date);
	else if (rc == SQLITE_CONSTRAINT_CHECK)
		r = kv_fail(e, KV_INVALID, "date",
			    _("An equated day needs a valid date and a "
			      "name."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- audit --------------------------------------------------------------- */

static const char SQL_AUDIT_LAST[] =
	"SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
static const char SQL_AUDIT_INSERT[] =
	"INSERT INTO audit (seq, at, actor, tenant_id, action, object, "
	"before_json, after_json, prev, hash) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

static enum kv_status audit_insert(struct sq *s, struct audit_event *ev,
				   struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, SQL_AUDIT_LAST, e);
	if (!q)
		return KV_IO;
	int64_t last = 0;
	memset(ev->prev, 0, sizeof ev->prev);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		last = sqlite3_column_int64(q, 0);
		const void *h = sqlite3_column_blob(q, 1);
		if (sqlite3_column_bytes(q, 1) != AUDIT_HASH_LEN || !h)
			r = kv_fail(e, KV_IO, "",
				    _("The last event of the audit log has "
				      "a damaged hash."));
		else
			memcpy(ev->prev, h, AUDIT_HASH_LEN);
	} else if (rc != SQLITE_DONE) {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	if (r != KV_OK)
		return r;

	ev->seq = last + 1;
	ev->at = now_or(ev->at);
	/* Stored as "" when NULL; the hash treats both the same. */
	audit_seal(ev);
	if (!(q = prep(s, SQL_AUDIT_INSERT, e)))
		return KV_IO;
	sqlite3_bind_int64(q, 1, ev->seq);
	sqlite3_bind_int64(q, 2, ev->at);
	sqlite3_bind_int64(q, 3, ev->actor);
	sqlite3_bind_int64(q, 4, ev->tenant_id);
	bind_str(q, 5, ev->action);
	bind_str(q, 6, ev->object);
	bind_str(q, 7, ev->before);
	bind_str(q, 8, ev->after);
	sqlite3_bind_blob(q, 9, ev->prev, AUDIT_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_blob(q, 10, ev->hash, AUDIT_HASH_LEN, SQLITE_TRANSIENT);
	rc = run(q);
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_audit_append(struct store *st,
				      struct audit_event *ev,
				      struct kv_error *e)
{
	struct sq *s = SQ(st);
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	r = audit_insert(s, ev, e);
	r = unit_end(s, u, r, e);
	if (r != KV_OK)
		ev->seq = 0;
	return r;
}

#define AUDIT_COLS                                                          \
	"a.seq, a.at, a.actor, a.tenant_id, a.action, a.object, "           \
	"a.before_json, a.after_json, a.prev, a.hash"

/* Newest first.  ?1: tenant, ?2: object prefix ("" for all), ?3: limit
 * (-1: none).  Two statements, so the tenant's list walks the
 * (tenant_id, seq) index. */
#define AUDIT_LIST_FROM                                                     \
	"SELECT " AUDIT_COLS ", acc.name FROM audit a "                     \
	"LEFT JOIN accounts acc ON acc.id = a.actor AND a.actor <> 0 "
/* The prefix names an object and everything under it: "procedure/1"
 * matches "procedure/1" and "procedure/1/stage/7", not "procedure/12". */
#define AUDIT_OBJECT_MATCH                                                  \
	"(?2 = '' OR a.object = ?2 OR "                                     \
	"substr(a.object, 1, length(?2) + 1) = ?2 || '/') "
static const char SQL_AUDIT_LIST_TENANT[] =
	AUDIT_LIST_FROM
	"WHERE a.tenant_id = ?1 AND " AUDIT_OBJECT_MATCH
	"ORDER BY a.seq DESC LIMIT ?3";
static const char SQL_AUDIT_LIST_ALL[] =
	AUDIT_LIST_FROM
	"WHERE ?1 = 0 AND " AUDIT_OBJECT_MATCH
	"ORDER BY a.seq DESC LIMIT ?3";

static void audit_row_read(sqlite3_stmt *q, arena *a, struct audit_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->seq = sqlite3_column_int64(q, 0);
	ev->at = sqlite3_column_int64(q, 1);
	ev->actor = sqlite3_column_int64(q, 2);
	ev->tenant_id = sqlite3_column_int64(q, 3);
	if (a) {
		ev->action = col_str(a, q, 4);
		ev->object = col_str(a, q, 5);
		ev->before = col_str(a, q, 6);
		ev->after = col_str(a, q, 7);
	} else {
		/* Valid until the next step: for streaming. */
		ev->action = (const char *)sqlite3_column_text(q, 4);
		ev->object = (const char *)sqlite3_column_text(q, 5);
		ev->before = (const char *)sqlite3_column_text(q, 6);
		ev->after = (const char *)sqlite3_column_text(q, 7);
	}
	/* A hash of the wrong length stays zero (never equal to a real
	 * SHA-256 in practice); the chain check then fails. */
	if (sqlite3_column_bytes(q, 8) == AUDIT_HASH_LEN)
		memcpy(ev->prev, sqlite3_column_blob(q, 8), AUDIT_HASH_LEN);
	if (sqlite3_column_bytes(q, 9) == AUDIT_HASH_LEN)
		memcpy(ev->hash, sqlite3_column_blob(q, 9), AUDIT_HASH_LEN);
}

static enum kv_status op_audit_list(struct store *st, int64_t tenant_id,
				    const char *object_prefix, int limit,
				    arena *a, struct audit_row **out, int *n,
				    struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	/* Tenant 0: the whole installation's log. */
	sqlite3_stmt *q = prep(s, tenant_id ? SQL_AUDIT_LIST_TENANT
					    : SQL_AUDIT_LIST_ALL, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, tenant_id);
	bind_str(q, 2, object_prefix);
	sqlite3_bind_int(q, 3, limit > 0 ? limit : -1);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct audit_row *row = &(*out)[(*n)++];
		audit_row_read(q, a, &row->ev);
		row->actor_name = col_str(a, q, 10);
	}
	if (rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_AUDIT_COUNT[] = "SELECT count(*) FROM audit";
static const char SQL_AUDIT_ALL[] =
	"SELECT " AUDIT_COLS " FROM audit a ORDER BY a.seq";

#define VERIFY_PROGRESS_EVERY 10000

/* Holds the checkpoints of seq (the event just read, with hash) to it:
 * true, with the reason in res, when one signed another hash. */
static bool anchor_mismatch(const struct audit_checkpoint *anchors, int n_anchors,
			    struct audit_verify_result *res, int *ai, int64_t seq,
			    const unsigned char hash[AUDIT_HASH_LEN])
{
	for (; *ai < n_anchors && anchors[*ai].seq <= seq; (*ai)++) {
		const struct audit_checkpoint *c = &anchors[*ai];
		static const unsigned char none[AUDIT_HASH_LEN];
		/* seq 0 vouches for an empty chain, which may grow */
		if (c->seq == 0 ? sodium_memcmp(c->hash, none, AUDIT_HASH_LEN) == 0
				: c->seq == seq && sodium_memcmp(c->hash, hash, AUDIT_HASH_LEN) == 0)
			continue;
		res->anchor_bad = *ai;
		res->first_bad = c->seq ? c->seq : 1;
		snprintf(res->reason, sizeof res->reason,
			 _("event %lld is not the one a signed checkpoint vouches for: the chain was rewritten and computed again"),
			 (long long)c->seq);
		return true;
	}
	return false;
}

static enum kv_status audit_walk(struct sq *s, const struct audit_checkpoint *anchors,
				 int n_anchors, store_progress_fn progress,
				 void *ctx, struct audit_verify_result *res,
				 struct kv_error *e)
{
	int64_t total = 0;
	sqlite3_stmt *q = prep(s, SQL_AUDIT_COUNT, e);
	if (!q)
		return KV_IO;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		total = sqlite3_column_int64(q, 0);
	done(s, q);
	if (rc != SQLITE_ROW)
		return db_fail(s, rc, e);

	if (!(q = prep(s, SQL_AUDIT_ALL, e)))
		return KV_IO;
	unsigned char prev[AUDIT_HASH_LEN] = {0};
	int64_t expect = 1;
	int ai = 0;                /* the next checkpoint to meet */
	struct audit_event ev;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		audit_row_read(q, NULL, &ev);
		res->checked++;
		if (ev.seq != expect) {
			res->first_bad = expect;
			snprintf(res->reason, sizeof res->reason,
				 _("event %lld is missing"),
				 (long long)expect);
			break;
		}
		if (!audit_check(&ev)) {
			res->first_bad = ev.seq;
			snprintf(res->reason, sizeof res->reason,
				 _("event %lld was altered"),
				 (long long)ev.seq);
			break;
		}
		if (memcmp(ev.prev, prev, AUDIT_HASH_LEN) != 0) {
			res->first_bad = ev.seq;
			if (ev.seq == 1)
				snprintf(res->reason, sizeof res->reason,
					 _("event 1 does not start the "
					   "chain"));
			else
				snprintf(res->reason, sizeof res->reason,
					 _("event %lld does not follow event "
					   "%lld"), (long long)ev.seq,
					 (long long)(ev.seq - 1));
			break;
		}
		memcpy(prev, ev.hash, AUDIT_HASH_LEN);
		expect++;
		res->head_seq = ev.seq;
		memcpy(res->head_hash, ev.hash, AUDIT_HASH_LEN);
		if (anchor_mismatch(anchors, n_anchors, res, &ai, ev.seq, ev.hash))
			break;
		if (progress && res->checked % VERIFY_PROGRESS_EVERY == 0)
			progress(ctx, res->checked, total);
	}
	enum kv_status r = KV_OK;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	/* A checkpoint past the head: the chain was cut after it was
	 * signed (seq 0 ones of an empty chain are checked here). */
	if (r == KV_OK && !res->first_bad && res->head_seq == 0)
		anchor_mismatch(anchors, n_anchors, res, &ai, 0, res->head_hash);
	if (r == KV_OK && !res->first_bad && ai < n_anchors) {
		const struct audit_checkpoint *c = &anchors[ai];
		res->anchor_bad = ai;
		res->first_bad = res->head_seq + 1;
		snprintf(res->reason, sizeof res->reason,
			 _("the chain ends at event %lld, but a signed checkpoint vouches for event %lld: events were cut off"),
			 (long long)res->head_seq, (long long)c->seq);
	}
	if (r == KV_OK && progress)
		progress(ctx, res->checked, total);
	return r;
}

static enum kv_status op_audit_verify(struct store *st,
				      const struct audit_checkpoint *anchors,
				      int n_anchors,
				      store_progress_fn progress, void *ctx,
				      struct audit_verify_result *res,
				      struct kv_error *e)
{
	struct sq *s = SQ(st);
	memset(res, 0, sizeof *res);
	res->anchor_bad = -1;
	if (!anchors)
		n_anchors = 0;
	/* One snapshot for the count and the walk. */
	enum unit u;
	enum kv_status r = unit_begin(s, false, &u, e);
	if (r != KV_OK)
		return r;
	r = audit_walk(s, anchors, n_anchors, progress, ctx, res, e);
	return unit_end(s, u, r, e);
}

/* --- contracts (schema v3) ---------------------------------------------- */

static const struct constraint_msg contract_checks[] = {
	{"contract_reference", "reference",
	 N_("A contract needs a reference.")},
	{"contract_title", "title", N_("A contract needs a title.")},
	{"contracts.start_date", "start",
	 N_("A contract needs a start date.")},
	{"contract_start", "start",
	 N_("The start of the contract is not a valid date.")},
	{"contracts.end_date", "end", N_("A contract needs an end date.")},
	{"contract_end", "end",
	 N_("The end of the contract is not a valid date.")},
	{"contract_end_after_start", "end",
	 N_("A contract ends after it starts.")},
	{"contract_extension_options", "extension_options",
	 N_("The number of extension options is out of range.")},
	{"contract_extension_months", "extension_months",
	 N_("The length of an extension is out of range.")},
	{"contract_extensions_used", "extensions_used",
	 N_("A contract cannot use more extensions than it has options.")},
	{"contract_budget", "budget_cents",
	 N_("The budget cannot be negative.")},
	{"contract_base_year", "base_year",
	 N_("The base year is not a valid year.")},
	{"contract_wage_weight", "wage_weight_bp",
	 N_("The weight of wages lies between 0 and 100 %.")},
	{"contract_price_weight", "price_weight_bp",
	 N_("The weight of prices lies between 0 and 100 %.")},
	{"contract_terminated_on", "terminated_on",
	 N_("A terminated contract needs the valid date it ended.")},
	{"contract_lot", "lot_id",
	 N_("A contract for a lot names the lot's procedure too.")},
	{"contract_evaluation_year", "evaluation_years",
	 N_("An evaluation year is a year of the term, from 1 to 100.")},
};

static const char SQL_CONTRACT_INSERT[] =
	"INSERT INTO contracts (tenant_id, procedure_id, lot_id, reference, "
	"title, start_date, end_date, extension_options, extension_months, "
	"extensions_used, budget_cents, base_year, wage_weight_bp, "
	"price_weight_bp, terminated, terminated_on, termination_reason, "
	"termination_decision) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	"?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
static const char SQL_CONTRACT_UPDATE[] =
	"UPDATE contracts SET end_date = ?3, extensions_used = ?4, "
	"budget_cents = ?5, base_year = ?6, wage_weight_bp = ?7, "
	"price_weight_bp = ?8, terminated = ?9, terminated_on = ?10, "
	"termination_reason = ?11, termination_decision = ?12 "
	"WHERE id = ?1 AND tenant_id = ?2";
static const char SQL_CONTRACT_PARTY_INSERT[] =
	"INSERT INTO contract_parties (contract_id, org_id, role) "
	"VALUES (?1, ?2, ?3)";
static const char SQL_EVAL_YEARS_DELETE[] =
	"DELETE FROM contract_evaluation_years WHERE contract_id = ?1";
static const char SQL_EVAL_YEAR_INSERT[] =
	"INSERT INTO contract_evaluation_years (contract_id, year) "
	"VALUES (?1, ?2)";

/* The termination date is stored only for a terminated contract. */
static void bind_termination(sqlite3_stmt *q, int i, const struct contract *c)
{
	sqlite3_bind_int(q, i, c->terminated ? 1 : 0);
	if (c->terminated)
		bind_date(q, i + 1, c->terminated_on);
	else
		sqlite3_bind_null(q, i + 1);
	bind_text(q, i + 2, c->termination_reason);
	bind_text(q, i + 3, c->termination_decision);
}

static enum kv_status contract_insert(struct sq *s, struct contract *c,
				      struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, SQL_CONTRACT_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, c->tenant_id);
	bind_opt(q, 2, c->procedure_id);
	bind_opt(q, 3, c->lot_id);
	bind_str(q, 4, c->reference);
	bind_str(q, 5, c->title);
	bind_date(q, 6, c->start);
	bind_date(q, 7, c->end);
	sqlite3_bind_int(q, 8, c->extension_options);
	sqlite3_bind_int(q, 9, c->extension_months);
	sqlite3_bind_int(q, 10, c->extensions_used);
	sqlite3_bind_int64(q, 11, c->budget_cents);
	sqlite3_bind_int(q, 12, c->base_year);
	sqlite3_bind_int(q, 13, c->wage_weight_bp);
	sqlite3_bind_int(q, 14, c->price_weight_bp);
	bind_termination(q, 15, c);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "reference",
			    _("This municipality already has a contract "
			      "with reference %s."), c->reference);
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "",
			    _("The contract refers to a municipality, "
			      "procedure or lot that does not exist, or to a "
			      "procedure of another municipality or a lot of "
			      "another procedure."));
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, contract_checks,
				    N_CODES(contract_checks), e);
	else
		c->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status contract_party_insert(struct sq *s, int64_t contract_id,
					    const struct party *pt,
					    int n_penvoerder,
					    struct kv_error *e)
{
	const char *role = code_of(party_role_codes, N_CODES(party_role_codes),
				   (int)pt->role);
	if (!role)
		return kv_fail(e, KV_INVALID, "parties",
			       _("Unknown role of a party."));
	sqlite3_stmt *q = prep(s, SQL_CONTRACT_PARTY_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, contract_id);
	sqlite3_bind_int64(q, 2, pt->org_id);
	bind_text(q, 3, role);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "parties",
			    n_penvoerder > 1
				? _("A contract has one penvoerder only.")
				: _("An organisation appears twice among the "
				    "parties of one contract."));
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "parties",
			    _("A party of the contract is an organisation "
			      "that does not exist."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* Replaces the contract's evaluation years by c's. */
static enum kv_status eval_years_save(struct sq *s, int64_t contract_id,
				      const struct contract *c,
				      struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, SQL_EVAL_YEARS_DELETE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, contract_id);
	int rc = run(q);
	done(s, q);
	if (rc != SQLITE_OK)
		return db_fail(s, rc, e);
	enum kv_status r = KV_OK;
	for (int i = 0; r == KV_OK && i < c->n_evaluations; i++) {
		if (!(q = prep(s, SQL_EVAL_YEAR_INSERT, e)))
			return KV_IO;
		sqlite3_bind_int64(q, 1, contract_id);
		sqlite3_bind_int(q, 2, c->evaluation_years[i]);
		rc = run(q);
		if (is_unique(rc))
			r = kv_fail(e, KV_CONFLICT, "evaluation_years",
				    _("The contract names evaluation year %d "
				      "twice."), c->evaluation_years[i]);
		else if (rc != SQLITE_OK)
			r = constraint_fail(s, rc, contract_checks,
					    N_CODES(contract_checks), e);
		done(s, q);
	}
	return r;
}

static enum kv_status evaluations_count_check(const struct contract *c,
					      struct kv_error *e)
{
	if (c->n_evaluations < 0 ||
	    c->n_evaluations > CONTRACT_MAX_EVALUATIONS)
		return kv_fail(e, KV_INVALID, "evaluation_years",
			       _("A contract has at most %d evaluation "
				 "moments."), CONTRACT_MAX_EVALUATIONS);
	return KV_OK;
}

static enum kv_status op_contract_create(struct store *st,
					 struct contract *c,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	if (evaluations_count_check(c, e) != KV_OK)
		return KV_INVALID;
	if (c->n_parties < 0 || (c->n_parties > 0 && !c->parties))
		return kv_fail(e, KV_INVALID, "parties",
			       _("The parties of the contract are missing."));
	int n_penvoerder = 0;
	for (int i = 0; i < c->n_parties; i++)
		n_penvoerder += c->parties[i].role == PARTY_PENVOERDER;
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	int64_t old_id = c->id;
	r = contract_insert(s, c, e);
	for (int i = 0; r == KV_OK && i < c->n_parties; i++)
		r = contract_party_insert(s, c->id, &c->parties[i],
					  n_penvoerder, e);
	if (r == KV_OK)
		r = eval_years_save(s, c->id, c, e);
	r = unit_end(s, u, r, e);
	if (r != KV_OK)
		c->id = old_id;
	return r;
}

static enum kv_status op_contract_update(struct store *st,
					 const struct contract *c,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	if (evaluations_count_check(c, e) != KV_OK)
		return KV_INVALID;
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_CONTRACT_UPDATE, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, c->id);
	sqlite3_bind_int64(q, 2, c->tenant_id);
	bind_date(q, 3, c->end);
	sqlite3_bind_int(q, 4, c->extensions_used);
	sqlite3_bind_int64(q, 5, c->budget_cents);
	sqlite3_bind_int(q, 6, c->base_year);
	sqlite3_bind_int(q, 7, c->wage_weight_bp);
	sqlite3_bind_int(q, 8, c->price_weight_bp);
	bind_termination(q, 9, c);
	int rc = run(q);
	if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, contract_checks,
				    N_CODES(contract_checks), e);
	else if (sqlite3_changes(s->db) == 0)
		r = kv_fail(e, KV_NOT_FOUND, "", _("No such contract."));
	done(s, q);
	if (r == KV_OK)
		r = eval_years_save(s, c->id, c, e);
	return unit_end(s, u, r, e);
}

#define CONTRACT_COLS                                                       \
	"id, tenant_id, procedure_id, lot_id, reference, title, "           \
	"start_date, end_date, extension_options, extension_months, "      \
	"extensions_used, budget_cents, base_year, wage_weight_bp, "       \
	"price_weight_bp, terminated, terminated_on, termination_reason, " \
	"termination_decision"
static const char SQL_CONTRACT_GET[] =
	"SELECT " CONTRACT_COLS " FROM contracts WHERE id = ?1";
static const char SQL_CONTRACTS_OF_TENANT[] =
	"SELECT " CONTRACT_COLS " FROM contracts WHERE tenant_id = ?1 "
	"ORDER BY id";
static const char SQL_CONTRACTS_ALL[] =
	"SELECT " CONTRACT_COLS " FROM contracts ORDER BY id";
static const char SQL_CONTRACT_PARTIES_OF[] =
	"SELECT cp.org_id, o.name, o.kvk, cp.role "
	"FROM contract_parties cp JOIN organisations o ON o.id = cp.org_id "
	"WHERE cp.contract_id = ?1 ORDER BY cp.id";
static const char SQL_EVAL_YEARS_OF[] =
	"SELECT year FROM contract_evaluation_years WHERE contract_id = ?1 "
	"ORDER BY year";

static enum kv_status contract_row(sqlite3_stmt *q, arena *a,
				   struct contract *c, struct kv_error *e)
{
	enum kv_status r = KV_OK;
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(q, 0);
	c->tenant_id = sqlite3_column_int64(q, 1);
	c->procedure_id = sqlite3_column_int64(q, 2);
	c->lot_id = sqlite3_column_int64(q, 3);
	c->reference = col_str(a, q, 4);
	c->title = col_str(a, q, 5);
	if (col_date(q, 6, &c->start) < 0)
		r = corrupt(e, _("date"), col_code(q, 6));
	if (col_date(q, 7, &c->end) < 0)
		r = corrupt(e, _("date"), col_code(q, 7));
	c->extension_options = sqlite3_column_int(q, 8);
	c->extension_months = sqlite3_column_int(q, 9);
	c->extensions_used = sqlite3_column_int(q, 10);
	c->budget_cents = sqlite3_column_int64(q, 11);
	c->base_year = sqlite3_column_int(q, 12);
	c->wage_weight_bp = sqlite3_column_int(q, 13);
	c->price_weight_bp = sqlite3_column_int(q, 14);
	c->terminated = sqlite3_column_int(q, 15) != 0;
	if (col_date(q, 16, &c->terminated_on) < 0)
		r = corrupt(e, _("date"), col_code(q, 16));
	c->termination_reason = col_str(a, q, 17);
	c->termination_decision = col_str(a, q, 18);
	return r;
}

/* Parties and evaluation years of a contract read by contract_row. */
static enum kv_status contract_details(struct sq *s, struct contract *c,
				       arena *a, struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, SQL_CONTRACT_PARTIES_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, c->id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		c->parties = grow(a, c->parties, c->n_parties, &cap,
				  sizeof *c->parties);
		struct party *pt = &c->parties[c->n_parties++];
		pt->org_id = sqlite3_column_int64(q, 0);
		pt->org_name = col_str(a, q, 1);
		pt->kvk = col_str(a, q, 2);
		int role = code_find(party_role_codes,
				     N_CODES(party_role_codes), col_code(q, 3));
		if (role < 0)
			r = corrupt(e, _("role of a party"), col_code(q, 3));
		else
			pt->role = (enum party_role)role;
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	if (r != KV_OK)
		return r;

	if (!(q = prep(s, SQL_EVAL_YEARS_OF, e)))
		return KV_IO;
	sqlite3_bind_int64(q, 1, c->id);
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (c->n_evaluations == CONTRACT_MAX_EVALUATIONS)
			r = kv_fail(e, KV_IO, "",
				    _("The database holds more than %d "
				      "evaluation moments for contract %lld."),
				    CONTRACT_MAX_EVALUATIONS,
				    (long long)c->id);
		else
			c->evaluation_years[c->n_evaluations++] =
			    sqlite3_column_int(q, 0);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_contract_get(struct store *st, int64_t id, arena *a,
				      struct contract *c, struct kv_error *e)
{
	struct sq *s = SQ(st);
	enum unit u;
	enum kv_status r = unit_begin(s, false, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_CONTRACT_GET, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		r = contract_row(q, a, c, e);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "", _("No such contract."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	if (r == KV_OK)
		r = contract_details(s, c, a, e);
	return unit_end(s, u, r, e);
}

static enum kv_status op_contract_list(struct store *st, int64_t tenant_id,
				       arena *a, struct contract **out,
				       int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	enum unit u;
	enum kv_status r = unit_begin(s, false, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, tenant_id ? SQL_CONTRACTS_OF_TENANT
					    : SQL_CONTRACTS_ALL, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	if (tenant_id)
		sqlite3_bind_int64(q, 1, tenant_id);
	int cap = 0, rc = SQLITE_DONE;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		r = contract_row(q, a, &(*out)[(*n)++], e);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	for (int i = 0; r == KV_OK && i < *n; i++)
		r = contract_details(s, &(*out)[i], a, e);
	return unit_end(s, u, r, e);
}

/* --- index figures ------------------------------------------------------- */

static const struct constraint_msg index_checks[] = {
	{"index_year", "year", N_("The year of the index figures is not a "
				  "valid year.")},
	{"index_prognosis", "wage_prognosis",
	 N_("A prognosis lies between -100 % and 100 %.")},
	{"index_actual", "wage_actual",
	 N_("A realisation lies between -100 % and 100 %.")},
};

static const char SQL_INDEX_SET[] =
	"INSERT INTO index_figures (contract_id, year, wage_prognosis_bp, "
	"price_prognosis_bp, wage_actual_bp, price_actual_bp) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (contract_id, year) DO UPDATE SET "
	"wage_prognosis_bp = excluded.wage_prognosis_bp, "
	"price_prognosis_bp = excluded.price_prognosis_bp, "
	"wage_actual_bp = excluded.wage_actual_bp, "
	"price_actual_bp = excluded.price_actual_bp";
static const char SQL_INDEX_LIST[] =
	"SELECT year, wage_prognosis_bp, price_prognosis_bp, wage_actual_bp, "
	"price_actual_bp FROM index_figures WHERE contract_id = ?1 "
	"ORDER BY year";

static enum kv_status op_index_figures_set(struct store *st,
					   int64_t contract_id,
					   const struct index_figures *f,
					   struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_INDEX_SET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, contract_id);
	sqlite3_bind_int(q, 2, f->year);
	sqlite3_bind_int(q, 3, f->wage_prognosis_bp);
	sqlite3_bind_int(q, 4, f->price_prognosis_bp);
	if (f->has_actual) {
		sqlite3_bind_int(q, 5, f->wage_actual_bp);
		sqlite3_bind_int(q, 6, f->price_actual_bp);
	} else {
		sqlite3_bind_null(q, 5);
		sqlite3_bind_null(q, 6);
	}
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "contract_id",
			    _("There is no such contract."));
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, index_checks,
				    N_CODES(index_checks), e);
	done(s, q);
	return r;
}

static enum kv_status op_index_figures_list(struct store *st,
					    int64_t contract_id, arena *a,
					    struct index_figures **out, int *n,
					    struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_INDEX_LIST, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, contract_id);
	int cap = 0, rc = SQLITE_DONE;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct index_figures *f = &(*out)[(*n)++];
		memset(f, 0, sizeof *f);
		f->year = sqlite3_column_int(q, 0);
		f->wage_prognosis_bp = sqlite3_column_int(q, 1);
		f->price_prognosis_bp = sqlite3_column_int(q, 2);
		f->has_actual = sqlite3_column_type(q, 3) != SQLITE_NULL;
		f->wage_actual_bp = sqlite3_column_int(q, 3);
		f->price_actual_bp = sqlite3_column_int(q, 4);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- budget frames ------------------------------------------------------- */

static const struct constraint_msg frame_checks[] = {
	{"frame_title", "title", N_("A budget frame needs a title.")},
	{"frame_first_year", "first_year",
	 N_("The first year of the budget frame is not a valid year.")},
	{"frame_years", "n_years",
	 N_("A budget frame covers 1 to 12 years.")},
	{"frame_rows.category", "rows",
	 N_("Every row of a budget frame needs a category.")},
	{"frame_amount_year", "first_year",
	 N_("The years of the budget frame run past 9999.")},
};

static const char SQL_FRAME_INSERT[] =
	"INSERT INTO budget_frames (tenant_id, title, first_year, n_years, "
	"source) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_FRAME_ROW_INSERT[] =
	"INSERT INTO frame_rows (frame_id, position, category, taakstelling) "
	"VALUES (?1, ?2, ?3, ?4)";
static const char SQL_FRAME_AMOUNT_INSERT[] =
	"INSERT INTO frame_amounts (row_id, year, cents) VALUES (?1, ?2, ?3)";

static enum kv_status frame_insert(struct sq *s, struct budget_frame *f,
				   struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, SQL_FRAME_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, f->tenant_id);
	bind_str(q, 2, f->title);
	sqlite3_bind_int(q, 3, f->first_year);
	sqlite3_bind_int(q, 4, f->n_years);
	bind_text(q, 5, f->source);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "title",
			    _("This municipality already has a budget frame "
			      "titled %s."), f->title);
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "",
			    _("There is no such municipality."));
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, frame_checks, N_CODES(frame_checks),
				    e);
	else
		f->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

/* Row `pos` of frame f with its filled cells (one row each). */
static enum kv_status frame_row_insert(struct sq *s,
				       const struct budget_frame *f, int pos,
				       struct kv_error *e)
{
	const struct frame_row *row = &f->rows[pos];
	sqlite3_stmt *q = prep(s, SQL_FRAME_ROW_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, f->id);
	sqlite3_bind_int(q, 2, pos);
	bind_str(q, 3, row->category);
	sqlite3_bind_int(q, 4, row->taakstelling ? 1 : 0);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, frame_checks, N_CODES(frame_checks),
				    e);
	done(s, q);
	if (r != KV_OK)
		return r;
	int64_t row_id = sqlite3_last_insert_rowid(s->db);
	for (int y = 0; r == KV_OK && y < f->n_years; y++) {
		if (!row->has[y])
			continue;
		if (!(q = prep(s, SQL_FRAME_AMOUNT_INSERT, e)))
			return KV_IO;
		sqlite3_bind_int64(q, 1, row_id);
		sqlite3_bind_int(q, 2, f->first_year + y);
		sqlite3_bind_int64(q, 3, row->cents[y]);
		rc = run(q);
		if (rc != SQLITE_OK)
			r = constraint_fail(s, rc, frame_checks,
					    N_CODES(frame_checks), e);
		done(s, q);
	}
	return r;
}

static enum kv_status op_frame_create(struct store *st,
				      struct budget_frame *f,
				      struct kv_error *e)
{
	struct sq *s = SQ(st);
	/* Checked here as well as by the schema: the cells of a row are
	 * read up to n_years. */
	if (f->n_years < 1 || f->n_years > FRAME_MAX_YEARS)
		return kv_fail(e, KV_INVALID, "n_years",
			       _("A budget frame covers 1 to %d years."),
			       FRAME_MAX_YEARS);
	if (f->n_rows < 0 || (f->n_rows > 0 && !f->rows))
		return kv_fail(e, KV_INVALID, "rows",
			       _("The rows of the budget frame are missing."));
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	int64_t old_id = f->id;
	r = frame_insert(s, f, e);
	for (int i = 0; r == KV_OK && i < f->n_rows; i++)
		r = frame_row_insert(s, f, i, e);
	r = unit_end(s, u, r, e);
	if (r != KV_OK)
		f->id = old_id;
	return r;
}

#define FRAME_COLS "id, tenant_id, title, first_year, n_years, source"
static const char SQL_FRAME_GET[] =
	"SELECT " FRAME_COLS " FROM budget_frames WHERE id = ?1";
static const char SQL_FRAMES_OF[] =
	"SELECT " FRAME_COLS " FROM budget_frames WHERE tenant_id = ?1 "
	"ORDER BY id";
static const char SQL_FRAME_ROWS_OF[] =
	"SELECT id, category, taakstelling FROM frame_rows "
	"WHERE frame_id = ?1 ORDER BY position";
static const char SQL_FRAME_AMOUNTS_OF[] =
	"SELECT a.row_id, a.year, a.cents FROM frame_amounts a "
	"JOIN frame_rows r ON r.id = a.row_id WHERE r.frame_id = ?1 "
	"ORDER BY r.position, a.year";

static enum kv_status frame_row_read(sqlite3_stmt *q, arena *a,
				     struct budget_frame *f,
				     struct kv_error *e)
{
	memset(f, 0, sizeof *f);
	f->id = sqlite3_column_int64(q, 0);
	f->tenant_id = sqlite3_column_int64(q, 1);
	f->title = col_str(a, q, 2);
	f->first_year = sqlite3_column_int(q, 3);
	f->n_years = sqlite3_column_int(q, 4);
	f->source = col_str(a, q, 5);
	if (f->n_years < 1 || f->n_years > FRAME_MAX_YEARS)
		return kv_fail(e, KV_IO, "",
			       _("The database holds a budget frame of %d "
				 "years; this version of Kavel knows 1 to %d."),
			       f->n_years, FRAME_MAX_YEARS);
	return KV_OK;
}

/* The rows of f with their cells. */
static enum kv_status frame_details(struct sq *s, struct budget_frame *f,
				    arena *a, struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, SQL_FRAME_ROWS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, f->id);
	int cap = 0, rc = SQLITE_DONE;
	int64_t *ids = NULL;
	int ids_cap = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		f->rows = grow(a, f->rows, f->n_rows, &cap, sizeof *f->rows);
		ids = grow(a, ids, f->n_rows, &ids_cap, sizeof *ids);
		ids[f->n_rows] = sqlite3_column_int64(q, 0);
		struct frame_row *row = &f->rows[f->n_rows++];
		memset(row, 0, sizeof *row);
		row->category = col_str(a, q, 1);
		row->taakstelling = sqlite3_column_int(q, 2) != 0;
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	if (r != KV_OK)
		return r;

	/* The cells come in row order, as the rows did. */
	if (!(q = prep(s, SQL_FRAME_AMOUNTS_OF, e)))
		return KV_IO;
	sqlite3_bind_int64(q, 1, f->id);
	int j = 0;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t row_id = sqlite3_column_int64(q, 0);
		int y = sqlite3_column_int(q, 1) - f->first_year;
		while (j < f->n_rows && ids[j] != row_id)
			j++;
		if (j == f->n_rows || y < 0 || y >= f->n_years) {
			r = kv_fail(e, KV_IO, "",
				    _("The database holds an amount of budget "
				      "frame %lld outside its years."),
				    (long long)f->id);
			break;
		}
		f->rows[j].cents[y] = sqlite3_column_int64(q, 2);
		f->rows[j].has[y] = true;
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_frame_get(struct store *st, int64_t id, arena *a,
				   struct budget_frame *f, struct kv_error *e)
{
	struct sq *s = SQ(st);
	enum unit u;
	enum kv_status r = unit_begin(s, false, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_FRAME_GET, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		r = frame_row_read(q, a, f, e);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "", _("No such budget frame."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	if (r == KV_OK)
		r = frame_details(s, f, a, e);
	return unit_end(s, u, r, e);
}

/* Every frame of the tenant with its rows, by id. */
static enum kv_status op_frame_list(struct store *st, int64_t tenant_id,
				    arena *a, struct budget_frame **out,
				    int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	enum unit u;
	enum kv_status r = unit_begin(s, false, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_FRAMES_OF, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, tenant_id);
	int cap = 0, rc = SQLITE_DONE;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		r = frame_row_read(q, a, &(*out)[(*n)++], e);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	for (int i = 0; r == KV_OK && i < *n; i++)
		r = frame_details(s, &(*out)[i], a, e);
	return unit_end(s, u, r, e);
}

/* --- subsidies ----------------------------------------------------------- */

static const struct constraint_msg subsidy_checks[] = {
	{"subsidy_purpose", "purpose", N_("A subsidy needs a purpose.")},
	{"subsidy_amount", "cents_per_year",
	 N_("The yearly amount of a subsidy cannot be negative.")},
	{"subsidy_years", "to_year",
	 N_("A subsidy runs from a valid year to the same or a later "
	    "one.")},
	{"subsidy_phase_out_years", "phase_out_years",
	 N_("A phase-out lasts 1 to 5 years.")},
	{"subsidy_phase_out_pct", "phase_out_pct",
	 N_("A phase-out percentage lies between 0 and 100.")},
};

static const char SQL_SUBSIDY_INSERT[] =
	"INSERT INTO subsidies (tenant_id, recipient_org_id, purpose, kind, "
	"from_year, to_year, cents_per_year, decision, end_decision, "
	"phase_out, phase_out_years, phase_out_pct_1, phase_out_pct_2, "
	"phase_out_pct_3, phase_out_pct_4, phase_out_pct_5, phase_out_scope, "
	"staff_taken_over) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	"?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
static const char SQL_SUBSIDY_UPDATE[] =
	"UPDATE subsidies SET recipient_org_id = ?2, purpose = ?3, kind = ?4, "
	"from_year = ?5, to_year = ?6, cents_per_year = ?7, decision = ?8, "
	"end_decision = ?9, phase_out = ?10, phase_out_years = ?11, "
	"phase_out_pct_1 = ?12, phase_out_pct_2 = ?13, phase_out_pct_3 = ?14, "
	"phase_out_pct_4 = ?15, phase_out_pct_5 = ?16, phase_out_scope = ?17, "
	"staff_taken_over = ?18 WHERE id = ?19 AND tenant_id = ?1";

_Static_assert(SUBSIDY_MAX_PHASE_YEARS == 5,
	       "subsidies has five phase-out columns");

/* Parameters 1..18 of both statements. */
static void subsidy_bind(sqlite3_stmt *q, const struct subsidy *sb,
			 const char *kind)
{
	sqlite3_bind_int64(q, 1, sb->tenant_id);
	sqlite3_bind_int64(q, 2, sb->recipient_org_id);
	bind_str(q, 3, sb->purpose);
	bind_text(q, 4, kind);
	sqlite3_bind_int(q, 5, sb->from_year);
	sqlite3_bind_int(q, 6, sb->to_year);
	sqlite3_bind_int64(q, 7, sb->cents_per_year);
	bind_text(q, 8, sb->decision);
	bind_text(q, 9, sb->end_decision);
	sqlite3_bind_int(q, 10, sb->phase_out ? 1 : 0);
	sqlite3_bind_int(q, 11, sb->phase_out_years);
	for (int i = 0; i < SUBSIDY_MAX_PHASE_YEARS; i++)
		sqlite3_bind_int(q, 12 + i, sb->phase_out_pct[i]);
	bind_text(q, 17, sb->phase_out_scope);
	bind_text(q, 18, sb->staff_taken_over);
}

static enum kv_status subsidy_write_fail(struct sq *s, int rc,
					 struct kv_error *e)
{
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return kv_fail(e, KV_INVALID, "recipient_org_id",
			       _("The subsidy's municipality or recipient is "
				 "an organisation that does not exist."));
	return constraint_fail(s, rc, subsidy_checks,
			       N_CODES(subsidy_checks), e);
}

static enum kv_status op_subsidy_create(struct store *st,
					struct subsidy *sb,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	const char *kind = code_of(subsidy_kind_codes,
				   N_CODES(subsidy_kind_codes), (int)sb->kind);
	if (!kind)
		return kv_fail(e, KV_INVALID, "kind",
			       _("Unknown kind of subsidy."));
	sqlite3_stmt *q = prep(s, SQL_SUBSIDY_INSERT, e);
	if (!q)
		return KV_IO;
	subsidy_bind(q, sb, kind);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = subsidy_write_fail(s, rc, e);
	else
		sb->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status op_subsidy_update(struct store *st,
					const struct subsidy *sb,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	const char *kind = code_of(subsidy_kind_codes,
				   N_CODES(subsidy_kind_codes), (int)sb->kind);
	if (!kind)
		return kv_fail(e, KV_INVALID, "kind",
			       _("Unknown kind of subsidy."));
	sqlite3_stmt *q = prep(s, SQL_SUBSIDY_UPDATE, e);
	if (!q)
		return KV_IO;
	subsidy_bind(q, sb, kind);
	sqlite3_bind_int64(q, 19, sb->id);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = subsidy_write_fail(s, rc, e);
	else if (sqlite3_changes(s->db) == 0)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("There is no such subsidy."));
	done(s, q);
	return r;
}

static const char SQL_SUBSIDIES_OF[] =
	"SELECT sb.id, sb.tenant_id, sb.recipient_org_id, o.name, sb.purpose, "
	"sb.kind, sb.from_year, sb.to_year, sb.cents_per_year, sb.decision, "
	"sb.end_decision, sb.phase_out, sb.phase_out_years, "
	"sb.phase_out_pct_1, sb.phase_out_pct_2, sb.phase_out_pct_3, "
	"sb.phase_out_pct_4, sb.phase_out_pct_5, sb.phase_out_scope, "
	"sb.staff_taken_over "
	"FROM subsidies sb JOIN organisations o ON o.id = sb.recipient_org_id "
	"WHERE sb.tenant_id = ?1 ORDER BY sb.id";

static enum kv_status op_subsidy_list(struct store *st, int64_t tenant_id,
				      arena *a, struct subsidy **out, int *n,
				      struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_SUBSIDIES_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, tenant_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct subsidy *sb = &(*out)[(*n)++];
		memset(sb, 0, sizeof *sb);
		sb->id = sqlite3_column_int64(q, 0);
		sb->tenant_id = sqlite3_column_int64(q, 1);
		sb->recipient_org_id = sqlite3_column_int64(q, 2);
		sb->recipient_name = col_str(a, q, 3);
		sb->purpose = col_str(a, q, 4);
		int k = code_find(subsidy_kind_codes,
				  N_CODES(subsidy_kind_codes), col_code(q, 5));
		if (k < 0)
			r = corrupt(e, _("kind of subsidy"), col_code(q, 5));
		else
			sb->kind = (enum subsidy_kind)k;
		sb->from_year = sqlite3_column_int(q, 6);
		sb->to_year = sqlite3_column_int(q, 7);
		sb->cents_per_year = sqlite3_column_int64(q, 8);
		sb->decision = col_str(a, q, 9);
		sb->end_decision = col_str(a, q, 10);
		sb->phase_out = sqlite3_column_int(q, 11) != 0;
		sb->phase_out_years = sqlite3_column_int(q, 12);
		for (int i = 0; i < SUBSIDY_MAX_PHASE_YEARS; i++)
			sb->phase_out_pct[i] = sqlite3_column_int(q, 13 + i);
		sb->phase_out_scope = col_str(a, q, 18);
		sb->staff_taken_over = col_str(a, q, 19);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- organisation-form history ------------------------------------------- */

static const struct constraint_msg form_checks[] = {
	{"form_assignment", "assignment",
	 N_("A period of an organisation form names its assignment.")},
	{"form_years", "to_year",
	 N_("A period runs from a valid year to the same or a later one.")},
};

static const char SQL_FORM_INSERT[] =
	"INSERT INTO form_periods (tenant_id, assignment, from_year, to_year, "
	"form, parties, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_FORMS_OF[] =
	"SELECT id, tenant_id, assignment, from_year, to_year, form, parties, "
	"source FROM form_periods WHERE tenant_id = ?1 "
	"ORDER BY assignment, from_year, id";

static enum kv_status op_form_period_create(struct store *st,
					    struct form_period *p,
					    struct kv_error *e)
{
	struct sq *s = SQ(st);
	const char *form = code_of(org_form_codes, N_CODES(org_form_codes),
				   (int)p->form);
	if (!form)
		return kv_fail(e, KV_INVALID, "form",
			       _("Unknown organisation form."));
	sqlite3_stmt *q = prep(s, SQL_FORM_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, p->tenant_id);
	bind_str(q, 2, p->assignment);
	sqlite3_bind_int(q, 3, p->from_year);
	bind_opt(q, 4, p->to_year);
	bind_text(q, 5, form);
	bind_text(q, 6, p->parties);
	bind_text(q, 7, p->source);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "from_year",
			    _("A period of %s already starts in %d."),
			    p->assignment, p->from_year);
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "",
			    _("There is no such municipality."));
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, form_checks, N_CODES(form_checks),
				    e);
	else
		p->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status op_form_period_list(struct store *st,
					  int64_t tenant_id, arena *a,
					  struct form_period **out, int *n,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_FORMS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, tenant_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct form_period *p = &(*out)[(*n)++];
		memset(p, 0, sizeof *p);
		p->id = sqlite3_column_int64(q, 0);
		p->tenant_id = sqlite3_column_int64(q, 1);
		p->assignment = col_str(a, q, 2);
		p->from_year = sqlite3_column_int(q, 3);
		p->to_year = sqlite3_column_int(q, 4);
		int f = code_find(org_form_codes, N_CODES(org_form_codes),
				  col_code(q, 5));
		if (f < 0)
			r = corrupt(e, _("organisation form"), col_code(q, 5));
		else
			p->form = (enum org_form)f;
		p->parties = col_str(a, q, 6);
		p->source = col_str(a, q, 7);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- KPIs and measurements ----------------------------------------------- */

static const struct constraint_msg kpi_checks[] = {
	{"kpi_name", "name", N_("A KPI needs a name.")},
};

static const char SQL_KPI_INSERT[] =
	"INSERT INTO kpis (contract_id, name, definition, unit, direction, "
	"target_milli, source, frequency) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_KPIS_OF[] =
	"SELECT id, contract_id, name, definition, unit, direction, "
	"target_milli, source, frequency FROM kpis WHERE contract_id = ?1 "
	"ORDER BY id";

static enum kv_status op_kpi_create(struct store *st, struct kpi *k,
				    struct kv_error *e)
{
	struct sq *s = SQ(st);
	const char *dir = code_of(kpi_direction_codes,
				  N_CODES(kpi_direction_codes),
				  (int)k->direction);
	const char *freq = code_of(kpi_frequency_codes,
				   N_CODES(kpi_frequency_codes),
				   (int)k->frequency);
	if (!dir)
		return kv_fail(e, KV_INVALID, "direction",
			       _("Unknown direction of a KPI."));
	if (!freq)
		return kv_fail(e, KV_INVALID, "frequency",
			       _("Unknown frequency of a KPI."));
	sqlite3_stmt *q = prep(s, SQL_KPI_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, k->contract_id);
	bind_str(q, 2, k->name);
	bind_text(q, 3, k->definition);
	bind_text(q, 4, k->unit);
	bind_text(q, 5, dir);
	if (k->has_target)
		sqlite3_bind_int64(q, 6, k->target_milli);
	else
		sqlite3_bind_null(q, 6);
	bind_text(q, 7, k->source);
	bind_text(q, 8, freq);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "name",
			    _("This contract already has a KPI named %s."),
			    k->name);
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "contract_id",
			    _("There is no such contract."));
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, kpi_checks, N_CODES(kpi_checks), e);
	else
		k->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status op_kpi_list(struct store *st, int64_t contract_id,
				  arena *a, struct kpi **out, int *n,
				  struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_KPIS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, contract_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct kpi *k = &(*out)[(*n)++];
		memset(k, 0, sizeof *k);
		k->id = sqlite3_column_int64(q, 0);
		k->contract_id = sqlite3_column_int64(q, 1);
		k->name = col_str(a, q, 2);
		k->definition = col_str(a, q, 3);
		k->unit = col_str(a, q, 4);
		int d = code_find(kpi_direction_codes,
				  N_CODES(kpi_direction_codes), col_code(q, 5));
		int f = code_find(kpi_frequency_codes,
				  N_CODES(kpi_frequency_codes), col_code(q, 8));
		if (d < 0)
			r = corrupt(e, _("direction of a KPI"), col_code(q, 5));
		else if (f < 0)
			r = corrupt(e, _("frequency of a KPI"), col_code(q, 8));
		else {
			k->direction = (enum kpi_direction)d;
			k->frequency = (enum kpi_frequency)f;
		}
		k->has_target = sqlite3_column_type(q, 6) != SQLITE_NULL;
		k->target_milli = sqlite3_column_int64(q, 6);
		k->source = col_str(a, q, 7);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* A measurement with the same KPI, period and area is replaced (its id
 * stays). */
static const char SQL_MEASUREMENT_PUT[] =
	"INSERT INTO measurements (kpi_id, period, area, value_milli) "
	"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (kpi_id, period, area) "
	"DO UPDATE SET value_milli = excluded.value_milli";
static const char SQL_MEASUREMENTS_OF[] =
	"SELECT m.id, m.kpi_id, m.period, m.area, m.value_milli "
	"FROM measurements m JOIN kpis k ON k.id = m.kpi_id "
	"WHERE k.contract_id = ?1 ORDER BY m.kpi_id, m.area, m.period";

/* Measurement i (counted from 1 in messages) of a batch. */
static enum kv_status measurement_put(struct sq *s,
				      const struct measurement *m, int i,
				      struct kv_error *e)
{
	size_t plen = strnlen(m->period, sizeof m->period);
	if (plen == sizeof m->period)
		return kv_fail(e, KV_INVALID, "period",
			       _("Measurement %d: the period is too long."),
			       i + 1);
	sqlite3_stmt *q = prep(s, SQL_MEASUREMENT_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, m->kpi_id);
	sqlite3_bind_text(q, 2, m->period, (int)plen, SQLITE_TRANSIENT);
	bind_str(q, 3, m->area);
	sqlite3_bind_int64(q, 4, m->value_milli);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "kpi_id",
			    _("Measurement %d refers to a KPI that does not "
			      "exist."), i + 1);
	else if (rc == SQLITE_CONSTRAINT_CHECK)
		r = kv_fail(e, KV_INVALID, "period",
			    _("Measurement %d: the period is not a year, "
			      "month (2023-05) or quarter (2023-Q2)."), i + 1);
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_measurements_put(struct store *st,
					  const struct measurement *m, int n,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	if (n < 0 || (n > 0 && !m))
		return kv_fail(e, KV_INVALID, "",
			       _("The measurements are missing."));
	if (n == 0)
		return KV_OK;
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	for (int i = 0; r == KV_OK && i < n; i++)
		r = measurement_put(s, &m[i], i, e);
	return unit_end(s, u, r, e);
}

static enum kv_status op_measurements_list(struct store *st,
					   int64_t contract_id, arena *a,
					   struct measurement **out, int *n,
					   struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_MEASUREMENTS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, contract_id);
	int cap = 0, rc = SQLITE_DONE;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct measurement *m = &(*out)[(*n)++];
		memset(m, 0, sizeof *m);
		m->id = sqlite3_column_int64(q, 0);
		m->kpi_id = sqlite3_column_int64(q, 1);
		copy_fixed(m->period, sizeof m->period, q, 2);
		m->area = col_str(a, q, 3);
		m->value_milli = sqlite3_column_int64(q, 4);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- evaluations --------------------------------------------------------- */

static const struct constraint_msg evaluation_checks[] = {
	{"evaluation_after_year", "after_year",
	 N_("An evaluation takes place after year 1 to 100 of the term.")},
	{"evaluation_due", "due",
	 N_("The due date of the evaluation is not a valid date.")},
};

/* One per (contract, after_year): an existing one is replaced and keeps
 * its id. */
static const char SQL_EVALUATION_PUT[] =
	"INSERT INTO evaluations (contract_id, after_year, due, outcome, "
	"notes, decision) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (contract_id, after_year) DO UPDATE SET "
	"due = excluded.due, outcome = excluded.outcome, "
	"notes = excluded.notes, decision = excluded.decision "
	"RETURNING id";
static const char SQL_EVALUATIONS_OF[] =
	"SELECT id, contract_id, after_year, due, outcome, notes, decision "
	"FROM evaluations WHERE contract_id = ?1 ORDER BY after_year";

static enum kv_status op_evaluation_put(struct store *st,
					struct evaluation *ev,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	const char *outcome = code_of(evaluation_outcome_codes,
				      N_CODES(evaluation_outcome_codes),
				      (int)ev->outcome);
	if (!outcome)
		return kv_fail(e, KV_INVALID, "outcome",
			       _("Unknown outcome of an evaluation."));
	sqlite3_stmt *q = prep(s, SQL_EVALUATION_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, ev->contract_id);
	sqlite3_bind_int(q, 2, ev->after_year);
	bind_date(q, 3, ev->due);
	bind_text(q, 4, outcome);
	bind_text(q, 5, ev->notes);
	bind_text(q, 6, ev->decision);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		ev->id = sqlite3_column_int64(q, 0);
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "contract_id",
			    _("There is no such contract."));
	else
		r = constraint_fail(s, rc, evaluation_checks,
				    N_CODES(evaluation_checks), e);
	/* The change is made by the first step; finish the statement so
	 * it holds no lock. */
	if (rc == SQLITE_ROW && (rc = sqlite3_step(q)) != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_evaluation_list(struct store *st,
					 int64_t contract_id, arena *a,
					 struct evaluation **out, int *n,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_EVALUATIONS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, contract_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct evaluation *ev = &(*out)[(*n)++];
		memset(ev, 0, sizeof *ev);
		ev->id = sqlite3_column_int64(q, 0);
		ev->contract_id = sqlite3_column_int64(q, 1);
		ev->after_year = sqlite3_column_int(q, 2);
		if (col_date(q, 3, &ev->due) < 0)
			r = corrupt(e, _("date"), col_code(q, 3));
		int o = code_find(evaluation_outcome_codes,
				  N_CODES(evaluation_outcome_codes),
				  col_code(q, 4));
		if (o < 0)
			r = corrupt(e, _("outcome of an evaluation"),
				    col_code(q, 4));
		else
			ev->outcome = (enum evaluation_outcome)o;
		ev->notes = col_str(a, q, 5);
		ev->decision = col_str(a, q, 6);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- the risk register --------------------------------------------------- */

static const struct constraint_msg risk_checks[] = {
	{"risk_title", "title", N_("A risk needs a title.")},
};

static const char SQL_RISK_INSERT[] =
	"INSERT INTO risks (tenant_id, procedure_id, title, description, "
	"mitigation, level, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_RISKS_OF[] =
	"SELECT id, tenant_id, procedure_id, title, description, mitigation, "
	"level, status FROM risks WHERE tenant_id = ?1 ORDER BY id";

static enum kv_status op_risk_create(struct store *st, struct risk *rk,
				     struct kv_error *e)
{
	struct sq *s = SQ(st);
	const char *level = code_of(risk_level_codes,
				    N_CODES(risk_level_codes), (int)rk->level);
	if (!level)
		return kv_fail(e, KV_INVALID, "level",
			       _("Unknown level of a risk."));
	sqlite3_stmt *q = prep(s, SQL_RISK_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, rk->tenant_id);
	bind_opt(q, 2, rk->procedure_id);
	bind_str(q, 3, rk->title);
	bind_text(q, 4, rk->description);
	bind_text(q, 5, rk->mitigation);
	bind_text(q, 6, level);
	bind_text(q, 7, rk->status);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "procedure_id",
			    _("The risk refers to a municipality or procedure "
			      "that does not exist, or to a procedure of "
			      "another municipality."));
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, risk_checks, N_CODES(risk_checks),
				    e);
	else
		rk->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status op_risk_list(struct store *st, int64_t tenant_id,
				   arena *a, struct risk **out, int *n,
				   struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_RISKS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, tenant_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct risk *rk = &(*out)[(*n)++];
		memset(rk, 0, sizeof *rk);
		rk->id = sqlite3_column_int64(q, 0);
		rk->tenant_id = sqlite3_column_int64(q, 1);
		rk->procedure_id = sqlite3_column_int64(q, 2);
		rk->title = col_str(a, q, 3);
		rk->description = col_str(a, q, 4);
		rk->mitigation = col_str(a, q, 5);
		int l = code_find(risk_level_codes, N_CODES(risk_level_codes),
				  col_code(q, 6));
		if (l < 0)
			r = corrupt(e, _("level of a risk"), col_code(q, 6));
		else
			rk->level = (enum risk_level)l;
		rk->status = col_str(a, q, 7);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- backup -------------------------------------------------------------- */

#define BACKUP_PAGES_PER_STEP 256

static const char SQL_START_READ[] = "SELECT count(*) FROM sqlite_schema";

static enum kv_status backup_copy(struct sq *s, sqlite3 *dst,
				  store_progress_fn progress, void *ctx,
				  struct kv_error *e)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b)
		return kv_fail(e, KV_IO, "", _("The backup failed: %s."),
			       sqlite3_errmsg(dst));
	int rc, busy = 0;
	do {
		rc = sqlite3_backup_step(b, BACKUP_PAGES_PER_STEP);
		if (progress && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
			int total = sqlite3_backup_pagecount(b);
			progress(ctx, total - sqlite3_backup_remaining(b),
				 total);
		}
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (++busy > 200)
				break;
			sqlite3_sleep(25);
		}
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY ||
		 rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return kv_fail(e, KV_IO, "", _("The backup failed: %s."),
			       sqlite3_errstr(rc));
	rc = sqlite3_errcode(dst);
	if (rc != SQLITE_OK)
		return kv_fail(e, KV_IO, "", _("The backup failed: %s."),
			       sqlite3_errmsg(dst));
	return KV_OK;
}

/* The copy is the state of one snapshot: the source reads inside one
 * transaction, so writers on other connections (WAL) neither block the
 * backup nor make it start over. */
static enum kv_status op_backup(struct store *st, const char *dest,
				store_progress_fn progress, void *ctx,
				struct kv_error *e)
{
	struct sq *s = SQ(st);
	/* O_EXCL: never overwrite, not even a file that appears meanwhile.
	 * 0600: the copy holds password hashes. */
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		int err = errno;
		if (err == EEXIST)
			return kv_fail(e, KV_CONFLICT, "dest",
				       _("The backup file %s already exists; "
					 "choose a new name."), dest);
		return kv_fail(e, KV_IO, "dest",
			       _("Cannot create the backup file %s: %s."),
			       dest, strerror(err));
	}
	close(fd);

	enum unit u;
	enum kv_status r = unit_begin(s, false, &u, e);
	if (r == KV_OK) {
		/* Start the read now so the snapshot is fixed. */
		sqlite3_stmt *q = prep(s, SQL_START_READ, e);
		if (!q) {
			r = KV_IO;
		} else {
			int rc = sqlite3_step(q);
			if (rc != SQLITE_ROW)
				r = db_fail(s, rc, e);
			done(s, q);
		}
		sqlite3 *dst = NULL;
		int rc = SQLITE_OK;
		if (r == KV_OK)
			rc = sqlite3_open_v2(dest, &dst,
					     SQLITE_OPEN_READWRITE, NULL);
		if (r == KV_OK && rc != SQLITE_OK)
			r = kv_fail(e, KV_IO, "dest",
				    _("Cannot open the backup file %s: %s."),
				    dest,
				    dst ? sqlite3_errmsg(dst)
					: sqlite3_errstr(rc));
		else if (r == KV_OK)
			r = backup_copy(s, dst, progress, ctx, e);
		if (dst && sqlite3_close(dst) != SQLITE_OK && r == KV_OK)
			r = kv_fail(e, KV_IO, "dest",
				    _("Cannot close the backup file %s."),
				    dest);
		r = unit_end(s, u, r, e);
	}
	if (r != KV_OK) {
		/* Remove the partial copy, which we created. */
		size_t len = strlen(dest) + sizeof "-wal";
		char *side = malloc(len);
		unlink(dest);
		if (side) {
			snprintf(side, len, "%s-wal", dest);
			unlink(side);
			snprintf(side, len, "%s-shm", dest);
			unlink(side);
			free(side);
		}
	}
	return r;
}

/* --- the sealed bid vault (schema v4) ------------------------------------ */

/* A fixed-length BLOB column into out; -1 when NULL or of another length. */
static int col_blob(sqlite3_stmt *q, int i, unsigned char *out, size_t n)
{
	const void *b = sqlite3_column_blob(q, i);
	if (!b || (size_t)sqlite3_column_bytes(q, i) != n)
		return -1;
	memcpy(out, b, n);
	return 0;
}

/* A content column of exactly size bytes copied into a (one byte more, so
 * an empty one is a valid pointer too); false when its length differs. */
static bool col_content(sqlite3_stmt *q, int i, arena *a, int64_t size,
			const unsigned char **out)
{
	const void *b = sqlite3_column_blob(q, i);
	int n = sqlite3_column_bytes(q, i);
	if (n != size || (n && !b))
		return false;
	unsigned char *c = arena_alloc_raw(a, (size_t)n + 1);
	if (n)
		memcpy(c, b, (size_t)n);
	*out = c;
	return true;
}

static const char SQL_VAULT_KEY_INSERT[] =
	"INSERT INTO vault_keys (account_id, salt, pk, created_at) "
	"VALUES (?1, ?2, ?3, ?4)";

static enum kv_status op_vault_key_create(struct store *st,
					  const struct vault_key_rec *k,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_VAULT_KEY_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, k->account_id);
	sqlite3_bind_blob(q, 2, k->salt, sizeof k->salt, SQLITE_TRANSIENT);
	sqlite3_bind_blob(q, 3, k->pk, sizeof k->pk, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 4, now_or(k->created_at));
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "passphrase",
			    _("You have set your vault passphrase already."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status vault_key_row(sqlite3_stmt *q, arena *a,
				    struct vault_key_rec *k,
				    struct kv_error *e)
{
	memset(k, 0, sizeof *k);
	k->account_id = sqlite3_column_int64(q, 0);
	k->email = col_str(a, q, 1);
	k->name = col_str(a, q, 2);
	if (col_blob(q, 3, k->salt, sizeof k->salt) < 0 ||
	    col_blob(q, 4, k->pk, sizeof k->pk) < 0)
		return corrupt(e, _("vault key"), NULL);
	k->created_at = sqlite3_column_int64(q, 5);
	return KV_OK;
}

#define VAULT_KEY_COLS "k.account_id, a.email, a.name, k.salt, k.pk, " \
	"k.created_at"
static const char SQL_VAULT_KEY_GET[] =
	"SELECT " VAULT_KEY_COLS " FROM vault_keys k "
	"JOIN accounts a ON a.id = k.account_id WHERE k.account_id = ?1";
static const char SQL_VAULT_KEYS_OF_BUYERS[] =
	"SELECT " VAULT_KEY_COLS " FROM vault_keys k "
	"JOIN accounts a ON a.id = k.account_id "
	"WHERE a.disabled = 0 AND EXISTS (SELECT 1 FROM grants g "
	"  WHERE g.account_id = k.account_id AND g.tenant_id = ?1 "
	"  AND g.role = 'buyer' "
	"  AND (g.procedure_id IS NULL OR g.procedure_id = ?2)) "
	"ORDER BY k.account_id";

static enum kv_status op_vault_key_get(struct store *st, int64_t account_id,
				       arena *a, struct vault_key_rec *k,
				       struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_VAULT_KEY_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, account_id);
	int rc = sqlite3_step(q);
	enum kv_status r;
	if (rc == SQLITE_ROW)
		r = vault_key_row(q, a, k, e);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This account has no vault passphrase."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_vault_keys_of_buyers(struct store *st,
					      int64_t tenant_id,
					      int64_t procedure_id, arena *a,
					      struct vault_key_rec **out,
					      int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_VAULT_KEYS_OF_BUYERS, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, tenant_id);
	sqlite3_bind_int64(q, 2, procedure_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		r = vault_key_row(q, a, &(*out)[*n], e);
		(*n)++;
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* The quality envelope's vault (vaults, vault_shares) and the price
 * envelope's (price_vaults, price_vault_shares, schema v8) have the same
 * shape; each statement comes in both, indexed by ENVELOPE_*. */
static const char *const SQL_VAULT_INSERT[2] = {
	"INSERT INTO vaults (procedure_id, pk, created_at) VALUES (?1, ?2, ?3)",
	"INSERT INTO price_vaults (procedure_id, pk, created_at) "
	"VALUES (?1, ?2, ?3)"};
static const char *const SQL_VAULT_SHARE_INSERT[2] = {
	"INSERT INTO vault_shares (procedure_id, holder_account, "
	"partner_account, part, sealed) VALUES (?1, ?2, ?3, ?4, ?5)",
	"INSERT INTO price_vault_shares (procedure_id, holder_account, "
	"partner_account, part, sealed) VALUES (?1, ?2, ?3, ?4, ?5)"};

static enum kv_status vault_create_in(struct store *st, int env,
				      const struct vault_rec *v,
				      const struct vault_share_rec *shares,
				      int n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_VAULT_INSERT[env], e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, v->procedure_id);
	sqlite3_bind_blob(q, 2, v->pk, sizeof v->pk, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 3, now_or(v->created_at));
	int rc = run(q);
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "",
			    _("This procedure has a vault already."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	for (int i = 0; r == KV_OK && i < n; i++) {
		q = prep(s, SQL_VAULT_SHARE_INSERT[env], e);
		if (!q) {
			r = KV_IO;
			break;
		}
		sqlite3_bind_int64(q, 1, v->procedure_id);
		sqlite3_bind_int64(q, 2, shares[i].holder_account);
		sqlite3_bind_int64(q, 3, shares[i].partner_account);
		sqlite3_bind_int(q, 4, shares[i].part);
		sqlite3_bind_blob(q, 5, shares[i].sealed,
				  sizeof shares[i].sealed, SQLITE_TRANSIENT);
		rc = run(q);
		if (rc != SQLITE_OK)
			r = db_fail(s, rc, e);
		done(s, q);
	}
	return unit_end(s, u, r, e);
}

static enum kv_status op_vault_create(struct store *st,
				      const struct vault_rec *v,
				      const struct vault_share_rec *shares,
				      int n, struct kv_error *e)
{
	return vault_create_in(st, ENVELOPE_QUALITY, v, shares, n, e);
}

static enum kv_status op_price_vault_create(struct store *st,
					    const struct vault_rec *v,
					    const struct vault_share_rec *shares,
					    int n, struct kv_error *e)
{
	return vault_create_in(st, ENVELOPE_PRICE, v, shares, n, e);
}

static const char *const SQL_VAULT_GET[2] = {
	"SELECT procedure_id, pk, created_at, opened_at, opened_by_1, "
	"opened_by_2 FROM vaults WHERE procedure_id = ?1",
	"SELECT procedure_id, pk, created_at, opened_at, opened_by_1, "
	"opened_by_2 FROM price_vaults WHERE procedure_id = ?1"};

static enum kv_status vault_get_in(struct store *st, int env,
				   int64_t procedure_id, struct vault_rec *v,
				   struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_VAULT_GET[env], e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		memset(v, 0, sizeof *v);
		v->procedure_id = sqlite3_column_int64(q, 0);
		if (col_blob(q, 1, v->pk, sizeof v->pk) < 0)
			r = corrupt(e, _("vault key"), NULL);
		v->created_at = sqlite3_column_int64(q, 2);
		v->opened_at = sqlite3_column_int64(q, 3);
		v->opened_by_1 = sqlite3_column_int64(q, 4);
		v->opened_by_2 = sqlite3_column_int64(q, 5);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "",
			    env == ENVELOPE_PRICE
			    ? _("This procedure has no price vault.")
			    : _("This procedure has no vault yet."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

static enum kv_status op_vault_get(struct store *st, int64_t procedure_id,
				   struct vault_rec *v, struct kv_error *e)
{
	return vault_get_in(st, ENVELOPE_QUALITY, procedure_id, v, e);
}

static enum kv_status op_price_vault_get(struct store *st,
					 int64_t procedure_id,
					 struct vault_rec *v,
					 struct kv_error *e)
{
	return vault_get_in(st, ENVELOPE_PRICE, procedure_id, v, e);
}

static const char *const SQL_VAULT_SHARE_GET[2] = {
	"SELECT holder_account, partner_account, part, sealed "
	"FROM vault_shares WHERE procedure_id = ?1 AND holder_account = ?2 "
	"AND partner_account = ?3",
	"SELECT holder_account, partner_account, part, sealed "
	"FROM price_vault_shares WHERE procedure_id = ?1 "
	"AND holder_account = ?2 AND partner_account = ?3"};

static enum kv_status share_get_in(struct store *st, int env,
				   int64_t procedure_id, int64_t holder,
				   int64_t partner, struct vault_share_rec *sh,
				   struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_VAULT_SHARE_GET[env], e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, holder);
	sqlite3_bind_int64(q, 3, partner);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		memset(sh, 0, sizeof *sh);
		sh->holder_account = sqlite3_column_int64(q, 0);
		sh->partner_account = sqlite3_column_int64(q, 1);
		sh->part = sqlite3_column_int(q, 2);
		if (col_blob(q, 3, sh->sealed, sizeof sh->sealed) < 0)
			r = corrupt(e, _("vault share"), NULL);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("These two buyers hold no shares of this "
			      "vault together."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

static enum kv_status op_vault_share_get(struct store *st,
					 int64_t procedure_id, int64_t holder,
					 int64_t partner,
					 struct vault_share_rec *sh,
					 struct kv_error *e)
{
	return share_get_in(st, ENVELOPE_QUALITY, procedure_id, holder,
			    partner, sh, e);
}

static enum kv_status op_price_vault_share_get(struct store *st,
					       int64_t procedure_id,
					       int64_t holder, int64_t partner,
					       struct vault_share_rec *sh,
					       struct kv_error *e)
{
	return share_get_in(st, ENVELOPE_PRICE, procedure_id, holder, partner,
			    sh, e);
}

static const char *const SQL_VAULT_OPENED[2] = {
	"UPDATE vaults SET opened_at = ?2, opened_by_1 = ?3, opened_by_2 = ?4 "
	"WHERE procedure_id = ?1 AND opened_at IS NULL",
	"UPDATE price_vaults SET opened_at = ?2, opened_by_1 = ?3, "
	"opened_by_2 = ?4 WHERE procedure_id = ?1 AND opened_at IS NULL"};

static enum kv_status mark_opened_in(struct store *st, int env,
				     int64_t procedure_id, kv_instant at,
				     int64_t by_1, int64_t by_2,
				     struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_VAULT_OPENED[env], e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, at);
	sqlite3_bind_int64(q, 3, by_1);
	sqlite3_bind_int64(q, 4, by_2);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else if (sqlite3_changes(s->db) != 1)
		r = kv_fail(e, KV_CONFLICT, "",
			    _("This vault has been opened already."));
	done(s, q);
	return r;
}

static enum kv_status op_vault_mark_opened(struct store *st,
					   int64_t procedure_id, kv_instant at,
					   int64_t by_1, int64_t by_2,
					   struct kv_error *e)
{
	return mark_opened_in(st, ENVELOPE_QUALITY, procedure_id, at, by_1,
			      by_2, e);
}

static enum kv_status op_price_vault_mark_opened(struct store *st,
						 int64_t procedure_id,
						 kv_instant at, int64_t by_1,
						 int64_t by_2,
						 struct kv_error *e)
{
	return mark_opened_in(st, ENVELOPE_PRICE, procedure_id, at, by_1,
			      by_2, e);
}

static const char *const SQL_VAULT_KEEP[2] = {
	"UPDATE vaults SET opened_sk = ?2 WHERE procedure_id = ?1 "
	"AND opened_at IS NOT NULL",
	"UPDATE price_vaults SET opened_sk = ?2 WHERE procedure_id = ?1 "
	"AND opened_at IS NOT NULL"};
static const char *const SQL_VAULT_KEPT[2] = {
	"SELECT opened_sk FROM vaults WHERE procedure_id = ?1 "
	"AND opened_sk IS NOT NULL",
	"SELECT opened_sk FROM price_vaults WHERE procedure_id = ?1 "
	"AND opened_sk IS NOT NULL"};

static enum kv_status op_vault_keep_key(struct store *st,
					int64_t procedure_id, int env,
					const unsigned char sk[32],
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_VAULT_KEEP[env != 0], e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_blob(q, 2, sk, 32, SQLITE_TRANSIENT);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else if (sqlite3_changes(s->db) != 1)
		r = kv_fail(e, KV_CONFLICT, "",
			    _("The vault is not open."));
	done(s, q);
	return r;
}

static enum kv_status op_vault_kept_key(struct store *st,
					int64_t procedure_id, int env,
					unsigned char sk[32],
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_VAULT_KEPT[env != 0], e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		if (col_blob(q, 0, sk, 32) < 0)
			r = corrupt(e, _("vault key"), NULL);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "", _("The vault is not open."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

static const char SQL_SUBMISSION_INSERT[] =
	"INSERT INTO submissions (procedure_id, lot_id, candidate_id, "
	"account_id, received_at, file_name, content_type, size, sha256, path, "
	"receipt, envelope, document_id) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

static enum kv_status op_submission_create(struct store *st,
					   struct submission *sub,
					   struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_SUBMISSION_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, sub->procedure_id);
	sqlite3_bind_int64(q, 2, sub->lot_id);
	sqlite3_bind_int64(q, 3, sub->candidate_id);
	sqlite3_bind_int64(q, 4, sub->account_id);
	sqlite3_bind_int64(q, 5, sub->received_at);
	bind_text(q, 6, sub->file_name);
	bind_text(q, 7, sub->content_type);
	sqlite3_bind_int64(q, 8, sub->size);
	sqlite3_bind_blob(q, 9, sub->sha256, sizeof sub->sha256,
			  SQLITE_TRANSIENT);
	bind_text(q, 10, sub->path);
	sqlite3_bind_blob(q, 11, sub->receipt, sizeof sub->receipt,
			  SQLITE_TRANSIENT);
	bind_text(q, 12, sub->envelope == ENVELOPE_PRICE ? "price" : "quality");
	bind_opt(q, 13, sub->document_id);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else
		sub->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static const char SQL_SUBMISSION_RECEIPT[] =
	"UPDATE submissions SET receipt = ?2 WHERE id = ?1";

static enum kv_status op_submission_receipt_set(struct store *st, int64_t id,
						const unsigned char receipt[32],
						struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_SUBMISSION_RECEIPT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_blob(q, 2, receipt, 32, SQLITE_TRANSIENT);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else if (sqlite3_changes(s->db) != 1)
		r = kv_fail(e, KV_NOT_FOUND, "", _("There is no such bid."));
	done(s, q);
	return r;
}

static const char SQL_SUBMISSIONS_OF[] =
	"SELECT s.id, s.procedure_id, s.lot_id, s.candidate_id, s.account_id, "
	"l.number, c.name, s.received_at, s.file_name, s.content_type, s.size, "
	"s.sha256, s.path, s.receipt, s.withdrawn_at, s.envelope = 'price', "
	"s.document_id "
	"FROM submissions s "
	"JOIN lots l ON l.id = s.lot_id "
	"JOIN candidates c ON c.id = s.candidate_id "
	"WHERE s.procedure_id = ?1 ORDER BY s.id";

static enum kv_status op_submission_list(struct store *st,
					 int64_t procedure_id, arena *a,
					 struct submission **out, int *n,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_SUBMISSIONS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct submission *sub = &(*out)[(*n)++];
		memset(sub, 0, sizeof *sub);
		sub->id = sqlite3_column_int64(q, 0);
		sub->procedure_id = sqlite3_column_int64(q, 1);
		sub->lot_id = sqlite3_column_int64(q, 2);
		sub->candidate_id = sqlite3_column_int64(q, 3);
		sub->account_id = sqlite3_column_int64(q, 4);
		sub->lot_number = sqlite3_column_int(q, 5);
		sub->candidate_name = col_str(a, q, 6);
		sub->received_at = sqlite3_column_int64(q, 7);
		sub->file_name = col_str(a, q, 8);
		sub->content_type = col_str(a, q, 9);
		sub->size = sqlite3_column_int64(q, 10);
		if (col_blob(q, 11, sub->sha256, sizeof sub->sha256) < 0 ||
		    col_blob(q, 13, sub->receipt, sizeof sub->receipt) < 0)
			r = corrupt(e, _("submission"), NULL);
		sub->path = col_str(a, q, 12);
		sub->withdrawn_at = sqlite3_column_int64(q, 14);
		sub->envelope = sqlite3_column_int(q, 15) ? ENVELOPE_PRICE
							  : ENVELOPE_QUALITY;
		sub->document_id = sqlite3_column_int64(q, 16);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_SUBMISSION_PATHS[] = "SELECT path FROM submissions";

/* Every sealed file a submission refers to (the start-up sweep keeps
 * these and moves any other aside). */
static enum kv_status op_submission_paths(struct store *st, arena *a,
					  char ***out, int *n,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_SUBMISSION_PATHS, e);
	if (!q)
		return KV_IO;
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		(*out)[(*n)++] = col_str(a, q, 0);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_SUBMISSION_WITHDRAW[] =
	"UPDATE submissions SET withdrawn_at = ?3 "
	"WHERE procedure_id = ?1 AND id = ?2 AND withdrawn_at IS NULL";

static enum kv_status op_submission_withdraw(struct store *st,
					     int64_t procedure_id, int64_t id,
					     kv_instant at, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_SUBMISSION_WITHDRAW, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, id);
	sqlite3_bind_int64(q, 3, at);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else if (sqlite3_changes(s->db) != 1)
		r = kv_fail(e, KV_CONFLICT, "",
			    _("This bid has been withdrawn already."));
	done(s, q);
	return r;
}

/* --- questions and answers (schema v5) ------------------------------------ */

static const struct constraint_msg question_checks[] = {
	{"question_text", "text",
	 N_("A question has 1 to 4000 characters.")},
	{"questions.text", "text", N_("A question has 1 to 4000 characters.")},
	{"question_answer", "answer",
	 N_("An answer has 1 to 8000 characters.")},
	{"question_answered", "answer",
	 N_("An answer needs the moment it was given.")},
	{"question_published", "answer",
	 N_("Only an answered question can be published.")},
	{"nota_number", "number", N_("A nota is numbered from 1.")},
};
#define N_QUESTION_CHECKS \
	((int)(sizeof question_checks / sizeof *question_checks))

static const char SQL_QUESTION_INSERT[] =
	"INSERT INTO questions (procedure_id, lot_id, candidate_id, account_id, "
	"asked_at, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static enum kv_status op_question_create(struct store *st,
					 struct question *q,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *qs = prep(s, SQL_QUESTION_INSERT, e);
	if (!qs)
		return KV_IO;
	sqlite3_bind_int64(qs, 1, q->procedure_id);
	bind_opt(qs, 2, q->lot_id);
	sqlite3_bind_int64(qs, 3, q->candidate_id);
	sqlite3_bind_int64(qs, 4, q->account_id);
	sqlite3_bind_int64(qs, 5, now_or(q->asked_at));
	bind_text(qs, 6, q->text);
	int rc = run(qs);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, question_checks, N_QUESTION_CHECKS,
				    e);
	else
		q->id = sqlite3_last_insert_rowid(s->db);
	done(s, qs);
	return r;
}

/* The columns question_row reads; `who` selects the asker's columns or
 * NULLs in their place (a nota's questions are read without them). */
#define QUESTION_COLS(who)                                                    \
	"q.id, q.procedure_id, q.lot_id, " who ", l.number, l.title, "      \
	"q.asked_at, q.text, q.answer, q.answered_at, q.answered_by, "      \
	"q.nota_id, n.number, n.published_at FROM questions q "             \
	"LEFT JOIN lots l ON l.id = q.lot_id "                              \
	"LEFT JOIN notas n ON n.id = q.nota_id "
#define QUESTION_WHO "q.candidate_id, q.account_id, c.name, a.name"
#define QUESTION_ANON "NULL, NULL, NULL, NULL"
#define QUESTION_JOIN_WHO                                                     \
	"JOIN candidates c ON c.id = q.candidate_id "                       \
	"JOIN accounts a ON a.id = q.account_id "

static void question_row(sqlite3_stmt *q, arena *a, struct question *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(q, 0);
	out->procedure_id = sqlite3_column_int64(q, 1);
	out->lot_id = sqlite3_column_int64(q, 2);
	out->candidate_id = sqlite3_column_int64(q, 3);
	out->account_id = sqlite3_column_int64(q, 4);
	out->candidate_name = col_str(a, q, 5);
	out->account_name = col_str(a, q, 6);
	out->lot_number = sqlite3_column_int(q, 7);
	out->lot_title = col_str(a, q, 8);
	out->asked_at = sqlite3_column_int64(q, 9);
	out->text = col_str(a, q, 10);
	out->answer = col_str(a, q, 11);
	out->answered_at = sqlite3_column_int64(q, 12);
	out->answered_by = sqlite3_column_int64(q, 13);
	out->nota_id = sqlite3_column_int64(q, 14);
	out->nota_number = sqlite3_column_int(q, 15);
	out->published_at = sqlite3_column_int64(q, 16);
}

static const char SQL_QUESTION_GET[] =
	"SELECT " QUESTION_COLS(QUESTION_WHO) QUESTION_JOIN_WHO
	"WHERE q.procedure_id = ?1 AND q.id = ?2";
static const char SQL_QUESTIONS_OF[] =
	"SELECT " QUESTION_COLS(QUESTION_WHO) QUESTION_JOIN_WHO
	"WHERE q.procedure_id = ?1 AND (?2 = 0 OR q.candidate_id = ?2) "
	"ORDER BY q.id";
static const char SQL_QUESTIONS_OF_NOTA[] =
	"SELECT " QUESTION_COLS(QUESTION_ANON)
	"WHERE q.procedure_id = ?1 AND q.nota_id = ?2 ORDER BY q.id";

static enum kv_status op_question_get(struct store *st, int64_t procedure_id,
				      int64_t id, arena *a,
				      struct question *out, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_QUESTION_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		question_row(q, a, out);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This procedure has no such question."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* Every row of a question query whose parameters are bound. */
static enum kv_status question_rows(struct sq *s, sqlite3_stmt *q, arena *a,
				    struct question **out, int *n,
				    struct kv_error *e)
{
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		question_row(q, a, &(*out)[(*n)++]);
	}
	return rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
}

static enum kv_status op_question_list(struct store *st, int64_t procedure_id,
				       int64_t candidate_id, arena *a,
				       struct question **out, int *n,
				       struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_QUESTIONS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, candidate_id);
	enum kv_status r = question_rows(s, q, a, out, n, e);
	done(s, q);
	return r;
}

static const char SQL_QUESTION_ANSWER[] =
	"UPDATE questions SET answer = ?3, answered_at = ?4, answered_by = ?5 "
	"WHERE procedure_id = ?1 AND id = ?2 AND nota_id IS NULL";
static const char SQL_QUESTION_STATE[] =
	"SELECT nota_id IS NOT NULL FROM questions "
	"WHERE procedure_id = ?1 AND id = ?2";

static enum kv_status op_question_answer(struct store *st,
					 int64_t procedure_id, int64_t id,
					 const char *answer, kv_instant at,
					 int64_t by, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_QUESTION_ANSWER, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, id);
	bind_text(q, 3, answer);
	sqlite3_bind_int64(q, 4, now_or(at));
	bind_opt(q, 5, by);
	int rc = run(q);
	int changed = sqlite3_changes(s->db);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, question_checks, N_QUESTION_CHECKS,
				    e);
	done(s, q);
	if (r != KV_OK || changed == 1)
		return r;
	/* Nothing changed: no such question, or a published one. */
	q = prep(s, SQL_QUESTION_STATE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		r = kv_fail(e, KV_CONFLICT, "answer",
			    _("This question has been published in a nota; "
			      "its answer cannot change any more."));
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This procedure has no such question."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_NOTA_NEXT[] =
	"SELECT ifnull(max(number), 0) + 1 FROM notas WHERE procedure_id = ?1";
static const char SQL_NOTA_INSERT[] =
	"INSERT INTO notas (procedure_id, number, published_at, published_by) "
	"VALUES (?1, ?2, ?3, ?4)";
static const char SQL_NOTA_ATTACH[] =
	"UPDATE questions SET nota_id = ?2 WHERE procedure_id = ?1 "
	"AND nota_id IS NULL AND answer IS NOT NULL RETURNING id";

static enum kv_status op_nota_publish(struct store *st, struct nota *n,
				      arena *a, int64_t **ids,
				      struct kv_error *e)
{
	struct sq *s = SQ(st);
	*ids = NULL;
	n->n_questions = 0;
	n->questions = NULL;
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_NOTA_NEXT, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, n->procedure_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		n->number = sqlite3_column_int(q, 0);
	else
		r = db_fail(s, rc, e);
	done(s, q);
	if (r == KV_OK) {
		q = prep(s, SQL_NOTA_INSERT, e);
		if (!q)
			return unit_end(s, u, KV_IO, e);
		sqlite3_bind_int64(q, 1, n->procedure_id);
		sqlite3_bind_int(q, 2, n->number);
		sqlite3_bind_int64(q, 3, now_or(n->published_at));
		bind_opt(q, 4, n->published_by);
		rc = run(q);
		if (rc != SQLITE_OK)
			r = is_unique(rc)
				? kv_fail(e, KV_CONFLICT, "",
					  _("This nota has just been "
					    "published; reload the page."))
				: constraint_fail(s, rc, question_checks,
						  N_QUESTION_CHECKS, e);
		else
			n->id = sqlite3_last_insert_rowid(s->db);
		done(s, q);
	}
	if (r == KV_OK) {
		q = prep(s, SQL_NOTA_ATTACH, e);
		if (!q)
			return unit_end(s, u, KV_IO, e);
		sqlite3_bind_int64(q, 1, n->procedure_id);
		sqlite3_bind_int64(q, 2, n->id);
		int cap = 0;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			*ids = grow(a, *ids, n->n_questions, &cap,
				    sizeof **ids);
			(*ids)[n->n_questions++] = sqlite3_column_int64(q, 0);
		}
		if (rc != SQLITE_DONE)
			r = db_fail(s, rc, e);
		done(s, q);
	}
	if (r == KV_OK && n->n_questions == 0)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("No answered question waits to be published."));
	if (r != KV_OK) {
		*ids = NULL;
		n->n_questions = 0;
	}
	return unit_end(s, u, r, e);
}

#define NOTA_COLS "n.id, n.procedure_id, n.number, n.published_at, " \
	"n.published_by, (SELECT count(*) FROM questions q " \
	"WHERE q.nota_id = n.id) FROM notas n "
static const char SQL_NOTAS_OF[] =
	"SELECT " NOTA_COLS "WHERE n.procedure_id = ?1 ORDER BY n.number";
static const char SQL_NOTA_GET[] =
	"SELECT " NOTA_COLS "WHERE n.procedure_id = ?1 AND n.number = ?2";

static void nota_row(sqlite3_stmt *q, struct nota *n)
{
	memset(n, 0, sizeof *n);
	n->id = sqlite3_column_int64(q, 0);
	n->procedure_id = sqlite3_column_int64(q, 1);
	n->number = sqlite3_column_int(q, 2);
	n->published_at = sqlite3_column_int64(q, 3);
	n->published_by = sqlite3_column_int64(q, 4);
	n->n_questions = sqlite3_column_int(q, 5);
}

static enum kv_status op_nota_list(struct store *st, int64_t procedure_id,
				   arena *a, struct nota **out, int *n,
				   struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_NOTAS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		nota_row(q, &(*out)[(*n)++]);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_nota_get(struct store *st, int64_t procedure_id,
				  int number, arena *a, struct nota *n,
				  struct kv_error *e)
{
	struct sq *s = SQ(st);
	enum unit u;
	enum kv_status r = unit_begin(s, false, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_NOTA_GET, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int(q, 2, number);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		nota_row(q, n);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This procedure has no published nota with "
			      "that number."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	if (r == KV_OK) {
		q = prep(s, SQL_QUESTIONS_OF_NOTA, e);
		if (!q)
			return unit_end(s, u, KV_IO, e);
		sqlite3_bind_int64(q, 1, procedure_id);
		sqlite3_bind_int64(q, 2, n->id);
		n->n_questions = 0;
		r = question_rows(s, q, a, &n->questions, &n->n_questions, e);
		done(s, q);
	}
	return unit_end(s, u, r, e);
}

static const char SQL_QDEADLINE_GET[] =
	"SELECT deadline FROM question_deadlines WHERE procedure_id = ?1";
static const char SQL_QDEADLINE_SET[] =
	"INSERT INTO question_deadlines (procedure_id, deadline, set_at, set_by) "
	"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (procedure_id) DO UPDATE SET "
	"deadline = excluded.deadline, set_at = excluded.set_at, "
	"set_by = excluded.set_by";

static enum kv_status op_question_deadline_get(struct store *st,
					       int64_t procedure_id,
					       kv_instant *deadline,
					       struct kv_error *e)
{
	struct sq *s = SQ(st);
	*deadline = 0;
	sqlite3_stmt *q = prep(s, SQL_QDEADLINE_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		*deadline = sqlite3_column_int64(q, 0);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This procedure has no question deadline of "
			      "its own."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_question_deadline_set(struct store *st,
					       int64_t procedure_id,
					       kv_instant deadline,
					       kv_instant at, int64_t by,
					       struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_QDEADLINE_SET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, deadline);
	sqlite3_bind_int64(q, 3, now_or(at));
	bind_opt(q, 4, by);
	int rc = run(q);
	enum kv_status r = rc == SQLITE_OK ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- taking part (schema v6) ---------------------------------------------- */

static const char SQL_PUBLICATION_GET[] =
	"SELECT published_at FROM procedure_publications WHERE procedure_id = ?1";
static const char SQL_PUBLICATION_SET[] =
	"INSERT INTO procedure_publications (procedure_id, published_at, "
	"published_by) VALUES (?1, ?2, ?3)";
static const char SQL_PUBLISHED[] =
	"SELECT procedure_id FROM procedure_publications "
	"ORDER BY published_at, procedure_id";

static enum kv_status op_publication_get(struct store *st,
					 int64_t procedure_id,
					 kv_instant *published_at,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	*published_at = 0;
	sqlite3_stmt *q = prep(s, SQL_PUBLICATION_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		*published_at = sqlite3_column_int64(q, 0);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This procedure is not published."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_publication_set(struct store *st,
					 int64_t procedure_id, kv_instant at,
					 int64_t by, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_PUBLICATION_SET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, now_or(at));
	bind_opt(q, 3, by);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "",
			    _("This procedure has been published already."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_published_list(struct store *st, arena *a,
					int64_t **ids, int *n,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_PUBLISHED, e);
	if (!q)
		return KV_IO;
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*ids = grow(a, *ids, *n, &cap, sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(q, 0);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const struct constraint_msg criterion_checks[] = {
	{"criterion_key", "key",
	 N_("A key has 1 to 40 characters: a-z, 0-9 and -.")},
	{"criterion_title", "title", N_("A title has 1 to 200 characters.")},
	{"selection_criteria.title", "title",
	 N_("A title has 1 to 200 characters.")},
	{"selection_criteria.key", "key",
	 N_("A key has 1 to 40 characters: a-z, 0-9 and -.")},
	{"criterion_description", "description",
	 N_("A description has at most 4000 characters.")},
	{"criterion_kind", "kind", N_("A criterion is pass-fail or scored.")},
	{"criterion_max_points", "max_points",
	 N_("A scored criterion gives 1 to 1000 points at most.")},
	{"criterion_round", "round",
	 N_("A selection round is numbered 1 to 10.")},
};
#define N_CRITERION_CHECKS \
	((int)(sizeof criterion_checks / sizeof *criterion_checks))

static const char SQL_CRITERION_INSERT[] =
	"INSERT INTO selection_criteria (procedure_id, key, title, description, "
	"kind, max_points, round) "
	"VALUES (?1, ?2, ?3, coalesce(?4, ''), ?5, ?6, ?7)";
static const char SQL_CRITERIA_OF[] =
	"SELECT id, procedure_id, key, title, description, kind, max_points, "
	"round FROM selection_criteria WHERE procedure_id = ?1 "
	"ORDER BY round, id";

static enum kv_status op_criterion_create(struct store *st,
					  struct selection_criterion *c,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CRITERION_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, c->procedure_id);
	bind_text(q, 2, c->key);
	bind_text(q, 3, c->title);
	bind_text(q, 4, c->description);
	bind_text(q, 5, sel_kind_code(c->kind));
	sqlite3_bind_int(q, 6, c->max_points);
	sqlite3_bind_int(q, 7, c->round ? c->round : 1);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "key",
			    _("This procedure has a criterion with this key "
			      "already."));
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, criterion_checks,
				    N_CRITERION_CHECKS, e);
	else
		c->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status op_criterion_list(struct store *st,
					int64_t procedure_id, arena *a,
					struct selection_criterion **out,
					int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_CRITERIA_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct selection_criterion *c = &(*out)[(*n)++];
		c->id = sqlite3_column_int64(q, 0);
		c->procedure_id = sqlite3_column_int64(q, 1);
		c->key = col_str(a, q, 2);
		c->title = col_str(a, q, 3);
		c->description = col_str(a, q, 4);
		int k = sel_kind_from_code((const char *)sqlite3_column_text(q, 5));
		c->kind = k < 0 ? SEL_PASS_FAIL : (enum sel_kind)k;
		c->max_points = sqlite3_column_int(q, 6);
		c->round = sqlite3_column_int(q, 7);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const struct constraint_msg application_checks[] = {
	{"application_answers", "answers",
	 N_("The answers are a JSON object of texts by criterion key.")},
	{"document_name", "name", N_("A file name has 1 to 200 characters.")},
	{"document_size", "content", N_("A document is at most 50 MiB.")},
};
#define N_APPLICATION_CHECKS \
	((int)(sizeof application_checks / sizeof *application_checks))

static const char SQL_APPLICATION_PUT[] =
	"INSERT INTO applications (candidate_id, procedure_id, answers, "
	"submitted_at, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?4, ?5) "
	"ON CONFLICT (candidate_id) DO UPDATE SET answers = excluded.answers, "
	"updated_at = excluded.updated_at, updated_by = excluded.updated_by "
	"WHERE procedure_id = excluded.procedure_id "
	"RETURNING submitted_at";
#define APPLICATION_COLS                                                      \
	"SELECT ap.candidate_id, ap.procedure_id, c.name, ap.answers, "     \
	"ap.submitted_at, ap.updated_at, ap.updated_by, "                   \
	"(SELECT count(*) FROM application_documents d "                     \
	" WHERE d.candidate_id = ap.candidate_id) FROM applications ap "    \
	"JOIN candidates c ON c.id = ap.candidate_id "
static const char SQL_APPLICATION_GET[] =
	APPLICATION_COLS "WHERE ap.procedure_id = ?1 AND ap.candidate_id = ?2";
static const char SQL_APPLICATIONS_OF[] =
	APPLICATION_COLS "WHERE ap.procedure_id = ?1 ORDER BY ap.candidate_id";

static enum kv_status op_application_put(struct store *st,
					 struct application *ap,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_APPLICATION_PUT, e);
	if (!q)
		return KV_IO;
	ap->updated_at = now_or(ap->updated_at);
	sqlite3_bind_int64(q, 1, ap->candidate_id);
	sqlite3_bind_int64(q, 2, ap->procedure_id);
	bind_text(q, 3, ap->answers ? ap->answers : "{}");
	sqlite3_bind_int64(q, 4, ap->updated_at);
	bind_opt(q, 5, ap->updated_by);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		ap->submitted_at = sqlite3_column_int64(q, 0);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_INVALID, "candidate",
			    _("This candidate belongs to another procedure."));
	} else if ((rc & 0xff) == SQLITE_CONSTRAINT &&
		   rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		r = kv_fail(e, KV_INVALID, "candidate",
			    _("This procedure has no such candidate."));
	} else {
		r = constraint_fail(s, rc, application_checks,
				    N_APPLICATION_CHECKS, e);
	}
	done(s, q);
	return r;
}

static void application_row(sqlite3_stmt *q, arena *a, struct application *ap)
{
	memset(ap, 0, sizeof *ap);
	ap->candidate_id = sqlite3_column_int64(q, 0);
	ap->procedure_id = sqlite3_column_int64(q, 1);
	ap->candidate_name = col_str(a, q, 2);
	ap->answers = col_str(a, q, 3);
	ap->submitted_at = sqlite3_column_int64(q, 4);
	ap->updated_at = sqlite3_column_int64(q, 5);
	ap->updated_by = sqlite3_column_int64(q, 6);
	ap->n_documents = sqlite3_column_int(q, 7);
}

static enum kv_status op_application_get(struct store *st,
					 int64_t procedure_id,
					 int64_t candidate_id, arena *a,
					 struct application *ap,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	memset(ap, 0, sizeof *ap);
	sqlite3_stmt *q = prep(s, SQL_APPLICATION_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, candidate_id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		application_row(q, a, ap);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This candidate has not applied yet."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_application_list(struct store *st,
					  int64_t procedure_id, arena *a,
					  struct application **out, int *n,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_APPLICATIONS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		application_row(q, a, &(*out)[(*n)++]);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_DOCUMENT_PUT[] =
	"INSERT INTO application_documents (candidate_id, name, size, sha256, "
	"content, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (candidate_id, name) DO UPDATE SET size = excluded.size, "
	"sha256 = excluded.sha256, content = excluded.content, "
	"uploaded_at = excluded.uploaded_at RETURNING id";
static const char SQL_DOCUMENTS_OF[] =
	"SELECT id, candidate_id, name, size, sha256, uploaded_at "
	"FROM application_documents WHERE candidate_id = ?1 ORDER BY name";

static enum kv_status op_document_put(struct store *st,
				      struct application_document *d,
				      struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_DOCUMENT_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, d->candidate_id);
	bind_text(q, 2, d->name);
	sqlite3_bind_int64(q, 3, d->size);
	sqlite3_bind_blob(q, 4, d->sha256, sizeof d->sha256, SQLITE_TRANSIENT);
	sqlite3_bind_blob64(q, 5, d->content ? (const void *)d->content : "",
			    (sqlite3_uint64)d->size, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, now_or(d->uploaded_at));
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		d->id = sqlite3_column_int64(q, 0);
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "candidate",
			    _("Save the application before adding "
			      "documents."));
	else
		r = constraint_fail(s, rc, application_checks,
				    N_APPLICATION_CHECKS, e);
	done(s, q);
	return r;
}

static enum kv_status op_document_list(struct store *st, int64_t candidate_id,
				       arena *a,
				       struct application_document **out,
				       int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_DOCUMENTS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, candidate_id);
	int cap = 0, rc;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct application_document *d = &(*out)[(*n)++];
		memset(d, 0, sizeof *d);
		d->id = sqlite3_column_int64(q, 0);
		d->candidate_id = sqlite3_column_int64(q, 1);
		d->name = col_str(a, q, 2);
		d->size = sqlite3_column_int64(q, 3);
		if (col_blob(q, 4, d->sha256, sizeof d->sha256) < 0)
			r = corrupt(e, _("document"), NULL);
		d->uploaded_at = sqlite3_column_int64(q, 5);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_DOCUMENT_PUT_ZERO[] =
	"INSERT INTO application_documents (candidate_id, name, size, sha256, "
	"content, uploaded_at) VALUES (?1, ?2, ?3, ?4, zeroblob(?3), ?5) "
	"ON CONFLICT (candidate_id, name) DO UPDATE SET size = excluded.size, "
	"sha256 = excluded.sha256, content = excluded.content, "
	"uploaded_at = excluded.uploaded_at RETURNING id";

static enum kv_status op_document_put_stream(struct store *st,
					     struct application_document *d,
					     long (*read)(void *ctx, void *b, size_t n),
					     void *ctx, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_DOCUMENT_PUT_ZERO, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, d->candidate_id);
	bind_text(q, 2, d->name);
	sqlite3_bind_int64(q, 3, d->size);
	sqlite3_bind_blob(q, 4, d->sha256, sizeof d->sha256, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 5, now_or(d->uploaded_at));
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		d->id = sqlite3_column_int64(q, 0);
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "candidate",
			    _("Save the application before adding "
			      "documents."));
	else
		r = constraint_fail(s, rc, application_checks,
				    N_APPLICATION_CHECKS, e);
	done(s, q);
	if (r != KV_OK)
		return r;
	sqlite3_blob *blob = NULL;
	rc = sqlite3_blob_open(s->db, "main", "application_documents", "content",
			       d->id, 1, &blob);
	if (rc != SQLITE_OK)
		return db_fail(s, rc, e);
	unsigned char buf[64 * 1024];
	int64_t off = 0;
	long n;
	while (r == KV_OK && (n = read(ctx, buf, sizeof buf)) > 0) {
		if (off + n > d->size) {
			r = kv_fail(e, KV_IO, "", _("The document changed while it was stored."));
			break;
		}
		rc = sqlite3_blob_write(blob, buf, (int)n, (int)off);
		if (rc != SQLITE_OK)
			r = db_fail(s, rc, e);
		off += n;
	}
	if (r == KV_OK && off != d->size)
		r = kv_fail(e, KV_IO, "", _("The document could not be read back whole."));
	sqlite3_blob_close(blob);
	return r;
}

static const char SQL_DOCUMENT_GET[] =
	"SELECT id, candidate_id, name, size, sha256, uploaded_at, content "
	"FROM application_documents WHERE candidate_id = ?1 AND id = ?2";

static enum kv_status op_document_get(struct store *st, int64_t candidate_id,
				      int64_t id, arena *a,
				      struct application_document *d,
				      struct kv_error *e)
{
	struct sq *s = SQ(st);
	memset(d, 0, sizeof *d);
	sqlite3_stmt *q = prep(s, SQL_DOCUMENT_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, candidate_id);
	sqlite3_bind_int64(q, 2, id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		d->id = sqlite3_column_int64(q, 0);
		d->candidate_id = sqlite3_column_int64(q, 1);
		d->name = col_str(a, q, 2);
		d->size = sqlite3_column_int64(q, 3);
		d->uploaded_at = sqlite3_column_int64(q, 5);
		if (col_blob(q, 4, d->sha256, sizeof d->sha256) < 0 ||
		    !col_content(q, 6, a, d->size, &d->content))
			r = corrupt(e, _("document"), NULL);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "", _("There is no such document."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

/* --- staged selection (schema v7) ----------------------------------------- */

static const struct constraint_msg score_checks[] = {
	{"score_motivation", "motivation",
	 N_("A motivation has 1 to 4000 characters.")},
	{"selection_scores.motivation", "motivation",
	 N_("A motivation has 1 to 4000 characters.")},
	{"score_points", "points", N_("Points lie between 0 and 1000.")},
	{"round_max_admitted", "max_admitted",
	 N_("Admit at least one candidate.")},
};
#define N_SCORE_CHECKS ((int)(sizeof score_checks / sizeof *score_checks))

static const char SQL_SCORE_PUT[] =
	"INSERT INTO selection_scores (candidate_id, criterion_id, passed, "
	"points, motivation, assessed_by, assessed_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	"ON CONFLICT (candidate_id, criterion_id) DO UPDATE SET "
	"passed = excluded.passed, points = excluded.points, "
	"motivation = excluded.motivation, assessed_by = excluded.assessed_by, "
	"assessed_at = excluded.assessed_at";
static const char SQL_SCORES_OF[] =
	"SELECT sc.candidate_id, sc.criterion_id, cr.key, sc.passed, sc.points, "
	"sc.motivation, sc.assessed_by, sc.assessed_at FROM selection_scores sc "
	"JOIN selection_criteria cr ON cr.id = sc.criterion_id "
	"WHERE cr.procedure_id = ?1 ORDER BY sc.candidate_id, sc.criterion_id";
static const char SQL_ROUND_INSERT[] =
	"INSERT INTO selection_rounds (procedure_id, number, max_admitted, "
	"published_at, published_by) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_RESULT_INSERT[] =
	"INSERT INTO selection_results (round_id, candidate_id, outcome, rank, "
	"points, cutoff, tie_broken, failed_key, reason) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_ROUND_LAST[] =
	"SELECT id, procedure_id, number, max_admitted, published_at, "
	"published_by FROM selection_rounds WHERE procedure_id = ?1 "
	"AND published_at IS NOT NULL ORDER BY number DESC LIMIT 1";
static const char SQL_ROUNDS_OF[] =
	"SELECT id, procedure_id, number, max_admitted, published_at, "
	"published_by FROM selection_rounds WHERE procedure_id = ?1 "
	"AND published_at IS NOT NULL ORDER BY number";
static const char SQL_RESULTS_OF[] =
	"SELECT r.round_id, r.candidate_id, c.name, r.outcome, r.rank, r.points, "
	"r.cutoff, r.tie_broken, r.failed_key, r.reason FROM selection_results r "
	"JOIN candidates c ON c.id = r.candidate_id WHERE r.round_id = ?1 "
	"AND (?2 = 0 OR r.candidate_id = ?2) "
	"ORDER BY r.outcome = 'excluded', r.rank, r.candidate_id";

static enum kv_status op_score_put(struct store *st,
				   const struct selection_score *sc,
				   struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_SCORE_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, sc->candidate_id);
	sqlite3_bind_int64(q, 2, sc->criterion_id);
	sqlite3_bind_int(q, 3, sc->passed ? 1 : 0);
	sqlite3_bind_int(q, 4, sc->points);
	bind_text(q, 5, sc->motivation);
	bind_opt(q, 6, sc->assessed_by);
	sqlite3_bind_int64(q, 7, now_or(sc->assessed_at));
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "candidate",
			    _("There is no such candidate or criterion."));
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, score_checks, N_SCORE_CHECKS, e);
	done(s, q);
	return r;
}

static enum kv_status op_score_list(struct store *st, int64_t procedure_id,
				    arena *a, struct selection_score **out,
				    int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_SCORES_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct selection_score *sc = &(*out)[(*n)++];
		memset(sc, 0, sizeof *sc);
		sc->candidate_id = sqlite3_column_int64(q, 0);
		sc->criterion_id = sqlite3_column_int64(q, 1);
		sc->criterion_key = col_str(a, q, 2);
		sc->passed = sqlite3_column_int(q, 3) != 0;
		sc->points = sqlite3_column_int(q, 4);
		sc->motivation = col_str(a, q, 5);
		sc->assessed_by = sqlite3_column_int64(q, 6);
		sc->assessed_at = sqlite3_column_int64(q, 7);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_selection_publish(struct store *st,
					   struct selection_round *rd,
					   const struct selection_result_rec *res,
					   int n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_ROUND_INSERT, e);
	if (!q)
		return KV_IO;
	rd->published_at = now_or(rd->published_at);
	sqlite3_bind_int64(q, 1, rd->procedure_id);
	sqlite3_bind_int(q, 2, rd->number);
	sqlite3_bind_int(q, 3, rd->max_admitted);
	sqlite3_bind_int64(q, 4, rd->published_at);
	bind_opt(q, 5, rd->published_by);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "",
			    _("This selection round has been published "
			      "already."));
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, score_checks, N_SCORE_CHECKS, e);
	else
		rd->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	for (int i = 0; r == KV_OK && i < n; i++) {
		q = prep(s, SQL_RESULT_INSERT, e);
		if (!q)
			return KV_IO;
		sqlite3_bind_int64(q, 1, rd->id);
		sqlite3_bind_int64(q, 2, res[i].candidate_id);
		bind_text(q, 3, sel_outcome_code(res[i].outcome));
		sqlite3_bind_int(q, 4, res[i].rank);
		sqlite3_bind_int(q, 5, res[i].points);
		sqlite3_bind_int(q, 6, res[i].cutoff);
		sqlite3_bind_int(q, 7, res[i].tie_broken ? 1 : 0);
		bind_text(q, 8, res[i].failed_key);
		bind_text(q, 9, res[i].reason ? res[i].reason : "");
		rc = run(q);
		if (rc != SQLITE_OK)
			r = db_fail(s, rc, e);
		done(s, q);
	}
	return r;
}

static enum kv_status op_selection_round_last(struct store *st,
					      int64_t procedure_id,
					      struct selection_round *rd,
					      struct kv_error *e)
{
	struct sq *s = SQ(st);
	memset(rd, 0, sizeof *rd);
	sqlite3_stmt *q = prep(s, SQL_ROUND_LAST, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		rd->id = sqlite3_column_int64(q, 0);
		rd->procedure_id = sqlite3_column_int64(q, 1);
		rd->number = sqlite3_column_int(q, 2);
		rd->max_admitted = sqlite3_column_int(q, 3);
		rd->published_at = sqlite3_column_int64(q, 4);
		rd->published_by = sqlite3_column_int64(q, 5);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("No selection has been published."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

static enum kv_status op_selection_round_list(struct store *st,
					      int64_t procedure_id, arena *a,
					      struct selection_round **out,
					      int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_ROUNDS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct selection_round *rd = &(*out)[(*n)++];
		rd->id = sqlite3_column_int64(q, 0);
		rd->procedure_id = sqlite3_column_int64(q, 1);
		rd->number = sqlite3_column_int(q, 2);
		rd->max_admitted = sqlite3_column_int(q, 3);
		rd->published_at = sqlite3_column_int64(q, 4);
		rd->published_by = sqlite3_column_int64(q, 5);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_selection_results(struct store *st, int64_t round_id,
					   int64_t candidate_id, arena *a,
					   struct selection_result_rec **out,
					   int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_RESULTS_OF, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, round_id);
	sqlite3_bind_int64(q, 2, candidate_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct selection_result_rec *x = &(*out)[(*n)++];
		memset(x, 0, sizeof *x);
		x->round_id = sqlite3_column_int64(q, 0);
		x->candidate_id = sqlite3_column_int64(q, 1);
		x->candidate_name = col_str(a, q, 2);
		int o = sel_outcome_from_code(
			(const char *)sqlite3_column_text(q, 3));
		x->outcome = o < 0 ? SEL_EXCLUDED : (enum sel_outcome)o;
		x->rank = sqlite3_column_int(q, 4);
		x->points = sqlite3_column_int(q, 5);
		x->cutoff = sqlite3_column_int(q, 6);
		x->tie_broken = sqlite3_column_int(q, 7) != 0;
		x->failed_key = sqlite3_column_type(q, 8) == SQLITE_NULL
					? NULL : col_str(a, q, 8);
		x->reason = col_str(a, q, 9);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- dialogue rounds (schema v8) ------------------------------------------- */

static const struct constraint_msg dialogue_checks[] = {
	{"dialogue_document_name", "name",
	 N_("A file name has 1 to 200 characters.")},
	{"dialogue_document_size", "content",
	 N_("A document has 1 byte to 5 MiB.")},
	{"dialogue_meeting_place", "place",
	 N_("A meeting's place has 1 to 200 characters.")},
	{"dialogue_minutes", "minutes",
	 N_("Minutes have 1 to 20000 characters.")},
	{"dialogue_feedback_text", "text",
	 N_("Feedback has 1 to 8000 characters.")},
};
#define N_DIALOGUE_CHECKS ((int)(sizeof dialogue_checks / sizeof *dialogue_checks))

static const char *const dialogue_doc_codes[] = {"plan", "minutes"};

static enum kv_status dialogue_fk(struct kv_error *e)
{
	return kv_fail(e, KV_INVALID, "candidate",
		       _("This procedure has no such candidate."));
}

static const char SQL_DIALOGUE_DUE_SET[] =
	"INSERT INTO dialogue_rounds (procedure_id, round, plan_due, set_at, "
	"set_by) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (procedure_id, round) "
	"DO UPDATE SET plan_due = excluded.plan_due, set_at = excluded.set_at, "
	"set_by = excluded.set_by";
static const char SQL_DIALOGUE_DUES[] =
	"SELECT procedure_id, round, plan_due, set_at, set_by "
	"FROM dialogue_rounds WHERE procedure_id = ?1 ORDER BY round";

static enum kv_status op_dialogue_due_set(struct store *st,
					  const struct dialogue_due *d,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_DUE_SET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, d->procedure_id);
	sqlite3_bind_int(q, 2, d->round);
	sqlite3_bind_int64(q, 3, d->plan_due);
	sqlite3_bind_int64(q, 4, now_or(d->set_at));
	bind_opt(q, 5, d->set_by);
	int rc = run(q);
	enum kv_status r = rc == SQLITE_OK ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_dialogue_due_list(struct store *st,
					   int64_t procedure_id, arena *a,
					   struct dialogue_due **out, int *n,
					   struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_DUES, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct dialogue_due *d = &(*out)[(*n)++];
		d->procedure_id = sqlite3_column_int64(q, 0);
		d->round = sqlite3_column_int(q, 1);
		d->plan_due = sqlite3_column_int64(q, 2);
		d->set_at = sqlite3_column_int64(q, 3);
		d->set_by = sqlite3_column_int64(q, 4);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_DIALOGUE_DOC_PUT[] =
	"INSERT INTO dialogue_documents (procedure_id, candidate_id, round, "
	"kind, name, content_type, size, sha256, content, uploaded_at, "
	"uploaded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
	"ON CONFLICT (procedure_id, candidate_id, round, kind) DO UPDATE SET "
	"name = excluded.name, content_type = excluded.content_type, "
	"size = excluded.size, sha256 = excluded.sha256, "
	"content = excluded.content, uploaded_at = excluded.uploaded_at, "
	"uploaded_by = excluded.uploaded_by RETURNING id";
static const char SQL_DIALOGUE_DOCS[] =
	"SELECT id, procedure_id, candidate_id, round, kind, name, "
	"content_type, size, sha256, uploaded_at, uploaded_by "
	"FROM dialogue_documents WHERE procedure_id = ?1 "
	"AND (?2 = 0 OR candidate_id = ?2) "
	"ORDER BY round, candidate_id, kind = 'minutes'";
static const char SQL_DIALOGUE_DOC_GET[] =
	"SELECT id, procedure_id, candidate_id, round, kind, name, "
	"content_type, size, sha256, uploaded_at, uploaded_by, content "
	"FROM dialogue_documents WHERE procedure_id = ?1 AND id = ?2";

static enum kv_status op_dialogue_document_put(struct store *st,
					       struct dialogue_document *d,
					       struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_DOC_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, d->procedure_id);
	sqlite3_bind_int64(q, 2, d->candidate_id);
	sqlite3_bind_int(q, 3, d->round);
	bind_text(q, 4, code_of(dialogue_doc_codes, 2, (int)d->kind));
	bind_text(q, 5, d->name);
	bind_text(q, 6, d->content_type);
	sqlite3_bind_int64(q, 7, d->size);
	sqlite3_bind_blob(q, 8, d->sha256, sizeof d->sha256, SQLITE_TRANSIENT);
	sqlite3_bind_blob64(q, 9, d->content ? (const void *)d->content : "",
			    (sqlite3_uint64)(d->content ? d->size : 0),
			    SQLITE_STATIC);
	sqlite3_bind_int64(q, 10, now_or(d->uploaded_at));
	bind_opt(q, 11, d->uploaded_by);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		d->id = sqlite3_column_int64(q, 0);
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = dialogue_fk(e);
	else
		r = constraint_fail(s, rc, dialogue_checks, N_DIALOGUE_CHECKS,
				    e);
	done(s, q);
	return r;
}

static enum kv_status dialogue_doc_row(sqlite3_stmt *q, arena *a,
				       struct dialogue_document *d,
				       struct kv_error *e)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(q, 0);
	d->procedure_id = sqlite3_column_int64(q, 1);
	d->candidate_id = sqlite3_column_int64(q, 2);
	d->round = sqlite3_column_int(q, 3);
	int k = code_find(dialogue_doc_codes, 2, col_code(q, 4));
	if (k < 0)
		return corrupt(e, _("document kind"), col_code(q, 4));
	d->kind = (enum dialogue_doc_kind)k;
	d->name = col_str(a, q, 5);
	d->content_type = col_str(a, q, 6);
	d->size = sqlite3_column_int64(q, 7);
	if (col_blob(q, 8, d->sha256, sizeof d->sha256) < 0)
		return corrupt(e, _("document"), NULL);
	d->uploaded_at = sqlite3_column_int64(q, 9);
	d->uploaded_by = sqlite3_column_int64(q, 10);
	return KV_OK;
}

static enum kv_status op_dialogue_document_list(struct store *st,
						int64_t procedure_id,
						int64_t candidate_id, arena *a,
						struct dialogue_document **out,
						int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_DOCS, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, candidate_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		r = dialogue_doc_row(q, a, &(*out)[(*n)++], e);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_dialogue_document_get(struct store *st,
					       int64_t procedure_id, int64_t id,
					       arena *a,
					       struct dialogue_document *d,
					       struct kv_error *e)
{
	struct sq *s = SQ(st);
	memset(d, 0, sizeof *d);
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_DOC_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		r = dialogue_doc_row(q, a, d, e);
		if (r == KV_OK && !col_content(q, 11, a, d->size, &d->content))
			r = corrupt(e, _("document"), NULL);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("There is no such dialogue document."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

static const char SQL_DIALOGUE_MEETING_PUT[] =
	"INSERT INTO dialogue_meetings (procedure_id, candidate_id, round, at, "
	"place, planned_at, planned_by, minutes, minutes_at, minutes_by) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
	"ON CONFLICT (procedure_id, candidate_id, round) DO UPDATE SET "
	"at = excluded.at, place = excluded.place, "
	"planned_at = excluded.planned_at, planned_by = excluded.planned_by, "
	"minutes = excluded.minutes, minutes_at = excluded.minutes_at, "
	"minutes_by = excluded.minutes_by";
static const char SQL_DIALOGUE_MEETINGS[] =
	"SELECT procedure_id, candidate_id, round, at, place, planned_at, "
	"planned_by, minutes, minutes_at, minutes_by FROM dialogue_meetings "
	"WHERE procedure_id = ?1 AND (?2 = 0 OR candidate_id = ?2) "
	"ORDER BY round, candidate_id";

static enum kv_status op_dialogue_meeting_put(struct store *st,
					      const struct dialogue_meeting *m,
					      struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_MEETING_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, m->procedure_id);
	sqlite3_bind_int64(q, 2, m->candidate_id);
	sqlite3_bind_int(q, 3, m->round);
	sqlite3_bind_int64(q, 4, m->at);
	bind_text(q, 5, m->place);
	sqlite3_bind_int64(q, 6, now_or(m->planned_at));
	bind_opt(q, 7, m->planned_by);
	bind_text(q, 8, m->minutes);
	bind_opt(q, 9, m->minutes_at);
	bind_opt(q, 10, m->minutes_by);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = dialogue_fk(e);
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, dialogue_checks, N_DIALOGUE_CHECKS,
				    e);
	done(s, q);
	return r;
}

static enum kv_status op_dialogue_meeting_list(struct store *st,
					       int64_t procedure_id,
					       int64_t candidate_id, arena *a,
					       struct dialogue_meeting **out,
					       int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_MEETINGS, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, candidate_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct dialogue_meeting *m = &(*out)[(*n)++];
		memset(m, 0, sizeof *m);
		m->procedure_id = sqlite3_column_int64(q, 0);
		m->candidate_id = sqlite3_column_int64(q, 1);
		m->round = sqlite3_column_int(q, 2);
		m->at = sqlite3_column_int64(q, 3);
		m->place = col_str(a, q, 4);
		m->planned_at = sqlite3_column_int64(q, 5);
		m->planned_by = sqlite3_column_int64(q, 6);
		m->minutes = col_str(a, q, 7);
		m->minutes_at = sqlite3_column_int64(q, 8);
		m->minutes_by = sqlite3_column_int64(q, 9);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_DIALOGUE_FEEDBACK_PUT[] =
	"INSERT INTO dialogue_feedback (procedure_id, candidate_id, round, "
	"text, written_at, written_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (procedure_id, candidate_id, round) DO UPDATE SET "
	"text = excluded.text, written_at = excluded.written_at, "
	"written_by = excluded.written_by";
static const char SQL_DIALOGUE_FEEDBACK_STATE[] =
	"SELECT published_at FROM dialogue_feedback WHERE procedure_id = ?1 "
	"AND candidate_id = ?2 AND round = ?3";
static const char SQL_DIALOGUE_FEEDBACK_PUBLISH[] =
	"UPDATE dialogue_feedback SET published_at = ?4, published_by = ?5 "
	"WHERE procedure_id = ?1 AND candidate_id = ?2 AND round = ?3 "
	"AND published_at IS NULL";
static const char SQL_DIALOGUE_FEEDBACKS[] =
	"SELECT procedure_id, candidate_id, round, text, written_at, "
	"written_by, published_at, published_by FROM dialogue_feedback "
	"WHERE procedure_id = ?1 AND (?2 = 0 OR candidate_id = ?2) "
	"ORDER BY round, candidate_id";

/* 1: published, 0: a draft, -1: none; -2 with e filled on failure. */
static int feedback_state(struct sq *s, int64_t procedure_id,
			  int64_t candidate_id, int round, struct kv_error *e)
{
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_FEEDBACK_STATE, e);
	if (!q)
		return -2;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, candidate_id);
	sqlite3_bind_int(q, 3, round);
	int rc = sqlite3_step(q), out;
	if (rc == SQLITE_ROW)
		out = sqlite3_column_type(q, 0) == SQLITE_NULL ? 0 : 1;
	else if (rc == SQLITE_DONE)
		out = -1;
	else {
		db_fail(s, rc, e);
		out = -2;
	}
	done(s, q);
	return out;
}

static enum kv_status op_dialogue_feedback_put(struct store *st,
					       const struct dialogue_feedback *f,
					       struct kv_error *e)
{
	struct sq *s = SQ(st);
	int state = feedback_state(s, f->procedure_id, f->candidate_id,
				   f->round, e);
	if (state == -2)
		return e->status;
	if (state == 1)
		return kv_fail(e, KV_CONFLICT, "",
			       _("This feedback has been published; it cannot "
				 "change any more."));
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_FEEDBACK_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, f->procedure_id);
	sqlite3_bind_int64(q, 2, f->candidate_id);
	sqlite3_bind_int(q, 3, f->round);
	bind_text(q, 4, f->text);
	sqlite3_bind_int64(q, 5, now_or(f->written_at));
	bind_opt(q, 6, f->written_by);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = dialogue_fk(e);
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, dialogue_checks, N_DIALOGUE_CHECKS,
				    e);
	done(s, q);
	return r;
}

static enum kv_status op_dialogue_feedback_publish(struct store *st,
						   int64_t procedure_id,
						   int64_t candidate_id,
						   int round, kv_instant at,
						   int64_t by,
						   struct kv_error *e)
{
	struct sq *s = SQ(st);
	int state = feedback_state(s, procedure_id, candidate_id, round, e);
	if (state == -2)
		return e->status;
	if (state == 1)
		return kv_fail(e, KV_CONFLICT, "",
			       _("This feedback has been published already."));
	if (state == -1)
		return kv_fail(e, KV_NOT_FOUND, "text",
			       _("Write the feedback before publishing it."));
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_FEEDBACK_PUBLISH, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, candidate_id);
	sqlite3_bind_int(q, 3, round);
	sqlite3_bind_int64(q, 4, now_or(at));
	bind_opt(q, 5, by);
	int rc = run(q);
	enum kv_status r = rc == SQLITE_OK ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_dialogue_feedback_list(struct store *st,
						int64_t procedure_id,
						int64_t candidate_id, arena *a,
						struct dialogue_feedback **out,
						int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_DIALOGUE_FEEDBACKS, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, candidate_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct dialogue_feedback *f = &(*out)[(*n)++];
		memset(f, 0, sizeof *f);
		f->procedure_id = sqlite3_column_int64(q, 0);
		f->candidate_id = sqlite3_column_int64(q, 1);
		f->round = sqlite3_column_int(q, 2);
		f->text = col_str(a, q, 3);
		f->written_at = sqlite3_column_int64(q, 4);
		f->written_by = sqlite3_column_int64(q, 5);
		f->published_at = sqlite3_column_int64(q, 6);
		f->published_by = sqlite3_column_int64(q, 7);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- the table of operations --------------------------------------------- */

/* --- evaluation and award (schema v8) ------------------------------------ */

static const struct constraint_msg award_checks[] = {
	{"award_rules", "rules", N_("The award rules must be a JSON object.")},
	{"award_score_motivation", "motivation",
	 N_("Every score needs a motivation (at most 8000 characters).")},
	{"award_consensus_motivation", "motivation",
	 N_("Every consensus score needs a motivation (at most 8000 "
	    "characters).")},
	{"award_exclusion_reason", "reason",
	 N_("Give the reason for excluding the bid (at most 4000 "
	    "characters).")},
	{"objection_summary", "summary",
	 N_("Summarise the objection (at most 4000 characters).")},
	{"objection_outcome", "outcome",
	 N_("Give the outcome (at most 4000 characters).")},
};
#define N_AWARD_CHECKS ((int)(sizeof award_checks / sizeof *award_checks))

/* Runs a prepared write and maps its failure. */
static enum kv_status award_write(struct sq *s, sqlite3_stmt *q,
				  const char *fk_field, const char *fk_msg,
				  struct kv_error *e)
{
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, fk_field, "%s", fk_msg);
	else if (rc != SQLITE_OK)
		r = constraint_fail(s, rc, award_checks, N_AWARD_CHECKS, e);
	done(s, q);
	return r;
}

static const char SQL_SETUP_PUT[] =
	"INSERT INTO award_setups (lot_id, procedure_id, rules, updated_at, "
	"updated_by) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (lot_id) DO "
	"UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at, "
	"updated_by = excluded.updated_by WHERE procedure_id = excluded.procedure_id";
static const char SQL_SETUP_GET[] =
	"SELECT lot_id, procedure_id, rules, updated_at, updated_by, "
	"quality_final_at, quality_final_by FROM award_setups "
	"WHERE procedure_id = ?1 AND lot_id = ?2";
static const char SQL_SETUP_LIST[] =
	"SELECT s.lot_id, s.procedure_id, s.rules, s.updated_at, s.updated_by, "
	"s.quality_final_at, s.quality_final_by FROM award_setups s "
	"JOIN lots l ON l.id = s.lot_id WHERE s.procedure_id = ?1 "
	"ORDER BY l.number";
static const char SQL_QUALITY_FINAL[] =
	"UPDATE award_setups SET quality_final_at = ?2, quality_final_by = ?3 "
	"WHERE lot_id = ?1 AND quality_final_at IS NULL";

static enum kv_status op_award_setup_put(struct store *st,
					 const struct award_setup_rec *r,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_SETUP_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, r->lot_id);
	sqlite3_bind_int64(q, 2, r->procedure_id);
	bind_str(q, 3, r->rules);
	sqlite3_bind_int64(q, 4, now_or(r->updated_at));
	bind_opt(q, 5, r->updated_by);
	enum kv_status rc = award_write(s, q, "lot",
					_("This procedure has no such lot."), e);
	if (rc == KV_OK && sqlite3_changes(s->db) != 1)
		rc = kv_fail(e, KV_INVALID, "lot",
			     _("This procedure has no such lot."));
	return rc;
}

static void setup_row(sqlite3_stmt *q, arena *a, struct award_setup_rec *r)
{
	memset(r, 0, sizeof *r);
	r->lot_id = sqlite3_column_int64(q, 0);
	r->procedure_id = sqlite3_column_int64(q, 1);
	r->rules = col_str(a, q, 2);
	r->updated_at = sqlite3_column_int64(q, 3);
	r->updated_by = sqlite3_column_int64(q, 4);
	r->quality_final_at = sqlite3_column_int64(q, 5);
	r->quality_final_by = sqlite3_column_int64(q, 6);
}

static enum kv_status op_award_setup_get(struct store *st,
					 int64_t procedure_id, int64_t lot_id,
					 arena *a, struct award_setup_rec *r,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_SETUP_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, lot_id);
	int rc = sqlite3_step(q);
	enum kv_status ret = KV_OK;
	if (rc == SQLITE_ROW)
		setup_row(q, a, r);
	else if (rc == SQLITE_DONE)
		ret = kv_fail(e, KV_NOT_FOUND, "lot",
			      _("This lot has no award rules yet."));
	else
		ret = db_fail(s, rc, e);
	done(s, q);
	return ret;
}

/* The rows of q (its ?1 bound to id) through row(), into *out. */
#define LIST_ROWS(SQL, ID, TYPE, ROW)                                      \
	do {                                                               \
		struct sq *s_ = SQ(st);                                    \
		*out = NULL;                                               \
		*n = 0;                                                    \
		sqlite3_stmt *q_ = prep(s_, SQL, e);                       \
		if (!q_)                                                   \
			return KV_IO;                                      \
		sqlite3_bind_int64(q_, 1, ID);                             \
		int cap_ = 0, rc_;                                         \
		while ((rc_ = sqlite3_step(q_)) == SQLITE_ROW) {           \
			*out = grow(a, *out, *n, &cap_, sizeof(TYPE));     \
			ROW(q_, a, &(*out)[(*n)++]);                       \
		}                                                          \
		enum kv_status r_ = rc_ == SQLITE_DONE ? KV_OK             \
						       : db_fail(s_, rc_, e); \
		done(s_, q_);                                              \
		return r_;                                                 \
	} while (0)

static enum kv_status op_award_setup_list(struct store *st,
					  int64_t procedure_id, arena *a,
					  struct award_setup_rec **out, int *n,
					  struct kv_error *e)
{
	LIST_ROWS(SQL_SETUP_LIST, procedure_id, struct award_setup_rec,
		  setup_row);
}

static enum kv_status op_award_quality_final(struct store *st, int64_t lot_id,
					     kv_instant at, int64_t by,
					     struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_QUALITY_FINAL, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, lot_id);
	sqlite3_bind_int64(q, 2, at);
	bind_opt(q, 3, by);
	enum kv_status r = award_write(s, q, "", "", e);
	if (r == KV_OK && sqlite3_changes(s->db) != 1)
		r = kv_fail(e, KV_CONFLICT, "",
			    _("The quality scores of this lot are final "
			      "already."));
	return r;
}

static const char SQL_ASSIGN_CLEAR[] =
	"DELETE FROM award_assignments WHERE lot_id = ?1 AND account_id = ?2";
static const char SQL_ASSIGN_ADD[] =
	"INSERT OR IGNORE INTO award_assignments (lot_id, account_id, "
	"criterion_key) VALUES (?1, ?2, ?3)";
static const char SQL_ASSIGN_LIST[] =
	"SELECT a.lot_id, a.account_id, a.criterion_key, c.email, c.name "
	"FROM award_assignments a JOIN award_setups s ON s.lot_id = a.lot_id "
	"JOIN accounts c ON c.id = a.account_id WHERE s.procedure_id = ?1 "
	"ORDER BY a.lot_id, a.account_id, a.criterion_key";

static enum kv_status op_award_assign(struct store *st, int64_t lot_id,
				      int64_t account_id,
				      const char *const *keys, int nk,
				      struct kv_error *e)
{
	struct sq *s = SQ(st);
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_ASSIGN_CLEAR, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, lot_id);
	sqlite3_bind_int64(q, 2, account_id);
	r = award_write(s, q, "", "", e);
	for (int i = 0; r == KV_OK && i < nk; i++) {
		q = prep(s, SQL_ASSIGN_ADD, e);
		if (!q) {
			r = KV_IO;
			break;
		}
		sqlite3_bind_int64(q, 1, lot_id);
		sqlite3_bind_int64(q, 2, account_id);
		bind_str(q, 3, keys[i]);
		r = award_write(s, q, "assessor",
				_("There is no such assessor or lot."), e);
	}
	return unit_end(s, u, r, e);
}

static void assignment_row(sqlite3_stmt *q, arena *a,
			   struct award_assignment *r)
{
	memset(r, 0, sizeof *r);
	r->lot_id = sqlite3_column_int64(q, 0);
	r->account_id = sqlite3_column_int64(q, 1);
	r->criterion_key = col_str(a, q, 2);
	r->email = col_str(a, q, 3);
	r->name = col_str(a, q, 4);
}

static enum kv_status op_award_assignment_list(struct store *st,
					       int64_t procedure_id, arena *a,
					       struct award_assignment **out,
					       int *n, struct kv_error *e)
{
	LIST_ROWS(SQL_ASSIGN_LIST, procedure_id, struct award_assignment,
		  assignment_row);
}

static const char SQL_SCORE_AWARD_PUT[] =
	"INSERT INTO award_scores (lot_id, candidate_id, criterion_key, "
	"account_id, step, motivation, scored_at) VALUES (?1, ?2, ?3, ?4, ?5, "
	"?6, ?7) ON CONFLICT (lot_id, candidate_id, criterion_key, account_id) "
	"DO UPDATE SET step = excluded.step, motivation = excluded.motivation, "
	"scored_at = excluded.scored_at";
static const char SQL_SCORE_AWARD_LIST[] =
	"SELECT s.lot_id, s.candidate_id, s.account_id, s.criterion_key, "
	"s.step, s.motivation, s.scored_at, a.name FROM award_scores s "
	"JOIN accounts a ON a.id = s.account_id WHERE s.lot_id = ?1 "
	"AND (?2 = 0 OR s.account_id = ?2) "
	"ORDER BY s.candidate_id, s.criterion_key, s.account_id";
static const char SQL_CONSENSUS_PUT[] =
	"INSERT INTO award_consensus (lot_id, candidate_id, criterion_key, "
	"step, motivation, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?5, "
	"?6, ?4, ?7) ON CONFLICT (lot_id, candidate_id, criterion_key) DO "
	"UPDATE SET step = excluded.step, motivation = excluded.motivation, "
	"recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at";
static const char SQL_CONSENSUS_LIST[] =
	"SELECT s.lot_id, s.candidate_id, s.recorded_by, s.criterion_key, "
	"s.step, s.motivation, s.recorded_at, a.name FROM award_consensus s "
	"LEFT JOIN accounts a ON a.id = s.recorded_by WHERE s.lot_id = ?1 "
	"ORDER BY s.candidate_id, s.criterion_key";

static enum kv_status score_put_in(struct store *st, const char *sql,
				   const struct award_score_rec *r,
				   struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, sql, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, r->lot_id);
	sqlite3_bind_int64(q, 2, r->candidate_id);
	bind_str(q, 3, r->criterion_key);
	bind_opt(q, 4, r->account_id);
	sqlite3_bind_int(q, 5, r->step);
	bind_str(q, 6, r->motivation);
	sqlite3_bind_int64(q, 7, now_or(r->at));
	return award_write(s, q, "candidate",
			   _("There is no such candidate or lot."), e);
}

static enum kv_status op_award_score_put(struct store *st,
					 const struct award_score_rec *r,
					 struct kv_error *e)
{
	return score_put_in(st, SQL_SCORE_AWARD_PUT, r, e);
}

static enum kv_status op_award_consensus_put(struct store *st,
					     const struct award_score_rec *r,
					     struct kv_error *e)
{
	return score_put_in(st, SQL_CONSENSUS_PUT, r, e);
}

static void score_row(sqlite3_stmt *q, arena *a, struct award_score_rec *r)
{
	memset(r, 0, sizeof *r);
	r->lot_id = sqlite3_column_int64(q, 0);
	r->candidate_id = sqlite3_column_int64(q, 1);
	r->account_id = sqlite3_column_int64(q, 2);
	r->criterion_key = col_str(a, q, 3);
	r->step = sqlite3_column_int(q, 4);
	r->motivation = col_str(a, q, 5);
	r->at = sqlite3_column_int64(q, 6);
	r->account_name = col_str(a, q, 7);
}

static enum kv_status op_award_score_list(struct store *st, int64_t lot_id,
					  int64_t account_id, arena *a,
					  struct award_score_rec **out, int *n,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_SCORE_AWARD_LIST, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, lot_id);
	sqlite3_bind_int64(q, 2, account_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		score_row(q, a, &(*out)[(*n)++]);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_award_consensus_list(struct store *st,
					      int64_t lot_id, arena *a,
					      struct award_score_rec **out,
					      int *n, struct kv_error *e)
{
	LIST_ROWS(SQL_CONSENSUS_LIST, lot_id, struct award_score_rec,
		  score_row);
}

static const char SQL_SCORECARD_SUBMIT[] =
	"INSERT INTO award_scorecards (lot_id, account_id, submitted_at) "
	"VALUES (?1, ?2, ?3)";
static const char SQL_SCORECARD_LIST[] =
	"SELECT lot_id, account_id, submitted_at FROM award_scorecards "
	"WHERE lot_id = ?1 ORDER BY account_id";

static enum kv_status op_award_scorecard_submit(struct store *st,
						int64_t lot_id,
						int64_t account_id,
						kv_instant at,
						struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_SCORECARD_SUBMIT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, lot_id);
	sqlite3_bind_int64(q, 2, account_id);
	sqlite3_bind_int64(q, 3, now_or(at));
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "",
			    _("These scores have been handed in already."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static void scorecard_row(sqlite3_stmt *q, arena *a, struct award_scorecard *r)
{
	(void)a;
	r->lot_id = sqlite3_column_int64(q, 0);
	r->account_id = sqlite3_column_int64(q, 1);
	r->submitted_at = sqlite3_column_int64(q, 2);
}

static enum kv_status op_award_scorecard_list(struct store *st, int64_t lot_id,
					      arena *a,
					      struct award_scorecard **out,
					      int *n, struct kv_error *e)
{
	LIST_ROWS(SQL_SCORECARD_LIST, lot_id, struct award_scorecard,
		  scorecard_row);
}

static const char SQL_EXCLUSION_PUT[] =
	"INSERT INTO award_exclusions (lot_id, candidate_id, reason, "
	"excluded_by, excluded_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT "
	"(lot_id, candidate_id) DO UPDATE SET reason = excluded.reason, "
	"excluded_by = excluded.excluded_by, excluded_at = excluded.excluded_at";
static const char SQL_EXCLUSION_DELETE[] =
	"DELETE FROM award_exclusions WHERE lot_id = ?1 AND candidate_id = ?2";
static const char SQL_EXCLUSION_LIST[] =
	"SELECT lot_id, candidate_id, reason, excluded_by, excluded_at "
	"FROM award_exclusions WHERE lot_id = ?1 ORDER BY candidate_id";

static enum kv_status op_award_exclusion_set(struct store *st,
					     const struct award_exclusion *x,
					     struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, x->reason ? SQL_EXCLUSION_PUT
					    : SQL_EXCLUSION_DELETE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, x->lot_id);
	sqlite3_bind_int64(q, 2, x->candidate_id);
	if (x->reason) {
		bind_str(q, 3, x->reason);
		bind_opt(q, 4, x->excluded_by);
		sqlite3_bind_int64(q, 5, now_or(x->excluded_at));
	}
	enum kv_status r = award_write(s, q, "candidate",
				       _("There is no such candidate or lot."),
				       e);
	if (r == KV_OK && !x->reason && sqlite3_changes(s->db) != 1)
		r = kv_fail(e, KV_NOT_FOUND, "candidate",
			    _("This bid is not excluded."));
	return r;
}

static void exclusion_row(sqlite3_stmt *q, arena *a, struct award_exclusion *r)
{
	memset(r, 0, sizeof *r);
	r->lot_id = sqlite3_column_int64(q, 0);
	r->candidate_id = sqlite3_column_int64(q, 1);
	r->reason = col_str(a, q, 2);
	r->excluded_by = sqlite3_column_int64(q, 3);
	r->excluded_at = sqlite3_column_int64(q, 4);
}

static enum kv_status op_award_exclusion_list(struct store *st, int64_t lot_id,
					      arena *a,
					      struct award_exclusion **out,
					      int *n, struct kv_error *e)
{
	LIST_ROWS(SQL_EXCLUSION_LIST, lot_id, struct award_exclusion,
		  exclusion_row);
}

static const char SQL_PRICE_PUT[] =
	"INSERT INTO bid_prices (lot_id, procedure_id, candidate_id, "
	"price_cents, submission_id, opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_PRICE_LIST[] =
	"SELECT p.lot_id, p.procedure_id, p.candidate_id, p.price_cents, "
	"p.submission_id, p.opened_at FROM bid_prices p JOIN lots l "
	"ON l.id = p.lot_id WHERE p.procedure_id = ?1 "
	"ORDER BY l.number, p.candidate_id";

static enum kv_status op_bid_price_put(struct store *st,
				       const struct bid_price *p,
				       struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_PRICE_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, p->lot_id);
	sqlite3_bind_int64(q, 2, p->procedure_id);
	sqlite3_bind_int64(q, 3, p->candidate_id);
	sqlite3_bind_int64(q, 4, p->price_cents);
	sqlite3_bind_int64(q, 5, p->submission_id);
	sqlite3_bind_int64(q, 6, now_or(p->opened_at));
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "",
			    _("This bid's price has been opened already."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static void price_row(sqlite3_stmt *q, arena *a, struct bid_price *r)
{
	(void)a;
	r->lot_id = sqlite3_column_int64(q, 0);
	r->procedure_id = sqlite3_column_int64(q, 1);
	r->candidate_id = sqlite3_column_int64(q, 2);
	r->price_cents = sqlite3_column_int64(q, 3);
	r->submission_id = sqlite3_column_int64(q, 4);
	r->opened_at = sqlite3_column_int64(q, 5);
}

static enum kv_status op_bid_price_list(struct store *st, int64_t procedure_id,
					arena *a, struct bid_price **out,
					int *n, struct kv_error *e)
{
	LIST_ROWS(SQL_PRICE_LIST, procedure_id, struct bid_price, price_row);
}

static const char SQL_DECISION_SUPERSEDE[] =
	"UPDATE award_decisions SET status = 'superseded' WHERE lot_id = ?1 "
	"AND status = 'provisional'";
static const char SQL_AWARD_DECISION_INSERT[] =
	"INSERT INTO award_decisions (procedure_id, lot_id, number, "
	"winner_candidate, sent_at, sent_by, standstill_end, doc, "
	"corrected_reason) VALUES (?1, ?2, (SELECT coalesce(max(number), 0) + 1 "
	"FROM award_decisions WHERE lot_id = ?2), ?3, ?4, ?5, ?6, ?7, ?8) "
	"RETURNING id, number";
static const char SQL_AWARD_DECISION_LIST[] =
	"SELECT d.id, d.procedure_id, d.lot_id, d.number, d.winner_candidate, "
	"d.sent_at, d.sent_by, d.standstill_end, d.doc, d.corrected_reason, "
	"d.status, d.definitive_at, d.definitive_by FROM award_decisions d "
	"JOIN lots l ON l.id = d.lot_id WHERE d.procedure_id = ?1 "
	"AND (?2 = 0 OR d.lot_id = ?2) ORDER BY l.number, d.number";
static const char SQL_DECISION_DEFINITIVE[] =
	"UPDATE award_decisions SET status = 'definitive', definitive_at = ?2, "
	"definitive_by = ?3 WHERE id = ?1 AND status = 'provisional'";

static enum kv_status op_award_decision_create(struct store *st,
					       struct award_decision_rec *d,
					       struct kv_error *e)
{
	struct sq *s = SQ(st);
	enum unit u;
	enum kv_status r = unit_begin(s, true, &u, e);
	if (r != KV_OK)
		return r;
	sqlite3_stmt *q = prep(s, SQL_DECISION_SUPERSEDE, e);
	if (!q)
		return unit_end(s, u, KV_IO, e);
	sqlite3_bind_int64(q, 1, d->lot_id);
	r = award_write(s, q, "", "", e);
	if (r == KV_OK && !(q = prep(s, SQL_AWARD_DECISION_INSERT, e)))
		r = KV_IO;
	if (r == KV_OK) {
		sqlite3_bind_int64(q, 1, d->procedure_id);
		sqlite3_bind_int64(q, 2, d->lot_id);
		bind_opt(q, 3, d->winner_candidate);
		sqlite3_bind_int64(q, 4, now_or(d->sent_at));
		bind_opt(q, 5, d->sent_by);
		sqlite3_bind_int64(q, 6, d->standstill_end);
		bind_str(q, 7, d->doc);
		bind_str(q, 8, d->corrected_reason);
		int rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			d->id = sqlite3_column_int64(q, 0);
			d->number = sqlite3_column_int(q, 1);
			d->status = AWARD_PROVISIONAL;
			rc = sqlite3_step(q);
		}
		if (rc != SQLITE_DONE)
			r = db_fail(s, rc, e);
		done(s, q);
	}
	return unit_end(s, u, r, e);
}

static void decision_row(sqlite3_stmt *q, arena *a,
			 struct award_decision_rec *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(q, 0);
	d->procedure_id = sqlite3_column_int64(q, 1);
	d->lot_id = sqlite3_column_int64(q, 2);
	d->number = sqlite3_column_int(q, 3);
	d->winner_candidate = sqlite3_column_int64(q, 4);
	d->sent_at = sqlite3_column_int64(q, 5);
	d->sent_by = sqlite3_column_int64(q, 6);
	d->standstill_end = sqlite3_column_int64(q, 7);
	d->doc = col_str(a, q, 8);
	d->corrected_reason = col_str(a, q, 9);
	const char *st = (const char *)sqlite3_column_text(q, 10);
	d->status = st && strcmp(st, "definitive") == 0 ? AWARD_DEFINITIVE
		    : st && strcmp(st, "superseded") == 0 ? AWARD_SUPERSEDED
							   : AWARD_PROVISIONAL;
	d->definitive_at = sqlite3_column_int64(q, 11);
	d->definitive_by = sqlite3_column_int64(q, 12);
}

static enum kv_status op_award_decision_list(struct store *st,
					     int64_t procedure_id,
					     int64_t lot_id, arena *a,
					     struct award_decision_rec **out,
					     int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_AWARD_DECISION_LIST, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, lot_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		decision_row(q, a, &(*out)[(*n)++]);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_award_decision_definitive(struct store *st,
						   int64_t id, kv_instant at,
						   int64_t by,
						   struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_DECISION_DEFINITIVE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, at);
	bind_opt(q, 3, by);
	enum kv_status r = award_write(s, q, "", "", e);
	if (r == KV_OK && sqlite3_changes(s->db) != 1)
		r = kv_fail(e, KV_CONFLICT, "",
			    _("Only a provisional award decision can become "
			      "definitive."));
	return r;
}

static const char SQL_OBJECTION_INSERT[] =
	"INSERT INTO award_objections (decision_id, candidate_id, kind, "
	"filed_on, summary, recorded_by, recorded_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_OBJECTION_LIST[] =
	"SELECT o.id, o.decision_id, o.candidate_id, o.kind, o.filed_on, "
	"o.summary, o.recorded_by, o.recorded_at, o.closed_on, o.outcome, "
	"c.name FROM award_objections o JOIN award_decisions d "
	"ON d.id = o.decision_id JOIN candidates c ON c.id = o.candidate_id "
	"WHERE d.procedure_id = ?1 ORDER BY o.id";
static const char SQL_OBJECTION_CLOSE[] =
	"UPDATE award_objections SET closed_on = ?3, outcome = ?4 WHERE id = ?2 "
	"AND closed_on IS NULL AND decision_id IN (SELECT id FROM "
	"award_decisions WHERE procedure_id = ?1)";

static enum kv_status op_objection_create(struct store *st,
					  struct award_objection *o,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_OBJECTION_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, o->decision_id);
	sqlite3_bind_int64(q, 2, o->candidate_id);
	bind_text(q, 3, o->kind == OBJECTION_SUMMARY_PROCEEDINGS
			? "summary-proceedings" : "objection");
	sqlite3_bind_int64(q, 4, o->filed_on);
	bind_str(q, 5, o->summary);
	bind_opt(q, 6, o->recorded_by);
	sqlite3_bind_int64(q, 7, now_or(o->recorded_at));
	enum kv_status r = award_write(s, q, "candidate",
				       _("There is no such candidate or "
					 "decision."), e);
	if (r == KV_OK)
		o->id = sqlite3_last_insert_rowid(s->db);
	return r;
}

static void objection_row(sqlite3_stmt *q, arena *a, struct award_objection *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(q, 0);
	o->decision_id = sqlite3_column_int64(q, 1);
	o->candidate_id = sqlite3_column_int64(q, 2);
	const char *k = (const char *)sqlite3_column_text(q, 3);
	o->kind = k && strcmp(k, "summary-proceedings") == 0
		  ? OBJECTION_SUMMARY_PROCEEDINGS : OBJECTION_OBJECTION;
	o->filed_on = sqlite3_column_int64(q, 4);
	o->summary = col_str(a, q, 5);
	o->recorded_by = sqlite3_column_int64(q, 6);
	o->recorded_at = sqlite3_column_int64(q, 7);
	o->closed_on = sqlite3_column_int64(q, 8);
	o->outcome = sqlite3_column_type(q, 9) == SQLITE_NULL
		     ? NULL : col_str(a, q, 9);
	o->candidate_name = col_str(a, q, 10);
}

static enum kv_status op_objection_list(struct store *st, int64_t procedure_id,
					arena *a, struct award_objection **out,
					int *n, struct kv_error *e)
{
	LIST_ROWS(SQL_OBJECTION_LIST, procedure_id, struct award_objection,
		  objection_row);
}

static enum kv_status op_objection_close(struct store *st,
					 int64_t procedure_id, int64_t id,
					 kv_instant on, const char *outcome,
					 struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_OBJECTION_CLOSE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, id);
	sqlite3_bind_int64(q, 3, on);
	bind_str(q, 4, outcome);
	enum kv_status r = award_write(s, q, "", "", e);
	if (r == KV_OK && sqlite3_changes(s->db) != 1)
		r = kv_fail(e, KV_CONFLICT, "",
			    _("There is no such open objection."));
	return r;
}

/* --- the size limit of submissions (schema v10) ---------------------------- */

/* --- a contract's cost model (schema v18) --------------------------------- */

static const char SQL_COST_MODEL_GET[] =
	"SELECT model FROM cost_models WHERE contract_id = ?1";
static const char SQL_COST_MODEL_PUT[] =
	"INSERT INTO cost_models (contract_id, model, updated_at, updated_by) "
	"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (contract_id) DO UPDATE SET "
	"model = excluded.model, updated_at = excluded.updated_at, "
	"updated_by = excluded.updated_by";

static enum kv_status op_cost_model_get(struct store *st, int64_t contract_id,
					arena *a, char **json,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	*json = NULL;
	sqlite3_stmt *q = prep(s, SQL_COST_MODEL_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, contract_id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		*json = col_str(a, q, 0);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This contract has no cost model yet."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_cost_model_put(struct store *st, int64_t contract_id,
					const char *json, kv_instant at,
					int64_t by, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_COST_MODEL_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, contract_id);
	sqlite3_bind_text(q, 2, json, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 3, now_or(at));
	bind_opt(q, 4, by);
	int rc = run(q);
	enum kv_status r = rc == SQLITE_OK ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const char SQL_BID_LIMITS_GET[] =
	"SELECT max_bytes, quota_files, quota_bytes FROM submission_limits "
	"WHERE procedure_id = ?1";
static const char SQL_BID_LIMITS_SET[] =
	"INSERT INTO submission_limits (procedure_id, max_bytes, quota_files, "
	"quota_bytes, set_at, set_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (procedure_id) DO UPDATE SET max_bytes = excluded.max_bytes, "
	"quota_files = excluded.quota_files, quota_bytes = excluded.quota_bytes, "
	"set_at = excluded.set_at, set_by = excluded.set_by";

static enum kv_status op_bid_limits_get(struct store *st, int64_t procedure_id,
					struct bid_limits *out,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = prep(s, SQL_BID_LIMITS_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		out->max_bytes = sqlite3_column_int64(q, 0);
		out->files = sqlite3_column_int(q, 1);
		out->bytes = sqlite3_column_int64(q, 2);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This procedure has no limits of its own."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

static enum kv_status op_bid_limits_set(struct store *st, int64_t procedure_id,
					const struct bid_limits *l,
					kv_instant at, int64_t by,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_BID_LIMITS_SET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, l->max_bytes);
	sqlite3_bind_int(q, 3, l->files);
	sqlite3_bind_int64(q, 4, l->bytes);
	sqlite3_bind_int64(q, 5, now_or(at));
	bind_opt(q, 6, by);
	int rc = run(q);
	enum kv_status r = rc == SQLITE_OK ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* --- the documents of a bid (schema v12) ----------------------------------- */

static const char SQL_BID_DOCUMENT_INSERT[] =
	"INSERT INTO bid_documents (procedure_id, lot_id, name, required, "
	"max_bytes, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_BID_DOCUMENT_LIST[] =
	"SELECT id, procedure_id, lot_id, name, required, max_bytes, created_at, "
	"removed_at FROM bid_documents WHERE procedure_id = ?1 "
	"AND (?2 OR removed_at IS NULL) ORDER BY lot_id, id";
static const char SQL_BID_DOCUMENT_REMOVE[] =
	"UPDATE bid_documents SET removed_at = ?3 "
	"WHERE procedure_id = ?1 AND id = ?2 AND removed_at IS NULL";

static enum kv_status op_bid_document_create(struct store *st,
					     struct bid_document *d, int64_t by,
					     struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_BID_DOCUMENT_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, d->procedure_id);
	sqlite3_bind_int64(q, 2, d->lot_id);
	bind_text(q, 3, d->name);
	sqlite3_bind_int(q, 4, d->required ? 1 : 0);
	sqlite3_bind_int64(q, 5, d->max_bytes);
	sqlite3_bind_int64(q, 6, now_or(d->created_at));
	bind_opt(q, 7, by);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else
		d->id = sqlite3_last_insert_rowid(s->db);
	done(s, q);
	return r;
}

static enum kv_status op_bid_document_list(struct store *st,
					   int64_t procedure_id, bool all,
					   arena *a, struct bid_document **out,
					   int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_BID_DOCUMENT_LIST, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int(q, 2, all ? 1 : 0);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		struct bid_document *d = &(*out)[(*n)++];
		memset(d, 0, sizeof *d);
		d->id = sqlite3_column_int64(q, 0);
		d->procedure_id = sqlite3_column_int64(q, 1);
		d->lot_id = sqlite3_column_int64(q, 2);
		d->name = col_str(a, q, 3);
		d->required = sqlite3_column_int(q, 4) != 0;
		d->max_bytes = sqlite3_column_int64(q, 5);
		d->created_at = sqlite3_column_int64(q, 6);
		d->removed_at = sqlite3_column_int64(q, 7);
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_bid_document_remove(struct store *st,
					     int64_t procedure_id, int64_t id,
					     kv_instant at, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_BID_DOCUMENT_REMOVE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, id);
	sqlite3_bind_int64(q, 3, now_or(at));
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else if (sqlite3_changes(s->db) != 1)
		r = kv_fail(e, KV_NOT_FOUND, "document",
			    _("This lot asks for no such document."));
	done(s, q);
	return r;
}

/* --- organisation accounts and their claims (schema v13) ------------------ */

static const char SQL_CLAIM_INSERT[] =
	"INSERT INTO org_claims (org_id, name, address, created_at, created_by) "
	"VALUES (?1, ?2, ?3, ?4, ?5)";
#define CLAIM_COLS "c.id, c.org_id, c.name, c.address, o.kvk, c.created_at, " \
	"c.created_by"
static const char SQL_CLAIM_GET[] =
	"SELECT " CLAIM_COLS " FROM org_claims c "
	"JOIN organisations o ON o.id = c.org_id WHERE c.id = ?1";
static const char SQL_CLAIM_OF_ACCOUNT[] =
	"SELECT " CLAIM_COLS " FROM claim_users u "
	"JOIN org_claims c ON c.id = u.claim_id "
	"JOIN organisations o ON o.id = c.org_id WHERE u.account_id = ?1";
static const char SQL_CLAIM_USER_INSERT[] =
	"INSERT INTO claim_users (account_id, claim_id, admin, joined_at) "
	"VALUES (?1, ?2, ?3, ?4)";
static const char SQL_CLAIM_USERS[] =
	"SELECT u.account_id, u.claim_id, a.email, a.name, u.admin, u.joined_at "
	"FROM claim_users u JOIN accounts a ON a.id = u.account_id "
	"WHERE u.claim_id = ?1 ORDER BY u.admin DESC, a.name COLLATE NOCASE, a.id";
static const char SQL_CLAIM_CANDIDATE_SET[] =
	"INSERT INTO candidate_claims (candidate_id, claim_id) VALUES (?1, ?2) "
	"ON CONFLICT (candidate_id) DO UPDATE SET claim_id = excluded.claim_id";
/* Registered by the claim (penvoerder), or naming the claim's KvK number
 * as a member; with the member's confirmation, if any. */
static const char SQL_CLAIM_CANDIDATES[] =
	"SELECT k.id, k.procedure_id, p.tenant_id, k.name, p.reference, p.title, "
	"t.name, 'penvoerder', 0 FROM candidate_claims cc "
	"JOIN candidates k ON k.id = cc.candidate_id "
	"JOIN procedures p ON p.id = k.procedure_id "
	"JOIN organisations t ON t.id = p.tenant_id WHERE cc.claim_id = ?1 "
	"UNION ALL "
	"SELECT k.id, k.procedure_id, p.tenant_id, k.name, p.reference, p.title, "
	"t.name, cp.role, ifnull(pc.claim_id, 0) FROM candidate_parties cp "
	"JOIN candidates k ON k.id = cp.candidate_id "
	"JOIN procedures p ON p.id = k.procedure_id "
	"JOIN organisations t ON t.id = p.tenant_id "
	"LEFT JOIN party_confirmations pc ON pc.candidate_id = cp.candidate_id "
	"AND pc.org_id = cp.org_id "
	"WHERE cp.org_id = ?2 AND cp.role = 'member' "
	"ORDER BY 1 DESC";
static const char SQL_CANDIDATE_CLAIMS[] =
	"SELECT k.id, ifnull(cc.claim_id, 0), c.name, "
	"(SELECT a.email FROM claim_users u JOIN accounts a ON a.id = u.account_id "
	" WHERE u.claim_id = cc.claim_id ORDER BY u.admin DESC, a.id LIMIT 1), "
	"ifnull(v.genuine, -1), v.reason, ifnull(v.decided_at, 0), d.name "
	"FROM candidates k LEFT JOIN candidate_claims cc ON cc.candidate_id = k.id "
	"LEFT JOIN org_claims c ON c.id = cc.claim_id "
	"LEFT JOIN claim_verdicts v ON v.candidate_id = k.id "
	"LEFT JOIN accounts d ON d.id = v.decided_by "
	"WHERE k.procedure_id = ?1 ORDER BY k.id";
static const char SQL_CLAIM_VERDICT_PUT[] =
	"INSERT INTO claim_verdicts (candidate_id, genuine, reason, decided_at, "
	"decided_by) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (candidate_id) DO "
	"UPDATE SET genuine = excluded.genuine, reason = excluded.reason, "
	"decided_at = excluded.decided_at, decided_by = excluded.decided_by";
static const char SQL_PARTY_CONFIRM[] =
	"INSERT INTO party_confirmations (candidate_id, org_id, claim_id, "
	"confirmed_at, confirmed_by) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_PARTY_CONFIRMATIONS[] =
	"SELECT pc.candidate_id, pc.org_id, pc.claim_id, c.name, pc.confirmed_at, "
	"pc.confirmed_by FROM party_confirmations pc "
	"JOIN candidates k ON k.id = pc.candidate_id "
	"JOIN org_claims c ON c.id = pc.claim_id "
	"WHERE k.procedure_id = ?1 ORDER BY pc.candidate_id, pc.org_id";
static const char SQL_INVITATION_INSERT[] =
	"INSERT INTO org_invitations (claim_id, email, token_hash, created_at, "
	"created_by, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
#define INVITATION_COLS "id, claim_id, email, token_hash, created_at, " \
	"expires_at, ifnull(used_at, 0), created_by, ifnull(used_by, 0)"
static const char SQL_INVITATION_BY_HASH[] =
	"SELECT " INVITATION_COLS " FROM org_invitations WHERE token_hash = ?1";
static const char SQL_INVITATION_USE[] =
	"UPDATE org_invitations SET used_at = ?2, used_by = ?3 "
	"WHERE id = ?1 AND used_at IS NULL";
static const char SQL_INVITATIONS[] =
	"SELECT " INVITATION_COLS " FROM org_invitations WHERE claim_id = ?1 "
	"ORDER BY id DESC";

/* Runs a write of the claims' tables: KV_CONFLICT with msg on a unique
 * key, KV_INVALID on a foreign key (something named does not exist). */
static enum kv_status claim_write(struct sq *s, sqlite3_stmt *q,
				  const char *conflict, struct kv_error *e)
{
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (is_unique(rc))
		r = kv_fail(e, KV_CONFLICT, "", "%s", conflict);
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		r = kv_fail(e, KV_INVALID, "",
			    _("The organisation, account or candidate named "
			      "does not exist."));
	else if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

/* Steps q to its end, adding a row of elem bytes per result with fill. */
static enum kv_status claim_rows(struct sq *s, sqlite3_stmt *q, arena *a,
				 void **out, int *n, size_t elem,
				 void (*fill)(sqlite3_stmt *, arena *, void *),
				 struct kv_error *e)
{
	*out = NULL;
	*n = 0;
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, elem);
		void *row = (char *)*out + (size_t)*n * elem;
		memset(row, 0, elem);
		fill(q, a, row);
		(*n)++;
	}
	enum kv_status r = rc == SQLITE_DONE ? KV_OK : db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_claim_create(struct store *st, struct org_claim *c,
				      struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CLAIM_INSERT, e);
	if (!q)
		return KV_IO;
	c->created_at = now_or(c->created_at);
	sqlite3_bind_int64(q, 1, c->org_id);
	bind_str(q, 2, c->name);
	bind_str(q, 3, c->address);
	sqlite3_bind_int64(q, 4, c->created_at);
	bind_opt(q, 5, c->created_by);
	enum kv_status r = claim_write(s, q, "", e);
	if (r == KV_OK)
		c->id = sqlite3_last_insert_rowid(s->db);
	return r;
}

static enum kv_status claim_one(struct sq *s, sqlite3_stmt *q, arena *a,
				struct org_claim *c, struct kv_error *e)
{
	memset(c, 0, sizeof *c);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		c->id = sqlite3_column_int64(q, 0);
		c->org_id = sqlite3_column_int64(q, 1);
		c->name = col_str(a, q, 2);
		c->address = col_str(a, q, 3);
		c->kvk = col_str(a, q, 4);
		c->created_at = sqlite3_column_int64(q, 5);
		c->created_by = sqlite3_column_int64(q, 6);
	} else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("No such organisation account."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_claim_get(struct store *st, int64_t id, arena *a,
				   struct org_claim *c, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CLAIM_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, id);
	return claim_one(s, q, a, c, e);
}

static enum kv_status op_claim_of_account(struct store *st,
					  int64_t account_id, arena *a,
					  struct org_claim *c,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CLAIM_OF_ACCOUNT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, account_id);
	return claim_one(s, q, a, c, e);
}

static enum kv_status op_claim_user_add(struct store *st,
					const struct claim_user *u,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CLAIM_USER_INSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, u->account_id);
	sqlite3_bind_int64(q, 2, u->claim_id);
	sqlite3_bind_int(q, 3, u->admin ? 1 : 0);
	sqlite3_bind_int64(q, 4, now_or(u->joined_at));
	return claim_write(s, q, _("This account belongs to an organisation "
				   "already."), e);
}

static void claim_user_fill(sqlite3_stmt *q, arena *a, void *row)
{
	struct claim_user *u = row;
	u->account_id = sqlite3_column_int64(q, 0);
	u->claim_id = sqlite3_column_int64(q, 1);
	u->email = col_str(a, q, 2);
	u->name = col_str(a, q, 3);
	u->admin = sqlite3_column_int(q, 4) != 0;
	u->joined_at = sqlite3_column_int64(q, 5);
}

static enum kv_status op_claim_user_list(struct store *st, int64_t claim_id,
					 arena *a, struct claim_user **out,
					 int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CLAIM_USERS, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, claim_id);
	return claim_rows(s, q, a, (void **)out, n, sizeof **out,
			  claim_user_fill, e);
}

static enum kv_status op_claim_candidate_set(struct store *st,
					     int64_t candidate_id,
					     int64_t claim_id,
					     struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CLAIM_CANDIDATE_SET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, candidate_id);
	sqlite3_bind_int64(q, 2, claim_id);
	return claim_write(s, q, "", e);
}

static void claim_candidate_fill(sqlite3_stmt *q, arena *a, void *row)
{
	struct claim_candidate *c = row;
	c->candidate_id = sqlite3_column_int64(q, 0);
	c->procedure_id = sqlite3_column_int64(q, 1);
	c->tenant_id = sqlite3_column_int64(q, 2);
	c->candidate_name = col_str(a, q, 3);
	c->reference = col_str(a, q, 4);
	c->title = col_str(a, q, 5);
	c->tenant_name = col_str(a, q, 6);
	int ro = code_find(party_role_codes, N_CODES(party_role_codes),
			   col_code(q, 7));
	c->role = ro < 0 ? PARTY_MEMBER : (enum party_role)ro;
	c->confirmed_by_claim = sqlite3_column_int64(q, 8);
}

static enum kv_status op_claim_candidates(struct store *st, int64_t claim_id,
					  int64_t org_id, arena *a,
					  struct claim_candidate **out, int *n,
					  struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CLAIM_CANDIDATES, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, claim_id);
	sqlite3_bind_int64(q, 2, org_id);
	return claim_rows(s, q, a, (void **)out, n, sizeof **out,
			  claim_candidate_fill, e);
}

static void candidate_claim_fill(sqlite3_stmt *q, arena *a, void *row)
{
	struct candidate_claim_rec *c = row;
	c->candidate_id = sqlite3_column_int64(q, 0);
	c->claim_id = sqlite3_column_int64(q, 1);
	c->claim_name = col_str(a, q, 2);
	c->admin_email = col_str(a, q, 3);
	c->verdict = sqlite3_column_int(q, 4);
	c->reason = col_str(a, q, 5);
	c->decided_at = sqlite3_column_int64(q, 6);
	c->decided_by_name = col_str(a, q, 7);
}

static enum kv_status op_candidate_claim_list(struct store *st,
					      int64_t procedure_id, arena *a,
					      struct candidate_claim_rec **out,
					      int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CANDIDATE_CLAIMS, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	return claim_rows(s, q, a, (void **)out, n, sizeof **out,
			  candidate_claim_fill, e);
}

static enum kv_status op_claim_verdict_put(struct store *st,
					   int64_t candidate_id, bool genuine,
					   const char *reason, kv_instant at,
					   int64_t by, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_CLAIM_VERDICT_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, candidate_id);
	sqlite3_bind_int(q, 2, genuine ? 1 : 0);
	bind_str(q, 3, reason);
	sqlite3_bind_int64(q, 4, now_or(at));
	sqlite3_bind_int64(q, 5, by);
	return claim_write(s, q, "", e);
}

static enum kv_status op_party_confirm(struct store *st,
				       const struct party_confirmation *c,
				       struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_PARTY_CONFIRM, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, c->candidate_id);
	sqlite3_bind_int64(q, 2, c->org_id);
	sqlite3_bind_int64(q, 3, c->claim_id);
	sqlite3_bind_int64(q, 4, now_or(c->confirmed_at));
	sqlite3_bind_int64(q, 5, c->confirmed_by);
	return claim_write(s, q, _("This membership has been confirmed "
				   "already."), e);
}

static void party_confirmation_fill(sqlite3_stmt *q, arena *a, void *row)
{
	struct party_confirmation *c = row;
	c->candidate_id = sqlite3_column_int64(q, 0);
	c->org_id = sqlite3_column_int64(q, 1);
	c->claim_id = sqlite3_column_int64(q, 2);
	c->claim_name = col_str(a, q, 3);
	c->confirmed_at = sqlite3_column_int64(q, 4);
	c->confirmed_by = sqlite3_column_int64(q, 5);
}

static enum kv_status op_party_confirmation_list(struct store *st,
						 int64_t procedure_id,
						 arena *a,
						 struct party_confirmation **out,
						 int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_PARTY_CONFIRMATIONS, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	return claim_rows(s, q, a, (void **)out, n, sizeof **out,
			  party_confirmation_fill, e);
}

static enum kv_status op_invitation_create(struct store *st,
					   struct org_invitation *inv,
					   struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_INVITATION_INSERT, e);
	if (!q)
		return KV_IO;
	inv->created_at = now_or(inv->created_at);
	sqlite3_bind_int64(q, 1, inv->claim_id);
	bind_str(q, 2, inv->email);
	sqlite3_bind_blob(q, 3, inv->token_hash, sizeof inv->token_hash,
			  SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 4, inv->created_at);
	sqlite3_bind_int64(q, 5, inv->created_by);
	sqlite3_bind_int64(q, 6, inv->expires_at);
	enum kv_status r = claim_write(s, q, "", e);
	if (r == KV_OK)
		inv->id = sqlite3_last_insert_rowid(s->db);
	return r;
}

static void invitation_fill(sqlite3_stmt *q, arena *a, void *row)
{
	struct org_invitation *inv = row;
	inv->id = sqlite3_column_int64(q, 0);
	inv->claim_id = sqlite3_column_int64(q, 1);
	inv->email = col_str(a, q, 2);
	if (sqlite3_column_bytes(q, 3) == (int)sizeof inv->token_hash)
		memcpy(inv->token_hash, sqlite3_column_blob(q, 3),
		       sizeof inv->token_hash);
	inv->created_at = sqlite3_column_int64(q, 4);
	inv->expires_at = sqlite3_column_int64(q, 5);
	inv->used_at = sqlite3_column_int64(q, 6);
	inv->created_by = sqlite3_column_int64(q, 7);
	inv->used_by = sqlite3_column_int64(q, 8);
}

static enum kv_status op_invitation_by_hash(struct store *st,
					    const unsigned char hash[32],
					    arena *a, struct org_invitation *inv,
					    struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_INVITATION_BY_HASH, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_TRANSIENT);
	memset(inv, 0, sizeof *inv);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		invitation_fill(q, a, inv);
	else if (rc == SQLITE_DONE)
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("This invitation link is not valid."));
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_invitation_use(struct store *st, int64_t id,
					kv_instant at, int64_t by,
					struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_INVITATION_USE, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, now_or(at));
	sqlite3_bind_int64(q, 3, by);
	int rc = run(q);
	enum kv_status r = KV_OK;
	if (rc != SQLITE_OK)
		r = db_fail(s, rc, e);
	else if (sqlite3_changes(s->db) != 1)
		r = kv_fail(e, KV_CONFLICT, "",
			    _("This invitation has been used already."));
	done(s, q);
	return r;
}

static enum kv_status op_invitation_list(struct store *st, int64_t claim_id,
					 arena *a, struct org_invitation **out,
					 int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_INVITATIONS, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, claim_id);
	return claim_rows(s, q, a, (void **)out, n, sizeof **out,
			  invitation_fill, e);
}

/* --- procurement documents (schema v14) -------------------------------- */

static const char SQL_TENDER_DOC_UPSERT[] =
	"INSERT INTO tender_documents (procedure_id, lot_id, kind, title, "
	"created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (procedure_id, lot_id, kind, title) DO UPDATE SET "
	"title = excluded.title RETURNING id";
static const char SQL_TENDER_VERSION_PUT[] =
	"INSERT INTO tender_document_versions (document_id, version, file_name, "
	"content_type, size, sha256, content, uploaded_at, uploaded_by) "
	"VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM "
	"tender_document_versions WHERE document_id = ?1), ?2, ?3, ?4, ?5, ?6, "
	"?7, ?8) RETURNING id, version";
#define TENDER_DOC_COLS \
	"v.id, d.id, d.procedure_id, d.lot_id, d.kind, d.title, v.version, " \
	"v.file_name, v.content_type, v.size, v.sha256, v.uploaded_at, " \
	"v.uploaded_by "
static const char SQL_TENDER_DOCS[] =
	"SELECT " TENDER_DOC_COLS "FROM tender_document_versions v "
	"JOIN tender_documents d ON d.id = v.document_id "
	"WHERE d.procedure_id = ?1 ORDER BY d.lot_id, CASE d.kind "
	"WHEN 'leidraad' THEN 0 WHEN 'pve' THEN 1 WHEN 'concept' THEN 2 "
	"ELSE 3 END, d.title, v.version DESC";
static const char SQL_TENDER_DOC_GET[] =
	"SELECT " TENDER_DOC_COLS ", v.content FROM tender_document_versions v "
	"JOIN tender_documents d ON d.id = v.document_id "
	"WHERE d.procedure_id = ?1 AND v.id = ?2";
static const char SQL_TENDER_VISIT[] =
	"INSERT INTO tender_visits (account_id, procedure_id, last_at) "
	"VALUES (?1, ?2, ?3) ON CONFLICT (account_id, procedure_id) DO UPDATE "
	"SET previous_at = last_at, last_at = excluded.last_at "
	"RETURNING previous_at";

static const char *const tender_kind_codes[] = {"leidraad", "pve", "concept", "annex"};

static enum kv_status op_tender_document_put(struct store *st,
					     struct tender_document *d,
					     struct kv_error *e)
{
	struct sq *s = SQ(st);
	sqlite3_stmt *q = prep(s, SQL_TENDER_DOC_UPSERT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, d->procedure_id);
	sqlite3_bind_int64(q, 2, d->lot_id);
	bind_text(q, 3, d->kind);
	bind_text(q, 4, d->title);
	sqlite3_bind_int64(q, 5, now_or(d->uploaded_at));
	bind_opt(q, 6, d->uploaded_by);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		d->document_id = sqlite3_column_int64(q, 0);
	else
		r = db_fail(s, rc, e);
	done(s, q);
	if (r != KV_OK)
		return r;
	q = prep(s, SQL_TENDER_VERSION_PUT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, d->document_id);
	bind_text(q, 2, d->file_name);
	bind_text(q, 3, d->content_type);
	sqlite3_bind_int64(q, 4, d->size);
	sqlite3_bind_blob(q, 5, d->sha256, sizeof d->sha256, SQLITE_TRANSIENT);
	sqlite3_bind_blob64(q, 6, d->content ? (const void *)d->content : "",
			    (sqlite3_uint64)(d->content ? d->size : 0),
			    SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, now_or(d->uploaded_at));
	bind_opt(q, 8, d->uploaded_by);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		d->id = sqlite3_column_int64(q, 0);
		d->version = sqlite3_column_int(q, 1);
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

static enum kv_status tender_doc_row(sqlite3_stmt *q, arena *a,
				     struct tender_document *d,
				     struct kv_error *e)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(q, 0);
	d->document_id = sqlite3_column_int64(q, 1);
	d->procedure_id = sqlite3_column_int64(q, 2);
	d->lot_id = sqlite3_column_int64(q, 3);
	int k = code_find(tender_kind_codes, 4, col_code(q, 4));
	if (k < 0)
		return corrupt(e, _("document kind"), col_code(q, 4));
	d->kind = tender_kind_codes[k];
	d->title = col_str(a, q, 5);
	d->version = sqlite3_column_int(q, 6);
	d->file_name = col_str(a, q, 7);
	d->content_type = col_str(a, q, 8);
	d->size = sqlite3_column_int64(q, 9);
	if (col_blob(q, 10, d->sha256, sizeof d->sha256) < 0)
		return corrupt(e, _("document"), NULL);
	d->uploaded_at = sqlite3_column_int64(q, 11);
	d->uploaded_by = sqlite3_column_int64(q, 12);
	return KV_OK;
}

static enum kv_status op_tender_document_list(struct store *st,
					      int64_t procedure_id, arena *a,
					      struct tender_document **out,
					      int *n, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, SQL_TENDER_DOCS, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	int cap = 0, rc = SQLITE_DONE;
	enum kv_status r = KV_OK;
	while (r == KV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof **out);
		r = tender_doc_row(q, a, &(*out)[(*n)++], e);
	}
	if (r == KV_OK && rc != SQLITE_DONE)
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static enum kv_status op_tender_document_get(struct store *st,
					     int64_t procedure_id, int64_t id,
					     arena *a, struct tender_document *d,
					     struct kv_error *e)
{
	struct sq *s = SQ(st);
	memset(d, 0, sizeof *d);
	sqlite3_stmt *q = prep(s, SQL_TENDER_DOC_GET, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, procedure_id);
	sqlite3_bind_int64(q, 2, id);
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW) {
		r = tender_doc_row(q, a, d, e);
		if (r == KV_OK && !col_content(q, 13, a, d->size, &d->content))
			r = corrupt(e, _("document"), NULL);
	} else if (rc == SQLITE_DONE) {
		r = kv_fail(e, KV_NOT_FOUND, "",
			    _("There is no such procurement document."));
	} else {
		r = db_fail(s, rc, e);
	}
	done(s, q);
	return r;
}

static enum kv_status op_tender_visit(struct store *st, int64_t account_id,
				      int64_t procedure_id, kv_instant at,
				      kv_instant *previous, struct kv_error *e)
{
	struct sq *s = SQ(st);
	*previous = 0;
	sqlite3_stmt *q = prep(s, SQL_TENDER_VISIT, e);
	if (!q)
		return KV_IO;
	sqlite3_bind_int64(q, 1, account_id);
	sqlite3_bind_int64(q, 2, procedure_id);
	sqlite3_bind_int64(q, 3, now_or(at));
	int rc = sqlite3_step(q);
	enum kv_status r = KV_OK;
	if (rc == SQLITE_ROW)
		*previous = sqlite3_column_int64(q, 0);
	else
		r = db_fail(s, rc, e);
	done(s, q);
	return r;
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.close = op_close,
	.schema_version = op_schema_version,
	.begin = op_begin,
	.commit = op_commit,
	.rollback = op_rollback,
	.org_create = op_org_create,
	.org_get = op_org_get,
	.org_by_kvk = op_org_by_kvk,
	.org_list = op_org_list,
	.person_create = op_person_create,
	.account_create = op_account_create,
	.account_get = op_account_get,
	.account_by_email = op_account_by_email,
	.grant_add = op_grant_add,
	.grants_of = op_grants_of,
	.tenant_accounts = op_tenant_accounts,
	.session_create = op_session_create,
	.session_get = op_session_get,
	.session_delete = op_session_delete,
	.session_set_lang = op_session_set_lang,
	.procedure_create = op_procedure_create,
	.procedure_get = op_procedure_get,
	.procedure_visible = op_procedure_visible,
	.stage_update = op_stage_update,
	.lot_create = op_lot_create,
	.candidate_create = op_candidate_create,
	.candidate_list = op_candidate_list,
	.decision_create = op_decision_create,
	.decision_list = op_decision_list,
	.condition_resolve = op_condition_resolve,
	.condition_decision = op_condition_decision,
	.equated_list = op_equated_list,
	.equated_add = op_equated_add,
	.audit_append = op_audit_append,
	.audit_list = op_audit_list,
	.audit_verify = op_audit_verify,
	.contract_create = op_contract_create,
	.contract_get = op_contract_get,
	.contract_list = op_contract_list,
	.contract_update = op_contract_update,
	.index_figures_set = op_index_figures_set,
	.index_figures_list = op_index_figures_list,
	.frame_create = op_frame_create,
	.frame_get = op_frame_get,
	.frame_list = op_frame_list,
	.subsidy_create = op_subsidy_create,
	.subsidy_update = op_subsidy_update,
	.subsidy_list = op_subsidy_list,
	.form_period_create = op_form_period_create,
	.form_period_list = op_form_period_list,
	.kpi_create = op_kpi_create,
	.kpi_list = op_kpi_list,
	.measurements_put = op_measurements_put,
	.measurements_list = op_measurements_list,
	.evaluation_put = op_evaluation_put,
	.evaluation_list = op_evaluation_list,
	.risk_create = op_risk_create,
	.risk_list = op_risk_list,
	.vault_key_create = op_vault_key_create,
	.vault_key_get = op_vault_key_get,
	.vault_keys_of_buyers = op_vault_keys_of_buyers,
	.vault_create = op_vault_create,
	.vault_get = op_vault_get,
	.vault_share_get = op_vault_share_get,
	.vault_mark_opened = op_vault_mark_opened,
	.submission_create = op_submission_create,
	.submission_list = op_submission_list,
	.submission_paths = op_submission_paths,
	.submission_withdraw = op_submission_withdraw,
	.question_create = op_question_create,
	.question_get = op_question_get,
	.question_list = op_question_list,
	.question_answer = op_question_answer,
	.nota_publish = op_nota_publish,
	.nota_list = op_nota_list,
	.nota_get = op_nota_get,
	.question_deadline_get = op_question_deadline_get,
	.question_deadline_set = op_question_deadline_set,
	.publication_get = op_publication_get,
	.publication_set = op_publication_set,
	.published_list = op_published_list,
	.criterion_create = op_criterion_create,
	.criterion_list = op_criterion_list,
	.application_put = op_application_put,
	.application_get = op_application_get,
	.application_list = op_application_list,
	.document_put = op_document_put,
	.document_list = op_document_list,
	.document_get = op_document_get,
	.document_put_stream = op_document_put_stream,
	.score_put = op_score_put,
	.score_list = op_score_list,
	.selection_publish = op_selection_publish,
	.selection_round_last = op_selection_round_last,
	.selection_round_list = op_selection_round_list,
	.selection_results = op_selection_results,
	.price_vault_create = op_price_vault_create,
	.price_vault_get = op_price_vault_get,
	.price_vault_share_get = op_price_vault_share_get,
	.price_vault_mark_opened = op_price_vault_mark_opened,
	.vault_keep_key = op_vault_keep_key,
	.vault_kept_key = op_vault_kept_key,
	.submission_receipt_set = op_submission_receipt_set,
	.award_setup_put = op_award_setup_put,
	.award_setup_get = op_award_setup_get,
	.award_setup_list = op_award_setup_list,
	.award_quality_final = op_award_quality_final,
	.award_assign = op_award_assign,
	.award_assignment_list = op_award_assignment_list,
	.award_score_put = op_award_score_put,
	.award_score_list = op_award_score_list,
	.award_scorecard_submit = op_award_scorecard_submit,
	.award_scorecard_list = op_award_scorecard_list,
	.award_consensus_put = op_award_consensus_put,
	.award_consensus_list = op_award_consensus_list,
	.award_exclusion_set = op_award_exclusion_set,
	.award_exclusion_list = op_award_exclusion_list,
	.bid_price_put = op_bid_price_put,
	.bid_price_list = op_bid_price_list,
	.award_decision_create = op_award_decision_create,
	.award_decision_list = op_award_decision_list,
	.award_decision_definitive = op_award_decision_definitive,
	.objection_create = op_objection_create,
	.objection_list = op_objection_list,
	.objection_close = op_objection_close,
	.dialogue_due_set = op_dialogue_due_set,
	.dialogue_due_list = op_dialogue_due_list,
	.dialogue_document_put = op_dialogue_document_put,
	.dialogue_document_list = op_dialogue_document_list,
	.dialogue_document_get = op_dialogue_document_get,
	.dialogue_meeting_put = op_dialogue_meeting_put,
	.dialogue_meeting_list = op_dialogue_meeting_list,
	.dialogue_feedback_put = op_dialogue_feedback_put,
	.dialogue_feedback_publish = op_dialogue_feedback_publish,
	.dialogue_feedback_list = op_dialogue_feedback_list,
	.backup = op_backup,
	.cost_model_get = op_cost_model_get,
	.cost_model_put = op_cost_model_put,
	.bid_limits_get = op_bid_limits_get,
	.bid_limits_set = op_bid_limits_set,
	.bid_document_create = op_bid_document_create,
	.bid_document_list = op_bid_document_list,
	.bid_document_remove = op_bid_document_remove,
	.claim_create = op_claim_create,
	.claim_get = op_claim_get,
	.claim_of_account = op_claim_of_account,
	.claim_user_add = op_claim_user_add,
	.claim_user_list = op_claim_user_list,
	.claim_candidate_set = op_claim_candidate_set,
	.claim_candidates = op_claim_candidates,
	.candidate_claim_list = op_candidate_claim_list,
	.claim_verdict_put = op_claim_verdict_put,
	.party_confirm = op_party_confirm,
	.party_confirmation_list = op_party_confirmation_list,
	.invitation_create = op_invitation_create,
	.invitation_by_hash = op_invitation_by_hash,
	.invitation_use = op_invitation_use,
	.invitation_list = op_invitation_list,
	.tender_document_put = op_tender_document_put,
	.tender_document_list = op_tender_document_list,
	.tender_document_get = op_tender_document_get,
	.tender_visit = op_tender_visit,
};
