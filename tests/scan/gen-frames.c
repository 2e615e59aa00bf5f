/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gen-frames OUTDIR [N]: writes the first N frames (default 50) of every
 * test set as OUTDIR/<set>-<index>.png, N no-code frames of each size as
 * OUTDIR/empty-<size>-<index>.png, one clean frame also as .pgm and .jpg,
 * and OUTDIR/manifest.tsv: "file<TAB>payload" ("-" for no code). */
#include "config.h"

#include <stdlib.h>

#include "sc-test-frames.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GString) manifest = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *manifest_path = NULL;
  const char *outdir;
  guint n = 50;

  if (argc < 2 || argc > 3)
    {
      g_printerr ("Usage: %s OUTDIR [N]\n", argv[0]);
      return 2;
    }
  outdir = argv[1];
  if (argc == 3)
    n = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  if (g_mkdir_with_parents (outdir, 0755) != 0)
    {
      g_printerr ("Cannot create %s\n", outdir);
      return 2;
    }

  for (ScFrameSet set = 0; set < SC_FRAME_N_SETS; set++)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(ScTestFrame) frame = sc_test_frame_new_code (set, i);
          g_autofree char *name = g_strdup_printf ("%s-%03u.png", sc_frame_set_name (set), i);
          g_autofree char *path = g_build_filename (outdir, name, NULL);

          if (!sc_test_frame_save (frame, path, "png", &error))
            {
              g_printerr ("%s: %s\n", path, error->message);
              return 1;
            }
          g_string_append_printf (manifest, "%s\t%s\n", name, frame->payload);
        }
    }

  for (int big = 0; big < 2; big++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(ScTestFrame) frame = sc_test_frame_new_empty (i, big ? 1280 : 640,
                                                                big ? 720 : 480);
        g_autofree char *name = g_strdup_printf ("empty-%s-%03u.png", big ? "720p" : "480p", i);
        g_autofree char *path = g_build_filename (outdir, name, NULL);

        if (!sc_test_frame_save (frame, path, "png", &error))
          {
            g_printerr ("%s: %s\n", path, error->message);
            return 1;
          }
        g_string_append_printf (manifest, "%s\t-\n", name);
      }

  {
    g_autoptr(ScTestFrame) frame = sc_test_frame_new_code (SC_FRAME_SET_CLEAN, 2);
    const char *types[][2] = { { "pgm", "clean-002.pgm" }, { "jpeg", "clean-002.jpg" } };

    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      {
        g_autofree char *path = g_build_filename (outdir, types[i][1], NULL);

        if (!sc_test_frame_save (frame, path, types[i][0], &error))
          {
            g_printerr ("%s: %s\n", path, error->message);
            return 1;
          }
        g_string_append_printf (manifest, "%s\t%s\n", types[i][1], frame->payload);
      }
  }

  manifest_path = g_build_filename (outdir, "manifest.tsv", NULL);
  if (!g_file_set_contents (manifest_path, manifest->str, (gssize) manifest->len, &error))
    {
      g_printerr ("%s: %s\n", manifest_path, error->message);
      return 1;
    }
  return EXIT_SUCCESS;
}
