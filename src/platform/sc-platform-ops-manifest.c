/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-store-private.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "sc-platform-util.h"
#include "sc-secret.h"
#include "sc-store-key.h"

#define MANIFEST_KEEP_S   (7 * 24 * 3600)  /* expired orders stay this long */

void
sc_platform_add_order_fields (JsonBuilder             *b,
                              const ScPlatformCodeRow *row)
{
  sc_platform_add_string (b, "order_id", row->order_id);
  sc_platform_add_string (b, "customer_masked", row->customer_masked);
  sc_platform_add_string (b, "phone_tail", row->phone_tail);
  sc_platform_add_order_items (b, row);
  sc_platform_add_int (b, "total_fen", row->total_fen);
  sc_platform_add_validity (b, row);
}

ScPlatformReply *
sc_platform_op_manifest (ScDb              *db,
                         ScPlatformRequest *req,
                         GError           **error)
{
  g_auto(ScPlatformSession) s = { NULL, NULL };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonArray) removed = json_array_new ();
  g_autofree char *salt = NULL;
  g_autoptr(ScSecretText) key = NULL;
  g_autofree char *key_id = NULL;
  ScPlatformReply *reply = NULL;
  sqlite3_stmt *stmt;
  gint64 version;
  gint64 cursor_version = 0, cursor_rowid = 0;
  gint64 last_version = 0, last_rowid = 0;
  gboolean failed = FALSE;
  int n = 0;
  int rc;

  if (!sc_platform_session_load (db, req, &s, &reply, error))
    return reply;
  if (req->cursor != NULL &&
      sscanf (req->cursor, "%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
              &cursor_version, &cursor_rowid) != 2)
    return sc_platform_reply_new_error (400, "bad_request",
                                        _("The cursor is not one this platform gave."), NULL);
  if (!sc_platform_current_version (db, &version, error))
    return NULL;

  if (!sc_platform_lookup (db, "SELECT salt FROM stores WHERE id = ?1", s.store_id, NULL, NULL,
                           &salt, error))
    return NULL;

  /* Each code as HMAC (store key, code): the key went to the counter with
   * its session, and the manifest names it only by its id. */
  key = sc_store_key_derive (req->secret, s.store_id, salt);
  key_id = sc_store_key_id (key);

  json_builder_begin_object (b);
  sc_platform_add_string (b, "key_id", key_id);
  json_builder_set_member_name (b, "orders");
  json_builder_begin_array (b);

  /* Pages run along (version, rowid), which the index on (store_id,
   * version) holds in order; the cursor names the last row sent, and never
   * a code. */
  stmt = sc_db_prepare (db, MANIFEST_COLUMNS "WHERE c.store_id = ?1 AND c.kind = 'pickup'"
                                             " AND c.version >= ?2"
                                             " AND (c.version, c.rowid) > (?3, ?4)"
                                             " ORDER BY c.version, c.rowid LIMIT ?5", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, s.store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, MAX (req->since + 1, cursor_version));
  sqlite3_bind_int64 (stmt, 3, cursor_version);
  sqlite3_bind_int64 (stmt, 4, cursor_rowid);
  sqlite3_bind_int (stmt, 5, req->limit + 1);
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(ScPlatformCodeRow) row = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *hash = NULL;
      ScVerdictStatus status;

      if (++n > req->limit)
        break;
      row = sc_platform_code_row_new_from_stmt (stmt);
      if (!sc_platform_code_row_load_lines (db, row, error))
        {
          failed = TRUE;
          break;
        }
      last_version = row->version;
      last_rowid = sqlite3_column_int64 (stmt, COL_ROWID);

      /* Orders that ended over a week ago leave the manifest. A client
       * that holds a version, or pages of this walk, may have them. */
      if (row->has_valid_until && row->valid_until < req->now - MANIFEST_KEEP_S)
        {
          if (req->since > 0 || req->cursor != NULL)
            json_array_add_string_element (removed, row->order_id);
          continue;
        }

      status = sc_platform_codes_status (row, s.store_id, req->now, SC_PLATFORM_TOKEN_NONE,
                                         &reason);
      hash = sc_store_key_code_hash (key, row->code);

      json_builder_begin_object (b);
      sc_platform_add_string (b, "order_id", row->order_id);
      sc_platform_add_string (b, "code_hmac", hash);
      sc_platform_add_string (b, "status", sc_platform_status_name (status));
      sc_platform_add_order_fields (b, row);
      if (row->redemption_id != NULL)
        sc_platform_add_redeemed (b, row);
      json_builder_end_object (b);
    }
  sqlite3_reset (stmt);
  if (rc < 0 || failed)
    return NULL;

  json_builder_end_array (b);
  json_builder_set_member_name (b, "removed");
  json_builder_add_value (b, json_node_init_array (json_node_alloc (), removed));

  /* More to come: the client asks again with the cursor, and takes the
   * version from the last page only (the others say @since). */
  sc_platform_add_int (b, "version", n > req->limit ? req->since : version);
  json_builder_set_member_name (b, "next_cursor");
  if (n > req->limit)
    {
      g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                                               last_version, last_rowid);

      json_builder_add_string_value (b, next);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}
