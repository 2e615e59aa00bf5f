/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-test-frames.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <math.h>
#include <qrencode.h>
#include <string.h>
#include <zbar.h>

/* Code128 patterns: bar/space widths of values 0..105; 106 is STOP. */
static const char *const code128_patterns[107] = {
  "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312",
  "132212", "221213", "221312", "231212", "112232", "122132", "122231", "113222",
  "123122", "123221", "223211", "221132", "221231", "213212", "223112", "312131",
  "311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321",
  "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
  "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121",
  "313121", "211331", "231131", "213113", "213311", "213131", "311123", "311321",
  "331121", "312113", "312311", "332111", "314111", "221411", "431111", "111224",
  "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
  "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
  "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112",
  "421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113",
  "114311", "411113", "411311", "113141", "114131", "311141", "411131", "211412",
  "211214", "211232", "2331112",
};

enum {
  C128_CODE_C = 99,
  C128_CODE_B = 100,
  C128_START_B = 104,
  C128_START_C = 105,
  C128_STOP = 106,
};

static gsize
digit_run (const char *s)
{
  gsize n = 0;

  while (g_ascii_isdigit (s[n]))
    n++;
  return n;
}

char *
sc_test_code128_modules (const char *payload)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GString) modules = g_string_new (NULL);
  const char *p = payload;
  gboolean in_c;
  int v, checksum;

  g_return_val_if_fail (payload != NULL && *payload != '\0', NULL);

  for (const char *q = payload; *q != '\0'; q++)
    {
      if ((guchar) *q < 32 || (guchar) *q > 126)
        return NULL;
    }

  /* Start in C for a leading run of >= 4 digits (all digits: even count),
   * switch to C for inner runs of >= 6 digits (>= 4 at the end). */
  in_c = digit_run (p) >= 4 && (digit_run (p) % 2 == 0 || p[digit_run (p)] != '\0');
  v = in_c ? C128_START_C : C128_START_B;
  g_array_append_val (values, v);

  while (*p != '\0')
    {
      gsize run = digit_run (p);

      if (in_c)
        {
          if (run >= 2)
            {
              v = (p[0] - '0') * 10 + (p[1] - '0');
              g_array_append_val (values, v);
              p += 2;
              continue;
            }
          v = C128_CODE_B;
          g_array_append_val (values, v);
          in_c = FALSE;
          continue;
        }

      if ((run >= 6 || (run >= 4 && p[run] == '\0')))
        {
          /* An odd run keeps its first digit in B. */
          if (run % 2 == 1)
            {
              v = *p - 32;
              g_array_append_val (values, v);
              p++;
            }
          v = C128_CODE_C;
          g_array_append_val (values, v);
          in_c = TRUE;
          continue;
        }

      v = *p - 32;
      g_array_append_val (values, v);
      p++;
    }

  checksum = g_array_index (values, int, 0);
  for (guint i = 1; i < values->len; i++)
    checksum += (int) i * g_array_index (values, int, i);
  checksum %= 103;
  g_array_append_val (values, checksum);
  v = C128_STOP;
  g_array_append_val (values, v);

  for (guint i = 0; i < values->len; i++)
    {
      const char *pattern = code128_patterns[g_array_index (values, int, i)];

      for (int e = 0; pattern[e] != '\0'; e++)
        {
          for (int k = 0; k < pattern[e] - '0'; k++)
            g_string_append_c (modules, e % 2 == 0 ? '1' : '0');
        }
    }

  return g_string_free (g_steal_pointer (&modules), FALSE);
}

const char *
sc_frame_set_name (ScFrameSet set)
{
  static const char *const names[] = {
    "clean", "noise8", "noise20", "blur", "rotated", "low-contrast", "low-light", "jpeg",
  };

  g_return_val_if_fail (set < SC_FRAME_N_SETS, "?");
  return names[set];
}

static char
luhn_check_digit (const char *digits,
                  int         len)
{
  int sum = 0;

  /* Doubling starts with the rightmost of the given digits. */
  for (int i = len - 1, dbl = 1; i >= 0; i--, dbl = !dbl)
    {
      int d = digits[i] - '0';

      if (dbl)
        {
          d *= 2;
          if (d > 9)
            d -= 9;
        }
      sum += d;
    }
  return (char) ('0' + (10 - sum % 10) % 10);
}

