/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-store.h"

#include <glib/gi18n-lib.h>

#include "sc-platform-schema.h"
#include "sc-platform-seed.h"
#include "sc-platform-store-private.h"
#include "sc-platform-util.h"

struct _ScPlatformStore
{
  GObject  parent_instance;

  ScDb    *db;             /* (owned) */
  char    *secret;         /* (owned) (nullable until open); immutable after open */
  char    *platform_id;    /* (owned) (nullable until open); immutable after open */
  int      undo_window_s;
  int      session_ttl_s;
};

G_DEFINE_FINAL_TYPE (ScPlatformStore, sc_platform_store, G_TYPE_OBJECT)

/* ---- dispatch ---- */

/* Every op: what answers it, and whether its job writes (BEGIN IMMEDIATE).
 * A login has no func: it takes three steps (see
 * sc_platform_store_call_async). */
static const struct
{
  ScPlatformOp      op;
  ScPlatformOpFunc  func;
  gboolean          is_write;
} ops[] = {
  { SC_PLATFORM_OP_LOGIN,              NULL,                              FALSE },
  { SC_PLATFORM_OP_LOOKUP,             sc_platform_op_lookup,             FALSE },
  { SC_PLATFORM_OP_REDEEM,             sc_platform_op_redeem,             TRUE },
  { SC_PLATFORM_OP_GET_REDEMPTION,     sc_platform_op_get_redemption,     FALSE },
  { SC_PLATFORM_OP_REVERSE,            sc_platform_op_reverse,            TRUE },
  { SC_PLATFORM_OP_MANIFEST,           sc_platform_op_manifest,           FALSE },
  { SC_PLATFORM_OP_ORDERS,             sc_platform_op_orders,             FALSE },
  { SC_PLATFORM_OP_ADMIN_DEMO_CODES,   sc_platform_op_demo_codes,         FALSE },
  { SC_PLATFORM_OP_ADMIN_RESET,        sc_platform_op_admin_reset,        TRUE },
  { SC_PLATFORM_OP_ADMIN_ADD_ORDERS,   sc_platform_op_admin_add_orders,   TRUE },
  { SC_PLATFORM_OP_ADMIN_TOUCH_ORDERS, sc_platform_op_admin_touch_orders, TRUE },
  { SC_PLATFORM_OP_ADMIN_REDEMPTIONS,  sc_platform_op_admin_redemptions,  FALSE },
  { SC_PLATFORM_OP_LOGOUT,             sc_platform_op_logout,             TRUE },
  { SC_PLATFORM_OP_ORDER,              sc_platform_op_order,              FALSE },
  { SC_PLATFORM_OP_MARK_MISSING,       sc_platform_op_mark_missing,       TRUE },
};

/* The table's entry for @op, or -1. */
static int
op_find (ScPlatformOp op)
{
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (ops[i].op == op)
      return (int) i;
  return -1;
}

static gpointer
store_job (ScDb     *db,
           gpointer  data,
           GError  **error)
{
  ScPlatformRequest *req = data;
  int i = op_find (req->op);

  if (i < 0 || ops[i].func == NULL)
    {
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_SQL, "unknown operation %d", req->op);
      return NULL;
    }
  return ops[i].func (db, req, error);
}

static gboolean
op_is_write (ScPlatformOp op)
{
  int i = op_find (op);

  return i >= 0 && ops[i].is_write;
}

/* ---- GObject ---- */

static void
sc_platform_store_finalize (GObject *object)
{
  ScPlatformStore *self = SC_PLATFORM_STORE (object);

  if (self->db != NULL)
    sc_db_close (self->db);
  g_clear_object (&self->db);
  g_clear_pointer (&self->secret, g_free);
  g_clear_pointer (&self->platform_id, g_free);

  G_OBJECT_CLASS (sc_platform_store_parent_class)->finalize (object);
}

static void
sc_platform_store_class_init (ScPlatformStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sc_platform_store_finalize;
}

static void
sc_platform_store_init (ScPlatformStore *self)
{
}

ScPlatformStore *
sc_platform_store_new (const char *db_path,
                       int         undo_window_s,
                       int         session_ttl_s)
{
  ScPlatformStore *self;
  const char * const *migrations;
  gsize n_migrations;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (SC_TYPE_PLATFORM_STORE, NULL);
  migrations = sc_platform_schema_get_migrations (&n_migrations);
  self->db = sc_db_new (db_path, migrations, n_migrations);
  self->undo_window_s = undo_window_s;
  self->session_ttl_s = session_ttl_s;
  return self;
}


gboolean
sc_platform_store_open_sync (ScPlatformStore  *self,
                             GError          **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_STORE (self), FALSE);

  if (!sc_db_open_sync (self->db, error))
    return FALSE;
  if (sc_db_run_sync (self->db, SC_DB_JOB_WRITE, sc_platform_schema_secure_pins_job, NULL,
                      error) == NULL)
    return FALSE;
  self->secret = sc_db_run_sync (self->db, SC_DB_JOB_WRITE, sc_platform_schema_load_secret_job,
                                 NULL, error);
  if (self->secret == NULL)
    return FALSE;
  self->platform_id = sc_db_run_sync (self->db, SC_DB_JOB_WRITE,
                                      sc_platform_schema_load_platform_id_job, NULL, error);
  return self->platform_id != NULL;
}

