/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScReauthDialog: "Log In Again", when the platform refused the session
 * (the counter's "session-expired"). It asks the PIN of the session's
 * clerk, closes on a response and, for "Log In", logs in again through the
 * counter. Then exactly one of its signals says how it ended:
 *   - "cancelled": closed without logging in;
 *   - "retry" (const char *reason): an empty PIN or a refused login: ask
 *     again (a new dialog) with @reason under the PIN;
 *   - "logged-in": the counter has its new session.
 * None is emitted once @cancellable (the owner's) is cancelled.
 */

#define SC_TYPE_REAUTH_DIALOG (sc_reauth_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ScReauthDialog, sc_reauth_dialog, SC, REAUTH_DIALOG, AdwMessageDialog)

/* @store_id, @clerk_id: whom to log in when the counter has no session
 * (the last login's, from the settings). @error_text (nullable): why it
 * asks again. */
ScReauthDialog *sc_reauth_dialog_new       (GtkWindow      *parent,
                                            ScCounter      *counter,
                                            const char     *store_id,
                                            const char     *clerk_id,
                                            const char     *error_text,
                                            GCancellable   *cancellable);
/* The PIN entry. */
GtkEditable    *sc_reauth_dialog_get_entry (ScReauthDialog *self);

G_END_DECLS
