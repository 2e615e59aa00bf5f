/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HTTPS (DESIGN §13): the reference platform serves it with --tls-cert and
 * --tls-key; the counter works over it when it trusts the certificate, and
 * refuses a certificate it cannot trust with its own error and words, never
 * as "offline": no offline login, no answer from the offline copy, nothing
 * dropped from the outbox. The certificates are made at test time
 * (sc-test-tls.h); the client trusts the test CA through
 * SC_TEST_TLS_CA_FILE. A real store-counter-platform process on loopback,
 * a real SQLite cache. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sc-cache.h"
#include "sc-counter.h"
#include "sc-platform-client.h"
#include "sc-test-cli.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"
#include "sc-test-tls.h"
#include "sc-verdict.h"

/* Made once, before any thread: SC_TEST_TLS_CA_FILE is set once. */
static ScTestTls *tls;

typedef ScTestCounterFixture Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  sc_test_counter_fixture_init (fixture, (const char * const[]) {
                                  "--tls-cert", tls->good, "--tls-key", tls->key, NULL },
                                "sc-test-tls-XXXXXX");
  g_assert_true (g_str_has_prefix (fixture->platform->url, "https://127.0.0.1:"));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sc_test_counter_fixture_clear (fixture);
}

/* ---- the platform's options ---- */

/* Runs the platform with @args after --db :memory:; returns its exit
 * status and what it wrote to standard error. */
static int
run_platform (const char * const  *args,
              char               **out_stderr)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *asan_options = g_getenv ("ASAN_OPTIONS");

  g_ptr_array_add (argv, (char *) g_getenv ("SC_PLATFORM_BIN"));
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) ":memory:");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Under ASan, LeakSanitizer's tracer crashes at the exit of a process
   * that did a GnuTLS handshake (see sc-test-platform.c), as these refusals
   * do for the key check: no leak check here, the other checks stay on. */
  if (asan_options != NULL)
    {
      g_autofree char *options = g_strconcat (asan_options, ":detect_leaks=0", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, out_stderr, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_test_message ("platform %s %s: exit %d, “%s”", args[0], args[1] != NULL ? args[1] : "",
                  g_subprocess_get_exit_status (process), *out_stderr);
  return g_subprocess_get_exit_status (process);
}

static void
assert_platform_refuses (const char * const *args,
                         const char         *words)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (run_platform (args, &err), ==, 2);
  g_assert_nonnull (strstr (err, words));
}

static void
test_platform_options (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->tmpdir, "missing.pem", NULL);

  g_test_summary ("--tls-cert and --tls-key serve HTTPS (the URL line says https://); "
                  "one without the other, a missing file or a key that is not the "
                  "certificate's is refused at start in words naming it, with exit 2");

  /* The fixture's platform started with a good pair: its URL is https. */
  g_assert_true (g_str_has_prefix (fixture->platform->url, "https://"));

  assert_platform_refuses ((const char * const[]) { "--tls-cert", tls->good, NULL },
                           "--tls-key");
  assert_platform_refuses ((const char * const[]) { "--tls-key", tls->key, NULL },
                           "--tls-cert");
  assert_platform_refuses ((const char * const[]) {
                             "--tls-cert", missing, "--tls-key", tls->key, NULL },
                           missing);
  /* A key where the certificate should be: unreadable as one. */
  assert_platform_refuses ((const char * const[]) {
                             "--tls-cert", tls->key, "--tls-key", tls->key,
                             NULL },
                           tls->key);
  assert_platform_refuses ((const char * const[]) {
                             "--tls-cert", tls->good, "--tls-key",
                             tls->other_key, NULL },
                           "does not belong");
}

/* ---- the counter over HTTPS ---- */

