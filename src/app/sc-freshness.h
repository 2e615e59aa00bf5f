/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScFreshness: how old the codes list (the manifest of pickup orders, for
 * offline checks) is, in short words under the header's chip ("Codes list:
 * 3 min ago") and the whole story in its tooltip; past a day it warns
 * (.warning, an icon and the words). It follows the counter's
 * manifest-fetched-at and the clock (each minute) by itself.
 *
 * Properties: "counter" (ScCounter, nullable: empty until set),
 * "cached-at" (int64, unix s: when the list this counter already held for
 * the session's store was fetched, 0 when unknown).
 */

#define SC_TYPE_FRESHNESS (sc_freshness_get_type ())
G_DECLARE_FINAL_TYPE (ScFreshness, sc_freshness, SC, FRESHNESS, GtkWidget)

void        sc_freshness_set_counter   (ScFreshness *self,
                                        ScCounter   *counter);
void        sc_freshness_set_cached_at (ScFreshness *self,
                                        gint64       cached_at);
/* Shows the age as of @now (unix s); the widget calls it with the real
 * time, tests with another. */
void        sc_freshness_update        (ScFreshness *self,
                                        gint64       now);
const char *sc_freshness_get_text      (ScFreshness *self);
gboolean    sc_freshness_get_warning   (ScFreshness *self);

G_END_DECLS
