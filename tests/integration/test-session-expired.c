/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCounter's "session-expired": emitted once when the platform refuses
 * the session, again only for a later session. A real
 * store-counter-platform process on loopback, a real SQLite cache. */
#include "config.h"

#include <glib/gstdio.h>
#include <libglib-testing/signal-logger.h>

#include "sc-cache.h"
#include "sc-counter.h"
#include "sc-platform-client.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"
#include "sc-verdict.h"

/* A counter logged in as clerk 1 of store 1001, its cache in this test's
 * own data folder (G_TEST_OPTION_ISOLATE_DIRS). */
typedef struct
{
  ScTestPlatform   *platform;
  ScCounter        *counter;
  ScCache          *cache;
  ScPlatformClient *client;
  GtSignalLogger   *expired;  /* (owned) logs the counter's "session-expired" */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *db_path = g_build_filename (g_get_user_data_dir (), "counter.db", NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  fixture->platform = sc_test_platform_start_logged_in (NULL);
  fixture->counter = sc_test_counter_open (db_path, fixture->platform->url, &fixture->cache,
                                           &fixture->client);
  fixture->expired = gt_signal_logger_new ();
  gt_signal_logger_connect (fixture->expired, fixture->counter, "session-expired");
  sc_test_counter_login (fixture->counter, "1");
  sc_test_counter_idle (fixture->counter);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->expired, gt_signal_logger_free);
  sc_test_counter_close (&fixture->counter, &fixture->client, &fixture->cache);
  g_clear_pointer (&fixture->platform, sc_test_platform_stop);
}

static gsize
n_expired (Fixture *fixture)
{
  return gt_signal_logger_get_n_emissions (fixture->expired);
}

/* The platform revokes the session's token: from now on it answers 401. */
static void
expire_session (Fixture *fixture)
{
  const ScSession *session = sc_counter_get_session (fixture->counter);
  g_autoptr(JsonObject) answer = NULL;

  g_assert_nonnull (session);
  g_assert_nonnull (session->token);
  answer = sc_test_platform_call (fixture->platform, "DELETE", "/v1/sessions/current",
                                  session->token, NULL, NULL, 204);
}

/* Looks @input up: no verdict, the session has expired. */
static void
assert_lookup_expired (Fixture    *fixture,
                       const char *input)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;

  sc_counter_lookup_async (fixture->counter, input, NULL, sc_test_result_cb, &result);
  verdict = sc_counter_lookup_finish (fixture->counter, sc_test_wait_result (&result), &error);
  g_assert_null (verdict);
  g_test_message ("lookup after expiry: %s", error->message);
  g_assert_true (sc_counter_error_is_session_expired (error));
}

static ScRedemption *
redeem (Fixture    *fixture,
        const char *input)
{
  g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, input);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScRedemption *redemption;

  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
  sc_counter_redeem_async (fixture->counter, verdict, -1, "keyboard", NULL,
                           sc_test_result_cb, &result);
  redemption = sc_counter_redeem_finish (fixture->counter, sc_test_wait_result (&result),
                                         &error);
  g_assert_no_error (error);
  return redemption;
}

static void
test_once_per_session (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) pickups = sc_test_platform_demo_codes (fixture->platform, "redeemable",
                                                              "pickup");
  const char *first = g_ptr_array_index (pickups, 0);
  const char *second = g_ptr_array_index (pickups, 1);
  g_autoptr(ScRedemption) redemption = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScRedemption) undone = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("When the platform refuses the session, \"session-expired\" goes once "
                  "however many calls see it; after logging in again a later expiry "
                  "(seen by a lookup or an undo) emits it once more, and so after a "
                  "logout and a new login");

  g_assert_cmpuint (n_expired (fixture), ==, 0);
  expire_session (fixture);
  assert_lookup_expired (fixture, first);
  g_assert_cmpuint (n_expired (fixture), ==, 1);
  assert_lookup_expired (fixture, second);
  g_assert_cmpuint (n_expired (fixture), ==, 1);

  /* Logged in again: nothing new, until this session expires too, seen
   * by an undo this time. */
  sc_test_counter_login (fixture->counter, "1");
  sc_test_counter_idle (fixture->counter);
  g_assert_cmpuint (n_expired (fixture), ==, 1);
  redemption = redeem (fixture, first);
  g_assert_cmpint (redemption->state, ==, SC_REDEMPTION_STATE_SYNCED);
  g_assert_cmpuint (n_expired (fixture), ==, 1);

  expire_session (fixture);
  sc_counter_undo_async (fixture->counter, redemption->id, NULL, sc_test_result_cb, &result);
  undone = sc_counter_undo_finish (fixture->counter, sc_test_wait_result (&result), &error);
  g_assert_null (undone);
  g_assert_true (sc_counter_error_is_session_expired (error));
  g_assert_cmpuint (n_expired (fixture), ==, 2);
  assert_lookup_expired (fixture, second);
  g_assert_cmpuint (n_expired (fixture), ==, 2);

  /* A logout and a new login are a new session as well. */
  sc_counter_logout (fixture->counter);
  sc_test_counter_idle (fixture->counter);
  sc_test_counter_login (fixture->counter, "1");
  sc_test_counter_idle (fixture->counter);
  expire_session (fixture);
  assert_lookup_expired (fixture, second);
  g_assert_cmpuint (n_expired (fixture), ==, 3);
}

