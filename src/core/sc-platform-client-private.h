/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "sc-platform-client.h"

G_BEGIN_DECLS

/*
 * What the files of ScPlatformClient share: sc-platform-client.c (the
 * object, the request pipeline), sc-platform-client-session.c (login,
 * logout, health),
 * sc-platform-client-error.c (SC_PLATFORM_ERROR), sc-platform-client-codes.c
 * (lookup, redeem, a redemption's record, reversal),
 * sc-platform-client-manifest.c (manifest pages, admin calls) and
 * sc-platform-client-orders.c (the orders search, one order, missing marks).
 */

/* ---- sc-platform-client-error.c ---- */

/* (transfer full): a new SC_PLATFORM_ERROR with its extended data. */
GError       *sc_platform_error_new_literal       (ScPlatformError      code,
                                                   guint                http_status,
                                                   const char          *api_code,
                                                   int                  retry_after,
                                                   JsonObject          *details,
                                                   const char          *message);
/* BAD_DATA naming the member @field (nullable) of the answer. */
GError       *sc_platform_error_new_bad_data      (guint                http_status,
                                                   const char          *field);
/* Sets the HTTP status of an SC_PLATFORM_ERROR (nothing for another). */
void          sc_platform_error_set_http_status   (GError              *error,
                                                   guint                http_status);
/* Takes @reader_error, a call's reader's: an SC_JSON_READER_ERROR becomes
 * BAD_DATA naming the member's path; another error gets @http_status. */
GError       *sc_platform_error_new_from_reader   (GError              *reader_error,
                                                   guint                http_status);

/* ---- sc-platform-client.c: the request pipeline ---- */

/* Turns the top-level object of a 2xx answer into the call's result, with
 * the call's own data (set by sc_platform_client_request_set_call_data).
 * Fails with an SC_JSON_READER_ERROR (or an SC_PLATFORM_ERROR).
 * Returns: (transfer full) (nullable) */
typedef gpointer (*ScPlatformParseFunc) (ScPlatformClient  *self,
                                         gpointer           call_data,
                                         JsonObject        *root,
                                         GError           **error);

/* A GTask for one call, tagged with @source_tag; its result is what @parse
 * returns, freed with @result_free if nobody takes it. */
GTask        *sc_platform_client_request_new     (ScPlatformClient    *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data,
                                                  gpointer             source_tag,
                                                  ScPlatformParseFunc  parse,
                                                  GDestroyNotify       result_free);
/* The call's own data (transfer full), given to its parse function. */
void          sc_platform_client_request_set_call_data (GTask          *task,
                                                        gpointer        call_data,
                                                        GDestroyNotify  call_data_free);
/* The call only reads: libsoup may send it on a kept-alive connection. */
void          sc_platform_client_request_set_idempotent (GTask         *task);
/* Sends @method @path (with its query) for @task (transfer full), with
 * @body (nullable) of @content_type. */
void          sc_platform_client_request_start   (ScPlatformClient    *self,
                                                  GTask               *task,
                                                  const char          *method,
                                                  const char          *path,
                                                  GBytes              *body,
                                                  const char          *content_type,
                                                  const char          *idempotency_key);
/* The same with a JSON object as the body; the text sent is wiped once
 * sent. */
void          sc_platform_client_request_start_json (ScPlatformClient *self,
                                                     GTask            *task,
                                                     const char       *method,
                                                     const char       *path,
                                                     JsonObject       *body,
                                                     const char       *idempotency_key);
/* A call without a body or data of its own, in one: request_new, then
 * request_start. */
void          sc_platform_client_send_async      (ScPlatformClient    *self,
                                                  const char          *method,
                                                  const char          *path,
                                                  gpointer             source_tag,
                                                  ScPlatformParseFunc  parse,
                                                  GDestroyNotify       result_free,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* The result of a call started with @source_tag. (transfer full) */
gpointer      sc_platform_client_request_finish  (ScPlatformClient    *self,
                                                  GAsyncResult        *result,
                                                  gpointer             source_tag,
                                                  GError             **error);
/* @parse run on @root as the pipeline runs it on a @http_status answer:
 * a reader's error is BAD_DATA. (transfer full) (nullable) */
gpointer      sc_platform_client_run_parse       (ScPlatformClient    *self,
                                                  ScPlatformParseFunc  parse,
                                                  gpointer             call_data,
                                                  JsonObject          *root,
                                                  guint                http_status,
                                                  GError             **error);
/* The id the platform reported (nullable): "platform-id". */
void          sc_platform_client_set_platform_id (ScPlatformClient    *self,
                                                  const char          *platform_id);
/* One path segment, escaped. (transfer full) */
char         *sc_platform_escape_segment         (const char          *segment);

/* ---- sc-platform-client-manifest.c ---- */

/* Any GET returning a JSON object, for tests (and calls without a typed
 * wrapper): @path_and_query like "/v1/manifest?since=3". */
void          sc_platform_client_get_json_async  (ScPlatformClient    *self,
                                                  const char          *path_and_query,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonObject   *sc_platform_client_get_json_finish (ScPlatformClient    *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/*
 * The readers behind ScPlatformClient's calls, as pure functions of an
 * answer, so that tests/fuzz can feed them arbitrary bytes without a
 * platform. Each is exactly what the call runs on a 2xx answer (or, for
 * sc_platform_error_new_from_answer, on any other status); each fails with
 * SC_PLATFORM_ERROR_BAD_DATA for an answer it cannot read, never crashes.
 */

/* The top-level object of an answer body (depth-checked, then parsed). */
JsonObject   *sc_platform_parse_answer            (GBytes              *body,
                                                   GError             **error);
/* POST /v1/sessions; the token also goes to @client, as on a login. */
ScSession    *sc_platform_read_session            (ScPlatformClient    *client,
                                                   JsonObject          *root,
                                                   GError             **error);
/* GET /v1/health: the platform's time. */
GDateTime    *sc_platform_read_health             (JsonObject          *root,
                                                   GError             **error);
/* POST /v1/codes/lookup */
ScVerdict    *sc_platform_read_verdict            (JsonObject          *root,
                                                   GError             **error);
/* POST /v1/redemptions, for the redemption @sent. */
ScRedemption *sc_platform_read_redeemed           (const ScRedemption  *sent,
                                                   JsonObject          *root,
                                                   GError             **error);
/* GET /v1/redemptions/{@redemption_id} */
ScRedemption *sc_platform_read_redemption_record  (const char          *redemption_id,
                                                   JsonObject          *root,
                                                   GError             **error);
/* POST /v1/redemptions/{@redemption_id}/reversal */
gboolean      sc_platform_read_reversal           (const char          *redemption_id,
                                                   JsonObject          *root,
                                                   gint64              *out_reversed_at,
                                                   GError             **error);
/* The SC_PLATFORM_ERROR for a non-2xx @status with @headers and the body's
 * object @root (nullable). */
GError       *sc_platform_error_new_from_answer   (guint                status,
                                                   SoupMessageHeaders  *headers,
                                                   JsonObject          *root);

G_END_DECLS
