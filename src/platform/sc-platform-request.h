/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sc-platform-store-types.h"

G_BEGIN_DECLS

/* The reference platform's request readers: a call's JSON body to an
 * ScPlatformRequest, with no HTTP around them (so that they can be fuzzed,
 * tests/fuzz/fuzz-platform-request.c). Any thread; no state. */

/* Bodies above this are refused (413) before they are read. */
#define SC_PLATFORM_MAX_BODY_BYTES (64 * 1024)

/**
 * ScPlatformRequestError:
 * @SC_PLATFORM_REQUEST_ERROR_NO_BODY: no body (400 bad_request)
 * @SC_PLATFORM_REQUEST_ERROR_TOO_LARGE: over SC_PLATFORM_MAX_BODY_BYTES (413 too_large)
 * @SC_PLATFORM_REQUEST_ERROR_BAD_JSON: not UTF-8 JSON, or not an object (400 bad_json)
 * @SC_PLATFORM_REQUEST_ERROR_BAD_FIELD: a field missing or of the wrong type or range,
 *   or text holding NUL (400 bad_request)
 *
 * Why a body was refused; the message is for the client, translated.
 */
typedef enum
{
  SC_PLATFORM_REQUEST_ERROR_NO_BODY,
  SC_PLATFORM_REQUEST_ERROR_TOO_LARGE,
  SC_PLATFORM_REQUEST_ERROR_BAD_JSON,
  SC_PLATFORM_REQUEST_ERROR_BAD_FIELD,
} ScPlatformRequestError;

#define SC_PLATFORM_REQUEST_ERROR (sc_platform_request_error_quark ())
GQuark              sc_platform_request_error_quark  (void);

/* The HTTP status and error code ("bad_request", ...) to answer @error
 * with; 500 "server_error" for an error of another domain. */
guint               sc_platform_request_error_status (const GError         *error,
                                                      const char          **out_code);

/* The body as a JSON object. Refuses text holding NUL (raw or \u0000):
 * json-glib would cut the string there. Returns: (transfer full). */
JsonObject         *sc_platform_read_object          (const char           *data,
                                                      gsize                 len,
                                                      GError              **error);

typedef enum
{
  SC_PLATFORM_FIELD_OPTIONAL = 0,
  SC_PLATFORM_FIELD_REQUIRED = 1,
} ScPlatformFieldFlags;

/* Field readers: TRUE with the value (absent or null: *out NULL, or
 * *out_present FALSE), FALSE with a BAD_FIELD error. */
gboolean            sc_platform_field_string         (JsonObject           *object,
                                                      const char           *name,
                                                      ScPlatformFieldFlags  flags,
                                                      const char          **out,
                                                      GError              **error);
gboolean            sc_platform_field_int            (JsonObject           *object,
                                                      const char           *name,
                                                      gint64                min,
                                                      gint64                max,
                                                      gboolean             *out_present,
                                                      gint64               *out,
                                                      GError              **error);
gboolean            sc_platform_field_bool           (JsonObject           *object,
                                                      const char           *name,
                                                      gboolean             *out,
                                                      GError              **error);
/* A time as RFC 3339 text or unix seconds. */
gboolean            sc_platform_field_time           (JsonObject           *object,
                                                      const char           *name,
                                                      gboolean             *out_present,
                                                      gint64               *out,
                                                      GError              **error);
/* A number from 0 to 1, @def when absent. */
gboolean            sc_platform_field_rate           (JsonObject           *object,
                                                      const char           *name,
                                                      double                def,
                                                      double               *out,
                                                      GError              **error);
/* A BAD_FIELD error "Field @name must be @what." */
void                sc_platform_set_bad_field        (GError              **error,
                                                      const char           *name,
                                                      const char           *what);

/* Letters, digits, '-' and '_', 1 to 128 of them. */
gboolean            sc_platform_valid_id             (const char           *id);

/* Fills the code fields of @req from @payload, or req->malformed with the
 * reason it is not a code (answered 400 once the session is checked). */
void                sc_platform_request_parse_payload (ScPlatformRequest   *req,
                                                       const char          *payload);

/* Reads the body of a call of @op (LOGIN, LOOKUP, REDEEM,
 * ADMIN_ADD_ORDERS, ADMIN_TOUCH_ORDERS, MARK_MISSING) at platform time @now. Headers
 * (bearer token, Idempotency-Key) are the caller's to add.
 * Returns: (transfer full): the request, or NULL with @error. */
ScPlatformRequest  *sc_platform_request_read         (ScPlatformOp          op,
                                                      const char           *body,
                                                      gsize                 len,
                                                      gint64                now,
                                                      GError              **error);

G_END_DECLS
