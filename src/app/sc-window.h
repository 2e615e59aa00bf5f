/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/**
 * ScWindow: the counter's main window (DESIGN §9). It opens the local cache,
 * restores a saved session (or shows the login page), and holds the scan
 * page and the other panes.
 *
 * Construct-only properties: "platform-url", "db-path" (nullable: the
 * default database), "admin-token" (nullable: enables "Demo codes").
 * @application is an ScApplication: it builds the counter for those
 * (sc_application_open_async) and gives the session store. Read-only
 * "toaster" (ScToaster): every toast of the window goes through it;
 * "counter" (ScCounter, nullable until the application opened it).
 */

#define SC_TYPE_WINDOW (sc_window_get_type ())
G_DECLARE_FINAL_TYPE (ScWindow, sc_window, SC, WINDOW, AdwApplicationWindow)

ScWindow *sc_window_new    (AdwApplication *application,
                            const char     *platform_url,
                            const char     *db_path,
                            const char     *admin_token);
/* Logs in with these credentials as soon as the cache is open (the
 * `--login STORE:CLERK` path, PIN from standard input). */
void      sc_window_log_in (ScWindow       *self,
                            const char     *store_id,
                            const char     *clerk_id,
                            const char     *pin);

/* Starts the Scan page's camera: from @override (nullable: a --camera spec,
 * "off" for none) for the window's life, or when @override is NULL from the
 * settings camera-enabled and camera-device, following their changes at
 * once. Until it is called the window has no camera. */
void      sc_window_start_camera (ScWindow     *self,
                                  const char   *override);

G_END_DECLS
