/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-cli-private.h"
#include "sc-counter.h"
#include "sc-secret.h"

/* The commands of DESIGN §12, one entry each; one per run. Each runs in
 * its own file (sc-cli-codes.c, sc-cli-sync.c, sc-cli-decode.c,
 * sc-cli-orders.c). */
static const ScCliCommand commands[] = {
  { "decode", SC_CLI_ARG_FILES,  SC_CLI_NEEDS_NOTHING, NULL,                sc_cli_decode },
  { "lookup", SC_CLI_ARG_STRING, SC_CLI_NEEDS_LOGIN,   NULL,                sc_cli_lookup },
  { "redeem", SC_CLI_ARG_STRING, SC_CLI_NEEDS_LOGIN,   NULL,                sc_cli_redeem },
  { "undo",   SC_CLI_ARG_STRING, SC_CLI_NEEDS_COUNTER, NULL,                sc_cli_undo },
  { "sync",   SC_CLI_ARG_NONE,   SC_CLI_NEEDS_LOGIN,   sc_cli_sync_prepare, sc_cli_sync },
  { "orders", SC_CLI_ARG_STRING, SC_CLI_NEEDS_LOGIN,   NULL,                sc_cli_orders },
  { "household", SC_CLI_ARG_STRING, SC_CLI_NEEDS_LOGIN, NULL,               sc_cli_household },
  { "missing", SC_CLI_ARG_STRING, SC_CLI_NEEDS_LOGIN,  NULL,                sc_cli_missing },
};

static void
cli_clear (ScCli *cli)
{
  if (cli->counter != NULL && cli->changed != NULL)
    g_signal_handlers_disconnect_by_data (cli->counter, cli);
  g_clear_pointer (&cli->platform_url, g_free);
  g_clear_pointer (&cli->db_path, g_free);
  g_clear_pointer (&cli->login, g_free);
  g_clear_pointer (&cli->arg, g_free);
  g_clear_pointer (&cli->bill, g_free);
  g_clear_pointer (&cli->lines, g_free);
  g_clear_pointer (&cli->status, g_free);
  g_clear_pointer (&cli->reason, g_free);
  g_clear_pointer (&cli->note, g_free);
  g_clear_pointer (&cli->from, g_free);
  g_clear_pointer (&cli->to, g_free);
  g_clear_pointer (&cli->files, g_strfreev);
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
    { "lines", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --redeem: hand over only these lines of a pickup order (partial pickup)"),
      N_("LINE:QTY,…") },
    { "bill", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The bill amount in yuan, for redeeming a coupon"), N_("AMOUNT") },
    { "undo", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Undo a redemption made at this counter, inside the undo window"), N_("ID") },
    { "sync", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Send every unsynced redemption to the platform, then exit"), NULL },
    { "orders", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("List the orders matching a code, order id, masked name or phone tail (\"\" for "
         "all)"), N_("QUERY") },
    { "status", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --orders: only orders of these statuses (open, partially_picked_up, "
         "picked_up, expired, cancelled, missing_items; comma-separated)"), N_("STATUS") },
    { "from", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --orders: only orders whose pickup window reaches this day or later"),
      N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --orders: only orders whose pickup window starts by this day"), N_("DATE") },
    { "household", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("List the open orders of a phone tail, by household"), N_("TAIL") },
    { "missing", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Mark a quantity of an order's line missing or damaged (needs the platform)"),
      N_("ORDER:LINE:QTY") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --missing: missing or damaged"), N_("REASON") },
    { "note", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --missing: a note for the refund"), N_("TEXT") },
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
GAsyncResult *
sc_cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

void
sc_cli_result_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
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

static void
warn_clock_skew (ScCli *cli)
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

/* The services from the application, --login, the command, then the end
 * of the run's session. */
static int
cli_run (ScCli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *option = g_steal_pointer (&cli->platform_url);
  int status = 0;

  /* As the window does: --platform-url, $SC_PLATFORM_URL, the setting. */
  cli->platform_url = sc_application_dup_platform_url (cli->app, option);
  /* Translators: the address of the platform this run talks to */
  g_printerr (_("Platform address: %s\n"), cli->platform_url);
  cli->tz = g_time_zone_new_local ();

  sc_application_open_async (cli->app, cli->platform_url, cli->db_path, NULL,
                             sc_cli_result_cb, &result);
  cli->counter = sc_application_open_finish (cli->app, sc_cli_wait (&result), &error);
  if (cli->counter == NULL)
    return sc_cli_fail (cli, error);

  if (cli->command->prepare != NULL)
    cli->command->prepare (cli);

  if (cli->login != NULL)
    status = sc_cli_login (cli);
  else if (cli->command->needs == SC_CLI_NEEDS_LOGIN)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Log in with --login STORE:CLERK "
                             "(the PIN is read from standard input)"));
      status = sc_cli_fail (cli, error);
    }

  if (status == 0)
    status = cli->command->run (cli);

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

  return status;
}

/* --platform-url or $SC_PLATFORM_URL: plain http:// only to this computer,
 * unless --allow-insecure-http says so (DESIGN §13). The setting was
 * confirmed in Preferences when it was set. Returns 2 after the message,
 * or -1. */
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

/* The run's one command, or NULL for none (the window); 2 in @status after
 * the message when there are two. */
static const ScCliCommand *
find_command (GVariantDict *options,
              int          *status)
{
  const ScCliCommand *command = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_variant_dict_contains (options, commands[i].name))
        continue;
      if (command != NULL)
        {
          /* Translators: two command-line options, such as --lookup and --undo */
          g_printerr (_("Error: --%s and --%s cannot be used together; see --help\n"),
                      command->name, commands[i].name);
          *status = 2;
          return NULL;
        }
      command = &commands[i];
    }
  return command;
}

/* --decode's files: its own and the arguments after them. */
static char **
dup_files (GVariantDict *options,
           const char   *name)
{
  g_auto(GStrv) files = NULL;
  g_auto(GStrv) remaining = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_variant_dict_lookup (options, name, "^aay", &files);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &remaining);
  g_strv_builder_addv (builder, (const char **) files);
  if (remaining != NULL)
    g_strv_builder_addv (builder, (const char **) remaining);
  return g_strv_builder_end (builder);
}

/* Anything left on the command line is a usage error. Returns 2 after the
 * message, or -1. */
static int
check_remaining (GVariantDict *options)
{
  g_auto(GStrv) remaining = NULL;
  g_autofree char *display = NULL;

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &remaining);
  if (remaining == NULL || remaining[0] == NULL)
    return -1;
  display = g_filename_display_name (remaining[0]);
  g_printerr (_("Error: unexpected “%s”; see --help\n"), display);
  return 2;
}

