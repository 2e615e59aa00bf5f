/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-banner.h"
#include "sc-freshness.h"
#include "sc-login-page.h"
#include "sc-reauth-dialog.h"
#include "sc-scan-page.h"
#include "sc-scan-router.h"
#include "sc-scanner-input.h"
#include "sc-session-store.h"
#include "sc-status-chip.h"
#include "sc-toaster.h"
#include "sc-types.h"
#include "sc-window.h"

G_BEGIN_DECLS

/* What sc-window.c and sc-window-actions.c share. */
struct _ScWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  GtkWidget            *session_label;
  ScStatusChip         *chip;
  ScFreshness          *freshness;
  ScBanner             *banner;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  ScLoginPage          *login_page;
  AdwViewStack         *view_stack;
  ScScanPage           *scan_page;

  /* construct-only */
  char                 *platform_url;   /* (owned) */
  char                 *db_path;        /* (owned) (nullable) */
  char                 *admin_token;    /* (owned) (nullable) */

  GSettings            *settings;       /* (owned) */
  GCancellable         *cancellable;    /* (owned) cancelled in dispose */
  ScCounter            *counter;        /* (owned) (nullable) until the application opened
                                         * it */
  ScSessionStore       *session_store;  /* (owned) the application's */
  ScScannerInput       *scanner;        /* (owned) */
  ScScanRouter         *router;         /* (owned) where the scanner's codes go */
  ScToaster            *toaster;        /* (owned) every toast of the window */

  /* --login: credentials to use once the cache is open */
  char                 *pending_store;  /* (owned) (nullable) */
  char                 *pending_clerk;  /* (owned) (nullable) */
  char                 *pending_pin;    /* (owned) (nullable) */
  gboolean              scripted_login; /* logged in by sc_window_log_in (--login with the
                                         * PIN on stdin): that session is not saved */

  ScReauthDialog       *reauth_dialog;  /* (unowned) (nullable) while it asks */
  GtkWindow            *demo_dialog;    /* (unowned) (nullable) */
  GtkWindow            *conflicts_dialog; /* (unowned) (nullable) */
  GtkWindow            *preferences;    /* (unowned) (nullable) while shown */

  /* The Scan page's camera (sc_window_start_camera). */
  gboolean              camera_started;
  char                 *camera_override;  /* (owned) (nullable) --camera, wins over settings */
  char                 *camera_spec;      /* (owned) (nullable) the spec in use; NULL: off */

  gboolean              keyring_warned;
};

/* sc-window.c, for the actions (log out): shows the login page. */
void              sc_window_show_login         (ScWindow   *self);

/* sc-window-actions.c: the window's actions ("window.logout", "window.about",
 * "window.preferences", "window.demo-codes", "window.review-conflicts",
 * "window.undo", "window.focus-entry", "window.clear", "window.pane") and
 * their keyboard shortcuts. */
void              sc_window_class_add_actions  (GtkWidgetClass *widget_class);
void              sc_window_add_shortcuts      (ScWindow   *self);
/* Closes the dialogs the actions opened (dispose). */
void              sc_window_close_dialogs      (ScWindow   *self);

/* sc-window-input.c: the scan router with the scanner settings, the
 * window's key controller that feeds it, and the camera settings. */
void              sc_window_add_inputs         (ScWindow   *self);

/* (nullable): the visible pane of the view stack, which takes the codes a
 * scanner reads when it is an ScScanTarget. */
GtkWidget        *sc_window_get_pane           (ScWindow   *self);

/* Test hooks. */


ScScanPage       *sc_window_get_scan_page      (ScWindow *self);
/* "loading", "error", "login" or "main". */
const char       *sc_window_get_visible_page   (ScWindow *self);

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
