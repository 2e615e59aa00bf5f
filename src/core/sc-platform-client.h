/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sc-demo-code.h"
#include "sc-types.h"
#include "sc-redemption.h"

G_BEGIN_DECLS

/**
 * ScPlatformClient: the platform API v1 (DESIGN §6) over libsoup 3.
 *
 * Wire shapes (all JSON, UTF-8, times RFC 3339 UTC, money in fen):
 *
 * POST /v1/sessions {store_id, clerk_id, pin} (strings; pin 4 to 8 digits)
 *   201 {token, expires_at, store{id,name,timezone}, clerk{id,name}, undo_window_s,
 *        platform_id, manifest_key?} (the store's key, 64 hex digits: sc-store-key.h)
 *   401 {"error":{"code":"bad_credentials"}} · 400 bad_request for a pin that
 *   is not 4 to 8 digits (not counted as a try) · 429 too_many_attempts
 *   (details.retry_after_s, header Retry-After) after 5 failures in a row
 *   for that store + clerk or from that address: 30 s, doubling with each
 *   further failure, at most an hour; a success clears the count.
 * DELETE /v1/sessions/current -> 204: the token is revoked (401 afterwards).
 *   A session once seen expired or revoked stays so.
 * GET /v1/health -> 200 {status:"ok", time, platform_id}
 *   platform_id: the platform's own stable id (the same under any address;
 *   another database, another id). Optional here: a session without it
 *   sends no outbox item until a health answer tells it (sc-counter).
 * POST /v1/codes/lookup {payload}
 *   200 {code, kind:"pickup"|"coupon"|"prize", status:<ScVerdictStatus wire name>,
 *        valid_from?, valid_until?, realtime_only?, reason?,
 *        store?{id,name},
 *        order?{order_id, customer_masked, phone_tail, total_fen,
 *               items[{name, quantity, price_fen}]},
 *        coupon?{type:"cash"|"threshold"|"discount", title, value_fen,
 *                min_spend_fen, percent_off, cap_fen},
 *        prize?{activity_id, activity_name, prize_name, activity_end,
 *               claim_days, claim_deadline},
 *        redeemed?{redemption_id, at, store{id,name}, clerk{id,name}}}
 *   Unknown codes are 200 with status "not_found"; stale or badly signed live
 *   tokens are 200 with status "qr_stale"; 400 "malformed" for payloads that
 *   are not a code at all.
 * POST /v1/redemptions {redemption_id, payload, store_id, clerk_id, source,
 *                       scanned_at, offline, bill_fen?}  header Idempotency-Key
 *   store_id, clerk_id: who made it; 403 session_mismatch (nothing
 *   recorded) when they are not the token's, 400 when missing
 *   201 {redemption_id, code, kind, redeemed_at, bill_fen?, discount_fen?}
 *   409 already_redeemed (details.redeemed as in lookup) · 410 expired ·
 *   403 wrong_store (another store's code, whatever its state: details
 *   {code, kind, status, store} only) · 404 not_found · 422 <status wire
 *   name> for the others
 *   (invalidated, gifting, deleted, not_yet_valid, qr_stale,
 *   threshold_not_met, needs_network, not_eligible)
 *   A replayed Idempotency-Key returns the first answer (status and body).
 *   redemption_id is the store's own: another store's use of the same id
 *   is invisible. scanned_at outside 2000-01-01 .. platform now + 1 day:
 *   400 bad_request. offline: true is judged at scanned_at only for a
 *   pickup code scanned inside an earlier session (of this store and
 *   clerk, at most 7 days ago); anything else is judged now.
 * GET /v1/redemptions/{id}
 *   200 {redemption_id, code, kind, store_id, clerk_id, source, scanned_at,
 *        redeemed_at, offline, bill_fen?, discount_fen?, reversed_at?}
 *   404 not_found (also for another store's redemption)
 * POST /v1/redemptions/{id}/reversal  header Idempotency-Key
 *   200 {redemption_id, reversed_at} · 409 undo_window_passed · 404 · 403
 * GET /v1/manifest?since=V[&cursor=C][&limit=N]
 *   200 {version, key_id, orders[{order_id, code_hmac, status, valid_from?,
 *        valid_until?, phone_tail, customer_masked, items[], total_fen,
 *        redeemed?}], removed[order_id], next_cursor}
 *   code_hmac = hex HMAC-SHA256 (store key, code); key_id names the key.
 *   Pages of at most N orders + removed (default 250, at most 10000) along
 *   an opaque cursor ("<version>.<row>", never a code). While next_cursor
 *   is a string, ask again with the same since and that cursor; version is
 *   then still V, and only the last page (next_cursor null) carries the new
 *   version. Each page can be applied on its own; a walk cut short starts
 *   again from the version held. Orders changed during a walk come again
 *   before its end. 400 for a cursor or limit the platform did not give.
 * Errors: {"error":{"code","message","details"?}}; 401 "session_expired"
 * when the token is unknown or expired; 429/503 carry Retry-After (seconds).
 *
 * Test-only admin calls of the reference platform (store-counter-platform
 * --admin-token T; "Authorization: Bearer T", 401 without it, 404 when
 * the platform runs without an admin token):
 * POST /v1/admin/orders {count (1..200000), store_id? (default "1001")}
 *   201 {created, version, codes[]}: that many redeemable pickup orders
 *   (valid from yesterday to at least tomorrow), one transaction, each
 *   under its own manifest version; codes are the payloads.
 * POST /v1/admin/orders/touch {count, store_id?}
 *   200 {touched, version}: changes up to count active, unredeemed current
 *   pickup orders, each under a new version: one in ten cancelled
 *   (invalidated), one deleted, one moved over a week into the past (it
 *   leaves the manifest: removed[]), the others get new items.
 * GET /v1/admin/redemptions?store_id=&limit=
 *   200 {count, reversed, redemptions[{redemption_id, code, kind, store_id,
 *        clerk_id, source, redeemed_at, offline, state:"active"|"reversed",
 *        code_redemptions (how many redemptions the code has in all),
 *        holds_code (this one is the code's current redemption)}]}
 *   oldest first; every store without store_id; limit=0: the counts only.
 * POST /v1/admin/faults {fail_rate?, fail_status?, fail_statuses?[],
 *                        delay_ms?, delay_rate?, hang_rate?, hang_ms?}
 *   Sets every fault (absent = off) and returns them. A share fail_rate of
 *   the non-admin calls fails with fail_status (default 503, with
 *   Retry-After: 1) or one drawn from fail_statuses, before any work; a
 *   share delay_rate (default 1) waits delay_ms first; a share hang_rate
 *   does the work (committed), then holds the answer hang_ms: with a longer
 *   hang than the client's request timeout, the send is uncertain.
 * POST /v1/admin/clock {offset_s}, GET /v1/admin/clock,
 * POST /v1/admin/reset, GET /v1/admin/demo-codes: see sc-platform-server.h.
 *
 * Timeouts: connect 5 s, whole request 10 s (properties, for tests).
 *
 * HTTPS: a certificate the system does not trust, an expired one, one for
 * another name, or a failed TLS handshake is SC_PLATFORM_ERROR_CERTIFICATE
 * with words that say which (sc-platform-client-tls.c), never NETWORK. For
 * tests only, SC_TEST_TLS_CA_FILE (a PEM file of CA certificates) replaces
 * the system's trust with those CAs.
 */