const char *
sc_platform_store_get_platform_id (ScPlatformStore *self)
{
  g_return_val_if_fail (SC_IS_PLATFORM_STORE (self), NULL);

  return self->platform_id;
}

typedef struct
{
  gint64 now;
} SeedData;

static gpointer
seed_job (ScDb     *db,
          gpointer  data,
          GError  **error)
{
  SeedData *seed = data;
  sqlite3_stmt *stmt;
  gint64 n_stores = 0;
  int rc = sc_platform_query_first (db, "SELECT COUNT(*) FROM stores", NULL, NULL, &stmt, error);

  if (rc < 0)
    return NULL;
  if (rc == SQLITE_ROW)
    {
      n_stores = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  if (n_stores == 0)
    {
      if (!sc_platform_seed_demo_insert (db, seed->now, error))
        return NULL;
    }
  else if (!sc_platform_seed_redate (db, seed->now, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

gboolean
sc_platform_store_seed_demo_sync (ScPlatformStore  *self,
                                  gint64            now,
                                  GError          **error)
{
  SeedData seed = { now };

  g_return_val_if_fail (SC_IS_PLATFORM_STORE (self), FALSE);

  return sc_db_run_sync (self->db, SC_DB_JOB_WRITE, seed_job, &seed, error) != NULL;
}

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ScPlatformReply *reply;

  reply = sc_db_run_finish (SC_DB (source), result, &error);
  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) sc_platform_reply_free);
}

static ScPlatformReply *
login_refused (void)
{
  return sc_platform_reply_new_error (401, "bad_credentials", _("Wrong store, clerk or PIN."),
                                      NULL);
}

/* Step 2 (a worker thread): the slow PIN check. */
static void
login_check_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ScPlatformLoginCall *login = task_data;

  /* No such clerk: the same work against a hash nobody has. */
  login->pin_ok = sc_platform_pin_hash_check (login->found ? login->pin_hash
                                                            : SC_PLATFORM_PIN_HASH_NOBODY,
                                              login->req->pin) && login->found;
  g_task_return_boolean (task, TRUE);
}

static void
login_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ScPlatformStore *self = SC_PLATFORM_STORE (source);
  g_autoptr(GTask) task = user_data;
  ScPlatformLoginCall *login = g_task_get_task_data (task);

  if (!login->pin_ok)
    {
      g_task_return_pointer (task, login_refused (), (GDestroyNotify) sc_platform_reply_free);
      return;
    }
  sc_db_run_async (self->db, SC_DB_JOB_WRITE, sc_platform_login_create_job, login, NULL,
                   (GDestroyNotify) sc_platform_reply_free, NULL, call_cb,
                   g_steal_pointer (&task));
}

static void
login_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScPlatformStore *self = g_task_get_source_object (task);
  g_autoptr(GTask) check = NULL;
  g_autoptr(GError) error = NULL;
  ScPlatformLoginCall *login;

  if (sc_db_run_finish (SC_DB (source), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  login = g_task_get_task_data (task);
  check = g_task_new (self, NULL, login_checked_cb, g_steal_pointer (&task));
  g_task_set_source_tag (check, login_fetched_cb);
  g_task_set_task_data (check, login, NULL);
  g_task_run_in_thread (check, login_check_thread);
}

void
sc_platform_store_call_async (ScPlatformStore     *self,
                              ScPlatformRequest   *request,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ScDbJobFlags flags;

  g_return_if_fail (SC_IS_PLATFORM_STORE (self));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, sc_platform_store_call_async);

  request->secret = g_strdup (self->secret);
  request->platform_id = g_strdup (self->platform_id);
  request->undo_window_s = self->undo_window_s;
  request->session_ttl_s = self->session_ttl_s;
  flags = op_is_write (request->op) ? SC_DB_JOB_WRITE : SC_DB_JOB_READ;

  /* A login reads the clerk, checks the PIN in a worker thread (PBKDF2 is
   * slow on purpose: not on the DB thread), then writes the session. */
  if (request->op == SC_PLATFORM_OP_LOGIN)
    {
      ScPlatformLoginCall *login = g_new0 (ScPlatformLoginCall, 1);

      login->req = request;
      g_task_set_task_data (task, login, (GDestroyNotify) sc_platform_login_call_free);
      sc_db_run_async (self->db, SC_DB_JOB_READ, sc_platform_login_fetch_job, login, NULL, NULL,
                       NULL, login_fetched_cb, g_steal_pointer (&task));
      return;
    }

  sc_db_run_async (self->db, flags, store_job, request,
                   (GDestroyNotify) sc_platform_request_free,
                   (GDestroyNotify) sc_platform_reply_free,
                   NULL, call_cb, g_steal_pointer (&task));
}

ScPlatformReply *
sc_platform_store_call_finish (ScPlatformStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sc_platform_store_close (ScPlatformStore *self)
{
  g_return_if_fail (SC_IS_PLATFORM_STORE (self));

  if (self->db != NULL)
    sc_db_close (self->db);
}

