/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-codes.h"

#include "sc-platform-util.h"
#include "sc-secret.h"

const char *
sc_platform_codes_kind (const char *code)
{
  switch (code[0])
    {
    case '1': case '2': case '3':
      return "pickup";
    case '5': case '6':
      return "coupon";
    case '8':
      return "prize";
    default:
      return "unknown";
    }
}

void
sc_platform_code_row_free (ScPlatformCodeRow *row)
{
  g_free (row->code);
  g_free (row->kind);
  g_free (row->store_id);
  g_free (row->store_name);
  g_free (row->store_tz);
  g_free (row->state);
  g_free (row->order_id);
  g_free (row->customer_masked);
  g_free (row->phone_tail);
  g_free (row->items);
  g_free (row->coupon_type);
  g_free (row->title);
  g_free (row->activity_id);
  g_free (row->activity_name);
  g_free (row->prize_name);
  g_free (row->redemption_id);
  g_free (row->r_store_id);
  g_free (row->r_store_name);
  g_free (row->r_clerk_id);
  g_free (row->r_clerk_name);
  g_free (row->note);
  g_free (row->customer_name);
  g_clear_pointer (&row->lines, g_ptr_array_unref);
  g_free (row);
}

void
sc_platform_order_line_free (ScPlatformOrderLine *line)
{
  g_free (line->line_id);
  g_free (line->name);
  g_free (line);
}

gint64
sc_platform_order_line_remaining (const ScPlatformOrderLine *line)
{
  return MAX (line->qty - line->picked_qty - line->missing_qty, 0);
}

const char * const sc_platform_order_statuses[] = {
  "open", "partially_picked_up", "picked_up", "expired", "cancelled", "missing_items", NULL,
};

gboolean
sc_platform_codes_order_status_mask (const char *list,
                                     guint      *out_mask)
{
  g_auto(GStrv) names = g_strsplit (list, ",", -1);
  guint mask = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      gboolean known = FALSE;

      for (guint j = 0; sc_platform_order_statuses[j] != NULL; j++)
        if (g_strcmp0 (names[i], sc_platform_order_statuses[j]) == 0)
          {
            mask |= 1u << j;
            known = TRUE;
          }
      if (!known)
        return FALSE;
    }
  if (mask == 0)
    return FALSE;
  /* "open" is everything still to hand over. */
  if (mask & 1u)
    mask |= 1u << 1;
  *out_mask = mask;
  return TRUE;
}

gboolean
sc_platform_codes_order_status_in (const char *status,
                                   guint       mask)
{
  for (guint j = 0; sc_platform_order_statuses[j] != NULL; j++)
    if (g_strcmp0 (status, sc_platform_order_statuses[j]) == 0)
      return (mask & (1u << j)) != 0;
  return FALSE;
}

void
sc_platform_codes_order_totals (const ScPlatformCodeRow *row,
                                gint64                  *out_picked,
                                gint64                  *out_missing,
                                gint64                  *out_remaining)
{
  gint64 picked = 0, missing = 0, remaining = 0;

  for (guint i = 0; row->lines != NULL && i < row->lines->len; i++)
    {
      const ScPlatformOrderLine *line = g_ptr_array_index (row->lines, i);

      picked += line->picked_qty;
      missing += line->missing_qty;
      remaining += sc_platform_order_line_remaining (line);
    }
  if (out_picked != NULL)
    *out_picked = picked;
  if (out_missing != NULL)
    *out_missing = missing;
  if (out_remaining != NULL)
    *out_remaining = remaining;
}

const char *
sc_platform_codes_order_status (const ScPlatformCodeRow *row,
                                gint64                   t)
{
  gint64 picked, missing, remaining;

  if (g_strcmp0 (row->state, "invalidated") == 0 || g_strcmp0 (row->state, "deleted") == 0)
    return "cancelled";
  if (row->lines == NULL || row->lines->len == 0)
    {
      if (row->redemption_id != NULL)
        return "picked_up";
      return row->has_valid_until && t > row->valid_until ? "expired" : "open";
    }

  sc_platform_codes_order_totals (row, &picked, &missing, &remaining);
  if (remaining == 0)
    return missing > 0 ? "missing_items" : "picked_up";
  if (row->has_valid_until && t > row->valid_until)
    return "expired";
  if (picked > 0 || missing > 0)
    return "partially_picked_up";
  return "open";
}

