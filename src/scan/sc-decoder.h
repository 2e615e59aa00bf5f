/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ScSymbology: the barcode kinds Store Counter reads (DESIGN §10).
 */
typedef enum
{
  SC_SYMBOLOGY_QR = 1,
  SC_SYMBOLOGY_CODE128,
  SC_SYMBOLOGY_EAN13,
} ScSymbology;

const char *sc_symbology_to_string (ScSymbology symbology);

/**
 * ScDecoderStage: which pass of the decode cascade found the symbols of a
 * frame (DESIGN §11). NONE when nothing was found.
 */
typedef enum
{
  SC_DECODER_STAGE_NONE = 0,
  SC_DECODER_STAGE_BINNED,    /* 2x2 averaged frame */
  SC_DECODER_STAGE_ROI,       /* full resolution around the last detection */
  SC_DECODER_STAGE_REGION,    /* full resolution where the frame has structure */
  SC_DECODER_STAGE_FULL,      /* whole frame, full resolution (files only) */
  SC_DECODER_STAGE_LINES,     /* bars straightened, averaged along their length */
  SC_DECODER_STAGE_SHARP,     /* the region of REGION, sharpened (blur) */
} ScDecoderStage;

/**
 * ScDetection: one symbol found in one frame. Boxed; the polygon is in
 * full-frame pixel coordinates, clockwise from zbar's first point
 * (n_points is 0 when zbar gave no location, at most 4).
 */
typedef struct
{
  char        *payload;     /* (owned) UTF-8, no control characters */
  ScSymbology  symbology;
  int          n_points;
  int          x[4];
  int          y[4];
  gboolean     is_new;      /* not reported within the debounce window */
  gint64       frame_time_us;  /* monotonic: when the camera captured the frame; 0 if
                                * it did not come from a camera */
} ScDetection;

#define SC_TYPE_DETECTION (sc_detection_get_type ())
GType        sc_detection_get_type (void) G_GNUC_CONST;
ScDetection *sc_detection_copy     (const ScDetection *self);
void         sc_detection_free     (ScDetection       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScDetection, sc_detection_free)

/**
 * ScDecoderStats: the last decoded frame.
 */
typedef struct
{
  gint64         decode_us;     /* wall time of the whole cascade */
  ScDecoderStage stage;         /* which stage hit, NONE when nothing */
  int            stages_run;    /* how many passes ran */
  gboolean       over_budget;   /* a stage was skipped for lack of time */
} ScDecoderStats;

#define SC_DECODER_ERROR (sc_decoder_error_quark ())
GQuark sc_decoder_error_quark (void);

typedef enum
{
  SC_DECODER_ERROR_NOT_FOUND,   /* the file does not exist */
  SC_DECODER_ERROR_BAD_IMAGE,   /* not an image we can read */
  SC_DECODER_ERROR_TOO_LARGE,   /* more than SC_PICTURE_MAX_PIXELS pixels */
} ScDecoderError;

#define SC_TYPE_DECODER (sc_decoder_get_type ())
G_DECLARE_FINAL_TYPE (ScDecoder, sc_decoder, SC, DECODER, GObject)

ScDecoder *sc_decoder_new             (void);

/* Every symbol found in one 8-bit gray frame, as a GPtrArray of
 * ScDetection (never NULL, may be empty). @now_us is a monotonic time in
 * microseconds for the debounce. Not thread-safe: one worker thread. */
GPtrArray *sc_decoder_decode          (ScDecoder    *self,
                                       const guint8 *gray,
                                       int           width,
                                       int           height,
                                       int           stride,
                                       gint64        now_us);
/* Loads a PNG/JPEG/PGM (anything gdk-pixbuf reads), converts it to gray and
 * decodes it with g_get_monotonic_time(). NULL and @error on failure. */
GPtrArray *sc_decoder_decode_file     (ScDecoder    *self,
                                       const char   *path,
                                       GError      **error);
/* Forgets debounce history and the last detection's region. */
void       sc_decoder_reset           (ScDecoder    *self);

void       sc_decoder_get_stats       (ScDecoder      *self,
                                       ScDecoderStats *out_stats);

int        sc_decoder_get_debounce_ms (ScDecoder    *self);
void       sc_decoder_set_debounce_ms (ScDecoder    *self,
                                       int           debounce_ms);
void       sc_decoder_set_budget_us   (ScDecoder    *self,
                                       int           budget_us);

G_END_DECLS
