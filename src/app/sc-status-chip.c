/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-counter.h"
#include "sc-status-chip.h"

struct _ScStatusChip
{
  GtkWidget  parent_instance;

  /* template */
  GtkImage  *icon;
  GtkLabel  *label;

  ScCounter *counter;        /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (ScStatusChip, sc_status_chip, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COUNTER,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One line per clerk whose redemptions wait here for them to log in. */
static void
append_waiting_tooltip (ScStatusChip *self,
                        GString      *tooltip)
{
  GPtrArray *owners = sc_counter_get_waiting_owners (self->counter);
  const ScSession *session = sc_counter_get_session (self->counter);

  for (guint i = 0; owners != NULL && i < owners->len; i++)
    {
      const ScOutboxOwner *owner = g_ptr_array_index (owners, i);
      const char *store = owner->store_id != NULL ? owner->store_id : "?";
      const char *clerk = owner->clerk_id != NULL ? owner->clerk_id : "?";

      g_string_append_c (tooltip, '\n');
      if (owner->platform_id == NULL || session == NULL || session->platform_id == NULL ||
          g_strcmp0 (owner->platform_id, session->platform_id) == 0)
        g_string_append_printf (tooltip,
                                /* Translators: a count, a clerk's id, a store's id */
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%u redemption by clerk %s of store %s waits for "
                                             "them to log in here: only they can send it.",
                                             "%u redemptions by clerk %s of store %s wait for "
                                             "them to log in here: only they can send them.",
                                             owner->count),
                                owner->count, clerk, store);
      else
        g_string_append_printf (tooltip,
                                /* Translators: a count, a clerk's id, a store's id */
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%u redemption by clerk %s of store %s was made "
                                             "with another platform: it waits for them to log "
                                             "in here with that platform.",
                                             "%u redemptions by clerk %s of store %s were made "
                                             "with another platform: they wait for them to log "
                                             "in here with that platform.",
                                             owner->count),
                                owner->count, clerk, store);
    }
}

/* "Online · 3 unsynced · 2 waiting for another clerk" */
static char *
dup_text (gboolean online,
          guint    unsynced,
          guint    waiting)
{
  g_autofree char *text = g_strdup (online ? _("Online") : _("Offline"));

  if (unsynced > 0)
    {
      g_autofree char *count = NULL;
      g_autofree char *chip = g_steal_pointer (&text);

      /* Translators: redemptions saved at the counter, not yet sent */
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unsynced", "%u unsynced",
                                            unsynced),
                               unsynced);
      /* Translators: header chip, "Online · 3 unsynced" */
      text = g_strdup_printf (_("%s · %s"), chip, count);
    }
  if (waiting > 0)
    {
      g_autofree char *count = NULL;
      g_autofree char *chip = g_steal_pointer (&text);

      /* Translators: redemptions saved at the counter by another clerk (or
       * store, or with another platform): only they can send them */
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u waiting for another clerk",
                                            "%u waiting for another clerk", waiting),
                               waiting);
      /* Translators: header chip, "Online · 2 waiting for another clerk" */
      text = g_strdup_printf (_("%s · %s"), chip, count);
    }
  return g_steal_pointer (&text);
}

static void
update_tooltip (ScStatusChip *self,
                gboolean      online,
                guint         unsynced)
{
  g_autoptr(GString) tooltip = g_string_new (NULL);

  if (online)
    g_string_append (tooltip, _("Online: codes are checked with the platform."));
  else
    g_string_append (tooltip, _("Offline: the platform cannot be reached. Pickup codes are "
                                "checked against this counter’s codes list; coupons and "
                                "prize vouchers need the network."));
  if (unsynced > 0)
    {
      g_string_append_c (tooltip, '\n');
      g_string_append_printf (tooltip,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u redemption is saved here but not sent yet: "
                                           "it is sent by itself when the platform answers.",
                                           "%u redemptions are saved here but not sent yet: "
                                           "they are sent by themselves when the platform "
                                           "answers.",
                                           unsynced),
                              unsynced);
    }
  append_waiting_tooltip (self, tooltip);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip->str);
}

static void
update (ScStatusChip *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autofree char *text = NULL;
  gboolean online;
  guint unsynced;
  guint waiting;

  if (self->counter == NULL)
    return;

  online = sc_counter_get_online (self->counter);
  /* The outbox: this clerk's own, and what waits for another clerk, store
   * or platform (never sent by this session). */
  waiting = sc_counter_get_waiting (self->counter);
  unsynced = sc_counter_get_unsynced (self->counter);
  unsynced = unsynced > waiting ? unsynced - waiting : 0;

  text = dup_text (online, unsynced, waiting);
  if (g_strcmp0 (text, gtk_label_get_text (self->label)) != 0)
    {
      gtk_label_set_text (self->label, text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
    }
  update_tooltip (self, online, unsynced);
  gtk_image_set_from_icon_name (self->icon, online ? "network-transmit-receive-symbolic"
                                                   : "network-offline-symbolic");
  gtk_widget_remove_css_class (widget, online ? "offline" : "online");
  gtk_widget_add_css_class (widget, online ? "online" : "offline");
}

ScCounter *
sc_status_chip_get_counter (ScStatusChip *self)
{
  g_return_val_if_fail (SC_IS_STATUS_CHIP (self), NULL);
  return self->counter;
}

void
sc_status_chip_set_counter (ScStatusChip *self,
                            ScCounter    *counter)
{
  static const char *const signals[] = {
    "notify::online", "notify::unsynced", "notify::waiting", "notify::session",
  };

  g_return_if_fail (SC_IS_STATUS_CHIP (self));
  g_return_if_fail (counter == NULL || SC_IS_COUNTER (counter));

  if (self->counter == counter)
    return;
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_func (self->counter, update, self);
  g_set_object (&self->counter, counter);
  for (guint i = 0; counter != NULL && i < G_N_ELEMENTS (signals); i++)
    g_signal_connect_object (counter, signals[i], G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTER]);
}

const char *
sc_status_chip_get_text (ScStatusChip *self)
{
  g_return_val_if_fail (SC_IS_STATUS_CHIP (self), NULL);
  return gtk_label_get_text (self->label);
}

static void
sc_status_chip_dispose (GObject *object)
{
  ScStatusChip *self = SC_STATUS_CHIP (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SC_TYPE_STATUS_CHIP);
  g_clear_object (&self->counter);

  G_OBJECT_CLASS (sc_status_chip_parent_class)->dispose (object);
}

static void
sc_status_chip_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ScStatusChip *self = SC_STATUS_CHIP (object);

  switch (prop_id)
    {
    case PROP_COUNTER:
      g_value_set_object (value, self->counter);
      break;
    case PROP_TEXT:
      g_value_set_string (value, sc_status_chip_get_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_status_chip_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ScStatusChip *self = SC_STATUS_CHIP (object);

  switch (prop_id)
    {
    case PROP_COUNTER:
      sc_status_chip_set_counter (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_status_chip_class_init (ScStatusChipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_status_chip_dispose;
  object_class->get_property = sc_status_chip_get_property;
  object_class->set_property = sc_status_chip_set_property;

  properties[PROP_COUNTER] =
    g_param_spec_object ("counter", NULL, NULL, SC_TYPE_COUNTER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-status-chip.ui");
  gtk_widget_class_bind_template_child (widget_class, ScStatusChip, icon);
  gtk_widget_class_bind_template_child (widget_class, ScStatusChip, label);
  /* As the GtkBox it replaces. */
  gtk_widget_class_set_css_name (widget_class, "box");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sc_status_chip_init (ScStatusChip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
