/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-application.h"
#include "sc-cli.h"
#include "sc-redemption.h"
#include "sc-secret.h"
#include "sc-window.h"

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

static char *
dup_platform_url (ScApplication *self)
{
  const char *env = g_getenv ("SC_PLATFORM_URL");
  g_autoptr(GSettings) settings = NULL;

  if (self->platform_url != NULL && *self->platform_url != '\0')
    return g_strdup (self->platform_url);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  settings = g_settings_new (APP_ID);
  return g_settings_get_string (settings, "platform-url");
}

static void
sc_application_activate (GApplication *app)
{
  ScApplication *self = SC_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_autofree char *url = dup_platform_url (self);

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

  G_OBJECT_CLASS (sc_application_parent_class)->finalize (object);
}

static void
sc_application_class_init (ScApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sc_application_finalize;
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
