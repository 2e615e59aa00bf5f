/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What an error of the counter's calls means, for the app, which never
 * tests the platform's or the database's error codes itself. */

/* The platform is away (DESIGN §7): no connection, no answer in time, or a
 * 5xx answer. The one definition: the counter goes offline and probes on
 * these, and the app says it cannot reach the platform. */
gboolean    sc_counter_error_is_unreachable     (const GError *error);
/* The platform's certificate or secure connection was refused (DESIGN
 * §13): never "offline". */
gboolean    sc_counter_error_is_certificate     (const GError *error);
/* The platform no longer takes the session's token (401): the clerk logs
 * in again. */
gboolean    sc_counter_error_is_session_expired (const GError *error);
/* The platform's answer could not be read (a field missing or of the
 * wrong type): neither away nor a refusal. */
gboolean    sc_counter_error_is_bad_data        (const GError *error);
/* The platform's code for a refusal ("already_redeemed"), or NULL. */
const char *sc_counter_error_get_api_code       (const GError *error);

/* What went wrong, in a sentence for the clerk (never a GQuark or a code):
 * the platform's, the counter's and this computer's errors alike.
 * @during_login: a 401 means a wrong PIN rather than an expired session. */
char       *sc_counter_error_describe           (const GError *error,
                                                 gboolean      during_login);

G_END_DECLS
