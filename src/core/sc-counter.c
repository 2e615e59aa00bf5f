/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-code.h"
#include "sc-connectivity.h"
#include "sc-counter.h"
#include "sc-counter-private.h"
#include "sc-platform-client.h"
#include "sc-sync.h"
#include "sc-time.h"

/* ScCounter, the facade: lookup, redeem, sync, the session, and the parts
 * it owns (ScConnectivity, ScSync) whose properties it shows as its own.
 * Login, undo, the manifest and the conflicts are in sc-counter-*.c. */

G_DEFINE_TYPE (ScCounter, sc_counter, G_TYPE_OBJECT)
G_DEFINE_QUARK (sc-counter-error-quark, sc_counter_error)

enum {
  REDEMPTION_CHANGED,
  SESSION_EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[SC_COUNTER_N_PROPS];
static guint signals[N_SIGNALS];

void
sc_counter_notify (ScCounter     *self,
                   ScCounterProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
sc_counter_emit_redemption_changed (ScCounter          *self,
                                    const ScRedemption *redemption)
{
  g_signal_emit (self, signals[REDEMPTION_CHANGED], 0, redemption);
}

#define SESSION_SERIAL_KEY "sc-counter-session-serial"

void
sc_counter_task_set_session (ScCounter *self,
                             GTask     *task)
{
  g_object_set_data (G_OBJECT (task), SESSION_SERIAL_KEY,
                     GUINT_TO_POINTER (self->session_serial));
}

void
sc_counter_note_error (ScCounter    *self,
                       GTask        *task,
                       const GError *error)
{
  guint serial = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), SESSION_SERIAL_KEY));

  sc_connectivity_note_error (self->connectivity, error);

  /* Once per session, and not for a session that ended since the call
   * began (its 401 says nothing of the new one): the window asks for the
   * PIN once. */
  if (!sc_counter_error_is_session_expired (error) || self->session == NULL ||
      serial != self->session_serial || self->session_expired_emitted)
    return;
  self->session_expired_emitted = TRUE;
  g_signal_emit (self, signals[SESSION_EXPIRED], 0);
}

gboolean
sc_counter_check_logged_in (ScCounter *self,
                            GTask     *task)
{
  if (self->session != NULL)
    return TRUE;
  g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_NOT_LOGGED_IN,
                           _("Log in first"));
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* The parts                                                            */

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
      sc_counter_notify (self, SC_COUNTER_PROP_SESSION);
      sc_sync_set_session (self->sync, self->session);
      sc_sync_refresh_counts (self->sync);
      sc_sync_start (self->sync, FALSE);
    }
  else if (g_strcmp0 (self->session->platform_id, platform_id) != 0)
    {
      g_message ("Another platform (%s) answers at %s than this session's (%s): its "
                 "redemptions are not sent there", platform_id,
                 sc_platform_client_get_base_url (self->client), self->session->platform_id);
    }
}

/* A health answer: the client knows which platform this is now. */
static void
connectivity_health_cb (ScCounter *self)
{
  note_platform_id (self);
}

/* The platform answers again: everything that waited for it goes now: an
 * online login for an offline session, the outbox, the manifest. */
static void
connectivity_back_cb (ScCounter *self)
{
  if (self->session == NULL)
    return;

  if (self->session->token == NULL)
    {
      sc_counter_relogin (self);
      return;
    }
  sc_sync_start (self->sync, FALSE);
  sc_counter_manifest_refresh (self);
}

/* A part's property is the counter's own. */
static void
forward_notify_cb (GObject    *part,
                   GParamSpec *pspec,
                   ScCounter  *self)
{
  for (guint i = 1; i < SC_COUNTER_N_PROPS; i++)
    {
      if (g_strcmp0 (properties[i]->name, pspec->name) == 0)
        {
          g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
          return;
        }
    }
}

/* A conflict recorded by the drain changes today's count. */
static void
sync_redemption_changed_cb (ScCounter          *self,
                            const ScRedemption *redemption)
{
  if (redemption->state == SC_REDEMPTION_STATE_CONFLICT)
    sc_counter_refresh_conflicts (self);
  sc_counter_emit_redemption_changed (self, redemption);
}

