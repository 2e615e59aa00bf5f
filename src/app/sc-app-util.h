/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sc-types.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/* Registers the app's GResource (ui/, style.css) once. */
void        sc_app_ensure_resources   (void);

/* TRUE when @url is plain http:// to a host that is not this computer
 * (loopback: 127.0.0.0/8, ::1, localhost), where PINs and codes would cross
 * the network readable by anyone on it (DESIGN §13). FALSE for https://,
 * loopback http:// and anything that is not an http(s) address. */
gboolean    sc_app_platform_url_is_insecure (const char *url);

/* "58", "58.5", "58.50", "５８" (full-width) yuan -> fen; FALSE if it is not
 * an amount (empty, negative, more than two decimals, over 1e8 yuan). */
gboolean    sc_app_parse_yuan         (const char   *text,
                                       gint64       *out_fen);

/* How a verdict status looks: a symbolic icon from the Adwaita theme and a
 * CSS class ("status-success", "status-warning", "status-error",
 * "status-neutral"). */
const char *sc_app_status_icon_name   (ScVerdictStatus status);
const char *sc_app_status_css_class   (ScVerdictStatus status);

/* A time for people in @tz (store time zone), "%Y-%m-%d %H:%M" or just
 * "%H:%M:%S" when @time_only. "—" for NULL. */
char       *sc_app_format_time        (GDateTime    *dt,
                                       GTimeZone    *tz,
                                       gboolean      time_only);

/* The store's time zone for @session (local when NULL or unknown). */
GTimeZone  *sc_app_session_time_zone  (const ScSession *session);

G_END_DECLS
