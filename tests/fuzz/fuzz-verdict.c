/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the client's readers of the platform's answers. One input is
 * one answer body, given to every reader: the lookup answer -> ScVerdict
 * (sc-verdict.c), the session, health, redemption, record and reversal
 * answers and the error reader (sc-platform-client.c), and the orders
 * answers (one order, a page) -> ScOrder (sc-order.c). An input that starts
 * with a "Retry-After: VALUE" line gives that header to the error reader.
 *
 * Invariants: a verdict that was read writes back (sc_verdict_to_json) to
 * JSON that reads again to the same verdict; a coupon's discount is never
 * negative nor more than the bill; every error is SC_PLATFORM_ERROR with a
 * message (the order readers': SC_JSON_READER_ERROR naming the member); an
 * order that was read writes back to JSON that reads again the same. */
#include "config.h"

#include <string.h>

#include "sc-fuzz.h"
#include "sc-json-reader.h"
#include "sc-order.h"
#include "sc-platform-client-private.h"
#include "sc-verdict.h"

#define REDEMPTION_ID "0f6e8a52-3b1d-4c8e-9a41-7d2c5b9e1f30"

static char *
to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
check_coupon (const ScCouponInfo *coupon)
{
  static const gint64 bills[] = { 0, 1, 99, 100, 1999, 10000, G_MAXINT64 / 2, G_MAXINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (bills); i++)
    {
      gint64 discount = -1;
      ScVerdictStatus status = SC_VERDICT_STATUS_LAST;

      if (sc_coupon_info_compute (coupon, bills[i], &discount, &status))
        {
          g_assert_cmpint (status, ==, SC_VERDICT_STATUS_REDEEMABLE);
          g_assert_cmpint (discount, >=, 0);
          g_assert_cmpint (discount, <=, bills[i]);
        }
      else
        {
          g_assert_cmpint (status, ==, SC_VERDICT_STATUS_THRESHOLD_NOT_MET);
          g_assert_cmpint (discount, ==, 0);
        }
    }
}

static void
check_verdict (ScVerdict *verdict)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(ScVerdict) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  const ScOrderInfo *order = sc_verdict_get_order (verdict);

  g_assert_cmpuint (sc_verdict_get_status (verdict), <, SC_VERDICT_STATUS_LAST);
  g_assert_nonnull (sc_verdict_status_get_label (sc_verdict_get_status (verdict)));

  if (order != NULL)
    {
      g_autofree char *total = sc_format_fen (order->total_fen);

      g_assert_nonnull (order->items);
      g_assert_true (g_utf8_validate (total, -1, NULL));
    }
  if (sc_verdict_get_coupon (verdict) != NULL)
    check_coupon (sc_verdict_get_coupon (verdict));

  /* What --json prints and the platform sends must read back the same. */
  node = sc_verdict_to_json (verdict);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  text = to_text (node);
  again = sc_verdict_new_from_json (json_node_get_object (node), &error);
  if (again == NULL)
    g_error ("A verdict does not read back: %s\n%s", error->message, text);
  g_assert_cmpint (sc_verdict_get_status (again), ==, sc_verdict_get_status (verdict));
  g_assert_cmpint (sc_verdict_get_kind (again), ==, sc_verdict_get_kind (verdict));
  node2 = sc_verdict_to_json (again);
  text2 = to_text (node2);
  g_assert_cmpstr (text2, ==, text);
}

static void
check_error (GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == SC_PLATFORM_ERROR);
  g_assert_nonnull (error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpint (sc_platform_error_get_retry_after (error), >=, -1);
}

static void
check_order (ScOrder *order)
{
  g_autoptr(JsonNode) node = sc_order_to_json (order);
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(ScOrder) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = to_text (node);
  g_autofree char *text2 = NULL;

  g_assert_nonnull (sc_order_get_order_id (order));
  g_assert_nonnull (sc_order_status_get_label (sc_order_get_status (order)));
  g_assert_cmpint (sc_order_get_remaining_qty (order), >=, 0);
  again = sc_order_new_from_json (json_node_get_object (node), &error);
  if (again == NULL)
    g_error ("An order does not read back: %s\n%s", error->message, text);
  node2 = sc_order_to_json (again);
  text2 = to_text (node2);
  g_assert_cmpstr (text2, ==, text);
}

static void
check_reader_error (GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == SC_JSON_READER_ERROR);
  g_assert_nonnull (sc_json_reader_error_get_path (error));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
read_order_answers (JsonObject *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScOrder) order = sc_order_new_from_json (root, &error);
  g_autoptr(ScOrderPage) page = NULL;

  if (order != NULL)
    check_order (order);
  else
    check_reader_error (error);
  g_clear_error (&error);

  page = sc_order_page_new_from_json (root, &error);
  if (page != NULL)
    {
      for (guint i = 0; i < page->orders->len; i++)
        check_order (g_ptr_array_index (page->orders, i));
    }
  else
    {
      check_reader_error (error);
    }
}

