/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "sc-secret.h"

static void
test_equal (void)
{
  const guint8 a[] = { 1, 2, 3, 4 };
  const guint8 b[] = { 1, 2, 3, 5 };

  g_test_summary ("sc_secret_equal compares whole strings, NULL equals only NULL");

  g_assert_true (sc_secret_equal ("1234", "1234"));
  g_assert_true (sc_secret_equal ("", ""));
  g_assert_true (sc_secret_equal (NULL, NULL));
  g_assert_false (sc_secret_equal ("1234", "1235"));
  g_assert_false (sc_secret_equal ("1234", "123"));
  g_assert_false (sc_secret_equal ("123", "1234"));
  /* A prefix repeated is not the same secret. */
  g_assert_false (sc_secret_equal ("12", "1212"));
  g_assert_false (sc_secret_equal ("", "0"));
  g_assert_false (sc_secret_equal ("1234", NULL));
  g_assert_false (sc_secret_equal (NULL, ""));

  g_assert_true (sc_secret_equal_bytes (a, a, sizeof a));
  g_assert_false (sc_secret_equal_bytes (a, b, sizeof a));
  g_assert_true (sc_secret_equal_bytes (a, b, 3));
}

static void
test_wipe (void)
{
  char buf[8] = "1234567";

  g_test_summary ("sc_secret_wipe zeroes every byte");

  sc_secret_wipe (buf, sizeof buf);
  for (gsize i = 0; i < sizeof buf; i++)
    g_assert_cmpint (buf[i], ==, 0);
  /* NULL and empty are fine. */
  sc_secret_wipe (NULL, 4);
  sc_secret_free (NULL);
  sc_secret_free (g_strdup ("1234"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secret/equal", test_equal);
  g_test_add_func ("/secret/wipe", test_wipe);

  return g_test_run ();
}
