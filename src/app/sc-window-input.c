/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where ScWindow's codes come from besides typing: a USB scanner's keys,
 * whichever widget, menu or dialog has the keyboard (ScScanRouter), and the
 * Scan page's camera, following the settings. */
#include "config.h"

#include "sc-window-private.h"

/* ---- USB scanner ---- */

gboolean
sc_window_handle_scanner_key (ScWindow *self,
                              guint     keyval,
                              gunichar  ch,
                              guint32   time_ms)
{
  g_return_val_if_fail (SC_IS_WINDOW (self), FALSE);

  return sc_scan_router_key (self->router, gtk_root_get_focus (GTK_ROOT (self)), keyval, ch,
                             time_ms);
}

ScScanRouter *
sc_window_get_scan_router (ScWindow *self)
{
  g_return_val_if_fail (SC_IS_WINDOW (self), NULL);

  return self->router;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ScWindow              *self)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;
  return sc_window_handle_scanner_key (self, keyval, gdk_keyval_to_unicode (keyval),
                                       gtk_event_controller_get_current_event_time (
                                         GTK_EVENT_CONTROLLER (controller)));
}

/* What the router tells the clerk (a code held while a dialog is open). */
static void
router_toast_cb (ScWindow *self,
                 AdwToast *toast)
{
  sc_toaster_add (self->toaster, toast);
}

static void
apply_scanner_settings (ScWindow *self)
{
  g_autofree char *prefix = g_settings_get_string (self->settings, "scanner-prefix");
  g_autofree char *suffix = g_settings_get_string (self->settings, "scanner-suffix");

  sc_scanner_input_set_prefix (self->scanner, prefix);
  sc_scanner_input_set_suffix (self->scanner, suffix);
  sc_scanner_input_set_max_interval (self->scanner,
                                     g_settings_get_uint (self->settings,
                                                          "scanner-max-interval-ms"));
}

/* ---- camera ---- */

/* The camera spec from the settings: NULL when off, "" for the first
 * /dev/video*. */
static char *
dup_settings_camera_spec (ScWindow *self)
{
  if (!g_settings_get_boolean (self->settings, "camera-enabled"))
    return NULL;
  return g_settings_get_string (self->settings, "camera-device");
}

static void
apply_camera_settings (ScWindow *self)
{
  g_autofree char *spec = NULL;

  if (!self->camera_started || self->camera_override != NULL)
    return;
  spec = dup_settings_camera_spec (self);
  if (g_strcmp0 (spec, self->camera_spec) == 0)
    return;
  g_free (self->camera_spec);
  self->camera_spec = g_steal_pointer (&spec);
  sc_scan_page_set_camera_spec (self->scan_page, self->camera_spec);
}

void
sc_window_start_camera (ScWindow   *self,
                        const char *override)
{
  g_return_if_fail (SC_IS_WINDOW (self));

  self->camera_started = TRUE;
  g_clear_pointer (&self->camera_override, g_free);
  g_clear_pointer (&self->camera_spec, g_free);
  if (override != NULL)
    {
      self->camera_override = g_strdup (override);
      self->camera_spec = g_str_equal (override, "off") ? NULL : g_strdup (override);
    }
  else
    self->camera_spec = dup_settings_camera_spec (self);
  sc_scan_page_set_camera_spec (self->scan_page, self->camera_spec);
}

void
sc_window_add_inputs (ScWindow *self)
{
  GtkEventController *controller;

  g_signal_connect_object (self->settings, "changed::camera-enabled",
                           G_CALLBACK (apply_camera_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::camera-device",
                           G_CALLBACK (apply_camera_settings), self, G_CONNECT_SWAPPED);

  /* The codes of a scanner, whichever menu or dialog has the keyboard. */
  self->router = sc_scan_router_new (GTK_WINDOW (self), self->scanner);
  g_signal_connect_object (self->router, "show-toast", G_CALLBACK (router_toast_cb), self,
                           G_CONNECT_SWAPPED);
  apply_scanner_settings (self);
  g_signal_connect_object (self->settings, "changed::scanner-prefix",
                           G_CALLBACK (apply_scanner_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::scanner-suffix",
                           G_CALLBACK (apply_scanner_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::scanner-max-interval-ms",
                           G_CALLBACK (apply_scanner_settings), self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
