/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libglib-testing/signal-logger.h>
#include <libsecret/secret.h>

#include "sc-redemption.h"
#include "sc-session-store.h"

#define URL_A "https://platform.example.cn"
#define URL_B "http://127.0.0.1:8080"
#define KEYRING_PASSWORD "sc-test-keyring"
#define START_TIMEOUT_S 15

/* The same schema as the store's: the tests plant and find items with it. */
static const SecretSchema test_schema = {
  "io.github.storecounter.StoreCounter.Session", SECRET_SCHEMA_NONE,
  {
    { "platform-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "store-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "clerk-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef struct
{
  GMainContext   *context;    /* (owned) pushed as thread default */
  GTestDBus      *bus;        /* (owned) (nullable) a private session bus */
  GSubprocess    *keyring;    /* (owned) (nullable) gnome-keyring-daemon */
  ScSessionStore *store;      /* (owned) */
  GAsyncResult   *result;     /* (owned) (nullable) */
  gboolean        pushed;     /* context pushed as thread default */
  gboolean        timed_out;
  gboolean        name_appeared;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);
  f->pushed = TRUE;
  f->store = sc_session_store_new ();
}

/* A private session bus on which nothing can be activated. Its tests run
 * on the global default context: g_test_dbus_down() waits for the last
 * D-Bus replies (libsecret's proxies, name watches) by iterating that
 * context, so they must have been sent from it. */
static void
fixture_setup_private_bus (Fixture       *f,
                           gconstpointer  data)
{
  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->context = g_main_context_ref (g_main_context_default ());
  f->store = sc_session_store_new ();
}

/* No session bus at all: no address, nothing to autolaunch, and the
 * isolated XDG_RUNTIME_DIR has no "bus" socket. */
static void
fixture_setup_no_bus (Fixture       *f,
                      gconstpointer  data)
{
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_unsetenv ("DBUS_STARTER_ADDRESS");
  g_unsetenv ("DBUS_STARTER_BUS_TYPE");
  g_unsetenv ("DISPLAY");
  fixture_setup (f, data);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_null (f->result);
  g_assert_finalize_object (g_steal_pointer (&f->store));

  /* libsecret keeps the default service (and so the bus) alive. */
  secret_service_disconnect ();

  if (f->keyring != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_subprocess_send_signal (f->keyring, SIGTERM);
      g_subprocess_wait (f->keyring, NULL, &error);
      g_assert_no_error (error);
      g_clear_object (&f->keyring);
    }

  while (g_main_context_iteration (f->context, FALSE))
    ;
  if (f->pushed)
    g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);

  if (f->bus != NULL)
    {
      g_test_dbus_down (f->bus);
      g_clear_object (&f->bus);
    }
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_true (g_main_context_is_owner (f->context));
  g_assert_null (f->result);
  f->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Fixture *f)
{
  while (f->result == NULL)
    g_main_context_iteration (f->context, TRUE);
  return g_steal_pointer (&f->result);
}

static gboolean
save (Fixture         *f,
      ScSessionStore  *store,
      const char      *url,
      const ScSession *session,
      GCancellable    *cancellable,
      GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_session_store_save_async (store, url, session, cancellable, result_cb, f);
  result = wait_result (f);
  return sc_session_store_save_finish (store, result, error);
}

static ScSession *
load (Fixture        *f,
      ScSessionStore *store,
      const char     *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScSession *session;

  sc_session_store_load_async (store, url, NULL, result_cb, f);
  result = wait_result (f);
  session = sc_session_store_load_finish (store, result, &error);
  g_assert_no_error (error);
  return session;
}

static void clear (Fixture        *f,
                   ScSessionStore *store,
                   const char     *url);

#define KEY_A "5c0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5"
#define KEY_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

static void
save_key (Fixture        *f,
          ScSessionStore *store,
          const char     *url,
          const char     *store_id,
          const char     *key)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sc_session_store_save_key_async (store, url, store_id, key, NULL, result_cb, f);
  result = wait_result (f);
  g_assert_true (sc_session_store_save_key_finish (store, result, &error));
  g_assert_no_error (error);
}

static char *
load_key (Fixture        *f,
          ScSessionStore *store,
          const char     *url,
          const char     *store_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  sc_session_store_load_key_async (store, url, store_id, NULL, result_cb, f);
  result = wait_result (f);
  key = sc_session_store_load_key_finish (store, result, &error);
  g_assert_no_error (error);
  return key;
}

