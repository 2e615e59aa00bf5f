/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-scan-page.h"
#include "sc-scan-page-undo-private.h"
#include "sc-toaster.h"

#define ID_KEY      "sc-redemption-id"

/* Without an undo window, the toast only tells what happened. */
#define PLAIN_TIMEOUT_S 5

gboolean
sc_scan_page_undo_possible (const ScRedemption *r)
{
  switch (r->state)
    {
    case SC_REDEMPTION_STATE_PENDING:
    case SC_REDEMPTION_STATE_UNCERTAIN:
    case SC_REDEMPTION_STATE_SYNCED:
      return TRUE;
    case SC_REDEMPTION_STATE_CONFLICT:
    case SC_REDEMPTION_STATE_REJECTED:
    case SC_REDEMPTION_STATE_WITHDRAWN:
    case SC_REDEMPTION_STATE_REVERSED:
    default:
      return FALSE;
    }
}

static char *
toast_title (const ScRedemption *r)
{
  if (r->state == SC_REDEMPTION_STATE_SYNCED)
    /* Translators: toast after a redemption, with the code */
    return g_strdup_printf (_("Redeemed %s"), r->code);

  /* Translators: toast after a redemption saved while the platform is away */
  return g_strdup_printf (_("Saved %s, will sync"), r->code);
}

AdwToast *
sc_scan_page_undo_toast_new (const ScRedemption *r,
                             int                 window_s)
{
  g_autofree char *title = toast_title (r);
  AdwToast *toast = adw_toast_new (title);

  g_object_set_data_full (G_OBJECT (toast), ID_KEY, g_strdup (r->id), g_free);
  if (window_s > 0)
    {
      /* AdwToast counts whole seconds in a guint; 0 would mean "forever". */
      adw_toast_set_timeout (toast, (guint) window_s);
      adw_toast_set_button_label (toast, _("_Undo"));
    }
  else
    {
      adw_toast_set_timeout (toast, PLAIN_TIMEOUT_S);
    }
  return toast;
}

const char *
sc_scan_page_undo_toast_get_id (AdwToast *toast)
{
  return g_object_get_data (G_OBJECT (toast), ID_KEY);
}

void
sc_scan_page_undo_toast_update (AdwToast           *toast,
                                const ScRedemption *r)
{
  g_autofree char *title = NULL;

  if (g_strcmp0 (sc_scan_page_undo_toast_get_id (toast), r->id) != 0)
    return;

  if (!sc_scan_page_undo_possible (r))
    {
      sc_toaster_dismiss (toast);
      return;
    }
  title = toast_title (r);
  /* The toast's widget shows its title as it changes. */
  adw_toast_set_title (toast, title);
}
