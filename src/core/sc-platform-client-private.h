/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "sc-platform-client.h"

G_BEGIN_DECLS

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