static void
test_trusted (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *code = sc_test_platform_demo_code (fixture->platform, "redeemable",
                                                      "pickup", 0);
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(ScRedemption) redeemed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;

  g_test_summary ("With the test CA trusted, login, lookup and redeem work over https");

  before = sc_test_platform_admin (fixture->platform, "GET",
                                  "/v1/admin/redemptions?store_id=1001&limit=0", NULL, 200);
  sc_test_counter_fixture_open (fixture);
  sc_test_counter_login (fixture->counter, "1");
  g_assert_true (sc_counter_get_online (fixture->counter));

  verdict = sc_test_counter_lookup (fixture->counter, code);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_false (sc_verdict_get_offline (verdict));

  redeemed = sc_test_counter_redeem (fixture->counter, verdict, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (redeemed->state, ==, SC_REDEMPTION_STATE_SYNCED);
  g_assert_false (redeemed->offline);

  after = sc_test_platform_admin (fixture->platform, "GET",
                                 "/v1/admin/redemptions?store_id=1001&limit=0", NULL, 200);
  g_assert_cmpint (json_object_get_int_member (after, "count"), ==,
                   json_object_get_int_member (before, "count") + 1);
}

/* The counter worked online over https; then the platform comes back on
 * the same address with @cert / @key. Every call is refused with the
 * certificate error and @words; the counter does not go offline. */
static void
check_refused (Fixture    *fixture,
               const char *cert,
               const char *key,
               const char *words)
{
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_autofree char *code = sc_test_platform_demo_code (fixture->platform, "redeemable",
                                                      "pickup", 0);
  g_autofree char *queued_code = sc_test_platform_demo_code (fixture->platform, "redeemable",
                                                             "pickup", 1);
  g_autoptr(JsonArray) queued = json_array_new ();
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(ScRedemption) kept = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) sync_result = NULL;
  g_autoptr(GAsyncResult) login_result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean logged_in;

  /* Online once: the login verifier for offline use and the manifest are
   * here, so an "offline" answer would be possible. */
  sc_test_counter_fixture_open (fixture);
  sc_test_counter_login (fixture->counter, "1");
  sc_test_counter_idle (fixture->counter);
  g_assert_true (sc_counter_get_online (fixture->counter));
  g_assert_cmpint (sc_counter_get_manifest_fetched_at (fixture->counter), >, 0);

  g_assert_true (sc_test_platform_restart_with (fixture->platform, (const char * const[]) {
                                                  "--tls-cert", cert, "--tls-key", key, NULL },
                                                NULL));
  g_assert_cmpstr (fixture->platform->url, ==, url);

  /* A lookup: the certificate's words, not the offline copy. */
  sc_counter_lookup_async (fixture->counter, code, NULL, sc_test_result_cb, &result);
  verdict = sc_counter_lookup_finish (fixture->counter, sc_test_wait_result (&result), &error);
  g_test_message ("lookup: %s; verdict %s (offline %d); online %d, probing %d",
                  error != NULL ? error->message : "no error",
                  verdict != NULL ? sc_verdict_status_to_string (sc_verdict_get_status (verdict))
                                  : "none",
                  verdict != NULL && sc_verdict_get_offline (verdict),
                  sc_counter_get_online (fixture->counter),
                  sc_test_counter_get_probing (fixture->counter));
  g_assert_null (verdict);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, words));
  g_assert_nonnull (strstr (error->message, "ask your administrator"));
  g_assert_null (strstr (error->message, "Cannot reach"));
  g_assert_true (sc_counter_get_online (fixture->counter));
  g_assert_false (sc_test_counter_get_probing (fixture->counter));
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 0);
  g_clear_error (&error);

  /* What waited in the outbox stays there (not rejected, not dropped). */
  json_array_add_string_element (queued, queued_code);
  sc_test_cache_queue_offline (fixture->cache, queued, ids);
  sc_counter_sync_async (fixture->counter, NULL, sc_test_result_cb, &sync_result);
  sc_counter_sync_finish (fixture->counter, sc_test_wait_result (&sync_result), &error);
  g_assert_no_error (error);
  kept = sc_test_cache_get_redemption (fixture->cache, g_hash_table_lookup (ids, queued_code));
  g_assert_nonnull (kept);
  g_test_message ("queued redemption: %s (%s)", sc_redemption_state_to_string (kept->state),
                  kept->reason != NULL ? kept->reason : "");
  g_assert_cmpint (kept->state, ==, SC_REDEMPTION_STATE_PENDING);
  g_assert_false (sc_test_counter_get_probing (fixture->counter));
  /* The results hold the counter. */
  g_clear_object (&result);
  g_clear_object (&sync_result);
  sc_test_counter_fixture_close (fixture);

  /* A new login here: no offline login with the verifier of the last one. */
  sc_test_counter_fixture_open (fixture);
  sc_counter_login_async (fixture->counter, "1001", "1", "1234", NULL, sc_test_result_cb,
                          &login_result);
  logged_in = sc_counter_login_finish (fixture->counter, sc_test_wait_result (&login_result),
                                       &error);
  g_test_message ("login: %s; session %s; online %d, probing %d",
                  error != NULL ? error->message : "no error",
                  sc_counter_get_session (fixture->counter) != NULL ? "yes" : "none",
                  sc_counter_get_online (fixture->counter),
                  sc_test_counter_get_probing (fixture->counter));
  g_assert_false (logged_in);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, words));
  g_assert_null (sc_counter_get_session (fixture->counter));
  g_assert_false (sc_test_counter_get_probing (fixture->counter));
  g_clear_object (&login_result);
  sc_test_counter_fixture_close (fixture);
}

