/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replays every file of a fuzz target's corpus through its entry point, in
 * the normal build (and under ASan + UBSan in CI's second pass), so that the
 * committed corpus and each reproducer added to it is checked on every test
 * run. Usage: fuzz-replay-NAME CORPUS-DIR [--tap]. TAP output. */
#include "config.h"

#include <stdio.h>

#include "sc-fuzz.h"

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s CORPUS-DIR\n", argv[0]);
      return 2;
    }

  dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    {
      printf ("Bail out! %s\n", error->message);
      return 1;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  if (names->len == 0)
    {
      printf ("Bail out! %s holds no inputs\n", argv[1]);
      return 1;
    }

  printf ("1..%u\n", names->len);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (argv[1], g_ptr_array_index (names, i), NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &contents, &len, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, (char *) g_ptr_array_index (names, i),
                  error->message);
          g_clear_error (&error);
          continue;
        }

      /* A finding aborts here, with the file named just above in the log. */
      fprintf (stderr, "# %s\n", path);
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
      printf ("ok %u - %s\n", i + 1, (char *) g_ptr_array_index (names, i));
      fflush (stdout);
    }

  return 0;
}
