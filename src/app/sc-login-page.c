/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-a11y.h"
#include "sc-app-util.h"
#include "sc-counter.h"
#include "sc-login-page.h"

struct _ScLoginPage
{
  AdwBin        parent_instance;

  GtkWidget    *store_row;
  GtkWidget    *clerk_row;
  GtkWidget    *pin_row;
  GtkLabel     *error_label;
  GtkLabel     *note_label;
  GtkWidget    *button;
  GtkSpinner   *spinner;

  ScCounter    *counter;      /* (owned) (nullable) */
  GCancellable *cancellable;  /* (owned) (nullable) the login under way */
};

G_DEFINE_FINAL_TYPE (ScLoginPage, sc_login_page, ADW_TYPE_BIN)

enum {
  LOGGED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
row_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_busy (ScLoginPage *self)
{
  return self->cancellable != NULL;
}

static void
update_state (ScLoginPage *self)
{
  gboolean complete = *row_text (self->store_row) != '\0' &&
                      *row_text (self->clerk_row) != '\0' &&
                      *row_text (self->pin_row) != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.submit",
                                 complete && !is_busy (self) && self->counter != NULL);
  /* The rows stay sensitive: making a focused text field insensitive
   * leaves GTK 4.8's cursor blink without its focus-out. */
  gtk_spinner_set_spinning (self->spinner, is_busy (self));
}

static void
show_error (ScLoginPage *self,
            const char  *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
row_changed_cb (ScLoginPage *self)
{
  update_state (self);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  ScLoginPage *self;
  gboolean ok;

  ok = sc_counter_login_finish (SC_COUNTER (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = g_object_get_data (G_OBJECT (cancellable), "login-page");
  g_clear_object (&self->cancellable);
  update_state (self);

  if (!ok)
    {
      g_autofree char *message = sc_counter_error_describe (error, TRUE);

      show_error (self, message);
      gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
      gtk_widget_grab_focus (self->pin_row);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  show_error (self, NULL);
  g_signal_emit (self, signals[LOGGED_IN], 0);
}

static void
submit (ScLoginPage *self)
{
  const char *store_id = row_text (self->store_row);
  const char *clerk_id = row_text (self->clerk_row);
  const char *pin = row_text (self->pin_row);

  if (self->counter == NULL || is_busy (self))
    return;

  if (*store_id == '\0' || *clerk_id == '\0' || *pin == '\0')
    {
      show_error (self, _("Fill in the store ID, the clerk ID and the PIN."));
      return;
    }

  show_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  /* The callback finds the page through its cancellable, and only while
   * the page has not cancelled it (dispose does). */
  g_object_set_data (G_OBJECT (self->cancellable), "login-page", self);
  sc_counter_login_async (self->counter, store_id, clerk_id, pin, self->cancellable,
                          login_cb, g_object_ref (self->cancellable));
  update_state (self);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  submit (SC_LOGIN_PAGE (widget));
}

static void
row_activated_cb (ScLoginPage *self,
                  GtkWidget   *row)
{
  if (*row_text (self->store_row) == '\0')
    gtk_widget_grab_focus (self->store_row);
  else if (*row_text (self->clerk_row) == '\0')
    gtk_widget_grab_focus (self->clerk_row);
  else if (*row_text (self->pin_row) == '\0')
    gtk_widget_grab_focus (self->pin_row);
  else
    submit (self);
}

void
sc_login_page_set_counter (ScLoginPage *self,
                           ScCounter   *counter)
{
  g_return_if_fail (SC_IS_LOGIN_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->counter, counter);
  update_state (self);
}

void
sc_login_page_set_ids (ScLoginPage *self,
                       const char  *store_id,
                       const char  *clerk_id)
{
  g_return_if_fail (SC_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->store_row), store_id != NULL ? store_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->clerk_row), clerk_id != NULL ? clerk_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  show_error (self, NULL);
  update_state (self);
}

void
sc_login_page_log_in (ScLoginPage *self,
                      const char  *store_id,
                      const char  *clerk_id,
                      const char  *pin)
{
  g_return_if_fail (SC_IS_LOGIN_PAGE (self));

  sc_login_page_set_ids (self, store_id, clerk_id);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), pin != NULL ? pin : "");
  submit (self);
}

void
sc_login_page_set_note (ScLoginPage *self,
                        const char  *note)
{
  g_return_if_fail (SC_IS_LOGIN_PAGE (self));

  gtk_label_set_text (self->note_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL);
}

void
sc_login_page_focus (ScLoginPage *self)
{
  g_return_if_fail (SC_IS_LOGIN_PAGE (self));

  if (*row_text (self->store_row) == '\0')
    gtk_widget_grab_focus (self->store_row);
  else if (*row_text (self->clerk_row) == '\0')
    gtk_widget_grab_focus (self->clerk_row);
  else
    gtk_widget_grab_focus (self->pin_row);
}







GtkWidget *
sc_login_page_new (void)
{
  return g_object_new (SC_TYPE_LOGIN_PAGE, NULL);
}

static void
sc_login_page_dispose (GObject *object)
{
  ScLoginPage *self = SC_LOGIN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->counter);

  G_OBJECT_CLASS (sc_login_page_parent_class)->dispose (object);
}

static void
sc_login_page_class_init (ScLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_login_page_dispose;

  signals[LOGGED_IN] =
    g_signal_new ("logged-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ScLoginPage, store_row);
  gtk_widget_class_bind_template_child (widget_class, ScLoginPage, clerk_row);
  gtk_widget_class_bind_template_child (widget_class, ScLoginPage, pin_row);
  gtk_widget_class_bind_template_child (widget_class, ScLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, ScLoginPage, note_label);
  gtk_widget_class_bind_template_child (widget_class, ScLoginPage, button);
  gtk_widget_class_bind_template_child (widget_class, ScLoginPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "login.submit", NULL, submit_action);
}

static void
sc_login_page_init (ScLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* libadwaita 1.2's show-PIN toggle has a tooltip but no name. */
  sc_a11y_name_icon_buttons (GTK_WIDGET (self->pin_row), NULL);
  update_state (self);
}
