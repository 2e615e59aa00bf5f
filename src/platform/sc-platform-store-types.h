/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The reference platform's requests and replies: what the server fills,
 * the store queues as one ScDb job, and the ops (sc-platform-ops-*.c)
 * answer. Plain values: any thread. */

typedef enum
{
  SC_PLATFORM_OP_LOGIN,
  SC_PLATFORM_OP_LOOKUP,
  SC_PLATFORM_OP_REDEEM,
  SC_PLATFORM_OP_GET_REDEMPTION,
  SC_PLATFORM_OP_REVERSE,
  SC_PLATFORM_OP_MANIFEST,
  SC_PLATFORM_OP_ORDERS,
  SC_PLATFORM_OP_ADMIN_DEMO_CODES,
  SC_PLATFORM_OP_ADMIN_RESET,
  SC_PLATFORM_OP_ADMIN_ADD_ORDERS,
  SC_PLATFORM_OP_ADMIN_TOUCH_ORDERS,
  SC_PLATFORM_OP_ADMIN_REDEMPTIONS,
  SC_PLATFORM_OP_LOGOUT,
  SC_PLATFORM_OP_ORDER,
  SC_PLATFORM_OP_MARK_MISSING,
} ScPlatformOp;

/* One {line_id, qty} of a partial pickup or a missing mark. */
typedef struct
{
  char   *line_id;   /* (owned) */
  gint64  qty;
} ScPlatformLineQty;

/* One request, filled by the server on the main thread, then owned by the
 * job. Strings are (owned) (nullable). */
typedef struct
{
  ScPlatformOp  op;
  gint64        now;              /* platform clock (real + admin offset), unix s */
  char         *token;            /* bearer token of the session */

  /* login; redeem: who says they made it (must be the session's) */
  char         *store_id;
  char         *clerk_id;
  char         *pin;

  /* lookup / redeem: the payload as sent and what sc_code_parse made of it */
  char         *payload;
  char         *code;             /* 12 digits */
  gboolean      live_token;       /* payload was SC1:<code>:<ts>:<sig> */
  gboolean      token_stale;      /* ... outside -300 s / +30 s of now */
  gint64        token_time;
  char         *token_sig;
  char         *malformed;        /* why the payload is not a code: 400 after the session check */

  /* redeem / get / reverse */
  char         *redemption_id;
  char         *source;
  gint64        scanned_at;
  gboolean      offline;
  gint64        bill_fen;         /* -1: not given */
  char         *idempotency_key;
  GArray       *lines;            /* (nullable) (element-type ScPlatformLineQty): redeem's
                                   * "lines"; NULL: every remaining line */

  /* order / missing mark: the order and line of the path; the mark's reason
   * ("missing" or "damaged") and note, its qty in @count */
  char         *order_id;
  char         *line_id;
  char         *reason;
  char         *note;

  /* manifest: since, and cursor + limit for the page */
  gint64        since;

  /* admin orders / touch: how many; admin redemptions: store_id (NULL: all),
   * limit 0 for the count only */
  int           count;

  /* orders (also manifest: cursor, limit) */
  char         *date;             /* YYYY-MM-DD in the store's timezone, or NULL */
  char         *date_to;          /* orders: from (date) to (date_to), store days */
  char         *tail;             /* orders: phone tail, 4 digits */
  guint         statuses;         /* orders: bit (1 << i) of sc_platform_order_statuses[i] */
  char         *query;
  char         *cursor;
  int           limit;

  /* filled by the store when queued */
  char         *secret;
  char         *platform_id;
  int           undo_window_s;
  int           session_ttl_s;
} ScPlatformRequest;

ScPlatformRequest *sc_platform_request_new  (ScPlatformOp       op,
                                             gint64             now);
void               sc_platform_request_free (ScPlatformRequest *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScPlatformRequest, sc_platform_request_free)

typedef struct
{
  guint  status;          /* HTTP status */
  char  *body;            /* (owned) JSON text; "" for none (204) */
  guint  retry_after_s;   /* Retry-After of a 429 or 503; 0: the default, 1 s */
} ScPlatformReply;

ScPlatformReply   *sc_platform_reply_new        (guint              status,
                                                 JsonNode          *body);
/* {"error":{"code","message","details"?}}; @details (transfer full) (nullable) */
ScPlatformReply   *sc_platform_reply_new_error  (guint              status,
                                                 const char        *code,
                                                 const char        *message,
                                                 JsonNode          *details);
void               sc_platform_reply_free       (ScPlatformReply   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScPlatformReply, sc_platform_reply_free)

G_END_DECLS
