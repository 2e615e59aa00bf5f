/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-backoff.h"
#include "sc-connectivity.h"
#include "sc-platform-client.h"
#include "sc-counter-error.h"
#include "sc-sync-private.h"
#include "sc-time.h"

#define MAX_BACKOFF_S 30
#define OUTBOX_BATCH 100

G_DEFINE_FINAL_TYPE (ScSync, sc_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_UNSYNCED,
  PROP_WAITING,
  N_PROPS
};

enum {
  REDEMPTION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* What an outbox row's `action` may say, and how each goes. */
static const ScSyncAction *const actions[] = {
  &sc_sync_action_redeem,
  &sc_sync_action_reversal,
};

static const ScSyncAction *
find_action (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      if (g_strcmp0 (actions[i]->name, name) == 0)
        return actions[i];
    }
  return NULL;
}

static void drain_process_next (ScSyncBatch *batch);
static void drain_list (ScSync *self);
static void retry_schedule (ScSync *self);

/* The session can send its own outbox items: it has a token, and knows
 * which platform it is on. */
static gboolean
session_can_send (ScSync *self)
{
  return self->session != NULL && self->session->token != NULL &&
         self->session->platform_id != NULL;
}

/* ---- counts ---- */

static void
count_unsynced_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ScSync) self = user_data;
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
  g_autoptr(ScSync) self = user_data;
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

void
sc_sync_refresh_counts (ScSync *self)
{
  g_return_if_fail (SC_IS_SYNC (self));

  self->n_refreshing += 2;
  sc_cache_count_unsynced_async (self->cache, self->cancellable,
                                 count_unsynced_cb, g_object_ref (self));
  sc_cache_list_outbox_owners_async (self->cache, self->cancellable, list_owners_cb,
                                     g_object_ref (self));
}

void
sc_sync_note_added (ScSync *self)
{
  g_return_if_fail (SC_IS_SYNC (self));

  self->unsynced++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNSYNCED]);
}

/* ---- waiters ---- */

