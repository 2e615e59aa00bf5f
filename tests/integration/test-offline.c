/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Offline-first (DESIGN §7): the health probe and its backoff, the outbox
 * drained when the platform comes back, the clock skew, offline login. A
 * real store-counter-platform process on loopback, a real SQLite cache. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sc-cache.h"
#include "sc-counter.h"
#include "sc-db.h"
#include "sc-platform-client.h"
#include "sc-store-key.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"
#include "sc-verdict.h"

#define DEADLINE_S 30

typedef ScTestCounterFixture Fixture;

typedef struct
{
  guint  attempt;
  guint  delay_ms;
  gint64 at_us;     /* monotonic */
} Probe;

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates until @done (@self) holds; fails the test past the deadline. */
static void
iterate_until (gboolean (*done) (Fixture *fixture),
               Fixture   *fixture)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_up_cb, NULL);

  while (!done (fixture))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

static gboolean
is_idle (Fixture *fixture)
{
  return sc_counter_is_idle (fixture->counter);
}

static void
open_counter (Fixture *fixture)
{
  fixture->cache = sc_test_open_cache (fixture->db_path);
  fixture->client = sc_platform_client_new (fixture->platform->url);
  fixture->counter = sc_counter_new (fixture->cache, fixture->client);
  /* Probes 50, 100, 200 ms apart, not 1, 2, 4 s. */
  sc_counter_set_probe_delays (fixture->counter, 50, 400);
  iterate_until (is_idle, fixture);
}

static void
close_counter (Fixture *fixture)
{
  iterate_until (is_idle, fixture);
  sc_test_counter_fixture_close (fixture);
}

static gboolean
login (Fixture     *fixture,
       const char  *clerk,
       const char  *pin,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  sc_counter_login_async (fixture->counter, "1001", clerk, pin, NULL, sc_test_result_cb, &result);
  ok = sc_counter_login_finish (fixture->counter, sc_test_wait_result (&result), error);
  iterate_until (is_idle, fixture);
  return ok;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sc_test_counter_fixture_init (fixture, NULL, "sc-test-offline-XXXXXX");
  open_counter (fixture);
  g_assert_true (login (fixture, "1", "1234", &error));
  g_assert_no_error (error);
  g_assert_true (sc_counter_get_online (fixture->counter));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  close_counter (fixture);
  sc_test_counter_fixture_clear (fixture);
}

