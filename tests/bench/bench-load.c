/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "50 counters at the rush" (issue 9, DESIGN §11): a real
 * store-counter-platform on 127.0.0.1 and 50 simulated counters in this
 * process, driven by one main loop, each with its own ScPlatformClient (its
 * own SoupSession and connections). Each counter signs in, then loops:
 *
 *   online    lookups of random codes (some unknown), redeems (a third of
 *             them from a small pool of hot codes every counter wants, so
 *             concurrent redeems of one code happen: one 201, the others
 *             409 already_redeemed), undos of its own recent redemptions,
 *             health probes;
 *   offline   the network goes away (without --keep-alive its client and
 *             connections are dropped); it scans a few pickup codes;
 *   back      it signs in again (a new session: the scans lie in the
 *             earlier one), sends the offline batch (offline: true,
 *             scanned_at in the past, Idempotency-Key = redemption id),
 *             then sends about a third of it again: a replay must get the
 *             first answer.
 *
 * For --seconds (60), then checks and prints: every answer is an expected
 * one (2xx, or 409 already_redeemed on a redeem; the table of answers by
 * call, status and code); the platform's own list of redemptions
 * (GET /v1/admin/redemptions) has no code redeemed twice and holds each
 * 201 the counters saw exactly once, reversed if and only if they undid it,
 * and nothing else; the platform process's open fds (less one per open
 * client connection) and RSS, sampled every 2 s, grow after the warm-up by
 * at most 10 fds and 20 MiB; /v1/health
 * answers at the end; p50/p95/p99/max latency per call and calls/s.
 *
 * Exits 1 when a check fails, saying which; with --tap, prints one TAP test
 * with the figures as comments (for the integration suite).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-load.h"
#include "sc-code.h"
#include "sc-platform-client.h"
#include "sc-redemption.h"
#include "sc-verdict.h"

#define HOT_CODES          32

typedef enum
{
  PHASE_FIRST_LOGIN,
  PHASE_LOGIN,
  PHASE_ONLINE,
  PHASE_OFFLINE,
  PHASE_SYNC,
  PHASE_REPLAY,
  PHASE_DONE,
} Phase;

/* One offline redemption sent once, and its first answer. */
typedef struct
{
  ScRedemption *redemption;  /* (owned) */
  guint         status;
  char         *api_code;    /* (owned) (nullable) */
  gint64        redeemed_at;
} Sent;

/* One of a counter's own redemptions it may undo. */
typedef struct
{
  char   *id;        /* (owned) */
  gint64  at_us;     /* monotonic time of the 201 */
} Mine;

typedef struct
{
  Load             *load;        /* (unowned) */
  guint             index;
  const char       *clerk_id;    /* (unowned) static */
  GRand            *rand;        /* (owned) */
  ScPlatformClient *client;      /* (owned) (nullable) NULL while offline, reconnecting */
  ScPlatformClient *first_client; /* (owned) (nullable) for the first, earlier session */
  gint64            first_session_at;  /* unix s, inside the first session */
  Phase             phase;
  guint             ops_left;    /* online calls before the network goes away */
  GPtrArray        *mine;        /* (owned) (element-type Mine) undo candidates */
  GPtrArray        *batch;       /* (owned) (element-type ScRedemption) offline scans */
  GPtrArray        *sent;        /* (owned) (element-type Sent) sent once */
  guint             next;        /* next of batch (SYNC) or sent (REPLAY) */
  gint64            call_start;  /* monotonic µs */
  ScRedemption     *current;     /* (owned) (nullable) the redemption in flight */
  char             *lookup_code; /* (owned) (nullable) the code being looked up */
  gboolean          known_code;  /* lookup_code is one of the run's orders */
  char             *undo_id;     /* (owned) (nullable) the redemption being undone */
} Counter;

static void counter_next (Counter *c);

static void
belief_free (Belief *b)
{
  g_free (b->code);
  g_free (b);
}

static void
sent_free (Sent *s)
{
  sc_redemption_free (s->redemption);
  g_free (s->api_code);
  g_free (s);
}

