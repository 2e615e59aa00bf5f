/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCache: the pickup manifest, for deciding pickup codes offline.
 * The manifest holds HMAC-SHA256 (store key, code), never the codes, and
 * the key is not in the database (DESIGN §6, sc-store-key.h): a copy of
 * the file alone recovers no code. The column keeps its old name,
 * code_sha256; manifest_meta.salt holds the key's id. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-cache-private.h"
#include "sc-db.h"
#include "sc-json-reader.h"
#include "sc-secret.h"
#include "sc-store-key.h"
#include "sc-time.h"
#include "sc-verdict.h"

/* ---- reading the platform's answer, every member checked ---- */

typedef struct
{
  char   *order_id;
  char   *code_sha256;
  char   *status;
  gint64  valid_from;    /* 0: none */
  gint64  valid_until;   /* 0: none */
  char   *phone_tail;
  char   *customer_masked;
  char   *items_json;
  gint64  total_fen;
  char   *redeemed_json; /* (nullable) */
} ManifestOrder;

static void
manifest_order_free (ManifestOrder *order)
{
  g_free (order->order_id);
  g_free (order->code_sha256);
  g_free (order->status);
  g_free (order->phone_tail);
  g_free (order->customer_masked);
  g_free (order->items_json);
  g_free (order->redeemed_json);
  g_free (order);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ManifestOrder, manifest_order_free)

typedef struct
{
  char      *store_id;
  gint64     version;
  char      *key_id;   /* the id of the key the code hashes were made with */
  GPtrArray *orders;   /* (element-type ManifestOrder) */
  GPtrArray *removed;  /* (element-type utf8) order ids */
} ManifestUpdate;

static void
manifest_update_free (ManifestUpdate *update)
{
  g_free (update->store_id);
  g_free (update->key_id);
  g_clear_pointer (&update->orders, g_ptr_array_unref);
  g_clear_pointer (&update->removed, g_ptr_array_unref);
  g_free (update);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ManifestUpdate, manifest_update_free)

static char *
node_to_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* An optional RFC 3339 time as unix seconds, 0 when absent. */
static gboolean
read_unix_time (JsonObject  *object,
                const char  *path,
                const char  *name,
                gint64      *out,
                GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;

  if (!sc_json_read_time (object, path, name, SC_JSON_OPTIONAL, &dt, error))
    return FALSE;
  *out = dt != NULL ? g_date_time_to_unix (dt) : 0;
  return TRUE;
}

/* Items are kept as the platform sent them, once they are known to be
 * an array of {name, quantity, price_fen}. */
