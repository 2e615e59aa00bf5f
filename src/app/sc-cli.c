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
#include "sc-secret.h"
#include "sc-session-store.h"
#include "sc-time.h"
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
  /* --sync: every redemption the run moved, in order, latest state. */
  GPtrArray  *changed;     /* (owned) (element-type ScRedemption) */
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
  g_clear_pointer (&cli->changed, g_ptr_array_unref);
}

void
sc_cli_add_options (GApplication *app)
{
  static const GOptionEntry entries[] = {
    { "platform-url", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The platform to use (default: $SC_PLATFORM_URL or http://127.0.0.1:8080)"),
      N_("URL") },
    { "allow-insecure-http", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Accept a plain http:// platform address that is not this computer (PINs and "
         "codes cross the network unencrypted)"), NULL },
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
sc_cli_read_secret (int       fd,
                    char     *scratch,
                    gsize     scratch_len,
                    GError  **error)
{
  gsize n = 0;
  gboolean got = FALSE;
  gboolean eol = FALSE;
  char *secret = NULL;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (scratch != NULL && scratch_len > 1, NULL);

  /* One byte at a time with read(2): no stdio buffer keeps a copy, and
   * nothing past the line is taken from @fd. */
  while (n + 1 < scratch_len)
    {
      ssize_t r = read (fd, scratch + n, 1);

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      got = TRUE;
      if (scratch[n] == '\n')
        {
          eol = TRUE;
          break;
        }
      n++;
    }
  scratch[n] = '\0';

  if (!got)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("No PIN on standard input"));
  else if (!eol && n + 1 >= scratch_len)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("The PIN on standard input is too long"));
  else
    secret = g_strdup (g_strstrip (scratch));

  sc_secret_wipe (scratch, scratch_len);
  return secret;
}

char *
sc_cli_read_pin (GError **error)
{
  char buf[128];
  struct termios saved;
  gboolean tty = isatty (STDIN_FILENO);
  char *pin;

  if (tty)
    {
      struct termios quiet;

      g_printerr ("%s", _("PIN: "));
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }

  pin = sc_cli_read_secret (STDIN_FILENO, buf, sizeof buf, error);

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      g_printerr ("\n");
    }

  return pin;
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

/* The store's key from the keyring, for an offline login and offline
 * lookups (DESIGN §13). */
static void
cli_load_store_key (Cli            *cli,
                    ScSessionStore *keys,
                    const char     *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSecretText) key = NULL;

  sc_session_store_load_key_async (keys, cli->platform_url, store, NULL, store_result_cb,
                                   &result);
  key = sc_session_store_load_key_finish (keys, wait_for (&result), &error);
  if (error != NULL)
    g_debug ("No store key from the keyring: %s", error->message);
  if (key != NULL)
    sc_counter_set_store_key (cli->counter, store, key);
}

/* After an online login: the store's key into the keyring, so that the
 * next run can check codes and PINs offline. */
static void
cli_save_store_key (Cli             *cli,
                    ScSessionStore  *keys,
                    const ScSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (session->offline || session->manifest_key == NULL)
    return;
  sc_session_store_save_key_async (keys, cli->platform_url, session->store_id,
                                   session->manifest_key, NULL, store_result_cb, &result);
  if (!sc_session_store_save_key_finish (keys, wait_for (&result), &error) ||
      !sc_session_store_get_available (keys))
    g_printerr (_("No keyring: the next run cannot check pickup codes or the PIN while the "
                  "platform is away\n"));
}

