/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store-counter --decode FILE... (DESIGN §12), run as a separate process on
 * frames written by gen-frames. Built from tests/scan/meson.build, where
 * gen-frames is defined. */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sc-test-cli.h"
#include "sc-test-frames.h"

typedef struct
{
  char       *tmpdir;
  GHashTable *manifest;   /* file name -> payload, "-" for none (owned) */
} Fixture;

typedef struct
{
  int        status;
  char      *out;
  char      *err;
  JsonNode  *json;    /* (nullable) stdout parsed, for --json runs */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_pointer (&run->json, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) gen = NULL;
  g_autofree char *manifest_path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  const char *gen_bin = g_getenv ("SC_GEN_FRAMES");

  g_assert_nonnull (gen_bin);
  fixture->tmpdir = g_dir_make_tmp ("sc-test-decode-cli-XXXXXX", &error);
  g_assert_no_error (error);

  gen = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, gen_bin, fixture->tmpdir, "1", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (gen, NULL, &error));
  g_assert_no_error (error);

  manifest_path = g_build_filename (fixture->tmpdir, "manifest.tsv", NULL);
  g_assert_true (g_file_get_contents (manifest_path, &contents, NULL, &error));
  g_assert_no_error (error);
  fixture->manifest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], "\t", 2);

      if (g_strv_length (cols) == 2)
        g_hash_table_insert (fixture->manifest, g_strdup (cols[0]), g_strdup (cols[1]));
    }
  g_assert_cmpuint (g_hash_table_size (fixture->manifest), >=, 4);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->tmpdir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->tmpdir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->manifest, g_hash_table_unref);
}

/* The child's address space limit, in bytes; 0 for none. */
static rlim_t child_as_limit;

static void
limit_child (gpointer user_data)
{
  struct rlimit limit = { child_as_limit, child_as_limit };

  if (child_as_limit > 0)
    setrlimit (RLIMIT_AS, &limit);
}

/* Runs store-counter in the frames folder with @args (NULL-terminated). */
static void
run_cli (Fixture            *fixture,
         Run                *run,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    sc_test_cli_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                          G_SUBPROCESS_FLAGS_STDERR_PIPE, NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(ScTestCliRun) cli = { 0 };

  g_subprocess_launcher_set_cwd (launcher, fixture->tmpdir);
  g_subprocess_launcher_set_child_setup (launcher, limit_child, NULL, NULL);
  process = sc_test_cli_spawn (launcher, NULL, args);
  sc_test_cli_communicate (process, NULL, 0, &cli);
  g_assert_true (cli.exited);
  run->status = cli.status;
  run->out = g_steal_pointer (&cli.out);
  run->err = g_steal_pointer (&cli.err);

  if (g_strv_contains (args, "--json"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, run->out, -1, &error));
      g_assert_no_error (error);
      run->json = json_node_copy (json_parser_get_root (parser));
      g_assert_true (JSON_NODE_HOLDS_ARRAY (run->json));
    }
}

