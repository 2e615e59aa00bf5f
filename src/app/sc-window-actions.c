/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScWindow's actions and their keyboard shortcuts (DESIGN §9): log out,
 * About, Preferences, the demo codes, the conflicts, and the Scan page's
 * undo, focus, clear and pane switching. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-conflicts-dialog.h"
#include "sc-counter.h"
#include "sc-demo-codes-dialog.h"
#include "sc-preferences-window.h"
#include "sc-window-private.h"

/* ---- actions ---- */

static void
clear_session_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sc_session_store_clear_finish (SC_SESSION_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot forget the saved session: %s", error->message);
}

static void
logout_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);

  if (self->counter == NULL)
    return;
  sc_session_store_clear_async (self->session_store, self->platform_url, NULL,
                                clear_session_cb, NULL);
  sc_counter_logout (self->counter);
  sc_scan_page_reset (self->scan_page);
  sc_window_show_login (self);
}

static void
about_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  static const char *developers[] = { "Store Counter contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", widget,
                        "modal", TRUE,
                        "application-name", _("Store Counter"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here */
                        "translator-credits", _("translator-credits"),
                        "comments", _("Check and redeem pickup codes, coupons and prize "
                                      "vouchers at the counter."),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
demo_code_chosen_cb (ScWindow   *self,
                     const char *payload)
{
  if (self->demo_dialog != NULL)
    gtk_window_close (self->demo_dialog);
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  sc_scan_page_submit (self->scan_page, payload, "keyboard");
}

static void
demo_dialog_destroyed_cb (ScWindow *self)
{
  self->demo_dialog = NULL;
}

static void
demo_codes_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);
  ScApplication *app;
  GtkWidget *dialog;

  if (self->admin_token == NULL)
    return;
  if (self->demo_dialog != NULL)
    {
      gtk_window_present (self->demo_dialog);
      return;
    }

  app = SC_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  dialog = sc_demo_codes_dialog_new (GTK_WINDOW (self), app, self->platform_url,
                                     self->admin_token);
  g_signal_connect_object (dialog, "code-chosen", G_CALLBACK (demo_code_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (demo_dialog_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  self->demo_dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_destroyed_cb (ScWindow *self)
{
  self->preferences = NULL;
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);
  GtkWidget *preferences;

  if (self->preferences != NULL)
    {
      gtk_window_present (self->preferences);
      return;
    }

  preferences = sc_preferences_window_new (GTK_WINDOW (self), self->platform_url,
                                           self->camera_override);
  sc_preferences_window_set_session_store (SC_PREFERENCES_WINDOW (preferences),
                                           self->session_store);
  g_signal_connect_object (preferences, "destroy", G_CALLBACK (preferences_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  self->preferences = GTK_WINDOW (preferences);
  gtk_window_present (GTK_WINDOW (preferences));
  /* Not the address field, whose text a stray key would replace: Tab
   * starts from the top. */
  gtk_window_set_focus (GTK_WINDOW (preferences), NULL);
}

static gboolean
logged_in (ScWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0;
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);

  if (logged_in (self))
    sc_scan_page_undo (self->scan_page, NULL);
}

/* The Scan page, brought to the front, when logged in (F2, Esc). */
static ScScanPage *
show_scan_page (GtkWidget *widget)
{
  ScWindow *self = SC_WINDOW (widget);

  if (!logged_in (self))
    return NULL;
  adw_view_stack_set_visible_child_name (self->view_stack, "scan");
  return self->scan_page;
}

static void
focus_entry_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ScScanPage *page = show_scan_page (widget);

  if (page != NULL)
    sc_scan_page_focus_entry (page);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ScScanPage *page = show_scan_page (widget);

  if (page != NULL)
    sc_scan_page_clear (page);
}

static void
pane_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  static const char *panes[] = { "scan", "claims", "orders", "report" };
  ScWindow *self = SC_WINDOW (widget);
  int index = g_variant_get_int32 (parameter);

  if (!logged_in (self) || index < 1 || index > (int) G_N_ELEMENTS (panes))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, panes[index - 1]);
  if (index == 1)
    sc_scan_page_focus_entry (self->scan_page);
}

/* ---- conflicts ---- */

static void
conflicts_dialog_destroyed_cb (ScWindow *self)
{
  self->conflicts_dialog = NULL;
}

static void
review_conflicts_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ScWindow *self = SC_WINDOW (widget);
  GtkWidget *dialog;

  if (self->counter == NULL || sc_counter_get_session (self->counter) == NULL)
    return;
  if (self->conflicts_dialog != NULL)
    {
      gtk_window_present (self->conflicts_dialog);
      return;
    }

  dialog = sc_conflicts_dialog_new (GTK_WINDOW (self), self->counter);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (conflicts_dialog_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  self->conflicts_dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
sc_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "window.logout", NULL, logout_action);
  gtk_widget_class_install_action (widget_class, "window.about", NULL, about_action);
  gtk_widget_class_install_action (widget_class, "window.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "window.demo-codes", NULL, demo_codes_action);
  gtk_widget_class_install_action (widget_class, "window.review-conflicts", NULL,
                                   review_conflicts_action);
  gtk_widget_class_install_action (widget_class, "window.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "window.focus-entry", NULL, focus_entry_action);
  gtk_widget_class_install_action (widget_class, "window.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "window.pane", "i", pane_action);
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *accelerator,
              const char            *action,
              GVariant              *args)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerator),
                                            gtk_named_action_new (action));

  if (args != NULL)
    gtk_shortcut_set_arguments (shortcut, args);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

void
sc_window_add_shortcuts (ScWindow *self)
{
  GtkShortcutController *shortcuts;

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_LOCAL);
  add_shortcut (shortcuts, "F2", "window.focus-entry", NULL);
  add_shortcut (shortcuts, "<Primary>z", "window.undo", NULL);
  add_shortcut (shortcuts, "Escape", "window.clear", NULL);
  add_shortcut (shortcuts, "<Primary>comma", "window.preferences", NULL);
  add_shortcut (shortcuts, "<Primary>1", "window.pane", g_variant_new_int32 (1));
  add_shortcut (shortcuts, "<Primary>2", "window.pane", g_variant_new_int32 (2));
  add_shortcut (shortcuts, "<Primary>3", "window.pane", g_variant_new_int32 (3));
  add_shortcut (shortcuts, "<Primary>4", "window.pane", g_variant_new_int32 (4));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));
}

void
sc_window_close_dialogs (ScWindow *self)
{
  if (self->demo_dialog != NULL)
    gtk_window_destroy (self->demo_dialog);
  self->demo_dialog = NULL;
  if (self->conflicts_dialog != NULL)
    gtk_window_destroy (self->conflicts_dialog);
  self->conflicts_dialog = NULL;
  if (self->preferences != NULL)
    gtk_window_destroy (self->preferences);
  self->preferences = NULL;
}
