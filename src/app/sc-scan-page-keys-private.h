/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * The Scan page's own keys, handled before the focused widget sees them
 * (capture phase on @page):
 *   - Ctrl+Z undoes the last redemption ("scan.undo") wherever the focus is
 *     on the page, the code entry included: there a text undo is not what a
 *     clerk wants;
 *   - a printable key (not Space, which presses buttons) typed while the
 *     focus is on something that takes no text — a label of the card, a row
 *     of the history, a button — moves the focus to @entry and is typed
 *     there, so that no key is lost.
 */
void sc_scan_page_keys_install (GtkWidget *page,
                                GtkWidget *entry);

G_END_DECLS
