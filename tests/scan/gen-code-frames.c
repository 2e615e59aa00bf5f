/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gen-code-frames DIR NAME COUNT qr|code128|empty [PAYLOAD]: writes COUNT
 * copies of one 640x480 camera-like frame as DIR/NAME-NNN.png: PAYLOAD as a
 * QR or Code128 symbol on the generator's textured background, or no code.
 * For `store-counter --camera=files:DIR` (build-aux/run-demo). */
#include "config.h"

#include <string.h>

#include <qrencode.h>

#include "sc-test-frames.h"

static void
fill (ScTestFrame *frame,
      int          x0,
      int          y0,
      int          w,
      int          h,
      guint8       v)
{
  for (int y = MAX (y0, 0); y < MIN (y0 + h, frame->height); y++)
    for (int x = MAX (x0, 0); x < MIN (x0 + w, frame->width); x++)
      frame->gray[(gsize) y * frame->width + x] = v;
}

static gboolean
draw_qr (ScTestFrame *frame,
         const char  *payload)
{
  QRcode *qr = QRcode_encodeString (payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  int module, size, x0, y0;

  if (qr == NULL)
    return FALSE;
  module = MIN (6, (frame->height - 16) / (qr->width + 8));
  size = (qr->width + 8) * module;
  x0 = (frame->width - size) / 2;
  y0 = (frame->height - size) / 2;
  fill (frame, x0, y0, size, size, 230);
  for (int my = 0; my < qr->width; my++)
    for (int mx = 0; mx < qr->width; mx++)
      if (qr->data[my * qr->width + mx] & 1)
        fill (frame, x0 + (mx + 4) * module, y0 + (my + 4) * module, module, module, 25);
  QRcode_free (qr);
  return TRUE;
}

static gboolean
draw_code128 (ScTestFrame *frame,
              const char  *payload)
{
  g_autofree char *modules = sc_test_code128_modules (payload);
  int n, module, w, h, x0, y0;

  if (modules == NULL)
    return FALSE;
  n = (int) strlen (modules) + 20;   /* quiet zones */
  module = MIN (3, (frame->width - 16) / n);
  if (module < 1)
    return FALSE;
  w = n * module;
  h = MAX (80, w / 4);
  x0 = (frame->width - w) / 2;
  y0 = (frame->height - h) / 2;
  fill (frame, x0, y0, w, h, 230);
  for (int i = 0; modules[i] != '\0'; i++)
    if (modules[i] == '1')
      fill (frame, x0 + (i + 10) * module, y0, module, h, 25);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(ScTestFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  const char *dir, *name, *kind, *payload;
  guint count;

  if (argc < 5 || argc > 6 || (g_strcmp0 (argv[4], "empty") != 0 && argc != 6))
    {
      g_printerr ("Usage: %s DIR NAME COUNT qr|code128|empty [PAYLOAD]\n", argv[0]);
      return 2;
    }
  dir = argv[1];
  name = argv[2];
  count = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  kind = argv[4];
  payload = argc == 6 ? argv[5] : NULL;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_printerr ("Cannot create %s\n", dir);
      return 2;
    }

  frame = sc_test_frame_new_empty (g_str_hash (name) % 1000, 640, 480);
  if ((g_str_equal (kind, "qr") && !draw_qr (frame, payload)) ||
      (g_str_equal (kind, "code128") && !draw_code128 (frame, payload)) ||
      (!g_str_equal (kind, "qr") && !g_str_equal (kind, "code128") &&
       !g_str_equal (kind, "empty")))
    {
      g_printerr ("Cannot draw “%s” as %s\n", payload != NULL ? payload : "", kind);
      return 2;
    }

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s-%03u.png", name, i);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      if (!sc_test_frame_save (frame, path, "png", &error))
        {
          g_printerr ("%s: %s\n", path, error->message);
          return 1;
        }
    }
  return 0;
}
