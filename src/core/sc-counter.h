/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sc-counter-error.h"
#include "sc-outbox.h"
#include "sc-types.h"
#include "sc-redemption.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/**
 * ScCounter: the one service the UI and the command line call
 * (DESIGN §3): lookup, redeem, undo, sync. A facade: it owns the parts
 * (ScConnectivity: online, the probe, the clock; ScSync: the outbox drain)
 * and shows their properties as its own.
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
 * Online and offline: online means the last platform request succeeded. A
 * request that fails with a network error, a timeout or a 5xx makes the
 * counter offline and starts a `GET /v1/health` probe, 1 s, 2 s, 4 s ...
 * apart, at most 30 s, each ±20 % at random. While offline, lookups are
 * answered from the cache at once (a coupon or prize voucher also makes the
 * probe try at once) and redemptions are saved without a send; an explicit
 * sync still tries. When the probe (or any request) succeeds, the counter
 * is online again and at once logs in online if the session is offline,
 * drains the outbox and refreshes the manifest. Outbox items put off by the
 * platform (429 / 5xx backoff, Retry-After) wait until they are due; items
 * that never reached it go as soon as it answers. The outbox is also
 * drained at each login, so sync resumes after a restart.
 *
 * Clock: every health answer (at login, every five minutes, and each probe)
 * gives the platform's time; "clock-skew" is platform minus local time in
 * seconds (0 until known). Past SC_COUNTER_CLOCK_SKEW_WARN_S the UI warns.
 *
 * Offline login: after each online login the cache keeps the store and
 * clerk names, the store's timezone, the undo window and a PIN verifier
 * (salted PBKDF2-HMAC-SHA256, SC_CACHE_PIN_ITERATIONS rounds; never the PIN,
 * never the token), per platform URL, store and clerk. When login cannot
 * reach the platform (network error, timeout, 5xx), the same store, clerk
 * and PIN are accepted against that verifier if that online login is less
 * than 7 days old: the session then has no token and `offline` set (lookups
 * answer offline, redemptions queue). Otherwise login fails with the
 * network error (never logged in online here), OFFLINE_LOGIN_TOO_OLD or
 * WRONG_PIN.
 * The PIN of an offline login is kept in this process's memory only (never
 * on disk), and only while the session is offline: as soon as the platform
 * answers, the counter logs in online with it by itself ("session" changes
 * to one with a token) and the outbox goes. If the platform refuses it
 * then (the PIN was changed), the PIN is forgotten and the session stays
 * offline; the next lookup fails as session-expired
 * (sc_counter_error_is_session_expired) and "session-expired" is emitted.
 *
 * Whose outbox items: each carries the platform it was made with (by the
 * id the platform reports, kept in the session), the store and the clerk;
 * only a session of that platform, store and clerk sends it (DESIGN §7).
 * The others wait, counted in "waiting"; a session that does not know its
 * platform id yet (one restored from an older version) sends nothing until
 * a health answer tells it.
 *
 * Properties: "online" (read-only: the last platform request succeeded),
 * "manifest-fetched-at" (read-only, int64), "clock-skew" (read-only, int64),
 * "unsynced" (read-only: log rows still PENDING or UNCERTAIN), "session"
 * (ScSession, nullable), "conflicts" (read-only: conflicts of the session's
 * store today, in the store's time zone, not yet acknowledged), "waiting"
 * (read-only: outbox items this session may not send), "probing"
 * (read-only: offline, and the health probe runs until the platform
 * answers).
 * Signals: "redemption-changed" (ScRedemption *) whenever sync moves a
 * redemption to another state. "session-expired" (no arguments) when the
 * platform refuses the session (401) to a call of the clerk's while logged
 * in: a lookup or an undo (a redemption is saved first, and waits in the
 * outbox while the session is refused). Background work (the outbox drain,
 * the manifest refresh) never emits it: what it could not do waits for the
 * next session. Emitted once per session: not again until the session
 * changes (a login, a relogin, a logout); the call that saw it still fails
 * as session-expired. The window answers it by asking for the PIN.
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
  SC_COUNTER_ERROR_WRONG_PIN,              /* offline login: the PIN does not match */
  SC_COUNTER_ERROR_OFFLINE_LOGIN_TOO_OLD,  /* offline login: last online one > 7 days ago,
                                            * or later than now (the clock went back) */
  SC_COUNTER_ERROR_TOO_MANY_ATTEMPTS,      /* the platform holds logins back for a while:
                                            * the message says how long */
  SC_COUNTER_ERROR_OFFLINE_NO_KEY,         /* offline login: the store's key is not known
                                            * here (sc_counter_set_store_key) */
  SC_COUNTER_ERROR_NEEDS_NETWORK,          /* the orders search, a household's orders and
                                            * one order need the platform (offline from the
                                            * manifest is not built yet) */
  SC_COUNTER_ERROR_BAD_QUERY,              /* a phone tail that is not 4 digits, a day that
                                            * is not YYYY-MM-DD */
  SC_COUNTER_ERROR_BAD_LINES,              /* a partial pickup's lines: unknown, or more
                                            * than is left */
} ScCounterError;

/* A clock this far from the platform's (either way) deserves a warning:
 * redemption times are taken from it. */
#define SC_COUNTER_CLOCK_SKEW_WARN_S 120

#define SC_COUNTER_ERROR (sc_counter_error_quark ())
GQuark sc_counter_error_quark (void);

#define SC_TYPE_COUNTER (sc_counter_get_type ())
G_DECLARE_FINAL_TYPE (ScCounter, sc_counter, SC, COUNTER, GObject)

/* @cache must be open. */
ScCounter        *sc_counter_new              (ScCache             *cache,
                                               ScPlatformClient    *client);
