/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sc-recent-item.h"

G_BEGIN_DECLS

/**
 * ScRecentRow: a row of the last verifications, on two lines so that the
 * whole code fits the column even with large text: the time and the code;
 * the status icon and words, then, while its item is "undoable", an Undo
 * icon button that activates "scan.undo-redemption" with the item's
 * redemption id. It follows its item's properties, and a screen reader
 * reads it as one sentence: "<code>: <state>, <time>".
 *
 * Property "item" (ScRecentItem, construct-only).
 */

#define SC_TYPE_RECENT_ROW (sc_recent_row_get_type ())
G_DECLARE_FINAL_TYPE (ScRecentRow, sc_recent_row, SC, RECENT_ROW, GtkListBoxRow)

GtkWidget    *sc_recent_row_new      (ScRecentItem *item);
ScRecentItem *sc_recent_row_get_item (ScRecentRow  *self);

G_END_DECLS
