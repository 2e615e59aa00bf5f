/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Secrets at rest on the counter (DESIGN §6, §13): a copy of counter.db
 * alone gives away neither a pickup code nor the PIN. Each test logs in
 * online against a real platform, lets the counter fetch the manifest into
 * a database file, closes it, and then plays the thief: it opens the file
 * with plain SQLite and searches a reduced space that holds the real
 * answers with every scheme a thief could try with what the file holds.
 * The same search with the key the platform gave the session finds them,
 * so the searches can succeed. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sc-cache.h"
#include "sc-code.h"
#include "sc-counter.h"
#include "sc-platform-client.h"
#include "sc-redemption.h"
#include "sc-secret.h"
#include "sc-store-key.h"
#include "sc-test-counter.h"
#include "sc-test-platform.h"

/* Codes searched on each side of each real code (by their first 11 digits,
 * the 12th being the check digit). */
#define CODE_RADIUS 400
/* Real codes searched around (the first ones the platform lists). */
#define CODES_SEARCHED 12
/* PINs searched: 1220..1249, which holds the demo PIN 1234 (each try costs
 * SC_CACHE_PIN_ITERATIONS HMACs, slow under sanitizers). */
#define PIN_FIRST 1220
#define PIN_LAST  1249

typedef struct
{
  ScTestPlatform *platform;
  char           *tmpdir;
  char           *db_path;
  ScSession      *session;    /* (owned) what the online login gave */
  GPtrArray      *codes;      /* (owned) the store's real pickup codes, 12 digits */
} Fixture;

/* Logs in online, waits for the manifest, closes the counter. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScCache) cache = NULL;
  g_autoptr(ScPlatformClient) client = NULL;
  g_autoptr(ScCounter) counter = NULL;
  const char *statuses[] = { "redeemable", "not_yet_valid", "expired" };

  f->platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  f->tmpdir = g_dir_make_tmp ("sc-test-secrets-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->tmpdir, "counter.db", NULL);

  cache = sc_test_open_cache (f->db_path);
  client = sc_platform_client_new (f->platform->url);
  counter = sc_counter_new (cache, client);
  sc_test_counter_login (counter, "1");
  while (sc_counter_get_manifest_fetched_at (counter) == 0 || !sc_counter_is_idle (counter))
    g_main_context_iteration (NULL, TRUE);
  f->session = sc_session_copy (sc_counter_get_session (counter));

  f->codes = g_ptr_array_new_with_free_func (g_free);
  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    {
      g_autoptr(GPtrArray) payloads = sc_test_platform_demo_codes (f->platform, statuses[s],
                                                                  "pickup");

      for (guint i = 0; i < payloads->len; i++)
        {
          g_autoptr(ScCode) code = sc_code_parse (g_ptr_array_index (payloads, i),
                                                    g_get_real_time () / G_USEC_PER_SEC, NULL);

          if (code != NULL && !g_ptr_array_find_with_equal_func (f->codes,
                                                                 sc_code_get_code (code),
                                                                 g_str_equal, NULL))
            g_ptr_array_add (f->codes, g_strdup (sc_code_get_code (code)));
        }
    }
  g_assert_cmpuint (f->codes->len, >, 0);

  g_assert_finalize_object (g_steal_pointer (&counter));
  g_assert_finalize_object (g_steal_pointer (&client));
  g_assert_finalize_object (g_steal_pointer (&cache));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->platform, sc_test_platform_stop);
  sc_test_remove_tree (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->db_path, g_free);
  g_clear_pointer (&f->session, sc_session_free);
  g_clear_pointer (&f->codes, g_ptr_array_unref);
}

/* ---- the thief's side: the file and nothing else ---- */

typedef struct
{
  GHashTable *hashes;     /* (owned) lower-case hex code hashes the file holds */
  GPtrArray  *values;     /* (owned) (element-type GBytes) every other value, as bytes,
                           * and hex-decoded where it is hex: candidate salts and keys */
  GPtrArray  *salted;     /* (owned) (element-type GChecksum) sha256 fed with each value */
  GPtrArray  *keyed;      /* (owned) (element-type GHmac) HMAC-SHA256 keyed with each */
  char       *pin_salt;   /* (owned) (nullable) offline_logins.salt of clerk 1 */
  int         pin_iterations;
  char       *verifier;   /* (owned) (nullable) offline_logins.verifier of clerk 1 */
} Loot;

static void
loot_clear (Loot *loot)
{
  g_clear_pointer (&loot->hashes, g_hash_table_unref);
  g_clear_pointer (&loot->values, g_ptr_array_unref);
  g_clear_pointer (&loot->salted, g_ptr_array_unref);
  g_clear_pointer (&loot->keyed, g_ptr_array_unref);
  g_clear_pointer (&loot->pin_salt, g_free);
  g_clear_pointer (&loot->verifier, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Loot, loot_clear)

static gboolean
decode_hex (const char  *hex,
            GBytes     **out)
{
  gsize len = strlen (hex);
  g_autofree guint8 *bytes = NULL;

  if (len == 0 || len % 2 != 0)
    return FALSE;
  bytes = g_malloc (len / 2);
  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      bytes[i] = (guint8) (hi << 4 | lo);
    }
  *out = g_bytes_new_take (g_steal_pointer (&bytes), len / 2);
  return TRUE;
}

