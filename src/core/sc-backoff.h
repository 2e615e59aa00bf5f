/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ScBackoff: how long to wait before trying again, the one algorithm for
 * the health probe (sc-connectivity) and the outbox (sc-sync).
 *
 * The delay before retry @attempt (0: the first) is @base doubled @attempt
 * times, at most @cap, then multiplied by a random factor in
 * [@jitter_min, @jitter_max] so that counters that lost the platform
 * together do not all come back in the same second, and never more than
 * @limit (0: no limit). Units are the caller's (ms here).
 */
typedef struct
{
  guint  base;
  guint  cap;
  double jitter_min;
  double jitter_max;
  guint  limit;
} ScBackoff;

/* The nominal delay of @attempt, before jitter. */
guint sc_backoff_nominal (const ScBackoff *backoff,
                          guint            attempt);
/* The delay of @attempt, jittered. */
guint sc_backoff_delay   (const ScBackoff *backoff,
                          guint            attempt);

G_END_DECLS
