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
#include "sc-code.h"
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

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

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
  bind_text_or_null (stmt, 7, order->phone_tail);
  bind_text_or_null (stmt, 8, order->customer_masked);
  sqlite3_bind_text (stmt, 9, order->items_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 10, order->total_fen);
  bind_text_or_null (stmt, 11, order->redeemed_json);
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
int64_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gint64 *value = sc_db_run_finish (SC_DB (source), result, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_free);
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
  sc_db_run_async (sc_cache_get_db (self), SC_DB_JOB_WRITE, apply_manifest_job,
                   job, (GDestroyNotify) apply_job_free, g_free,
                   cancellable, int64_result_cb, g_steal_pointer (&task));
}

void
sc_cache_apply_manifest_async (ScCache             *self,
                               const char          *store_id,
                               JsonObject          *manifest,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (store_id != NULL);
  g_return_if_fail (manifest != NULL);

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
  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (store_id != NULL);
  g_return_if_fail (manifest != NULL);

  apply_manifest (self, store_id, manifest, TRUE, cancellable, callback, user_data);
}

gboolean
sc_cache_apply_manifest_finish (ScCache       *self,
                                GAsyncResult  *result,
                                gint64        *out_version,
                                GError       **error)
{
  g_autofree gint64 *version = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  version = g_task_propagate_pointer (G_TASK (result), error);
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
  sc_db_run_async (sc_cache_get_db (self), SC_DB_JOB_READ, manifest_state_job,
                   job, (GDestroyNotify) state_job_free, g_free, cancellable, int64_result_cb,
                   g_steal_pointer (&task));
}

gboolean
sc_cache_get_manifest_state_finish (ScCache       *self,
                                    GAsyncResult  *result,
                                    gint64        *out_version,
                                    gint64        *out_fetched_at,
                                    GError       **error)
{
  g_autofree gint64 *state = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  state = g_task_propagate_pointer (G_TASK (result), error);
  if (state == NULL)
    return FALSE;
  if (out_version != NULL)
    *out_version = state[0];
  if (out_fetched_at != NULL)
    *out_fetched_at = state[1];
  return TRUE;
}

/* ---- offline lookup ---- */

typedef struct
{
  char   *store_id;
  char   *code;
  char   *key;      /* (owned) (nullable) the store's key; wiped when freed */
  gint64  now;
} OfflineLookup;

static void
offline_lookup_free (OfflineLookup *lookup)
{
  g_free (lookup->store_id);
  g_free (lookup->code);
  sc_secret_free (lookup->key);
  g_free (lookup);
}

static ScOrderInfo *
order_info_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(ScOrderInfo) order = g_new0 (ScOrderInfo, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *items_json = (const char *) sqlite3_column_text (stmt, 5);

  order->order_id = sc_db_column_dup_text (stmt, 0);
  order->phone_tail = sc_db_column_dup_text (stmt, 4);
  order->customer_masked = sc_db_column_dup_text (stmt, 6);
  order->total_fen = sqlite3_column_int64 (stmt, 7);
  order->items = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_order_item_free);

  /* Written by apply_manifest_job after it checked every item. */
  if (items_json != NULL && json_parser_load_from_data (parser, items_json, -1, NULL) &&
      JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      JsonArray *items = json_node_get_array (json_parser_get_root (parser));

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *object = json_array_get_object_element (items, i);
          ScOrderItem *item = g_new0 (ScOrderItem, 1);

          item->name = g_strdup (json_object_get_string_member (object, "name"));
          item->quantity = (int) json_object_get_int_member (object, "quantity");
          item->price_fen = json_object_get_int_member (object, "price_fen");
          g_ptr_array_add (order->items, item);
        }
    }

  return g_steal_pointer (&order);
}

/* The member @name of @object when it is an object (or, below, a string),
 * else NULL: every member of "redeemed" is optional, and json-glib's getters
 * are critical about a missing member or one of another type. */
