/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sc-counter-orders.c: ScCounter's order calls (issue 12) for the app and
 * the command line, which never call the client themselves: the orders
 * search, a household's open orders by phone tail (grouped by recipient),
 * one order with its timeline. Online only: offline (from the manifest)
 * is a later step, and until then each says it needs the platform.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-code.h"
#include "sc-counter-private.h"
#include "sc-order.h"
#include "sc-platform-client.h"

/* The words of NEEDS_NETWORK; @cause (nullable) why the platform is away. */
static GError *
needs_network_error (const GError *cause)
{
  g_autofree char *why = cause != NULL ? sc_counter_error_describe (cause, FALSE) : NULL;

  if (why == NULL)
    return g_error_new_literal (SC_COUNTER_ERROR, SC_COUNTER_ERROR_NEEDS_NETWORK,
                                _("The order list needs the platform, and this counter is "
                                  "offline. Try again when it is back online."));
  /* Translators: %s says why the platform cannot be reached */
  return g_error_new (SC_COUNTER_ERROR, SC_COUNTER_ERROR_NEEDS_NETWORK,
                      _("The order list needs the platform: %s"), why);
}

/* A task for an order call of the clerk's; NULL after it returned an
 * error (no session, or an offline one). */
static GTask *
orders_task_new (ScCounter           *self,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  sc_counter_task_set_session (self, task);
  if (!sc_counter_check_logged_in (self, task))
    return NULL;
  if (self->session->offline)
    {
      g_task_return_error (task, needs_network_error (NULL));
      return NULL;
    }
  return g_steal_pointer (&task);
}

/* The client's error for @task: "online" follows, and an unreachable
 * platform is NEEDS_NETWORK. */
static void
orders_task_return_error (GTask  *task,
                          GError *error)
{
  ScCounter *self = g_task_get_source_object (task);

  sc_counter_note_error (self, task, error);
  if (sc_counter_error_is_unreachable (error))
    {
      g_task_return_error (task, needs_network_error (error));
      g_error_free (error);
      return;
    }
  g_task_return_error (task, error);
}