static gboolean
read_items (JsonObject     *object,
            const char     *path,
            ManifestOrder  *order,
            GError        **error)
{
  g_autofree char *items_path = sc_json_path_member (path, "items");
  JsonArray *items = NULL;

  if (!sc_json_read_array (object, path, "items", SC_JSON_REQUIRED, &items, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *item_path = sc_json_path_index (items_path, i);
      JsonObject *item = NULL;
      const char *name = NULL;
      gint64 number = 0;

      if (!sc_json_array_get_object (items, items_path, i, &item, error) ||
          !sc_json_read_string (item, item_path, "name", SC_JSON_REQUIRED, &name, error) ||
          !sc_json_read_int (item, item_path, "quantity", SC_JSON_REQUIRED, 0, G_MAXINT, NULL,
                             &number, error) ||
          !sc_json_read_int (item, item_path, "price_fen", SC_JSON_REQUIRED, 0, G_MAXINT64, NULL,
                             &number, error))
        return FALSE;
    }
  order->items_json = node_to_json (json_object_get_member (object, "items"));
  return TRUE;
}

static ManifestOrder *
read_order (JsonArray   *orders,
            guint        index,
            GError     **error)
{
  g_autoptr(ManifestOrder) order = g_new0 (ManifestOrder, 1);
  g_autofree char *path = sc_json_path_index ("orders", index);
  JsonObject *object = NULL;
  JsonObject *redeemed = NULL;
  ScVerdictStatus status;

  if (!sc_json_array_get_object (orders, "orders", index, &object, error))
    return NULL;

  if (!sc_json_read_string_dup (object, path, "order_id", SC_JSON_REQUIRED, &order->order_id,
                                error) ||
      !sc_json_read_string_dup (object, path, "code_hmac", SC_JSON_REQUIRED, &order->code_sha256,
                                error) ||
      !sc_json_read_string_dup (object, path, "status", SC_JSON_REQUIRED, &order->status,
                                error) ||
      !sc_json_read_string_dup (object, path, "phone_tail", SC_JSON_OPTIONAL, &order->phone_tail,
                                error) ||
      !sc_json_read_string_dup (object, path, "customer_masked", SC_JSON_OPTIONAL,
                                &order->customer_masked, error) ||
      !sc_json_read_int (object, path, "total_fen", SC_JSON_REQUIRED, 0, G_MAXINT64, NULL,
                         &order->total_fen, error) ||
      !read_unix_time (object, path, "valid_from", &order->valid_from, error) ||
      !read_unix_time (object, path, "valid_until", &order->valid_until, error))
    return NULL;

  if (strlen (order->code_sha256) != 64)
    {
      sc_json_reader_set_error (error, SC_JSON_READER_ERROR_INVALID, path, "code_hmac");
      return NULL;
    }
  if (!sc_verdict_status_from_string (order->status, &status))
    {
      sc_json_reader_set_error (error, SC_JSON_READER_ERROR_INVALID, path, "status");
      return NULL;
    }

  if (!read_items (object, path, order, error) ||
      !sc_json_read_object (object, path, "redeemed", SC_JSON_OPTIONAL, &redeemed, error))
    return NULL;
  if (redeemed != NULL)
    order->redeemed_json = node_to_json (json_object_get_member (object, "redeemed"));

  return g_steal_pointer (&order);
}

/* Every member of a page, or an SC_JSON_READER_ERROR naming the first one
 * that is wrong. */
static ManifestUpdate *
read_manifest_members (const char  *store_id,
                       JsonObject  *manifest,
                       GError     **error)
{
  g_autoptr(ManifestUpdate) update = g_new0 (ManifestUpdate, 1);
  JsonArray *orders = NULL;
  JsonArray *removed = NULL;

  update->store_id = g_strdup (store_id);
  update->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) manifest_order_free);
  update->removed = g_ptr_array_new_with_free_func (g_free);

  if (!sc_json_read_int (manifest, "", "version", SC_JSON_REQUIRED, 0, G_MAXINT64, NULL,
                         &update->version, error) ||
      !sc_json_read_string_dup (manifest, "", "key_id", SC_JSON_REQUIRED, &update->key_id,
                                error) ||
      !sc_json_read_array (manifest, "", "orders", SC_JSON_REQUIRED, &orders, error) ||
      !sc_json_read_array (manifest, "", "removed", SC_JSON_OPTIONAL, &removed, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      ManifestOrder *order = read_order (orders, i, error);

      if (order == NULL)
        return NULL;
      g_ptr_array_add (update->orders, order);
    }

  for (guint i = 0; removed != NULL && i < json_array_get_length (removed); i++)
    {
      const char *id = NULL;

      if (!sc_json_array_get_string (removed, "removed", i, &id, error))
        return NULL;
      g_ptr_array_add (update->removed, g_strdup (id));
    }

  return g_steal_pointer (&update);
}

static ManifestUpdate *
read_manifest (const char  *store_id,
               JsonObject  *manifest,
               GError     **error)
{
  g_autoptr(GError) reader_error = NULL;
  ManifestUpdate *update = read_manifest_members (store_id, manifest, &reader_error);

  if (update == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 /* Translators: %s is a JSON member name */
                 _("The platform sent an order list we cannot read (%s)"),
                 sc_json_reader_error_get_path (reader_error));
  return update;
}

/* ---- apply ---- */

/* What the DB job gets. json-glib counts references without atomics, so
 * one thread at a time may take or drop references in a tree:
 * - sc_cache_apply_manifest_async: the caller may still hold @manifest, so
 *   the task holds a reference and drops it on the caller's thread; the job
 *   only reads (and references the items arrays it serializes, which the
 *   caller does not touch meanwhile);
 * - sc_cache_apply_manifest_take_async: the caller gave its only reference
 *   away, so the job drops it on the DB thread once read, which frees the
 *   tree there (ScDb frees job data on the caller's thread: a job that
 *   never ran drops it there). */
typedef struct
{
  char       *store_id;  /* (owned) */
  char       *key_id;    /* (owned) (nullable) of the store's key, if one is known */
  JsonObject *manifest;  /* (owned) (nullable) if @owned, else (unowned): held by the task */
  gboolean    owned;
} ApplyJob;

