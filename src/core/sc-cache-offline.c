/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCache: deciding a pickup code offline, from the manifest's copy of the
 * store's orders (sc-cache-manifest.c) and the local redemption log. The
 * copy holds HMAC-SHA256 (store key, code), never the codes: without the
 * key it was made with, nothing can be checked. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-cache-private.h"
#include "sc-code.h"
#include "sc-db.h"
#include "sc-json-reader.h"
#include "sc-secret.h"
#include "sc-store-key.h"
#include "sc-verdict.h"

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
          item->line_id = g_strdup (json_object_get_string_member_with_default (object,
                                                                               "line_id",
                                                                               NULL));
          item->picked_qty = (int) json_object_get_int_member_with_default (object,
                                                                            "picked_qty", 0);
          item->missing_qty = (int) json_object_get_int_member_with_default (object,
                                                                             "missing_qty", 0);
          item->remaining_qty = (int) json_object_get_int_member_with_default (object,
                                                                               "remaining_qty",
                                                                               item->quantity);
          g_ptr_array_add (order->items, item);
        }
    }

  return g_steal_pointer (&order);
}

/* The member @name of @object when it is an object (or, below, a string),
 * else NULL: every member of "redeemed" is optional, and json-glib's getters
 * are critical about a missing member or one of another type (the JSON
 * reader, asked for no error, says NULL for those). */
static JsonObject *
object_member_or_null (JsonObject *object,
                       const char *name)
{
  JsonObject *member;

  sc_json_read_object (object, NULL, name, SC_JSON_OPTIONAL, &member, NULL);
  return member;
}

static const char *
string_member_or_null (JsonObject *object,
                       const char *name)
{
  const char *member;

  sc_json_read_string (object, NULL, name, SC_JSON_OPTIONAL, &member, NULL);
  return member;
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

/* Takes @lines (a partial pickup not yet on the platform) off @order's
 * remaining quantities. */
static void
take_lines (ScOrderInfo *order,
            GPtrArray   *lines)
{
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const ScLineQty *taken = g_ptr_array_index (lines, i);

      for (guint j = 0; order != NULL && order->items != NULL && j < order->items->len; j++)
        {
          ScOrderItem *item = g_ptr_array_index (order->items, j);

          if (g_strcmp0 (item->line_id, taken->line_id) != 0)
            continue;
          item->remaining_qty = MAX (0, item->remaining_qty - taken->qty);
          item->picked_qty += taken->qty;
        }
    }
}

static gboolean
nothing_left (const ScOrderInfo *order)
{
  for (guint i = 0; order != NULL && order->items != NULL && i < order->items->len; i++)
    if (((const ScOrderItem *) g_ptr_array_index (order->items, i))->remaining_qty > 0)
      return FALSE;
  return TRUE;
}

/* Redeemed here since the manifest was fetched? The log knows: a REDEEMED
 * verdict in @redeemed when a whole-order redemption took it, or when the
 * partial pickups not yet on the platform (pending, uncertain) left
 * nothing of @order, whose remaining quantities they are taken off; else
 * NULL. A synced partial pickup is in the manifest once it is fetched
 * again; until then the platform refuses a line handed over twice
 * (line_not_available: a conflict shown to the clerk). */
static gboolean
lookup_local_redemption (ScDb         *db,
                         const char   *code,
                         ScOrderInfo  *order,
                         ScVerdict   **redeemed,
                         GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean whole = FALSE;
  gboolean first = TRUE;
  g_autoptr(ScRedeemedInfo) info = NULL;
  int rc;

  *redeemed = NULL;
  stmt = sc_db_prepare (db, "SELECT id, created_at, redeemed_at, store_id, clerk_id,"
                            " lines_json, state"
                            " FROM redemptions WHERE code = ?1"
                            " AND state IN ('pending', 'uncertain', 'synced')"
                            " ORDER BY created_at DESC", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *lines_json = (const char *) sqlite3_column_text (stmt, 5);
      const char *state = (const char *) sqlite3_column_text (stmt, 6);

      if (first)
        {
          gint64 at = sqlite3_column_int64 (stmt, 2) > 0 ? sqlite3_column_int64 (stmt, 2)
                                                        : sqlite3_column_int64 (stmt, 1);

          info = g_new0 (ScRedeemedInfo, 1);
          info->redemption_id = sc_db_column_dup_text (stmt, 0);
          info->at = g_date_time_new_from_unix_utc (at);
          info->store_id = sc_db_column_dup_text (stmt, 3);
          info->clerk_id = sc_db_column_dup_text (stmt, 4);
          first = FALSE;
        }
      if (lines_json == NULL)
        {
          whole = TRUE;
        }
      else if (g_strcmp0 (state, "synced") != 0)
        {
          g_autoptr(GPtrArray) lines = sc_line_qtys_from_text (lines_json);

          take_lines (order, lines);
        }
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;

  if (info != NULL && (whole || nothing_left (order)))
    {
      *redeemed = offline_verdict_new (SC_VERDICT_STATUS_REDEEMED, code);
      sc_verdict_take_redeemed (*redeemed, g_steal_pointer (&info));
    }
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
      if (!lookup_local_redemption (db, lookup->code, order, &redeemed, error))
        return NULL;
      if (redeemed != NULL)
        g_set_object (&verdict, redeemed);
    }

  sc_verdict_take_order (verdict, g_steal_pointer (&order));
  return g_steal_pointer (&verdict);
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
  sc_cache_run_task (self, g_steal_pointer (&task), SC_DB_JOB_READ, lookup_offline_job, lookup,
                     (GDestroyNotify) offline_lookup_free, g_object_unref);
}

ScVerdict *
sc_cache_lookup_offline_finish (ScCache       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return sc_cache_propagate_pointer (self, result, error);
}
