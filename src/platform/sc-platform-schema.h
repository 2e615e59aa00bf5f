/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-db.h"

G_BEGIN_DECLS

/*
 * The reference platform's database: its migrations (for sc_db_new), and
 * the jobs that open it (ScDbJobFunc, DB thread, write jobs; see
 * sc_platform_store_open_sync).
 */

const char * const *sc_platform_schema_get_migrations        (gsize     *out_n_migrations);

/* The value of @key in meta, made of @n_bytes random bytes (hex) at the
 * first open and kept, (transfer full); NULL with @error. */
char               *sc_platform_schema_meta_get_or_create    (ScDb       *db,
                                                              const char *key,
                                                              gsize       n_bytes,
                                                              GError    **error);
/* Clear PINs (from before the hashes) become hashes, and the column goes. */
gpointer            sc_platform_schema_secure_pins_job       (ScDb       *db,
                                                              gpointer    data,
                                                              GError    **error);
/* The platform's secret (live-token signatures, the stores' keys), (transfer full). */
gpointer            sc_platform_schema_load_secret_job       (ScDb       *db,
                                                              gpointer    data,
                                                              GError    **error);
/* The platform's own id (DESIGN §6), (transfer full). */
gpointer            sc_platform_schema_load_platform_id_job  (ScDb       *db,
                                                              gpointer    data,
                                                              GError    **error);

G_END_DECLS
