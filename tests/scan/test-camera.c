/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCamera (DESIGN §10): the file source on synthetic frames, and a V4L2
 * device that does not exist (there is no webcam here). */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sc-camera.h"
#include "sc-test-frames.h"

#define WAIT_LIMIT_S 60

typedef struct
{
  GMainContext *context;     /* (owned) pushed as thread-default */
  char         *tmpdir;      /* (owned) */
  ScCamera     *camera;      /* (owned) */

  GPtrArray    *detections;  /* (owned) ScDetection */
  GArray       *seqs;        /* (owned) guint64 of each "frame" */
  GError       *error;       /* (owned) (nullable) */
  gboolean      finished;
  int           frame_width;
  int           max_frame_width;
  int           frame_height;
  gsize         frame_size;
  gint64        first_frame_us;
} Fixture;

static void
on_frame (ScCamera *camera,
          GBytes   *rgb,
          int       width,
          int       height,
          int       stride,
          guint64   seq,
          Fixture  *fixture)
{
  if (fixture->seqs->len == 0)
    fixture->first_frame_us = g_get_monotonic_time ();
  g_array_append_val (fixture->seqs, seq);
  fixture->frame_width = width;
  fixture->max_frame_width = MAX (fixture->max_frame_width, width);
  fixture->frame_height = height;
  fixture->frame_size = g_bytes_get_size (rgb);
  g_assert_cmpint (stride, ==, width * 3);
}

static void
on_detected (ScCamera    *camera,
             ScDetection *detection,
             Fixture     *fixture)
{
  g_assert_true (detection->is_new);
  g_ptr_array_add (fixture->detections, sc_detection_copy (detection));
}

static void
on_error (ScCamera     *camera,
          const GError *error,
          Fixture      *fixture)
{
  g_assert_null (fixture->error);
  fixture->error = g_error_copy (error);
}

static void
on_finished (ScCamera *camera,
             Fixture  *fixture)
{
  fixture->finished = TRUE;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->context = g_main_context_new ();
  g_main_context_push_thread_default (fixture->context);
  fixture->tmpdir = g_dir_make_tmp ("sc-test-camera-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->detections = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_detection_free);
  fixture->seqs = g_array_new (FALSE, FALSE, sizeof (guint64));

  fixture->camera = sc_camera_new (NULL);
  g_signal_connect (fixture->camera, "frame", G_CALLBACK (on_frame), fixture);
  g_signal_connect (fixture->camera, "detected", G_CALLBACK (on_detected), fixture);
  g_signal_connect (fixture->camera, "error", G_CALLBACK (on_error), fixture);
  g_signal_connect (fixture->camera, "finished", G_CALLBACK (on_finished), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->tmpdir, 0, NULL);
  const char *name;

  sc_camera_stop (fixture->camera);
  g_assert_finalize_object (fixture->camera);
  /* Events queued before the stop are dropped, and free their data. */
  while (g_main_context_iteration (fixture->context, FALSE))
    ;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->tmpdir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->detections, g_ptr_array_unref);
  g_clear_pointer (&fixture->seqs, g_array_unref);
  g_clear_error (&fixture->error);
  g_main_context_pop_thread_default (fixture->context);
  g_clear_pointer (&fixture->context, g_main_context_unref);
}

static gboolean
on_time_limit (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the fixture's context until *@flag, or fails after a minute. */
static void
wait_for_flag (Fixture        *fixture,
               const gboolean *flag)
{
  gboolean expired = FALSE;
  g_autoptr(GSource) limit = g_timeout_source_new_seconds (WAIT_LIMIT_S);

  g_source_set_callback (limit, on_time_limit, &expired, NULL);
  g_source_attach (limit, fixture->context);
  while (!*flag && !expired)
    g_main_context_iteration (fixture->context, TRUE);
  g_source_destroy (limit);
  g_assert_false (expired);
}

static void
wait_for_error (Fixture *fixture)
{
  gboolean expired = FALSE;
  g_autoptr(GSource) limit = g_timeout_source_new_seconds (WAIT_LIMIT_S);

  g_source_set_callback (limit, on_time_limit, &expired, NULL);
  g_source_attach (limit, fixture->context);
  while (fixture->error == NULL && !expired)
    g_main_context_iteration (fixture->context, TRUE);
  g_source_destroy (limit);
  g_assert_false (expired);
}

/* Until a "frame" with seq >= @seq arrived. */
static void
wait_for_seq (Fixture *fixture,
              guint64  seq)
{
  gboolean expired = FALSE;
  g_autoptr(GSource) limit = g_timeout_source_new_seconds (WAIT_LIMIT_S);

  g_source_set_callback (limit, on_time_limit, &expired, NULL);
  g_source_attach (limit, fixture->context);
  while (!expired && fixture->error == NULL &&
         (fixture->seqs->len == 0 ||
          g_array_index (fixture->seqs, guint64, fixture->seqs->len - 1) < seq))
    g_main_context_iteration (fixture->context, TRUE);
  g_source_destroy (limit);
  g_assert_false (expired);
  g_assert_no_error (fixture->error);
}

/* Writes @count copies of @frame as DIR/@prefix-NNN.png; returns its payload. */
static void
write_frames (Fixture     *fixture,
              ScTestFrame *frame,
              const char  *prefix,
              guint        count)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%03u.png", prefix, i);
      g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

      g_assert_true (sc_test_frame_save (frame, path, "png", &error));
      g_assert_no_error (error);
    }
}

