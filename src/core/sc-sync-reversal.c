/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-connectivity.h"
#include "sc-platform-client.h"
#include "sc-sync-private.h"

/* The "reversal" action: POST /v1/redemptions/{id}/reversal with the
 * outbox row's idempotency key; done, the redemption is REVERSED; refused
 * (the undo window has passed, say), it stands as SYNCED.
 *
 * Nothing queues a reversal yet: undo reverses a synced redemption online
 * (sc-counter-undo.c). Before something writes a 'reversal' row, the
 * cache must keep such a row, and its action, while it is tried again
 * (sc_cache_update_redemption keeps outbox rows for PENDING and UNCERTAIN
 * log rows only, and re-queues them as 'redeem'). */

static void
reversal_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ScSyncBatch) batch = user_data;
  g_autoptr(GError) error = NULL;
  gint64 reversed_at = 0;

  if (!sc_platform_client_reverse_finish (SC_PLATFORM_CLIENT (object), result, &reversed_at,
                                          &error))
    {
      sc_sync_send_failed (g_steal_pointer (&batch), error);
      return;
    }

  sc_connectivity_mark_reachable (batch->self->connectivity);
  sc_sync_record (g_steal_pointer (&batch), SC_REDEMPTION_STATE_REVERSED, 0, -1, NULL, 0,
                  FALSE);
}

static void
reversal_send (ScSyncBatch *batch)
{
  ScOutboxItem *item = sc_sync_batch_get_item (batch);
  ScSync *self = batch->self;

  sc_platform_client_reverse_async (self->client, item->redemption->id, item->idempotency_key,
                                    self->cancellable, reversal_sent_cb, batch);
}

/* Its last send arrived if the platform has the redemption reversed. */
static gboolean
reversal_resolved (const ScRedemption *recorded,
                   ScRedemptionState  *out_state)
{
  *out_state = SC_REDEMPTION_STATE_REVERSED;
  return recorded->state == SC_REDEMPTION_STATE_REVERSED;
}

const ScSyncAction sc_sync_action_reversal = {
  .name = "reversal",
  .send = reversal_send,
  .resolved = reversal_resolved,
  .refused_state = SC_REDEMPTION_STATE_SYNCED,
};