static void
probe_trampoline (ScConnectivity *connectivity,
                  guint           attempt,
                  guint           delay_ms,
                  gpointer        user_data)
{
  ScCounter *self = SC_COUNTER (user_data);

  if (self->probe_func != NULL)
    self->probe_func (self, attempt, delay_ms, self->probe_data);
}

gint64
sc_counter_get_clock_skew (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), 0);
  return sc_connectivity_get_clock_skew (self->connectivity);
}

void
sc_counter_set_probe_delays (ScCounter *self,
                             guint      base_ms,
                             guint      cap_ms)
{
  g_return_if_fail (SC_IS_COUNTER (self));

  sc_connectivity_set_probe_delays (self->connectivity, base_ms, cap_ms);
}

void
sc_counter_set_probe_func (ScCounter          *self,
                           ScCounterProbeFunc  func,
                           gpointer            user_data)
{
  g_return_if_fail (SC_IS_COUNTER (self));

  self->probe_func = func;
  self->probe_data = user_data;
  sc_connectivity_set_probe_func (self->connectivity, func != NULL ? probe_trampoline : NULL,
                                  self);
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
      sc_counter_note_error (self, task, error);
      if (sc_counter_error_is_unreachable (error) && lookup_offline (self, task))
        return;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Redeem with what was shown: a live token stays a live token. */
  sc_verdict_set_payload (verdict, sc_code_get_payload (code));
  sc_connectivity_mark_reachable (self->connectivity);
  g_task_return_pointer (task, g_steal_pointer (&verdict), g_object_unref);

  if (sc_sync_get_unsynced (self->sync) > 0)
    sc_sync_start (self->sync, FALSE);
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
  sc_counter_task_set_session (self, task);

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

  if (!sc_counter_check_logged_in (self, task))
    return;

  g_task_set_task_data (task, g_object_ref (code), g_object_unref);

  /* Known to be offline: answer at once from what this counter holds
   * rather than wait for the network to fail again. A code only the
   * platform can decide asks the probe to try now. */
  if (sc_connectivity_get_probing (self->connectivity) && lookup_offline (self, task))
    {
      if (sc_code_get_kind (code) != SC_CODE_KIND_PICKUP)
        sc_connectivity_check (self->connectivity);
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
  sc_sync_note_added (self->sync);

  sc_sync_add_waiter (self->sync, redemption->id, task);
  sc_sync_start (self->sync, FALSE);
}

/* @lines (element-type ScLineQty) against what @verdict's order has left:
 * each line known, with at least its quantity left. */
static gboolean
check_lines (ScVerdict  *verdict,
             GPtrArray  *lines,
             GError    **error)
{
  const ScOrderInfo *order = sc_verdict_get_order (verdict);

  if (sc_verdict_get_kind (verdict) != SC_CODE_KIND_PICKUP || order == NULL
      || order->items == NULL || order->items->len == 0
      || ((const ScOrderItem *) g_ptr_array_index (order->items, 0))->line_id == NULL)
    {
      g_set_error_literal (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_BAD_LINES,
                           _("Only a pickup order with item lines can be handed over in "
                             "part"));
      return FALSE;
    }

  for (guint i = 0; i < lines->len; i++)
    {
      const ScLineQty *wanted = g_ptr_array_index (lines, i);
      const ScOrderItem *item = NULL;

      for (guint j = 0; j < order->items->len && item == NULL; j++)
        if (g_strcmp0 (((const ScOrderItem *) g_ptr_array_index (order->items, j))->line_id,
                       wanted->line_id) == 0)
          item = g_ptr_array_index (order->items, j);

      if (item == NULL)
        {
          g_set_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_BAD_LINES,
                       _("The order has no line %s"), wanted->line_id);
          return FALSE;
        }
      if (wanted->qty < 1 || wanted->qty > item->remaining_qty)
        {
          g_set_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_BAD_LINES,
                       /* Translators: a line of an order, its item, and how many are left */
                       _("Line %s (%s) has %d left, not %d"), wanted->line_id,
                       item->name != NULL ? item->name : "", item->remaining_qty, wanted->qty);
          return FALSE;
        }
    }
  return TRUE;
}