static ScRedemption *
redeem (Fixture   *fixture,
        ScVerdict *verdict)
{
  g_autoptr(GError) error = NULL;
  ScRedemption *r = sc_test_counter_redeem (fixture->counter, verdict, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

/* The platform's record of @id: asserts it is there, for @payload. */
static void
assert_on_platform (Fixture    *fixture,
                    const char *id,
                    const char *payload)
{
  g_autoptr(JsonObject) record = sc_test_platform_assert_redeemed_by (fixture->platform, id,
                                                                      payload);
}

/* The cached redemption @id is synced, and the platform has it for
 * @payload. */
static void
assert_synced (Fixture    *fixture,
               const char *id,
               const char *payload)
{
  g_autoptr(ScRedemption) row = sc_test_cache_get_redemption (fixture->cache, id);

  g_assert_cmpint (row->state, ==, SC_REDEMPTION_STATE_SYNCED);
  assert_on_platform (fixture, id, payload);
}

static void
record_probe (ScCounter *counter,
              guint      attempt,
              guint      delay_ms,
              gpointer   user_data)
{
  GArray *probes = user_data;
  Probe probe = { attempt, delay_ms, g_get_monotonic_time () };

  g_array_append_val (probes, probe);
}

static GArray *probes_seen;

static gboolean
seven_probes (Fixture *fixture)
{
  return probes_seen->len >= 7;
}

static gboolean
drained_and_online (Fixture *fixture)
{
  return sc_counter_get_online (fixture->counter) &&
         sc_counter_get_unsynced (fixture->counter) == 0 &&
         sc_counter_is_idle (fixture->counter);
}

static void
test_probe_backoff (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 0);
  g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(GArray) probes = g_array_new (FALSE, FALSE, sizeof (Probe));
  g_autoptr(GError) error = NULL;
  gboolean jittered = FALSE;

  g_test_summary ("With the platform away the health probe backs off 1, 2, 4 ... up to the "
                  "cap, each with up to 20 % jitter; when it answers again the outbox "
                  "drains by itself");

  sc_counter_set_probe_delays (fixture->counter, 40, 320);
  sc_counter_set_probe_func (fixture->counter, record_probe, probes);
  probes_seen = probes;

  sc_test_platform_kill (fixture->platform);
  r = redeem (fixture, verdict);
  g_assert_cmpint (r->state, ==, SC_REDEMPTION_STATE_PENDING);
  g_assert_false (sc_counter_get_online (fixture->counter));
  g_assert_true (sc_test_counter_get_probing (fixture->counter));

  iterate_until (seven_probes, fixture);
  for (guint i = 0; i < probes->len; i++)
    {
      const Probe *probe = &g_array_index (probes, Probe, i);
      guint nominal = MIN (40u << MIN (i, 10u), 320u);

      g_test_message ("probe %u: %u ms (nominal %u)", i, probe->delay_ms, nominal);
      g_assert_cmpuint (probe->attempt, ==, i);
      g_assert_cmpuint (probe->delay_ms, >=, nominal * 8 / 10);
      g_assert_cmpuint (probe->delay_ms, <=, MIN (nominal * 12 / 10, 320u));
      if (probe->delay_ms != nominal)
        jittered = TRUE;
      /* Each probe waited its delay before it went (and failed). */
      if (i > 0)
        {
          const Probe *before = &g_array_index (probes, Probe, i - 1);

          g_assert_cmpint (probe->at_us - before->at_us, >=,
                           (gint64) before->delay_ms * 1000 - 2000);
        }
    }
  g_assert_true (jittered);
  g_assert_false (sc_counter_get_online (fixture->counter));
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 1);

  /* Back: no sync, no redeem, no lookup; the probe finds it. */
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  iterate_until (drained_and_online, fixture);
  g_assert_false (sc_test_counter_get_probing (fixture->counter));

  assert_synced (fixture, r->id, payload);

  sc_counter_set_probe_func (fixture->counter, NULL, NULL);
  probes_seen = NULL;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_clock_skew (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint notified = 0;
  gint64 skew;

  g_test_summary ("The platform's clock from its health answer: clock-skew is platform minus "
                  "local time, notified when it changes");

  /* The login of the fixture measured it already: same machine. */
  g_assert_cmpint (ABS (sc_counter_get_clock_skew (fixture->counter)), <=, 3);

  g_signal_connect (fixture->counter, "notify::clock-skew", G_CALLBACK (count_notify),
                    &notified);

  sc_test_platform_set_clock (fixture->platform, 300);
  g_assert_true (login (fixture, "1", "1234", &error));
  g_assert_no_error (error);
  skew = sc_counter_get_clock_skew (fixture->counter);
  g_assert_cmpint (skew, >=, 297);
  g_assert_cmpint (skew, <=, 303);
  g_assert_cmpint (skew, >, SC_COUNTER_CLOCK_SKEW_WARN_S);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (fixture->counter, "clock-skew", &skew, NULL);
  g_assert_cmpint (skew, >=, 297);

  sc_test_platform_set_clock (fixture->platform, -200);
  g_assert_true (login (fixture, "1", "1234", &error));
  g_assert_no_error (error);
  skew = sc_counter_get_clock_skew (fixture->counter);
  g_assert_cmpint (skew, >=, -203);
  g_assert_cmpint (skew, <=, -197);
  g_assert_cmpuint (notified, ==, 2);

  sc_test_platform_set_clock (fixture->platform, 0);
  g_assert_true (login (fixture, "1", "1234", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ABS (sc_counter_get_clock_skew (fixture->counter)), <=, 3);
  g_assert_cmpuint (notified, ==, 3);

  g_signal_handlers_disconnect_by_func (fixture->counter, count_notify, &notified);
}

typedef struct
{
  const char *token;
  const char *key;
  gboolean    found_secret;
  guint       rows;
} SecretScan;

static gpointer
scan_offline_logins_job (ScDb     *db,
                         gpointer  job_data,
                         GError  **error)
{
  SecretScan *scan = job_data;
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT * FROM offline_logins", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      scan->rows++;
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          if (text != NULL && (g_strcmp0 (text, "1234") == 0 ||
                               strstr (text, scan->token) != NULL ||
                               strstr (text, scan->key) != NULL))
            scan->found_secret = TRUE;
        }
    }
  if (rc < 0)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gboolean
session_online (Fixture *fixture)
{
  const ScSession *session = sc_counter_get_session (fixture->counter);

  return session != NULL && !session->offline && session->token != NULL &&
         drained_and_online (fixture);
}

static void
test_offline_login (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 1);
  g_autofree char *coupon =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "coupon", 0);
  g_autofree char *token = g_strdup (sc_counter_get_session (fixture->counter)->token);
  g_autofree char *key = g_strdup (sc_counter_get_session (fixture->counter)->manifest_key);
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(ScVerdict) needs = NULL;
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const ScSession *session;
  SecretScan scan = { 0 };

  g_test_summary ("Offline login: the same store, clerk and PIN as the last online login "
                  "(kept as a salted verifier keyed with the store's key, never the PIN, the "
                  "token or the key) are accepted for 7 days once the store's key is back "
                  "from the keyring, and refused with words without it; the session logs in "
                  "online by itself when the platform is back");

  g_assert_true (sc_store_key_is_valid (key));
  scan.token = token;
  scan.key = key;
  g_assert_nonnull (sc_db_run_sync (sc_cache_get_db (fixture->cache), SC_DB_JOB_READ,
                                    scan_offline_logins_job, &scan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scan.rows, ==, 1);
  g_assert_false (scan.found_secret);

  /* The counter restarts with the platform away. */
  close_counter (fixture);
  sc_test_platform_kill (fixture->platform);
  open_counter (fixture);

  /* Without the store's key (no keyring) no PIN can be checked: say so. */
  g_assert_false (login (fixture, "1", "1234", &error));
  g_assert_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_OFFLINE_NO_KEY);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_assert_null (sc_counter_get_session (fixture->counter));
  g_clear_error (&error);

  /* What the app does at start: the key from the keyring. */
  sc_counter_set_store_key (fixture->counter, "1001", key);
  g_assert_false (login (fixture, "1", "4321", &error));
  g_assert_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_WRONG_PIN);
  g_assert_null (sc_counter_get_session (fixture->counter));
  g_clear_error (&error);

  /* Clerk 2 never logged in online here: only the network error. */
  g_assert_false (login (fixture, "2", "1234", &error));
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NETWORK);
  g_clear_error (&error);

  g_assert_true (login (fixture, "1", "1234", &error));
  g_assert_no_error (error);
  session = sc_counter_get_session (fixture->counter);
  g_assert_nonnull (session);
  g_assert_true (session->offline);
  g_assert_null (session->token);
  g_assert_cmpstr (session->store_name, ==, "示范自提点");
  g_assert_cmpstr (session->clerk_name, ==, "王芳");
  g_assert_cmpstr (session->store_timezone, ==, "Asia/Shanghai");
  g_assert_cmpint (session->undo_window_s, >, 0);
  g_assert_false (sc_counter_get_online (fixture->counter));

  verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_true (sc_verdict_get_offline (verdict));
  needs = sc_test_counter_lookup (fixture->counter, coupon);
  g_assert_cmpint (sc_verdict_get_status (needs), ==, SC_VERDICT_STATUS_NEEDS_NETWORK);
  r = redeem (fixture, verdict);
  g_assert_cmpint (r->state, ==, SC_REDEMPTION_STATE_PENDING);
  g_assert_true (r->offline);
  g_assert_cmpstr (r->clerk_id, ==, "1");

  /* Back: logs in online with the PIN it kept in memory, then drains. */
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  iterate_until (session_online, fixture);
  assert_synced (fixture, r->id, payload);

  /* A last online login 8 days ago is too old. */
  sc_cache_save_offline_login_async (fixture->cache, fixture->platform->url,
                                     sc_counter_get_session (fixture->counter), "1234",
                                     g_get_real_time () / G_USEC_PER_SEC - 8 * 24 * 3600,
                                     NULL, sc_test_result_cb, &result);
  g_assert_true (sc_cache_save_offline_login_finish (fixture->cache, sc_test_wait_result (&result),
                                                     &error));
  g_assert_no_error (error);
  sc_test_platform_kill (fixture->platform);
  g_assert_false (login (fixture, "1", "1234", &error));
  g_assert_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_OFFLINE_LOGIN_TOO_OLD);
  g_clear_error (&error);

  /* 6 days is still fine. */
  g_clear_object (&result);
  sc_cache_save_offline_login_async (fixture->cache, fixture->platform->url,
                                     sc_counter_get_session (fixture->counter), "1234",
                                     g_get_real_time () / G_USEC_PER_SEC - 6 * 24 * 3600,
                                     NULL, sc_test_result_cb, &result);
  g_assert_true (sc_cache_save_offline_login_finish (fixture->cache, sc_test_wait_result (&result),
                                                     &error));
  g_assert_true (login (fixture, "1", "1234", &error));
  g_assert_no_error (error);
  g_assert_true (sc_counter_get_session (fixture->counter)->offline);

  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  iterate_until (session_online, fixture);
}

