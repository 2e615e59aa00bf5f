/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-preferences-window.h"

G_BEGIN_DECLS

/* For tests: the rows and switches a clerk uses. */
AdwEntryRow *sc_preferences_window_get_url_row          (ScPreferencesWindow *self);
/* The words under the address when it was refused (hidden otherwise). */
GtkLabel    *sc_preferences_window_get_url_error        (ScPreferencesWindow *self);
GtkSwitch   *sc_preferences_window_get_auto_redeem_switch (ScPreferencesWindow *self);
GtkSwitch   *sc_preferences_window_get_sounds_switch    (ScPreferencesWindow *self);
GtkSwitch   *sc_preferences_window_get_camera_switch    (ScPreferencesWindow *self);
AdwComboRow *sc_preferences_window_get_camera_row       (ScPreferencesWindow *self);
AdwEntryRow *sc_preferences_window_get_prefix_row       (ScPreferencesWindow *self);
AdwEntryRow *sc_preferences_window_get_suffix_row       (ScPreferencesWindow *self);
/* TRUE once the /dev/video* devices were looked for and listed. */
gboolean     sc_preferences_window_get_devices_loaded   (ScPreferencesWindow *self);
/* The camera-device value of item @index of the camera row ("" for the
 * first camera found), NULL past the end. */
const char  *sc_preferences_window_get_camera_spec      (ScPreferencesWindow *self,
                                                         guint                index);

G_END_DECLS
