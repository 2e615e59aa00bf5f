/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Keeps the words that must not be split (a translatable list: in Chinese
 * the word for a USB barcode scanner, 扫码枪) on one line when @label wraps:
 * Pango may break Chinese text between any two characters. Follows later
 * changes of the label's text. */
void sc_label_keep_words_whole (GtkLabel *label);

G_END_DECLS
