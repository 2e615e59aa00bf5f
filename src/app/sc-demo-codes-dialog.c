/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sc-a11y.h"
#include "sc-app-util.h"
#include "sc-application.h"
#include "sc-counter-error.h"
#include "sc-demo-code.h"
#include "sc-demo-codes-dialog.h"
#include "sc-verdict.h"

struct _ScDemoCodesDialog
{
  AdwWindow         parent_instance;

  GtkStack         *stack;
  AdwStatusPage    *error_page;
  AdwPreferencesGroup *group;

  GCancellable     *cancellable;  /* (owned) cancelled in dispose */
  GPtrArray        *payloads;     /* (owned) (element-type utf8) one per row */
  gboolean          loaded;
};

G_DEFINE_FINAL_TYPE (ScDemoCodesDialog, sc_demo_codes_dialog, ADW_TYPE_WINDOW)

enum {
  CODE_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
try_clicked_cb (GtkButton         *button,
                ScDemoCodesDialog *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  sc_demo_codes_dialog_choose (self, index);
}

static void
add_row (ScDemoCodesDialog *self,
         const char        *payload,
         const char        *status,
         const char        *kind,
         const char        *note)
{
  ScVerdictStatus verdict_status;
  ScCodeKind code_kind = SC_CODE_KIND_UNKNOWN;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row;
  GtkWidget *button;
  GtkWidget *icon;
  const char *status_label = status;

  if (sc_verdict_status_from_string (status, &verdict_status))
    status_label = sc_verdict_status_get_label (verdict_status);
  sc_code_kind_from_string (kind, &code_kind);

  /* Translators: "<status> · <kind>", e.g. "Redeemable · Pickup code" */
  title = g_strdup_printf (_("%s · %s"), status_label,
                           code_kind != SC_CODE_KIND_UNKNOWN ? sc_code_kind_get_label (code_kind)
                                                             : kind);
  if (note != NULL && *note != '\0')
    subtitle = g_strdup_printf ("%s\n%s", payload, note);
  else
    subtitle = g_strdup (payload);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  if (sc_verdict_status_from_string (status, &verdict_status))
    {
      icon = gtk_image_new_from_icon_name (sc_app_status_icon_name (verdict_status));
      gtk_widget_add_css_class (icon, sc_app_status_css_class (verdict_status));
      gtk_widget_add_css_class (icon, "status-icon");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }

  /* Translators: button that puts a demo code into the scan entry */
  button = gtk_button_new_with_mnemonic (_("_Try"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (self->payloads->len));
  g_signal_connect_object (button, "clicked", G_CALLBACK (try_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  sc_a11y_name_button_without_mnemonic (GTK_BUTTON (button));

  g_ptr_array_add (self->payloads, g_strdup (payload));
  adw_preferences_group_add (self->group, row);
}

static void
codes_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  ScDemoCodesDialog *self;

  codes = sc_application_get_demo_codes_finish (SC_APPLICATION (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return;
  self = g_object_get_data (G_OBJECT (cancellable), "dialog");

  if (codes == NULL)
    {
      g_autofree char *message = NULL;

      if (sc_counter_error_is_bad_data (error))
        message = g_strdup (_("The platform sent an answer this counter cannot read."));
      else
        message = sc_counter_error_describe (error, FALSE);
      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < codes->len; i++)
    {
      const ScDemoCode *code = g_ptr_array_index (codes, i);
      g_autofree char *key = g_strconcat (code->status, "/", code->kind, NULL);

      if (g_hash_table_contains (seen, key))
        continue;
      g_hash_table_add (seen, g_steal_pointer (&key));
      add_row (self, code->payload, code->status, code->kind, code->note);
    }

  self->loaded = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "list");
}

guint
sc_demo_codes_dialog_get_n_rows (ScDemoCodesDialog *self)
{
  g_return_val_if_fail (SC_IS_DEMO_CODES_DIALOG (self), 0);
  return self->payloads->len;
}

gboolean
sc_demo_codes_dialog_get_loaded (ScDemoCodesDialog *self)
{
  g_return_val_if_fail (SC_IS_DEMO_CODES_DIALOG (self), FALSE);
  return self->loaded;
}

void
sc_demo_codes_dialog_choose (ScDemoCodesDialog *self,
                             guint              index)
{
  g_autofree char *payload = NULL;

  g_return_if_fail (SC_IS_DEMO_CODES_DIALOG (self));
  g_return_if_fail (index < self->payloads->len);

  /* The handler may close (destroy) the dialog. */
  payload = g_strdup (g_ptr_array_index (self->payloads, index));
  g_signal_emit (self, signals[CODE_CHOSEN], 0, payload);
}

GtkWidget *
sc_demo_codes_dialog_new (GtkWindow     *parent,
                          ScApplication *application,
                          const char    *platform_url,
                          const char    *admin_token)
{
  ScDemoCodesDialog *self;

  g_return_val_if_fail (SC_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (platform_url != NULL, NULL);
  g_return_val_if_fail (admin_token != NULL, NULL);

  self = g_object_new (SC_TYPE_DEMO_CODES_DIALOG, "transient-for", parent, NULL);
  sc_application_get_demo_codes_async (application, platform_url, admin_token, self->cancellable,
                                       codes_cb, g_object_ref (self->cancellable));
  return GTK_WIDGET (self);
}

static void
sc_demo_codes_dialog_dispose (GObject *object)
{
  ScDemoCodesDialog *self = SC_DEMO_CODES_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sc_demo_codes_dialog_parent_class)->dispose (object);
}

static void
sc_demo_codes_dialog_finalize (GObject *object)
{
  ScDemoCodesDialog *self = SC_DEMO_CODES_DIALOG (object);

  g_clear_pointer (&self->payloads, g_ptr_array_unref);

  G_OBJECT_CLASS (sc_demo_codes_dialog_parent_class)->finalize (object);
}

static void
sc_demo_codes_dialog_class_init (ScDemoCodesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_demo_codes_dialog_dispose;
  object_class->finalize = sc_demo_codes_dialog_finalize;

  signals[CODE_CHOSEN] =
    g_signal_new ("code-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-demo-codes-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ScDemoCodesDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ScDemoCodesDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, ScDemoCodesDialog, group);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sc_demo_codes_dialog_init (ScDemoCodesDialog *self)
{
  self->cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->cancellable), "dialog", self);
  self->payloads = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
