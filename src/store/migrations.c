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

/* v3: steering after the award.  Contracts (with their parties and
 * evaluation years), yearly index figures, budget frames, subsidies, the
 * history of organisation forms, KPIs with measurements, evaluation
 * dossiers and the risk register; and grants that name a contract (the
 * reporter's role).
 *
 * Choices: civil dates are TEXT 'YYYY-MM-DD' as in v1 (an unset date, all
 * zero in C, is NULL where it may be missing).  A frame's amounts are one
 * row per (frame row, year) in frame_amounts: an empty cell (has[i] false)
 * is no row, a zero is a row holding 0.  A contract's evaluation years are
 * the child table contract_evaluation_years, read in ascending order.
 * Contract status is not stored: it follows from the dates and the
 * termination.  CHECK constraints a person can break are named; the
 * driver maps the name to the field and a sentence (store_sqlite.c).
 *
 * grants is rebuilt (create, copy, drop, rename), because its role CHECK
 * gains 'reporter' and a CHECK cannot be altered in place; its ids and
 * rows are kept.  The uniqueness rule now includes the contract, so one
 * account can report on two contracts. */
#define YEAR_RANGE "BETWEEN 1000 AND 9999"

static const char v3[] =
/* Target of (lot, procedure) keys: a contract's lot is of its procedure. */
"CREATE UNIQUE INDEX lots_id_procedure ON lots(id, procedure_id);\n"

"CREATE TABLE contracts (\n"
"  id                   INTEGER PRIMARY KEY,\n"
"  tenant_id            INTEGER NOT NULL REFERENCES organisations(id),\n"
"  procedure_id         INTEGER,\n"       /* NULL: entered directly */
"  lot_id               INTEGER,\n"
"  reference            TEXT NOT NULL\n"
"                       CONSTRAINT contract_reference\n"
"                       CHECK (length(reference) > 0),\n"
"  title                TEXT NOT NULL\n"
"                       CONSTRAINT contract_title CHECK (length(title) > 0),\n"
"  start_date           TEXT NOT NULL\n"
"                       CONSTRAINT contract_start\n"
"                       CHECK (start_date GLOB " ISO_DATE "),\n"
"  end_date             TEXT NOT NULL\n"   /* the first day after it */
"                       CONSTRAINT contract_end\n"
"                       CHECK (end_date GLOB " ISO_DATE "),\n"
"  extension_options    INTEGER NOT NULL DEFAULT 0\n"
"                       CONSTRAINT contract_extension_options\n"
"                       CHECK (extension_options BETWEEN 0 AND 100),\n"
"  extension_months     INTEGER NOT NULL DEFAULT 0\n"
"                       CONSTRAINT contract_extension_months\n"
"                       CHECK (extension_months BETWEEN 0 AND 1200),\n"
"  extensions_used      INTEGER NOT NULL DEFAULT 0,\n"
"  budget_cents         INTEGER NOT NULL DEFAULT 0\n"
"                       CONSTRAINT contract_budget CHECK (budget_cents >= 0),\n"
"  base_year            INTEGER NOT NULL DEFAULT 0\n"  /* 0: not set */
"                       CONSTRAINT contract_base_year\n"
"                       CHECK (base_year = 0 OR base_year " YEAR_RANGE "),\n"
"  wage_weight_bp       INTEGER NOT NULL\n"
"                       CONSTRAINT contract_wage_weight\n"
"                       CHECK (wage_weight_bp BETWEEN 0 AND 10000),\n"
"  price_weight_bp      INTEGER NOT NULL\n"
"                       CONSTRAINT contract_price_weight\n"
"                       CHECK (price_weight_bp BETWEEN 0 AND 10000),\n"
"  terminated           INTEGER NOT NULL DEFAULT 0\n"
"                       CHECK (terminated IN (0, 1)),\n"
"  terminated_on        TEXT,\n"
"  termination_reason   TEXT,\n"
"  termination_decision TEXT,\n"
"  CONSTRAINT contract_end_after_start CHECK (end_date > start_date),\n"
"  CONSTRAINT contract_extensions_used\n"
"    CHECK (extensions_used BETWEEN 0 AND extension_options),\n"
"  CONSTRAINT contract_terminated_on\n"
"    CHECK ((terminated = 0 AND terminated_on IS NULL) OR\n"
"           (terminated = 1 AND terminated_on IS NOT NULL AND\n"
"            terminated_on GLOB " ISO_DATE ")),\n"
"  CONSTRAINT contract_lot\n"
"    CHECK (lot_id IS NULL OR procedure_id IS NOT NULL),\n"
"  UNIQUE (tenant_id, reference),\n"
"  UNIQUE (id, tenant_id),\n" /* target of grants' (contract, tenant) */
"  FOREIGN KEY (procedure_id, tenant_id)\n"
"    REFERENCES procedures(id, tenant_id),\n"
"  FOREIGN KEY (lot_id, procedure_id) REFERENCES lots(id, procedure_id)\n"
") STRICT;\n"
"CREATE INDEX contracts_procedure ON contracts(procedure_id, tenant_id);\n"
"CREATE INDEX contracts_lot ON contracts(lot_id, procedure_id);\n"

"CREATE TABLE contract_parties (\n"
"  id          INTEGER PRIMARY KEY,\n"
"  contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,\n"
"  org_id      INTEGER NOT NULL REFERENCES organisations(id),\n"
"  role        TEXT NOT NULL\n"
"              CHECK (role IN ('penvoerder', 'member', 'subcontractor')),\n"
"  UNIQUE (contract_id, org_id)\n"
") STRICT;\n"
"CREATE UNIQUE INDEX contract_parties_one_penvoerder\n"
"  ON contract_parties(contract_id) WHERE role = 'penvoerder';\n"
"CREATE INDEX contract_parties_org ON contract_parties(org_id);\n"

/* After how many years of the term the contract is evaluated (3, 6). */
"CREATE TABLE contract_evaluation_years (\n"
"  contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,\n"
"  year        INTEGER NOT NULL\n"
"              CONSTRAINT contract_evaluation_year\n"
"              CHECK (year BETWEEN 1 AND 100),\n"
"  PRIMARY KEY (contract_id, year)\n"
") STRICT, WITHOUT ROWID;\n"

/* Basis points; the realisation is NULL until it is known. */
"CREATE TABLE index_figures (\n"
"  contract_id        INTEGER NOT NULL REFERENCES contracts(id)\n"
"                     ON DELETE CASCADE,\n"
"  year               INTEGER NOT NULL\n"
"                     CONSTRAINT index_year CHECK (year " YEAR_RANGE "),\n"
"  wage_prognosis_bp  INTEGER NOT NULL,\n"
"  price_prognosis_bp INTEGER NOT NULL,\n"
"  wage_actual_bp     INTEGER,\n"
"  price_actual_bp    INTEGER,\n"
"  CONSTRAINT index_prognosis\n"
"    CHECK (wage_prognosis_bp BETWEEN -10000 AND 10000 AND\n"
"           price_prognosis_bp BETWEEN -10000 AND 10000),\n"
"  CONSTRAINT index_actual\n"
"    CHECK ((wage_actual_bp IS NULL AND price_actual_bp IS NULL) OR\n"
"           (wage_actual_bp IS NOT NULL AND price_actual_bp IS NOT NULL\n"
"            AND wage_actual_bp BETWEEN -10000 AND 10000\n"
"            AND price_actual_bp BETWEEN -10000 AND 10000)),\n"
"  PRIMARY KEY (contract_id, year)\n"
") STRICT, WITHOUT ROWID;\n"

