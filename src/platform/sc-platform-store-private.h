/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "sc-db.h"
#include "sc-platform-codes.h"
#include "sc-platform-store-types.h"

G_BEGIN_DECLS

/*
 * What the parts of ScPlatformStore share: the code rows and their JSON
 * (sc-platform-rows.c), sessions (sc-platform-ops-session.c), and the ops,
 * one file per area (sc-platform-ops-*.c), which sc-platform-store.c
 * dispatches from its table. Every function here runs on the DB thread
 * inside the request's job, unless it says otherwise.
 */

/* An op: the answer to @req, or NULL with @error (a database failure). */
typedef ScPlatformReply *(*ScPlatformOpFunc) (ScDb               *db,
                                              ScPlatformRequest  *req,
                                              GError            **error);

/* ---- code rows (sc-platform-rows.c) ---- */

#define CODE_SELECT \
  "SELECT c.code, c.kind, c.store_id, s.name, s.timezone, c.state, c.valid_from," \
  " c.valid_until, c.realtime_only, c.order_id, c.customer_masked, c.phone_tail," \
  " c.total_fen, c.items, c.coupon_type, c.title, c.value_fen, c.min_spend_fen," \
  " c.percent_off, c.cap_fen, c.activity_id, a.name, a.end_at, a.claim_days, c.prize_name," \
  " EXISTS (SELECT 1 FROM prize_claims pc WHERE pc.activity_id = c.activity_id" \
  "         AND pc.person_id = c.person_id AND pc.code != c.code)," \
  " r.id, r.redeemed_at, r.store_id, rs.name, r.clerk_id, rc.name, c.version, c.note," \
  " c.created_at, c.customer_name "
#define CODE_COLUMNS CODE_SELECT CODE_FROM
/* The same, and the row's rowid (COL_ROWID) for the manifest's pages. */
#define MANIFEST_COLUMNS CODE_SELECT ", c.rowid " CODE_FROM
#define CODE_FROM \
  "FROM codes c JOIN stores s ON s.id = c.store_id" \
  " LEFT JOIN activities a ON a.id = c.activity_id" \
  " LEFT JOIN redemptions r ON r.store_id = c.store_id AND r.id = c.redemption_id" \
  " LEFT JOIN stores rs ON rs.id = r.store_id" \
  " LEFT JOIN clerks rc ON rc.store_id = r.store_id AND rc.id = r.clerk_id "

enum {
  COL_CODE, COL_KIND, COL_STORE_ID, COL_STORE_NAME, COL_STORE_TZ, COL_STATE, COL_VALID_FROM,
  COL_VALID_UNTIL, COL_REALTIME, COL_ORDER_ID, COL_CUSTOMER, COL_PHONE_TAIL,
  COL_TOTAL, COL_ITEMS, COL_COUPON_TYPE, COL_TITLE, COL_VALUE, COL_MIN_SPEND,
  COL_PERCENT, COL_CAP, COL_ACTIVITY_ID, COL_ACTIVITY_NAME, COL_ACTIVITY_END, COL_CLAIM_DAYS,
  COL_PRIZE_NAME, COL_CLAIMED, COL_R_ID, COL_R_AT, COL_R_STORE_ID, COL_R_STORE_NAME,
  COL_R_CLERK_ID, COL_R_CLERK_NAME, COL_VERSION, COL_NOTE, COL_CREATED_AT, COL_CUSTOMER_NAME,
  COL_ROWID,
};

ScPlatformCodeRow *sc_platform_code_row_new_from_stmt (sqlite3_stmt             *stmt);
/* Fills @row->lines (a pickup order's lines with what was picked and
 * marked missing); FALSE with @error. */
gboolean           sc_platform_code_row_load_lines    (ScDb                     *db,
                                                       ScPlatformCodeRow        *row,
                                                       GError                  **error);
/* After a pickup, a reversal or a missing mark on pickup order @code with
 * lines: the code holds the newest redemption not reversed when no line is
 * left, none otherwise; the code gets a new version. *@out_remaining (if
 * not NULL): what is left to hand over. */
gboolean           sc_platform_order_settle           (ScDb                     *db,
                                                       const char               *store_id,
                                                       const char               *code,
                                                       gint64                   *out_remaining,
                                                       GError                  **error);
/* "lines": [{line_id, qty}] that redemption @id of @store_id took, if it
 * took any line (nothing is added otherwise); FALSE with @error. */
