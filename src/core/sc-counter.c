/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-code.h"
#include "sc-db.h"
#include "sc-counter.h"
#include "sc-counter-private.h"
#include "sc-platform-client.h"
#include "sc-secret.h"
#include "sc-time.h"

#define DEFAULT_UNDO_WINDOW_S 120
#define MAX_BACKOFF_S 30
#define OUTBOX_BATCH 100
#define MANIFEST_REFRESH_S (5 * 60)
#define PROBE_BASE_MS 1000
#define PROBE_CAP_MS 30000
#define OFFLINE_LOGIN_MAX_AGE_S (7 * 24 * 60 * 60)

struct _ScCounter
{
  GObject           parent_instance;

  ScCache          *cache;         /* (owned) */
  ScPlatformClient *client;        /* (owned) */
  ScSession        *session;       /* (owned) (nullable) */
  GCancellable     *cancellable;   /* (owned) internal work; cancelled in dispose */

  gboolean          online;
  guint             unsynced;
  /* Outbox items this session may not send (another platform, store or
   * clerk made them), and whose they are (element-type ScOutboxOwner). */
  guint             waiting;
  GPtrArray        *waiting_owners;  /* (owned) */
  guint             n_refreshing;  /* unsynced counts and retry look-ups in flight */

  /* Offline: the /v1/health probe (DESIGN §7). */
  gboolean          probing;       /* offline, probing until the platform answers */
  gboolean          health_busy;   /* a health request in flight */
  guint             probe_attempt; /* failed probes since going offline */
  guint             probe_timer_id;
  guint             probe_base_ms;
  guint             probe_cap_ms;
  ScCounterProbeFunc probe_func;   /* (nullable) test hook */
  gpointer          probe_data;    /* (unowned) */
  gint64            clock_skew;    /* s, platform minus local; 0 until known */

  /* The next outbox item due, when online. */
  guint             retry_timer_id;

  /* Offline login: the PIN, in memory only and only while the session is
   * offline, to log in online as soon as the platform answers. */
  char             *offline_pin;   /* (owned) (nullable) wiped when cleared */
  gboolean          relogin_busy;

  /* The pickup manifest, for offline lookups. */
  gboolean          manifest_busy;
  guint             manifest_timer_id;
  gint64            manifest_fetched_at;  /* unix s; 0: never (this run) */

  /* Conflicts of the session's store today that the clerk has not
   * acknowledged; recounted at login, on each conflict, on each
   * acknowledgement and when the store's day turns. */
  guint             conflicts;
  guint             day_timer_id;

  /* The outbox drain; everything below lives on the main context. */
  gboolean          draining;
  gboolean          drain_again;
  gboolean          drain_force;
  guint             drain_settled;
  char             *inflight_id;   /* (owned) (nullable) the item being sent */
  GHashTable       *waiters;       /* (owned) id -> GPtrArray of GTask */
  GPtrArray        *sync_tasks;    /* (owned) GTasks of sync callers */
  GHashTable       *withdrawn;     /* (owned) ids withdrawn locally: never send */
};

G_DEFINE_TYPE (ScCounter, sc_counter, G_TYPE_OBJECT)
G_DEFINE_QUARK (sc-counter-error-quark, sc_counter_error)

enum {
  PROP_0,
  PROP_ONLINE,
  PROP_UNSYNCED,
  PROP_SESSION,
  PROP_MANIFEST_FETCHED_AT,
  PROP_CLOCK_SKEW,
  PROP_CONFLICTS,
  PROP_WAITING,
  N_PROPS
};

enum {
  REDEMPTION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void drain_start (ScCounter *self,
                         gboolean   force);
static void manifest_refresh (ScCounter *self);
static void health_send (ScCounter *self);
static void relogin (ScCounter *self);
static void note_platform_id (ScCounter *self);
static void refresh_unsynced (ScCounter *self);

/* The session can send its own outbox items: it has a token, and knows
 * which platform it is on. */
static gboolean
session_can_send (ScCounter *self)
{
  return self->session != NULL && self->session->token != NULL &&
         self->session->platform_id != NULL;
}

static void
set_online (ScCounter *self,
            gboolean   online)
{
  if (self->online == online)
    return;
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

static void
clear_offline_pin (ScCounter *self)
{
  g_clear_pointer (&self->offline_pin, sc_secret_free);
}

/* Errors that say the platform is away (DESIGN §7): it could not be
 * reached, did not answer in time, or answered 5xx. */
static gboolean
error_is_unreachable (const GError *error)
{
  return sc_counter_error_is_unreachable (error);
}

/* The platform's certificate was refused (DESIGN §13): whoever answered,
 * it is not the platform being away, and this counter must not work
 * offline because of it. */
static gboolean
error_is_certificate (const GError *error)
{
  return sc_counter_error_is_certificate (error);
}

/* ---- the health probe ---- */

static guint
probe_delay_ms (ScCounter *self,
                guint      attempt)
{
  double nominal = self->probe_base_ms;
  double delay;

  for (guint i = 0; i < attempt && nominal < self->probe_cap_ms; i++)
    nominal *= 2;
  nominal = MIN (nominal, (double) self->probe_cap_ms);

  /* ±20 % so that counters that lost the platform together do not all
   * come back in the same second; never past the cap. */
  delay = nominal * g_random_double_range (0.8, 1.2);
  return (guint) MIN (delay, (double) self->probe_cap_ms);
}

static gboolean
probe_timer_cb (gpointer user_data)
{
  ScCounter *self = SC_COUNTER (user_data);

  self->probe_timer_id = 0;
  health_send (self);
  return G_SOURCE_REMOVE;
}

static void
probe_schedule (ScCounter *self,
                guint      at_least_ms)
{
  guint delay;

  if (!self->probing || self->probe_timer_id != 0 || self->health_busy)
    return;

  delay = MAX (probe_delay_ms (self, self->probe_attempt), at_least_ms);
  if (self->probe_func != NULL)
    self->probe_func (self, self->probe_attempt, delay, self->probe_data);
  /* No reference: dispose removes the timer. */
  self->probe_timer_id = g_timeout_add (delay, probe_timer_cb, self);
}

/* A request failed because the platform is away: offline, and probe. */
static void
mark_unreachable (ScCounter *self)
{
  set_online (self, FALSE);
  g_clear_handle_id (&self->retry_timer_id, g_source_remove);
  if (self->probing)
    return;

  self->probing = TRUE;
  self->probe_attempt = 0;
  probe_schedule (self, 0);
}

/* The platform answered: online. Back from offline, everything that waited
 * for it goes now: an online login for an offline session, the outbox, the
 * manifest. */
static void
mark_reachable (ScCounter *self)
{
  gboolean was_probing = self->probing;

  self->probing = FALSE;
  self->probe_attempt = 0;
  g_clear_handle_id (&self->probe_timer_id, g_source_remove);
  set_online (self, TRUE);

  if (!was_probing || self->session == NULL)
    return;

  if (self->session->token == NULL)
    {
      relogin (self);
      return;
    }
  drain_start (self, FALSE);
  manifest_refresh (self);
}

/* A certificate refused: online stays as it was, and a probe stops, so
 * that lookups ask the platform (and show why it cannot be used) instead
 * of answering from the offline copy. */
static void
note_certificate_error (ScCounter *self)
{
  self->probing = FALSE;
  self->probe_attempt = 0;
  g_clear_handle_id (&self->probe_timer_id, g_source_remove);
}

static void
note_platform_error (ScCounter    *self,
                     const GError *error)
{
  if (error_is_certificate (error))
    note_certificate_error (self);
  else if (error_is_unreachable (error))
    mark_unreachable (self);
  else if (error->domain == SC_PLATFORM_ERROR)
    mark_reachable (self);  /* it answered, if not kindly */
}

static void
set_clock_skew (ScCounter *self,
                gint64     skew)
{
  if (self->clock_skew == skew)
    return;
  self->clock_skew = skew;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_SKEW]);
}

typedef struct
{
  ScCounter *self;     /* (owned) */
  gint64     sent_at;  /* real time, µs */
} HealthCall;

