/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sc-app-util.h"
#include "sc-cache.h"
#include "sc-cli.h"
#include "sc-code.h"
#include "sc-counter.h"
#include "sc-decoder.h"
#include "sc-platform-client.h"
#include "sc-verdict.h"

#define DEFAULT_PLATFORM_URL "http://127.0.0.1:8080"

typedef struct
{
  char      *platform_url;
  char      *db_path;
  char      *login;
  char      *lookup;
  char      *redeem;
  char      *bill;
  char      *undo;
  gboolean   sync;
  gboolean   json;

  ScCounter *counter;      /* (owned) */
  GTimeZone *tz;           /* (owned) the store's */
  JsonBuilder *out;        /* (owned) the --json answer */
} Cli;

static void
cli_clear (Cli *cli)
{
  g_clear_pointer (&cli->platform_url, g_free);
  g_clear_pointer (&cli->db_path, g_free);
  g_clear_pointer (&cli->login, g_free);
  g_clear_pointer (&cli->lookup, g_free);
  g_clear_pointer (&cli->redeem, g_free);
  g_clear_pointer (&cli->bill, g_free);
  g_clear_pointer (&cli->undo, g_free);
  g_clear_object (&cli->counter);
  g_clear_pointer (&cli->tz, g_time_zone_unref);
  g_clear_object (&cli->out);
}

