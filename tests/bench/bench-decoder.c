/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-decoder: ScDecoder against its peers on the same synthetic frames
 * (DESIGN §11): one plain full-resolution zbar pass, zxing-cpp when built
 * in (tests/bench/zxing-peer.cpp), and with --zbarimg the zbarimg tool on
 * PNG files. Prints figures, asserts nothing about time: decode time
 * median/p95 per resolution, with and without a code, clean and noisy;
 * decode rates on every degraded set; false reads on frames with no code.
 *
 *   meson test -C BUILD --suite bench --verbose bench-decoder
 *   BUILD/tests/bench/bench-decoder [-n FRAMES] [-r REPEATS] [--rates] [-z] */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>

#include "sc-decoder.h"
#include "sc-test-frames.h"
#ifdef HAVE_ZXING_PEER
#include "zxing-peer.h"
#endif

static int n_frames = 50;
static int n_repeats = 3;
static gboolean run_zbarimg;
static gboolean only_rates;
static gboolean only_times;
static int only_load = -1;
static int only_big = -1;
static int peer_mask = 7;

typedef enum
{
  LOAD_CODE_CLEAN,
  LOAD_CODE_NOISE8,
  LOAD_CODE_NOISE20,
  LOAD_IDLE_CLEAN,
  LOAD_IDLE_NOISE8,
  LOAD_IDLE_NOISE20,
  N_LOADS,
} Load;

static const char *const load_names[N_LOADS] = {
  "code, clean", "code, noise 8", "code, noise 20",
  "idle, clean", "idle, noise 8", "idle, noise 20",
};

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *us,
            double  p)
{
  guint i;

  g_array_sort (us, cmp_gint64);
  i = (guint) (p * (us->len - 1) + 0.5);
  return g_array_index (us, gint64, i) / 1000.0;
}

static ScTestFrame *
make_frame (Load load,
            int  big,
            int  i)
{
  /* Odd indices are 1280x720 code frames, even ones 640x480. */
  guint code_index = (guint) (2 * i + big);
  int w = big ? 1280 : 640, h = big ? 720 : 480;

  switch (load)
    {
    case LOAD_CODE_CLEAN:
      return sc_test_frame_new_code (SC_FRAME_SET_CLEAN, code_index);
    case LOAD_CODE_NOISE8:
      return sc_test_frame_new_code (SC_FRAME_SET_NOISE8, code_index);
    case LOAD_CODE_NOISE20:
      return sc_test_frame_new_code (SC_FRAME_SET_NOISE20, code_index);
    case LOAD_IDLE_CLEAN:
      return sc_test_frame_new_empty ((guint) i * 5, w, h);       /* texture */
    case LOAD_IDLE_NOISE8:
      return sc_test_frame_new_empty ((guint) i * 5 + 1, w, h);   /* + noise 8 */
    case LOAD_IDLE_NOISE20:
      return sc_test_frame_new_empty ((guint) i * 5 + 2, w, h);   /* + noise 20 */
    default:
      g_assert_not_reached ();
    }
}

typedef enum
{
  PEER_OURS,
  PEER_ZBAR,
  PEER_ZXING,
  N_PEERS,
} Peer;

static gboolean
peer_available (Peer peer)
{
#ifdef HAVE_ZXING_PEER
  return TRUE;
#else
  return peer != PEER_ZXING;
#endif
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Decodes @frame with @peer; returns the payloads (owned strings), the
 * wall time in @out_us and the thread's CPU time in @out_cpu_us. Ours is
 * reset first: every frame is a first frame. */
static GPtrArray *
peer_decode (Peer         peer,
             ScDecoder   *decoder,
             ScTestFrame *frame,
             gint64      *out_us,
             gint64      *out_cpu_us,
             int         *out_stage)
{
  GPtrArray *payloads = NULL;
  gint64 t0, c0 = thread_cpu_us ();

  if (peer == PEER_OURS)
    {
      g_autoptr(GPtrArray) found = NULL;
      ScDecoderStats stats;

      sc_decoder_reset (decoder);
      found = sc_decoder_decode (decoder, frame->gray, frame->width, frame->height,
                                 frame->width, g_get_monotonic_time ());
      *out_cpu_us = thread_cpu_us () - c0;
      sc_decoder_get_stats (decoder, &stats);
      *out_us = stats.decode_us;
      if (out_stage != NULL)
        *out_stage = (int) stats.stage;
      payloads = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < found->len; i++)
        g_ptr_array_add (payloads,
                         g_strdup (((ScDetection *) g_ptr_array_index (found, i))->payload));
      return payloads;
    }

  t0 = g_get_monotonic_time ();
  if (peer == PEER_ZBAR)
    payloads = sc_test_raw_zbar_decode (frame->gray, frame->width, frame->height);
#ifdef HAVE_ZXING_PEER
  else
    payloads = sc_zxing_peer_decode (frame->gray, frame->width, frame->height, frame->width);
#endif
  *out_us = g_get_monotonic_time () - t0;
  *out_cpu_us = thread_cpu_us () - c0;
  g_assert_nonnull (payloads);
  return payloads;
}