gboolean           sc_platform_add_redemption_lines   (ScDb                     *db,
                                                       JsonBuilder              *b,
                                                       const char               *store_id,
                                                       const char               *id,
                                                       GError                  **error);
/* {line_id, qty}, an element of "lines" arrays. */
void               sc_platform_add_line_qty           (JsonBuilder              *b,
                                                       const char               *line_id,
                                                       gint64                    qty);
/* Whether @qty of line @line_id of @row can be handed over or marked:
 * NULL with *@out_line, or the refusal: @unknown_status "unknown_line"
 * (no such line) or 409 "line_not_available" (less left), with
 * details {line_id, requested_qty?, remaining_qty?}. */
ScPlatformReply   *sc_platform_line_check             (const ScPlatformCodeRow  *row,
                                                       const char               *line_id,
                                                       gint64                    qty,
                                                       guint                     unknown_status,
                                                       const ScPlatformOrderLine **out_line);
/* "items": @row's lines with line_id, picked, missing and remaining
 * quantities when loaded, else its items as stored. */
void               sc_platform_add_order_items        (JsonBuilder              *b,
                                                       const ScPlatformCodeRow  *row);
/* TRUE and *@out_row (NULL when there is no such code), or FALSE with
 * @error. A pickup order comes with its lines. */
gboolean           sc_platform_code_row_load          (ScDb                     *db,
                                                       const char               *code,
                                                       ScPlatformCodeRow       **out_row,
                                                       GError                  **error);
/* The lookup answer for @row (see sc-platform-client.h). */
JsonNode          *sc_platform_code_row_to_json       (const ScPlatformCodeRow  *row,
                                                       ScVerdictStatus           status,
                                                       const char               *reason);
JsonNode          *sc_platform_not_found_json         (const char               *code);

/* JSON members (any thread). */
void               sc_platform_add_time               (JsonBuilder              *b,
                                                       const char               *name,
                                                       gint64                    t);
void               sc_platform_add_string             (JsonBuilder              *b,
                                                       const char               *name,
                                                       const char               *value);
void               sc_platform_add_int                (JsonBuilder              *b,
                                                       const char               *name,
                                                       gint64                    value);
void               sc_platform_add_id_name            (JsonBuilder              *b,
                                                       const char               *member,
                                                       const char               *id,
                                                       const char               *name);
void               sc_platform_add_redeemed           (JsonBuilder              *b,
                                                       const ScPlatformCodeRow  *row);
void               sc_platform_add_validity           (JsonBuilder              *b,
                                                       const ScPlatformCodeRow  *row);
const char        *sc_platform_status_name            (ScVerdictStatus           status);
/* The English words of a reason code (sent as "reason" next to
 * "reason_code", for logs and older counters; the counter words the code
 * itself, from the same table). */
const char        *sc_platform_reason_message         (const char               *reason_code);

/* A reply of a ready body (an idempotent replay, or "" for 204). */
ScPlatformReply   *sc_platform_reply_new_raw          (guint                     status,
                                                       const char               *body);

/* Prepares @sql with the text parameters ?1 = @arg1 (if it has
 * parameters) and ?2 = @arg2 (unbound if NULL) and steps once:
 * SQLITE_ROW with *@out_stmt on the first row (the caller reads it, then
 * resets it), SQLITE_DONE (reset), or -1 with @error. */
int                sc_platform_query_first            (ScDb                     *db,
                                                       const char               *sql,
                                                       const char               *arg1,
                                                       const char               *arg2,
                                                       sqlite3_stmt            **out_stmt,
                                                       GError                  **error);
/* Runs @sql, a query of one row at most, with the text parameters ?1 =
 * @arg1 and ?2 = @arg2 (unbound if NULL): *@out_found (if not NULL) says
 * whether there is a row, *@out_text (if not NULL) gets its first column
 * (transfer full) (nullable). FALSE with @error. */
gboolean           sc_platform_lookup                 (ScDb                     *db,
                                                       const char               *sql,
                                                       const char               *arg1,
                                                       const char               *arg2,
                                                       gboolean                 *out_found,
                                                       char                    **out_text,
                                                       GError                  **error);

/* ---- version counter and idempotency records (sc-platform-rows.c) ---- */

gboolean           sc_platform_bump_code_version      (ScDb                     *db,
                                                       const char               *code,
                                                       GError                  **error);
gboolean           sc_platform_current_version        (ScDb                     *db,
                                                       gint64                   *out_version,
                                                       GError                  **error);
