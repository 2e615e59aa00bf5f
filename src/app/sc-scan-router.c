/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-scan-page.h"
#include "sc-scan-router.h"
#include "sc-scan-target.h"
#include "sc-window-private.h"

struct _ScScanRouter
{
  GObject         parent_instance;

  GtkWindow      *window;        /* (unowned) it owns us */
  ScScannerInput *scanner;       /* (owned) shared with the window */
  GListModel     *toplevels;     /* (owned) gtk_window_get_toplevels () */
  char           *held_code;     /* (owned) (nullable) */
  char           *notice;        /* (owned) (nullable) */
  guint           n_holds;

  /* The field a burst may be typing into, as it was before the burst's
   * first key (whose typing may have replaced a selection). */
  GWeakRef        snap_field;
  char           *snap_text;     /* (owned) (nullable) */
  int             snap_position;
  guint           deliver_id;    /* idle: deliver the held code */
};

G_DEFINE_FINAL_TYPE (ScScanRouter, sc_scan_router, G_TYPE_OBJECT)

enum {
  SHOW_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Set on a widget whose keys the router already watches. */
#define WATCHED_KEY "sc-scan-router-watched"

static gboolean
logged_in (ScScanRouter *self)
{
  return g_strcmp0 (sc_window_get_visible_page (SC_WINDOW (self->window)), "main") == 0;
}

static gboolean
is_dialog_of (ScScanRouter *self,
              GtkWindow    *window)
{
  return window != self->window && gtk_window_get_transient_for (window) == self->window;
}

/* Whether a window of ours (a dialog) is shown over the main one. */
static gboolean
dialog_open (ScScanRouter *self)
{
  guint n = g_list_model_get_n_items (self->toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (self->toplevels, i);

      if (is_dialog_of (self, window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TRUE;
    }
  return FALSE;
}

static void
deliver (ScScanRouter *self,
         const char   *code)
{
  GtkWidget *pane = sc_window_get_pane (SC_WINDOW (self->window));
  ScScanPage *page = sc_window_get_scan_page (SC_WINDOW (self->window));

  /* The visible pane when it takes codes; else the Scan page, its entry
   * focused. */
  if (pane != NULL && SC_IS_SCAN_TARGET (pane) &&
      sc_scan_target_take_code (SC_SCAN_TARGET (pane), code, "scanner"))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self->window), "window.pane", "i", 1);
  sc_scan_target_take_code (SC_SCAN_TARGET (page), code, "scanner");
}

static gboolean
deliver_held_cb (gpointer data)
{
  ScScanRouter *self = data;
  g_autofree char *code = NULL;

  self->deliver_id = 0;
  if (self->held_code == NULL || self->n_holds > 0 || dialog_open (self))
    return G_SOURCE_REMOVE;

  code = g_steal_pointer (&self->held_code);
  if (logged_in (self))
    deliver (self, code);
  return G_SOURCE_REMOVE;
}

/* From an idle: a dialog's "response" handler may hold the code (the PIN
 * dialog's login) after the dialog is gone. */
static void
queue_deliver (ScScanRouter *self)
{
  if (self->held_code != NULL && self->deliver_id == 0)
    self->deliver_id = g_idle_add (deliver_held_cb, self);
}

static void
tell (ScScanRouter *self,
      GtkWidget    *source)
{
  g_autoptr(AdwToast) toast = NULL;

  if (ADW_IS_PREFERENCES_WINDOW (source))
    /* Translators: toast in Preferences when a USB scanner read a code */
    self->notice = g_strdup (_("Code scanned: it will be checked when you close Preferences"));
  else
    /* Translators: toast when a USB scanner read a code while a dialog is open */
    self->notice = g_strdup (_("Code scanned: it will be checked when this dialog closes"));

  toast = adw_toast_new (self->notice);
  if (ADW_IS_PREFERENCES_WINDOW (source))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (source), g_steal_pointer (&toast));
  else
    g_signal_emit (self, signals[SHOW_TOAST], 0, toast);
}

/* A hidden field (a PIN) is not copied: a burst is deleted from it instead. */
static gboolean
is_secret (GtkWidget *focus)
{
  return GTK_IS_TEXT (focus) && !gtk_text_get_visibility (GTK_TEXT (focus));
}

