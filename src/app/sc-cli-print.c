/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-cli-private.h"
#include "sc-code.h"
#include "sc-counter.h"
#include "sc-time.h"

/* The command line's printers: text for people, or members of the --json
 * answer. */

char *
sc_cli_format_time (ScCli     *cli,
                    GDateTime *dt)
{
  g_autoptr(GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("—");
  local = g_date_time_to_timezone (dt, cli->tz);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static char *
format_unix (ScCli  *cli,
             gint64  t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t <= 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_utc (t);
  return sc_cli_format_time (cli, dt);
}

void
sc_cli_print_verdict (ScCli     *cli,
                      ScVerdict *verdict)
{
  const ScOrderInfo *order = sc_verdict_get_order (verdict);
  const ScCouponInfo *coupon = sc_verdict_get_coupon (verdict);
  const ScPrizeInfo *prize = sc_verdict_get_prize (verdict);
  const ScRedeemedInfo *redeemed = sc_verdict_get_redeemed (verdict);
  const char *code = sc_verdict_get_code (verdict);
  const char *reason = sc_verdict_get_reason (verdict);

  if (cli->json)
    {
      json_builder_set_member_name (cli->out, "verdict");
      json_builder_add_value (cli->out, sc_verdict_to_json (verdict));
      return;
    }

  if (code != NULL && *code != '\0' && sc_verdict_get_kind (verdict) != SC_CODE_KIND_UNKNOWN)
    /* Translators: "Redeemable — Pickup code 123456789012" */
    g_print (_("%s — %s %s\n"), sc_verdict_get_label (verdict),
             sc_code_kind_get_label (sc_verdict_get_kind (verdict)), code);
  else
    g_print ("%s\n", sc_verdict_get_label (verdict));

  if (reason != NULL && *reason != '\0')
    g_print ("  %s\n", reason);
  if (sc_verdict_get_offline (verdict))
    g_print ("  %s\n", _("Decided offline, from this counter’s copy"));

  if (redeemed != NULL)
    {
      g_autofree char *at = sc_cli_format_time (cli, redeemed->at);

      /* Translators: when, which store, which clerk */
      g_print (_("  Redeemed %s at %s by %s\n"), at,
               redeemed->store_name != NULL ? redeemed->store_name : redeemed->store_id,
               redeemed->clerk_name != NULL ? redeemed->clerk_name : redeemed->clerk_id);
    }

  if (order != NULL)
    {
      g_autofree char *total = sc_format_fen (order->total_fen);

      g_print (_("  Order %s · %s · phone tail %s\n"), order->order_id,
               order->customer_masked != NULL ? order->customer_masked : "—",
               order->phone_tail != NULL ? order->phone_tail : "—");
      for (guint i = 0; order->items != NULL && i < order->items->len; i++)
        {
          const ScOrderItem *item = g_ptr_array_index (order->items, i);
          g_autofree char *price = sc_format_fen (item->price_fen);

          g_print ("    %d × %s  %s\n", item->quantity, item->name, price);
        }
      g_print (_("  Total %s\n"), total);
    }

  if (coupon != NULL)
    {
      g_autofree char *value = sc_format_fen (coupon->value_fen);
      g_autofree char *min_spend = sc_format_fen (coupon->min_spend_fen);
      g_autofree char *cap = sc_format_fen (coupon->cap_fen);

      g_print ("  %s\n", coupon->title != NULL ? coupon->title : "");
      switch (coupon->type)
        {
        case SC_COUPON_TYPE_CASH:
          g_print (_("  %s off\n"), value);
          break;
        case SC_COUPON_TYPE_THRESHOLD:
          g_print (_("  %s off a bill of %s or more\n"), value, min_spend);
          break;
        case SC_COUPON_TYPE_DISCOUNT:
          if (coupon->cap_fen > 0)
            g_print (_("  %d%% off, at most %s\n"), coupon->percent_off, cap);
          else
            g_print (_("  %d%% off\n"), coupon->percent_off);
          break;
        default:
          break;
        }
      if (sc_verdict_get_realtime_only (verdict))
        g_print ("  %s\n", _("Live coupon: verified with the platform only"));
    }

  if (prize != NULL)
    {
      g_autofree char *deadline = sc_cli_format_time (cli, prize->claim_deadline);

      g_print ("  %s · %s\n", prize->activity_name != NULL ? prize->activity_name : "",
               prize->prize_name != NULL ? prize->prize_name : "");
      g_print (_("  Claim by %s\n"), deadline);
    }

  if (sc_verdict_get_valid_until (verdict) != NULL)
    {
      g_autofree char *from = sc_cli_format_time (cli, sc_verdict_get_valid_from (verdict));
      g_autofree char *until = sc_cli_format_time (cli, sc_verdict_get_valid_until (verdict));

      g_print (_("  Valid %s to %s\n"), from, until);
    }
}

void
sc_cli_add_redemption_members (JsonBuilder        *b,
                               const ScRedemption *r)
{
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, r->id);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, r->code);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, sc_code_kind_to_string (r->kind));
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, sc_redemption_state_to_string (r->state));
  json_builder_set_member_name (b, "offline");
  json_builder_add_boolean_value (b, r->offline);
  if (r->lines != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      json_node_take_array (node, sc_line_qtys_to_json (r->lines));
      json_builder_set_member_name (b, "lines");
      json_builder_add_value (b, node);
    }
}