static void
read_ok_answers (JsonObject *root)
{
  g_autoptr(GError) error = NULL;

  read_order_answers (root);

  {
    g_autoptr(ScVerdict) verdict = sc_platform_read_verdict (root, &error);

    if (verdict != NULL)
      check_verdict (verdict);
    else
      check_error (error);
    g_clear_error (&error);
  }

  {
    static ScPlatformClient *client = NULL;
    g_autoptr(ScSession) session = NULL;

    if (client == NULL)
      client = sc_platform_client_new ("http://127.0.0.1:1");
    session = sc_platform_read_session (client, root, &error);
    if (session != NULL)
      {
        g_assert_cmpstr (sc_platform_client_get_token (client), ==, session->token);
        g_assert_nonnull (session->token);
        g_assert_cmpstr (session->token, !=, "");
        g_assert_nonnull (session->expires_at);
        g_assert_nonnull (session->store_id);
        g_assert_nonnull (session->clerk_id);
        g_assert_cmpint (session->undo_window_s, >=, 0);
      }
    else
      {
        check_error (error);
      }
    g_clear_error (&error);
  }

  {
    g_autoptr(GDateTime) time = sc_platform_read_health (root, &error);

    if (time == NULL)
      check_error (error);
    g_clear_error (&error);
  }

  {
    g_autoptr(ScRedemption) sent = sc_redemption_new ("123456789015", "123456789015",
                                                      SC_CODE_KIND_PICKUP, "keyboard");
    g_autoptr(ScRedemption) redeemed = NULL;

    g_free (sent->id);
    sent->id = g_strdup (REDEMPTION_ID);
    redeemed = sc_platform_read_redeemed (sent, root, &error);
    if (redeemed != NULL)
      {
        g_assert_cmpstr (redeemed->id, ==, REDEMPTION_ID);
        g_assert_cmpint (redeemed->state, ==, SC_REDEMPTION_STATE_SYNCED);
        g_assert_cmpint (redeemed->discount_fen, >=, -1);
      }
    else
      {
        check_error (error);
      }
    g_clear_error (&error);
  }

  {
    g_autoptr(ScRedemption) record = NULL;

    record = sc_platform_read_redemption_record (REDEMPTION_ID, root, &error);
    if (record != NULL)
      {
        g_assert_cmpint (g_ascii_strcasecmp (record->id, REDEMPTION_ID), ==, 0);
        g_assert_nonnull (record->code);
        g_assert_cmpint (record->bill_fen, >=, -1);
        g_assert_cmpint (record->discount_fen, >=, -1);
      }
    else
      {
        check_error (error);
      }
    g_clear_error (&error);
  }

  {
    gint64 reversed_at = 0;

    if (!sc_platform_read_reversal (REDEMPTION_ID, root, &reversed_at, &error))
      check_error (error);
    g_clear_error (&error);
  }
}

static void
read_error_answers (const char *retry_after,
                    JsonObject *root)
{
  static const guint statuses[] = { 400, 401, 403, 404, 408, 409, 410, 422, 429, 500, 503, 302 };
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  if (retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", retry_after);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = sc_platform_error_new_from_answer (statuses[i], headers, root);

      check_error (error);
      g_assert_cmpuint (sc_platform_error_get_http_status (error), ==, statuses[i]);
      if (statuses[i] != 429 && statuses[i] != 503)
        g_assert_cmpint (sc_platform_error_get_retry_after (error), ==, -1);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char header[] = "Retry-After: ";
  g_autofree char *retry_after = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;

  sc_fuzz_init ();

  if (size >= sizeof header - 1 && memcmp (data, header, sizeof header - 1) == 0)
    {
      const uint8_t *value = data + sizeof header - 1;
      const uint8_t *end = memchr (value, '\n', size - (sizeof header - 1));
      size_t len = end != NULL ? (size_t) (end - value) : size - (sizeof header - 1);

      /* libsoup never delivers a value with a line break in it. */
      retry_after = g_strndup ((const char *) value, len);
      if (strchr (retry_after, '\r') != NULL)
        g_clear_pointer (&retry_after, g_free);
      data = value + len;
      size -= sizeof header - 1 + len;
      if (size > 0)
        {
          data++;
          size--;
        }
    }

  body = g_bytes_new (data, size);
  root = sc_platform_parse_answer (body, &error);
  if (root == NULL)
    check_error (error);
  else
    read_ok_answers (root);

  /* Any status but 2xx: the error reader, with or without a JSON body. */
  read_error_answers (retry_after, root);

  return 0;
}