static void
health_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree HealthCall *call = user_data;
  g_autoptr(ScCounter) self = g_steal_pointer (&call->self);
  g_autoptr(GDateTime) platform_time = NULL;
  g_autoptr(GError) error = NULL;

  self->health_busy = FALSE;
  platform_time = sc_platform_client_health_finish (SC_PLATFORM_CLIENT (object), result,
                                                    &error);
  if (platform_time != NULL)
    {
      /* The platform's clock is in whole seconds (+0.5 on average); ours
       * is taken halfway through the request. */
      gint64 local_us = (call->sent_at + g_get_real_time ()) / 2;
      gint64 platform_us = g_date_time_to_unix (platform_time) * G_USEC_PER_SEC +
                           g_date_time_get_microsecond (platform_time) + G_USEC_PER_SEC / 2;
      gint64 skew_us = platform_us - local_us;

      set_clock_skew (self, (skew_us + (skew_us >= 0 ? 1 : -1) * G_USEC_PER_SEC / 2) /
                            G_USEC_PER_SEC);
      note_platform_id (self);
      mark_reachable (self);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error_is_certificate (error))
    {
      g_message ("The platform's certificate is refused: %s", error->message);
      note_certificate_error (self);
      return;
    }

  if (error_is_unreachable (error) ||
      g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_RATE_LIMITED))
    {
      int retry_after = sc_platform_error_get_retry_after (error);

      g_debug ("The platform does not answer its health check: %s", error->message);
      set_online (self, FALSE);
      if (!self->probing)
        {
          mark_unreachable (self);
          return;
        }
      self->probe_attempt++;
      probe_schedule (self, retry_after > 0 ? (guint) retry_after * 1000 : 0);
      return;
    }

  /* It answered, if strangely. */
  g_debug ("Unexpected answer to the health check: %s", error->message);
  mark_reachable (self);
}

/* A health answer said which platform this is. A session with a token
 * that did not know (restored from a version that did not keep it) takes
 * it: the token works only there. Then its outbox items can go. */
static void
note_platform_id (ScCounter *self)
{
  const char *platform_id = sc_platform_client_get_platform_id (self->client);

  if (platform_id == NULL || self->session == NULL || self->session->token == NULL)
    return;

  if (self->session->platform_id == NULL)
    {
      self->session->platform_id = g_strdup (platform_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
      refresh_unsynced (self);
      drain_start (self, FALSE);
    }
  else if (g_strcmp0 (self->session->platform_id, platform_id) != 0)
    {
      g_message ("Another platform (%s) answers at %s than this session's (%s): its "
                 "redemptions are not sent there", platform_id,
                 sc_platform_client_get_base_url (self->client), self->session->platform_id);
    }
}

/* GET /v1/health: the probe while offline, and the clock check. */
static void
health_send (ScCounter *self)
{
  HealthCall *call;

  if (self->health_busy)
    return;

  g_clear_handle_id (&self->probe_timer_id, g_source_remove);
  self->health_busy = TRUE;
  call = g_new0 (HealthCall, 1);
  call->self = g_object_ref (self);
  call->sent_at = g_get_real_time ();
  sc_platform_client_health_async (self->client, self->cancellable, health_cb, call);
}

gint64
sc_counter_get_clock_skew (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), 0);
  return self->clock_skew;
}

void
sc_counter_set_probe_delays (ScCounter *self,
                             guint      base_ms,
                             guint      cap_ms)
{
  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (base_ms > 0 && cap_ms >= base_ms);

  self->probe_base_ms = base_ms;
  self->probe_cap_ms = cap_ms;
}

void
sc_counter_set_probe_func (ScCounter          *self,
                           ScCounterProbeFunc  func,
                           gpointer            user_data)
{
  g_return_if_fail (SC_IS_COUNTER (self));

  self->probe_func = func;
  self->probe_data = user_data;
}

gboolean
sc_counter_get_probing (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), FALSE);
  return self->probing;
}

static void
count_unsynced_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ScCounter) self = user_data;
  g_autoptr(GError) error = NULL;
  guint count;

  self->n_refreshing--;
  count = sc_cache_count_unsynced_finish (SC_CACHE (object), result, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot count unsynced redemptions: %s", error->message);
      return;
    }

  if (count != self->unsynced)
    {
      self->unsynced = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNSYNCED]);
    }
}

static void
list_owners_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ScCounter) self = user_data;
  g_autoptr(GPtrArray) owners = NULL;
  g_autoptr(GError) error = NULL;
  guint waiting = 0;

  self->n_refreshing--;
  owners = sc_cache_list_outbox_owners_finish (SC_CACHE (object), result, &error);
  if (owners == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot count the outbox by owner: %s", error->message);
      return;
    }

  /* What this session may not send waits for its own clerk. */
  for (guint i = owners->len; i > 0; i--)
    {
      ScOutboxOwner *owner = g_ptr_array_index (owners, i - 1);

      if (sc_outbox_owner_is_session (owner->platform_id, owner->store_id, owner->clerk_id,
                                      self->session))
        g_ptr_array_remove_index (owners, i - 1);
      else
        waiting += owner->count;
    }

  g_clear_pointer (&self->waiting_owners, g_ptr_array_unref);
  self->waiting_owners = g_steal_pointer (&owners);
  if (waiting != self->waiting)
    {
      self->waiting = waiting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
    }
}

static void
refresh_unsynced (ScCounter *self)
{
  self->n_refreshing += 2;
  sc_cache_count_unsynced_async (self->cache, self->cancellable,
                                 count_unsynced_cb, g_object_ref (self));
  sc_cache_list_outbox_owners_async (self->cache, self->cancellable, list_owners_cb,
                                     g_object_ref (self));
}

/* ------------------------------------------------------------------ */
/* Conflicts                                                            */

/* When the store's day that holds @now began (unix s), and in how many
 * seconds the next one begins; the local zone when the store's is unknown
 * here. */
static gint64
store_day_start (const ScSession *session,
                 gint64           now,
                 gint64          *out_seconds_left)
{
  g_autoptr(GTimeZone) tz = sc_time_zone_new (session != NULL ? session->store_timezone : NULL);

  return sc_time_day_start (tz, now, out_seconds_left);
}

typedef struct
{
  ScCounter *self;      /* (owned) */
  char      *store_id;  /* (owned) the store they were counted for */
} ConflictCount;

static void
conflict_count_free (ConflictCount *count)
{
  g_clear_object (&count->self);
  g_free (count->store_id);
  g_free (count);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConflictCount, conflict_count_free)

static void
set_conflicts (ScCounter *self,
               guint      conflicts)
{
  if (self->conflicts == conflicts)
    return;
  self->conflicts = conflicts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICTS]);
}

static void
count_conflicts_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ConflictCount) count = user_data;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  ScCounter *self = count->self;
  guint open = 0;

  self->n_refreshing--;
  conflicts = sc_cache_list_conflicts_finish (SC_CACHE (object), result, &error);
  if (conflicts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot count the conflicts: %s", error->message);
      return;
    }

  /* Counted for a session that has ended since. */
  if (self->session == NULL || g_strcmp0 (self->session->store_id, count->store_id) != 0)
    return;

  for (guint i = 0; i < conflicts->len; i++)
    {
      const ScConflict *conflict = g_ptr_array_index (conflicts, i);

      if (conflict->acknowledged_at == 0)
        open++;
    }
  set_conflicts (self, open);
}

static void
refresh_conflicts (ScCounter *self)
{
  ConflictCount *count;

  if (self->session == NULL)
    {
      set_conflicts (self, 0);
      return;
    }

  count = g_new0 (ConflictCount, 1);
  count->self = g_object_ref (self);
  count->store_id = g_strdup (self->session->store_id);
  self->n_refreshing++;
  sc_cache_list_conflicts_async (self->cache, count->store_id,
                                 store_day_start (self->session, sc_time_now_unix (), NULL),
                                 self->cancellable, count_conflicts_cb, count);
}

static gboolean day_timer_cb (gpointer user_data);

/* Recounts when the store's day turns: yesterday's conflicts leave the
 * count. The timer holds no reference: dispose removes it. */
static void
schedule_day_timer (ScCounter *self)
{
  gint64 seconds_left = 0;

  g_clear_handle_id (&self->day_timer_id, g_source_remove);
  if (self->session == NULL)
    return;
  store_day_start (self->session, sc_time_now_unix (), &seconds_left);
  self->day_timer_id = g_timeout_add_seconds ((guint) MIN (seconds_left + 1, G_MAXUINT),
                                              day_timer_cb, self);
}

static gboolean
day_timer_cb (gpointer user_data)
{
  ScCounter *self = SC_COUNTER (user_data);

  self->day_timer_id = 0;
  refresh_conflicts (self);
  schedule_day_timer (self);
  return G_SOURCE_REMOVE;
}

guint
sc_counter_get_conflicts (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), 0);
  return self->conflicts;
}

