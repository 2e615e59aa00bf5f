/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless command line (DESIGN §12), run as a separate process against
 * a real store-counter-platform. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sc-cache.h"
#include "sc-db.h"
#include "sc-redemption.h"
#include "sc-test-cli.h"
#include "sc-test-keyring.h"
#include "sc-test-platform.h"

typedef struct
{
  ScTestPlatform *platform;
  char           *tmpdir;
  ScTestKeyring  *keyring;   /* (owned) each run's Secret Service: the store key lives there */
  gboolean        no_bus;    /* runs see no session bus, so no Secret Service */
  char           *config_home; /* (nullable) runs read their settings from a keyfile here */
} Fixture;

typedef struct
{
  int         status;
  char       *out;
  char       *err;
  JsonObject *json;   /* (nullable) stdout parsed, for --json runs */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_pointer (&run->json, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->keyring = sc_test_keyring_up ();
  fixture->platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  fixture->tmpdir = g_dir_make_tmp ("sc-test-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->platform, sc_test_platform_stop);
  sc_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->config_home, g_free);
  g_clear_pointer (&fixture->keyring, sc_test_keyring_down);
}

/* Runs store-counter with @args (NULL-terminated), "1234\n" on stdin, and
 * --platform-url @url unless @url is NULL. */
static void
run_cli (Fixture            *fixture,
         Run                *run,
         const char         *url,
         const char * const *args)
{
  g_autofree char *data_home = g_build_filename (fixture->tmpdir, "data", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    sc_test_cli_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                          G_SUBPROCESS_FLAGS_STDERR_PIPE, data_home);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(ScTestCliRun) cli = { 0 };

  g_subprocess_launcher_unsetenv (launcher, "SC_PLATFORM_URL");
  if (fixture->config_home != NULL)
    {
      /* GSETTINGS_BACKEND=memory does not outlive a process. */
      g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config_home, TRUE);
    }
  if (fixture->no_bus)
    {
      g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", fixture->tmpdir, TRUE);
    }
  process = sc_test_cli_spawn (launcher, url, args);
  sc_test_cli_communicate (process, "1234\n", 0, &cli);
  g_assert_true (cli.exited);
  run->status = cli.status;
  run->out = g_steal_pointer (&cli.out);
  run->err = g_steal_pointer (&cli.err);

  if (g_strv_contains (args, "--json"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      g_assert_true (json_parser_load_from_data (parser, run->out, -1, &error));
      g_assert_no_error (error);
      root = json_parser_get_root (parser);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
      run->json = json_object_ref (json_node_get_object (root));
      g_assert_cmpint (json_object_get_int_member (run->json, "exit_status"), ==, run->status);
    }
}

static const char *
verdict_status (Run *run)
{
  JsonObject *verdict = json_object_get_object_member (run->json, "verdict");

  g_assert_nonnull (verdict);
  return json_object_get_string_member (verdict, "status");
}

static void
test_lookup_redeem_undo (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 0);
  g_auto(Run) lookup = { 0 };
  g_auto(Run) redeem = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) undo = { 0 };
  g_auto(Run) after = { 0 };
  g_auto(Run) human = { 0 };
  g_autofree char *id = NULL;
  JsonObject *redemption;

  g_test_summary ("--lookup, --redeem and --undo against the platform, with exit statuses "
                  "0 for success and 1 for a negative verdict");

  run_cli (fixture, &lookup, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--lookup", payload, "--json", NULL });
  g_assert_cmpint (lookup.status, ==, 0);
  g_assert_cmpstr (verdict_status (&lookup), ==, "redeemable");

  run_cli (fixture, &redeem, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--redeem", payload, "--json", NULL });
  g_assert_cmpint (redeem.status, ==, 0);
  redemption = json_object_get_object_member (redeem.json, "redemption");
  g_assert_nonnull (redemption);
  g_assert_cmpstr (json_object_get_string_member (redemption, "state"), ==, "synced");
  g_assert_true (json_object_has_member (redemption, "redeemed_at"));
  id = g_strdup (json_object_get_string_member (redemption, "id"));

  /* A second redeem: the verdict is "already redeemed", exit 1, nothing sent. */
  run_cli (fixture, &again, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--redeem", payload, "--json", NULL });
  g_assert_cmpint (again.status, ==, 1);
  g_assert_cmpstr (verdict_status (&again), ==, "redeemed");
  g_assert_false (json_object_has_member (again.json, "redemption"));

  /* In words, for people: when, where and who. */
  run_cli (fixture, &human, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--lookup", payload, NULL });
  g_assert_cmpint (human.status, ==, 1);
  g_assert_nonnull (strstr (human.out, "Already redeemed"));
  g_assert_nonnull (strstr (human.out, "示范自提点"));
  g_assert_nonnull (strstr (human.out, "王芳"));

  run_cli (fixture, &undo, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--undo", id, "--json", NULL });
  g_assert_cmpint (undo.status, ==, 0);
  redemption = json_object_get_object_member (undo.json, "redemption");
  g_assert_cmpstr (json_object_get_string_member (redemption, "state"), ==, "reversed");

  run_cli (fixture, &after, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--lookup", payload, "--json", NULL });
  g_assert_cmpint (after.status, ==, 0);
  g_assert_cmpstr (verdict_status (&after), ==, "redeemable");
}

static void
test_negative_and_errors (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *expired = sc_test_platform_demo_code (fixture->platform, "expired", "pickup", 0);
  g_auto(Run) typo = { 0 };
  g_auto(Run) old = { 0 };
  g_auto(Run) bad_pin = { 0 };
  g_auto(Run) dead = { 0 };
  g_auto(Run) no_login = { 0 };
  g_auto(Run) unknown_undo = { 0 };

  g_test_summary ("Malformed and expired codes exit 1 with a reason; a wrong PIN, a dead "
                  "platform or a missing login exit 2 with words, not error domains");

  run_cli (fixture, &typo, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--lookup", "12345", NULL });
  g_assert_cmpint (typo.status, ==, 1);
  g_assert_nonnull (strstr (typo.out, "Not a valid code"));

  run_cli (fixture, &old, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--redeem", expired, "--json", NULL });
  g_assert_cmpint (old.status, ==, 1);
  g_assert_cmpstr (verdict_status (&old), ==, "expired");

  run_cli (fixture, &bad_pin, fixture->platform->url,
           (const char *[]) { "--login", "1001:2:9", "--lookup", expired, NULL });
  g_assert_cmpint (bad_pin.status, ==, 2);
  g_assert_null (strstr (bad_pin.err, "-quark"));

  run_cli (fixture, &dead, "http://127.0.0.1:9",
           (const char *[]) { "--login", "1001:1", "--lookup", expired, NULL });
  g_assert_cmpint (dead.status, ==, 2);
  /* A platform address on this computer: its program is not running
   * (issue 10, row 11). */
  g_assert_nonnull (strstr (dead.err, "The platform program is not running on this computer"));

  run_cli (fixture, &no_login, fixture->platform->url,
           (const char *[]) { "--lookup", expired, NULL });
  g_assert_cmpint (no_login.status, ==, 2);
  g_assert_nonnull (strstr (no_login.err, "--login"));

  run_cli (fixture, &unknown_undo, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--undo", "no-such-id", NULL });
  g_assert_cmpint (unknown_undo.status, ==, 1);
}

static void
test_sync (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *dead_url = NULL;
  g_auto(Run) empty = { 0 };
  g_auto(Run) down = { 0 };
  g_autoptr(GError) error = NULL;
  JsonObject *counts;

  g_test_summary ("--sync reports what it sent and what is left; with the platform away it "
                  "exits 2 and says why");

  run_cli (fixture, &empty, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (empty.status, ==, 0);
  counts = json_object_get_object_member (empty.json, "sync");
  g_assert_nonnull (counts);
  g_assert_cmpint (json_object_get_int_member (counts, "settled"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "unsynced"), ==, 0);

  sc_test_platform_kill (fixture->platform);
  dead_url = g_strdup (fixture->platform->url);
  run_cli (fixture, &down, dead_url,
           (const char *[]) { "--login", "1001:1", "--sync", NULL });
  g_assert_cmpint (down.status, ==, 2);
  g_assert_nonnull (strstr (down.err, "Cannot reach the platform"));
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
}

static JsonObject *
platform_get (Fixture    *fixture,
              const char *method,
              const char *path,
              const char *body,
              guint      *out_status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sc_test_platform_login (fixture->platform, "1001", "2", &error);
  JsonObject *answer;

  g_assert_no_error (error);
  answer = sc_test_platform_request (fixture->platform, method, path, token, body, NULL,
                                     out_status, &error);
  g_assert_no_error (error);
  return answer;
}

/* The platform has @id, made offline, for @payload, and the code is
 * redeemed by it. */
static void
assert_redeemed_once (Fixture    *fixture,
                      const char *id,
                      const char *payload)
{
  g_autoptr(JsonObject) recorded = sc_test_platform_assert_redeemed_by (fixture->platform, id,
                                                                        payload);

  g_assert_true (json_object_get_boolean_member (recorded, "offline"));
}

/* The redemption of a --redeem --json @run made with the platform away:
 * it exited 0, and the redemption is saved offline, waiting to be sent.
 * Returns: its id. */
static char *
offline_redemption_id (Run *run)
{
  JsonObject *redemption;

  g_assert_cmpint (run->status, ==, 0);
  redemption = json_object_get_object_member (run->json, "redemption");
  g_assert_nonnull (redemption);
  g_assert_cmpstr (json_object_get_string_member (redemption, "state"), ==, "pending");
  g_assert_true (json_object_get_boolean_member (redemption, "offline"));
  return g_strdup (json_object_get_string_member (redemption, "id"));
}

static JsonArray *
sync_list (Run        *run,
           const char *name)
{
  JsonObject *counts = json_object_get_object_member (run->json, "sync");

  g_assert_nonnull (counts);
  return json_object_get_array_member (counts, name);
}

static void
test_offline_redeem_then_sync (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *pickup =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 0);
  g_autofree char *pickup2 =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 1);
  g_autofree char *coupon =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "coupon", 0);
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_auto(Run) first = { 0 };
  g_auto(Run) look = { 0 };
  g_auto(Run) redeem = { 0 };
  g_auto(Run) human = { 0 };
  g_auto(Run) needs = { 0 };
  g_auto(Run) sync = { 0 };
  g_auto(Run) again = { 0 };
  g_autoptr(GError) error = NULL;
  JsonObject *verdict;
  JsonArray *synced;
  const char *line;

  g_test_summary ("After an online login, with the platform down: the CLI logs in offline, "
                  "looks pickup codes up and redeems them offline and says so, coupons need "
                  "the network; --sync later sends each redemption exactly once");

  /* Online once: the PIN verifier and today's manifest are kept. */
  run_cli (fixture, &first, url,
           (const char *[]) { "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (first.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (first.json,
                                                                                "sync"),
                                                 "manifest_refreshed"));

  sc_test_platform_kill (fixture->platform);

  run_cli (fixture, &look, url,
           (const char *[]) { "--login", "1001:1", "--lookup", pickup, "--json", NULL });
  g_assert_cmpint (look.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (look.json,
                                                                                "login"),
                                                 "offline"));
  verdict = json_object_get_object_member (look.json, "verdict");
  g_assert_cmpstr (json_object_get_string_member (verdict, "status"), ==, "redeemable");
  g_assert_true (json_object_get_boolean_member (verdict, "offline"));

  run_cli (fixture, &redeem, url,
           (const char *[]) { "--login", "1001:1", "--redeem", pickup, "--json", NULL });
  id = offline_redemption_id (&redeem);

  /* In words: redeemed offline, sent later. */
  run_cli (fixture, &human, url,
           (const char *[]) { "--login", "1001:1", "--redeem", pickup2, NULL });
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.err, "OFFLINE"));
  g_assert_nonnull (strstr (human.out, "Redeemed OFFLINE"));
  g_assert_nonnull (strstr (human.out, "sent to the platform later"));
  line = strstr (human.out, "Redemption ID ");
  g_assert_nonnull (line);
  id2 = g_strndup (line + strlen ("Redemption ID "), 36);

  run_cli (fixture, &needs, url,
           (const char *[]) { "--login", "1001:1", "--lookup", coupon, "--json", NULL });
  g_assert_cmpint (needs.status, ==, 1);
  g_assert_cmpstr (verdict_status (&needs), ==, "needs_network");

  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);

  run_cli (fixture, &sync, url,
           (const char *[]) { "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (sync.status, ==, 0);
  synced = sync_list (&sync, "synced");
  g_assert_cmpuint (json_array_get_length (synced), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (synced, 0),
                                                  "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (synced, 1),
                                                  "id"), ==, id2);
  g_assert_cmpuint (json_array_get_length (sync_list (&sync, "conflicts")), ==, 0);
  g_assert_cmpuint (json_array_get_length (sync_list (&sync, "pending")), ==, 0);
  assert_redeemed_once (fixture, id, pickup);
  assert_redeemed_once (fixture, id2, pickup2);

  /* Nothing more to send. */
  run_cli (fixture, &again, url, (const char *[]) { "--login", "1001:1", "--sync", NULL });
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "Synced: 0"));
  g_assert_nonnull (strstr (again.out, "Still waiting: 0"));
}

