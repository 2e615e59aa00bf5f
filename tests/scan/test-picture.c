/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-picture: the size of a picture read from its header, before decoding,
 * and the 40 MP cap (issue 9). */
#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "sc-decoder.h"
#include "sc-picture.h"

/* Saves a small real picture with gdk-pixbuf and reads its size back from
 * the header. */
static void
test_real_files (void)
{
  const char *types[] = { "png", "jpeg", "bmp" };
  const char *names[] = { "picture.png", "picture.jpg", "picture.bmp" };
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 123, 45);

  g_test_summary ("The size of real PNG, JPEG and (through gdk-pixbuf) BMP files comes "
                  "from their headers");

  gdk_pixbuf_fill (pixbuf, 0xffffffff);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (g_get_tmp_dir (), names[i], NULL);
      g_autofree char *data = NULL;
      g_autofree char *too_large = NULL;
      gsize len = 0;
      int width = 0, height = 0;

      g_assert_true (gdk_pixbuf_save (pixbuf, path, types[i], &error, NULL));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &data, &len, &error));
      g_test_message ("%s", names[i]);
      if (g_strcmp0 (types[i], "bmp") == 0 && gdk_pixbuf_get_file_info (path, NULL, NULL) == NULL)
        {
          /* gdk-pixbuf sniffs other formats through the MIME database,
           * which the isolated test folders hide. */
          g_test_message ("gdk-pixbuf cannot tell the format of %s here", names[i]);
          g_unlink (path);
          continue;
        }
      g_assert_true (sc_picture_read_size (path, (const guint8 *) data, len, &width, &height));
      g_assert_cmpint (width, ==, 123);
      g_assert_cmpint (height, ==, 45);
      too_large = sc_picture_check_size (path, (const guint8 *) data, len);
      g_assert_null (too_large);
      g_unlink (path);
    }
}

static void
test_headers (void)
{
  /* A JPEG with an APP0 segment, fill bytes, then SOF2 of 9000 x 5000. */
  static const guint8 jpeg[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46, 0xff, 0xff, 0xc2, 0x00, 0x0b, 0x08,
    0x13, 0x88, 0x23, 0x28, 0x01, 0x01, 0x11, 0x00,
  };
  static const char pnm[] = "P5\n# made by hand\n 20000 # width\n3000\n255\n";
  static const char small_pnm[] = "P6 640 480 255 ";
  static const guint8 png_no_ihdr[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0,
                                        13, 'I', 'D', 'A', 'T', 0, 0, 0, 1, 0, 0, 0, 1 };
  g_autofree char *jpeg_msg = NULL;
  g_autofree char *pnm_msg = NULL;
  int width = 0, height = 0;

  g_test_summary ("JPEG (after other segments and fill bytes) and PNM (with comments) "
                  "headers give the size; 45 MP and 60 MP are refused with words, 0.3 MP "
                  "is not; a header that cannot be read is left to the loader");

  g_assert_true (sc_picture_read_size (NULL, jpeg, sizeof jpeg, &width, &height));
  g_assert_cmpint (width, ==, 9000);
  g_assert_cmpint (height, ==, 5000);
  jpeg_msg = sc_picture_check_size ("a.jpg", jpeg, sizeof jpeg);
  g_assert_cmpstr (jpeg_msg, ==,
                   "“a.jpg”: the picture is 9000×5000 pixels (45 MP); pictures over 40 MP "
                   "are refused");

  g_assert_true (sc_picture_read_size (NULL, (const guint8 *) pnm, strlen (pnm),
                                       &width, &height));
  g_assert_cmpint (width, ==, 20000);
  g_assert_cmpint (height, ==, 3000);
  pnm_msg = sc_picture_check_size ("b.pgm", (const guint8 *) pnm, strlen (pnm));
  g_assert_nonnull (strstr (pnm_msg, "(60 MP)"));

  g_assert_null (sc_picture_check_size ("c.ppm", (const guint8 *) small_pnm,
                                        strlen (small_pnm)));
  g_assert_false (sc_picture_read_size (NULL, png_no_ihdr, sizeof png_no_ihdr,
                                        &width, &height));
  g_assert_false (sc_picture_read_size (NULL, jpeg, 12, &width, &height));
  g_assert_false (sc_picture_read_size (NULL, (const guint8 *) "P5 12", 5, &width, &height));
}

static char *
save_picture (GdkPixbuf  *pixbuf,
              const char *name,
              const char *type)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

  g_assert_true (gdk_pixbuf_save (pixbuf, path, type, &error, NULL));
  g_assert_no_error (error);
  return path;
}

static void
put_pixel (GdkPixbuf *pixbuf,
           int        x,
           int        y,
           guint8     r,
           guint8     g,
           guint8     b,
           guint8     a)
{
  guint8 *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf)
              + x * gdk_pixbuf_get_n_channels (pixbuf);

  p[0] = r;
  p[1] = g;
  p[2] = b;
  if (gdk_pixbuf_get_has_alpha (pixbuf))
    p[3] = a;
}