/* Runs the command with its --json answer around it. */
static int
cli_run_command (ScCli *cli)
{
  g_autoptr(JsonNode) root = NULL;
  int status;

  if (!cli->json)
    return cli_run (cli);

  cli->out = json_builder_new ();
  json_builder_begin_object (cli->out);
  status = cli_run (cli);
  json_builder_set_member_name (cli->out, "exit_status");
  json_builder_add_int_value (cli->out, status);
  json_builder_end_object (cli->out);
  root = json_builder_get_root (cli->out);
  sc_cli_print_json (root);
  return status;
}

int
sc_cli_handle_options (GApplication *app,
                       GVariantDict *options)
{
  ScCli cli = { 0 };
  int status = -1;

  g_return_val_if_fail (SC_IS_APPLICATION (app), 2);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("store-counter %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* One command per run: a usage error, not a verdict. */
  cli.command = find_command (options, &status);
  if (status >= 0)
    return status;
  cli.app = SC_APPLICATION (app);
  cli.json = g_variant_dict_contains (options, "json");

  if (cli.command != NULL && cli.command->needs == SC_CLI_NEEDS_NOTHING)
    {
      cli.files = dup_files (options, cli.command->name);
      status = cli.command->run (&cli);
      cli_clear (&cli);
      return status;
    }
  if (check_remaining (options) >= 0 || check_platform_url (options) >= 0)
    return 2;

  /* --login alone (with --platform-url, --db) opens the window logged in. */
  if (cli.command == NULL)
    return -1;

  g_variant_dict_lookup (options, "platform-url", "s", &cli.platform_url);
  g_variant_dict_lookup (options, "db", "^ay", &cli.db_path);
  g_variant_dict_lookup (options, "login", "s", &cli.login);
  g_variant_dict_lookup (options, "bill", "s", &cli.bill);
  g_variant_dict_lookup (options, "lines", "s", &cli.lines);
  g_variant_dict_lookup (options, "status", "s", &cli.status);
  g_variant_dict_lookup (options, "reason", "s", &cli.reason);
  g_variant_dict_lookup (options, "note", "s", &cli.note);
  g_variant_dict_lookup (options, "from", "s", &cli.from);
  g_variant_dict_lookup (options, "to", "s", &cli.to);
  if (cli.command->arg == SC_CLI_ARG_STRING)
    g_variant_dict_lookup (options, cli.command->name, "s", &cli.arg);

  status = cli_run_command (&cli);
  cli_clear (&cli);
  return status;
}