static void
test_offline_relogin_refused (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 2);
  g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(ScVerdict) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const ScSession *session;

  g_test_summary ("If the platform refuses the kept PIN once back, the session stays "
                  "offline and the next lookup says the login expired (the window asks for "
                  "the PIN); a login then sends what waited");

  /* A verifier for a PIN the platform does not take. */
  sc_cache_save_offline_login_async (fixture->cache, fixture->platform->url,
                                     sc_counter_get_session (fixture->counter), "9999",
                                     g_get_real_time () / G_USEC_PER_SEC, NULL,
                                     sc_test_result_cb, &result);
  g_assert_true (sc_cache_save_offline_login_finish (fixture->cache, sc_test_wait_result (&result),
                                                     &error));
  g_assert_no_error (error);

  sc_test_platform_kill (fixture->platform);
  g_assert_true (login (fixture, "1", "9999", &error));
  g_assert_no_error (error);
  g_assert_true (sc_counter_get_session (fixture->counter)->offline);
  r = redeem (fixture, verdict);
  g_assert_cmpint (r->state, ==, SC_REDEMPTION_STATE_PENDING);

  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  {
    gint64 deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;

    while (!sc_counter_get_online (fixture->counter) || !sc_counter_is_idle (fixture->counter))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  session = sc_counter_get_session (fixture->counter);
  g_assert_true (session->offline);
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 1);

  g_clear_object (&result);
  sc_counter_lookup_async (fixture->counter, payload, NULL, sc_test_result_cb, &result);
  after = sc_counter_lookup_finish (fixture->counter, sc_test_wait_result (&result), &error);
  g_assert_error (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_UNAUTHORIZED);
  g_assert_null (after);
  g_clear_error (&error);

  g_assert_true (login (fixture, "1", "1234", &error));
  g_assert_no_error (error);
  iterate_until (drained_and_online, fixture);
  assert_on_platform (fixture, r->id, payload);
}