static void
add_value (Loot       *loot,
           const void *data,
           gsize       len)
{
  g_autofree char *text = g_strndup (data, len);
  GBytes *decoded = NULL;

  g_ptr_array_add (loot->values, g_bytes_new (data, len));
  if (decode_hex (text, &decoded))
    g_ptr_array_add (loot->values, decoded);
}

/* Every text or blob value of every row of @table. */
static void
take_all_values (Loot       *loot,
                 sqlite3    *db,
                 const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s", table);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < sqlite3_column_count (stmt); c++)
      {
        int type = sqlite3_column_type (stmt, c);

        if (type == SQLITE_TEXT || type == SQLITE_BLOB)
          add_value (loot, sqlite3_column_blob (stmt, c),
                     (gsize) sqlite3_column_bytes (stmt, c));
      }
  sqlite3_finalize (stmt);
}

static void
loot_db (Loot       *loot,
         const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  loot->hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  loot->values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  /* The empty salt and key, too. */
  g_ptr_array_add (loot->values, g_bytes_new (NULL, 0));

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT code_sha256 FROM manifest_orders", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (loot->hashes,
                      g_ascii_strdown ((const char *) sqlite3_column_text (stmt, 0), -1));
  sqlite3_finalize (stmt);

  take_all_values (loot, db, "manifest_meta");
  take_all_values (loot, db, "offline_logins");

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT salt, iterations, verifier"
                                       " FROM offline_logins WHERE clerk_id = '1'", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      loot->pin_salt = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      loot->pin_iterations = sqlite3_column_int (stmt, 1);
      loot->verifier = g_ascii_strdown ((const char *) sqlite3_column_text (stmt, 2), -1);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* Each value as a salt and as a key, ready to be copied. */
  loot->salted = g_ptr_array_new_with_free_func ((GDestroyNotify) g_checksum_free);
  loot->keyed = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hmac_unref);
  for (guint v = 0; v < loot->values->len; v++)
    {
      GBytes *value = g_ptr_array_index (loot->values, v);
      gsize len = g_bytes_get_size (value);
      GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);

      g_checksum_update (sum, g_bytes_get_data (value, NULL), (gssize) len);
      g_ptr_array_add (loot->salted, sum);
      g_ptr_array_add (loot->keyed,
                       g_hmac_new (G_CHECKSUM_SHA256,
                                   len > 0 ? g_bytes_get_data (value, NULL) : (const guchar *) "",
                                   len));
    }
}

static char *
hex_of (const guint8 *data,
        gsize         len)
{
  GString *hex = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

/* hex sha256 (@salted's input || @data), @salted NULL for none */
static gboolean
sha256_in (GHashTable      *targets,
           const GChecksum *salted,
           const void      *data,
           gsize            len)
{
  g_autoptr(GChecksum) sum = salted != NULL ? g_checksum_copy (salted)
                                            : g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (sum, data, (gssize) len);
  return g_hash_table_contains (targets, g_checksum_get_string (sum));
}

/* hex HMAC-SHA256 (@keyed's key, @data) */
static gboolean
hmac_in (GHashTable  *targets,
         const GHmac *keyed,
         const void  *data,
         gsize        len)
{
  g_autoptr(GHmac) hmac = g_hmac_copy (keyed);

  g_hmac_update (hmac, data, (gssize) len);
  return g_hash_table_contains (targets, g_hmac_get_string (hmac));
}

/* Does any scheme the thief can build from @loot turn @data into a value in
 * @targets? */
static gboolean
thief_matches (const Loot *loot,
               GHashTable *targets,
               const void *data,
               gsize       len)
{
  g_autofree char *as_hex = hex_of (data, len);

  if (sha256_in (targets, NULL, data, len) || g_hash_table_contains (targets, as_hex))
    return TRUE;
  for (guint v = 0; v < loot->values->len; v++)
    if (sha256_in (targets, g_ptr_array_index (loot->salted, v), data, len) ||
        hmac_in (targets, g_ptr_array_index (loot->keyed, v), data, len))
      return TRUE;
  return FALSE;
}

/* Every 12-digit Luhn-valid code within CODE_RADIUS of one of the first
 * CODES_SEARCHED of @codes (as
 * 11-digit numbers before the check digit), the codes themselves included.
 * Returns: (transfer full) (element-type utf8). */
static GPtrArray *
search_space (GPtrArray *codes)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *space = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < MIN (codes->len, CODES_SEARCHED); i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      g_autofree char *head = g_strndup (code, 11);
      gint64 base = g_ascii_strtoll (head, NULL, 10);

      for (gint64 n = MAX (base - CODE_RADIUS, 0); n <= base + CODE_RADIUS; n++)
        {
          char candidate[13];

          g_snprintf (candidate, sizeof candidate, "%011" G_GINT64_FORMAT, n);
          candidate[11] = sc_code_luhn_check_digit (candidate, 11);
          candidate[12] = '\0';
          if (g_hash_table_add (seen, g_strdup (candidate)))
            g_ptr_array_add (space, g_strdup (candidate));
        }
    }
  return space;
}

