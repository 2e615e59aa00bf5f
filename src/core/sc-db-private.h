/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sc-db.h"

G_BEGIN_DECLS

/* Shared by the files of ScDb (sc-db*.c). */

/* sc-db.c, DB thread only: end the open transaction. */
void     sc_db_rollback      (ScDb               *self);
gboolean sc_db_commit        (ScDb               *self,
                              GError            **error);

/* sc-db-migrate.c, DB thread only: bring the open file to the last schema,
 * each migration in its own transaction; the version reached in
 * @out_version. */
gboolean sc_db_migrate       (ScDb               *self,
                              const char * const *migrations,
                              guint               n_migrations,
                              int                *out_version,
                              GError            **error);

/* sc-db-files.c: the folder of @path made, @path created 0600 and the files
 * SQLite keeps beside it made private (DESIGN §13). Not for ":memory:". */
gboolean sc_db_prepare_file  (const char         *path,
                              GError            **error);

G_END_DECLS