static void
test_offline_keyring (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *pickup =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 0);
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_autofree char *db = g_build_filename (fixture->tmpdir, "other.db", NULL);
  g_auto(Run) first = { 0 };
  g_auto(Run) look = { 0 };
  g_auto(Run) keyless_first = { 0 };
  g_auto(Run) keyless = { 0 };
  g_autoptr(GError) error = NULL;

  g_test_summary ("The store's key goes to the keyring, never to the database: a later run "
                  "with the platform away finds it there and checks the PIN and a pickup code "
                  "offline; without a keyring the CLI says the next run cannot, and that run "
                  "says why it cannot log in offline");

  run_cli (fixture, &first, url,
           (const char *[]) { "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (first.status, ==, 0);
  g_assert_null (strstr (first.err, "No keyring"));

  /* Without a session bus: memory only, and said. */
  fixture->no_bus = TRUE;
  run_cli (fixture, &keyless_first, url,
           (const char *[]) { "--db", db, "--login", "1001:1", "--sync", NULL });
  g_assert_cmpint (keyless_first.status, ==, 0);
  g_assert_nonnull (strstr (keyless_first.err, "No keyring"));

  sc_test_platform_kill (fixture->platform);

  run_cli (fixture, &keyless, url,
           (const char *[]) { "--db", db, "--login", "1001:1", "--lookup", pickup, NULL });
  g_assert_cmpint (keyless.status, ==, 2);
  g_assert_nonnull (strstr (keyless.err, "keyring"));
  g_assert_null (strstr (keyless.err, "Wrong PIN"));

  fixture->no_bus = FALSE;
  run_cli (fixture, &look, url,
           (const char *[]) { "--login", "1001:1", "--lookup", pickup, "--json", NULL });
  g_assert_cmpint (look.status, ==, 0);
  g_assert_cmpstr (verdict_status (&look), ==, "redeemable");

  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
}

static gpointer
local_redemption_job (ScDb     *db,
                      gpointer  job_data,
                      GError  **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT id, code, state, reason FROM redemptions "
                                          "WHERE id = ?1", error);
  g_autoptr(ScRedemption) r = g_new0 (ScRedemption, 1);
  g_autofree char *state = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, job_data, -1, SQLITE_TRANSIENT);
  if (sc_db_step (db, stmt, error) != SQLITE_ROW)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND, "no such redemption");
      return NULL;
    }
  r->id = sc_db_column_dup_text (stmt, 0);
  r->code = sc_db_column_dup_text (stmt, 1);
  state = sc_db_column_dup_text (stmt, 2);
  r->reason = sc_db_column_dup_text (stmt, 3);
  sqlite3_reset (stmt);
  g_assert_true (sc_redemption_state_from_string (state, &r->state));
  return g_steal_pointer (&r);
}