/* Hands @redemption to everyone waiting for @id (redeem and undo calls). */
static void
settle_waiters (ScSync             *self,
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

void
sc_sync_add_waiter (ScSync     *self,
                    const char *id,
                    GTask      *task)
{
  GPtrArray *tasks;

  g_return_if_fail (SC_IS_SYNC (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (G_IS_TASK (task));

  tasks = g_hash_table_lookup (self->waiters, id);
  if (tasks == NULL)
    {
      tasks = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->waiters, g_strdup (id), tasks);
    }
  g_ptr_array_add (tasks, g_object_ref (task));
}

void
sc_sync_add_caller (ScSync *self,
                    GTask  *task)
{
  g_return_if_fail (SC_IS_SYNC (self));
  g_return_if_fail (G_IS_TASK (task));

  g_ptr_array_add (self->sync_tasks, g_object_ref (task));
}

/* Whoever still waits gets their redemption as it stands: saved, not sent. */
static void
return_waiters_as_saved (ScSync *self)
{
  GHashTableIter iter;
  gpointer value;

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
}

/* ---- the drain ---- */

void
sc_sync_batch_free (ScSyncBatch *batch)
{
  g_clear_object (&batch->self);
  g_clear_pointer (&batch->items, g_ptr_array_unref);
  g_free (batch);
}

ScOutboxItem *
sc_sync_batch_get_item (ScSyncBatch *batch)
{
  return g_ptr_array_index (batch->items, batch->index);
}

static void
drain_finish (ScSync       *self,
              const GError *error)
{
  g_autoptr(GPtrArray) sync_tasks = NULL;

  self->draining = FALSE;
  g_clear_pointer (&self->inflight_id, g_free);

  return_waiters_as_saved (self);

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

  sc_sync_refresh_counts (self);

  /* Someone asked again while the last pass was stopping. */
  if (self->drain_again && error == NULL && sc_connectivity_get_online (self->connectivity))
    sc_sync_start (self, self->drain_force);
  else if (error == NULL)
    retry_schedule (self);
}

static gboolean
retry_timer_cb (gpointer user_data)
{
  ScSync *self = SC_SYNC (user_data);

  self->retry_timer_id = 0;
  sc_sync_start (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
next_attempt_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ScSync) self = user_data;
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
  if (next < 0 || sc_connectivity_get_probing (self->connectivity) || self->draining ||
      !session_can_send (self))
    return;

  g_clear_handle_id (&self->retry_timer_id, g_source_remove);
  /* No reference: dispose removes the timer. */
  self->retry_timer_id = g_timeout_add_seconds ((guint) CLAMP (next - sc_time_now_unix (), 1,
                                                               MAX_BACKOFF_S * 4),
                                                retry_timer_cb, self);
}

/* Items put off (backoff, Retry-After) go when they are due. */
static void
retry_schedule (ScSync *self)
{
  if (sc_connectivity_get_probing (self->connectivity) || !session_can_send (self))
    return;

  /* Only what this session may send: the rest waits for its own clerk. */
  self->n_refreshing++;
  sc_cache_get_next_attempt_for_async (self->cache, self->session->platform_id,
                                       self->session->store_id, self->session->clerk_id,
                                       self->cancellable, next_attempt_cb,
                                       g_object_ref (self));
}

/* Offline: what waited for a due time waits for the probe instead. */
static void
probing_changed_cb (ScSync *self)
{
  if (sc_connectivity_get_probing (self->connectivity))
    g_clear_handle_id (&self->retry_timer_id, g_source_remove);
}

void
sc_sync_start (ScSync   *self,
               gboolean  force)
{
  g_return_if_fail (SC_IS_SYNC (self));

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
  if (sc_connectivity_get_probing (self->connectivity) && !force)
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
  g_autoptr(ScSync) self = user_data;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  ScSyncBatch *batch;

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
  batch = g_new0 (ScSyncBatch, 1);
  batch->self = g_object_ref (self);
  batch->items = g_steal_pointer (&items);
  drain_process_next (batch);
}

static void
drain_list (ScSync *self)
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
  ScSyncBatch  *batch;       /* (owned) */
  ScRedemption *redemption;  /* (owned) the new state, to tell the waiters */
  gboolean      stop;        /* stop draining after this update */
} DrainUpdate;

/* The cache recorded (or failed to record, @error set) @update. */
static void
drain_updated (DrainUpdate  *update,
               const GError *error)
{
  g_autoptr(ScSyncBatch) batch = g_steal_pointer (&update->batch);
  g_autoptr(ScRedemption) redemption = g_steal_pointer (&update->redemption);
  gboolean stop = update->stop;
  ScSync *self = batch->self;

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
  g_autoptr(GError) error = NULL;

  sc_cache_record_conflict_finish (SC_CACHE (object), result, &error);
  drain_updated (user_data, error);
}

static DrainUpdate *
drain_update_new (ScSyncBatch       *batch,
                  ScRedemptionState  state,
                  const char        *reason,
                  gboolean           stop)
{
  ScOutboxItem *item = sc_sync_batch_get_item (batch);
  DrainUpdate *update = g_new0 (DrainUpdate, 1);
  ScRedemption *redemption = sc_redemption_copy (item->redemption);

  redemption->state = state;
  g_free (redemption->reason);
  redemption->reason = g_strdup (reason);
  redemption->updated_at = sc_time_now_unix ();

  update->batch = batch;
  update->redemption = redemption;
  update->stop = stop;
  return update;
}

void
sc_sync_record (ScSyncBatch       *batch,
                ScRedemptionState  state,
                gint64             redeemed_at,
                gint64             discount_fen,
                const char        *reason,
                gint64             next_attempt_at,
                gboolean           stop)
{
  ScSync *self = batch->self;
  DrainUpdate *update = drain_update_new (batch, state, reason, stop);
  ScRedemption *redemption = update->redemption;

  if (redeemed_at > 0)
    redemption->redeemed_at = redeemed_at;
  if (discount_fen >= 0)
    redemption->discount_fen = discount_fen;

  sc_cache_update_redemption_async (self->cache, redemption->id, state, redeemed_at,
                                    discount_fen, reason, next_attempt_at,
                                    self->cancellable, drain_update_cb, update);
}

void
sc_sync_record_conflict (ScSyncBatch *batch,
                         const char  *reason,
                         const char  *platform_json)
{
  ScSync *self = batch->self;
  DrainUpdate *update = drain_update_new (batch, SC_REDEMPTION_STATE_CONFLICT, reason, FALSE);

  sc_cache_record_conflict_async (self->cache, update->redemption->id, reason, platform_json,
                                  self->cancellable, drain_conflict_cb, update);
}

/* When an item put off after @attempts sends goes again: the backoff, or
 * later if the platform said so (Retry-After). */
static gint64
backoff_until (int           attempts,
               const GError *error)
{
  static const ScBackoff backoff = {
    .base = 1000, .cap = MAX_BACKOFF_S * 1000, .jitter_min = 1.0, .jitter_max = 1.5,
  };
  int delay = (int) ((sc_backoff_delay (&backoff, (guint) MAX (attempts, 0)) + 500) / 1000);
  int retry_after = sc_platform_error_get_retry_after (error);

  if (retry_after > delay)
    delay = retry_after;

  return sc_time_now_unix () + delay;
}

/* Errors after which the item is tried again later with the same key. A
 * lapsed session keeps it too, until the clerk logs in again; so does one
 * the platform says is not its maker's, and a refused certificate until
 * it is put right. */
static gboolean
error_is_try_later (const GError *error)
{
  return sc_platform_error_is_transient (error) ||
         g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_UNAUTHORIZED) ||
         g_strcmp0 (sc_platform_error_get_api_code (error), "session_mismatch") == 0 ||
         sc_counter_error_is_certificate (error);
}

