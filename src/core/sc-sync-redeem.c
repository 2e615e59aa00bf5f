/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-connectivity.h"
#include "sc-platform-client.h"
#include "sc-sync-private.h"

/* The "redeem" action: POST /v1/redemptions with the redemption's
 * idempotency key; a 409 already_redeemed is a conflict. */

static void
redeem_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ScSyncBatch) batch = user_data;
  g_autoptr(ScRedemption) sent = NULL;
  g_autoptr(GError) error = NULL;

  sent = sc_platform_client_redeem_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (sent == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sc_sync_batch_cancelled (g_steal_pointer (&batch), error);
      else
        sc_sync_send_failed (g_steal_pointer (&batch), error);
      return;
    }

  sc_connectivity_mark_reachable (batch->self->connectivity);
  sc_sync_record (g_steal_pointer (&batch), SC_REDEMPTION_STATE_SYNCED, sent->redeemed_at,
                  sent->discount_fen, NULL, 0, FALSE);
}

static void
redeem_send (ScSyncBatch *batch)
{
  ScOutboxItem *item = sc_sync_batch_get_item (batch);
  ScSync *self = batch->self;

  sc_platform_client_redeem_async (self->client, item->redemption, self->cancellable,
                                   redeem_sent_cb, batch);
}

static void
redeem_resolved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ScSyncBatch) batch = user_data;
  g_autoptr(ScRedemption) recorded = NULL;
  g_autoptr(GError) error = NULL;

  recorded = sc_platform_client_get_redemption_finish (SC_PLATFORM_CLIENT (object), result,
                                                       &error);
  if (recorded != NULL)
    {
      ScRedemptionState state = recorded->state == SC_REDEMPTION_STATE_REVERSED
                                ? SC_REDEMPTION_STATE_REVERSED : SC_REDEMPTION_STATE_SYNCED;

      sc_connectivity_mark_reachable (batch->self->connectivity);
      sc_sync_record (g_steal_pointer (&batch), state, recorded->redeemed_at,
                      recorded->discount_fen, NULL, 0, FALSE);
    }
  else if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NOT_FOUND))
    {
      /* The platform never saw it: send it again, with the same key. */
      sc_connectivity_mark_reachable (batch->self->connectivity);
      redeem_send (g_steal_pointer (&batch));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sc_sync_batch_cancelled (g_steal_pointer (&batch), error);
    }
  else
    {
      sc_sync_resolve_failed (g_steal_pointer (&batch), error);
    }
}

/* Sent before, and it may or may not have arrived: ask. */
static void
redeem_resolve (ScSyncBatch *batch)
{
  ScOutboxItem *item = sc_sync_batch_get_item (batch);
  ScSync *self = batch->self;

  sc_platform_client_get_redemption_async (self->client, item->redemption->id,
                                           self->cancellable, redeem_resolved_cb, batch);
}

const ScSyncAction sc_sync_action_redeem = {
  .name = "redeem",
  .send = redeem_send,
  .resolve = redeem_resolve,
  .refused_state = SC_REDEMPTION_STATE_REJECTED,
  .conflicts = TRUE,
};