char *
sc_test_payload (guint index,
                 int   kind)
{
  static const char first_digits[] = "123568";
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5c0de + index * 131 + (guint) kind);
  char code[13];
  GString *hex;

  code[0] = first_digits[g_rand_int_range (rand, 0, 6)];
  for (int i = 1; i < 11; i++)
    code[i] = (char) ('0' + g_rand_int_range (rand, 0, 10));
  code[11] = luhn_check_digit (code, 11);
  code[12] = '\0';

  switch (kind)
    {
    case 0:
      return g_strdup (code);
    case 1:
      return g_strdup_printf ("https://t.example.cn/p/%s?code=%s", code, code);
    default:
      hex = g_string_new (NULL);
      for (int i = 0; i < 32; i++)
        g_string_append_printf (hex, "%02x", (guint) g_rand_int_range (rand, 0, 256));
      {
        g_autofree char *sig = g_string_free (hex, FALSE);

        return g_strdup_printf ("SC1:%s:%u:%s", code,
                                (guint) (1700000000 + g_rand_int_range (rand, 0, 30000000)),
                                sig);
      }
    }
}

static double
gauss (GRand *rand)
{
  double u1 = g_rand_double (rand);
  double u2 = g_rand_double (rand);

  if (u1 < 1e-12)
    u1 = 1e-12;
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static guint8
clamp_u8 (double v)
{
  if (v <= 0.0)
    return 0;
  if (v >= 255.0)
    return 255;
  return (guint8) (v + 0.5);
}

/* A gradient, low-frequency blotches and fine grain, like a counter top. */
static void
draw_background (guint8 *gray,
                 int     w,
                 int     h,
                 GRand  *rand)
{
  const int cell = 48;
  int gw = w / cell + 2, gh = h / cell + 2;
  g_autofree double *grid = g_new (double, (gsize) gw * gh);
  double base = g_rand_double_range (rand, 90, 170);
  double gx = g_rand_double_range (rand, -60, 60) / w;
  double gy = g_rand_double_range (rand, -60, 60) / h;

  for (int i = 0; i < gw * gh; i++)
    grid[i] = g_rand_double_range (rand, -28, 28);

  for (int y = 0; y < h; y++)
    {
      int cy = y / cell;
      double fy = (double) (y % cell) / cell;

      for (int x = 0; x < w; x++)
        {
          int cx = x / cell;
          double fx = (double) (x % cell) / cell;
          double blotch =
            grid[cy * gw + cx] * (1 - fx) * (1 - fy) + grid[cy * gw + cx + 1] * fx * (1 - fy) +
            grid[(cy + 1) * gw + cx] * (1 - fx) * fy + grid[(cy + 1) * gw + cx + 1] * fx * fy;
          double grain = g_rand_double_range (rand, -6, 6);

          gray[(gsize) y * w + x] = clamp_u8 (base + gx * x + gy * y + blotch + grain);
        }
    }
}

static void
fill_rect (guint8 *gray, int w, int h, int x0, int y0, int x1, int y1, guint8 v)
{
  x0 = CLAMP (x0, 0, w);
  x1 = CLAMP (x1, 0, w);
  y0 = CLAMP (y0, 0, h);
  y1 = CLAMP (y1, 0, h);
  for (int y = y0; y < y1; y++)
    memset (gray + (gsize) y * w + x0, v, (gsize) MAX (x1 - x0, 0));
}

/* Marks that look a little like codes or print: stripes, blocks, text. */
static void
draw_clutter (guint8 *gray,
              int     w,
              int     h,
              GRand  *rand)
{
  int n = g_rand_int_range (rand, 2, 6);

  for (int i = 0; i < n; i++)
    {
      int kind = g_rand_int_range (rand, 0, 3);
      int x0 = g_rand_int_range (rand, 0, w - 40);
      int y0 = g_rand_int_range (rand, 0, h - 40);
      guint8 ink = (guint8) g_rand_int_range (rand, 10, 70);

      if (kind == 0)
        {
          /* random stripes */
          int x = x0, bar_h = g_rand_int_range (rand, 30, 120);
          int end = x0 + g_rand_int_range (rand, 60, 300);

          while (x < end)
            {
              int bw = g_rand_int_range (rand, 1, 9);

              if (g_rand_boolean (rand))
                fill_rect (gray, w, h, x, y0, x + bw, y0 + bar_h, ink);
              x += bw;
            }
        }
      else if (kind == 1)
        {
          /* random module blocks */
          int m = g_rand_int_range (rand, 2, 7), n_mod = g_rand_int_range (rand, 10, 40);

          fill_rect (gray, w, h, x0 - 2 * m, y0 - 2 * m, x0 + (n_mod + 2) * m,
                     y0 + (n_mod + 2) * m, 230);
          for (int my = 0; my < n_mod; my++)
            for (int mx = 0; mx < n_mod; mx++)
              if (g_rand_boolean (rand))
                fill_rect (gray, w, h, x0 + mx * m, y0 + my * m, x0 + (mx + 1) * m,
                           y0 + (my + 1) * m, ink);
        }
      else
        {
          /* lines of "text" */
          int lines = g_rand_int_range (rand, 2, 6), ch = g_rand_int_range (rand, 8, 20);

          for (int l = 0; l < lines; l++)
            for (int c = 0; c < 20; c++)
              {
                int cx = x0 + c * ch;
                int cy = y0 + l * ch * 2;

                fill_rect (gray, w, h, cx, cy, cx + ch / 4 + 1, cy + ch, ink);
                if (g_rand_boolean (rand))
                  fill_rect (gray, w, h, cx, cy, cx + ch * 3 / 4, cy + ch / 5 + 1, ink);
              }
        }
    }
}

static void
add_noise (guint8 *gray, int w, int h, double sigma, GRand *rand)
{
  for (gsize i = 0; i < (gsize) w * h; i++)
    gray[i] = clamp_u8 (gray[i] + sigma * gauss (rand));
}

static void
gaussian_blur (guint8 *gray, int w, int h, double sigma)
{
  int r = (int) ceil (3 * sigma);
  g_autofree double *k = g_new (double, 2 * r + 1);
  g_autofree double *tmp = g_new (double, (gsize) w * h);
  double sum = 0;

  for (int i = -r; i <= r; i++)
    {
      k[i + r] = exp (-(i * i) / (2 * sigma * sigma));
      sum += k[i + r];
    }
  for (int i = 0; i <= 2 * r; i++)
    k[i] /= sum;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double acc = 0;

        for (int i = -r; i <= r; i++)
          acc += k[i + r] * gray[(gsize) y * w + CLAMP (x + i, 0, w - 1)];
        tmp[(gsize) y * w + x] = acc;
      }
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double acc = 0;

        for (int i = -r; i <= r; i++)
          acc += k[i + r] * tmp[(gsize) CLAMP (y + i, 0, h - 1) * w + x];
        gray[(gsize) y * w + x] = clamp_u8 (acc);
      }
}

