/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-verdict-json.c: a verdict read from the platform's lookup answer
 * (every member through sc-json-reader) and written as JSON for the
 * platform and `--json`. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-code.h"
#include "sc-json-reader.h"
#include "sc-verdict.h"
#include "sc-verdict-private.h"
#include "sc-verdict-words.h"

/* JSON reading: the readers below set SC_JSON_READER_ERROR (with the
 * member's path); sc_verdict_new_from_json words it as SC_VERDICT_ERROR. */

/* {id, name} as used by store and clerk */
static gboolean
read_id_name (JsonObject  *object,
              const char  *path,
              const char  *name,
              char       **out_id,
              char       **out_name,
              GError     **error)
{
  g_autofree char *sub_path = sc_json_path_member (path, name);
  JsonObject *sub = NULL;

  if (!sc_json_read_object (object, path, name, SC_JSON_OPTIONAL, &sub, error))
    return FALSE;
  if (sub == NULL)
    return TRUE;

  return sc_json_read_string_dup (sub, sub_path, "id", SC_JSON_OPTIONAL, out_id, error)
         && sc_json_read_string_dup (sub, sub_path, "name", SC_JSON_OPTIONAL, out_name, error);
}

static gboolean
read_order (JsonObject   *object,
            ScOrderInfo **out,
            GError      **error)
{
  g_autoptr(ScOrderInfo) order = NULL;
  const char *status = NULL;
  JsonObject *sub = NULL;

  if (!sc_json_read_object (object, "", "order", SC_JSON_OPTIONAL, &sub, error))
    return FALSE;
  if (sub == NULL)
    return TRUE;

  order = g_new0 (ScOrderInfo, 1);
  order->items = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_order_item_free);

  if (!sc_json_read_string_dup (sub, "order", "order_id", SC_JSON_OPTIONAL,
                                &order->order_id, error)
      || !sc_json_read_string_dup (sub, "order", "customer_masked", SC_JSON_OPTIONAL,
                                   &order->customer_masked, error)
      || !sc_json_read_string_dup (sub, "order", "phone_tail", SC_JSON_OPTIONAL,
                                   &order->phone_tail, error)
      || !sc_json_read_int (sub, "order", "total_fen", SC_JSON_OPTIONAL, 0, G_MAXINT64, NULL,
                            &order->total_fen, error)
      || !sc_order_lines_read (sub, "order", "items", FALSE, order->items, error))
    return FALSE;

  /* An older platform sends no order status. */
  if (!sc_json_read_string (sub, "order", "status", SC_JSON_OPTIONAL, &status, error))
    return FALSE;
  if (status != NULL && !sc_order_status_from_string (status, &order->status))
    return sc_json_reader_set_error (error, SC_JSON_READER_ERROR_INVALID, "order", "status");
  order->has_status = status != NULL;

  *out = g_steal_pointer (&order);
  return TRUE;
}

static gboolean
read_coupon (JsonObject    *object,
             ScCouponInfo **out,
             GError       **error)
{
  g_autoptr(ScCouponInfo) coupon = NULL;
  const char *type = NULL;
  JsonObject *sub = NULL;
  gint64 percent = 0;

  if (!sc_json_read_object (object, "", "coupon", SC_JSON_OPTIONAL, &sub, error))
    return FALSE;
  if (sub == NULL)
    return TRUE;

  coupon = g_new0 (ScCouponInfo, 1);

  if (!sc_json_read_string (sub, "coupon", "type", SC_JSON_REQUIRED, &type, error))
    return FALSE;
  if (!sc_coupon_type_from_string (type, &coupon->type))
    return sc_json_reader_set_error (error, SC_JSON_READER_ERROR_INVALID, "coupon", "type");

  if (!sc_json_read_string_dup (sub, "coupon", "title", SC_JSON_OPTIONAL, &coupon->title, error)
      || !sc_json_read_int (sub, "coupon", "value_fen", SC_JSON_OPTIONAL, 0, G_MAXINT64, NULL,
                            &coupon->value_fen, error)
      || !sc_json_read_int (sub, "coupon", "min_spend_fen", SC_JSON_OPTIONAL, 0, G_MAXINT64, NULL,
                            &coupon->min_spend_fen, error)
      || !sc_json_read_int (sub, "coupon", "percent_off", SC_JSON_OPTIONAL, 0, 100, NULL,
                            &percent, error)
      || !sc_json_read_int (sub, "coupon", "cap_fen", SC_JSON_OPTIONAL, 0, G_MAXINT64, NULL,
                            &coupon->cap_fen, error))
    return FALSE;
  coupon->percent_off = (int) percent;

  if (coupon->type == SC_COUPON_TYPE_DISCOUNT && (percent < 1 || percent > 99))
    return sc_json_reader_set_error (error, SC_JSON_READER_ERROR_OUT_OF_RANGE, "coupon",
                                     "percent_off");

  *out = g_steal_pointer (&coupon);
  return TRUE;
}

