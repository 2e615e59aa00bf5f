/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-cache.h"

#include <glib/gi18n-lib.h>

#include "sc-cache-private.h"
#include "sc-db.h"
#include "sc-secret.h"
#include "sc-store-key.h"
#include "sc-time.h"

/*
 * Each public call packages its arguments as an ScDb job; the job runs in
 * one transaction on the DB thread; the result comes back through the
 * cache's own GTask (so callbacks see the ScCache as source object) on the
 * caller's main context, after the commit.
 */

static const char * const migrations[] = {
  /* 0 -> 1: the redemption log and its outbox */
  "CREATE TABLE redemptions ("
  "  id            TEXT    NOT NULL PRIMARY KEY,"
  "  payload       TEXT    NOT NULL,"
  "  code          TEXT    NOT NULL,"
  "  kind          TEXT    NOT NULL CHECK (kind IN ('pickup', 'coupon', 'prize')),"
  "  source        TEXT,"
  "  store_id      TEXT,"
  "  clerk_id      TEXT,"
  "  scanned_at    INTEGER NOT NULL,"
  "  created_at    INTEGER NOT NULL,"
  "  bill_fen      INTEGER NOT NULL DEFAULT -1,"
  "  discount_fen  INTEGER NOT NULL DEFAULT -1,"
  "  offline       INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0, 1)),"
  "  state         TEXT    NOT NULL DEFAULT 'pending'"
  "                CHECK (state IN ('pending', 'uncertain', 'synced', 'conflict',"
  "                                 'rejected', 'withdrawn', 'reversed')),"
  "  redeemed_at   INTEGER NOT NULL DEFAULT 0,"
  "  reason        TEXT,"
  "  updated_at    INTEGER NOT NULL"
  ");"
  "CREATE INDEX redemptions_created_at ON redemptions (created_at);"
  "CREATE INDEX redemptions_state ON redemptions (state);"
  "CREATE TABLE outbox ("
  "  seq              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  redemption_id    TEXT    NOT NULL UNIQUE REFERENCES redemptions (id),"
  "  action           TEXT    NOT NULL DEFAULT 'redeem',"
  "  idempotency_key  TEXT    NOT NULL,"
  "  attempts         INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at  INTEGER NOT NULL DEFAULT 0,"
  "  last_error       TEXT"
  ");",

  /* 1 -> 2: the pickup manifest for offline lookups */
  "CREATE TABLE manifest_meta ("
  "  store_id    TEXT    NOT NULL PRIMARY KEY,"
  "  version     INTEGER NOT NULL DEFAULT 0,"
  "  salt        TEXT,"
  "  fetched_at  INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE manifest_orders ("
  "  order_id         TEXT    NOT NULL PRIMARY KEY,"
  "  store_id         TEXT    NOT NULL,"
  "  code_sha256      TEXT    NOT NULL UNIQUE,"
  "  status           TEXT,"
  "  valid_from       INTEGER,"
  "  valid_until      INTEGER,"
  "  phone_tail       TEXT,"
  "  customer_masked  TEXT,"
  "  items_json       TEXT,"
  "  total_fen        INTEGER"
  ");"
  "CREATE INDEX manifest_orders_phone_tail ON manifest_orders (phone_tail);"
  "CREATE INDEX redemptions_store_id ON redemptions (store_id);",

  /* 2 -> 3: offline lookups: a code's own redemptions, and who redeemed a
   * manifest order (the platform's record, as JSON) */
  "CREATE INDEX redemptions_code ON redemptions (code);"
  "ALTER TABLE manifest_orders ADD COLUMN redeemed_json TEXT;",

  /* 3 -> 4: offline login (sc-cache-login.c): what the last online login
   * of each clerk left to check a PIN against without the platform: a
   * salted, iterated HMAC-SHA256 of the PIN, never the PIN or the token;
   * and the outbox's next retry, found fast */
  "CREATE TABLE offline_logins ("
  "  platform_url    TEXT    NOT NULL,"
  "  store_id        TEXT    NOT NULL,"
  "  clerk_id        TEXT    NOT NULL,"
  "  store_name      TEXT    NOT NULL,"
  "  store_timezone  TEXT    NOT NULL,"
  "  clerk_name      TEXT    NOT NULL,"
  "  undo_window_s   INTEGER NOT NULL,"
  "  salt            TEXT    NOT NULL,"
  "  iterations      INTEGER NOT NULL CHECK (iterations >= 1),"
  "  verifier        TEXT    NOT NULL,"
  "  logged_in_at    INTEGER NOT NULL,"
  "  PRIMARY KEY (platform_url, store_id, clerk_id)"
  ");"
  "CREATE INDEX outbox_next_attempt_at ON outbox (next_attempt_at);",
  /* 4 -> 5: conflict details: the platform's record of the redemption that
   * took the code (a lookup-shaped JSON object), when the platform refused
   * ours, and when the clerk acknowledged it (0: not yet) */
  "ALTER TABLE redemptions ADD COLUMN conflict_json TEXT;"
  "ALTER TABLE redemptions ADD COLUMN conflict_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE redemptions ADD COLUMN acknowledged_at INTEGER NOT NULL DEFAULT 0;"
  "UPDATE redemptions SET conflict_at = updated_at WHERE state = 'conflict';"
  "CREATE INDEX redemptions_conflicts ON redemptions (store_id, created_at) "
  "  WHERE state = 'conflict';",

  /* Who an outbox row belongs to (DESIGN §7): the platform it was made with
   * (the id that platform reports), the store and the clerk; only a session
   * of theirs sends it (sc-cache-outbox.c). Rows from before take store and
   * clerk from their log row and no platform: the first session of that
   * store and clerk on any platform claims them. An offline login takes
   * the platform id of the last online login at that address. */
  "ALTER TABLE redemptions ADD COLUMN platform_id TEXT;"
  "ALTER TABLE offline_logins ADD COLUMN platform_id TEXT;"
  "ALTER TABLE outbox ADD COLUMN platform_id TEXT;"
  "ALTER TABLE outbox ADD COLUMN store_id TEXT;"
  "ALTER TABLE outbox ADD COLUMN clerk_id TEXT;"
  "UPDATE outbox SET"
  "  store_id = (SELECT r.store_id FROM redemptions r WHERE r.id = outbox.redemption_id),"
  "  clerk_id = (SELECT r.clerk_id FROM redemptions r WHERE r.id = outbox.redemption_id);"
  "CREATE INDEX outbox_owner ON outbox (store_id, clerk_id, platform_id);",

  /* 6 -> 7: secrets at rest (DESIGN §6, §13). Manifest code hashes and
   * offline PIN verifiers are now keyed with the store's key, which never
   * enters this file: manifest_orders.code_sha256 holds HMAC-SHA256 (key,
   * code) and manifest_meta.salt the key's id (sc-store-key.h); each
   * verifier names its key by offline_logins.key_id. What the older,
   * unkeyed scheme left is dropped (overwritten on disk, not just
   * unlinked): the manifest is fetched again in full, and each clerk logs in
   * online once before an offline login. */
  "PRAGMA secure_delete = ON;"
  "DELETE FROM manifest_orders;"
  "DELETE FROM manifest_meta;"
  "DELETE FROM offline_logins;"
  "ALTER TABLE offline_logins ADD COLUMN key_id TEXT;",

  /* 7 -> 8: partial pickups (issue 12): the lines a redemption hands over,
   * as JSON [{line_id, qty}]; NULL for a whole-order redemption (every row
   * from before) */
  "ALTER TABLE redemptions ADD COLUMN lines_json TEXT;",
};

