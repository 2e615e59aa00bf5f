/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-store-private.h"

#include <glib/gi18n-lib.h>

#include "sc-code.h"
#include "sc-platform-seed.h"
#include "sc-platform-util.h"

#define DEMO_STORE_ID     "1001"

static void
add_demo (JsonBuilder *b,
          const char  *payload,
          const char  *kind,
          const char  *status,
          const char  *note)
{
  json_builder_begin_object (b);
  sc_platform_add_string (b, "payload", payload);
  sc_platform_add_string (b, "kind", kind);
  sc_platform_add_string (b, "status", status);
  sc_platform_add_string (b, "note", note);
  json_builder_end_object (b);
}

/* The live tokens of a real-time code: fresh, stale and forged. */
static void
add_demo_live_tokens (JsonBuilder             *b,
                      const ScPlatformCodeRow *row,
                      const ScPlatformRequest *req)
{
  g_autofree char *sig = sc_platform_store_token_signature (req->secret, row->code, req->now);
  g_autofree char *old_sig = sc_platform_store_token_signature (req->secret, row->code,
                                                               req->now - 400);
  g_autofree char *fresh = g_strdup_printf ("SC1:%s:%" G_GINT64_FORMAT ":%s",
                                            row->code, req->now, sig);
  g_autofree char *stale = g_strdup_printf ("SC1:%s:%" G_GINT64_FORMAT ":%s",
                                            row->code, req->now - 400, old_sig);
  g_autofree char *forged = g_strdup_printf ("SC1:%s:%" G_GINT64_FORMAT ":%064d",
                                             row->code, req->now, 0);
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;
  g_autofree char *r3 = NULL;
  ScVerdictStatus s_fresh = sc_platform_codes_status (row, DEMO_STORE_ID, req->now,
                                                      SC_PLATFORM_TOKEN_OK, &r1);
  ScVerdictStatus s_stale = sc_platform_codes_status (row, DEMO_STORE_ID, req->now,
                                                      SC_PLATFORM_TOKEN_STALE, &r2);
  ScVerdictStatus s_forged = sc_platform_codes_status (row, DEMO_STORE_ID, req->now,
                                                       SC_PLATFORM_TOKEN_BAD_SIG, &r3);

  add_demo (b, fresh, row->kind, sc_platform_status_name (s_fresh),
            "live token, fresh: valid for 300 s from this listing");
  add_demo (b, stale, row->kind, sc_platform_status_name (s_stale), "live token, 400 s old");
  add_demo (b, forged, row->kind, sc_platform_status_name (s_forged), "live token, bad signature");
}

