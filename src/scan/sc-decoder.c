/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScDecoder: zbar with only QR, Code128 and EAN-13, a decode cascade that is
 * cheaper and more robust than one full-resolution zbar pass, and a payload
 * debounce (DESIGN §10, §11).
 *
 * The cascade, per frame, stopping at the first stage that finds a symbol.
 * The frame is first averaged 2x2 ("binned": a quarter of the pixels,
 * sensor noise halved) and cut into blocks whose edge energy is measured:
 * blocks that stand out from the frame's median block (a code, or print)
 * make the salient region; its structure tensor tells bars (one gradient
 * direction) from QR codes and print.
 *   1. BINNED: zbar on the binned salient region (with the last
 *      detection's region while it is recent). A frame where nothing
 *      stands out (texture, sensor noise: an idle counter) is binned again
 *      4x4 and scanned sparsely: only a code filling the frame could be
 *      read there, so idle frames cost very little;
 *   2. ROI: when a symbol was seen in the last second, the region around it
 *      (padded), at full resolution, contrast stretched in the region;
 *   3. LINES: when the region holds bars, it is resampled at full
 *      resolution turned so that the bars stand upright, each pixel the
 *      mean of LINE_SPAN samples along its bar, contrast steepened, and its
 *      rows scanned: reads 1D codes through heavy noise and at any angle;
 *   4. REGION: the salient region at full resolution, contrast stretched;
 *   5. SHARP: the same, sharpened hard (unsharp mask), for blur.
 * A stage only starts while the frame's time budget ("budget-us") lasts,
 * and a full-resolution one only when, at zbar's recently measured cost
 * per pixel, it would end within the budget.
 * Files (sc_decoder_decode_file) have no time limit, scan the whole binned
 * frame in stage 1 and get a last stage:
 *   6. FULL: the whole frame at full resolution, as it is. */

#include "config.h"

#include "sc-decoder-private.h"
#include "sc-picture.h"

#include <math.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (ScDecoder, sc_decoder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEBOUNCE_MS,
  PROP_BUDGET_US,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (sc-decoder-error-quark, sc_decoder_error)

G_DEFINE_BOXED_TYPE (ScDetection, sc_detection, sc_detection_copy, sc_detection_free)

ScDetection *
sc_detection_copy (const ScDetection *self)
{
  ScDetection *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new (ScDetection, 1);
  *copy = *self;
  copy->payload = g_strdup (self->payload);
  return copy;
}

void
sc_detection_free (ScDetection *self)
{
  if (self == NULL)
    return;
  g_free (self->payload);
  g_free (self);
}

const char *
sc_symbology_to_string (ScSymbology symbology)
{
  switch (symbology)
    {
    case SC_SYMBOLOGY_QR:
      return "qr";
    case SC_SYMBOLOGY_CODE128:
      return "code128";
    case SC_SYMBOLOGY_EAN13:
      return "ean13";
    default:
      return "unknown";
    }
}

static void
sc_decoder_finalize (GObject *object)
{
  ScDecoder *self = SC_DECODER (object);

  g_clear_pointer (&self->scanner, zbar_image_scanner_destroy);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->work, g_free);
  g_clear_pointer (&self->binned, g_free);
  g_clear_pointer (&self->energy, g_free);
  g_clear_pointer (&self->energy_sorted, g_free);
  g_clear_pointer (&self->tensor, g_free);
  g_clear_pointer (&self->binned4, g_free);

  G_OBJECT_CLASS (sc_decoder_parent_class)->finalize (object);
}