/* The result of an order call of @self. */
static gpointer
orders_task_finish (ScCounter     *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The client's answer for @task: @result (transfer full), or @error. */
static void
orders_task_return (GTask          *task,
                    gpointer        result,
                    GDestroyNotify  result_free,
                    GError         *error)
{
  ScCounter *self = g_task_get_source_object (task);

  if (result == NULL)
    {
      orders_task_return_error (task, error);
      return;
    }
  sc_connectivity_mark_reachable (self->connectivity);
  g_task_return_pointer (task, result, result_free);
}

static gboolean
is_phone_tail (const char *tail)
{
  if (strlen (tail) != SC_CODE_PHONE_TAIL_LENGTH)
    return FALSE;
  for (const char *p = tail; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
check_query (const ScOrderQuery  *query,
             GError             **error)
{
  if (query == NULL)
    return TRUE;

  if (query->tail != NULL && !is_phone_tail (query->tail))
    {
      g_set_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_BAD_QUERY,
                   _("“%s” is not a phone tail: it has 4 digits"), query->tail);
      return FALSE;
    }
  if ((query->from != NULL && !sc_order_day_is_valid (query->from))
      || (query->to != NULL && !sc_order_day_is_valid (query->to)))
    {
      g_set_error (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_BAD_QUERY,
                   _("“%s” is not a day: write it as YYYY-MM-DD, such as 2026-12-03"),
                   query->from != NULL && !sc_order_day_is_valid (query->from)
                   ? query->from : query->to);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Search                                                                    */

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError *error = NULL;
  gpointer answer = sc_platform_client_search_orders_finish (SC_PLATFORM_CLIENT (object), result,
                                                             &error);

  orders_task_return (user_data, answer, (GDestroyNotify) sc_order_page_free, error);
  g_object_unref (user_data);
}

void
sc_counter_search_orders_async (ScCounter           *self,
                                const ScOrderQuery  *query,
                                const char          *cursor,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  GTask *task;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = orders_task_new (self, sc_counter_search_orders_async, cancellable, callback,
                          user_data);
  if (task == NULL)
    return;
  if (!check_query (query, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  sc_platform_client_search_orders_async (self->client, query, cursor, limit, cancellable,
                                          search_cb, task);
}

ScOrderPage *
sc_counter_search_orders_finish (ScCounter     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return orders_task_finish (self, result, error);
}

/* ------------------------------------------------------------------------ */
/* A household: every page of tail + open                                   */

typedef struct
{
  ScOrderQuery *query;   /* (owned) */
  GPtrArray    *orders;  /* (owned) (element-type ScOrder) so far */
} HouseholdData;

static void
household_data_free (HouseholdData *data)
{
  sc_order_query_free (data->query);
  g_clear_pointer (&data->orders, g_ptr_array_unref);
  g_free (data);
}

/* The platform's largest page: a household has a handful of orders. */
#define HOUSEHOLD_PAGE 200

static void
household_page_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  HouseholdData *data = g_task_get_task_data (task);
  g_autoptr(ScOrderPage) page = NULL;
  GError *error = NULL;

  page = sc_platform_client_search_orders_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (page == NULL)
    {
      orders_task_return_error (task, error);
      return;
    }
  sc_connectivity_mark_reachable (self->connectivity);

  for (guint i = 0; i < page->orders->len; i++)
    g_ptr_array_add (data->orders, g_object_ref (g_ptr_array_index (page->orders, i)));

  if (page->next_cursor != NULL)
    {
      sc_platform_client_search_orders_async (self->client, data->query, page->next_cursor,
                                              HOUSEHOLD_PAGE, g_task_get_cancellable (task),
                                              household_page_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, sc_household_group (data->orders),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
sc_counter_list_household_async (ScCounter           *self,
                                 const char          *tail,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  HouseholdData *data;
  GTask *task;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (tail != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = orders_task_new (self, sc_counter_list_household_async, cancellable, callback,
                          user_data);
  if (task == NULL)
    return;

  data = g_new0 (HouseholdData, 1);
  data->query = sc_order_query_new ();
  data->query->tail = g_strdup (tail);
  /* The platform's "open" takes in partially picked up orders too. */
  data->query->statuses = 1u << SC_ORDER_STATUS_OPEN;
  data->orders = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) household_data_free);

  if (!check_query (data->query, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  sc_platform_client_search_orders_async (self->client, data->query, NULL, HOUSEHOLD_PAGE,
                                          cancellable, household_page_cb, task);
}

GPtrArray *
sc_counter_list_household_finish (ScCounter     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return orders_task_finish (self, result, error);
}

/* ------------------------------------------------------------------------ */
/* One order                                                                 */

static void
get_order_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError *error = NULL;
  gpointer answer = sc_platform_client_get_order_finish (SC_PLATFORM_CLIENT (object), result,
                                                         &error);

  orders_task_return (user_data, answer, g_object_unref, error);
  g_object_unref (user_data);
}

void
sc_counter_get_order_async (ScCounter           *self,
                            const char          *order_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (order_id != NULL && *order_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = orders_task_new (self, sc_counter_get_order_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  sc_platform_client_get_order_async (self->client, order_id, cancellable, get_order_cb, task);
}

ScOrder *
sc_counter_get_order_finish (ScCounter     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return orders_task_finish (self, result, error);
}

/* ------------------------------------------------------------------------ */
/* A missing or damaged mark (online: not an outbox action yet)             */

static void
mark_missing_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError *error = NULL;
  gpointer answer = sc_platform_client_mark_missing_finish (SC_PLATFORM_CLIENT (object), result,
                                                            &error);

  orders_task_return (user_data, answer, g_object_unref, error);
  g_object_unref (user_data);
}

void
sc_counter_mark_missing_async (ScCounter           *self,
                               const char          *order_id,
                               const char          *line_id,
                               int                  qty,
                               ScMissingReason      reason,
                               const char          *note,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *key = NULL;
  GTask *task;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (order_id != NULL && *order_id != '\0');
  g_return_if_fail (line_id != NULL && *line_id != '\0');
  g_return_if_fail (qty > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = orders_task_new (self, sc_counter_mark_missing_async, cancellable, callback,
                          user_data);
  if (task == NULL)
    return;
  /* One key per mark; without the outbox a send that got no answer is
   * not sent again by itself (the order's timeline shows whether it
   * arrived). */
  key = g_uuid_string_random ();
  sc_platform_client_mark_missing_async (self->client, order_id, line_id, qty, reason, note, key,
                                         cancellable, mark_missing_cb, task);
}

ScOrder *
sc_counter_mark_missing_finish (ScCounter     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return orders_task_finish (self, result, error);
}
