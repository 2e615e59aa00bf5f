/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-decoder: ScDecoder against one plain full-resolution zbar pass on
 * the same synthetic frames (DESIGN §11). Prints figures, asserts nothing
 * about time: decode time median/p95 per resolution, with and without a
 * code, clean and noisy; and decode rates on every degraded set.
 *
 *   meson test -C BUILD --suite bench --verbose bench-decoder
 *   BUILD/tests/bench/bench-decoder [-n FRAMES] [-r REPEATS]             */
#include "config.h"

#include <stdlib.h>

#include "sc-decoder.h"
#include "sc-test-frames.h"

static int n_frames = 50;
static int n_repeats = 3;

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

static void
bench_times (void)
{
  g_print ("# decode time, ms (%d frames x %d repeats; the decoder reset before each frame)\n",
           n_frames, n_repeats);
  g_print ("# %-10s %-16s %8s %8s %8s %8s %8s %8s %7s  %s\n", "size", "frames", "ours-med",
           "ours-p95", "ours-max", "zbar-med", "zbar-p95", "zbar-max", "ratio",
           "hits binned/roi/region/full/none");

  for (int big = 0; big < 2; big++)
    for (Load load = 0; load < N_LOADS; load++)
      {
        g_autoptr(ScDecoder) decoder = sc_decoder_new ();
        g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (gint64));
        g_autoptr(GArray) raw = g_array_new (FALSE, FALSE, sizeof (gint64));
        int hits[5] = { 0 };
        double ours_med, raw_med;

        for (int i = 0; i < n_frames; i++)
          {
            g_autoptr(ScTestFrame) frame = make_frame (load, big, i);

            for (int r = 0; r < n_repeats; r++)
              {
                g_autoptr(GPtrArray) found = NULL;
                g_autoptr(GPtrArray) raw_found = NULL;
                ScDecoderStats stats;
                gint64 t0;

                sc_decoder_reset (decoder);
                found = sc_decoder_decode (decoder, frame->gray, frame->width, frame->height,
                                           frame->width, g_get_monotonic_time ());
                sc_decoder_get_stats (decoder, &stats);
                g_array_append_val (ours, stats.decode_us);
                if (r == 0)
                  hits[stats.stage == SC_DECODER_STAGE_NONE ? 4 : (int) stats.stage - 1]++;

                t0 = g_get_monotonic_time ();
                raw_found = sc_test_raw_zbar_decode (frame->gray, frame->width, frame->height);
                t0 = g_get_monotonic_time () - t0;
                g_array_append_val (raw, t0);
              }
          }

        ours_med = percentile (ours, 0.5);
        raw_med = percentile (raw, 0.5);
        g_print ("  %-10s %-16s %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %6.1fx  %d/%d/%d/%d/%d\n",
                 big ? "1280x720" : "640x480", load_names[load],
                 ours_med, percentile (ours, 0.95), percentile (ours, 1.0),
                 raw_med, percentile (raw, 0.95), percentile (raw, 1.0),
                 ours_med > 0 ? raw_med / ours_med : 0.0,
                 hits[0], hits[1], hits[2], hits[3], hits[4]);
      }
}

static gboolean
has_payload (GPtrArray  *found,
             const char *payload,
             gboolean    detections)
{
  for (guint i = 0; i < found->len; i++)
    {
      const char *p = detections ? ((ScDetection *) g_ptr_array_index (found, i))->payload
                                 : (const char *) g_ptr_array_index (found, i);

      if (g_strcmp0 (p, payload) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
bench_rates (void)
{
  g_autoptr(ScDecoder) decoder = sc_decoder_new ();
  int total_ours = 0, total_raw = 0, total = 0;

  g_print ("# decode rate per set (%d frames each: QR and Code128, module 2..6 px, "
           "640x480 and 1280x720)\n", n_frames);
  g_print ("# %-14s %6s %6s %8s %8s %9s\n", "set", "ours", "zbar", "ours-med", "zbar-med",
           "only-ours");

  for (ScFrameSet set = 0; set < SC_FRAME_N_SETS; set++)
    {
      g_autoptr(GArray) ours_us = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) raw_us = g_array_new (FALSE, FALSE, sizeof (gint64));
      int ours = 0, raw = 0, only_ours = 0;

      for (int i = 0; i < n_frames; i++)
        {
          g_autoptr(ScTestFrame) frame = sc_test_frame_new_code (set, (guint) i);
          g_autoptr(GPtrArray) found = NULL;
          g_autoptr(GPtrArray) raw_found = NULL;
          ScDecoderStats stats;
          gboolean a, b;
          gint64 t0;

          sc_decoder_reset (decoder);
          found = sc_decoder_decode (decoder, frame->gray, frame->width, frame->height,
                                     frame->width, 0);
          sc_decoder_get_stats (decoder, &stats);
          g_array_append_val (ours_us, stats.decode_us);

          t0 = g_get_monotonic_time ();
          raw_found = sc_test_raw_zbar_decode (frame->gray, frame->width, frame->height);
          t0 = g_get_monotonic_time () - t0;
          g_array_append_val (raw_us, t0);

          a = has_payload (found, frame->payload, TRUE);
          b = has_payload (raw_found, frame->payload, FALSE);
          ours += a;
          raw += b;
          only_ours += a && !b;
          if (b && !a && g_getenv ("BENCH_VERBOSE"))
            g_print ("    zbar-only: %s #%d %dx%d %s module %d\n", sc_frame_set_name (set), i,
                     frame->width, frame->height, sc_symbology_to_string (frame->symbology),
                     frame->module_px);
        }

      g_print ("  %-14s %5.0f%% %5.0f%% %8.2f %8.2f %9d\n", sc_frame_set_name (set),
               100.0 * ours / n_frames, 100.0 * raw / n_frames,
               percentile (ours_us, 0.5), percentile (raw_us, 0.5), only_ours);
      total_ours += ours;
      total_raw += raw;
      total += n_frames;
    }
  g_print ("  %-14s %5.0f%% %5.0f%%\n", "all", 100.0 * total_ours / total,
           100.0 * total_raw / total);
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
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_frames < 1 || n_repeats < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "bad arguments");
      return 2;
    }

  bench_times ();
  bench_rates ();
  return EXIT_SUCCESS;
}