/* Keys: per URL and store; a session's clear leaves them. */
static void
check_keys (Fixture        *f,
            ScSessionStore *writer,
            ScSessionStore *reader)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *other_url = NULL;
  g_autofree char *other_store = NULL;
  g_autofree char *after_clear = NULL;

  save_key (f, writer, URL_A, "S001", KEY_A);
  save_key (f, writer, URL_A, "S002", KEY_B);
  a = load_key (f, reader, URL_A, "S001");
  g_assert_cmpstr (a, ==, KEY_A);
  b = load_key (f, reader, URL_A, "S002");
  g_assert_cmpstr (b, ==, KEY_B);
  other_url = load_key (f, reader, URL_B, "S001");
  g_assert_null (other_url);
  other_store = load_key (f, reader, URL_A, "S003");
  g_assert_null (other_store);
  clear (f, writer, URL_A);
  after_clear = load_key (f, reader, URL_A, "S001");
  g_assert_cmpstr (after_clear, ==, KEY_A);
}

static void
clear (Fixture        *f,
       ScSessionStore *store,
       const char     *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sc_session_store_clear_async (store, url, NULL, result_cb, f);
  result = wait_result (f);
  g_assert_true (sc_session_store_clear_finish (store, result, &error));
  g_assert_no_error (error);
}

/* A complete session expiring @expires_in_s from now (whole seconds, as
 * RFC 3339 keeps them). */
static ScSession *
make_session (const char *token,
              const char *store_id,
              const char *clerk_id,
              gint64      expires_in_s)
{
  ScSession *session = sc_session_new ();

  session->token = g_strdup (token);
  session->expires_at = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC +
                                                       expires_in_s);
  session->store_id = g_strdup (store_id);
  session->store_name = g_strdup ("幸福里社区团购点");
  session->store_timezone = g_strdup ("Asia/Shanghai");
  session->clerk_id = g_strdup (clerk_id);
  session->clerk_name = g_strdup ("王小红");
  session->undo_window_s = 120;
  return session;
}

static void
assert_session_equal (const ScSession *a,
                      const ScSession *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (a->token, ==, b->token);
  g_assert_true (g_date_time_equal (a->expires_at, b->expires_at));
  g_assert_cmpstr (a->store_id, ==, b->store_id);
  g_assert_cmpstr (a->store_name, ==, b->store_name);
  g_assert_cmpstr (a->store_timezone, ==, b->store_timezone);
  g_assert_cmpstr (a->clerk_id, ==, b->clerk_id);
  g_assert_cmpstr (a->clerk_name, ==, b->clerk_name);
  g_assert_cmpint (a->undo_window_s, ==, b->undo_window_s);
}

/* save() that succeeds. */
static void
save_ok (Fixture         *f,
         ScSessionStore  *store,
         const char      *url,
         const ScSession *session)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (save (f, store, url, session, NULL, &error));
  g_assert_no_error (error);
}

/* load() of @url gives a session equal to @expected, or none when
 * @expected is NULL. */
static void
assert_loads (Fixture         *f,
              ScSessionStore  *store,
              const char      *url,
              const ScSession *expected)
{
  g_autoptr(ScSession) loaded = load (f, store, url);

  if (expected == NULL)
    g_assert_null (loaded);
  else
    assert_session_equal (loaded, expected);
}

/* The whole contract of the memory-only mode, from a fresh store. */
static void
check_memory_mode (Fixture *f)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(ScSession) a = make_session ("tok-a", "S001", "C01", 3600);
  g_autoptr(ScSession) b = make_session ("tok-b", "S001", "C02", 7200);
  g_autoptr(ScSession) expired = make_session ("tok-old", "S001", "C01", 0);

  gt_signal_logger_connect (logger, f->store, "notify");
  g_assert_true (sc_session_store_get_available (f->store));

  save_ok (f, f->store, URL_A, a);
  g_assert_false (sc_session_store_get_available (f->store));
  gt_signal_logger_assert_notify_emission_pop (logger, f->store, "available");
  gt_signal_logger_assert_no_emissions (logger);

  assert_loads (f, f->store, URL_A, a);
  assert_loads (f, f->store, URL_B, NULL);

  /* A second save for the same URL replaces the first. */
  save_ok (f, f->store, URL_A, b);
  assert_loads (f, f->store, URL_A, b);

  save_ok (f, f->store, URL_B, a);
  assert_loads (f, f->store, URL_B, a);

  clear (f, f->store, URL_A);
  assert_loads (f, f->store, URL_A, NULL);
  assert_loads (f, f->store, URL_B, a);
  clear (f, f->store, URL_A);   /* clearing nothing is fine */

  save_ok (f, f->store, URL_A, expired);
  assert_loads (f, f->store, URL_A, NULL);

  check_keys (f, f->store, f->store);

  /* "available" told once. */
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_false (sc_session_store_get_available (f->store));
  gt_signal_logger_free (g_steal_pointer (&logger));
}