/* Bilinear rotation of the whole frame about (cx, cy). */
static void
rotate (guint8 *gray, int w, int h, double degrees, double cx, double cy)
{
  g_autofree guint8 *src = g_memdup2 (gray, (gsize) w * h);
  double c = cos (degrees * G_PI / 180), s = sin (degrees * G_PI / 180);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double sx = c * (x - cx) + s * (y - cy) + cx;
        double sy = -s * (x - cx) + c * (y - cy) + cy;
        int x0, y0;
        double fx, fy, v;

        sx = CLAMP (sx, 0, w - 1.001);
        sy = CLAMP (sy, 0, h - 1.001);
        x0 = (int) sx;
        y0 = (int) sy;
        fx = sx - x0;
        fy = sy - y0;
        v = src[(gsize) y0 * w + x0] * (1 - fx) * (1 - fy) +
            src[(gsize) y0 * w + x0 + 1] * fx * (1 - fy) +
            src[(gsize) (y0 + 1) * w + x0] * (1 - fx) * fy +
            src[(gsize) (y0 + 1) * w + x0 + 1] * fx * fy;
        gray[(gsize) y * w + x] = clamp_u8 (v);
      }
}

static GdkPixbuf *
gray_to_pixbuf (const guint8 *gray, int w, int h)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      memset (pixels + (gsize) y * rowstride + x * 3, gray[(gsize) y * w + x], 3);
  return pixbuf;
}

