/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCache: conflicts, redemptions of this counter that the platform refused
 * because another redemption had taken the code (DESIGN §7), with the
 * platform's record of that other redemption, kept for the clerk and for
 * the day's report. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-cache-private.h"
#include "sc-db.h"
#include "sc-time.h"
#include "sc-verdict.h"

void
sc_conflict_free (ScConflict *conflict)
{
  if (conflict == NULL)
    return;

  g_clear_pointer (&conflict->redemption, sc_redemption_free);
  g_clear_object (&conflict->platform);
  g_free (conflict);
}

/* The stored record, or NULL when there is none or it cannot be read. */
static ScVerdict *
parse_platform_record (const char  *json,
                       GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  node = json_from_string (json, error);
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The platform’s record of the other redemption is not a JSON "
                             "object"));
      return NULL;
    }
  return sc_verdict_new_from_json (json_node_get_object (node), error);
}

/* ---- record ---- */

typedef struct
{
  char *id;
  char *reason;         /* (nullable) */
  char *platform_json;  /* (nullable) */
} RecordData;

static void
record_data_free (gpointer data)
{
  RecordData *d = data;

  g_free (d->id);
  g_free (d->reason);
  g_free (d->platform_json);
  g_free (d);
}

static gpointer
record_conflict_job (ScDb     *db,
                     gpointer  job_data,
                     GError  **error)
{
  const RecordData *d = job_data;
  sqlite3_stmt *stmt;
  gint64 now = sc_time_now_unix ();

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db,
                        "UPDATE redemptions SET state = 'conflict', reason = ?2, "
                        "conflict_json = ?3, conflict_at = ?4, updated_at = ?4 "
                        "WHERE id = ?1",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, d->id, -1, SQLITE_TRANSIENT);
  sc_db_bind_text_or_null (stmt, 2, d->reason);
  sc_db_bind_text_or_null (stmt, 3, d->platform_json);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  if (sqlite3_changes (sc_db_get_handle (db)) == 0)
    {
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND,
                   _("No redemption “%s” in the local log"), d->id);
      return NULL;
    }

  /* Final: it is never sent again. */
  stmt = sc_db_prepare (db, "DELETE FROM outbox WHERE redemption_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, d->id, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

void
sc_cache_record_conflict_async (ScCache             *self,
                                const char          *id,
                                const char          *reason,
                                const char          *platform_json,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  RecordData *d;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = sc_cache_task_new (self, sc_cache_record_conflict_async, cancellable, callback,
                            user_data);

  if (platform_json != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ScVerdict) record = parse_platform_record (platform_json, &error);

      if (record == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   _("The platform’s record of the other redemption cannot "
                                     "be read: %s"), error->message);
          g_object_unref (task);
          return;
        }
    }

  d = g_new0 (RecordData, 1);
  d->id = g_strdup (id);
  d->reason = g_strdup (reason);
  d->platform_json = g_strdup (platform_json);
  sc_db_run_async (sc_cache_get_db (self), SC_DB_JOB_WRITE, record_conflict_job, d,
                   record_data_free, NULL, cancellable, sc_cache_forward_boolean_cb, task);
}

gboolean
sc_cache_record_conflict_finish (ScCache       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return sc_cache_propagate_boolean (self, result, error);
}

/* ---- list ---- */

typedef struct
{
  char   *store_id;
  gint64  since;
} ListData;

static void
list_data_free (gpointer data)
{
  ListData *d = data;

  g_free (d->store_id);
  g_free (d);
}

static gpointer
list_conflicts_job (ScDb     *db,
                    gpointer  job_data,
                    GError  **error)
{
  const ListData *d = job_data;
  g_autoptr(GPtrArray) conflicts = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_assert (sc_db_is_db_thread (db));

  /* state = 'conflict' literally, so the partial index serves it. */
  stmt = sc_db_prepare (db,
                        "SELECT " SC_CACHE_REDEMPTION_COLUMNS ", r.conflict_json, "
                        "r.conflict_at, r.acknowledged_at "
                        "FROM redemptions r "
                        "WHERE r.state = 'conflict' AND r.store_id = ?1 "
                        "AND (r.created_at >= ?2 OR r.conflict_at >= ?2) "
                        "ORDER BY r.created_at DESC, r.rowid DESC",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, d->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, MAX (d->since, 0));

  conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_conflict_free);
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(ScConflict) conflict = g_new0 (ScConflict, 1);
      const int extra = SC_CACHE_N_REDEMPTION_COLUMNS;
      const char *json = (const char *) sqlite3_column_text (stmt, extra);

      conflict->redemption = sc_cache_redemption_from_row (stmt, 0, error);
      if (conflict->redemption == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      if (json != NULL)
        {
          g_autoptr(GError) local_error = NULL;

          conflict->platform = parse_platform_record (json, &local_error);
          if (conflict->platform == NULL)
            g_debug ("Conflict %s: the platform's record cannot be read: %s",
                     conflict->redemption->id, local_error->message);
        }
      conflict->conflict_at = sqlite3_column_int64 (stmt, extra + 1);
      conflict->acknowledged_at = sqlite3_column_int64 (stmt, extra + 2);
      g_ptr_array_add (conflicts, g_steal_pointer (&conflict));
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  return g_steal_pointer (&conflicts);
}

void
sc_cache_list_conflicts_async (ScCache             *self,
                               const char          *store_id,
                               gint64               since,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  ListData *d;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (store_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  d = g_new0 (ListData, 1);
  d->store_id = g_strdup (store_id);
  d->since = since;
  sc_cache_run_job (self, sc_cache_list_conflicts_async, SC_DB_JOB_READ, list_conflicts_job, d,
                    list_data_free, (GDestroyNotify) g_ptr_array_unref, NULL, cancellable,
                    callback, user_data);
}

GPtrArray *
sc_cache_list_conflicts_finish (ScCache       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return sc_cache_propagate_pointer (self, result, error);
}

/* ---- acknowledge ---- */

typedef struct
{
  char   *id;
  gint64  at;
} AckData;

static void
ack_data_free (gpointer data)
{
  AckData *d = data;

  g_free (d->id);
  g_free (d);
}

static gpointer
acknowledge_conflict_job (ScDb     *db,
                          gpointer  job_data,
                          GError  **error)
{
  const AckData *d = job_data;
  sqlite3_stmt *stmt;
  int rc;

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db,
                        "SELECT 1 FROM redemptions WHERE id = ?1 AND state = 'conflict'",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, d->id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND,
                   _("No conflict “%s” in the local log"), d->id);
      return NULL;
    }

  /* The first acknowledgement stays; updated_at is left alone: the
   * redemption itself did not change. */
  stmt = sc_db_prepare (db,
                        "UPDATE redemptions SET acknowledged_at = ?2 "
                        "WHERE id = ?1 AND state = 'conflict' AND acknowledged_at = 0",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, d->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, d->at);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

void
sc_cache_acknowledge_conflict_async (ScCache             *self,
                                     const char          *id,
                                     gint64               at,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  AckData *d;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (at > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = sc_cache_task_new (self, sc_cache_acknowledge_conflict_async, cancellable, callback,
                            user_data);
  d = g_new0 (AckData, 1);
  d->id = g_strdup (id);
  d->at = at;
  sc_db_run_async (sc_cache_get_db (self), SC_DB_JOB_WRITE, acknowledge_conflict_job, d,
                   ack_data_free, NULL, cancellable, sc_cache_forward_boolean_cb, task);
}

gboolean
sc_cache_acknowledge_conflict_finish (ScCache       *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return sc_cache_propagate_boolean (self, result, error);
}
