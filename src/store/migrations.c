/*
 * migrations.c - the schema of the SQLite store, as a list of versions.
 *
 * Version n's script turns a database at version n-1 into one at version
 * n and ends by setting PRAGMA user_version = n; migrations_apply runs
 * each pending script in its own transaction.  A released script is never
 * edited: a change to the schema is a new version at the end of the list.
 *
 * Every table is STRICT.  Enumerations are stored as the stable text codes
 * of the API ("tender-deadline", "penvoerder", ...), checked by CHECK
 * constraints; store_sqlite.c maps them to the C enums.  Instants are
 * INTEGER seconds since the epoch (UTC), civil dates TEXT 'YYYY-MM-DD'.
 * An optional reference (0 in C) is NULL here.
 */
#include "migrations.h"

#include <stdio.h>
#include <string.h>

#define STAGE_KINDS                                                           \
	"'pre-announcement', 'registration', 'document-issued', "            \
	"'application-deadline', 'selection', 'dialogue-round', "            \
	"'tender-deadline', 'evaluation', 'provisional-award', "             \
	"'standstill', 'definitive-award', 'contract-start'"

#define ISO_DATE "'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"

/* v1: the first release. */
static const char v1[] =
"PRAGMA application_id = 1263945036;\n" /* KAVEL_APPLICATION_ID */

"CREATE TABLE organisations (\n"
"  id         INTEGER PRIMARY KEY,\n"
"  name       TEXT NOT NULL CHECK (length(name) > 0),\n"
"  kvk        TEXT NOT NULL UNIQUE\n"
"             CHECK (length(kvk) = 8 AND kvk NOT GLOB '*[^0-9]*'),\n"
"  kind       TEXT NOT NULL CHECK (kind IN ('municipality', 'supplier')),\n"
"  created_at INTEGER NOT NULL\n"
") STRICT;\n"

"CREATE TABLE people (\n"
"  id        INTEGER PRIMARY KEY,\n"
"  org_id    INTEGER NOT NULL REFERENCES organisations(id),\n"
"  name      TEXT NOT NULL CHECK (length(name) > 0),\n"
"  email     TEXT,\n"
"  job_title TEXT\n"
") STRICT;\n"
"CREATE INDEX people_org ON people(org_id);\n"

"CREATE TABLE accounts (\n"
"  id         INTEGER PRIMARY KEY,\n"
"  org_id     INTEGER NOT NULL REFERENCES organisations(id),\n"
"  person_id  INTEGER REFERENCES people(id),\n"
"  email      TEXT NOT NULL UNIQUE COLLATE NOCASE\n"
"             CHECK (length(email) > 0),\n"
"  name       TEXT NOT NULL,\n"
"  pwhash     TEXT NOT NULL,\n"
"  disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),\n"
"  created_at INTEGER NOT NULL\n"
") STRICT;\n"
"CREATE INDEX accounts_org ON accounts(org_id);\n"

"CREATE TABLE procedures (\n"
"  id              INTEGER PRIMARY KEY,\n"
"  tenant_id       INTEGER NOT NULL REFERENCES organisations(id),\n"
"  reference       TEXT NOT NULL CHECK (length(reference) > 0),\n"
"  title           TEXT NOT NULL,\n"
"  type            TEXT NOT NULL CHECK (type IN ('sas-dialogue',\n"
"                  'sas-open', 'open', 'restricted',\n"
"                  'competitive-dialogue', 'negotiated', 'private-single',\n"
"                  'private-multiple')),\n"
"  cpv             TEXT NOT NULL CHECK (length(cpv) < 12),\n"
"  value_cents     INTEGER NOT NULL CHECK (value_cents >= 0),\n"
"  dialogue_rounds INTEGER NOT NULL DEFAULT 0 CHECK (dialogue_rounds >= 0),\n"
"  standstill_days INTEGER NOT NULL CHECK (standstill_days >= 0),\n"
"  created_at      INTEGER NOT NULL,\n"
"  UNIQUE (tenant_id, reference),\n"
"  UNIQUE (id, tenant_id)\n" /* target of (procedure, tenant) keys */
") STRICT;\n"

"CREATE TABLE lots (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id)\n"
"               ON DELETE CASCADE,\n"
"  number       INTEGER NOT NULL CHECK (number >= 1),\n"
"  title        TEXT NOT NULL,\n"
"  goals        TEXT,\n"
"  value_cents  INTEGER NOT NULL DEFAULT 0 CHECK (value_cents >= 0),\n"
"  fixed_budget INTEGER NOT NULL DEFAULT 0 CHECK (fixed_budget IN (0, 1)),\n"
"  UNIQUE (procedure_id, number)\n"
") STRICT;\n"

