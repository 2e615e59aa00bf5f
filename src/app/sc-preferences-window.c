/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-camera.h"
#include "sc-keyring-row.h"
#include "sc-preferences-window.h"

#define FILES_PREFIX "files:"

struct _ScPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template */
  AdwPreferencesGroup  *platform_group;
  AdwEntryRow          *url_row;
  GtkLabel             *url_error_label;
  AdwPreferencesGroup  *session_group;
  GtkWidget            *keyring_row;    /* (unowned) (nullable) */
  GtkSwitch            *auto_redeem_switch;
  GtkSwitch            *sounds_switch;
  AdwPreferencesGroup  *camera_group;
  GtkSwitch            *camera_switch;
  AdwComboRow          *camera_row;
  AdwEntryRow          *prefix_row;
  AdwEntryRow          *suffix_row;

  /* construct-only */
  char                 *running_platform_url;  /* (owned) (nullable) */
  char                 *camera_override;       /* (owned) (nullable) */

  GSettings            *settings;       /* (owned) */
  GCancellable         *cancellable;    /* (owned) cancelled in dispose */
  GtkStringList        *camera_names;   /* (owned) the camera row's model */
  GPtrArray            *camera_specs;   /* (owned) (element-type utf8) one per name */
  GPtrArray            *devices;        /* (owned) (nullable) (element-type ScCameraDevice)
                                         * NULL until listed */
  gboolean              filling_cameras;
};

G_DEFINE_FINAL_TYPE (ScPreferencesWindow, sc_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_RUNNING_PLATFORM_URL,
  PROP_CAMERA_OVERRIDE,
  PROP_DEVICES_LOADED,
  PROP_CAMERA_SPECS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- platform address ---- */

/* NULL when @text is a platform address we can use; else what is wrong. */
static char *
check_platform_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (*text == '\0')
    /* Translators: the platform address was left empty */
    return g_strdup (_("Enter the platform’s web address, for example "
                       "https://platform.example.com."));

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (scheme == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    /* Translators: %s is what was typed as the platform address */
    return g_strdup_printf (_("“%s” is not a web address the counter can use. Enter one that "
                              "starts with https:// or http://, for example "
                              "https://platform.example.com."),
                            text);

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return g_strdup (_("Enter only the platform’s address, without a “?” or “#” part."));

  return NULL;
}

static void
show_url_error (ScPreferencesWindow *self,
                const char          *message)
{
  gtk_label_set_text (self->url_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->url_error_label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->url_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->url_row),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
url_changed_cb (ScPreferencesWindow *self)
{
  show_url_error (self, NULL);
}

static void
save_url (ScPreferencesWindow *self,
          const char          *text)
{
  AdwToast *toast;

  show_url_error (self, NULL);
  g_settings_set_string (self->settings, "platform-url", text);
  /* Translators: toast after a new platform address was kept */
  toast = adw_toast_new (_("Saved. Store Counter uses the new address from its next start."));
  adw_toast_set_timeout (toast, 5);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static void
insecure_response_cb (AdwMessageDialog    *dialog,
                      const char          *response,
                      ScPreferencesWindow *self)
{
  const char *text = g_object_get_data (G_OBJECT (dialog), "url");

  if (g_strcmp0 (response, "insecure") == 0)
    {
      save_url (self, text);
      return;
    }
  /* The address stays in the row, to be put right. */
  show_url_error (self, _("Not saved: this address is not encrypted. Enter one that starts "
                          "with https://."));
  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

/* Plain http:// to another computer: only if the clerk says so (DESIGN §13). */
static void
confirm_insecure (ScPreferencesWindow *self,
                  const char          *text)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (self),
    /* Translators: heading of the question after a plain http:// address */
    _("Use an unencrypted connection?"),
    NULL));
  adw_message_dialog_format_body (
    dialog,
    /* Translators: %s is the platform address that was entered */
    _("%s does not encrypt the connection. PINs and codes would cross the network "
      "readable by anyone on it. Use an https:// address unless the platform’s "
      "administrator says otherwise."),
    text);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    /* Translators: button that keeps a plain http:// address */
                                    "insecure", _("_Use Unencrypted"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "insecure", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "url", g_strdup (text), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (insecure_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
url_apply_cb (ScPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                                  GTK_EDITABLE (self->url_row))));
  g_autofree char *problem = check_platform_url (text);
  g_autofree char *current = g_settings_get_string (self->settings, "platform-url");

  if (problem != NULL)
    {
      show_url_error (self, problem);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
      return;
    }

  show_url_error (self, NULL);
  if (g_str_equal (text, current))
    return;
  if (sc_app_platform_url_is_insecure (text))
    {
      confirm_insecure (self, text);
      return;
    }
  save_url (self, text);
}

static void
update_platform_description (ScPreferencesWindow *self)
{
  g_autofree char *saved = g_settings_get_string (self->settings, "platform-url");
  g_autofree char *text = NULL;
  /* Translators: under the "Platform" heading of the preferences */
  const char *base = _("Codes are checked and recorded on this platform. A new address is "
                       "used from the next start of Store Counter.");

  if (self->running_platform_url != NULL &&
      g_strcmp0 (self->running_platform_url, saved) != 0)
    /* Translators: %s is the platform address this run uses (from the
     * command line or the last settings) */
    text = g_strdup_printf (_("%s This run uses %s."), base, self->running_platform_url);
  adw_preferences_group_set_description (self->platform_group, text != NULL ? text : base);
}

/* ---- camera ---- */

static char *
camera_label (ScPreferencesWindow *self,
              const char          *spec)
{
  if (*spec == '\0')
    /* Translators: camera choice: whichever /dev/video* is found first */
    return g_strdup (_("First camera found"));

  if (g_str_has_prefix (spec, FILES_PREFIX))
    /* Translators: camera choice that reads pictures from a folder (demo,
     * tests); %s is the folder */
    return g_strdup_printf (_("Pictures in %s"), spec + strlen (FILES_PREFIX));

  for (guint i = 0; self->devices != NULL && i < self->devices->len; i++)
    {
      ScCameraDevice *device = g_ptr_array_index (self->devices, i);

      if (g_str_equal (device->path, spec))
        return device->name != NULL
               /* Translators: camera choice, "HD Webcam (/dev/video0)" */
               ? g_strdup_printf (_("%s (%s)"), device->name, device->path)
               : g_strdup (device->path);
    }

  if (self->devices != NULL)
    /* Translators: camera choice: the saved camera is not plugged in now */
    return g_strdup_printf (_("%s (not connected)"), spec);
  return g_strdup (spec);
}

static void
add_camera_choice (ScPreferencesWindow *self,
                   const char          *spec)
{
  g_autofree char *label = camera_label (self, spec);

  for (guint i = 0; i < self->camera_specs->len; i++)
    if (g_str_equal (g_ptr_array_index (self->camera_specs, i), spec))
      return;
  g_ptr_array_add (self->camera_specs, g_strdup (spec));
  gtk_string_list_append (self->camera_names, label);
}

/* The choices: the first camera found, each capture device, and the saved
 * one when it is none of these; the saved one selected. */
static void
fill_cameras (ScPreferencesWindow *self)
{
  g_autofree char *saved = g_settings_get_string (self->settings, "camera-device");
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->camera_names));
  guint selected = 0;

  self->filling_cameras = TRUE;
  g_ptr_array_set_size (self->camera_specs, 0);
  gtk_string_list_splice (self->camera_names, 0, n_old, NULL);

  add_camera_choice (self, "");
  for (guint i = 0; self->devices != NULL && i < self->devices->len; i++)
    add_camera_choice (self, ((ScCameraDevice *) g_ptr_array_index (self->devices, i))->path);
  add_camera_choice (self, saved);

  for (guint i = 0; i < self->camera_specs->len; i++)
    if (g_str_equal (g_ptr_array_index (self->camera_specs, i), saved))
      selected = i;
  adw_combo_row_set_selected (self->camera_row, selected);
  self->filling_cameras = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_SPECS]);
}

