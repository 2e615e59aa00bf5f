/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The amounts a clerk types: full-width digits and full stops are folded
 * (with sc_code_fold_width, shared with the code parser). */
#include "config.h"

#include <glib.h>

#include "sc-app-util.h"

static void
test_parse_yuan (void)
{
  const struct {
    const char *text;
    gboolean    ok;
    gint64      fen;
  } cases[] = {
    { "58", TRUE, 5800 },
    { "58.5", TRUE, 5850 },
    { "58.50", TRUE, 5850 },
    { "５８", TRUE, 5800 },
    { "５８．５", TRUE, 5850 },
    { "５８。５０", TRUE, 5850 },
    { " ０.０１ ", TRUE, 1 },
    /* Full-width letters fold to ASCII letters: still not an amount. */
    { "５ａ", FALSE, 0 },
    { "Ａ", FALSE, 0 },
    /* Neighbours of the folded ranges are not digits. */
    { "５／８", FALSE, 0 },
    { "５：８", FALSE, 0 },
    { "58.505", FALSE, 0 },
    { "", FALSE, 0 },
    { "-1", FALSE, 0 },
  };

  g_test_summary ("sc_app_parse_yuan folds full-width digits and full stops, and only those");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 fen = -1;
      gboolean ok = sc_app_parse_yuan (cases[i].text, &fen);

      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (fen, ==, cases[i].fen);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app-util/parse-yuan", test_parse_yuan);

  return g_test_run ();
}
