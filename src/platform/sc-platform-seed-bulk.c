/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-seed.h"

#include "sc-code.h"
#include "sc-platform-seed-private.h"
#include "sc-platform-util.h"
#include "sc-time.h"

/* Test-only bulk orders (the admin calls /v1/admin/orders and
 * /v1/admin/orders/touch). */

static gboolean
next_counter (ScDb        *db,
              const char  *name,
              gint64       add,
              gint64      *out_first,
              GError     **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "INSERT OR IGNORE INTO counters (name, value)"
                                          " VALUES (?1, 0)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (!sc_db_step_done (db, stmt, error))
    return FALSE;
  stmt = sc_db_prepare (db, "UPDATE counters SET value = value + ?2 WHERE name = ?1"
                            " RETURNING value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, add);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  *out_first = sqlite3_column_int64 (stmt, 0) - add + 1;
  sqlite3_reset (stmt);
  return TRUE;
}

static char *
random_items (GRand  *rand,
              gint64 *out_total)
{
  GString *items = g_string_new ("[");
  gboolean picked[SC_PLATFORM_SEED_N_PRODUCTS] = { FALSE, };
  int n_items = g_rand_int_range (rand, 1, 4);

  *out_total = 0;
  for (int k = 0; k < n_items; k++)
    {
      int j = g_rand_int_range (rand, 0, SC_PLATFORM_SEED_N_PRODUCTS);
      int quantity = g_rand_int_range (rand, 1, 4);

      if (picked[j])
        continue;
      picked[j] = TRUE;
      /* The product names hold no characters that need escaping. */
      g_string_append_printf (items, "%s{\"name\":\"%s\",\"quantity\":%d,\"price_fen\":%"
                              G_GINT64_FORMAT "}", items->len > 1 ? "," : "",
                              sc_platform_seed_products[j].name, quantity,
                              sc_platform_seed_products[j].price_fen);
      *out_total += quantity * sc_platform_seed_products[j].price_fen;
    }
  g_string_append_c (items, ']');
  return g_string_free (items, FALSE);
}

gboolean
sc_platform_seed_add_orders (ScDb        *db,
                             gint64       now,
                             const char  *store_id,
                             int          count,
                             GPtrArray   *out_codes,
                             GError     **error)
{
  g_autoptr(GTimeZone) tz = sc_platform_store_timezone ();
  g_autoptr(GRand) rand = g_rand_new ();
  gint64 today = sc_time_day_start (tz, now, NULL);
  gint64 version, first_order;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (sc_db_is_db_thread (db), FALSE);

  if (!next_counter (db, "code_version", count, &version, error) ||
      !next_counter (db, "bulk_order", count, &first_order, error))
    return FALSE;

  stmt = sc_db_prepare (db,
                        "INSERT OR IGNORE INTO codes (code, kind, store_id, state, valid_from,"
                        " valid_until, note, order_id, customer_name, customer_masked,"
                        " phone_tail, total_fen, items, version)"
                        " VALUES (?1, 'pickup', ?2, 'active', ?3, ?4,"
                        " 'pickup order added by the admin call', ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                        error);
  if (stmt == NULL)
    return FALSE;

  for (int i = 0; i < count; )
    {
      char code[SC_CODE_LENGTH + 1];
      g_autofree char *order_id = g_strdup_printf ("SB%08" G_GINT64_FORMAT, first_order + i);
      g_autofree char *items = NULL;
      const char *surname = sc_platform_seed_surname (rand);
      const char *given = sc_platform_seed_given_name (rand);
      g_autofree char *name = g_strconcat (surname, given, NULL);
      g_autofree char *masked = g_strconcat (surname, "*", NULL);
      char tail[5];
      gint64 total;

      code[0] = (char) g_rand_int_range (rand, '1', '4');
      for (int k = 1; k < SC_CODE_LENGTH - 1; k++)
        code[k] = (char) ('0' + g_rand_int_range (rand, 0, 10));
      code[SC_CODE_LENGTH - 1] = sc_code_luhn_check_digit (code, SC_CODE_LENGTH - 1);
      code[SC_CODE_LENGTH] = '\0';
      g_snprintf (tail, sizeof tail, "%04d", g_rand_int_range (rand, 0, 10000));
      items = random_items (rand, &total);

      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, store_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, today - DAY_S);
      sqlite3_bind_int64 (stmt, 4, MAX (today + 2 * DAY_S - 1, now + 12 * 3600));
      sqlite3_bind_text (stmt, 5, order_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, masked, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, tail, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 9, total);
      sqlite3_bind_text (stmt, 10, items, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 11, version + i);
      if (!sc_db_step_done (db, stmt, error))
        return FALSE;
      /* A code already issued: draw another. */
      if (sqlite3_changes (sc_db_get_handle (db)) == 0)
        continue;
      if (out_codes != NULL)
        g_ptr_array_add (out_codes, g_strdup (code));
      i++;
    }

  return TRUE;
}

gboolean
sc_platform_seed_touch_orders (ScDb        *db,
                               gint64       now,
                               const char  *store_id,
                               int          count,
                               int         *out_touched,
                               GError     **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new ();
  sqlite3_stmt *stmt;
  gint64 version;
  int rc;

  g_return_val_if_fail (sc_db_is_db_thread (db), FALSE);

  stmt = sc_db_prepare (db, "SELECT code FROM codes WHERE store_id = ?1 AND kind = 'pickup'"
                            " AND state = 'active' AND redemption_id IS NULL"
                            " AND (valid_until IS NULL OR valid_until >= ?2)"
                            " ORDER BY random () LIMIT ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int (stmt, 3, count);
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (codes, sc_db_column_dup_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;

  if (!next_counter (db, "code_version", codes->len, &version, error))
    return FALSE;

  for (guint i = 0; i < codes->len; i++)
    {
      g_autofree char *items = NULL;
      gint64 total;

      /* One order in ten is cancelled, one deleted by the customer, one
       * ended over a week ago (it leaves the manifest: removed[]); the rest
       * get other items. */
      switch (i % 10)
        {
        case 0:
          stmt = sc_db_prepare (db, "UPDATE codes SET state = 'invalidated', version = ?2"
                                    " WHERE code = ?1", error);
          break;
        case 1:
          stmt = sc_db_prepare (db, "UPDATE codes SET state = 'deleted', version = ?2"
                                    " WHERE code = ?1", error);
          break;
        case 2:
          stmt = sc_db_prepare (db, "UPDATE codes SET valid_from = ?3 - 10 * 86400,"
                                    " valid_until = ?3 - 8 * 86400, version = ?2"
                                    " WHERE code = ?1", error);
          break;
        default:
          stmt = sc_db_prepare (db, "UPDATE codes SET items = ?4, total_fen = ?5, version = ?2"
                                    " WHERE code = ?1", error);
          break;
        }
      if (stmt == NULL)
        return FALSE;
      items = random_items (rand, &total);
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (codes, i), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, version + i);
      if (i % 10 == 2)
        sqlite3_bind_int64 (stmt, 3, now);
      if (i % 10 > 2)
        {
          sqlite3_bind_text (stmt, 4, items, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 5, total);
        }
      if (!sc_db_step_done (db, stmt, error))
        return FALSE;
    }

  *out_touched = (int) codes->len;
  return TRUE;
}
