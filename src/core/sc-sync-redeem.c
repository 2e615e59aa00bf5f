/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-connectivity.h"
#include "sc-platform-client.h"
#include "sc-sync-private.h"
#include "sc-verdict.h"

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

  /* A partial pickup's lines (saved with its log row) go with it as
   * `lines`; a whole-order redemption, and every row from before lines
   * existed, sends exactly what it always sent. */
  sc_platform_client_redeem_async (self->client, item->redemption, self->cancellable,
                                   redeem_sent_cb, batch);
}

/* Its last send arrived if the platform has it (reversed since, maybe). */
static gboolean
redeem_resolved (const ScRedemption *recorded,
                 ScRedemptionState  *out_state)
{
  *out_state = recorded->state == SC_REDEMPTION_STATE_REVERSED
               ? SC_REDEMPTION_STATE_REVERSED : SC_REDEMPTION_STATE_SYNCED;
  return TRUE;
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

/* The code was taken by another redemption: a conflict (DESIGN §7). */
static gboolean
redeem_refused (ScSyncBatch  *batch,
                const GError *error)
{
  g_autofree char *reason = NULL;
  g_autofree char *record = NULL;

  if (!g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CONFLICT) ||
      g_strcmp0 (sc_platform_error_get_api_code (error), "already_redeemed") != 0)
    return FALSE;

  reason = describe_conflict (error);
  record = conflict_record (error);
  sc_sync_record_conflict (batch, reason, record);
  return TRUE;
}

const ScSyncAction sc_sync_action_redeem = {
  .name = "redeem",
  .send = redeem_send,
  .resolved = redeem_resolved,
  .refused_state = SC_REDEMPTION_STATE_REJECTED,
  .refused = redeem_refused,
};