static void
mine_free (Mine *m)
{
  g_free (m->id);
  g_free (m);
}

static void
counter_free (Counter *c)
{
  g_rand_free (c->rand);
  g_clear_object (&c->client);
  g_clear_object (&c->first_client);
  g_ptr_array_unref (c->mine);
  g_ptr_array_unref (c->batch);
  g_ptr_array_unref (c->sent);
  g_clear_pointer (&c->current, sc_redemption_free);
  g_free (c->lookup_code);
  g_free (c->undo_id);
  g_free (c);
}

/* ---- answers ---- */

/* Counts one answer and its latency; @status 0 means no HTTP answer. */
static void
record (Counter      *c,
        CallKind      kind,
        guint         status,
        const char   *api_code,
        gboolean      expected,
        const GError *error)
{
  Load *load = c->load;
  double ms = (g_get_monotonic_time () - c->call_start) / 1000.0;
  g_autofree char *key = g_strdup_printf ("%s %u %s", call_names[kind], status,
                                          api_code != NULL ? api_code : "-");
  gpointer count = g_hash_table_lookup (load->answers, key);

  g_hash_table_replace (load->answers, g_steal_pointer (&key),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
  g_array_append_val (load->latency[kind], ms);
  if (!expected)
    {
      load->unexpected++;
      if (load->unexpected <= 20)
        load_say (load, "counter %u: unexpected answer to %s: HTTP %u %s%s%s", c->index,
                  call_names[kind], status, api_code != NULL ? api_code : "",
                  error != NULL ? ": " : "", error != NULL ? error->message : "");
    }
}

static guint
error_status (const GError *error)
{
  return error->domain == SC_PLATFORM_ERROR ? sc_platform_error_get_http_status (error) : 0;
}

static gboolean
is_already_redeemed (const GError *error)
{
  return g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CONFLICT) &&
         sc_platform_error_get_http_status (error) == 409 &&
         g_strcmp0 (sc_platform_error_get_api_code (error), "already_redeemed") == 0;
}

static void
believe (Counter            *c,
         const ScRedemption *r)
{
  Belief *b = g_new0 (Belief, 1);
  Mine *m = g_new0 (Mine, 1);

  if (g_hash_table_contains (c->load->beliefs, r->id))
    {
      load_problem (c->load, "redemption %s answered 201 twice as a new one", r->id);
      g_free (b);
      g_free (m);
      return;
    }
  b->code = g_strdup (r->code);
  b->counter = c->index;
  g_hash_table_insert (c->load->beliefs, g_strdup (r->id), b);
  m->id = g_strdup (r->id);
  m->at_us = g_get_monotonic_time ();
  g_ptr_array_add (c->mine, m);
}

/* ---- calls ---- */

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Counter *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSession) session = NULL;

  session = sc_platform_client_login_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (session == NULL)
    record (c, CALL_LOGIN, error_status (error), sc_platform_error_get_api_code (error), FALSE,
            error);
  else
    {
      record (c, CALL_LOGIN, 201, NULL, TRUE, NULL);
      c->next = 0;
      if (c->batch->len > 0)
        c->phase = PHASE_SYNC;
      else
        {
          c->phase = PHASE_ONLINE;
          c->ops_left = (guint) g_rand_int_range (c->rand, 8, 25);
        }
    }
  counter_next (c);
}

static gboolean
second_login_cb (gpointer user_data)
{
  Counter *c = user_data;

  c->phase = PHASE_LOGIN;
  counter_next (c);
  return G_SOURCE_REMOVE;
}

/* The first session, on a client of its own that then goes away (one
 * closed connection per counter, in the warm-up): every later session of
 * the counter has an earlier one, as back-dated offline scans need. */