static void
list_conflicts_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *conflicts;
  GError *error = NULL;

  conflicts = sc_cache_list_conflicts_finish (SC_CACHE (object), result, &error);
  if (conflicts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, conflicts, (GDestroyNotify) g_ptr_array_unref);
}

void
sc_counter_list_conflicts_async (ScCounter           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SC_IS_COUNTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_list_conflicts_async);
  if (self->session == NULL)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_NOT_LOGGED_IN,
                               _("Log in first"));
      return;
    }
  sc_cache_list_conflicts_async (self->cache, self->session->store_id,
                                 store_day_start (self->session, sc_time_now_unix (), NULL),
                                 cancellable, list_conflicts_cb, g_steal_pointer (&task));
}

GPtrArray *
sc_counter_list_conflicts_finish (ScCounter     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
acknowledged_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!sc_cache_acknowledge_conflict_finish (SC_CACHE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  refresh_conflicts (self);
  g_task_return_boolean (task, TRUE);
}

void
sc_counter_acknowledge_conflict_async (ScCounter           *self,
                                       const char          *redemption_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (redemption_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_acknowledge_conflict_async);
  sc_cache_acknowledge_conflict_async (self->cache, redemption_id, sc_time_now_unix (), cancellable,
                                       acknowledged_cb, g_steal_pointer (&task));
}

gboolean
sc_counter_acknowledge_conflict_finish (ScCounter     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* The manifest                                                         */

typedef struct
{
  ScCounter *self;      /* (owned) */
  char      *store_id;  /* (owned) */
  gint64     since;     /* the version held when the fetch began */
  char      *cursor;    /* (owned) (nullable) the next page, if there is one */
} ManifestFetch;

static void
manifest_fetch_free (ManifestFetch *fetch)
{
  g_clear_object (&fetch->self);
  g_free (fetch->store_id);
  g_free (fetch->cursor);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ManifestFetch, manifest_fetch_free)

static void
manifest_done (ManifestFetch *fetch,
               const GError  *error)
{
  ScCounter *self = fetch->self;

  self->manifest_busy = FALSE;
  if (error == NULL)
    {
      self->manifest_fetched_at = sc_time_now_unix ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANIFEST_FETCHED_AT]);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Cannot refresh the pickup manifest: %s", error->message);
    }
}

static void manifest_fetch_page (ManifestFetch *fetch);

static void
manifest_applied_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ManifestFetch) fetch = user_data;
  g_autoptr(GError) error = NULL;

  if (sc_cache_apply_manifest_finish (SC_CACHE (object), result, NULL, &error) &&
      fetch->cursor != NULL)
    {
      /* A large manifest comes in pages: each one is applied on its own
       * (the version only moves with the last), so a stop half way just
       * starts again from the version held. */
      manifest_fetch_page (g_steal_pointer (&fetch));
      return;
    }
  manifest_done (fetch, error);
}

static void
manifest_fetched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ManifestFetch) fetch = user_data;
  g_autoptr(JsonObject) manifest = NULL;
  g_autoptr(GError) error = NULL;
  ScCounter *self = fetch->self;
  const char *store_id;

  g_clear_pointer (&fetch->cursor, g_free);
  manifest = sc_platform_client_get_manifest_page_finish (SC_PLATFORM_CLIENT (object), result,
                                                          &fetch->cursor, &error);
  if (manifest == NULL)
    {
      note_platform_error (self, error);
      manifest_done (fetch, error);
      return;
    }

  mark_reachable (self);
  store_id = fetch->store_id;  /* lives as long as fetch, handed on below */
  /* Ours alone (the client parsed it for this call): checked, written and
   * freed on the DB thread, nothing per order here (DESIGN §11). */
  sc_cache_apply_manifest_take_async (self->cache, store_id, g_steal_pointer (&manifest),
                                      self->cancellable, manifest_applied_cb,
                                      g_steal_pointer (&fetch));
}

static void
manifest_state_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ManifestFetch) fetch = user_data;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;

  if (!sc_cache_get_manifest_state_finish (SC_CACHE (object), result, &version, NULL, &error))
    {
      manifest_done (fetch, error);
      return;
    }

  /* Only what changed since the version we hold. */
  fetch->since = version;
  manifest_fetch_page (g_steal_pointer (&fetch));
}

/* Takes @fetch. */
static void
manifest_fetch_page (ManifestFetch *fetch)
{
  ScCounter *self = fetch->self;

  sc_platform_client_get_manifest_page_async (self->client, fetch->since, fetch->cursor,
                                              self->cancellable, manifest_fetched_cb, fetch);
}

static void
manifest_refresh (ScCounter *self)
{
  ManifestFetch *fetch;

  if (self->manifest_busy || self->session == NULL || self->session->token == NULL)
    return;

  self->manifest_busy = TRUE;
  fetch = g_new0 (ManifestFetch, 1);
  fetch->self = g_object_ref (self);
  fetch->store_id = g_strdup (self->session->store_id);
  sc_cache_get_manifest_state_async (self->cache, fetch->store_id, self->cancellable,
                                     manifest_state_cb, fetch);
}

static gboolean
manifest_timer_cb (gpointer user_data)
{
  ScCounter *self = SC_COUNTER (user_data);

  manifest_refresh (self);
  /* The clock check, now and then (the probe does it while offline). */
  if (!self->probing)
    health_send (self);
  return G_SOURCE_CONTINUE;
}

gint64
sc_counter_get_manifest_fetched_at (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), 0);
  return self->manifest_fetched_at;
}

/* ------------------------------------------------------------------ */
/* Login                                                                */

typedef struct
{
  char *store_id;
  char *clerk_id;
  char *pin;       /* (owned) wiped when freed */
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_free (data->store_id);
  g_free (data->clerk_id);
  sc_secret_free (data->pin);
  g_free (data);
}

static void
offline_login_saved_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(ScCounter) self = user_data;
  g_autoptr(GError) error = NULL;

  self->n_refreshing--;
  if (sc_cache_save_offline_login_finish (SC_CACHE (object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A platform that sends no store key: offline logins say so. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED))
    g_debug ("Cannot keep the login for offline use: %s", error->message);
  else
    g_warning ("Cannot keep the login for offline use: %s", error->message);
}

/* An online login worked: keep what an offline login needs; the session
 * starts the clock check and sends what waited. */
static void
logged_in_online (ScCounter       *self,
                  const ScSession *session,
                  const char      *pin)
{
  clear_offline_pin (self);
  sc_counter_set_session (self, session);
  mark_reachable (self);

  self->n_refreshing++;
  sc_cache_save_offline_login_async (self->cache, sc_platform_client_get_base_url (self->client),
                                     session, pin, sc_time_now_unix (), self->cancellable,
                                     offline_login_saved_cb, g_object_ref (self));
}

static void
login_offline_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GError *network_error = g_object_get_data (G_OBJECT (task), "network-error");
  gint64 logged_in_at = 0;
  gint64 age;

  if (!sc_cache_check_offline_login_finish (SC_CACHE (object), result, &session,
                                            &logged_in_at, &error))
    {
      /* Never logged in online here: all there is to say is that the
       * platform cannot be reached. */
      if (g_error_matches (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND))
        g_task_return_error (task, g_error_copy (network_error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED))
        g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_OFFLINE_NO_KEY,
                                 "%s", error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  age = sc_time_now_unix () - logged_in_at;
  /* A login from the future: the clock went back since, and would stretch
   * the 7 days as far as it went back. */
  if (age < 0)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_OFFLINE_LOGIN_TOO_OLD,
                               _("Cannot reach the platform, and this computer’s clock is "
                                 "behind the last online login here: set the right time, "
                                 "or connect to the network to log in online"));
      return;
    }
  if (age >= OFFLINE_LOGIN_MAX_AGE_S)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_OFFLINE_LOGIN_TOO_OLD,
                               _("Cannot reach the platform, and the last online login "
                                 "of this clerk here was more than 7 days ago: connect "
                                 "to the network to log in"));
      return;
    }

  if (session == NULL)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_WRONG_PIN,
                               _("Wrong PIN (checked at this counter: the platform "
                                 "cannot be reached)"));
      return;
    }

  sc_counter_set_session (self, session);
  /* Kept in memory only, to log in online once the platform answers. */
  self->offline_pin = g_strdup (data->pin);
  g_task_return_boolean (task, TRUE);

  /* The platform may have come back while the PIN was checked. */
  if (self->online)
    relogin (self);
}