#define REDEMPTION_COLUMNS SC_CACHE_REDEMPTION_COLUMNS

struct _ScCache
{
  GObject     parent_instance;

  ScDb       *db;          /* (owned) */

  /* Store id -> its key (sc-store-key.h), in memory only, never in the
   * database; jobs take a copy when they are queued. */
  GMutex      keys_lock;
  GHashTable *store_keys;  /* (owned) utf8 -> (owned) secret utf8; guarded by keys_lock */
};

G_DEFINE_FINAL_TYPE (ScCache, sc_cache, G_TYPE_OBJECT)

void
sc_outbox_item_free (ScOutboxItem *item)
{
  if (item == NULL)
    return;

  g_free (item->action);
  g_free (item->idempotency_key);
  g_free (item->last_error);
  g_free (item->platform_id);
  g_free (item->store_id);
  g_free (item->clerk_id);
  g_clear_pointer (&item->redemption, sc_redemption_free);
  g_free (item);
}

const char * const *
sc_cache_get_migrations (guint *n_migrations)
{
  if (n_migrations != NULL)
    *n_migrations = G_N_ELEMENTS (migrations);

  return migrations;
}

char *
sc_cache_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "store-counter", "counter.db", NULL);
}

static gboolean
is_redeemable_kind (ScCodeKind kind)
{
  return kind == SC_CODE_KIND_PICKUP || kind == SC_CODE_KIND_COUPON ||
         kind == SC_CODE_KIND_PRIZE;
}

