/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-test-platform.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

GAsyncResult *
sc_test_wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + SC_TEST_WAIT_S * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return *slot;
}

void
sc_test_result_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

/* In the child: die with the test, so that a failed test never leaves a
 * platform behind holding the test runner's pipes. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
spawn (ScTestPlatform  *self,
       const char      *listen,
       GError         **error)
{
  const char *bin = g_getenv ("SC_PLATFORM_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  if (bin == NULL || bin[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "SC_PLATFORM_BIN is not set");
      return FALSE;
    }

  g_ptr_array_add (argv, (char *) bin);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) listen);
  g_ptr_array_add (argv, (char *) "--seed-demo");
  g_ptr_array_add (argv, (char *) "--admin-token");
  g_ptr_array_add (argv, self->admin_token);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, self->db_path);
  for (guint i = 0; self->extra_args != NULL && self->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, self->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  /* Under ASan, LeakSanitizer's tracer crashes (SIGSEGV, "Tracer caught
   * signal 11") at the exit of a process that did GnuTLS handshakes, here
   * with GCC 12's libsanitizer: an HTTPS platform runs without the leak
   * check (address and UB checks stay on). */
  if (self->extra_args != NULL && g_strv_contains ((const char * const *) self->extra_args,
                                                   "--tls-cert") &&
      g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_autofree char *options = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":detect_leaks=0",
                                              NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (process == NULL)
    return FALSE;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);
  if (line == NULL ||
      (!g_str_has_prefix (line, "http://") && !g_str_has_prefix (line, "https://")))
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "the platform did not print its URL (got “%s”)", line ? line : "");
      return FALSE;
    }

  g_clear_object (&self->process);
  self->process = g_steal_pointer (&process);
  g_free (self->url);
  self->url = g_steal_pointer (&line);
  return TRUE;
}

void
sc_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        sc_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

ScTestPlatform *
sc_test_platform_start (const char * const  *extra_args,
                        GError             **error)
{
  ScTestPlatform *self = g_new0 (ScTestPlatform, 1);
  g_autofree char *uuid = g_uuid_string_random ();
  g_auto(GStrv) parts = g_strsplit (uuid, "-", -1);

  self->admin_token = g_strjoinv ("", parts);
  self->extra_args = g_strdupv ((char **) extra_args);
  self->tmpdir = g_dir_make_tmp ("sc-platform-XXXXXX", error);
  if (self->tmpdir == NULL)
    {
      sc_test_platform_stop (self);
      return NULL;
    }
  self->db_path = g_build_filename (self->tmpdir, "platform.db", NULL);

  if (!spawn (self, "127.0.0.1:0", error))
    {
      sc_test_platform_stop (self);
      return NULL;
    }
  return self;
}

static void
terminate (ScTestPlatform *self)
{
  if (self->process == NULL)
    return;
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  /* A clean stop exits 0; anything else (a crash, a sanitizer report) is a
   * bug worth failing the test for. */
  if (!g_subprocess_get_if_exited (self->process) ||
      g_subprocess_get_exit_status (self->process) != 0)
    g_warning ("store-counter-platform did not stop cleanly (wait status %d)",
               g_subprocess_get_status (self->process));
  g_clear_object (&self->process);
}

void
sc_test_platform_stop (ScTestPlatform *self)
{
  if (self == NULL)
    return;
  terminate (self);
  if (self->tmpdir != NULL)
    sc_test_remove_tree (self->tmpdir);
  g_free (self->url);
  g_free (self->admin_token);
  g_free (self->db_path);
  g_free (self->tmpdir);
  g_strfreev (self->extra_args);
  g_free (self);
}

void
sc_test_platform_kill (ScTestPlatform *self)
{
  g_return_if_fail (self != NULL);

  if (self->process == NULL)
    return;
  g_subprocess_force_exit (self->process);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
}

gboolean
sc_test_platform_restart_with (ScTestPlatform      *self,
                               const char * const  *extra_args,
                               GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  g_strfreev (self->extra_args);
  self->extra_args = g_strdupv ((char **) extra_args);
  return sc_test_platform_restart (self, error);
}

gboolean
sc_test_platform_restart (ScTestPlatform  *self,
                          GError         **error)
{
  const char *colon;
  g_autofree char *listen = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  terminate (self);
  colon = self->url != NULL ? strrchr (self->url, ':') : NULL;
  if (colon != NULL)
    {
      listen = g_strdup_printf ("127.0.0.1:%s", colon + 1);
      if (spawn (self, listen, NULL))
        return TRUE;
    }
  return spawn (self, "127.0.0.1:0", error);
}