static void
first_login_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Counter *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSession) session = NULL;

  session = sc_platform_client_login_finish (SC_PLATFORM_CLIENT (object), result, &error);
  g_clear_object (&c->first_client);
  if (session == NULL)
    {
      record (c, CALL_LOGIN, error_status (error), sc_platform_error_get_api_code (error), FALSE,
              error);
      counter_next (c);
      return;
    }
  record (c, CALL_LOGIN, 201, NULL, TRUE, NULL);
  c->first_session_at = g_get_real_time () / G_USEC_PER_SEC;
  /* The next session starts in a later second. */
  g_timeout_add (1100, second_login_cb, c);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Counter *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autofree char *code = g_steal_pointer (&c->lookup_code);

  verdict = sc_platform_client_lookup_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (verdict == NULL)
    record (c, CALL_LOOKUP, error_status (error), sc_platform_error_get_api_code (error), FALSE,
            error);
  else
    {
      ScVerdictStatus status = sc_verdict_get_status (verdict);
      gboolean fits = c->known_code ? (status == SC_VERDICT_STATUS_REDEEMABLE ||
                                       status == SC_VERDICT_STATUS_REDEEMED)
                                    : status == SC_VERDICT_STATUS_NOT_FOUND;

      record (c, CALL_LOOKUP, 200, sc_verdict_status_to_string (status), fits, NULL);
      if (!fits && c->load->unexpected <= 20)
        load_say (c->load, "  (code %s is %s one)", code, c->known_code ? "a run's" : "an unknown");
    }
  counter_next (c);
}

static void
redeem_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Counter *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScRedemption) sent = g_steal_pointer (&c->current);
  g_autoptr(ScRedemption) answer = NULL;
  CallKind kind = sent->offline ? CALL_OFFLINE : CALL_REDEEM;
  Sent *s = NULL;

  answer = sc_platform_client_redeem_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (sent->offline)
    {
      s = g_new0 (Sent, 1);
      s->redemption = sc_redemption_copy (sent);
      g_ptr_array_add (c->sent, s);
    }
  if (answer != NULL)
    {
      record (c, kind, 201, NULL, TRUE, NULL);
      believe (c, sent);
      if (s != NULL)
        {
          s->status = 201;
          s->redeemed_at = answer->redeemed_at;
        }
    }
  else
    {
      record (c, kind, error_status (error), sc_platform_error_get_api_code (error),
              is_already_redeemed (error), error);
      if (s != NULL)
        {
          s->status = error_status (error);
          s->api_code = g_strdup (sc_platform_error_get_api_code (error));
        }
    }
  counter_next (c);
}

static void
replay_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Counter *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScRedemption) answer = NULL;
  Sent *s = g_ptr_array_index (c->sent, c->next - 1);
  const char *api_code = NULL;
  guint status = 201;
  gboolean same;

  answer = sc_platform_client_redeem_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      status = error_status (error);
      api_code = sc_platform_error_get_api_code (error);
    }
  same = status == s->status && g_strcmp0 (api_code, s->api_code) == 0 &&
         (answer == NULL || answer->redeemed_at == s->redeemed_at);
  record (c, CALL_REPLAY, status, api_code, same && (status == 201 || is_already_redeemed (error)),
          error);
  if (!same)
    load_problem (c->load, "replay of %s answered %u %s, first answer was %u %s",
                  s->redemption->id, status, api_code ? api_code : "", s->status,
                  s->api_code ? s->api_code : "");
  counter_next (c);
}

static void
undo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Counter *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_steal_pointer (&c->undo_id);

  if (sc_platform_client_reverse_finish (SC_PLATFORM_CLIENT (object), result, NULL, &error))
    {
      Belief *b = g_hash_table_lookup (c->load->beliefs, id);

      record (c, CALL_UNDO, 200, NULL, TRUE, NULL);
      if (b != NULL)
        b->undone = TRUE;
    }
  else
    record (c, CALL_UNDO, error_status (error), sc_platform_error_get_api_code (error), FALSE,
            error);
  counter_next (c);
}

static void
health_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Counter *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;

  now = sc_platform_client_health_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (now != NULL)
    record (c, CALL_HEALTH, 200, NULL, TRUE, NULL);
  else
    record (c, CALL_HEALTH, error_status (error), sc_platform_error_get_api_code (error), FALSE,
            error);
  counter_next (c);
}

/* A hot code (every counter wants it) @hot_percent of the time, otherwise
 * any of the run's codes. */
