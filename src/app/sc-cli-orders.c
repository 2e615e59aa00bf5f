/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cli-private.h"
#include "sc-counter.h"
#include "sc-order.h"

/* The commands on orders (issue 12): --orders QUERY [--status S] [--from
 * DATE --to DATE] and --household TAIL. Exit status: 0 with orders, 1
 * none (like a negative verdict), 2 an error. */

/* The orders of a page walk, at most this many a page. */
#define ORDERS_PAGE 200

static void
print_order (ScCli   *cli,
             ScOrder *order)
{
  g_autofree char *total = sc_format_fen (sc_order_get_total_fen (order));
  GPtrArray *lines = sc_order_get_lines (order);

  /* Translators: an order in the command line's list: its id, the masked
   * name, the phone tail, its status and its total */
  g_print (_("%s  %s  tail %s  %s  %s\n"), sc_order_get_order_id (order),
           sc_order_get_customer_masked (order), sc_order_get_phone_tail (order),
           sc_order_status_get_label (sc_order_get_status (order)), total);

  if (sc_order_get_valid_from (order) != NULL && sc_order_get_valid_until (order) != NULL)
    {
      g_autofree char *from = sc_cli_format_time (cli, sc_order_get_valid_from (order));
      g_autofree char *until = sc_cli_format_time (cli, sc_order_get_valid_until (order));

      /* Translators: the order's pickup window, from and until */
      g_print (_("  pickup from %s until %s\n"), from, until);
    }

  for (guint i = 0; i < lines->len; i++)
    {
      const ScOrderLine *line = g_ptr_array_index (lines, i);

      /* Translators: one line of an order: its id, the item's name, the
       * quantity ordered, then what was handed over, marked missing or
       * damaged, and what is left to hand over */
      g_print (_("  line %s: %s × %d — picked up %d, missing %d, left %d\n"),
               line->line_id, line->name, line->quantity, line->picked_qty,
               line->missing_qty, line->remaining_qty);
    }
}

static void
add_orders_json (JsonBuilder *b,
                 GPtrArray   *orders)
{
  json_builder_set_member_name (b, "orders");
  json_builder_begin_array (b);
  for (guint i = 0; i < orders->len; i++)
    json_builder_add_value (b, sc_order_to_json (g_ptr_array_index (orders, i)));
  json_builder_end_array (b);
}

/* --status's comma list into @query; FALSE with a usage error. */
static gboolean
parse_statuses (const char    *text,
                ScOrderQuery  *query,
                GError       **error)
{
  g_auto(GStrv) names = g_strsplit (text, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      ScOrderStatus status;

      if (!sc_order_status_from_string (g_strstrip (names[i]), &status))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not an order status: use open, partially_picked_up, "
                         "picked_up, expired, cancelled or missing_items"), names[i]);
          return FALSE;
        }
      query->statuses |= 1u << status;
    }
  return TRUE;
}

/* --orders QUERY [--status S] [--from DATE --to DATE] */
int
sc_cli_orders (ScCli *cli)
{
  g_autoptr(ScOrderQuery) query = sc_order_query_new ();
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;

  query->q = g_strdup (cli->arg);
  query->from = g_strdup (cli->from);
  query->to = g_strdup (cli->to);
  if (cli->status != NULL && !parse_statuses (cli->status, query, &error))
    return sc_cli_fail (cli, error);

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(ScOrderPage) page = NULL;

      sc_counter_search_orders_async (cli->counter, query, cursor, ORDERS_PAGE, NULL,
                                      sc_cli_result_cb, &result);
      page = sc_counter_search_orders_finish (cli->counter, sc_cli_wait (&result), &error);
      if (page == NULL)
        return sc_cli_fail (cli, error);
      for (guint i = 0; i < page->orders->len; i++)
        g_ptr_array_add (orders, g_object_ref (g_ptr_array_index (page->orders, i)));
      g_free (cursor);
      cursor = g_steal_pointer (&page->next_cursor);
    }
  while (cursor != NULL);

  if (cli->json)
    {
      add_orders_json (cli->out, orders);
    }
  else if (orders->len == 0)
    {
      g_print ("%s\n", _("No orders found"));
    }
  else
    {
      for (guint i = 0; i < orders->len; i++)
        print_order (cli, g_ptr_array_index (orders, i));
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u order\n", "%u orders\n", orders->len),
               orders->len);
    }

  return orders->len > 0 ? 0 : 1;
}

