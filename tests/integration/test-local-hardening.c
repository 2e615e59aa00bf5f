/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The counter's own robustness (issue 9): the CLI on a database it cannot
 * use answers with exit status 2 instead of hanging, usage errors exit 2,
 * and an offline login refuses a saved login from the future (the clock
 * was set back). The CLI runs as a separate process with a time limit. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sc-cache.h"
#include "sc-counter.h"
#include "sc-platform-client.h"
#include "sc-redemption.h"
#include "sc-test-cli.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"

/* Nothing listens there: every request is refused at once. */
#define DEAD_URL "http://127.0.0.1:1"
/* A CLI run that has not exited after this long hangs. */
#define CLI_LIMIT_S 20

typedef struct
{
  char *tmpdir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("sc-test-local-hardening-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sc_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

/* Runs store-counter with @args (NULL-terminated), "1234\n" on stdin, and
 * kills it if it has not exited after CLI_LIMIT_S. */
static void
run_cli (Fixture            *fixture,
         ScTestCliRun       *run,
         const char * const *args)
{
  g_autofree char *data_home = g_build_filename (fixture->tmpdir, "data", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    sc_test_cli_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                          G_SUBPROCESS_FLAGS_STDERR_PIPE, data_home);
  g_autoptr(GSubprocess) process = sc_test_cli_spawn (launcher, NULL, args);

  sc_test_cli_communicate (process, "1234\n", CLI_LIMIT_S, run);
}

static void
make_db (const char *path,
         const char *sql)
{
  sqlite3 *raw = NULL;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
}

/* The CLI on @path: answers in time, exit 2, the file named on stderr. */
static void
assert_cli_refuses_db (Fixture    *fixture,
                       const char *path)
{
  g_auto(ScTestCliRun) run = { 0 };

  run_cli (fixture, &run, (const char *[]) { "--platform-url", DEAD_URL, "--db", path,
                                             "--login", "1001:1", "--lookup", "100000000009",
                                             NULL });
  g_assert_true (run.exited);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, path));
}

static void
test_cli_bad_db (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *negative = g_build_filename (fixture->tmpdir, "negative.db", NULL);
  g_autofree char *newer = g_build_filename (fixture->tmpdir, "newer.db", NULL);
  g_autofree char *junk = g_build_filename (fixture->tmpdir, "junk.db", NULL);

  g_test_summary ("The CLI on a database with a negative or unknown schema version, or on "
                  "a file that is not a database, exits 2 with an error naming the file "
                  "(it used to hang forever on the negative version)");

  make_db (negative, "CREATE TABLE x (y); PRAGMA user_version = -1;");
  assert_cli_refuses_db (fixture, negative);

  make_db (newer, "CREATE TABLE x (y); PRAGMA user_version = 9999;");
  assert_cli_refuses_db (fixture, newer);

  g_assert_true (g_file_set_contents (junk, "not a database\n", -1, NULL));
  assert_cli_refuses_db (fixture, junk);
}

static void
test_cli_usage_errors (Fixture       *fixture,
                       gconstpointer  data)
{
  const char * const *cases[] = {
    /* Not UTF-8 */
    (const char *[]) { "--lookup", "\xff\xfe", NULL },
    (const char *[]) { "--no-such-option", NULL },
    /* A value missing */
    (const char *[]) { "--lookup", NULL },
    (const char *[]) { "--login", NULL },
    /* Two commands at once */
    (const char *[]) { "--login", "1001:1", "--lookup", "100000000009", "--undo", "x", NULL },
    (const char *[]) { "--login", "1001:1", "--redeem", "100000000009", "--sync", NULL },
    (const char *[]) { "--decode", "a.png", "--lookup", "100000000009", NULL },
  };

  g_test_summary ("Usage errors (a value that is not UTF-8, an unknown option, a missing "
                  "value, two commands at once) exit 2 with a message pointing at --help, "
                  "never 1 (a negative verdict)");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(ScTestCliRun) run = { 0 };
      g_autoptr(GPtrArray) args = g_ptr_array_new ();

      g_ptr_array_add (args, (gpointer) "--platform-url");
      g_ptr_array_add (args, (gpointer) DEAD_URL);
      for (guint j = 0; cases[i][j] != NULL; j++)
        g_ptr_array_add (args, (gpointer) cases[i][j]);
      g_ptr_array_add (args, NULL);

      run_cli (fixture, &run, (const char * const *) args->pdata);
      g_assert_true (run.exited);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, "--help"));
    }
}