static void
start_files (Fixture  *fixture,
             int       fps,
             gboolean  loop)
{
  g_autofree char *spec = g_strconcat ("files:", fixture->tmpdir, NULL);

  sc_camera_set_spec (fixture->camera, spec);
  sc_camera_set_fps (fixture->camera, fps);
  sc_camera_set_loop (fixture->camera, loop);
  sc_camera_start (fixture->camera);
  g_assert_true (sc_camera_is_running (fixture->camera));
}

static void
test_rate (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(ScTestFrame) empty = sc_test_frame_new_empty (1, 640, 480);
  gint64 start_us;
  gint64 elapsed_us;
  guint64 captured, decoded;

  g_test_summary ("The file source makes frames at about the asked rate, loops, and "
                  "previews are 8-bit RGB of the frame's size");

  write_frames (fixture, empty, "empty", 5);
  start_us = g_get_monotonic_time ();
  start_files (fixture, 50, TRUE);
  wait_for_seq (fixture, 40);
  elapsed_us = g_get_monotonic_time () - start_us;

  /* 40 frames at 50 per second are 0.8 s; loading and a slow machine add. */
  g_assert_cmpint (elapsed_us, >=, 750 * 1000);
  g_assert_cmpint (elapsed_us, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (fixture->frame_width, ==, 640);
  g_assert_cmpint (fixture->frame_height, ==, 480);
  g_assert_cmpuint (fixture->frame_size, ==, 640 * 480 * 3);
  for (guint i = 1; i < fixture->seqs->len; i++)
    g_assert_cmpuint (g_array_index (fixture->seqs, guint64, i), >,
                      g_array_index (fixture->seqs, guint64, i - 1));
  sc_camera_get_counts (fixture->camera, &captured, &decoded);
  g_assert_cmpuint (captured, >=, 41);
  g_assert_cmpuint (decoded, <=, captured);
  g_assert_cmpuint (fixture->detections->len, ==, 0);
}

static void
test_drops_stale (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(ScTestFrame) code = sc_test_frame_new_code (SC_FRAME_SET_NOISE20, 1);
  g_autoptr(ScTestFrame) empty = sc_test_frame_new_empty (2, code->width, code->height);
  guint64 captured, decoded;
  gboolean skipped = FALSE;

  g_test_summary ("When frames come faster than they decode, stale ones are dropped: "
                  "frame numbers skip and fewer frames are decoded than captured");

  write_frames (fixture, code, "a-code", 3);
  write_frames (fixture, empty, "b-empty", 3);
  /* 1000 per second: a 1 ms period, shorter than decoding one frame. */
  start_files (fixture, 1000, TRUE);
  wait_for_seq (fixture, 400);

  sc_camera_get_counts (fixture->camera, &captured, &decoded);
  g_test_message ("captured %" G_GUINT64_FORMAT ", decoded %" G_GUINT64_FORMAT,
                  captured, decoded);
  g_assert_cmpuint (captured, >, 400);
  g_assert_cmpuint (decoded, >, 0);
  g_assert_cmpuint (decoded, <, captured);
  for (guint i = 1; i < fixture->seqs->len; i++)
    {
      guint64 prev = g_array_index (fixture->seqs, guint64, i - 1);
      guint64 seq = g_array_index (fixture->seqs, guint64, i);

      g_assert_cmpuint (seq, >, prev);
      if (seq > prev + 1)
        skipped = TRUE;
    }
  g_assert_true (skipped);
  /* The code is in view again and again, but it is one detection. */
  g_assert_cmpuint (fixture->detections->len, ==, 1);
  g_assert_cmpstr (((ScDetection *) g_ptr_array_index (fixture->detections, 0))->payload, ==,
                   code->payload);
}

static void
test_same_code_once (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(ScTestFrame) code = sc_test_frame_new_code (SC_FRAME_SET_CLEAN, 0);
  ScDetection *d;

  g_test_summary ("30 consecutive frames of the same code are exactly one detection, "
                  "with its polygon");

  write_frames (fixture, code, "same", 30);
  start_files (fixture, 30, FALSE);
  wait_for_flag (fixture, &fixture->finished);

  g_assert_no_error (fixture->error);
  g_assert_false (sc_camera_is_running (fixture->camera));
  g_assert_cmpuint (fixture->detections->len, ==, 1);
  d = g_ptr_array_index (fixture->detections, 0);
  g_assert_cmpstr (d->payload, ==, code->payload);
  g_assert_cmpint (d->symbology, ==, code->symbology);
  g_assert_cmpint (d->n_points, ==, 4);
  g_assert_cmpuint (fixture->seqs->len, >, 0);
}

static void
test_different_code (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(ScTestFrame) first = sc_test_frame_new_code (SC_FRAME_SET_CLEAN, 0);
  g_autoptr(ScTestFrame) second = sc_test_frame_new_code (SC_FRAME_SET_CLEAN, 2);

  g_test_summary ("A different code after the first is detected too, in order");

  g_assert_cmpstr (first->payload, !=, second->payload);
  write_frames (fixture, first, "a", 10);
  write_frames (fixture, second, "b", 10);
  start_files (fixture, 30, FALSE);
  wait_for_flag (fixture, &fixture->finished);

  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->detections->len, ==, 2);
  g_assert_cmpstr (((ScDetection *) g_ptr_array_index (fixture->detections, 0))->payload, ==,
                   first->payload);
  g_assert_cmpstr (((ScDetection *) g_ptr_array_index (fixture->detections, 1))->payload, ==,
                   second->payload);
}

