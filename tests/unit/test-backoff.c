/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-backoff.h"

static void
test_nominal (void)
{
  const ScBackoff backoff = { .base = 1000, .cap = 30000, .jitter_min = 0.8, .jitter_max = 1.2,
                              .limit = 30000 };
  const guint expected[] = { 1000, 2000, 4000, 8000, 16000, 30000, 30000 };

  g_test_summary ("The nominal delay doubles from the base and stops at the cap, "
                  "however many attempts (no overflow)");

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (sc_backoff_nominal (&backoff, i), ==, expected[i]);
  g_assert_cmpuint (sc_backoff_nominal (&backoff, 64), ==, 30000);
  g_assert_cmpuint (sc_backoff_nominal (&backoff, G_MAXUINT), ==, 30000);
}

static void
test_probe_jitter (void)
{
  const ScBackoff backoff = { .base = 40, .cap = 320, .jitter_min = 0.8, .jitter_max = 1.2,
                              .limit = 320 };
  gboolean below = FALSE;
  gboolean above = FALSE;

  g_test_summary ("The probe's delays: ±20 % around the nominal one, never past the cap");

  for (guint attempt = 0; attempt < 6; attempt++)
    {
      guint nominal = MIN (40u << attempt, 320u);

      for (guint i = 0; i < 200; i++)
        {
          guint delay = sc_backoff_delay (&backoff, attempt);

          g_assert_cmpuint (delay, >=, nominal * 8 / 10);
          g_assert_cmpuint (delay, <=, MIN (nominal * 12 / 10, 320u));
          below |= delay < nominal;
          above |= delay > nominal;
        }
    }
  /* Jittered both ways. */
  g_assert_true (below);
  g_assert_true (above);
}

static void
test_outbox_jitter (void)
{
  const ScBackoff backoff = { .base = 1000, .cap = 30000, .jitter_min = 1.0, .jitter_max = 1.5 };
  guint longest = 0;

  g_test_summary ("The outbox's delays: up to 50 % more than the nominal one, never less; "
                  "without a limit they may pass the cap");

  for (guint i = 0; i < 500; i++)
    {
      guint delay = sc_backoff_delay (&backoff, 1);

      g_assert_cmpuint (delay, >=, 2000);
      g_assert_cmpuint (delay, <=, 3000);
      delay = sc_backoff_delay (&backoff, 10);
      g_assert_cmpuint (delay, >=, 30000);
      g_assert_cmpuint (delay, <=, 45000);
      longest = MAX (longest, delay);
    }
  g_assert_cmpuint (longest, >, 30000);
}

static void
test_no_jitter (void)
{
  const ScBackoff backoff = { .base = 5, .cap = 100, .jitter_min = 1.0, .jitter_max = 1.0,
                              .limit = 50 };

  g_test_summary ("Without jitter the delay is the nominal one, cut at the limit");

  g_assert_cmpuint (sc_backoff_delay (&backoff, 0), ==, 5);
  g_assert_cmpuint (sc_backoff_delay (&backoff, 2), ==, 20);
  g_assert_cmpuint (sc_backoff_delay (&backoff, 4), ==, 50);
  g_assert_cmpuint (sc_backoff_nominal (&backoff, 4), ==, 80);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/backoff/nominal", test_nominal);
  g_test_add_func ("/backoff/probe-jitter", test_probe_jitter);
  g_test_add_func ("/backoff/outbox-jitter", test_outbox_jitter);
  g_test_add_func ("/backoff/no-jitter", test_no_jitter);

  return g_test_run ();
}