static void
sc_decoder_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ScDecoder *self = SC_DECODER (object);

  switch (prop_id)
    {
    case PROP_DEBOUNCE_MS:
      g_value_set_int (value, self->debounce_ms);
      break;
    case PROP_BUDGET_US:
      g_value_set_int (value, self->budget_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_decoder_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ScDecoder *self = SC_DECODER (object);

  switch (prop_id)
    {
    case PROP_DEBOUNCE_MS:
      sc_decoder_set_debounce_ms (self, g_value_get_int (value));
      break;
    case PROP_BUDGET_US:
      sc_decoder_set_budget_us (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_decoder_class_init (ScDecoderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sc_decoder_finalize;
  object_class->get_property = sc_decoder_get_property;
  object_class->set_property = sc_decoder_set_property;

  /* The same payload seen again within this many milliseconds of the last
   * time it was seen is not new. */
  properties[PROP_DEBOUNCE_MS] =
    g_param_spec_int ("debounce-ms", NULL, NULL,
                      0, 600000, 2000,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                      G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* No cascade stage starts after this many microseconds of a frame. */
  properties[PROP_BUDGET_US] =
    g_param_spec_int ("budget-us", NULL, NULL,
                      0, G_MAXINT, 30000,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                      G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sc_decoder_init (ScDecoder *self)
{
  self->scanner = zbar_image_scanner_create ();
  /* Everything off, then only what we read. */
  zbar_image_scanner_set_config (self->scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (self->scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (self->scanner, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (self->scanner, ZBAR_EAN13, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (self->scanner, ZBAR_NONE, ZBAR_CFG_POSITION, 1);
  /* We debounce ourselves, by payload and time. */
  zbar_image_scanner_enable_cache (self->scanner, 0);

  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->x_density = self->y_density = 1;
  self->ns_per_sample = NS_PER_SAMPLE_GUESS;
}

ScDecoder *
sc_decoder_new (void)
{
  return g_object_new (SC_TYPE_DECODER, NULL);
}

int
sc_decoder_get_debounce_ms (ScDecoder *self)
{
  g_return_val_if_fail (SC_IS_DECODER (self), 0);
  return self->debounce_ms;
}

void
sc_decoder_set_debounce_ms (ScDecoder *self,
                            int        debounce_ms)
{
  g_return_if_fail (SC_IS_DECODER (self));
  g_return_if_fail (debounce_ms >= 0);

  if (self->debounce_ms == debounce_ms)
    return;
  self->debounce_ms = debounce_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEBOUNCE_MS]);
}

void
sc_decoder_set_budget_us (ScDecoder *self,
                          int        budget_us)
{
  g_return_if_fail (SC_IS_DECODER (self));
  g_return_if_fail (budget_us >= 0);

  if (self->budget_us == budget_us)
    return;
  self->budget_us = budget_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUDGET_US]);
}

void
sc_decoder_get_stats (ScDecoder      *self,
                      ScDecoderStats *out_stats)
{
  g_return_if_fail (SC_IS_DECODER (self));
  g_return_if_fail (out_stats != NULL);

  *out_stats = self->stats;
}

void
sc_decoder_reset (ScDecoder *self)
{
  g_return_if_fail (SC_IS_DECODER (self));

  g_hash_table_remove_all (self->seen);
  self->has_roi = FALSE;
  memset (&self->stats, 0, sizeof self->stats);
}

static void
remember_roi (ScDecoder *self,
              GPtrArray *detections,
              int        width,
              int        height,
              gint64     now_us)
{
  int x0 = G_MAXINT, y0 = G_MAXINT, x1 = G_MININT, y1 = G_MININT;
  int pad;

  for (guint i = 0; i < detections->len; i++)
    {
      const ScDetection *d = g_ptr_array_index (detections, i);

      for (int k = 0; k < d->n_points; k++)
        {
          x0 = MIN (x0, d->x[k]);
          y0 = MIN (y0, d->y[k]);
          x1 = MAX (x1, d->x[k]);
          y1 = MAX (y1, d->y[k]);
        }
    }
  if (x0 > x1 || y0 > y1)
    return;

  /* Pad by half the box's larger side: the code moves between frames. */
  pad = MAX (x1 - x0, y1 - y0) / 2 + 16;
  self->roi_x0 = CLAMP (x0 - pad, 0, width);
  self->roi_y0 = CLAMP (y0 - pad, 0, height);
  self->roi_x1 = CLAMP (x1 + pad + 1, 0, width);
  self->roi_y1 = CLAMP (y1 + pad + 1, 0, height);
  self->roi_width = width;
  self->roi_height = height;
  self->roi_time_us = now_us;
  self->has_roi = (self->roi_x1 - self->roi_x0 >= 16 && self->roi_y1 - self->roi_y0 >= 16);
}

static void
debounce (ScDecoder *self,
          GPtrArray *detections,
          gint64     now_us)
{
  gint64 window_us = (gint64) self->debounce_ms * 1000;
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < detections->len; i++)
    {
      ScDetection *d = g_ptr_array_index (detections, i);
      gint64 *last = g_hash_table_lookup (self->seen, d->payload);

      d->is_new = (last == NULL || now_us - *last >= window_us || now_us < *last);
      if (last == NULL)
        {
          last = g_new (gint64, 1);
          g_hash_table_insert (self->seen, g_strdup (d->payload), last);
        }
      *last = now_us;
    }

  /* Forget what left the window, so the table stays small. */
  g_hash_table_iter_init (&iter, self->seen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64 last = *(gint64 *) value;

      if (now_us - last >= window_us || now_us < last)
        g_hash_table_iter_remove (&iter);
    }
}

static gboolean
time_left (ScDecoder *self,
           gint64     start,
           gboolean   unlimited,
           gboolean  *over_budget)
{
  if (unlimited || g_get_monotonic_time () - start < self->budget_us)
    return TRUE;
  *over_budget = TRUE;
  return FALSE;
}

/* Whether a full-resolution pass over @pixels pixels (scanned both ways)
 * ends, by zbar's recent cost, within the frame's budget: one pass over a
 * big region can cost more than the whole budget. */
static gboolean
time_for (ScDecoder *self,
          gint64     start,
          gboolean   unlimited,
          gsize      pixels,
          gboolean  *over_budget)
{
  double predicted_us = 2.0 * pixels * self->ns_per_sample / 1000.0;

  if (unlimited || g_get_monotonic_time () - start + predicted_us < self->budget_us)
    return TRUE;
  *over_budget = TRUE;
  return FALSE;
}

/* One frame through the cascade (decode_frame). */
typedef struct
{
  const guint8 *gray;
  int           width, height, stride;
  int           w2, h2;          /* the binned frame's size */
  gint64        now_us;
  gboolean      thorough;        /* a file: no time limit, more stages */
  gint64        start;           /* monotonic, when the frame's decode began */
  gboolean      over_budget;
  int           stages_run;
  Saliency      sal;
  gboolean      salient;         /* something stands out from texture and noise */
  gboolean      recent;          /* a code was seen lately, in this frame size */
  gboolean      bars;            /* the salient region holds bars */
  Box           region;          /* the salient region, full resolution */
  gsize         region_px;       /* its pixels */
} Frame;

/* Bins the frame 2x2 and measures it: salient region, bars, recent code. */
static void
frame_prepare (ScDecoder *self,
               Frame     *f)
{
  gsize binned_px = (gsize) f->w2 * f->h2;

  if (self->binned_size < binned_px)
    {
      g_free (self->binned);
      self->binned = g_malloc (binned_px);
      self->binned_size = binned_px;
    }
  sc_decoder_bin_2x2 (f->gray, f->width, f->height, f->stride, self->binned);
  f->salient = sc_decoder_find_salient_region (self, self->binned, f->w2, f->h2, &f->sal);
  f->recent = (self->has_roi && self->roi_width == f->width && self->roi_height == f->height &&
               f->now_us - self->roi_time_us <= ROI_KEEP_US && f->now_us >= self->roi_time_us);
  if (f->salient)
    {
      double j = f->sal.jxx + f->sal.jyy;

      /* Coherence: 1 for perfect bars, 0 for no preferred direction. */
      f->bars = j > 0 && sqrt ((f->sal.jxx - f->sal.jyy) * (f->sal.jxx - f->sal.jyy) +
                               4 * f->sal.jxy * f->sal.jxy) >= BARS_COHERENCE * j;
    }
  f->region.x0 = 2 * f->sal.x0;
  f->region.y0 = 2 * f->sal.y0;
  f->region.x1 = MIN (2 * f->sal.x1, f->width);
  f->region.y1 = MIN (2 * f->sal.y1, f->height);
  f->region_px = (gsize) (f->region.x1 - f->region.x0) * (f->region.y1 - f->region.y0);
}

/* A frame where nothing stands out, binned again 4x4 and scanned at every
 * other line. */
static guint
scan_idle (ScDecoder *self,
           Frame     *f,
           GPtrArray *detections)
{
  int w4 = f->w2 / 2, h4 = f->h2 / 2;
  Mapping mapping = sc_decoder_mapping_scaled (0, 0, 4);

  if (self->binned4_size < (gsize) w4 * h4)
    {
      g_free (self->binned4);
      self->binned4 = g_malloc ((gsize) w4 * h4);
      self->binned4_size = (gsize) w4 * h4;
    }
  sc_decoder_bin_2x2 (self->binned, f->w2, f->h2, f->w2, self->binned4);
  sc_decoder_set_density (self, IDLE_DENSITY, IDLE_DENSITY);
  return sc_decoder_scan_buffer (self, self->binned4, w4, h4, &mapping, detections);
}

/* Stage 1, the 2x2 binned frame: a quarter of the pixels, sensor noise
 * halved. Where the frame has structure, only there, every other line
 * (all lines while a code was seen lately, and then also where it was).
 * A frame where nothing stands out from texture and noise is binned
 * again, 4x4, and scanned at every other line: what zbar could read
 * there is a code so close that it fills the frame, with modules of many
 * pixels. Files get the whole binned frame at every line. */
static gboolean
stage_binned (ScDecoder *self,
              Frame     *f,
              GPtrArray *detections)
{
  guint found;

  f->stages_run++;
  if (f->thorough)
    {
      Box all = { 0, 0, f->w2, f->h2 };

      sc_decoder_set_density (self, 1, 1);
      found = sc_decoder_scan_binned (self, f->w2, &all, detections);
    }
  else if (f->salient)
    {
      Box box = { f->sal.x0, f->sal.y0, f->sal.x1, f->sal.y1 };

      if (f->recent)
        {
          box.x0 = MIN (box.x0, self->roi_x0 / 2);
          box.y0 = MIN (box.y0, self->roi_y0 / 2);
          box.x1 = MAX (box.x1, MIN ((self->roi_x1 + 1) / 2, f->w2));
          box.y1 = MAX (box.y1, MIN ((self->roi_y1 + 1) / 2, f->h2));
        }
      sc_decoder_set_density (self, f->recent ? 1 : BINNED_DENSITY,
                              f->recent ? 1 : BINNED_DENSITY);
      found = sc_decoder_scan_binned (self, f->w2, &box, detections);
    }
  else
    {
      found = scan_idle (self, f, detections);
    }
  sc_decoder_set_density (self, 1, 1);
  return found > 0;
}

/* Stage 2: the region around the last detection, full resolution. */
static gboolean
stage_roi (ScDecoder *self,
           Frame     *f,
           GPtrArray *detections)
{
  Box roi = { self->roi_x0, self->roi_y0, self->roi_x1, self->roi_y1 };

  if (!f->recent ||
      !time_for (self, f->start, f->thorough, (gsize) (roi.x1 - roi.x0) * (roi.y1 - roi.y0),
                 &f->over_budget))
    return FALSE;
  f->stages_run++;
  return sc_decoder_scan_region (self, f->gray, f->stride, &roi, TRUE, detections) > 0;
}

/* Stage 3: bars, straightened and averaged along their length. */
static gboolean
stage_lines (ScDecoder *self,
             Frame     *f,
             GPtrArray *detections)
{
  double theta;
  guint found;

  if (!f->bars || !time_left (self, f->start, f->thorough, &f->over_budget))
    return FALSE;
  theta = 0.5 * atan2 (2 * f->sal.jxy, f->sal.jxx - f->sal.jyy);
  f->stages_run++;
  found = sc_decoder_scan_lines (self, f->gray, f->width, f->height, f->stride, &f->region,
                                 theta, detections);
  sc_decoder_set_density (self, 1, 1);
  return found > 0;
}

/* Stage 4: where the frame has structure, full resolution. */
static gboolean
stage_region (ScDecoder *self,
              Frame     *f,
              GPtrArray *detections)
{
  if (!f->salient || !time_for (self, f->start, f->thorough, f->region_px, &f->over_budget))
    return FALSE;
  f->stages_run++;
  return sc_decoder_scan_region (self, f->gray, f->stride, &f->region, TRUE, detections) > 0;
}

/* Stage 5: the same region sharpened, for blur (sharpening costs a third
 * of a pass, and zbar finds more edges in it). */
static gboolean
stage_sharp (ScDecoder *self,
             Frame     *f,
             GPtrArray *detections)
{
  if (!f->salient ||
      !time_for (self, f->start, f->thorough, f->region_px * 3 / 2, &f->over_budget))
    return FALSE;
  f->stages_run++;
  return sc_decoder_scan_sharpened (self, f->gray, f->stride, &f->region, detections) > 0;
}

/* Stage 6, files only: everything, as it is. */
static gboolean
stage_full (ScDecoder *self,
            Frame     *f,
            GPtrArray *detections)
{
  Box all = { 0, 0, f->width, f->height };

  if (!f->thorough)
    return FALSE;
  f->stages_run++;
  return sc_decoder_scan_region (self, f->gray, f->stride, &all, FALSE, detections) > 0;
}

static const struct
{
  ScDecoderStage stage;
  gboolean     (*run) (ScDecoder *self,
                       Frame     *f,
                       GPtrArray *detections);
} cascade[] = {
  { SC_DECODER_STAGE_BINNED, stage_binned },
  { SC_DECODER_STAGE_ROI, stage_roi },
  { SC_DECODER_STAGE_LINES, stage_lines },
  { SC_DECODER_STAGE_REGION, stage_region },
  { SC_DECODER_STAGE_SHARP, stage_sharp },
  { SC_DECODER_STAGE_FULL, stage_full },
};

static GPtrArray *
decode_frame (ScDecoder    *self,
              const guint8 *gray,
              int           width,
              int           height,
              int           stride,
              gint64        now_us,
              gboolean      thorough)
{
  g_autoptr(GPtrArray) detections = NULL;
  ScDecoderStage stage = SC_DECODER_STAGE_NONE;
  Frame f = {
    .gray = gray, .width = width, .height = height, .stride = stride,
    .w2 = width / 2, .h2 = height / 2, .now_us = now_us, .thorough = thorough,
    .start = g_get_monotonic_time (),
  };

  detections = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_detection_free);

  if (width >= 8 && height >= 8)
    {
      frame_prepare (self, &f);
      for (guint i = 0; i < G_N_ELEMENTS (cascade); i++)
        {
          if (cascade[i].run (self, &f, detections))
            {
              stage = cascade[i].stage;
              break;
            }
        }
      if (detections->len > 0)
        remember_roi (self, detections, width, height, now_us);
    }

  debounce (self, detections, now_us);

  self->stats.decode_us = g_get_monotonic_time () - f.start;
  self->stats.stage = stage;
  self->stats.stages_run = f.stages_run;
  self->stats.over_budget = f.over_budget;

  return g_steal_pointer (&detections);
}

GPtrArray *
sc_decoder_decode (ScDecoder    *self,
                   const guint8 *gray,
                   int           width,
                   int           height,
                   int           stride,
                   gint64        now_us)
{
  g_return_val_if_fail (SC_IS_DECODER (self), NULL);
  g_return_val_if_fail (gray != NULL || width == 0 || height == 0, NULL);
  g_return_val_if_fail (width >= 0 && height >= 0 && stride >= width, NULL);

  return decode_frame (self, gray, width, height, stride, now_us, FALSE);
}

GPtrArray *
sc_decoder_decode_file (ScDecoder   *self,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GBytes) gray = NULL;
  int width = 0, height = 0;

  g_return_val_if_fail (SC_IS_DECODER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gray = sc_picture_load_gray (path, &width, &height, error);
  if (gray == NULL)
    return NULL;

  return decode_frame (self, g_bytes_get_data (gray, NULL), width, height, width,
                       g_get_monotonic_time (), TRUE);
}
