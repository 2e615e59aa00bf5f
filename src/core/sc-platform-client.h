/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sc-demo-code.h"
#include "sc-order.h"
#include "sc-types.h"
#include "sc-redemption.h"

G_BEGIN_DECLS

/**
 * ScPlatformClient: the platform API v1 (DESIGN §6) over libsoup 3. Every
 * call, field, status and error code is in docs/platform-api.md; keep it
 * true in the same commit as a change here.
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

/* GET /v1/orders with @query's filters (nullable: all), from @cursor
 * (nullable: the first page; as the platform gave it), @limit orders (0:
 * the platform's default). Returns: (transfer full) the page. */
void              sc_platform_client_search_orders_async  (ScPlatformClient    *self,
                                                           const ScOrderQuery  *query,
                                                           const char          *cursor,
                                                           guint                limit,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
ScOrderPage      *sc_platform_client_search_orders_finish (ScPlatformClient    *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* GET /v1/orders/{@order_id}: the order with its timeline; NOT_FOUND for
 * an order the store does not have. */
void              sc_platform_client_get_order_async      (ScPlatformClient    *self,
                                                           const char          *order_id,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
ScOrder          *sc_platform_client_get_order_finish     (ScPlatformClient    *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* POST /v1/orders/{@order_id}/lines/{@line_id}/missing with
 * Idempotency-Key @idempotency_key: marks @qty of the line missing or
 * damaged, with @note (nullable). Returns the order as it now is (without
 * timeline). Refusals carry the API code (unknown_line,
 * line_not_available, order_closed). */
void              sc_platform_client_mark_missing_async   (ScPlatformClient    *self,
                                                           const char          *order_id,
                                                           const char          *line_id,
                                                           int                  qty,
                                                           ScMissingReason      reason,
                                                           const char          *note,
                                                           const char          *idempotency_key,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
ScOrder          *sc_platform_client_mark_missing_finish  (ScPlatformClient    *self,
                                                           GAsyncResult        *result,
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