static double
median_or_0 (GArray *us,
             double  p)
{
  return us->len > 0 ? percentile (us, p) : 0.0;
}

static void
bench_times (void)
{
  g_print ("# decode time, ms (%d frames x %d repeats; our decoder reset before each frame):\n"
           "# wall time (budget) and thread CPU time (steadier on a shared machine) of ours,\n"
           "# CPU time of the peers, how many times their CPU time is ours, where ours hit\n",
           n_frames, n_repeats);
  g_print ("# %-9s %-15s %7s %7s %7s %7s %7s %7s %7s %7s %6s %6s  %s\n", "size", "frames",
           "wall", "wall", "cpu", "cpu", "zbar", "zbar", "zxing", "zxing", "zbar/", "zxing/",
           "hits of ours:");
  g_print ("# %-9s %-15s %7s %7s %7s %7s %7s %7s %7s %7s %6s %6s  %s\n", "", "", "med", "p95",
           "med", "p95", "med", "p95", "med", "p95", "ours", "ours",
           "binned/roi/lines/region/sharp/none");

  for (int big = 0; big < 2; big++)
    for (Load load = 0; load < N_LOADS; load++)
      {
        g_autoptr(ScDecoder) decoder = NULL;
        GArray *wall, *cpu[N_PEERS];
        int hits[SC_DECODER_STAGE_SHARP + 1] = { 0 };
        double ours;

        if ((only_load >= 0 && (int) load != only_load) || (only_big >= 0 && big != only_big))
          continue;
        decoder = sc_decoder_new ();
        wall = g_array_new (FALSE, FALSE, sizeof (gint64));
        for (Peer p = 0; p < N_PEERS; p++)
          cpu[p] = g_array_new (FALSE, FALSE, sizeof (gint64));

        for (int i = 0; i < n_frames; i++)
          {
            g_autoptr(ScTestFrame) frame = make_frame (load, big, i);

            for (int r = 0; r < n_repeats; r++)
              for (Peer p = 0; p < N_PEERS; p++)
                {
                  g_autoptr(GPtrArray) found = NULL;
                  gint64 t, c;
                  int stage = 0;

                  if (!peer_available (p) || (peer_mask & (1 << p)) == 0)
                    continue;
                  found = peer_decode (p, decoder, frame, &t, &c, &stage);
                  g_array_append_val (cpu[p], c);
                  if (p == PEER_OURS)
                    g_array_append_val (wall, t);
                  if (p == PEER_OURS && r == 0)
                    hits[stage]++;
                }
          }

        ours = median_or_0 (cpu[PEER_OURS], 0.5);
        g_print ("  %-9s %-15s %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %5.1fx %5.1fx  "
                 "%d/%d/%d/%d/%d/%d\n",
                 big ? "1280x720" : "640x480", load_names[load],
                 median_or_0 (wall, 0.5), median_or_0 (wall, 0.95),
                 ours, median_or_0 (cpu[PEER_OURS], 0.95),
                 median_or_0 (cpu[PEER_ZBAR], 0.5), median_or_0 (cpu[PEER_ZBAR], 0.95),
                 median_or_0 (cpu[PEER_ZXING], 0.5), median_or_0 (cpu[PEER_ZXING], 0.95),
                 ours > 0 ? median_or_0 (cpu[PEER_ZBAR], 0.5) / ours : 0.0,
                 ours > 0 ? median_or_0 (cpu[PEER_ZXING], 0.5) / ours : 0.0,
                 hits[SC_DECODER_STAGE_BINNED], hits[SC_DECODER_STAGE_ROI],
                 hits[SC_DECODER_STAGE_LINES], hits[SC_DECODER_STAGE_REGION],
                 hits[SC_DECODER_STAGE_SHARP], hits[SC_DECODER_STAGE_NONE]);

        g_array_unref (wall);
        for (Peer p = 0; p < N_PEERS; p++)
          g_array_unref (cpu[p]);
      }
}

