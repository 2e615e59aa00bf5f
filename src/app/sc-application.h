/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/**
 * ScApplication: io.github.storecounter.StoreCounter. Command-line actions
 * (DESIGN §12) run headless and exit; otherwise the window opens.
 * `--login STORE:CLERK` alone reads the PIN from standard input and opens
 * the window logged in. `--platform-url` (else $SC_PLATFORM_URL, else the
 * "platform-url" setting) and `--db` apply to the window too. With
 * $SC_DEMO_ADMIN_TOKEN set, the menu offers the platform's demo codes.
 */

#define SC_TYPE_APPLICATION (sc_application_get_type ())
G_DECLARE_FINAL_TYPE (ScApplication, sc_application, SC, APPLICATION, AdwApplication)

ScApplication *sc_application_new (void);

G_END_DECLS
