/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Frame to verdict through the whole pipeline (DESIGN §11): the camera's
 * file source at 30 fps, its decode thread, the main loop, ScCounter's
 * lookup, first against a real store-counter-platform on loopback, then
 * with the platform gone, from the cached manifest. For each detection:
 * capture -> detected on the main loop (decode and dispatch), and capture
 * -> verdict. Budget: from the cache < 5 ms, from the loopback platform
 * p95 < 30 ms. Not a timed test: it prints figures. */
#include "config.h"

#include "sc-bench-stats.h"
#include "sc-cache.h"
#include "sc-camera.h"
#include "sc-counter.h"
#include "sc-decoder.h"
#include "sc-platform-client.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"
#include "sc-verdict.h"

#define N_CODES 10
#define FPS     30

typedef struct
{
  ScCounter *counter;
  GArray    *to_detected;   /* ms, double */
  GArray    *to_verdict;    /* ms, double */
  GArray    *lookup;        /* ms, double: detected -> verdict */
  guint      in_flight;
  guint      skip;          /* detections to leave out (a mode change) */
  gboolean   want_offline;
  guint      wrong_mode;
} Pipeline;

typedef struct
{
  Pipeline *pipeline;
  gint64    frame_us;
  gint64    detected_us;
} Lookup;

static void
report (const char *what,
        GArray     *ms)
{
  sc_bench_sort (ms);
  g_print ("%-45s n=%-4u median %7.3f ms   p95 %7.3f ms   max %7.3f ms\n", what, ms->len,
           sc_bench_percentile (ms, 0.5), sc_bench_percentile (ms, 0.95),
           g_array_index (ms, double, ms->len - 1));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;
  Pipeline *pipeline = lookup->pipeline;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  gint64 now = g_get_monotonic_time ();
  double ms = (now - lookup->frame_us) / 1000.0;
  double lookup_ms = (now - lookup->detected_us) / 1000.0;

  verdict = sc_counter_lookup_finish (SC_COUNTER (object), result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sc_verdict_get_status (verdict), ==, SC_VERDICT_STATUS_REDEEMABLE);
  pipeline->in_flight--;
  if (pipeline->skip > 0)
    pipeline->skip--;
  else if (sc_verdict_get_offline (verdict) != pipeline->want_offline)
    pipeline->wrong_mode++;
  else
    {
      g_array_append_val (pipeline->to_verdict, ms);
      g_array_append_val (pipeline->lookup, lookup_ms);
    }
  g_free (lookup);
}

static void
detected_cb (ScCamera    *camera,
             ScDetection *detection,
             Pipeline    *pipeline)
{
  Lookup *lookup = g_new0 (Lookup, 1);
  double ms;

  g_assert_cmpint (detection->frame_time_us, >, 0);
  lookup->pipeline = pipeline;
  lookup->frame_us = detection->frame_time_us;
  lookup->detected_us = g_get_monotonic_time ();
  if (pipeline->skip == 0)
    {
      ms = (g_get_monotonic_time () - detection->frame_time_us) / 1000.0;
      g_array_append_val (pipeline->to_detected, ms);
    }
  pipeline->in_flight++;
  sc_counter_lookup_async (pipeline->counter, detection->payload, NULL, lookup_cb, lookup);
}

