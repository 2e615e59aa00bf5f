/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pickup manifest at scale (DESIGN §6-7, §11): a platform with 100,000
 * orders; the full fetch into a fresh cache, an incremental fetch after
 * 1,000 orders changed, and offline lookups against the cached copy.
 * The fetches go through ScCounter as in the app (sc-platform-client pages
 * applied with sc_cache_apply_manifest). Not a timed test: it prints
 * figures, and checks that the incremental fetch moved only the changes.
 *
 *   bench-manifest [N_ORDERS [N_TOUCHED [N_LOOKUPS]]] */
#include "config.h"

#include <time.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "sc-bench-stats.h"
#include "sc-cache.h"
#include "sc-counter.h"
#include "sc-platform-client.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"
#include "sc-verdict.h"

#define LOOKUP_BUDGET_MS 1.0

/* A 5 ms timeout in the main context: the gaps between its ticks show how
 * long the main loop was kept from running (DESIGN §11: never > 16 ms). */
typedef struct
{
  gint64  last_us;
  GArray *gaps_ms;  /* (element-type double) */
  double  last_cpu_ms;
  double  max_work_ms;  /* the main thread's own CPU time between two ticks */
} Heartbeat;

typedef struct
{
  double max_ms;
  double p99_ms;
  guint  n_over_16;
  guint  n_ticks;
  double cpu_ms;   /* the main thread's CPU time over the fetch */
  double max_work_ms;
} Gaps;

/* CPU time of the calling thread: its own work, whatever the load. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  g_assert_cmpint (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts), ==, 0);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  Heartbeat *hb = user_data;
  gint64 now = g_get_monotonic_time ();
  double cpu = thread_cpu_ms ();

  if (hb->last_us > 0)
    {
      double gap_ms = (now - hb->last_us) / 1000.0;

      g_array_append_val (hb->gaps_ms, gap_ms);
      hb->max_work_ms = MAX (hb->max_work_ms, cpu - hb->last_cpu_ms);
    }
  hb->last_us = now;
  hb->last_cpu_ms = cpu;
  return G_SOURCE_CONTINUE;
}

static void
gaps_summarize (GArray *gaps_ms,
                Gaps   *out_gaps)
{
  sc_bench_sort (gaps_ms);
  out_gaps->n_ticks = gaps_ms->len;
  out_gaps->n_over_16 = 0;
  for (guint i = 0; i < gaps_ms->len; i++)
    if (g_array_index (gaps_ms, double, i) > 16.0)
      out_gaps->n_over_16++;
  out_gaps->max_ms = gaps_ms->len > 0 ? sc_bench_percentile (gaps_ms, 1.0) : 0;
  out_gaps->p99_ms = gaps_ms->len > 0 ? sc_bench_percentile (gaps_ms, 0.99) : 0;
}

static void
print_gaps (const Gaps *gaps)
{
  g_print ("%-34s %8.1f ms max, %.1f ms p99, %u of %u ticks > 16 ms\n",
           "  main loop: 5 ms heartbeat gaps", gaps->max_ms, gaps->p99_ms, gaps->n_over_16,
           gaps->n_ticks);
}

static void
fetched_cb (GObject    *object,
            GParamSpec *pspec,
            gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static gint64
cached_version (ScCache *cache)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;

  sc_cache_get_manifest_state_async (cache, "1001", NULL, sc_test_result_cb, &result);
  g_assert_true (sc_cache_get_manifest_state_finish (cache, sc_test_wait_result (&result),
                                                     &version, NULL, &error));
  g_assert_no_error (error);
  return version;
}

/* The manifest fetch as the app runs it: a new session makes the counter
 * fetch what changed since the version its cache holds, page by page.
 * Returns the seconds it took; *out_gaps: the main loop's heartbeat. */