/* ---- offline login and the clock ---- */

#define STORE_KEY "5c0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5"

static void
save_offline_login (ScCache          *cache,
                    ScPlatformClient *client,
                    gint64            at)
{
  g_autoptr(ScSession) session = sc_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  session->store_id = g_strdup ("1001");
  session->store_name = g_strdup ("示范自提点");
  session->store_timezone = g_strdup ("Asia/Shanghai");
  session->clerk_id = g_strdup ("1");
  session->clerk_name = g_strdup ("王芳");
  session->undo_window_s = 300;
  session->manifest_key = g_strdup (STORE_KEY);
  sc_cache_save_offline_login_async (cache, sc_platform_client_get_base_url (client), session,
                                     "1234", at, NULL, sc_test_result_cb, &result);
  g_assert_true (sc_cache_save_offline_login_finish (cache, sc_test_wait_result (&result),
                                                     &error));
  g_assert_no_error (error);
}

static gboolean
login_offline (ScCounter  *counter,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  sc_counter_login_async (counter, "1001", "1", "1234", NULL, sc_test_result_cb, &result);
  ok = sc_counter_login_finish (counter, sc_test_wait_result (&result), error);
  sc_test_counter_idle (counter);
  return ok;
}

static void
test_offline_login_clock_behind (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *db_path = g_build_filename (fixture->tmpdir, "counter.db", NULL);
  g_autoptr(ScCache) cache = sc_test_open_cache (db_path);
  g_autoptr(ScPlatformClient) client = sc_platform_client_new (DEAD_URL);
  g_autoptr(ScCounter) counter = sc_counter_new (cache, client);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* The store's key, as the keyring would give it at start. */
  sc_counter_set_store_key (counter, "1001", STORE_KEY);

  g_test_summary ("An offline login whose last online login lies in the future (the "
                  "clock was set back, which would stretch the 7 days) is refused with "
                  "words; one from yesterday is accepted");

  /* Saved "tomorrow": this computer's clock went back a day since. */
  save_offline_login (cache, client, now + 24 * 3600);
  g_assert_false (login_offline (counter, &error));
  g_assert_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_OFFLINE_LOGIN_TOO_OLD);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "clock"));
  g_assert_null (sc_counter_get_session (counter));
  g_clear_error (&error);

  /* A minute ahead is refused too. */
  save_offline_login (cache, client, now + 60);
  g_assert_false (login_offline (counter, &error));
  g_assert_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_OFFLINE_LOGIN_TOO_OLD);
  g_clear_error (&error);

  /* Yesterday is fine. */
  save_offline_login (cache, client, now - 24 * 3600);
  g_assert_true (login_offline (counter, &error));
  g_assert_no_error (error);
  g_assert_true (sc_counter_get_session (counter)->offline);

  sc_test_counter_idle (counter);
  g_assert_finalize_object (g_steal_pointer (&counter));
  g_assert_finalize_object (g_steal_pointer (&client));
  g_assert_finalize_object (g_steal_pointer (&cache));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/local-hardening/cli/bad-db", Fixture, NULL, fixture_setup,
              test_cli_bad_db, fixture_teardown);
  g_test_add ("/local-hardening/cli/usage-errors", Fixture, NULL, fixture_setup,
              test_cli_usage_errors, fixture_teardown);
  g_test_add ("/local-hardening/offline-login/clock-behind", Fixture, NULL, fixture_setup,
              test_offline_login_clock_behind, fixture_teardown);

  return g_test_run ();
}