void
sc_cli_add_options (GApplication *app)
{
  static const GOptionEntry entries[] = {
    { "platform-url", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The platform to use (default: $SC_PLATFORM_URL or http://127.0.0.1:8080)"),
      N_("URL") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("The local database file (default: in the user data folder)"), N_("FILE") },
    { "login", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Log in as a clerk of a store; the PIN is read from standard input"),
      N_("STORE:CLERK") },
    { "lookup", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Look a code up and say whether it can be redeemed"), N_("CODE") },
    { "redeem", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Look a code up and redeem it if it can be"), N_("CODE") },
    { "bill", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The bill amount in yuan, for redeeming a coupon"), N_("AMOUNT") },
    { "undo", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Undo a redemption made at this counter, inside the undo window"), N_("ID") },
    { "sync", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Send every unsynced redemption to the platform, then exit"), NULL },
    { "decode", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
      N_("Print every code found in each picture (more files may follow)"), N_("FILE…") },
    { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print machine-readable JSON"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE…]") },
    { NULL }
  };

  g_application_add_main_option_entries (app, entries);
}

/* Iterates the default main context until *result is set. */
static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
format_time (Cli       *cli,
             GDateTime *dt)
{
  g_autoptr(GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("—");
  local = g_date_time_to_timezone (dt, cli->tz);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static char *
format_unix (Cli    *cli,
             gint64  t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t <= 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_utc (t);
  return format_time (cli, dt);
}

static void
print_verdict (Cli       *cli,
               ScVerdict *verdict)
{
  ScVerdictStatus status = sc_verdict_get_status (verdict);
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
    g_print (_("%s — %s %s\n"), sc_verdict_status_get_label (status),
             sc_code_kind_get_label (sc_verdict_get_kind (verdict)), code);
  else
    g_print ("%s\n", sc_verdict_status_get_label (status));

  if (reason != NULL && *reason != '\0')
    g_print ("  %s\n", reason);
  if (sc_verdict_get_offline (verdict))
    g_print ("  %s\n", _("Decided offline, from this counter’s copy"));

  if (redeemed != NULL)
    {
      g_autofree char *at = format_time (cli, redeemed->at);

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
      g_autofree char *deadline = format_time (cli, prize->claim_deadline);

      g_print ("  %s · %s\n", prize->activity_name != NULL ? prize->activity_name : "",
               prize->prize_name != NULL ? prize->prize_name : "");
      g_print (_("  Claim by %s\n"), deadline);
    }

  if (sc_verdict_get_valid_until (verdict) != NULL)
    {
      g_autofree char *from = format_time (cli, sc_verdict_get_valid_from (verdict));
      g_autofree char *until = format_time (cli, sc_verdict_get_valid_until (verdict));

      g_print (_("  Valid %s to %s\n"), from, until);
    }
}

static void
add_redemption_json (Cli                *cli,
                     const ScRedemption *r)
{
  JsonBuilder *b = cli->out;

  json_builder_set_member_name (b, "redemption");
  json_builder_begin_object (b);
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
  if (r->reason != NULL)
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, r->reason);
    }
  json_builder_end_object (b);
}

static void
print_redemption (Cli                *cli,
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

/* Prints @error for people (or as JSON) and returns exit status 2. */
static int
fail (Cli          *cli,
      const GError *error)
{
  if (cli->json)
    {
      json_builder_set_member_name (cli->out, "error");
      json_builder_begin_object (cli->out);
      json_builder_set_member_name (cli->out, "message");
      json_builder_add_string_value (cli->out, error->message);
      if (error->domain == SC_PLATFORM_ERROR && sc_platform_error_get_api_code (error) != NULL)
        {
          json_builder_set_member_name (cli->out, "code");
          json_builder_add_string_value (cli->out, sc_platform_error_get_api_code (error));
        }
      json_builder_end_object (cli->out);
    }
  else
    {
      g_printerr (_("Error: %s\n"), error->message);
    }
  return 2;
}

char *
sc_cli_read_pin (GError **error)
{
  char buf[128];
  struct termios saved;
  gboolean tty = isatty (STDIN_FILENO);
  char *line;

  if (tty)
    {
      struct termios quiet;

      g_printerr ("%s", _("PIN: "));
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }

  line = fgets (buf, sizeof buf, stdin);

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      g_printerr ("\n");
    }

  if (line == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("No PIN on standard input"));
      return NULL;
    }

  return g_strdup (g_strstrip (buf));
}

gboolean
sc_cli_parse_login (const char  *login,
                    char       **out_store,
                    char       **out_clerk,
                    GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (login != NULL ? login : "", ":", 2);

  if (g_strv_length (parts) != 2 || *parts[0] == '\0' || *parts[1] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--login needs STORE:CLERK, for example 1001:1"));
      return FALSE;
    }
  *out_store = g_strdup (parts[0]);
  *out_clerk = g_strdup (parts[1]);
  return TRUE;
}

static int
cli_login (Cli *cli)
{
  g_autofree char *store = NULL;
  g_autofree char *clerk = NULL;
  g_autofree char *pin = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const ScSession *session;

  if (!sc_cli_parse_login (cli->login, &store, &clerk, &error))
    return fail (cli, error);

  pin = sc_cli_read_pin (&error);
  if (pin == NULL)
    return fail (cli, error);

  sc_counter_login_async (cli->counter, store, clerk, pin, NULL,
                          store_result_cb, &result);
  if (!sc_counter_login_finish (cli->counter, wait_for (&result), &error))
    return fail (cli, error);

  session = sc_counter_get_session (cli->counter);
  g_clear_pointer (&cli->tz, g_time_zone_unref);
  cli->tz = g_time_zone_new_identifier (session->store_timezone);
  if (cli->tz == NULL)
    cli->tz = g_time_zone_new_local ();

  if (!cli->json)
    g_printerr (_("Logged in to %s as %s\n"), session->store_name, session->clerk_name);
  return 0;
}

static int
cli_lookup_and_maybe_redeem (Cli        *cli,
                             const char *input,
                             gboolean    redeem)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(ScRedemption) redemption = NULL;
  gint64 bill_fen = -1;

  if (cli->bill != NULL && !sc_app_parse_yuan (cli->bill, &bill_fen))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an amount in yuan, such as 58.50"), cli->bill);
      return fail (cli, error);
    }

  sc_counter_lookup_async (cli->counter, input, NULL, store_result_cb, &result);
  verdict = sc_counter_lookup_finish (cli->counter, wait_for (&result), &error);
  if (verdict == NULL)
    return fail (cli, error);

  print_verdict (cli, verdict);
  if (sc_verdict_get_status (verdict) != SC_VERDICT_STATUS_REDEEMABLE)
    return 1;
  if (!redeem)
    return 0;

  g_clear_object (&result);
  sc_counter_redeem_async (cli->counter, verdict, bill_fen, "cli", NULL,
                           store_result_cb, &result);
  redemption = sc_counter_redeem_finish (cli->counter, wait_for (&result), &error);
  if (redemption == NULL)
    {
      if (g_error_matches (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_THRESHOLD_NOT_MET))
        {
          if (!cli->json)
            g_print ("%s\n", error->message);
          else
            fail (cli, error);
          return 1;
        }
      return fail (cli, error);
    }

  print_redemption (cli, redemption);
  switch (redemption->state)
    {
    case SC_REDEMPTION_STATE_SYNCED:
    case SC_REDEMPTION_STATE_PENDING:
    case SC_REDEMPTION_STATE_UNCERTAIN:
      return 0;
    case SC_REDEMPTION_STATE_CONFLICT:
    case SC_REDEMPTION_STATE_REJECTED:
    case SC_REDEMPTION_STATE_WITHDRAWN:
    case SC_REDEMPTION_STATE_REVERSED:
    default:
      return 1;
    }
}

static int
cli_undo (Cli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScRedemption) redemption = NULL;

  sc_counter_undo_async (cli->counter, cli->undo, NULL, store_result_cb, &result);
  redemption = sc_counter_undo_finish (cli->counter, wait_for (&result), &error);
  if (redemption == NULL)
    {
      if (error->domain == SC_COUNTER_ERROR)
        {
          if (cli->json)
            fail (cli, error);
          else
            g_print ("%s\n", error->message);
          return 1;
        }
      return fail (cli, error);
    }

  print_redemption (cli, redemption);
  return 0;
}

static int
cli_sync (Cli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint done;
  guint left;

  sc_counter_sync_async (cli->counter, NULL, store_result_cb, &result);
  done = sc_counter_sync_finish (cli->counter, wait_for (&result), &error);
  if (error != NULL)
    return fail (cli, error);

  /* The count of what is left is refreshed after the drain. */
  g_clear_object (&result);
  sc_cache_count_unsynced_async (sc_counter_get_cache (cli->counter), NULL,
                                 store_result_cb, &result);
  left = sc_cache_count_unsynced_finish (sc_counter_get_cache (cli->counter),
                                         wait_for (&result), &error);
  if (error != NULL)
    return fail (cli, error);

  if (cli->json)
    {
      json_builder_set_member_name (cli->out, "sync");
      json_builder_begin_object (cli->out);
      json_builder_set_member_name (cli->out, "settled");
      json_builder_add_int_value (cli->out, done);
      json_builder_set_member_name (cli->out, "unsynced");
      json_builder_add_int_value (cli->out, left);
      json_builder_end_object (cli->out);
    }
  else
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u redemption sent", "%u redemptions sent", done),
               done);
      g_print (" · ");
      /* Translators: how many redemptions are still not synced */
      g_print (_("%u still waiting\n"), left);
    }

  return left == 0 ? 0 : 2;
}