/* Reads REDEMPTION_COLUMNS starting at column @first. */
ScRedemption *
sc_cache_redemption_from_row (sqlite3_stmt  *stmt,
                              int            first,
                              GError       **error)
{
  g_autoptr(ScRedemption) r = g_new0 (ScRedemption, 1);
  g_autofree char *kind = NULL;
  g_autofree char *state = NULL;
  g_autofree char *lines = NULL;

  r->id = sc_db_column_dup_text (stmt, first + 0);
  r->payload = sc_db_column_dup_text (stmt, first + 1);
  r->code = sc_db_column_dup_text (stmt, first + 2);
  kind = sc_db_column_dup_text (stmt, first + 3);
  r->source = sc_db_column_dup_text (stmt, first + 4);
  r->store_id = sc_db_column_dup_text (stmt, first + 5);
  r->clerk_id = sc_db_column_dup_text (stmt, first + 6);
  r->scanned_at = sqlite3_column_int64 (stmt, first + 7);
  r->created_at = sqlite3_column_int64 (stmt, first + 8);
  r->bill_fen = sqlite3_column_int64 (stmt, first + 9);
  r->discount_fen = sqlite3_column_int64 (stmt, first + 10);
  r->offline = sqlite3_column_int (stmt, first + 11) != 0;
  state = sc_db_column_dup_text (stmt, first + 12);
  r->redeemed_at = sqlite3_column_int64 (stmt, first + 13);
  r->reason = sc_db_column_dup_text (stmt, first + 14);
  r->updated_at = sqlite3_column_int64 (stmt, first + 15);
  r->platform_id = sc_db_column_dup_text (stmt, first + 16);
  lines = sc_db_column_dup_text (stmt, first + 17);
  if (lines != NULL)
    r->lines = sc_line_qtys_from_text (lines);

  if (!sc_code_kind_from_string (kind, &r->kind) ||
      !sc_redemption_state_from_string (state, &r->state) ||
      (lines != NULL && r->lines == NULL))
    {
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_CORRUPT,
                   _("The local redemption log has a record it cannot read (%s)"),
                   r->id != NULL ? r->id : "?");
      return NULL;
    }

  return g_steal_pointer (&r);
}

ScOutboxItem *
sc_cache_outbox_item_from_row (sqlite3_stmt  *stmt,
                               GError       **error)
{
  g_autoptr(ScOutboxItem) item = g_new0 (ScOutboxItem, 1);

  item->seq = sqlite3_column_int64 (stmt, 0);
  item->action = sc_db_column_dup_text (stmt, 1);
  item->idempotency_key = sc_db_column_dup_text (stmt, 2);
  item->attempts = sqlite3_column_int (stmt, 3);
  item->next_attempt_at = sqlite3_column_int64 (stmt, 4);
  item->last_error = sc_db_column_dup_text (stmt, 5);
  item->platform_id = sc_db_column_dup_text (stmt, 6);
  item->store_id = sc_db_column_dup_text (stmt, 7);
  item->clerk_id = sc_db_column_dup_text (stmt, 8);
  item->redemption = sc_cache_redemption_from_row (stmt, 9, error);
  if (item->redemption == NULL)
    return NULL;
  return g_steal_pointer (&item);
}

