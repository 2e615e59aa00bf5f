/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-app-util.h"
#include "sc-cli-private.h"
#include "sc-counter.h"

/* The commands on one code: --lookup, --redeem, --undo. */

static int
lookup_and_maybe_redeem (ScCli      *cli,
                         const char *input,
                         gboolean    redeem)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(ScRedemption) redemption = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  gint64 bill_fen = -1;

  if (cli->bill != NULL && !sc_app_parse_yuan (cli->bill, &bill_fen))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an amount in yuan, such as 58.50"), cli->bill);
      return sc_cli_fail (cli, error);
    }

  if (redeem && cli->lines != NULL)
    {
      lines = sc_line_qtys_parse (cli->lines, &error);
      if (lines == NULL)
        return sc_cli_fail (cli, error);
    }

  sc_counter_lookup_async (cli->counter, input, NULL, sc_cli_result_cb, &result);
  verdict = sc_counter_lookup_finish (cli->counter, sc_cli_wait (&result), &error);
  if (verdict == NULL)
    return sc_cli_fail (cli, error);

  sc_cli_print_verdict (cli, verdict);
  if (sc_verdict_get_status (verdict) != SC_VERDICT_STATUS_REDEEMABLE)
    return 1;
  if (!redeem)
    return 0;

  g_clear_object (&result);
  if (lines != NULL)
    sc_counter_redeem_lines_async (cli->counter, verdict, lines, "cli", NULL, sc_cli_result_cb,
                                   &result);
  else
    sc_counter_redeem_async (cli->counter, verdict, bill_fen, "cli", NULL,
                             sc_cli_result_cb, &result);
  redemption = sc_counter_redeem_finish (cli->counter, sc_cli_wait (&result), &error);
  if (redemption == NULL)
    {
      if (g_error_matches (error, SC_COUNTER_ERROR, SC_COUNTER_ERROR_THRESHOLD_NOT_MET))
        {
          if (!cli->json)
            g_print ("%s\n", error->message);
          else
            sc_cli_fail (cli, error);
          return 1;
        }
      return sc_cli_fail (cli, error);
    }

  sc_cli_print_redemption (cli, redemption);
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

/* --lookup CODE */
int
sc_cli_lookup (ScCli *cli)
{
  return lookup_and_maybe_redeem (cli, cli->arg, FALSE);
}

/* --redeem CODE [--bill AMOUNT] */
int
sc_cli_redeem (ScCli *cli)
{
  return lookup_and_maybe_redeem (cli, cli->arg, TRUE);
}

/* --undo ID */
int
sc_cli_undo (ScCli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScRedemption) redemption = NULL;

  sc_counter_undo_async (cli->counter, cli->arg, NULL, sc_cli_result_cb, &result);
  redemption = sc_counter_undo_finish (cli->counter, sc_cli_wait (&result), &error);
  if (redemption == NULL)
    {
      if (error->domain == SC_COUNTER_ERROR)
        {
          if (cli->json)
            sc_cli_fail (cli, error);
          else
            g_print ("%s\n", error->message);
          return 1;
        }
      return sc_cli_fail (cli, error);
    }

  sc_cli_print_redemption (cli, redemption);
  return 0;
}