typedef enum
{
  SC_PLATFORM_ERROR_NETWORK,        /* cannot reach the platform */
  SC_PLATFORM_ERROR_TIMEOUT,        /* no answer in time */
  SC_PLATFORM_ERROR_UNAUTHORIZED,   /* 401: wrong PIN, or session expired */
  SC_PLATFORM_ERROR_FORBIDDEN,      /* 403 */
  SC_PLATFORM_ERROR_NOT_FOUND,      /* 404 */
  SC_PLATFORM_ERROR_CONFLICT,       /* 409 */
  SC_PLATFORM_ERROR_GONE,           /* 410 */
  SC_PLATFORM_ERROR_REJECTED,       /* 400, 422 and other 4xx */
  SC_PLATFORM_ERROR_RATE_LIMITED,   /* 429 */
  SC_PLATFORM_ERROR_SERVER,         /* 5xx */
  SC_PLATFORM_ERROR_BAD_DATA,       /* an answer we cannot read */
  SC_PLATFORM_ERROR_CERTIFICATE,    /* TLS: the platform's certificate or secure connection
                                     * was refused (untrusted, expired, another name, failed
                                     * handshake); never "offline" (DESIGN §13) */
} ScPlatformError;

#define SC_PLATFORM_ERROR (sc_platform_error_quark ())
GQuark      sc_platform_error_quark              (void);

/* Extended error data (G_DEFINE_EXTENDED_ERROR); NULL / -1 / 0 when absent
 * or when @error is not in SC_PLATFORM_ERROR. */
const char *sc_platform_error_get_api_code     (const GError *error);  /* "already_redeemed" */
int         sc_platform_error_get_retry_after  (const GError *error);  /* seconds, -1 none */
guint       sc_platform_error_get_http_status  (const GError *error);
/* The error's "details" object, (transfer none) (nullable). */
JsonObject *sc_platform_error_get_details      (const GError *error);
/* TRUE for errors where sending again later may succeed: network, timeout,
 * 429, 5xx. */
