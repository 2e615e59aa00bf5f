/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-recent-row.h"

struct _ScRecentRow
{
  GtkListBoxRow parent_instance;

  /* Template children (unowned). */
  GtkWidget    *box;
  GtkWidget    *time_label;
  GtkWidget    *code_label;
  GtkWidget    *icon;
  GtkWidget    *status_label;
  GtkWidget    *undo_button;

  ScRecentItem *item;        /* (owned) */
  char         *css_class;   /* (owned) (nullable) the one on the box now */
};

G_DEFINE_FINAL_TYPE (ScRecentRow, sc_recent_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A screen reader reads the row as one sentence: the code, its state and
 * when. */
static void
update_name (ScRecentRow *self)
{
  g_autofree char *name = NULL;

  /* Translators: accessible name of a row of the last verifications:
   * "<code>: <state>, <time>", e.g. "123456789012: Redeemed, 10:42:07" */
  name = g_strdup_printf (_("%1$s: %2$s, %3$s"), gtk_label_get_text (GTK_LABEL (self->code_label)),
                          gtk_label_get_text (GTK_LABEL (self->status_label)),
                          gtk_label_get_text (GTK_LABEL (self->time_label)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
item_state_cb (ScRecentRow *self)
{
  const char *css_class = sc_recent_item_get_css_class (self->item);
  const char *label = sc_recent_item_get_label (self->item);

  if (g_strcmp0 (self->css_class, css_class) != 0)
    {
      if (self->css_class != NULL)
        gtk_widget_remove_css_class (self->box, self->css_class);
      g_free (self->css_class);
      self->css_class = g_strdup (css_class);
      if (css_class != NULL)
        gtk_widget_add_css_class (self->box, css_class);
    }
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), sc_recent_item_get_icon_name (self->item));
  gtk_label_set_text (GTK_LABEL (self->status_label), label != NULL ? label : "");
  gtk_widget_set_visible (self->undo_button, sc_recent_item_get_undoable (self->item));
  update_name (self);
}

static void
set_item (ScRecentRow  *self,
          ScRecentItem *item)
{
  const char *id;

  g_return_if_fail (SC_IS_RECENT_ITEM (item));

  self->item = g_object_ref (item);
  gtk_label_set_text (GTK_LABEL (self->time_label), sc_recent_item_get_time (item));
  gtk_label_set_text (GTK_LABEL (self->code_label), sc_recent_item_get_code (item));
  id = sc_recent_item_get_redemption_id (item);
  if (id != NULL)
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->undo_button), "s", id);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->undo_button), "scan.undo-redemption");
    }
  g_signal_connect_object (item, "notify", G_CALLBACK (item_state_cb), self, G_CONNECT_SWAPPED);
  item_state_cb (self);
}

GtkWidget *
sc_recent_row_new (ScRecentItem *item)
{
  return g_object_new (SC_TYPE_RECENT_ROW, "item", item, NULL);
}

ScRecentItem *
sc_recent_row_get_item (ScRecentRow *self)
{
  g_return_val_if_fail (SC_IS_RECENT_ROW (self), NULL);
  return self->item;
}

static void
sc_recent_row_dispose (GObject *object)
{
  ScRecentRow *self = SC_RECENT_ROW (object);

  g_clear_object (&self->item);

  G_OBJECT_CLASS (sc_recent_row_parent_class)->dispose (object);
}

static void
sc_recent_row_finalize (GObject *object)
{
  ScRecentRow *self = SC_RECENT_ROW (object);

  g_free (self->css_class);

  G_OBJECT_CLASS (sc_recent_row_parent_class)->finalize (object);
}

static void
sc_recent_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ScRecentRow *self = SC_RECENT_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_recent_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ScRecentRow *self = SC_RECENT_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_recent_row_class_init (ScRecentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_recent_row_dispose;
  object_class->finalize = sc_recent_row_finalize;
  object_class->get_property = sc_recent_row_get_property;
  object_class->set_property = sc_recent_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, SC_TYPE_RECENT_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-recent-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ScRecentRow, box);
  gtk_widget_class_bind_template_child (widget_class, ScRecentRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, ScRecentRow, code_label);
  gtk_widget_class_bind_template_child (widget_class, ScRecentRow, icon);
  gtk_widget_class_bind_template_child (widget_class, ScRecentRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ScRecentRow, undo_button);
}

static void
sc_recent_row_init (ScRecentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
