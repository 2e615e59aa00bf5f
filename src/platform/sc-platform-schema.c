/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-schema.h"

#include "sc-platform-util.h"
#include "sc-secret.h"

static const char * const migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
  "INSERT INTO counters (name, value) VALUES ('code_version', 0);"
  "CREATE TABLE stores ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, timezone TEXT NOT NULL, salt TEXT NOT NULL);"
  "CREATE TABLE clerks ("
  "  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,"
  "  id TEXT NOT NULL, name TEXT NOT NULL, pin TEXT NOT NULL,"
  "  PRIMARY KEY (store_id, id));"
  "CREATE TABLE sessions ("
  "  token TEXT PRIMARY KEY, store_id TEXT NOT NULL, clerk_id TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
  "CREATE TABLE activities ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, end_at INTEGER NOT NULL,"
  "  claim_days INTEGER NOT NULL DEFAULT 7);"
  "CREATE TABLE codes ("
  "  code TEXT PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('pickup', 'coupon', 'prize')),"
  "  store_id TEXT NOT NULL REFERENCES stores (id),"
  "  state TEXT NOT NULL DEFAULT 'active'"
  "    CHECK (state IN ('active', 'invalidated', 'gifting', 'deleted')),"
  "  valid_from INTEGER, valid_until INTEGER,"
  "  realtime_only INTEGER NOT NULL DEFAULT 0,"
  "  redemption_id TEXT,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  note TEXT NOT NULL DEFAULT '',"
  "  order_id TEXT, customer_name TEXT, customer_masked TEXT, phone_tail TEXT,"
  "  total_fen INTEGER, items TEXT,"
  "  coupon_type TEXT CHECK (coupon_type IN ('cash', 'threshold', 'discount')),"
  "  title TEXT, value_fen INTEGER, min_spend_fen INTEGER, percent_off INTEGER, cap_fen INTEGER,"
  "  activity_id TEXT REFERENCES activities (id), prize_name TEXT, person_id TEXT);"
  "CREATE INDEX codes_store_version ON codes (store_id, version);"
  "CREATE INDEX codes_store_tail ON codes (store_id, phone_tail);"
  "CREATE TABLE redemptions ("
  "  id TEXT PRIMARY KEY, code TEXT NOT NULL REFERENCES codes (code), kind TEXT NOT NULL,"
  "  store_id TEXT NOT NULL, clerk_id TEXT NOT NULL, source TEXT NOT NULL,"
  "  scanned_at INTEGER NOT NULL, redeemed_at INTEGER NOT NULL, offline INTEGER NOT NULL,"
  "  bill_fen INTEGER, discount_fen INTEGER, reversed_at INTEGER);"
  "CREATE INDEX redemptions_store_time ON redemptions (store_id, redeemed_at);"
  "CREATE TABLE idempotency ("
  "  scope TEXT NOT NULL, key TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL, PRIMARY KEY (scope, key));"
  "CREATE TABLE prize_claims ("
  "  id TEXT PRIMARY KEY, activity_id TEXT NOT NULL REFERENCES activities (id),"
  "  person_id TEXT NOT NULL, code TEXT NOT NULL, status TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX prize_claims_person ON prize_claims (activity_id, person_id);",

  /* Sessions are kept when they end (offline scans are judged against the
   * sessions a clerk had); PINs become salted hashes (pin_hash, filled from
   * the clear pin column, which then goes: see sc_platform_schema_secure_pins_job); a
   * redemption id is the store's own (another store may use the same one
   * without either learning of the other). */
  "ALTER TABLE sessions ADD COLUMN ended_at INTEGER;"
  "CREATE INDEX sessions_clerk ON sessions (store_id, clerk_id, created_at);"
  "ALTER TABLE clerks ADD COLUMN pin_hash TEXT;"
  "CREATE TABLE redemptions_by_store ("
  "  id TEXT NOT NULL, code TEXT NOT NULL REFERENCES codes (code), kind TEXT NOT NULL,"
  "  store_id TEXT NOT NULL, clerk_id TEXT NOT NULL, source TEXT NOT NULL,"
  "  scanned_at INTEGER NOT NULL, redeemed_at INTEGER NOT NULL, offline INTEGER NOT NULL,"
  "  bill_fen INTEGER, discount_fen INTEGER, reversed_at INTEGER,"
  "  PRIMARY KEY (store_id, id));"
  "INSERT INTO redemptions_by_store (id, code, kind, store_id, clerk_id, source, scanned_at,"
  "  redeemed_at, offline, bill_fen, discount_fen, reversed_at)"
  "  SELECT id, code, kind, store_id, clerk_id, source, scanned_at, redeemed_at, offline,"
  "  bill_fen, discount_fen, reversed_at FROM redemptions;"
  "DROP TABLE redemptions;"
  "ALTER TABLE redemptions_by_store RENAME TO redemptions;"
  "CREATE INDEX redemptions_store_time ON redemptions (store_id, redeemed_at);",

  /* Orders get lines (issue 12): each item of a pickup order is a line with
   * a stable id ("1", "2"... in the order of its items), kept in step with
   * codes.items by triggers; line_events records what each redemption took
   * of a line (picked, given back when the redemption is reversed) and the
   * missing or damaged marks. Orders already redeemed get their lines as
   * picked by that redemption. */
  "ALTER TABLE codes ADD COLUMN created_at INTEGER;"
  "ALTER TABLE redemptions ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE redemptions ADD COLUMN reversed_by TEXT;"
  "CREATE TABLE order_lines ("
  "  code TEXT NOT NULL, line_id TEXT NOT NULL, name TEXT NOT NULL,"
  "  qty INTEGER NOT NULL, price_fen INTEGER NOT NULL, PRIMARY KEY (code, line_id));"
  "CREATE TABLE line_events ("
  "  id INTEGER PRIMARY KEY, code TEXT NOT NULL, line_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('picked', 'missing')), qty INTEGER NOT NULL,"
  "  redemption_id TEXT, store_id TEXT NOT NULL, clerk_id TEXT NOT NULL, at INTEGER NOT NULL,"
  "  reason TEXT, note TEXT);"
  "CREATE INDEX line_events_code ON line_events (code, line_id);"
  "CREATE INDEX line_events_redemption ON line_events (store_id, redemption_id);"
  "CREATE INDEX redemptions_code ON redemptions (code);"
  "CREATE INDEX codes_store_order ON codes (store_id, order_id);"
  "CREATE TRIGGER codes_lines_insert AFTER INSERT ON codes"
  "  WHEN NEW.kind = 'pickup' AND json_valid (NEW.items) BEGIN"
  "  INSERT INTO order_lines (code, line_id, name, qty, price_fen)"
  "    SELECT NEW.code, CAST (j.key + 1 AS TEXT), COALESCE (json_extract (j.value, '$.name'), ''),"
  "    COALESCE (json_extract (j.value, '$.quantity'), 0),"
  "    COALESCE (json_extract (j.value, '$.price_fen'), 0)"
  "    FROM json_each (NEW.items) j;"
  "  END;"
  "CREATE TRIGGER codes_lines_update AFTER UPDATE OF items ON codes"
  "  WHEN NEW.kind = 'pickup' BEGIN"
  "  DELETE FROM order_lines WHERE code = NEW.code;"
  "  INSERT INTO order_lines (code, line_id, name, qty, price_fen)"
  "    SELECT NEW.code, CAST (j.key + 1 AS TEXT), COALESCE (json_extract (j.value, '$.name'), ''),"
  "    COALESCE (json_extract (j.value, '$.quantity'), 0),"
  "    COALESCE (json_extract (j.value, '$.price_fen'), 0)"
  "    FROM json_each (CASE WHEN json_valid (NEW.items) THEN NEW.items ELSE '[]' END) j;"
  "  END;"
  "CREATE TRIGGER codes_lines_delete AFTER DELETE ON codes BEGIN"
  "  DELETE FROM order_lines WHERE code = OLD.code;"
  "  DELETE FROM line_events WHERE code = OLD.code;"
  "  END;"
  "INSERT INTO order_lines (code, line_id, name, qty, price_fen)"
  "  SELECT c.code, CAST (j.key + 1 AS TEXT), COALESCE (json_extract (j.value, '$.name'), ''),"
  "  COALESCE (json_extract (j.value, '$.quantity'), 0),"
  "  COALESCE (json_extract (j.value, '$.price_fen'), 0)"
  "  FROM codes c, json_each (CASE WHEN json_valid (c.items) THEN c.items ELSE '[]' END) j"
  "  WHERE c.kind = 'pickup';"
  "INSERT INTO line_events (code, line_id, kind, qty, redemption_id, store_id, clerk_id, at)"
  "  SELECT l.code, l.line_id, 'picked', l.qty, r.id, r.store_id, r.clerk_id, r.redeemed_at"
  "  FROM order_lines l JOIN codes c ON c.code = l.code"
  "  JOIN redemptions r ON r.store_id = c.store_id AND r.id = c.redemption_id;",
};

