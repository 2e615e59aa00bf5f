/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the benchmarks' figures share: timings in ms (doubles) sorted, and
 * read at a quantile. */

/* Sorts @ms (element-type double) ascending. */
void   sc_bench_sort       (GArray *ms);
/* The value at quantile @q (0 to 1) of @sorted (element-type double, sorted,
 * not empty): the element at len × @q, or the last one. */
double sc_bench_percentile (GArray *sorted,
                            double  q);

G_END_DECLS