static int
cli_login (Cli *cli)
{
  g_autofree char *store = NULL;
  g_autofree char *clerk = NULL;
  g_autoptr(ScSecretText) pin = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSessionStore) keys = sc_session_store_new ();
  const ScSession *session;

  if (!sc_cli_parse_login (cli->login, &store, &clerk, &error))
    return fail (cli, error);
  cli_load_store_key (cli, keys, store);

  pin = sc_cli_read_pin (&error);
  if (pin == NULL)
    return fail (cli, error);

  sc_counter_login_async (cli->counter, store, clerk, pin, NULL,
                          store_result_cb, &result);
  if (!sc_counter_login_finish (cli->counter, wait_for (&result), &error))
    return fail (cli, error);

  session = sc_counter_get_session (cli->counter);
  cli_save_store_key (cli, keys, session);
  g_clear_pointer (&cli->tz, g_time_zone_unref);
  cli->tz = sc_time_zone_new (session->store_timezone);

  if (cli->json)
    {
      json_builder_set_member_name (cli->out, "login");
      json_builder_begin_object (cli->out);
      json_builder_set_member_name (cli->out, "store_id");
      json_builder_add_string_value (cli->out, session->store_id);
      json_builder_set_member_name (cli->out, "clerk_id");
      json_builder_add_string_value (cli->out, session->clerk_id);
      json_builder_set_member_name (cli->out, "offline");
      json_builder_add_boolean_value (cli->out, session->offline);
      json_builder_end_object (cli->out);
    }
  else if (session->offline)
    g_printerr (_("The platform cannot be reached: logged in OFFLINE to %s as %s (the PIN "
                  "was checked against the last online login here)\n"),
                session->store_name, session->clerk_name);
  else
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

static void
redemption_changed_cb (ScCounter          *counter,
                       const ScRedemption *redemption,
                       Cli                *cli)
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

static void
add_redeemed_json (Cli                  *cli,
                   const ScRedeemedInfo *info)
{
  JsonBuilder *b = cli->out;

  json_builder_set_member_name (b, "redeemed");
  json_builder_begin_object (b);
  if (info->redemption_id != NULL)
    {
      json_builder_set_member_name (b, "redemption_id");
      json_builder_add_string_value (b, info->redemption_id);
    }
  if (info->at != NULL)
    {
      g_autofree char *at = sc_date_time_format_rfc3339 (info->at);

      json_builder_set_member_name (b, "at");
      json_builder_add_string_value (b, at);
    }
  json_builder_set_member_name (b, "store");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, info->store_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, info->store_name);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "clerk");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, info->clerk_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, info->clerk_name);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_sync_item_json (Cli                *cli,
                    const ScRedemption *r,
                    const char         *reason)
{
  JsonBuilder *b = cli->out;

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
  if (reason != NULL)
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, reason);
    }
}

/* Who took the code, as the platform says now (the conflict's where and
 * when). Returns: (transfer full) (nullable) */
