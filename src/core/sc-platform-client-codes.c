/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sc-platform-client-codes.c: ScPlatformClient's calls about codes: lookup,
 * redeem, the platform's record of a redemption and its reversal, with
 * their readers (each member through sc-json-reader).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-json-reader.h"
#include "sc-platform-client.h"
#include "sc-platform-client-private.h"
#include "sc-time.h"
#include "sc-verdict.h"

/* ------------------------------------------------------------------------ */
/* Lookup                                                                    */

static gpointer
parse_verdict (ScPlatformClient  *self,
               gpointer           call_data,
               JsonObject        *root,
               GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  ScVerdict *verdict;

  verdict = sc_verdict_new_from_json (root, &local_error);
  if (verdict == NULL)
    {
      g_autofree char *message = NULL;

      g_debug ("Cannot read the lookup answer: %s",
               local_error ? local_error->message : "(no error)");
      /* Translators: %s says which part of the answer is wrong */
      message = g_strdup_printf (_("The platform sent an answer we cannot read: %s"),
                                 local_error ? local_error->message : _("unknown reason"));
      g_propagate_error (error, sc_platform_error_new_literal (SC_PLATFORM_ERROR_BAD_DATA, 200,
                                                              NULL, -1, NULL, message));
      return NULL;
    }

  return verdict;
}

void
sc_platform_client_lookup_async (ScPlatformClient    *self,
                                 const char          *payload,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (payload != NULL);

  task = sc_platform_client_request_new (self, cancellable, callback, user_data,
                                         sc_platform_client_lookup_async,
                                         parse_verdict, g_object_unref);
  json_object_set_string_member (body, "payload", payload);
  sc_platform_client_request_set_idempotent (task);  /* it only reads */
  sc_platform_client_request_start_json (self, task, "POST", "/v1/codes/lookup", body, NULL);
}

ScVerdict *
sc_platform_client_lookup_finish (ScPlatformClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return sc_platform_client_request_finish (self, result, sc_platform_client_lookup_async, error);
}

/* ------------------------------------------------------------------------ */
/* Redeem                                                                    */

/* What the answers about one redemption (redeemed, its record) share. */
typedef struct
{
  const char *redemption_id; /* (unowned) as the answer spells it */
  const char *code;          /* (unowned) (nullable) */
  const char *kind;          /* (unowned) (nullable) */
  ScCodeKind  code_kind;     /* UNKNOWN when kind is NULL */
  GDateTime  *redeemed_at;   /* (owned) */
  gint64      bill_fen;      /* -1: absent */
  gint64      discount_fen;  /* -1: absent */
} Redeemed;

