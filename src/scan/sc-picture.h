/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Picture files (--decode, --camera=files:DIR): which loader, and how big,
 * read from the header before anything is decoded. A 1 MB PNG may hold
 * 256 million pixels, which would take 1.3 GB to decode. */

/* Pictures with more pixels than this are refused (40 MP: a 7360x5520
 * photograph still passes). */
#define SC_PICTURE_MAX_PIXELS (40 * 1000 * 1000)

/* "png", "jpeg" or "pnm" from the magic bytes, or NULL. */
const char *sc_picture_sniff_type        (const guint8 *data,
                                          gsize         len);

/* Width and height from the header of a PNG, JPEG or PNM in @data, or for
 * other formats from gdk-pixbuf's header reader on @path. FALSE when the
 * header cannot be read (the loader will then say what is wrong). */
gboolean    sc_picture_read_size         (const char   *path,
                                          const guint8 *data,
                                          gsize         len,
                                          int          *width,
                                          int          *height);

/* NULL when @path's picture in @data is small enough to decode, else the
 * reason in words. (transfer full) */
char       *sc_picture_check_size        (const char   *path,
                                          const guint8 *data,
                                          gsize         len);

/* Reads the picture at @path (PNG, JPEG, PGM: anything gdk-pixbuf reads,
 * its loader picked by the magic bytes), refuses it from its header when
 * too large (sc_picture_check_size), turns it upright by its EXIF
 * orientation and converts it to 8-bit gray (BT.601 luma; transparent
 * pixels are white paper). A file cut short is refused, not handed out
 * with its missing rows.
 *
 * Returns: (transfer full): @out_width x @out_height bytes, stride ==
 * width; or NULL and @error in SC_DECODER_ERROR: NOT_FOUND (no such file,
 * or it cannot be opened), TOO_LARGE, BAD_IMAGE (not a picture, or cut
 * short). The messages name the file. */
GBytes     *sc_picture_load_gray         (const char   *path,
                                          int          *out_width,
                                          int          *out_height,
                                          GError      **error);

G_END_DECLS
