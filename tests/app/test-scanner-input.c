/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gdk/gdk.h>
#include <libglib-testing/signal-logger.h>

#include "sc-scanner-input.h"

typedef struct
{
  ScScannerInput *input;   /* (owned) */
  guint32         now;     /* the next event time */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->input = sc_scanner_input_new ();
  f->now = 100000;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->input));
}

/* Feeds one key @gap_ms after the previous one; returns feed's result. */
static gboolean
key (Fixture   *f,
     guint      keyval,
     gunichar   ch,
     guint32    gap_ms,
     char     **out_payload)
{
  f->now += gap_ms;
  return sc_scanner_input_feed (f->input, keyval, ch, f->now, out_payload);
}

/* Types every character of @text (UTF-8), each @gap_ms after the previous;
 * none of them may complete a scan. */
static void
type_text (Fixture    *f,
           const char *text,
           guint32     gap_ms)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      g_autofree char *payload = NULL;

      g_assert_false (key (f, gdk_unicode_to_keyval (ch), ch, gap_ms, &payload));
      g_assert_null (payload);
    }
}

/* Feeds @terminator (Return, Tab…) @gap_ms after the previous key. */
static gboolean
terminate (Fixture  *f,
           guint     terminator,
           guint32   gap_ms,
           char    **out_payload)
{
  return key (f, terminator, terminator == GDK_KEY_Tab ? '\t' : '\r', gap_ms, out_payload);
}

/* Types @text @gap_ms apart, then @terminator after another @gap_ms. */
static gboolean
scan (Fixture     *f,
      const char  *text,
      guint32      gap_ms,
      guint        terminator,
      char       **out_payload)
{
  type_text (f, text, gap_ms);
  return terminate (f, terminator, gap_ms, out_payload);
}

/* @terminator @gap_ms after the previous key ends a scan of @expected, or
 * no scan when @expected is NULL. */
static void
assert_end (Fixture    *f,
            guint       terminator,
            guint32     gap_ms,
            const char *expected)
{
  g_autofree char *payload = NULL;
  gboolean scanned = terminate (f, terminator, gap_ms, &payload);

  g_assert_cmpint (scanned, ==, expected != NULL);
  g_assert_cmpstr (payload, ==, expected);
}

/* scan() of @text, a scan of @expected, or no scan when @expected is NULL. */
static void
assert_scan (Fixture    *f,
             const char *text,
             guint32     gap_ms,
             guint       terminator,
             const char *expected)
{
  type_text (f, text, gap_ms);
  assert_end (f, terminator, gap_ms, expected);
}

static void
assert_pending (Fixture *f,
                guint    n)
{
  g_assert_cmpuint (sc_scanner_input_get_pending (f->input), ==, n);
}

/* One burst of @text @gap_ms apart and @terminator: one scan of @text,
 * which the pending count still names (its characters). */
typedef struct
{
  const char *path;
  const char *summary;
  const char *text;
  guint32     gap_ms;
  guint       terminator;
} ScanCase;

static const ScanCase scan_cases[] = {
  { "/scanner-input/burst/return", "12 digits 8 ms apart and Return are one scan",
    "123456789012", 8, GDK_KEY_Return },
  { "/scanner-input/burst/kp-enter", "KP_Enter ends a scan",
    "500000000009", 8, GDK_KEY_KP_Enter },
  { "/scanner-input/unicode", "Full-width and other Unicode characters are kept as they came",
    "１２３４提货码-é", 8, GDK_KEY_Return },
  { "/scanner-input/url", "A URL payload keeps ':' '/' '?' '=' '&'",
    "https://sc.example.cn/p/123456789012?code=123456789012&x=a:b", 3, GDK_KEY_Return },
};

static void
test_scan_case (Fixture       *f,
                gconstpointer  data)
{
  const ScanCase *c = data;

  g_test_summary (c->summary);

  assert_scan (f, c->text, c->gap_ms, c->terminator, c->text);
  assert_pending (f, (guint) g_utf8_strlen (c->text, -1));
}

static void
test_burst_tab (Fixture       *f,
                gconstpointer  data)
{
  g_test_summary ("Tab and ISO_Left_Tab end a scan like Return");

  assert_scan (f, "123456789012", 8, GDK_KEY_Tab, "123456789012");
  f->now += 1000;
  assert_scan (f, "210987654321", 8, GDK_KEY_ISO_Left_Tab, "210987654321");
}

static void
test_person_typing (Fixture       *f,
                    gconstpointer  data)
{
  g_test_summary ("12 digits typed 150 ms apart and Return are typing, not a scan");

  assert_scan (f, "123456789012", 150, GDK_KEY_Return, NULL);
  assert_pending (f, 0);

  /* A person who hits Enter quickly after the last digit: a 1-char burst. */
  type_text (f, "123456789012", 150);
  assert_end (f, GDK_KEY_Return, 20, NULL);
}

