/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash safety of the sync (DESIGN §7): 500 redemptions queued offline are
 * sent by `store-counter --sync`, which is killed with SIGKILL at random
 * points again and again and restarted, until a run finishes. The platform
 * must then hold each redemption exactly once, and the counter's log must
 * hold all of them as synced with an empty outbox.
 *
 * The kills come from a GRand with a seed printed in the log; set
 * SC_TEST_SEED to replay one. */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "sc-cache.h"
#include "sc-code.h"
#include "sc-test-cli.h"
#include "sc-test-counter.h"
#include "sc-test-keyring.h"
#include "sc-test-platform.h"

#define N_REDEMPTIONS   500
#define MIN_KILLS       20
#define MAX_KILLS       80
#define POLL_MS         10
#define RUN_DEADLINE_S  120

typedef ScTestCounterFixture Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->keyring = sc_test_keyring_up ();
  sc_test_counter_fixture_init (fixture, NULL, "sc-test-crash-XXXXXX");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sc_test_counter_fixture_clear (fixture);
}

/* ---- the platform's side ---- */

static gint64
platform_count (Fixture *fixture)
{
  g_autoptr(JsonObject) answer = NULL;

  answer = sc_test_platform_admin (fixture->platform, "GET",
                                   "/v1/admin/redemptions?store_id=1001&limit=0", NULL, 200);

  return json_object_get_int_member (answer, "count");
}

/* ---- the counter's side ---- */

/* ---- running store-counter --sync ---- */

static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn_sync (Fixture  *fixture,
            gboolean  capture)
{
  g_autofree char *err_path = g_build_filename (fixture->tmpdir, "stderr.txt", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_build_filename (fixture->tmpdir, "data", NULL);
  const char *args[] = { "--db", fixture->db_path, "--login", "1001:1", "--sync", NULL };
  GOutputStream *in;

  launcher = sc_test_cli_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                   (capture ? G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                              G_SUBPROCESS_FLAGS_STDERR_PIPE
                                            : G_SUBPROCESS_FLAGS_STDOUT_SILENCE), data_home);
  if (!capture)
    {
      const char *asan = g_getenv ("ASAN_OPTIONS");

      g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
      /* A run that gets killed never reports leaks: under AddressSanitizer
       * let it take the fast unwinder, so it starts in a sensible time. */
      if (asan != NULL)
        {
          g_autofree char *fast = g_strconcat (asan, ":fast_unwind_on_malloc=1", NULL);

          g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", fast, TRUE);
        }
    }
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  process = sc_test_cli_spawn (launcher, fixture->platform->url, args);

  if (!capture)
    {
      in = g_subprocess_get_stdin_pipe (process);
      g_output_stream_write_all (in, "1234\n", 5, NULL, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_close (in, NULL, &error);
      g_assert_no_error (error);
    }
  return g_steal_pointer (&process);
}

typedef struct
{
  Fixture     *fixture;
  GSubprocess *process;        /* (unowned) */
  gint64       started_us;
  gint64       base;           /* platform count before the run */
  gint64       first_us;       /* first change seen, 0: none yet */
  gint64       first_count;
  gint64       last_us;
  gint64       last_count;
  gboolean     exited;
  gboolean     kill_now;
  guint        kill_id;
  double       kill_after_s;   /* after the first change; < 0: after the start */
} Run;

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  run->exited = TRUE;
}

static gboolean
kill_cb (gpointer user_data)
{
  Run *run = user_data;

  run->kill_now = TRUE;
  run->kill_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
poll_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 count = platform_count (run->fixture);
  gint64 now = g_get_monotonic_time ();

  if (count != run->base && run->first_us == 0)
    {
      run->first_us = now;
      run->first_count = count;
      if (run->kill_after_s >= 0 && run->kill_id == 0)
        run->kill_id = g_timeout_add ((guint) (run->kill_after_s * 1000), kill_cb, run);
    }
  if (count != run->last_count)
    {
      run->last_us = now;
      run->last_count = count;
    }
  return G_SOURCE_CONTINUE;
}