static int
cli_run (Cli *cli)
{
  g_autoptr(ScCache) cache = NULL;
  g_autoptr(ScPlatformClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (cli->platform_url == NULL)
    cli->platform_url = g_strdup (g_getenv ("SC_PLATFORM_URL"));
  if (cli->platform_url == NULL)
    cli->platform_url = g_strdup (DEFAULT_PLATFORM_URL);
  cli->tz = g_time_zone_new_local ();

  cache = sc_cache_new (cli->db_path);
  sc_cache_open_async (cache, NULL, store_result_cb, &result);
  if (!sc_cache_open_finish (cache, wait_for (&result), &error))
    return fail (cli, error);

  client = sc_platform_client_new (cli->platform_url);
  cli->counter = sc_counter_new (cache, client);

  if (cli->login != NULL)
    status = cli_login (cli);
  else if (cli->lookup != NULL || cli->redeem != NULL || cli->sync)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Log in with --login STORE:CLERK "
                             "(the PIN is read from standard input)"));
      status = fail (cli, error);
    }

  if (status == 0 && cli->lookup != NULL)
    status = cli_lookup_and_maybe_redeem (cli, cli->lookup, FALSE);
  if (status == 0 && cli->redeem != NULL)
    status = cli_lookup_and_maybe_redeem (cli, cli->redeem, TRUE);
  if (status == 0 && cli->undo != NULL)
    status = cli_undo (cli);
  if (status == 0 && cli->sync)
    status = cli_sync (cli);

  /* Let a send started on the way finish before we go. */
  while (!sc_counter_is_idle (cli->counter))
    g_main_context_iteration (NULL, TRUE);

  return status;
}

/* --decode FILE...: every code in each picture. No login, no database.
 * Exit 0 when every file could be read, 2 when one could not. */