static void
jpeg_roundtrip (guint8 *gray, int w, int h, int quality)
{
  g_autoptr(GdkPixbuf) pixbuf = gray_to_pixbuf (gray, w, h);
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
  g_autofree char *buffer = NULL;
  g_autofree char *q = g_strdup_printf ("%d", quality);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *decoded;
  gsize size;
  int rowstride, n_channels;
  const guint8 *pixels;

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", q, NULL) ||
      !gdk_pixbuf_loader_write (loader, (const guint8 *) buffer, size, &error) ||
      !gdk_pixbuf_loader_close (loader, &error))
    g_error ("JPEG round trip failed: %s", error->message);

  decoded = gdk_pixbuf_loader_get_pixbuf (loader);
  rowstride = gdk_pixbuf_get_rowstride (decoded);
  n_channels = gdk_pixbuf_get_n_channels (decoded);
  pixels = gdk_pixbuf_read_pixels (decoded);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      gray[(gsize) y * w + x] = pixels[(gsize) y * rowstride + x * n_channels + 1];
}

static void
draw_symbol (ScTestFrame *frame,
             GRand       *rand,
             int          kind,
             int          module_px,
             guint        index)
{
  int w = frame->width, h = frame->height;
  guint8 paper = (guint8) g_rand_int_range (rand, 205, 240);
  guint8 ink = (guint8) g_rand_int_range (rand, 15, 50);
  int sym_w, sym_h, x0, y0;
  int n_mod;
  g_autofree char *modules = NULL;
  QRcode *qr = NULL;
  gboolean vertical = (kind == 4);

  if (kind == 1 || kind == 4)
    {
      int m, bar_h;

      frame->symbology = SC_SYMBOLOGY_CODE128;
      frame->payload = sc_test_payload (index, 0);
      modules = sc_test_code128_modules (frame->payload);
      n_mod = (int) strlen (modules) + 20;   /* quiet zones */
      m = MIN (module_px, ((vertical ? h : w) - 16) / n_mod);
      module_px = MAX (m, 1);
      sym_w = n_mod * module_px;
      bar_h = MAX (60, sym_w / 4);
      sym_h = bar_h;
    }
  else
    {
      frame->symbology = SC_SYMBOLOGY_QR;
      frame->payload = sc_test_payload (index, kind == 0 ? 0 : kind == 2 ? 1 : 2);
      qr = QRcode_encodeString (frame->payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
      g_assert_nonnull (qr);
      n_mod = qr->width + 8;
      module_px = MIN (module_px, (MIN (w, h) - 16) / n_mod);
      sym_w = sym_h = n_mod * module_px;
    }
  frame->module_px = module_px;

  if (vertical)
    {
      int t = sym_w;

      sym_w = sym_h;
      sym_h = t;
    }

  x0 = g_rand_int_range (rand, 8, MAX (9, w - sym_w - 8));
  y0 = g_rand_int_range (rand, 8, MAX (9, h - sym_h - 8));
  frame->cx = x0 + sym_w / 2;
  frame->cy = y0 + sym_h / 2;

  fill_rect (frame->gray, w, h, x0, y0, x0 + sym_w, y0 + sym_h, paper);

  if (qr != NULL)
    {
      for (int my = 0; my < qr->width; my++)
        for (int mx = 0; mx < qr->width; mx++)
          if (qr->data[my * qr->width + mx] & 1)
            fill_rect (frame->gray, w, h, x0 + (mx + 4) * module_px, y0 + (my + 4) * module_px,
                       x0 + (mx + 5) * module_px, y0 + (my + 5) * module_px, ink);
      QRcode_free (qr);
    }
  else
    {
      for (int i = 0; modules[i] != '\0'; i++)
        {
          int a = (i + 10) * module_px;

          if (modules[i] != '1')
            continue;
          if (vertical)
            fill_rect (frame->gray, w, h, x0, y0 + a, x0 + sym_w, y0 + a + module_px, ink);
          else
            fill_rect (frame->gray, w, h, x0 + a, y0, x0 + a + module_px, y0 + sym_h, ink);
        }
    }
}

ScTestFrame *
sc_test_frame_new_code (ScFrameSet set,
                        guint      index)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0xf00d + set * 1000003u + index * 7919u);
  ScTestFrame *frame = g_new0 (ScTestFrame, 1);
  gboolean big = index % 2 == 1;
  int kind = (int) (index / 2) % 5;
  int module_px = 2 + (int) (index / 10) % 5;

  frame->width = big ? 1280 : 640;
  frame->height = big ? 720 : 480;
  frame->gray = g_malloc ((gsize) frame->width * frame->height);
  draw_background (frame->gray, frame->width, frame->height, rand);
  draw_symbol (frame, rand, kind, module_px, index);

  switch (set)
    {
    case SC_FRAME_SET_CLEAN:
      break;
    case SC_FRAME_SET_NOISE8:
      add_noise (frame->gray, frame->width, frame->height, 8, rand);
      break;
    case SC_FRAME_SET_NOISE20:
      add_noise (frame->gray, frame->width, frame->height, 20, rand);
      break;
    case SC_FRAME_SET_BLUR:
      gaussian_blur (frame->gray, frame->width, frame->height, 1.5 + (index % 11) * 0.1);
      break;
    case SC_FRAME_SET_ROTATED:
      rotate (frame->gray, frame->width, frame->height,
              (10 + (int) (index * 7 % 11)) * (index % 3 == 0 ? -1 : 1),
              frame->cx, frame->cy);
      break;
    case SC_FRAME_SET_LOW_CONTRAST:
      for (gsize i = 0; i < (gsize) frame->width * frame->height; i++)
        frame->gray[i] = (guint8) (108 + frame->gray[i] * 40 / 255);
      break;
    case SC_FRAME_SET_LOW_LIGHT:
      for (gsize i = 0; i < (gsize) frame->width * frame->height; i++)
        frame->gray[i] = (guint8) (4 + frame->gray[i] * 40 / 255);
      add_noise (frame->gray, frame->width, frame->height, 3, rand);
      break;
    case SC_FRAME_SET_JPEG:
      add_noise (frame->gray, frame->width, frame->height, 3, rand);
      jpeg_roundtrip (frame->gray, frame->width, frame->height, 30 + (int) (index * 3 % 21));
      break;
    default:
      g_assert_not_reached ();
    }

  return frame;
}

