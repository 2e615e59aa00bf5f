/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScConflictsDialog: today's conflicts of the session's store (DESIGN §7):
 * for each, the code and what it was for, what this counter did (when,
 * which clerk, offline or not) and the platform's record of the redemption
 * that took the code (where, when, by whom), with an "Acknowledge" button.
 * Acknowledged conflicts stay listed, marked so; they stay in the report.
 *
 * Read-only property "loaded": TRUE once the list arrived (or failed to),
 * FALSE again while it is listed anew (a new conflict came).
 */

#define SC_TYPE_CONFLICTS_DIALOG (sc_conflicts_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ScConflictsDialog, sc_conflicts_dialog, SC, CONFLICTS_DIALOG, AdwWindow)

GtkWidget *sc_conflicts_dialog_new (GtkWindow *parent,
                                    ScCounter *counter);

G_END_DECLS
