/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-session-store.h"

G_BEGIN_DECLS

/**
 * ScPreferencesWindow: the clerk's settings (DESIGN §9), bound to the
 * app's GSettings: the platform address (checked before it is kept; used
 * from the next start), redeeming pickup codes on scan, sounds, the camera
 * and which one, and the USB scanner's prefix and suffix.
 *
 * Construct-only properties: "running-platform-url" (nullable: the address
 * this run uses, when it is not the one in the settings) and
 * "camera-override" (nullable: the --camera this run was started with,
 * which wins over the camera settings until the next start).
 * Read-only: "devices-loaded" (TRUE once the /dev/video* devices were looked
 * for and listed) and "camera-specs" (GStrv: the camera-device value of each
 * item of the camera row, in order; "" for the first camera found).
 *
 * With a session store (sc_preferences_window_set_session_store), it also
 * says where the session is kept and offers to save it in the keyring when
 * the keyring is locked (ScKeyringRow).
 */

#define SC_TYPE_PREFERENCES_WINDOW (sc_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (ScPreferencesWindow, sc_preferences_window, SC, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *sc_preferences_window_new (GtkWindow  *parent,
                                      const char *running_platform_url,
                                      const char *camera_override);
void       sc_preferences_window_set_session_store (ScPreferencesWindow *self,
                                                    ScSessionStore      *store);

G_END_DECLS