GPtrArray *
sc_cache_collect_rows (ScDb            *db,
                       sqlite3_stmt    *stmt,
                       ScCacheRowFunc   from_row,
                       GDestroyNotify   item_free,
                       GError         **error)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (item_free);
  int rc;

  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gpointer item = from_row (stmt, error);

      if (item == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (array, item);
    }
  if (rc < 0)
    return NULL;

  return g_steal_pointer (&array);
}

static gpointer
redemption_from_row (sqlite3_stmt  *stmt,
                     GError       **error)
{
  return sc_cache_redemption_from_row (stmt, 0, error);
}

/* ---- open ---- */

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!sc_db_open_finish (SC_DB (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sc_cache_open_async (ScCache             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = sc_cache_task_new (self, sc_cache_open_async, cancellable, callback, user_data);
  sc_db_open_async (self->db, cancellable, open_cb, task);
}

gboolean
sc_cache_open_finish (ScCache       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return sc_cache_propagate_boolean (self, result, error);
}

/* ---- add ---- */

static gpointer
add_redemption_job (ScDb     *db,
                    gpointer  job_data,
                    GError  **error)
{
  const ScRedemption *r = job_data;
  sqlite3_stmt *stmt;
  gint64 now = sc_time_now_unix ();

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db,
                        "INSERT INTO redemptions (id, payload, code, kind, source, store_id, "
                        "clerk_id, scanned_at, created_at, bill_fen, discount_fen, offline, "
                        "state, redeemed_at, reason, updated_at, platform_id, lines_json) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                        "?15, ?16, ?17, ?18)",
                        error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, r->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, r->payload, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, r->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, sc_code_kind_to_string (r->kind), -1, SQLITE_STATIC);
  sc_db_bind_text_or_null (stmt, 5, r->source);
  sc_db_bind_text_or_null (stmt, 6, r->store_id);
  sc_db_bind_text_or_null (stmt, 7, r->clerk_id);
  sqlite3_bind_int64 (stmt, 8, r->scanned_at > 0 ? r->scanned_at : now);
  sqlite3_bind_int64 (stmt, 9, r->created_at > 0 ? r->created_at : now);
  sqlite3_bind_int64 (stmt, 10, r->bill_fen >= 0 ? r->bill_fen : -1);
  sqlite3_bind_int64 (stmt, 11, r->discount_fen >= 0 ? r->discount_fen : -1);
  sqlite3_bind_int (stmt, 12, r->offline ? 1 : 0);
  sqlite3_bind_text (stmt, 13, sc_redemption_state_to_string (SC_REDEMPTION_STATE_PENDING),
                     -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 14, r->redeemed_at);
  sc_db_bind_text_or_null (stmt, 15, r->reason);
  sqlite3_bind_int64 (stmt, 16, now);
  sc_db_bind_text_or_null (stmt, 17, r->platform_id);
  /* A partial pickup's lines, in the same transaction as the row and its
   * outbox row: the sync sends them (sc-sync-redeem.c). */
  if (r->lines != NULL)
    sqlite3_bind_text (stmt, 18, sc_line_qtys_to_text (r->lines), -1, g_free);
  else
    sqlite3_bind_null (stmt, 18);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  /* Its owner: only a session of this platform, store and clerk sends it. */
  stmt = sc_db_prepare (db,
                        "INSERT INTO outbox (redemption_id, action, idempotency_key, "
                        "platform_id, store_id, clerk_id) "
                        "VALUES (?1, 'redeem', ?1, ?2, ?3, ?4)",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, r->id, -1, SQLITE_TRANSIENT);
  sc_db_bind_text_or_null (stmt, 2, r->platform_id);
  sc_db_bind_text_or_null (stmt, 3, r->store_id);
  sc_db_bind_text_or_null (stmt, 4, r->clerk_id);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

void
sc_cache_add_redemption_async (ScCache             *self,
                               const ScRedemption  *redemption,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (redemption != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = sc_cache_task_new (self, sc_cache_add_redemption_async, cancellable, callback, user_data);

  if (redemption->id == NULL || *redemption->id == '\0' ||
      redemption->payload == NULL || redemption->code == NULL)
    {
      g_task_return_new_error (task, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT,
                               _("This redemption is incomplete and was not saved"));
      g_object_unref (task);
      return;
    }
  if (!is_redeemable_kind (redemption->kind))
    {
      g_task_return_new_error (task, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT,
                               _("Only pickup codes, coupons and prize vouchers can be redeemed"));
      g_object_unref (task);
      return;
    }

  sc_db_run_async (self->db, SC_DB_JOB_WRITE, add_redemption_job,
                   sc_redemption_copy (redemption), (GDestroyNotify) sc_redemption_free,
                   NULL, cancellable, sc_cache_forward_boolean_cb, task);
}

gboolean
sc_cache_add_redemption_finish (ScCache       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return sc_cache_propagate_boolean (self, result, error);
}

/* ---- get ---- */

static gpointer
get_redemption_job (ScDb     *db,
                    gpointer  job_data,
                    GError  **error)
{
  const char *id = job_data;
  sqlite3_stmt *stmt;
  int rc;

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db, "SELECT " REDEMPTION_COLUMNS " FROM redemptions r WHERE r.id = ?1",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);

  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND,
                   _("No redemption “%s” in the local log"), id);
      return NULL;
    }

  return sc_cache_redemption_from_row (stmt, 0, error);
}