static void
redeem_start (ScCounter           *self,
              ScVerdict           *verdict,
              gint64               bill_fen,
              GPtrArray           *lines,
              const char          *source,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(ScRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;
  const ScCouponInfo *coupon;
  gint64 discount_fen = -1;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_redeem_async);

  if (!sc_counter_check_logged_in (self, task))
    return;

  if (sc_verdict_get_status (verdict) != SC_VERDICT_STATUS_REDEEMABLE)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_NOT_REDEEMABLE,
                               _("This code cannot be redeemed: %s"),
                               sc_verdict_status_get_label (sc_verdict_get_status (verdict)));
      return;
    }

  if (lines != NULL && !check_lines (verdict, lines, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
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
  redemption->lines = sc_line_qtys_copy (lines);

  g_task_set_task_data (task, sc_redemption_copy (redemption),
                        (GDestroyNotify) sc_redemption_free);
  sc_cache_add_redemption_async (self->cache, redemption, cancellable,
                                 redeem_added_cb, g_steal_pointer (&task));
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
  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (SC_IS_VERDICT (verdict));
  g_return_if_fail (source != NULL);

  redeem_start (self, verdict, bill_fen, NULL, source, cancellable, callback, user_data);
}

void
sc_counter_redeem_lines_async (ScCounter           *self,
                               ScVerdict           *verdict,
                               GPtrArray           *lines,
                               const char          *source,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (SC_IS_VERDICT (verdict));
  g_return_if_fail (lines != NULL && lines->len > 0);
  g_return_if_fail (source != NULL);

  redeem_start (self, verdict, -1, lines, source, cancellable, callback, user_data);
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
  sc_sync_add_caller (self->sync, task);
  sc_sync_start (self->sync, TRUE);
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
  self->connectivity = sc_connectivity_new (client);
  self->sync = sc_sync_new (cache, client, self->connectivity);
  g_signal_connect_object (self->connectivity, "back", G_CALLBACK (connectivity_back_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connectivity, "health", G_CALLBACK (connectivity_health_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connectivity, "notify::online", G_CALLBACK (forward_notify_cb),
                           self, 0);
  g_signal_connect_object (self->connectivity, "notify::clock-skew",
                           G_CALLBACK (forward_notify_cb), self, 0);
  g_signal_connect_object (self->connectivity, "notify::probing",
                           G_CALLBACK (forward_notify_cb), self, 0);
  g_signal_connect_object (self->sync, "notify::unsynced", G_CALLBACK (forward_notify_cb),
                           self, 0);
  g_signal_connect_object (self->sync, "notify::waiting", G_CALLBACK (forward_notify_cb),
                           self, 0);
  g_signal_connect_object (self->sync, "redemption-changed",
                           G_CALLBACK (sync_redemption_changed_cb), self, G_CONNECT_SWAPPED);
  sc_sync_refresh_counts (self->sync);

  return self;
}

gboolean
sc_counter_is_idle (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), TRUE);
  return sc_sync_is_idle (self->sync) && self->n_refreshing == 0 && !self->manifest_busy &&
         sc_connectivity_is_idle (self->connectivity) && !self->relogin_busy;
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
  return sc_connectivity_get_online (self->connectivity);
}

void
sc_counter_check_online (ScCounter *self)
{
  g_return_if_fail (SC_IS_COUNTER (self));

  sc_connectivity_check (self->connectivity);
}

guint
sc_counter_get_unsynced (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), 0);
  return sc_sync_get_unsynced (self->sync);
}

guint
sc_counter_get_waiting (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), 0);
  return sc_sync_get_waiting (self->sync);
}

