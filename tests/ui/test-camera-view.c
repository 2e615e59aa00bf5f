/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCameraView on its own, in a plain window under Xvfb: a picture-folder
 * camera's preview, the outline of a code found and its "detected" signal,
 * the camera stopping when the view is unmapped, an error in words with
 * Retry, and the plain placeholder when the camera is off. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "sc-camera-view.h"
#include "sc-test-frames.h"
#include "sc-test-ui.h"

#define N_CODES 5

typedef struct
{
  GtkWindow    *window;
  ScCameraView *view;
  char         *tmpdir;        /* (owned) the camera's frames */
  GPtrArray    *payloads;      /* (owned) what the frames hold */
  char         *detected;      /* (owned) (nullable) the first "detected" payload */
  gboolean      outlined;      /* the outline was drawn when it came */
  guint         n_retried;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sc_test_ui_restore_data_dirs ();
  fixture->tmpdir = g_dir_make_tmp ("sc-test-camera-view-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->payloads = g_ptr_array_new_with_free_func (g_free);

  /* A few clean code frames (different codes): the view reads one. */
  for (guint i = 0; i < N_CODES; i++)
    {
      g_autoptr(ScTestFrame) frame = sc_test_frame_new_code (SC_FRAME_SET_CLEAN, i);
      g_autofree char *name = g_strdup_printf ("frame-%03u.png", i);
      g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

      g_assert_true (sc_test_frame_save (frame, path, "png", &error));
      g_assert_no_error (error);
      g_ptr_array_add (fixture->payloads, g_strdup (frame->payload));
    }

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 400, 400);
  fixture->view = SC_CAMERA_VIEW (sc_camera_view_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
  SC_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (fixture->view)));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sc_test_ui_destroy_window (fixture->window);
  sc_test_ui_remove_dir (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->payloads, g_ptr_array_unref);
  g_clear_pointer (&fixture->detected, g_free);
}

static void
detected_cb (ScCameraView *view,
             const char   *payload,
             Fixture      *fixture)
{
  if (fixture->detected != NULL)
    return;
  fixture->detected = g_strdup (payload);
  fixture->outlined = sc_camera_view_get_outline_shown (view);
}

static void
retried_cb (ScCameraView *view,
            Fixture      *fixture)
{
  fixture->n_retried++;
}

static gboolean
is_payload (Fixture    *fixture,
            const char *payload)
{
  for (guint i = 0; i < fixture->payloads->len; i++)
    if (g_strcmp0 (g_ptr_array_index (fixture->payloads, i), payload) == 0)
      return TRUE;
  return FALSE;
}

static void
test_preview (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *spec = g_strconcat ("files:", fixture->tmpdir, NULL);
  g_autofree char *status = NULL;
  GdkPaintable *paintable;
  GtkWidget *picture;
  ScCamera *camera;

  g_test_summary ("A picture-folder camera: the preview shows, a code in view comes as "
                  "\"detected\" with its outline drawn, the outline goes after a while, and "
                  "the camera runs only while the view is mapped");

  g_signal_connect (fixture->view, "detected", G_CALLBACK (detected_cb), fixture);
  g_object_set (fixture->view, "spec", spec, NULL);
  camera = sc_camera_view_get_camera (fixture->view);
  g_assert_nonnull (camera);
  g_assert_true (sc_camera_is_running (camera));

  SC_TEST_WAIT_FOR (fixture->detected != NULL);
  g_assert_true (is_payload (fixture, fixture->detected));
  g_assert_true (fixture->outlined);

  /* The preview replaces the words. */
  SC_TEST_WAIT_FOR (sc_camera_view_get_status (fixture->view) == NULL);
  g_object_get (fixture->view, "status", &status, NULL);
  g_assert_null (status);
  picture = sc_test_ui_child (fixture->view, "picture");
  paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_false (gtk_widget_get_visible (sc_test_ui_child (fixture->view, "retry")));

  /* The outline goes after about a second (the code held, no new one). */
  sc_camera_view_hold (fixture->view, fixture->detected);
  SC_TEST_WAIT_FOR (!sc_camera_view_get_outline_shown (fixture->view));

  /* Unmapped: the camera stops; mapped again: it starts. */
  gtk_widget_set_visible (GTK_WIDGET (fixture->view), FALSE);
  g_assert_false (sc_camera_is_running (camera));
  gtk_widget_set_visible (GTK_WIDGET (fixture->view), TRUE);
  SC_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (fixture->view)));
  g_assert_true (sc_camera_is_running (camera));
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->tmpdir, "nothing-here", NULL);
  g_autofree char *spec = g_strconcat ("files:", missing, NULL);
  GtkWidget *retry = sc_test_ui_child (fixture->view, "retry");
  g_autofree char *off_status = NULL;

  g_test_summary ("A missing picture folder says so in words with Retry; Retry starts the "
                  "camera again and says so (\"retried\"); off shows the plain placeholder "
                  "and no camera");

  g_signal_connect (fixture->view, "retried", G_CALLBACK (retried_cb), fixture);
  sc_camera_view_set_spec (fixture->view, spec);
  SC_TEST_WAIT_FOR (gtk_widget_get_visible (retry));
  g_assert_nonnull (strstr (sc_camera_view_get_status (fixture->view), "nothing-here"));
  g_assert_false (sc_camera_is_running (sc_camera_view_get_camera (fixture->view)));

  /* A button's activation clicks it a moment later. */
  g_assert_true (gtk_widget_activate (retry));
  SC_TEST_WAIT_FOR (fixture->n_retried == 1);
  SC_TEST_WAIT_FOR (gtk_widget_get_visible (retry));
  g_assert_nonnull (strstr (sc_camera_view_get_status (fixture->view), "nothing-here"));

  sc_camera_view_set_spec (fixture->view, "off");
  g_assert_null (sc_camera_view_get_camera (fixture->view));
  g_object_get (fixture->view, "status", &off_status, NULL);
  g_assert_nonnull (strstr (off_status, "USB scanner"));
  g_assert_false (gtk_widget_get_visible (retry));
}

int
main (int   argc,
      char *argv[])
{
  sc_test_ui_init_with_app (&argc, &argv);

  SC_TEST_UI_ADD ("/ui/camera-view/preview", test_preview);
  SC_TEST_UI_ADD ("/ui/camera-view/errors", test_errors);

  return sc_test_ui_run ();
}
