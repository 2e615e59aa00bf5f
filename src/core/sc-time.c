/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "sc-time.h"

gint64
sc_time_now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

GTimeZone *
sc_time_zone_new (const char *identifier)
{
  GTimeZone *tz = NULL;

  if (identifier != NULL)
    tz = g_time_zone_new_identifier (identifier);
  return tz != NULL ? tz : g_time_zone_new_local ();
}

gint64
sc_time_day_start (GTimeZone *tz,
                   gint64     now,
                   gint64    *out_seconds_left)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) next = NULL;

  g_return_val_if_fail (tz != NULL, now);

  utc = g_date_time_new_from_unix_utc (now);
  local = g_date_time_to_timezone (utc, tz);
  start = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                           g_date_time_get_day_of_month (local), 0, 0, 0);
  if (start == NULL)  /* no such local midnight: count back from now instead */
    start = g_date_time_add_full (local, 0, 0, 0, -g_date_time_get_hour (local),
                                  -g_date_time_get_minute (local),
                                  -g_date_time_get_seconds (local));
  next = g_date_time_add_days (start, 1);
  if (out_seconds_left != NULL)
    *out_seconds_left = MAX (g_date_time_to_unix (next) - now, 1);
  return g_date_time_to_unix (start);
}
