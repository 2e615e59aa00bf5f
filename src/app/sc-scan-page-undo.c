/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-scan-page.h"
#include "sc-scan-page-undo-private.h"

#define ID_KEY      "sc-redemption-id"
#define ADDED_KEY   "sc-toast-added"
#define SHOWN_KEY   "sc-toast-shown-at"
#define PENDING_KEY "sc-toast-dismiss-pending"

/* Longer than the 500 ms libadwaita 1.2 shows a toast that replaces one. */
#define SETTLE_MS 600

/* Without an undo window, the toast only tells what happened. */
#define PLAIN_TIMEOUT_S 5

static void
overlay_children_changed_cb (GListModel *children,
                             guint       position,
                             guint       removed,
                             guint       added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GObject) child = g_list_model_get_item (children, i);
      g_autoptr(AdwToast) toast = NULL;
      gint64 *at;

      /* AdwToastWidget (private) has a "toast" property. */
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "toast") == NULL)
        continue;
      g_object_get (child, "toast", &toast, NULL);
      if (toast == NULL || g_object_get_data (G_OBJECT (toast), ADDED_KEY) == NULL)
        continue;
      at = g_new (gint64, 1);
      *at = g_get_monotonic_time ();
      g_object_set_data_full (G_OBJECT (toast), SHOWN_KEY, at, g_free);
    }
}

GListModel *
sc_scan_page_toast_watch (GtkWidget *overlay)
{
  GListModel *children = gtk_widget_observe_children (overlay);

  g_signal_connect (children, "items-changed", G_CALLBACK (overlay_children_changed_cb), NULL);
  return children;
}

void
sc_scan_page_toast_added (AdwToast *toast)
{
  g_object_set_data (G_OBJECT (toast), ADDED_KEY, GUINT_TO_POINTER (1));
}

static gboolean
dismiss_later_cb (gpointer user_data)
{
  adw_toast_dismiss (ADW_TOAST (user_data));
  return G_SOURCE_REMOVE;
}

void
sc_scan_page_toast_dismiss (AdwToast *toast)
{
  const gint64 *shown = g_object_get_data (G_OBJECT (toast), SHOWN_KEY);
  gint64 age_ms = shown != NULL ? (g_get_monotonic_time () - *shown) / 1000 : SETTLE_MS;

  if (age_ms >= SETTLE_MS)
    {
      adw_toast_dismiss (toast);
      return;
    }
  if (g_object_get_data (G_OBJECT (toast), PENDING_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (toast), PENDING_KEY, GUINT_TO_POINTER (1));
  g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (SETTLE_MS - MAX (age_ms, 0)),
                      dismiss_later_cb, g_object_ref (toast), g_object_unref);
}

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
      sc_scan_page_toast_dismiss (toast);
      return;
    }
  title = toast_title (r);
  /* The toast's widget shows its title as it changes. */
  adw_toast_set_title (toast, title);
}
