/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScApplication as the composition root: which platform address it picks,
 * and the services it builds and keeps. */
#include "config.h"

#include <glib/gstdio.h>

#include "sc-application.h"
#include "sc-cli-private.h"
#include "sc-counter.h"

/* Until the counter's own bookkeeping (counting its log…) is done. */
static void
wait_idle (ScCounter *counter)
{
  while (!sc_counter_is_idle (counter))
    g_main_context_iteration (NULL, TRUE);
}

static ScCounter *
open_services (ScApplication  *app,
               const char     *url,
               const char     *db_path,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_application_open_async (app, url, db_path, NULL, sc_cli_result_cb, &result);
  return sc_application_open_finish (app, sc_cli_wait (&result), error);
}

static void
test_platform_url (void)
{
  g_autoptr(ScApplication) app = sc_application_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *by_default = NULL;
  g_autofree char *by_option = NULL;
  g_autofree char *by_setting = NULL;
  g_autofree char *by_env = NULL;
  g_autofree char *option_over_env = NULL;
  g_autofree char *empty_setting = NULL;

  g_test_summary ("--platform-url, then $SC_PLATFORM_URL, then the platform-url setting, "
                  "then the loopback default: for the window and the command line alike");

  g_unsetenv ("SC_PLATFORM_URL");
  by_default = sc_application_dup_platform_url (app, NULL);
  g_assert_cmpstr (by_default, ==, "http://127.0.0.1:8080");
  by_option = sc_application_dup_platform_url (app, "https://option.example.cn");
  g_assert_cmpstr (by_option, ==, "https://option.example.cn");

  g_settings_set_string (settings, "platform-url", "https://setting.example.cn");
  by_setting = sc_application_dup_platform_url (app, "");
  g_assert_cmpstr (by_setting, ==, "https://setting.example.cn");

  g_setenv ("SC_PLATFORM_URL", "https://env.example.cn", TRUE);
  by_env = sc_application_dup_platform_url (app, NULL);
  g_assert_cmpstr (by_env, ==, "https://env.example.cn");
  option_over_env = sc_application_dup_platform_url (app, "https://option.example.cn");
  g_assert_cmpstr (option_over_env, ==, "https://option.example.cn");
  g_unsetenv ("SC_PLATFORM_URL");

  g_settings_set_string (settings, "platform-url", "");
  empty_setting = sc_application_dup_platform_url (app, NULL);
  g_assert_cmpstr (empty_setting, ==, "http://127.0.0.1:8080");
  g_settings_reset (settings, "platform-url");
}

static void
test_services (void)
{
  ScApplication *app = sc_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("sc-test-application-XXXXXX", NULL);
  g_autofree char *not_a_db = g_build_filename (tmpdir, "folder.db", NULL);
  ScSessionStore *store;
  ScCounter *first;
  ScCounter *second;
  ScCounter *failed;

  g_test_summary ("The application builds the counter over an open cache, keeps the newest "
                  "one it built, keeps it when a database cannot be opened, and keeps one "
                  "session store");

  g_assert_null (sc_application_get_counter (app));
  store = sc_application_get_session_store (app);
  g_assert_nonnull (store);
  g_assert_true (sc_application_get_session_store (app) == store);

  first = open_services (app, "http://127.0.0.1:9", ":memory:", &error);
  g_assert_no_error (error);
  g_assert_true (SC_IS_COUNTER (first));
  g_assert_true (sc_application_get_counter (app) == first);
  g_assert_null (sc_counter_get_session (first));

  second = open_services (app, "http://127.0.0.1:9", ":memory:", &error);
  g_assert_no_error (error);
  g_assert_true (second != first);
  g_assert_true (sc_application_get_counter (app) == second);
  /* Whoever holds the first one still may use it; the application let go. */
  wait_idle (first);
  g_assert_finalize_object (first);

  g_assert_cmpint (g_mkdir (not_a_db, 0700), ==, 0);
  failed = open_services (app, "http://127.0.0.1:9", not_a_db, &error);
  g_assert_null (failed);
  g_assert_nonnull (error);
  g_assert_true (sc_application_get_counter (app) == second);

  /* The application's references are the last but ours. */
  g_object_ref (store);
  wait_idle (second);
  g_assert_finalize_object (app);
  g_assert_finalize_object (second);
  g_assert_finalize_object (store);
  g_rmdir (not_a_db);
  g_rmdir (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/application/platform-url", test_platform_url);
  g_test_add_func ("/application/services", test_services);

  return g_test_run ();
}