static void
test_no_bus (Fixture       *f,
             gconstpointer  data)
{
  g_test_summary ("Without any session bus the store keeps sessions in memory and says so once");
  check_memory_mode (f);
}

static void
test_no_service (Fixture       *f,
                 gconstpointer  data)
{
  g_test_summary ("On a bus where nobody provides org.freedesktop.secrets the store keeps "
                  "sessions in memory and says so once");
  check_memory_mode (f);
}

static void
test_load_first (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A load that finds no Secret Service gives no session and no error");

  assert_loads (f, f->store, URL_A, NULL);
  g_assert_false (sc_session_store_get_available (f->store));
  clear (f, f->store, URL_A);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ScSession) incomplete = make_session ("tok", "S001", "C01", 3600);
  g_autoptr(ScSession) good = make_session ("tok", "S001", "C01", 3600);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GError) error3 = NULL;
  g_autoptr(GError) error4 = NULL;

  g_test_summary ("An incomplete session, an empty URL and a cancelled call give clear errors");

  g_clear_pointer (&incomplete->token, g_free);
  incomplete->token = g_strdup ("");
  g_assert_false (save (f, f->store, URL_A, incomplete, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  g_clear_pointer (&incomplete->token, g_free);
  incomplete->token = g_strdup ("tok");
  g_clear_pointer (&incomplete->expires_at, g_date_time_unref);
  g_assert_false (save (f, f->store, URL_A, incomplete, NULL, &error2));
  g_assert_error (error2, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  g_assert_false (save (f, f->store, "", good, NULL, &error3));
  g_assert_error (error3, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  assert_loads (f, f->store, "", NULL);

  g_cancellable_cancel (cancellable);
  g_assert_false (save (f, f->store, URL_A, good, cancellable, &error4));
  g_assert_error (error4, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_error (&error4);
  sc_session_store_load_async (f->store, URL_A, cancellable, result_cb, f);
  result = wait_result (f);
  g_assert_null (sc_session_store_load_finish (f->store, result, &error4));
  g_assert_error (error4, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* None of that touched the Secret Service. */
  g_assert_true (sc_session_store_get_available (f->store));
}

/* The real path: gnome-keyring-daemon on the test's own bus.
 *
 * libsecret keeps a reference to the bus connection singleton after an
 * async store (seen with 0.20.5), so g_test_dbus_down() could never see it
 * go. The test therefore runs in two processes: the parent starts the bus
 * and the daemon and checks them over a private (non-singleton)
 * connection; a subprocess runs the store against them and exits. */

#define KEYRING_DIRS_ENV "SC_TEST_KEYRING_DIRS"

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *name_owner,
                  gpointer         user_data)
{
  Fixture *f = user_data;

  f->name_appeared = TRUE;
  g_main_context_wakeup (f->context);
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  Fixture *f = user_data;

  f->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* TRUE when the default collection exists and is unlocked. */
static gboolean
default_collection_ready (GDBusConnection  *connection,
                          GError          **error)
{
  g_autoptr(GVariant) alias = NULL;
  g_autoptr(GVariant) locked = NULL;
  g_autoptr(GVariant) value = NULL;
  const char *path = NULL;

  alias = g_dbus_connection_call_sync (connection, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, error);
  if (alias == NULL)
    return FALSE;
  g_variant_get (alias, "(&o)", &path);
  if (g_str_equal (path, "/"))
    return FALSE;

  locked = g_dbus_connection_call_sync (connection, "org.freedesktop.secrets", path,
                                        "org.freedesktop.DBus.Properties", "Get",
                                        g_variant_new ("(ss)", "org.freedesktop.Secret.Collection",
                                                       "Locked"),
                                        G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                        NULL, error);
  if (locked == NULL)
    return FALSE;
  g_variant_get (locked, "(v)", &value);
  return g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && !g_variant_get_boolean (value);
}

/* Starts gnome-keyring-daemon on the private bus with an unlocked default
 * "login" collection; FALSE with a reason when it cannot. */
static gboolean
start_keyring (Fixture  *f,
               char    **out_reason)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GError) error = NULL;
  GDBusConnectionFlags flags;
  GOutputStream *stdin_pipe;
  gboolean ready;
  guint watch_id;

  if (daemon == NULL)
    {
      *out_reason = g_strdup ("gnome-keyring-daemon is not installed");
      return FALSE;
    }

  /* Its control socket and keyrings go to the test's isolated dirs. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_runtime_dir (), 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* GTestDBus points HOME and the XDG dirs at /dev/null in the environment;
   * give the daemon the test's isolated ones. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  /* --unlock reads the login keyring's password on stdin and creates that
   * keyring (the default collection); an empty password creates nothing, so
   * the throwaway keyring gets a fixed one. */
  f->keyring = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground",
                                            "--components=secrets", "--unlock", NULL);
  if (f->keyring == NULL)
    {
      *out_reason = g_strdup_printf ("gnome-keyring-daemon did not start: %s", error->message);
      return FALSE;
    }
  stdin_pipe = g_subprocess_get_stdin_pipe (f->keyring);
  if (!g_output_stream_write_all (stdin_pipe, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD),
                                  NULL, NULL, &error) ||
      !g_output_stream_close (stdin_pipe, NULL, &error))
    {
      *out_reason = g_strdup_printf ("gnome-keyring-daemon took no password: %s",
                                     error->message);
      return FALSE;
    }

  flags = G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
          G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION;
  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (f->bus),
                                                       flags, NULL, NULL, &error);
  g_assert_no_error (error);
  watch_id = g_bus_watch_name_on_connection (connection, "org.freedesktop.secrets",
                                             G_BUS_NAME_WATCHER_FLAGS_NONE,
                                             name_appeared_cb, NULL, f, NULL);
  timeout = g_timeout_source_new_seconds (START_TIMEOUT_S);
  g_source_set_callback (timeout, start_timeout_cb, f, NULL);
  g_source_attach (timeout, f->context);
  while (!f->name_appeared && !f->timed_out)
    g_main_context_iteration (f->context, TRUE);
  g_source_destroy (timeout);
  g_bus_unwatch_name (watch_id);

  if (!f->name_appeared)
    {
      *out_reason = g_strdup_printf ("gnome-keyring-daemon did not own org.freedesktop.secrets "
                                     "within %d s", START_TIMEOUT_S);
      return FALSE;
    }

  ready = default_collection_ready (connection, &error);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  if (!ready)
    {
      *out_reason = g_strdup_printf ("the test keyring has no unlocked default collection%s%s",
                                     error != NULL ? ": " : "",
                                     error != NULL ? error->message : "");
      return FALSE;
    }

  return TRUE;
}