static gboolean
two_probes (Fixture *fixture)
{
  return probes_seen->len >= 2;
}

static void
test_server_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 3);
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(GArray) probes = g_array_new (FALSE, FALSE, sizeof (Probe));
  const Probe *second;

  g_test_summary ("A 5xx answer counts as the platform being away: offline, pickup codes "
                  "from the cache, a probe that honours Retry-After; back when it heals");

  sc_counter_set_probe_func (fixture->counter, record_probe, probes);
  probes_seen = probes;

  /* Every call but the admin ones: 503 with Retry-After: 1. */
  sc_test_platform_set_faults (fixture->platform, "{\"fail_rate\": 1, \"fail_status\": 503}");
  verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_true (sc_verdict_get_offline (verdict));
  g_assert_false (sc_counter_get_online (fixture->counter));
  g_assert_true (sc_test_counter_get_probing (fixture->counter));

  /* Saved, not sent: the probe decides when. */
  r = redeem (fixture, verdict);
  g_assert_cmpint (r->state, ==, SC_REDEMPTION_STATE_PENDING);

  iterate_until (two_probes, fixture);
  second = &g_array_index (probes, Probe, 1);
  g_assert_cmpuint (second->attempt, ==, 1);
  g_assert_cmpuint (second->delay_ms, >=, 1000);

  sc_test_platform_set_faults (fixture->platform, "{\"fail_rate\": 0}");
  iterate_until (drained_and_online, fixture);
  assert_synced (fixture, r->id, payload);

  sc_counter_set_probe_func (fixture->counter, NULL, NULL);
  probes_seen = NULL;
}

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 4);
  g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_autoptr(ScRedemption) r = NULL;
  gint64 saved_at;

  g_test_summary ("A redemption the platform put off (429, Retry-After) stays queued while "
                  "online and goes by itself once it is due, not before");

  sc_test_platform_set_faults (fixture->platform, "{\"fail_rate\": 1, \"fail_status\": 429}");
  r = redeem (fixture, verdict);
  saved_at = g_get_monotonic_time ();
  g_assert_cmpint (r->state, ==, SC_REDEMPTION_STATE_PENDING);
  /* It answered: still online, no probe. */
  g_assert_true (sc_counter_get_online (fixture->counter));
  g_assert_false (sc_test_counter_get_probing (fixture->counter));
  sc_test_platform_set_faults (fixture->platform, "{\"fail_rate\": 0}");

  iterate_until (drained_and_online, fixture);
  g_assert_cmpint (g_get_monotonic_time () - saved_at, >=, G_USEC_PER_SEC);
  assert_synced (fixture, r->id, payload);
}