/* "Too many wrong PINs. Try again in 2 minutes." */
static GError *
too_many_attempts_error (int seconds)
{
  if (seconds <= 0)
    return g_error_new_literal (SC_COUNTER_ERROR, SC_COUNTER_ERROR_TOO_MANY_ATTEMPTS,
                                _("Too many wrong PINs. Try again later."));
  if (seconds < 60)
    return g_error_new (SC_COUNTER_ERROR, SC_COUNTER_ERROR_TOO_MANY_ATTEMPTS,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "Too many wrong PINs. Try again in %d second.",
                                     "Too many wrong PINs. Try again in %d seconds.", seconds),
                        seconds);
  return g_error_new (SC_COUNTER_ERROR, SC_COUNTER_ERROR_TOO_MANY_ATTEMPTS,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "Too many wrong PINs. Try again in %d minute.",
                                   "Too many wrong PINs. Try again in %d minutes.",
                                   (seconds + 59) / 60),
                      (seconds + 59) / 60);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = sc_platform_client_login_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (session == NULL)
    {
      note_platform_error (self, error);
      if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_RATE_LIMITED) &&
          g_strcmp0 (sc_platform_error_get_api_code (error), "too_many_attempts") == 0)
        {
          g_task_return_error (task, too_many_attempts_error (
                                       sc_platform_error_get_retry_after (error)));
          return;
        }
      if (error_is_unreachable (error))
        {
          /* Offline login: the PIN is checked against the verifier the last
           * online login left here. */
          g_object_set_data_full (G_OBJECT (task), "network-error", g_steal_pointer (&error),
                                  (GDestroyNotify) g_error_free);
          sc_cache_check_offline_login_async (self->cache,
                                              sc_platform_client_get_base_url (self->client),
                                              data->store_id, data->clerk_id, data->pin,
                                              g_task_get_cancellable (task),
                                              login_offline_cb, g_object_ref (task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  logged_in_online (self, session, data->pin);
  g_task_return_boolean (task, TRUE);
}

void
sc_counter_login_async (ScCounter           *self,
                        const char          *store_id,
                        const char          *clerk_id,
                        const char          *pin,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoginData *data;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (store_id != NULL && clerk_id != NULL && pin != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_login_async);
  data = g_new0 (LoginData, 1);
  data->store_id = g_strdup (store_id);
  data->clerk_id = g_strdup (clerk_id);
  data->pin = g_strdup (pin);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);
  sc_platform_client_login_async (self->client, store_id, clerk_id, pin, cancellable,
                                  login_cb, g_steal_pointer (&task));
}

/* The platform answers again and the session is offline: log in online
 * with the PIN kept in memory, so the outbox can go. */
static void
relogin_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ScCounter) self = user_data;
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSecretText) pin = NULL;

  self->relogin_busy = FALSE;
  session = sc_platform_client_login_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (session == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      note_platform_error (self, error);
      if (!error_is_unreachable (error) && !error_is_certificate (error))
        {
          /* The platform refuses the PIN (changed since?): forget it. The
           * session stays offline; the next request says the login has
           * expired, and the window asks for the PIN. */
          g_message ("Cannot log in online again: %s", error->message);
          clear_offline_pin (self);
        }
      return;
    }

  /* Still the same clerk, still offline? (A logout or another login may
   * have come meanwhile.) */
  if (self->session == NULL || self->session->token != NULL || self->offline_pin == NULL ||
      g_strcmp0 (self->session->store_id, session->store_id) != 0 ||
      g_strcmp0 (self->session->clerk_id, session->clerk_id) != 0)
    return;

  pin = g_strdup (self->offline_pin);
  logged_in_online (self, session, pin);
  g_clear_pointer (&pin, sc_secret_free);
}

static void
relogin (ScCounter *self)
{
  if (self->relogin_busy || self->session == NULL || self->session->token != NULL ||
      self->offline_pin == NULL)
    return;

  self->relogin_busy = TRUE;
  sc_platform_client_login_async (self->client, self->session->store_id,
                                  self->session->clerk_id, self->offline_pin,
                                  self->cancellable, relogin_cb, g_object_ref (self));
}

gboolean
sc_counter_login_finish (ScCounter     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Lookup                                                               */

static void
lookup_offline_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;
  const ScRedeemedInfo *redeemed;

  verdict = sc_cache_lookup_offline_finish (SC_CACHE (object), result, &error);
  if (verdict == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Redeemed at this counter: the session knows the names. */
  redeemed = sc_verdict_get_redeemed (verdict);
  if (redeemed != NULL && self->session != NULL && redeemed->store_name == NULL &&
      g_strcmp0 (redeemed->store_id, self->session->store_id) == 0)
    {
      ScRedeemedInfo *named = g_new0 (ScRedeemedInfo, 1);

      named->redemption_id = g_strdup (redeemed->redemption_id);
      named->at = redeemed->at != NULL ? g_date_time_ref (redeemed->at) : NULL;
      named->store_id = g_strdup (redeemed->store_id);
      named->store_name = g_strdup (self->session->store_name);
      named->clerk_id = g_strdup (redeemed->clerk_id);
      if (g_strcmp0 (redeemed->clerk_id, self->session->clerk_id) == 0)
        named->clerk_name = g_strdup (self->session->clerk_name);
      sc_verdict_take_redeemed (verdict, named);
    }

  g_task_return_pointer (task, g_steal_pointer (&verdict), g_object_unref);
}

/* The platform cannot be reached: answer what can be answered without it
 * (DESIGN §7). Returns FALSE when there is no offline answer. */
static gboolean
lookup_offline (ScCounter *self,
                GTask     *task)
{
  ScCode *code = g_task_get_task_data (task);
  g_autoptr(ScVerdict) verdict = NULL;

  switch (sc_code_get_kind (code))
    {
    case SC_CODE_KIND_PICKUP:
      sc_cache_lookup_offline_async (self->cache, self->session->store_id,
                                     sc_code_get_code (code), sc_time_now_unix (),
                                     g_task_get_cancellable (task), lookup_offline_cb,
                                     g_object_ref (task));
      return TRUE;

    case SC_CODE_KIND_COUPON:
    case SC_CODE_KIND_PRIZE:
      /* Never noted now and verified later: coupons (real-time or not) and
       * prize vouchers are decided by the platform only. */
      verdict = sc_verdict_new (SC_VERDICT_STATUS_NEEDS_NETWORK, sc_code_get_kind (code),
                                sc_code_get_code (code), sc_code_get_payload (code));
      sc_verdict_set_offline (verdict, TRUE);
      sc_verdict_set_reason (verdict,
                             sc_code_get_kind (code) == SC_CODE_KIND_COUPON
                             ? _("Coupons are checked with the platform only: try again "
                                 "when the network is back")
                             : _("Prize vouchers are checked with the platform only: try "
                                 "again when the network is back"));
      g_task_return_pointer (task, g_steal_pointer (&verdict), g_object_unref);
      return TRUE;

    case SC_CODE_KIND_PHONE_TAIL:
    case SC_CODE_KIND_UNKNOWN:
    default:
      return FALSE;
    }
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  ScCode *code = g_task_get_task_data (task);
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;

  verdict = sc_platform_client_lookup_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (verdict == NULL)
    {
      note_platform_error (self, error);
      if (error_is_unreachable (error) && lookup_offline (self, task))
        return;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Redeem with what was shown: a live token stays a live token. */
  sc_verdict_set_payload (verdict, sc_code_get_payload (code));
  mark_reachable (self);
  g_task_return_pointer (task, g_steal_pointer (&verdict), g_object_unref);

  if (self->unsynced > 0)
    drain_start (self, FALSE);
}

void
sc_counter_lookup_async (ScCounter           *self,
                         const char          *input,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(ScCode) code = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SC_IS_COUNTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_lookup_async);

  code = sc_code_parse (input, sc_time_now_unix (), &error);
  if (code == NULL)
    {
      g_task_return_pointer (task, sc_verdict_new_for_parse_error (input, error),
                             g_object_unref);
      return;
    }

  if (sc_code_get_kind (code) == SC_CODE_KIND_PHONE_TAIL)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_PHONE_TAIL,
                               _("%s is a phone tail: look the order up in the order list"),
                               sc_code_get_code (code));
      return;
    }

  if (self->session == NULL)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_NOT_LOGGED_IN,
                               _("Log in first"));
      return;
    }

  g_task_set_task_data (task, g_object_ref (code), g_object_unref);

  /* Known to be offline: answer at once from what this counter holds
   * rather than wait for the network to fail again. A code only the
   * platform can decide asks the probe to try now. */
  if (self->probing && lookup_offline (self, task))
    {
      if (sc_code_get_kind (code) != SC_CODE_KIND_PICKUP)
        health_send (self);
      return;
    }

  sc_platform_client_lookup_async (self->client, sc_code_get_payload (code), cancellable,
                                   lookup_cb, g_steal_pointer (&task));
}