static ScRedemption *
local_redemption (const char *db_path,
                  const char *id)
{
  g_autoptr(ScCache) cache = sc_cache_new (db_path);
  g_autoptr(GError) error = NULL;
  ScRedemption *r;

  g_assert_true (sc_db_open_sync (sc_cache_get_db (cache), &error));
  g_assert_no_error (error);
  r = sc_db_run_sync (sc_cache_get_db (cache), SC_DB_JOB_READ, local_redemption_job,
                      (gpointer) id, &error);
  g_assert_no_error (error);
  return r;
}

static void
test_offline_conflict (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *pickup =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 2);
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_autofree char *other_db = g_build_filename (fixture->tmpdir, "other.db", NULL);
  g_autofree char *this_db = g_build_filename (fixture->tmpdir, "this.db", NULL);
  g_autofree char *id = NULL;
  g_autofree char *other_id = NULL;
  g_autoptr(ScRedemption) row = NULL;
  g_auto(Run) first = { 0 };
  g_auto(Run) offline = { 0 };
  g_auto(Run) other = { 0 };
  g_auto(Run) sync = { 0 };
  g_auto(Run) human = { 0 };
  g_autoptr(GError) error = NULL;
  JsonArray *conflicts;
  JsonObject *conflict;
  JsonObject *redeemed;

  g_test_summary ("Redeemed offline here and online at another counter meanwhile: --sync "
                  "reports the conflict with the platform's where and when, and the local "
                  "log keeps it as a conflict");

  run_cli (fixture, &first, url,
           (const char *[]) { "--db", this_db, "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (first.status, ==, 0);

  sc_test_platform_kill (fixture->platform);
  run_cli (fixture, &offline, url,
           (const char *[]) { "--db", this_db, "--login", "1001:1", "--redeem", pickup,
                              "--json", NULL });
  g_assert_cmpint (offline.status, ==, 0);
  id = g_strdup (json_object_get_string_member (json_object_get_object_member (offline.json,
                                                                               "redemption"),
                                                "id"));
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);

  /* The second counter, clerk 2, online. */
  run_cli (fixture, &other, url,
           (const char *[]) { "--db", other_db, "--login", "1001:2", "--redeem", pickup,
                              "--json", NULL });
  g_assert_cmpint (other.status, ==, 0);
  other_id = g_strdup (json_object_get_string_member (json_object_get_object_member (other.json,
                                                                                     "redemption"),
                                                      "id"));

  run_cli (fixture, &sync, url,
           (const char *[]) { "--db", this_db, "--login", "1001:1", "--sync", "--json", NULL });
  /* Nothing left waiting: the conflict is settled (as a conflict). */
  g_assert_cmpint (sync.status, ==, 0);
  conflicts = sync_list (&sync, "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  conflict = json_array_get_object_element (conflicts, 0);
  g_assert_cmpstr (json_object_get_string_member (conflict, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (conflict, "code"), ==, pickup);
  g_assert_cmpstr (json_object_get_string_member (conflict, "state"), ==, "conflict");
  redeemed = json_object_get_object_member (conflict, "redeemed");
  g_assert_nonnull (redeemed);
  g_assert_cmpstr (json_object_get_string_member (redeemed, "redemption_id"), ==, other_id);
  g_assert_true (json_object_has_member (redeemed, "at"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (redeemed,
                                                                                 "store"),
                                                  "name"), ==, "示范自提点");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (redeemed,
                                                                                 "clerk"),
                                                  "id"), ==, "2");
  g_assert_cmpuint (json_array_get_length (sync_list (&sync, "synced")), ==, 0);

  row = local_redemption (this_db, id);
  g_assert_cmpint (row->state, ==, SC_REDEMPTION_STATE_CONFLICT);
  g_assert_nonnull (row->reason);

  /* The platform kept the other one only. */
  g_assert_cmpuint (sc_test_platform_redemption (fixture->platform, "2", id, NULL), ==, 404);

  /* A second --sync has nothing more; in words it is not repeated. */
  run_cli (fixture, &human, url,
           (const char *[]) { "--db", this_db, "--login", "1001:1", "--sync", NULL });
  g_assert_cmpint (human.status, ==, 0);
  g_assert_null (strstr (human.out, "Conflicts"));
}

/* The platform's record of redemption @id: its HTTP status, and the clerk
 * it credits in @out_clerk (nullable). */
static guint
platform_record (Fixture     *fixture,
                 const char  *id,
                 char       **out_clerk)
{
  g_autoptr(JsonObject) answer = NULL;
  guint status = sc_test_platform_redemption (fixture->platform, "1", id, &answer);

  if (out_clerk != NULL)
    *out_clerk = status == 200 ? g_strdup (json_object_get_string_member (answer, "clerk_id"))
                               : NULL;
  return status;
}