static void
test_crash_sync (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(GHashTable) ids_by_code = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                             g_free, g_free);
  g_autoptr(GHashTable) seen_before = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GSubprocess) last = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *seed_env = g_getenv ("SC_TEST_SEED");
  guint32 seed;
  JsonArray *codes;
  gint64 base, t0;
  double start_s = 0.5;      /* spawn to first redemption, estimated */
  double per_item_s = 0.005; /* one redemption, estimated */
  guint kills = 0, mid = 0, runs = 0, startup_kills = 0;

  g_test_summary ("store-counter --sync killed with SIGKILL at random points, at least 20 "
                  "times and half of them mid-sync, then run to the end: the platform holds "
                  "each of 500 offline redemptions exactly once, the log has them all synced "
                  "and the outbox is empty");

  seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : g_random_int ();
  g_test_message ("seed %u (set SC_TEST_SEED=%u to replay)", seed, seed);
  rand = g_rand_new_with_seed (seed);

  /* 500 fresh orders, and what the platform held before. */
  created = sc_test_platform_admin (fixture->platform, "POST", "/v1/admin/orders",
                                    "{\"count\": 500}", 201);
  codes = json_object_get_array_member (created, "codes");
  g_assert_cmpuint (json_array_get_length (codes), ==, N_REDEMPTIONS);

  seen_before = sc_test_platform_redemption_ids (fixture->platform, &base);

  {
    g_autoptr(ScCache) cache = sc_test_open_cache (fixture->db_path);

    sc_test_cache_queue_offline (cache, codes, ids_by_code);
    g_assert_finalize_object (g_steal_pointer (&cache));
  }

  t0 = g_get_monotonic_time ();
  while (kills < MIN_KILLS || mid * 2 < kills)
    {
      g_autoptr(GSubprocess) process = NULL;
      Run run = { 0, };
      gint64 deadline, now_count, remaining;
      guint poll_id;
      gboolean startup_kill;
      gboolean was_mid;

      g_assert_cmpuint (kills, <, MAX_KILLS);
      g_assert_cmpuint (runs, <, 2 * MAX_KILLS);
      remaining = N_REDEMPTIONS - (platform_count (fixture) - base);
      if (remaining <= 0)
        g_error ("All redemptions went through after %u kills (%u mid-sync): the kills came "
                 "too late; seed %u", kills, mid, seed);

      /* Now and then a kill while it starts (cache, login, manifest), as
       * long as half the kills stay mid-sync; the others at a random point
       * of the sync, sized so that a few items go through each time. */
      startup_kill = mid * 2 >= kills + 2 && g_rand_int_range (rand, 0, 4) == 0;
      run.fixture = fixture;
      run.base = run.last_count = platform_count (fixture);
      if (startup_kill)
        run.kill_after_s = -1;
      else
        {
          /* About a thirtieth of what is left per kill. */
          double quota = MAX (1.0, (double) remaining / 30.0);

          run.kill_after_s = g_rand_double_range (rand, 0, 2 * quota * per_item_s);
        }

      process = spawn_sync (fixture, FALSE);
      runs++;
      run.process = process;
      run.started_us = g_get_monotonic_time ();
      g_subprocess_wait_async (process, NULL, exited_cb, &run);
      poll_id = g_timeout_add (POLL_MS, poll_cb, &run);
      if (startup_kill)
        run.kill_id = g_timeout_add ((guint) (g_rand_double_range (rand, 0, start_s) * 1000),
                                     kill_cb, &run);

      deadline = g_get_monotonic_time () + RUN_DEADLINE_S * G_USEC_PER_SEC;
      while (!run.exited && !run.kill_now)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, TRUE);
        }
      g_source_remove (poll_id);
      g_clear_handle_id (&run.kill_id, g_source_remove);

      if (!run.exited)
        g_subprocess_force_exit (process);
      while (!run.exited)
        g_main_context_iteration (NULL, TRUE);

      now_count = platform_count (fixture);
      g_test_message ("run %u: %s after %.0f ms (first send at %.0f ms), %" G_GINT64_FORMAT
                      " sent, %" G_GINT64_FORMAT " left", runs,
                      g_subprocess_get_if_signaled (process) ? "killed" : "exited",
                      (g_get_monotonic_time () - run.started_us) / 1e3,
                      run.first_us > 0 ? (run.first_us - run.started_us) / 1e3 : -1.0,
                      now_count - run.base, N_REDEMPTIONS - (now_count - base));
      if (g_subprocess_get_if_signaled (process) &&
          g_subprocess_get_term_sig (process) == SIGKILL)
        {
          kills++;
          was_mid = now_count != run.base;
          if (was_mid)
            mid++;
          if (startup_kill)
            startup_kills++;
        }
      else
        {
          /* It ended before the kill: done, or stopped by a send that
           * timed out (exit 2, the rest stays queued). Not a kill. */
          g_autofree char *err_path = g_build_filename (fixture->tmpdir, "stderr.txt", NULL);
          g_autofree char *err_text = NULL;

          g_file_get_contents (err_path, &err_text, NULL, NULL);
          g_assert_true (g_subprocess_get_if_exited (process));
          g_test_message ("run %u ended by itself (exit %d) before its kill: %s", runs,
                          g_subprocess_get_exit_status (process), err_text);
        }

      /* Learn how long the start and each item take. */
      if (run.first_us > 0)
        start_s = 0.7 * start_s + 0.3 * ((run.first_us - run.started_us) / 1e6);
      if (run.last_count - run.first_count >= 2)
        per_item_s = 0.7 * per_item_s +
                     0.3 * ((run.last_us - run.first_us) / 1e6 /
                            (double) (run.last_count - run.first_count));
    }

  g_assert_cmpuint (kills, >=, MIN_KILLS);
  g_assert_cmpuint (mid * 2, >=, kills);

  /* The last run, not killed, must finish the job. */
  last = spawn_sync (fixture, TRUE);
  runs++;
  g_subprocess_communicate_utf8 (last, "1234\n", NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("final run: exit %d\nstdout: %s\nstderr: %s",
                  g_subprocess_get_exit_status (last), out, err);
  g_assert_true (g_subprocess_get_if_exited (last));
  g_assert_cmpint (g_subprocess_get_exit_status (last), ==, 0);

  g_test_message ("kills %u (mid-sync %u, while starting %u), runs %u, %.1f s in all", kills,
                  mid, startup_kills, runs, (g_get_monotonic_time () - t0) / 1e6);

  /* The platform: each of the 500 exactly once, under the counter's id,
   * and nothing else new. */
  sc_test_platform_assert_each_once (fixture->platform, seen_before, base, ids_by_code);

  /* The counter: all synced, nothing left to send. */
  {
    g_autoptr(ScCache) cache = sc_test_open_cache (fixture->db_path);

    sc_test_cache_assert_all_synced (cache, ids_by_code);
    g_assert_finalize_object (g_steal_pointer (&cache));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/crash-sync/kill-and-restart", Fixture, NULL, fixture_setup, test_crash_sync,
              fixture_teardown);

  return g_test_run ();
}
