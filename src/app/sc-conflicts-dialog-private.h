/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-conflicts-dialog.h"

G_BEGIN_DECLS

/* Test hooks. */

/* TRUE once the list arrived (or failed). */
gboolean    sc_conflicts_dialog_get_loaded              (ScConflictsDialog *self);
guint       sc_conflicts_dialog_get_n_rows              (ScConflictsDialog *self);
/* Every label of row @index, one per line. */
char       *sc_conflicts_dialog_dup_row_text            (ScConflictsDialog *self,
                                                         guint              index);
/* Row @index's "Acknowledge" button (hidden once acknowledged). */
GtkWidget  *sc_conflicts_dialog_get_acknowledge_button  (ScConflictsDialog *self,
                                                         guint              index);
gboolean    sc_conflicts_dialog_get_row_acknowledged    (ScConflictsDialog *self,
                                                         guint              index);

G_END_DECLS