static gboolean
has_payload (GPtrArray  *found,
             const char *payload)
{
  for (guint i = 0; i < found->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (found, i), payload) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
bench_rates (void)
{
  g_autoptr(ScDecoder) decoder = sc_decoder_new ();
  int total[N_PEERS] = { 0 }, n_total = 0, wrong[N_PEERS] = { 0 };

  /* Rates must not depend on how busy the machine is: no time budget. */
  sc_decoder_set_budget_us (decoder, G_MAXINT);

  g_print ("# decode rate per set (%d frames each: QR and Code128, module 2..6 px, "
           "640x480 and 1280x720)%s;\n# ours without a time budget; median CPU time in ms; "
           "only-ours: frames no peer read\n",
           n_frames, peer_available (PEER_ZXING) ? "" : "; zxing-cpp not built in");
  g_print ("# %-14s %6s %6s %6s %8s %8s %8s %9s\n", "set", "ours", "zbar", "zxing",
           "ours-ms", "zbar-ms", "zx-ms", "only-ours");

  for (ScFrameSet set = 0; set < SC_FRAME_N_SETS; set++)
    {
      GArray *us[N_PEERS];
      int hits[N_PEERS] = { 0 }, only_ours = 0;

      for (Peer p = 0; p < N_PEERS; p++)
        us[p] = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (int i = 0; i < n_frames; i++)
        {
          g_autoptr(ScTestFrame) frame = sc_test_frame_new_code (set, (guint) i);
          gboolean hit[N_PEERS] = { FALSE };

          for (Peer p = 0; p < N_PEERS; p++)
            {
              g_autoptr(GPtrArray) found = NULL;
              gint64 t, c;

              if (!peer_available (p) || (peer_mask & (1 << p)) == 0)
                continue;
              found = peer_decode (p, decoder, frame, &t, &c, NULL);
              g_array_append_val (us[p], c);
              hit[p] = has_payload (found, frame->payload);
              hits[p] += hit[p];
              wrong[p] += (int) found->len - hit[p];
            }
          only_ours += hit[PEER_OURS] && !hit[PEER_ZBAR] && !hit[PEER_ZXING];
          if (g_getenv ("BENCH_VERBOSE") != NULL && !hit[PEER_OURS])
            g_print ("    missed by ours (zbar %d, zxing %d): %s #%d %dx%d %s module %d\n",
                     hit[PEER_ZBAR], hit[PEER_ZXING], sc_frame_set_name (set), i,
                     frame->width, frame->height, sc_symbology_to_string (frame->symbology),
                     frame->module_px);
        }

      g_print ("  %-14s %5.0f%% %5.0f%% %5.0f%% %8.2f %8.2f %8.2f %9d\n",
               sc_frame_set_name (set), 100.0 * hits[PEER_OURS] / n_frames,
               100.0 * hits[PEER_ZBAR] / n_frames, 100.0 * hits[PEER_ZXING] / n_frames,
               median_or_0 (us[PEER_OURS], 0.5), median_or_0 (us[PEER_ZBAR], 0.5),
               median_or_0 (us[PEER_ZXING], 0.5), only_ours);
      for (Peer p = 0; p < N_PEERS; p++)
        {
          total[p] += hits[p];
          g_array_unref (us[p]);
        }
      n_total += n_frames;
    }
  g_print ("  %-14s %5.0f%% %5.0f%% %5.0f%%\n", "all", 100.0 * total[PEER_OURS] / n_total,
           100.0 * total[PEER_ZBAR] / n_total, 100.0 * total[PEER_ZXING] / n_total);
  g_print ("# wrong or extra payloads: ours %d, zbar %d, zxing %d\n", wrong[PEER_OURS],
           wrong[PEER_ZBAR], wrong[PEER_ZXING]);
}

/* False reads of every decoder on frames with no code. */
static void
bench_empty (void)
{
  g_autoptr(ScDecoder) decoder = sc_decoder_new ();
  const int sizes[][2] = { { 640, 480 }, { 1280, 720 } };
  int reads[N_PEERS] = { 0 }, n = 0;
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (int i = 0; i < n_frames * 2; i++)
      {
        g_autoptr(ScTestFrame) frame = sc_test_frame_new_empty ((guint) i, sizes[s][0],
                                                                sizes[s][1]);

        for (Peer p = 0; p < N_PEERS; p++)
          {
            g_autoptr(GPtrArray) found = NULL;
            gint64 t, c;

            if (!peer_available (p) || (peer_mask & (1 << p)) == 0)
              continue;
            found = peer_decode (p, decoder, frame, &t, &c, NULL);
            reads[p] += (int) found->len;
            if (p == PEER_OURS)
              {
                g_array_append_val (wall, t);
                g_array_append_val (cpu, c);
              }
          }
        n++;
      }
  g_print ("# false reads on %d frames with no code (texture, noise, stripes, blocks, text): "
           "ours %d, zbar %d, zxing %d\n", n, reads[PEER_OURS], reads[PEER_ZBAR],
           reads[PEER_ZXING]);
  g_print ("# ours on them, with the default budget: wall median %.2f ms, p95 %.2f ms, max "
           "%.2f ms; CPU median %.2f ms, p95 %.2f ms\n", median_or_0 (wall, 0.5),
           median_or_0 (wall, 0.95), median_or_0 (wall, 1.0), median_or_0 (cpu, 0.5),
           median_or_0 (cpu, 0.95));
}

/* The zbarimg tool (zbar-tools) on the first frames of every set, written
 * as PNG files: plain zbar as users run it, with the same three symbologies. */
static void
bench_zbarimg (void)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  int total = 0, n_total = 0;

  if (zbarimg == NULL)
    {
      g_print ("# zbarimg: not installed (zbar-tools)\n");
      return;
    }
  dir = g_dir_make_tmp ("sc-bench-XXXXXX", &error);
  g_assert_no_error (error);

  g_print ("# zbarimg -q --raw, QR/Code128/EAN-13 only, %d PNG frames per set\n", n_frames);
  for (ScFrameSet set = 0; set < SC_FRAME_N_SETS; set++)
    {
      int hits = 0;

      for (int i = 0; i < n_frames; i++)
        {
          g_autoptr(ScTestFrame) frame = sc_test_frame_new_code (set, (guint) i);
          g_autofree char *path = g_strdup_printf ("%s/%s-%03d.png", dir,
                                                   sc_frame_set_name (set), i);
          g_autofree char *out = NULL;
          const char *argv[] = {
            zbarimg, "-q", "--raw", "-Sdisable", "-Sqrcode.enable", "-Scode128.enable",
            "-Sean13.enable", path, NULL,
          };
          g_auto(GStrv) lines = NULL;

          if (!sc_test_frame_save (frame, path, "png", &error))
            g_error ("%s", error->message);
          /* zbarimg exits 4 when it finds nothing: not an error here. */
          g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                        &out, NULL, NULL, &error);
          g_assert_no_error (error);
          lines = g_strsplit (out, "\n", -1);
          hits += g_strv_contains ((const char *const *) lines, frame->payload);
          g_unlink (path);
        }
      g_print ("  %-14s %5.0f%%\n", sc_frame_set_name (set), 100.0 * hits / n_frames);
      total += hits;
      n_total += n_frames;
    }
  g_print ("  %-14s %5.0f%%\n", "all", 100.0 * total / n_total);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- decoder benchmark");
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "frames", 'n', 0, G_OPTION_ARG_INT, &n_frames, "Frames per cell", "N" },
    { "repeats", 'r', 0, G_OPTION_ARG_INT, &n_repeats, "Timed runs per frame", "N" },
    { "zbarimg", 'z', 0, G_OPTION_ARG_NONE, &run_zbarimg, "Also run the zbarimg tool", NULL },
    { "rates", 0, 0, G_OPTION_ARG_NONE, &only_rates, "Decode rates only, no times", NULL },
    { "times", 0, 0, G_OPTION_ARG_NONE, &only_times, "Decode times only, no rates", NULL },
    { "load", 0, 0, G_OPTION_ARG_INT, &only_load, "Times of one kind of frame only "
      "(0 clean code, 1/2 noisy code, 3 idle, 4/5 noisy idle)", "N" },
    { "big", 0, 0, G_OPTION_ARG_INT, &only_big, "Times at 1280x720 (1) or 640x480 (0) only",
      "0|1" },
    { "peers", 0, 0, G_OPTION_ARG_INT, &peer_mask, "Run these decoders only: 1 ours, "
      "2 zbar, 4 zxing (a sum)", "MASK" },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_frames < 1 || n_repeats < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "bad arguments");
      return 2;
    }

#ifdef HAVE_ZXING_PEER
  g_print ("# peers: one plain zbar pass; zxing-cpp %s with its default hints "
           "(tryHarder, tryRotate, tryDownscale)\n", sc_zxing_peer_version ());
#else
  g_print ("# peers: one plain zbar pass; zxing-cpp not built in\n");
#endif
  if (!only_rates)
    bench_times ();
  if (!only_times)
    {
      bench_rates ();
      bench_empty ();
    }
  if (run_zbarimg)
    bench_zbarimg ();
  return EXIT_SUCCESS;
}