static void
clear_snapshot (ScScanRouter *self)
{
  g_weak_ref_set (&self->snap_field, NULL);
  g_clear_pointer (&self->snap_text, g_free);
}

/* Before a key that may start a burst reaches @focus. */
static void
take_snapshot (ScScanRouter *self,
               GtkWidget    *focus)
{
  clear_snapshot (self);
  if (focus == NULL || !GTK_IS_EDITABLE (focus) || is_secret (focus))
    return;
  g_weak_ref_set (&self->snap_field, focus);
  self->snap_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (focus)));
  self->snap_position = gtk_editable_get_position (GTK_EDITABLE (focus));
}

/* The burst "typed" into @editable: take it back out. */
static void
take_back (ScScanRouter *self,
           GtkEditable  *editable,
           guint         pending)
{
  g_autoptr(GtkWidget) field = g_weak_ref_get (&self->snap_field);

  if (field == GTK_WIDGET (editable) && self->snap_text != NULL)
    {
      if (g_strcmp0 (gtk_editable_get_text (editable), self->snap_text) != 0)
        gtk_editable_set_text (editable, self->snap_text);
      gtk_editable_set_position (editable, self->snap_position);
    }
  else if (pending > 0)
    {
      int end = gtk_editable_get_position (editable);
      int start = MAX (0, end - (int) pending);

      gtk_editable_delete_text (editable, start, end);
    }
}

/* @source: the main window, a popover of it or a dialog. */
static gboolean
route_key (ScScanRouter *self,
           GtkWidget    *source,
           GtkWidget    *focus,
           guint         keyval,
           gunichar      ch,
           guint32       time_ms)
{
  g_autofree char *payload = NULL;
  GtkWidget *entry;
  guint pending;

  if (!logged_in (self))
    return FALSE;

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_Tab &&
      keyval != GDK_KEY_ISO_Left_Tab && (ch == 0 || !g_unichar_isprint (ch)))
    keyval = 0;  /* neither text nor a terminator: the detector ignores it */

  pending = sc_scanner_input_get_pending (self->scanner);
  if (!sc_scanner_input_feed (self->scanner, keyval, ch, time_ms, &payload))
    {
      if (keyval != 0 && sc_scanner_input_get_pending (self->scanner) == 1)
        take_snapshot (self, focus);  /* this key may start a burst */
      return FALSE;
    }

  entry = sc_scan_page_get_entry (sc_window_get_scan_page (SC_WINDOW (self->window)));
  if (focus != NULL && focus != entry && !gtk_widget_is_ancestor (focus, entry) &&
      GTK_IS_EDITABLE (focus))
    take_back (self, GTK_EDITABLE (focus), pending);
  clear_snapshot (self);

  if (GTK_IS_POPOVER (source))
    gtk_popover_popdown (GTK_POPOVER (source));

  if ((GTK_IS_WINDOW (source) && is_dialog_of (self, GTK_WINDOW (source))) ||
      self->n_holds > 0 || dialog_open (self))
    {
      g_free (self->held_code);
      self->held_code = g_steal_pointer (&payload);
      g_clear_pointer (&self->notice, g_free);
      tell (self, source);
      return TRUE;
    }

  deliver (self, payload);
  return TRUE;
}

gboolean
sc_scan_router_key (ScScanRouter *self,
                    GtkWidget    *focus,
                    guint         keyval,
                    gunichar      ch,
                    guint32       time_ms)
{
  g_return_val_if_fail (SC_IS_SCAN_ROUTER (self), FALSE);

  return route_key (self, GTK_WIDGET (self->window), focus, keyval, ch, time_ms);
}

static gboolean
watched_key_pressed_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        ScScanRouter          *self)
{
  GtkWidget *source = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (source);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gunichar ch = gdk_keyval_to_unicode (keyval);

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;
  if (route_key (self, source, focus, keyval, ch,
                 gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller))))
    return TRUE;

  /* The rest of a burst is not for a menu: a letter would pick the item it
   * underlines. (The first key cannot be told from a person's.) */
  if (GTK_IS_POPOVER (source) && ch != 0 && g_unichar_isprint (ch) &&
      sc_scanner_input_get_pending (self->scanner) >= 2)
    return TRUE;
  return FALSE;
}