"CREATE TABLE budget_frames (\n"
"  id         INTEGER PRIMARY KEY,\n"
"  tenant_id  INTEGER NOT NULL REFERENCES organisations(id),\n"
"  title      TEXT NOT NULL\n"
"             CONSTRAINT frame_title CHECK (length(title) > 0),\n"
"  first_year INTEGER NOT NULL\n"
"             CONSTRAINT frame_first_year CHECK (first_year " YEAR_RANGE "),\n"
"  n_years    INTEGER NOT NULL\n"   /* FRAME_MAX_YEARS */
"             CONSTRAINT frame_years CHECK (n_years BETWEEN 1 AND 12),\n"
"  source     TEXT,\n"
"  UNIQUE (tenant_id, title)\n"
") STRICT;\n"

"CREATE TABLE frame_rows (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  frame_id     INTEGER NOT NULL REFERENCES budget_frames(id)\n"
"               ON DELETE CASCADE,\n"
"  position     INTEGER NOT NULL CHECK (position >= 0),\n"
"  category     TEXT NOT NULL,\n"
"  taakstelling INTEGER NOT NULL DEFAULT 0 CHECK (taakstelling IN (0, 1)),\n"
"  UNIQUE (frame_id, position)\n"
") STRICT;\n"

/* One filled cell of a frame row; an empty cell has no row. */
"CREATE TABLE frame_amounts (\n"
"  row_id INTEGER NOT NULL REFERENCES frame_rows(id) ON DELETE CASCADE,\n"
"  year   INTEGER NOT NULL\n"
"         CONSTRAINT frame_amount_year CHECK (year " YEAR_RANGE "),\n"
"  cents  INTEGER NOT NULL,\n"
"  PRIMARY KEY (row_id, year)\n"
") STRICT, WITHOUT ROWID;\n"

"CREATE TABLE subsidies (\n"
"  id               INTEGER PRIMARY KEY,\n"
"  tenant_id        INTEGER NOT NULL REFERENCES organisations(id),\n"
"  recipient_org_id INTEGER NOT NULL REFERENCES organisations(id),\n"
"  purpose          TEXT NOT NULL\n"
"                   CONSTRAINT subsidy_purpose CHECK (length(purpose) > 0),\n"
"  kind             TEXT NOT NULL CHECK (kind IN ('multi-year', 'budget',\n"
"                   'annual', 'incidental')),\n"
"  from_year        INTEGER NOT NULL,\n"
"  to_year          INTEGER NOT NULL,\n"   /* inclusive */
"  cents_per_year   INTEGER NOT NULL\n"
"                   CONSTRAINT subsidy_amount CHECK (cents_per_year >= 0),\n"
"  decision         TEXT,\n"
"  end_decision     TEXT,\n"
"  phase_out        INTEGER NOT NULL DEFAULT 0 CHECK (phase_out IN (0, 1)),\n"
"  phase_out_years  INTEGER NOT NULL DEFAULT 0,\n"
"  phase_out_pct_1  INTEGER NOT NULL DEFAULT 0,\n" /* SUBSIDY_MAX_PHASE_YEARS */
"  phase_out_pct_2  INTEGER NOT NULL DEFAULT 0,\n"
"  phase_out_pct_3  INTEGER NOT NULL DEFAULT 0,\n"
"  phase_out_pct_4  INTEGER NOT NULL DEFAULT 0,\n"
"  phase_out_pct_5  INTEGER NOT NULL DEFAULT 0,\n"
"  phase_out_scope  TEXT,\n"
"  staff_taken_over TEXT,\n"
"  CONSTRAINT subsidy_years\n"
"    CHECK (from_year " YEAR_RANGE " AND to_year BETWEEN from_year AND 9999),\n"
"  CONSTRAINT subsidy_phase_out_years\n"
"    CHECK (phase_out_years BETWEEN 0 AND 5 AND\n"
"           (phase_out = 0 OR phase_out_years >= 1)),\n"
"  CONSTRAINT subsidy_phase_out_pct\n"
"    CHECK (phase_out_pct_1 BETWEEN 0 AND 100 AND\n"
"           phase_out_pct_2 BETWEEN 0 AND 100 AND\n"
"           phase_out_pct_3 BETWEEN 0 AND 100 AND\n"
"           phase_out_pct_4 BETWEEN 0 AND 100 AND\n"
"           phase_out_pct_5 BETWEEN 0 AND 100)\n"
") STRICT;\n"
"CREATE INDEX subsidies_tenant ON subsidies(tenant_id);\n"
"CREATE INDEX subsidies_recipient ON subsidies(recipient_org_id);\n"

/* Two periods of one assignment cannot start in the same year; other
 * overlaps are the core's to refuse (form_period_check). */
"CREATE TABLE form_periods (\n"
"  id         INTEGER PRIMARY KEY,\n"
"  tenant_id  INTEGER NOT NULL REFERENCES organisations(id),\n"
"  assignment TEXT NOT NULL\n"
"             CONSTRAINT form_assignment CHECK (length(assignment) > 0),\n"
"  from_year  INTEGER NOT NULL,\n"
"  to_year    INTEGER,\n"                 /* NULL: still so */
"  form       TEXT NOT NULL CHECK (form IN ('separate-subsidies',\n"
"             'one-penvoerder', 'main-contractor', 'equal-parties',\n"
"             'consortium-contract', 'single-provider')),\n"
"  parties    TEXT,\n"
"  source     TEXT,\n"
"  CONSTRAINT form_years\n"
"    CHECK (from_year " YEAR_RANGE " AND\n"
"           (to_year IS NULL OR to_year BETWEEN from_year AND 9999)),\n"
"  UNIQUE (tenant_id, assignment, from_year)\n"
") STRICT;\n"

/* Targets and values are thousandths of the unit. */
"CREATE TABLE kpis (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  contract_id  INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,\n"
"  name         TEXT NOT NULL\n"
"               CONSTRAINT kpi_name CHECK (length(name) > 0),\n"
"  definition   TEXT,\n"
"  unit         TEXT,\n"
"  direction    TEXT NOT NULL\n"
"               CHECK (direction IN ('higher-is-better', 'lower-is-better')),\n"
"  target_milli INTEGER,\n"               /* NULL: no target */
"  source       TEXT,\n"
"  frequency    TEXT NOT NULL\n"
"               CHECK (frequency IN ('monthly', 'quarterly', 'yearly')),\n"
"  UNIQUE (contract_id, name)\n"
") STRICT;\n"

/* area '' is the whole contract. */
"CREATE TABLE measurements (\n"
"  id          INTEGER PRIMARY KEY,\n"
"  kpi_id      INTEGER NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,\n"
"  period      TEXT NOT NULL\n"
"              CONSTRAINT measurement_period\n"
"              CHECK (period GLOB '[0-9][0-9][0-9][0-9]' OR\n"
"                     period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR\n"
"                     period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),\n"
"  area        TEXT NOT NULL DEFAULT '',\n"
"  value_milli INTEGER NOT NULL,\n"
"  UNIQUE (kpi_id, period, area)\n"
") STRICT;\n"

"CREATE TABLE evaluations (\n"
"  id          INTEGER PRIMARY KEY,\n"
"  contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,\n"
"  after_year  INTEGER NOT NULL\n"
"              CONSTRAINT evaluation_after_year\n"
"              CHECK (after_year BETWEEN 1 AND 100),\n"
"  due         TEXT\n"                    /* NULL: not yet known */
"              CONSTRAINT evaluation_due CHECK (due GLOB " ISO_DATE "),\n"
"  outcome     TEXT NOT NULL DEFAULT 'pending'\n"
"              CHECK (outcome IN ('pending', 'positive', 'negative')),\n"
"  notes       TEXT,\n"
"  decision    TEXT,\n"
"  UNIQUE (contract_id, after_year)\n"
") STRICT;\n"

