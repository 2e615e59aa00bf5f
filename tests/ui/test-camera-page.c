/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scan page's camera (DESIGN §10) in the real window against a real
 * store-counter-platform, under Xvfb: a file source showing a demo code,
 * camera errors with Retry, the entry working all along. The fixture and
 * helpers follow test-window.c. */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <qrencode.h>

#include "sc-application.h"
#include "sc-camera.h"
#include "sc-counter.h"
#include "sc-login-page.h"
#include "sc-scan-page-private.h"
#include "sc-test-frames.h"
#include "sc-test-platform.h"
#include "sc-test-ui.h"
#include "sc-verdict-card.h"
#include "sc-window-private.h"

typedef struct
{
  ScTestUiFixture ui;
  ScCameraView   *camera_view;
  char           *tmpdir;   /* (owned) the camera's frames */
  guint           n_frames; /* "frame" signals of the page's camera */
  guint           n_outlined; /* detections the page outlined */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sc_test_ui_fixture_setup (&fixture->ui, NULL);
  fixture->camera_view = sc_test_ui_camera_view (fixture->ui.scan);
  fixture->tmpdir = g_dir_make_tmp ("sc-test-camera-page-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sc_test_ui_fixture_teardown (&fixture->ui, NULL);
  sc_test_ui_remove_dir (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

static void
log_in_ok (Fixture *fixture)
{
  sc_test_ui_log_in (fixture->ui.window, "1234");
  SC_TEST_WAIT_FOR (g_strcmp0 (sc_window_get_visible_page (fixture->ui.window), "main") == 0);
}

/* Writes @count frames of @payload as a QR code (with a quiet zone, on the
 * generator's textured background) into the fixture's folder. */
static void
write_code_frames (Fixture    *fixture,
                   const char *payload,
                   guint       count)
{
  g_autoptr(ScTestFrame) frame = sc_test_frame_new_empty (7, 640, 480);
  g_autoptr(GError) error = NULL;
  QRcode *qr = QRcode_encodeString (payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  int module = 6;
  int size;
  int x0, y0;

  g_assert_nonnull (qr);
  size = (qr->width + 8) * module;
  x0 = (frame->width - size) / 2;
  y0 = (frame->height - size) / 2;
  for (int y = 0; y < size; y++)
    memset (frame->gray + (gsize) (y0 + y) * frame->width + x0, 230, (gsize) size);
  for (int my = 0; my < qr->width; my++)
    for (int mx = 0; mx < qr->width; mx++)
      if (qr->data[my * qr->width + mx] & 1)
        for (int y = 0; y < module; y++)
          memset (frame->gray + (gsize) (y0 + (my + 4) * module + y) * frame->width +
                  x0 + (mx + 4) * module, 25, (gsize) module);
  QRcode_free (qr);

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("frame-%03u.png", i);
      g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

      g_assert_true (sc_test_frame_save (frame, path, "png", &error));
      g_assert_no_error (error);
    }
}

/* The camera's "frame", connected swapped: only counted. */
static void
count_frame (Fixture *fixture)
{
  fixture->n_frames++;
}

static void
on_detected_after (ScCamera    *camera,
                   ScDetection *detection,
                   Fixture     *fixture)
{
  if (sc_camera_view_get_outline_shown (fixture->camera_view))
    fixture->n_outlined++;
}

static void
test_camera_scan (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->ui.platform, "redeemable", "pickup");
  g_autofree char *spec = NULL;
  g_autofree char *row = NULL;
  ScCamera *camera;
  GtkWidget *picture;
  GdkPaintable *paintable;
  guint done;

  g_test_summary ("30 frames of a redeemable demo code from the file source: the preview "
                  "shows, the card shows the verdict, and exactly one lookup ran");

  log_in_ok (fixture);
  g_object_set (fixture->ui.scan, "auto-redeem-pickup", FALSE, NULL);
  write_code_frames (fixture, code, 30);
  spec = g_strconcat ("files:", fixture->tmpdir, NULL);
  done = sc_test_ui_n_completed (fixture->ui.scan);

  sc_scan_page_set_camera_spec (fixture->ui.scan, spec);
  camera = sc_camera_view_get_camera (fixture->camera_view);
  g_assert_nonnull (camera);
  g_assert_true (sc_camera_is_running (camera));
  g_signal_connect_swapped (camera, "frame", G_CALLBACK (count_frame), fixture);
  g_signal_connect_after (camera, "detected", G_CALLBACK (on_detected_after), fixture);

  SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->ui.scan) > done);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->ui.card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  g_assert_cmpstr (sc_test_ui_card_css_class (fixture->ui.card), ==, "status-success");
  row = sc_test_ui_dup_recent_text (fixture->ui.scan, 0);
  g_assert_nonnull (strstr (row, code));

  /* The preview is up (its frame may come just after the lookup), with the
   * code's outline. */
  SC_TEST_WAIT_FOR (sc_camera_view_get_status (fixture->camera_view) == NULL);
  picture = sc_test_ui_child (fixture->camera_view, "picture");
  paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, 640);
  g_assert_true (gtk_widget_get_mapped (picture));
  g_assert_cmpuint (fixture->n_outlined, ==, 1);
  sc_test_ui_save_png (GTK_WIDGET (fixture->ui.window), "camera-preview", 5);

  /* Two full passes of the 30 frames more (the source loops, 15 per
   * second): the code stays in view, and it is still one lookup. */
  fixture->n_frames = 0;
  SC_TEST_WAIT_FOR (fixture->n_frames >= 45);
  g_assert_cmpuint (sc_test_ui_n_completed (fixture->ui.scan), ==, done + 1);
  g_assert_cmpuint (sc_test_ui_n_recent (fixture->ui.scan), ==, 1);
  g_assert_false (sc_test_ui_get_boolean (fixture->ui.scan, "busy"));
  g_assert_cmpuint (fixture->n_outlined, ==, 1);
  /* The outline goes after about a second. */
  SC_TEST_WAIT_FOR (!sc_camera_view_get_outline_shown (fixture->camera_view));

  g_signal_handlers_disconnect_by_data (camera, fixture);
}

