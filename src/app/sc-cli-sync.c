/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cli-private.h"
#include "sc-code.h"
#include "sc-counter.h"
#include "sc-counter-queries.h"
#include "sc-time.h"

/* --sync: the outbox drained, then what was synced, what conflicts, what
 * was rejected and what still waits (and for whom). */

static void
redemption_changed_cb (ScCounter          *counter,
                       const ScRedemption *redemption,
                       ScCli              *cli)
{
  /* Latest state only, in the order first seen. */
  for (guint i = 0; i < cli->changed->len; i++)
    {
      ScRedemption *seen = g_ptr_array_index (cli->changed, i);

      if (g_strcmp0 (seen->id, redemption->id) == 0)
        {
          g_ptr_array_index (cli->changed, i) = sc_redemption_copy (redemption);
          sc_redemption_free (seen);
          return;
        }
    }
  g_ptr_array_add (cli->changed, sc_redemption_copy (redemption));
}

/* "store" or "clerk": {"id", "name"} */
static void
add_party_json (JsonBuilder *b,
                const char  *member,
                const char  *id,
                const char  *name)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_end_object (b);
}

static void
add_redeemed_json (ScCli                *cli,
                   const ScRedeemedInfo *info)
{
  JsonBuilder *b = cli->out;

  json_builder_set_member_name (b, "redeemed");
  json_builder_begin_object (b);
  sc_cli_add_optional_string (b, "redemption_id", info->redemption_id);
  if (info->at != NULL)
    {
      g_autofree char *at = sc_date_time_format_rfc3339 (info->at);

      json_builder_set_member_name (b, "at");
      json_builder_add_string_value (b, at);
    }
  add_party_json (b, "store", info->store_id, info->store_name);
  add_party_json (b, "clerk", info->clerk_id, info->clerk_name);
  json_builder_end_object (b);
}

static void
add_sync_item_json (ScCli              *cli,
                    const ScRedemption *r,
                    const char         *reason)
{
  JsonBuilder *b = cli->out;

  sc_cli_add_redemption_members (b, r);
  sc_cli_add_optional_string (b, "reason", reason);
}

/* Who took the code, as the platform says now (the conflict's where and
 * when). Returns: (transfer full) (nullable) */
static ScVerdict *
lookup_conflict (ScCli              *cli,
                 const ScRedemption *r)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) verdict = NULL;

  sc_counter_lookup_async (cli->counter, r->payload, NULL, sc_cli_result_cb, &result);
  verdict = sc_counter_lookup_finish (cli->counter, sc_cli_wait (&result), &error);
  if (verdict == NULL)
    {
      g_debug ("Cannot look the conflicting code up: %s", error->message);
      return NULL;
    }
  if (sc_verdict_get_redeemed (verdict) == NULL)
    return NULL;
  return g_steal_pointer (&verdict);
}

static void
print_conflict (ScCli              *cli,
                const ScRedemption *r,
                ScVerdict          *verdict)
{
  const ScRedeemedInfo *info = verdict != NULL ? sc_verdict_get_redeemed (verdict) : NULL;

  if (cli->json)
    {
      json_builder_begin_object (cli->out);
      add_sync_item_json (cli, r, r->reason);
      if (info != NULL)
        add_redeemed_json (cli, info);
      json_builder_end_object (cli->out);
      return;
    }

  if (info != NULL)
    {
      g_autofree char *at = sc_cli_format_time (cli, info->at);

      /* Translators: a code, then when, which store and which clerk took it */
      g_print (_("  %s: already redeemed elsewhere, %s at %s by %s\n"), r->code, at,
               info->store_name != NULL ? info->store_name : info->store_id,
               info->clerk_name != NULL ? info->clerk_name : info->clerk_id);
    }
  else
    {
      g_print ("  %s: %s\n", r->code,
               r->reason != NULL ? r->reason : sc_redemption_state_get_label (r->state));
    }
}

/* Whose an outbox item is, and whether this session may send it. */
static void
add_owner_json (ScCli              *cli,
                const ScOutboxItem *item)
{
  JsonBuilder *b = cli->out;
  const ScSession *session = sc_counter_get_session (cli->counter);
  const char *names[] = { "store_id", "clerk_id", "platform_id" };
  const char *values[] = { item->store_id, item->clerk_id, item->platform_id };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_builder_set_member_name (b, names[i]);
      if (values[i] != NULL)
        json_builder_add_string_value (b, values[i]);
      else
        json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "sendable");
  json_builder_add_boolean_value (b, sc_outbox_owner_is_session (item->platform_id,
                                                                 item->store_id,
                                                                 item->clerk_id, session));
  json_builder_set_member_name (b, "same_platform");
  json_builder_add_boolean_value (b, item->platform_id == NULL || session == NULL ||
                                     session->platform_id == NULL ||
                                     g_strcmp0 (item->platform_id, session->platform_id) == 0);
}

/* "Waiting for 1001:1 on this platform: 2": what only another clerk,
 * store or platform may send. */