"CREATE TABLE risks (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  tenant_id    INTEGER NOT NULL REFERENCES organisations(id),\n"
"  procedure_id INTEGER,\n"              /* NULL: not tied to one */
"  title        TEXT NOT NULL\n"
"               CONSTRAINT risk_title CHECK (length(title) > 0),\n"
"  description  TEXT,\n"
"  mitigation   TEXT,\n"
"  level        TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high')),\n"
"  status       TEXT,\n"
"  FOREIGN KEY (procedure_id, tenant_id) REFERENCES procedures(id, tenant_id)\n"
") STRICT;\n"
"CREATE INDEX risks_tenant ON risks(tenant_id);\n"
"CREATE INDEX risks_procedure ON risks(procedure_id, tenant_id);\n"

/* grants, rebuilt: a reporter's grant names one contract of the tenant
 * (and no procedure), and only a reporter's grant names a contract. */
"CREATE TABLE grants_v3 (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,\n"
"  tenant_id    INTEGER NOT NULL REFERENCES organisations(id),\n"
"  procedure_id INTEGER,\n"
"  role         TEXT NOT NULL CHECK (role IN ('buyer', 'assessor',\n"
"               'bidder', 'council', 'reporter')),\n"
"  candidate_id INTEGER,\n"
"  contract_id  INTEGER,\n"
"  CONSTRAINT grant_bidder_procedure\n"
"    CHECK (role <> 'bidder' OR procedure_id IS NOT NULL),\n"
"  CONSTRAINT grant_candidate\n"
"    CHECK (candidate_id IS NULL OR role = 'bidder'),\n"
"  CONSTRAINT grant_reporter_contract\n"
"    CHECK (role <> 'reporter' OR\n"
"           (contract_id IS NOT NULL AND procedure_id IS NULL)),\n"
"  CONSTRAINT grant_contract\n"
"    CHECK (contract_id IS NULL OR role = 'reporter'),\n"
"  FOREIGN KEY (procedure_id, tenant_id)\n"
"    REFERENCES procedures(id, tenant_id) ON DELETE CASCADE,\n"
"  FOREIGN KEY (candidate_id, procedure_id)\n"
"    REFERENCES candidates(id, procedure_id) ON DELETE CASCADE,\n"
"  FOREIGN KEY (contract_id, tenant_id)\n"
"    REFERENCES contracts(id, tenant_id) ON DELETE CASCADE\n"
") STRICT;\n"
"INSERT INTO grants_v3 (id, account_id, tenant_id, procedure_id, role,\n"
"                       candidate_id)\n"
"  SELECT id, account_id, tenant_id, procedure_id, role, candidate_id\n"
"  FROM grants;\n"
"DROP TABLE grants;\n"
"ALTER TABLE grants_v3 RENAME TO grants;\n"
"CREATE UNIQUE INDEX grants_unique ON grants(account_id, tenant_id,\n"
"  ifnull(procedure_id, 0), role, ifnull(contract_id, 0));\n"
"CREATE INDEX grants_procedure ON grants(procedure_id, tenant_id);\n"
"CREATE INDEX grants_candidate ON grants(candidate_id, procedure_id);\n"
"CREATE INDEX grants_contract ON grants(contract_id, tenant_id);\n"
"CREATE INDEX grants_tenant ON grants(tenant_id);\n"

"PRAGMA user_version = 3;\n";

/* v4: the sealed bid vault (src/vault/vault.h).  A buyer's vault key is
 * the salt and public key of a key pair derived from a passphrase the
 * server never stores; a procedure's vault is its public key and the
 * sealed key shares of every ordered pair of its buyers; a submission
 * is a sealed file in the data directory (path: its name in <db dir>/
 * vault) with the plaintext's SHA-256 and the receipt given to the
 * bidder.  Submissions are never deleted (withdrawn_at marks a
 * withdrawal), so they do not cascade. */
static const char v4[] =
"CREATE TABLE vault_keys (\n"
"  account_id INTEGER PRIMARY KEY REFERENCES accounts(id)\n"
"             ON DELETE CASCADE,\n"
"  salt       BLOB NOT NULL CHECK (length(salt) = 16),\n"
"  pk         BLOB NOT NULL CHECK (length(pk) = 32),\n"
"  created_at INTEGER NOT NULL\n"
") STRICT;\n"

"CREATE TABLE vaults (\n"
"  procedure_id INTEGER PRIMARY KEY REFERENCES procedures(id),\n"
"  pk           BLOB NOT NULL CHECK (length(pk) = 32),\n"
"  created_at   INTEGER NOT NULL,\n"
"  opened_at    INTEGER,\n"
"  opened_by_1  INTEGER REFERENCES accounts(id),\n"
"  opened_by_2  INTEGER REFERENCES accounts(id),\n"
"  CONSTRAINT vault_opened_by_two CHECK (\n"
"    (opened_at IS NULL AND opened_by_1 IS NULL AND opened_by_2 IS NULL)\n"
"    OR (opened_at IS NOT NULL AND opened_by_1 IS NOT NULL AND\n"
"        opened_by_2 IS NOT NULL AND opened_by_1 <> opened_by_2))\n"
") STRICT;\n"

"CREATE TABLE vault_shares (\n"
"  procedure_id    INTEGER NOT NULL REFERENCES vaults(procedure_id)\n"
"                  ON DELETE CASCADE,\n"
"  holder_account  INTEGER NOT NULL REFERENCES accounts(id),\n"
"  partner_account INTEGER NOT NULL REFERENCES accounts(id),\n"
"  part            INTEGER NOT NULL CHECK (part IN (0, 1)),\n"
"  sealed          BLOB NOT NULL CHECK (length(sealed) = 80),\n"
"  CHECK (holder_account <> partner_account),\n"
"  PRIMARY KEY (procedure_id, holder_account, partner_account)\n"
") STRICT, WITHOUT ROWID;\n"

"CREATE TABLE submissions (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  lot_id       INTEGER NOT NULL,\n"
"  candidate_id INTEGER NOT NULL,\n"
"  account_id   INTEGER NOT NULL REFERENCES accounts(id),\n"
"  received_at  INTEGER NOT NULL,\n"
"  file_name    TEXT NOT NULL\n"
"               CHECK (length(file_name) BETWEEN 1 AND 255),\n"
"  content_type TEXT NOT NULL CHECK (length(content_type) > 0),\n"
"  size         INTEGER NOT NULL CHECK (size >= 0),\n"
"  sha256       BLOB NOT NULL CHECK (length(sha256) = 32),\n"
"  path         TEXT NOT NULL UNIQUE\n"
"               CHECK (length(path) > 0 AND path NOT GLOB '*/*'),\n"
"  receipt      BLOB NOT NULL CHECK (length(receipt) = 32),\n"
"  withdrawn_at INTEGER,\n"
"  FOREIGN KEY (lot_id, procedure_id) REFERENCES lots(id, procedure_id),\n"
"  FOREIGN KEY (candidate_id, procedure_id)\n"
"    REFERENCES candidates(id, procedure_id)\n"
") STRICT;\n"
"CREATE INDEX submissions_procedure ON submissions(procedure_id, id);\n"
"CREATE INDEX submissions_candidate ON submissions(candidate_id);\n"

"PRAGMA user_version = 4;\n";

