/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sc-platform-store.h"

G_BEGIN_DECLS

/**
 * ScPlatformServer: the HTTP side of the reference platform (DESIGN §6):
 * a SoupServer that routes /v1/..., checks and parses the JSON bodies, and
 * answers each call from one ScPlatformStore job while the message is
 * paused, so the main loop never waits for the database.
 *
 * Test-only admin calls (/v1/admin/...) exist only when an admin token is
 * given; they set the platform clock offset, inject failures, delays and
 * hangs (the answer held after the work is done), reset the demo data, list
 * the demo codes, add bulk pickup orders, change some, and list every
 * redemption. Their wire shapes are in sc-platform-client.h.
 */
#define SC_TYPE_PLATFORM_SERVER (sc_platform_server_get_type ())
G_DECLARE_FINAL_TYPE (ScPlatformServer, sc_platform_server, SC, PLATFORM_SERVER, GObject)

/* @admin_token: (nullable): enables /v1/admin/... */
ScPlatformServer *sc_platform_server_new         (ScPlatformStore   *store,
                                                  const char        *admin_token,
                                                  gboolean           verbose);
/* @certificate: (nullable): serve HTTPS with it (call before listen). */
void              sc_platform_server_set_tls_certificate (ScPlatformServer *self,
                                                          GTlsCertificate  *certificate);
gboolean          sc_platform_server_listen      (ScPlatformServer  *self,
                                                  GSocketAddress    *address,
                                                  GError           **error);
/* "http://127.0.0.1:41234" or "https://…" (no trailing slash), after listen. */
char             *sc_platform_server_dup_url     (ScPlatformServer  *self);
/* The platform clock: real time + the admin clock offset, unix seconds. */
gint64            sc_platform_server_now         (ScPlatformServer  *self);
/* Stops listening; calls already running still get their answer. */
void              sc_platform_server_disconnect  (ScPlatformServer  *self);
/* Calls that are waiting for the database or a fault delay. */
guint             sc_platform_server_get_n_pending (ScPlatformServer *self);

G_END_DECLS
