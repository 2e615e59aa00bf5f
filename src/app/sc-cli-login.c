/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cli-private.h"
#include "sc-counter.h"
#include "sc-secret.h"
#include "sc-session-store.h"
#include "sc-time.h"

/* --login STORE:CLERK: the PIN from standard input, the store's key from
 * the keyring before and into it after an online login. */

/* The store's key from the keyring, for an offline login and offline
 * lookups (DESIGN §13). */
static void
cli_load_store_key (ScCli          *cli,
                    ScSessionStore *keys,
                    const char     *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSecretText) key = NULL;

  sc_session_store_load_key_async (keys, cli->platform_url, store, NULL, sc_cli_result_cb,
                                   &result);
  key = sc_session_store_load_key_finish (keys, sc_cli_wait (&result), &error);
  if (error != NULL)
    g_debug ("No store key from the keyring: %s", error->message);
  if (key != NULL)
    sc_counter_set_store_key (cli->counter, store, key);
}

/* After an online login: the store's key into the keyring, so that the
 * next run can check codes and PINs offline. */
static void
cli_save_store_key (ScCli           *cli,
                    ScSessionStore  *keys,
                    const ScSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (session->offline || session->manifest_key == NULL)
    return;
  sc_session_store_save_key_async (keys, cli->platform_url, session->store_id,
                                   session->manifest_key, NULL, sc_cli_result_cb, &result);
  if (!sc_session_store_save_key_finish (keys, sc_cli_wait (&result), &error) ||
      !sc_session_store_get_available (keys))
    g_printerr (_("No keyring: the next run cannot check pickup codes or the PIN while the "
                  "platform is away\n"));
}

int
sc_cli_login (ScCli *cli)
{
  g_autofree char *store = NULL;
  g_autofree char *clerk = NULL;
  g_autoptr(ScSecretText) pin = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScSessionStore *keys = sc_application_get_session_store (cli->app);
  const ScSession *session;

  if (!sc_cli_parse_login (cli->login, &store, &clerk, &error))
    return sc_cli_fail (cli, error);
  cli_load_store_key (cli, keys, store);

  pin = sc_cli_read_pin (&error);
  if (pin == NULL)
    return sc_cli_fail (cli, error);

  sc_counter_login_async (cli->counter, store, clerk, pin, NULL,
                          sc_cli_result_cb, &result);
  if (!sc_counter_login_finish (cli->counter, sc_cli_wait (&result), &error))
    return sc_cli_fail (cli, error);

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
