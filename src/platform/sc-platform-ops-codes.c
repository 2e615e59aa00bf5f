/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-store-private.h"

#include <glib/gi18n-lib.h>

#define OFFLINE_TRUST_S   (7 * 24 * 3600)  /* at most this old, an offline scan may count */

/* ---- lookup ---- */

ScPlatformReply *
sc_platform_op_lookup (ScDb              *db,
                       ScPlatformRequest *req,
                       GError           **error)
{
  g_auto(ScPlatformSession) s = { NULL, NULL };
  g_autoptr(ScPlatformCodeRow) row = NULL;
  g_autofree char *reason = NULL;
  ScPlatformReply *reply = NULL;
  ScVerdictStatus status;

  if (!sc_platform_session_load (db, req, &s, &reply, error))
    return reply;
  if (req->malformed != NULL)
    return sc_platform_reply_new_error (400, "malformed", req->malformed, NULL);
  if (!sc_platform_code_row_load (db, req->code, &row, error))
    return NULL;
  if (row == NULL)
    return sc_platform_reply_new (200, sc_platform_not_found_json (req->code));

  status = sc_platform_codes_status (row, s.store_id, req->now,
                                     sc_platform_codes_token_check (req), &reason);
  return sc_platform_reply_new (200, sc_platform_code_row_to_json (row, status, reason));
}

static guint
http_status_for (ScVerdictStatus status)
{
  switch (status)
    {
    case SC_VERDICT_STATUS_REDEEMED:
      return 409;
    case SC_VERDICT_STATUS_EXPIRED:
      return 410;
    case SC_VERDICT_STATUS_WRONG_STORE:
      return 403;
    case SC_VERDICT_STATUS_NOT_FOUND:
      return 404;
    case SC_VERDICT_STATUS_REDEEMABLE:
    case SC_VERDICT_STATUS_NOT_YET_VALID:
    case SC_VERDICT_STATUS_INVALIDATED:
    case SC_VERDICT_STATUS_GIFTING:
    case SC_VERDICT_STATUS_DELETED:
    case SC_VERDICT_STATUS_MALFORMED:
    case SC_VERDICT_STATUS_QR_STALE:
    case SC_VERDICT_STATUS_NEEDS_NETWORK:
    case SC_VERDICT_STATUS_THRESHOLD_NOT_MET:
    case SC_VERDICT_STATUS_NOT_ELIGIBLE:
    case SC_VERDICT_STATUS_LAST:
    default:
      return 422;
    }
}

static const char *
refusal_message (ScVerdictStatus status)
{
  switch (status)
    {
    case SC_VERDICT_STATUS_REDEEMED:
      return _("This code has already been redeemed.");
    case SC_VERDICT_STATUS_EXPIRED:
      return _("This code has expired.");
    case SC_VERDICT_STATUS_NOT_YET_VALID:
      return _("This code is not valid yet.");
    case SC_VERDICT_STATUS_INVALIDATED:
      return _("The merchant has cancelled this code.");
    case SC_VERDICT_STATUS_GIFTING:
      return _("This code is being given to someone else.");
    case SC_VERDICT_STATUS_DELETED:
      return _("The customer has deleted this code.");
    case SC_VERDICT_STATUS_WRONG_STORE:
      return _("This code belongs to another store.");
    case SC_VERDICT_STATUS_NOT_FOUND:
      return _("No such code.");
    case SC_VERDICT_STATUS_QR_STALE:
      return _("The live code has run out. Ask the customer to reopen it.");
    case SC_VERDICT_STATUS_NEEDS_NETWORK:
      return _("This coupon can only be redeemed online.");
    case SC_VERDICT_STATUS_THRESHOLD_NOT_MET:
      return _("The bill does not reach the coupon’s minimum spend.");
    case SC_VERDICT_STATUS_NOT_ELIGIBLE:
      return _("This prize cannot be claimed.");
    case SC_VERDICT_STATUS_MALFORMED:
      return _("This is not a valid code.");
    case SC_VERDICT_STATUS_REDEEMABLE:
    case SC_VERDICT_STATUS_LAST:
    default:
      return _("This code cannot be redeemed.");
    }
}

