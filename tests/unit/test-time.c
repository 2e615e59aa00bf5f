/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>

#include "sc-time.h"

static gint64
unix_at (GTimeZone *tz,
         int        year,
         int        month,
         int        day,
         int        hour,
         int        minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, year, month, day, hour, minute, 0);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static void
test_now (void)
{
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 now = sc_time_now_unix ();

  g_test_summary ("sc_time_now_unix is the wall clock in seconds");

  g_assert_cmpint (now, >=, before);
  g_assert_cmpint (now, <=, g_get_real_time () / G_USEC_PER_SEC);
}

static void
test_zone (void)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GTimeZone) none = sc_time_zone_new (NULL);
  g_autoptr(GTimeZone) unknown = sc_time_zone_new ("Nowhere/Atlantis");
  g_autoptr(GTimeZone) offset = sc_time_zone_new ("+08:00");

  g_test_summary ("sc_time_zone_new: the named zone, else the local one, never NULL");

  g_assert_nonnull (none);
  g_assert_cmpstr (g_time_zone_get_identifier (none), ==, g_time_zone_get_identifier (local));
  g_assert_nonnull (unknown);
  g_assert_cmpstr (g_time_zone_get_identifier (unknown), ==, g_time_zone_get_identifier (local));
  g_assert_cmpint (g_time_zone_get_offset (offset, 0), ==, 8 * 3600);
}

static void
test_day_start (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  gint64 midnight = unix_at (tz, 2024, 5, 1, 0, 0);
  gint64 left = 0;

  g_test_summary ("sc_time_day_start: local midnight of the day holding now, and the "
                  "seconds until the next one");

  g_assert_cmpint (sc_time_day_start (tz, midnight + 9 * 3600, &left), ==, midnight);
  g_assert_cmpint (left, ==, 15 * 3600);
  /* Midnight itself starts its day; a second before belongs to the day before. */
  g_assert_cmpint (sc_time_day_start (tz, midnight, &left), ==, midnight);
  g_assert_cmpint (left, ==, 24 * 3600);
  g_assert_cmpint (sc_time_day_start (tz, midnight - 1, &left), ==, midnight - 24 * 3600);
  g_assert_cmpint (left, ==, 1);
  /* 23:59 local is 15:59 UTC: still the local day, not the UTC one. */
  g_assert_cmpint (sc_time_day_start (tz, midnight + 24 * 3600 - 60, NULL), ==, midnight);
}

static void
test_day_start_no_midnight (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("America/Sao_Paulo");
  g_autoptr(GTimeZone) minus2 = g_time_zone_new_offset (-2 * 3600);
  g_autoptr(GTimeZone) minus3 = g_time_zone_new_offset (-3 * 3600);
  gint64 now, start, left = 0;

  g_test_summary ("sc_time_day_start on a day whose clocks skip midnight (DST from 00:00) "
                  "and on one that is 25 hours long");

  if (tz == NULL)
    {
      g_test_skip ("no tzdata for America/Sao_Paulo");
      return;
    }

  /* 2018-11-04: 00:00 -03 became 01:00 -02. */
  now = unix_at (minus2, 2018, 11, 4, 12, 0);
  start = sc_time_day_start (tz, now, &left);
  g_assert_cmpint (start, ==, unix_at (minus2, 2018, 11, 4, 1, 0));
  /* The next day is counted from this one's start (01:00), as the counter
   * always did: an hour late on such a day, never early. */
  g_assert_cmpint (now + left, ==, start + 24 * 3600);

  /* 2019-02-17: 00:00 -02 went back to 23:00 -03 on the 16th: that day has 25 hours. */
  now = unix_at (minus3, 2019, 2, 16, 23, 30);
  start = sc_time_day_start (tz, now, &left);
  g_assert_cmpint (start, ==, unix_at (minus2, 2019, 2, 16, 0, 0));
  g_assert_cmpint (now + left, ==, unix_at (minus3, 2019, 2, 17, 0, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/now", test_now);
  g_test_add_func ("/time/zone", test_zone);
  g_test_add_func ("/time/day-start", test_day_start);
  g_test_add_func ("/time/day-start/no-midnight", test_day_start_no_midnight);

  return g_test_run ();
}