static const char *
pick_code (Counter *c,
           int      hot_percent)
{
  GPtrArray *codes = c->load->codes;
  guint i;

  if (g_rand_int_range (c->rand, 0, 100) < hot_percent)
    i = (guint) g_rand_int_range (c->rand, 0, MIN (HOT_CODES, (int) codes->len));
  else
    i = (guint) g_rand_int_range (c->rand, 0, (int) codes->len);
  return g_ptr_array_index (codes, i);
}

/* A pickup code with a good check digit that the platform does not know. */
static char *
unknown_code (Counter *c)
{
  char digits[13];

  digits[0] = '1';
  for (guint i = 1; i < 11; i++)
    digits[i] = (char) ('0' + g_rand_int_range (c->rand, 0, 10));
  digits[12] = '\0';
  for (char d = '0'; d <= '9'; d++)
    {
      g_autoptr(ScCode) code = NULL;

      digits[11] = d;
      code = sc_code_parse (digits, g_get_real_time () / G_USEC_PER_SEC, NULL);
      if (code != NULL)
        break;
    }
  return g_strdup (digits);
}

static ScRedemption *
new_redemption (Counter    *c,
                const char *payload,
                gboolean    offline)
{
  ScRedemption *r = sc_redemption_new (payload, payload, SC_CODE_KIND_PICKUP,
                                       offline ? "scanner" : "camera");

  g_free (r->store_id);
  r->store_id = g_strdup (STORE_ID);
  g_free (r->clerk_id);
  r->clerk_id = g_strdup (c->clerk_id);
  r->offline = offline;
  return r;
}

static gboolean
back_online_cb (gpointer user_data)
{
  Counter *c = user_data;

  /* Reconnecting, it signs in again (a new session); keeping its
   * connection, it keeps its session. */
  c->phase = c->load->keep_alive ? PHASE_SYNC : PHASE_LOGIN;
  c->next = 0;
  counter_next (c);
  return G_SOURCE_REMOVE;
}

/* The network goes away for 2 to 3 s; scans made meanwhile are queued.
 * Their scan time lies in the session before the one that sends them: the
 * current one when the counter signs in again (a second later at least),
 * or with --keep-alive (no new session) the first one. */
static void
go_offline (Counter *c)
{
  gint64 now = c->load->keep_alive ? c->first_session_at : g_get_real_time () / G_USEC_PER_SEC;
  guint n = (guint) g_rand_int_range (c->rand, 2, 7);

  c->phase = PHASE_OFFLINE;
  if (!c->load->keep_alive)
    g_clear_object (&c->client);
  g_ptr_array_set_size (c->batch, 0);
  g_ptr_array_set_size (c->sent, 0);
  for (guint i = 0; i < n; i++)
    {
      ScRedemption *r = new_redemption (c, pick_code (c, 30), TRUE);

      r->scanned_at = r->created_at = now;
      g_ptr_array_add (c->batch, r);
    }
  g_timeout_add ((guint) g_rand_int_range (c->rand, 2000, 3000), back_online_cb, c);
}

static void
start_online_call (Counter *c)
{
  int r = g_rand_int_range (c->rand, 0, 100);

  if (r >= 78 && r < 92 && c->mine->len > 0)
    {
      /* Undo one of its own redemptions well inside the undo window
       * (120 s); older ones are no longer candidates. */
      gint64 now = g_get_monotonic_time ();
      guint i = (guint) g_rand_int_range (c->rand, 0, (int) c->mine->len);
      Mine *m;

      while (c->mine->len > 0 &&
             now - ((Mine *) g_ptr_array_index (c->mine, 0))->at_us > 90 * G_USEC_PER_SEC)
        g_ptr_array_remove_index (c->mine, 0);
      if (c->mine->len > 0)
        {
          i = MIN (i, c->mine->len - 1);
          m = g_ptr_array_index (c->mine, i);
          c->undo_id = g_strdup (m->id);
          g_ptr_array_remove_index (c->mine, i);
          {
            g_autofree char *key = g_uuid_string_random ();

            sc_platform_client_reverse_async (c->client, c->undo_id, key, NULL, undo_cb, c);
          }
          return;
        }
    }

  if (r >= 45 && r < 78)
    {
      c->current = new_redemption (c, pick_code (c, 35), FALSE);
      sc_platform_client_redeem_async (c->client, c->current, NULL, redeem_cb, c);
    }
  else if (r >= 95)
    sc_platform_client_health_async (c->client, NULL, health_cb, c);
  else
    {
      c->known_code = g_rand_int_range (c->rand, 0, 100) >= 5;
      c->lookup_code = c->known_code ? g_strdup (pick_code (c, 20)) : unknown_code (c);
      sc_platform_client_lookup_async (c->client, c->lookup_code, NULL, lookup_cb, c);
    }
}