static ScPlatformReply *
refusal_reply (ScVerdictStatus status,
               const char     *reason,
               JsonNode       *details)
{
  const char *code = status == SC_VERDICT_STATUS_REDEEMED ? "already_redeemed"
                                                          : sc_platform_status_name (status);

  return sc_platform_reply_new_error (http_status_for (status), code,
                                      reason != NULL ? sc_platform_reason_message (reason)
                                                     : refusal_message (status),
                                      details);
}

/* Whether @t lies inside a session of @s's store and clerk that began
 * before the session of @token, between its start and its end. */
static gboolean
scan_in_earlier_session (ScDb                    *db,
                         const char              *token,
                         const ScPlatformSession *s,
                         gint64                   t,
                         gboolean                *out_inside,
                         GError                 **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT 1 FROM sessions e, sessions cur"
                                          " WHERE cur.token = ?1 AND e.store_id = ?2"
                                          " AND e.clerk_id = ?3 AND e.token != cur.token"
                                          " AND e.created_at < cur.created_at"
                                          " AND e.created_at <= ?4"
                                          " AND ?4 <= COALESCE (e.ended_at, e.expires_at)"
                                          " AND ?4 <= e.expires_at LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, s->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, s->clerk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, t);
  rc = sc_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  *out_inside = rc == SQLITE_ROW;
  return TRUE;
}

/* The status of @row for redeeming @req under @s (with its reason,
 * (transfer full) (nullable)), or FALSE with @error. */
static gboolean
redeem_judge (ScDb                    *db,
              const ScPlatformRequest *req,
              const ScPlatformSession *s,
              const ScPlatformCodeRow *row,
              ScVerdictStatus         *out_status,
              char                   **out_reason,
              GError                 **error)
{
  gint64 judged_at;

  /* An offline scan is judged when it was made only for a pickup code of
   * this store, scanned inside an earlier session of this clerk (DESIGN
   * §7); coupons and prizes, and anything else, are judged now. */
  judged_at = req->now;
  if (req->offline && g_strcmp0 (row->kind, "pickup") == 0 &&
      g_strcmp0 (row->store_id, s->store_id) == 0 &&
      req->scanned_at < req->now && req->now - req->scanned_at <= OFFLINE_TRUST_S)
    {
      gboolean inside = FALSE;

      if (!scan_in_earlier_session (db, req->token, s, req->scanned_at, &inside, error))
        return FALSE;
      if (inside)
        judged_at = req->scanned_at;
    }

  *out_status = sc_platform_codes_status (row, s->store_id, judged_at,
                                          sc_platform_codes_token_check (req), out_reason);
  if (row->realtime_only && req->offline &&
      (*out_status == SC_VERDICT_STATUS_REDEEMABLE || *out_status == SC_VERDICT_STATUS_QR_STALE))
    {
      *out_status = SC_VERDICT_STATUS_NEEDS_NETWORK;
      g_clear_pointer (out_reason, g_free);
    }
  return TRUE;
}

/* The lines a pickup of @row takes: those of @wanted (NULL: every line
 * with something left, all of it) in *@out_take, and whether lines are
 * left after it; or FALSE with the refusal in *@out_refusal. */
