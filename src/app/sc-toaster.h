/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/**
 * ScToaster: the one way to the window's toast overlay, with the guards
 * libadwaita 1.2 needs (see docs/architecture.md):
 *   - every toast has normal priority: the overlay aborts when a
 *     high-priority toast is dismissed while the toast it pushed aside is
 *     still hiding (adw-toast-overlay.c, show_toast);
 *   - a toast is dismissed only once it has been on screen for 600 ms
 *     (sc_toaster_dismiss): the overlay frees a toast whose hide animation
 *     (300 ms) ends before its show animation (500 ms when it replaced
 *     another) and then crashes at the end of that show animation.
 *
 * Property "shown" (boolean, read-only): a toast added here is not yet
 * dismissed. Signal "added" (AdwToast): a toast went on the overlay.
 */

#define SC_TYPE_TOASTER (sc_toaster_get_type ())
G_DECLARE_FINAL_TYPE (ScToaster, sc_toaster, SC, TOASTER, GObject)

/* @overlay: (unowned) it outlives the toaster (the window owns both). */
ScToaster  *sc_toaster_new            (AdwToastOverlay *overlay);
/* Shows @toast (not taken: the toaster adds its own reference). */
void        sc_toaster_add            (ScToaster       *self,
                                       AdwToast        *toast);
/* A plain toast with @text for 5 s. */
void        sc_toaster_add_text       (ScToaster       *self,
                                       const char      *text);
/* Dismisses @toast at once, or when it came on screen less than 600 ms ago,
 * as soon as that has passed. A toast still waiting in the queue goes at
 * once. The state is on the toast: no toaster needed. */
void        sc_toaster_dismiss        (AdwToast        *toast);

gboolean    sc_toaster_get_shown      (ScToaster       *self);

G_END_DECLS