static void
counter_done (Counter *c)
{
  c->phase = PHASE_DONE;
  c->load->running--;
  g_main_context_wakeup (NULL);
}

static void
counter_next (Counter *c)
{
  if (g_get_monotonic_time () >= c->load->end_us)
    {
      counter_done (c);
      return;
    }

  c->call_start = g_get_monotonic_time ();
  switch (c->phase)
    {
    case PHASE_FIRST_LOGIN:
      c->first_client = sc_platform_client_new (c->load->platform->url);
      sc_platform_client_login_async (c->first_client, STORE_ID, c->clerk_id, "1234", NULL,
                                      first_login_cb, c);
      break;

    case PHASE_LOGIN:
      if (c->client == NULL)
        c->client = sc_platform_client_new (c->load->platform->url);
      sc_platform_client_login_async (c->client, STORE_ID, c->clerk_id, "1234", NULL,
                                      login_cb, c);
      break;

    case PHASE_ONLINE:
      if (c->ops_left == 0)
        {
          go_offline (c);
          break;
        }
      c->ops_left--;
      start_online_call (c);
      break;

    case PHASE_SYNC:
      if (c->next < c->batch->len)
        {
          c->current = sc_redemption_copy (g_ptr_array_index (c->batch, c->next++));
          sc_platform_client_redeem_async (c->client, c->current, NULL, redeem_cb, c);
          break;
        }
      c->phase = PHASE_REPLAY;
      c->next = 0;
      G_GNUC_FALLTHROUGH;

    case PHASE_REPLAY:
      /* About a third of the batch goes again, as after a crash. */
      while (c->next < c->sent->len && g_rand_int_range (c->rand, 0, 3) != 0)
        c->next++;
      if (c->next < c->sent->len)
        {
          Sent *s = g_ptr_array_index (c->sent, c->next++);

          sc_platform_client_redeem_async (c->client, s->redemption, NULL, replay_cb, c);
          break;
        }
      g_ptr_array_set_size (c->batch, 0);
      g_ptr_array_set_size (c->sent, 0);
      c->phase = PHASE_ONLINE;
      c->ops_left = (guint) g_rand_int_range (c->rand, 8, 25);
      counter_next (c);
      break;

    case PHASE_OFFLINE:
    case PHASE_DONE:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
counter_start_cb (gpointer user_data)
{
  counter_next (user_data);
  return G_SOURCE_REMOVE;
}

/* One sample of the platform process, with how many clients are open. */
static gboolean
sample (Load *load)
{
  guint clients = 0;

  for (guint i = 0; i < load->counters->len; i++)
    {
      Counter *c = g_ptr_array_index (load->counters, i);

      clients += (c->client != NULL) + (c->first_client != NULL);
    }
  return load_take_sample (load, clients);
}

static gboolean
sample_cb (gpointer user_data)
{
  return sample (user_data) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The client maps transport failures to "cannot reach the platform" and
 * logs the cause at debug level: show the first few causes. */
static void
client_debug_cb (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  static guint shown;

  if (g_str_has_prefix (message, "Platform request failed") && shown++ < 20)
    load_say (user_data, "  (%s)", message);
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

static gboolean
add_orders (Load  *load,
            guint  count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *body = g_strdup_printf ("{\"count\": %u, \"store_id\": \"" STORE_ID "\"}",
                                           count);
  JsonArray *codes;
  guint status = 0;

  answer = sc_test_platform_request (load->platform, "POST", "/v1/admin/orders",
                                     load->platform->admin_token, body, NULL, &status, &error);
  if (answer == NULL || status != 201 || !json_object_has_member (answer, "codes"))
    {
      g_printerr ("bench-load: POST /v1/admin/orders failed: HTTP %u %s\n", status,
                  error != NULL ? error->message : "");
      return FALSE;
    }
  codes = json_object_get_array_member (answer, "codes");
  for (guint i = 0; i < json_array_get_length (codes); i++)
    g_ptr_array_add (load->codes, g_strdup (json_array_get_string_element (codes, i)));
  return load->codes->len > HOT_CODES;
}

int
main (int   argc,
      char *argv[])
{
  int seconds = 60;
  int n_counters = 50;
  int warmup = 10;
  int seed = 0;
  gboolean keep_alive = FALSE;
  gboolean tap = FALSE;
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "How long to run (default 60)", "N" },
    { "counters", 0, 0, G_OPTION_ARG_INT, &n_counters, "Simulated counters (default 50)", "N" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup,
      "Seconds before fds and RSS must stay flat (default 10, at most half the run)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default: from the clock)", "N" },
    { "keep-alive", 0, 0, G_OPTION_ARG_NONE, &keep_alive,
      "Counters keep their connections while offline (no reconnects)", NULL },
    { "tap", 0, 0, G_OPTION_ARG_NONE, &tap, "Print TAP (one test, figures as comments)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- 50 counters at the rush");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(JsonObject) health = NULL;
  Load load_ = { NULL, };
  Load *load = &load_;
  gint64 hard_deadline;
  guint sampler, health_status = 0;
  double elapsed, warmup_s;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-load: %s\n", error->message);
      return 2;
    }
  if (seconds < 1 || seconds > 3600 || n_counters < 1 || n_counters > 1000 || warmup < 0)
    {
      g_printerr ("bench-load: --seconds 1..3600, --counters 1..1000, --warmup 0 or more\n");
      return 2;
    }
  if (seed == 0)
    seed = (int) (g_get_real_time () % G_MAXINT32);
  warmup_s = MIN (warmup, seconds / 2.0);

  load->keep_alive = keep_alive;
  load->tap = tap;
  load->n_counters = (guint) n_counters;
  load->codes = g_ptr_array_new_with_free_func (g_free);
  load->counters = g_ptr_array_new_with_free_func ((GDestroyNotify) counter_free);
  load->beliefs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) belief_free);
  load->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint k = 0; k < N_CALLS; k++)
    load->latency[k] = g_array_new (FALSE, FALSE, sizeof (double));
  load->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  load->problems = g_ptr_array_new_with_free_func (g_free);

  if (tap)
    g_print ("1..1\n");
  g_log_set_handler ("sc-core", G_LOG_LEVEL_DEBUG, client_debug_cb, load);