static void
redeemed_clear (Redeemed *redeemed)
{
  g_clear_pointer (&redeemed->redeemed_at, g_date_time_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Redeemed, redeemed_clear)

/* The answer's redemption_id (which must be @wanted_id), redeemed_at,
 * code and kind (required when @code_flags says so), bill and discount. */
static gboolean
read_redeemed (JsonObject   *root,
               const char   *wanted_id,
               ScJsonFlags   code_flags,
               Redeemed     *out,
               GError      **error)
{
  out->code_kind = SC_CODE_KIND_UNKNOWN;
  out->bill_fen = -1;
  out->discount_fen = -1;
  if (!sc_json_read_string (root, "", "redemption_id", SC_JSON_REQUIRED, &out->redemption_id,
                            error) ||
      !sc_json_read_string (root, "", "code", code_flags, &out->code, error) ||
      !sc_json_read_string (root, "", "kind", code_flags, &out->kind, error) ||
      !sc_json_read_time (root, "", "redeemed_at", SC_JSON_REQUIRED, &out->redeemed_at, error) ||
      !sc_json_read_int (root, "", "bill_fen", SC_JSON_OPTIONAL, 0, G_MAXINT64, NULL,
                         &out->bill_fen, error) ||
      !sc_json_read_int (root, "", "discount_fen", SC_JSON_OPTIONAL, 0, G_MAXINT64, NULL,
                         &out->discount_fen, error))
    return FALSE;

  if (g_ascii_strcasecmp (out->redemption_id, wanted_id) != 0)
    return sc_json_reader_set_error (error, SC_JSON_READER_ERROR_INVALID, "", "redemption_id");
  if (out->kind != NULL && !sc_code_kind_from_string (out->kind, &out->code_kind))
    return sc_json_reader_set_error (error, SC_JSON_READER_ERROR_INVALID, "", "kind");
  return TRUE;
}

static gpointer
parse_redeemed (ScPlatformClient  *self,
                gpointer           call_data,
                JsonObject        *root,
                GError           **error)
{
  const ScRedemption *sent = call_data;
  g_auto(Redeemed) redeemed = { 0 };
  g_autoptr(ScRedemption) copy = NULL;

  if (!read_redeemed (root, sent->id, SC_JSON_OPTIONAL, &redeemed, error))
    return NULL;

  copy = sc_redemption_copy (sent);
  copy->state = SC_REDEMPTION_STATE_SYNCED;
  copy->redeemed_at = g_date_time_to_unix (redeemed.redeemed_at);
  if (redeemed.discount_fen >= 0)
    copy->discount_fen = redeemed.discount_fen;
  if (copy->code == NULL && redeemed.code != NULL)
    copy->code = g_strdup (redeemed.code);
  if (copy->kind == SC_CODE_KIND_UNKNOWN && redeemed.kind != NULL)
    copy->kind = redeemed.code_kind;
  g_clear_pointer (&copy->reason, g_free);
  copy->updated_at = sc_time_now_unix ();

  return g_steal_pointer (&copy);
}

void
sc_platform_client_redeem_async (ScPlatformClient    *self,
                                 const ScRedemption  *redemption,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GDateTime) scanned_at = NULL;
  g_autofree char *scanned_at_str = NULL;
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (redemption != NULL);
  g_return_if_fail (redemption->id != NULL && *redemption->id != '\0');
  g_return_if_fail (redemption->payload != NULL);

  task = sc_platform_client_request_new (self, cancellable, callback, user_data,
                                         sc_platform_client_redeem_async,
                                         parse_redeemed, (GDestroyNotify) sc_redemption_free);
  sc_platform_client_request_set_call_data (task, sc_redemption_copy (redemption),
                                            (GDestroyNotify) sc_redemption_free);

  scanned_at = g_date_time_new_from_unix_utc (redemption->scanned_at);
  if (scanned_at != NULL)
    scanned_at_str = sc_date_time_format_rfc3339 (scanned_at);

  json_object_set_string_member (body, "redemption_id", redemption->id);
  json_object_set_string_member (body, "payload", redemption->payload);
  /* Who made it: the platform refuses it from anyone else's session. */
  json_object_set_string_member (body, "store_id",
                                 redemption->store_id != NULL ? redemption->store_id : "");
  json_object_set_string_member (body, "clerk_id",
                                 redemption->clerk_id != NULL ? redemption->clerk_id : "");
  json_object_set_string_member (body, "source",
                                 redemption->source ? redemption->source : "keyboard");
  if (scanned_at_str != NULL)
    json_object_set_string_member (body, "scanned_at", scanned_at_str);
  json_object_set_boolean_member (body, "offline", redemption->offline);
  if (redemption->bill_fen >= 0)
    json_object_set_int_member (body, "bill_fen", redemption->bill_fen);
  /* A partial pickup only: a whole-order redemption, and every outbox row
   * from before, sends what it always sent. */
  if (redemption->lines != NULL)
    json_object_set_array_member (body, "lines", sc_line_qtys_to_json (redemption->lines));

  sc_platform_client_request_start_json (self, task, "POST", "/v1/redemptions", body,
                                         redemption->id);
}