ScCache          *sc_counter_get_cache        (ScCounter           *self);
gboolean          sc_counter_get_online       (ScCounter           *self);
/* Asks the platform now whether it answers (GET /v1/health): "online"
 * follows; if it does not, the probe goes on until it does. */
void              sc_counter_check_online     (ScCounter           *self);
/* TRUE when no sync or bookkeeping of the counter's own is under way (what
 * a command-line run waits for before it exits). */
gboolean          sc_counter_is_idle          (ScCounter           *self);
/* When the pickup manifest (today's orders, for offline lookups) was last
 * fetched in this run, unix s; 0 if not yet. It is fetched at login and
 * every five minutes while logged in. */
gint64            sc_counter_get_manifest_fetched_at (ScCounter     *self);
guint             sc_counter_get_unsynced     (ScCounter           *self);
/* Outbox items this session may not send: made with another platform, or
 * by another store or clerk (all of them without a session). They wait
 * for a session of their own platform, store and clerk. */
guint             sc_counter_get_waiting      (ScCounter           *self);
/* Whose they are, with counts, oldest first.
 * Returns: (transfer none) (element-type ScOutboxOwner) */
GPtrArray        *sc_counter_get_waiting_owners (ScCounter         *self);
/* Platform time minus local time, in seconds; 0 until known. */
gint64            sc_counter_get_clock_skew   (ScCounter           *self);
guint             sc_counter_get_conflicts    (ScCounter           *self);
/* (nullable) (transfer none) */
const ScSession  *sc_counter_get_session      (ScCounter           *self);
/* Also sets the client's token; NULL logs out. A session with a token
 * (a login, or one restored from the keyring) also starts the manifest
 * refresh, the clock check and an outbox drain. */
void              sc_counter_set_session      (ScCounter           *self,
                                               const ScSession     *session);
/* The key of @store_id (sc-store-key.h), e.g. from the keyring at start,
 * for offline logins and offline lookups; in memory only. Each session
 * that carries one (an online login) sets it too. */
void              sc_counter_set_store_key    (ScCounter           *self,
                                               const char          *store_id,
                                               const char          *key);

/* Log Out: revokes the session's token on the platform (best effort: the
 * counter is not idle until the platform answered; offline the token is
 * simply dropped), then clears the session. */
void              sc_counter_logout           (ScCounter           *self);

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
/* A partial pickup (部分提货) of a REDEEMABLE pickup order: only @lines
 * (element-type ScLineQty), each a line of the verdict's order with at
 * least that quantity left (else SC_COUNTER_ERROR_BAD_LINES). Saved and
 * queued as a redemption (the lines in the same transaction), finished with
 * sc_counter_redeem_finish. */
void              sc_counter_redeem_lines_async (ScCounter         *self,
                                                 ScVerdict         *verdict,
                                                 GPtrArray         *lines,
                                                 const char        *source,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
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

/* Orders (sc-counter-orders.c; issue 12). Online only for now: without
 * the platform (an offline session, or no answer) each is
 * SC_COUNTER_ERROR_NEEDS_NETWORK, its message naming why.
 *
 * One page of the orders search (@query nullable: every order; @cursor
 * nullable: the first page; @limit 0: the platform's default), newest
 * first. Returns: (transfer full) */
void              sc_counter_search_orders_async   (ScCounter           *self,
                                                    const ScOrderQuery  *query,
                                                    const char          *cursor,
                                                    guint                limit,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
ScOrderPage      *sc_counter_search_orders_finish  (ScCounter           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* The open and partially picked up orders under phone tail @tail (4
 * digits, else SC_COUNTER_ERROR_BAD_QUERY), every page, grouped by
 * recipient: two households on one tail stay apart. Households in the
 * order of their newest order; each one's orders newest first.
 * Returns: (transfer full) (element-type ScHousehold), maybe empty */
void              sc_counter_list_household_async  (ScCounter           *self,
                                                    const char          *tail,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray        *sc_counter_list_household_finish (ScCounter           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* One order with its timeline. Returns: (transfer full) */
void              sc_counter_get_order_async       (ScCounter           *self,
                                                    const char          *order_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
ScOrder          *sc_counter_get_order_finish      (ScCounter           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Marks @qty of line @line_id of order @order_id missing or damaged
 * (缺货/破损), with @note (nullable), under a fresh Idempotency-Key.
 * Online only, and not an outbox action yet: a send without an answer is
 * not sent again by itself. Returns: (transfer full) the order as it now
 * is. */
void              sc_counter_mark_missing_async    (ScCounter           *self,
                                                    const char          *order_id,
                                                    const char          *line_id,
                                                    int                  qty,
                                                    ScMissingReason      reason,
                                                    const char          *note,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
ScOrder          *sc_counter_mark_missing_finish   (ScCounter           *self,
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

/* For tests only: the health probe's timing without waiting 30 s. Kept as
 * functions, not properties: the hook is a callback per scheduled probe
 * (the test times each as it is called), and the two delays are one
 * setting of the counter's ScConnectivity (sc_connectivity_set_probe_delays),
 * passed on while the counter runs; nothing but a test sets either. What
 * tests read (whether it probes) is the "probing" property. */

/* Called each time a probe is scheduled: @attempt probes have failed since
 * the counter went offline, the next goes in @delay_ms. */
typedef void (*ScCounterProbeFunc) (ScCounter *self,
                                    guint      attempt,
                                    guint      delay_ms,
                                    gpointer   user_data);

/* The probe's first delay and its cap (default 1000 and 30000 ms). */
void              sc_counter_set_probe_delays (ScCounter           *self,
                                               guint                base_ms,
                                               guint                cap_ms);
void              sc_counter_set_probe_func   (ScCounter           *self,
                                               ScCounterProbeFunc   func,
                                               gpointer             user_data);

G_END_DECLS