ScVerdict *
sc_counter_lookup_finish (ScCounter     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* The outbox drain                                                     */

typedef struct
{
  ScCounter *self;   /* (owned) */
  GPtrArray *items;  /* (owned) (element-type ScOutboxItem) */
  guint      index;
} DrainBatch;

static void
drain_batch_free (DrainBatch *batch)
{
  g_clear_object (&batch->self);
  g_clear_pointer (&batch->items, g_ptr_array_unref);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrainBatch, drain_batch_free)

static void drain_process_next (DrainBatch *batch);
static void drain_list (ScCounter *self);
static void retry_schedule (ScCounter *self);

/* Hands @redemption to everyone waiting for @id (redeem and undo calls). */
static void
settle_waiters (ScCounter          *self,
                const char         *id,
                const ScRedemption *redemption)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *key = NULL;

  if (!g_hash_table_steal_extended (self->waiters, id, (gpointer *) &key, (gpointer *) &tasks))
    return;

  for (guint i = 0; i < tasks->len; i++)
    g_task_return_pointer (g_ptr_array_index (tasks, i), sc_redemption_copy (redemption),
                           (GDestroyNotify) sc_redemption_free);
}

static void
add_waiter (ScCounter  *self,
            const char *id,
            GTask      *task)
{
  GPtrArray *tasks = g_hash_table_lookup (self->waiters, id);

  if (tasks == NULL)
    {
      tasks = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->waiters, g_strdup (id), tasks);
    }
  g_ptr_array_add (tasks, g_object_ref (task));
}

static void
drain_finish (ScCounter    *self,
              const GError *error)
{
  g_autoptr(GPtrArray) sync_tasks = NULL;
  GHashTableIter iter;
  gpointer value;

  self->draining = FALSE;
  g_clear_pointer (&self->inflight_id, g_free);

  /* Whoever still waits gets their redemption as it stands: saved, not sent. */
  g_hash_table_iter_init (&iter, self->waiters);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *tasks = value;

      for (guint i = 0; i < tasks->len; i++)
        {
          GTask *task = g_ptr_array_index (tasks, i);
          const ScRedemption *pending = g_task_get_task_data (task);

          g_task_return_pointer (task, sc_redemption_copy (pending),
                                 (GDestroyNotify) sc_redemption_free);
        }
      g_hash_table_iter_remove (&iter);
    }

  sync_tasks = g_steal_pointer (&self->sync_tasks);
  self->sync_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < sync_tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (sync_tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_int (task, self->drain_settled);
    }

  refresh_unsynced (self);

  /* Someone asked again while the last pass was stopping. */
  if (self->drain_again && error == NULL && self->online)
    drain_start (self, self->drain_force);
  else if (error == NULL)
    retry_schedule (self);
}

static gboolean
retry_timer_cb (gpointer user_data)
{
  ScCounter *self = SC_COUNTER (user_data);

  self->retry_timer_id = 0;
  drain_start (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
next_attempt_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ScCounter) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 next;

  self->n_refreshing--;
  next = sc_cache_get_next_attempt_for_finish (SC_CACHE (object), result, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read when the outbox is due: %s", error->message);
      return;
    }

  /* Offline, the probe decides; without a token nothing can go. */
  if (next < 0 || self->probing || self->draining || !session_can_send (self))
    return;

  g_clear_handle_id (&self->retry_timer_id, g_source_remove);
  /* No reference: dispose removes the timer. */
  self->retry_timer_id = g_timeout_add_seconds ((guint) CLAMP (next - sc_time_now_unix (), 1,
                                                               MAX_BACKOFF_S * 4),
                                                retry_timer_cb, self);
}

/* Items put off (backoff, Retry-After) go when they are due. */
static void
retry_schedule (ScCounter *self)
{
  if (self->probing || !session_can_send (self))
    return;

  /* Only what this session may send: the rest waits for its own clerk. */
  self->n_refreshing++;
  sc_cache_get_next_attempt_for_async (self->cache, self->session->platform_id,
                                       self->session->store_id, self->session->clerk_id,
                                       self->cancellable, next_attempt_cb,
                                       g_object_ref (self));
}

static void
drain_start (ScCounter *self,
             gboolean   force)
{
  if (self->draining)
    {
      self->drain_again = TRUE;
      self->drain_force |= force;
      return;
    }

  self->draining = TRUE;
  self->drain_again = FALSE;
  self->drain_force = force;
  self->drain_settled = 0;

  /* Offline: the probe drains the outbox when the platform is back. Only
   * an explicit sync tries anyway. */
  if (self->probing && !force)
    {
      drain_finish (self, NULL);
      return;
    }

  drain_list (self);
}

static void
drain_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ScCounter) self = user_data;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  DrainBatch *batch;

  items = sc_cache_list_outbox_for_finish (SC_CACHE (object), result, &error);
  if (items == NULL)
    {
      drain_finish (self, error);
      return;
    }

  if (items->len == 0)
    {
      if (self->drain_again)
        {
          self->drain_again = FALSE;
          drain_list (self);
          return;
        }
      drain_finish (self, NULL);
      return;
    }

  self->drain_again = FALSE;
  batch = g_new0 (DrainBatch, 1);
  batch->self = g_object_ref (self);
  batch->items = g_steal_pointer (&items);
  drain_process_next (batch);
}

static void
drain_list (ScCounter *self)
{
  /* Each item goes only with a session of the platform, store and clerk
   * that made it (DESIGN §7); without one, nothing goes. */
  if (!session_can_send (self))
    {
      self->drain_again = FALSE;
      drain_finish (self, NULL);
      return;
    }

  sc_cache_list_outbox_for_async (self->cache, self->session->platform_id,
                                  self->session->store_id, self->session->clerk_id,
                                  self->drain_force ? -1 : sc_time_now_unix (), OUTBOX_BATCH,
                                  self->cancellable, drain_listed_cb, g_object_ref (self));
}

typedef struct
{
  DrainBatch   *batch;       /* (owned) */
  ScRedemption *redemption;  /* (owned) the new state, to tell the waiters */
  gboolean      stop;        /* stop draining after this update */
} DrainUpdate;

/* The cache recorded (or failed to record, @error set) @update. */
static void
drain_updated (DrainUpdate  *update,
               const GError *error)
{
  g_autoptr(DrainBatch) batch = g_steal_pointer (&update->batch);
  g_autoptr(ScRedemption) redemption = g_steal_pointer (&update->redemption);
  gboolean stop = update->stop;
  ScCounter *self = batch->self;

  g_free (update);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot record the state of redemption %s: %s",
                   redemption->id, error->message);
      drain_finish (self, error);
      return;
    }

  g_clear_pointer (&self->inflight_id, g_free);

  switch (redemption->state)
    {
    case SC_REDEMPTION_STATE_SYNCED:
    case SC_REDEMPTION_STATE_CONFLICT:
    case SC_REDEMPTION_STATE_REJECTED:
      self->drain_settled++;
      break;
    case SC_REDEMPTION_STATE_PENDING:
    case SC_REDEMPTION_STATE_UNCERTAIN:
    case SC_REDEMPTION_STATE_WITHDRAWN:
    case SC_REDEMPTION_STATE_REVERSED:
    default:
      break;
    }

  g_signal_emit (self, signals[REDEMPTION_CHANGED], 0, redemption);
  settle_waiters (self, redemption->id, redemption);

  if (stop)
    {
      drain_finish (self, NULL);
      return;
    }

  batch->index++;
  drain_process_next (g_steal_pointer (&batch));
}

static void
drain_update_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  sc_cache_update_redemption_finish (SC_CACHE (object), result, &error);
  drain_updated (user_data, error);
}

static void
drain_conflict_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DrainUpdate *update = user_data;
  ScCounter *self = update->batch->self;
  g_autoptr(GError) error = NULL;

  if (sc_cache_record_conflict_finish (SC_CACHE (object), result, &error))
    refresh_conflicts (self);
  drain_updated (update, error);
}