void
sc_cache_get_redemption_async (ScCache             *self,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  sc_cache_run_job (self, sc_cache_get_redemption_async, SC_DB_JOB_READ, get_redemption_job,
                    g_strdup (id), g_free, (GDestroyNotify) sc_redemption_free, NULL,
                    cancellable, callback, user_data);
}

ScRedemption *
sc_cache_get_redemption_finish (ScCache       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return sc_cache_propagate_pointer (self, result, error);
}

/* ---- list recent ---- */

static gpointer
list_recent_job (ScDb     *db,
                 gpointer  job_data,
                 GError  **error)
{
  guint limit = GPOINTER_TO_UINT (job_data);
  sqlite3_stmt *stmt;

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db,
                        "SELECT " REDEMPTION_COLUMNS " FROM redemptions r "
                        "ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?1",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);

  return sc_cache_collect_rows (db, stmt, redemption_from_row,
                                (GDestroyNotify) sc_redemption_free, error);
}

void
sc_cache_list_recent_async (ScCache             *self,
                            guint                limit,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  sc_cache_run_job (self, sc_cache_list_recent_async, SC_DB_JOB_READ, list_recent_job,
                    GUINT_TO_POINTER (limit), NULL, (GDestroyNotify) g_ptr_array_unref, NULL,
                    cancellable, callback, user_data);
}

GPtrArray *
sc_cache_list_recent_finish (ScCache       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return sc_cache_propagate_pointer (self, result, error);
}

/* ---- list outbox ---- */

typedef struct
{
  gint64 now;
  guint  limit;
} ListOutboxData;

static gpointer
list_outbox_job (ScDb     *db,
                 gpointer  job_data,
                 GError  **error)
{
  const ListOutboxData *data = job_data;
  sqlite3_stmt *stmt;

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db,
                        "SELECT " SC_CACHE_OUTBOX_COLUMNS " "
                        "FROM outbox o JOIN redemptions r ON r.id = o.redemption_id "
                        "WHERE ?1 < 0 OR o.next_attempt_at <= ?1 "
                        "ORDER BY o.seq LIMIT ?2",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, data->now);
  sqlite3_bind_int64 (stmt, 2, data->limit > 0 ? (gint64) data->limit : -1);

  return sc_cache_collect_rows (db, stmt, (ScCacheRowFunc) sc_cache_outbox_item_from_row,
                                (GDestroyNotify) sc_outbox_item_free, error);
}

