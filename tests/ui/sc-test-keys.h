/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Real key presses for the UI tests: through the X server (XTest), so that
 * they take GTK's whole event path — X focus, grabs, the focused widget's
 * own key handling, the window's controllers — as a keyboard or a USB
 * scanner would. Needs the X11 backend (Xvfb). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The server time between two keys a person types (more than the scanner's
 * 50 ms burst interval). */
#define SC_TEST_KEYS_TYPING_MS 150

/* Gives @widget's window the X input focus, as a window manager does for a
 * window it maps or a click on it (Xvfb has none). */
void     sc_test_keys_focus_window (GtkWidget       *widget);
/* After letting the main loop run for @delay_ms, presses and releases
 * @keyval (with @modifiers held) on the window that has the X focus (or the
 * keyboard grab) and waits until the server has sent the events. The test then waits for their
 * effect (SC_TEST_WAIT_FOR). */
void     sc_test_keys_press        (guint            keyval,
                                    GdkModifierType  modifiers,
                                    guint            delay_ms);
/* @text's characters as keys, each after @gap_ms of main loop (0: a burst,
 * as fast as the server takes them). */
void     sc_test_keys_type         (const char      *text,
                                    guint            gap_ms);
/* What a USB scanner sends: @code as a burst, then Return (after a pause
 * longer than the burst interval, as a scan never follows a typed key closer). */
void     sc_test_keys_scan         (const char      *code);

G_END_DECLS