static gboolean
contains (const char *haystack,
          gsize       len,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= len && i <= len - n; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Every file under @dir, checked for @needle in plain text. */
static void
assert_not_in_files (const char *dir,
                     const char *needle,
                     guint      *n_files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_not_in_files (path, needle, n_files);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *contents = NULL;
          gsize len = 0;

          if (!g_file_get_contents (path, &contents, &len, NULL))
            continue;
          (*n_files)++;
          if (contains (contents, len, needle))
            g_error ("%s holds the token in plain text", path);
        }
    }
}

/* (transfer full) (nullable): a g_free()-able copy of the password found */
static char *
lookup_direct (const char *attr,
               const char *value)
{
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_sync (&test_schema, NULL, &error, attr, value, NULL);
  char *copy = g_strdup (secret);

  g_assert_no_error (error);
  secret_password_free (secret);
  return copy;
}

static void
plant_secret (const char *url,
              const char *secret)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (secret_password_store_sync (&test_schema, SECRET_COLLECTION_DEFAULT, "planted",
                                             secret, NULL, &error,
                                             "platform-url", url,
                                             "store-id", "S001",
                                             "clerk-id", "C01",
                                             NULL));
  g_assert_no_error (error);
}

/* Runs in the subprocess, on the parent's bus and keyring. */
static void
keyring_body (Fixture *f)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autoptr(ScSession) a = make_session ("tok-secret-a-7f3e9b", "S001", "C01", 3600);
  g_autoptr(ScSession) b = make_session ("tok-secret-b-41c2d8", "S001", "C02", 3600);
  g_autoptr(ScSession) expired = make_session ("tok-old", "S001", "C01", -10);
  g_autoptr(ScSession) junk1 = NULL;
  g_autoptr(ScSession) junk2 = NULL;
  g_autoptr(ScSessionStore) second = NULL;
  g_autofree char *old_clerk = NULL;
  g_autofree char *new_clerk = NULL;
  g_autofree char *after_clear = NULL;
  g_autofree char *after_junk = NULL;
  g_autofree char *after_stale = NULL;
  const char *dirs = g_getenv (KEYRING_DIRS_ENV);
  guint n_files = 0;

  g_assert_nonnull (dirs);
  gt_signal_logger_connect (logger, f->store, "notify");

  save_ok (f, f->store, URL_A, a);
  g_assert_true (sc_session_store_get_available (f->store));

  /* A new store (as after a restart) reads it from the keyring. */
  second = sc_session_store_new ();
  assert_loads (f, second, URL_A, a);
  assert_loads (f, second, URL_B, NULL);
  g_assert_true (sc_session_store_get_available (second));

  /* Saving another clerk's login for the URL replaces the item. */
  save_ok (f, second, URL_A, b);
  old_clerk = lookup_direct ("clerk-id", "C01");
  g_assert_null (old_clerk);
  new_clerk = lookup_direct ("clerk-id", "C02");
  g_assert_nonnull (new_clerk);
  g_assert_nonnull (strstr (new_clerk, b->token));
  assert_loads (f, f->store, URL_A, b);

  /* The keyring wrote its files, and none holds the token. */
  assert_not_in_files (dirs, b->token, &n_files);
  g_assert_cmpuint (n_files, >, 0);

  clear (f, f->store, URL_A);
  assert_loads (f, second, URL_A, NULL);
  after_clear = lookup_direct ("platform-url", URL_A);
  g_assert_null (after_clear);

  /* A secret that is not a session: no session, removed, one warning. */
  plant_secret (URL_A, "{\"token\": 5, \"expires_at\": \"2099-01-01T00:00:00Z\"}");
  g_test_expect_message ("sc-test", G_LOG_LEVEL_WARNING, "*not valid (token)*");
  junk1 = load (f, f->store, URL_A);
  g_test_assert_expected_messages ();
  g_assert_null (junk1);
  after_junk = lookup_direct ("platform-url", URL_A);
  g_assert_null (after_junk);
  plant_secret (URL_A, "not json at all");
  junk2 = load (f, f->store, URL_A);   /* no second warning */
  g_assert_null (junk2);

  /* An expired session: NULL and removed. */
  save_ok (f, f->store, URL_A, expired);
  assert_loads (f, second, URL_A, NULL);
  after_stale = lookup_direct ("platform-url", URL_A);
  g_assert_null (after_stale);

  /* Store keys survive into a new store, and no file holds them. */
  check_keys (f, f->store, second);
  assert_not_in_files (dirs, KEY_A, &n_files);

  g_assert_true (sc_session_store_get_available (f->store));
  g_assert_true (sc_session_store_get_available (second));
  gt_signal_logger_assert_no_emissions (logger);
  gt_signal_logger_free (g_steal_pointer (&logger));
  g_assert_finalize_object (g_steal_pointer (&second));
}