static gboolean
read_prize (JsonObject   *object,
            ScPrizeInfo **out,
            GError      **error)
{
  g_autoptr(ScPrizeInfo) prize = NULL;
  JsonObject *sub = NULL;
  gint64 claim_days = 0;

  if (!sc_json_read_object (object, "", "prize", SC_JSON_OPTIONAL, &sub, error))
    return FALSE;
  if (sub == NULL)
    return TRUE;

  prize = g_new0 (ScPrizeInfo, 1);

  if (!sc_json_read_string_dup (sub, "prize", "activity_id", SC_JSON_OPTIONAL,
                                &prize->activity_id, error)
      || !sc_json_read_string_dup (sub, "prize", "activity_name", SC_JSON_OPTIONAL,
                                   &prize->activity_name, error)
      || !sc_json_read_string_dup (sub, "prize", "prize_name", SC_JSON_OPTIONAL,
                                   &prize->prize_name, error)
      || !sc_json_read_time (sub, "prize", "activity_end", SC_JSON_OPTIONAL,
                             &prize->activity_end, error)
      || !sc_json_read_int (sub, "prize", "claim_days", SC_JSON_OPTIONAL, 0, 3650, NULL,
                            &claim_days, error)
      || !sc_json_read_time (sub, "prize", "claim_deadline", SC_JSON_OPTIONAL,
                             &prize->claim_deadline, error))
    return FALSE;
  prize->claim_days = (int) claim_days;

  *out = g_steal_pointer (&prize);
  return TRUE;
}

static gboolean
read_redeemed (JsonObject      *object,
               ScRedeemedInfo **out,
               GError         **error)
{
  g_autoptr(ScRedeemedInfo) redeemed = NULL;
  JsonObject *sub = NULL;

  if (!sc_json_read_object (object, "", "redeemed", SC_JSON_OPTIONAL, &sub, error))
    return FALSE;
  if (sub == NULL)
    return TRUE;

  redeemed = g_new0 (ScRedeemedInfo, 1);

  if (!sc_json_read_string_dup (sub, "redeemed", "redemption_id", SC_JSON_OPTIONAL,
                                &redeemed->redemption_id, error)
      || !sc_json_read_time (sub, "redeemed", "at", SC_JSON_OPTIONAL, &redeemed->at, error)
      || !read_id_name (sub, "redeemed", "store", &redeemed->store_id, &redeemed->store_name,
                        error)
      || !read_id_name (sub, "redeemed", "clerk", &redeemed->clerk_id, &redeemed->clerk_name,
                        error))
    return FALSE;

  *out = g_steal_pointer (&redeemed);
  return TRUE;
}

/* The members of the verdict's top level, read into @self; the details
 * (order, coupon, prize, redeemed) too. */