/* The platform's status of @payload for store 1001. */
static char *
platform_code_status (Fixture    *fixture,
                      const char *payload)
{
  g_autofree char *body = g_strdup_printf ("{\"payload\": \"%s\"}", payload);
  g_autoptr(JsonObject) looked = NULL;
  guint status = 0;

  looked = platform_get (fixture, "POST", "/v1/codes/lookup", body, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (json_object_get_string_member (looked, "status"));
}

/* Redeems @payload as clerk 1 of store 1001 with the platform down (after an
 * online login on @db at @url); the platform is up again afterwards. */
static char *
redeem_offline (Fixture    *fixture,
                const char *url,
                const char *db,
                const char *payload)
{
  g_auto(Run) offline = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  sc_test_platform_kill (fixture->platform);
  run_cli (fixture, &offline, url,
           (const char *[]) { "--db", db, "--login", "1001:1", "--redeem", payload, "--json",
                              NULL });
  id = offline_redemption_id (&offline);
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

/* The one pending item of a --sync --json run, with its owner. */
static void
assert_one_waiting (Run        *run,
                    const char *id,
                    const char *store,
                    const char *clerk,
                    gboolean    same_platform)
{
  JsonArray *pending = sync_list (run, "pending");
  JsonObject *item;

  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpuint (json_array_get_length (sync_list (run, "synced")), ==, 0);
  g_assert_cmpuint (json_array_get_length (sync_list (run, "rejected")), ==, 0);
  g_assert_cmpuint (json_array_get_length (sync_list (run, "conflicts")), ==, 0);
  g_assert_cmpuint (json_array_get_length (pending), ==, 1);
  item = json_array_get_object_element (pending, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (item, "state"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (item, "store_id"), ==, store);
  g_assert_cmpstr (json_object_get_string_member (item, "clerk_id"), ==, clerk);
  g_assert_false (json_object_get_boolean_member (item, "sendable"));
  g_assert_true (json_object_get_boolean_member (item, "same_platform") == same_platform);
}

static void
test_sync_owner (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *pickup =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 4);
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_autofree char *db = g_build_filename (fixture->tmpdir, "counter.db", NULL);
  g_autofree char *id = NULL;
  g_autofree char *clerk = NULL;
  g_autofree char *status = NULL;
  g_autoptr(ScRedemption) row = NULL;
  g_auto(Run) first = { 0 };
  g_auto(Run) other_store = { 0 };
  g_auto(Run) other_store_words = { 0 };
  g_auto(Run) other_clerk = { 0 };
  g_auto(Run) owner = { 0 };

  g_test_summary ("Issue 9 row 2: redeemed offline by clerk 1 of store 1001; a --sync by "
                  "1002:1 or by 1001:2 on the same database sends nothing, leaves it "
                  "waiting, says for whom and exits 2; the platform still has no record and "
                  "the code stays redeemable; 1001:1's --sync sends it, credited to clerk 1");

  run_cli (fixture, &first, url,
           (const char *[]) { "--db", db, "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (first.status, ==, 0);
  id = redeem_offline (fixture, url, db, pickup);

  /* Another store. */
  run_cli (fixture, &other_store, url,
           (const char *[]) { "--db", db, "--login", "1002:1", "--sync", "--json", NULL });
  assert_one_waiting (&other_store, id, "1001", "1", TRUE);
  g_assert_cmpuint (platform_record (fixture, id, NULL), ==, 404);
  status = platform_code_status (fixture, pickup);
  g_assert_cmpstr (status, ==, "redeemable");
  row = local_redemption (db, id);
  g_assert_cmpint (row->state, ==, SC_REDEMPTION_STATE_PENDING);
  g_clear_pointer (&row, sc_redemption_free);

  /* In words. */
  run_cli (fixture, &other_store_words, url,
           (const char *[]) { "--db", db, "--login", "1002:1", "--sync", NULL });
  g_assert_cmpint (other_store_words.status, ==, 2);
  g_assert_nonnull (strstr (other_store_words.out, "Waiting for 1001:1 on this platform: 1"));
  g_assert_null (strstr (other_store_words.out, "Rejected"));

  /* Another clerk of the same store. */
  run_cli (fixture, &other_clerk, url,
           (const char *[]) { "--db", db, "--login", "1001:2", "--sync", "--json", NULL });
  assert_one_waiting (&other_clerk, id, "1001", "1", TRUE);
  g_assert_cmpuint (platform_record (fixture, id, NULL), ==, 404);
  g_clear_pointer (&status, g_free);
  status = platform_code_status (fixture, pickup);
  g_assert_cmpstr (status, ==, "redeemable");

  /* Its own clerk. */
  run_cli (fixture, &owner, url,
           (const char *[]) { "--db", db, "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (owner.status, ==, 0);
  g_assert_cmpuint (json_array_get_length (sync_list (&owner, "synced")), ==, 1);
  g_assert_cmpuint (json_array_get_length (sync_list (&owner, "pending")), ==, 0);
  g_assert_cmpuint (platform_record (fixture, id, &clerk), ==, 200);
  g_assert_cmpstr (clerk, ==, "1");
  row = local_redemption (db, id);
  g_assert_cmpint (row->state, ==, SC_REDEMPTION_STATE_SYNCED);
}

/* Restarts the platform on its database on a port of its own choosing. */
static void
restart_on_new_port (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_url = g_strdup (fixture->platform->url);

  sc_test_platform_kill (fixture->platform);
  g_free (fixture->platform->url);
  fixture->platform->url = g_strdup ("http://127.0.0.1:0");
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->platform->url, !=, old_url);
}

/* Kills the platform and starts another one (a new database, so another
 * platform id) at the same address; returns the first one's database. */
static char *
replace_platform (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup (fixture->platform->url);
  char *first_db = g_strdup (fixture->platform->db_path);

  sc_test_platform_kill (fixture->platform);
  g_free (fixture->platform->db_path);
  fixture->platform->db_path = g_build_filename (fixture->tmpdir, "second-platform.db", NULL);
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->platform->url, ==, url);
  return first_db;
}

static void
test_sync_platform_id (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *pickup =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 5);
  g_autofree char *pickup2 =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 6);
  g_autofree char *db = g_build_filename (fixture->tmpdir, "counter.db", NULL);
  g_autofree char *first_db = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *clerk = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) first = { 0 };
  g_auto(Run) moved = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) second_words = { 0 };
  g_auto(Run) back = { 0 };

  g_test_summary ("Outbox rows belong to the platform they were made with, known by the id "
                  "it reports: the same platform restarted on another port (same database) "
                  "gets them; another platform at the same address does not (exit 2, "
                  "nothing sent there); the first one, back, does");

  run_cli (fixture, &first, fixture->platform->url,
           (const char *[]) { "--db", db, "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (first.status, ==, 0);
  id = redeem_offline (fixture, fixture->platform->url, db, pickup);

  /* The same platform, at another address. */
  restart_on_new_port (fixture);
  run_cli (fixture, &moved, fixture->platform->url,
           (const char *[]) { "--db", db, "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (moved.status, ==, 0);
  g_assert_cmpuint (json_array_get_length (sync_list (&moved, "synced")), ==, 1);
  g_assert_cmpuint (platform_record (fixture, id, &clerk), ==, 200);
  g_assert_cmpstr (clerk, ==, "1");

  /* Redeemed offline there, then another platform answers at that address. */
  url = g_strdup (fixture->platform->url);
  id2 = redeem_offline (fixture, url, db, pickup2);
  first_db = replace_platform (fixture);
  run_cli (fixture, &second, url,
           (const char *[]) { "--db", db, "--login", "1001:1", "--sync", "--json", NULL });
  assert_one_waiting (&second, id2, "1001", "1", FALSE);
  g_assert_cmpuint (platform_record (fixture, id2, NULL), ==, 404);
  run_cli (fixture, &second_words, url,
           (const char *[]) { "--db", db, "--login", "1001:1", "--sync", NULL });
  g_assert_cmpint (second_words.status, ==, 2);
  g_assert_nonnull (strstr (second_words.out, "Waiting for 1001:1 on another platform: 1"));

  /* The first platform, back at that address. */
  sc_test_platform_kill (fixture->platform);
  g_free (fixture->platform->db_path);
  fixture->platform->db_path = g_steal_pointer (&first_db);
  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->platform->url, ==, url);
  run_cli (fixture, &back, url,
           (const char *[]) { "--db", db, "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (back.status, ==, 0);
  g_assert_cmpuint (json_array_get_length (sync_list (&back, "synced")), ==, 1);
  g_clear_pointer (&clerk, g_free);
  g_assert_cmpuint (platform_record (fixture, id2, &clerk), ==, 200);
  g_assert_cmpstr (clerk, ==, "1");
}

static void
test_clock_warning (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *pickup =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 3);
  g_auto(Run) ahead = { 0 };
  g_auto(Run) ahead_json = { 0 };
  g_auto(Run) right = { 0 };

  g_test_summary ("The CLI warns on standard error when this clock is more than 2 minutes "
                  "off the platform's, and not otherwise");

  sc_test_platform_set_clock (fixture->platform, 300);
  run_cli (fixture, &ahead, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--lookup", pickup, NULL });
  g_assert_cmpint (ahead.status, ==, 0);
  /* 5 min, give or take the time the health check took. */
  g_assert_nonnull (strstr (ahead.err, "Warning: this computer’s clock is "));
  g_assert_nonnull (strstr (ahead.err, " s behind the platform’s"));
  g_assert_true (strstr (ahead.err, "is 5 min 0") != NULL ||
                 strstr (ahead.err, "is 4 min 5") != NULL);
  g_assert_null (strstr (ahead.out, "Warning"));

  run_cli (fixture, &ahead_json, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--lookup", pickup, "--json", NULL });
  g_assert_cmpint (json_object_get_int_member (ahead_json.json, "clock_skew_s"), >=, 297);
  g_assert_cmpint (json_object_get_int_member (ahead_json.json, "clock_skew_s"), <=, 303);
  g_assert_nonnull (strstr (ahead_json.err, "Warning"));

  sc_test_platform_set_clock (fixture->platform, 0);
  run_cli (fixture, &right, fixture->platform->url,
           (const char *[]) { "--login", "1001:1", "--lookup", pickup, NULL });
  g_assert_cmpint (right.status, ==, 0);
  g_assert_null (strstr (right.err, "Warning"));
}

/* The "platform-url" setting, as Preferences keeps it, in the keyfile the
 * runs read. */
static void
set_platform_url_setting (Fixture    *fixture,
                          const char *url)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *value = g_strdup_printf ("'%s'", url);

  g_free (fixture->config_home);
  fixture->config_home = g_build_filename (fixture->tmpdir, "config", NULL);
  dir = g_build_filename (fixture->config_home, "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  path = g_build_filename (dir, "keyfile", NULL);
  g_key_file_set_string (keyfile, "io/github/storecounter/StoreCounter", "platform-url", value);
  g_key_file_save_to_file (keyfile, path, &error);
  g_assert_no_error (error);
}

static void
test_platform_url_setting (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *payload =
    sc_test_platform_demo_code (fixture->platform, "redeemable", "pickup", 0);
  g_autofree char *said = g_strdup_printf ("Platform address: %s\n", fixture->platform->url);
  g_autofree char *dead_url = NULL;
  g_autofree char *dead_said = NULL;
  g_auto(Run) set = { 0 };
  g_auto(Run) human = { 0 };
  g_auto(Run) overridden = { 0 };
  g_auto(Run) dead = { 0 };

  g_test_summary ("Without --platform-url the command line uses the platform-url setting, "
                  "as the window does, and says on standard error which address it used; "
                  "--platform-url wins over the setting");

  set_platform_url_setting (fixture, fixture->platform->url);
  run_cli (fixture, &set, NULL,
           (const char *[]) { "--login", "1001:1", "--lookup", payload, "--json", NULL });
  g_assert_cmpint (set.status, ==, 0);
  g_assert_cmpstr (verdict_status (&set), ==, "redeemable");
  g_assert_nonnull (strstr (set.err, said));
  /* stdout is the answer alone. */
  g_assert_null (strstr (set.out, "Platform address"));

  run_cli (fixture, &human, NULL,
           (const char *[]) { "--login", "1001:1", "--lookup", payload, NULL });
  g_assert_cmpint (human.status, ==, 0);
  g_assert_true (g_str_has_prefix (human.out, "Redeemable"));
  g_assert_nonnull (strstr (human.err, said));

  /* The command line wins: the setting's platform is not asked. */
  dead_url = g_strdup (fixture->platform->url);
  set_platform_url_setting (fixture, "http://127.0.0.1:9");
  run_cli (fixture, &overridden, dead_url,
           (const char *[]) { "--login", "1001:1", "--lookup", payload, "--json", NULL });
  g_assert_cmpint (overridden.status, ==, 0);
  g_assert_cmpstr (verdict_status (&overridden), ==, "redeemable");
  g_assert_nonnull (strstr (overridden.err, said));

  /* And a setting that points nowhere is where the run goes. */
  dead_said = g_strdup ("Platform address: http://127.0.0.1:9\n");
  run_cli (fixture, &dead, NULL,
           (const char *[]) { "--login", "1001:1", "--lookup", payload, NULL });
  g_assert_cmpint (dead.status, ==, 2);
  g_assert_nonnull (strstr (dead.err, dead_said));
  g_assert_nonnull (strstr (dead.err, "The platform program is not running on this computer"));
}

/* The order ids of the --json answer's "orders" array @orders. */
static char *
order_ids (JsonArray *orders)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (orders); i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? "," : "",
                            json_object_get_string_member (
                              json_array_get_object_element (orders, i), "order_id"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
test_orders (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_autofree char *d_minus2 = sc_test_store_day (-2);
  g_auto(Run) by_name = { 0 };
  g_auto(Run) text = { 0 };
  g_auto(Run) partial = { 0 };
  g_auto(Run) dated = { 0 };
  g_auto(Run) none = { 0 };
  g_auto(Run) bad_status = { 0 };
  g_auto(Run) bad_day = { 0 };
  JsonArray *orders;
  JsonObject *so3 = NULL;
  g_autofree char *ids = NULL;

  g_test_summary ("--orders QUERY lists the matching orders with their lines, as JSON and as "
                  "text a clerk reads; --status and --from/--to filter; no match is exit 1; a "
                  "bad status or day is a usage error, exit 2");

  run_cli (fixture, &by_name, url,
           (const char *[]) { "--login", "1001:1", "--orders", "王*明", "--json", NULL });
  g_assert_cmpint (by_name.status, ==, 0);
  orders = json_object_get_array_member (by_name.json, "orders");
  g_assert_cmpuint (json_array_get_length (orders), ==, 3);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      g_assert_cmpstr (json_object_get_string_member (order, "customer_masked"), ==, "王*明");
      g_assert_cmpstr (json_object_get_string_member (order, "phone_tail"), ==, "5201");
      if (g_str_equal (json_object_get_string_member (order, "order_id"), "SO900003"))
        so3 = order;
    }
  g_assert_nonnull (so3);
  g_assert_cmpstr (json_object_get_string_member (so3, "status"), ==, "partially_picked_up");
  g_assert_cmpint (json_object_get_int_member (
                     json_array_get_object_element (json_object_get_array_member (so3, "items"),
                                                    0), "remaining_qty"), ==, 0);

  run_cli (fixture, &text, url,
           (const char *[]) { "--login", "1001:1", "--orders", "SO900003", NULL });
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "SO900003"));
  g_assert_nonnull (strstr (text.out, "王*明"));
  g_assert_nonnull (strstr (text.out, "tail 5201"));
  g_assert_nonnull (strstr (text.out, "Partially picked up"));
  g_assert_nonnull (strstr (text.out, "line 1:"));
  g_assert_nonnull (strstr (text.out, "left 0"));
  g_assert_nonnull (strstr (text.out, "1 order\n"));

  run_cli (fixture, &partial, url,
           (const char *[]) { "--login", "1001:1", "--orders", "", "--status",
                              "partially_picked_up", "--json", NULL });
  g_assert_cmpint (partial.status, ==, 0);
  ids = order_ids (json_object_get_array_member (partial.json, "orders"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (partial.json,
                                                                         "orders")), ==, 2);
  g_assert_nonnull (strstr (ids, "SO900003"));
  g_assert_nonnull (strstr (ids, "SO900005"));

  run_cli (fixture, &dated, url,
           (const char *[]) { "--login", "1001:1", "--orders", "", "--status", "expired",
                              "--from", d_minus2, "--to", d_minus2, "--json", NULL });
  g_assert_cmpint (dated.status, ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (dated.json, "orders")),
                    ==, 10);

  run_cli (fixture, &none, url,
           (const char *[]) { "--login", "1001:1", "--orders", "nobody-by-that-name", NULL });
  g_assert_cmpint (none.status, ==, 1);
  g_assert_nonnull (strstr (none.out, "No orders found"));

  run_cli (fixture, &bad_status, url,
           (const char *[]) { "--login", "1001:1", "--orders", "", "--status", "lost", NULL });
  g_assert_cmpint (bad_status.status, ==, 2);
  g_assert_nonnull (strstr (bad_status.err, "“lost” is not an order status"));

  run_cli (fixture, &bad_day, url,
           (const char *[]) { "--login", "1001:1", "--orders", "", "--from", "2026-02-30",
                              "--json", NULL });
  g_assert_cmpint (bad_day.status, ==, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (bad_day.json, "error"), "message"),
                            "2026-02-30"));
}

/* The created_at of @household's orders go down (newest first). */
static void
assert_newest_first (JsonObject *household)
{
  JsonArray *orders = json_object_get_array_member (household, "orders");

  for (guint i = 1; i < json_array_get_length (orders); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (orders,
                                                                                   i - 1),
                                                    "created_at"), >=,
                     json_object_get_string_member (json_array_get_object_element (orders, i),
                                                    "created_at"));
}