static void
watch (ScScanRouter *self,
       GtkWidget    *widget)
{
  GtkEventController *controller;

  if (widget == NULL || g_object_get_data (G_OBJECT (widget), WATCHED_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (widget), WATCHED_KEY, GINT_TO_POINTER (TRUE));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (watched_key_pressed_cb), self,
                           0);
  gtk_widget_add_controller (widget, controller);
}

static void
watch_menus (ScScanRouter *self,
             GtkWidget    *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_MENU_BUTTON (child))
        watch (self, GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (child))));
      else
        watch_menus (self, child);
    }
}

static void
window_visible_cb (GtkWindow    *window,
                   GParamSpec   *pspec,
                   ScScanRouter *self)
{
  if (!is_dialog_of (self, window))
    return;
  if (gtk_widget_get_visible (GTK_WIDGET (window)))
    watch (self, GTK_WIDGET (window));
  else
    queue_deliver (self);
}

static void
toplevels_changed_cb (GListModel   *toplevels,
                      guint         position,
                      guint         removed,
                      guint         added,
                      ScScanRouter *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window == self->window)
        continue;
      /* Transient-for is set after the window is made: look when it shows. */
      g_signal_connect_object (window, "notify::visible", G_CALLBACK (window_visible_cb), self,
                               0);
      window_visible_cb (window, NULL, self);
    }
  if (removed > 0)
    queue_deliver (self);
}

void
sc_scan_router_hold (ScScanRouter *self)
{
  g_return_if_fail (SC_IS_SCAN_ROUTER (self));

  self->n_holds++;
}

void
sc_scan_router_release (ScScanRouter *self)
{
  g_return_if_fail (SC_IS_SCAN_ROUTER (self));
  g_return_if_fail (self->n_holds > 0);

  self->n_holds--;
  queue_deliver (self);
}

const char *
sc_scan_router_get_held_code (ScScanRouter *self)
{
  g_return_val_if_fail (SC_IS_SCAN_ROUTER (self), NULL);

  return self->held_code;
}

const char *
sc_scan_router_get_notice (ScScanRouter *self)
{
  g_return_val_if_fail (SC_IS_SCAN_ROUTER (self), NULL);

  return self->notice;
}

static void
sc_scan_router_dispose (GObject *object)
{
  ScScanRouter *self = SC_SCAN_ROUTER (object);

  g_clear_handle_id (&self->deliver_id, g_source_remove);
  if (self->toplevels != NULL)
    g_signal_handlers_disconnect_by_func (self->toplevels, toplevels_changed_cb, self);
  g_clear_object (&self->toplevels);
  g_clear_object (&self->scanner);
  clear_snapshot (self);

  G_OBJECT_CLASS (sc_scan_router_parent_class)->dispose (object);
}

static void
sc_scan_router_finalize (GObject *object)
{
  ScScanRouter *self = SC_SCAN_ROUTER (object);

  g_free (self->held_code);
  g_free (self->notice);
  g_weak_ref_clear (&self->snap_field);

  G_OBJECT_CLASS (sc_scan_router_parent_class)->finalize (object);
}

static void
sc_scan_router_class_init (ScScanRouterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sc_scan_router_dispose;
  object_class->finalize = sc_scan_router_finalize;

  /* A toast for the main window. */
  signals[SHOW_TOAST] =
    g_signal_new ("show-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);
}

static void
sc_scan_router_init (ScScanRouter *self)
{
  g_weak_ref_init (&self->snap_field, NULL);
}

ScScanRouter *
sc_scan_router_new (GtkWindow      *window,
                    ScScannerInput *scanner)
{
  ScScanRouter *self;

  g_return_val_if_fail (SC_IS_WINDOW (window), NULL);
  g_return_val_if_fail (SC_IS_SCANNER_INPUT (scanner), NULL);

  self = g_object_new (SC_TYPE_SCAN_ROUTER, NULL);
  self->window = window;
  self->scanner = g_object_ref (scanner);
  watch_menus (self, GTK_WIDGET (window));

  self->toplevels = g_object_ref (gtk_window_get_toplevels ());
  g_signal_connect (self->toplevels, "items-changed", G_CALLBACK (toplevels_changed_cb), self);
  toplevels_changed_cb (self->toplevels, 0, 0, g_list_model_get_n_items (self->toplevels), self);
  return self;
}