ScRedemption *
sc_platform_client_redeem_finish (ScPlatformClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return sc_platform_client_request_finish (self, result, sc_platform_client_redeem_async, error);
}

/* ------------------------------------------------------------------------ */
/* The platform's record of a redemption                                     */

static gpointer
parse_redemption_record (ScPlatformClient  *self,
                         gpointer           call_data,
                         JsonObject        *root,
                         GError           **error)
{
  const char *wanted_id = call_data;
  g_auto(Redeemed) redeemed = { 0 };
  g_autoptr(ScRedemption) record = NULL;
  g_autoptr(GDateTime) scanned_at = NULL;
  g_autoptr(GDateTime) reversed_at = NULL;
  const char *payload = NULL;
  const char *store_id = NULL;
  const char *clerk_id = NULL;
  const char *source = NULL;
  gboolean offline = FALSE;

  if (!read_redeemed (root, wanted_id, SC_JSON_REQUIRED, &redeemed, error) ||
      !sc_json_read_string (root, "", "payload", SC_JSON_OPTIONAL, &payload, error) ||
      !sc_json_read_string (root, "", "store_id", SC_JSON_OPTIONAL, &store_id, error) ||
      !sc_json_read_string (root, "", "clerk_id", SC_JSON_OPTIONAL, &clerk_id, error) ||
      !sc_json_read_string (root, "", "source", SC_JSON_OPTIONAL, &source, error) ||
      !sc_json_read_time (root, "", "scanned_at", SC_JSON_OPTIONAL, &scanned_at, error) ||
      !sc_json_read_bool (root, "", "offline", SC_JSON_OPTIONAL, &offline, error) ||
      !sc_json_read_time (root, "", "reversed_at", SC_JSON_OPTIONAL, &reversed_at, error))
    return NULL;

  record = sc_redemption_new (payload != NULL ? payload : redeemed.code, redeemed.code,
                              redeemed.code_kind, source != NULL ? source : "keyboard");
  g_free (record->id);
  record->id = g_strdup (redeemed.redemption_id);
  g_free (record->store_id);
  record->store_id = g_strdup (store_id);
  g_free (record->clerk_id);
  record->clerk_id = g_strdup (clerk_id);
  if (scanned_at != NULL)
    record->scanned_at = g_date_time_to_unix (scanned_at);
  record->offline = offline;
  record->bill_fen = redeemed.bill_fen;
  record->discount_fen = redeemed.discount_fen;
  record->redeemed_at = g_date_time_to_unix (redeemed.redeemed_at);
  record->state = reversed_at != NULL ? SC_REDEMPTION_STATE_REVERSED : SC_REDEMPTION_STATE_SYNCED;
  record->updated_at = reversed_at != NULL ? g_date_time_to_unix (reversed_at)
                                            : sc_time_now_unix ();

  return g_steal_pointer (&record);
}

void
sc_platform_client_get_redemption_async (ScPlatformClient    *self,
                                         const char          *redemption_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (redemption_id != NULL && *redemption_id != '\0');

  task = sc_platform_client_request_new (self, cancellable, callback, user_data,
                           sc_platform_client_get_redemption_async,
                           parse_redemption_record, (GDestroyNotify) sc_redemption_free);
  sc_platform_client_request_set_call_data (task, g_strdup (redemption_id), g_free);

  escaped = sc_platform_escape_segment (redemption_id);
  path = g_strconcat ("/v1/redemptions/", escaped, NULL);
  sc_platform_client_request_start (self, task, "GET", path, NULL, NULL, NULL);
}

ScRedemption *
sc_platform_client_get_redemption_finish (ScPlatformClient  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  return sc_platform_client_request_finish (self, result,
                                            sc_platform_client_get_redemption_async, error);
}

/* ------------------------------------------------------------------------ */
/* Reversal                                                                  */

