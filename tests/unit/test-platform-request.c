/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "sc-platform-request.h"

/* sc_platform_request_read: the platform's request readers without HTTP
 * (the fuzz target's function). */

#define NOW G_GINT64_CONSTANT (1767225600)  /* 2026-01-01T00:00:00Z */

static ScPlatformRequest *
read_text (ScPlatformOp   op,
           const char    *text,
           GError       **error)
{
  return sc_platform_request_read (op, text, text != NULL ? strlen (text) : 0, NOW, error);
}

static void
assert_refused (ScPlatformOp  op,
                const char   *text,
                guint         status,
                const char   *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScPlatformRequest) req = read_text (op, text, &error);
  const char *got_code = NULL;

  g_assert_null (req);
  g_assert_error (error, SC_PLATFORM_REQUEST_ERROR, error->code);
  g_assert_cmpuint (sc_platform_request_error_status (error, &got_code), ==, status);
  g_assert_cmpstr (got_code, ==, code);
}

static void
test_login (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScPlatformRequest) req = NULL;

  g_test_summary ("A login body gives store, clerk and PIN; missing or mistyped fields are "
                  "400 bad_request.");

  req = read_text (SC_PLATFORM_OP_LOGIN,
                   "{\"store_id\": \"1001\", \"clerk_id\": \"1\", \"pin\": \"1234\"}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (req);
  g_assert_cmpint (req->op, ==, SC_PLATFORM_OP_LOGIN);
  g_assert_cmpint (req->now, ==, NOW);
  g_assert_cmpstr (req->store_id, ==, "1001");
  g_assert_cmpstr (req->clerk_id, ==, "1");
  g_assert_cmpstr (req->pin, ==, "1234");

  assert_refused (SC_PLATFORM_OP_LOGIN, "{\"store_id\": \"1001\", \"clerk_id\": \"1\"}", 400,
                  "bad_request");
  assert_refused (SC_PLATFORM_OP_LOGIN,
                  "{\"store_id\": 1001, \"clerk_id\": \"1\", \"pin\": \"1234\"}", 400,
                  "bad_request");
  assert_refused (SC_PLATFORM_OP_LOGIN, "", 400, "bad_request");
  assert_refused (SC_PLATFORM_OP_LOGIN, NULL, 400, "bad_request");
  assert_refused (SC_PLATFORM_OP_LOGIN, "[1, 2]", 400, "bad_json");
  assert_refused (SC_PLATFORM_OP_LOGIN, "{\"store_id\": ", 400, "bad_json");
}

static void
test_nul (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScPlatformRequest) req = NULL;
  const char raw_nul[] = "{\"payload\": \"1\0x\"}";

  g_test_summary ("Issue 9 row 13: text holding NUL, escaped or raw, in a value or a name, "
                  "is refused; an escaped backslash before u0000 is not a NUL.");

  assert_refused (SC_PLATFORM_OP_LOGIN,
                  "{\"store_id\": \"1001\", \"clerk_id\": \"1\", \"pin\": \"1234\\u0000garbage\"}",
                  400, "bad_request");
  assert_refused (SC_PLATFORM_OP_LOOKUP, "{\"payload\": \"123456789012\\u0000xyz\"}", 400,
                  "bad_request");
  assert_refused (SC_PLATFORM_OP_LOOKUP, "{\"payload\": \"x\", \"a\\u0000b\": 1}", 400,
                  "bad_request");
  assert_refused (SC_PLATFORM_OP_LOOKUP, "{\"payload\": \"\\\\\\u0000\"}", 400, "bad_request");

  req = sc_platform_request_read (SC_PLATFORM_OP_LOOKUP, raw_nul, sizeof raw_nul - 1, NOW,
                                  &error);
  g_assert_null (req);
  g_assert_error (error, SC_PLATFORM_REQUEST_ERROR, SC_PLATFORM_REQUEST_ERROR_BAD_JSON);
  g_clear_error (&error);

  req = read_text (SC_PLATFORM_OP_LOOKUP, "{\"payload\": \"\\\\u0000\"}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (req);
  g_assert_cmpstr (req->code, ==, NULL);
  g_assert_nonnull (req->malformed);
}

static void
test_redeem (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScPlatformRequest) req = NULL;

  g_test_summary ("A redemption body: id, payload, scan time as RFC 3339 or seconds, "
                  "offline flag and bill; a bad id or time is 400.");

  req = read_text (SC_PLATFORM_OP_REDEEM,
                   "{\"redemption_id\": \"r-1\", \"payload\": \"12\", \"source\": \"scanner\","
                   " \"store_id\": \"1001\", \"clerk_id\": \"1\","
                   " \"scanned_at\": \"2026-01-01T00:00:10Z\", \"offline\": true,"
                   " \"bill_fen\": 1500}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (req->redemption_id, ==, "r-1");
  g_assert_cmpstr (req->source, ==, "scanner");
  g_assert_cmpint (req->scanned_at, ==, NOW + 10);
  g_assert_true (req->offline);
  g_assert_cmpint (req->bill_fen, ==, 1500);
  g_assert_nonnull (req->malformed);
  g_clear_pointer (&req, sc_platform_request_free);

  req = read_text (SC_PLATFORM_OP_REDEEM, "{\"redemption_id\": \"r-2\", \"payload\": \"12\","
                   " \"store_id\": \"1001\", \"clerk_id\": \"1\"}",
                   &error);
  g_assert_no_error (error);
  g_assert_cmpint (req->scanned_at, ==, NOW);
  g_assert_cmpint (req->bill_fen, ==, -1);
  g_assert_cmpstr (req->source, ==, "unknown");

  assert_refused (SC_PLATFORM_OP_REDEEM, "{\"redemption_id\": \"a b\", \"payload\": \"12\"}",
                  400, "bad_request");
  assert_refused (SC_PLATFORM_OP_REDEEM,
                  "{\"redemption_id\": \"r\", \"payload\": \"12\", \"scanned_at\": \"noon\"}",
                  400, "bad_request");
  assert_refused (SC_PLATFORM_OP_REDEEM,
                  "{\"redemption_id\": \"r\", \"payload\": \"12\", \"bill_fen\": -1}",
                  400, "bad_request");
}

