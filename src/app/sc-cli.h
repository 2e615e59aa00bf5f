/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The headless command line of DESIGN §12. */
void sc_cli_add_options    (GApplication *app);
/* Runs the command-line actions in @options and returns the exit status
 * (0 success, 1 a negative verdict, 2 an error), or -1 when there is no
 * command-line action and the application should go on. */
int  sc_cli_handle_options (GApplication *app,
                            GVariantDict *options);

G_END_DECLS