ScTestFrame *
sc_test_frame_new_empty (guint index,
                         int   width,
                         int   height)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0xe3e3 + index * 104729u + (guint) width);
  ScTestFrame *frame = g_new0 (ScTestFrame, 1);

  frame->width = width;
  frame->height = height;
  frame->gray = g_malloc ((gsize) width * height);
  draw_background (frame->gray, width, height, rand);

  switch (index % 5)
    {
    case 0:
      break;
    case 1:
      add_noise (frame->gray, width, height, 8, rand);
      break;
    case 2:
      add_noise (frame->gray, width, height, 20, rand);
      break;
    case 3:
      draw_clutter (frame->gray, width, height, rand);
      add_noise (frame->gray, width, height, 8, rand);
      break;
    default:
      draw_clutter (frame->gray, width, height, rand);
      gaussian_blur (frame->gray, width, height, 1.0);
      add_noise (frame->gray, width, height, 20, rand);
      break;
    }
  return frame;
}

void
sc_test_frame_free (ScTestFrame *frame)
{
  if (frame == NULL)
    return;
  g_free (frame->gray);
  g_free (frame->payload);
  g_free (frame);
}

gboolean
sc_test_frame_save (ScTestFrame *frame,
                    const char  *path,
                    const char  *type,
                    GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (g_str_equal (type, "pgm"))
    {
      g_autofree char *header = g_strdup_printf ("P5\n%d %d\n255\n", frame->width, frame->height);
      gsize hlen = strlen (header);
      gsize size = hlen + (gsize) frame->width * frame->height;
      g_autofree guint8 *contents = g_malloc (size);

      memcpy (contents, header, hlen);
      memcpy (contents + hlen, frame->gray, size - hlen);
      return g_file_set_contents (path, (const char *) contents, (gssize) size, error);
    }

  pixbuf = gray_to_pixbuf (frame->gray, frame->width, frame->height);
  if (g_str_equal (type, "jpeg"))
    return gdk_pixbuf_save (pixbuf, path, "jpeg", error, "quality", "90", NULL);
  return gdk_pixbuf_save (pixbuf, path, type, error, NULL);
}

