/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "sc-cli.h"

static int
handle_local_options_cb (GApplication *app,
                         GVariantDict *options,
                         gpointer      user_data)
{
  int status = sc_cli_handle_options (app, options);

  if (status >= 0)
    return status;

  g_printerr ("%s\n", _("Nothing to do: give --lookup, --redeem, --undo or --sync "
                        "(see --help)"));
  return 2;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GApplication) app = NULL;
  const char *localedir = g_getenv ("STORE_COUNTER_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = g_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_application_set_option_context_summary (app, _("Store Counter: verify and redeem pickup "
                                                   "codes, coupons and prize vouchers."));
  sc_cli_add_options (app);
  g_signal_connect (app, "handle-local-options", G_CALLBACK (handle_local_options_cb), NULL);

  return g_application_run (app, argc, argv);
}
