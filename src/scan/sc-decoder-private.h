/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What sc-decoder.c (the object and its cascade) and sc-decoder-stages.c
 * (the stages) share. */

#include <zbar.h>

#include "sc-decoder.h"

G_BEGIN_DECLS

#define ROI_KEEP_US   (G_USEC_PER_SEC)   /* how long a detection's region stays */
#define BLOCK         16                 /* saliency block, binned pixels */
#define BLOCK_PAD     2                  /* blocks of padding around a region */
#define FILLED_ENERGY 35                 /* median block energy of a filled frame;
                                            noise sigma 20 gives 23 */
#define BINNED_DENSITY 2                /* binned scan line spacing */
#define IDLE_DENSITY  2                  /* 4x4 binned scan line spacing, idle frames */
#define LINE_SPAN     8                  /* samples averaged along a bar */
#define LINE_GAIN_X2  5                  /* contrast gain of the bars stage, x2 */
#define SHARP_AMOUNT  8                  /* unsharp mask gain of the sharpened stage */
#define NS_PER_SAMPLE_GUESS 20.0         /* zbar, per pixel of a scan line (measured) */
#define BARS_COHERENCE 0.5               /* gradient coherence of bars */

struct _ScDecoder
{
  GObject parent_instance;

  zbar_image_scanner_t *scanner;       /* (owned) */

  int            debounce_ms;
  int            budget_us;

  /* payload -> gint64 now_us when last reported (owned keys) */
  GHashTable    *seen;

  /* the last detection's bounding box, full-frame coordinates */
  gboolean       has_roi;
  int            roi_x0, roi_y0, roi_x1, roi_y1;
  int            roi_width, roi_height;  /* frame size it belongs to */
  gint64         roi_time_us;

  guint8        *work;                 /* (owned) scratch frame */
  gsize          work_size;
  guint8        *binned;               /* (owned) the 2x2 binned frame */
  gsize          binned_size;
  guint8        *binned4;              /* (owned) the 4x4 binned frame */
  gsize          binned4_size;
  int           *energy;               /* (owned) per-block edge energy */
  int           *energy_sorted;        /* (owned) the same, sorted */
  int           *tensor;               /* (owned) per-block dx², dy², dx·dy sums */
  gsize          n_energy;

  int            x_density, y_density;  /* zbar's scan line spacing now */
  double         ns_per_sample;         /* zbar's cost, moving average */

  ScDecoderStats stats;
};

/* Where a scanned buffer's pixels lie in the full frame: the centre of
 * buffer pixel (x, y) is full-frame point (ox + x * ux + y * vx,
 * oy + x * uy + y * vy). */
typedef struct
{
  double ox, oy;
  double ux, uy;
  double vx, vy;
} Mapping;

/* The box [x0, x1) x [y0, y1) of a frame. */
typedef struct
{
  int x0, y0, x1, y1;
} Box;

/* Where the binned frame has structure (find_salient_region). */
typedef struct
{
  /* the padded bounding box of the salient blocks, binned coordinates */
  int    x0, y0, x1, y1;
  /* the structure tensor (sums of dx², dy², dx·dy) of the salient blocks:
   * bars give one dominant gradient direction, QR codes and print none */
  double jxx, jyy, jxy;
} Saliency;

/* The scratch buffer, at least @size bytes. */
guint8  *sc_decoder_get_work            (ScDecoder     *self,
                                         gsize          size);
Mapping  sc_decoder_mapping_scaled      (int            off_x,
                                         int            off_y,
                                         int            scale);
guint    sc_decoder_scan_buffer         (ScDecoder     *self,
                                         const guint8  *data,
                                         int            width,
                                         int            height,
                                         const Mapping *mapping,
                                         GPtrArray     *detections);
void     sc_decoder_bin_2x2             (const guint8  *gray,
                                         int            width,
                                         int            height,
                                         int            stride,
                                         guint8        *out);
gboolean sc_decoder_find_salient_region (ScDecoder     *self,
                                         const guint8  *binned,
                                         int            w2,
                                         int            h2,
                                         Saliency      *out);
void     sc_decoder_set_density         (ScDecoder     *self,
                                         int            x_density,
                                         int            y_density);
guint    sc_decoder_scan_region         (ScDecoder     *self,
                                         const guint8  *gray,
                                         int            stride,
                                         const Box     *box,
                                         gboolean       stretch,
                                         GPtrArray     *detections);
guint    sc_decoder_scan_binned         (ScDecoder     *self,
                                         int            w2,
                                         const Box     *box,
                                         GPtrArray     *detections);
guint    sc_decoder_scan_lines          (ScDecoder     *self,
                                         const guint8  *gray,
                                         int            width,
                                         int            height,
                                         int            stride,
                                         const Box     *box,
                                         double         theta,
                                         GPtrArray     *detections);
guint    sc_decoder_scan_sharpened      (ScDecoder     *self,
                                         const guint8  *gray,
                                         int            stride,
                                         const Box     *box,
                                         GPtrArray     *detections);

G_END_DECLS
