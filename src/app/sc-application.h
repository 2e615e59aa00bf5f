/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-session-store.h"
#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScApplication: io.github.storecounter.StoreCounter. Command-line actions
 * (DESIGN §12) run headless and exit; otherwise the window opens.
 * `--login STORE:CLERK` alone reads the PIN from standard input and opens
 * the window logged in. `--platform-url` (else $SC_PLATFORM_URL, else the
 * "platform-url" setting) and `--db` apply to the window too. With
 * $SC_DEMO_ADMIN_TOKEN set, the menu offers the platform's demo codes.
 *
 * It is the composition root: it builds the services (the cache, the
 * platform client, the counter, the session store) and hands them to the
 * window and to the command line, which never build their own.
 */

#define SC_TYPE_APPLICATION (sc_application_get_type ())
G_DECLARE_FINAL_TYPE (ScApplication, sc_application, SC, APPLICATION, AdwApplication)

ScApplication  *sc_application_new               (void);

/* The platform address to use: @option (nullable: --platform-url) when
 * given, else $SC_PLATFORM_URL, else the "platform-url" setting (when the
 * settings are installed), else http://127.0.0.1:8080. */
char           *sc_application_dup_platform_url  (ScApplication       *self,
                                                  const char          *option);

/* The one session store (the token and the stores' keys), built on first
 * call. */
ScSessionStore *sc_application_get_session_store (ScApplication       *self);

/* Opens the local database @db_path (nullable: the default one) and builds
 * the platform client for @platform_url and the counter over both; the
 * application keeps them (the newest set, until its last window is gone)
 * and the finish returns the counter (transfer full). Fails with the
 * cache's error when the database cannot be used. */
void            sc_application_open_async        (ScApplication       *self,
                                                  const char          *platform_url,
                                                  const char          *db_path,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
ScCounter      *sc_application_open_finish       (ScApplication       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* (nullable): the counter of the last sc_application_open_async(). */
ScCounter      *sc_application_get_counter       (ScApplication       *self);

/* The reference platform's demo codes at @platform_url, asked with
 * @admin_token (a client of their own: the session's token is not the
 * admin's). The finish returns (transfer full) (element-type ScDemoCode)
 * the entries in the platform's order. */
void            sc_application_get_demo_codes_async  (ScApplication       *self,
                                                      const char          *platform_url,
                                                      const char          *admin_token,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray      *sc_application_get_demo_codes_finish (ScApplication       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