/* v5: questions and answers (nota van inlichtingen).  A candidate's
 * bidder asks a question, general (lot_id NULL) or about one lot of the
 * procedure; a buyer answers it (answer NULL: not yet); publishing puts
 * every answered, unpublished question into a new nota, numbered 1.. per
 * procedure.  A nota and its questions are procurement documents from
 * then on: triggers refuse changing or deleting a nota, and changing or
 * deleting a question once it is in one.  A procedure's question deadline
 * is a row of question_deadlines; no row means questions close with the
 * tender deadline.  set_by, answered_by and published_by are NULL for the
 * system (actor 0). */
static const char v5[] =
"CREATE TABLE notas (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  number       INTEGER NOT NULL\n"
"               CONSTRAINT nota_number CHECK (number >= 1),\n"
"  published_at INTEGER NOT NULL,\n"
"  published_by INTEGER REFERENCES accounts(id),\n"
"  UNIQUE (procedure_id, number),\n"
"  UNIQUE (id, procedure_id)\n" /* target of questions' (nota, proc) */
") STRICT;\n"
"CREATE TRIGGER notas_no_update BEFORE UPDATE ON notas BEGIN\n"
"  SELECT RAISE(ABORT, 'a published nota cannot change');\n"
"END;\n"
"CREATE TRIGGER notas_no_delete BEFORE DELETE ON notas BEGIN\n"
"  SELECT RAISE(ABORT, 'a published nota cannot change');\n"
"END;\n"

"CREATE TABLE questions (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  lot_id       INTEGER,\n"              /* NULL: a general question */
"  candidate_id INTEGER NOT NULL,\n"
"  account_id   INTEGER NOT NULL REFERENCES accounts(id),\n"
"  asked_at     INTEGER NOT NULL,\n"
"  text         TEXT NOT NULL\n"
"               CONSTRAINT question_text\n"
"               CHECK (length(text) BETWEEN 1 AND 4000),\n"
"  answer       TEXT\n"
"               CONSTRAINT question_answer\n"
"               CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 8000),\n"
"  answered_at  INTEGER,\n"
"  answered_by  INTEGER REFERENCES accounts(id),\n"
"  nota_id      INTEGER,\n"              /* NULL: not published */
"  CONSTRAINT question_answered\n"
"    CHECK ((answer IS NULL) = (answered_at IS NULL)),\n"
"  CONSTRAINT question_published\n"
"    CHECK (nota_id IS NULL OR answer IS NOT NULL),\n"
"  FOREIGN KEY (lot_id, procedure_id) REFERENCES lots(id, procedure_id),\n"
"  FOREIGN KEY (candidate_id, procedure_id)\n"
"    REFERENCES candidates(id, procedure_id),\n"
"  FOREIGN KEY (nota_id, procedure_id) REFERENCES notas(id, procedure_id)\n"
") STRICT;\n"
"CREATE INDEX questions_procedure ON questions(procedure_id, id);\n"
"CREATE INDEX questions_candidate ON questions(candidate_id, procedure_id);\n"
"CREATE INDEX questions_lot ON questions(lot_id, procedure_id);\n"
"CREATE INDEX questions_nota ON questions(nota_id, procedure_id);\n"
"CREATE TRIGGER questions_published_no_update BEFORE UPDATE ON questions\n"
"  WHEN OLD.nota_id IS NOT NULL BEGIN\n"
"  SELECT RAISE(ABORT, 'a published question cannot change');\n"
"END;\n"
"CREATE TRIGGER questions_published_no_delete BEFORE DELETE ON questions\n"
"  WHEN OLD.nota_id IS NOT NULL BEGIN\n"
"  SELECT RAISE(ABORT, 'a published question cannot change');\n"
"END;\n"

"CREATE TABLE question_deadlines (\n"
"  procedure_id INTEGER PRIMARY KEY REFERENCES procedures(id),\n"
"  deadline     INTEGER NOT NULL,\n"
"  set_at       INTEGER NOT NULL,\n"
"  set_by       INTEGER REFERENCES accounts(id)\n"
") STRICT;\n"

"PRAGMA user_version = 5;\n";

/* v6: taking part.  A procedure published for registration; the selection
 * criteria the buyer asks candidates to answer; each candidate's
 * application (aanmelding) with its answers (a JSON object, criterion key
 * to text) and its documents, small BLOBs kept here (applications are not
 * sealed bids and stay out of the vault). */
static const char v6[] =
"CREATE TABLE procedure_publications (\n"
"  procedure_id INTEGER PRIMARY KEY REFERENCES procedures(id),\n"
"  published_at INTEGER NOT NULL,\n"
"  published_by INTEGER REFERENCES accounts(id)\n"
") STRICT;\n"

"CREATE TABLE selection_criteria (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  key          TEXT NOT NULL\n"
"               CONSTRAINT criterion_key\n"
"               CHECK (length(key) BETWEEN 1 AND 40\n"
"                      AND key NOT GLOB '*[^a-z0-9-]*'),\n"
"  title        TEXT NOT NULL\n"
"               CONSTRAINT criterion_title\n"
"               CHECK (length(title) BETWEEN 1 AND 200),\n"
"  description  TEXT NOT NULL DEFAULT ''\n"
"               CONSTRAINT criterion_description\n"
"               CHECK (length(description) <= 4000),\n"
"  UNIQUE (procedure_id, key)\n"
") STRICT;\n"

"CREATE TABLE applications (\n"
"  candidate_id INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  answers      TEXT NOT NULL DEFAULT '{}'\n"
"               CONSTRAINT application_answers\n"
"               CHECK (answers GLOB '{*}'),\n"
"  submitted_at INTEGER NOT NULL,\n"
"  updated_at   INTEGER NOT NULL,\n"
"  updated_by   INTEGER REFERENCES accounts(id),\n"
"  FOREIGN KEY (candidate_id, procedure_id)\n"
"    REFERENCES candidates(id, procedure_id)\n"
") STRICT;\n"
"CREATE INDEX applications_procedure ON applications(procedure_id);\n"

"CREATE TABLE application_documents (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  candidate_id INTEGER NOT NULL REFERENCES applications(candidate_id),\n"
"  name         TEXT NOT NULL\n"
"               CONSTRAINT document_name\n"
"               CHECK (length(name) BETWEEN 1 AND 200),\n"
"  size         INTEGER NOT NULL CHECK (size = length(content)),\n"
"  sha256       BLOB NOT NULL CHECK (length(sha256) = 32),\n"
"  content      BLOB NOT NULL\n"
"               CONSTRAINT document_size\n"
"               CHECK (length(content) <= 5242880),\n"
"  uploaded_at  INTEGER NOT NULL,\n"
"  UNIQUE (candidate_id, name)\n"
") STRICT;\n"

"PRAGMA user_version = 6;\n";

/* v7: staged selection.  A selection criterion is pass-fail (the
 * default, as every criterion before) or scored up to max_points; each
 * candidate's score per criterion with its motivation; selection rounds
 * with the announced maximum to admit; and the results, written once, for
 * every candidate at the round's publication. */
static const char v7[] =
"ALTER TABLE selection_criteria ADD COLUMN kind TEXT NOT NULL\n"
"  DEFAULT 'pass-fail' CONSTRAINT criterion_kind\n"
"  CHECK (kind IN ('pass-fail', 'scored'));\n"
"ALTER TABLE selection_criteria ADD COLUMN max_points INTEGER NOT NULL\n"
"  DEFAULT 0 CONSTRAINT criterion_max_points\n"
"  CHECK (max_points BETWEEN 0 AND 1000);\n"

