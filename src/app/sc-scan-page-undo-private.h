/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-redemption.h"

G_BEGIN_DECLS

/*
 * The undo of a redemption on the Scan page (issue 10, row 8): its toast and
 * the Undo button of its history row (ScRecentItem "undoable"). Both live for the undo window of
 * their redemption and follow its state: "Saved, will sync" becomes
 * "Redeemed" when sync reaches the platform; once it cannot be undone
 * (undone, refused, window over) the toast goes and the button hides.
 * The page dismisses the toast when the next code is checked; the row's
 * button and Ctrl+Z still undo it.
 */

/* TRUE while @r may still be undone (saved, uncertain or synced). */
gboolean    sc_scan_page_undo_possible        (const ScRedemption *r);

/* The toast after @r: "Redeemed <code>" or "Saved <code>, will sync", with
 * an Undo button for @window_s seconds (the session's undo window), or a
 * short one without when @window_s is 0. Normal priority: libadwaita 1.2
 * aborts when a high-priority toast is dismissed while the toast it pushed
 * back is still hiding (adw-toast-overlay.c, show_toast). */
AdwToast   *sc_scan_page_undo_toast_new       (const ScRedemption *r,
                                               int                 window_s);
/* (nullable) the redemption id of an undo toast. */
const char *sc_scan_page_undo_toast_get_id    (AdwToast           *toast);
/* The toast's words follow @r (same id); it is dismissed when @r cannot be
 * undone any more (sc_toaster_dismiss). */
void        sc_scan_page_undo_toast_update    (AdwToast           *toast,
                                               const ScRedemption *r);

G_END_DECLS