static void
test_not_for_an_older_session (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *code = sc_test_platform_demo_code (fixture->platform, "redeemable",
                                                      "pickup", 0);
  g_autoptr(ScSession) next = sc_session_copy (sc_counter_get_session (fixture->counter));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ScVerdict) refused = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A 401 to a call made in a session that has ended since (the clerk "
                  "logged in again meanwhile) does not emit \"session-expired\" for the "
                  "new session; the new session's own expiry does");

  /* A lookup goes out with the old token; the new session comes before
   * its answer. */
  g_free (next->token);
  next->token = sc_test_platform_login (fixture->platform, "1001", "1", &error);
  g_assert_no_error (error);
  expire_session (fixture);
  sc_counter_lookup_async (fixture->counter, code, NULL, sc_test_result_cb, &result);
  sc_counter_set_session (fixture->counter, next);
  refused = sc_counter_lookup_finish (fixture->counter, sc_test_wait_result (&result), &error);
  g_assert_null (refused);
  g_assert_true (sc_counter_error_is_session_expired (error));
  g_assert_cmpuint (n_expired (fixture), ==, 0);

  verdict = sc_test_counter_lookup (fixture->counter, code);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
  expire_session (fixture);
  assert_lookup_expired (fixture, code);
  g_assert_cmpuint (n_expired (fixture), ==, 1);
}

static void
test_not_for_other_errors (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *unknown = sc_test_platform_demo_code (fixture->platform, "not_found",
                                                         "pickup", 0);
  g_autofree char *coupon = sc_test_platform_demo_code (fixture->platform, "redeemable",
                                                        "coupon", 0);
  g_autoptr(ScVerdict) nothing = NULL;
  g_autoptr(ScVerdict) malformed = NULL;
  g_autoptr(ScVerdict) offline = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A wrong code, a wrong PIN and the network down never emit "
                  "\"session-expired\"");

  nothing = sc_test_counter_lookup (fixture->counter, unknown);
  g_assert_cmpint (sc_verdict_get_status (nothing), ==, SC_VERDICT_STATUS_NOT_FOUND);
  malformed = sc_test_counter_lookup (fixture->counter, "ZZ-not-a-code");
  g_assert_cmpint (sc_verdict_get_status (malformed), ==, SC_VERDICT_STATUS_MALFORMED);

  /* A 401 at login is a wrong PIN, not an expiry. */
  sc_counter_login_async (fixture->counter, "1001", "1", "0000", NULL, sc_test_result_cb,
                          &result);
  g_assert_false (sc_counter_login_finish (fixture->counter, sc_test_wait_result (&result),
                                           &error));
  g_test_message ("wrong PIN: %s", error->message);
  g_assert_nonnull (error);
  g_assert_cmpuint (n_expired (fixture), ==, 0);

  /* The platform is gone: answered offline, or an error of its own. */
  sc_test_platform_kill (fixture->platform);
  offline = sc_test_counter_lookup (fixture->counter, coupon);
  g_assert_cmpint (sc_verdict_get_status (offline), ==, SC_VERDICT_STATUS_NEEDS_NETWORK);
  g_assert_true (sc_verdict_get_offline (offline));
  g_assert_cmpuint (n_expired (fixture), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/session-expired/once-per-session", Fixture, NULL, fixture_setup,
              test_once_per_session, fixture_teardown);
  g_test_add ("/session-expired/not-for-an-older-session", Fixture, NULL, fixture_setup,
              test_not_for_an_older_session, fixture_teardown);
  g_test_add ("/session-expired/not-for-other-errors", Fixture, NULL, fixture_setup,
              test_not_for_other_errors, fixture_teardown);
  return g_test_run ();
}