/* Records @state for the batch's current item, then goes on (or stops). */
static void
drain_record (DrainBatch        *batch,
              ScRedemptionState  state,
              gint64             redeemed_at,
              gint64             discount_fen,
              const char        *reason,
              gint64             next_attempt_at,
              gboolean           stop)
{
  ScOutboxItem *item = g_ptr_array_index (batch->items, batch->index);
  ScCounter *self = batch->self;
  DrainUpdate *update;
  ScRedemption *redemption;

  redemption = sc_redemption_copy (item->redemption);
  redemption->state = state;
  if (redeemed_at > 0)
    redemption->redeemed_at = redeemed_at;
  if (discount_fen >= 0)
    redemption->discount_fen = discount_fen;
  g_free (redemption->reason);
  redemption->reason = g_strdup (reason);
  redemption->updated_at = sc_time_now_unix ();

  update = g_new0 (DrainUpdate, 1);
  update->batch = batch;
  update->redemption = redemption;
  update->stop = stop;

  sc_cache_update_redemption_async (self->cache, redemption->id, state, redeemed_at,
                                    discount_fen, reason, next_attempt_at,
                                    self->cancellable, drain_update_cb, update);
}

/* Records the batch's current item as CONFLICT, with the platform's record
 * of the redemption that took the code (nullable), then goes on. */
static void
drain_record_conflict (DrainBatch *batch,
                       const char *reason,
                       const char *platform_json)
{
  ScOutboxItem *item = g_ptr_array_index (batch->items, batch->index);
  ScCounter *self = batch->self;
  DrainUpdate *update;
  ScRedemption *redemption;

  redemption = sc_redemption_copy (item->redemption);
  redemption->state = SC_REDEMPTION_STATE_CONFLICT;
  g_free (redemption->reason);
  redemption->reason = g_strdup (reason);
  redemption->updated_at = sc_time_now_unix ();

  update = g_new0 (DrainUpdate, 1);
  update->batch = batch;
  update->redemption = redemption;

  sc_cache_record_conflict_async (self->cache, redemption->id, reason, platform_json,
                                  self->cancellable, drain_conflict_cb, update);
}

static gint64
backoff_until (int           attempts,
               const GError *error)
{
  int delay = 1 << MIN (MAX (attempts, 0), 5);
  int retry_after = sc_platform_error_get_retry_after (error);

  delay = MIN (delay, MAX_BACKOFF_S);
  delay += g_random_int_range (0, delay / 2 + 1);
  if (retry_after > delay)
    delay = retry_after;

  return sc_time_now_unix () + delay;
}

static char *
describe_conflict (const GError *error)
{
  JsonObject *details = sc_platform_error_get_details (error);
  JsonObject *redeemed = NULL;
  const char *at = NULL;
  const char *store = NULL;

  if (details != NULL && json_object_has_member (details, "redeemed") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (details, "redeemed")))
    redeemed = json_object_get_object_member (details, "redeemed");

  if (redeemed != NULL)
    {
      JsonNode *node = json_object_get_member (redeemed, "at");

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        at = json_node_get_string (node);

      node = json_object_get_member (redeemed, "store");
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *store_object = json_node_get_object (node);
          JsonNode *name = json_object_get_member (store_object, "name");

          if (name != NULL && JSON_NODE_HOLDS_VALUE (name) &&
              json_node_get_value_type (name) == G_TYPE_STRING)
            store = json_node_get_string (name);
        }
    }

  if (at != NULL && store != NULL)
    return g_strdup_printf (_("Already redeemed at %s (%s)"), store, at);
  if (at != NULL)
    return g_strdup_printf (_("Already redeemed (%s)"), at);
  return g_strdup (error->message);
}

/* The platform's record of the code from a 409's details (the lookup
 * shape), checked and normalised, as JSON text; NULL if it sent none that
 * can be read. */
static char *
conflict_record (const GError *error)
{
  JsonObject *details = sc_platform_error_get_details (error);
  g_autoptr(ScVerdict) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;

  if (details == NULL)
    return NULL;
  record = sc_verdict_new_from_json (details, &local_error);
  if (record == NULL)
    {
      g_debug ("The platform's conflict details cannot be read: %s", local_error->message);
      return NULL;
    }
  node = sc_verdict_to_json (record);
  return json_to_string (node, FALSE);
}

/* Maps a failed send to the redemption's next state. */
static void
drain_handle_send_error (DrainBatch   *batch,
                         const GError *error)
{
  ScOutboxItem *item = g_ptr_array_index (batch->items, batch->index);
  ScCounter *self = batch->self;

  note_platform_error (self, error);

  if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NETWORK))
    {
      /* Never arrived. The health probe says when the platform is back;
       * then it goes at once, with the same key. */
      drain_record (batch, item->redemption->state, 0, -1, error->message, 0, TRUE);
    }
  else if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_TIMEOUT) ||
      g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA))
    {
      /* It may or may not have arrived: ask before sending again. */
      drain_record (batch, SC_REDEMPTION_STATE_UNCERTAIN, 0, -1, error->message,
                    backoff_until (item->attempts + 1, error), TRUE);
    }
  else if (sc_platform_error_is_transient (error) ||
           g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_UNAUTHORIZED) ||
           g_strcmp0 (sc_platform_error_get_api_code (error), "session_mismatch") == 0 ||
           error_is_certificate (error))
    {
      /* Never dropped: try again later with the same key. A lapsed session
       * keeps it too, until the clerk logs in again; so does one the
       * platform says is not its maker's, and a refused certificate until
       * it is put right. */
      drain_record (batch, item->redemption->state, 0, -1, error->message,
                    backoff_until (item->attempts + 1, error), TRUE);
    }
  else if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CONFLICT) &&
           g_strcmp0 (sc_platform_error_get_api_code (error), "already_redeemed") == 0)
    {
      g_autofree char *reason = describe_conflict (error);
      g_autofree char *record = conflict_record (error);

      drain_record_conflict (batch, reason, record);
    }
  else
    {
      drain_record (batch, SC_REDEMPTION_STATE_REJECTED, 0, -1, error->message, 0, FALSE);
    }
}

static void
drain_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DrainBatch) batch = user_data;
  g_autoptr(ScRedemption) sent = NULL;
  g_autoptr(GError) error = NULL;

  sent = sc_platform_client_redeem_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (sent == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          drain_finish (batch->self, error);
          return;
        }
      drain_handle_send_error (g_steal_pointer (&batch), error);
      return;
    }

  mark_reachable (batch->self);
  drain_record (g_steal_pointer (&batch), SC_REDEMPTION_STATE_SYNCED, sent->redeemed_at,
                sent->discount_fen, NULL, 0, FALSE);
}

static void
drain_send (DrainBatch *batch)
{
  ScOutboxItem *item = g_ptr_array_index (batch->items, batch->index);
  ScCounter *self = batch->self;

  sc_platform_client_redeem_async (self->client, item->redemption, self->cancellable,
                                   drain_sent_cb, batch);
}

static void
drain_resolved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DrainBatch) batch = user_data;
  g_autoptr(ScRedemption) recorded = NULL;
  g_autoptr(GError) error = NULL;

  recorded = sc_platform_client_get_redemption_finish (SC_PLATFORM_CLIENT (object), result,
                                                       &error);
  if (recorded != NULL)
    {
      ScRedemptionState state = recorded->state == SC_REDEMPTION_STATE_REVERSED
                                ? SC_REDEMPTION_STATE_REVERSED : SC_REDEMPTION_STATE_SYNCED;

      mark_reachable (batch->self);
      drain_record (g_steal_pointer (&batch), state, recorded->redeemed_at,
                    recorded->discount_fen, NULL, 0, FALSE);
      return;
    }

  if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NOT_FOUND))
    {
      /* The platform never saw it: send it again, with the same key. */
      mark_reachable (batch->self);
      drain_send (g_steal_pointer (&batch));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      drain_finish (batch->self, error);
      return;
    }

  /* Could not ask: stays uncertain, asked again later. */
  note_platform_error (batch->self, error);
  {
    ScOutboxItem *item = g_ptr_array_index (batch->items, batch->index);

    drain_record (g_steal_pointer (&batch), SC_REDEMPTION_STATE_UNCERTAIN, 0, -1,
                  error->message, backoff_until (item->attempts + 1, error), TRUE);
  }
}