static void
test_household (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_auto(Run) json = { 0 };
  g_auto(Run) text = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) unknown_json = { 0 };
  g_auto(Run) bad = { 0 };
  JsonArray *households;
  JsonObject *wang;
  JsonObject *li;
  g_autofree char *wang_ids = NULL;
  g_autofree char *li_ids = NULL;

  g_test_summary ("--household TAIL: the open orders of a tail by household, two households "
                  "on one tail kept apart (王*明: 3 orders, 李*华: 2), each newest first; an "
                  "unknown tail is exit 1; a tail that is not 4 digits exit 2");

  run_cli (fixture, &json, url,
           (const char *[]) { "--login", "1001:1", "--household", "5201", "--json", NULL });
  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json.json, "tail"), ==, "5201");
  households = json_object_get_array_member (json.json, "households");
  g_assert_cmpuint (json_array_get_length (households), ==, 2);
  wang = json_array_get_object_element (households, 0);
  li = json_array_get_object_element (households, 1);
  if (g_str_equal (json_object_get_string_member (wang, "customer_masked"), "李*华"))
    {
      JsonObject *swap = wang;

      wang = li;
      li = swap;
    }
  g_assert_cmpstr (json_object_get_string_member (wang, "customer_masked"), ==, "王*明");
  g_assert_cmpstr (json_object_get_string_member (li, "customer_masked"), ==, "李*华");
  g_assert_cmpstr (json_object_get_string_member (wang, "recipient_id"), !=,
                   json_object_get_string_member (li, "recipient_id"));
  wang_ids = order_ids (json_object_get_array_member (wang, "orders"));
  li_ids = order_ids (json_object_get_array_member (li, "orders"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (wang, "orders")), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (li, "orders")), ==, 2);
  g_assert_nonnull (strstr (wang_ids, "SO900001"));
  g_assert_nonnull (strstr (wang_ids, "SO900002"));
  g_assert_nonnull (strstr (wang_ids, "SO900003"));
  g_assert_nonnull (strstr (li_ids, "SO900004"));
  g_assert_nonnull (strstr (li_ids, "SO900005"));
  assert_newest_first (wang);
  assert_newest_first (li);

  run_cli (fixture, &text, url,
           (const char *[]) { "--login", "1001:1", "--household", "5201", NULL });
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "2 households have phone tail 5201"));
  g_assert_nonnull (strstr (text.out, "王*明 (tail 5201): 3 open orders"));
  g_assert_nonnull (strstr (text.out, "李*华 (tail 5201): 2 open orders"));
  g_assert_nonnull (strstr (text.out, "SO900004"));

  run_cli (fixture, &unknown, url,
           (const char *[]) { "--login", "1001:1", "--household", "0000", NULL });
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.out, "No open orders under phone tail 0000"));

  run_cli (fixture, &unknown_json, url,
           (const char *[]) { "--login", "1001:1", "--household", "0000", "--json", NULL });
  g_assert_cmpint (unknown_json.status, ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (unknown_json.json,
                                                                         "households")), ==, 0);

  run_cli (fixture, &bad, url,
           (const char *[]) { "--login", "1001:1", "--household", "52a1", NULL });
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "not a phone tail"));
}

