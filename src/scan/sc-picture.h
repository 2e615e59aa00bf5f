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

G_END_DECLS