void
sc_cli_add_optional_string (JsonBuilder *b,
                            const char  *member,
                            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
}

static void
add_redemption_json (ScCli              *cli,
                     const ScRedemption *r)
{
  JsonBuilder *b = cli->out;

  json_builder_set_member_name (b, "redemption");
  json_builder_begin_object (b);
  sc_cli_add_redemption_members (b, r);
  if (r->redeemed_at > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (r->redeemed_at);
      g_autofree char *at = sc_date_time_format_rfc3339 (dt);

      json_builder_set_member_name (b, "redeemed_at");
      json_builder_add_string_value (b, at);
    }
  if (r->bill_fen >= 0)
    {
      json_builder_set_member_name (b, "bill_fen");
      json_builder_add_int_value (b, r->bill_fen);
    }
  if (r->discount_fen >= 0)
    {
      json_builder_set_member_name (b, "discount_fen");
      json_builder_add_int_value (b, r->discount_fen);
    }
  sc_cli_add_optional_string (b, "reason", r->reason);
  json_builder_end_object (b);
}

void
sc_cli_print_redemption (ScCli              *cli,
                         const ScRedemption *r)
{
  g_autofree char *at = format_unix (cli, r->redeemed_at);

  if (cli->json)
    {
      add_redemption_json (cli, r);
      return;
    }

  switch (r->state)
    {
    case SC_REDEMPTION_STATE_SYNCED:
      g_print (_("Redeemed at %s\n"), at);
      break;
    case SC_REDEMPTION_STATE_PENDING:
    case SC_REDEMPTION_STATE_UNCERTAIN:
      if (r->offline)
        g_print ("%s\n", _("Redeemed OFFLINE: saved at this counter, it will be sent to the "
                           "platform later (by itself, or with --sync when the network is "
                           "back)"));
      else
        g_print ("%s\n", _("Saved at this counter: it will be sent when the platform answers"));
      break;
    case SC_REDEMPTION_STATE_CONFLICT:
    case SC_REDEMPTION_STATE_REJECTED:
      g_print (_("Not redeemed: %s\n"),
               r->reason != NULL ? r->reason : sc_redemption_state_get_label (r->state));
      break;
    case SC_REDEMPTION_STATE_WITHDRAWN:
      g_print ("%s\n", _("Undone: it was never sent to the platform"));
      break;
    case SC_REDEMPTION_STATE_REVERSED:
      g_print ("%s\n", _("Undone: the platform reversed it"));
      break;
    default:
      break;
    }

  if (r->bill_fen >= 0 && r->discount_fen >= 0)
    {
      g_autofree char *bill = sc_format_fen (r->bill_fen);
      g_autofree char *discount = sc_format_fen (r->discount_fen);
      g_autofree char *pay = sc_format_fen (r->bill_fen - r->discount_fen);

      g_print (_("  Bill %s · discount %s · to pay %s\n"), bill, discount, pay);
    }
  /* Translators: the ID to give to --undo */
  g_print (_("  Redemption ID %s\n"), r->id);
}

int
sc_cli_fail (ScCli        *cli,
             const GError *error)
{
  if (cli->json)
    {
      json_builder_set_member_name (cli->out, "error");
      json_builder_begin_object (cli->out);
      json_builder_set_member_name (cli->out, "message");
      json_builder_add_string_value (cli->out, error->message);
      sc_cli_add_optional_string (cli->out, "code", sc_counter_error_get_api_code (error));
      json_builder_end_object (cli->out);
    }
  else
    {
      g_printerr (_("Error: %s\n"), error->message);
    }
  return 2;
}

void
sc_cli_print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