gint64
sc_platform_codes_claim_deadline (const char *tz_id,
                                  gint64      end_at,
                                  int         claim_days)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (end_at);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) next = NULL;
  int counted = 0;

  if (tz_id != NULL)
    tz = g_time_zone_new_identifier (tz_id);
  if (tz == NULL)
    tz = sc_platform_store_timezone ();

  local = g_date_time_to_timezone (utc, tz);
  day = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), 0, 0, 0);
  while (counted < claim_days)
    {
      GDateTime *d = g_date_time_add_days (day, 1);

      g_date_time_unref (day);
      day = d;
      if (g_date_time_get_day_of_week (day) <= 5)
        counted++;
    }
  next = g_date_time_add_days (day, 1);
  return g_date_time_to_unix (next) - 1;
}

ScPlatformTokenCheck
sc_platform_codes_token_check (const ScPlatformRequest *req)
{
  g_autofree char *expected = NULL;
  g_autofree char *sig = NULL;

  if (!req->live_token)
    return SC_PLATFORM_TOKEN_NONE;
  if (req->token_stale)
    return SC_PLATFORM_TOKEN_STALE;
  if (req->token_sig == NULL || req->secret == NULL)
    return SC_PLATFORM_TOKEN_BAD_SIG;
  expected = sc_platform_store_token_signature (req->secret, req->code, req->token_time);
  sig = g_ascii_strdown (req->token_sig, -1);
  if (!sc_secret_equal (expected, sig))
    return SC_PLATFORM_TOKEN_BAD_SIG;
  return SC_PLATFORM_TOKEN_OK;
}

ScVerdictStatus
sc_platform_codes_status (const ScPlatformCodeRow *row,
                          const char              *store_id,
                          gint64                   t,
                          ScPlatformTokenCheck     token,
                          char                   **out_reason)
{
  *out_reason = NULL;

  if (g_strcmp0 (row->store_id, store_id) != 0)
    return SC_VERDICT_STATUS_WRONG_STORE;
  if (g_strcmp0 (row->state, "deleted") == 0)
    return SC_VERDICT_STATUS_DELETED;
  if (g_strcmp0 (row->state, "invalidated") == 0)
    return SC_VERDICT_STATUS_INVALIDATED;
  if (g_strcmp0 (row->state, "gifting") == 0)
    return SC_VERDICT_STATUS_GIFTING;
  if (row->redemption_id != NULL)
    return SC_VERDICT_STATUS_REDEEMED;
  /* Every line marked missing or damaged, none handed over: the order is
   * closed for a refund, as if the merchant had cancelled it. */
  if (row->lines != NULL && row->lines->len > 0 &&
      g_strcmp0 (sc_platform_codes_order_status (row, G_MININT64), "missing_items") == 0)
    return SC_VERDICT_STATUS_INVALIDATED;
  if (row->has_valid_from && t < row->valid_from)
    return SC_VERDICT_STATUS_NOT_YET_VALID;
  if (row->has_valid_until && t > row->valid_until)
    return SC_VERDICT_STATUS_EXPIRED;
  if (g_strcmp0 (row->kind, "prize") == 0 && row->activity_id != NULL)
    {
      if (t > sc_platform_codes_claim_deadline (row->store_tz, row->activity_end,
                                                row->claim_days))
        {
          *out_reason = g_strdup ("claim_window_closed");
          return SC_VERDICT_STATUS_NOT_ELIGIBLE;
        }
      if (row->claimed)
        {
          *out_reason = g_strdup ("already_claimed");
          return SC_VERDICT_STATUS_NOT_ELIGIBLE;
        }
    }
  switch (token)
    {
    case SC_PLATFORM_TOKEN_STALE:
      *out_reason = g_strdup ("token_expired");
      return SC_VERDICT_STATUS_QR_STALE;
    case SC_PLATFORM_TOKEN_BAD_SIG:
      *out_reason = g_strdup ("token_not_genuine");
      return SC_VERDICT_STATUS_QR_STALE;
    case SC_PLATFORM_TOKEN_NONE:
      if (row->realtime_only)
        {
          *out_reason = g_strdup ("live_code_required");
          return SC_VERDICT_STATUS_QR_STALE;
        }
      break;
    case SC_PLATFORM_TOKEN_OK:
    default:
      break;
    }
  return SC_VERDICT_STATUS_REDEEMABLE;
}

gboolean
sc_platform_codes_coupon_discount (const ScPlatformCodeRow *row,
                                   gint64                   bill_fen,
                                   gint64                  *out_discount)
{
  gint64 d;

  if (row->min_spend_fen > 0 && bill_fen < row->min_spend_fen)
    return FALSE;

  if (g_strcmp0 (row->coupon_type, "discount") == 0)
    {
      d = bill_fen * row->percent_off / 100;
      if (row->cap_fen > 0)
        d = MIN (d, row->cap_fen);
    }
  else
    d = row->value_fen;

  *out_discount = CLAMP (d, 0, bill_fen);
  return TRUE;
}