static void
camera_setting_changed_cb (ScPreferencesWindow *self)
{
  g_autofree char *saved = g_settings_get_string (self->settings, "camera-device");
  guint selected = adw_combo_row_get_selected (self->camera_row);

  /* The row itself made the change: nothing to show anew. */
  if (selected < self->camera_specs->len &&
      g_str_equal (g_ptr_array_index (self->camera_specs, selected), saved))
    return;
  fill_cameras (self);
}

static void
camera_selected_cb (ScPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->camera_row);

  if (self->filling_cameras || selected >= self->camera_specs->len)
    return;
  g_settings_set_string (self->settings, "camera-device",
                         g_ptr_array_index (self->camera_specs, selected));
}

static void
list_devices_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_task_return_pointer (task, sc_camera_list_devices (), (GDestroyNotify) g_ptr_array_unref);
}

/* The task holds no reference on the window (a reference would keep a
 * destroyed window from going away until the devices are listed): @user_data
 * is only valid while the task's cancellable is not cancelled. */
static void
list_devices_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ScPreferencesWindow *self;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  devices = g_task_propagate_pointer (G_TASK (result), &error);
  if (devices == NULL)
    return;  /* cancelled: the window is going away */
  self = SC_PREFERENCES_WINDOW (user_data);

  g_clear_pointer (&self->devices, g_ptr_array_unref);
  self->devices = g_steal_pointer (&devices);
  fill_cameras (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICES_LOADED]);
}

/* The "camera-specs" property: a copy of camera_specs, NULL-terminated. */
static char **
dup_camera_specs (ScPreferencesWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; self->camera_specs != NULL && i < self->camera_specs->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->camera_specs, i));
  return g_strv_builder_end (builder);
}

