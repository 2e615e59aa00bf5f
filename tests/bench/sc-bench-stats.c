/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-bench-stats.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

void
sc_bench_sort (GArray *ms)
{
  g_array_sort (ms, compare_double);
}

double
sc_bench_percentile (GArray *sorted,
                     double  q)
{
  guint i = (guint) (sorted->len * q);

  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}