gboolean    sc_platform_error_is_transient     (const GError *error);
/* Why the platform at @host (nullable) cannot be reached, for the clerk:
 * on this computer its program is not running; elsewhere, the network. */
char       *sc_platform_describe_unreachable   (const char   *host);

#define SC_TYPE_PLATFORM_CLIENT (sc_platform_client_get_type ())
G_DECLARE_FINAL_TYPE (ScPlatformClient, sc_platform_client, SC, PLATFORM_CLIENT, GObject)

/* Properties: "base-url" (construct-only), "token" (nullable),
 * "connect-timeout" (uint seconds, default 5), "request-timeout" (uint ms,
 * default 10000). */
ScPlatformClient *sc_platform_client_new                 (const char          *base_url);
const char       *sc_platform_client_get_base_url        (ScPlatformClient    *self);
const char       *sc_platform_client_get_token           (ScPlatformClient    *self);
void              sc_platform_client_set_token           (ScPlatformClient    *self,
                                                          const char          *token);
void              sc_platform_client_set_request_timeout (ScPlatformClient    *self,
                                                          guint                timeout_ms);
/* "platform-id" (read-only, nullable): the id the platform at base-url
 * last reported (health or session answer); NULL until one did. */
const char       *sc_platform_client_get_platform_id     (ScPlatformClient    *self);

/* On success also sets the client's token. */
void              sc_platform_client_login_async         (ScPlatformClient    *self,
                                                          const char          *store_id,
                                                          const char          *clerk_id,
                                                          const char          *pin,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
ScSession        *sc_platform_client_login_finish        (ScPlatformClient    *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* DELETE /v1/sessions/current with the client's token, which the client
 * forgets at once (whatever the answer). TRUE when the platform revoked it
 * (204); an error otherwise (401 if it was dead already, or no network). */
void              sc_platform_client_logout_async        (ScPlatformClient    *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean          sc_platform_client_logout_finish       (ScPlatformClient    *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* Returns: (transfer full): the platform's clock. */
void              sc_platform_client_health_async        (ScPlatformClient    *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GDateTime        *sc_platform_client_health_finish       (ScPlatformClient    *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

void              sc_platform_client_lookup_async        (ScPlatformClient    *self,
                                                          const char          *payload,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
ScVerdict        *sc_platform_client_lookup_finish       (ScPlatformClient    *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* Sends @redemption with Idempotency-Key = its id. Returns a copy of it
 * updated from the 201: state SYNCED, redeemed_at, discount_fen. Refusals
 * are errors with the API code (sc_platform_error_get_api_code). */
void              sc_platform_client_redeem_async        (ScPlatformClient    *self,
                                                          const ScRedemption  *redemption,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
ScRedemption     *sc_platform_client_redeem_finish       (ScPlatformClient    *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* The platform's record of a redemption (GET /v1/redemptions/{id}); its
 * state is SYNCED, or REVERSED if reversed_at is set. NOT_FOUND if the
 * platform never saw it. */
void              sc_platform_client_get_redemption_async  (ScPlatformClient    *self,
                                                            const char          *redemption_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
ScRedemption     *sc_platform_client_get_redemption_finish (ScPlatformClient    *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* Returns TRUE and the platform's reversal time. */
void              sc_platform_client_reverse_async       (ScPlatformClient    *self,
                                                          const char          *redemption_id,
                                                          const char          *idempotency_key,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean          sc_platform_client_reverse_finish      (ScPlatformClient    *self,
                                                          GAsyncResult        *result,
                                                          gint64              *out_reversed_at,
                                                          GError             **error);

/* One page of GET /v1/manifest?since=@since[&cursor=@cursor]: the page
 * object, whole (the cache reads it: sc_cache_apply_manifest_take_async),
 * and in *@out_next_cursor the cursor of the next page, or NULL on the
 * last one. @cursor is as the platform gave it (not escaped). */
void              sc_platform_client_get_manifest_page_async  (ScPlatformClient    *self,
                                                               gint64               since,
                                                               const char          *cursor,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
JsonObject       *sc_platform_client_get_manifest_page_finish (ScPlatformClient    *self,
                                                               GAsyncResult        *result,
                                                               char               **out_next_cursor,
                                                               GError             **error);

/* GET /v1/admin/demo-codes (test-only admin call; the client's token is
 * the admin token).
 * Returns: (transfer full) (element-type ScDemoCode): the entries that
 * have a payload, status and kind, in the platform's order; BAD_DATA when
 * the answer has no "codes" array. */
void              sc_platform_client_get_demo_codes_async  (ScPlatformClient    *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GPtrArray        *sc_platform_client_get_demo_codes_finish (ScPlatformClient    *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS
