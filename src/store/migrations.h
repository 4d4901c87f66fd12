/*
 * migrations.h - private to the SQLite driver: the versioned schema
 * (PRAGMA user_version) and the hook the tests use to build an old
 * database.  Not part of the storage interface; domain code includes
 * store.h only.
 */
#ifndef KAVEL_STORE_MIGRATIONS_H
#define KAVEL_STORE_MIGRATIONS_H

#include <sqlite3.h>

#include "core/error.h"

struct store;

/* PRAGMA application_id of a Kavel database: "KVEL". */
#define KAVEL_APPLICATION_ID 0x4B56454C

/* Highest schema version this build knows (the same as
 * store_sqlite_latest_version()). */
int migrations_latest(void);

/* The database's user_version, or -1 with e filled. */
int migrations_current(sqlite3 *db, struct kv_error *e);

/* Brings db from its current version up to `target` (<= latest), each
 * version in its own BEGIN IMMEDIATE transaction, re-reading the version
 * inside it so two processes opening one file at once apply each step
 * once.  A database already at or past target is left alone. */
enum kv_status migrations_apply(sqlite3 *db, int target, struct kv_error *e);

/* Test hook: store_sqlite_open, but migrating only up to `version`
 * (1..latest).  A store opened below the latest version supports only the
 * operations whose tables exist at that version. */
struct store *store_sqlite_open_at_version(const char *path, int version,
					   struct kv_error *e);

#endif