void
sc_cache_list_outbox_async (ScCache             *self,
                            gint64               now,
                            guint                limit,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  ListOutboxData *data;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ListOutboxData, 1);
  data->now = now;
  data->limit = limit;
  sc_cache_run_job (self, sc_cache_list_outbox_async, SC_DB_JOB_READ, list_outbox_job, data,
                    g_free, (GDestroyNotify) g_ptr_array_unref, NULL, cancellable, callback,
                    user_data);
}

GPtrArray *
sc_cache_list_outbox_finish (ScCache       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return sc_cache_propagate_pointer (self, result, error);
}

/* ---- update ---- */

typedef struct
{
  char              *id;
  ScRedemptionState  state;
  gint64             redeemed_at;
  gint64             discount_fen;
  char              *reason;          /* (nullable) */
  gint64             next_attempt_at;
} UpdateData;

static void
update_data_free (gpointer data)
{
  UpdateData *u = data;

  g_free (u->id);
  g_free (u->reason);
  g_free (u);
}

static gboolean
state_keeps_outbox (ScRedemptionState state)
{
  return state == SC_REDEMPTION_STATE_PENDING || state == SC_REDEMPTION_STATE_UNCERTAIN;
}

static gpointer
update_redemption_job (ScDb     *db,
                       gpointer  job_data,
                       GError  **error)
{
  const UpdateData *u = job_data;
  sqlite3_stmt *stmt;

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db,
                        "UPDATE redemptions SET state = ?2, "
                        "redeemed_at = CASE WHEN ?3 > 0 THEN ?3 ELSE redeemed_at END, "
                        "discount_fen = CASE WHEN ?4 >= 0 THEN ?4 ELSE discount_fen END, "
                        "reason = ?5, updated_at = ?6 "
                        "WHERE id = ?1",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, u->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sc_redemption_state_to_string (u->state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, u->redeemed_at);
  sqlite3_bind_int64 (stmt, 4, u->discount_fen);
  sc_db_bind_text_or_null (stmt, 5, u->reason);
  sqlite3_bind_int64 (stmt, 6, sc_time_now_unix ());
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  if (sqlite3_changes (sc_db_get_handle (db)) == 0)
    {
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND,
                   _("No redemption “%s” in the local log"), u->id);
      return NULL;
    }

  if (state_keeps_outbox (u->state))
    {
      /* Counts the attempt; re-queues the item if it had left the outbox,
       * so a PENDING or UNCERTAIN row is always in the outbox. */
      stmt = sc_db_prepare (db,
                            "INSERT INTO outbox (redemption_id, action, idempotency_key, "
                            "attempts, next_attempt_at, last_error, platform_id, store_id, "
                            "clerk_id) "
                            "SELECT ?1, 'redeem', ?1, 1, ?2, ?3, r.platform_id, r.store_id, "
                            "r.clerk_id FROM redemptions r WHERE r.id = ?1 "
                            "ON CONFLICT (redemption_id) DO UPDATE SET "
                            "attempts = attempts + 1, "
                            "next_attempt_at = excluded.next_attempt_at, "
                            "last_error = excluded.last_error",
                            error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, u->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, MAX (u->next_attempt_at, 0));
      sc_db_bind_text_or_null (stmt, 3, u->reason);
    }
  else
    {
      stmt = sc_db_prepare (db, "DELETE FROM outbox WHERE redemption_id = ?1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, u->id, -1, SQLITE_TRANSIENT);
    }

  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

void
sc_cache_update_redemption_async (ScCache             *self,
                                  const char          *id,
                                  ScRedemptionState    state,
                                  gint64               redeemed_at,
                                  gint64               discount_fen,
                                  const char          *reason,
                                  gint64               next_attempt_at,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  UpdateData *u;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = sc_cache_task_new (self, sc_cache_update_redemption_async, cancellable, callback,
                            user_data);

  if (sc_redemption_state_to_string (state) == NULL)
    {
      g_task_return_new_error (task, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT,
                               _("Unknown redemption state %d"), (int) state);
      g_object_unref (task);
      return;
    }

  u = g_new0 (UpdateData, 1);
  u->id = g_strdup (id);
  u->state = state;
  u->redeemed_at = redeemed_at;
  u->discount_fen = discount_fen;
  u->reason = g_strdup (reason);
  u->next_attempt_at = next_attempt_at;
  sc_db_run_async (self->db, SC_DB_JOB_WRITE, update_redemption_job, u, update_data_free,
                   NULL, cancellable, sc_cache_forward_boolean_cb, task);
}

gboolean
sc_cache_update_redemption_finish (ScCache       *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return sc_cache_propagate_boolean (self, result, error);
}

/* ---- count ---- */

static gpointer
count_unsynced_job (ScDb     *db,
                    gpointer  job_data,
                    GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 *count;

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db,
                        "SELECT count(*) FROM redemptions "
                        "WHERE state IN ('pending', 'uncertain')",
                        error);
  if (stmt == NULL)
    return NULL;
  if (sc_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;

  count = g_new (gint64, 1);
  *count = sqlite3_column_int64 (stmt, 0);
  return count;
}

void
sc_cache_count_unsynced_async (ScCache             *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  sc_cache_run_job (self, sc_cache_count_unsynced_async, SC_DB_JOB_READ, count_unsynced_job,
                    NULL, NULL, g_free, sc_cache_forward_count_cb, cancellable, callback,
                    user_data);
}

guint
sc_cache_count_unsynced_finish (ScCache       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  gssize count;

  g_return_val_if_fail (SC_IS_CACHE (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  count = g_task_propagate_int (G_TASK (result), error);
  return count > 0 ? (guint) count : 0;
}

/* ---- object ---- */

ScDb *
sc_cache_get_db (ScCache *self)
{
  g_return_val_if_fail (SC_IS_CACHE (self), NULL);

  return self->db;
}

static void
sc_cache_dispose (GObject *object)
{
  ScCache *self = SC_CACHE (object);

  if (self->db != NULL)
    sc_db_close (self->db);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (sc_cache_parent_class)->dispose (object);
}

static void
sc_cache_finalize (GObject *object)
{
  ScCache *self = SC_CACHE (object);

  g_clear_pointer (&self->store_keys, g_hash_table_unref);
  g_mutex_clear (&self->keys_lock);

  G_OBJECT_CLASS (sc_cache_parent_class)->finalize (object);
}

static void
sc_cache_class_init (ScCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sc_cache_dispose;
  object_class->finalize = sc_cache_finalize;
}

static void
sc_cache_init (ScCache *self)
{
  g_mutex_init (&self->keys_lock);
  self->store_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sc_secret_free);
}

void
sc_cache_set_store_key (ScCache    *self,
                        const char *store_id,
                        const char *key)
{
  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (store_id != NULL);
  g_return_if_fail (key == NULL || sc_store_key_is_valid (key));

  g_mutex_lock (&self->keys_lock);
  if (key != NULL)
    g_hash_table_replace (self->store_keys, g_strdup (store_id), g_strdup (key));
  else
    g_hash_table_remove (self->store_keys, store_id);
  g_mutex_unlock (&self->keys_lock);
}

char *
sc_cache_dup_store_key (ScCache    *self,
                        const char *store_id)
{
  char *key;

  g_return_val_if_fail (SC_IS_CACHE (self), NULL);
  g_return_val_if_fail (store_id != NULL, NULL);

  g_mutex_lock (&self->keys_lock);
  key = g_strdup (g_hash_table_lookup (self->store_keys, store_id));
  g_mutex_unlock (&self->keys_lock);
  return key;
}

ScCache *
sc_cache_new (const char *path)
{
  ScCache *self = g_object_new (SC_TYPE_CACHE, NULL);
  g_autofree char *default_path = NULL;

  if (path == NULL)
    path = default_path = sc_cache_dup_default_path ();

  self->db = sc_db_new (path, migrations, G_N_ELEMENTS (migrations));

  return self;
}
