/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-application.h"

G_BEGIN_DECLS

/**
 * ScDemoCodesDialog: lists the reference platform's demo payloads
 * (`GET /v1/admin/demo-codes`, admin token), one row per status and kind,
 * each with a button that emits "code-chosen" (const char *payload).
 */

#define SC_TYPE_DEMO_CODES_DIALOG (sc_demo_codes_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ScDemoCodesDialog, sc_demo_codes_dialog, SC, DEMO_CODES_DIALOG, AdwWindow)

/* The codes come through @application (the composition root). */
GtkWidget *sc_demo_codes_dialog_new      (GtkWindow         *parent,
                                          ScApplication     *application,
                                          const char        *platform_url,
                                          const char        *admin_token);
/* For tests: rows shown so far, and TRUE once the list arrived. */
guint      sc_demo_codes_dialog_get_n_rows (ScDemoCodesDialog *self);
gboolean   sc_demo_codes_dialog_get_loaded (ScDemoCodesDialog *self);
/* Emits "code-chosen" for row @index (as its button does). */
void       sc_demo_codes_dialog_choose     (ScDemoCodesDialog *self,
                                            guint              index);

G_END_DECLS