static void
test_no_code (Fixture       *fixture,
              gconstpointer  data)
{
  g_test_summary ("Frames with no code give previews and no detection");

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(ScTestFrame) empty = sc_test_frame_new_empty (i, 640, 480);
      g_autofree char *prefix = g_strdup_printf ("empty%02u", i);

      write_frames (fixture, empty, prefix, 1);
    }
  start_files (fixture, 60, FALSE);
  wait_for_flag (fixture, &fixture->finished);

  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->seqs->len, >, 0);
  g_assert_cmpuint (fixture->detections->len, ==, 0);
}

static void
test_hold (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(ScTestFrame) first = sc_test_frame_new_code (SC_FRAME_SET_CLEAN, 0);
  g_autoptr(ScTestFrame) second = sc_test_frame_new_code (SC_FRAME_SET_CLEAN, 2);

  g_test_summary ("A held payload is ignored while it stays in view (the different-code "
                  "test shows the same frames detect it without the hold)");

  write_frames (fixture, first, "a", 5);
  write_frames (fixture, second, "b", 25);
  start_files (fixture, 30, FALSE);
  /* The hold counts from the first frame: the second code comes into view
   * 0.17 s later and stays for 0.83 s. */
  sc_camera_hold (fixture->camera, second->payload);
  wait_for_flag (fixture, &fixture->finished);

  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->detections->len, ==, 1);
  g_assert_cmpstr (((ScDetection *) g_ptr_array_index (fixture->detections, 0))->payload, ==,
                   first->payload);
}

static void
test_missing_dir (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *spec = g_strconcat ("files:", fixture->tmpdir, "/nothing-here", NULL);

  g_test_summary ("A missing picture folder is a FILES error in words, and the camera "
                  "stops");

  sc_camera_set_spec (fixture->camera, spec);
  sc_camera_start (fixture->camera);
  wait_for_error (fixture);
  g_assert_error (fixture->error, SC_CAMERA_ERROR, SC_CAMERA_ERROR_FILES);
  g_assert_nonnull (strstr (fixture->error->message, "nothing-here"));
  g_assert_false (sc_camera_is_running (fixture->camera));
}

