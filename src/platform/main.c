/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sc-secret.h"
#include "sc-time.h"

#include "sc-platform-server.h"
#include "sc-platform-store.h"
#include "sc-platform-tls.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* "HOST:PORT", "[V6]:PORT" or "localhost:PORT". */
/* The admin token from @path: its first line, without the line end.
 * Returns: (transfer full): the token, or NULL with @error. */
static char *
read_token_file (const char  *path,
                 GError     **error)
{
  g_autoptr(ScSecretText) contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Cannot read the admin token file: %s"), local_error->message);
      return NULL;
    }
  contents[strcspn (contents, "\r\n")] = '\0';
  if (contents[0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The admin token file %s is empty"), path);
      return NULL;
    }
  return g_strdup (contents);
}

static GSocketAddress *
parse_listen (const char  *text,
              gboolean     allow_remote,
              GError     **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *colon;
  guint64 port;

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || end[1] != ':')
        goto bad;
      host = g_strndup (text + 1, (gsize) (end - text - 1));
      colon = end + 1;
    }
  else
    {
      colon = strrchr (text, ':');
      if (colon == NULL)
        goto bad;
      host = g_strndup (text, (gsize) (colon - text));
    }
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    goto bad;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    address = g_inet_address_new_from_string (host);
  if (address == NULL)
    goto bad;

  if (!g_inet_address_get_is_loopback (address) && !allow_remote)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s is not a loopback address; add --allow-remote to listen on it"), host);
      return NULL;
    }
  return g_inet_socket_address_new (address, (guint16) port);

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--listen takes HOST:PORT, for example 127.0.0.1:8080, not “%s”"), text);
  return NULL;
}

/* Opens the database at @db_path (the user's data directory if NULL),
 * serves on @address until SIGTERM or SIGINT, then stops cleanly.
 * Returns: the exit status. */
static int
serve (const char      *db_path,
       int              undo_window_s,
       int              session_ttl_s,
       gboolean         seed_demo,
       const char      *admin_token,
       gboolean         verbose,
       GTlsCertificate *certificate,
       GSocketAddress  *address)
{
  g_autofree char *default_db_path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScPlatformStore) store = NULL;
  g_autoptr(ScPlatformServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint sigterm_id, sigint_id;

  if (db_path == NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "store-counter-platform",
                                               NULL);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          g_printerr (_("Cannot create %s: %s\n"), dir, g_strerror (errno));
          return 2;
        }
      default_db_path = g_build_filename (dir, "platform.db", NULL);
      db_path = default_db_path;
    }

  store = sc_platform_store_new (db_path, undo_window_s, session_ttl_s);
  if (!sc_platform_store_open_sync (store, &error))
    {
      g_printerr (_("Cannot open the database %s: %s\n"), db_path, error->message);
      return 2;
    }
  if (seed_demo &&
      !sc_platform_store_seed_demo_sync (store, sc_time_now_unix (), &error))
    {
      g_printerr (_("Cannot seed the demo data: %s\n"), error->message);
      return 2;
    }

  server = sc_platform_server_new (store, admin_token, verbose);
  sc_platform_server_set_tls_certificate (server, certificate);
  if (!sc_platform_server_listen (server, address, &error))
    {
      g_printerr (_("Cannot listen: %s\n"), error->message);
      return 2;
    }

  /* Catch the signals before anyone knows where we are, so a stop that
   * comes right after the URL line is still a clean one. */
  loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);

  url = sc_platform_server_dup_url (server);
  g_print ("%s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);

  /* Stop taking calls, let the database finish what it has, and answer the
   * calls still waiting for it. */
  sc_platform_server_disconnect (server);
  sc_platform_store_close (store);
  while (sc_platform_server_get_n_pending (server) > 0)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(ScSecretText) admin_token = NULL;
  g_autofree char *admin_token_file = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  gboolean allow_remote = FALSE;
  gboolean seed_demo = FALSE;
  gboolean verbose = FALSE;
  int undo_window_s = 120;
  int session_ttl_s = 43200;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Address to listen on (default 127.0.0.1:8080; port 0 picks a free one)"),
      N_("HOST:PORT") },
    { "allow-remote", 0, 0, G_OPTION_ARG_NONE, &allow_remote,
      N_("Allow listening on a non-loopback address"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("Database file (“:memory:” for none)"), N_("FILE") },
    { "seed-demo", 0, 0, G_OPTION_ARG_NONE, &seed_demo,
      N_("Seed the demo stores and codes if the database is empty; move them to today"), NULL },
    { "admin-token", 0, 0, G_OPTION_ARG_STRING, &admin_token,
      N_("Enable the test-only /v1/admin calls with this bearer token"), N_("TOKEN") },
    { "admin-token-file", 0, 0, G_OPTION_ARG_FILENAME, &admin_token_file,
      N_("Enable the test-only /v1/admin calls with the bearer token in this file "
         "(its first line; not visible to ps)"), N_("FILE") },
    { "undo-window", 0, 0, G_OPTION_ARG_INT, &undo_window_s,
      N_("Seconds during which a redemption can be undone (default 120)"), N_("SECONDS") },
    { "session-ttl", 0, 0, G_OPTION_ARG_INT, &session_ttl_s,
      N_("Seconds a sign-in lasts (default 43200)"), N_("SECONDS") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("Serve HTTPS with this certificate (PEM; needs --tls-key)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("The private key of --tls-cert (PEM)"), N_("FILE") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Log every request to standard error"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Store Counter reference platform (API v1)"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (undo_window_s < 0 || session_ttl_s <= 0)
    {
      g_printerr ("%s\n", _("--undo-window must be 0 or more and --session-ttl above 0"));
      return 2;
    }
  if (admin_token != NULL && admin_token[0] == '\0')
    {
      g_printerr ("%s\n", _("--admin-token must not be empty"));
      return 2;
    }
  if (admin_token != NULL && admin_token_file != NULL)
    {
      g_printerr ("%s\n", _("Give either --admin-token or --admin-token-file, not both"));
      return 2;
    }
  if (admin_token_file != NULL)
    {
      admin_token = read_token_file (admin_token_file, &error);
      if (admin_token == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
    }

  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("%s\n", _("--tls-cert and --tls-key go together: give both, or neither "
                            "for plain HTTP"));
      return 2;
    }
  if (tls_cert != NULL &&
      (certificate = sc_platform_tls_load (tls_cert, tls_key, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  address = parse_listen (listen != NULL ? listen : "127.0.0.1:8080", allow_remote, &error);
  if (address == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  return serve (db_path, undo_window_s, session_ttl_s, seed_demo, admin_token, verbose,
                certificate, address);
}