static void
test_text (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  const char *clean = g_hash_table_lookup (fixture->manifest, "clean-000.png");
  const char *jpeg = g_hash_table_lookup (fixture->manifest, "clean-002.jpg");
  g_autofree char *want_clean = NULL;
  g_autofree char *want_jpeg = NULL;

  g_test_summary ("--decode prints FILE: PAYLOAD (SYMBOLOGY) for each code and "
                  "FILE: no code for an empty frame; both forms of the file list work");

  g_assert_nonnull (clean);
  g_assert_nonnull (jpeg);
  g_assert_cmpstr (g_hash_table_lookup (fixture->manifest, "empty-480p-000.png"), ==, "-");

  run_cli (fixture, &run,
           (const char *[]) { "--decode", "clean-000.png", "empty-480p-000.png",
                              "--decode", "clean-002.jpg", NULL });
  g_assert_cmpint (run.status, ==, 0);
  /* gen-frames' frame 0 is a QR code, frame 2 a Code128 (sc-test-frames.c) */
  want_clean = g_strdup_printf ("clean-000.png: %s (QR)\n", clean);
  want_jpeg = g_strdup_printf ("clean-002.jpg: %s (CODE128)\n", jpeg);
  g_assert_nonnull (strstr (run.out, want_clean));
  g_assert_nonnull (strstr (run.out, want_jpeg));
  g_assert_nonnull (strstr (run.out, "empty-480p-000.png: no code\n"));
  /* exactly three lines: one per file, one code each */
  g_assert_cmpuint (strlen (run.out), ==, strlen (want_clean) + strlen (want_jpeg) +
                    strlen ("empty-480p-000.png: no code\n"));
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  JsonArray *files;
  JsonObject *first, *second, *third, *code;
  JsonArray *codes;

  g_test_summary ("--decode --json gives an array with each file's codes and points, "
                  "and an error member for a file that cannot be read");

  run_cli (fixture, &run,
           (const char *[]) { "--json", "--decode", "noise8-000.png", "missing.png",
                              "manifest.tsv", NULL });
  g_assert_cmpint (run.status, ==, 2);

  files = json_node_get_array (run.json);
  g_assert_cmpuint (json_array_get_length (files), ==, 3);

  first = json_array_get_object_element (files, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "file"), ==, "noise8-000.png");
  g_assert_false (json_object_has_member (first, "error"));
  codes = json_object_get_array_member (first, "codes");
  g_assert_cmpuint (json_array_get_length (codes), ==, 1);
  code = json_array_get_object_element (codes, 0);
  g_assert_cmpstr (json_object_get_string_member (code, "payload"), ==,
                   g_hash_table_lookup (fixture->manifest, "noise8-000.png"));
  g_assert_cmpstr (json_object_get_string_member (code, "symbology"), ==, "qr");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (code, "points")), ==, 4);

  second = json_array_get_object_element (files, 1);
  g_assert_cmpstr (json_object_get_string_member (second, "file"), ==, "missing.png");
  g_assert_false (json_object_has_member (second, "codes"));
  g_assert_nonnull (strstr (json_object_get_string_member (second, "error"), "missing.png"));

  third = json_array_get_object_element (files, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (third, "error"), "not a picture"));
}

static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) stray = { 0 };
  const char *clean = g_hash_table_lookup (fixture->manifest, "clean-000.png");

  g_test_summary ("A missing file makes --decode exit 2 with a message in words, after "
                  "printing what the readable files held; a stray argument is an error");

  run_cli (fixture, &run,
           (const char *[]) { "--decode", "missing.png", "clean-000.png", NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "No picture at “missing.png”"));
  g_assert_nonnull (strstr (run.out, clean));

  run_cli (fixture, &stray, (const char *[]) { "clean-000.png", NULL });
  g_assert_cmpint (stray.status, ==, 2);
  g_assert_nonnull (strstr (stray.err, "clean-000.png"));
}

/* ---- a picture too big to decode ---- */

static void
test_too_many_pixels (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *big = g_build_filename (fixture->tmpdir, "big.png", NULL);
  const char *clean = g_hash_table_lookup (fixture->manifest, "clean-000.png");
  struct rusage usage;
  GStatBuf st;
  gint64 start;

  g_test_summary ("A small PNG of 16000x16000 pixels (256 MP, 768 MB decoded) is refused "
                  "from its header with words and exit 2, under a 600 MB address space "
                  "limit, and the next file is still decoded");

  sc_test_write_big_png (big, 16000, 16000);
  g_assert_cmpint (g_stat (big, &st), ==, 0);
  g_test_message ("big.png: %" G_GINT64_FORMAT " bytes", (gint64) st.st_size);

#ifndef __SANITIZE_ADDRESS__
  /* AddressSanitizer reserves terabytes of address space: no limit there. */
  child_as_limit = (rlim_t) 600 * 1024 * 1024;
#endif
  start = g_get_monotonic_time ();
  run_cli (fixture, &run, (const char *[]) { "--decode", "big.png", "clean-000.png", NULL });
  child_as_limit = 0;
  getrusage (RUSAGE_CHILDREN, &usage);
  g_test_message ("%.2f s; the largest child so far peaked at %ld MB",
                  (g_get_monotonic_time () - start) / 1e6, usage.ru_maxrss / 1024);

  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "big.png"));
  g_assert_nonnull (strstr (run.err, "16000×16000"));
  g_assert_nonnull (strstr (run.err, "40 MP"));
  g_assert_nonnull (strstr (run.out, clean));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/decode-cli/text", Fixture, NULL, fixture_setup, test_text, fixture_teardown);
  g_test_add ("/decode-cli/json", Fixture, NULL, fixture_setup, test_json, fixture_teardown);
  g_test_add ("/decode-cli/unreadable", Fixture, NULL, fixture_setup, test_unreadable,
              fixture_teardown);
  g_test_add ("/decode-cli/too-many-pixels", Fixture, NULL, fixture_setup,
              test_too_many_pixels, fixture_teardown);

  return g_test_run ();
}