static void
test_restored_session_drains (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 5);
  g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (fixture->counter, payload);
  g_autoptr(ScSession) saved = sc_session_copy (sc_counter_get_session (fixture->counter));
  g_autoptr(ScRedemption) r = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("After a restart with the session restored from the keyring (no login), "
                  "what waited in the outbox is sent by itself");

  sc_test_platform_kill (fixture->platform);
  r = redeem (fixture, verdict);
  g_assert_cmpint (r->state, ==, SC_REDEMPTION_STATE_PENDING);
  close_counter (fixture);

  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  open_counter (fixture);
  g_assert_cmpuint (sc_counter_get_unsynced (fixture->counter), ==, 1);
  sc_counter_set_session (fixture->counter, saved);

  iterate_until (drained_and_online, fixture);
  assert_synced (fixture, r->id, payload);
}

static void
test_lookup_without_key (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 6);
  g_autoptr(ScSession) saved = sc_session_copy (sc_counter_get_session (fixture->counter));
  g_autofree char *key = g_steal_pointer (&saved->manifest_key);
  g_autoptr(ScVerdict) without = NULL;
  g_autoptr(ScVerdict) with = NULL;

  g_test_summary ("Offline, a pickup code is never \"not found\" for want of the store's "
                  "key: without it (a session restored without its key) the verdict is "
                  "needs_network and says the keyring lacks the key; with the key it is "
                  "decided from the manifest");

  g_assert_true (sc_store_key_is_valid (key));
  while (sc_counter_get_manifest_fetched_at (fixture->counter) == 0)
    g_main_context_iteration (NULL, TRUE);
  iterate_until (is_idle, fixture);
  close_counter (fixture);
  sc_test_platform_kill (fixture->platform);
  open_counter (fixture);
  sc_counter_set_session (fixture->counter, saved);

  without = sc_test_counter_lookup (fixture->counter, payload);
  g_assert_cmpint (sc_verdict_get_status (without), ==, SC_VERDICT_STATUS_NEEDS_NETWORK);
  g_assert_true (sc_verdict_get_offline (without));
  g_assert_nonnull (strstr (sc_verdict_get_reason (without), "keyring"));

  sc_counter_set_store_key (fixture->counter, "1001", key);
  with = sc_test_counter_lookup (fixture->counter, payload);
  g_assert_cmpint (sc_verdict_get_status (with), ==, SC_VERDICT_STATUS_REDEEMABLE);
  g_assert_true (sc_verdict_get_offline (with));
  sc_counter_set_session (fixture->counter, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/offline/probe-backoff", test_probe_backoff);
  ADD ("/offline/server-errors", test_server_errors);
  ADD ("/offline/retry-after", test_retry_after);
  ADD ("/offline/restored-session-drains", test_restored_session_drains);
  ADD ("/offline/clock-skew", test_clock_skew);
  ADD ("/offline/login", test_offline_login);
  ADD ("/offline/login-refused-when-back", test_offline_relogin_refused);
  ADD ("/offline/lookup-without-key", test_lookup_without_key);

#undef ADD

  return g_test_run ();
}