#ifdef __SANITIZE_ADDRESS__
  {
    /* AddressSanitizer holds up to 256 MiB of freed memory in quarantine,
     * which grows the platform's RSS for minutes; with a small one the RSS
     * check still sees what the platform itself keeps. A full stack unwind
     * on every malloc holds the platform to ~25 calls/s: the fast one lets
     * the short run reach offline spells and replays. */
    const char *options = g_getenv ("ASAN_OPTIONS");
    g_autofree char *small = g_strconcat (options != NULL ? options : "",
                                          options != NULL ? ":" : "",
                                          "quarantine_size_mb=4:fast_unwind_on_malloc=1", NULL);

    g_setenv ("ASAN_OPTIONS", small, TRUE);
  }
#endif
  load->platform = sc_test_platform_start (NULL, &error);
  if (load->platform == NULL)
    {
      g_print ("%sbench-load: cannot start the platform: %s\n", tap ? "not ok 1 - " : "",
               error->message);
      return 1;
    }
  load->pid = g_strdup (g_subprocess_get_identifier (load->platform->process));

  /* Enough pickup orders that the run never runs out: about 400 per
   * second, more than 50 counters redeem here. */
  if (!add_orders (load, (guint) MIN (200000, 400 * seconds + 2000)))
    {
      if (tap)
        g_print ("not ok 1 - no orders\n");
      sc_test_platform_stop (load->platform);
      return 1;
    }
  before = load_platform_redemptions (load);

  load_say (load, "bench-load: %u counters, %d s, %s, seed %d, platform %s (pid %s), %u codes",
            load->n_counters, seconds,
            keep_alive ? "keep-alive connections" : "new connections after each offline spell",
            seed, load->platform->url, load->pid, load->codes->len);

  for (guint i = 0; i < load->n_counters; i++)
    {
      Counter *c = g_new0 (Counter, 1);

      c->load = load;
      c->index = i;
      c->clerk_id = i % 2 == 0 ? "1" : "2";
      c->rand = g_rand_new_with_seed ((guint32) seed + i);
      c->phase = PHASE_FIRST_LOGIN;
      c->mine = g_ptr_array_new_with_free_func ((GDestroyNotify) mine_free);
      c->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_redemption_free);
      c->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) sent_free);
      g_ptr_array_add (load->counters, c);
    }

  load->start_us = g_get_monotonic_time ();
  load->end_us = load->start_us + (gint64) seconds * G_USEC_PER_SEC;
  /* Each call has a 10 s timeout: every counter has stopped well before. */
  hard_deadline = load->end_us + 60 * G_USEC_PER_SEC;
  sample (load);
  sampler = g_timeout_add (SAMPLE_MS, sample_cb, load);
  g_timeout_add (seconds * 1000 + 100, wake_cb, NULL);
  g_timeout_add ((guint) ((hard_deadline - load->start_us) / 1000), wake_cb, NULL);
  load->running = load->n_counters;
  for (guint i = 0; i < load->counters->len; i++)
    g_idle_add (counter_start_cb, g_ptr_array_index (load->counters, i));

  while (load->running > 0 && g_get_monotonic_time () < hard_deadline)
    g_main_context_iteration (NULL, TRUE);
  elapsed = (g_get_monotonic_time () - load->start_us) / (double) G_USEC_PER_SEC;
  g_source_remove (sampler);
  sample (load);
  if (load->running > 0)
    load_problem (load, "%u counters still waiting for an answer 60 s after the end",
                  load->running);

  health = sc_test_platform_request (load->platform, "GET", "/v1/health", NULL, NULL, NULL,
                                     &health_status, &error);
  if (health == NULL || health_status != 200)
    load_problem (load, "GET /v1/health at the end: HTTP %u %s", health_status,
                  error != NULL ? error->message : "");
  else
    load_say (load, "GET /v1/health at the end: 200");

  load_print_answers (load);
  load_print_latency (load, elapsed);
  load_check_redemptions (load, before);
  load_check_flat (load, warmup_s);
  if (load->unexpected > 0)
    load_problem (load, "%u unexpected answers (see the table)", load->unexpected);

  ok = load_print_problems (load);
  if (tap)
    g_print ("%s 1 - %u counters for %d s: expected answers only, no double redemption, "
             "fds and RSS flat\n", ok ? "ok" : "not ok", load->n_counters, seconds);
  else
    g_print ("bench-load: %s\n", ok ? "PASS" : "FAIL");

  if (load->running > 0)
    {
      /* Counters still hold callbacks on their clients: leave them to the
       * process exit. */
      sc_test_platform_stop (load->platform);
      return 1;
    }
  g_ptr_array_unref (load->counters);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sc_test_platform_stop (load->platform);
  g_free (load->pid);
  g_ptr_array_unref (load->codes);
  g_hash_table_unref (load->beliefs);
  g_hash_table_unref (load->answers);
  for (guint k = 0; k < N_CALLS; k++)
    g_array_unref (load->latency[k]);
  g_array_unref (load->samples);
  g_ptr_array_unref (load->problems);
  return ok ? 0 : 1;
}