/* --household TAIL */
int
sc_cli_household (ScCli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) households = NULL;

  sc_counter_list_household_async (cli->counter, cli->arg, NULL, sc_cli_result_cb, &result);
  households = sc_counter_list_household_finish (cli->counter, sc_cli_wait (&result), &error);
  if (households == NULL)
    return sc_cli_fail (cli, error);

  if (cli->json)
    {
      json_builder_set_member_name (cli->out, "tail");
      json_builder_add_string_value (cli->out, cli->arg);
      json_builder_set_member_name (cli->out, "households");
      json_builder_begin_array (cli->out);
      for (guint i = 0; i < households->len; i++)
        {
          const ScHousehold *household = g_ptr_array_index (households, i);

          json_builder_begin_object (cli->out);
          sc_cli_add_optional_string (cli->out, "recipient_id", household->recipient_id);
          sc_cli_add_optional_string (cli->out, "customer_masked", household->customer_masked);
          sc_cli_add_optional_string (cli->out, "phone_tail", household->phone_tail);
          add_orders_json (cli->out, household->orders);
          json_builder_end_object (cli->out);
        }
      json_builder_end_array (cli->out);
      return households->len > 0 ? 0 : 1;
    }

  if (households->len == 0)
    {
      g_print (_("No open orders under phone tail %s\n"), cli->arg);
      return 1;
    }
  if (households->len > 1)
    /* Translators: more than one household has this phone tail; the clerk
     * asks the customer's name */
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u household has phone tail %s: ask for the name\n",
                          "%u households have phone tail %s: ask for the name\n",
                          households->len),
             households->len, cli->arg);

  for (guint i = 0; i < households->len; i++)
    {
      const ScHousehold *household = g_ptr_array_index (households, i);

      g_print ("\n");
      /* Translators: a household: its masked name, phone tail and how many
       * orders it has to pick up */
      g_print (g_dngettext (GETTEXT_PACKAGE, "%s (tail %s): %u open order\n",
                            "%s (tail %s): %u open orders\n", household->orders->len),
               household->customer_masked, household->phone_tail, household->orders->len);
      for (guint j = 0; j < household->orders->len; j++)
        print_order (cli, g_ptr_array_index (household->orders, j));
    }
  return 0;
}

/* --missing ORDER:LINE:QTY --reason missing|damaged [--note TEXT] */
int
sc_cli_missing (ScCli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScOrder) order = NULL;
  g_auto(GStrv) parts = g_strsplit (cli->arg != NULL ? cli->arg : "", ":", 3);
  guint64 qty = 0;
  ScMissingReason reason;

  if (g_strv_length (parts) != 3 || parts[0][0] == '\0' || parts[1][0] == '\0'
      || !g_ascii_string_to_unsigned (parts[2], 10, 1, 100000, &qty, NULL))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--missing needs ORDER:LINE:QTY, for example SO900001:2:1"));
      return sc_cli_fail (cli, error);
    }
  if (g_strcmp0 (cli->reason, "missing") == 0)
    reason = SC_MISSING_REASON_MISSING;
  else if (g_strcmp0 (cli->reason, "damaged") == 0)
    reason = SC_MISSING_REASON_DAMAGED;
  else
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--missing needs --reason missing or --reason damaged"));
      return sc_cli_fail (cli, error);
    }

  sc_counter_mark_missing_async (cli->counter, parts[0], parts[1], (int) qty, reason, cli->note,
                                 NULL, sc_cli_result_cb, &result);
  order = sc_counter_mark_missing_finish (cli->counter, sc_cli_wait (&result), &error);
  if (order == NULL)
    return sc_cli_fail (cli, error);

  if (cli->json)
    {
      json_builder_set_member_name (cli->out, "order");
      json_builder_add_value (cli->out, sc_order_to_json (order));
    }
  else
    {
      g_print ("%s\n", _("Marked. The order now:"));
      print_order (cli, order);
    }
  return 0;
}
