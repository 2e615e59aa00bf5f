/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-store-private.h"

#include <glib/gi18n-lib.h>

#include "sc-verdict-words.h"

/* ---- replies ---- */

ScPlatformReply *
sc_platform_reply_new (guint     status,
                       JsonNode *body)
{
  ScPlatformReply *self = g_new0 (ScPlatformReply, 1);

  self->status = status;
  self->body = json_to_string (body, FALSE);
  json_node_unref (body);
  return self;
}

ScPlatformReply *
sc_platform_reply_new_error (guint       status,
                             const char *code,
                             const char *message,
                             JsonNode   *details)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message != NULL ? message : code);
  if (details != NULL)
    {
      json_builder_set_member_name (b, "details");
      json_builder_add_value (b, details);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  return sc_platform_reply_new (status, json_builder_get_root (b));
}

ScPlatformReply *
sc_platform_reply_new_raw (guint       status,
                           const char *body)
{
  ScPlatformReply *self = g_new0 (ScPlatformReply, 1);

  self->status = status;
  self->body = g_strdup (body);
  return self;
}

void
sc_platform_reply_free (ScPlatformReply *self)
{
  if (self == NULL)
    return;
  g_free (self->body);
  g_free (self);
}

/* ---- JSON members ---- */

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format_iso8601 (dt);
}

void
sc_platform_add_time (JsonBuilder *b,
                      const char  *name,
                      gint64       t)
{
  g_autofree char *text = format_time (t);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
}

void
sc_platform_add_string (JsonBuilder *b,
                        const char  *name,
                        const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
sc_platform_add_int (JsonBuilder *b,
                     const char  *name,
                     gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

void
sc_platform_add_id_name (JsonBuilder *b,
                         const char  *member,
                         const char  *id,
                         const char  *name)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  sc_platform_add_string (b, "id", id);
  sc_platform_add_string (b, "name", name);
  json_builder_end_object (b);
}

const char *
sc_platform_status_name (ScVerdictStatus status)
{
  g_return_val_if_fail (status < SC_VERDICT_STATUS_LAST, "not_found");
  return sc_verdict_status_to_string (status);
}

ScPlatformCodeRow *
sc_platform_code_row_new_from_stmt (sqlite3_stmt *stmt)
{
  ScPlatformCodeRow *row = g_new0 (ScPlatformCodeRow, 1);

  row->code = sc_db_column_dup_text (stmt, COL_CODE);
  row->kind = sc_db_column_dup_text (stmt, COL_KIND);
  row->store_id = sc_db_column_dup_text (stmt, COL_STORE_ID);
  row->store_name = sc_db_column_dup_text (stmt, COL_STORE_NAME);
  row->store_tz = sc_db_column_dup_text (stmt, COL_STORE_TZ);
  row->state = sc_db_column_dup_text (stmt, COL_STATE);
  row->has_valid_from = sqlite3_column_type (stmt, COL_VALID_FROM) != SQLITE_NULL;
  row->valid_from = sqlite3_column_int64 (stmt, COL_VALID_FROM);
  row->has_valid_until = sqlite3_column_type (stmt, COL_VALID_UNTIL) != SQLITE_NULL;
  row->valid_until = sqlite3_column_int64 (stmt, COL_VALID_UNTIL);
  row->realtime_only = sqlite3_column_int (stmt, COL_REALTIME) != 0;
  row->order_id = sc_db_column_dup_text (stmt, COL_ORDER_ID);
  row->customer_masked = sc_db_column_dup_text (stmt, COL_CUSTOMER);
  row->phone_tail = sc_db_column_dup_text (stmt, COL_PHONE_TAIL);
  row->total_fen = sqlite3_column_int64 (stmt, COL_TOTAL);
  row->items = sc_db_column_dup_text (stmt, COL_ITEMS);
  row->coupon_type = sc_db_column_dup_text (stmt, COL_COUPON_TYPE);
  row->title = sc_db_column_dup_text (stmt, COL_TITLE);
  row->value_fen = sqlite3_column_int64 (stmt, COL_VALUE);
  row->min_spend_fen = sqlite3_column_int64 (stmt, COL_MIN_SPEND);
  row->percent_off = sqlite3_column_int (stmt, COL_PERCENT);
  row->cap_fen = sqlite3_column_int64 (stmt, COL_CAP);
  row->activity_id = sc_db_column_dup_text (stmt, COL_ACTIVITY_ID);
  row->activity_name = sc_db_column_dup_text (stmt, COL_ACTIVITY_NAME);
  row->activity_end = sqlite3_column_int64 (stmt, COL_ACTIVITY_END);
  row->claim_days = sqlite3_column_int (stmt, COL_CLAIM_DAYS);
  row->prize_name = sc_db_column_dup_text (stmt, COL_PRIZE_NAME);
  row->claimed = sqlite3_column_int (stmt, COL_CLAIMED) != 0;
  row->redemption_id = sc_db_column_dup_text (stmt, COL_R_ID);
  row->redeemed_at = sqlite3_column_int64 (stmt, COL_R_AT);
  row->r_store_id = sc_db_column_dup_text (stmt, COL_R_STORE_ID);
  row->r_store_name = sc_db_column_dup_text (stmt, COL_R_STORE_NAME);
  row->r_clerk_id = sc_db_column_dup_text (stmt, COL_R_CLERK_ID);
  row->r_clerk_name = sc_db_column_dup_text (stmt, COL_R_CLERK_NAME);
  row->version = sqlite3_column_int64 (stmt, COL_VERSION);
  row->note = sc_db_column_dup_text (stmt, COL_NOTE);
  row->customer_name = sc_db_column_dup_text (stmt, COL_CUSTOMER_NAME);
  row->has_created_at = sqlite3_column_type (stmt, COL_CREATED_AT) != SQLITE_NULL;
  row->created_at = sqlite3_column_int64 (stmt, COL_CREATED_AT);
  return row;
}

/* Returns TRUE and *out_row (NULL when there is no such code), or FALSE
 * with @error. */
gboolean
sc_platform_code_row_load (ScDb               *db,
                           const char         *code,
                           ScPlatformCodeRow **out_row,
                           GError            **error)
{
  sqlite3_stmt *stmt;
  int rc = sc_platform_query_first (db, CODE_COLUMNS "WHERE c.code = ?1", code, NULL, &stmt,
                                    error);

  g_autoptr(ScPlatformCodeRow) row = NULL;

  *out_row = NULL;
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      row = sc_platform_code_row_new_from_stmt (stmt);
      sqlite3_reset (stmt);
      if (!sc_platform_code_row_load_lines (db, row, error))
        return FALSE;
      *out_row = g_steal_pointer (&row);
    }
  return TRUE;
}