/* Every demo payload with the status a counter of store 1001 sees now. */
ScPlatformReply *
sc_platform_op_demo_codes (ScDb              *db,
                           ScPlatformRequest *req,
                           GError           **error)
{
  static const char first_digits[] = { '1', '2', '3', '5', '6', '8' };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  sqlite3_stmt *stmt;
  guint found = 0;
  int rc;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "codes");
  json_builder_begin_array (b);

  stmt = sc_db_prepare (db, CODE_COLUMNS "ORDER BY c.kind, c.code", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(ScPlatformCodeRow) row = sc_platform_code_row_new_from_stmt (stmt);
      g_autofree char *reason = NULL;
      ScVerdictStatus status;

      status = sc_platform_codes_status (row, DEMO_STORE_ID, req->now, SC_PLATFORM_TOKEN_NONE,
                                         &reason);
      add_demo (b, row->code, row->kind, sc_platform_status_name (status), row->note);

      if (row->realtime_only)
        add_demo_live_tokens (b, row, req);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  /* Well-formed codes the platform has never issued. */
  while (found < G_N_ELEMENTS (first_digits))
    {
      char code[SC_CODE_LENGTH + 1];
      gboolean exists = TRUE;

      code[0] = first_digits[found];
      for (int i = 1; i < SC_CODE_LENGTH - 1; i++)
        code[i] = (char) ('0' + g_rand_int_range (rand, 0, 10));
      code[SC_CODE_LENGTH - 1] = sc_code_luhn_check_digit (code, SC_CODE_LENGTH - 1);
      code[SC_CODE_LENGTH] = '\0';
      if (!sc_platform_lookup (db, "SELECT 1 FROM codes WHERE code = ?1", code, NULL, &exists,
                               NULL, error))
        return NULL;
      if (exists)
        continue;
      add_demo (b, code, sc_platform_codes_kind (code), "not_found", "never issued");
      found++;
    }

  add_demo (b, "123456789010", "unknown", "malformed", "wrong check digit");
  add_demo (b, "12345", "unknown", "malformed", "wrong length");
  add_demo (b, "12A4567B9012", "unknown", "malformed", "letters");

  json_builder_end_array (b);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

ScPlatformReply *
sc_platform_op_admin_reset (ScDb              *db,
                            ScPlatformRequest *req,
                            GError           **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (!sc_platform_seed_demo_insert (db, req->now, error))
    return NULL;
  json_builder_begin_object (b);
  sc_platform_add_string (b, "status", "ok");
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

/* TRUE when @store_id is a store; else FALSE with *@out_reply (a 404) or
 * @error, as sc_platform_session_load. */
static gboolean
store_check (ScDb             *db,
             const char       *store_id,
             ScPlatformReply **out_reply,
             GError          **error)
{
  gboolean exists = FALSE;

  *out_reply = NULL;
  if (!sc_platform_lookup (db, "SELECT 1 FROM stores WHERE id = ?1", store_id, NULL, &exists,
                           NULL, error))
    return FALSE;
  if (!exists)
    *out_reply = sc_platform_reply_new_error (404, "not_found", _("There is no such store."),
                                              NULL);
  return exists;
}

/* POST /v1/admin/orders {count, store_id?}: 201 {created, version, codes[]} */
ScPlatformReply *
sc_platform_op_admin_add_orders (ScDb              *db,
                                 ScPlatformRequest *req,
                                 GError           **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  ScPlatformReply *reply = NULL;
  gint64 version;

  if (!store_check (db, req->store_id, &reply, error))
    return reply;
  if (!sc_platform_seed_add_orders (db, req->now, req->store_id, req->count, codes, error) ||
      !sc_platform_current_version (db, &version, error))
    return NULL;

  json_builder_begin_object (b);
  sc_platform_add_int (b, "created", codes->len);
  sc_platform_add_int (b, "version", version);
  json_builder_set_member_name (b, "codes");
  json_builder_begin_array (b);
  for (guint i = 0; i < codes->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (codes, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return sc_platform_reply_new (201, json_builder_get_root (b));
}

/* POST /v1/admin/orders/touch {count, store_id?}: 200 {touched, version} */
ScPlatformReply *
sc_platform_op_admin_touch_orders (ScDb              *db,
                                   ScPlatformRequest *req,
                                   GError           **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  ScPlatformReply *reply = NULL;
  gint64 version;
  int touched = 0;

  if (!store_check (db, req->store_id, &reply, error))
    return reply;
  if (!sc_platform_seed_touch_orders (db, req->now, req->store_id, req->count, &touched,
                                      error) ||
      !sc_platform_current_version (db, &version, error))
    return NULL;

  json_builder_begin_object (b);
  sc_platform_add_int (b, "touched", touched);
  sc_platform_add_int (b, "version", version);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

/* GET /v1/admin/redemptions?store_id=&limit=: every redemption the platform
 * holds (of that store), oldest first, with how many redemptions each code
 * has; limit=0 gives the count only. */
ScPlatformReply *
sc_platform_op_admin_redemptions (ScDb              *db,
                                  ScPlatformRequest *req,
                                  GError           **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  sqlite3_stmt *stmt;
  gint64 count = 0;
  int rc;

  stmt = sc_db_prepare (db, "SELECT COUNT(*), COUNT(reversed_at) FROM redemptions"
                            " WHERE ?1 IS NULL OR store_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  if (req->store_id != NULL)
    sqlite3_bind_text (stmt, 1, req->store_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  json_builder_begin_object (b);
  count = sqlite3_column_int64 (stmt, 0);
  sc_platform_add_int (b, "count", count);
  sc_platform_add_int (b, "reversed", sqlite3_column_int64 (stmt, 1));
  sqlite3_reset (stmt);

  json_builder_set_member_name (b, "redemptions");
  json_builder_begin_array (b);
  if (req->limit != 0)
    {
      stmt = sc_db_prepare (db, "SELECT r.id, r.code, r.kind, r.store_id, r.clerk_id, r.source,"
                                " r.redeemed_at, r.offline, r.reversed_at,"
                                " (SELECT COUNT(*) FROM redemptions r2 WHERE r2.code = r.code),"
                                " c.redemption_id = r.id AND c.store_id = r.store_id"
                                " FROM redemptions r LEFT JOIN codes c ON c.code = r.code"
                                " WHERE ?1 IS NULL OR r.store_id = ?1"
                                " ORDER BY r.redeemed_at, r.rowid LIMIT ?2", error);
      if (stmt == NULL)
        return NULL;
      if (req->store_id != NULL)
        sqlite3_bind_text (stmt, 1, req->store_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, req->limit);
      while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
        {
          json_builder_begin_object (b);
          sc_platform_add_string (b, "redemption_id", (const char *) sqlite3_column_text (stmt, 0));
          sc_platform_add_string (b, "code", (const char *) sqlite3_column_text (stmt, 1));
          sc_platform_add_string (b, "kind", (const char *) sqlite3_column_text (stmt, 2));
          sc_platform_add_string (b, "store_id", (const char *) sqlite3_column_text (stmt, 3));
          sc_platform_add_string (b, "clerk_id", (const char *) sqlite3_column_text (stmt, 4));
          sc_platform_add_string (b, "source", (const char *) sqlite3_column_text (stmt, 5));
          sc_platform_add_time (b, "redeemed_at", sqlite3_column_int64 (stmt, 6));
          json_builder_set_member_name (b, "offline");
          json_builder_add_boolean_value (b, sqlite3_column_int (stmt, 7) != 0);
          sc_platform_add_string (b, "state",
                                  sqlite3_column_type (stmt, 8) == SQLITE_NULL ? "active"
                                                                               : "reversed");
          sc_platform_add_int (b, "code_redemptions", sqlite3_column_int64 (stmt, 9));
          json_builder_set_member_name (b, "holds_code");
          json_builder_add_boolean_value (b, sqlite3_column_int (stmt, 10) != 0);
          json_builder_end_object (b);
        }
      sqlite3_reset (stmt);
      if (rc < 0)
        return NULL;
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}
