/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-code.h"
#include "sc-db.h"
#include "sc-counter.h"
#include "sc-platform-client.h"

#define DEFAULT_UNDO_WINDOW_S 120
#define MAX_BACKOFF_S 30
#define OUTBOX_BATCH 100
#define MANIFEST_REFRESH_S (5 * 60)

struct _ScCounter
{
  GObject           parent_instance;

  ScCache          *cache;         /* (owned) */
  ScPlatformClient *client;        /* (owned) */
  ScSession        *session;       /* (owned) (nullable) */
  GCancellable     *cancellable;   /* (owned) internal work; cancelled in dispose */

  gboolean          online;
  guint             unsynced;
  guint             n_refreshing;  /* unsynced counts in flight */

  /* The pickup manifest, for offline lookups. */
  gboolean          manifest_busy;
  guint             manifest_timer_id;
  gint64            manifest_fetched_at;  /* unix s; 0: never (this run) */

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

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
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
note_platform_error (ScCounter    *self,
                     const GError *error)
{
  if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NETWORK) ||
      g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_TIMEOUT))
    set_online (self, FALSE);
  else if (error->domain == SC_PLATFORM_ERROR)
    set_online (self, TRUE);  /* it answered, if not kindly */
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
refresh_unsynced (ScCounter *self)
{
  self->n_refreshing++;
  sc_cache_count_unsynced_async (self->cache, self->cancellable,
                                 count_unsynced_cb, g_object_ref (self));
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
      self->manifest_fetched_at = now_unix ();
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

  manifest = sc_platform_client_get_json_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (manifest == NULL)
    {
      note_platform_error (self, error);
      manifest_done (fetch, error);
      return;
    }

  set_online (self, TRUE);
  g_clear_pointer (&fetch->cursor, g_free);
  if (json_object_has_member (manifest, "next_cursor"))
    {
      JsonNode *next = json_object_get_member (manifest, "next_cursor");

      if (JSON_NODE_HOLDS_VALUE (next) && json_node_get_value_type (next) == G_TYPE_STRING)
        fetch->cursor = g_uri_escape_string (json_node_get_string (next), NULL, FALSE);
      else if (!JSON_NODE_HOLDS_NULL (next))
        {
          g_autoptr(GError) bad = NULL;

          /* Translators: %s is a JSON member name */
          bad = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("The platform sent an order list we cannot read (%s)"),
                             "next_cursor");

          manifest_done (fetch, bad);
          return;
        }
    }
  store_id = fetch->store_id;  /* lives as long as fetch, handed on below */
  sc_cache_apply_manifest_async (self->cache, store_id, manifest, self->cancellable,
                                 manifest_applied_cb, g_steal_pointer (&fetch));
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
  g_autofree char *path = NULL;

  if (fetch->cursor != NULL)
    path = g_strdup_printf ("/v1/manifest?since=%" G_GINT64_FORMAT "&cursor=%s", fetch->since,
                            fetch->cursor);
  else
    path = g_strdup_printf ("/v1/manifest?since=%" G_GINT64_FORMAT, fetch->since);
  sc_platform_client_get_json_async (self->client, path, self->cancellable,
                                     manifest_fetched_cb, fetch);
}

static void
manifest_refresh (ScCounter *self)
{
  ManifestFetch *fetch;

  if (self->manifest_busy || self->session == NULL)
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
  manifest_refresh (SC_COUNTER (user_data));
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

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = sc_platform_client_login_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (session == NULL)
    {
      note_platform_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  set_online (self, TRUE);
  sc_counter_set_session (self, session);
  g_task_return_boolean (task, TRUE);

  /* Anything left from before (a crash, a dead network) goes out now. */
  drain_start (self, FALSE);
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

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (store_id != NULL && clerk_id != NULL && pin != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_login_async);
  sc_platform_client_login_async (self->client, store_id, clerk_id, pin, cancellable,
                                  login_cb, g_steal_pointer (&task));
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
                                     sc_code_get_code (code), now_unix (),
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
      if ((g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NETWORK) ||
           g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_TIMEOUT)) &&
          lookup_offline (self, task))
        return;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Redeem with what was shown: a live token stays a live token. */
  sc_verdict_set_payload (verdict, sc_code_get_payload (code));
  set_online (self, TRUE);
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

  code = sc_code_parse (input, now_unix (), &error);
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

  items = sc_cache_list_outbox_finish (SC_CACHE (object), result, &error);
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
  sc_cache_list_outbox_async (self->cache, self->drain_force ? -1 : now_unix (), OUTBOX_BATCH,
                              self->cancellable, drain_listed_cb, g_object_ref (self));
}