"CREATE TABLE selection_scores (\n"
"  candidate_id INTEGER NOT NULL REFERENCES candidates(id),\n"
"  criterion_id INTEGER NOT NULL REFERENCES selection_criteria(id),\n"
"  passed       INTEGER NOT NULL DEFAULT 0 CHECK (passed IN (0, 1)),\n"
"  points       INTEGER NOT NULL DEFAULT 0\n"
"               CONSTRAINT score_points CHECK (points BETWEEN 0 AND 1000),\n"
"  motivation   TEXT NOT NULL\n"
"               CONSTRAINT score_motivation\n"
"               CHECK (length(motivation) BETWEEN 1 AND 4000),\n"
"  assessed_by  INTEGER REFERENCES accounts(id),\n"
"  assessed_at  INTEGER NOT NULL,\n"
"  PRIMARY KEY (candidate_id, criterion_id)\n"
") STRICT;\n"

"CREATE TABLE selection_rounds (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  number       INTEGER NOT NULL CHECK (number >= 1),\n"
"  max_admitted INTEGER NOT NULL\n"
"               CONSTRAINT round_max_admitted CHECK (max_admitted >= 1),\n"
"  published_at INTEGER,\n"
"  published_by INTEGER REFERENCES accounts(id),\n"
"  UNIQUE (procedure_id, number)\n"
") STRICT;\n"

"CREATE TABLE selection_results (\n"
"  round_id     INTEGER NOT NULL REFERENCES selection_rounds(id),\n"
"  candidate_id INTEGER NOT NULL REFERENCES candidates(id),\n"
"  outcome      TEXT NOT NULL\n"
"               CHECK (outcome IN ('admitted', 'not-admitted', 'excluded')),\n"
"  rank         INTEGER NOT NULL DEFAULT 0,\n"
"  points       INTEGER NOT NULL DEFAULT 0,\n"
"  cutoff       INTEGER NOT NULL DEFAULT -1,\n"
"  tie_broken   INTEGER NOT NULL DEFAULT 0 CHECK (tie_broken IN (0, 1)),\n"
"  failed_key   TEXT,\n"
"  reason       TEXT NOT NULL,\n"
"  PRIMARY KEY (round_id, candidate_id)\n"
") STRICT;\n"

"PRAGMA user_version = 7;\n";

/* v8: evaluation and award.  Submissions carry their envelope: the
 * quality envelope (documents, sealed to the procedure's vault) or the
 * price envelope (the price, sealed to a second key pair, the price
 * vault, opened by two buyers in a second opening; see vault/vault.h).
 * After an opening the vault's secret key is kept (opened_sk), so the
 * buyers and assessors can read the bids from then on: the seal's work
 * is done, access is by role.  Per lot: the award rules as announced (a
 * JSON document: method, criteria tree, tie rule; fixed once the tender
 * deadline has passed), the assessors assigned (to all or some
 * criteria), each assessor's individual scores with motivations and the
 * moment they handed their scores in, the consensus scores, bids
 * excluded with their reason, the opened prices, the award decisions
 * (a corrected decision supersedes the earlier one; its doc is the
 * snapshot the letters are made from, never changed) and the objections
 * against them. */
static const char v8[] =
"ALTER TABLE submissions ADD COLUMN envelope TEXT NOT NULL\n"
"  DEFAULT 'quality' CONSTRAINT submission_envelope\n"
"  CHECK (envelope IN ('quality', 'price'));\n"
"ALTER TABLE vaults ADD COLUMN opened_sk BLOB\n"
"  CHECK (opened_sk IS NULL OR length(opened_sk) = 32);\n"

"CREATE TABLE price_vaults (\n"
"  procedure_id INTEGER PRIMARY KEY REFERENCES vaults(procedure_id),\n"
"  pk           BLOB NOT NULL CHECK (length(pk) = 32),\n"
"  created_at   INTEGER NOT NULL,\n"
"  opened_at    INTEGER,\n"
"  opened_by_1  INTEGER REFERENCES accounts(id),\n"
"  opened_by_2  INTEGER REFERENCES accounts(id),\n"
"  opened_sk    BLOB CHECK (opened_sk IS NULL OR length(opened_sk) = 32),\n"
"  CONSTRAINT price_vault_opened_by_two CHECK (\n"
"    (opened_at IS NULL AND opened_by_1 IS NULL AND opened_by_2 IS NULL)\n"
"    OR (opened_at IS NOT NULL AND opened_by_1 IS NOT NULL AND\n"
"        opened_by_2 IS NOT NULL AND opened_by_1 <> opened_by_2))\n"
") STRICT;\n"

"CREATE TABLE price_vault_shares (\n"
"  procedure_id    INTEGER NOT NULL REFERENCES price_vaults(procedure_id)\n"
"                  ON DELETE CASCADE,\n"
"  holder_account  INTEGER NOT NULL REFERENCES accounts(id),\n"
"  partner_account INTEGER NOT NULL REFERENCES accounts(id),\n"
"  part            INTEGER NOT NULL CHECK (part IN (0, 1)),\n"
"  sealed          BLOB NOT NULL CHECK (length(sealed) = 80),\n"
"  CHECK (holder_account <> partner_account),\n"
"  PRIMARY KEY (procedure_id, holder_account, partner_account)\n"
") STRICT, WITHOUT ROWID;\n"

"CREATE TABLE award_setups (\n"
"  lot_id           INTEGER PRIMARY KEY,\n"
"  procedure_id     INTEGER NOT NULL REFERENCES procedures(id),\n"
"  rules            TEXT NOT NULL CONSTRAINT award_rules\n"
"                   CHECK (rules GLOB '{*}'),\n"
"  updated_at       INTEGER NOT NULL,\n"
"  updated_by       INTEGER REFERENCES accounts(id),\n"
"  quality_final_at INTEGER,\n"
"  quality_final_by INTEGER REFERENCES accounts(id),\n"
"  FOREIGN KEY (lot_id, procedure_id) REFERENCES lots(id, procedure_id)\n"
") STRICT;\n"
"CREATE INDEX award_setups_procedure ON award_setups(procedure_id);\n"

"CREATE TABLE award_assignments (\n"
"  lot_id        INTEGER NOT NULL REFERENCES award_setups(lot_id),\n"
"  account_id    INTEGER NOT NULL REFERENCES accounts(id),\n"
"  criterion_key TEXT NOT NULL,\n"
"  PRIMARY KEY (lot_id, account_id, criterion_key)\n"
") STRICT, WITHOUT ROWID;\n"

"CREATE TABLE award_scores (\n"
"  lot_id        INTEGER NOT NULL REFERENCES award_setups(lot_id),\n"
"  candidate_id  INTEGER NOT NULL REFERENCES candidates(id),\n"
"  criterion_key TEXT NOT NULL,\n"
"  account_id    INTEGER NOT NULL REFERENCES accounts(id),\n"
"  step          INTEGER NOT NULL CHECK (step BETWEEN 0 AND 11),\n"
"  motivation    TEXT NOT NULL CONSTRAINT award_score_motivation\n"
"                CHECK (length(motivation) BETWEEN 1 AND 8000),\n"
"  scored_at     INTEGER NOT NULL,\n"
"  PRIMARY KEY (lot_id, candidate_id, criterion_key, account_id)\n"
") STRICT, WITHOUT ROWID;\n"

"CREATE TABLE award_scorecards (\n"
"  lot_id       INTEGER NOT NULL REFERENCES award_setups(lot_id),\n"
"  account_id   INTEGER NOT NULL REFERENCES accounts(id),\n"
"  submitted_at INTEGER NOT NULL,\n"
"  PRIMARY KEY (lot_id, account_id)\n"
") STRICT, WITHOUT ROWID;\n"