static void
test_slow_then_burst (Fixture       *f,
                      gconstpointer  data)
{
  g_test_summary ("Slow keys followed by a fast burst: only the burst is the scan");

  type_text (f, "abc", 200);
  assert_pending (f, 1);
  f->now += 300;
  assert_scan (f, "300000000001", 5, GDK_KEY_Return, "300000000001");
}

static void
test_min_length (Fixture       *f,
                 gconstpointer  data)
{
  g_test_summary ("A fast burst shorter than min-length is no scan; min-length is a property");

  assert_scan (f, "123", 8, GDK_KEY_Return, NULL);
  assert_pending (f, 0);

  f->now += 1000;
  g_object_set (f->input, "min-length", 3, NULL);
  assert_scan (f, "123", 8, GDK_KEY_Return, "123");
}

static void
test_prefix_suffix (Fixture       *f,
                    gconstpointer  data)
{
  g_test_summary ("The AIM prefix and a suffix are stripped only where they are");

  sc_scanner_input_set_prefix (f->input, "]C1");
  sc_scanner_input_set_suffix (f->input, "#");

  assert_scan (f, "]C1123456789012#", 8, GDK_KEY_Return, "123456789012");
  /* Neither present: the text is untouched. */
  f->now += 1000;
  assert_scan (f, "X]C1123#4", 8, GDK_KEY_Return, "X]C1123#4");
  /* Only the prefix; trimmed afterwards. */
  f->now += 1000;
  assert_scan (f, "]C1 8000000000 ", 8, GDK_KEY_Tab, "8000000000");
  /* Nothing left after stripping: not a scan. */
  f->now += 1000;
  assert_scan (f, "]C1 #", 8, GDK_KEY_Return, NULL);
}

static void
test_control_chars (Fixture       *f,
                    gconstpointer  data)
{
  g_test_summary ("Control characters inside a burst are dropped and keep it alive");

  type_text (f, "1234", 8);
  g_assert_false (key (f, GDK_KEY_Escape, 0x1b, 8, NULL));
  g_assert_false (key (f, GDK_KEY_BackSpace, 0x08, 8, NULL));
  g_assert_false (key (f, GDK_KEY_Delete, 0x7f, 8, NULL));
  g_assert_false (key (f, 0x1000085, 0x85, 8, NULL));      /* NEL, a C1 control */
  assert_pending (f, 4);
  type_text (f, "56789012", 8);
  assert_end (f, GDK_KEY_Return, 8, "123456789012");
}

static void
test_ignored_keys (Fixture       *f,
                   gconstpointer  data)
{
  g_test_summary ("Keys passed as keyval 0, or without a character, are ignored entirely");

  type_text (f, "123456", 8);
  /* A long pause filled with ignored keys neither breaks nor extends it... */
  g_assert_false (key (f, GDK_KEY_Shift_L, 0, 500, NULL));
  g_assert_false (key (f, 0, 'x', 0, NULL));
  g_assert_false (key (f, 0, 0x1b, 0, NULL));
  assert_pending (f, 6);
  /* ...the gap is still measured from the last real key: this one is slow. */
  type_text (f, "7", 1);
  assert_pending (f, 1);

  /* Within a fast burst they change nothing. */
  f->now += 1000;
  type_text (f, "1234", 8);
  g_assert_false (key (f, GDK_KEY_Shift_L, 0, 2, NULL));
  g_assert_false (key (f, GDK_KEY_Left, 0, 2, NULL));
  type_text (f, "5678", 8);
  assert_end (f, GDK_KEY_Return, 8, "12345678");
}

static void
test_pending (Fixture       *f,
              gconstpointer  data)
{
  g_test_summary ("get_pending counts the characters of the burst under way");

  assert_pending (f, 0);
  type_text (f, "12345", 8);
  assert_pending (f, 5);
  /* A slow key starts a new burst of one. */
  type_text (f, "6", 500);
  assert_pending (f, 1);
  type_text (f, "7890", 8);
  assert_pending (f, 5);
  /* After a scan the count still names what the scan typed... */
  assert_end (f, GDK_KEY_Return, 8, "67890");
  assert_pending (f, 5);
  /* ...until the next key. */
  type_text (f, "1", 8);
  assert_pending (f, 1);
}

static void
test_time_backwards (Fixture       *f,
                     gconstpointer  data)
{
  g_test_summary ("A time that goes backwards starts a new burst; a wrap-around does not");

  type_text (f, "123456", 8);
  f->now -= 100;
  type_text (f, "78", 1);
  assert_pending (f, 2);
  type_text (f, "9012", 8);
  assert_end (f, GDK_KEY_Return, 8, "789012");

  /* guint32 event times wrap after ~49.7 days: still one burst. */
  f->now = G_MAXUINT32 - 20;
  assert_scan (f, "123456789012", 8, GDK_KEY_Return, "123456789012");
  g_assert_cmpuint (f->now, <, 100);

  /* A terminator whose time goes backwards ends nothing. */
  type_text (f, "123456", 8);
  f->now -= 5;
  assert_end (f, GDK_KEY_Return, 0, NULL);
  assert_pending (f, 0);
}