static JsonObject *
object_member_or_null (JsonObject *object,
                       const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
string_member_or_null (JsonObject *object,
                       const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static ScRedeemedInfo *
redeemed_info_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(ScRedeemedInfo) info = g_new0 (ScRedeemedInfo, 1);
  JsonObject *object;
  JsonObject *part;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));

  info->redemption_id = g_strdup (string_member_or_null (object, "redemption_id"));
  info->at = sc_date_time_parse_rfc3339 (string_member_or_null (object, "at"));
  part = object_member_or_null (object, "store");
  if (part != NULL)
    {
      info->store_id = g_strdup (string_member_or_null (part, "id"));
      info->store_name = g_strdup (string_member_or_null (part, "name"));
    }
  part = object_member_or_null (object, "clerk");
  if (part != NULL)
    {
      info->clerk_id = g_strdup (string_member_or_null (part, "id"));
      info->clerk_name = g_strdup (string_member_or_null (part, "name"));
    }
  return g_steal_pointer (&info);
}

static ScVerdict *
offline_verdict_new (ScVerdictStatus  status,
                     const char      *code)
{
  ScVerdict *verdict = sc_verdict_new (status, SC_CODE_KIND_PICKUP, code, code);

  sc_verdict_set_offline (verdict, TRUE);
  return verdict;
}

/* The id of the key the store's copy was made with, in @key_id (NULL when
 * there is no copy). */