static void
test_orders_platform_down (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_auto(Run) first = { 0 };
  g_auto(Run) household = { 0 };
  g_auto(Run) orders = { 0 };
  g_auto(Run) missing = { 0 };
  g_autoptr(GError) error = NULL;

  g_test_summary ("With the platform away (an offline login from the keyring's key), "
                  "--household, --orders and --missing say the order list needs the "
                  "platform: exit 2");

  run_cli (fixture, &first, url,
           (const char *[]) { "--login", "1001:1", "--household", "5201", NULL });
  g_assert_cmpint (first.status, ==, 0);

  sc_test_platform_kill (fixture->platform);

  run_cli (fixture, &household, url,
           (const char *[]) { "--login", "1001:1", "--household", "5201", NULL });
  g_assert_cmpint (household.status, ==, 2);
  g_assert_nonnull (strstr (household.err, "The order list needs the platform"));

  run_cli (fixture, &orders, url,
           (const char *[]) { "--login", "1001:1", "--orders", "SO900001", "--json", NULL });
  g_assert_cmpint (orders.status, ==, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (orders.json, "error"), "message"),
                            "The order list needs the platform"));

  run_cli (fixture, &missing, url,
           (const char *[]) { "--login", "1001:1", "--missing", "SO900001:1:1", "--reason",
                              "missing", NULL });
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "The order list needs the platform"));

  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);
}