gboolean           sc_platform_idempotency_find       (ScDb                     *db,
                                                       const char               *scope,
                                                       const char               *key,
                                                       ScPlatformReply         **out_reply,
                                                       GError                  **error);
/* Stores @reply (transfer full) for @key and returns it, or NULL with @error. */
ScPlatformReply   *sc_platform_idempotency_remember   (ScDb                     *db,
                                                       const char               *scope,
                                                       const char               *key,
                                                       gint64                    now,
                                                       ScPlatformReply          *reply,
                                                       GError                  **error);

/* ---- sessions (sc-platform-ops-session.c) ---- */

typedef struct
{
  char *store_id;   /* (owned) (nullable) */
  char *clerk_id;   /* (owned) (nullable) */
} ScPlatformSession;

void               sc_platform_session_clear          (ScPlatformSession        *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScPlatformSession, sc_platform_session_clear)

typedef enum
{
  SC_PLATFORM_SESSION_END_EXPIRED,   /* ended_at = expires_at */
  SC_PLATFORM_SESSION_END_LOGOUT,    /* ended_at = now */
} ScPlatformSessionEnd;

/* Marks the session of @token ended (it is kept: offline scans are judged
 * against a clerk's sessions). */
gboolean           sc_platform_session_end            (ScDb                     *db,
                                                       const char               *token,
                                                       ScPlatformSessionEnd      how,
                                                       gint64                    now,
                                                       GError                  **error);
/* TRUE with @s filled; FALSE with *@out_reply (401) or with @error. */
gboolean           sc_platform_session_load           (ScDb                     *db,
                                                       const ScPlatformRequest  *req,
                                                       ScPlatformSession        *s,
                                                       ScPlatformReply         **out_reply,
                                                       GError                  **error);

/* A login in three steps (see sc_platform_store_call_async): the clerk
 * (sc_platform_login_fetch_job, a read job), the PIN check (a worker
 * thread), the session (sc_platform_login_create_job, a write job). */
typedef struct
{
  ScPlatformRequest *req;          /* (owned) */
  gboolean           found;
  char              *store_name;   /* (owned) (nullable) */
  char              *timezone;     /* (owned) (nullable) */
  char              *clerk_name;   /* (owned) (nullable) */
  char              *pin_hash;     /* (owned) (nullable) */
  char              *salt;         /* (owned) (nullable) the store's, for its key */
  gboolean           pin_ok;
} ScPlatformLoginCall;

void               sc_platform_login_call_free        (ScPlatformLoginCall      *login);
/* ScDbJobFunc: step 1, the clerk's name and PIN hash; @data: the login. */
gpointer           sc_platform_login_fetch_job        (ScDb                     *db,
                                                       gpointer                  data,
                                                       GError                  **error);
/* ScDbJobFunc: step 3, the session; returns its ScPlatformReply. */
gpointer           sc_platform_login_create_job       (ScDb                     *db,
                                                       gpointer                  data,
                                                       GError                  **error);

/* ---- the ops (ScPlatformOpFunc) ---- */

/* sc-platform-ops-session.c */
ScPlatformReply   *sc_platform_op_logout              (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
/* sc-platform-ops-codes.c */
ScPlatformReply   *sc_platform_op_lookup              (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
ScPlatformReply   *sc_platform_op_redeem              (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
ScPlatformReply   *sc_platform_op_get_redemption      (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
ScPlatformReply   *sc_platform_op_reverse             (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
/* sc-platform-ops-manifest.c */
ScPlatformReply   *sc_platform_op_manifest            (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
/* The order fields the manifest and the orders calls share (@row's lines
 * loaded). */
void               sc_platform_add_order_fields       (JsonBuilder              *b,
                                                       const ScPlatformCodeRow  *row);
/* sc-platform-ops-orders.c */
ScPlatformReply   *sc_platform_op_orders              (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
ScPlatformReply   *sc_platform_op_order               (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
ScPlatformReply   *sc_platform_op_mark_missing        (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
/* sc-platform-ops-admin.c */
ScPlatformReply   *sc_platform_op_demo_codes          (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
ScPlatformReply   *sc_platform_op_admin_reset         (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
ScPlatformReply   *sc_platform_op_admin_add_orders    (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
ScPlatformReply   *sc_platform_op_admin_touch_orders  (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);
ScPlatformReply   *sc_platform_op_admin_redemptions   (ScDb *db, ScPlatformRequest *req,
                                                       GError **error);

G_END_DECLS
