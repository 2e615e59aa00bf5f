/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-load: sampling the platform process, checking the platform's own
 * list of redemptions against the counters' answers, and the figures. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-load.h"
#include "sc-bench-stats.h"

/* Flat means: after the warm-up, at most this much above the first sample
 * taken after it. Fds are counted less one per open client (a counter
 * offline has closed its connection, and how many are offline varies):
 * what is left is the listening socket, the database, its WAL and what
 * the platform leaks; a few connections may be mid-close at a sample.
 * RSS: the platform's SQLite page cache (cache_size 64 MiB) grows with the
 * rows the run writes (redemptions, idempotency answers, sessions; +4.5 to
 * +6.5 MiB from 10 s to 60 s here), and malloc keeps some freed memory. A
 * leaked connection per sign-in (~800 in 60 s) or a leaked KiB per call
 * (~24,000 calls) crosses these bounds. */
#define FD_GROWTH_MAX      10
#define RSS_GROWTH_MAX_KB  (20 * 1024)

const char * const call_names[N_CALLS] = {
  "login", "lookup", "redeem", "undo", "offline-sync", "offline-replay", "health",
};

void
load_say (Load       *load,
          const char *format,
          ...)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i + 1] == NULL && lines[i][0] == '\0')
        break;
      g_print ("%s%s\n", load->tap ? "# " : "", lines[i]);
    }
  fflush (stdout);
}

void
load_problem (Load       *load,
              const char *format,
              ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (load->problems, text);
}

gboolean
load_take_sample (Load  *load,
                  guint  clients)
{
  g_autofree char *fd_dir = g_strdup_printf ("/proc/%s/fd", load->pid);
  g_autofree char *status_path = g_strdup_printf ("/proc/%s/status", load->pid);
  g_autofree char *status = NULL;
  g_autoptr(GDir) dir = g_dir_open (fd_dir, 0, NULL);
  Sample s = { 0, };
  const char *rss;

  if (dir == NULL || !g_file_get_contents (status_path, &status, NULL, NULL))
    {
      load_problem (load, "cannot read /proc/%s: the platform is gone", load->pid);
      return FALSE;
    }
  while (g_dir_read_name (dir) != NULL)
    s.fds++;
  s.clients = clients;
  rss = strstr (status, "VmRSS:");
  if (rss != NULL)
    s.rss_kb = g_ascii_strtoull (rss + strlen ("VmRSS:"), NULL, 10);
  s.t_s = (g_get_monotonic_time () - load->start_us) / (double) G_USEC_PER_SEC;
  g_array_append_val (load->samples, s);
  return TRUE;
}

/* The run's store-1001 redemptions on the platform: id -> JsonObject.
 * Returns: (transfer full) (nullable). */
GHashTable *
load_platform_redemptions (Load *load)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  GHashTable *table;
  JsonArray *list;
  guint status = 0;

  answer = sc_test_platform_request (load->platform, "GET",
                                     "/v1/admin/redemptions?store_id=" STORE_ID,
                                     load->platform->admin_token, NULL, NULL, &status, &error);
  if (answer == NULL || status != 200 || !json_object_has_member (answer, "redemptions"))
    {
      load_problem (load, "GET /v1/admin/redemptions failed: HTTP %u %s", status,
                    error != NULL ? error->message : "");
      return NULL;
    }
  list = json_object_get_array_member (answer, "redemptions");
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                 (GDestroyNotify) json_object_unref);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *r = json_array_get_object_element (list, i);

      g_hash_table_insert (table, g_strdup (json_object_get_string_member (r, "redemption_id")),
                           json_object_ref (r));
    }
  return table;
}

/* ---- checks and figures ---- */

void
load_check_redemptions (Load       *load,
                        GHashTable *before)
{
  g_autoptr(GHashTable) after = load_platform_redemptions (load);
  g_autoptr(GHashTable) active_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;
  guint n_run = 0, n_reversed = 0, doubles = 0, unknown = 0, missing = 0, wrong_state = 0;

  if (after == NULL || before == NULL)
    return;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *r = value;
      const char *code = json_object_get_string_member (r, "code");
      gboolean reversed = g_strcmp0 (json_object_get_string_member (r, "state"), "reversed") == 0;
      const char *other;
      Belief *b;

      if (g_hash_table_contains (before, key))
        continue;
      n_run++;
      if (reversed)
        n_reversed++;
      else if ((other = g_hash_table_lookup (active_by_code, code)) != NULL)
        {
          if (doubles++ < 10)
            load_problem (load, "code %s is redeemed twice: %s and %s", code, other, (char *) key);
        }
      else
        g_hash_table_insert (active_by_code, (gpointer) code, key);

      b = g_hash_table_lookup (load->beliefs, key);
      if (b == NULL)
        {
          if (unknown++ < 10)
            load_problem (load, "the platform holds redemption %s of %s: no counter saw it",
                          (char *) key, code);
        }
      else if (b->undone != reversed || g_strcmp0 (b->code, code) != 0)
        {
          if (wrong_state++ < 10)
            load_problem (load, "redemption %s of %s: counter %u believes %s, the platform says %s",
                          (char *) key, code, b->counter, b->undone ? "undone" : "redeemed",
                          reversed ? "reversed" : "active");
        }
    }

  g_hash_table_iter_init (&iter, load->beliefs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (after, key) && missing++ < 10)
      load_problem (load, "redemption %s (201 to counter %u) is not on the platform", (char *) key,
                    ((Belief *) value)->counter);

  load_say (load, "platform list: %u redemptions of the run (%u reversed, %u active), "
            "counters saw %u as 201; codes redeemed twice: %u, unknown to the counters: %u, "
            "missing: %u, in another state: %u",
            n_run, n_reversed, n_run - n_reversed, g_hash_table_size (load->beliefs), doubles,
            unknown, missing, wrong_state);
  if (doubles > 10 || unknown > 10 || missing > 10 || wrong_state > 10)
    load_problem (load, "(and more of the above)");
}