"CREATE TABLE award_consensus (\n"
"  lot_id        INTEGER NOT NULL REFERENCES award_setups(lot_id),\n"
"  candidate_id  INTEGER NOT NULL REFERENCES candidates(id),\n"
"  criterion_key TEXT NOT NULL,\n"
"  step          INTEGER NOT NULL CHECK (step BETWEEN 0 AND 11),\n"
"  motivation    TEXT NOT NULL CONSTRAINT award_consensus_motivation\n"
"                CHECK (length(motivation) BETWEEN 1 AND 8000),\n"
"  recorded_by   INTEGER REFERENCES accounts(id),\n"
"  recorded_at   INTEGER NOT NULL,\n"
"  PRIMARY KEY (lot_id, candidate_id, criterion_key)\n"
") STRICT, WITHOUT ROWID;\n"

"CREATE TABLE award_exclusions (\n"
"  lot_id       INTEGER NOT NULL REFERENCES award_setups(lot_id),\n"
"  candidate_id INTEGER NOT NULL REFERENCES candidates(id),\n"
"  reason       TEXT NOT NULL CONSTRAINT award_exclusion_reason\n"
"               CHECK (length(reason) BETWEEN 1 AND 4000),\n"
"  excluded_by  INTEGER REFERENCES accounts(id),\n"
"  excluded_at  INTEGER NOT NULL,\n"
"  PRIMARY KEY (lot_id, candidate_id)\n"
") STRICT, WITHOUT ROWID;\n"

"CREATE TABLE bid_prices (\n"
"  lot_id        INTEGER NOT NULL,\n"
"  procedure_id  INTEGER NOT NULL REFERENCES procedures(id),\n"
"  candidate_id  INTEGER NOT NULL REFERENCES candidates(id),\n"
"  price_cents   INTEGER NOT NULL CHECK (price_cents > 0),\n"
"  submission_id INTEGER NOT NULL UNIQUE REFERENCES submissions(id),\n"
"  opened_at     INTEGER NOT NULL,\n"
"  PRIMARY KEY (lot_id, candidate_id),\n"
"  FOREIGN KEY (lot_id, procedure_id) REFERENCES lots(id, procedure_id)\n"
") STRICT;\n"

"CREATE TABLE award_decisions (\n"
"  id               INTEGER PRIMARY KEY,\n"
"  procedure_id     INTEGER NOT NULL REFERENCES procedures(id),\n"
"  lot_id           INTEGER NOT NULL REFERENCES award_setups(lot_id),\n"
"  number           INTEGER NOT NULL CHECK (number >= 1),\n"
"  winner_candidate INTEGER REFERENCES candidates(id),\n"
"  sent_at          INTEGER NOT NULL,\n"
"  sent_by          INTEGER REFERENCES accounts(id),\n"
"  standstill_end   INTEGER NOT NULL,\n"
"  doc              TEXT NOT NULL CHECK (doc GLOB '{*}'),\n"
"  corrected_reason TEXT NOT NULL DEFAULT '',\n"
"  status           TEXT NOT NULL DEFAULT 'provisional'\n"
"                   CHECK (status IN ('provisional', 'superseded',\n"
"                                     'definitive')),\n"
"  definitive_at    INTEGER,\n"
"  definitive_by    INTEGER REFERENCES accounts(id),\n"
"  UNIQUE (lot_id, number)\n"
") STRICT;\n"
"CREATE INDEX award_decisions_procedure ON award_decisions(procedure_id);\n"
/* A decision's snapshot is the letters' source: it never changes. */
"CREATE TRIGGER award_decision_doc_fixed BEFORE UPDATE OF doc, sent_at,\n"
"  standstill_end, winner_candidate, number ON award_decisions\n"
"BEGIN SELECT RAISE(ABORT, 'an award decision as sent cannot change'); END;\n"
"CREATE TRIGGER award_decision_kept BEFORE DELETE ON award_decisions\n"
"BEGIN SELECT RAISE(ABORT, 'an award decision is never deleted'); END;\n"

"CREATE TABLE award_objections (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  decision_id  INTEGER NOT NULL REFERENCES award_decisions(id),\n"
"  candidate_id INTEGER NOT NULL REFERENCES candidates(id),\n"
"  kind         TEXT NOT NULL\n"
"               CHECK (kind IN ('objection', 'summary-proceedings')),\n"
"  filed_on     INTEGER NOT NULL,\n"
"  summary      TEXT NOT NULL CONSTRAINT objection_summary\n"
"               CHECK (length(summary) BETWEEN 1 AND 4000),\n"
"  recorded_by  INTEGER REFERENCES accounts(id),\n"
"  recorded_at  INTEGER NOT NULL,\n"
"  closed_on    INTEGER,\n"
"  outcome      TEXT CONSTRAINT objection_outcome\n"
"               CHECK (outcome IS NULL OR length(outcome) BETWEEN 1 AND 4000),\n"
"  CHECK ((closed_on IS NULL) = (outcome IS NULL))\n"
") STRICT;\n"
"CREATE INDEX award_objections_decision ON award_objections(decision_id);\n"

"PRAGMA user_version = 8;\n";

/* v9: dialogue rounds.  A round is the procedure's dialogue-round stage
 * of that number (its period is the stage's); dialogue_rounds holds only
 * the buyer's own plan deadline of a round, when set (no row: the plans
 * are due at the round's end).  Per round and candidate: its concept plan
 * and the meeting's minutes as documents (small BLOBs kept here, like
 * application documents: confidential, but not sealed bids), the meeting
 * (moment, place, written minutes) and the buyer's feedback, which cannot
 * change once published to the candidate.  Self-contained: it only
 * refers to procedures, candidates and accounts. */
static const char v9[] =
"CREATE TABLE dialogue_rounds (\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  round        INTEGER NOT NULL CHECK (round >= 1),\n"
"  plan_due     INTEGER NOT NULL,\n"
"  set_at       INTEGER NOT NULL,\n"
"  set_by       INTEGER REFERENCES accounts(id),\n"
"  PRIMARY KEY (procedure_id, round)\n"
") STRICT;\n"

"CREATE TABLE dialogue_documents (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  candidate_id INTEGER NOT NULL,\n"
"  round        INTEGER NOT NULL CHECK (round >= 1),\n"
"  kind         TEXT NOT NULL CHECK (kind IN ('plan', 'minutes')),\n"
"  name         TEXT NOT NULL\n"
"               CONSTRAINT dialogue_document_name\n"
"               CHECK (length(name) BETWEEN 1 AND 200),\n"
"  content_type TEXT NOT NULL\n"
"               CHECK (content_type IN ('application/pdf', 'application/zip')),\n"
"  size         INTEGER NOT NULL CHECK (size = length(content)),\n"
"  sha256       BLOB NOT NULL CHECK (length(sha256) = 32),\n"
"  content      BLOB NOT NULL\n"
"               CONSTRAINT dialogue_document_size\n"
"               CHECK (length(content) BETWEEN 1 AND 5242880),\n"
"  uploaded_at  INTEGER NOT NULL,\n"
"  uploaded_by  INTEGER REFERENCES accounts(id),\n"
"  UNIQUE (procedure_id, candidate_id, round, kind),\n"
"  FOREIGN KEY (candidate_id, procedure_id)\n"
"    REFERENCES candidates(id, procedure_id)\n"
") STRICT;\n"

"CREATE TABLE dialogue_meetings (\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  candidate_id INTEGER NOT NULL,\n"
"  round        INTEGER NOT NULL CHECK (round >= 1),\n"
"  at           INTEGER NOT NULL,\n"
"  place        TEXT NOT NULL\n"
"               CONSTRAINT dialogue_meeting_place\n"
"               CHECK (length(place) BETWEEN 1 AND 200),\n"
"  planned_at   INTEGER NOT NULL,\n"
"  planned_by   INTEGER REFERENCES accounts(id),\n"
"  minutes      TEXT\n"                  /* NULL: none written */
"               CONSTRAINT dialogue_minutes\n"
"               CHECK (minutes IS NULL OR length(minutes) BETWEEN 1 AND 20000),\n"
"  minutes_at   INTEGER,\n"
"  minutes_by   INTEGER REFERENCES accounts(id),\n"
"  PRIMARY KEY (procedure_id, candidate_id, round),\n"
"  FOREIGN KEY (candidate_id, procedure_id)\n"
"    REFERENCES candidates(id, procedure_id)\n"
") STRICT;\n"