/* The harness talks to the platform it started, whatever its certificate:
 * the tests look at what the product's client makes of it. */
static gboolean
accept_any_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  return TRUE;
}

JsonObject *
sc_test_platform_request (ScTestPlatform  *self,
                          const char      *method,
                          const char      *path,
                          const char      *bearer,
                          const char      *json_body,
                          const char      *idempotency_key,
                          guint           *out_status,
                          GError         **error)
{
  /* A direct connection: the default proxy resolver would read GSettings,
   * which isolated test directories do not have. */
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60,
                                                                  "proxy-resolver", direct,
                                                                  NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *uri = NULL;
  SoupMessageHeaders *headers;
  JsonNode *root;
  gsize len;
  const char *data;

  g_return_val_if_fail (self != NULL && self->url != NULL, NULL);

  if (out_status != NULL)
    *out_status = 0;

  uri = g_strconcat (self->url, path, NULL);
  msg = soup_message_new (method, uri);
  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad URI %s", uri);
      return NULL;
    }
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), NULL);
  headers = soup_message_get_request_headers (msg);
  if (bearer != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (json_body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }

  bytes = soup_session_send_and_read (session, msg, NULL, error);
  if (bytes == NULL)
    return NULL;
  if (out_status != NULL)
    *out_status = soup_message_get_status (msg);

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    return json_object_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "answer is not a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

char *
sc_test_platform_login (ScTestPlatform  *self,
                        const char      *store,
                        const char      *clerk,
                        GError         **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "store_id");
  json_builder_add_string_value (b, store);
  json_builder_set_member_name (b, "clerk_id");
  json_builder_add_string_value (b, clerk);
  json_builder_set_member_name (b, "pin");
  json_builder_add_string_value (b, "1234");
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  body = json_to_string (node, FALSE);

  answer = sc_test_platform_request (self, "POST", "/v1/sessions", NULL, body, NULL, &status,
                                     error);
  if (answer == NULL)
    return NULL;
  if (status != 201 || !json_object_has_member (answer, "token"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "login failed with HTTP %u", status);
      return NULL;
    }
  return g_strdup (json_object_get_string_member (answer, "token"));
}

GPtrArray *
sc_test_platform_demo_codes (ScTestPlatform *self,
                             const char     *status,
                             const char     *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  GPtrArray *payloads = g_ptr_array_new_with_free_func (g_free);
  JsonArray *codes;
  guint http = 0;

  answer = sc_test_platform_request (self, "GET", "/v1/admin/demo-codes", self->admin_token,
                                     NULL, NULL, &http, &error);
  if (answer == NULL || http != 200 || !json_object_has_member (answer, "codes"))
    {
      g_warning ("demo-codes failed: HTTP %u %s", http, error ? error->message : "");
      return payloads;
    }

  codes = json_object_get_array_member (answer, "codes");
  for (guint i = 0; i < json_array_get_length (codes); i++)
    {
      JsonObject *entry = json_array_get_object_element (codes, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "status"), status) != 0)
        continue;
      if (kind != NULL && g_strcmp0 (json_object_get_string_member (entry, "kind"), kind) != 0)
        continue;
      g_ptr_array_add (payloads, g_strdup (json_object_get_string_member (entry, "payload")));
    }
  return payloads;
}

JsonObject *
sc_test_platform_call (ScTestPlatform *self,
                       const char     *method,
                       const char     *path,
                       const char     *bearer,
                       const char     *json_body,
                       const char     *idempotency_key,
                       guint           expected_status)
{
  g_autoptr(GError) error = NULL;
  JsonObject *answer;
  guint status = 0;

  answer = sc_test_platform_request (self, method, path, bearer, json_body, idempotency_key,
                                     &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  if (status != expected_status)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), answer);
      g_autofree char *text = json_to_string (node, FALSE);

      g_test_message ("%s %s answered %u, expected %u: %s", method, path, status,
                      expected_status, text);
    }
  g_assert_cmpuint (status, ==, expected_status);
  return answer;
}

JsonObject *
sc_test_platform_admin (ScTestPlatform *self,
                        const char     *method,
                        const char     *path,
                        const char     *json_body,
                        guint           expected_status)
{
  return sc_test_platform_call (self, method, path, self->admin_token, json_body, NULL,
                                expected_status);
}