static void
test_keyring (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *reason = NULL;
  g_autofree char *dirs = NULL;

  if (g_test_subprocess ())
    {
      keyring_body (f);
      return;
    }

  g_test_summary ("With a real Secret Service (gnome-keyring) a session survives into a new "
                  "store, one item per URL, clear, bad and expired secrets removed");

  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  if (!start_keyring (f, &reason))
    {
      g_test_skip (reason);
      return;
    }

  /* The subprocess inherits the bus address; tell it where the daemon
   * keeps its files. */
  dirs = g_path_get_dirname (g_get_home_dir ());
  g_setenv (KEYRING_DIRS_ENV, dirs, TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv (KEYRING_DIRS_ENV);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/session-store/no-bus/memory", Fixture, NULL,
              fixture_setup_no_bus, test_no_bus, fixture_teardown);
  g_test_add ("/session-store/no-bus/load-first", Fixture, NULL,
              fixture_setup_no_bus, test_load_first, fixture_teardown);
  g_test_add ("/session-store/no-bus/bad-input", Fixture, NULL,
              fixture_setup_no_bus, test_bad_input, fixture_teardown);
  g_test_add ("/session-store/no-service/memory", Fixture, NULL,
              fixture_setup_private_bus, test_no_service, fixture_teardown);
  g_test_add ("/session-store/no-service/load-first", Fixture, NULL,
              fixture_setup_private_bus, test_load_first, fixture_teardown);
  g_test_add ("/session-store/keyring", Fixture, NULL,
              fixture_setup, test_keyring, fixture_teardown);

  return g_test_run ();
}
