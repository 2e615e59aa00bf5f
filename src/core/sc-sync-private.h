/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-cache.h"
#include "sc-sync.h"

G_BEGIN_DECLS

struct _ScSync
{
  GObject           parent_instance;

  ScCache          *cache;          /* (owned) */
  ScPlatformClient *client;         /* (owned) */
  ScConnectivity   *connectivity;   /* (owned) */
  ScSession        *session;        /* (owned) (nullable) whose items may go */
  GCancellable     *cancellable;    /* (owned) cancelled in dispose */

  guint             unsynced;
  /* Outbox items this session may not send (another platform, store or
   * clerk made them), and whose they are (element-type ScOutboxOwner). */
  guint             waiting;
  GPtrArray        *waiting_owners; /* (owned) */
  guint             n_refreshing;   /* counts and retry look-ups in flight */

  /* The next outbox item due, when online. */
  guint             retry_timer_id;

  /* The drain; everything lives on the main context. */
  gboolean          draining;
  gboolean          drain_again;
  gboolean          drain_force;
  guint             drain_settled;
  char             *inflight_id;    /* (owned) (nullable) the item being sent */
  GHashTable       *waiters;        /* (owned) id -> GPtrArray of GTask */
  GPtrArray        *sync_tasks;     /* (owned) GTasks of sync callers */
  GHashTable       *withdrawn;      /* (owned) ids withdrawn locally: never send */
  GHashTable       *unknown;        /* (owned) ids of unknown actions, logged once */
};

/* A batch of outbox items being drained, and which one is up. */
typedef struct
{
  ScSync    *self;   /* (owned) */
  GPtrArray *items;  /* (owned) (element-type ScOutboxItem) */
  guint      index;
  guint      tried;  /* items of this batch sent or asked about */
} ScSyncBatch;

void sc_sync_batch_free (ScSyncBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScSyncBatch, sc_sync_batch_free)

/**
 * ScSyncAction: how one kind of outbox row (its `action` column) goes to
 * the platform. Each takes the batch and, once the platform answered,
 * hands it to sc_sync_record() (or the failure helpers below).
 * @send: sends the batch's current item.
 * @resolved: its last send may or may not have arrived (UNCERTAIN), and
 *   the platform has @recorded of it: TRUE if that shows it arrived, with
 *   the state to record; FALSE (or no record at all) sends it again.
 * @refused_state: what a final refusal leaves the redemption in.
 * @refused: (nullable) a final refusal this action records its own way
 *   (a conflict): returns FALSE for the others.
 */
typedef struct
{
  const char        *name;
  void             (*send)    (ScSyncBatch  *batch);
  gboolean         (*resolved) (const ScRedemption *recorded,
                                ScRedemptionState  *out_state);
  ScRedemptionState  refused_state;
  gboolean         (*refused) (ScSyncBatch  *batch,
                               const GError *error);
} ScSyncAction;

extern const ScSyncAction sc_sync_action_redeem;    /* sc-sync-redeem.c */
extern const ScSyncAction sc_sync_action_reversal;  /* sc-sync-reversal.c */

ScOutboxItem *sc_sync_batch_get_item (ScSyncBatch       *batch);
/* Records @state for the batch's current item, then goes on (or stops). */
void          sc_sync_record         (ScSyncBatch       *batch,
                                      ScRedemptionState  state,
                                      gint64             redeemed_at,
                                      gint64             discount_fen,
                                      const char        *reason,
                                      gint64             next_attempt_at,
                                      gboolean           stop);
/* Records the batch's current item as CONFLICT, with the platform's record
 * of the redemption that took the code (nullable), then goes on. */
void          sc_sync_record_conflict (ScSyncBatch      *batch,
                                       const char       *reason,
                                       const char       *platform_json);
/* The send failed: maps @error to the item's next state (cancelled: the
 * drain stops). Takes @batch. */
void          sc_sync_send_failed    (ScSyncBatch       *batch,
                                      const GError      *error);

G_END_DECLS