static ScVerdict *
read_verdict (JsonObject  *object,
              GError     **error)
{
  g_autoptr(ScVerdict) self = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *reason_code = NULL;
  g_autoptr(GDateTime) valid_from = NULL;
  g_autoptr(GDateTime) valid_until = NULL;
  g_autoptr(ScOrderInfo) order = NULL;
  g_autoptr(ScCouponInfo) coupon = NULL;
  g_autoptr(ScPrizeInfo) prize = NULL;
  g_autoptr(ScRedeemedInfo) redeemed = NULL;
  const char *code = NULL;
  const char *kind_str = NULL;
  const char *status_str = NULL;
  ScVerdictStatus status;
  ScCodeKind kind;
  gboolean realtime_only = FALSE;
  gboolean offline = FALSE;

  if (!sc_json_read_string (object, "", "code", SC_JSON_REQUIRED, &code, error)
      || !sc_json_read_string (object, "", "kind", SC_JSON_REQUIRED, &kind_str, error)
      || !sc_json_read_string (object, "", "status", SC_JSON_REQUIRED, &status_str, error))
    return NULL;

  if (!sc_code_kind_from_string (kind_str, &kind))
    {
      sc_json_reader_set_error (error, SC_JSON_READER_ERROR_INVALID, "", "kind");
      return NULL;
    }
  if (!sc_verdict_status_from_string (status_str, &status))
    {
      sc_json_reader_set_error (error, SC_JSON_READER_ERROR_INVALID, "", "status");
      return NULL;
    }

  if (!sc_json_read_string_dup (object, "", "payload", SC_JSON_OPTIONAL, &payload, error)
      || !sc_json_read_string_dup (object, "", "reason", SC_JSON_OPTIONAL, &reason, error)
      || !sc_json_read_string_dup (object, "", "reason_code", SC_JSON_OPTIONAL, &reason_code,
                                   error)
      || !sc_json_read_time (object, "", "valid_from", SC_JSON_OPTIONAL, &valid_from, error)
      || !sc_json_read_time (object, "", "valid_until", SC_JSON_OPTIONAL, &valid_until, error)
      || !sc_json_read_bool (object, "", "realtime_only", SC_JSON_OPTIONAL, &realtime_only,
                             error)
      || !sc_json_read_bool (object, "", "offline", SC_JSON_OPTIONAL, &offline, error)
      || !read_order (object, &order, error)
      || !read_coupon (object, &coupon, error)
      || !read_prize (object, &prize, error)
      || !read_redeemed (object, &redeemed, error))
    return NULL;

  self = sc_verdict_new (status, kind, code, payload);
  if (!read_id_name (object, "", "store", &self->store_id, &self->store_name, error))
    return NULL;

  /* The counter's own words; the platform's only for a code it does not
   * know (sc-verdict-words.h). */
  self->reason = sc_verdict_words_reason (status, kind, reason_code, self->store_name, reason);
  self->reason_code = g_steal_pointer (&reason_code);
  self->realtime_only = realtime_only;
  self->offline = offline;
  self->valid_from = g_steal_pointer (&valid_from);
  self->valid_until = g_steal_pointer (&valid_until);
  self->order = g_steal_pointer (&order);
  self->coupon = g_steal_pointer (&coupon);
  self->prize = g_steal_pointer (&prize);
  self->redeemed = g_steal_pointer (&redeemed);

  return g_steal_pointer (&self);
}

ScVerdict *
sc_verdict_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  ScVerdict *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (object == NULL)
    {
      g_set_error_literal (error, SC_VERDICT_ERROR, SC_VERDICT_ERROR_BAD_DATA,
                           _("The platform’s answer cannot be read: it is empty"));
      return NULL;
    }

  self = read_verdict (object, &local_error);
  if (self != NULL)
    return self;

  g_debug ("Cannot read a verdict: %s", local_error->message);
  if (g_error_matches (local_error, SC_JSON_READER_ERROR, SC_JSON_READER_ERROR_MISSING))
    g_set_error (error, SC_VERDICT_ERROR, SC_VERDICT_ERROR_BAD_DATA,
                 _("The platform’s answer cannot be read: “%s” is missing"),
                 sc_json_reader_error_get_path (local_error));
  else
    g_set_error (error, SC_VERDICT_ERROR, SC_VERDICT_ERROR_BAD_DATA,
                 _("The platform’s answer cannot be read: “%s” is not valid"),
                 sc_json_reader_error_get_path (local_error));
  return NULL;
}