"CREATE TABLE dialogue_feedback (\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  candidate_id INTEGER NOT NULL,\n"
"  round        INTEGER NOT NULL CHECK (round >= 1),\n"
"  text         TEXT NOT NULL\n"
"               CONSTRAINT dialogue_feedback_text\n"
"               CHECK (length(text) BETWEEN 1 AND 8000),\n"
"  written_at   INTEGER NOT NULL,\n"
"  written_by   INTEGER REFERENCES accounts(id),\n"
"  published_at INTEGER,\n"               /* NULL: a draft */
"  published_by INTEGER REFERENCES accounts(id),\n"
"  PRIMARY KEY (procedure_id, candidate_id, round),\n"
"  FOREIGN KEY (candidate_id, procedure_id)\n"
"    REFERENCES candidates(id, procedure_id)\n"
") STRICT;\n"
"CREATE TRIGGER dialogue_feedback_published_no_update\n"
"  BEFORE UPDATE ON dialogue_feedback WHEN OLD.published_at IS NOT NULL\n"
"  BEGIN SELECT RAISE(ABORT, 'published feedback cannot change'); END;\n"
"CREATE TRIGGER dialogue_feedback_published_no_delete\n"
"  BEFORE DELETE ON dialogue_feedback WHEN OLD.published_at IS NOT NULL\n"
"  BEGIN SELECT RAISE(ABORT, 'published feedback cannot change'); END;\n"

"PRAGMA user_version = 9;\n";

/* v10: the largest file a bidder may submit, per procedure.  The buyer
 * sets it (app_submission_max_set) until the tender deadline; without a
 * row the default APP_SUBMISSION_MAX (256 MiB) holds.  Bounds: 1 MiB to
 * 2 GiB, in bytes.  Self-contained: one new table, nothing else. */
static const char v10[] =
"CREATE TABLE submission_limits (\n"
"  procedure_id INTEGER PRIMARY KEY REFERENCES procedures(id),\n"
"  max_bytes    INTEGER NOT NULL\n"
"               CHECK (max_bytes BETWEEN 1048576 AND 2147483648),\n"
"  set_at       INTEGER NOT NULL,\n"
"  set_by       INTEGER REFERENCES accounts(id)\n"
") STRICT;\n"

"PRAGMA user_version = 10;\n";

/* v11: selection over several rounds.  A selection criterion belongs to
 * one round: round 1 is the preselection on the application (every
 * criterion before this version, hence the default), a later round n
 * ranks only the candidates admitted in round n-1 on its own criteria
 * (e.g. on a selection document after the first dialogue phase).  The
 * rounds themselves and their results are v7's selection_rounds and
 * selection_results, whose number already counts from 1.  At most 10
 * rounds (SEL_MAX_ROUNDS).  Self-contained: one column, nothing else. */
static const char v11[] =
"ALTER TABLE selection_criteria ADD COLUMN round INTEGER NOT NULL\n"
"  DEFAULT 1 CONSTRAINT criterion_round\n"
"  CHECK (round BETWEEN 1 AND 10);\n"

"PRAGMA user_version = 11;\n";

/* v12: bids of several documents.  Per lot the buyer lists the
 * documents a bid must (or may) contain, each with its own size limit
 * (1 MiB to 2 GiB, in bytes); a submission may name the document it
 * is (NULL: a bid of one file, as before this version).  A document is
 * removed by marking it (removed_at), so the submissions that name it
 * keep their meaning.  Self-contained: one new table and one column. */
static const char v12[] =
"CREATE TABLE bid_documents (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  lot_id       INTEGER NOT NULL,\n"
"  name         TEXT NOT NULL\n"
"               CHECK (length(name) BETWEEN 1 AND 200),\n"
"  required     INTEGER NOT NULL CHECK (required IN (0, 1)),\n"
"  max_bytes    INTEGER NOT NULL\n"
"               CHECK (max_bytes BETWEEN 1048576 AND 2147483648),\n"
"  created_at   INTEGER NOT NULL,\n"
"  created_by   INTEGER REFERENCES accounts(id),\n"
"  removed_at   INTEGER,\n"
"  FOREIGN KEY (lot_id, procedure_id) REFERENCES lots(id, procedure_id)\n"
") STRICT;\n"
"CREATE INDEX bid_documents_lot ON bid_documents(procedure_id, lot_id);\n"
"ALTER TABLE submissions ADD COLUMN document_id INTEGER\n"
"  REFERENCES bid_documents(id);\n"

"PRAGMA user_version = 12;\n";

/* v13: organisations as accounts that take part in any number of
 * tenders, and claims of a KvK number that cannot lock anyone out.  An
 * organisation account (org_claims) is the group of users who act for
 * one KvK number (organisations stays the register of KvK numbers, one
 * row each); two accounts may claim the same KvK number, and where both
 * register for one procedure the buyer records which is genuine, with
 * the reason (claim_verdicts).  candidate_claims says which organisation
 * account registered a candidate; party_confirmations which members of
 * a consortium confirmed from their own account; org_invitations the
 * one-time links by which users join (the token's SHA-256 only).
 * Existing supplier accounts become one organisation account per KvK
 * number, its first account the administrator.  Self-contained: new
 * tables and their rows, nothing else changes. */
static const char v13[] =
"CREATE TABLE org_claims (\n"
"  id         INTEGER PRIMARY KEY,\n"
"  org_id     INTEGER NOT NULL REFERENCES organisations(id),\n"
"  name       TEXT NOT NULL CHECK (length(name) > 0),\n"
"  address    TEXT NOT NULL DEFAULT '',\n"
"  created_at INTEGER NOT NULL,\n"
"  created_by INTEGER REFERENCES accounts(id)\n"
") STRICT;\n"
"CREATE INDEX org_claims_org ON org_claims(org_id);\n"

"CREATE TABLE claim_users (\n"
"  account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,\n"
"  claim_id   INTEGER NOT NULL REFERENCES org_claims(id),\n"
"  admin      INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),\n"
"  joined_at  INTEGER NOT NULL\n"
") STRICT;\n"
"CREATE INDEX claim_users_claim ON claim_users(claim_id);\n"

"CREATE TABLE candidate_claims (\n"
"  candidate_id INTEGER PRIMARY KEY REFERENCES candidates(id)\n"
"               ON DELETE CASCADE,\n"
"  claim_id     INTEGER NOT NULL REFERENCES org_claims(id)\n"
") STRICT;\n"
"CREATE INDEX candidate_claims_claim ON candidate_claims(claim_id);\n"

"CREATE TABLE claim_verdicts (\n"
"  candidate_id INTEGER PRIMARY KEY REFERENCES candidates(id)\n"
"               ON DELETE CASCADE,\n"
"  genuine      INTEGER NOT NULL CHECK (genuine IN (0, 1)),\n"
"  reason       TEXT NOT NULL CHECK (length(reason) > 0),\n"
"  decided_at   INTEGER NOT NULL,\n"
"  decided_by   INTEGER NOT NULL REFERENCES accounts(id)\n"
") STRICT;\n"