typedef struct
{
  DrainBatch   *batch;       /* (owned) */
  ScRedemption *redemption;  /* (owned) the new state, to tell the waiters */
  gboolean      stop;        /* stop draining after this update */
} DrainUpdate;

static void
drain_update_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DrainUpdate *update = user_data;
  g_autoptr(DrainBatch) batch = g_steal_pointer (&update->batch);
  g_autoptr(ScRedemption) redemption = g_steal_pointer (&update->redemption);
  gboolean stop = update->stop;
  ScCounter *self = batch->self;
  g_autoptr(GError) error = NULL;

  g_free (update);

  if (!sc_cache_update_redemption_finish (SC_CACHE (object), result, &error))
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
  redemption->updated_at = now_unix ();

  update = g_new0 (DrainUpdate, 1);
  update->batch = batch;
  update->redemption = redemption;
  update->stop = stop;

  sc_cache_update_redemption_async (self->cache, redemption->id, state, redeemed_at,
                                    discount_fen, reason, next_attempt_at,
                                    self->cancellable, drain_update_cb, update);
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

  return now_unix () + delay;
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

/* Maps a failed send to the redemption's next state. */
static void
drain_handle_send_error (DrainBatch   *batch,
                         const GError *error)
{
  ScOutboxItem *item = g_ptr_array_index (batch->items, batch->index);
  ScCounter *self = batch->self;

  note_platform_error (self, error);

  if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_TIMEOUT) ||
      g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA))
    {
      /* It may or may not have arrived: ask before sending again. */
      drain_record (batch, SC_REDEMPTION_STATE_UNCERTAIN, 0, -1, error->message,
                    backoff_until (item->attempts + 1, error), TRUE);
    }
  else if (sc_platform_error_is_transient (error) ||
           g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_UNAUTHORIZED))
    {
      /* Never dropped: try again later with the same key. A lapsed session
       * keeps it too, until the clerk logs in again. */
      drain_record (batch, item->redemption->state, 0, -1, error->message,
                    backoff_until (item->attempts + 1, error), TRUE);
    }
  else if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CONFLICT) &&
           g_strcmp0 (sc_platform_error_get_api_code (error), "already_redeemed") == 0)
    {
      g_autofree char *reason = describe_conflict (error);

      drain_record (batch, SC_REDEMPTION_STATE_CONFLICT, 0, -1, reason, 0, FALSE);
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

  set_online (batch->self, TRUE);
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

      set_online (batch->self, TRUE);
      drain_record (g_steal_pointer (&batch), state, recorded->redeemed_at,
                    recorded->discount_fen, NULL, 0, FALSE);
      return;
    }

  if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NOT_FOUND))
    {
      /* The platform never saw it: send it again, with the same key. */
      set_online (batch->self, TRUE);
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

  if (self->session == NULL)
    {
      drain_finish (self, NULL);
      drain_batch_free (batch);
      return;
    }

  item = g_ptr_array_index (batch->items, batch->index);
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
  redemption->updated_at = now_unix ();
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

  set_online (self, TRUE);
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
          set_online (self, TRUE);
          g_hash_table_add (self->withdrawn, g_strdup (redemption->id));
          undo_record (task, SC_REDEMPTION_STATE_WITHDRAWN);
          return;
        }
      note_platform_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  set_online (self, TRUE);
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

  if (now_unix () - since > window)
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
  return !self->draining && self->n_refreshing == 0 && !self->manifest_busy;
}

ScCache *
sc_counter_get_cache (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), NULL);
  return self->cache;
}

ScPlatformClient *
sc_counter_get_client (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), NULL);
  return self->client;
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

const ScSession *
sc_counter_get_session (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), NULL);
  return self->session;
}

void
sc_counter_set_session (ScCounter       *self,
                        const ScSession *session)
{
  g_return_if_fail (SC_IS_COUNTER (self));

  if (session == self->session)
    return;

  g_clear_pointer (&self->session, sc_session_free);
  g_clear_handle_id (&self->manifest_timer_id, g_source_remove);
  if (session != NULL)
    self->session = sc_session_copy (session);
  sc_platform_client_set_token (self->client, session != NULL ? session->token : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);

  /* Keep today's pickup orders at hand for when the network goes. The
   * timer holds no reference: dispose removes it. */
  if (session != NULL)
    {
      manifest_refresh (self);
      self->manifest_timer_id = g_timeout_add_seconds (MANIFEST_REFRESH_S, manifest_timer_cb,
                                                       self);
    }
}

static void
sc_counter_dispose (GObject *object)
{
  ScCounter *self = SC_COUNTER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->manifest_timer_id, g_source_remove);
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
  self->waiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->sync_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->withdrawn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
