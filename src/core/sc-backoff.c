/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-backoff.h"

guint
sc_backoff_nominal (const ScBackoff *backoff,
                    guint            attempt)
{
  double nominal;

  g_return_val_if_fail (backoff != NULL, 0);

  nominal = backoff->base;
  for (guint i = 0; i < attempt && nominal < backoff->cap; i++)
    nominal *= 2;
  return (guint) MIN (nominal, (double) backoff->cap);
}

guint
sc_backoff_delay (const ScBackoff *backoff,
                  guint            attempt)
{
  double delay;

  g_return_val_if_fail (backoff != NULL, 0);
  g_return_val_if_fail (backoff->jitter_min <= backoff->jitter_max, 0);

  delay = sc_backoff_nominal (backoff, attempt);
  if (backoff->jitter_min < backoff->jitter_max)
    delay *= g_random_double_range (backoff->jitter_min, backoff->jitter_max);
  else
    delay *= backoff->jitter_min;
  if (backoff->limit > 0)
    delay = MIN (delay, (double) backoff->limit);
  return (guint) delay;
}