static gboolean
redeem_pick_lines (const ScPlatformCodeRow  *row,
                   GArray                   *wanted,
                   GArray                  **out_take,
                   gboolean                 *out_partial,
                   ScPlatformReply         **out_refusal)
{
  g_autoptr(GArray) take = g_array_new (FALSE, TRUE, sizeof (ScPlatformLineQty));
  gint64 remaining = 0, taken = 0;

  *out_refusal = NULL;
  for (guint i = 0; i < row->lines->len; i++)
    {
      const ScPlatformOrderLine *line = g_ptr_array_index (row->lines, i);
      gint64 left = sc_platform_order_line_remaining (line);

      remaining += left;
      if (wanted == NULL && left > 0)
        {
          ScPlatformLineQty l = { line->line_id, left };

          g_array_append_val (take, l);
          taken += left;
        }
    }

  for (guint i = 0; wanted != NULL && i < wanted->len; i++)
    {
      const ScPlatformLineQty *w = &g_array_index (wanted, ScPlatformLineQty, i);
      const ScPlatformOrderLine *line = NULL;
      ScPlatformLineQty l;

      *out_refusal = sc_platform_line_check (row, w->line_id, w->qty, 400, &line);
      if (*out_refusal != NULL)
        return FALSE;
      l = (ScPlatformLineQty) { line->line_id, w->qty };
      g_array_append_val (take, l);
      taken += w->qty;
    }

  *out_partial = remaining - taken > 0;
  *out_take = g_steal_pointer (&take);
  return TRUE;
}

/* Records the redemption of @row by @req under @s (@discount: -1 for
 * none; @take: the lines it hands over of a pickup order with lines, or
 * NULL) and gives the code a new version. */