/* Picked counts only under redemptions not reversed. */
#define LINES_SELECT \
  "SELECT l.line_id, l.name, l.qty, l.price_fen," \
  " COALESCE ((SELECT SUM (e.qty) FROM line_events e JOIN redemptions r" \
  "   ON r.store_id = e.store_id AND r.id = e.redemption_id" \
  "   WHERE e.code = l.code AND e.line_id = l.line_id AND e.kind = 'picked'" \
  "   AND r.reversed_at IS NULL), 0)," \
  " COALESCE ((SELECT SUM (e.qty) FROM line_events e" \
  "   WHERE e.code = l.code AND e.line_id = l.line_id AND e.kind = 'missing'), 0)" \
  " FROM order_lines l WHERE l.code = ?1 ORDER BY CAST (l.line_id AS INTEGER), l.line_id"

gboolean
sc_platform_code_row_load_lines (ScDb               *db,
                                 ScPlatformCodeRow  *row,
                                 GError            **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (g_strcmp0 (row->kind, "pickup") != 0)
    return TRUE;
  stmt = sc_db_prepare (db, LINES_SELECT, error);
  if (stmt == NULL)
    return FALSE;
  g_clear_pointer (&row->lines, g_ptr_array_unref);
  row->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_platform_order_line_free);
  sqlite3_bind_text (stmt, 1, row->code, -1, SQLITE_TRANSIENT);
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      ScPlatformOrderLine *line = g_new0 (ScPlatformOrderLine, 1);

      line->line_id = sc_db_column_dup_text (stmt, 0);
      line->name = sc_db_column_dup_text (stmt, 1);
      line->qty = sqlite3_column_int64 (stmt, 2);
      line->price_fen = sqlite3_column_int64 (stmt, 3);
      line->picked_qty = sqlite3_column_int64 (stmt, 4);
      line->missing_qty = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (row->lines, line);
    }
  sqlite3_reset (stmt);
  return rc >= 0;
}