GPtrArray *
sc_test_raw_zbar_decode (const guint8 *gray,
                         int           width,
                         int           height)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  zbar_image_scanner_t *scanner = zbar_image_scanner_create ();
  zbar_image_t *image = zbar_image_create ();

  zbar_image_scanner_set_config (scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (scanner, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (scanner, ZBAR_EAN13, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_enable_cache (scanner, 0);

  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, width, height);
  zbar_image_set_data (image, gray, (unsigned long) width * height, NULL);
  if (zbar_scan_image (scanner, image) > 0)
    {
      for (const zbar_symbol_t *s = zbar_image_first_symbol (image); s != NULL;
           s = zbar_symbol_next (s))
        g_ptr_array_add (found, g_strndup (zbar_symbol_get_data (s),
                                           zbar_symbol_get_data_length (s)));
    }

  zbar_image_destroy (image);
  zbar_image_scanner_destroy (scanner);
  return found;
}

/* ---- a picture too big to decode ---- */

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         len)
{
  static guint32 table[256];

  if (table[1] == 0)
    for (guint32 n = 0; n < 256; n++)
      {
        guint32 c = n;

        for (int k = 0; k < 8; k++)
          c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
      }
  for (gsize i = 0; i < len; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static void
put_be32 (GByteArray *out,
          guint32     v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (out, b, 4);
}

static void
put_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  guint32 crc = 0xffffffffu;

  put_be32 (out, (guint32) len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  g_byte_array_append (out, data, (guint) len);
  crc = crc32_update (crc, (const guint8 *) type, 4);
  crc = crc32_update (crc, data, len);
  put_be32 (out, crc ^ 0xffffffffu);
}

void
sc_test_write_big_png (const char *path,
               guint32     width,
               guint32     height)
{
  g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GByteArray) idat = g_byte_array_new ();
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *row = g_malloc (width + 1);
  guint8 buf[65536];
  guint8 ihdr[13];

  memset (row, 0xff, width + 1);
  row[0] = 0;   /* filter: none */
  for (guint32 y = 0; y <= height; y++)
    {
      gboolean last = y == height;
      gsize in_off = 0;
      gsize in_len = last ? 0 : width + 1;
      GConverterResult res;

      do
        {
          gsize read = 0, written = 0;

          res = g_converter_convert (G_CONVERTER (zlib), row + in_off, in_len - in_off,
                                     buf, sizeof buf,
                                     last ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                     &read, &written, &error);
          g_assert_no_error (error);
          in_off += read;
          g_byte_array_append (idat, buf, (guint) written);
        }
      while (last ? res != G_CONVERTER_FINISHED : in_off < in_len);
    }

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  ihdr[0] = width >> 24; ihdr[1] = width >> 16; ihdr[2] = width >> 8; ihdr[3] = width;
  ihdr[4] = height >> 24; ihdr[5] = height >> 16; ihdr[6] = height >> 8; ihdr[7] = height;
  ihdr[8] = 8;    /* bits */
  ihdr[9] = 0;    /* gray */
  ihdr[10] = ihdr[11] = ihdr[12] = 0;
  put_chunk (png, "IHDR", ihdr, sizeof ihdr);
  put_chunk (png, "IDAT", idat->data, idat->len);
  put_chunk (png, "IEND", NULL, 0);
  g_assert_true (g_file_set_contents (path, (const char *) png->data, png->len, &error));
  g_assert_no_error (error);
}
