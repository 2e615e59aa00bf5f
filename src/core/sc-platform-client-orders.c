/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sc-platform-client-orders.c: ScPlatformClient's order calls (issue 12):
 * the orders search (`GET /v1/orders`), one order with its timeline
 * (`GET /v1/orders/{id}`) and a missing or damaged mark
 * (`POST /v1/orders/{id}/lines/{line}/missing`). Answers are read by
 * sc-order.c.
 */
#include "config.h"

#include <string.h>

#include "sc-json-reader.h"
#include "sc-order.h"
#include "sc-platform-client.h"
#include "sc-platform-client-private.h"

static gpointer
parse_order_page (ScPlatformClient  *self,
                  gpointer           call_data,
                  JsonObject        *root,
                  GError           **error)
{
  return sc_order_page_new_from_json (root, error);
}

void
sc_platform_client_search_orders_async (ScPlatformClient    *self,
                                        const ScOrderQuery  *query,
                                        const char          *cursor,
                                        guint                limit,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autofree char *params = NULL;
  g_autoptr(GString) path = g_string_new ("/v1/orders");

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));

  params = sc_order_query_to_string (query);
  if (params[0] != '\0')
    g_string_append_printf (path, "?%s", params);
  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      g_string_append_printf (path, "%scursor=%s", params[0] != '\0' ? "&" : "?", escaped);
    }
  if (limit > 0)
    g_string_append_printf (path, "%slimit=%u", strchr (path->str, '?') != NULL ? "&" : "?",
                            limit);

  sc_platform_client_send_async (self, "GET", path->str, sc_platform_client_search_orders_async,
                                 parse_order_page, (GDestroyNotify) sc_order_page_free,
                                 cancellable, callback, user_data);
}

ScOrderPage *
sc_platform_client_search_orders_finish (ScPlatformClient  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  return sc_platform_client_request_finish (self, result,
                                            sc_platform_client_search_orders_async, error);
}

static gpointer
parse_order (ScPlatformClient  *self,
             gpointer           call_data,
             JsonObject        *root,
             GError           **error)
{
  return sc_order_new_from_json (root, error);
}

void
sc_platform_client_get_order_async (ScPlatformClient    *self,
                                    const char          *order_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (order_id != NULL && *order_id != '\0');

  escaped = sc_platform_escape_segment (order_id);
  path = g_strconcat ("/v1/orders/", escaped, NULL);
  sc_platform_client_send_async (self, "GET", path, sc_platform_client_get_order_async,
                                 parse_order, g_object_unref, cancellable, callback, user_data);
}

ScOrder *
sc_platform_client_get_order_finish (ScPlatformClient  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  return sc_platform_client_request_finish (self, result, sc_platform_client_get_order_async,
                                            error);
}

/* The mark's answer {mark, order}: the order as it now is. */
static gpointer
parse_mark (ScPlatformClient  *self,
            gpointer           call_data,
            JsonObject        *root,
            GError           **error)
{
  JsonObject *mark = NULL;
  JsonObject *order = NULL;
  g_autoptr(ScOrder) result = NULL;

  if (!sc_json_read_object (root, "", "mark", SC_JSON_REQUIRED, &mark, error)
      || !sc_json_read_object (root, "", "order", SC_JSON_REQUIRED, &order, error))
    return NULL;

  result = sc_order_new_from_json (order, error);
  if (result == NULL)
    {
      /* The order's members are under "order". */
      if (error != NULL && *error != NULL && (*error)->domain == SC_JSON_READER_ERROR)
        {
          const char *member = sc_json_reader_error_get_path (*error);
          ScJsonReaderError code = (*error)->code;
          g_autofree char *name = g_strdup (member);

          g_clear_error (error);
          sc_json_reader_set_error (error, code, "order", name);
        }
      return NULL;
    }
  return g_steal_pointer (&result);
}

static const char * const missing_reason_names[] = {
  [SC_MISSING_REASON_MISSING] = "missing",
  [SC_MISSING_REASON_DAMAGED] = "damaged",
};

void
sc_platform_client_mark_missing_async (ScPlatformClient    *self,
                                       const char          *order_id,
                                       const char          *line_id,
                                       int                  qty,
                                       ScMissingReason      reason,
                                       const char          *note,
                                       const char          *idempotency_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *escaped_order = NULL;
  g_autofree char *escaped_line = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (order_id != NULL && *order_id != '\0');
  g_return_if_fail (line_id != NULL && *line_id != '\0');
  g_return_if_fail (qty > 0);
  g_return_if_fail ((guint) reason < G_N_ELEMENTS (missing_reason_names));
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');

  json_object_set_int_member (body, "qty", qty);
  json_object_set_string_member (body, "reason", missing_reason_names[reason]);
  if (note != NULL)
    json_object_set_string_member (body, "note", note);

  task = sc_platform_client_request_new (self, cancellable, callback, user_data,
                                         sc_platform_client_mark_missing_async,
                                         parse_mark, g_object_unref);
  escaped_order = sc_platform_escape_segment (order_id);
  escaped_line = sc_platform_escape_segment (line_id);
  path = g_strconcat ("/v1/orders/", escaped_order, "/lines/", escaped_line, "/missing", NULL);
  sc_platform_client_request_start_json (self, task, "POST", path, body, idempotency_key);
}

ScOrder *
sc_platform_client_mark_missing_finish (ScPlatformClient  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  return sc_platform_client_request_finish (self, result,
                                            sc_platform_client_mark_missing_async, error);
}