static gpointer
parse_reversal (ScPlatformClient  *self,
                gpointer           call_data,
                JsonObject        *root,
                GError           **error)
{
  const char *wanted_id = call_data;
  g_autoptr(GDateTime) reversed_at = NULL;
  const char *redemption_id = NULL;
  gint64 *result;

  if (!sc_json_read_string (root, "", "redemption_id", SC_JSON_OPTIONAL, &redemption_id, error) ||
      !sc_json_read_time (root, "", "reversed_at", SC_JSON_REQUIRED, &reversed_at, error))
    return NULL;

  if (redemption_id != NULL && g_ascii_strcasecmp (redemption_id, wanted_id) != 0)
    {
      sc_json_reader_set_error (error, SC_JSON_READER_ERROR_INVALID, "", "redemption_id");
      return NULL;
    }

  result = g_new (gint64, 1);
  *result = g_date_time_to_unix (reversed_at);
  return result;
}

void
sc_platform_client_reverse_async (ScPlatformClient    *self,
                                  const char          *redemption_id,
                                  const char          *idempotency_key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (redemption_id != NULL && *redemption_id != '\0');
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');

  task = sc_platform_client_request_new (self, cancellable, callback, user_data,
                                         sc_platform_client_reverse_async,
                                         parse_reversal, g_free);
  sc_platform_client_request_set_call_data (task, g_strdup (redemption_id), g_free);

  escaped = sc_platform_escape_segment (redemption_id);
  path = g_strconcat ("/v1/redemptions/", escaped, "/reversal", NULL);
  sc_platform_client_request_start_json (self, task, "POST", path, body, idempotency_key);
}

gboolean
sc_platform_client_reverse_finish (ScPlatformClient  *self,
                                   GAsyncResult      *result,
                                   gint64            *out_reversed_at,
                                   GError           **error)
{
  g_autofree gint64 *reversed_at = NULL;

  reversed_at = sc_platform_client_request_finish (self, result, sc_platform_client_reverse_async,
                                                   error);
  if (reversed_at == NULL)
    return FALSE;

  if (out_reversed_at != NULL)
    *out_reversed_at = *reversed_at;
  return TRUE;
}


/* ------------------------------------------------------------------------ */
/* The readers alone (sc-platform-client-private.h)                          */

ScVerdict *
sc_platform_read_verdict (JsonObject  *root,
                          GError     **error)
{
  g_return_val_if_fail (root != NULL, NULL);

  return sc_platform_client_run_parse (NULL, parse_verdict, NULL, root, 200, error);
}

ScRedemption *
sc_platform_read_redeemed (const ScRedemption  *sent,
                           JsonObject          *root,
                           GError             **error)
{
  g_return_val_if_fail (sent != NULL && sent->id != NULL, NULL);
  g_return_val_if_fail (root != NULL, NULL);

  /* read only */
  return sc_platform_client_run_parse (NULL, parse_redeemed, (gpointer) sent, root, 200, error);
}

ScRedemption *
sc_platform_read_redemption_record (const char  *redemption_id,
                                    JsonObject  *root,
                                    GError     **error)
{
  g_return_val_if_fail (redemption_id != NULL, NULL);
  g_return_val_if_fail (root != NULL, NULL);

  return sc_platform_client_run_parse (NULL, parse_redemption_record, (gpointer) redemption_id,
                                       root, 200, error);
}

gboolean
sc_platform_read_reversal (const char  *redemption_id,
                           JsonObject  *root,
                           gint64      *out_reversed_at,
                           GError     **error)
{
  g_autofree gint64 *reversed_at = NULL;

  g_return_val_if_fail (redemption_id != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);

  reversed_at = sc_platform_client_run_parse (NULL, parse_reversal, (gpointer) redemption_id,
                                              root, 200, error);
  if (reversed_at == NULL)
    return FALSE;
  if (out_reversed_at != NULL)
    *out_reversed_at = *reversed_at;
  return TRUE;
}