void
sc_sync_send_failed (ScSyncBatch  *batch,
                     const GError *error)
{
  ScOutboxItem *item = sc_sync_batch_get_item (batch);
  const ScSyncAction *action = find_action (item->action);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      drain_finish (batch->self, error);
      sc_sync_batch_free (batch);
      return;
    }

  sc_connectivity_note_error (batch->self->connectivity, error);

  if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NETWORK))
    {
      /* Never arrived. The health probe says when the platform is back;
       * then it goes at once, with the same key. */
      sc_sync_record (batch, item->redemption->state, 0, -1, error->message, 0, TRUE);
    }
  else if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_TIMEOUT) ||
           g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_BAD_DATA))
    {
      /* It may or may not have arrived: ask before sending again. */
      sc_sync_record (batch, SC_REDEMPTION_STATE_UNCERTAIN, 0, -1, error->message,
                      backoff_until (item->attempts + 1, error), TRUE);
    }
  else if (error_is_try_later (error))
    {
      sc_sync_record (batch, item->redemption->state, 0, -1, error->message,
                      backoff_until (item->attempts + 1, error), TRUE);
    }
  else if (action->refused == NULL || !action->refused (batch, error))
    {
      sc_sync_record (batch, action->refused_state, 0, -1, error->message, 0, FALSE);
    }
}

static void
drain_resolved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ScSyncBatch) batch = user_data;
  g_autoptr(ScRedemption) recorded = NULL;
  g_autoptr(GError) error = NULL;
  ScOutboxItem *item = sc_sync_batch_get_item (batch);
  const ScSyncAction *action = find_action (item->action);
  ScConnectivity *connectivity = batch->self->connectivity;
  ScRedemptionState state;

  recorded = sc_platform_client_get_redemption_finish (SC_PLATFORM_CLIENT (object), result,
                                                       &error);
  if (recorded != NULL && action->resolved (recorded, &state))
    {
      sc_connectivity_mark_reachable (connectivity);
      sc_sync_record (g_steal_pointer (&batch), state, recorded->redeemed_at,
                      recorded->discount_fen, NULL, 0, FALSE);
    }
  else if (recorded != NULL ||
           g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NOT_FOUND))
    {
      /* The platform never saw it: send it again, with the same key. */
      sc_connectivity_mark_reachable (connectivity);
      action->send (g_steal_pointer (&batch));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      drain_finish (batch->self, error);
    }
  else
    {
      /* Could not ask: stays uncertain, asked again later. */
      sc_connectivity_note_error (connectivity, error);
      sc_sync_record (g_steal_pointer (&batch), SC_REDEMPTION_STATE_UNCERTAIN, 0, -1,
                      error->message, backoff_until (item->attempts + 1, error), TRUE);
    }
}

/* Sent before, and it may or may not have arrived: ask. */
static void
drain_resolve (ScSyncBatch *batch)
{
  ScOutboxItem *item = sc_sync_batch_get_item (batch);
  ScSync *self = batch->self;

  sc_platform_client_get_redemption_async (self->client, item->redemption->id,
                                           self->cancellable, drain_resolved_cb, batch);
}

/* The action of the batch's next item that can go now, skipping what was
 * withdrawn since the batch was listed and actions this version does not
 * know (kept for one that does: logged once, never sent, never dropped).
 * NULL at the end of the batch. */
static const ScSyncAction *
drain_next_action (ScSyncBatch *batch)
{
  ScSync *self = batch->self;

  for (; batch->index < batch->items->len; batch->index++)
    {
      ScOutboxItem *item = sc_sync_batch_get_item (batch);
      const ScSyncAction *action;

      if (g_hash_table_contains (self->withdrawn, item->redemption->id))
        continue;
      action = find_action (item->action);
      if (action != NULL)
        return action;
      if (g_hash_table_add (self->unknown, g_strdup (item->redemption->id)))
        g_warning ("Outbox item %s has an action this version cannot send (“%s”): kept",
                   item->redemption->id, item->action);
    }
  return NULL;
}

