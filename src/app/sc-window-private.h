/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-banner.h"
#include "sc-login-page.h"
#include "sc-scan-page.h"
#include "sc-scan-router.h"
#include "sc-types.h"
#include "sc-window.h"

G_BEGIN_DECLS

/* The banner under the header bar, for anything the clerk should act on
 * (conflicts, clock skew…). Each has an @id; showing an id again updates
 * it in place; the newest one shown is on screen until hidden, then the
 * one before it. @button_label (with a mnemonic, nullable: no button)
 * activates @action_name (nullable), e.g. "window.review-conflicts". */
void              sc_window_show_banner        (ScWindow   *self,
                                                const char *id,
                                                const char *text,
                                                const char *button_label,
                                                const char *action_name);
void              sc_window_hide_banner        (ScWindow   *self,
                                                const char *id);

/* Shows how old the codes list (the manifest) is as of @now (unix s); the
 * window calls it each minute with the real time, tests with another. */
void              sc_window_update_freshness   (ScWindow   *self,
                                                gint64      now);

/* Test hooks. */

ScBanner         *sc_window_get_banner         (ScWindow *self);
/* (nullable): the conflicts dialog while it is shown. */
GtkWindow        *sc_window_get_conflicts_dialog (ScWindow *self);
/* "Codes list: 3 min ago", whether it has the warning style, its tooltip. */
const char       *sc_window_get_freshness_text (ScWindow *self);
gboolean          sc_window_get_freshness_warning (ScWindow *self);
const char       *sc_window_get_freshness_tooltip (ScWindow *self);
const char       *sc_window_get_chip_tooltip   (ScWindow *self);

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
ScScanRouter     *sc_window_get_scan_router    (ScWindow *self);
gboolean          sc_window_handle_scanner_key (ScWindow *self,
                                                guint     keyval,
                                                gunichar  ch,
                                                guint32   time_ms);

G_END_DECLS
