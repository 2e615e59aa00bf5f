/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-store-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-platform-util.h"

/* The store's orders (issue 12): the list with its filters, one order with
 * its timeline, and the missing or damaged marks of its lines. */

/* Newest first: the order's creation, then its row. */
#define ORDER_KEY "COALESCE (c.created_at, c.valid_from, 0)"

/* An opaque, stable id of the order's recipient (never the phone number):
 * a keyed hash of the store, the full name and the phone tail, so that two
 * households sharing a tail are told apart. */
static char *
recipient_id (const char              *secret,
              const ScPlatformCodeRow *row)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret,
                                      strlen (secret));
  const char *parts[] = { "recipient", row->store_id, row->customer_name, row->phone_tail };
  g_autofree char *hex = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_hmac_update (hmac, (const guchar *) (parts[i] != NULL ? parts[i] : ""),
                   (gssize) strlen (parts[i] != NULL ? parts[i] : "") + 1);
  hex = g_strdup (g_hmac_get_string (hmac));
  hex[16] = '\0';
  return g_strconcat ("R", hex, NULL);
}

/* One order of the orders calls (@row's lines loaded). */
static void
add_order (JsonBuilder             *b,
           const ScPlatformRequest *req,
           const ScPlatformCodeRow *row,
           const char              *store_id)
{
  g_autofree char *reason = NULL;
  g_autofree char *recipient = recipient_id (req->secret, row);
  ScVerdictStatus verdict = sc_platform_codes_status (row, store_id, req->now,
                                                      SC_PLATFORM_TOKEN_NONE, &reason);
  gint64 picked, missing, remaining;

  sc_platform_codes_order_totals (row, &picked, &missing, &remaining);
  json_builder_begin_object (b);
  sc_platform_add_string (b, "code", row->code);
  sc_platform_add_string (b, "status", sc_platform_codes_order_status (row, req->now));
  sc_platform_add_string (b, "code_status", sc_platform_status_name (verdict));
  sc_platform_add_string (b, "recipient_id", recipient);
  sc_platform_add_order_fields (b, row);
  sc_platform_add_int (b, "picked_qty", picked);
  sc_platform_add_int (b, "missing_qty", missing);
  sc_platform_add_int (b, "remaining_qty", remaining);
  if (row->has_created_at || row->has_valid_from)
    sc_platform_add_time (b, "created_at", row->has_created_at ? row->created_at
                                                               : row->valid_from);
  if (row->redemption_id != NULL)
    sc_platform_add_redeemed (b, row);
}

