/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-scan-page-keys-private.h"

static gboolean
takes_text (GtkWidget *widget)
{
  return GTK_IS_EDITABLE (widget) || GTK_IS_TEXT_VIEW (widget);
}

static gboolean
page_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkWidget             *entry)
{
  GtkWidget *page = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (page);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gunichar ch = gdk_keyval_to_unicode (keyval);
  char text[8] = { 0 };
  int position;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;
  if (ch == 0 || !g_unichar_isprint (ch) || g_unichar_isspace (ch))
    return FALSE;
  if (focus == NULL || takes_text (focus) || !gtk_widget_is_ancestor (focus, page) ||
      !gtk_widget_is_sensitive (entry))
    return FALSE;

  gtk_entry_grab_focus_without_selecting (GTK_ENTRY (entry));
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
  focus = gtk_root_get_focus (root);
  /* The entry's own handling (input method included) types the key. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, entry) &&
      gtk_event_controller_key_forward (controller, focus))
    return TRUE;

  g_unichar_to_utf8 (ch, text);
  position = -1;
  gtk_editable_insert_text (GTK_EDITABLE (entry), text, -1, &position);
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
  return TRUE;
}

void
sc_scan_page_keys_install (GtkWidget *page,
                           GtkWidget *entry)
{
  GtkEventController *controller;
  GtkShortcutController *shortcuts;
  GtkShortcut *shortcut;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (GTK_IS_ENTRY (entry));

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (shortcuts),
                                              GTK_PHASE_CAPTURE);
  shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Primary>z"),
                               gtk_named_action_new ("scan.undo"));
  gtk_shortcut_controller_add_shortcut (shortcuts, shortcut);
  gtk_widget_add_controller (page, GTK_EVENT_CONTROLLER (shortcuts));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (page_key_pressed_cb), entry, 0);
  gtk_widget_add_controller (page, controller);
}