static void
drain_process_next (ScSyncBatch *batch)
{
  ScSync *self = batch->self;
  const ScSyncAction *action = drain_next_action (batch);
  ScOutboxItem *item;

  if (action == NULL)
    {
      /* This batch is done: list again, new items may have come; unless
       * nothing of it could go (it would come back as it is). */
      if (batch->tried > 0)
        drain_list (self);
      else
        drain_finish (self, NULL);
      sc_sync_batch_free (batch);
      return;
    }

  /* No session, an offline one, or another clerk's since the batch was
   * listed: nothing of it can be sent now (a new session drains again). */
  item = sc_sync_batch_get_item (batch);
  if (!session_can_send (self) ||
      !sc_outbox_owner_is_session (item->platform_id, item->store_id, item->clerk_id,
                                   self->session))
    {
      drain_finish (self, NULL);
      sc_sync_batch_free (batch);
      return;
    }

  g_free (self->inflight_id);
  self->inflight_id = g_strdup (item->redemption->id);
  batch->tried++;

  if (item->redemption->state == SC_REDEMPTION_STATE_UNCERTAIN)
    drain_resolve (batch);
  else
    action->send (batch);
}

/* ---- the object ---- */

void
sc_sync_set_session (ScSync          *self,
                     const ScSession *session)
{
  g_return_if_fail (SC_IS_SYNC (self));

  if (session == self->session)
    return;
  g_clear_pointer (&self->session, sc_session_free);
  if (session != NULL)
    self->session = sc_session_copy (session);
}

const char *
sc_sync_get_inflight_id (ScSync *self)
{
  g_return_val_if_fail (SC_IS_SYNC (self), NULL);
  return self->inflight_id;
}

void
sc_sync_withdraw (ScSync     *self,
                  const char *id)
{
  g_return_if_fail (SC_IS_SYNC (self));
  g_return_if_fail (id != NULL);

  g_hash_table_add (self->withdrawn, g_strdup (id));
}

guint
sc_sync_get_unsynced (ScSync *self)
{
  g_return_val_if_fail (SC_IS_SYNC (self), 0);
  return self->unsynced;
}

guint
sc_sync_get_waiting (ScSync *self)
{
  g_return_val_if_fail (SC_IS_SYNC (self), 0);
  return self->waiting;
}

GPtrArray *
sc_sync_get_waiting_owners (ScSync *self)
{
  g_return_val_if_fail (SC_IS_SYNC (self), NULL);
  return self->waiting_owners;
}

gboolean
sc_sync_is_idle (ScSync *self)
{
  g_return_val_if_fail (SC_IS_SYNC (self), TRUE);
  return !self->draining && self->n_refreshing == 0;
}

ScSync *
sc_sync_new (ScCache          *cache,
             ScPlatformClient *client,
             ScConnectivity   *connectivity)
{
  ScSync *self;

  g_return_val_if_fail (SC_IS_CACHE (cache), NULL);
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (client), NULL);
  g_return_val_if_fail (SC_IS_CONNECTIVITY (connectivity), NULL);

  self = g_object_new (SC_TYPE_SYNC, NULL);
  self->cache = g_object_ref (cache);
  self->client = g_object_ref (client);
  self->connectivity = g_object_ref (connectivity);
  g_signal_connect_object (connectivity, "notify::probing", G_CALLBACK (probing_changed_cb),
                           self, G_CONNECT_SWAPPED);
  return self;
}

static void
sc_sync_dispose (GObject *object)
{
  ScSync *self = SC_SYNC (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_timer_id, g_source_remove);
  g_clear_object (&self->connectivity);
  g_clear_object (&self->client);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (sc_sync_parent_class)->dispose (object);
}

static void
sc_sync_finalize (GObject *object)
{
  ScSync *self = SC_SYNC (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, sc_session_free);
  g_clear_pointer (&self->inflight_id, g_free);
  g_clear_pointer (&self->waiters, g_hash_table_unref);
  g_clear_pointer (&self->sync_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->withdrawn, g_hash_table_unref);
  g_clear_pointer (&self->unknown, g_hash_table_unref);
  g_clear_pointer (&self->waiting_owners, g_ptr_array_unref);

  G_OBJECT_CLASS (sc_sync_parent_class)->finalize (object);
}

static void
sc_sync_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  ScSync *self = SC_SYNC (object);

  switch (prop_id)
    {
    case PROP_UNSYNCED:
      g_value_set_uint (value, self->unsynced);
      break;
    case PROP_WAITING:
      g_value_set_uint (value, self->waiting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_sync_class_init (ScSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sc_sync_dispose;
  object_class->finalize = sc_sync_finalize;
  object_class->get_property = sc_sync_get_property;

  properties[PROP_UNSYNCED] =
    g_param_spec_uint ("unsynced", NULL, NULL, 0, G_MAXUINT, 0,
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
sc_sync_init (ScSync *self)
{
  self->cancellable = g_cancellable_new ();
  self->waiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->sync_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->withdrawn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unknown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting_owners = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_outbox_owner_free);
}