static void
test_manifest_codes (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Loot) loot = { 0 };
  g_autoptr(GPtrArray) space = NULL;
  guint found = 0;
  guint in_manifest = 0;

  g_test_summary ("A copy of counter.db alone gives away no pickup code: a search over the "
                  "store's real codes and their neighbours, hashed every way the file allows "
                  "(sha256 with any stored value as salt, HMAC with any stored value as key, "
                  "plain sha256), finds none; with the key from the session it finds them all");

  loot_db (&loot, f->db_path);
  g_assert_cmpuint (g_hash_table_size (loot.hashes), >, 0);
  space = search_space (f->codes);
  g_test_message ("searching %u codes against %u code hashes with %u stored values",
                  space->len, g_hash_table_size (loot.hashes), loot.values->len);

  for (guint i = 0; i < space->len; i++)
    {
      const char *candidate = g_ptr_array_index (space, i);

      if (thief_matches (&loot, loot.hashes, candidate, strlen (candidate)))
        {
          if (found < 3)
            g_test_message ("the file alone gives away %s", candidate);
          found++;
        }
    }
  g_test_message ("found with the file alone: %u of %u candidates", found, space->len);
  g_assert_cmpuint (found, ==, 0);

  /* The counter's own way, with the key the platform gave the session:
   * every real code is in the file. */
  g_assert_nonnull (f->session->manifest_key);
  for (guint i = 0; i < f->codes->len; i++)
    {
      g_autofree char *hash = sc_store_key_code_hash (f->session->manifest_key,
                                                      g_ptr_array_index (f->codes, i));

      g_assert_nonnull (hash);
      if (g_hash_table_contains (loot.hashes, hash))
        in_manifest++;
    }
  g_test_message ("found with the session's key: %u of %u real codes", in_manifest,
                  f->codes->len);
  g_assert_cmpuint (in_manifest, ==, f->codes->len);
}

static void
test_pin (Fixture       *f,
          gconstpointer  data)
{
  g_auto(Loot) loot = { 0 };
  g_autoptr(GHashTable) targets = g_hash_table_new (g_str_hash, g_str_equal);
  GBytes *salt = NULL;
  guint found = 0;
  gboolean found_with_key = FALSE;

  g_test_summary ("A copy of counter.db alone gives away no PIN: PINs 1220 to 1249 (the "
                  "demo PIN is 1234) against the file's verifier, with its salt and "
                  "iterations, plain or keyed with any stored value, match none; with the "
                  "session's key, 1234 matches");

  loot_db (&loot, f->db_path);
  g_assert_nonnull (loot.verifier);
  g_assert_true (decode_hex (loot.pin_salt, &salt));
  g_assert_cmpint (loot.pin_iterations, >, 0);
  g_hash_table_add (targets, loot.verifier);

  for (int pin = PIN_FIRST; pin <= PIN_LAST; pin++)
    {
      char text[5];
      guint8 derived[32];
      g_autofree char *derived_hex = NULL;
      g_autoptr(ScSecretText) keyed = NULL;

      g_snprintf (text, sizeof text, "%04d", pin);
      sc_secret_pbkdf2_sha256 (text, g_bytes_get_data (salt, NULL), g_bytes_get_size (salt),
                               (guint) loot.pin_iterations, derived);
      derived_hex = hex_of (derived, sizeof derived);
      if (g_hash_table_contains (targets, derived_hex) ||
          thief_matches (&loot, targets, derived, sizeof derived) ||
          thief_matches (&loot, targets, derived_hex, strlen (derived_hex)))
        {
          g_test_message ("the file alone gives away PIN %s", text);
          found++;
        }

      keyed = sc_store_key_pin_verifier (f->session->manifest_key, derived);
      if (keyed != NULL && g_str_equal (keyed, loot.verifier))
        {
          g_assert_cmpint (pin, ==, 1234);
          found_with_key = TRUE;
        }
    }
  g_bytes_unref (salt);
  g_test_message ("PINs found with the file alone: %u of %d", found, PIN_LAST - PIN_FIRST + 1);
  g_assert_cmpuint (found, ==, 0);
  g_assert_true (found_with_key);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/secrets-at-rest/manifest-codes", Fixture, NULL, fixture_setup,
              test_manifest_codes, fixture_teardown);
  g_test_add ("/secrets-at-rest/pin", Fixture, NULL, fixture_setup, test_pin, fixture_teardown);

  return g_test_run ();
}