/* 00:00 of store day @date (YYYY-MM-DD) in the store's time zone. */
static gboolean
parse_day (const char *date,
           gint64     *out)
{
  g_autoptr(GTimeZone) tz = sc_platform_store_timezone ();
  g_autoptr(GDateTime) day = NULL;
  int y, m, d;

  if (strlen (date) != 10 || sscanf (date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      (day = g_date_time_new (tz, y, m, d, 0, 0, 0)) == NULL)
    return FALSE;
  *out = g_date_time_to_unix (day);
  return TRUE;
}

ScPlatformReply *
sc_platform_op_orders (ScDb              *db,
                       ScPlatformRequest *req,
                       GError           **error)
{
  g_auto(ScPlatformSession) s = { NULL, NULL };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *next = NULL;
  ScPlatformReply *reply = NULL;
  sqlite3_stmt *stmt;
  gint64 from = 0, to = 0, cursor_key = 0, cursor_rowid = 0;
  gboolean failed = FALSE;
  int n = 0;
  int rc;

  if (!sc_platform_session_load (db, req, &s, &reply, error))
    return reply;
  if ((req->date != NULL && !parse_day (req->date, &from)) ||
      (req->date_to != NULL && !parse_day (req->date_to, &to)))
    return sc_platform_reply_new_error (400, "bad_request",
                                        _("The date must look like 2024-05-01."), NULL);
  if (req->cursor != NULL &&
      (sscanf (req->cursor, "%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, &cursor_key,
               &cursor_rowid) != 2))
    return sc_platform_reply_new_error (400, "bad_request",
                                        _("The cursor is not one this platform gave."), NULL);

  /* An order belongs to the days its pickup window touches. */
  stmt = sc_db_prepare (db, CODE_SELECT ", c.rowid " CODE_FROM
                        "WHERE c.store_id = ?1 AND c.kind = 'pickup'"
                        " AND (?2 IS NULL OR COALESCE (c.valid_until, 9000000000000000000) >= ?2)"
                        " AND (?3 IS NULL OR COALESCE (c.valid_from, 0) < ?3)"
                        " AND (?4 IS NULL OR c.phone_tail = ?4 OR instr (c.code, ?4) > 0"
                        "      OR instr (c.customer_name, ?4) > 0"
                        "      OR instr (c.customer_masked, ?4) > 0"
                        "      OR instr (c.order_id, ?4) > 0)"
                        " AND (?5 IS NULL OR c.phone_tail = ?5)"
                        " AND (?6 IS NULL OR (" ORDER_KEY ", c.rowid) < (?6, ?7))"
                        " ORDER BY " ORDER_KEY " DESC, c.rowid DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, s.store_id, -1, SQLITE_TRANSIENT);
  if (req->date != NULL)
    sqlite3_bind_int64 (stmt, 2, from);
  if (req->date != NULL || req->date_to != NULL)
    sqlite3_bind_int64 (stmt, 3, (req->date_to != NULL ? to : from) + 24 * 3600);
  if (req->query != NULL)
    sqlite3_bind_text (stmt, 4, req->query, -1, SQLITE_TRANSIENT);
  if (req->tail != NULL)
    sqlite3_bind_text (stmt, 5, req->tail, -1, SQLITE_TRANSIENT);
  if (req->cursor != NULL)
    {
      sqlite3_bind_int64 (stmt, 6, cursor_key);
      sqlite3_bind_int64 (stmt, 7, cursor_rowid);
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "orders");
  json_builder_begin_array (b);
  /* The status depends on the lines and the clock: filtered here, so that
   * the rule lives in one place (sc_platform_codes_order_status). */
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(ScPlatformCodeRow) row = sc_platform_code_row_new_from_stmt (stmt);
      gint64 key = row->has_created_at ? row->created_at
                                       : row->has_valid_from ? row->valid_from : 0;

      if (!sc_platform_code_row_load_lines (db, row, error))
        {
          failed = TRUE;
          break;
        }
      if (!sc_platform_codes_order_status_in (sc_platform_codes_order_status (row, req->now),
                                              req->statuses))
        continue;
      if (++n > req->limit)
        break;
      add_order (b, req, row, s.store_id);
      json_builder_end_object (b);
      g_free (next);
      next = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, key,
                              (gint64) sqlite3_column_int64 (stmt, COL_ROWID));
    }
  sqlite3_reset (stmt);
  if (rc < 0 || failed)
    return NULL;
  json_builder_end_array (b);

  json_builder_set_member_name (b, "next_cursor");
  if (n > req->limit)
    json_builder_add_string_value (b, next);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

/* Order @order_id of @store_id with its lines, or NULL (none, or another
 * store's). */
static gboolean
order_load (ScDb               *db,
            const char         *store_id,
            const char         *order_id,
            ScPlatformCodeRow **out_row,
            GError            **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(ScPlatformCodeRow) row = NULL;
  int rc = sc_platform_query_first (db, CODE_COLUMNS "WHERE c.order_id = ?1 AND c.store_id = ?2"
                                                     " AND c.kind = 'pickup' LIMIT 1",
                                    order_id, store_id, &stmt, error);

  *out_row = NULL;
  if (rc < 0)
    return FALSE;
  if (rc != SQLITE_ROW)
    return TRUE;
  row = sc_platform_code_row_new_from_stmt (stmt);
  sqlite3_reset (stmt);
  if (!sc_platform_code_row_load_lines (db, row, error))
    return FALSE;
  *out_row = g_steal_pointer (&row);
  return TRUE;
}

static ScPlatformReply *
order_not_found (void)
{
  return sc_platform_reply_new_error (404, "not_found", _("The store has no such order."), NULL);
}

/* "timeline": what happened to @row, oldest first. */
static gboolean
add_timeline (ScDb                    *db,
              JsonBuilder             *b,
              const ScPlatformCodeRow *row,
              GError                 **error)
{
  sqlite3_stmt *stmt;
  int rc;

  json_builder_set_member_name (b, "timeline");
  json_builder_begin_array (b);
  if (row->has_created_at || row->has_valid_from)
    {
      json_builder_begin_object (b);
      sc_platform_add_time (b, "at", row->has_created_at ? row->created_at : row->valid_from);
      sc_platform_add_string (b, "kind", "created");
      sc_platform_add_string (b, "store_id", row->store_id);
      json_builder_end_object (b);
    }

  stmt = sc_db_prepare (db,
                        "SELECT t.at, t.kind, t.rid, t.clerk_id, k.name, t.store_id, t.reason,"
                        " t.note, t.line_id, t.qty FROM ("
                        "  SELECT r.redeemed_at AS at,"
                        "   CASE WHEN r.partial THEN 'partial_pickup' ELSE 'picked_up' END AS kind,"
                        "   r.id AS rid, r.clerk_id AS clerk_id, r.store_id AS store_id,"
                        "   NULL AS reason, NULL AS note, NULL AS line_id, NULL AS qty,"
                        "   1 AS ord, r.rowid AS seq"
                        "   FROM redemptions r WHERE r.code = ?1 AND r.store_id = ?2"
                        "  UNION ALL"
                        "  SELECT r.reversed_at, 'reversed', r.id,"
                        "   COALESCE (r.reversed_by, r.clerk_id), r.store_id,"
                        "   NULL, NULL, NULL, NULL, 2, r.rowid"
                        "   FROM redemptions r WHERE r.code = ?1 AND r.store_id = ?2"
                        "   AND r.reversed_at IS NOT NULL"
                        "  UNION ALL"
                        "  SELECT e.at, 'missing', NULL, e.clerk_id, e.store_id, e.reason, e.note,"
                        "   e.line_id, e.qty, 3, e.id"
                        "   FROM line_events e WHERE e.code = ?1 AND e.kind = 'missing') t"
                        " LEFT JOIN clerks k ON k.store_id = t.store_id AND k.id = t.clerk_id"
                        " ORDER BY t.at, t.ord, t.seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row->store_id, -1, SQLITE_TRANSIENT);
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      const char *rid = (const char *) sqlite3_column_text (stmt, 2);

      json_builder_begin_object (b);
      sc_platform_add_time (b, "at", sqlite3_column_int64 (stmt, 0));
      sc_platform_add_string (b, "kind", kind);
      sc_platform_add_string (b, "clerk_id", (const char *) sqlite3_column_text (stmt, 3));
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        sc_platform_add_string (b, "clerk_name", (const char *) sqlite3_column_text (stmt, 4));
      sc_platform_add_string (b, "store_id", (const char *) sqlite3_column_text (stmt, 5));
      if (rid != NULL)
        sc_platform_add_string (b, "redemption_id", rid);
      if (g_strcmp0 (kind, "missing") == 0)
        {
          sc_platform_add_string (b, "reason", (const char *) sqlite3_column_text (stmt, 6));
          if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
            sc_platform_add_string (b, "note", (const char *) sqlite3_column_text (stmt, 7));
          json_builder_set_member_name (b, "lines");
          json_builder_begin_array (b);
          sc_platform_add_line_qty (b, (const char *) sqlite3_column_text (stmt, 8),
                                    sqlite3_column_int64 (stmt, 9));
          json_builder_end_array (b);
        }
      else if (rid != NULL &&
               !sc_platform_add_redemption_lines (db, b, row->store_id, rid, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      json_builder_end_object (b);
    }
  sqlite3_reset (stmt);
  json_builder_end_array (b);
  return rc >= 0;
}

ScPlatformReply *
sc_platform_op_order (ScDb              *db,
                      ScPlatformRequest *req,
                      GError           **error)
{
  g_auto(ScPlatformSession) s = { NULL, NULL };
  g_autoptr(ScPlatformCodeRow) row = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  ScPlatformReply *reply = NULL;

  if (!sc_platform_session_load (db, req, &s, &reply, error))
    return reply;
  if (!order_load (db, s.store_id, req->order_id, &row, error))
    return NULL;
  if (row == NULL)
    return order_not_found ();

  add_order (b, req, row, s.store_id);
  if (!add_timeline (db, b, row, error))
    return NULL;
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

ScPlatformReply *
sc_platform_op_mark_missing (ScDb              *db,
                             ScPlatformRequest *req,
                             GError           **error)
{
  g_auto(ScPlatformSession) s = { NULL, NULL };
  g_autoptr(ScPlatformCodeRow) row = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *scope = NULL;
  const ScPlatformOrderLine *line = NULL;
  ScPlatformReply *reply = NULL;
  sqlite3_stmt *stmt;

  if (!sc_platform_session_load (db, req, &s, &reply, error))
    return reply;
  scope = g_strconcat ("missing:", s.store_id, NULL);
  if (!sc_platform_idempotency_find (db, scope, req->idempotency_key, &reply, error))
    return NULL;
  if (reply != NULL)
    return reply;

  if (!order_load (db, s.store_id, req->order_id, &row, error))
    return NULL;
  if (row == NULL)
    return order_not_found ();
  if (g_strcmp0 (sc_platform_codes_order_status (row, req->now), "cancelled") == 0)
    {
      g_autoptr(JsonBuilder) d = json_builder_new ();

      json_builder_begin_object (d);
      sc_platform_add_string (d, "order_id", req->order_id);
      json_builder_end_object (d);
      reply = sc_platform_reply_new_error (409, "order_closed", _("The order is cancelled."),
                                           json_builder_get_root (d));
    }
  else
    reply = sc_platform_line_check (row, req->line_id, req->count, 404, &line);
  if (reply != NULL)
    return sc_platform_idempotency_remember (db, scope, req->idempotency_key, req->now, reply,
                                             error);

  stmt = sc_db_prepare (db, "INSERT INTO line_events (code, line_id, kind, qty, store_id,"
                            " clerk_id, at, reason, note)"
                            " VALUES (?1, ?2, 'missing', ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, row->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, line->line_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, req->count);
  sqlite3_bind_text (stmt, 4, s.store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, s.clerk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, req->now);
  sqlite3_bind_text (stmt, 7, req->reason, -1, SQLITE_TRANSIENT);
  if (req->note != NULL)
    sqlite3_bind_text (stmt, 8, req->note, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error) ||
      !sc_platform_order_settle (db, s.store_id, row->code, NULL, error))
    return NULL;

  /* The answer: the mark and the order as it now is. */
  g_clear_pointer (&row, sc_platform_code_row_free);
  if (!order_load (db, s.store_id, req->order_id, &row, error))
    return NULL;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mark");
  json_builder_begin_object (b);
  sc_platform_add_string (b, "line_id", req->line_id);
  sc_platform_add_int (b, "qty", req->count);
  sc_platform_add_string (b, "reason", req->reason);
  if (req->note != NULL)
    sc_platform_add_string (b, "note", req->note);
  sc_platform_add_time (b, "at", req->now);
  sc_platform_add_string (b, "clerk_id", s.clerk_id);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "order");
  add_order (b, req, row, s.store_id);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return sc_platform_idempotency_remember (db, scope, req->idempotency_key, req->now,
                                           sc_platform_reply_new (201, json_builder_get_root (b)),
                                           error);
}