static double
timed_fetch (ScCounter       *counter,
             const ScSession *session,
             Gaps            *out_gaps)
{
  g_autoptr(GArray) gaps_ms = g_array_new (FALSE, FALSE, sizeof (double));
  Heartbeat hb = { 0, gaps_ms, 0, 0 };
  guint fetched = 0;
  gulong handler;
  guint heartbeat_id;
  gint64 start;
  double seconds;
  double cpu_start;

  sc_test_counter_idle (counter);
  sc_counter_set_session (counter, NULL);

  handler = g_signal_connect (counter, "notify::manifest-fetched-at", G_CALLBACK (fetched_cb),
                              &fetched);
  heartbeat_id = g_timeout_add (5, heartbeat_cb, &hb);
  start = g_get_monotonic_time ();
  cpu_start = thread_cpu_ms ();
  sc_counter_set_session (counter, session);
  while (fetched == 0 || !sc_counter_is_idle (counter))
    {
      g_main_context_iteration (NULL, TRUE);
      /* A failed fetch ends without the notification. */
      g_assert_true (fetched > 0 || !sc_counter_is_idle (counter));
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  out_gaps->cpu_ms = thread_cpu_ms () - cpu_start;
  out_gaps->max_work_ms = hb.max_work_ms;
  g_source_remove (heartbeat_id);
  g_signal_handler_disconnect (counter, handler);
  gaps_summarize (gaps_ms, out_gaps);
  return seconds;
}

typedef struct
{
  double sum_ms;
  double max_ms;
} Cost;

typedef struct
{
  gsize  bytes;
  guint  pages;
  guint  orders;
  guint  removed;
  gint64 version;
  Cost   parse;       /* per page: json-glib, on a worker thread in the app */
  Cost   call;        /* sc_cache_apply_manifest_take_async: the caller's CPU time */
} Transfer;

static void
cost_add (Cost   *cost,
          gint64  from_us,
          gint64  to_us)
{
  double ms = (to_us - from_us) / 1e3;

  cost->sum_ms += ms;
  cost->max_ms = MAX (cost->max_ms, ms);
}

/* What one page costs, step by step, as the app handles it: the parse
 * (sc-platform-client runs it on a worker thread for a page this size) and
 * the apply call the counter makes on the main thread; the checks, writes
 * and freeing the tree run on the DB thread (into a scratch cache). */
static void
measure_page_cost (ScCache    *scratch,
                   const char *data,
                   gsize       len,
                   Transfer   *t)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *page;
  gint64 t0, t1;
  double cpu0, cpu1;

  t0 = g_get_monotonic_time ();
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) len, &error));
  page = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  g_clear_object (&parser);
  t1 = g_get_monotonic_time ();
  /* CPU time: waking the DB thread may hand it this core for a while. */
  cpu0 = thread_cpu_ms ();
  sc_cache_apply_manifest_take_async (scratch, "1001", page, NULL, sc_test_result_cb, &result);
  cpu1 = thread_cpu_ms ();
  g_assert_true (sc_cache_apply_manifest_finish (scratch, sc_test_wait_result (&result), NULL,
                                                 &error));
  g_assert_no_error (error);

  cost_add (&t->parse, t0, t1);
  t->call.sum_ms += cpu1 - cpu0;
  t->call.max_ms = MAX (t->call.max_ms, cpu1 - cpu0);
}

static void
print_costs (const Transfer *t)
{
  g_print ("%-34s %8.2f ms mean, %.2f ms worst (worker thread)\n", "  per page: parse",
           t->parse.sum_ms / t->pages, t->parse.max_ms);
  g_print ("%-34s %8.3f ms mean, %.3f ms worst (main thread CPU)\n", "  per page: apply call",
           t->call.sum_ms / t->pages, t->call.max_ms);
}

/* The heartbeat of an idle main loop for @ms: what this machine's load
 * alone costs, to read the figures during the fetches against. */
static void
idle_gaps (guint  ms,
           Gaps  *out_gaps)
{
  g_autoptr(GArray) gaps_ms = g_array_new (FALSE, FALSE, sizeof (double));
  Heartbeat hb = { 0, gaps_ms, 0, 0 };
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint heartbeat_id = g_timeout_add (5, heartbeat_cb, &hb);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (heartbeat_id);
  gaps_summarize (gaps_ms, out_gaps);
}

