/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sc-types.h"
#include "sc-redemption.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/**
 * ScCounter: the one service the UI and the command line call
 * (DESIGN §3): lookup, redeem, undo, sync.
 *
 * A redemption is written to the cache (log + outbox, one transaction)
 * before anything else happens; then the outbox is drained in order, each
 * item with its idempotency key. redeem finishes once its own item has been
 * tried, with the state it ended in: SYNCED, CONFLICT, REJECTED, or still
 * PENDING / UNCERTAIN when the platform could not be reached (it stays in
 * the outbox and is sent later).
 *
 * When the platform cannot be reached, lookup answers pickup codes from
 * the cached manifest and this counter's own log (verdicts marked offline),
 * and coupons and prize vouchers with NEEDS_NETWORK (DESIGN §7).
 *
 * Properties: "online" (read-only: the last platform request succeeded),
 * "manifest-fetched-at" (read-only, int64),
 * "unsynced" (read-only: log rows still PENDING or UNCERTAIN), "session"
 * (ScSession, nullable), "conflicts" (read-only: conflicts of the session's
 * store today, in the store's time zone, not yet acknowledged).
 * Signals: "redemption-changed" (ScRedemption *) whenever sync moves a
 * redemption to another state.
 */

typedef enum
{
  SC_COUNTER_ERROR_NOT_LOGGED_IN,
  SC_COUNTER_ERROR_NOT_REDEEMABLE,
  SC_COUNTER_ERROR_BILL_REQUIRED,
  SC_COUNTER_ERROR_THRESHOLD_NOT_MET,
  SC_COUNTER_ERROR_UNDO_WINDOW_PASSED,
  SC_COUNTER_ERROR_NOTHING_TO_UNDO,
  SC_COUNTER_ERROR_UNKNOWN_REDEMPTION,
  SC_COUNTER_ERROR_PHONE_TAIL,
} ScCounterError;

#define SC_COUNTER_ERROR (sc_counter_error_quark ())
GQuark sc_counter_error_quark (void);

#define SC_TYPE_COUNTER (sc_counter_get_type ())
G_DECLARE_FINAL_TYPE (ScCounter, sc_counter, SC, COUNTER, GObject)

/* @cache must be open. */
ScCounter        *sc_counter_new              (ScCache             *cache,
                                               ScPlatformClient    *client);
ScCache          *sc_counter_get_cache        (ScCounter           *self);
ScPlatformClient *sc_counter_get_client       (ScCounter           *self);
gboolean          sc_counter_get_online       (ScCounter           *self);
/* TRUE when no sync or bookkeeping of the counter's own is under way (what
 * a command-line run waits for before it exits). */
gboolean          sc_counter_is_idle          (ScCounter           *self);
/* When the pickup manifest (today's orders, for offline lookups) was last
 * fetched in this run, unix s; 0 if not yet. It is fetched at login and
 * every five minutes while logged in. */
gint64            sc_counter_get_manifest_fetched_at (ScCounter     *self);
guint             sc_counter_get_unsynced     (ScCounter           *self);
guint             sc_counter_get_conflicts    (ScCounter           *self);
/* (nullable) (transfer none) */
const ScSession  *sc_counter_get_session      (ScCounter           *self);
/* Also sets the client's token; NULL logs out. */
void              sc_counter_set_session      (ScCounter           *self,
                                               const ScSession     *session);

void              sc_counter_login_async      (ScCounter           *self,
                                               const char          *store_id,
                                               const char          *clerk_id,
                                               const char          *pin,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean          sc_counter_login_finish     (ScCounter           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* What @input means: never an error for an answer about the code itself
 * (malformed, qr_stale, not_found … are verdicts); errors are for the
 * platform being unreachable, the session, or a 4-digit phone tail
 * (SC_COUNTER_ERROR_PHONE_TAIL: list orders instead). */
void              sc_counter_lookup_async     (ScCounter           *self,
                                               const char          *input,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
ScVerdict        *sc_counter_lookup_finish    (ScCounter           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* @verdict must be REDEEMABLE; @bill_fen is required (>= 0) for coupons and
 * ignored (pass -1) otherwise; @source: "scanner", "camera", "keyboard",
 * "cli". Returns: (transfer full) the redemption as it stands. */
void              sc_counter_redeem_async     (ScCounter           *self,
                                               ScVerdict           *verdict,
                                               gint64               bill_fen,
                                               const char          *source,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
ScRedemption     *sc_counter_redeem_finish    (ScCounter           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Undo inside the undo window: an unsynced redemption is withdrawn locally,
 * a synced one is reversed on the platform. Returns: (transfer full) the
 * redemption, WITHDRAWN or REVERSED. */
void              sc_counter_undo_async       (ScCounter           *self,
                                               const char          *redemption_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
ScRedemption     *sc_counter_undo_finish      (ScCounter           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Drains the outbox now. Finishes when the outbox is empty or the platform
 * stopped answering; returns the number of items that reached a final
 * state. Errors only for the cache itself. */
void              sc_counter_sync_async       (ScCounter           *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
guint             sc_counter_sync_finish      (ScCounter           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Conflicts (DESIGN §7): this counter's redemptions that the platform
 * refused because another redemption had taken the code. The list holds
 * today's conflicts of the session's store (its day, in its time zone),
 * newest first, acknowledged or not (SC_COUNTER_ERROR_NOT_LOGGED_IN without
 * a session). Returns: (element-type ScConflict) (transfer container) */
void              sc_counter_list_conflicts_async        (ScCounter           *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GPtrArray        *sc_counter_list_conflicts_finish       (ScCounter           *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
/* The clerk has seen conflict @redemption_id: it stays in the log (and in
 * the report) with when it was acknowledged, and leaves "conflicts". */
void              sc_counter_acknowledge_conflict_async  (ScCounter           *self,
                                                          const char          *redemption_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean          sc_counter_acknowledge_conflict_finish (ScCounter           *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
