/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-json-reader: every reader on a member present, missing (absent or
 * null), of the wrong type and out of range, with the member's path in the
 * error; the parser's refusals. */
#include "config.h"

#include <string.h>

#include "sc-json-reader.h"

static JsonObject *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = sc_json_parse_object (text, strlen (text), 64, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

/* Asserts @error is @code at @path, and that its message starts with it. */
static void
assert_reader_error (GError            *error,
                     ScJsonReaderError  code,
                     const char        *path)
{
  g_autofree char *prefix = g_strconcat (path, ": ", NULL);

  g_assert_error (error, SC_JSON_READER_ERROR, (int) code);
  g_assert_cmpstr (sc_json_reader_error_get_path (error), ==, path);
  g_assert_true (g_str_has_prefix (error->message, prefix));
}

static void
test_paths (void)
{
  g_autofree char *top = sc_json_path_member ("", "code");
  g_autofree char *nested = sc_json_path_member ("order", "items");
  g_autofree char *index = sc_json_path_index (nested, 2);
  g_autofree char *deep = sc_json_path_member (index, "name");

  g_test_summary ("Paths: a member at the top has its name alone; nested ones are dotted, "
                  "array elements indexed");

  g_assert_cmpstr (top, ==, "code");
  g_assert_cmpstr (nested, ==, "order.items");
  g_assert_cmpstr (index, ==, "order.items[2]");
  g_assert_cmpstr (deep, ==, "order.items[2].name");
}

static void
test_string (void)
{
  g_autoptr(JsonObject) object = parse ("{\"s\":\"x\",\"e\":\"\",\"n\":null,\"i\":3}");
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_strdup ("kept");
  const char *value = "unset";

  g_test_summary ("Strings: present, empty (refused with NON_EMPTY), missing (required or "
                  "not), another type");

  g_assert_true (sc_json_read_string (object, "a", "s", SC_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "x");

  g_assert_true (sc_json_read_string (object, "a", "e", SC_JSON_REQUIRED, &value, &error));
  g_assert_cmpstr (value, ==, "");
  g_assert_false (sc_json_read_string (object, "a", "e", SC_JSON_NON_EMPTY, &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_INVALID, "a.e");
  g_clear_error (&error);

  g_assert_true (sc_json_read_string (object, "a", "n", SC_JSON_OPTIONAL, &value, &error));
  g_assert_null (value);
  g_assert_true (sc_json_read_string (object, "a", "absent", SC_JSON_OPTIONAL, &value, &error));
  g_assert_null (value);
  g_assert_false (sc_json_read_string (object, "a", "n", SC_JSON_REQUIRED, &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_MISSING, "a.n");
  g_clear_error (&error);
  g_assert_false (sc_json_read_string (object, "", "absent", SC_JSON_REQUIRED, &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_MISSING, "absent");
  g_clear_error (&error);

  g_assert_false (sc_json_read_string (object, "a.b", "i", SC_JSON_OPTIONAL, &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "a.b.i");
  g_assert_nonnull (strstr (error->message, "expected a string"));
  g_assert_null (value);
  g_clear_error (&error);

  /* The copying reader leaves its output alone when the member is missing. */
  g_assert_true (sc_json_read_string_dup (object, "", "n", SC_JSON_OPTIONAL, &copy, &error));
  g_assert_cmpstr (copy, ==, "kept");
  g_assert_true (sc_json_read_string_dup (object, "", "s", SC_JSON_OPTIONAL, &copy, &error));
  g_assert_cmpstr (copy, ==, "x");
  g_assert_false (sc_json_read_string_dup (object, "", "i", SC_JSON_OPTIONAL, &copy, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "i");
  g_assert_cmpstr (copy, ==, "x");
}

static void
test_int (void)
{
  g_autoptr(JsonObject) object = parse ("{\"i\":7,\"neg\":-1,\"d\":1.5,\"s\":\"7\",\"n\":null,"
                                        "\"big\":9223372036854775807}");
  g_autoptr(GError) error = NULL;
  gboolean present = TRUE;
  gint64 value = 42;

  g_test_summary ("Whole numbers: in range, at the bounds, out of range, missing, another "
                  "type (a fraction, a string)");

  g_assert_true (sc_json_read_int (object, "p", "i", SC_JSON_REQUIRED, 0, 7, &present, &value,
                                   &error));
  g_assert_no_error (error);
  g_assert_true (present);
  g_assert_cmpint (value, ==, 7);
  g_assert_true (sc_json_read_int (object, "p", "big", SC_JSON_REQUIRED, 0, G_MAXINT64, NULL,
                                   &value, &error));
  g_assert_cmpint (value, ==, G_MAXINT64);

  value = 42;
  g_assert_false (sc_json_read_int (object, "p", "i", SC_JSON_REQUIRED, 0, 6, &present, &value,
                                    &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_OUT_OF_RANGE, "p.i");
  g_assert_false (present);
  g_assert_cmpint (value, ==, 42);
  g_clear_error (&error);
  g_assert_false (sc_json_read_int (object, "", "neg", SC_JSON_OPTIONAL, 0, G_MAXINT64, NULL,
                                    &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_OUT_OF_RANGE, "neg");
  g_clear_error (&error);

  g_assert_true (sc_json_read_int (object, "", "n", SC_JSON_OPTIONAL, 0, 9, &present, &value,
                                   &error));
  g_assert_false (present);
  g_assert_cmpint (value, ==, 42);
  g_assert_false (sc_json_read_int (object, "", "absent", SC_JSON_REQUIRED, 0, 9, &present,
                                    &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_MISSING, "absent");
  g_clear_error (&error);

  g_assert_false (sc_json_read_int (object, "", "d", SC_JSON_OPTIONAL, 0, 9, NULL, &value,
                                    &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "d");
  g_clear_error (&error);
  g_assert_false (sc_json_read_int (object, "", "s", SC_JSON_OPTIONAL, 0, 9, NULL, &value,
                                    &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "s");
  g_assert_cmpint (value, ==, 42);
}

static void
test_double (void)
{
  g_autoptr(JsonObject) object = parse ("{\"r\":0.25,\"one\":1,\"over\":1.5,\"s\":\"x\"}");
  g_autoptr(GError) error = NULL;
  gboolean present = FALSE;
  double value = -1.0;

  g_test_summary ("Numbers: a fraction or an integer in range, out of range, missing, "
                  "another type");

  g_assert_true (sc_json_read_double (object, "", "r", SC_JSON_REQUIRED, 0.0, 1.0, &present,
                                      &value, &error));
  g_assert_true (present);
  g_assert_cmpfloat (value, ==, 0.25);
  g_assert_true (sc_json_read_double (object, "", "one", SC_JSON_REQUIRED, 0.0, 1.0, NULL,
                                      &value, &error));
  g_assert_cmpfloat (value, ==, 1.0);
  g_assert_no_error (error);

  g_assert_false (sc_json_read_double (object, "f", "over", SC_JSON_OPTIONAL, 0.0, 1.0, NULL,
                                       &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_OUT_OF_RANGE, "f.over");
  g_clear_error (&error);
  g_assert_false (sc_json_read_double (object, "f", "s", SC_JSON_OPTIONAL, 0.0, 1.0, NULL,
                                       &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "f.s");
  g_clear_error (&error);
  g_assert_true (sc_json_read_double (object, "f", "absent", SC_JSON_OPTIONAL, 0.0, 1.0,
                                      &present, &value, &error));
  g_assert_false (present);
  g_assert_cmpfloat (value, ==, 1.0);
  g_assert_false (sc_json_read_double (object, "f", "absent", SC_JSON_REQUIRED, 0.0, 1.0, NULL,
                                       &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_MISSING, "f.absent");
}

static void
test_bool (void)
{
  g_autoptr(JsonObject) object = parse ("{\"t\":true,\"i\":1,\"n\":null}");
  g_autoptr(GError) error = NULL;
  gboolean value = FALSE;

  g_test_summary ("Booleans: present, missing, another type (1 is not true)");

  g_assert_true (sc_json_read_bool (object, "", "t", SC_JSON_REQUIRED, &value, &error));
  g_assert_true (value);
  g_assert_true (sc_json_read_bool (object, "", "n", SC_JSON_OPTIONAL, &value, &error));
  g_assert_true (value);
  g_assert_false (sc_json_read_bool (object, "", "n", SC_JSON_REQUIRED, &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_MISSING, "n");
  g_clear_error (&error);
  g_assert_false (sc_json_read_bool (object, "x", "i", SC_JSON_OPTIONAL, &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "x.i");
}

static void
test_object_array (void)
{
  g_autoptr(JsonObject) object = parse ("{\"o\":{\"a\":1},\"l\":[{\"b\":2},\"s\",3],"
                                        "\"n\":null}");
  g_autoptr(GError) error = NULL;
  JsonObject *sub = NULL;
  JsonArray *array = NULL;
  const char *text = NULL;

  g_test_summary ("Objects and arrays, and their elements: present, missing, another type, "
                  "the element's index in the path");

  g_assert_true (sc_json_read_object (object, "", "o", SC_JSON_REQUIRED, &sub, &error));
  g_assert_true (json_object_has_member (sub, "a"));
  g_assert_false (sc_json_read_object (object, "", "l", SC_JSON_OPTIONAL, &sub, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "l");
  g_assert_null (sub);
  g_clear_error (&error);
  g_assert_true (sc_json_read_object (object, "", "n", SC_JSON_OPTIONAL, &sub, &error));
  g_assert_null (sub);
  g_assert_false (sc_json_read_object (object, "r", "n", SC_JSON_REQUIRED, &sub, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_MISSING, "r.n");
  g_clear_error (&error);

  g_assert_false (sc_json_read_array (object, "", "o", SC_JSON_OPTIONAL, &array, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "o");
  g_clear_error (&error);
  g_assert_false (sc_json_read_array (object, "", "absent", SC_JSON_REQUIRED, &array, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_MISSING, "absent");
  g_clear_error (&error);
  g_assert_true (sc_json_read_array (object, "", "l", SC_JSON_REQUIRED, &array, &error));
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  g_assert_true (sc_json_array_get_object (array, "l", 0, &sub, &error));
  g_assert_true (json_object_has_member (sub, "b"));
  g_assert_false (sc_json_array_get_object (array, "l", 1, &sub, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "l[1]");
  g_clear_error (&error);
  g_assert_true (sc_json_array_get_string (array, "l", 1, &text, &error));
  g_assert_cmpstr (text, ==, "s");
  g_assert_false (sc_json_array_get_string (array, "l", 2, &text, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "l[2]");
  g_assert_null (text);
}

static void
test_time (void)
{
  g_autoptr(JsonObject) object = parse ("{\"t\":\"2026-12-03T15:00:00Z\",\"bad\":\"yesterday\","
                                        "\"week\":\"2026-W49-4\",\"i\":1}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) value = NULL;

  g_test_summary ("Times: RFC 3339 read as UTC; other text is INVALID, a number WRONG_TYPE");

  g_assert_true (sc_json_read_time (object, "", "t", SC_JSON_REQUIRED, &value, &error));
  g_assert_cmpint (g_date_time_to_unix (value), ==, 1796310000);
  g_clear_pointer (&value, g_date_time_unref);

  g_assert_false (sc_json_read_time (object, "w", "bad", SC_JSON_OPTIONAL, &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_INVALID, "w.bad");
  g_assert_null (value);
  g_clear_error (&error);
  g_assert_false (sc_json_read_time (object, "", "week", SC_JSON_OPTIONAL, &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_INVALID, "week");
  g_clear_error (&error);
  g_assert_false (sc_json_read_time (object, "", "i", SC_JSON_OPTIONAL, &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "i");
  g_clear_error (&error);
  g_assert_true (sc_json_read_time (object, "", "absent", SC_JSON_OPTIONAL, &value, &error));
  g_assert_null (value);
  g_assert_false (sc_json_read_time (object, "", "absent", SC_JSON_REQUIRED, &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_MISSING, "absent");
}

static void
test_enum (void)
{
  static const char * const names[] = { "cash", NULL, "discount" };
  g_autoptr(JsonObject) object = parse ("{\"a\":\"discount\",\"b\":\"gift\",\"c\":2}");
  g_autoptr(GError) error = NULL;
  int value = -1;

  g_test_summary ("Names from a table: known, unknown (INVALID), another type, missing");

  g_assert_true (sc_json_read_enum (object, "", "a", SC_JSON_REQUIRED, names,
                                    G_N_ELEMENTS (names), &value, &error));
  g_assert_cmpint (value, ==, 2);
  g_assert_false (sc_json_read_enum (object, "coupon", "b", SC_JSON_REQUIRED, names,
                                     G_N_ELEMENTS (names), &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_INVALID, "coupon.b");
  g_assert_cmpint (value, ==, 2);
  g_clear_error (&error);
  g_assert_false (sc_json_read_enum (object, "", "c", SC_JSON_OPTIONAL, names,
                                     G_N_ELEMENTS (names), &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_WRONG_TYPE, "c");
  g_clear_error (&error);
  g_assert_true (sc_json_read_enum (object, "", "absent", SC_JSON_OPTIONAL, names,
                                    G_N_ELEMENTS (names), &value, &error));
  g_assert_cmpint (value, ==, 2);
  g_assert_false (sc_json_read_enum (object, "", "absent", SC_JSON_REQUIRED, names,
                                     G_N_ELEMENTS (names), &value, &error));
  assert_reader_error (error, SC_JSON_READER_ERROR_MISSING, "absent");
}

static void
test_set_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  g_autoptr(GError) copy = NULL;

  g_test_summary ("A caller's own check gives the same error, the path survives a copy, "
                  "and another domain has no path");

  g_assert_false (sc_json_reader_set_error (&error, SC_JSON_READER_ERROR_INVALID, "coupon",
                                            "percent_off"));
  assert_reader_error (error, SC_JSON_READER_ERROR_INVALID, "coupon.percent_off");
  copy = g_error_copy (error);
  assert_reader_error (copy, SC_JSON_READER_ERROR_INVALID, "coupon.percent_off");
  g_assert_null (sc_json_reader_error_get_path (other));
  g_assert_false (sc_json_reader_set_error (NULL, SC_JSON_READER_ERROR_MISSING, "", "x"));
}

static void
test_parse (void)
{
  static const char *refused[] = {
    "",
    "[1,2]",
    "\"text\"",
    "{\"a\":",
    "{\"a\":\"\\ud800\"}",
    "{\"\\udc00\":1}",
  };
  g_autoptr(GString) deep = g_string_new ("{\"a\":");
  g_autoptr(GString) ok = g_string_new ("{\"a\":");
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Parsing: not an object, not JSON, a lone surrogate, nesting past the "
                  "bound are SYNTAX; nesting at the bound is read");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      object = sc_json_parse_object (refused[i], strlen (refused[i]), 64, &error);
      g_assert_null (object);
      g_assert_error (error, SC_JSON_READER_ERROR, SC_JSON_READER_ERROR_SYNTAX);
      g_assert_cmpstr (sc_json_reader_error_get_path (error), ==, "");
      g_clear_error (&error);
    }

  /* The object itself is one level: 63 arrays inside it make 64. */
  for (guint i = 0; i < 63; i++)
    g_string_append_c (ok, '[');
  for (guint i = 0; i < 63; i++)
    g_string_append_c (ok, ']');
  g_string_append_c (ok, '}');
  object = sc_json_parse_object (ok->str, ok->len, 64, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
  g_clear_pointer (&object, json_object_unref);

  for (guint i = 0; i < 64; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 64; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  object = sc_json_parse_object (deep->str, deep->len, 64, &error);
  g_assert_null (object);
  g_assert_error (error, SC_JSON_READER_ERROR, SC_JSON_READER_ERROR_SYNTAX);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/json-reader/paths", test_paths);
  g_test_add_func ("/json-reader/string", test_string);
  g_test_add_func ("/json-reader/int", test_int);
  g_test_add_func ("/json-reader/double", test_double);
  g_test_add_func ("/json-reader/bool", test_bool);
  g_test_add_func ("/json-reader/object-array", test_object_array);
  g_test_add_func ("/json-reader/time", test_time);
  g_test_add_func ("/json-reader/enum", test_enum);
  g_test_add_func ("/json-reader/set-error", test_set_error);
  g_test_add_func ("/json-reader/parse", test_parse);

  return g_test_run ();
}