static gboolean
read_saved_key_id (ScDb        *db,
                   const char  *store_id,
                   char       **key_id,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *key_id = NULL;
  stmt = sc_db_prepare (db, "SELECT salt FROM manifest_meta WHERE store_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, store_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    *key_id = sc_db_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* The manifest's status is as of its fetch; time has moved since. */
static ScVerdictStatus
status_at (ScVerdictStatus status,
           gint64          valid_from,
           gint64          valid_until,
           gint64          now)
{
  if (status != SC_VERDICT_STATUS_REDEEMABLE &&
      status != SC_VERDICT_STATUS_NOT_YET_VALID &&
      status != SC_VERDICT_STATUS_EXPIRED)
    return status;
  if (valid_until > 0 && now > valid_until)
    return SC_VERDICT_STATUS_EXPIRED;
  if (valid_from > 0 && now < valid_from)
    return SC_VERDICT_STATUS_NOT_YET_VALID;
  return SC_VERDICT_STATUS_REDEEMABLE;
}

/* The verdict of the manifest row @stmt stands on, its order in @order. */
static ScVerdict *
verdict_from_row (sqlite3_stmt   *stmt,
                  OfflineLookup  *lookup,
                  ScOrderInfo   **order)
{
  g_autofree char *status_text = sc_db_column_dup_text (stmt, 1);
  gint64 valid_from = sqlite3_column_int64 (stmt, 2);
  gint64 valid_until = sqlite3_column_int64 (stmt, 3);
  g_autofree char *redeemed_json = sc_db_column_dup_text (stmt, 8);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) until = NULL;
  ScVerdictStatus status;
  ScVerdict *verdict;

  *order = order_info_from_row (stmt);
  if (!sc_verdict_status_from_string (status_text, &status))
    status = SC_VERDICT_STATUS_NOT_FOUND;
  status = status_at (status, valid_from, valid_until, lookup->now);

  verdict = offline_verdict_new (status, lookup->code);
  from = valid_from > 0 ? g_date_time_new_from_unix_utc (valid_from) : NULL;
  until = valid_until > 0 ? g_date_time_new_from_unix_utc (valid_until) : NULL;
  sc_verdict_set_validity (verdict, from, until);
  if (status == SC_VERDICT_STATUS_REDEEMED && redeemed_json != NULL)
    sc_verdict_take_redeemed (verdict, redeemed_info_from_json (redeemed_json));
  return verdict;
}

/* Redeemed here since the manifest was fetched? The log knows: a REDEEMED
 * verdict in @redeemed when it does, else NULL. */
static gboolean
lookup_local_redemption (ScDb        *db,
                         const char  *code,
                         ScVerdict  **redeemed,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *redeemed = NULL;
  stmt = sc_db_prepare (db, "SELECT id, created_at, redeemed_at, store_id, clerk_id"
                            " FROM redemptions WHERE code = ?1"
                            " AND state IN ('pending', 'uncertain', 'synced')"
                            " ORDER BY created_at DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      ScRedeemedInfo *info = g_new0 (ScRedeemedInfo, 1);
      gint64 at = sqlite3_column_int64 (stmt, 2) > 0 ? sqlite3_column_int64 (stmt, 2)
                                                    : sqlite3_column_int64 (stmt, 1);

      info->redemption_id = sc_db_column_dup_text (stmt, 0);
      info->at = g_date_time_new_from_unix_utc (at);
      info->store_id = sc_db_column_dup_text (stmt, 3);
      info->clerk_id = sc_db_column_dup_text (stmt, 4);
      *redeemed = offline_verdict_new (SC_VERDICT_STATUS_REDEEMED, code);
      sc_verdict_take_redeemed (*redeemed, info);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gpointer
lookup_offline_job (ScDb     *db,
                    gpointer  data,
                    GError  **error)
{
  OfflineLookup *lookup = data;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(ScVerdict) redeemed = NULL;
  g_autofree char *saved_key_id = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(ScOrderInfo) order = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!read_saved_key_id (db, lookup->store_id, &saved_key_id, error))
    return NULL;

  if (saved_key_id == NULL)
    {
      verdict = offline_verdict_new (SC_VERDICT_STATUS_NOT_FOUND, lookup->code);
      sc_verdict_set_reason (verdict, _("This counter has no copy of today’s orders yet"));
      return g_steal_pointer (&verdict);
    }

  /* Without the key the copy was made with, no code can be checked: never
   * a "not found" that is only a missing key. */
  key_id = sc_store_key_id (lookup->key);
  if (key_id == NULL || !g_str_equal (key_id, saved_key_id))
    {
      verdict = offline_verdict_new (SC_VERDICT_STATUS_NEEDS_NETWORK, lookup->code);
      sc_verdict_set_reason (verdict,
                             _("Pickup codes cannot be checked offline: the keyring does not "
                               "hold this store’s key. Connect to the platform once."));
      return g_steal_pointer (&verdict);
    }

  hash = sc_store_key_code_hash (lookup->key, lookup->code);

  stmt = sc_db_prepare (db, "SELECT order_id, status, valid_from, valid_until, phone_tail,"
                            " items_json, customer_masked, total_fen, redeemed_json"
                            " FROM manifest_orders WHERE code_sha256 = ?1 AND store_id = ?2",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, lookup->store_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return offline_verdict_new (SC_VERDICT_STATUS_NOT_FOUND, lookup->code);
    }
  verdict = verdict_from_row (stmt, lookup, &order);
  sqlite3_reset (stmt);

  if (sc_verdict_get_status (verdict) == SC_VERDICT_STATUS_REDEEMABLE)
    {
      if (!lookup_local_redemption (db, lookup->code, &redeemed, error))
        return NULL;
      if (redeemed != NULL)
        g_set_object (&verdict, redeemed);
    }

  sc_verdict_take_order (verdict, g_steal_pointer (&order));
  return g_steal_pointer (&verdict);
}

static void
verdict_result_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  ScVerdict *verdict = sc_db_run_finish (SC_DB (source), result, &error);

  if (verdict == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, verdict, g_object_unref);
}

void
sc_cache_lookup_offline_async (ScCache             *self,
                               const char          *store_id,
                               const char          *code,
                               gint64               now,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OfflineLookup *lookup;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (store_id != NULL);
  g_return_if_fail (code != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_cache_lookup_offline_async);

  lookup = g_new0 (OfflineLookup, 1);
  lookup->store_id = g_strdup (store_id);
  lookup->code = g_strdup (code);
  lookup->key = sc_cache_dup_store_key (self, store_id);
  lookup->now = now;
  sc_db_run_async (sc_cache_get_db (self), SC_DB_JOB_READ, lookup_offline_job, lookup,
                   (GDestroyNotify) offline_lookup_free, g_object_unref, cancellable,
                   verdict_result_cb, g_steal_pointer (&task));
}

ScVerdict *
sc_cache_lookup_offline_finish (ScCache       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