"CREATE TABLE stages (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id)\n"
"               ON DELETE CASCADE,\n"
"  seq          INTEGER NOT NULL CHECK (seq >= 0),\n"
"  kind         TEXT NOT NULL CHECK (kind IN (" STAGE_KINDS ")),\n"
"  round        INTEGER NOT NULL DEFAULT 0 CHECK (round >= 0),\n"
"  start_at     INTEGER,\n"     /* NULL: not yet planned */
"  end_at       INTEGER,\n"
"  status       TEXT NOT NULL DEFAULT 'planned'\n"
"               CHECK (status IN ('planned', 'completed')),\n"
"  completed_at INTEGER,\n"
"  completed_by INTEGER REFERENCES accounts(id),\n"
"  rule         TEXT,\n"
"  UNIQUE (procedure_id, seq)\n"
") STRICT;\n"

"CREATE TABLE candidates (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id)\n"
"               ON DELETE CASCADE,\n"
"  name         TEXT NOT NULL CHECK (length(name) > 0),\n"
"  consortium   INTEGER NOT NULL DEFAULT 0 CHECK (consortium IN (0, 1)),\n"
"  UNIQUE (id, procedure_id)\n" /* target of grants' (candidate, proc) */
") STRICT;\n"
"CREATE INDEX candidates_procedure ON candidates(procedure_id);\n"

"CREATE TABLE candidate_parties (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  candidate_id INTEGER NOT NULL REFERENCES candidates(id)\n"
"               ON DELETE CASCADE,\n"
"  org_id       INTEGER NOT NULL REFERENCES organisations(id),\n"
"  role         TEXT NOT NULL\n"
"               CHECK (role IN ('penvoerder', 'member', 'subcontractor')),\n"
"  UNIQUE (candidate_id, org_id)\n"
") STRICT;\n"
"CREATE UNIQUE INDEX candidate_parties_one_penvoerder\n"
"  ON candidate_parties(candidate_id) WHERE role = 'penvoerder';\n"
"CREATE INDEX candidate_parties_org ON candidate_parties(org_id);\n"

/* A grant with procedure_id NULL holds for every procedure of the tenant;
 * a grant on one procedure must name a procedure of that tenant, and a
 * bidder's candidate must be a candidate in that procedure. */
"CREATE TABLE grants (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,\n"
"  tenant_id    INTEGER NOT NULL REFERENCES organisations(id),\n"
"  procedure_id INTEGER,\n"
"  role         TEXT NOT NULL\n"
"               CHECK (role IN ('buyer', 'assessor', 'bidder', 'council')),\n"
"  candidate_id INTEGER,\n"
"  CHECK (role <> 'bidder' OR procedure_id IS NOT NULL),\n"
"  CHECK (candidate_id IS NULL OR role = 'bidder'),\n"
"  FOREIGN KEY (procedure_id, tenant_id)\n"
"    REFERENCES procedures(id, tenant_id) ON DELETE CASCADE,\n"
"  FOREIGN KEY (candidate_id, procedure_id)\n"
"    REFERENCES candidates(id, procedure_id) ON DELETE CASCADE\n"
") STRICT;\n"
"CREATE UNIQUE INDEX grants_unique\n"
"  ON grants(account_id, tenant_id, ifnull(procedure_id, 0), role);\n"
"CREATE INDEX grants_procedure ON grants(procedure_id, tenant_id);\n"
"CREATE INDEX grants_candidate ON grants(candidate_id, procedure_id);\n"
"CREATE INDEX grants_tenant ON grants(tenant_id);\n"

"CREATE TABLE sessions (\n"
"  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),\n"
"  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,\n"
"  csrf       TEXT NOT NULL CHECK (length(csrf) <= 64),\n"
"  created_at INTEGER NOT NULL,\n"
"  expires_at INTEGER NOT NULL\n"
") STRICT, WITHOUT ROWID;\n"
"CREATE INDEX sessions_account ON sessions(account_id);\n"
"CREATE INDEX sessions_expiry ON sessions(expires_at);\n"

"CREATE TABLE decisions (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  tenant_id    INTEGER NOT NULL REFERENCES organisations(id),\n"
"  number       TEXT NOT NULL CHECK (length(number) > 0),\n"
"  date         TEXT NOT NULL CHECK (date GLOB " ISO_DATE "),\n"
"  title        TEXT NOT NULL,\n"
"  body         TEXT NOT NULL DEFAULT '',\n"
"  procedure_id INTEGER,\n"
"  UNIQUE (tenant_id, number),\n"
"  FOREIGN KEY (procedure_id, tenant_id) REFERENCES procedures(id, tenant_id)\n"
") STRICT;\n"
"CREATE INDEX decisions_procedure ON decisions(procedure_id, tenant_id);\n"