const char * const *
sc_platform_schema_get_migrations (gsize *out_n_migrations)
{
  *out_n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}

/* The value of @key in meta, made of @n_bytes random bytes (hex) at the
 * first open and kept. */
char *
sc_platform_schema_meta_get_or_create (ScDb       *db,
                                       const char *key,
                                       gsize       n_bytes,
                                       GError    **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT value FROM meta WHERE key = ?1", error);
  g_autofree char *value = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sc_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    value = sc_db_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  if (value != NULL)
    return g_steal_pointer (&value);

  value = sc_platform_random_hex (n_bytes);
  stmt = sc_db_prepare (db, "INSERT INTO meta (key, value) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;
  return g_steal_pointer (&value);
}

/* The platform's secret (live-token signatures, the stores' keys). */
gpointer
sc_platform_schema_load_secret_job (ScDb    *db,
                                    gpointer data,
                                    GError **error)
{
  /* Room for a large test data set (admin bulk orders) in memory: 64 MiB. */
  if (!sc_db_exec (db, "PRAGMA cache_size = -65536", error))
    return NULL;
  return sc_platform_schema_meta_get_or_create (db, "secret", 32, error);
}

/* Clear PINs (from before the hashes) become hashes, and the column goes. */
gpointer
sc_platform_schema_secure_pins_job (ScDb    *db,
                                    gpointer data,
                                    GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_pin = FALSE;
  int rc;

  stmt = sc_db_prepare (db, "SELECT 1 FROM pragma_table_info ('clerks') WHERE name = 'pin'",
                        error);
  if (stmt == NULL)
    return NULL;
  rc = sc_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  has_pin = rc == SQLITE_ROW;
  if (!has_pin)
    return GINT_TO_POINTER (TRUE);

  for (;;)
    {
      g_autofree char *store_id = NULL;
      g_autofree char *clerk_id = NULL;
      g_autoptr(ScSecretText) pin = NULL;
      g_autofree char *hash = NULL;

      stmt = sc_db_prepare (db, "SELECT store_id, id, pin FROM clerks WHERE pin_hash IS NULL"
                                " LIMIT 1", error);
      if (stmt == NULL)
        return NULL;
      rc = sc_db_step (db, stmt, error);
      if (rc == SQLITE_ROW)
        {
          store_id = sc_db_column_dup_text (stmt, 0);
          clerk_id = sc_db_column_dup_text (stmt, 1);
          pin = sc_db_column_dup_text (stmt, 2);
        }
      sqlite3_reset (stmt);
      if (rc < 0)
        return NULL;
      if (rc != SQLITE_ROW)
        break;

      hash = sc_platform_pin_hash_new (pin != NULL ? pin : "");
      stmt = sc_db_prepare (db, "UPDATE clerks SET pin_hash = ?3 WHERE store_id = ?1 AND id = ?2",
                            error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, store_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clerk_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);
      if (!sc_db_step_done (db, stmt, error))
        return NULL;
    }

  if (!sc_db_exec (db, "ALTER TABLE clerks DROP COLUMN pin", error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/* The platform's own id (DESIGN §6): random, made at the first open and
 * kept in meta, so that counters know it under any address. */
gpointer
sc_platform_schema_load_platform_id_job (ScDb    *db,
                                         gpointer data,
                                         GError **error)
{
  return sc_platform_schema_meta_get_or_create (db, "platform_id", 16, error);
}
