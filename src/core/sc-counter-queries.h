/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sc-outbox.h"
#include "sc-types.h"

G_BEGIN_DECLS

/* What the app reads of the counter's local data, through the counter: the
 * app never calls the cache itself (DESIGN §3). */

/* The whole outbox, in send order, whoever it belongs to.
 * Returns: (transfer full) (element-type ScOutboxItem) */
void       sc_counter_list_outbox_async         (ScCounter            *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray *sc_counter_list_outbox_finish        (ScCounter            *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* When this counter last fetched the manifest of @store_id (unix s, 0:
 * never), from the cache: also a fetch of an earlier run. */
void       sc_counter_get_manifest_state_async  (ScCounter            *self,
                                                 const char           *store_id,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean   sc_counter_get_manifest_state_finish (ScCounter            *self,
                                                 GAsyncResult         *result,
                                                 gint64               *out_fetched_at,
                                                 GError              **error);

G_END_DECLS