static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  g_test_summary ("reset forgets the burst under way");

  type_text (f, "123456789012", 8);
  sc_scanner_input_reset (f->input);
  assert_pending (f, 0);
  assert_end (f, GDK_KEY_Return, 8, NULL);

  /* And works normally afterwards. */
  assert_scan (f, "123456789012", 8, GDK_KEY_Return, "123456789012");
}

static void
test_interval_edge (Fixture       *f,
                    gconstpointer  data)
{
  guint max_ms = 0;

  g_test_summary ("Exactly max-interval-ms apart is fast, 1 ms more is slow");

  g_object_get (f->input, "max-interval-ms", &max_ms, NULL);
  g_assert_cmpuint (max_ms, ==, 50);

  assert_scan (f, "123456789012", 50, GDK_KEY_Return, "123456789012");
  f->now += 1000;
  assert_scan (f, "123456789012", 51, GDK_KEY_Return, NULL);

  /* The last key alone being 1 ms too slow breaks the scan. */
  f->now += 1000;
  type_text (f, "123456789012", 10);
  assert_end (f, GDK_KEY_Return, 51, NULL);

  f->now += 1000;
  sc_scanner_input_set_max_interval (f->input, 120);
  assert_scan (f, "123456789012", 120, GDK_KEY_Return, "123456789012");
}

static void
test_long_burst (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *payload = NULL;
  GString *s = g_string_new (NULL);

  g_test_summary ("A 256-character burst is one scan");

  for (int i = 0; i < 256; i++)
    g_string_append_c (s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 36]);
  text = g_string_free (s, FALSE);

  g_assert_true (scan (f, text, 2, GDK_KEY_Return, &payload));
  g_assert_cmpuint (strlen (payload), ==, 256);
  g_assert_cmpstr (payload, ==, text);
}

static void
test_no_out_payload (Fixture       *f,
                     gconstpointer  data)
{
  g_test_summary ("out_payload is optional");

  g_assert_true (scan (f, "123456789012", 8, GDK_KEY_Return, NULL));
  assert_end (f, GDK_KEY_Return, 8, NULL);
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  guint min_length = 0;

  g_test_summary ("Properties notify only on change");

  gt_signal_logger_connect (logger, f->input, "notify");

  sc_scanner_input_set_prefix (f->input, "]Q3");
  sc_scanner_input_set_prefix (f->input, "]Q3");
  gt_signal_logger_assert_notify_emission_pop (logger, f->input, "prefix");
  gt_signal_logger_assert_no_emissions (logger);

  sc_scanner_input_set_suffix (f->input, "\n");
  gt_signal_logger_assert_notify_emission_pop (logger, f->input, "suffix");
  sc_scanner_input_set_suffix (f->input, "");
  gt_signal_logger_assert_notify_emission_pop (logger, f->input, "suffix");
  sc_scanner_input_set_suffix (f->input, NULL);   /* "" and NULL are the same */
  gt_signal_logger_assert_no_emissions (logger);

  sc_scanner_input_set_max_interval (f->input, 50);
  gt_signal_logger_assert_no_emissions (logger);
  g_object_set (f->input, "max-interval-ms", 30, NULL);
  gt_signal_logger_assert_notify_emission_pop (logger, f->input, "max-interval-ms");

  g_object_set (f->input, "min-length", 6, NULL);
  g_object_set (f->input, "min-length", 6, NULL);
  gt_signal_logger_assert_notify_emission_pop (logger, f->input, "min-length");
  gt_signal_logger_assert_no_emissions (logger);

  g_object_get (f->input, "prefix", &prefix, "suffix", &suffix, "min-length", &min_length,
                NULL);
  g_assert_cmpstr (prefix, ==, "]Q3");
  g_assert_null (suffix);
  g_assert_cmpuint (min_length, ==, 6);

  gt_signal_logger_free (g_steal_pointer (&logger));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (scan_cases); i++)
    g_test_add (scan_cases[i].path, Fixture, &scan_cases[i], fixture_setup, test_scan_case,
                fixture_teardown);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/scanner-input/burst/tab", test_burst_tab);
  ADD ("/scanner-input/person-typing", test_person_typing);
  ADD ("/scanner-input/slow-then-burst", test_slow_then_burst);
  ADD ("/scanner-input/min-length", test_min_length);
  ADD ("/scanner-input/prefix-suffix", test_prefix_suffix);
  ADD ("/scanner-input/control-chars", test_control_chars);
  ADD ("/scanner-input/ignored-keys", test_ignored_keys);
  ADD ("/scanner-input/pending", test_pending);
  ADD ("/scanner-input/time-backwards", test_time_backwards);
  ADD ("/scanner-input/reset", test_reset);
  ADD ("/scanner-input/interval-edge", test_interval_edge);
  ADD ("/scanner-input/long-burst", test_long_burst);
  ADD ("/scanner-input/no-out-payload", test_no_out_payload);
  ADD ("/scanner-input/properties", test_properties);
#undef ADD

  return g_test_run ();
}