static void
test_too_large (void)
{
  g_autoptr(GString) big = g_string_new ("{\"payload\": \"");

  g_test_summary ("A body over 64 KiB is 413 too_large, whatever it holds.");

  while (big->len <= SC_PLATFORM_MAX_BODY_BYTES)
    g_string_append_c (big, 'a');
  g_string_append (big, "\"}");
  assert_refused (SC_PLATFORM_OP_LOOKUP, big->str, 413, "too_large");
}

static void
test_admin_count (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScPlatformRequest) req = NULL;

  g_test_summary ("The bulk order calls take a count in range and an optional store.");

  req = read_text (SC_PLATFORM_OP_ADMIN_ADD_ORDERS, "{\"count\": 5}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (req->count, ==, 5);
  g_assert_cmpstr (req->store_id, ==, "1001");
  assert_refused (SC_PLATFORM_OP_ADMIN_TOUCH_ORDERS, "{}", 400, "bad_request");
  assert_refused (SC_PLATFORM_OP_ADMIN_TOUCH_ORDERS, "{\"count\": 0}", 400, "bad_request");
}

#define REDEEM_HEAD "{\"redemption_id\": \"r-1\", \"payload\": \"12\"," \
                    " \"store_id\": \"1001\", \"clerk_id\": \"1\""

static void
test_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScPlatformRequest) req = NULL;
  g_autoptr(ScPlatformRequest) whole = NULL;
  g_autoptr(ScPlatformRequest) mark = NULL;

  g_test_summary ("Issue 12: a redemption's lines [{line_id, qty}] (none: the whole order) "
                  "and a missing mark {qty, reason, note?}; malformed ones are 400.");

  req = read_text (SC_PLATFORM_OP_REDEEM,
                   REDEEM_HEAD ", \"lines\": [{\"line_id\": \"2\", \"qty\": 3},"
                   " {\"line_id\": \"1\", \"qty\": 1}]}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (req->lines);
  g_assert_cmpuint (req->lines->len, ==, 2);
  g_assert_cmpstr (g_array_index (req->lines, ScPlatformLineQty, 0).line_id, ==, "2");
  g_assert_cmpint (g_array_index (req->lines, ScPlatformLineQty, 0).qty, ==, 3);
  g_assert_cmpstr (g_array_index (req->lines, ScPlatformLineQty, 1).line_id, ==, "1");

  whole = read_text (SC_PLATFORM_OP_REDEEM, REDEEM_HEAD ", \"lines\": null}", &error);
  g_assert_no_error (error);
  g_assert_null (whole->lines);

  assert_refused (SC_PLATFORM_OP_REDEEM, REDEEM_HEAD ", \"lines\": []}", 400, "bad_request");
  assert_refused (SC_PLATFORM_OP_REDEEM, REDEEM_HEAD ", \"lines\": {}}", 400, "bad_request");
  assert_refused (SC_PLATFORM_OP_REDEEM, REDEEM_HEAD ", \"lines\": [1]}", 400, "bad_request");
  assert_refused (SC_PLATFORM_OP_REDEEM,
                  REDEEM_HEAD ", \"lines\": [{\"line_id\": \"1\", \"qty\": 0}]}", 400,
                  "bad_request");
  assert_refused (SC_PLATFORM_OP_REDEEM,
                  REDEEM_HEAD ", \"lines\": [{\"line_id\": \"1\"}]}", 400, "bad_request");
  assert_refused (SC_PLATFORM_OP_REDEEM,
                  REDEEM_HEAD ", \"lines\": [{\"line_id\": \"1\", \"qty\": 1},"
                  " {\"line_id\": \"1\", \"qty\": 2}]}", 400, "bad_request");
  assert_refused (SC_PLATFORM_OP_REDEEM,
                  REDEEM_HEAD ", \"lines\": [{\"line_id\": \"a b\", \"qty\": 1}]}", 400,
                  "bad_request");

  mark = read_text (SC_PLATFORM_OP_MARK_MISSING,
                    "{\"qty\": 2, \"reason\": \"damaged\", \"note\": \"wet\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (mark->count, ==, 2);
  g_assert_cmpstr (mark->reason, ==, "damaged");
  g_assert_cmpstr (mark->note, ==, "wet");
  assert_refused (SC_PLATFORM_OP_MARK_MISSING, "{\"qty\": 1, \"reason\": \"lost\"}", 400,
                  "bad_request");
  assert_refused (SC_PLATFORM_OP_MARK_MISSING, "{\"reason\": \"missing\"}", 400,
                  "bad_request");
  assert_refused (SC_PLATFORM_OP_MARK_MISSING, "{\"qty\": 1}", 400, "bad_request");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/platform-request/login", test_login);
  g_test_add_func ("/platform-request/nul", test_nul);
  g_test_add_func ("/platform-request/redeem", test_redeem);
  g_test_add_func ("/platform-request/too-large", test_too_large);
  g_test_add_func ("/platform-request/admin-count", test_admin_count);
  g_test_add_func ("/platform-request/lines", test_lines);

  return g_test_run ();
}
