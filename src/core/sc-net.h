/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-net: what the counter knows about addresses, for the client and the
 * app alike (the app never includes the client's header). */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @host (of a platform address) is this computer: 127.0.0.0/8,
 * ::1 (also in brackets), localhost. */
gboolean    sc_net_host_is_loopback (const char *host);

G_END_DECLS
