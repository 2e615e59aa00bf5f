/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lookup and redeem latency through ScCounter against a real
 * store-counter-platform on loopback: median and p95 over N calls.
 * Not a timed test: it prints figures. */
#include "config.h"

#include <glib/gstdio.h>

#include "sc-bench-stats.h"
#include "sc-cache.h"
#include "sc-counter.h"
#include "sc-platform-client.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"
#include "sc-verdict.h"

static void
report (const char *what,
        GArray     *ms)
{
  double median, p95, sum = 0;

  sc_bench_sort (ms);
  for (guint i = 0; i < ms->len; i++)
    sum += g_array_index (ms, double, i);
  median = sc_bench_percentile (ms, 0.5);
  p95 = sc_bench_percentile (ms, 0.95);
  g_print ("%-28s n=%-5u median %7.3f ms   p95 %7.3f ms   mean %7.3f ms   max %7.3f ms\n",
           what, ms->len, median, p95, sum / ms->len, g_array_index (ms, double, ms->len - 1));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ScTestPlatform) platform = NULL;
  g_autoptr(ScCache) cache = NULL;
  g_autoptr(ScPlatformClient) client = NULL;
  g_autoptr(ScCounter) counter = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GArray) lookup_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) redeem_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) undo_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *tmpdir = NULL;
  g_autofree char *db_path = NULL;
  guint n = 1000;

  if (argc > 1)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (n == 0)
    n = 1000;

  platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  tmpdir = g_dir_make_tmp ("sc-bench-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmpdir, "counter.db", NULL);

  cache = sc_test_open_cache (db_path);
  client = sc_platform_client_new (platform->url);
  counter = sc_counter_new (cache, client);
  sc_test_counter_login (counter, "1");

  codes = sc_test_platform_demo_codes (platform, "redeemable", "pickup");
  g_assert_cmpuint (codes->len, >, 0);

  /* Warm up the connection and the platform's caches. */
  for (guint i = 0; i < 20; i++)
    g_object_unref (sc_test_counter_lookup (counter, g_ptr_array_index (codes, i % codes->len)));

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(ScVerdict) verdict =
        sc_test_counter_lookup (counter, g_ptr_array_index (codes, i % codes->len));
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
      g_array_append_val (lookup_ms, ms);
    }

  /* Redeem (durable in SQLite with synchronous=FULL, then sent and
   * recorded as synced), then undo so the code can be redeemed again. */
  for (guint i = 0; i < n; i++)
    {
      const char *payload = g_ptr_array_index (codes, i % codes->len);
      g_autoptr(ScVerdict) verdict = sc_test_counter_lookup (counter, payload);
      g_autoptr(ScRedemption) redemption = NULL;
      g_autoptr(ScRedemption) undone = NULL;
      gint64 start;
      double ms;

      start = g_get_monotonic_time ();
      redemption = sc_test_counter_redeem (counter, verdict, -1, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      g_assert_cmpint (redemption->state, ==, SC_REDEMPTION_STATE_SYNCED);
      g_array_append_val (redeem_ms, ms);
      g_clear_object (&result);

      start = g_get_monotonic_time ();
      undone = sc_test_counter_undo (counter, redemption->id, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      g_assert_cmpint (undone->state, ==, SC_REDEMPTION_STATE_REVERSED);
      g_array_append_val (undo_ms, ms);
      g_clear_object (&result);
    }

  sc_test_counter_idle (counter);

  g_print ("Store Counter bench: ScCounter against store-counter-platform on loopback\n");
  report ("lookup (platform)", lookup_ms);
  report ("redeem (SQLite + platform)", redeem_ms);
  report ("undo (platform reversal)", undo_ms);

  g_clear_object (&counter);
  g_clear_object (&client);
  g_clear_object (&cache);
  sc_test_remove_tree (tmpdir);
  return 0;
}