static void
print_waiting_owners (ScCli *cli)
{
  GPtrArray *owners = sc_counter_get_waiting_owners (cli->counter);
  const ScSession *session = sc_counter_get_session (cli->counter);

  for (guint i = 0; owners != NULL && i < owners->len; i++)
    {
      const ScOutboxOwner *owner = g_ptr_array_index (owners, i);
      const char *store = owner->store_id != NULL ? owner->store_id : "?";
      const char *clerk = owner->clerk_id != NULL ? owner->clerk_id : "?";

      if (owner->platform_id == NULL || session == NULL || session->platform_id == NULL ||
          g_strcmp0 (owner->platform_id, session->platform_id) == 0)
        /* Translators: store:clerk, then how many of their redemptions wait for them */
        g_print (_("Waiting for %s:%s on this platform: %u\n"), store, clerk, owner->count);
      else
        /* Translators: store:clerk, then how many of their redemptions were made with
         * another platform (server) than the one answering now */
        g_print (_("Waiting for %s:%s on another platform: %u\n"), store, clerk, owner->count);
    }
}

/* What one --sync run did and what is left. */
typedef struct
{
  GPtrArray *pending;            /* (owned) (element-type ScOutboxItem) still unsynced */
  GPtrArray *synced;             /* (owned) (element-type ScRedemption) borrowed */
  GPtrArray *conflicts;          /* (owned) (element-type ScRedemption) borrowed */
  GPtrArray *rejected;           /* (owned) (element-type ScRedemption) borrowed */
  GPtrArray *conflict_verdicts;  /* (owned) (element-type ScVerdict) one per conflict */
  guint      waiting;            /* pending items only another session may send */
  gboolean   online;
  gboolean   manifest;           /* the manifest was fetched */
} SyncReport;

static void
sync_report_clear (SyncReport *report)
{
  g_clear_pointer (&report->pending, g_ptr_array_unref);
  g_clear_pointer (&report->synced, g_ptr_array_unref);
  g_clear_pointer (&report->conflicts, g_ptr_array_unref);
  g_clear_pointer (&report->rejected, g_ptr_array_unref);
  g_clear_pointer (&report->conflict_verdicts, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SyncReport, sync_report_clear)

/* Sorts what the run moved into synced, conflicts and rejected, and looks
 * up who took each conflicting code. */
static void
sync_report_sort (ScCli      *cli,
                  SyncReport *report)
{
  report->synced = g_ptr_array_new ();
  report->conflicts = g_ptr_array_new ();
  report->rejected = g_ptr_array_new ();
  report->conflict_verdicts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < cli->changed->len; i++)
    {
      ScRedemption *r = g_ptr_array_index (cli->changed, i);

      switch (r->state)
        {
        case SC_REDEMPTION_STATE_SYNCED:
        case SC_REDEMPTION_STATE_REVERSED:
          g_ptr_array_add (report->synced, r);
          break;
        case SC_REDEMPTION_STATE_CONFLICT:
          g_ptr_array_add (report->conflicts, r);
          break;
        case SC_REDEMPTION_STATE_REJECTED:
          g_ptr_array_add (report->rejected, r);
          break;
        case SC_REDEMPTION_STATE_PENDING:
        case SC_REDEMPTION_STATE_UNCERTAIN:
        case SC_REDEMPTION_STATE_WITHDRAWN:
        default:
          break;
        }
    }

  for (guint i = 0; report->online && i < report->conflicts->len; i++)
    {
      ScVerdict *verdict = lookup_conflict (cli, g_ptr_array_index (report->conflicts, i));

      if (verdict != NULL)
        g_ptr_array_add (report->conflict_verdicts, verdict);
      else
        g_ptr_array_add (report->conflict_verdicts,
                         sc_verdict_new (SC_VERDICT_STATUS_NOT_FOUND, SC_CODE_KIND_UNKNOWN, "",
                                         ""));
    }
}

static ScVerdict *
conflict_verdict (SyncReport *report,
                  guint       i)
{
  return i < report->conflict_verdicts->len ? g_ptr_array_index (report->conflict_verdicts, i)
                                            : NULL;
}

static void
add_sync_items_json (ScCli      *cli,
                     const char *name,
                     GPtrArray  *redemptions,
                     gboolean    with_reason)
{
  JsonBuilder *b = cli->out;

  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < redemptions->len; i++)
    {
      const ScRedemption *r = g_ptr_array_index (redemptions, i);

      json_builder_begin_object (b);
      add_sync_item_json (cli, r, with_reason ? r->reason : NULL);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_sync_report_json (ScCli      *cli,
                      SyncReport *report)
{
  JsonBuilder *b = cli->out;

  json_builder_set_member_name (b, "sync");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "online");
  json_builder_add_boolean_value (b, report->online);
  json_builder_set_member_name (b, "manifest_refreshed");
  json_builder_add_boolean_value (b, report->manifest);
  json_builder_set_member_name (b, "settled");
  json_builder_add_int_value (b, report->synced->len + report->conflicts->len +
                                 report->rejected->len);
  json_builder_set_member_name (b, "unsynced");
  json_builder_add_int_value (b, report->pending->len);

  add_sync_items_json (cli, "synced", report->synced, FALSE);

  json_builder_set_member_name (b, "conflicts");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->conflicts->len; i++)
    print_conflict (cli, g_ptr_array_index (report->conflicts, i),
                    conflict_verdict (report, i));
  json_builder_end_array (b);

  add_sync_items_json (cli, "rejected", report->rejected, TRUE);

  json_builder_set_member_name (b, "pending");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->pending->len; i++)
    {
      const ScOutboxItem *item = g_ptr_array_index (report->pending, i);

      json_builder_begin_object (b);
      add_sync_item_json (cli, item->redemption, item->last_error);
      json_builder_set_member_name (b, "attempts");
      json_builder_add_int_value (b, item->attempts);
      add_owner_json (cli, item);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "waiting");
  json_builder_add_int_value (b, sc_counter_get_waiting (cli->counter));
  json_builder_end_object (b);
}

