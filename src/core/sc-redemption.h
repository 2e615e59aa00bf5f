/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-order.h"
#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScRedemptionState: where one redemption of the counter's log stands.
 *
 *   PENDING   -> saved locally, in the outbox, not yet acknowledged
 *   UNCERTAIN -> a send timed out: ask the platform before sending again
 *   SYNCED    -> the platform recorded it (2xx)
 *   CONFLICT  -> the platform says another redemption took the code (409)
 *   REJECTED  -> the platform refused it for another reason (other 4xx)
 *   WITHDRAWN -> undone before it was ever synced
 *   REVERSED  -> undone on the platform after it was synced
 */
typedef enum
{
  SC_REDEMPTION_STATE_PENDING,
  SC_REDEMPTION_STATE_UNCERTAIN,
  SC_REDEMPTION_STATE_SYNCED,
  SC_REDEMPTION_STATE_CONFLICT,
  SC_REDEMPTION_STATE_REJECTED,
  SC_REDEMPTION_STATE_WITHDRAWN,
  SC_REDEMPTION_STATE_REVERSED,
} ScRedemptionState;

const char *sc_redemption_state_to_string   (ScRedemptionState  state);
gboolean    sc_redemption_state_from_string (const char        *str,
                                             ScRedemptionState *out_state);
/* Translated: "Synced" / "已同步" */
const char *sc_redemption_state_get_label   (ScRedemptionState  state);

/**
 * ScRedemption: one row of the counter's redemption log. A plain record
 * (boxed), copied with sc_redemption_copy.
 */
struct _ScRedemption
{
  char              *id;            /* UUID v4 (lower-case); also its Idempotency-Key */
  char              *payload;       /* what was sent as payload */
  char              *code;          /* the 12-digit code */
  ScCodeKind         kind;
  char              *source;        /* "scanner", "camera", "keyboard", "cli" */
  char              *store_id;
  char              *clerk_id;
  gint64             scanned_at;    /* unix s, counter clock */
  gint64             created_at;    /* unix s, counter clock: when saved */
  gint64             bill_fen;      /* -1: none (not a coupon) */
  gint64             discount_fen;  /* -1: unknown */
  gboolean           offline;       /* decided without the platform */
  ScRedemptionState  state;
  gint64             redeemed_at;   /* unix s, platform clock; 0 until synced */
  char              *reason;        /* (nullable) why rejected / conflict details */
  gint64             updated_at;    /* unix s */
  char              *platform_id;   /* (nullable) the platform it was made with (its
                                     * reported id); NULL: not known (older versions) */
  GPtrArray         *lines;         /* (nullable) (element-type ScLineQty) a partial
                                     * pickup's lines; NULL: the whole order (or what
                                     * is left of it) */
};

#define SC_TYPE_REDEMPTION (sc_redemption_get_type ())
GType         sc_redemption_get_type (void) G_GNUC_CONST;

/* A new PENDING redemption with a fresh UUID, created_at = scanned_at = now,
 * bill_fen = discount_fen = -1. */
ScRedemption *sc_redemption_new      (const char         *payload,
                                      const char         *code,
                                      ScCodeKind          kind,
                                      const char         *source);
ScRedemption *sc_redemption_copy     (const ScRedemption *self);
void          sc_redemption_free     (ScRedemption       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScRedemption, sc_redemption_free)

/**
 * ScSession: what `POST /v1/sessions` gave us; or, for an offline login
 * (the platform could not be reached, the PIN was checked against this
 * counter's last online login), the same without a token or an expiry and
 * with @offline set.
 */
struct _ScSession
{
  char      *token;            /* (nullable) NULL when offline */
  GDateTime *expires_at;       /* (nullable) NULL when offline */
  char      *store_id;
  char      *store_name;
  char      *store_timezone;   /* IANA, e.g. "Asia/Shanghai" */
  char      *clerk_id;
  char      *clerk_name;
  int        undo_window_s;
  gboolean   offline;          /* logged in offline: no token yet */
  char      *platform_id;      /* (nullable) the platform's own id (DESIGN §6); offline:
                                * the one of the last online login at this address;
                                * NULL when not known yet */
  char      *manifest_key;     /* (nullable) the store's key, 64 hex digits (sc-store-key.h):
                                * a secret, wiped when freed; never in the database */
};

#define SC_TYPE_SESSION (sc_session_get_type ())
GType      sc_session_get_type (void) G_GNUC_CONST;
ScSession *sc_session_new      (void);
ScSession *sc_session_copy     (const ScSession *self);
void       sc_session_free     (ScSession       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScSession, sc_session_free)


G_END_DECLS
