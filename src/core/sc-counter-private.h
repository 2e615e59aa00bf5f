/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-counter.h"

G_BEGIN_DECLS

/* For tests: the health probe's timing without waiting 30 s. */

/* Called each time a probe is scheduled: @attempt probes have failed since
 * the counter went offline, the next goes in @delay_ms. */
typedef void (*ScCounterProbeFunc) (ScCounter *self,
                                    guint      attempt,
                                    guint      delay_ms,
                                    gpointer   user_data);

/* The probe's first delay and its cap (default 1000 and 30000 ms). */
void     sc_counter_set_probe_delays (ScCounter          *self,
                                      guint               base_ms,
                                      guint               cap_ms);
void     sc_counter_set_probe_func   (ScCounter          *self,
                                      ScCounterProbeFunc  func,
                                      gpointer            user_data);
/* TRUE while offline and probing. */
gboolean sc_counter_get_probing      (ScCounter          *self);

G_END_DECLS
