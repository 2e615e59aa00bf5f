/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The headless command line of DESIGN §12. */
void sc_cli_add_options    (GApplication *app);
/* Runs the command-line actions in @options and returns the exit status
 * (0 success, 1 a negative verdict, 2 an error), or -1 when there is no
 * command-line action and the application should go on (--login alone, with
 * --platform-url and --db, is for the window). */
int  sc_cli_handle_options (GApplication *app,
                            GVariantDict *options);

/* Reads a PIN from standard input (without echo on a terminal). Free it
 * with sc_secret_free(). */
char    *sc_cli_read_pin       (GError       **error);
/* Reads one line from @fd into @scratch, without stdio (whose buffer would
 * keep a copy), and returns it without surrounding blanks, to be freed with
 * sc_secret_free(). @scratch is wiped before returning, whatever happened. */
char    *sc_cli_read_secret    (int             fd,
                                char           *scratch,
                                gsize           scratch_len,
                                GError        **error);
/* Splits "STORE:CLERK"; a clear error when it is not that. */
gboolean sc_cli_parse_login    (const char    *login,
                                char         **out_store,
                                char         **out_clerk,
                                GError       **error);

G_END_DECLS