static void
test_camera_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *code = sc_test_ui_demo_code (fixture->ui.platform, "redeemable", "pickup");
  g_autofree char *missing = g_build_filename (fixture->tmpdir, "nothing-here", NULL);
  g_autofree char *spec = g_strconcat ("files:", missing, NULL);
  GtkWidget *retry = sc_test_ui_child (fixture->camera_view, "retry");
  guint done;

  g_test_summary ("No camera device says so in words with Retry; Retry tries again; the "
                  "entry keeps working; off shows the plain placeholder");

  log_in_ok (fixture);
  g_object_set (fixture->ui.scan, "auto-redeem-pickup", FALSE, NULL);

  sc_scan_page_set_camera_spec (fixture->ui.scan, "/dev/video-none");
  SC_TEST_WAIT_FOR (gtk_widget_get_visible (retry));
  g_assert_nonnull (strstr (sc_camera_view_get_status (fixture->camera_view), "/dev/video-none"));
  g_assert_false (sc_camera_is_running (sc_camera_view_get_camera (fixture->camera_view)));
  sc_test_ui_save_png (GTK_WIDGET (fixture->ui.window), "camera-error", 5);

  /* The entry still works. */
  sc_test_ui_submit (fixture->ui.scan, code);
  g_assert_cmpstr (sc_test_ui_status_text (fixture->ui.card), ==,
                   sc_verdict_status_get_label (SC_VERDICT_STATUS_REDEEMABLE));
  g_assert_cmpstr (sc_test_ui_entry_text (fixture->ui.scan), ==, "");

  /* Retry: starting again, then the same error. */
  g_assert_true (gtk_widget_activate (retry));
  SC_TEST_WAIT_FOR (!gtk_widget_get_visible (retry));
  SC_TEST_WAIT_FOR (gtk_widget_get_visible (retry));
  g_assert_nonnull (strstr (sc_camera_view_get_status (fixture->camera_view), "no camera"));

  /* A missing picture folder, then a good one after Retry. */
  sc_scan_page_set_camera_spec (fixture->ui.scan, spec);
  SC_TEST_WAIT_FOR (gtk_widget_get_visible (retry));
  g_assert_nonnull (strstr (sc_camera_view_get_status (fixture->camera_view), "nothing-here"));
  g_assert_cmpint (g_mkdir (missing, 0700), ==, 0);
  {
    g_autofree char *tmpdir = g_steal_pointer (&fixture->tmpdir);

    fixture->tmpdir = g_strdup (missing);
    write_code_frames (fixture, code, 3);
    done = sc_test_ui_n_completed (fixture->ui.scan);
    g_assert_true (gtk_widget_activate (retry));
    SC_TEST_WAIT_FOR (sc_test_ui_n_completed (fixture->ui.scan) > done);
    SC_TEST_WAIT_FOR (sc_camera_view_get_status (fixture->camera_view) == NULL);
    g_assert_false (gtk_widget_get_visible (retry));
    sc_scan_page_set_camera_spec (fixture->ui.scan, "off");
    sc_test_ui_remove_dir (fixture->tmpdir);
    g_free (fixture->tmpdir);
    fixture->tmpdir = g_steal_pointer (&tmpdir);
  }

  g_assert_null (sc_camera_view_get_camera (fixture->camera_view));
  g_assert_nonnull (strstr (sc_camera_view_get_status (fixture->camera_view), "USB scanner"));
  g_assert_false (gtk_widget_get_visible (retry));
}

int
main (int   argc,
      char *argv[])
{
  sc_test_ui_init_with_app (&argc, &argv);

  SC_TEST_UI_ADD ("/ui/camera-page/scan", test_camera_scan);
  SC_TEST_UI_ADD ("/ui/camera-page/errors", test_camera_errors);

  return sc_test_ui_run ();
}
