/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Deterministic synthetic camera frames for the decoder tests and the
 * benchmark: QR (libqrencode) and Code128 (our own encoder) symbols with
 * Store Counter payloads on textured backgrounds, clean or degraded. */
#pragma once

#include <glib.h>

#include "sc-decoder.h"

G_BEGIN_DECLS

typedef enum
{
  SC_FRAME_SET_CLEAN = 0,
  SC_FRAME_SET_NOISE8,
  SC_FRAME_SET_NOISE20,
  SC_FRAME_SET_BLUR,
  SC_FRAME_SET_ROTATED,
  SC_FRAME_SET_LOW_CONTRAST,
  SC_FRAME_SET_LOW_LIGHT,
  SC_FRAME_SET_JPEG,
  SC_FRAME_N_SETS,
} ScFrameSet;

typedef struct
{
  guint8      *gray;        /* (owned) width x height, stride == width */
  int          width;
  int          height;
  char        *payload;     /* (owned) (nullable) NULL: no code */
  ScSymbology  symbology;
  int          module_px;
  int          cx, cy;      /* the symbol's centre */
} ScTestFrame;

const char  *sc_frame_set_name           (ScFrameSet   set);
/* Frame @index of @set: index picks resolution, symbology, payload,
 * module size (2..6 px) and position; same index, same frame. */
ScTestFrame *sc_test_frame_new_code      (ScFrameSet   set,
                                          guint        index);
/* A frame with no code: texture, gradient, noise, stripes, text-like marks. */
ScTestFrame *sc_test_frame_new_empty     (guint        index,
                                          int          width,
                                          int          height);
void         sc_test_frame_free          (ScTestFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTestFrame, sc_test_frame_free)

gboolean     sc_test_frame_save          (ScTestFrame *frame,
                                          const char  *path,
                                          const char  *type,
                                          GError     **error);

/* The Store Counter payload number @index of a carrier kind:
 * 0 bare 12-digit code, 1 URL, 2 live token. */
char        *sc_test_payload             (guint        index,
                                          int          kind);

/* Code128 (B/C with shifts to C for digit runs) of @payload as a module
 * string, '1' bar '0' space, without quiet zones. NULL if a character is not
 * in Code128 B. */
char        *sc_test_code128_modules     (const char  *payload);

/* Plain zbar: QR, Code128, EAN-13 only, one pass over the full frame.
 * Returns payloads (owned strings). */
GPtrArray   *sc_test_raw_zbar_decode     (const guint8 *gray,
                                          int           width,
                                          int           height);

/* A white 8-bit gray PNG of @width x @height, written row by row through
 * zlib: a few hundred KB on disk for 16000 x 16000, and @width x @height x 3
 * bytes once decoded into a GdkPixbuf. Asserts it is written. */
void         sc_test_write_big_png       (const char  *path,
                                          guint32      width,
                                          guint32      height);

G_END_DECLS
