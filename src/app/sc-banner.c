/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-banner.h"

/* One banner asked for by sc_banner_show. */
typedef struct
{
  char *id;
  char *text;
  char *button_label;  /* (nullable) */
  char *action_name;   /* (nullable) */
} BannerEntry;

static void
banner_entry_free (BannerEntry *entry)
{
  g_free (entry->id);
  g_free (entry->text);
  g_free (entry->button_label);
  g_free (entry->action_name);
  g_free (entry);
}

struct _ScBanner
{
  GtkWidget    parent_instance;

  GtkRevealer *revealer;  /* (owned) our one child */
  GtkLabel    *label;     /* (unowned) */
  GtkButton   *button;    /* (unowned) */
  GPtrArray   *queue;     /* (owned) (element-type BannerEntry) the newest one is shown */
};

G_DEFINE_FINAL_TYPE (ScBanner, sc_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_BUTTON_LABEL,
  PROP_ACTION_NAME,
  PROP_REVEALED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
sc_banner_new (void)
{
  return g_object_new (SC_TYPE_BANNER, NULL);
}

const char *
sc_banner_get_title (ScBanner *self)
{
  g_return_val_if_fail (SC_IS_BANNER (self), NULL);
  return gtk_label_get_text (self->label);
}

void
sc_banner_set_title (ScBanner   *self,
                     const char *title)
{
  g_return_if_fail (SC_IS_BANNER (self));

  if (g_strcmp0 (title, gtk_label_get_text (self->label)) == 0)
    return;
  gtk_label_set_text (self->label, title != NULL ? title : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
sc_banner_get_button_label (ScBanner *self)
{
  g_return_val_if_fail (SC_IS_BANNER (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->button)))
    return NULL;
  return gtk_button_get_label (self->button);
}

void
sc_banner_set_button_label (ScBanner   *self,
                            const char *label)
{
  g_return_if_fail (SC_IS_BANNER (self));

  if (label != NULL && *label == '\0')
    label = NULL;
  if (g_strcmp0 (label, sc_banner_get_button_label (self)) == 0)
    return;
  gtk_button_set_label (self->button, label);
  gtk_widget_set_visible (GTK_WIDGET (self->button), label != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUTTON_LABEL]);
}

const char *
sc_banner_get_action_name (ScBanner *self)
{
  g_return_val_if_fail (SC_IS_BANNER (self), NULL);
  return gtk_actionable_get_action_name (GTK_ACTIONABLE (self->button));
}

void
sc_banner_set_action_name (ScBanner   *self,
                           const char *action_name)
{
  g_return_if_fail (SC_IS_BANNER (self));

  if (g_strcmp0 (action_name, sc_banner_get_action_name (self)) == 0)
    return;
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), action_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION_NAME]);
}