static gboolean
redeem_record (ScDb                    *db,
               const ScPlatformRequest *req,
               const ScPlatformSession *s,
               const ScPlatformCodeRow *row,
               gint64                   discount,
               GArray                  *take,
               gboolean                 partial,
               GError                 **error)
{
  sqlite3_stmt *stmt;

  stmt = sc_db_prepare (db, "INSERT INTO redemptions (id, code, kind, store_id, clerk_id, source,"
                            " scanned_at, redeemed_at, offline, bill_fen, discount_fen, partial)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, req->redemption_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, row->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, s->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, s->clerk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, req->source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, req->scanned_at);
  sqlite3_bind_int64 (stmt, 8, req->now);
  sqlite3_bind_int (stmt, 9, req->offline ? 1 : 0);
  if (discount >= 0)
    {
      sqlite3_bind_int64 (stmt, 10, req->bill_fen);
      sqlite3_bind_int64 (stmt, 11, discount);
    }
  else if (req->bill_fen >= 0)
    sqlite3_bind_int64 (stmt, 10, req->bill_fen);
  sqlite3_bind_int (stmt, 12, partial ? 1 : 0);
  if (!sc_db_step_done (db, stmt, error))
    return FALSE;

  if (take != NULL)
    {
      for (guint i = 0; i < take->len; i++)
        {
          const ScPlatformLineQty *l = &g_array_index (take, ScPlatformLineQty, i);

          stmt = sc_db_prepare (db, "INSERT INTO line_events (code, line_id, kind, qty,"
                                    " redemption_id, store_id, clerk_id, at)"
                                    " VALUES (?1, ?2, 'picked', ?3, ?4, ?5, ?6, ?7)", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, row->code, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, l->line_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 3, l->qty);
          sqlite3_bind_text (stmt, 4, req->redemption_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 5, s->store_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 6, s->clerk_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 7, req->now);
          if (!sc_db_step_done (db, stmt, error))
            return FALSE;
        }
      return sc_platform_order_settle (db, s->store_id, row->code, NULL, error);
    }

  stmt = sc_db_prepare (db, "UPDATE codes SET redemption_id = ?1 WHERE code = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, req->redemption_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row->code, -1, SQLITE_TRANSIENT);
  return sc_db_step_done (db, stmt, error) &&
         sc_platform_bump_code_version (db, row->code, error);
}

ScPlatformReply *
sc_platform_op_redeem (ScDb              *db,
                       ScPlatformRequest *req,
                       GError           **error)
{
  g_auto(ScPlatformSession) s = { NULL, NULL };
  g_autoptr(ScPlatformCodeRow) row = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *reason = NULL;
  ScPlatformReply *reply = NULL;
  ScVerdictStatus status;
  gboolean seen = FALSE;
  gint64 discount = -1;
  g_autoptr(GArray) take = NULL;
  gboolean has_lines, partial = FALSE;

  if (!sc_platform_session_load (db, req, &s, &reply, error))
    return reply;
  /* Sent under someone else's session (DESIGN §7): refused, nothing kept,
   * not even under its key. */
  if (g_strcmp0 (req->store_id, s.store_id) != 0 || g_strcmp0 (req->clerk_id, s.clerk_id) != 0)
    return sc_platform_reply_new_error (403, "session_mismatch",
                                        _("This redemption was made by another store or clerk "
                                          "than the one signed in: it must be sent by them."),
                                        NULL);
  if (req->malformed != NULL)
    return sc_platform_reply_new_error (400, "malformed", req->malformed, NULL);

  scope = g_strconcat ("redeem:", s.store_id, NULL);
  if (!sc_platform_idempotency_find (db, scope, req->idempotency_key, &reply, error))
    return NULL;
  if (reply != NULL)
    return reply;

  /* Ids are per store: another store's redemption with this id is none of
   * this store's business. */
  if (!sc_platform_lookup (db, "SELECT 1 FROM redemptions WHERE store_id = ?2 AND id = ?1",
                           req->redemption_id, s.store_id, &seen, NULL, error))
    return NULL;
  if (seen)
    return sc_platform_reply_new_error (422, "duplicate_redemption_id",
                                        _("This redemption was already sent with another key."),
                                        NULL);

  if (!sc_platform_code_row_load (db, req->code, &row, error))
    return NULL;
  if (row == NULL)
    return sc_platform_idempotency_remember (db, scope, req->idempotency_key, req->now,
                                             refusal_reply (SC_VERDICT_STATUS_NOT_FOUND, NULL,
                                                            sc_platform_not_found_json (req->code)),
                                             error);

  if (!redeem_judge (db, req, &s, row, &status, &reason, error))
    return NULL;
  if (status != SC_VERDICT_STATUS_REDEEMABLE)
    {
      JsonNode *details = sc_platform_code_row_to_json (row, status, reason);

      return sc_platform_idempotency_remember (db, scope, req->idempotency_key, req->now,
                                               refusal_reply (status, reason, details), error);
    }

  if (g_strcmp0 (row->kind, "coupon") == 0)
    {
      if (req->bill_fen < 0)
        return sc_platform_reply_new_error (422, "bill_required",
                                            _("Enter the bill amount to use a coupon."), NULL);
      if (!sc_platform_codes_coupon_discount (row, req->bill_fen, &discount))
        {
          g_autoptr(JsonBuilder) d = json_builder_new ();

          json_builder_begin_object (d);
          sc_platform_add_int (d, "min_spend_fen", row->min_spend_fen);
          sc_platform_add_int (d, "bill_fen", req->bill_fen);
          json_builder_end_object (d);
          reply = refusal_reply (SC_VERDICT_STATUS_THRESHOLD_NOT_MET, NULL,
                                 json_builder_get_root (d));
          return sc_platform_idempotency_remember (db, scope, req->idempotency_key, req->now,
                                                   reply, error);
        }
    }

  /* A pickup order with lines hands over the lines asked for, or all that
   * is left; "lines" for anything else is a mistake. */
  has_lines = row->lines != NULL && row->lines->len > 0;
  if (req->lines != NULL && !has_lines)
    return sc_platform_reply_new_error (400, "bad_request",
                                        _("Only a pickup order with lines can be handed over "
                                          "line by line."), NULL);
  if (has_lines && !redeem_pick_lines (row, req->lines, &take, &partial, &reply))
    return sc_platform_idempotency_remember (db, scope, req->idempotency_key, req->now, reply,
                                             error);

  if (!redeem_record (db, req, &s, row, discount, take, partial, error))
    return NULL;

  b = json_builder_new ();
  json_builder_begin_object (b);
  sc_platform_add_string (b, "redemption_id", req->redemption_id);
  sc_platform_add_string (b, "code", row->code);
  sc_platform_add_string (b, "kind", row->kind);
  sc_platform_add_time (b, "redeemed_at", req->now);
  if (req->bill_fen >= 0)
    sc_platform_add_int (b, "bill_fen", req->bill_fen);
  if (discount >= 0)
    sc_platform_add_int (b, "discount_fen", discount);
  if (take != NULL)
    {
      json_builder_set_member_name (b, "lines");
      json_builder_begin_array (b);
      for (guint i = 0; i < take->len; i++)
        {
          const ScPlatformLineQty *l = &g_array_index (take, ScPlatformLineQty, i);

          sc_platform_add_line_qty (b, l->line_id, l->qty);
        }
      json_builder_end_array (b);
      sc_platform_add_string (b, "order_status", partial ? "partially_picked_up" : "picked_up");
    }
  json_builder_end_object (b);

  return sc_platform_idempotency_remember (db, scope, req->idempotency_key, req->now,
                                           sc_platform_reply_new (201, json_builder_get_root (b)),
                                           error);
}

typedef struct
{
  char     *id;
  char     *code;
  char     *kind;
  char     *store_id;
  char     *clerk_id;
  char     *source;
  gint64    scanned_at;
  gint64    redeemed_at;
  gboolean  offline;
  gboolean  has_bill;
  gint64    bill_fen;
  gboolean  has_discount;
  gint64    discount_fen;
  gboolean  reversed;
  gint64    reversed_at;
} RedemptionRow;

static void
redemption_row_free (RedemptionRow *r)
{
  g_free (r->id);
  g_free (r->code);
  g_free (r->kind);
  g_free (r->store_id);
  g_free (r->clerk_id);
  g_free (r->source);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RedemptionRow, redemption_row_free)

/* The redemption @id of @store_id (ids are per store). */
static gboolean
redemption_row_load (ScDb           *db,
                     const char     *store_id,
                     const char     *id,
                     RedemptionRow **out_row,
                     GError        **error)
{
  sqlite3_stmt *stmt;
  RedemptionRow *r;
  int rc = sc_platform_query_first (db, "SELECT id, code, kind, store_id, clerk_id, source,"
                                        " scanned_at, redeemed_at, offline, bill_fen,"
                                        " discount_fen, reversed_at"
                                        " FROM redemptions WHERE store_id = ?2 AND id = ?1",
                                    id, store_id, &stmt, error);

  *out_row = NULL;
  if (rc == SQLITE_ROW)
    {
      r = g_new0 (RedemptionRow, 1);
      r->id = sc_db_column_dup_text (stmt, 0);
      r->code = sc_db_column_dup_text (stmt, 1);
      r->kind = sc_db_column_dup_text (stmt, 2);
      r->store_id = sc_db_column_dup_text (stmt, 3);
      r->clerk_id = sc_db_column_dup_text (stmt, 4);
      r->source = sc_db_column_dup_text (stmt, 5);
      r->scanned_at = sqlite3_column_int64 (stmt, 6);
      r->redeemed_at = sqlite3_column_int64 (stmt, 7);
      r->offline = sqlite3_column_int (stmt, 8) != 0;
      r->has_bill = sqlite3_column_type (stmt, 9) != SQLITE_NULL;
      r->bill_fen = sqlite3_column_int64 (stmt, 9);
      r->has_discount = sqlite3_column_type (stmt, 10) != SQLITE_NULL;
      r->discount_fen = sqlite3_column_int64 (stmt, 10);
      r->reversed = sqlite3_column_type (stmt, 11) != SQLITE_NULL;
      r->reversed_at = sqlite3_column_int64 (stmt, 11);
      *out_row = r;
      sqlite3_reset (stmt);
    }
  return rc >= 0;
}

/* Another store's redemption is answered as one never seen. */
static ScPlatformReply *
redemption_not_yours (const RedemptionRow     *r,
                      const ScPlatformSession *s)
{
  if (r == NULL || g_strcmp0 (r->store_id, s->store_id) != 0)
    return sc_platform_reply_new_error (404, "not_found",
                                        _("The platform has no such redemption."), NULL);
  return NULL;
}

ScPlatformReply *
sc_platform_op_get_redemption (ScDb              *db,
                               ScPlatformRequest *req,
                               GError           **error)
{
  g_auto(ScPlatformSession) s = { NULL, NULL };
  g_autoptr(RedemptionRow) r = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  ScPlatformReply *reply = NULL;

  if (!sc_platform_session_load (db, req, &s, &reply, error))
    return reply;
  if (!redemption_row_load (db, s.store_id, req->redemption_id, &r, error))
    return NULL;
  reply = redemption_not_yours (r, &s);
  if (reply != NULL)
    return reply;

  json_builder_begin_object (b);
  sc_platform_add_string (b, "redemption_id", r->id);
  sc_platform_add_string (b, "code", r->code);
  sc_platform_add_string (b, "kind", r->kind);
  sc_platform_add_string (b, "store_id", r->store_id);
  sc_platform_add_string (b, "clerk_id", r->clerk_id);
  sc_platform_add_string (b, "source", r->source);
  sc_platform_add_time (b, "scanned_at", r->scanned_at);
  sc_platform_add_time (b, "redeemed_at", r->redeemed_at);
  json_builder_set_member_name (b, "offline");
  json_builder_add_boolean_value (b, r->offline);
  if (r->has_bill)
    sc_platform_add_int (b, "bill_fen", r->bill_fen);
  if (r->has_discount)
    sc_platform_add_int (b, "discount_fen", r->discount_fen);
  if (r->reversed)
    sc_platform_add_time (b, "reversed_at", r->reversed_at);
  if (!sc_platform_add_redemption_lines (db, b, r->store_id, r->id, error))
    return NULL;
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

static ScPlatformReply *
reversal_reply (const char *id,
                gint64      reversed_at)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  sc_platform_add_string (b, "redemption_id", id);
  sc_platform_add_time (b, "reversed_at", reversed_at);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

ScPlatformReply *
sc_platform_op_reverse (ScDb              *db,
                        ScPlatformRequest *req,
                        GError           **error)
{
  g_auto(ScPlatformSession) s = { NULL, NULL };
  g_autoptr(RedemptionRow) r = NULL;
  ScPlatformReply *reply = NULL;
  gboolean has_lines = FALSE;
  sqlite3_stmt *stmt;

  if (!sc_platform_session_load (db, req, &s, &reply, error))
    return reply;
  if (!redemption_row_load (db, s.store_id, req->redemption_id, &r, error))
    return NULL;
  reply = redemption_not_yours (r, &s);
  if (reply != NULL)
    return reply;

  /* Reversing is idempotent by nature: a reversed redemption stays so. */
  if (r->reversed)
    return reversal_reply (r->id, r->reversed_at);

  if (req->now - r->redeemed_at > req->undo_window_s)
    {
      g_autoptr(JsonBuilder) d = json_builder_new ();

      json_builder_begin_object (d);
      sc_platform_add_time (d, "redeemed_at", r->redeemed_at);
      sc_platform_add_int (d, "undo_window_s", req->undo_window_s);
      json_builder_end_object (d);
      return sc_platform_reply_new_error (409, "undo_window_passed",
                                          _("Too late to undo this redemption."),
                                          json_builder_get_root (d));
    }

  stmt = sc_db_prepare (db, "UPDATE redemptions SET reversed_at = ?1, reversed_by = ?4"
                            " WHERE store_id = ?3 AND id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, req->now);
  sqlite3_bind_text (stmt, 2, r->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, r->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, s.clerk_id, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  /* A pickup order with lines gets back what this redemption took. */
  if (!sc_platform_lookup (db, "SELECT 1 FROM order_lines WHERE code = ?1 LIMIT 1", r->code,
                           NULL, &has_lines, NULL, error))
    return NULL;
  if (has_lines)
    return sc_platform_order_settle (db, r->store_id, r->code, NULL, error)
           ? reversal_reply (r->id, req->now) : NULL;

  stmt = sc_db_prepare (db, "UPDATE codes SET redemption_id = NULL"
                            " WHERE code = ?1 AND redemption_id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, r->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, r->id, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error) || !sc_platform_bump_code_version (db, r->code, error))
    return NULL;

  return reversal_reply (r->id, req->now);
}