/* JSON writing */

static void
add_id_name (JsonBuilder *builder,
             const char  *name,
             const char  *id,
             const char  *display_name)
{
  if (id == NULL && display_name == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  sc_json_builder_add_string (builder, "id", id);
  sc_json_builder_add_string (builder, "name", display_name);
  json_builder_end_object (builder);
}

JsonNode *
sc_verdict_to_json (ScVerdict *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  sc_json_builder_add_string (builder, "code", self->code != NULL ? self->code : "");
  sc_json_builder_add_string (builder, "kind", sc_code_kind_to_string (self->kind));
  sc_json_builder_add_string (builder, "status", sc_verdict_status_to_string (self->status));
  sc_json_builder_add_string (builder, "label", sc_verdict_get_label (self));
  sc_json_builder_add_string (builder, "payload", self->payload);
  sc_json_builder_add_string (builder, "reason", self->reason);
  sc_json_builder_add_string (builder, "reason_code", self->reason_code);
  json_builder_set_member_name (builder, "offline");
  json_builder_add_boolean_value (builder, self->offline);
  json_builder_set_member_name (builder, "realtime_only");
  json_builder_add_boolean_value (builder, self->realtime_only);
  sc_json_builder_add_time (builder, "valid_from", self->valid_from);
  sc_json_builder_add_time (builder, "valid_until", self->valid_until);
  add_id_name (builder, "store", self->store_id, self->store_name);

  if (self->order != NULL)
    {
      json_builder_set_member_name (builder, "order");
      json_builder_begin_object (builder);
      sc_json_builder_add_string (builder, "order_id", self->order->order_id);
      sc_json_builder_add_string (builder, "customer_masked", self->order->customer_masked);
      sc_json_builder_add_string (builder, "phone_tail", self->order->phone_tail);
      sc_json_builder_add_int (builder, "total_fen", self->order->total_fen);
      if (self->order->has_status)
        sc_json_builder_add_string (builder, "status",
                                    sc_order_status_to_string (self->order->status));
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      for (guint i = 0; self->order->items != NULL && i < self->order->items->len; i++)
        sc_order_line_write (g_ptr_array_index (self->order->items, i), builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  if (self->coupon != NULL)
    {
      json_builder_set_member_name (builder, "coupon");
      json_builder_begin_object (builder);
      sc_json_builder_add_string (builder, "type", sc_coupon_type_to_string (self->coupon->type));
      sc_json_builder_add_string (builder, "title", self->coupon->title);
      sc_json_builder_add_int (builder, "value_fen", self->coupon->value_fen);
      sc_json_builder_add_int (builder, "min_spend_fen", self->coupon->min_spend_fen);
      sc_json_builder_add_int (builder, "percent_off", self->coupon->percent_off);
      sc_json_builder_add_int (builder, "cap_fen", self->coupon->cap_fen);
      json_builder_end_object (builder);
    }

  if (self->prize != NULL)
    {
      json_builder_set_member_name (builder, "prize");
      json_builder_begin_object (builder);
      sc_json_builder_add_string (builder, "activity_id", self->prize->activity_id);
      sc_json_builder_add_string (builder, "activity_name", self->prize->activity_name);
      sc_json_builder_add_string (builder, "prize_name", self->prize->prize_name);
      sc_json_builder_add_time (builder, "activity_end", self->prize->activity_end);
      sc_json_builder_add_int (builder, "claim_days", self->prize->claim_days);
      sc_json_builder_add_time (builder, "claim_deadline", self->prize->claim_deadline);
      json_builder_end_object (builder);
    }

  if (self->redeemed != NULL)
    {
      json_builder_set_member_name (builder, "redeemed");
      json_builder_begin_object (builder);
      sc_json_builder_add_string (builder, "redemption_id", self->redeemed->redemption_id);
      sc_json_builder_add_time (builder, "at", self->redeemed->at);
      add_id_name (builder, "store", self->redeemed->store_id, self->redeemed->store_name);
      add_id_name (builder, "clerk", self->redeemed->clerk_id, self->redeemed->clerk_name);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