void
load_print_latency (Load   *load,
                    double  seconds)
{
  guint total = 0;

  load_say (load, "%-15s %7s %9s %9s %9s %9s %9s", "call", "n", "p50 ms", "p95 ms", "p99 ms",
            "max ms", "calls/s");
  for (guint k = 0; k < N_CALLS; k++)
    {
      GArray *ms = load->latency[k];

      total += ms->len;
      if (ms->len == 0)
        {
          load_say (load, "%-15s %7u", call_names[k], 0);
          continue;
        }
      sc_bench_sort (ms);
      load_say (load, "%-15s %7u %9.2f %9.2f %9.2f %9.2f %9.1f", call_names[k], ms->len,
                sc_bench_percentile (ms, 0.50), sc_bench_percentile (ms, 0.95),
                sc_bench_percentile (ms, 0.99),
                g_array_index (ms, double, ms->len - 1), ms->len / seconds);
    }
  load_say (load, "%-15s %7u %49.1f", "all", total, total / seconds);
}

static int
compare_key (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

void
load_print_answers (Load *load)
{
  guint n = 0;
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (load->answers, &n);

  qsort (keys, n, sizeof (gpointer), compare_key);
  load_say (load, "%-15s %6s %-24s %7s", "answers: call", "status", "code", "count");
  for (guint i = 0; i < n; i++)
    {
      const char *key = keys[i];
      g_auto(GStrv) parts = g_strsplit (key, " ", 3);

      load_say (load, "%-15s %6s %-24s %7u", parts[0], parts[1], parts[2],
                GPOINTER_TO_UINT (g_hash_table_lookup (load->answers, key)));
    }
}

/* Fds less the open clients, printed: a counter offline has closed its
 * connection, and how many are offline at a sample varies. Sampled apart,
 * the two numbers can cross (9 fds, 20 clients), so the check does not use
 * them: it uses the fewest fds of each half after the warm-up. Every call
 * has its own connection, so between calls the platform is back to what it
 * holds for itself; what it keeps for good shows in both minimums. */
static int
held_fds (const Sample *s)
{
  return (int) s->fds - (int) s->clients;
}

void
load_check_flat (Load   *load,
                 double  warmup_s)
{
  g_autoptr(GString) series = NULL;
  const Sample *base = NULL;
  int min_first = G_MAXINT;
  int min_last = G_MAXINT;
  guint n_after = 0;
  guint64 max_rss = 0;

  series = g_string_new ("platform every 2 s (t s: fds - open clients = held, RSS MiB):");
  for (guint i = 0; i < load->samples->len; i++)
    {
      const Sample *s = &g_array_index (load->samples, Sample, i);

      g_string_append_printf (series, "%s %.0f: %u-%u=%d %.1f", i % 5 == 0 ? "\n  " : ";",
                              s->t_s, s->fds, s->clients, held_fds (s), s->rss_kb / 1024.0);
      if (s->t_s < warmup_s)
        continue;
      if (base == NULL)
        base = s;
      n_after++;
      max_rss = MAX (max_rss, s->rss_kb);
    }
  /* The fewest fds in the first and in the second half after the warm-up. */
  for (guint i = 0, k = 0; i < load->samples->len; i++)
    {
      const Sample *s = &g_array_index (load->samples, Sample, i);

      if (s->t_s < warmup_s)
        continue;
      if (k++ < (n_after + 1) / 2)
        min_first = MIN (min_first, (int) s->fds);
      else
        min_last = MIN (min_last, (int) s->fds);
    }
  if (min_last == G_MAXINT)
    min_last = min_first;
  load_say (load, "%s", series->str);
  if (base == NULL)
    {
      load_problem (load, "no fd/RSS sample after the %.0f s warm-up", warmup_s);
      return;
    }
  load_say (load, "after the warm-up (from %.0f s): fewest fds %d in the first half -> %d in "
            "the second (%+d, bound +%d), RSS %.1f -> max %.1f MiB (%+.1f, bound +%d)",
            base->t_s, min_first, min_last, min_last - min_first, FD_GROWTH_MAX,
            base->rss_kb / 1024.0, max_rss / 1024.0, ((double) max_rss - base->rss_kb) / 1024.0,
            RSS_GROWTH_MAX_KB / 1024);
  if (min_last > min_first + FD_GROWTH_MAX)
    load_problem (load, "the platform's open fds between calls grew from %d to %d", min_first,
                  min_last);
  if (max_rss > base->rss_kb + RSS_GROWTH_MAX_KB)
    load_problem (load, "the platform's RSS grew from %.1f to %.1f MiB", base->rss_kb / 1024.0,
                  max_rss / 1024.0);
}

gboolean
load_print_problems (Load *load)
{
  g_ptr_array_sort (load->problems, compare_key);
  for (guint i = 0; i < load->problems->len; i++)
    load_say (load, "FAILED: %s", (char *) g_ptr_array_index (load->problems, i));
  return load->problems->len == 0;
}
