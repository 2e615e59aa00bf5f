/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "sc-db.h"

G_BEGIN_DECLS

/**
 * ScPlatformStore: the reference platform's data (schema and every data
 * operation), over one ScDb. Each request becomes one ScDb job; write jobs
 * run inside BEGIN IMMEDIATE on the DB thread, so a code is redeemed at most
 * once however many counters ask at the same time.
 *
 * Answers are ready HTTP answers (status + JSON text), so that an
 * idempotent replay can give back exactly the first one.
 */

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
} ScPlatformOp;

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

  /* manifest: since, and cursor + limit for the page */
  gint64        since;

  /* admin orders / touch: how many; admin redemptions: store_id (NULL: all),
   * limit 0 for the count only */
  int           count;

  /* orders (also manifest: cursor, limit) */
  char         *date;             /* YYYY-MM-DD in the store's timezone, or NULL */
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

#define SC_TYPE_PLATFORM_STORE (sc_platform_store_get_type ())
G_DECLARE_FINAL_TYPE (ScPlatformStore, sc_platform_store, SC, PLATFORM_STORE, GObject)

ScPlatformStore *sc_platform_store_new               (const char          *db_path,
                                                      int                  undo_window_s,
                                                      int                  session_ttl_s);
/* Opens the database and loads (or creates) the platform secret. Blocks:
 * call it before the main loop runs. */
gboolean         sc_platform_store_open_sync         (ScPlatformStore     *self,
                                                      GError             **error);
/* --seed-demo: seeds the demo data if there are no stores yet, else moves
 * the seeded dates so that the seed day is today. Blocks. */
gboolean         sc_platform_store_seed_demo_sync    (ScPlatformStore     *self,
                                                      gint64               now,
                                                      GError             **error);
/* The platform's stable id (random, kept in its database): the same for
 * every address it is reached at. NULL before open. */
const char      *sc_platform_store_get_platform_id   (ScPlatformStore     *self);

/* Runs @request (transfer full) as one ScDb job. */
void             sc_platform_store_call_async        (ScPlatformStore     *self,
                                                      ScPlatformRequest   *request,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
ScPlatformReply *sc_platform_store_call_finish       (ScPlatformStore     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

void             sc_platform_store_close             (ScPlatformStore     *self);

/* ---- helpers shared with the seed (any thread) ---- */

/* The stores' timezone (Asia/Shanghai), (transfer full). */
GTimeZone       *sc_platform_store_timezone          (void);
/* Lower-case hex HMAC-SHA256 of "<code>:<ts>" under @secret. */
char            *sc_platform_store_token_signature   (const char          *secret,
                                                      const char          *code,
                                                      gint64               ts);
/* A PIN as "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>" (20,000
 * rounds, a random 16-byte salt), (transfer full). Slow: not on the main
 * or DB thread. */
char            *sc_platform_pin_hash_new            (const char          *pin);
/* Whether @pin matches @stored (constant time); FALSE for a bad @stored. */
gboolean         sc_platform_pin_hash_check          (const char          *stored,
                                                      const char          *pin);
/* @n_bytes random bytes as lower-case hex (getrandom, else GRand). */
char            *sc_platform_random_hex              (gsize                n_bytes);

G_END_DECLS
