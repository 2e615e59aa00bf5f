/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScSync's actions and ScConnectivity, against a real platform: an outbox
 * row goes by its `action`; one this version does not know is kept, never
 * sent nor dropped; the health probe finds the platform gone and back. */
#include "config.h"

#include <sqlite3.h>

#include "sc-cache.h"
#include "sc-connectivity.h"
#include "sc-platform-client.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"

typedef ScTestCounterFixture Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  sc_test_counter_fixture_init (fixture, NULL, "sc-test-sync-actions-XXXXXX");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sc_test_counter_fixture_clear (fixture);
}

/* What a later version may write: another action for @id's outbox row. */
static void
set_action (const char *db_path,
            const char *id,
            const char *action)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE outbox SET action = ?1 "
                                       "WHERE redemption_id = ?2", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_unknown_action_kept (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = sc_test_platform_demo_codes (fixture->platform, "redeemable",
                                                            "pickup");
  g_autoptr(JsonArray) queue = json_array_new ();
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(ScCache) cache = NULL;
  g_autoptr(ScPlatformClient) client = NULL;
  g_autoptr(ScCounter) counter = NULL;
  g_autoptr(ScRedemption) kept = NULL;
  g_autoptr(ScRedemption) sent = NULL;
  const char *kept_id;
  const char *sent_id;

  g_test_summary ("An outbox row goes by its action; one with an action this version does "
                  "not know is kept (not sent, not dropped) and logged once, and does not "
                  "hold back the others");

  g_assert_cmpuint (codes->len, >=, 2);
  json_array_add_string_element (queue, g_ptr_array_index (codes, 0));
  json_array_add_string_element (queue, g_ptr_array_index (codes, 1));
  cache = sc_test_open_cache (fixture->db_path);
  sc_test_cache_queue_offline (cache, queue, ids);
  kept_id = g_hash_table_lookup (ids, g_ptr_array_index (codes, 0));
  sent_id = g_hash_table_lookup (ids, g_ptr_array_index (codes, 1));
  /* The first in the queue: it would go first. */
  set_action (fixture->db_path, kept_id, "prize_claim");

  client = sc_platform_client_new (fixture->platform->url);
  counter = sc_counter_new (cache, client);
  g_test_expect_message ("sc-core", G_LOG_LEVEL_WARNING, "*action this version cannot send*");
  sc_test_counter_login (counter, "1");
  sc_test_counter_idle (counter);
  g_test_assert_expected_messages ();

  sent = sc_test_cache_get_redemption (cache, sent_id);
  g_assert_cmpint (sent->state, ==, SC_REDEMPTION_STATE_SYNCED);
  kept = sc_test_cache_get_redemption (cache, kept_id);
  g_assert_cmpint (kept->state, ==, SC_REDEMPTION_STATE_PENDING);
  g_assert_cmpuint (sc_counter_get_unsynced (counter), ==, 1);

  /* Again: still kept, not logged again, and the drain ends. */
  g_assert_cmpuint (sc_test_counter_sync (counter), ==, 0);
  sc_test_counter_idle (counter);
  g_clear_pointer (&kept, sc_redemption_free);
  kept = sc_test_cache_get_redemption (cache, kept_id);
  g_assert_cmpint (kept->state, ==, SC_REDEMPTION_STATE_PENDING);
  g_assert_cmpuint (sc_counter_get_unsynced (counter), ==, 1);

  sc_counter_logout (counter);
  sc_test_counter_idle (counter);
  g_assert_finalize_object (g_steal_pointer (&counter));
}

typedef struct
{
  guint  n_back;
  guint  n_health;
  GArray *attempts;  /* guint */
} Seen;

static void
back_cb (ScConnectivity *connectivity,
         Seen           *seen)
{
  seen->n_back++;
}

static void
health_cb (ScConnectivity *connectivity,
           Seen           *seen)
{
  seen->n_health++;
}

static void
probe_cb (ScConnectivity *connectivity,
          guint           attempt,
          guint           delay_ms,
          gpointer        user_data)
{
  Seen *seen = user_data;

  g_assert_cmpuint (delay_ms, <=, 80);
  g_array_append_val (seen->attempts, attempt);
}

static void
test_connectivity (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ScPlatformClient) client = sc_platform_client_new (fixture->platform->url);
  g_autoptr(ScConnectivity) connectivity = sc_connectivity_new (client);
  g_autoptr(GError) error = NULL;
  Seen seen = { 0, 0, g_array_new (FALSE, FALSE, sizeof (guint)) };

  g_test_summary ("ScConnectivity: a health answer makes it online with the clock skew; a "
                  "network error makes it probe, each probe later than the one before, "
                  "until the platform is back");

  g_signal_connect (connectivity, "back", G_CALLBACK (back_cb), &seen);
  g_signal_connect (connectivity, "health", G_CALLBACK (health_cb), &seen);
  sc_connectivity_set_probe_delays (connectivity, 10, 80);
  sc_connectivity_set_probe_func (connectivity, probe_cb, &seen);

  g_assert_false (sc_connectivity_get_online (connectivity));
  sc_connectivity_check (connectivity);
  while (!sc_connectivity_get_online (connectivity))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sc_connectivity_is_idle (connectivity));
  g_assert_cmpuint (seen.n_health, ==, 1);
  g_assert_cmpuint (seen.n_back, ==, 0);
  g_assert_false (sc_connectivity_get_probing (connectivity));
  /* The same machine's clock. */
  g_assert_cmpint (ABS (sc_connectivity_get_clock_skew (connectivity)), <=, 2);

  sc_test_platform_kill (fixture->platform);
  sc_connectivity_check (connectivity);
  while (seen.attempts->len < 4)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sc_connectivity_get_online (connectivity));
  g_assert_true (sc_connectivity_get_probing (connectivity));
  for (guint i = 0; i < seen.attempts->len; i++)
    g_assert_cmpuint (g_array_index (seen.attempts, guint, i), ==, i);

  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  while (seen.n_back == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sc_connectivity_get_online (connectivity));
  g_assert_false (sc_connectivity_get_probing (connectivity));
  g_assert_cmpuint (seen.n_back, ==, 1);

  while (!sc_connectivity_is_idle (connectivity))
    g_main_context_iteration (NULL, TRUE);
  g_array_unref (seen.attempts);
  g_assert_finalize_object (g_steal_pointer (&connectivity));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/sync/unknown-action-kept", Fixture, NULL, fixture_setup,
              test_unknown_action_kept, fixture_teardown);
  g_test_add ("/connectivity/probe", Fixture, NULL, fixture_setup,
              test_connectivity, fixture_teardown);

  return g_test_run ();
}
