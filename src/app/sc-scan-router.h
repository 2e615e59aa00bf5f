/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-scanner-input.h"

G_BEGIN_DECLS

/**
 * ScScanRouter: sends what a USB scanner "types" to the visible pane when
 * it is an ScScanTarget, else to the Scan page, whatever has the keyboard.
 *
 * The window feeds the keys of its own widgets (sc_scan_router_key); the
 * router watches the rest itself: the popovers of the window's menu buttons
 * and every window shown transient for it (Preferences, the PIN dialog, the
 * conflicts and demo-codes dialogs, the shortcuts window, About). Their keys
 * go to the same ScScannerInput. A completed burst is taken back out of the
 * field it was typed into, and its terminator (Enter, Tab) is eaten, so it
 * never answers a dialog or activates a menu item. Then:
 *   - from the main window or one of its menus: the menu closes and the
 *     visible pane takes the code (ScScanTarget), or the Scan page does;
 *   - from another window (a modal dialog): the code is held (the last one
 *     scanned), the dialog or the window says so, and it is checked once no
 *     such window is open and nothing holds it (sc_scan_router_hold()).
 * Nothing is routed while the login page shows.
 */

#define SC_TYPE_SCAN_ROUTER (sc_scan_router_get_type ())
G_DECLARE_FINAL_TYPE (ScScanRouter, sc_scan_router, SC, SCAN_ROUTER, GObject)

/* @window: the ScWindow (unowned: it owns the router). */
ScScanRouter *sc_scan_router_new            (GtkWindow      *window,
                                             ScScannerInput *scanner);
/* One key that reached @focus (the focused widget of the window or popover
 * the key came to, nullable); TRUE when it completed a scan (eat it). */
gboolean      sc_scan_router_key            (ScScanRouter   *self,
                                             GtkWidget      *focus,
                                             guint           keyval,
                                             gunichar        ch,
                                             guint32         time_ms);
/* Holds scanned codes back until as many releases (the PIN dialog's login
 * under way: a code checked before it answers would ask for the PIN again). */
void          sc_scan_router_hold           (ScScanRouter   *self);
void          sc_scan_router_release        (ScScanRouter   *self);
/* (nullable): the code waiting for the dialogs to close. */
const char   *sc_scan_router_get_held_code  (ScScanRouter   *self);
/* (nullable): what the router last told the clerk. */
const char   *sc_scan_router_get_notice     (ScScanRouter   *self);

G_END_DECLS