/* The same answers again, read raw, to count what went over the wire. */
static Transfer
measure_transfer (ScTestPlatform *platform,
                  ScCache        *scratch,
                  const char     *token,
                  gint64          since)
{
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120,
                                                                  "proxy-resolver", direct,
                                                                  NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *cursor = NULL;
  Transfer t = { 0, };

  do
    {
      g_autofree char *url = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *page;
      JsonNode *next;
      gsize len;
      const char *data;

      url = cursor != NULL
        ? g_strdup_printf ("%s/v1/manifest?since=%" G_GINT64_FORMAT "&cursor=%s", platform->url,
                           since, cursor)
        : g_strdup_printf ("%s/v1/manifest?since=%" G_GINT64_FORMAT, platform->url, since);
      msg = soup_message_new ("GET", url);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      data = g_bytes_get_data (body, &len);
      g_assert_true (json_parser_load_from_data (parser, data, (gssize) len, &error));
      g_assert_no_error (error);
      page = json_node_get_object (json_parser_get_root (parser));

      measure_page_cost (scratch, data, len, &t);
      t.bytes += len;
      t.pages++;
      t.orders += json_array_get_length (json_object_get_array_member (page, "orders"));
      t.removed += json_array_get_length (json_object_get_array_member (page, "removed"));
      t.version = json_object_get_int_member (page, "version");
      next = json_object_get_member (page, "next_cursor");
      g_clear_pointer (&cursor, g_free);
      if (next != NULL && !JSON_NODE_HOLDS_NULL (next))
        cursor = g_uri_escape_string (json_node_get_string (next), NULL, FALSE);
    }
  while (cursor != NULL);

  return t;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ScTestPlatform) platform = NULL;
  g_autoptr(ScCache) cache = NULL;
  g_autoptr(ScCache) scratch = NULL;
  g_autoptr(ScPlatformClient) client = NULL;
  g_autoptr(ScCounter) counter = NULL;
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) touched = NULL;
  g_autoptr(GArray) lookup_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240501);
  g_autofree char *tmpdir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *body = NULL;
  guint n_orders = 100000, n_touch = 1000, n_lookups = 10000;
  guint n_status[SC_VERDICT_STATUS_LAST] = { 0, };
  JsonArray *codes;
  Transfer full, delta;
  Gaps idle, full_gaps, delta_gaps;
  double full_s, delta_s, median, p95;
  gint64 start, v_full, v_touched;
  guint n_touched;

  if (argc > 1)
    n_orders = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (argc > 2)
    n_touch = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  if (argc > 3)
    n_lookups = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  g_assert_cmpuint (n_orders, >, 0);
  g_assert_cmpuint (n_touch, >, 0);
  g_assert_cmpuint (n_lookups, >, 0);

  g_print ("Store Counter bench: the pickup manifest with %u orders\n", n_orders);

  platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  tmpdir = g_dir_make_tmp ("sc-bench-manifest-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmpdir, "counter.db", NULL);

  start = g_get_monotonic_time ();
  body = g_strdup_printf ("{\"count\": %u}", n_orders);
  created = sc_test_platform_admin (platform, "POST", "/v1/admin/orders", body, 201);
  codes = json_object_get_array_member (created, "codes");
  g_assert_cmpuint (json_array_get_length (codes), ==, n_orders);
  g_print ("%-34s %8.2f s\n", "platform: create orders", (g_get_monotonic_time () - start) / 1e6);

  cache = sc_test_open_cache (db_path);
  scratch = sc_test_open_cache (":memory:");
  client = sc_platform_client_new (platform->url);
  counter = sc_counter_new (cache, client);

  sc_platform_client_login_async (client, "1001", "1", "1234", NULL, sc_test_result_cb, &result);
  session = sc_platform_client_login_finish (client, sc_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  /* What the machine's load alone does to the heartbeat. */
  idle_gaps (2000, &idle);
  g_print ("%-34s %8.1f ms max, %.1f ms p99, %u of %u ticks > 16 ms\n",
           "idle main loop: 5 ms heartbeat gaps", idle.max_ms, idle.p99_ms, idle.n_over_16,
           idle.n_ticks);

  /* Full fetch into the fresh cache. */
  full_s = timed_fetch (counter, session, &full_gaps);
  v_full = cached_version (cache);
  full = measure_transfer (platform, scratch, session->token, 0);
  g_assert_cmpint (v_full, ==, full.version);
  g_assert_cmpuint (full.orders, >=, n_orders);
  g_print ("%-34s %8.2f s   %u orders, %u pages, %.1f MiB (%.0f bytes/order)\n",
           "full fetch + apply", full_s, full.orders, full.pages, full.bytes / 1048576.0,
           (double) full.bytes / full.orders);
  print_gaps (&full_gaps);
  g_print ("%-34s %8.2f ms per page (%.0f ms in all), at most %.1f ms between ticks\n",
           "  main thread CPU time", full_gaps.cpu_ms / full.pages, full_gaps.cpu_ms,
           full_gaps.max_work_ms);
  print_costs (&full);

  /* Change some, then fetch what changed. */
  body = (g_free (body), g_strdup_printf ("{\"count\": %u}", n_touch));
  touched = sc_test_platform_admin (platform, "POST", "/v1/admin/orders/touch", body, 200);
  n_touched = (guint) json_object_get_int_member (touched, "touched");
  v_touched = json_object_get_int_member (touched, "version");
  g_assert_cmpuint (n_touched, ==, MIN (n_touch, n_orders));

  delta_s = timed_fetch (counter, session, &delta_gaps);
  g_assert_cmpint (cached_version (cache), ==, v_touched);
  delta = measure_transfer (platform, scratch, session->token, v_full);
  g_print ("%-34s %8.3f s   %u orders + %u removed for %u changed, %u page(s), %.1f KiB\n",
           "incremental fetch + apply", delta_s, delta.orders, delta.removed, n_touched,
           delta.pages, delta.bytes / 1024.0);
  print_gaps (&delta_gaps);
  g_print ("%-34s %8.2f ms per page (%.0f ms in all), at most %.1f ms between ticks\n",
           "  main thread CPU time", delta_gaps.cpu_ms / delta.pages, delta_gaps.cpu_ms,
           delta_gaps.max_work_ms);
  print_costs (&delta);
  /* Only the changes went over the wire. */
  g_assert_cmpuint (delta.orders + delta.removed, ==, n_touched);
  g_assert_cmpint (delta.version, ==, v_touched);

  /* Offline lookups of random codes against the cached copy. */
  for (guint i = 0; i < n_lookups; i++)
    {
      const char *code = json_array_get_string_element (
        codes, (guint) g_rand_int_range (rand, 0, (gint32) json_array_get_length (codes)));
      g_autoptr(ScVerdict) verdict = NULL;
      gint64 t;
      double ms;

      g_clear_object (&result);
      t = g_get_monotonic_time ();
      sc_cache_lookup_offline_async (cache, "1001", code, g_get_real_time () / G_USEC_PER_SEC,
                                     NULL, sc_test_result_cb, &result);
      verdict = sc_cache_lookup_offline_finish (cache, sc_test_wait_result (&result), &error);
      ms = (g_get_monotonic_time () - t) / 1000.0;
      g_assert_no_error (error);
      g_array_append_val (lookup_ms, ms);
      n_status[sc_verdict_get_status (verdict)]++;
    }
  sc_bench_sort (lookup_ms);
  median = sc_bench_percentile (lookup_ms, 0.5);
  p95 = sc_bench_percentile (lookup_ms, 0.95);
  g_print ("%-34s n=%u median %.3f ms   p95 %.3f ms   max %.3f ms   (budget < %.0f ms: %s)\n",
           "offline lookup", n_lookups, median, p95, sc_bench_percentile (lookup_ms, 1.0),
           LOOKUP_BUDGET_MS, p95 < LOOKUP_BUDGET_MS ? "met" : "NOT MET");
  g_print ("%-34s", "  verdicts");
  for (guint s = 0; s < SC_VERDICT_STATUS_LAST; s++)
    if (n_status[s] > 0)
      g_print (" %s %u", sc_verdict_status_to_string (s), n_status[s]);
  g_print ("\n");
  /* Every code is known to the copy but for the few that left it. */
  g_assert_cmpuint (n_status[SC_VERDICT_STATUS_REDEEMABLE], >, n_lookups / 2);
  g_assert_cmpuint (n_status[SC_VERDICT_STATUS_NOT_FOUND], <=,
                    n_lookups * (delta.removed + 1) / n_orders * 3 + 10);

  g_clear_object (&result);
  sc_test_counter_idle (counter);
  g_clear_object (&counter);
  g_clear_object (&client);
  g_clear_object (&cache);
  g_clear_object (&scratch);
  sc_test_remove_tree (tmpdir);
  return 0;
}
