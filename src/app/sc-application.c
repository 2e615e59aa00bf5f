/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-application.h"
#include "sc-cache.h"
#include "sc-cli.h"
#include "sc-counter.h"
#include "sc-platform-client.h"
#include "sc-redemption.h"
#include "sc-secret.h"
#include "sc-session-store.h"
#include "sc-window.h"

#define DEFAULT_PLATFORM_URL "http://127.0.0.1:8080"

struct _ScApplication
{
  AdwApplication  parent_instance;

  char           *platform_url;  /* (owned) (nullable) from --platform-url */
  char           *db_path;       /* (owned) (nullable) from --db */
  char           *login_store;   /* (owned) (nullable) from --login */
  char           *login_clerk;   /* (owned) (nullable) */
  char           *login_pin;     /* (owned) (nullable) read from stdin */
  char           *camera;        /* (owned) (nullable) from --camera */
  gboolean        options_parsed; /* handle_local_options ran */

  /* The services (DESIGN §3): built here and handed to the window and the
   * command line, never built by them. */
  ScSessionStore   *session_store;  /* (owned) (nullable) until first asked for */
  ScCache          *cache;          /* (owned) (nullable) until opened */
  ScPlatformClient *client;         /* (owned) (nullable) until opened */
  ScCounter        *counter;        /* (owned) (nullable) until opened */
};

G_DEFINE_FINAL_TYPE (ScApplication, sc_application, ADW_TYPE_APPLICATION)

static gboolean
have_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return FALSE;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL;
}

static int
sc_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  ScApplication *self = SC_APPLICATION (app);
  g_autofree char *login = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  self->options_parsed = TRUE;
  status = sc_cli_handle_options (app, options);
  if (status >= 0)
    return status;

  g_variant_dict_lookup (options, "platform-url", "s", &self->platform_url);
  g_variant_dict_lookup (options, "db", "^ay", &self->db_path);
  g_variant_dict_lookup (options, "login", "s", &login);
  g_variant_dict_lookup (options, "camera", "s", &self->camera);

  if (!have_schema ())
    {
      g_printerr (_("Error: the settings of Store Counter (%s) are not installed. Install "
                    "the application, or point GSETTINGS_SCHEMA_DIR at its compiled "
                    "schema.\n"),
                  APP_ID);
      return 2;
    }

  if (login != NULL)
    {
      if (!sc_cli_parse_login (login, &self->login_store, &self->login_clerk, &error) ||
          (self->login_pin = sc_cli_read_pin (&error)) == NULL)
        {
          g_printerr (_("Error: %s\n"), error->message);
          return 2;
        }
    }

  return -1;
}

/* GApplication exits 1 when the options cannot be parsed (unknown, a value
 * missing or not UTF-8), which is our "negative verdict": a usage error is
 * 2 (DESIGN §12). */
static gboolean
sc_application_local_command_line (GApplication   *app,
                                   char         ***arguments,
                                   int            *exit_status)
{
  ScApplication *self = SC_APPLICATION (app);

  if (!G_APPLICATION_CLASS (sc_application_parent_class)->local_command_line (app, arguments,
                                                                              exit_status))
    return FALSE;

  if (!self->options_parsed && *exit_status != 0)
    {
      g_printerr ("%s\n", _("Error: the command line is not right; see --help"));
      *exit_status = 2;
    }

  return TRUE;
}

char *
sc_application_dup_platform_url (ScApplication *self,
                                 const char    *option)
{
  const char *env = g_getenv ("SC_PLATFORM_URL");
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *setting = NULL;

  g_return_val_if_fail (SC_IS_APPLICATION (self), NULL);

  if (option != NULL && *option != '\0')
    return g_strdup (option);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (!have_schema ())
    return g_strdup (DEFAULT_PLATFORM_URL);
  settings = g_settings_new (APP_ID);
  setting = g_settings_get_string (settings, "platform-url");
  if (*setting == '\0')
    return g_strdup (DEFAULT_PLATFORM_URL);
  return g_steal_pointer (&setting);
}

ScSessionStore *
sc_application_get_session_store (ScApplication *self)
{
  g_return_val_if_fail (SC_IS_APPLICATION (self), NULL);

  if (self->session_store == NULL)
    self->session_store = sc_session_store_new ();
  return self->session_store;
}

ScCounter *
sc_application_get_counter (ScApplication *self)
{
  g_return_val_if_fail (SC_IS_APPLICATION (self), NULL);

  return self->counter;
}

typedef struct
{
  ScCache *cache;       /* (owned) */
  char    *platform_url; /* (owned) */
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->cache);
  g_free (data->platform_url);
  g_free (data);
}

static void
cache_open_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScApplication *self = g_task_get_source_object (task);
  OpenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!sc_cache_open_finish (SC_CACHE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The newest set replaces the one before: whoever still uses that one
   * holds its own references. */
  g_set_object (&self->cache, data->cache);
  g_clear_object (&self->client);
  g_clear_object (&self->counter);
  self->client = sc_platform_client_new (data->platform_url);
  self->counter = sc_counter_new (self->cache, self->client);
  g_task_return_pointer (task, g_object_ref (self->counter), g_object_unref);
}

