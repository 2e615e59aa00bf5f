/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-counter.h"
#include "sc-freshness.h"
#include "sc-time.h"

/* Past a day the list warns. */
#define STALE_MANIFEST_S (24 * 60 * 60)

struct _ScFreshness
{
  GtkWidget  parent_instance;

  /* template */
  GtkImage  *icon;
  GtkLabel  *label;

  ScCounter *counter;     /* (owned) (nullable) */
  gint64     cached_at;
  guint      timer_id;    /* each minute: "3 min ago" stays true */
};

G_DEFINE_FINAL_TYPE (ScFreshness, sc_freshness, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COUNTER,
  PROP_CACHED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
sc_freshness_update (ScFreshness *self,
                     gint64       now)
{
  gint64 fetched_at;
  gint64 age;
  gboolean stale;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  g_return_if_fail (SC_IS_FRESHNESS (self));

  if (self->counter == NULL)
    return;

  fetched_at = MAX (sc_counter_get_manifest_fetched_at (self->counter), self->cached_at);
  age = MAX (now - fetched_at, 0);
  stale = fetched_at <= 0 || age >= STALE_MANIFEST_S;

  /* Short words under the chip; the whole story in the tooltip. */
  if (fetched_at <= 0)
    {
      /* Translators: under the online chip: the list of today's pickup
       * orders (for offline checks) was never downloaded */
      text = g_strdup (_("No codes list"));
      tooltip = g_strdup (_("This counter has no list of today’s orders yet: connect to "
                            "update. Without it, pickup codes cannot be checked offline."));
    }
  else if (stale)
    {
      guint hours = (guint) MIN (age / 3600, G_MAXUINT);

      /* Translators: under the online chip, "Codes list 26 h old" */
      text = g_strdup_printf (_("Codes list %u h old"), hours);
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Codes list is %u hour old: connect to update. "
                                              "Without the network, pickup codes are checked "
                                              "against this list of today’s orders; codes "
                                              "redeemed elsewhere since may still pass here.",
                                              "Codes list is %u hours old: connect to update. "
                                              "Without the network, pickup codes are checked "
                                              "against this list of today’s orders; codes "
                                              "redeemed elsewhere since may still pass here.",
                                              hours),
                                 hours);
    }
  else
    {
      g_autofree char *when = NULL;

      if (age < 60)
        /* Translators: how long ago the codes list was updated */
        when = g_strdup (_("just now"));
      else if (age < 3600)
        /* Translators: how long ago the codes list was updated, "3 min ago" */
        when = g_strdup_printf (_("%u min ago"), (guint) (age / 60));
      else
        /* Translators: how long ago the codes list was updated, "3 h ago" */
        when = g_strdup_printf (_("%u h ago"), (guint) (age / 3600));

      /* Translators: under the online chip, "Codes list: 3 min ago" */
      text = g_strdup_printf (_("Codes list: %s"), when);
      /* Translators: tooltip; %s is "just now", "3 min ago", "3 h ago" */
      tooltip = g_strdup_printf (_("Codes list updated %s. Without the network, pickup codes "
                                   "are checked against this list of today’s orders; it is "
                                   "updated every 5 minutes while online."),
                                 when);
    }

  gtk_label_set_text (self->label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), stale);
  if (stale)
    gtk_widget_add_css_class (GTK_WIDGET (self), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "warning");
}

static void
update_now (ScFreshness *self)
{
  sc_freshness_update (self, sc_time_now_unix ());
}

static gboolean
timer_cb (gpointer user_data)
{
  update_now (SC_FRESHNESS (user_data));
  return G_SOURCE_CONTINUE;
}

void
sc_freshness_set_counter (ScFreshness *self,
                          ScCounter   *counter)
{
  g_return_if_fail (SC_IS_FRESHNESS (self));
  g_return_if_fail (counter == NULL || SC_IS_COUNTER (counter));

  if (self->counter == counter)
    return;
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_func (self->counter, update_now, self);
  g_set_object (&self->counter, counter);
  if (counter != NULL)
    g_signal_connect_object (counter, "notify::manifest-fetched-at", G_CALLBACK (update_now),
                             self, G_CONNECT_SWAPPED);
  update_now (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTER]);
}

void
sc_freshness_set_cached_at (ScFreshness *self,
                            gint64       cached_at)
{
  g_return_if_fail (SC_IS_FRESHNESS (self));

  /* Shown again even when unchanged: a new session asks anew. */
  self->cached_at = cached_at;
  update_now (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHED_AT]);
}

const char *
sc_freshness_get_text (ScFreshness *self)
{
  g_return_val_if_fail (SC_IS_FRESHNESS (self), NULL);
  return gtk_label_get_text (self->label);
}

gboolean
sc_freshness_get_warning (ScFreshness *self)
{
  g_return_val_if_fail (SC_IS_FRESHNESS (self), FALSE);
  return gtk_widget_has_css_class (GTK_WIDGET (self), "warning");
}

static void
sc_freshness_dispose (GObject *object)
{
  ScFreshness *self = SC_FRESHNESS (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SC_TYPE_FRESHNESS);
  g_clear_object (&self->counter);

  G_OBJECT_CLASS (sc_freshness_parent_class)->dispose (object);
}

static void
sc_freshness_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ScFreshness *self = SC_FRESHNESS (object);

  switch (prop_id)
    {
    case PROP_COUNTER:
      g_value_set_object (value, self->counter);
      break;
    case PROP_CACHED_AT:
      g_value_set_int64 (value, self->cached_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_freshness_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ScFreshness *self = SC_FRESHNESS (object);

  switch (prop_id)
    {
    case PROP_COUNTER:
      sc_freshness_set_counter (self, g_value_get_object (value));
      break;
    case PROP_CACHED_AT:
      sc_freshness_set_cached_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_freshness_class_init (ScFreshnessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_freshness_dispose;
  object_class->get_property = sc_freshness_get_property;
  object_class->set_property = sc_freshness_set_property;

  properties[PROP_COUNTER] =
    g_param_spec_object ("counter", NULL, NULL, SC_TYPE_COUNTER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CACHED_AT] =
    g_param_spec_int64 ("cached-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, SC_RESOURCE_PATH "/sc-freshness.ui");
  gtk_widget_class_bind_template_child (widget_class, ScFreshness, icon);
  gtk_widget_class_bind_template_child (widget_class, ScFreshness, label);
  /* As the GtkBox it replaces. */
  gtk_widget_class_set_css_name (widget_class, "box");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sc_freshness_init (ScFreshness *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The timer holds no reference: dispose removes it. */
  self->timer_id = g_timeout_add_seconds (60, timer_cb, self);
}