/* The code of seeded order @order_id, and the order as the platform has it
 * now (as clerk 2). */
static JsonObject *
platform_order (Fixture    *fixture,
                const char *order_id)
{
  g_autofree char *token = sc_test_platform_login (fixture->platform, "1001", "2", NULL);
  g_autofree char *path = g_strdup_printf ("/v1/orders/%s", order_id);

  g_assert_nonnull (token);
  return sc_test_platform_call (fixture->platform, "GET", path, token, NULL, NULL, 200);
}

/* The picked_qty of line @line_id of @order. */
static gint64
picked_of (JsonObject *order,
           const char *line_id)
{
  JsonArray *items = json_object_get_array_member (order, "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (item, "line_id"), line_id))
        return json_object_get_int_member (item, "picked_qty");
    }
  g_assert_not_reached ();
}

/* The platform's record of @id has exactly @lines ("1:2,2:1"). */
static void
assert_record_lines (Fixture    *fixture,
                     const char *id,
                     const char *lines)
{
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;

  g_assert_cmpuint (sc_test_platform_redemption (fixture->platform, "1", id, &record), ==, 200);
  array = json_object_get_array_member (record, "lines");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *line = json_array_get_object_element (array, i);

      g_string_append_printf (text, "%s%s:%" G_GINT64_FORMAT, i > 0 ? "," : "",
                              json_object_get_string_member (line, "line_id"),
                              json_object_get_int_member (line, "qty"));
    }
  g_assert_cmpstr (text->str, ==, lines);
}

/* How many redemptions of @code the platform has (admin listing). */
static guint
platform_redemptions_of (Fixture    *fixture,
                         const char *code)
{
  g_autoptr(JsonObject) listing = sc_test_platform_admin (fixture->platform, "GET",
                                                          "/v1/admin/redemptions?store_id=1001",
                                                          NULL, 200);
  JsonArray *all = json_object_get_array_member (listing, "redemptions");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (all); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (all, i),
                                                    "code"), code))
      n++;
  return n;
}

static void
test_partial_online (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) before = platform_order (fixture, "SO900001");
  g_autofree char *code = g_strdup (json_object_get_string_member (before, "code"));
  g_autoptr(JsonObject) middle = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_auto(Run) first = { 0 };
  g_auto(Run) look = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) third = { 0 };
  g_auto(Run) too_many = { 0 };
  g_auto(Run) bad = { 0 };
  JsonObject *redemption;
  JsonArray *items;

  g_test_summary ("--redeem CODE --lines: a partial pickup online in two steps; the first "
                  "leaves the order partially picked up and its code redeemable with the "
                  "rest, the second closes it; lines beyond what is left are refused");

  run_cli (fixture, &first, url,
           (const char *[]) { "--login", "1001:1", "--redeem", code, "--lines", "1:1",
                              "--json", NULL });
  g_assert_cmpint (first.status, ==, 0);
  redemption = json_object_get_object_member (first.json, "redemption");
  g_assert_cmpstr (json_object_get_string_member (redemption, "state"), ==, "synced");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (redemption, "lines")),
                    ==, 1);
  assert_record_lines (fixture, json_object_get_string_member (redemption, "id"), "1:1");

  middle = platform_order (fixture, "SO900001");
  g_assert_cmpstr (json_object_get_string_member (middle, "status"), ==, "partially_picked_up");
  g_assert_cmpint (picked_of (middle, "1"), ==, 1);
  g_assert_cmpint (picked_of (middle, "2"), ==, 0);

  /* The lookup offers what is left. */
  run_cli (fixture, &look, url,
           (const char *[]) { "--login", "1001:1", "--lookup", code, "--json", NULL });
  g_assert_cmpint (look.status, ==, 0);
  items = json_object_get_array_member (
    json_object_get_object_member (json_object_get_object_member (look.json, "verdict"),
                                   "order"), "items");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0),
                                               "remaining_qty"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 1),
                                               "remaining_qty"), ==, 2);

  run_cli (fixture, &too_many, url,
           (const char *[]) { "--login", "1001:1", "--redeem", code, "--lines", "2:3", NULL });
  g_assert_cmpint (too_many.status, ==, 2);
  g_assert_nonnull (strstr (too_many.err, "has 2 left, not 3"));

  run_cli (fixture, &bad, url,
           (const char *[]) { "--login", "1001:1", "--redeem", code, "--lines", "2", NULL });
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "is not LINE:QTY"));

  run_cli (fixture, &second, url,
           (const char *[]) { "--login", "1001:1", "--redeem", code, "--lines", "2:2",
                              "--json", NULL });
  g_assert_cmpint (second.status, ==, 0);
  after = platform_order (fixture, "SO900001");
  g_assert_cmpstr (json_object_get_string_member (after, "status"), ==, "picked_up");
  g_assert_cmpint (picked_of (after, "1"), ==, 1);
  g_assert_cmpint (picked_of (after, "2"), ==, 2);
  g_assert_cmpuint (platform_redemptions_of (fixture, code), ==, 2);

  run_cli (fixture, &third, url,
           (const char *[]) { "--login", "1001:1", "--redeem", code, "--json", NULL });
  g_assert_cmpint (third.status, ==, 1);
  g_assert_cmpstr (verdict_status (&third), ==, "redeemed");
}

