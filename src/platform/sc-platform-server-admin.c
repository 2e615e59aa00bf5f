/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-server-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-secret.h"

static void
respond_admin_state (Call *call)
{
  ScPlatformServer *self = call->self;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (sc_platform_server_now (self));
  g_autofree char *time = g_date_time_format_iso8601 (now);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "offset_s");
  json_builder_add_int_value (b, self->clock_offset_s);
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, time);
  json_builder_set_member_name (b, "fail_rate");
  json_builder_add_double_value (b, self->fail_rate);
  json_builder_set_member_name (b, "fail_status");
  json_builder_add_int_value (b, self->fail_status);
  json_builder_set_member_name (b, "fail_statuses");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->n_fail_statuses; i++)
    json_builder_add_int_value (b, self->fail_statuses[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "delay_ms");
  json_builder_add_int_value (b, self->delay_ms);
  json_builder_set_member_name (b, "delay_rate");
  json_builder_add_double_value (b, self->delay_rate);
  json_builder_set_member_name (b, "hang_rate");
  json_builder_add_double_value (b, self->hang_rate);
  json_builder_set_member_name (b, "hang_ms");
  json_builder_add_int_value (b, self->hang_ms);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, self->fault_seed);
  json_builder_end_object (b);
  call_respond_json (call, 200, json_builder_get_root (b));
}

static void
handle_admin_clock (Call *call)
{
  g_autoptr(JsonObject) object = call_read_object (call);
  gboolean present;
  gint64 offset = 0;

  if (object == NULL)
    return;
  if (!field_int (call, object, "offset_s", -G_GINT64_CONSTANT (3153600000),
                  G_GINT64_CONSTANT (3153600000), &present, &offset))
    return;
  if (!present)
    {
      respond_bad_field (call, "offset_s", _("a whole number"));
      return;
    }
  call->self->clock_offset_s = offset;
  respond_admin_state (call);
}

/* POST /v1/admin/faults: every call sets all the faults (absent = off).
 * "seed" (0 to 2^32 - 1) restarts the fault draws from it, so a run can be
 * replayed; absent, the platform draws one. Either way the answer (and
 * stderr with --verbose) says which. */
static void
handle_admin_faults (Call *call)
{
  ScPlatformServer *self = call->self;
  g_autoptr(JsonObject) object = call_read_object (call);
  guint statuses[MAX_FAIL_STATUSES];
  guint n_statuses = 0;
  JsonNode *statuses_node;
  double rate, delay_rate, hang_rate;
  gboolean present, delay_present, seed_present;
  gint64 status = 503, delay = 0, hang = 0, seed = 0;

  if (object == NULL)
    return;

  if (!field_rate (call, object, "fail_rate", 0.0, &rate) ||
      !field_rate (call, object, "hang_rate", 0.0, &hang_rate) ||
      !field_int (call, object, "fail_status", 400, 599, &present, &status) ||
      !field_int (call, object, "delay_ms", 0, 60000, &delay_present, &delay) ||
      !field_rate (call, object, "delay_rate", 1.0, &delay_rate) ||
      !field_int (call, object, "hang_ms", 0, 600000, &present, &hang) ||
      !field_int (call, object, "seed", 0, G_MAXUINT32, &seed_present, &seed))
    return;

  statuses_node = json_object_get_member (object, "fail_statuses");
  if (statuses_node != NULL && !JSON_NODE_HOLDS_NULL (statuses_node))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (statuses_node)
                         ? json_node_get_array (statuses_node) : NULL;

      if (array == NULL || json_array_get_length (array) > MAX_FAIL_STATUSES)
        {
          respond_bad_field (call, "fail_statuses", _("a short list of HTTP statuses"));
          return;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
              json_node_get_int (node) < 400 || json_node_get_int (node) > 599)
            {
              respond_bad_field (call, "fail_statuses", _("a short list of HTTP statuses"));
              return;
            }
          statuses[n_statuses++] = (guint) json_node_get_int (node);
        }
    }

  self->fail_rate = rate;
  self->fail_status = (guint) status;
  memcpy (self->fail_statuses, statuses, n_statuses * sizeof (guint));
  self->n_fail_statuses = n_statuses;
  self->delay_ms = (guint) delay;
  self->delay_rate = delay_rate;
  self->hang_rate = hang_rate;
  self->hang_ms = (guint) hang;
  self->fault_seed = seed_present ? (guint32) seed : g_random_int ();
  g_rand_set_seed (self->fault_rand, self->fault_seed);
  if (self->verbose)
    g_printerr ("faults: seed %" G_GUINT32_FORMAT "\n", self->fault_seed);
  respond_admin_state (call);
}

static void
handle_admin_redemptions (Call *call)
{
  g_autoptr(ScPlatformRequest) req = call_new_request (call, SC_PLATFORM_OP_ADMIN_REDEMPTIONS);
  const char *store_id = query_get (call, "store_id");
  const char *limit = query_get (call, "limit");
  gint64 n = -1;

  if (limit != NULL && limit[0] != '\0' &&
      !g_ascii_string_to_signed (limit, 10, 0, G_MAXINT, &n, NULL))
    {
      call_respond_error (call, 400, "bad_request", _("limit must be 0 or more."));
      return;
    }
  req->limit = (int) n;
  req->store_id = store_id != NULL && store_id[0] != '\0' ? g_strdup (store_id) : NULL;
  call_run (call, g_steal_pointer (&req));
}

void
handle_admin (Call       *call,
              const char *method,
              const char *what)
{
  ScPlatformServer *self = call->self;
  g_autoptr(ScSecretText) token = NULL;

  if (self->admin_token == NULL)
    {
      call_respond_error (call, 404, "not_found", _("No such call."));
      return;
    }
  token = bearer_token (call->msg);
  if (token == NULL || !sc_secret_equal (token, self->admin_token))
    {
      call_respond_error (call, 401, "unauthorized", _("Admin calls need the admin token."));
      return;
    }

  if (strcmp (what, "demo-codes") == 0 && strcmp (method, "GET") == 0)
    call_run (call, call_new_request (call, SC_PLATFORM_OP_ADMIN_DEMO_CODES));
  else if (strcmp (what, "reset") == 0 && strcmp (method, "POST") == 0)
    call_run (call, call_new_request (call, SC_PLATFORM_OP_ADMIN_RESET));
  else if (strcmp (what, "clock") == 0 && strcmp (method, "POST") == 0)
    handle_admin_clock (call);
  else if (strcmp (what, "faults") == 0 && strcmp (method, "POST") == 0)
    handle_admin_faults (call);
  else if (strcmp (what, "clock") == 0 && strcmp (method, "GET") == 0)
    respond_admin_state (call);
  else if (strcmp (what, "orders") == 0 && strcmp (method, "POST") == 0)
    {
      ScPlatformRequest *req = call_read_request (call, SC_PLATFORM_OP_ADMIN_ADD_ORDERS);

      if (req != NULL)
        call_run (call, req);
    }
  else if (strcmp (what, "orders/touch") == 0 && strcmp (method, "POST") == 0)
    {
      ScPlatformRequest *req = call_read_request (call, SC_PLATFORM_OP_ADMIN_TOUCH_ORDERS);

      if (req != NULL)
        call_run (call, req);
    }
  else if (strcmp (what, "redemptions") == 0 && strcmp (method, "GET") == 0)
    handle_admin_redemptions (call);
  else
    call_respond_error (call, 404, "not_found", _("No such call."));
}
