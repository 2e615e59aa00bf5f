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

#include "sc-decoder.h"
#include "sc-picture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

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

static guint8 *
sc_decoder_get_work (ScDecoder *self,
                     gsize      size)
{
  if (self->work_size < size)
    {
      g_free (self->work);
      self->work = g_malloc (size);
      self->work_size = size;
    }
  return self->work;
}

/* A payload we pass on: non-empty, UTF-8, no NUL or control characters. */
static gboolean
payload_is_acceptable (const char *data,
                       gsize       len)
{
  const char *p;

  if (data == NULL || len == 0 || strlen (data) != len)
    return FALSE;
  if (!g_utf8_validate (data, len, NULL))
    return FALSE;
  for (p = data; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
symbology_from_zbar (zbar_symbol_type_t  type,
                     ScSymbology        *out)
{
  switch (type)
    {
    case ZBAR_QRCODE:
      *out = SC_SYMBOLOGY_QR;
      return TRUE;
    case ZBAR_CODE128:
      *out = SC_SYMBOLOGY_CODE128;
      return TRUE;
    case ZBAR_EAN13:
      *out = SC_SYMBOLOGY_EAN13;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
detections_have_payload (GPtrArray  *detections,
                         const char *payload)
{
  for (guint i = 0; i < detections->len; i++)
    {
      const ScDetection *d = g_ptr_array_index (detections, i);

      if (g_str_equal (d->payload, payload))
        return TRUE;
    }
  return FALSE;
}

/* Where a scanned buffer's pixels lie in the full frame: the centre of
 * buffer pixel (x, y) is full-frame point (ox + x * ux + y * vx,
 * oy + x * uy + y * vy). */
typedef struct
{
  double ox, oy;
  double ux, uy;
  double vx, vy;
} Mapping;

static Mapping
mapping_scaled (int off_x,
                int off_y,
                int scale)
{
  Mapping m = { off_x + (scale - 1) / 2.0, off_y + (scale - 1) / 2.0, scale, 0, 0, scale };

  return m;
}

static void
mapping_apply (const Mapping *m,
               double         x,
               double         y,
               int           *out_x,
               int           *out_y)
{
  *out_x = (int) floor (m->ox + x * m->ux + y * m->vx + 0.5);
  *out_y = (int) floor (m->oy + x * m->uy + y * m->vy + 0.5);
}

/* Scans a tightly packed @width x @height gray buffer placed in the frame
 * by @mapping; adds what it finds to @detections. Returns the number
 * added. */
static guint
scan_buffer (ScDecoder     *self,
             const guint8  *data,
             int            width,
             int            height,
             const Mapping *mapping,
             GPtrArray     *detections)
{
  zbar_image_t *image;
  const zbar_symbol_t *symbol;
  guint added = 0;
  gint64 t0;
  int n_symbols;
  double samples;

  image = zbar_image_create ();
  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, width, height);
  zbar_image_set_data (image, data, (unsigned long) width * height, NULL);

  t0 = g_get_monotonic_time ();
  n_symbols = zbar_scan_image (self->scanner, image);
  samples = (double) width * height *
            ((self->x_density > 0 ? 1.0 / self->x_density : 0) +
             (self->y_density > 0 ? 1.0 / self->y_density : 0));
  if (samples >= 10000)
    {
      double ns = (g_get_monotonic_time () - t0) * 1000.0 / samples;

      self->ns_per_sample = 0.7 * self->ns_per_sample + 0.3 * ns;
    }
  if (n_symbols <= 0)
    {
      zbar_image_destroy (image);
      return 0;
    }

  for (symbol = zbar_image_first_symbol (image); symbol != NULL;
       symbol = zbar_symbol_next (symbol))
    {
      ScSymbology symbology;
      const char *data_str = zbar_symbol_get_data (symbol);
      unsigned int len = zbar_symbol_get_data_length (symbol);
      unsigned int n_loc = zbar_symbol_get_loc_size (symbol);
      ScDetection *d;

      if (!symbology_from_zbar (zbar_symbol_get_type (symbol), &symbology))
        continue;
      if (!payload_is_acceptable (data_str, len))
        continue;
      if (detections_have_payload (detections, data_str))
        continue;

      d = g_new0 (ScDetection, 1);
      d->payload = g_strndup (data_str, len);
      d->symbology = symbology;

      if (n_loc == 4)
        {
          d->n_points = 4;
          for (int i = 0; i < 4; i++)
            mapping_apply (mapping, zbar_symbol_get_loc_x (symbol, i),
                           zbar_symbol_get_loc_y (symbol, i), &d->x[i], &d->y[i]);
        }
      else if (n_loc > 0)
        {
          /* Linear symbols give one point per scan line crossing: use their
           * bounding box, a pixel wider on each side. */
          int x0 = G_MAXINT, y0 = G_MAXINT, x1 = G_MININT, y1 = G_MININT;

          for (unsigned int i = 0; i < n_loc; i++)
            {
              int x = zbar_symbol_get_loc_x (symbol, i);
              int y = zbar_symbol_get_loc_y (symbol, i);

              x0 = MIN (x0, x);
              y0 = MIN (y0, y);
              x1 = MAX (x1, x);
              y1 = MAX (y1, y);
            }
          d->n_points = 4;
          mapping_apply (mapping, x0 - 0.5, y0 - 0.5, &d->x[0], &d->y[0]);
          mapping_apply (mapping, x1 + 0.5, y0 - 0.5, &d->x[1], &d->y[1]);
          mapping_apply (mapping, x1 + 0.5, y1 + 0.5, &d->x[2], &d->y[2]);
          mapping_apply (mapping, x0 - 0.5, y1 + 0.5, &d->x[3], &d->y[3]);
        }

      g_ptr_array_add (detections, d);
      added++;
    }

  zbar_image_destroy (image);
  return added;
}

/* 2x2 box average of the frame into @out ((width / 2) x (height / 2)). */
static void
bin_2x2 (const guint8 *gray,
         int           width,
         int           height,
         int           stride,
         guint8       *out)
{
  int w2 = width / 2;
  int h2 = height / 2;

  for (int y = 0; y < h2; y++)
    {
      const guint8 *r0 = gray + (gsize) (2 * y) * stride;
      const guint8 *r1 = r0 + stride;
      guint8 *o = out + (gsize) y * w2;

      for (int x = 0; x < w2; x++)
        o[x] = (guint8) ((r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) >> 2);
    }
}

/* A lookup table stretching the 1st..99th percentile of @hist (@total
 * samples) to 0..255; the identity when the levels are nearly flat. */
static void
stretch_lut (const guint *hist,
             guint        total,
             guint8      *lut)
{
  guint acc;
  int lo, hi;

  acc = 0;
  for (lo = 0; lo < 255; lo++)
    {
      acc += hist[lo];
      if (acc > total / 100)
        break;
    }
  acc = 0;
  for (hi = 255; hi > 0; hi--)
    {
      acc += hist[hi];
      if (acc > total / 100)
        break;
    }

  for (int i = 0; i < 256; i++)
    {
      int v = hi - lo < 8 ? i : (i - lo) * 255 / (hi - lo);

      lut[i] = (guint8) CLAMP (v, 0, 255);
    }
}

/* Copies the region [x0, x1) x [y0, y1) of the frame into @out, packed,
 * stretching the 1st..99th percentile of its levels to 0..255. */
static void
copy_stretched (const guint8 *gray,
                int           stride,
                int           x0,
                int           y0,
                int           x1,
                int           y1,
                guint8       *out)
{
  guint hist[256] = { 0 };
  guint8 lut[256];
  guint total = 0;
  int w = x1 - x0;

  /* A sparse histogram is enough for percentiles. */
  for (int y = y0; y < y1; y += 3)
    {
      const guint8 *row = gray + (gsize) y * stride;

      for (int x = x0; x < x1; x += 3)
        {
          hist[row[x]]++;
          total++;
        }
    }
  stretch_lut (hist, total, lut);

  for (int y = y0; y < y1; y++)
    {
      const guint8 *row = gray + (gsize) y * stride + x0;
      guint8 *o = out + (gsize) (y - y0) * w;

      for (int x = 0; x < w; x++)
        o[x] = lut[row[x]];
    }
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

static int
cmp_int (gconstpointer a,
         gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* Where the binned frame has structure (find_salient_region). */
typedef struct
{
  /* the padded bounding box of the salient blocks, binned coordinates */
  int    x0, y0, x1, y1;
  /* the structure tensor (sums of dx², dy², dx·dy) of the salient blocks:
   * bars give one dominant gradient direction, QR codes and print none */
  double jxx, jyy, jxy;
} Saliency;

/* Finds where the binned frame (@w2 x @h2) has structure: blocks whose mean
 * edge energy stands well above the frame's median block (texture and
 * sensor noise are uniform, codes and print are not). Returns FALSE when
 * nothing stands out. */
static gboolean
find_salient_region (ScDecoder    *self,
                     const guint8 *binned,
                     int           w2,
                     int           h2,
                     Saliency     *out)
{
  int bw = w2 / BLOCK, bh = h2 / BLOCK;
  gsize n = (gsize) bw * bh;
  int median, max, threshold;
  int bx0 = G_MAXINT, by0 = G_MAXINT, bx1 = -1, by1 = -1;

  memset (out, 0, sizeof *out);
  if (bw < 2 || bh < 2)
    return FALSE;

  if (self->n_energy < n)
    {
      g_free (self->energy);
      g_free (self->energy_sorted);
      g_free (self->tensor);
      self->energy = g_new (int, n);
      self->energy_sorted = g_new (int, n);
      self->tensor = g_new (int, 3 * n);
      self->n_energy = n;
    }

  for (int by = 0; by < bh; by++)
    for (int bx = 0; bx < bw; bx++)
      {
        int sum = 0, xx = 0, yy = 0, xy = 0;

        for (int y = by * BLOCK; y < by * BLOCK + BLOCK; y++)
          {
            const guint8 *row = binned + (gsize) y * w2;
            const guint8 *next = y + 1 < h2 ? row + w2 : row;

            for (int x = bx * BLOCK; x < bx * BLOCK + BLOCK; x++)
              {
                int dx = x + 1 < w2 ? row[x + 1] - row[x] : 0;
                int dy = next[x] - row[x];

                sum += ABS (dx) + ABS (dy);
                xx += dx * dx;
                yy += dy * dy;
                xy += dx * dy;
              }
          }
        self->energy[by * bw + bx] = sum / (BLOCK * BLOCK);
        self->tensor[3 * (by * bw + bx)] = xx;
        self->tensor[3 * (by * bw + bx) + 1] = yy;
        self->tensor[3 * (by * bw + bx) + 2] = xy;
      }

  memcpy (self->energy_sorted, self->energy, n * sizeof (int));
  qsort (self->energy_sorted, n, sizeof (int), cmp_int);
  median = self->energy_sorted[n / 2];
  max = self->energy_sorted[n - 1];

  if (median >= FILLED_ENERGY)
    {
      /* Structure nearly everywhere (a code filling the frame): all of it. */
      threshold = -1;
    }
  else
    {
      /* Measured on the test frames: codes give max / (median + 1) >= 2.5
       * even in low light or with noise sigma 20; texture and noise alone
       * <= 1.25. */
      if (max * 10 < (median + 1) * 20)
        return FALSE;
      threshold = median + (max - median) / 3;
    }

  for (int by = 0; by < bh; by++)
    for (int bx = 0; bx < bw; bx++)
      {
        const int *t = self->tensor + 3 * (by * bw + bx);

        if (self->energy[by * bw + bx] <= threshold)
          continue;
        bx0 = MIN (bx0, bx);
        by0 = MIN (by0, by);
        bx1 = MAX (bx1, bx);
        by1 = MAX (by1, by);
        out->jxx += t[0];
        out->jyy += t[1];
        out->jxy += t[2];
      }
  if (bx1 < 0)
    return FALSE;

  out->x0 = MAX (bx0 - BLOCK_PAD, 0) * BLOCK;
  out->y0 = MAX (by0 - BLOCK_PAD, 0) * BLOCK;
  out->x1 = bx1 + 1 + BLOCK_PAD >= bw ? w2 : (bx1 + 1 + BLOCK_PAD) * BLOCK;
  out->y1 = by1 + 1 + BLOCK_PAD >= bh ? h2 : (by1 + 1 + BLOCK_PAD) * BLOCK;
  return TRUE;
}

static void
set_density (ScDecoder *self,
             int        x_density,
             int        y_density)
{
  zbar_image_scanner_set_config (self->scanner, ZBAR_NONE, ZBAR_CFG_X_DENSITY, x_density);
  zbar_image_scanner_set_config (self->scanner, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, y_density);
  self->x_density = x_density;
  self->y_density = y_density;
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

/* Stretches and scans the full-resolution region [x0, x1) x [y0, y1). */
static guint
scan_region (ScDecoder    *self,
             const guint8 *gray,
             int           stride,
             int           x0,
             int           y0,
             int           x1,
             int           y1,
             gboolean      stretch,
             GPtrArray    *detections)
{
  int rw = x1 - x0, rh = y1 - y0;
  guint8 *buf = sc_decoder_get_work (self, (gsize) rw * rh);
  Mapping mapping = mapping_scaled (x0, y0, 1);

  if (stretch)
    copy_stretched (gray, stride, x0, y0, x1, y1, buf);
  else
    for (int y = y0; y < y1; y++)
      memcpy (buf + (gsize) (y - y0) * rw, gray + (gsize) y * stride + x0, (gsize) rw);
  return scan_buffer (self, buf, rw, rh, &mapping, detections);
}

/* Scans the part [x0, x1) x [y0, y1) of the binned frame (@w2 wide). */
static guint
scan_binned (ScDecoder    *self,
             int           w2,
             int           x0,
             int           y0,
             int           x1,
             int           y1,
             GPtrArray    *detections)
{
  int rw = x1 - x0, rh = y1 - y0;
  Mapping mapping = mapping_scaled (2 * x0, 2 * y0, 2);
  guint8 *buf;

  if (rw == w2)
    return scan_buffer (self, self->binned + (gsize) y0 * w2, rw, rh, &mapping, detections);

  buf = sc_decoder_get_work (self, (gsize) rw * rh);
  for (int y = y0; y < y1; y++)
    memcpy (buf + (gsize) (y - y0) * rw, self->binned + (gsize) y * w2 + x0, (gsize) rw);
  return scan_buffer (self, buf, rw, rh, &mapping, detections);
}

/* The frame's level at the point (x, y), bilinear, clamped to the frame;
 * in 1/256 levels. */
static inline int
sample_bilinear (const guint8 *gray,
                 int           width,
                 int           height,
                 int           stride,
                 double        x,
                 double        y)
{
  int ix, iy, fx, fy;
  const guint8 *p;
  int dx, dy;

  x = CLAMP (x, 0.0, width - 1.0);
  y = CLAMP (y, 0.0, height - 1.0);
  ix = (int) x;
  iy = (int) y;
  fx = (int) ((x - ix) * 256);
  fy = (int) ((y - iy) * 256);
  p = gray + (gsize) iy * stride + ix;
  dx = ix + 1 < width ? 1 : 0;
  dy = iy + 1 < height ? stride : 0;
  return ((p[0] * (256 - fx) + p[dx] * fx) * (256 - fy) +
          (p[dy] * (256 - fx) + p[dy + dx] * fx) * fy) >> 8;
}

/* Stage LINES, for bars: resamples the full-resolution box [x0, x1) x
 * [y0, y1) turned by @theta so that the bars stand upright, each output
 * pixel the mean of LINE_SPAN samples along the bar (noise falls by
 * sqrt (LINE_SPAN), the bars stay sharp), stretches the levels and scans
 * the rows only. */
static guint
scan_lines (ScDecoder    *self,
            const guint8 *gray,
            int           width,
            int           height,
            int           stride,
            int           x0,
            int           y0,
            int           x1,
            int           y1,
            double        theta,
            GPtrArray    *detections)
{
  double ux = cos (theta), uy = sin (theta);   /* across the bars */
  double vx = -uy, vy = ux;                    /* along the bars */
  double cx = (x0 + x1 - 1) / 2.0, cy = (y0 + y1 - 1) / 2.0;
  double hw = (x1 - x0) / 2.0, hh = (y1 - y0) / 2.0;
  /* Wider across the bars than the box: zbar wants the quiet zones
   * followed by an edge, and the blocks of a quiet zone are not salient. */
  double lu = (hw * fabs (ux) + hh * fabs (uy)) * 1.1 + 16;
  double lv = hw * fabs (uy) + hh * fabs (ux);
  int ow = (int) ceil (2 * lu), oh = (int) ceil (2 * lv / LINE_SPAN);
  guint hist[256] = { 0 };
  guint8 lut[256];
  Mapping mapping;
  guint8 *buf;

  if (ow < 16 || oh < 1)
    return 0;
  buf = sc_decoder_get_work (self, (gsize) ow * oh);

  for (int j = 0; j < oh; j++)
    {
      guint8 *o = buf + (gsize) j * ow;
      double along = j * LINE_SPAN + 0.5 - lv;

      for (int i = 0; i < ow; i++)
        {
          double across = i + 0.5 - lu;
          double px = cx + across * ux + along * vx;
          double py = cy + across * uy + along * vy;
          int sum = 0;

          for (int k = 0; k < LINE_SPAN; k++)
            sum += sample_bilinear (gray, width, height, stride, px + k * vx, py + k * vy);
          o[i] = (guint8) ((sum / LINE_SPAN + 128) >> 8);
          hist[o[i]]++;
        }
    }

  /* Stretched, then steepened around the middle level: what noise is left
   * on paper and on wide bars is clipped away, or zbar sees edges in it. */
  stretch_lut (hist, (guint) ow * oh, lut);
  for (int i = 0; i < 256; i++)
    {
      int v = 128 + (lut[i] - 128) * LINE_GAIN_X2 / 2;

      lut[i] = (guint8) CLAMP (v, 0, 255);
    }
  for (gsize i = 0; i < (gsize) ow * oh; i++)
    buf[i] = lut[buf[i]];

  mapping.ox = cx + (0.5 - lu) * ux + (LINE_SPAN / 2.0 - lv) * vx;
  mapping.oy = cy + (0.5 - lu) * uy + (LINE_SPAN / 2.0 - lv) * vy;
  mapping.ux = ux;
  mapping.uy = uy;
  mapping.vx = LINE_SPAN * vx;
  mapping.vy = LINE_SPAN * vy;

  set_density (self, 0, 1);
  return scan_buffer (self, buf, ow, oh, &mapping, detections);
}

/* Stage SHARP, for blur: the full-resolution region [x0, x1) x [y0, y1),
 * stretched, then sharpened hard (unsharp mask: each level moved away from
 * the mean of its 5x5 neighbourhood by SHARP_AMOUNT times the difference).
 * What blur spread over the neighbouring modules comes back, and zbar's
 * QR binarizer and bar edges find the modules again. */
static guint
scan_sharpened (ScDecoder    *self,
                const guint8 *gray,
                int           stride,
                int           x0,
                int           y0,
                int           x1,
                int           y1,
                GPtrArray    *detections)
{
  int rw = x1 - x0, rh = y1 - y0;
  gsize area = (gsize) rw * rh;
  guint8 *buf = sc_decoder_get_work (self, area * 4);
  guint8 *st = buf + area;
  guint16 *hsum = (guint16 *) (gpointer) (buf + 2 * area);   /* 5 levels: < 1276 */
  Mapping mapping = mapping_scaled (x0, y0, 1);

  copy_stretched (gray, stride, x0, y0, x1, y1, st);

  /* Horizontal sums of 5, the edges repeated. */
  for (int y = 0; y < rh; y++)
    {
      const guint8 *row = st + (gsize) y * rw;
      guint16 *h = hsum + (gsize) y * rw;

      for (int x = 0; x < rw; x++)
        {
          int sum = 0;

          for (int k = -2; k <= 2; k++)
            sum += row[CLAMP (x + k, 0, rw - 1)];
          h[x] = (guint16) sum;
        }
    }

  for (int y = 0; y < rh; y++)
    {
      const guint16 *r[5];
      const guint8 *row = st + (gsize) y * rw;
      guint8 *o = buf + (gsize) y * rw;

      for (int k = 0; k < 5; k++)
        r[k] = hsum + (gsize) CLAMP (y + k - 2, 0, rh - 1) * rw;
      for (int x = 0; x < rw; x++)
        {
          int sum = r[0][x] + r[1][x] + r[2][x] + r[3][x] + r[4][x];
          int v = row[x] + SHARP_AMOUNT * (25 * row[x] - sum) / 25;

          o[x] = (guint8) CLAMP (v, 0, 255);
        }
    }
  return scan_buffer (self, buf, rw, rh, &mapping, detections);
}

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
  gint64 start = g_get_monotonic_time ();
  ScDecoderStage stage = SC_DECODER_STAGE_NONE;
  int stages_run = 0;
  gboolean over_budget = FALSE;
  int w2 = width / 2, h2 = height / 2;
  Saliency sal;
  gboolean salient, recent, bars = FALSE;
  int bx0 = 0, by0 = 0, bx1 = w2, by1 = h2;
  gsize region_px;
  guint found;

  detections = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_detection_free);

  if (width < 8 || height < 8)
    goto out;

  if (self->binned_size < (gsize) w2 * h2)
    {
      g_free (self->binned);
      self->binned = g_malloc ((gsize) w2 * h2);
      self->binned_size = (gsize) w2 * h2;
    }
  bin_2x2 (gray, width, height, stride, self->binned);
  salient = find_salient_region (self, self->binned, w2, h2, &sal);
  recent = (self->has_roi && self->roi_width == width && self->roi_height == height &&
            now_us - self->roi_time_us <= ROI_KEEP_US && now_us >= self->roi_time_us);
  if (salient)
    {
      double j = sal.jxx + sal.jyy;

      /* Coherence: 1 for perfect bars, 0 for no preferred direction. */
      bars = j > 0 && sqrt ((sal.jxx - sal.jyy) * (sal.jxx - sal.jyy) +
                            4 * sal.jxy * sal.jxy) >= BARS_COHERENCE * j;
    }

  /* Stage 1, the 2x2 binned frame: a quarter of the pixels, sensor noise
   * halved. Where the frame has structure, only there, every other line
   * (all lines while a code was seen lately, and then also where it was).
   * A frame where nothing stands out from texture and noise is binned
   * again, 4x4, and scanned at every other line: what zbar could read
   * there is a code so close that it fills the frame, with modules of many
   * pixels. Files get the whole binned frame at every line. */
  stages_run++;
  if (thorough)
    {
      set_density (self, 1, 1);
      found = scan_binned (self, w2, 0, 0, w2, h2, detections);
    }
  else if (salient)
    {
      bx0 = sal.x0;
      by0 = sal.y0;
      bx1 = sal.x1;
      by1 = sal.y1;
      if (recent)
        {
          bx0 = MIN (bx0, self->roi_x0 / 2);
          by0 = MIN (by0, self->roi_y0 / 2);
          bx1 = MAX (bx1, MIN ((self->roi_x1 + 1) / 2, w2));
          by1 = MAX (by1, MIN ((self->roi_y1 + 1) / 2, h2));
        }
      set_density (self, recent ? 1 : BINNED_DENSITY, recent ? 1 : BINNED_DENSITY);
      found = scan_binned (self, w2, bx0, by0, bx1, by1, detections);
    }
  else
    {
      int w4 = w2 / 2, h4 = h2 / 2;
      Mapping mapping = mapping_scaled (0, 0, 4);

      if (self->binned4_size < (gsize) w4 * h4)
        {
          g_free (self->binned4);
          self->binned4 = g_malloc ((gsize) w4 * h4);
          self->binned4_size = (gsize) w4 * h4;
        }
      bin_2x2 (self->binned, w2, h2, w2, self->binned4);
      set_density (self, IDLE_DENSITY, IDLE_DENSITY);
      found = scan_buffer (self, self->binned4, w4, h4, &mapping, detections);
    }
  set_density (self, 1, 1);
  if (found > 0)
    {
      stage = SC_DECODER_STAGE_BINNED;
      goto found;
    }

  /* Stage 2: the region around the last detection, full resolution. */
  if (recent && time_for (self, start, thorough,
                          (gsize) (self->roi_x1 - self->roi_x0) *
                          (self->roi_y1 - self->roi_y0), &over_budget))
    {
      stages_run++;
      if (scan_region (self, gray, stride, self->roi_x0, self->roi_y0,
                       self->roi_x1, self->roi_y1, TRUE, detections) > 0)
        {
          stage = SC_DECODER_STAGE_ROI;
          goto found;
        }
    }

  region_px = (gsize) (MIN (2 * sal.x1, width) - 2 * sal.x0) *
              (MIN (2 * sal.y1, height) - 2 * sal.y0);

  /* Stage 3: bars, straightened and averaged along their length. */
  if (bars && time_left (self, start, thorough, &over_budget))
    {
      double theta = 0.5 * atan2 (2 * sal.jxy, sal.jxx - sal.jyy);


      stages_run++;
      found = scan_lines (self, gray, width, height, stride, 2 * sal.x0, 2 * sal.y0,
                          MIN (2 * sal.x1, width), MIN (2 * sal.y1, height), theta,
                          detections);
      set_density (self, 1, 1);
      if (found > 0)
        {
          stage = SC_DECODER_STAGE_LINES;
          goto found;
        }
    }

  /* Stage 4: where the frame has structure, full resolution. */
  if (salient && time_for (self, start, thorough, region_px, &over_budget))
    {
      stages_run++;
      if (scan_region (self, gray, stride, 2 * sal.x0, 2 * sal.y0,
                       MIN (2 * sal.x1, width), MIN (2 * sal.y1, height), TRUE,
                       detections) > 0)
        {
          stage = SC_DECODER_STAGE_REGION;
          goto found;
        }
    }

  /* Stage 5: the same region sharpened, for blur (sharpening costs a
   * third of a pass, and zbar finds more edges in it). */
  if (salient && time_for (self, start, thorough, region_px * 3 / 2, &over_budget))
    {
      stages_run++;
      if (scan_sharpened (self, gray, stride, 2 * sal.x0, 2 * sal.y0,
                          MIN (2 * sal.x1, width), MIN (2 * sal.y1, height), detections) > 0)
        {
          stage = SC_DECODER_STAGE_SHARP;
          goto found;
        }
    }

  /* Stage 6, files only: everything, as it is. */
  if (thorough)
    {
      stages_run++;
      if (scan_region (self, gray, stride, 0, 0, width, height, FALSE, detections) > 0)
        stage = SC_DECODER_STAGE_FULL;
    }

found:
  if (detections->len > 0)
    remember_roi (self, detections, width, height, now_us);

out:
  debounce (self, detections, now_us);

  self->stats.decode_us = g_get_monotonic_time () - start;
  self->stats.stage = stage;
  self->stats.stages_run = stages_run;
  self->stats.over_budget = over_budget;

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
