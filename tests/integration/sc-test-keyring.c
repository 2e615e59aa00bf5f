/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sc-test-keyring.h"

#define KEYRING_PASSWORD "sc-test-keyring"
#define START_TIMEOUT_S 30

struct _ScTestKeyring
{
  GTestDBus       *bus;          /* (owned) */
  GSubprocess     *daemon;       /* (owned) gnome-keyring-daemon */
  GDBusConnection *connection;   /* (owned) (nullable) the fake prompter's */
  guint            prompter_id;  /* its registered object */
  guint            n_prompts;
  gboolean         appeared;
  gboolean         timed_out;
};

static GPtrArray *stopped_buses;  /* (element-type GTestDBus) see sc_test_keyring_down */

/* What gcr's system prompter offers gnome-keyring (gcr/gcr-dbus-constants.h). */
static const char prompter_xml[] =
  "<node>"
  "  <interface name='org.gnome.keyring.internal.Prompter'>"
  "    <method name='BeginPrompting'>"
  "      <arg type='o' name='callback' direction='in'/>"
  "    </method>"
  "    <method name='PerformPrompt'>"
  "      <arg type='o' name='callback' direction='in'/>"
  "      <arg type='s' name='type' direction='in'/>"
  "      <arg type='a{sv}' name='properties' direction='in'/>"
  "      <arg type='s' name='exchange' direction='in'/>"
  "    </method>"
  "    <method name='StopPrompting'>"
  "      <arg type='o' name='callback' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *name_owner,
                  gpointer         user_data)
{
  ScTestKeyring *self = user_data;

  self->appeared = TRUE;
  g_main_context_wakeup (NULL);
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  ScTestKeyring *self = user_data;

  self->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* (transfer full): the default collection's path, "/" when there is none. */
static char *
default_collection_path (GDBusConnection *connection)
{
  g_autoptr(GVariant) alias = NULL;
  g_autoptr(GError) error = NULL;
  char *path = NULL;

  alias = g_dbus_connection_call_sync (connection, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (alias, "(o)", &path);
  return path;
}

/* Locks the default collection (which never prompts). */
static void
lock_default_collection (GDBusConnection *connection)
{
  g_autofree char *path = default_collection_path (connection);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { path, NULL };

  g_assert_cmpstr (path, !=, "/");
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "Lock",
                                       g_variant_new ("(^ao)", paths), G_VARIANT_TYPE ("(aoo)"),
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
}

/* TRUE when the default collection exists and is unlocked. */
static gboolean
default_collection_ready (GDBusConnection *connection)
{
  g_autoptr(GVariant) alias = NULL;
  g_autoptr(GVariant) locked = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = NULL;

  alias = g_dbus_connection_call_sync (connection, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (alias, "(&o)", &path);
  if (g_str_equal (path, "/"))
    return FALSE;

  locked = g_dbus_connection_call_sync (connection, "org.freedesktop.secrets", path,
                                        "org.freedesktop.DBus.Properties", "Get",
                                        g_variant_new ("(ss)", "org.freedesktop.Secret.Collection",
                                                       "Locked"),
                                        G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                        NULL, &error);
  g_assert_no_error (error);
  g_variant_get (locked, "(v)", &value);
  return g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && !g_variant_get_boolean (value);
}

static void
prompter_method_cb (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  ScTestKeyring *self = user_data;
  const char *callback = NULL;

  g_variant_get_child (parameters, 0, "&o", &callback);
  if (g_str_equal (method_name, "BeginPrompting"))
    self->n_prompts++;
  g_dbus_method_invocation_return_value (invocation, NULL);
  g_main_context_wakeup (NULL);

  /* A prompt begun: closed at once, as if dismissed. */
  if (g_str_equal (method_name, "BeginPrompting") || g_str_equal (method_name, "PerformPrompt"))
    g_dbus_connection_call (connection, sender, callback,
                            "org.gnome.keyring.internal.Prompter.Callback", "PromptDone",
                            NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
}

static const GDBusInterfaceVTable prompter_vtable = { prompter_method_cb, NULL, NULL, { 0 } };

static void
register_prompter (ScTestKeyring *self)
{
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 result = 0;

  node = g_dbus_node_info_new_for_xml (prompter_xml, &error);
  g_assert_no_error (error);
  self->prompter_id = g_dbus_connection_register_object (self->connection,
                                                         "/org/gnome/keyring/Prompter",
                                                         node->interfaces[0], &prompter_vtable,
                                                         self, NULL, &error);
  g_assert_no_error (error);
  /* DBUS_NAME_FLAG_DO_NOT_QUEUE; 1: the primary owner. */
  reply = g_dbus_connection_call_sync (self->connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", "org.gnome.keyring.SystemPrompter",
                                                      4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);
}

static ScTestKeyring *
keyring_up (ScTestKeyringState state,
            gboolean           prompter)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GError) error = NULL;
  ScTestKeyring *self;
  GDBusConnectionFlags flags;
  guint watch_id;

  g_assert_nonnull (daemon);  /* build-aux/install-deps installs gnome-keyring */

  self = g_new0 (ScTestKeyring, 1);
  self->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (self->bus);

  /* Its control socket and keyrings go to the test's isolated dirs. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_runtime_dir (), 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  if (state == SC_TEST_KEYRING_NO_DEFAULT)
    {
      /* A first login: no keyring is made until someone stores a secret. */
      self->daemon = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground",
                                                  "--components=secrets", NULL);
      g_assert_no_error (error);
    }
  else
    {
      GOutputStream *stdin_pipe;

      /* --unlock reads the login keyring's password on stdin and creates
       * that keyring (the default collection). */
      self->daemon = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground",
                                                  "--components=secrets", "--unlock", NULL);
      g_assert_no_error (error);
      stdin_pipe = g_subprocess_get_stdin_pipe (self->daemon);
      g_output_stream_write_all (stdin_pipe, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD), NULL,
                                 NULL, &error);
      g_assert_no_error (error);
      g_output_stream_close (stdin_pipe, NULL, &error);
      g_assert_no_error (error);
    }

  /* A private connection: the bus singleton would keep GTestDBus up. */
  flags = G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
          G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION;
  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (self->bus),
                                                       flags, NULL, NULL, &error);
  g_assert_no_error (error);
  watch_id = g_bus_watch_name_on_connection (connection, "org.freedesktop.secrets",
                                             G_BUS_NAME_WATCHER_FLAGS_NONE,
                                             name_appeared_cb, NULL, self, NULL);
  timeout = g_timeout_source_new_seconds (START_TIMEOUT_S);
  g_source_set_callback (timeout, start_timeout_cb, self, NULL);
  g_source_attach (timeout, NULL);
  while (!self->appeared && !self->timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (timeout);
  g_bus_unwatch_name (watch_id);
  g_assert_true (self->appeared);

  switch (state)
    {
    case SC_TEST_KEYRING_UNLOCKED:
      {
        /* The daemon takes its bus name before it has made and unlocked
         * the login keyring from --unlock's password: wait for that too. */
        gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;

        while (!default_collection_ready (connection) && g_get_monotonic_time () < deadline)
          g_usleep (20 * 1000);
        g_assert_true (default_collection_ready (connection));
      }
      break;
    case SC_TEST_KEYRING_NO_DEFAULT:
      {
        g_autofree char *path = default_collection_path (connection);

        g_assert_cmpstr (path, ==, "/");
      }
      break;
    case SC_TEST_KEYRING_LOCKED:
      g_assert_true (default_collection_ready (connection));
      lock_default_collection (connection);
      g_assert_false (default_collection_ready (connection));
      break;
    default:
      g_assert_not_reached ();
    }

  if (prompter)
    {
      self->connection = g_steal_pointer (&connection);
      register_prompter (self);
    }
  else
    g_dbus_connection_close_sync (connection, NULL, NULL);
  return self;
}

