/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-login-page.h"
#include "sc-scan-page.h"
#include "sc-types.h"
#include "sc-window.h"

G_BEGIN_DECLS

/* Test hooks. */

/* (nullable) until the cache is open. */
ScCounter        *sc_window_get_counter        (ScWindow *self);
ScScanPage       *sc_window_get_scan_page      (ScWindow *self);
ScLoginPage      *sc_window_get_login_page     (ScWindow *self);
/* "loading", "error", "login" or "main". */
const char       *sc_window_get_visible_page   (ScWindow *self);
/* "scan", "claims", "orders" or "report". */
const char       *sc_window_get_visible_pane   (ScWindow *self);
/* The header chip's words ("Online", "Offline · 2 unsynced"). */
const char       *sc_window_get_chip_text      (ScWindow *self);
/* "store · clerk" in the header. */
const char       *sc_window_get_session_text   (ScWindow *self);
/* (nullable): the "log in again" dialog while it is shown. */
AdwMessageDialog *sc_window_get_reauth_dialog  (ScWindow *self);
/* (nullable): its PIN entry. */
GtkEditable      *sc_window_get_reauth_entry   (ScWindow *self);
/* (nullable): the demo codes dialog while it is shown. */
GtkWindow        *sc_window_get_demo_dialog    (ScWindow *self);
/* (nullable): the Preferences window while it is shown. */
GtkWindow        *sc_window_get_preferences    (ScWindow *self);
/* The number of toasts added so far, and the title of the last one. */
guint             sc_window_get_n_toasts       (ScWindow *self);
const char       *sc_window_get_last_toast     (ScWindow *self);

/* What the window's capture-phase key controller does with each key press:
 * feeds the USB-scanner detector and, when a burst ends while the focus is
 * elsewhere, takes the burst's characters back out of the focused text
 * field and submits the code on the Scan page. Returns TRUE when it
 * consumed the key. */
gboolean          sc_window_handle_scanner_key (ScWindow *self,
                                                guint     keyval,
                                                gunichar  ch,
                                                guint32   time_ms);

G_END_DECLS