char *
sc_test_platform_demo_code (ScTestPlatform *self,
                            const char     *status,
                            const char     *kind,
                            guint           index)
{
  g_autoptr(GPtrArray) codes = sc_test_platform_demo_codes (self, status, kind);

  g_assert_nonnull (codes);
  g_assert_cmpuint (codes->len, >, index);
  return g_strdup (g_ptr_array_index (codes, index));
}

ScTestPlatform *
sc_test_platform_start_logged_in (char **out_token)
{
  g_autoptr(GError) error = NULL;
  ScTestPlatform *self = sc_test_platform_start (NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (self);
  if (out_token != NULL)
    {
      *out_token = sc_test_platform_login (self, "1001", "1", &error);
      g_assert_no_error (error);
      g_assert_nonnull (*out_token);
    }
  return self;
}

const char *
sc_test_platform_error_code (JsonObject *answer)
{
  g_assert_true (json_object_has_member (answer, "error"));
  return json_object_get_string_member (json_object_get_object_member (answer, "error"), "code");
}

void
sc_test_platform_fixture_setup (ScTestPlatformFixture *fixture,
                                gconstpointer          data)
{
  fixture->platform = sc_test_platform_start_logged_in (&fixture->token);
}

void
sc_test_platform_fixture_teardown (ScTestPlatformFixture *fixture,
                                   gconstpointer          data)
{
  g_clear_pointer (&fixture->platform, sc_test_platform_stop);
  g_clear_pointer (&fixture->token, g_free);
}

void
sc_test_platform_add (const char         *path,
                      ScTestPlatformFunc  test_func)
{
  g_test_add (path, ScTestPlatformFixture, NULL, sc_test_platform_fixture_setup, test_func,
              sc_test_platform_fixture_teardown);
}

void
sc_test_platform_call_refused (ScTestPlatform *self,
                               const char     *method,
                               const char     *path,
                               const char     *bearer,
                               const char     *json_body,
                               const char     *idempotency_key,
                               guint           expected_status,
                               const char     *expected_code)
{
  g_autoptr(JsonObject) answer = sc_test_platform_call (self, method, path, bearer, json_body,
                                                        idempotency_key, expected_status);

  g_assert_cmpstr (sc_test_platform_error_code (answer), ==, expected_code);
}

void
sc_test_platform_set_clock (ScTestPlatform *self,
                            gint64          offset_s)
{
  g_autofree char *body = g_strdup_printf ("{\"offset_s\": %" G_GINT64_FORMAT "}", offset_s);
  g_autoptr(JsonObject) answer = sc_test_platform_admin (self, "POST", "/v1/admin/clock", body,
                                                         200);
}

void
sc_test_platform_set_faults (ScTestPlatform *self,
                             const char     *json_body)
{
  g_autoptr(JsonObject) answer = sc_test_platform_admin (self, "POST", "/v1/admin/faults",
                                                         json_body, 200);
}

guint
sc_test_platform_redemption (ScTestPlatform  *self,
                             const char      *clerk,
                             const char      *id,
                             JsonObject     **out_record)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sc_test_platform_login (self, "1001", clerk, &error);
  g_autofree char *path = g_strconcat ("/v1/redemptions/", id, NULL);
  g_autoptr(JsonObject) record = NULL;
  guint status = 0;

  g_assert_no_error (error);
  record = sc_test_platform_request (self, "GET", path, token, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  if (out_record != NULL)
    *out_record = g_steal_pointer (&record);
  return status;
}

JsonObject *
sc_test_platform_assert_redeemed_by (ScTestPlatform *self,
                                     const char     *id,
                                     const char     *payload)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sc_test_platform_login (self, "1001", "2", &error);
  g_autofree char *path = g_strconcat ("/v1/redemptions/", id, NULL);
  g_autofree char *body = g_strdup_printf ("{\"payload\": \"%s\"}", payload);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) looked = NULL;
  JsonObject *redeemed;

  g_assert_no_error (error);
  record = sc_test_platform_call (self, "GET", path, token, NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (record, "redemption_id"), ==, id);

  looked = sc_test_platform_call (self, "POST", "/v1/codes/lookup", token, body, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (looked, "status"), ==, "redeemed");
  redeemed = json_object_get_object_member (looked, "redeemed");
  g_assert_nonnull (redeemed);
  g_assert_cmpstr (json_object_get_string_member (redeemed, "redemption_id"), ==, id);
  return g_steal_pointer (&record);
}

char *
sc_test_store_day (int offset_days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now, tz);
  g_autoptr(GDateTime) day = g_date_time_add_days (local, offset_days);

  return g_date_time_format (day, "%Y-%m-%d");
}
