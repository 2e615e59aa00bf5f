/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-session-store.h"

G_BEGIN_DECLS

/**
 * ScKeyringRow: the Preferences row that says where the session (the login
 * and the store's key) is kept: in the keyring, or in memory until the app
 * quits because the keyring is locked or missing. While it is locked, its
 * "Save in keyring…" button is the one way the app makes the keyring
 * prompt: the clerk presses it at a calm moment.
 *
 * Construct-only property: "session-store".
 */

#define SC_TYPE_KEYRING_ROW (sc_keyring_row_get_type ())
G_DECLARE_FINAL_TYPE (ScKeyringRow, sc_keyring_row, SC, KEYRING_ROW, AdwActionRow)

GtkWidget *sc_keyring_row_new (ScSessionStore *store);

G_END_DECLS
