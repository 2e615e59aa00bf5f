/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-keyring-row.h"
#include "sc-a11y.h"
#include "sc-keyring.h"

struct _ScKeyringRow
{
  AdwActionRow    parent_instance;

  ScSessionStore *store;    /* (owned) */
  GtkWidget      *button;   /* (unowned) */
  char           *failure;  /* (owned) (nullable) why the last save did not happen */
  gboolean        busy;     /* the keyring's prompt may be open */
};

G_DEFINE_FINAL_TYPE (ScKeyringRow, sc_keyring_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_SESSION_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (ScKeyringRow *self)
{
  gboolean locked = sc_session_store_get_locked (self->store);
  const char *subtitle;

  if (self->busy)
    /* Translators: the keyring's password window is open; a USB scanner
     * would type into it */
    subtitle = _("Waiting for the keyring’s password window. Scan nothing until it is closed.");
  else if (locked && self->failure != NULL)
    subtitle = self->failure;
  else if (locked)
    subtitle = _("Kept in memory until you quit — the keyring is locked");
  else if (sc_session_store_get_available (self->store))
    subtitle = _("Kept in the keyring: you stay logged in after a restart");
  else
    subtitle = _("Kept in memory until you quit — no keyring on this computer");

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_widget_set_visible (self->button, locked);
  gtk_widget_set_sensitive (self->button, !self->busy);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ScKeyringRow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  g_clear_pointer (&self->failure, g_free);
  if (!sc_session_store_save_to_keyring_finish (SC_SESSION_STORE (object), result, &error))
    {
      if (g_error_matches (error, SC_KEYRING_ERROR, SC_KEYRING_ERROR_NOT_UNLOCKED))
        self->failure = g_strdup (_("Not saved: the keyring was not unlocked. "
                                    "Kept in memory until you quit."));
      else
        /* Translators: %s says why the session could not be saved */
        self->failure = g_strdup_printf (_("Not saved: %s Kept in memory until you quit."),
                                         error->message);
    }
  update (self);
}

static void
save_clicked_cb (ScKeyringRow *self)
{
  if (self->busy)
    return;
  self->busy = TRUE;
  update (self);
  /* Not cancelled with the row: the prompt, once open, is the clerk's. */
  sc_session_store_save_to_keyring_async (self->store, NULL, saved_cb, g_object_ref (self));
}

static void
sc_keyring_row_constructed (GObject *object)
{
  ScKeyringRow *self = (ScKeyringRow *) object;

  G_OBJECT_CLASS (sc_keyring_row_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "notify::available", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::locked", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);
}

static void
sc_keyring_row_finalize (GObject *object)
{
  ScKeyringRow *self = (ScKeyringRow *) object;

  g_clear_object (&self->store);
  g_free (self->failure);

  G_OBJECT_CLASS (sc_keyring_row_parent_class)->finalize (object);
}

static void
sc_keyring_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ScKeyringRow *self = SC_KEYRING_ROW (object);

  switch (prop_id)
    {
    case PROP_SESSION_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_keyring_row_class_init (ScKeyringRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sc_keyring_row_constructed;
  object_class->finalize = sc_keyring_row_finalize;
  object_class->set_property = sc_keyring_row_set_property;

  properties[PROP_SESSION_STORE] =
    g_param_spec_object ("session-store", NULL, NULL,
                         SC_TYPE_SESSION_STORE,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sc_keyring_row_init (ScKeyringRow *self)
{
  /* Translators: where the clerk's login and the store's key are kept */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("Session"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);

  /* Translators: a button; it asks for the keyring's password */
  self->button = gtk_button_new_with_mnemonic (_("_Save in keyring…"));
  sc_a11y_name_button_from_label (GTK_BUTTON (self->button));
  gtk_widget_set_valign (self->button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->button,
                               _("Asks for the keyring’s password. Do it when no one is "
                                 "waiting: its window takes the keyboard, and a scan would "
                                 "go into it."));
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (save_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->button);
}

GtkWidget *
sc_keyring_row_new (ScSessionStore *store)
{
  g_return_val_if_fail (SC_IS_SESSION_STORE (store), NULL);

  return g_object_new (SC_TYPE_KEYRING_ROW, "session-store", store, NULL);
}
