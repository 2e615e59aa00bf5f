/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-time: now, a store's time zone and the start of its day. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The wall clock in unix seconds. */
gint64      sc_time_now_unix       (void);

/* The zone named @identifier (an IANA name), or the local zone when
 * @identifier is NULL or not known here. Never NULL. */
GTimeZone  *sc_time_zone_new       (const char *identifier);

/* When the day in @tz that holds @now (unix s) began, in unix s; and in
 * @out_seconds_left (nullable) how many seconds until the next one begins,
 * at least 1. Where a zone has no local midnight that day (DST starting at
 * 00:00) the day begins at the first local time after it. */
gint64      sc_time_day_start      (GTimeZone  *tz,
                                    gint64      now,
                                    gint64     *out_seconds_left);

G_END_DECLS
