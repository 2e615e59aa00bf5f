/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stages of ScDecoder's cascade (sc-decoder.c): zbar on a packed buffer
 * placed in the frame (Mapping), the 2x2 binning, the salient region and its
 * structure tensor, the contrast stretch, and the passes over the binned
 * frame, a full-resolution region, straightened bars (LINES) and a
 * sharpened region (SHARP). */

#include "config.h"

#include "sc-decoder-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

guint8 *
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

Mapping
sc_decoder_mapping_scaled (int off_x,
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
guint
sc_decoder_scan_buffer (ScDecoder     *self,
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
void
sc_decoder_bin_2x2 (const guint8 *gray,
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

/* Copies @box of the frame into @out, packed, stretching the 1st..99th
 * percentile of its levels to 0..255. */
static void
copy_stretched (const guint8 *gray,
                int           stride,
                const Box    *box,
                guint8       *out)
{
  const int x0 = box->x0, y0 = box->y0, x1 = box->x1, y1 = box->y1;
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

static int
cmp_int (gconstpointer a,
         gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* Finds where the binned frame (@w2 x @h2) has structure: blocks whose mean
 * edge energy stands well above the frame's median block (texture and
 * sensor noise are uniform, codes and print are not). Returns FALSE when
 * nothing stands out. */
gboolean
sc_decoder_find_salient_region (ScDecoder    *self,
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

void
sc_decoder_set_density (ScDecoder *self,
                        int        x_density,
                        int        y_density)
{
  zbar_image_scanner_set_config (self->scanner, ZBAR_NONE, ZBAR_CFG_X_DENSITY, x_density);
  zbar_image_scanner_set_config (self->scanner, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, y_density);
  self->x_density = x_density;
  self->y_density = y_density;
}

/* Copies @box of @src (@stride bytes a row) into @out, packed. */
static void
copy_box (const guint8 *src,
          int           stride,
          const Box    *box,
          guint8       *out)
{
  int rw = box->x1 - box->x0;

  for (int y = box->y0; y < box->y1; y++)
    memcpy (out + (gsize) (y - box->y0) * rw, src + (gsize) y * stride + box->x0,
            (gsize) rw);
}

/* Stretches and scans the full-resolution region @box. */
guint
sc_decoder_scan_region (ScDecoder    *self,
                        const guint8 *gray,
                        int           stride,
                        const Box    *box,
                        gboolean      stretch,
                        GPtrArray    *detections)
{
  int rw = box->x1 - box->x0, rh = box->y1 - box->y0;
  guint8 *buf = sc_decoder_get_work (self, (gsize) rw * rh);
  Mapping mapping = sc_decoder_mapping_scaled (box->x0, box->y0, 1);

  if (stretch)
    copy_stretched (gray, stride, box, buf);
  else
    copy_box (gray, stride, box, buf);
  return sc_decoder_scan_buffer (self, buf, rw, rh, &mapping, detections);
}

/* Scans the part @box of the binned frame (@w2 wide). */
guint
sc_decoder_scan_binned (ScDecoder    *self,
                        int           w2,
                        const Box    *box,
                        GPtrArray    *detections)
{
  int rw = box->x1 - box->x0, rh = box->y1 - box->y0;
  Mapping mapping = sc_decoder_mapping_scaled (2 * box->x0, 2 * box->y0, 2);
  guint8 *buf;

  if (rw == w2)
    return sc_decoder_scan_buffer (self, self->binned + (gsize) box->y0 * w2, rw, rh, &mapping,
                                   detections);

  buf = sc_decoder_get_work (self, (gsize) rw * rh);
  copy_box (self->binned, w2, box, buf);
  return sc_decoder_scan_buffer (self, buf, rw, rh, &mapping, detections);
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

/* Stage LINES, for bars: resamples the full-resolution @box turned by
 * @theta so that the bars stand upright, each output pixel the mean of
 * LINE_SPAN samples along the bar (noise falls by sqrt (LINE_SPAN), the
 * bars stay sharp), stretches the levels and scans the rows only. */
guint
sc_decoder_scan_lines (ScDecoder    *self,
                       const guint8 *gray,
                       int           width,
                       int           height,
                       int           stride,
                       const Box    *box,
                       double        theta,
                       GPtrArray    *detections)
{
  const int x0 = box->x0, y0 = box->y0, x1 = box->x1, y1 = box->y1;
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

  sc_decoder_set_density (self, 0, 1);
  return sc_decoder_scan_buffer (self, buf, ow, oh, &mapping, detections);
}

/* Stage SHARP, for blur: the full-resolution region [x0, x1) x [y0, y1),
 * stretched, then sharpened hard (unsharp mask: each level moved away from
 * the mean of its 5x5 neighbourhood by SHARP_AMOUNT times the difference).
 * What blur spread over the neighbouring modules comes back, and zbar's
 * QR binarizer and bar edges find the modules again. */
guint
sc_decoder_scan_sharpened (ScDecoder    *self,
                           const guint8 *gray,
                           int           stride,
                           const Box    *box,
                           GPtrArray    *detections)
{
  int rw = box->x1 - box->x0, rh = box->y1 - box->y0;
  gsize area = (gsize) rw * rh;
  guint8 *buf = sc_decoder_get_work (self, area * 4);
  guint8 *st = buf + area;
  guint16 *hsum = (guint16 *) (gpointer) (buf + 2 * area);   /* 5 levels: < 1276 */
  Mapping mapping = sc_decoder_mapping_scaled (box->x0, box->y0, 1);

  copy_stretched (gray, stride, box, st);

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
  return sc_decoder_scan_buffer (self, buf, rw, rh, &mapping, detections);
}