static void
update_camera_description (ScPreferencesWindow *self)
{
  g_autofree char *text = NULL;

  if (self->camera_override == NULL)
    return;
  if (g_str_equal (self->camera_override, "off"))
    text = g_strdup (_("This run was started with --camera=off: the camera stays off until "
                       "the next start. The choices here apply from then."));
  else
    /* Translators: %s is the --camera option Store Counter was started with */
    text = g_strdup_printf (_("This run was started with --camera=%s, which it uses instead. "
                              "The choices here apply from the next start."),
                            self->camera_override);
  adw_preferences_group_set_description (self->camera_group, text);
}

/* ---- session ---- */

void
sc_preferences_window_set_session_store (ScPreferencesWindow *self,
                                         ScSessionStore      *store)
{
  g_return_if_fail (SC_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (SC_IS_SESSION_STORE (store));
  g_return_if_fail (self->keyring_row == NULL);

  self->keyring_row = sc_keyring_row_new (store);
  adw_preferences_group_add (self->session_group, self->keyring_row);
  gtk_widget_set_visible (GTK_WIDGET (self->session_group), TRUE);
}

/* ---- GObject ---- */

GtkWidget *
sc_preferences_window_new (GtkWindow  *parent,
                           const char *running_platform_url,
                           const char *camera_override)
{
  return g_object_new (SC_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "running-platform-url", running_platform_url,
                       "camera-override", camera_override,
                       NULL);
}

static void
sc_preferences_window_constructed (GObject *object)
{
  ScPreferencesWindow *self = SC_PREFERENCES_WINDOW (object);
  g_autofree char *url = NULL;
  g_autoptr(GTask) task = NULL;

  G_OBJECT_CLASS (sc_preferences_window_parent_class)->constructed (object);

  url = g_settings_get_string (self->settings, "platform-url");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  show_url_error (self, NULL);
  update_platform_description (self);
  update_camera_description (self);

  fill_cameras (self);
  task = g_task_new (NULL, self->cancellable, list_devices_cb, self);
  g_task_set_source_tag (task, sc_preferences_window_constructed);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, list_devices_thread);
}

static void
sc_preferences_window_dispose (GObject *object)
{
  ScPreferencesWindow *self = SC_PREFERENCES_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  G_OBJECT_CLASS (sc_preferences_window_parent_class)->dispose (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->camera_names);
  g_clear_pointer (&self->camera_specs, g_ptr_array_unref);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
}

static void
sc_preferences_window_finalize (GObject *object)
{
  ScPreferencesWindow *self = SC_PREFERENCES_WINDOW (object);

  g_free (self->running_platform_url);
  g_free (self->camera_override);

  G_OBJECT_CLASS (sc_preferences_window_parent_class)->finalize (object);
}

static void
sc_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ScPreferencesWindow *self = SC_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RUNNING_PLATFORM_URL:
      g_value_set_string (value, self->running_platform_url);
      break;
    case PROP_CAMERA_OVERRIDE:
      g_value_set_string (value, self->camera_override);
      break;
    case PROP_DEVICES_LOADED:
      g_value_set_boolean (value, self->devices != NULL);
      break;
    case PROP_CAMERA_SPECS:
      g_value_take_boxed (value, dup_camera_specs (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ScPreferencesWindow *self = SC_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RUNNING_PLATFORM_URL:
      self->running_platform_url = g_value_dup_string (value);
      break;
    case PROP_CAMERA_OVERRIDE:
      self->camera_override = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_preferences_window_class_init (ScPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sc_preferences_window_constructed;
  object_class->dispose = sc_preferences_window_dispose;
  object_class->finalize = sc_preferences_window_finalize;
  object_class->get_property = sc_preferences_window_get_property;
  object_class->set_property = sc_preferences_window_set_property;

  properties[PROP_RUNNING_PLATFORM_URL] =
    g_param_spec_string ("running-platform-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMERA_OVERRIDE] =
    g_param_spec_string ("camera-override", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICES_LOADED] =
    g_param_spec_boolean ("devices-loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMERA_SPECS] =
    g_param_spec_boxed ("camera-specs", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, platform_group);
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, url_error_label);
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, session_group);
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, auto_redeem_switch);
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, sounds_switch);
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, camera_group);
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, camera_switch);
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, camera_row);
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, ScPreferencesWindow, suffix_row);
  gtk_widget_class_bind_template_callback (widget_class, url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_changed_cb);
}

static void
sc_preferences_window_init (ScPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  self->camera_names = gtk_string_list_new (NULL);
  self->camera_specs = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_model (self->camera_row, G_LIST_MODEL (self->camera_names));
  g_signal_connect_object (self->camera_row, "notify::selected",
                           G_CALLBACK (camera_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::camera-device",
                           G_CALLBACK (camera_setting_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::platform-url",
                           G_CALLBACK (update_platform_description), self, G_CONNECT_SWAPPED);

  g_settings_bind (self->settings, "auto-redeem-pickup", self->auto_redeem_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sounds", self->sounds_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "camera-enabled", self->camera_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->camera_switch, "active", self->camera_row, "sensitive",
                          G_BINDING_SYNC_CREATE);
  g_settings_bind (self->settings, "scanner-prefix", self->prefix_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "scanner-suffix", self->suffix_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
}