void
sc_platform_add_line_qty (JsonBuilder *b,
                          const char  *line_id,
                          gint64       qty)
{
  json_builder_begin_object (b);
  sc_platform_add_string (b, "line_id", line_id);
  sc_platform_add_int (b, "qty", qty);
  json_builder_end_object (b);
}

ScPlatformReply *
sc_platform_line_check (const ScPlatformCodeRow    *row,
                        const char                 *line_id,
                        gint64                      qty,
                        guint                       unknown_status,
                        const ScPlatformOrderLine **out_line)
{
  g_autoptr(JsonBuilder) d = json_builder_new ();
  const ScPlatformOrderLine *line = NULL;
  gint64 left;

  for (guint i = 0; row->lines != NULL && i < row->lines->len && line == NULL; i++)
    if (g_strcmp0 (((ScPlatformOrderLine *) g_ptr_array_index (row->lines, i))->line_id,
                   line_id) == 0)
      line = g_ptr_array_index (row->lines, i);

  *out_line = line;
  json_builder_begin_object (d);
  sc_platform_add_string (d, "line_id", line_id);
  if (line == NULL)
    {
      json_builder_end_object (d);
      return sc_platform_reply_new_error (unknown_status, "unknown_line",
                                          _("The order has no such line."),
                                          json_builder_get_root (d));
    }
  left = sc_platform_order_line_remaining (line);
  if (qty <= left)
    return NULL;
  sc_platform_add_int (d, "requested_qty", qty);
  sc_platform_add_int (d, "remaining_qty", left);
  json_builder_end_object (d);
  return sc_platform_reply_new_error (409, "line_not_available",
                                      _("That much of this line is not left to hand over."),
                                      json_builder_get_root (d));
}