static int
cli_decode (const char * const *files,
            gboolean            json)
{
  g_autoptr(ScDecoder) decoder = sc_decoder_new ();
  g_autoptr(JsonBuilder) out = NULL;
  int status = 0;

  if (json)
    {
      out = json_builder_new ();
      json_builder_begin_array (out);
    }

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = NULL;
      g_autofree char *display = g_filename_display_name (files[i]);

      /* Each file on its own: the same code in two files is two finds. */
      sc_decoder_reset (decoder);
      found = sc_decoder_decode_file (decoder, files[i], &error);
      if (found == NULL)
        status = 2;

      if (json)
        {
          json_builder_begin_object (out);
          json_builder_set_member_name (out, "file");
          json_builder_add_string_value (out, display);
          if (found == NULL)
            {
              json_builder_set_member_name (out, "error");
              json_builder_add_string_value (out, error->message);
            }
          else
            {
              json_builder_set_member_name (out, "codes");
              json_builder_begin_array (out);
              for (guint j = 0; j < found->len; j++)
                {
                  const ScDetection *d = g_ptr_array_index (found, j);

                  json_builder_begin_object (out);
                  json_builder_set_member_name (out, "payload");
                  json_builder_add_string_value (out, d->payload);
                  json_builder_set_member_name (out, "symbology");
                  json_builder_add_string_value (out, sc_symbology_to_string (d->symbology));
                  json_builder_set_member_name (out, "points");
                  json_builder_begin_array (out);
                  for (int k = 0; k < d->n_points; k++)
                    {
                      json_builder_begin_array (out);
                      json_builder_add_int_value (out, d->x[k]);
                      json_builder_add_int_value (out, d->y[k]);
                      json_builder_end_array (out);
                    }
                  json_builder_end_array (out);
                  json_builder_end_object (out);
                }
              json_builder_end_array (out);
            }
          json_builder_end_object (out);
          continue;
        }

      if (found == NULL)
        g_printerr (_("Error: %s\n"), error->message);
      else if (found->len == 0)
        /* Translators: a picture file in which no code was found */
        g_print (_("%s: no code\n"), display);
      for (guint j = 0; found != NULL && j < found->len; j++)
        {
          const ScDetection *d = g_ptr_array_index (found, j);
          g_autofree char *symbology = g_ascii_strup (sc_symbology_to_string (d->symbology), -1);

          g_print ("%s: %s (%s)\n", display, d->payload, symbology);
        }
    }

  if (json)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_end_array (out);
      root = json_builder_get_root (out);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
    }

  return status;
}

int
sc_cli_handle_options (GApplication *app,
                       GVariantDict *options)
{
  Cli cli = { 0 };
  int status;
  g_auto(GStrv) decode = NULL;
  g_auto(GStrv) remaining = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("store-counter %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "decode", "^aay", &decode);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &remaining);
  if (decode != NULL)
    {
      g_autoptr(GStrvBuilder) files = g_strv_builder_new ();
      g_auto(GStrv) all = NULL;

      g_strv_builder_addv (files, (const char **) decode);
      if (remaining != NULL)
        g_strv_builder_addv (files, (const char **) remaining);
      all = g_strv_builder_end (files);
      return cli_decode ((const char * const *) all,
                         g_variant_dict_contains (options, "json"));
    }
  if (remaining != NULL && remaining[0] != NULL)
    {
      g_autofree char *display = g_filename_display_name (remaining[0]);

      g_printerr (_("Error: unexpected “%s”; see --help\n"), display);
      return 2;
    }

  g_variant_dict_lookup (options, "platform-url", "s", &cli.platform_url);
  g_variant_dict_lookup (options, "db", "^ay", &cli.db_path);
  g_variant_dict_lookup (options, "login", "s", &cli.login);
  g_variant_dict_lookup (options, "lookup", "s", &cli.lookup);
  g_variant_dict_lookup (options, "redeem", "s", &cli.redeem);
  g_variant_dict_lookup (options, "bill", "s", &cli.bill);
  g_variant_dict_lookup (options, "undo", "s", &cli.undo);
  cli.sync = g_variant_dict_contains (options, "sync");
  cli.json = g_variant_dict_contains (options, "json");

  /* --login alone (with --platform-url, --db) opens the window logged in. */
  if (cli.lookup == NULL && cli.redeem == NULL && cli.undo == NULL && !cli.sync)
    {
      cli_clear (&cli);
      return -1;
    }

  if (cli.json)
    {
      cli.out = json_builder_new ();
      json_builder_begin_object (cli.out);
    }

  status = cli_run (&cli);

  if (cli.json)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_set_member_name (cli.out, "exit_status");
      json_builder_add_int_value (cli.out, status);
      json_builder_end_object (cli.out);
      root = json_builder_get_root (cli.out);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
    }

  cli_clear (&cli);
  return status;
}