static void
print_sync_report (ScCli      *cli,
                   SyncReport *report)
{
  const ScSession *session = sc_counter_get_session (cli->counter);

  /* Translators: how many redemptions the platform has now recorded */
  g_print (_("Synced: %u\n"), report->synced->len);
  if (report->conflicts->len > 0)
    {
      /* Translators: redemptions of codes another counter redeemed first */
      g_print (_("Conflicts: %u (kept in the log; settle them with the customer)\n"),
               report->conflicts->len);
      for (guint i = 0; i < report->conflicts->len; i++)
        print_conflict (cli, g_ptr_array_index (report->conflicts, i),
                        conflict_verdict (report, i));
    }
  if (report->rejected->len > 0)
    {
      /* Translators: redemptions the platform refused */
      g_print (_("Rejected: %u\n"), report->rejected->len);
      for (guint i = 0; i < report->rejected->len; i++)
        {
          const ScRedemption *r = g_ptr_array_index (report->rejected, i);

          g_print ("  %s: %s\n", r->code,
                   r->reason != NULL ? r->reason
                                     : sc_redemption_state_get_label (r->state));
        }
    }
  /* Translators: how many redemptions are still not synced */
  g_print (_("Still waiting: %u\n"), report->pending->len - report->waiting);
  for (guint i = 0; i < report->pending->len; i++)
    {
      const ScOutboxItem *item = g_ptr_array_index (report->pending, i);

      if (!sc_outbox_owner_is_session (item->platform_id, item->store_id, item->clerk_id,
                                       session))
        continue;
      g_print ("  %s: %s\n", item->redemption->code,
               item->last_error != NULL
               ? item->last_error : sc_redemption_state_get_label (item->redemption->state));
    }
  print_waiting_owners (cli);
  if (report->online && !report->manifest)
    g_print ("%s\n", _("Today’s pickup orders could not be fetched for offline use"));
}

/* The outbox as it is after the drain, and how much of it waits for
 * another session. */
static gboolean
sync_report_list_pending (ScCli       *cli,
                          SyncReport  *report,
                          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  const ScSession *session = sc_counter_get_session (cli->counter);

  sc_counter_list_outbox_async (cli->counter, NULL, sc_cli_result_cb, &result);
  report->pending = sc_counter_list_outbox_finish (cli->counter, sc_cli_wait (&result), error);
  if (report->pending == NULL)
    return FALSE;
  for (guint i = 0; i < report->pending->len; i++)
    {
      const ScOutboxItem *item = g_ptr_array_index (report->pending, i);

      if (!sc_outbox_owner_is_session (item->platform_id, item->store_id, item->clerk_id,
                                       session))
        report->waiting++;
    }
  return TRUE;
}

/* --sync: from before the login, which drains the outbox already. */
void
sc_cli_sync_prepare (ScCli *cli)
{
  cli->changed = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_redemption_free);
  g_signal_connect (cli->counter, "redemption-changed", G_CALLBACK (redemption_changed_cb),
                    cli);
}

/* --sync: drain the outbox, then say what happened. */
int
sc_cli_sync (ScCli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(SyncReport) report = { 0 };

  /* The login already started a drain; this one finishes after it. */
  sc_counter_sync_async (cli->counter, NULL, sc_cli_result_cb, &result);
  sc_counter_sync_finish (cli->counter, sc_cli_wait (&result), &error);
  if (error != NULL)
    return sc_cli_fail (cli, error);

  /* And the manifest refresh, and the clock check. */
  while (!sc_counter_is_idle (cli->counter))
    g_main_context_iteration (NULL, TRUE);
  report.online = sc_counter_get_online (cli->counter);
  report.manifest = sc_counter_get_manifest_fetched_at (cli->counter) > 0;

  if (!sync_report_list_pending (cli, &report, &error))
    return sc_cli_fail (cli, error);
  sync_report_sort (cli, &report);

  if (cli->json)
    add_sync_report_json (cli, &report);
  else
    print_sync_report (cli, &report);

  if (!report.online)
    {
      /* Translators: the number of redemptions not yet sent */
      g_printerr (_("Error: Cannot reach the platform. Still waiting: %u. Run --sync again "
                    "when the network is back.\n"),
                  report.pending->len);
      return 2;
    }

  return report.pending->len == 0 ? 0 : 2;
}