static void
test_load_gray (void)
{
  g_autoptr(GdkPixbuf) rgb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 3, 2);
  g_autoptr(GdkPixbuf) rgba = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 3, 1);
  g_autofree char *rgb_path = NULL;
  g_autofree char *rgba_path = NULL;
  g_autoptr(GBytes) gray = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *px;
  int width = 0, height = 0;

  g_test_summary ("sc_picture_load_gray: BT.601 luma, rows packed, transparent pixels "
                  "are white paper");

  put_pixel (rgb, 0, 0, 255, 255, 255, 255);
  put_pixel (rgb, 1, 0, 0, 0, 0, 255);
  put_pixel (rgb, 2, 0, 255, 0, 0, 255);
  put_pixel (rgb, 0, 1, 0, 255, 0, 255);
  put_pixel (rgb, 1, 1, 0, 0, 255, 255);
  put_pixel (rgb, 2, 1, 128, 128, 128, 255);
  rgb_path = save_picture (rgb, "gray-rgb.png", "png");

  gray = sc_picture_load_gray (rgb_path, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpint (width, ==, 3);
  g_assert_cmpint (height, ==, 2);
  g_assert_cmpuint (g_bytes_get_size (gray), ==, 6);
  px = g_bytes_get_data (gray, NULL);
  g_assert_cmpuint (px[0], ==, 255);
  g_assert_cmpuint (px[1], ==, 0);
  g_assert_cmpuint (px[2], ==, 77);   /* red */
  g_assert_cmpuint (px[3], ==, 149);  /* green */
  g_assert_cmpuint (px[4], ==, 29);   /* blue */
  g_assert_cmpuint (px[5], ==, 128);
  g_clear_pointer (&gray, g_bytes_unref);

  /* Black, fully transparent, half transparent. */
  put_pixel (rgba, 0, 0, 0, 0, 0, 255);
  put_pixel (rgba, 1, 0, 0, 0, 0, 0);
  put_pixel (rgba, 2, 0, 0, 0, 0, 128);
  rgba_path = save_picture (rgba, "gray-rgba.png", "png");
  gray = sc_picture_load_gray (rgba_path, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpint (width, ==, 3);
  g_assert_cmpint (height, ==, 1);
  px = g_bytes_get_data (gray, NULL);
  g_assert_cmpuint (px[0], ==, 0);
  g_assert_cmpuint (px[1], ==, 255);
  g_assert_cmpuint (px[2], ==, 127);

  g_unlink (rgb_path);
  g_unlink (rgba_path);
}

static void
test_load_gray_refused (void)
{
  g_autoptr(GdkPixbuf) noise = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 200, 200);
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "missing.png", NULL);
  g_autofree char *junk = g_build_filename (g_get_tmp_dir (), "junk.png", NULL);
  /* A JPEG cut short still loads, its missing part gray (libjpeg ends it
   * for gdk-pixbuf): not covered here. */
  const char *types[] = { "png" };
  const char *names[] = { "noise.png" };
  guint32 seed = 1;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) gray = NULL;
  int width = -1, height = -1;

  g_test_summary ("sc_picture_load_gray refuses a missing file, a folder, junk and a PNG "
                  "cut short (the camera's copy used to show a cut one), naming the file");

  gray = sc_picture_load_gray (missing, &width, &height, &error);
  g_assert_null (gray);
  g_assert_error (error, SC_DECODER_ERROR, SC_DECODER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing.png"));
  g_clear_error (&error);

  gray = sc_picture_load_gray (g_get_tmp_dir (), &width, &height, &error);
  g_assert_null (gray);
  g_assert_error (error, SC_DECODER_ERROR, SC_DECODER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (junk, "\x89PNG\r\n\x1a\nnot really a picture", -1, NULL));
  gray = sc_picture_load_gray (junk, &width, &height, &error);
  g_assert_null (gray);
  g_assert_error (error, SC_DECODER_ERROR, SC_DECODER_ERROR_BAD_IMAGE);
  g_assert_nonnull (strstr (error->message, "junk.png"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (junk, "not a picture at all", -1, NULL));
  gray = sc_picture_load_gray (junk, &width, &height, &error);
  g_assert_null (gray);
  g_assert_error (error, SC_DECODER_ERROR, SC_DECODER_ERROR_BAD_IMAGE);
  g_clear_error (&error);
  g_unlink (junk);

  /* Noise does not compress: half the file is about half the rows. */
  for (int y = 0; y < 200; y++)
    for (int x = 0; x < 200; x++)
      {
        seed = seed * 1103515245u + 12345u;
        put_pixel (noise, x, y, seed >> 24, seed >> 16, seed >> 8, 255);
      }
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *path = save_picture (noise, names[i], types[i]);
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_test_message ("%s", names[i]);
      gray = sc_picture_load_gray (path, &width, &height, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (gray), ==, 200 * 200);
      g_clear_pointer (&gray, g_bytes_unref);

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (path, contents, (gssize) (len / 2), NULL));
      width = height = -1;
      gray = sc_picture_load_gray (path, &width, &height, &error);
      g_assert_null (gray);
      g_assert_error (error, SC_DECODER_ERROR, SC_DECODER_ERROR_BAD_IMAGE);
      g_assert_nonnull (strstr (error->message, names[i]));
      g_clear_error (&error);
      g_unlink (path);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/picture/real-files", test_real_files);
  g_test_add_func ("/picture/headers", test_headers);
  g_test_add_func ("/picture/load-gray", test_load_gray);
  g_test_add_func ("/picture/load-gray/refused", test_load_gray_refused);

  return g_test_run ();
}
