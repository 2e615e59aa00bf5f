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
  GTestDBus   *bus;          /* (owned) */
  GSubprocess *daemon;       /* (owned) gnome-keyring-daemon */
  gboolean     appeared;
  gboolean     timed_out;
};

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

ScTestKeyring *
sc_test_keyring_up (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GError) error = NULL;
  ScTestKeyring *self;
  GDBusConnectionFlags flags;
  GOutputStream *stdin_pipe;
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
  /* --unlock reads the login keyring's password on stdin and creates that
   * keyring (the default collection). */
  self->daemon = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground",
                                              "--components=secrets", "--unlock", NULL);
  g_assert_no_error (error);
  stdin_pipe = g_subprocess_get_stdin_pipe (self->daemon);
  g_output_stream_write_all (stdin_pipe, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD), NULL,
                             NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (stdin_pipe, NULL, &error);
  g_assert_no_error (error);

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

  g_assert_true (default_collection_ready (connection));
  g_dbus_connection_close_sync (connection, NULL, NULL);
  return self;
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
  g_test_dbus_down (self->bus);
  g_clear_object (&self->bus);
  g_free (self);
}