ScTestKeyring *
sc_test_keyring_up (void)
{
  return keyring_up (SC_TEST_KEYRING_UNLOCKED, FALSE);
}

ScTestKeyring *
sc_test_keyring_up_with_prompter (ScTestKeyringState state)
{
  return keyring_up (state, TRUE);
}

void
sc_test_keyring_lock (ScTestKeyring *self)
{
  g_assert_nonnull (self->connection);
  lock_default_collection (self->connection);
  g_assert_false (default_collection_ready (self->connection));
}

void
sc_test_keyring_unlock (ScTestKeyring *self)
{
  g_autofree char *path = NULL;
  g_autoptr(GVariant) session = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *session_path = NULL;
  GVariant *master;

  g_assert_nonnull (self->connection);
  path = default_collection_path (self->connection);
  g_assert_cmpstr (path, !=, "/");
  session = g_dbus_connection_call_sync (self->connection, "org.freedesktop.secrets",
                                         "/org/freedesktop/secrets",
                                         "org.freedesktop.Secret.Service", "OpenSession",
                                         g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                         G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                         NULL, &error);
  g_assert_no_error (error);
  g_variant_get (session, "(v&o)", NULL, &session_path);
  master = g_variant_new ("(o@ay@ays)", session_path,
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, KEYRING_PASSWORD,
                                                     strlen (KEYRING_PASSWORD), 1),
                          "text/plain");
  /* gnome-keyring's own way in without a prompt, as its tests do. */
  reply = g_dbus_connection_call_sync (self->connection, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets",
                                       "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                       "UnlockWithMasterPassword",
                                       g_variant_new ("(o@(oayays))", path, master), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (default_collection_ready (self->connection));
}

guint
sc_test_keyring_get_n_prompts (ScTestKeyring *self)
{
  return self->n_prompts;
}

gboolean
sc_test_keyring_get_ready (ScTestKeyring *self)
{
  g_assert_nonnull (self->connection);
  return default_collection_ready (self->connection);
}

void
sc_test_keyring_down (ScTestKeyring *self)
{
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  g_subprocess_send_signal (self->daemon, SIGTERM);
  g_subprocess_wait (self->daemon, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&self->daemon);
  if (self->connection != NULL)
    {
      /* The process's own bus singleton may outlive the bus here: stop it
       * without waiting for that. */
      g_dbus_connection_unregister_object (self->connection, self->prompter_id);
      g_dbus_connection_close_sync (self->connection, NULL, NULL);
      g_clear_object (&self->connection);
      g_test_dbus_stop (self->bus);
      /* Its dispose would wait for the singleton (libsecret's service
       * proxy keeps it for the process's life): kept, stopped, until exit. */
      if (stopped_buses == NULL)
        stopped_buses = g_ptr_array_new ();
      g_ptr_array_add (stopped_buses, g_steal_pointer (&self->bus));
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
    }
  else
    g_test_dbus_down (self->bus);
  g_clear_object (&self->bus);
  g_free (self);
}