static void
test_empty_dir (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *spec = g_strconcat ("files:", fixture->tmpdir, NULL);
  g_autofree char *junk = g_build_filename (fixture->tmpdir, "broken.png", NULL);

  g_test_summary ("A folder without pictures, or with a broken one, is a FILES error");

  sc_camera_set_spec (fixture->camera, spec);
  sc_camera_start (fixture->camera);
  wait_for_error (fixture);
  g_assert_error (fixture->error, SC_CAMERA_ERROR, SC_CAMERA_ERROR_FILES);
  g_clear_error (&fixture->error);

  g_assert_true (g_file_set_contents (junk, "not a png", -1, NULL));
  sc_camera_start (fixture->camera);
  wait_for_error (fixture);
  g_assert_error (fixture->error, SC_CAMERA_ERROR, SC_CAMERA_ERROR_FILES);
  g_assert_nonnull (strstr (fixture->error->message, "broken.png"));
}

static void
test_too_many_pixels (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ScTestFrame) code = sc_test_frame_new_code (SC_FRAME_SET_CLEAN, 0);
  g_autofree char *big = g_build_filename (fixture->tmpdir, "0-big.png", NULL);
  g_autofree char *spec = g_strconcat ("files:", fixture->tmpdir, NULL);
  ScDetection *d;

  g_test_summary ("A picture over 40 MP in the folder (16000x16000) is skipped from its "
                  "header and the others are shown; a folder of only such pictures is an "
                  "error in words");

  sc_test_write_big_png (big, 16000, 16000);
  write_frames (fixture, code, "code", 3);
  start_files (fixture, 30, FALSE);
  wait_for_flag (fixture, &fixture->finished);

  g_assert_no_error (fixture->error);
  g_assert_cmpint (fixture->max_frame_width, ==, code->width);
  g_assert_cmpuint (fixture->detections->len, ==, 1);
  d = g_ptr_array_index (fixture->detections, 0);
  g_assert_cmpstr (d->payload, ==, code->payload);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("code-%03u.png", i);
      g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  fixture->finished = FALSE;
  sc_camera_set_spec (fixture->camera, spec);
  sc_camera_start (fixture->camera);
  wait_for_error (fixture);
  g_assert_error (fixture->error, SC_CAMERA_ERROR, SC_CAMERA_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (fixture->error->message, "0-big.png"));
  g_assert_nonnull (strstr (fixture->error->message, "40 MP"));
}

static void
test_no_device (Fixture       *fixture,
                gconstpointer  data)
{
  g_test_summary ("A V4L2 device path that does not exist is a NO_DEVICE error");

  sc_camera_set_spec (fixture->camera, "/dev/video-none");
  sc_camera_start (fixture->camera);
  wait_for_error (fixture);
  g_assert_error (fixture->error, SC_CAMERA_ERROR, SC_CAMERA_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (fixture->error->message, "/dev/video-none"));
  g_assert_false (sc_camera_is_running (fixture->camera));
  g_assert_cmpuint (fixture->seqs->len, ==, 0);
}

static void
test_stop_running (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ScTestFrame) code = sc_test_frame_new_code (SC_FRAME_SET_CLEAN, 0);
  guint n_frames;

  g_test_summary ("Stopping while frames flow joins the threads; nothing is emitted after, "
                  "and the camera can start again");

  write_frames (fixture, code, "a", 3);
  start_files (fixture, 500, TRUE);
  wait_for_seq (fixture, 5);
  sc_camera_stop (fixture->camera);
  g_assert_false (sc_camera_is_running (fixture->camera));
  n_frames = fixture->seqs->len;
  while (g_main_context_iteration (fixture->context, FALSE))
    ;
  g_assert_cmpuint (fixture->seqs->len, ==, n_frames);

  /* Again, and this time stop from a restart. */
  g_array_set_size (fixture->seqs, 0);
  sc_camera_start (fixture->camera);
  wait_for_seq (fixture, 2);
  sc_camera_start (fixture->camera);
  g_assert_true (sc_camera_is_running (fixture->camera));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/camera/files/rate", test_rate);
  ADD ("/camera/files/drops-stale", test_drops_stale);
  ADD ("/camera/files/same-code-once", test_same_code_once);
  ADD ("/camera/files/different-code", test_different_code);
  ADD ("/camera/files/no-code", test_no_code);
  ADD ("/camera/files/hold", test_hold);
  ADD ("/camera/files/missing-dir", test_missing_dir);
  ADD ("/camera/files/empty-dir", test_empty_dir);
  ADD ("/camera/files/too-many-pixels", test_too_many_pixels);
  ADD ("/camera/v4l2/no-device", test_no_device);
  ADD ("/camera/stop-running", test_stop_running);
#undef ADD

  return g_test_run ();
}
