/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-counter.h"
#include "sc-reauth-dialog.h"
#include "sc-secret.h"

struct _ScReauthDialog
{
  AdwMessageDialog  parent_instance;

  /* template */
  GtkEntry         *entry;
  GtkLabel         *error_label;

  ScCounter        *counter;      /* (owned) */
  GCancellable     *cancellable;  /* (owned) the owner's */
  char             *store_id;     /* (owned) without a session */
  char             *clerk_id;     /* (owned) without a session */
  gboolean          responded;
};

G_DEFINE_FINAL_TYPE (ScReauthDialog, sc_reauth_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  CANCELLED,
  RETRY,
  LOGGED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* @user_data: (owned) the dialog, kept while the login is under way. */
static void
reauth_login_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ScReauthDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = sc_counter_login_finish (SC_COUNTER (object), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (!ok)
    {
      g_autofree char *message = sc_counter_error_describe (error, TRUE);

      g_signal_emit (self, signals[RETRY], 0, message);
      return;
    }
  g_signal_emit (self, signals[LOGGED_IN], 0);
}

static void
reauth_response (AdwMessageDialog *dialog,
                 const char       *response)
{
  ScReauthDialog *self = SC_REAUTH_DIALOG (dialog);
  const ScSession *session = sc_counter_get_session (self->counter);
  g_autoptr(ScSecretText) pin = NULL;
  const char *store_id = self->store_id;
  const char *clerk_id = self->clerk_id;

  /* A response from the PIN entry (or a test) leaves the dialog open: we
   * close it, once. */
  if (self->responded)
    return;
  self->responded = TRUE;
  pin = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  if (gtk_widget_get_visible (GTK_WIDGET (dialog)))
    gtk_window_destroy (GTK_WINDOW (dialog));

  if (g_strcmp0 (response, "login") != 0)
    {
      g_signal_emit (self, signals[CANCELLED], 0);
      return;
    }

  if (session != NULL)
    {
      store_id = session->store_id;
      clerk_id = session->clerk_id;
    }
  if (pin == NULL || *pin == '\0')
    {
      g_signal_emit (self, signals[RETRY], 0, _("Type the PIN."));
      return;
    }
  sc_counter_login_async (self->counter, store_id, clerk_id, pin, self->cancellable,
                          reauth_login_cb, g_object_ref (self));
}

static void
entry_activate_cb (ScReauthDialog *self)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "login");
}

GtkEditable *
sc_reauth_dialog_get_entry (ScReauthDialog *self)
{
  g_return_val_if_fail (SC_IS_REAUTH_DIALOG (self), NULL);
  return GTK_EDITABLE (self->entry);
}

ScReauthDialog *
sc_reauth_dialog_new (GtkWindow    *parent,
                      ScCounter    *counter,
                      const char   *store_id,
                      const char   *clerk_id,
                      const char   *error_text,
                      GCancellable *cancellable)
{
  ScReauthDialog *self;
  const ScSession *session;

  g_return_val_if_fail (SC_IS_COUNTER (counter), NULL);
  g_return_val_if_fail (G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (SC_TYPE_REAUTH_DIALOG, "transient-for", parent, NULL);
  self->counter = g_object_ref (counter);
  self->cancellable = g_object_ref (cancellable);
  self->store_id = g_strdup (store_id);
  self->clerk_id = g_strdup (clerk_id);

  session = sc_counter_get_session (counter);
  if (session != NULL)
    /* Translators: store name, clerk name */
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                    _("The login to %s has expired. Enter the PIN of %s "
                                      "to go on: the code on screen stays."),
                                    session->store_name ? session->store_name : session->store_id,
                                    session->clerk_name ? session->clerk_name : session->clerk_id);
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                                 _("The login has expired. Enter the PIN to go on."));
  if (error_text != NULL)
    gtk_label_set_text (self->error_label, error_text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error_text != NULL);
  return self;
}

static void
sc_reauth_dialog_dispose (GObject *object)
{
  ScReauthDialog *self = SC_REAUTH_DIALOG (object);

  g_clear_object (&self->counter);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sc_reauth_dialog_parent_class)->dispose (object);
}

static void
sc_reauth_dialog_finalize (GObject *object)
{
  ScReauthDialog *self = SC_REAUTH_DIALOG (object);

  g_free (self->store_id);
  g_free (self->clerk_id);

  G_OBJECT_CLASS (sc_reauth_dialog_parent_class)->finalize (object);
}

static void
sc_reauth_dialog_class_init (ScReauthDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_reauth_dialog_dispose;
  object_class->finalize = sc_reauth_dialog_finalize;

  signals[CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[LOGGED_IN] =
    g_signal_new ("logged-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-reauth-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ScReauthDialog, entry);
  gtk_widget_class_bind_template_child (widget_class, ScReauthDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
}

static void
sc_reauth_dialog_init (ScReauthDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "login");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  /* After the owner's handlers, which forget the dialog: what this one
   * emits may show the next. */
  g_signal_connect_after (self, "response", G_CALLBACK (reauth_response), NULL);
}