static void
test_untrusted (Fixture       *fixture,
                gconstpointer  data)
{
  g_test_summary ("A certificate signed by nobody the counter trusts is refused as "
                  "“not trusted”, never as offline");
  check_refused (fixture, tls->self_signed, tls->self_key, "not trusted");
}

static void
test_expired (Fixture       *fixture,
              gconstpointer  data)
{
  g_test_summary ("An expired certificate is refused as “has expired”, never as offline");
  check_refused (fixture, tls->expired, tls->key, "has expired");
}

static void
test_wrong_name (Fixture       *fixture,
                 gconstpointer  data)
{
  g_test_summary ("A certificate for another name is refused as such, never as offline");
  check_refused (fixture, tls->wrong_name, tls->key, "another name");
}

/* ---- the command line ---- */

/* Runs store-counter with @args (NULL-terminated), "1234\n" on stdin and
 * SC_PLATFORM_URL set to @env_url (or unset); returns its exit status. */
static int
run_counter (Fixture            *fixture,
             const char         *env_url,
             const char * const *args,
             char              **out_stderr)
{
  g_autofree char *data_home = g_build_filename (fixture->tmpdir, "data", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    sc_test_cli_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                          G_SUBPROCESS_FLAGS_STDERR_PIPE, data_home);
  g_autoptr(GSubprocess) process = NULL;
  g_auto(ScTestCliRun) run = { 0 };

  /* LeakSanitizer and GnuTLS handshakes: see sc-test-platform.c. */
  if (g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_autofree char *options = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":detect_leaks=0",
                                              NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  if (env_url != NULL)
    g_subprocess_launcher_setenv (launcher, "SC_PLATFORM_URL", env_url, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "SC_PLATFORM_URL");
  process = sc_test_cli_spawn (launcher, NULL, args);
  sc_test_cli_communicate (process, "1234\n", 0, &run);
  g_assert_true (run.exited);
  *out_stderr = g_steal_pointer (&run.err);
  return run.status;
}

static void
test_cli_certificate (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *code = sc_test_platform_demo_code (fixture->platform, "redeemable",
                                                      "pickup", 0);
  g_autofree char *db = g_build_filename (fixture->tmpdir, "cli.db", NULL);
  g_autofree char *err = NULL;
  g_autofree char *refused = NULL;

  g_test_summary ("The command line works over https with a trusted certificate, and says "
                  "what is wrong with one it refuses (exit 2), not “Cannot reach”");

  g_assert_cmpint (run_counter (fixture, NULL, (const char * const[]) {
                                  "--platform-url", fixture->platform->url, "--db", db,
                                  "--login", "1001:1", "--lookup", code, NULL },
                                &err),
                   ==, 0);

  g_assert_true (sc_test_platform_restart_with (fixture->platform, (const char * const[]) {
                                                  "--tls-cert", tls->expired,
                                                  "--tls-key", tls->key, NULL },
                                                NULL));
  g_assert_cmpint (run_counter (fixture, NULL, (const char * const[]) {
                                  "--platform-url", fixture->platform->url, "--db", db,
                                  "--login", "1001:1", "--lookup", code, NULL },
                                &refused),
                   ==, 2);
  g_assert_nonnull (strstr (refused, "has expired"));
  g_assert_nonnull (strstr (refused, "ask your administrator"));
  g_assert_null (strstr (refused, "Cannot reach"));
  g_assert_null (strstr (refused, "offline"));
}

/* Runs store-counter --lookup without --login: it stops before any
 * connection, so no address here is ever contacted. */
static void
assert_url (Fixture    *fixture,
            const char *option_url,
            const char *env_url,
            gboolean    allow,
            gboolean    accepted)
{
  g_autofree char *db = g_build_filename (fixture->tmpdir, "url.db", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  if (option_url != NULL)
    {
      g_ptr_array_add (args, (char *) "--platform-url");
      g_ptr_array_add (args, (char *) option_url);
    }
  if (allow)
    g_ptr_array_add (args, (char *) "--allow-insecure-http");
  g_ptr_array_add (args, (char *) "--db");
  g_ptr_array_add (args, db);
  g_ptr_array_add (args, (char *) "--lookup");
  g_ptr_array_add (args, (char *) "123456789012");
  g_ptr_array_add (args, NULL);

  g_assert_cmpint (run_counter (fixture, env_url, (const char * const *) args->pdata, &err),
                   ==, 2);
  if (accepted)
    {
      g_assert_nonnull (strstr (err, "--login"));
      g_assert_null (strstr (err, "--allow-insecure-http"));
    }
  else
    {
      g_assert_nonnull (strstr (err, "--allow-insecure-http"));
      g_assert_nonnull (strstr (err, option_url != NULL ? option_url : env_url));
    }
}

static void
test_cli_insecure_http (Fixture       *fixture,
                        gconstpointer  data)
{
  g_test_summary ("--platform-url and SC_PLATFORM_URL refuse plain http:// to another "
                  "computer (exit 2, in words) unless --allow-insecure-http; https:// and "
                  "loopback http:// are accepted as they are");

  assert_url (fixture, "http://192.0.2.1:8080", NULL, FALSE, FALSE);
  assert_url (fixture, NULL, "http://192.0.2.1:8080", FALSE, FALSE);
  assert_url (fixture, "http://platform.example", NULL, FALSE, FALSE);
  assert_url (fixture, "http://192.0.2.1:8080", NULL, TRUE, TRUE);
  assert_url (fixture, NULL, "http://192.0.2.1:8080", TRUE, TRUE);
  assert_url (fixture, "https://192.0.2.1:8443", NULL, FALSE, TRUE);
  assert_url (fixture, "http://127.0.0.1:9", NULL, FALSE, TRUE);
  assert_url (fixture, "http://127.1.2.3:9", NULL, FALSE, TRUE);
  assert_url (fixture, "http://[::1]:9", NULL, FALSE, TRUE);
  assert_url (fixture, "http://localhost:9", NULL, FALSE, TRUE);
  /* The option wins over the environment. */
  assert_url (fixture, "http://127.0.0.1:9", "http://192.0.2.1:8080", FALSE, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tls = sc_test_tls_new ();
  g_setenv ("SC_TEST_TLS_CA_FILE", tls->ca, TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/tls/platform-options", test_platform_options);
  ADD ("/tls/trusted", test_trusted);
  ADD ("/tls/refused/untrusted", test_untrusted);
  ADD ("/tls/refused/expired", test_expired);
  ADD ("/tls/refused/wrong-name", test_wrong_name);
  ADD ("/tls/cli/certificate", test_cli_certificate);
  ADD ("/tls/cli/insecure-http", test_cli_insecure_http);
#undef ADD

  status = g_test_run ();
  g_clear_pointer (&tls, sc_test_tls_free);
  return status;
}