gboolean
sc_platform_add_redemption_lines (ScDb        *db,
                                  JsonBuilder *b,
                                  const char  *store_id,
                                  const char  *id,
                                  GError     **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT line_id, qty FROM line_events"
                                          " WHERE store_id = ?1 AND redemption_id = ?2"
                                          " AND kind = 'picked' ORDER BY id", error);
  gboolean any = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      if (!any)
        {
          json_builder_set_member_name (b, "lines");
          json_builder_begin_array (b);
          any = TRUE;
        }
      sc_platform_add_line_qty (b, (const char *) sqlite3_column_text (stmt, 0),
                                sqlite3_column_int64 (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (any)
    json_builder_end_array (b);
  return rc >= 0;
}

gboolean
sc_platform_order_settle (ScDb        *db,
                          const char  *store_id,
                          const char  *code,
                          gint64      *out_remaining,
                          GError     **error)
{
  g_autoptr(ScPlatformCodeRow) row = g_new0 (ScPlatformCodeRow, 1);
  sqlite3_stmt *stmt;
  gint64 remaining = 0;

  row->kind = g_strdup ("pickup");
  row->code = g_strdup (code);
  if (!sc_platform_code_row_load_lines (db, row, error))
    return FALSE;
  sc_platform_codes_order_totals (row, NULL, NULL, &remaining);

  stmt = sc_db_prepare (db, "UPDATE codes SET redemption_id = CASE WHEN ?3 > 0 THEN NULL ELSE"
                            " (SELECT r.id FROM redemptions r WHERE r.store_id = ?1"
                            "  AND r.code = ?2 AND r.reversed_at IS NULL"
                            "  ORDER BY r.redeemed_at DESC, r.rowid DESC LIMIT 1) END"
                            " WHERE code = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, remaining);
  if (!sc_db_step_done (db, stmt, error) || !sc_platform_bump_code_version (db, code, error))
    return FALSE;
  if (out_remaining != NULL)
    *out_remaining = remaining;
  return TRUE;
}

const char *
sc_platform_reason_message (const char *reason_code)
{
  const char *words = sc_verdict_words_reason_english (reason_code);

  return words != NULL ? words : reason_code;
}

void
sc_platform_add_order_items (JsonBuilder             *b,
                             const ScPlatformCodeRow *row)
{
  g_autoptr(JsonNode) items = NULL;

  json_builder_set_member_name (b, "items");
  if (row->lines != NULL)
    {
      json_builder_begin_array (b);
      for (guint i = 0; i < row->lines->len; i++)
        {
          const ScPlatformOrderLine *line = g_ptr_array_index (row->lines, i);

          json_builder_begin_object (b);
          sc_platform_add_string (b, "line_id", line->line_id);
          sc_platform_add_string (b, "name", line->name);
          sc_platform_add_int (b, "quantity", line->qty);
          sc_platform_add_int (b, "price_fen", line->price_fen);
          sc_platform_add_int (b, "picked_qty", line->picked_qty);
          sc_platform_add_int (b, "missing_qty", line->missing_qty);
          sc_platform_add_int (b, "remaining_qty", sc_platform_order_line_remaining (line));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      return;
    }
  if (row->items != NULL)
    items = json_from_string (row->items, NULL);
  if (items != NULL && JSON_NODE_HOLDS_ARRAY (items))
    json_builder_add_value (b, g_steal_pointer (&items));
  else
    {
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
}

void
sc_platform_add_redeemed (JsonBuilder             *b,
                          const ScPlatformCodeRow *row)
{
  json_builder_set_member_name (b, "redeemed");
  json_builder_begin_object (b);
  sc_platform_add_string (b, "redemption_id", row->redemption_id);
  sc_platform_add_time (b, "at", row->redeemed_at);
  sc_platform_add_id_name (b, "store", row->r_store_id, row->r_store_name);
  sc_platform_add_id_name (b, "clerk", row->r_clerk_id, row->r_clerk_name);
  json_builder_end_object (b);
}

void
sc_platform_add_validity (JsonBuilder             *b,
                          const ScPlatformCodeRow *row)
{
  if (row->has_valid_from)
    sc_platform_add_time (b, "valid_from", row->valid_from);
  if (row->has_valid_until)
    sc_platform_add_time (b, "valid_until", row->valid_until);
}

/* The lookup answer for @row (see sc-platform-client.h). */
JsonNode *
sc_platform_code_row_to_json (const ScPlatformCodeRow *row,
                              ScVerdictStatus          status,
                              const char              *reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 order_t;

  json_builder_begin_object (b);
  sc_platform_add_string (b, "code", row->code);
  sc_platform_add_string (b, "kind", row->kind);
  sc_platform_add_string (b, "status", sc_platform_status_name (status));
  if (reason != NULL)
    {
      sc_platform_add_string (b, "reason_code", reason);
      sc_platform_add_string (b, "reason", sc_platform_reason_message (reason));
    }

  /* Another store's code: its store's name for the clerk to send the
   * customer on, and nothing else (no id, no customer, no details). */
  if (status == SC_VERDICT_STATUS_WRONG_STORE)
    {
      json_builder_set_member_name (b, "store");
      json_builder_begin_object (b);
      sc_platform_add_string (b, "name", row->store_name);
      json_builder_end_object (b);
      json_builder_end_object (b);
      return json_builder_get_root (b);
    }
  sc_platform_add_id_name (b, "store", row->store_id, row->store_name);

  sc_platform_add_validity (b, row);
  json_builder_set_member_name (b, "realtime_only");
  json_builder_add_boolean_value (b, row->realtime_only);

  if (g_strcmp0 (row->kind, "pickup") == 0)
    {
      json_builder_set_member_name (b, "order");
      json_builder_begin_object (b);
      sc_platform_add_string (b, "order_id", row->order_id);
      sc_platform_add_string (b, "customer_masked", row->customer_masked);
      sc_platform_add_string (b, "phone_tail", row->phone_tail);
      sc_platform_add_int (b, "total_fen", row->total_fen);
      sc_platform_add_order_items (b, row);
      /* What the order is as a whole (a partially picked up order is
       * still redeemable: its remaining lines), as of the verdict's time. */
      order_t = status == SC_VERDICT_STATUS_EXPIRED ? G_MAXINT64 : G_MININT64;
      sc_platform_add_string (b, "status", sc_platform_codes_order_status (row, order_t));
      json_builder_end_object (b);
    }
  else if (g_strcmp0 (row->kind, "coupon") == 0)
    {
      json_builder_set_member_name (b, "coupon");
      json_builder_begin_object (b);
      sc_platform_add_string (b, "type", row->coupon_type);
      sc_platform_add_string (b, "title", row->title);
      sc_platform_add_int (b, "value_fen", row->value_fen);
      sc_platform_add_int (b, "min_spend_fen", row->min_spend_fen);
      sc_platform_add_int (b, "percent_off", row->percent_off);
      sc_platform_add_int (b, "cap_fen", row->cap_fen);
      json_builder_end_object (b);
    }
  else if (g_strcmp0 (row->kind, "prize") == 0 && row->activity_id != NULL)
    {
      json_builder_set_member_name (b, "prize");
      json_builder_begin_object (b);
      sc_platform_add_string (b, "activity_id", row->activity_id);
      sc_platform_add_string (b, "activity_name", row->activity_name);
      sc_platform_add_string (b, "prize_name", row->prize_name);
      sc_platform_add_time (b, "activity_end", row->activity_end);
      sc_platform_add_int (b, "claim_days", row->claim_days);
      sc_platform_add_time (b, "claim_deadline",
                            sc_platform_codes_claim_deadline (row->store_tz, row->activity_end,
                                                              row->claim_days));
      json_builder_end_object (b);
    }

  if (row->redemption_id != NULL)
    sc_platform_add_redeemed (b, row);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sc_platform_not_found_json (const char *code)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  sc_platform_add_string (b, "code", code);
  sc_platform_add_string (b, "kind", sc_platform_codes_kind (code));
  sc_platform_add_string (b, "status", "not_found");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- one-row queries ---- */

int
sc_platform_query_first (ScDb          *db,
                         const char    *sql,
                         const char    *arg1,
                         const char    *arg2,
                         sqlite3_stmt **out_stmt,
                         GError       **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, sql, error);
  int rc;

  *out_stmt = stmt;
  if (stmt == NULL)
    return -1;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_text (stmt, 1, arg1, -1, SQLITE_TRANSIENT);
  if (arg2 != NULL)
    sqlite3_bind_text (stmt, 2, arg2, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc == SQLITE_DONE)
    sqlite3_reset (stmt);
  return rc;
}

gboolean
sc_platform_lookup (ScDb        *db,
                    const char  *sql,
                    const char  *arg1,
                    const char  *arg2,
                    gboolean    *out_found,
                    char       **out_text,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  int rc = sc_platform_query_first (db, sql, arg1, arg2, &stmt, error);

  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      if (out_text != NULL)
        *out_text = sc_db_column_dup_text (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (out_found != NULL)
    *out_found = rc == SQLITE_ROW;
  return TRUE;
}

/* ---- version counter ---- */

gboolean
sc_platform_bump_code_version (ScDb       *db,
                               const char *code,
                               GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = sc_db_prepare (db, "UPDATE counters SET value = value + 1 WHERE name = 'code_version'",
                        error);
  if (stmt == NULL || !sc_db_step_done (db, stmt, error))
    return FALSE;
  stmt = sc_db_prepare (db,
                        "UPDATE codes SET version ="
                        " (SELECT value FROM counters WHERE name = 'code_version')"
                        " WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  return sc_db_step_done (db, stmt, error);
}

gboolean
sc_platform_current_version (ScDb    *db,
                             gint64  *out_version,
                             GError **error)
{
  sqlite3_stmt *stmt;
  int rc = sc_platform_query_first (db, "SELECT value FROM counters WHERE name = 'code_version'",
                                    NULL, NULL, &stmt, error);

  *out_version = 0;
  if (rc == SQLITE_ROW)
    {
      *out_version = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  return rc >= 0;
}

/* ---- idempotency ---- */

gboolean
sc_platform_idempotency_find (ScDb             *db,
                              const char       *scope,
                              const char       *key,
                              ScPlatformReply **out_reply,
                              GError          **error)
{
  sqlite3_stmt *stmt;
  int rc = sc_platform_query_first (db, "SELECT status, body FROM idempotency"
                                        " WHERE scope = ?1 AND key = ?2", scope, key, &stmt,
                                    error);

  *out_reply = NULL;
  if (rc == SQLITE_ROW)
    {
      *out_reply = sc_platform_reply_new_raw ((guint) sqlite3_column_int (stmt, 0),
                                              (const char *) sqlite3_column_text (stmt, 1));
      sqlite3_reset (stmt);
    }
  return rc >= 0;
}

/* Stores @reply for @key and returns it, or NULL with @error. */
ScPlatformReply *
sc_platform_idempotency_remember (ScDb            *db,
                                  const char      *scope,
                                  const char      *key,
                                  gint64           now,
                                  ScPlatformReply *reply,
                                  GError         **error)
{
  g_autoptr(ScPlatformReply) owned = reply;
  sqlite3_stmt *stmt = sc_db_prepare (db, "INSERT INTO idempotency (scope, key, status, body,"
                                          " created_at) VALUES (?1, ?2, ?3, ?4, ?5)", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int) owned->status);
  sqlite3_bind_text (stmt, 4, owned->body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;
  return g_steal_pointer (&owned);
}
