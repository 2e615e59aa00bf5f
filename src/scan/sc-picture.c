/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-picture.h"
#include "sc-decoder.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>

const char *
sc_picture_sniff_type (const guint8 *data,
                       gsize         len)
{
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (len >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "jpeg";
  if (len >= 2 && data[0] == 'P' && data[1] >= '1' && data[1] <= '6')
    return "pnm";
  return NULL;
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static guint
be16 (const guint8 *p)
{
  return (guint) p[0] << 8 | p[1];
}

/* IHDR is the first chunk: width and height at bytes 16 and 20. */
static gboolean
png_size (const guint8 *data,
          gsize         len,
          int          *width,
          int          *height)
{
  guint32 w, h;

  if (len < 24 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;
  w = be32 (data + 16);
  h = be32 (data + 20);
  if (w > G_MAXINT || h > G_MAXINT)
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

/* The first start-of-frame marker (SOF0..SOF15 but DHT, JPG and DAC):
 * precision, height, width. */
static gboolean
jpeg_size (const guint8 *data,
           gsize         len,
           int          *width,
           int          *height)
{
  gsize i = 2;

  while (i + 4 <= len)
    {
      guint8 marker;
      gsize seg_len;

      if (data[i] != 0xff)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;   /* fill byte */
          continue;
        }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          i += 2;   /* no length */
          continue;
        }
      if (marker == 0xd9 || marker == 0xda)
        return FALSE;   /* end of image, start of scan: no frame header */

      seg_len = be16 (data + i + 2);
      if (seg_len < 2)
        return FALSE;
      if (marker >= 0xc0 && marker <= 0xcf &&
          marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (i + 9 > len)
            return FALSE;
          *height = (int) be16 (data + i + 5);
          *width = (int) be16 (data + i + 7);
          return TRUE;
        }
      i += 2 + seg_len;
    }

  return FALSE;
}

/* "P6\n# comment\n640 480\n255\n": numbers between blanks and comments. */
static gboolean
pnm_size (const guint8 *data,
          gsize         len,
          int          *width,
          int          *height)
{
  gint64 values[2] = { 0, 0 };
  gsize i = 2;

  for (guint n = 0; n < 2; n++)
    {
      gboolean digits = FALSE;

      for (;;)
        {
          if (i >= len)
            return FALSE;
          if (data[i] == '#')
            {
              while (i < len && data[i] != '\n' && data[i] != '\r')
                i++;
            }
          else if (g_ascii_isspace (data[i]))
            i++;
          else
            break;
        }
      while (i < len && g_ascii_isdigit (data[i]))
        {
          values[n] = values[n] * 10 + (data[i] - '0');
          if (values[n] > G_MAXINT)
            return FALSE;
          digits = TRUE;
          i++;
        }
      if (!digits)
        return FALSE;
    }

  *width = (int) values[0];
  *height = (int) values[1];
  return TRUE;
}

gboolean
sc_picture_read_size (const char   *path,
                      const guint8 *data,
                      gsize         len,
                      int          *width,
                      int          *height)
{
  const char *type;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (width != NULL && height != NULL, FALSE);

  type = sc_picture_sniff_type (data, len);
  if (g_strcmp0 (type, "png") == 0)
    return png_size (data, len, width, height);
  if (g_strcmp0 (type, "jpeg") == 0)
    return jpeg_size (data, len, width, height);
  if (g_strcmp0 (type, "pnm") == 0)
    return pnm_size (data, len, width, height);

  /* Other formats: gdk-pixbuf stops reading once it knows the size. */
  return path != NULL && gdk_pixbuf_get_file_info (path, width, height) != NULL;
}

char *
sc_picture_check_size (const char   *path,
                       const guint8 *data,
                       gsize         len)
{
  g_autofree char *display = NULL;
  int width = 0;
  int height = 0;
  gint64 pixels;

  if (!sc_picture_read_size (path, data, len, &width, &height))
    return NULL;

  pixels = (gint64) width * height;
  if (pixels <= SC_PICTURE_MAX_PIXELS)
    return NULL;

  display = path != NULL ? g_filename_display_name (path) : g_strdup ("");
  /* Translators: a file name, its width and height, its size in megapixels,
   * and the largest size allowed, also in megapixels */
  return g_strdup_printf (_("“%s”: the picture is %d×%d pixels (%d MP); pictures over "
                            "%d MP are refused"),
                          display, width, height,
                          (int) ((pixels + 500000) / 1000000),
                          SC_PICTURE_MAX_PIXELS / 1000000);
}

static void
on_area_updated (GdkPixbufLoader *loader,
                 int              x,
                 int              y,
                 int              width,
                 int              height,
                 gpointer         user_data)
{
  int *rows_loaded = user_data;

  *rows_loaded = MAX (*rows_loaded, y + height);
}

GBytes *
sc_picture_load_gray (const char  *path,
                      int         *out_width,
                      int         *out_height,
                      GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *contents = NULL;
  const char *type = NULL;
  GdkPixbuf *loaded;   /* (unowned) the loader's */
  int rows_loaded = 0;
  gsize len;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *too_large = NULL;
  const guint8 *pixels;
  guint8 *gray;
  int width, height, rowstride, n_channels;
  gboolean alpha;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (out_width != NULL && out_height != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SC_DECODER_ERROR, SC_DECODER_ERROR_NOT_FOUND,
                   _("No picture at “%s”."), display);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_debug ("Cannot read %s: %s", path, local_error->message);
      g_set_error (error, SC_DECODER_ERROR, SC_DECODER_ERROR_NOT_FOUND,
                   _("Cannot open “%s”."), display);
      return NULL;
    }

  /* Refused from the header, before a byte is decoded. */
  too_large = sc_picture_check_size (path, (const guint8 *) contents, len);
  if (too_large != NULL)
    {
      g_set_error_literal (error, SC_DECODER_ERROR, SC_DECODER_ERROR_TOO_LARGE, too_large);
      return NULL;
    }

  /* Pick the loader by the file's magic bytes: format sniffing through the
   * MIME database is not always there (sandboxes, tests). */
  type = sc_picture_sniff_type ((const guint8 *) contents, len);

  loader = type != NULL ? gdk_pixbuf_loader_new_with_type (type, NULL) : gdk_pixbuf_loader_new ();
  if (loader != NULL)
    g_signal_connect (loader, "area-updated", G_CALLBACK (on_area_updated), &rows_loaded);
  if (loader == NULL ||
      !gdk_pixbuf_loader_write (loader, (const guint8 *) contents, len, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error) ||
      (loaded = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      if (loader != NULL)
        gdk_pixbuf_loader_close (loader, NULL);
      g_debug ("Cannot load %s: %s", path,
               local_error != NULL ? local_error->message : "no loader");
      g_set_error (error, SC_DECODER_ERROR, SC_DECODER_ERROR_BAD_IMAGE,
                   _("“%s” is not a picture that can be read."), display);
      return NULL;
    }

  /* Some loaders hand out a truncated file's top part without an error. */
  if (rows_loaded < gdk_pixbuf_get_height (loaded))
    {
      g_debug ("%s: only %d of %d rows", path, rows_loaded, gdk_pixbuf_get_height (loaded));
      g_set_error (error, SC_DECODER_ERROR, SC_DECODER_ERROR_BAD_IMAGE,
                   _("“%s” is cut short or damaged."), display);
      return NULL;
    }

  /* Honour EXIF orientation, as phones and cameras write it. */
  pixbuf = gdk_pixbuf_apply_embedded_orientation (loaded);
  if (pixbuf == NULL)
    pixbuf = g_object_ref (loaded);

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  if (gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB ||
      gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 || n_channels < 3 ||
      (alpha && n_channels < 4) || width <= 0 || height <= 0)
    {
      g_set_error (error, SC_DECODER_ERROR, SC_DECODER_ERROR_BAD_IMAGE,
                   _("“%s” is not a picture that can be read."), display);
      return NULL;
    }

  pixels = gdk_pixbuf_read_pixels (pixbuf);
  gray = g_malloc ((gsize) width * height);
  for (int y = 0; y < height; y++)
    {
      const guint8 *p = pixels + (gsize) y * rowstride;
      guint8 *o = gray + (gsize) y * width;

      for (int x = 0; x < width; x++, p += n_channels)
        {
          /* BT.601 luma; transparent pixels count as white paper. */
          int v = (p[0] * 77 + p[1] * 150 + p[2] * 29 + 128) >> 8;

          if (alpha)
            v = (v * p[3] + 255 * (255 - p[3]) + 127) / 255;
          o[x] = (guint8) v;
        }
    }

  *out_width = width;
  *out_height = height;
  return g_bytes_new_take (gray, (gsize) width * height);
}