void
sc_application_open_async (ScApplication       *self,
                           const char          *platform_url,
                           const char          *db_path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (SC_IS_APPLICATION (self));
  g_return_if_fail (platform_url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_application_open_async);
  data = g_new0 (OpenData, 1);
  data->cache = sc_cache_new (db_path);
  data->platform_url = g_strdup (platform_url);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);

  sc_cache_open_async (data->cache, cancellable, cache_open_cb, g_steal_pointer (&task));
}

/* The finish of a task of @self started by @source_tag. */
static gpointer
propagate_pointer (ScApplication  *self,
                   GAsyncResult   *result,
                   gpointer        source_tag,
                   GError        **error)
{
  g_return_val_if_fail (SC_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

ScCounter *
sc_application_open_finish (ScApplication  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  return propagate_pointer (self, result, sc_application_open_async, error);
}

static void
demo_codes_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *codes;

  codes = sc_platform_client_get_demo_codes_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (codes == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, codes, (GDestroyNotify) g_ptr_array_unref);
}

void
sc_application_get_demo_codes_async (ScApplication       *self,
                                     const char          *platform_url,
                                     const char          *admin_token,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(ScPlatformClient) client = NULL;

  g_return_if_fail (SC_IS_APPLICATION (self));
  g_return_if_fail (platform_url != NULL);
  g_return_if_fail (admin_token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_application_get_demo_codes_async);
  client = sc_platform_client_new (platform_url);
  sc_platform_client_set_token (client, admin_token);
  /* The task keeps the client until the answer is in. */
  g_task_set_task_data (task, g_object_ref (client), g_object_unref);
  sc_platform_client_get_demo_codes_async (client, cancellable, demo_codes_cb,
                                           g_steal_pointer (&task));
}

GPtrArray *
sc_application_get_demo_codes_finish (ScApplication  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return propagate_pointer (self, result, sc_application_get_demo_codes_async, error);
}

/* The window that used them is gone: with no window left, nothing does. */
static void
sc_application_window_removed (GtkApplication *app,
                               GtkWindow      *window)
{
  ScApplication *self = SC_APPLICATION (app);

  GTK_APPLICATION_CLASS (sc_application_parent_class)->window_removed (app, window);

  if (gtk_application_get_windows (app) == NULL)
    {
      g_clear_object (&self->counter);
      g_clear_object (&self->client);
      g_clear_object (&self->cache);
    }
}

static void
sc_application_activate (GApplication *app)
{
  ScApplication *self = SC_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_autofree char *url = sc_application_dup_platform_url (self, self->platform_url);

      window = GTK_WINDOW (sc_window_new (ADW_APPLICATION (app), url, self->db_path,
                                          g_getenv ("SC_DEMO_ADMIN_TOKEN")));
      /* --camera wins over the settings for this run. */
      sc_window_start_camera (SC_WINDOW (window), self->camera);
    }

  if (self->login_pin != NULL)
    {
      sc_window_log_in (SC_WINDOW (window), self->login_store, self->login_clerk,
                        self->login_pin);
      g_clear_pointer (&self->login_pin, sc_secret_free);
    }

  gtk_window_present (window);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing saves the window size; the app quits with its last window. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
sc_application_startup (GApplication *app)
{
  static const GActionEntry actions[] = {
    { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
  };
  static const char *quit_accels[] = { "<Primary>q", NULL };

  G_APPLICATION_CLASS (sc_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
sc_application_finalize (GObject *object)
{
  ScApplication *self = SC_APPLICATION (object);

  g_free (self->platform_url);
  g_free (self->db_path);
  g_free (self->login_store);
  g_free (self->login_clerk);
  sc_secret_free (self->login_pin);
  g_free (self->camera);
  g_clear_object (&self->counter);
  g_clear_object (&self->client);
  g_clear_object (&self->cache);
  g_clear_object (&self->session_store);

  G_OBJECT_CLASS (sc_application_parent_class)->finalize (object);
}

static void
sc_application_class_init (ScApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->finalize = sc_application_finalize;
  gtk_app_class->window_removed = sc_application_window_removed;
  app_class->local_command_line = sc_application_local_command_line;
  app_class->handle_local_options = sc_application_handle_local_options;
  app_class->activate = sc_application_activate;
  app_class->startup = sc_application_startup;

  /* Before startup: GtkApplication finds style.css and the help overlay
   * under the resource base path. */
  sc_app_ensure_resources ();
}

static void
sc_application_init (ScApplication *self)
{
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Store Counter: verify and redeem pickup codes, "
                                              "coupons and prize vouchers."));
  sc_cli_add_options (G_APPLICATION (self));
  g_application_add_main_option (G_APPLICATION (self), "camera", 0, 0, G_OPTION_ARG_STRING,
                                 _("Read codes from this camera: a device such as /dev/video2, "
                                   "files:FOLDER for pictures, or off"),
                                 /* Translators: the argument of --camera */
                                 _("CAMERA"));
}

ScApplication *
sc_application_new (void)
{
  return g_object_new (SC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", SC_RESOURCE_PATH,
                       NULL);
}