static void
write_frames (const char *dir,
              GPtrArray  *codes)
{
  const char *gen = g_getenv ("SC_GEN_CODE_FRAMES");

  g_assert_nonnull (gen);
  for (guint i = 0; i < codes->len; i++)
    {
      g_autofree char *code_name = g_strdup_printf ("%02u-a", i);
      g_autofree char *empty_name = g_strdup_printf ("%02u-b", i);
      /* A code for 3 frames, then 12 without: each code comes back after
       * 5 s, past the 2 s in which a payload counts as seen. */
      const char *code_argv[] = { gen, dir, code_name, "3", i % 2 ? "code128" : "qr",
                                  g_ptr_array_index (codes, i), NULL };
      const char *empty_argv[] = { gen, dir, empty_name, "12", "empty", NULL };
      g_autoptr(GError) error = NULL;
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) code_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   NULL, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_true (g_spawn_sync (NULL, (char **) empty_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   NULL, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
}

static void
run (Pipeline   *pipeline,
     ScCamera   *camera,
     guint       n,
     const char *what)
{
  g_autofree char *detected = g_strdup_printf ("%s: frame -> detected", what);
  g_autofree char *verdict = g_strdup_printf ("%s: frame -> verdict", what);
  g_autofree char *lookup = g_strdup_printf ("%s: detected -> verdict", what);

  g_array_set_size (pipeline->to_detected, 0);
  g_array_set_size (pipeline->to_verdict, 0);
  g_array_set_size (pipeline->lookup, 0);
  sc_camera_start (camera);
  while (pipeline->to_verdict->len < n)
    g_main_context_iteration (NULL, TRUE);
  sc_camera_stop (camera);
  while (pipeline->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (pipeline->wrong_mode, ==, 0);
  report (detected, pipeline->to_detected);
  report (lookup, pipeline->lookup);
  report (verdict, pipeline->to_verdict);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ScTestPlatform) platform = NULL;
  g_autoptr(ScCache) cache = NULL;
  g_autoptr(ScPlatformClient) client = NULL;
  g_autoptr(ScCounter) counter = NULL;
  g_autoptr(ScCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autofree char *tmpdir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *frames = NULL;
  g_autofree char *spec = NULL;
  Pipeline pipeline = { 0 };
  guint n = 60;

  if (argc > 1)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (n == 0)
    n = 60;

  platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  tmpdir = g_dir_make_tmp ("sc-bench-pipeline-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmpdir, "counter.db", NULL);
  frames = g_build_filename (tmpdir, "frames", NULL);

  cache = sc_test_open_cache (db_path);
  client = sc_platform_client_new (platform->url);
  counter = sc_counter_new (cache, client);
  sc_test_counter_login (counter, "1");
  while (sc_counter_get_manifest_fetched_at (counter) == 0)
    g_main_context_iteration (NULL, TRUE);

  all = sc_test_platform_demo_codes (platform, "redeemable", "pickup");
  for (guint i = 0; i < all->len && codes->len < N_CODES; i++)
    if (g_ascii_isdigit (*(const char *) g_ptr_array_index (all, i)))
      g_ptr_array_add (codes, g_ptr_array_index (all, i));
  g_assert_cmpuint (codes->len, ==, N_CODES);
  write_frames (frames, codes);

  pipeline.counter = counter;
  pipeline.to_detected = g_array_new (FALSE, FALSE, sizeof (double));
  pipeline.to_verdict = g_array_new (FALSE, FALSE, sizeof (double));
  pipeline.lookup = g_array_new (FALSE, FALSE, sizeof (double));
  spec = g_strconcat ("files:", frames, NULL);
  camera = sc_camera_new (spec);
  sc_camera_set_fps (camera, FPS);
  g_signal_connect (camera, "detected", G_CALLBACK (detected_cb), &pipeline);

  g_print ("%u codes (QR and Code128) at 640x480, %d fps, %u verdicts each\n", N_CODES, FPS, n);
  run (&pipeline, camera, n, "loopback platform");

  /* The platform goes; the first lookup finds out and answers from the
   * cache; from then on lookups go to the cache at once. */
  sc_test_platform_kill (platform);
  pipeline.want_offline = TRUE;
  pipeline.skip = 1;
  run (&pipeline, camera, n, "cache (platform down)");

  g_signal_handlers_disconnect_by_data (camera, &pipeline);
  g_array_unref (pipeline.to_detected);
  g_array_unref (pipeline.to_verdict);
  g_array_unref (pipeline.lookup);
  g_clear_object (&camera);
  while (!sc_counter_is_idle (counter))
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&counter);
  g_clear_object (&cache);
  sc_test_remove_tree (tmpdir);
  return 0;
}