"CREATE TABLE party_confirmations (\n"
"  candidate_id INTEGER NOT NULL REFERENCES candidates(id)\n"
"               ON DELETE CASCADE,\n"
"  org_id       INTEGER NOT NULL REFERENCES organisations(id),\n"
"  claim_id     INTEGER NOT NULL REFERENCES org_claims(id),\n"
"  confirmed_at INTEGER NOT NULL,\n"
"  confirmed_by INTEGER NOT NULL REFERENCES accounts(id),\n"
"  PRIMARY KEY (candidate_id, org_id)\n"
") STRICT;\n"

"CREATE TABLE org_invitations (\n"
"  id         INTEGER PRIMARY KEY,\n"
"  claim_id   INTEGER NOT NULL REFERENCES org_claims(id),\n"
"  email      TEXT NOT NULL CHECK (length(email) > 0),\n"
"  token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),\n"
"  created_at INTEGER NOT NULL,\n"
"  created_by INTEGER NOT NULL REFERENCES accounts(id),\n"
"  expires_at INTEGER NOT NULL,\n"
"  used_at    INTEGER,\n"
"  used_by    INTEGER REFERENCES accounts(id)\n"
") STRICT;\n"
"CREATE INDEX org_invitations_claim ON org_invitations(claim_id);\n"

"INSERT INTO org_claims (org_id, name, created_at)\n"
"  SELECT o.id, o.name, o.created_at FROM organisations o\n"
"  WHERE o.kind = 'supplier'\n"
"    AND EXISTS (SELECT 1 FROM accounts a WHERE a.org_id = o.id);\n"
"INSERT INTO claim_users (account_id, claim_id, admin, joined_at)\n"
"  SELECT a.id, c.id,\n"
"         a.id = (SELECT min(b.id) FROM accounts b WHERE b.org_id = a.org_id),\n"
"         a.created_at\n"
"  FROM accounts a JOIN org_claims c ON c.org_id = a.org_id;\n"
"INSERT OR IGNORE INTO candidate_claims (candidate_id, claim_id)\n"
"  SELECT g.candidate_id, u.claim_id FROM grants g\n"
"  JOIN claim_users u ON u.account_id = g.account_id\n"
"  WHERE g.role = 'bidder' AND g.candidate_id IS NOT NULL;\n"

"PRAGMA user_version = 13;\n";

/* v14: procurement documents and candidates' visits.  A buyer publishes
 * documents of a procedure or one of its lots (leidraad, programma van
 * eisen, conceptovereenkomst, annex); each upload of the same kind, lot
 * and title is a new version, every version kept with its content (at
 * most 25 MiB: a blob is fine at that size).  tender_visits holds per
 * account and procedure its last visit of the tender page and the one
 * before, so a candidate sees what changed since.  Self-contained: new
 * tables only. */
static const char v14[] =
"CREATE TABLE tender_documents (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  lot_id       INTEGER NOT NULL DEFAULT 0,\n"
"  kind         TEXT NOT NULL\n"
"               CHECK (kind IN ('leidraad', 'pve', 'concept', 'annex')),\n"
"  title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),\n"
"  created_at   INTEGER NOT NULL,\n"
"  created_by   INTEGER REFERENCES accounts(id),\n"
"  UNIQUE (procedure_id, lot_id, kind, title)\n"
") STRICT;\n"
"CREATE TABLE tender_document_versions (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  document_id  INTEGER NOT NULL REFERENCES tender_documents(id),\n"
"  version      INTEGER NOT NULL CHECK (version >= 1),\n"
"  file_name    TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),\n"
"  content_type TEXT NOT NULL,\n"
"  size         INTEGER NOT NULL CHECK (size BETWEEN 1 AND 26214400),\n"
"  sha256       BLOB NOT NULL CHECK (length(sha256) = 32),\n"
"  content      BLOB NOT NULL,\n"
"  uploaded_at  INTEGER NOT NULL,\n"
"  uploaded_by  INTEGER REFERENCES accounts(id),\n"
"  UNIQUE (document_id, version)\n"
") STRICT;\n"
"CREATE TABLE tender_visits (\n"
"  account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,\n"
"  procedure_id INTEGER NOT NULL REFERENCES procedures(id),\n"
"  last_at      INTEGER NOT NULL,\n"
"  previous_at  INTEGER NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY (account_id, procedure_id)\n"
") STRICT;\n"

"PRAGMA user_version = 14;\n";

/* v15: application documents up to 50 MiB (APP_DOCUMENT_MAX), streamed
 * into the blob in pieces, where v6 capped them at 5 MiB.  SQLite cannot
 * change a CHECK in place, so the table is rebuilt: the rows are copied
 * to a new one, the old dropped and the new renamed.  No table refers to
 * it. */
static const char v15[] =
"CREATE TABLE application_documents_v15 (\n"
"  id           INTEGER PRIMARY KEY,\n"
"  candidate_id INTEGER NOT NULL REFERENCES applications(candidate_id),\n"
"  name         TEXT NOT NULL\n"
"               CONSTRAINT document_name\n"
"               CHECK (length(name) BETWEEN 1 AND 200),\n"
"  size         INTEGER NOT NULL CHECK (size = length(content)),\n"
"  sha256       BLOB NOT NULL CHECK (length(sha256) = 32),\n"
"  content      BLOB NOT NULL\n"
"               CONSTRAINT document_size\n"
"               CHECK (length(content) <= 52428800),\n"
"  uploaded_at  INTEGER NOT NULL,\n"
"  UNIQUE (candidate_id, name)\n"
") STRICT;\n"
"INSERT INTO application_documents_v15 (id, candidate_id, name, size, sha256, content, uploaded_at)\n"
"  SELECT id, candidate_id, name, size, sha256, content, uploaded_at FROM application_documents;\n"
"DROP TABLE application_documents;\n"
"ALTER TABLE application_documents_v15 RENAME TO application_documents;\n"

"PRAGMA user_version = 15;\n";

/* v16: a procedure's description, what is bought and why, shown on the
 * public tender page ("" for procedures made before). */
static const char v16[] =
"ALTER TABLE procedures ADD COLUMN description TEXT NOT NULL DEFAULT ''\n"
"  CHECK (length(description) <= 4000);\n"

"PRAGMA user_version = 16;\n";

/* v17: quotas per candidate and lot beside the largest file (issue 13,
 * core/quota.h): how many live files and how many bytes together one
 * candidate may keep in one lot's vault.  A procedure without a row, and
 * the rows made before, hold the defaults (20 files, 1 GiB). */
static const char v17[] =
"ALTER TABLE submission_limits ADD COLUMN quota_files INTEGER NOT NULL DEFAULT 20\n"
"  CHECK (quota_files BETWEEN 1 AND 1000);\n"
"ALTER TABLE submission_limits ADD COLUMN quota_bytes INTEGER NOT NULL DEFAULT 1073741824\n"
"  CHECK (quota_bytes BETWEEN 1048576 AND 17179869184);\n"

"PRAGMA user_version = 17;\n";

/* v18: a contract's cost model (issue 16, core/costmodel.h), the
 * substantiation of a reëel budget: one JSON document per contract as
 * the app writes it (app_cost_model_set checks it whole first), replaced
 * as the buyer refines it; each version is in the audit trail. */
static const char v18[] =
"CREATE TABLE cost_models (\n"
"  contract_id INTEGER PRIMARY KEY REFERENCES contracts(id),\n"
"  model       TEXT NOT NULL CHECK (length(model) BETWEEN 2 AND 262144),\n"
"  updated_at  INTEGER NOT NULL,\n"
"  updated_by  INTEGER REFERENCES accounts(id)\n"
") STRICT;\n"

"PRAGMA user_version = 18;\n";

static const char *const scripts[] = {v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16, v17, v18};
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