GPtrArray *
sc_counter_get_waiting_owners (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), NULL);
  return sc_sync_get_waiting_owners (self->sync);
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

  sc_counter_clear_offline_pin (self);
  g_clear_pointer (&self->session, sc_session_free);
  /* A later expiry of the new session is news again. */
  self->session_serial++;
  self->session_expired_emitted = FALSE;
  g_clear_handle_id (&self->manifest_timer_id, g_source_remove);
  if (session != NULL)
    self->session = sc_session_copy (session);
  sc_sync_set_session (self->sync, self->session);
  /* The store's key, for the manifest and offline logins: memory only. */
  if (session != NULL && session->store_id != NULL && session->manifest_key != NULL)
    sc_cache_set_store_key (self->cache, session->store_id, session->manifest_key);
  sc_platform_client_set_token (self->client, session != NULL ? session->token : NULL);
  /* Another session's conflicts are not this one's: recounted below. */
  sc_counter_set_conflicts (self, 0);
  sc_counter_notify (self, SC_COUNTER_PROP_SESSION);

  /* Keep today's pickup orders at hand for when the network goes. */
  if (session != NULL && session->token != NULL)
    {
      sc_counter_manifest_start (self);
      /* The clock check; and anything left from before (a crash, a dead
       * network, a restart with a saved session) goes out now. */
      sc_connectivity_check (self->connectivity);
      sc_sync_start (self->sync, FALSE);
    }

  sc_counter_refresh_conflicts (self);
  sc_counter_schedule_day_timer (self);
  /* What waits for whom depends on who is logged in. */
  sc_sync_refresh_counts (self->sync);
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
  g_clear_handle_id (&self->day_timer_id, g_source_remove);
  g_clear_object (&self->sync);
  g_clear_object (&self->connectivity);
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
  sc_counter_clear_offline_pin (self);

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
    case SC_COUNTER_PROP_ONLINE:
      g_value_set_boolean (value, sc_connectivity_get_online (self->connectivity));
      break;
    case SC_COUNTER_PROP_UNSYNCED:
      g_value_set_uint (value, sc_sync_get_unsynced (self->sync));
      break;
    case SC_COUNTER_PROP_SESSION:
      g_value_set_boxed (value, self->session);
      break;
    case SC_COUNTER_PROP_MANIFEST_FETCHED_AT:
      g_value_set_int64 (value, self->manifest_fetched_at);
      break;
    case SC_COUNTER_PROP_CLOCK_SKEW:
      g_value_set_int64 (value, sc_connectivity_get_clock_skew (self->connectivity));
      break;
    case SC_COUNTER_PROP_CONFLICTS:
      g_value_set_uint (value, self->conflicts);
      break;
    case SC_COUNTER_PROP_WAITING:
      g_value_set_uint (value, sc_sync_get_waiting (self->sync));
      break;
    case SC_COUNTER_PROP_PROBING:
      g_value_set_boolean (value, sc_connectivity_get_probing (self->connectivity));
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
    case SC_COUNTER_PROP_SESSION:
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

  properties[SC_COUNTER_PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[SC_COUNTER_PROP_UNSYNCED] =
    g_param_spec_uint ("unsynced", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[SC_COUNTER_PROP_SESSION] =
    g_param_spec_boxed ("session", NULL, NULL, SC_TYPE_SESSION,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[SC_COUNTER_PROP_MANIFEST_FETCHED_AT] =
    g_param_spec_int64 ("manifest-fetched-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[SC_COUNTER_PROP_CLOCK_SKEW] =
    g_param_spec_int64 ("clock-skew", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[SC_COUNTER_PROP_CONFLICTS] =
    g_param_spec_uint ("conflicts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[SC_COUNTER_PROP_WAITING] =
    g_param_spec_uint ("waiting", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[SC_COUNTER_PROP_PROBING] =
    g_param_spec_boolean ("probing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, SC_COUNTER_N_PROPS, properties);

  signals[REDEMPTION_CHANGED] =
    g_signal_new ("redemption-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  SC_TYPE_REDEMPTION | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SESSION_EXPIRED] =
    g_signal_new ("session-expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sc_counter_init (ScCounter *self)
{
  self->cancellable = g_cancellable_new ();
}