static void
drain_process_next (DrainBatch *batch)
{
  ScCounter *self = batch->self;
  ScOutboxItem *item;

  /* Skip what was withdrawn since the batch was listed. */
  while (batch->index < batch->items->len)
    {
      item = g_ptr_array_index (batch->items, batch->index);
      if (!g_hash_table_contains (self->withdrawn, item->redemption->id))
        break;
      batch->index++;
    }

  if (batch->index >= batch->items->len)
    {
      /* This batch is done: list again, new items may have come. */
      drain_list (self);
      drain_batch_free (batch);
      return;
    }

  /* No session, an offline one, or another clerk's since the batch was
   * listed: nothing of it can be sent now (a new session drains again). */
  item = g_ptr_array_index (batch->items, batch->index);
  if (!session_can_send (self) ||
      !sc_outbox_owner_is_session (item->platform_id, item->store_id, item->clerk_id,
                                   self->session))
    {
      drain_finish (self, NULL);
      drain_batch_free (batch);
      return;
    }

  g_free (self->inflight_id);
  self->inflight_id = g_strdup (item->redemption->id);

  if (item->redemption->state == SC_REDEMPTION_STATE_UNCERTAIN)
    sc_platform_client_get_redemption_async (self->client, item->redemption->id,
                                             self->cancellable, drain_resolved_cb, batch);
  else
    drain_send (batch);
}

/* ------------------------------------------------------------------ */
/* Redeem                                                               */

static void
redeem_added_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  const ScRedemption *redemption = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!sc_cache_add_redemption_finish (SC_CACHE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Durable from here on. Now send it (after anything queued before it). */
  self->unsynced++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNSYNCED]);

  add_waiter (self, redemption->id, task);
  drain_start (self, FALSE);
}

void
sc_counter_redeem_async (ScCounter           *self,
                         ScVerdict           *verdict,
                         gint64               bill_fen,
                         const char          *source,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(ScRedemption) redemption = NULL;
  const ScCouponInfo *coupon;
  gint64 discount_fen = -1;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (SC_IS_VERDICT (verdict));
  g_return_if_fail (source != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_redeem_async);

  if (self->session == NULL)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_NOT_LOGGED_IN,
                               _("Log in first"));
      return;
    }

  if (sc_verdict_get_status (verdict) != SC_VERDICT_STATUS_REDEEMABLE)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_NOT_REDEEMABLE,
                               _("This code cannot be redeemed: %s"),
                               sc_verdict_status_get_label (sc_verdict_get_status (verdict)));
      return;
    }

  coupon = sc_verdict_get_coupon (verdict);
  if (sc_verdict_get_kind (verdict) == SC_CODE_KIND_COUPON)
    {
      ScVerdictStatus status;

      if (bill_fen < 0 || coupon == NULL)
        {
          g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_BILL_REQUIRED,
                                   _("Enter the bill amount to redeem a coupon"));
          return;
        }
      if (!sc_coupon_info_compute (coupon, bill_fen, &discount_fen, &status))
        {
          g_autofree char *bill = sc_format_fen (bill_fen);
          g_autofree char *min_spend = sc_format_fen (coupon->min_spend_fen);

          g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_THRESHOLD_NOT_MET,
                                   /* Translators: a bill and a coupon's minimum spend */
                                   _("The bill of %s does not reach the minimum spend of %s"),
                                   bill, min_spend);
          return;
        }
    }
  else
    {
      bill_fen = -1;
    }

  redemption = sc_redemption_new (sc_verdict_get_payload (verdict),
                                  sc_verdict_get_code (verdict),
                                  sc_verdict_get_kind (verdict),
                                  source);
  redemption->store_id = g_strdup (self->session->store_id);
  redemption->clerk_id = g_strdup (self->session->clerk_id);
  redemption->platform_id = g_strdup (self->session->platform_id);
  redemption->bill_fen = bill_fen;
  redemption->discount_fen = discount_fen;
  redemption->offline = sc_verdict_get_offline (verdict);

  g_task_set_task_data (task, sc_redemption_copy (redemption),
                        (GDestroyNotify) sc_redemption_free);
  sc_cache_add_redemption_async (self->cache, redemption, cancellable,
                                 redeem_added_cb, g_steal_pointer (&task));
}

ScRedemption *
sc_counter_redeem_finish (ScCounter     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Undo                                                                 */

static void undo_with (GTask        *task,
                       ScRedemption *redemption);

static void
undo_recorded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  ScRedemption *redemption = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!sc_cache_update_redemption_finish (SC_CACHE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_signal_emit (self, signals[REDEMPTION_CHANGED], 0, redemption);
  refresh_unsynced (self);
  g_task_return_pointer (task, sc_redemption_copy (redemption),
                         (GDestroyNotify) sc_redemption_free);
}

static void
undo_record (GTask             *task,
             ScRedemptionState  state)
{
  ScCounter *self = g_task_get_source_object (task);
  ScRedemption *redemption = g_task_get_task_data (task);

  redemption->state = state;
  redemption->updated_at = sc_time_now_unix ();
  sc_cache_update_redemption_async (self->cache, redemption->id, state, 0, -1, NULL, 0,
                                    g_task_get_cancellable (task), undo_recorded_cb,
                                    g_object_ref (task));
}

static void
undo_reversed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gint64 reversed_at = 0;

  if (!sc_platform_client_reverse_finish (SC_PLATFORM_CLIENT (object), result,
                                          &reversed_at, &error))
    {
      note_platform_error (self, error);
      if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CONFLICT) &&
          g_strcmp0 (sc_platform_error_get_api_code (error), "undo_window_passed") == 0)
        g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_UNDO_WINDOW_PASSED,
                                 _("Too late to undo: the undo window has passed"));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mark_reachable (self);
  undo_record (task, SC_REDEMPTION_STATE_REVERSED);
}

static void
undo_resolved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  ScRedemption *redemption = g_task_get_task_data (task);
  g_autoptr(ScRedemption) recorded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  recorded = sc_platform_client_get_redemption_finish (SC_PLATFORM_CLIENT (object), result,
                                                       &error);
  if (recorded == NULL)
    {
      if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NOT_FOUND))
        {
          /* Never arrived: withdraw it here, it will not be sent. */
          mark_reachable (self);
          g_hash_table_add (self->withdrawn, g_strdup (redemption->id));
          undo_record (task, SC_REDEMPTION_STATE_WITHDRAWN);
          return;
        }
      note_platform_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mark_reachable (self);
  key = g_uuid_string_random ();
  sc_platform_client_reverse_async (self->client, redemption->id, key,
                                    g_task_get_cancellable (task), undo_reversed_cb,
                                    g_object_ref (task));
}

static void undo_got_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

static void
undo_after_send_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  ScRedemption *redemption = g_task_get_task_data (G_TASK (result));
  g_autofree char *id = g_strdup (redemption->id);
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* The send is over; read where it stands now, then decide again. */
  sc_cache_get_redemption_async (self->cache, id, cancellable, undo_got_cb,
                                 g_steal_pointer (&task));
}

/* Takes @task and @redemption. */
static void
undo_with (GTask        *task_in,
           ScRedemption *redemption_in)
{
  g_autoptr(GTask) task = task_in;
  g_autoptr(ScRedemption) redemption = redemption_in;
  ScCounter *self = g_task_get_source_object (task);
  int window = self->session != NULL ? self->session->undo_window_s : DEFAULT_UNDO_WINDOW_S;
  gint64 since = redemption->redeemed_at > 0 ? redemption->redeemed_at : redemption->created_at;

  if (g_strcmp0 (self->inflight_id, redemption->id) == 0)
    {
      /* Being sent right now: wait for the answer, then decide. */
      g_autoptr(GTask) wait = g_task_new (self, g_task_get_cancellable (task),
                                          undo_after_send_cb, g_object_ref (task));

      g_task_set_task_data (wait, g_steal_pointer (&redemption),
                            (GDestroyNotify) sc_redemption_free);
      add_waiter (self, self->inflight_id, wait);
      return;
    }

  switch (redemption->state)
    {
    case SC_REDEMPTION_STATE_PENDING:
    case SC_REDEMPTION_STATE_UNCERTAIN:
    case SC_REDEMPTION_STATE_SYNCED:
      break;
    case SC_REDEMPTION_STATE_CONFLICT:
    case SC_REDEMPTION_STATE_REJECTED:
    case SC_REDEMPTION_STATE_WITHDRAWN:
    case SC_REDEMPTION_STATE_REVERSED:
    default:
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_NOTHING_TO_UNDO,
                               _("Nothing to undo: this redemption is %s"),
                               sc_redemption_state_get_label (redemption->state));
      return;
    }

  if (sc_time_now_unix () - since > window)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_UNDO_WINDOW_PASSED,
                               _("Too late to undo: the undo window has passed"));
      return;
    }

  g_task_set_task_data (task, sc_redemption_copy (redemption),
                        (GDestroyNotify) sc_redemption_free);

  switch (redemption->state)
    {
    case SC_REDEMPTION_STATE_PENDING:
      /* Never sent: take it back here, and never send it. */
      g_hash_table_add (self->withdrawn, g_strdup (redemption->id));
      undo_record (task, SC_REDEMPTION_STATE_WITHDRAWN);
      break;

    case SC_REDEMPTION_STATE_UNCERTAIN:
      sc_platform_client_get_redemption_async (self->client, redemption->id,
                                               g_task_get_cancellable (task),
                                               undo_resolved_cb, g_object_ref (task));
      break;

    case SC_REDEMPTION_STATE_SYNCED:
      {
        g_autofree char *key = g_uuid_string_random ();

        sc_platform_client_reverse_async (self->client, redemption->id, key,
                                          g_task_get_cancellable (task), undo_reversed_cb,
                                          g_object_ref (task));
      }
      break;

    case SC_REDEMPTION_STATE_CONFLICT:
    case SC_REDEMPTION_STATE_REJECTED:
    case SC_REDEMPTION_STATE_WITHDRAWN:
    case SC_REDEMPTION_STATE_REVERSED:
    default:
      g_assert_not_reached ();
    }
}

