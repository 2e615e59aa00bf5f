/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScConnectivity: whether the platform answers (DESIGN §7), the health
 * probe that finds out when it is back, and the clock skew.
 *
 * "online" means the last platform request succeeded. A request that
 * fails with a network error, a timeout or a 5xx makes it offline
 * (sc_connectivity_note_error) and starts a `GET /v1/health` probe, 1 s,
 * 2 s, 4 s ... apart, at most 30 s, each ±20 % at random (sc-backoff). A
 * refused certificate stops the probe and leaves "online" as it was.
 *
 * Every health answer gives the platform's time: "clock-skew" is platform
 * minus local time in seconds (0 until known).
 *
 * Properties: "online", "probing" (offline and probing), "clock-skew"
 * (all read-only).
 * Signals: "back" when the platform answers again after the probe had
 * started (what waited for it can go now); "health" after each health
 * answer, before "online" follows it (the client knows the platform's id).
 */

#define SC_TYPE_CONNECTIVITY (sc_connectivity_get_type ())
G_DECLARE_FINAL_TYPE (ScConnectivity, sc_connectivity, SC, CONNECTIVITY, GObject)

/* Called each time a probe is scheduled: @attempt probes have failed since
 * going offline, the next goes in @delay_ms. */
typedef void (*ScConnectivityProbeFunc) (ScConnectivity *self,
                                         guint           attempt,
                                         guint           delay_ms,
                                         gpointer        user_data);

ScConnectivity *sc_connectivity_new             (ScPlatformClient *client);
gboolean        sc_connectivity_get_online      (ScConnectivity   *self);
gboolean        sc_connectivity_get_probing     (ScConnectivity   *self);
gint64          sc_connectivity_get_clock_skew  (ScConnectivity   *self);
/* TRUE when no health request is in flight. */
gboolean        sc_connectivity_is_idle         (ScConnectivity   *self);

/* GET /v1/health now (the clock check; while offline, the probe now). */
void            sc_connectivity_check           (ScConnectivity   *self);
/* A platform request succeeded, or answered at all. */
void            sc_connectivity_mark_reachable  (ScConnectivity   *self);
/* A platform request failed because the platform is away. */
void            sc_connectivity_mark_unreachable (ScConnectivity  *self);
/* A platform request failed with @error: away, certificate refused, or
 * answered (if not kindly); other domains are ignored. */
void            sc_connectivity_note_error      (ScConnectivity   *self,
                                                 const GError     *error);

/* For tests: the probe's first delay and its cap (default 1000 and
 * 30000 ms), and a hook called each time a probe is scheduled. */
void            sc_connectivity_set_probe_delays (ScConnectivity          *self,
                                                  guint                    base_ms,
                                                  guint                    cap_ms);
void            sc_connectivity_set_probe_func   (ScConnectivity          *self,
                                                  ScConnectivityProbeFunc  func,
                                                  gpointer                 user_data);

G_END_DECLS