static void
test_partial_offline (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) before = platform_order (fixture, "SO900002");
  g_autofree char *code = g_strdup (json_object_get_string_member (before, "code"));
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_autofree char *id1 = NULL;
  g_autofree char *id2 = NULL;
  g_auto(Run) first = { 0 };
  g_auto(Run) part1 = { 0 };
  g_auto(Run) look = { 0 };
  g_auto(Run) part2 = { 0 };
  g_auto(Run) closed = { 0 };
  g_auto(Run) sync = { 0 };
  g_auto(Run) again = { 0 };
  g_autoptr(GError) error = NULL;
  JsonArray *synced;

  g_test_summary ("A partial pickup in two steps with the platform down: each saved with its "
                  "lines before it says done, the offline lookup offers what is left and then "
                  "nothing; --sync later sends each once, and the platform has each line "
                  "picked exactly once");

  run_cli (fixture, &first, url,
           (const char *[]) { "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (first.status, ==, 0);

  sc_test_platform_kill (fixture->platform);

  run_cli (fixture, &part1, url,
           (const char *[]) { "--login", "1001:1", "--redeem", code, "--lines", "1:2",
                              "--json", NULL });
  id1 = offline_redemption_id (&part1);

  run_cli (fixture, &look, url,
           (const char *[]) { "--login", "1001:1", "--lookup", code, "--json", NULL });
  g_assert_cmpint (look.status, ==, 0);
  g_assert_cmpstr (verdict_status (&look), ==, "redeemable");

  run_cli (fixture, &part2, url,
           (const char *[]) { "--login", "1001:1", "--redeem", code, "--lines", "2:3,3:1",
                              "--json", NULL });
  g_assert_cmpint (part2.status, ==, 0);
  id2 = g_strdup (json_object_get_string_member (
                    json_object_get_object_member (part2.json, "redemption"), "id"));

  /* Nothing left offline either. */
  run_cli (fixture, &closed, url,
           (const char *[]) { "--login", "1001:1", "--lookup", code, "--json", NULL });
  g_assert_cmpint (closed.status, ==, 1);
  g_assert_cmpstr (verdict_status (&closed), ==, "redeemed");

  g_assert_true (sc_test_platform_restart (fixture->platform, &error));
  g_assert_no_error (error);

  run_cli (fixture, &sync, url,
           (const char *[]) { "--login", "1001:1", "--sync", "--json", NULL });
  g_assert_cmpint (sync.status, ==, 0);
  synced = sync_list (&sync, "synced");
  g_assert_cmpuint (json_array_get_length (synced), ==, 2);
  g_assert_cmpuint (json_array_get_length (sync_list (&sync, "conflicts")), ==, 0);

  assert_record_lines (fixture, id1, "1:2");
  assert_record_lines (fixture, id2, "2:3,3:1");
  g_assert_cmpuint (platform_redemptions_of (fixture, code), ==, 2);
  after = platform_order (fixture, "SO900002");
  g_assert_cmpstr (json_object_get_string_member (after, "status"), ==, "picked_up");
  g_assert_cmpint (picked_of (after, "1"), ==, 2);
  g_assert_cmpint (picked_of (after, "2"), ==, 3);
  g_assert_cmpint (picked_of (after, "3"), ==, 1);

  run_cli (fixture, &again, url, (const char *[]) { "--login", "1001:1", "--sync", NULL });
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "Synced: 0"));
  g_assert_cmpuint (platform_redemptions_of (fixture, code), ==, 2);
}

static void
test_missing_mark (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *url = g_strdup (fixture->platform->url);
  g_autoptr(JsonObject) after = NULL;
  g_auto(Run) mark = { 0 };
  g_auto(Run) text = { 0 };
  g_auto(Run) too_many = { 0 };
  g_auto(Run) no_reason = { 0 };
  g_auto(Run) bad = { 0 };
  JsonObject *order;
  JsonArray *timeline;
  const char *last_kind;

  g_test_summary ("--missing ORDER:LINE:QTY --reason: the mark is recorded on the platform "
                  "(the line's missing quantity, the timeline with reason and note); more than "
                  "is left is refused; a bad argument or no reason is a usage error");

  run_cli (fixture, &mark, url,
           (const char *[]) { "--login", "1001:1", "--missing", "SO900004:1:1", "--reason",
                              "damaged", "--note", "压坏了", "--json", NULL });
  g_assert_cmpint (mark.status, ==, 0);
  order = json_object_get_object_member (mark.json, "order");
  g_assert_cmpstr (json_object_get_string_member (order, "order_id"), ==, "SO900004");
  g_assert_cmpint (json_object_get_int_member (
                     json_array_get_object_element (json_object_get_array_member (order,
                                                                                  "items"), 0),
                     "missing_qty"), ==, 1);

  after = platform_order (fixture, "SO900004");
  timeline = json_object_get_array_member (after, "timeline");
  last_kind = json_object_get_string_member (
    json_array_get_object_element (timeline, json_array_get_length (timeline) - 1), "kind");
  g_assert_cmpstr (last_kind, ==, "missing");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (timeline,
                                                    json_array_get_length (timeline) - 1),
                     "note"), ==, "压坏了");

  run_cli (fixture, &text, url,
           (const char *[]) { "--login", "1001:1", "--missing", "SO900004:2:1", "--reason",
                              "missing", NULL });
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "Marked."));
  g_assert_nonnull (strstr (text.out, "Missing items"));

  run_cli (fixture, &too_many, url,
           (const char *[]) { "--login", "1001:1", "--missing", "SO900001:2:9", "--reason",
                              "missing", "--json", NULL });
  g_assert_cmpint (too_many.status, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (too_many.json, "error"), "code"), ==,
                   "line_not_available");

  run_cli (fixture, &no_reason, url,
           (const char *[]) { "--login", "1001:1", "--missing", "SO900001:2:1", NULL });
  g_assert_cmpint (no_reason.status, ==, 2);
  g_assert_nonnull (strstr (no_reason.err, "--reason"));

  run_cli (fixture, &bad, url,
           (const char *[]) { "--login", "1001:1", "--missing", "SO900001:2", "--reason",
                              "missing", NULL });
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "ORDER:LINE:QTY"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/cli/partial/online", Fixture, NULL, fixture_setup, test_partial_online,
              fixture_teardown);
  g_test_add ("/cli/partial/offline", Fixture, NULL, fixture_setup, test_partial_offline,
              fixture_teardown);
  g_test_add ("/cli/orders/missing", Fixture, NULL, fixture_setup, test_missing_mark,
              fixture_teardown);
  g_test_add ("/cli/orders/list", Fixture, NULL, fixture_setup, test_orders,
              fixture_teardown);
  g_test_add ("/cli/orders/household", Fixture, NULL, fixture_setup, test_household,
              fixture_teardown);
  g_test_add ("/cli/orders/platform-down", Fixture, NULL, fixture_setup,
              test_orders_platform_down, fixture_teardown);
  g_test_add ("/cli/lookup-redeem-undo", Fixture, NULL, fixture_setup,
              test_lookup_redeem_undo, fixture_teardown);
  g_test_add ("/cli/negative-and-errors", Fixture, NULL, fixture_setup,
              test_negative_and_errors, fixture_teardown);
  g_test_add ("/cli/sync", Fixture, NULL, fixture_setup,
              test_sync, fixture_teardown);
  g_test_add ("/cli/offline/redeem-then-sync", Fixture, NULL, fixture_setup,
              test_offline_redeem_then_sync, fixture_teardown);
  g_test_add ("/cli/offline/keyring", Fixture, NULL, fixture_setup,
              test_offline_keyring, fixture_teardown);
  g_test_add ("/cli/offline/conflict", Fixture, NULL, fixture_setup,
              test_offline_conflict, fixture_teardown);
  g_test_add ("/cli/sync/owner", Fixture, NULL, fixture_setup,
              test_sync_owner, fixture_teardown);
  g_test_add ("/cli/sync/platform-id", Fixture, NULL, fixture_setup,
              test_sync_platform_id, fixture_teardown);
  g_test_add ("/cli/clock-warning", Fixture, NULL, fixture_setup,
              test_clock_warning, fixture_teardown);
  g_test_add ("/cli/platform-url-setting", Fixture, NULL, fixture_setup,
              test_platform_url_setting, fixture_teardown);

  return g_test_run ();
}