static void
undo_got_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(ScRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;

  redemption = sc_cache_get_redemption_finish (SC_CACHE (object), result, &error);
  if (redemption == NULL)
    {
      if (g_error_matches (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND))
        g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_UNKNOWN_REDEMPTION,
                                 _("No redemption with this ID was made at this counter"));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  undo_with (g_steal_pointer (&task), g_steal_pointer (&redemption));
}

void
sc_counter_undo_async (ScCounter           *self,
                       const char          *redemption_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (redemption_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_undo_async);
  sc_cache_get_redemption_async (self->cache, redemption_id, cancellable,
                                 undo_got_cb, g_steal_pointer (&task));
}

ScRedemption *
sc_counter_undo_finish (ScCounter     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Sync                                                                 */

void
sc_counter_sync_async (ScCounter           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SC_IS_COUNTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_sync_async);
  g_ptr_array_add (self->sync_tasks, g_steal_pointer (&task));
  drain_start (self, TRUE);
}

guint
sc_counter_sync_finish (ScCounter     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  n = g_task_propagate_int (G_TASK (result), error);
  return n < 0 ? 0 : (guint) n;
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */

ScCounter *
sc_counter_new (ScCache          *cache,
                ScPlatformClient *client)
{
  ScCounter *self;

  g_return_val_if_fail (SC_IS_CACHE (cache), NULL);
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (client), NULL);

  self = g_object_new (SC_TYPE_COUNTER, NULL);
  self->cache = g_object_ref (cache);
  self->client = g_object_ref (client);
  refresh_unsynced (self);

  return self;
}

gboolean
sc_counter_is_idle (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), TRUE);
  return !self->draining && self->n_refreshing == 0 && !self->manifest_busy &&
         !self->health_busy && !self->relogin_busy;
}

ScCache *
sc_counter_get_cache (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), NULL);
  return self->cache;
}

gboolean
sc_counter_get_online (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), FALSE);
  return self->online;
}

guint
sc_counter_get_unsynced (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), 0);
  return self->unsynced;
}

guint
sc_counter_get_waiting (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), 0);
  return self->waiting;
}

GPtrArray *
sc_counter_get_waiting_owners (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), NULL);
  return self->waiting_owners;
}

const ScSession *
sc_counter_get_session (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), NULL);
  return self->session;
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ScCounter) self = user_data;
  g_autoptr(GError) error = NULL;

  self->n_refreshing--;
  if (!sc_platform_client_logout_finish (SC_PLATFORM_CLIENT (object), result, &error))
    g_debug ("The platform did not revoke the session: %s", error->message);
}

void
sc_counter_logout (ScCounter *self)
{
  g_return_if_fail (SC_IS_COUNTER (self));

  /* An online session's token goes to the platform to be revoked; the
   * client forgets it at once, whatever the answer. */
  if (self->session != NULL && self->session->token != NULL &&
      sc_platform_client_get_token (self->client) != NULL)
    {
      /* Counted as work in flight, so that a caller about to exit (the
       * CLI) waits for it. */
      self->n_refreshing++;
      sc_platform_client_logout_async (self->client, NULL, logout_cb, g_object_ref (self));
    }
  sc_counter_set_session (self, NULL);
}

void
sc_counter_set_session (ScCounter       *self,
                        const ScSession *session)
{
  g_return_if_fail (SC_IS_COUNTER (self));

  if (session == self->session)
    return;

  clear_offline_pin (self);
  g_clear_pointer (&self->session, sc_session_free);
  g_clear_handle_id (&self->manifest_timer_id, g_source_remove);
  if (session != NULL)
    self->session = sc_session_copy (session);
  /* The store's key, for the manifest and offline logins: memory only. */
  if (session != NULL && session->store_id != NULL && session->manifest_key != NULL)
    sc_cache_set_store_key (self->cache, session->store_id, session->manifest_key);
  sc_platform_client_set_token (self->client, session != NULL ? session->token : NULL);
  /* Another session's conflicts are not this one's: recounted below. */
  set_conflicts (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);

  /* Keep today's pickup orders at hand for when the network goes. The
   * timer holds no reference: dispose removes it. */
  if (session != NULL && session->token != NULL)
    {
      manifest_refresh (self);
      self->manifest_timer_id = g_timeout_add_seconds (MANIFEST_REFRESH_S, manifest_timer_cb,
                                                       self);
      /* The clock check; and anything left from before (a crash, a dead
       * network, a restart with a saved session) goes out now. */
      health_send (self);
      drain_start (self, FALSE);
    }

  refresh_conflicts (self);
  schedule_day_timer (self);
  /* What waits for whom depends on who is logged in. */
  refresh_unsynced (self);
}

void
sc_counter_set_store_key (ScCounter  *self,
                          const char *store_id,
                          const char *key)
{
  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (store_id != NULL);

  sc_cache_set_store_key (self->cache, store_id, key);
}

static void
sc_counter_dispose (GObject *object)
{
  ScCounter *self = SC_COUNTER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->manifest_timer_id, g_source_remove);
  g_clear_handle_id (&self->probe_timer_id, g_source_remove);
  g_clear_handle_id (&self->retry_timer_id, g_source_remove);
  g_clear_handle_id (&self->day_timer_id, g_source_remove);
  g_clear_object (&self->client);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (sc_counter_parent_class)->dispose (object);
}

static void
sc_counter_finalize (GObject *object)
{
  ScCounter *self = SC_COUNTER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, sc_session_free);
  g_clear_pointer (&self->inflight_id, g_free);
  g_clear_pointer (&self->waiters, g_hash_table_unref);
  g_clear_pointer (&self->sync_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->withdrawn, g_hash_table_unref);
  g_clear_pointer (&self->waiting_owners, g_ptr_array_unref);
  clear_offline_pin (self);

  G_OBJECT_CLASS (sc_counter_parent_class)->finalize (object);
}

static void
sc_counter_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ScCounter *self = SC_COUNTER (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_UNSYNCED:
      g_value_set_uint (value, self->unsynced);
      break;
    case PROP_SESSION:
      g_value_set_boxed (value, self->session);
      break;
    case PROP_MANIFEST_FETCHED_AT:
      g_value_set_int64 (value, self->manifest_fetched_at);
      break;
    case PROP_CLOCK_SKEW:
      g_value_set_int64 (value, self->clock_skew);
      break;
    case PROP_CONFLICTS:
      g_value_set_uint (value, self->conflicts);
      break;
    case PROP_WAITING:
      g_value_set_uint (value, self->waiting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_counter_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ScCounter *self = SC_COUNTER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sc_counter_set_session (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_counter_class_init (ScCounterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sc_counter_dispose;
  object_class->finalize = sc_counter_finalize;
  object_class->get_property = sc_counter_get_property;
  object_class->set_property = sc_counter_set_property;

  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNSYNCED] =
    g_param_spec_uint ("unsynced", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_boxed ("session", NULL, NULL, SC_TYPE_SESSION,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MANIFEST_FETCHED_AT] =
    g_param_spec_int64 ("manifest-fetched-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOCK_SKEW] =
    g_param_spec_int64 ("clock-skew", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFLICTS] =
    g_param_spec_uint ("conflicts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAITING] =
    g_param_spec_uint ("waiting", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REDEMPTION_CHANGED] =
    g_signal_new ("redemption-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  SC_TYPE_REDEMPTION | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
sc_counter_init (ScCounter *self)
{
  self->cancellable = g_cancellable_new ();
  self->probe_base_ms = PROBE_BASE_MS;
  self->probe_cap_ms = PROBE_CAP_MS;
  self->waiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->sync_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->withdrawn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting_owners = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_outbox_owner_free);
}
