/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-recent-item.h"

struct _ScRecentItem
{
  GObject  parent_instance;

  char    *code;           /* (owned) */
  char    *time;           /* (owned) */
  char    *redemption_id;  /* (owned) (nullable) */
  char    *label;          /* (owned) (nullable) */
  char    *icon_name;      /* (owned) (nullable) */
  char    *css_class;      /* (owned) (nullable) */
  gboolean undoable;
  guint    undo_timeout;   /* ends the undo window */
};

G_DEFINE_FINAL_TYPE (ScRecentItem, sc_recent_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_TIME,
  PROP_REDEMPTION_ID,
  PROP_LABEL,
  PROP_ICON_NAME,
  PROP_CSS_CLASS,
  PROP_UNDOABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

ScRecentItem *
sc_recent_item_new (const char *code,
                    const char *time,
                    const char *redemption_id)
{
  return g_object_new (SC_TYPE_RECENT_ITEM,
                       "code", code,
                       "time", time,
                       "redemption-id", redemption_id,
                       NULL);
}

const char *
sc_recent_item_get_code (ScRecentItem *self)
{
  g_return_val_if_fail (SC_IS_RECENT_ITEM (self), NULL);
  return self->code;
}

const char *
sc_recent_item_get_time (ScRecentItem *self)
{
  g_return_val_if_fail (SC_IS_RECENT_ITEM (self), NULL);
  return self->time;
}

const char *
sc_recent_item_get_redemption_id (ScRecentItem *self)
{
  g_return_val_if_fail (SC_IS_RECENT_ITEM (self), NULL);
  return self->redemption_id;
}

const char *
sc_recent_item_get_label (ScRecentItem *self)
{
  g_return_val_if_fail (SC_IS_RECENT_ITEM (self), NULL);
  return self->label;
}

const char *
sc_recent_item_get_icon_name (ScRecentItem *self)
{
  g_return_val_if_fail (SC_IS_RECENT_ITEM (self), NULL);
  return self->icon_name;
}

const char *
sc_recent_item_get_css_class (ScRecentItem *self)
{
  g_return_val_if_fail (SC_IS_RECENT_ITEM (self), NULL);
  return self->css_class;
}

static void
set_string (ScRecentItem *self,
            char        **field,
            const char   *value,
            int           prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
sc_recent_item_set_state (ScRecentItem *self,
                          const char   *label,
                          const char   *icon_name,
                          const char   *css_class)
{
  g_return_if_fail (SC_IS_RECENT_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->label, label, PROP_LABEL);
  set_string (self, &self->icon_name, icon_name, PROP_ICON_NAME);
  set_string (self, &self->css_class, css_class, PROP_CSS_CLASS);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
sc_recent_item_get_undoable (ScRecentItem *self)
{
  g_return_val_if_fail (SC_IS_RECENT_ITEM (self), FALSE);
  return self->undoable;
}

void
sc_recent_item_set_undoable (ScRecentItem *self,
                             gboolean      undoable)
{
  g_return_if_fail (SC_IS_RECENT_ITEM (self));

  if (!undoable)
    g_clear_handle_id (&self->undo_timeout, g_source_remove);
  if (self->undoable == !!undoable)
    return;
  self->undoable = !!undoable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDOABLE]);
}

static gboolean
undo_timeout_cb (gpointer user_data)
{
  ScRecentItem *self = user_data;

  self->undo_timeout = 0;
  sc_recent_item_set_undoable (self, FALSE);
  return G_SOURCE_REMOVE;
}

void
sc_recent_item_allow_undo (ScRecentItem *self,
                           int           window_s)
{
  g_return_if_fail (SC_IS_RECENT_ITEM (self));

  if (window_s <= 0)
    return;
  g_clear_handle_id (&self->undo_timeout, g_source_remove);
  /* The source holds no reference: dispose removes it. */
  self->undo_timeout = g_timeout_add_seconds ((guint) window_s, undo_timeout_cb, self);
  sc_recent_item_set_undoable (self, TRUE);
}

static void
sc_recent_item_dispose (GObject *object)
{
  ScRecentItem *self = SC_RECENT_ITEM (object);

  g_clear_handle_id (&self->undo_timeout, g_source_remove);

  G_OBJECT_CLASS (sc_recent_item_parent_class)->dispose (object);
}

static void
sc_recent_item_finalize (GObject *object)
{
  ScRecentItem *self = SC_RECENT_ITEM (object);

  g_free (self->code);
  g_free (self->time);
  g_free (self->redemption_id);
  g_free (self->label);
  g_free (self->icon_name);
  g_free (self->css_class);

  G_OBJECT_CLASS (sc_recent_item_parent_class)->finalize (object);
}

static void
sc_recent_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ScRecentItem *self = SC_RECENT_ITEM (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_TIME:
      g_value_set_string (value, self->time);
      break;
    case PROP_REDEMPTION_ID:
      g_value_set_string (value, self->redemption_id);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, self->icon_name);
      break;
    case PROP_CSS_CLASS:
      g_value_set_string (value, self->css_class);
      break;
    case PROP_UNDOABLE:
      g_value_set_boolean (value, self->undoable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_recent_item_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ScRecentItem *self = SC_RECENT_ITEM (object);

  switch (prop_id)
    {
    case PROP_CODE:
      self->code = g_value_dup_string (value);
      break;
    case PROP_TIME:
      self->time = g_value_dup_string (value);
      break;
    case PROP_REDEMPTION_ID:
      self->redemption_id = g_value_dup_string (value);
      break;
    case PROP_LABEL:
      set_string (self, &self->label, g_value_get_string (value), PROP_LABEL);
      break;
    case PROP_ICON_NAME:
      set_string (self, &self->icon_name, g_value_get_string (value), PROP_ICON_NAME);
      break;
    case PROP_CSS_CLASS:
      set_string (self, &self->css_class, g_value_get_string (value), PROP_CSS_CLASS);
      break;
    case PROP_UNDOABLE:
      sc_recent_item_set_undoable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_recent_item_class_init (ScRecentItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                G_PARAM_STATIC_STRINGS;
  const GParamFlags state = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sc_recent_item_dispose;
  object_class->finalize = sc_recent_item_finalize;
  object_class->get_property = sc_recent_item_get_property;
  object_class->set_property = sc_recent_item_set_property;

  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, "", construct);
  properties[PROP_TIME] = g_param_spec_string ("time", NULL, NULL, "", construct);
  properties[PROP_REDEMPTION_ID] = g_param_spec_string ("redemption-id", NULL, NULL, NULL,
                                                        construct);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, state);
  properties[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL, state);
  properties[PROP_CSS_CLASS] = g_param_spec_string ("css-class", NULL, NULL, NULL, state);
  properties[PROP_UNDOABLE] = g_param_spec_boolean ("undoable", NULL, NULL, FALSE, state);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sc_recent_item_init (ScRecentItem *self)
{
}