static ScVerdict *
lookup_conflict (Cli                *cli,
                 const ScRedemption *r)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) verdict = NULL;

  sc_counter_lookup_async (cli->counter, r->payload, NULL, store_result_cb, &result);
  verdict = sc_counter_lookup_finish (cli->counter, wait_for (&result), &error);
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
print_conflict (Cli                *cli,
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
      g_autofree char *at = format_time (cli, info->at);

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
add_owner_json (Cli                *cli,
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
print_waiting_owners (Cli *cli)
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

static int
cli_sync (Cli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) synced = g_ptr_array_new ();
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new ();
  g_autoptr(GPtrArray) rejected = g_ptr_array_new ();
  g_autoptr(GPtrArray) conflict_verdicts = g_ptr_array_new_with_free_func (g_object_unref);
  ScCache *cache = sc_counter_get_cache (cli->counter);
  const ScSession *session = sc_counter_get_session (cli->counter);
  guint waiting;
  gboolean online;
  gboolean manifest;

  /* The login already started a drain; this one finishes after it. */
  sc_counter_sync_async (cli->counter, NULL, store_result_cb, &result);
  sc_counter_sync_finish (cli->counter, wait_for (&result), &error);
  if (error != NULL)
    return fail (cli, error);

  /* And the manifest refresh, and the clock check. */
  while (!sc_counter_is_idle (cli->counter))
    g_main_context_iteration (NULL, TRUE);
  online = sc_counter_get_online (cli->counter);
  manifest = sc_counter_get_manifest_fetched_at (cli->counter) > 0;

  g_clear_object (&result);
  sc_cache_list_outbox_async (cache, -1, 0, NULL, store_result_cb, &result);
  pending = sc_cache_list_outbox_finish (cache, wait_for (&result), &error);
  if (pending == NULL)
    return fail (cli, error);
  waiting = 0;
  for (guint i = 0; i < pending->len; i++)
    {
      const ScOutboxItem *item = g_ptr_array_index (pending, i);

      if (!sc_outbox_owner_is_session (item->platform_id, item->store_id, item->clerk_id,
                                       session))
        waiting++;
    }

  for (guint i = 0; i < cli->changed->len; i++)
    {
      ScRedemption *r = g_ptr_array_index (cli->changed, i);

      switch (r->state)
        {
        case SC_REDEMPTION_STATE_SYNCED:
        case SC_REDEMPTION_STATE_REVERSED:
          g_ptr_array_add (synced, r);
          break;
        case SC_REDEMPTION_STATE_CONFLICT:
          g_ptr_array_add (conflicts, r);
          break;
        case SC_REDEMPTION_STATE_REJECTED:
          g_ptr_array_add (rejected, r);
          break;
        case SC_REDEMPTION_STATE_PENDING:
        case SC_REDEMPTION_STATE_UNCERTAIN:
        case SC_REDEMPTION_STATE_WITHDRAWN:
        default:
          break;
        }
    }

  for (guint i = 0; online && i < conflicts->len; i++)
    {
      ScVerdict *verdict = lookup_conflict (cli, g_ptr_array_index (conflicts, i));

      if (verdict != NULL)
        g_ptr_array_add (conflict_verdicts, verdict);
      else
        g_ptr_array_add (conflict_verdicts, sc_verdict_new (SC_VERDICT_STATUS_NOT_FOUND,
                                                            SC_CODE_KIND_UNKNOWN, "", ""));
    }

  if (cli->json)
    {
      JsonBuilder *b = cli->out;

      json_builder_set_member_name (b, "sync");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "online");
      json_builder_add_boolean_value (b, online);
      json_builder_set_member_name (b, "manifest_refreshed");
      json_builder_add_boolean_value (b, manifest);
      json_builder_set_member_name (b, "settled");
      json_builder_add_int_value (b, synced->len + conflicts->len + rejected->len);
      json_builder_set_member_name (b, "unsynced");
      json_builder_add_int_value (b, pending->len);

      json_builder_set_member_name (b, "synced");
      json_builder_begin_array (b);
      for (guint i = 0; i < synced->len; i++)
        {
          json_builder_begin_object (b);
          add_sync_item_json (cli, g_ptr_array_index (synced, i), NULL);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);

      json_builder_set_member_name (b, "conflicts");
      json_builder_begin_array (b);
      for (guint i = 0; i < conflicts->len; i++)
        print_conflict (cli, g_ptr_array_index (conflicts, i),
                        i < conflict_verdicts->len ? g_ptr_array_index (conflict_verdicts, i)
                                                   : NULL);
      json_builder_end_array (b);

      json_builder_set_member_name (b, "rejected");
      json_builder_begin_array (b);
      for (guint i = 0; i < rejected->len; i++)
        {
          const ScRedemption *r = g_ptr_array_index (rejected, i);

          json_builder_begin_object (b);
          add_sync_item_json (cli, r, r->reason);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);

      json_builder_set_member_name (b, "pending");
      json_builder_begin_array (b);
      for (guint i = 0; i < pending->len; i++)
        {
          const ScOutboxItem *item = g_ptr_array_index (pending, i);

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
  else
    {
      /* Translators: how many redemptions the platform has now recorded */
      g_print (_("Synced: %u\n"), synced->len);
      if (conflicts->len > 0)
        {
          /* Translators: redemptions of codes another counter redeemed first */
          g_print (_("Conflicts: %u (kept in the log; settle them with the customer)\n"),
                   conflicts->len);
          for (guint i = 0; i < conflicts->len; i++)
            print_conflict (cli, g_ptr_array_index (conflicts, i),
                            i < conflict_verdicts->len
                            ? g_ptr_array_index (conflict_verdicts, i) : NULL);
        }
      if (rejected->len > 0)
        {
          /* Translators: redemptions the platform refused */
          g_print (_("Rejected: %u\n"), rejected->len);
          for (guint i = 0; i < rejected->len; i++)
            {
              const ScRedemption *r = g_ptr_array_index (rejected, i);

              g_print ("  %s: %s\n", r->code,
                       r->reason != NULL ? r->reason
                                         : sc_redemption_state_get_label (r->state));
            }
        }
      /* Translators: how many redemptions are still not synced */
      g_print (_("Still waiting: %u\n"), pending->len - waiting);
      for (guint i = 0; i < pending->len; i++)
        {
          const ScOutboxItem *item = g_ptr_array_index (pending, i);

          if (!sc_outbox_owner_is_session (item->platform_id, item->store_id, item->clerk_id,
                                           session))
            continue;
          g_print ("  %s: %s\n", item->redemption->code,
                   item->last_error != NULL
                   ? item->last_error : sc_redemption_state_get_label (item->redemption->state));
        }
      print_waiting_owners (cli);
      if (online && !manifest)
        g_print ("%s\n", _("Today’s pickup orders could not be fetched for offline use"));
    }

  if (!online)
    {
      /* Translators: the number of redemptions not yet sent */
      g_printerr (_("Error: Cannot reach the platform. Still waiting: %u. Run --sync again "
                    "when the network is back.\n"),
                  pending->len);
      return 2;
    }

  return pending->len == 0 ? 0 : 2;
}

static void
warn_clock_skew (Cli *cli)
{
  gint64 skew = sc_counter_get_clock_skew (cli->counter);
  gint64 off = ABS (skew);

  if (cli->json && sc_counter_get_online (cli->counter))
    {
      json_builder_set_member_name (cli->out, "clock_skew_s");
      json_builder_add_int_value (cli->out, skew);
    }

  if (off <= SC_COUNTER_CLOCK_SKEW_WARN_S)
    return;

  if (skew > 0)
    /* Translators: minutes and seconds */
    g_printerr (_("Warning: this computer’s clock is %d min %02d s behind the platform’s. "
                  "Set the right time: redemption times come from this clock.\n"),
                (int) (off / 60), (int) (off % 60));
  else
    /* Translators: minutes and seconds */
    g_printerr (_("Warning: this computer’s clock is %d min %02d s ahead of the platform’s. "
                  "Set the right time: redemption times come from this clock.\n"),
                (int) (off / 60), (int) (off % 60));
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
  if (cli->sync)
    {
      /* From before the login: it drains the outbox already. */
      cli->changed = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_redemption_free);
      g_signal_connect (cli->counter, "redemption-changed",
                        G_CALLBACK (redemption_changed_cb), cli);
    }

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

  /* The run's session ends with it: the platform revokes its token. */
  if (cli->login != NULL && sc_counter_get_session (cli->counter) != NULL)
    {
      sc_counter_logout (cli->counter);
      while (!sc_counter_is_idle (cli->counter))
        g_main_context_iteration (NULL, TRUE);
    }

  if (cli->login != NULL)
    warn_clock_skew (cli);
  if (cli->changed != NULL)
    g_signal_handlers_disconnect_by_func (cli->counter, redemption_changed_cb, cli);

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

/* --platform-url or $SC_PLATFORM_URL: plain http:// only to this computer,
 * unless --allow-insecure-http says so (DESIGN §13). Returns 2 after the
 * message, or -1. */
static int
check_platform_url (GVariantDict *options)
{
  g_autofree char *url = NULL;

  if (!g_variant_dict_lookup (options, "platform-url", "s", &url))
    url = g_strdup (g_getenv ("SC_PLATFORM_URL"));
  if (url == NULL || !sc_app_platform_url_is_insecure (url) ||
      g_variant_dict_contains (options, "allow-insecure-http"))
    return -1;

  /* Translators: %s is the platform address given on the command line or in
   * $SC_PLATFORM_URL */
  g_printerr (_("Error: %s is a plain http:// address of another computer: PINs and codes "
                "would cross the network readable by anyone on it. Use https://, or add "
                "--allow-insecure-http if that is really meant.\n"),
              url);
  return 2;
}

int
sc_cli_handle_options (GApplication *app,
                       GVariantDict *options)
{
  Cli cli = { 0 };
  int status;
  g_auto(GStrv) decode = NULL;
  g_auto(GStrv) remaining = NULL;

  static const char * const commands[] = { "decode", "lookup", "redeem", "undo", "sync" };
  const char *command = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("store-counter %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* One command per run: a usage error, not a verdict. */
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_variant_dict_contains (options, commands[i]))
        continue;
      if (command != NULL)
        {
          /* Translators: two command-line options, such as --lookup and --undo */
          g_printerr (_("Error: --%s and --%s cannot be used together; see --help\n"),
                      command, commands[i]);
          return 2;
        }
      command = commands[i];
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
  if (check_platform_url (options) >= 0)
    return 2;

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
