/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-toaster.h"

#define ADDED_KEY   "sc-toast-added"
#define SHOWN_KEY   "sc-toast-shown-at"
#define PENDING_KEY "sc-toast-dismiss-pending"

/* Longer than the 500 ms libadwaita 1.2 shows a toast that replaces one. */
#define SETTLE_MS 600

struct _ScToaster
{
  GObject          parent_instance;

  AdwToastOverlay *overlay;      /* (unowned) */
  GListModel      *children;     /* (owned) the overlay's, to see toasts come on screen */
  guint            n_live;       /* added and not yet dismissed */
};

G_DEFINE_FINAL_TYPE (ScToaster, sc_toaster, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SHOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Notes when a toast of ours comes on screen (for sc_toaster_dismiss). */
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

static void
toast_dismissed_cb (AdwToast  *toast,
                    ScToaster *self)
{
  if (self->n_live > 0 && --self->n_live == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN]);
}

void
sc_toaster_add (ScToaster *self,
                AdwToast  *toast)
{
  g_return_if_fail (SC_IS_TOASTER (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_NORMAL);
  g_object_set_data (G_OBJECT (toast), ADDED_KEY, GUINT_TO_POINTER (1));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  if (self->n_live++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN]);
  adw_toast_overlay_add_toast (self->overlay, g_object_ref (toast));
  g_signal_emit (self, signals[SIGNAL_ADDED], 0, toast);
}

void
sc_toaster_add_text (ScToaster  *self,
                     const char *text)
{
  g_autoptr(AdwToast) toast = NULL;

  g_return_if_fail (SC_IS_TOASTER (self));
  g_return_if_fail (text != NULL);

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  sc_toaster_add (self, toast);
}

static gboolean
dismiss_later_cb (gpointer user_data)
{
  adw_toast_dismiss (ADW_TOAST (user_data));
  return G_SOURCE_REMOVE;
}

void
sc_toaster_dismiss (AdwToast *toast)
{
  const gint64 *shown;
  gint64 age_ms;

  g_return_if_fail (ADW_IS_TOAST (toast));

  shown = g_object_get_data (G_OBJECT (toast), SHOWN_KEY);
  age_ms = shown != NULL ? (g_get_monotonic_time () - *shown) / 1000 : SETTLE_MS;
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
sc_toaster_get_shown (ScToaster *self)
{
  g_return_val_if_fail (SC_IS_TOASTER (self), FALSE);
  return self->n_live > 0;
}

static void
sc_toaster_dispose (GObject *object)
{
  ScToaster *self = SC_TOASTER (object);

  if (self->children != NULL)
    g_signal_handlers_disconnect_by_func (self->children, overlay_children_changed_cb, NULL);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (sc_toaster_parent_class)->dispose (object);
}

static void
sc_toaster_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ScToaster *self = SC_TOASTER (object);

  switch (prop_id)
    {
    case PROP_SHOWN:
      g_value_set_boolean (value, sc_toaster_get_shown (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_toaster_class_init (ScToasterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sc_toaster_dispose;
  object_class->get_property = sc_toaster_get_property;

  properties[PROP_SHOWN] =
    g_param_spec_boolean ("shown", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ScToaster::added:
   * @toast: the toast just put on the overlay
   */
  signals[SIGNAL_ADDED] =
    g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);
}

static void
sc_toaster_init (ScToaster *self)
{
}

ScToaster *
sc_toaster_new (AdwToastOverlay *overlay)
{
  ScToaster *self;

  g_return_val_if_fail (ADW_IS_TOAST_OVERLAY (overlay), NULL);

  self = g_object_new (SC_TYPE_TOASTER, NULL);
  self->overlay = overlay;
  self->children = gtk_widget_observe_children (GTK_WIDGET (overlay));
  g_signal_connect (self->children, "items-changed", G_CALLBACK (overlay_children_changed_cb),
                    NULL);
  return self;
}