static void
apply_job_free (ApplyJob *job)
{
  g_free (job->store_id);
  g_free (job->key_id);
  if (job->owned)
    g_clear_pointer (&job->manifest, json_object_unref);
  g_free (job);
}

/* Hashes made with another key match nothing any more (one look at the
 * meta row per page; the rows only when the key changed). */
static gboolean
drop_rows_of_other_key (ScDb            *db,
                        ManifestUpdate  *update,
                        GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sc_db_prepare (db, "SELECT 1 FROM manifest_meta WHERE store_id = ?1 AND salt != ?2",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, update->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, update->key_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  if (rc != SQLITE_ROW)
    return TRUE;

  stmt = sc_db_prepare (db, "DELETE FROM manifest_orders WHERE store_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, update->store_id, -1, SQLITE_TRANSIENT);
  return sc_db_step_done (db, stmt, error);
}

static gboolean
write_order (ScDb           *db,
             const char     *store_id,
             ManifestOrder  *order,
             GError        **error)
{
  sqlite3_stmt *stmt;

  /* A code hash belongs to one order: drop a stale row holding it. */
  stmt = sc_db_prepare (db, "DELETE FROM manifest_orders"
                            " WHERE code_sha256 = ?1 AND order_id != ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, order->code_sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, order->order_id, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error))
    return FALSE;

  stmt = sc_db_prepare (db,
                        "INSERT INTO manifest_orders (order_id, store_id, code_sha256, status,"
                        "  valid_from, valid_until, phone_tail, customer_masked, items_json,"
                        "  total_fen, redeemed_json)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                        " ON CONFLICT (order_id) DO UPDATE SET store_id = ?2,"
                        "  code_sha256 = ?3, status = ?4, valid_from = ?5, valid_until = ?6,"
                        "  phone_tail = ?7, customer_masked = ?8, items_json = ?9,"
                        "  total_fen = ?10, redeemed_json = ?11", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, order->order_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, order->code_sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, order->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, order->valid_from);
  sqlite3_bind_int64 (stmt, 6, order->valid_until);
  sc_db_bind_text_or_null (stmt, 7, order->phone_tail);
  sc_db_bind_text_or_null (stmt, 8, order->customer_masked);
  sqlite3_bind_text (stmt, 9, order->items_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 10, order->total_fen);
  sc_db_bind_text_or_null (stmt, 11, order->redeemed_json);
  return sc_db_step_done (db, stmt, error);
}

static gboolean
write_meta (ScDb            *db,
            ManifestUpdate  *update,
            GError         **error)
{
  sqlite3_stmt *stmt;

  stmt = sc_db_prepare (db, "INSERT INTO manifest_meta (store_id, version, salt, fetched_at)"
                            " VALUES (?1, ?2, ?3, ?4)"
                            " ON CONFLICT (store_id) DO UPDATE SET version = ?2, salt = ?3,"
                            "  fetched_at = ?4", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, update->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, update->version);
  sqlite3_bind_text (stmt, 3, update->key_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, sc_time_now_unix ());
  return sc_db_step_done (db, stmt, error);
}

static gpointer
apply_manifest_job (ScDb     *db,
                    gpointer  data,
                    GError  **error)
{
  ApplyJob *job = data;
  g_autoptr(ManifestUpdate) update = NULL;
  sqlite3_stmt *stmt;
  gint64 *version;

  /* Every member is checked before the first write: a bad answer leaves
   * the transaction empty, and it is rolled back. */
  update = read_manifest (job->store_id, job->manifest, error);
  if (job->owned)
    g_clear_pointer (&job->manifest, json_object_unref);
  if (update == NULL)
    return NULL;

  /* A page keyed with another key than the one held could never be
   * looked up: refused, so that the version held stays what it was. */
  if (job->key_id != NULL && !g_str_equal (job->key_id, update->key_id))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The codes list was made with another key than this store’s: "
                             "log in again to get the new one"));
      return NULL;
    }

  if (!drop_rows_of_other_key (db, update, error))
    return NULL;

  for (guint i = 0; i < update->removed->len; i++)
    {
      stmt = sc_db_prepare (db, "DELETE FROM manifest_orders WHERE order_id = ?1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (update->removed, i), -1, SQLITE_TRANSIENT);
      if (!sc_db_step_done (db, stmt, error))
        return NULL;
    }

  for (guint i = 0; i < update->orders->len; i++)
    {
      if (!write_order (db, update->store_id, g_ptr_array_index (update->orders, i), error))
        return NULL;
    }

  if (!write_meta (db, update, error))
    return NULL;

  version = g_new (gint64, 1);
  *version = update->version;
  return version;
}

static void
apply_manifest (ScCache             *self,
                const char          *store_id,
                JsonObject          *manifest,
                gboolean             take,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(ScSecretText) key = NULL;
  ApplyJob *job;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (store_id != NULL);
  g_return_if_fail (manifest != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_cache_apply_manifest_async);
  if (!take)
    g_task_set_task_data (task, json_object_ref (manifest), (GDestroyNotify) json_object_unref);

  /* Nothing per order here: a page of a large manifest is checked and
   * converted on the DB thread (DESIGN §11), inside the job, before it
   * writes anything. */
  job = g_new0 (ApplyJob, 1);
  job->store_id = g_strdup (store_id);
  key = sc_cache_dup_store_key (self, store_id);
  job->key_id = sc_store_key_id (key);
  job->manifest = manifest;
  job->owned = take;
  sc_cache_run_task (self, g_steal_pointer (&task), SC_DB_JOB_WRITE, apply_manifest_job, job,
                     (GDestroyNotify) apply_job_free, g_free);
}

void
sc_cache_apply_manifest_async (ScCache             *self,
                               const char          *store_id,
                               JsonObject          *manifest,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  apply_manifest (self, store_id, manifest, FALSE, cancellable, callback, user_data);
}

void
sc_cache_apply_manifest_take_async (ScCache             *self,
                                    const char          *store_id,
                                    JsonObject          *manifest,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  apply_manifest (self, store_id, manifest, TRUE, cancellable, callback, user_data);
}

gboolean
sc_cache_apply_manifest_finish (ScCache       *self,
                                GAsyncResult  *result,
                                gint64        *out_version,
                                GError       **error)
{
  g_autofree gint64 *version = NULL;

  version = sc_cache_propagate_pointer (self, result, error);
  if (version == NULL)
    return FALSE;
  if (out_version != NULL)
    *out_version = *version;
  return TRUE;
}

/* ---- state ---- */

typedef struct
{
  char *store_id;
  char *key_id;    /* (nullable) of the store's key, if one is known */
} StateJob;

static void
state_job_free (StateJob *job)
{
  g_free (job->store_id);
  g_free (job->key_id);
  g_free (job);
}

static gpointer
manifest_state_job (ScDb     *db,
                    gpointer  data,
                    GError  **error)
{
  StateJob *job = data;
  gint64 *state = g_new0 (gint64, 2);
  sqlite3_stmt *stmt;
  int rc;

  /* A manifest made with another key (or with none known) is none. */
  stmt = sc_db_prepare (db, "SELECT version, fetched_at FROM manifest_meta"
                            " WHERE store_id = ?1 AND salt = ?2", error);
  if (stmt == NULL)
    {
      g_free (state);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, job->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, job->key_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    {
      g_free (state);
      return NULL;
    }
  if (rc == SQLITE_ROW)
    {
      state[0] = sqlite3_column_int64 (stmt, 0);
      state[1] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return state;
}

void
sc_cache_get_manifest_state_async (ScCache             *self,
                                   const char          *store_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(ScSecretText) key = NULL;
  StateJob *job;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (store_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_cache_get_manifest_state_async);
  key = sc_cache_dup_store_key (self, store_id);
  job = g_new0 (StateJob, 1);
  job->store_id = g_strdup (store_id);
  job->key_id = sc_store_key_id (key);
  sc_cache_run_task (self, g_steal_pointer (&task), SC_DB_JOB_READ, manifest_state_job, job,
                     (GDestroyNotify) state_job_free, g_free);
}

gboolean
sc_cache_get_manifest_state_finish (ScCache       *self,
                                    GAsyncResult  *result,
                                    gint64        *out_version,
                                    gint64        *out_fetched_at,
                                    GError       **error)
{
  g_autofree gint64 *state = NULL;

  state = sc_cache_propagate_pointer (self, result, error);
  if (state == NULL)
    return FALSE;
  if (out_version != NULL)
    *out_version = state[0];
  if (out_fetched_at != NULL)
    *out_fetched_at = state[1];
  return TRUE;
}