"CREATE TABLE conditions (\n"
"  id          INTEGER PRIMARY KEY,\n"
"  decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,\n"
"  description TEXT NOT NULL CHECK (length(description) > 0),\n"
"  state       TEXT NOT NULL DEFAULT 'pending'\n"
"              CHECK (state IN ('pending', 'met', 'waived')),\n"
"  resolved_at INTEGER,\n"
"  resolution  TEXT\n"
") STRICT;\n"
"CREATE INDEX conditions_decision ON conditions(decision_id);\n"

/* The stages (by kind) of the decision's procedure it governs. */
"CREATE TABLE decision_stages (\n"
"  id          INTEGER PRIMARY KEY,\n"
"  decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,\n"
"  kind        TEXT NOT NULL CHECK (kind IN (" STAGE_KINDS ")),\n"
"  UNIQUE (decision_id, kind)\n"
") STRICT;\n"

/* The hash chain (see core/audit.h).  actor and tenant_id are plain
 * numbers (0 = system / installation-wide), not foreign keys: the log
 * outlives what it describes. */
"CREATE TABLE audit (\n"
"  seq         INTEGER PRIMARY KEY CHECK (seq >= 1),\n"
"  at          INTEGER NOT NULL,\n"
"  actor       INTEGER NOT NULL DEFAULT 0,\n"
"  tenant_id   INTEGER NOT NULL DEFAULT 0,\n"
"  action      TEXT NOT NULL,\n"
"  object      TEXT NOT NULL,\n"
"  before_json TEXT NOT NULL DEFAULT '',\n"
"  after_json  TEXT NOT NULL DEFAULT '',\n"
"  prev        BLOB NOT NULL CHECK (length(prev) = 32),\n"
"  hash        BLOB NOT NULL CHECK (length(hash) = 32)\n"
") STRICT;\n"
"CREATE INDEX audit_tenant ON audit(tenant_id, seq);\n"
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN\n"
"  SELECT RAISE(ABORT, 'the audit log is append-only');\n"
"END;\n"
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN\n"
"  SELECT RAISE(ABORT, 'the audit log is append-only');\n"
"END;\n"

"PRAGMA user_version = 1;\n";

/* v2: days a tenant (or the installation) adds to the legal calendar's
 * equated days, and the language a session chose. */
static const char v2[] =
"CREATE TABLE equated_days (\n"
"  id        INTEGER PRIMARY KEY,\n"
"  tenant_id INTEGER REFERENCES organisations(id),\n" /* NULL: everyone */
"  date      TEXT NOT NULL CHECK (date GLOB " ISO_DATE "),\n"
"  name      TEXT NOT NULL CHECK (length(name) > 0),\n"
"  source    TEXT NOT NULL DEFAULT ''\n"
") STRICT;\n"
"CREATE UNIQUE INDEX equated_days_unique\n"
"  ON equated_days(ifnull(tenant_id, 0), date);\n"

"ALTER TABLE sessions ADD COLUMN lang TEXT NOT NULL DEFAULT 'nl'\n"
"  CHECK (length(lang) BETWEEN 2 AND 7);\n"

"PRAGMA user_version = 2;\n";

static const char *const scripts[] = {v1, v2};
#define N_SCRIPTS ((int)(sizeof scripts / sizeof *scripts))

int migrations_latest(void)
{
	return N_SCRIPTS;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int migrations_current(sqlite3 *db, struct kv_error *e)
{
	int v = 0;
	if (pragma_int(db, "PRAGMA user_version", &v) != SQLITE_OK) {
		kv_fail(e, KV_IO, "",
			_("Could not read the schema version of the database: "
			  "%s"), sqlite3_errmsg(db));
		return -1;
	}
	return v;
}

enum kv_status migrations_apply(sqlite3 *db, int target, struct kv_error *e)
{
	if (target > N_SCRIPTS)
		target = N_SCRIPTS;
	for (int v = 1; v <= target; v++) {
		int cur = migrations_current(db, e);
		if (cur < 0)
			return KV_IO;
		if (cur >= v)
			continue;
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
		    SQLITE_OK)
			return kv_fail(e, KV_IO, "",
				       _("Could not start upgrading the "
					 "database to schema version %d: %s"),
				       v, sqlite3_errmsg(db));
		/* Another process may have applied it while we waited for
		 * the write lock. */
		cur = migrations_current(db, e);
		if (cur < 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return KV_IO;
		}
		int rc = SQLITE_OK;
		if (cur < v)
			rc = sqlite3_exec(db, scripts[v - 1], NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			kv_fail(e, KV_IO, "",
				_("Upgrading the database to schema version "
				  "%d failed: %s"), v, sqlite3_errmsg(db));
			if (!sqlite3_get_autocommit(db))
				sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return KV_IO;
		}
	}
	return KV_OK;
}