gboolean
sc_banner_get_revealed (ScBanner *self)
{
  g_return_val_if_fail (SC_IS_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

void
sc_banner_set_revealed (ScBanner *self,
                        gboolean  revealed)
{
  g_return_if_fail (SC_IS_BANNER (self));

  revealed = !!revealed;
  if (revealed == gtk_revealer_get_reveal_child (self->revealer))
    return;
  gtk_revealer_set_reveal_child (self->revealer, revealed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

GtkWidget *
sc_banner_get_button (ScBanner *self)
{
  g_return_val_if_fail (SC_IS_BANNER (self), NULL);
  return GTK_WIDGET (self->button);
}

/* ---- the queue ---- */

static void
show_top (ScBanner *self)
{
  const BannerEntry *entry;

  if (self->queue->len == 0)
    {
      sc_banner_set_revealed (self, FALSE);
      return;
    }
  entry = g_ptr_array_index (self->queue, self->queue->len - 1);
  sc_banner_set_title (self, entry->text);
  sc_banner_set_button_label (self, entry->button_label);
  sc_banner_set_action_name (self, entry->action_name);
  sc_banner_set_revealed (self, TRUE);
}

static guint
find_entry (ScBanner   *self,
            const char *id)
{
  for (guint i = 0; i < self->queue->len; i++)
    {
      const BannerEntry *entry = g_ptr_array_index (self->queue, i);

      if (g_strcmp0 (entry->id, id) == 0)
        return i;
    }
  return G_MAXUINT;
}

void
sc_banner_show (ScBanner   *self,
                const char *id,
                const char *text,
                const char *button_label,
                const char *action_name)
{
  BannerEntry *entry;
  guint index;

  g_return_if_fail (SC_IS_BANNER (self));
  g_return_if_fail (id != NULL && text != NULL);

  index = find_entry (self, id);
  if (index != G_MAXUINT)
    {
      /* Updated in place: it keeps its turn. */
      entry = g_ptr_array_index (self->queue, index);
      g_free (entry->text);
      g_free (entry->button_label);
      g_free (entry->action_name);
    }
  else
    {
      entry = g_new0 (BannerEntry, 1);
      entry->id = g_strdup (id);
      g_ptr_array_add (self->queue, entry);
    }
  entry->text = g_strdup (text);
  entry->button_label = g_strdup (button_label);
  entry->action_name = g_strdup (action_name);
  show_top (self);
}

void
sc_banner_hide (ScBanner   *self,
                const char *id)
{
  guint index;

  g_return_if_fail (SC_IS_BANNER (self));
  g_return_if_fail (id != NULL);

  index = find_entry (self, id);
  if (index == G_MAXUINT)
    return;
  g_ptr_array_remove_index (self->queue, index);
  show_top (self);
}

/* ---- GObject ---- */

static void
sc_banner_dispose (GObject *object)
{
  ScBanner *self = SC_BANNER (object);

  if (self->revealer != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->revealer));
  self->revealer = NULL;

  G_OBJECT_CLASS (sc_banner_parent_class)->dispose (object);
}

static void
sc_banner_finalize (GObject *object)
{
  ScBanner *self = SC_BANNER (object);

  g_clear_pointer (&self->queue, g_ptr_array_unref);

  G_OBJECT_CLASS (sc_banner_parent_class)->finalize (object);
}

static void
sc_banner_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ScBanner *self = SC_BANNER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, sc_banner_get_title (self));
      break;
    case PROP_BUTTON_LABEL:
      g_value_set_string (value, sc_banner_get_button_label (self));
      break;
    case PROP_ACTION_NAME:
      g_value_set_string (value, sc_banner_get_action_name (self));
      break;
    case PROP_REVEALED:
      g_value_set_boolean (value, sc_banner_get_revealed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_banner_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ScBanner *self = SC_BANNER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      sc_banner_set_title (self, g_value_get_string (value));
      break;
    case PROP_BUTTON_LABEL:
      sc_banner_set_button_label (self, g_value_get_string (value));
      break;
    case PROP_ACTION_NAME:
      sc_banner_set_action_name (self, g_value_get_string (value));
      break;
    case PROP_REVEALED:
      sc_banner_set_revealed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_banner_class_init (ScBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_banner_dispose;
  object_class->finalize = sc_banner_finalize;
  object_class->get_property = sc_banner_get_property;
  object_class->set_property = sc_banner_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUTTON_LABEL] =
    g_param_spec_string ("button-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION_NAME] =
    g_param_spec_string ("action-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "banner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sc_banner_init (ScBanner *self)
{
  GtkWidget *box;
  GtkWidget *icon;

  self->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) banner_entry_free);
  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (GTK_WIDGET (self->revealer), GTK_WIDGET (self));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "sc-banner");
  gtk_revealer_set_child (self->revealer, box);

  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (icon, TRUE);
  gtk_widget_set_halign (icon, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), icon);

  self->label = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_wrap (self->label, TRUE);
  /* One line when there is room, wrapped when there is not. */
  gtk_label_set_natural_wrap_mode (self->label, GTK_NATURAL_WRAP_NONE);
  gtk_label_set_xalign (self->label, 0.0f);
  gtk_widget_set_valign (GTK_WIDGET (self->label), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "heading");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));

  self->button = GTK_BUTTON (gtk_button_new ());
  gtk_button_set_use_underline (self->button, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (GTK_WIDGET (self->button), TRUE);
  gtk_widget_set_halign (GTK_WIDGET (self->button), GTK_ALIGN_START);
  gtk_widget_set_visible (GTK_WIDGET (self->button), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->button));
}
