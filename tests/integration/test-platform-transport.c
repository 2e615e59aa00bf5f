/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sc-test-platform.h"

/* The reference platform's transport under abuse (DESIGN §13): connections
 * the client closed, oversized bodies, the admin token, NUL in JSON text.
 * Each test talks to a real store-counter-platform process, mostly over
 * raw sockets so that it can send what a well-behaved client never would. */

#define N_SHORT_CONNECTIONS 5000
#define FD_MARGIN           10
#define RSS_MARGIN_KIB      (20 * 1024)
#define CHUNK_BYTES         (64 * 1024)

typedef ScTestPlatformFixture Fixture;

/* ---- the platform process as the kernel sees it ---- */

static const char *
platform_pid (Fixture *f)
{
  g_assert_nonnull (f->platform->process);
  return g_subprocess_get_identifier (f->platform->process);
}

static guint
count_fds (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", platform_pid (f));
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static guint64
rss_kib (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", platform_pid (f));
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *line;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  line = strstr (text, "\nVmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
}

/* The platform closes what its clients closed at its own pace: wait (a
 * bounded poll of another process's state) until the count settles under
 * @limit, and return the last count. */
static guint
wait_fds_at_most (Fixture *f,
                  guint    limit)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint n;

  while ((n = count_fds (f)) > limit && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  return n;
}

static void
assert_health (Fixture *f)
{
  g_autoptr(JsonObject) answer = sc_test_platform_call (f->platform, "GET", "/v1/health", NULL,
                                                        NULL, NULL, 200);

  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "ok");
}

/* ---- raw HTTP ---- */

static GSocketConnection *
raw_connect (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *conn;

  g_socket_client_set_timeout (client, 60);
  g_assert_true (g_str_has_prefix (f->platform->url, "http://"));
  conn = g_socket_client_connect_to_host (client, f->platform->url + strlen ("http://"), 0, NULL,
                                          &error);
  g_assert_no_error (error);
  return conn;
}

static void
raw_write (GSocketConnection *conn,
           const char        *text)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Reads one answer: its status (0 when the connection ended first), and
 * its body when @out_body is not NULL. */
static guint
raw_read_answer (GSocketConnection  *conn,
                 char              **out_body)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  g_autoptr(GString) buf = g_string_new (NULL);
  gssize body_at = -1;   /* offset of the body once the headers are in */
  guint64 content_length = 0;
  guint status = 0;
  char chunk[4096];

  if (out_body != NULL)
    *out_body = NULL;
  while (body_at < 0 || buf->len < (gsize) body_at + content_length)
    {
      gssize n = g_input_stream_read (in, chunk, sizeof chunk, NULL, NULL);
      const char *end;

      if (n <= 0)
        break;
      g_string_append_len (buf, chunk, n);
      if (body_at < 0 && (end = strstr (buf->str, "\r\n\r\n")) != NULL)
        {
          const char *cl = g_strstr_len (buf->str, end - buf->str, "Content-Length:");

          body_at = end + 4 - buf->str;
          if (cl != NULL)
            content_length = g_ascii_strtoull (cl + strlen ("Content-Length:"), NULL, 10);
        }
    }
  if (g_str_has_prefix (buf->str, "HTTP/1.1 ") || g_str_has_prefix (buf->str, "HTTP/1.0 "))
    status = (guint) g_ascii_strtoull (buf->str + 9, NULL, 10);
  if (out_body != NULL && body_at >= 0)
    *out_body = g_strdup (buf->str + body_at);
  return status;
}

/* Sends body bytes of @declared length (0: chunked) until the platform
 * answers or @max_bytes are sent. Returns the bytes sent. */
static guint64
raw_push_body (GSocketConnection *conn,
               gboolean           chunked,
               guint64            max_bytes)
{
  GSocket *socket = g_socket_connection_get_socket (conn);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autofree char *data = g_malloc (CHUNK_BYTES);
  g_autofree char *size_line = g_strdup_printf ("%x\r\n", CHUNK_BYTES);
  guint64 sent = 0;

  memset (data, 'a', CHUNK_BYTES);
  while (sent < max_bytes && (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN) == 0)
    {
      if (chunked &&
          !g_output_stream_write_all (out, size_line, strlen (size_line), NULL, NULL, NULL))
        break;
      if (!g_output_stream_write_all (out, data, CHUNK_BYTES, NULL, NULL, NULL))
        break;
      if (chunked && !g_output_stream_write_all (out, "\r\n", 2, NULL, NULL, NULL))
        break;
      sent += CHUNK_BYTES;
    }
  return sent;
}

static char *
post_headers (const char *path,
              const char *length_header)
{
  return g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Type: application/json\r\n%s\r\n\r\n", path, length_header);
}

/* ---- row 1: connections the client closed ---- */

static void
test_closed_connections (Fixture       *f,
                         gconstpointer  data)
{
  guint before, after;

  g_test_summary ("Issue 9 row 1: 5,000 short connections (one request each, then closed "
                  "by the client) leave the platform's file descriptors flat, and it "
                  "still answers.");

  assert_health (f);
  before = count_fds (f);
  for (guint i = 0; i < N_SHORT_CONNECTIONS; i++)
    {
      g_autoptr(GSocketConnection) conn = raw_connect (f);

      raw_write (conn, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      g_assert_cmpuint (raw_read_answer (conn, NULL), ==, 200);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    }
  after = wait_fds_at_most (f, before + FD_MARGIN);
  g_test_message ("platform fds: %u before, %u after %d short connections", before, after,
                  N_SHORT_CONNECTIONS);
  g_assert_cmpuint (after, <=, before + FD_MARGIN);
  assert_health (f);
}

static void
test_session_many_requests (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30,
                                                                  "proxy-resolver", direct,
                                                                  NULL);
  g_autofree char *uri = g_strconcat (f->platform->url, "/v1/health", NULL);
  guint before, after;

  g_test_summary ("Issue 9 row 1: one client session making many requests gets every "
                  "answer, and the platform keeps no descriptor for it afterwards.");

  before = count_fds (f);
  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;

      body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    }
  g_clear_object (&session);
  after = wait_fds_at_most (f, before + FD_MARGIN);
  g_test_message ("platform fds: %u before, %u after 500 requests of one session", before,
                  after);
  g_assert_cmpuint (after, <=, before + FD_MARGIN);
}

static void
test_cli_runs (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *code = sc_test_platform_demo_code (f->platform, "redeemable", "pickup", 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("sc-transport-cli-XXXXXX", &error);
  g_autofree char *data_home = g_build_filename (tmpdir, "data", NULL);
  guint before, after;

  g_test_summary ("Issue 9 row 1: store-counter command-line runs leave no descriptor "
                  "behind in the platform.");

  g_assert_no_error (error);
  before = count_fds (f);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL, *err = NULL;
      const char *argv[] = {
        g_getenv ("SC_COUNTER_BIN"), "--platform-url", f->platform->url, "--login", "1001:1",
        "--lookup", code, NULL
      };

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
      process = g_subprocess_launcher_spawnv (launcher, argv, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, "1234\n", NULL, &out, &err, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_exit_status (process) != 0)
        g_test_message ("store-counter: %s %s", out, err);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    }
  after = wait_fds_at_most (f, before + 1);
  g_test_message ("platform fds: %u before, %u after 5 command-line runs", before, after);
  g_assert_cmpuint (after, <=, before + 1);
  sc_test_remove_tree (tmpdir);
}

/* ---- row 7: oversized bodies ---- */

/* POSTs to /v1/sessions with @length_header and up to @max_bytes of body
 * (chunked if @chunked, then ended unless the platform has answered) and
 * asserts that the platform's RSS stays within RSS_MARGIN_KIB. Returns the
 * HTTP status, with *@out_sent and *@out_body (if not NULL). */
static guint
post_oversized (Fixture     *f,
                const char  *what,
                const char  *length_header,
                gboolean     chunked,
                guint64      max_bytes,
                guint64     *out_sent,
                char       **out_body)
{
  g_autoptr(GSocketConnection) conn = raw_connect (f);
  g_autofree char *headers = post_headers ("/v1/sessions", length_header);
  GSocket *socket = g_socket_connection_get_socket (conn);
  guint64 before, after;
  guint status;

  before = rss_kib (f);
  raw_write (conn, headers);
  *out_sent = raw_push_body (conn, chunked, max_bytes);
  if (chunked && (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN) == 0)
    raw_write (conn, "0\r\n\r\n");
  status = raw_read_answer (conn, out_body);
  after = rss_kib (f);
  g_test_message ("%s: %u after %" G_GUINT64_FORMAT " bytes sent; RSS %" G_GUINT64_FORMAT
                  " -> %" G_GUINT64_FORMAT " KiB", what, status, *out_sent, before, after);
  g_assert_cmpuint (after, <=, before + RSS_MARGIN_KIB);
  return status;
}

static void
test_oversized_declared (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *body = NULL;
  guint64 sent;
  guint status;

  g_test_summary ("Issue 9 row 7: a POST declaring 100 MiB is refused with 413 from its "
                  "Content-Length, before its body is buffered: the platform's RSS stays "
                  "within 20 MiB.");

  status = post_oversized (f, "100 MiB POST", "Content-Length: 104857600", FALSE,
                           100 * 1024 * 1024, &sent, &body);
  g_assert_cmpuint (status, ==, 413);
  g_assert_nonnull (strstr (body, "\"too_large\""));
  assert_health (f);
}

static void
test_oversized_slow (Fixture       *f,
                     gconstpointer  data)
{
  GSocketConnection *conns[6];
  g_autofree char *headers = post_headers ("/v1/codes/lookup", "Content-Length: 1073741824");
  guint64 before, after, sent = 0;
  guint fds_before, fds_after;

  g_test_summary ("Issue 9 row 7: six connections declaring 1 GiB each and sending slowly "
                  "are each refused with 413; the platform's RSS stays within 20 MiB.");

  before = rss_kib (f);
  fds_before = count_fds (f);
  for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
    {
      conns[i] = raw_connect (f);
      raw_write (conns[i], headers);
    }
  /* Round-robin, a chunk at a time, up to 16 MiB each. */
  for (guint round = 0; round < 256; round++)
    for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
      sent += raw_push_body (conns[i], FALSE, CHUNK_BYTES);
  after = rss_kib (f);
  g_test_message ("6 x 1 GiB declared, %" G_GUINT64_FORMAT " bytes sent in all: RSS %"
                  G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT " KiB", sent, before, after);
  g_assert_cmpuint (after, <=, before + RSS_MARGIN_KIB);
  for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
    {
      g_assert_cmpuint (raw_read_answer (conns[i], NULL), ==, 413);
      g_io_stream_close (G_IO_STREAM (conns[i]), NULL, NULL);
      g_clear_object (&conns[i]);
    }
  fds_after = wait_fds_at_most (f, fds_before + 1);
  g_test_message ("platform fds: %u before, %u after the refused connections closed",
                  fds_before, fds_after);
  g_assert_cmpuint (fds_after, <=, fds_before + 2);
  assert_health (f);
}

static void
test_oversized_chunked (Fixture       *f,
                        gconstpointer  data)
{
  guint64 sent;
  guint status;

  g_test_summary ("Issue 9 row 7: a chunked POST without a declared length is refused with "
                  "413 once it passes the limit, while it is read.");

  status = post_oversized (f, "chunked POST", "Transfer-Encoding: chunked", TRUE,
                           64 * 1024 * 1024, &sent, NULL);
  g_assert_cmpuint (status, ==, 413);
  g_assert_cmpuint (sent, <, 8 * 1024 * 1024);
  assert_health (f);
}

static void
test_small_bodies_still_read (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GSocketConnection) conn = raw_connect (f);
  g_autofree char *headers = post_headers ("/v1/sessions", "Transfer-Encoding: chunked");
  const char *json = "{\"store_id\": \"1001\", \"clerk_id\": \"1\", \"pin\": \"1234\"}";
  g_autofree char *chunks = g_strdup_printf ("%zx\r\n%s\r\n0\r\n\r\n", strlen (json), json);
  g_autofree char *body = NULL;

  g_test_summary ("Issue 9 row 7: a small chunked body is still read and answered.");

  raw_write (conn, headers);
  raw_write (conn, chunks);
  g_assert_cmpuint (raw_read_answer (conn, &body), ==, 201);
  g_assert_nonnull (strstr (body, "\"token\""));
}

/* ---- row 10: the admin token ---- */

typedef struct
{
  GSubprocess *process;  /* (owned) (nullable) */
  char        *url;      /* (owned) (nullable) */
  char        *stderr_text;
  int          exit_status;
} Spawned;

static void
spawned_clear (Spawned *s)
{
  if (s->process != NULL)
    {
      g_subprocess_send_signal (s->process, SIGTERM);
      g_subprocess_wait (s->process, NULL, NULL);
    }
  g_clear_object (&s->process);
  g_clear_pointer (&s->url, g_free);
  g_clear_pointer (&s->stderr_text, g_free);
}

/* Starts the platform with --admin-token-file @token_file; on success
 * s->url is set, else s->exit_status and s->stderr_text. */
static void
spawn_with_token_file (const char *dir,
                       const char *token_file,
                       Spawned    *s)
{
  g_autofree char *db = g_build_filename (dir, "platform.db", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    g_getenv ("SC_PLATFORM_BIN"), "--listen", "127.0.0.1:0", "--seed-demo", "--db", db,
    "--admin-token-file", token_file, NULL
  };

  memset (s, 0, sizeof *s);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  s->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  s->url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
  if (s->url == NULL)
    {
      g_autoptr(GBytes) err = NULL;
      gsize len;

      g_subprocess_wait (s->process, NULL, NULL);
      s->exit_status = g_subprocess_get_if_exited (s->process)
                       ? g_subprocess_get_exit_status (s->process) : -1;
      err = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (s->process), 4096, NULL,
                                       NULL);
      s->stderr_text = err != NULL ? g_strndup (g_bytes_get_data (err, &len),
                                                g_bytes_get_size (err)) : g_strdup ("");
      g_clear_object (&s->process);
    }
}

static guint
admin_status (const char *url,
              const char *token)
{
  ScTestPlatform view = { .url = (char *) url };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  guint status = 0;

  answer = sc_test_platform_request (&view, "GET", "/v1/admin/clock", token, NULL, NULL,
                                     &status, &error);
  g_assert_no_error (error);
  return status;
}

static void
test_admin_token_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sc-transport-XXXXXX", &error);
  g_autofree char *good = NULL, *empty = NULL, *missing = NULL, *with_newline = NULL;
  const char *token = "t0ken-from-a-file-9f3a";
  Spawned s;

  g_test_summary ("Issue 9 row 10: --admin-token-file reads the admin token from a file "
                  "(not visible in ps); the token is compared whole, so a prefix, a longer "
                  "token or one differing in its last byte is refused; an empty or "
                  "unreadable file stops the platform with exit status 2.");

  g_assert_no_error (error);
  good = g_build_filename (dir, "token", NULL);
  empty = g_build_filename (dir, "empty", NULL);
  missing = g_build_filename (dir, "missing", NULL);
  with_newline = g_strconcat (token, "\n", NULL);
  g_file_set_contents (good, with_newline, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (empty, "\n", -1, &error);
  g_assert_no_error (error);

  spawn_with_token_file (dir, good, &s);
  if (s.url == NULL)
    g_test_message ("the platform refused --admin-token-file: exit %d: %s", s.exit_status,
                    s.stderr_text);
  g_assert_nonnull (s.url);
  {
    g_autofree char *last = g_strdup (token);
    g_autofree char *prefix = g_strndup (token, strlen (token) - 1);
    g_autofree char *longer = g_strconcat (token, "x", NULL);

    last[strlen (last) - 1] = 'b';
    g_assert_cmpuint (admin_status (s.url, token), ==, 200);
    g_assert_cmpuint (admin_status (s.url, last), ==, 401);
    g_assert_cmpuint (admin_status (s.url, prefix), ==, 401);
    g_assert_cmpuint (admin_status (s.url, longer), ==, 401);
    g_assert_cmpuint (admin_status (s.url, "x"), ==, 401);
  }
  spawned_clear (&s);

  spawn_with_token_file (dir, empty, &s);
  g_assert_null (s.url);
  g_test_message ("empty file: exit %d: %s", s.exit_status, s.stderr_text);
  g_assert_cmpint (s.exit_status, ==, 2);
  g_assert_nonnull (strstr (s.stderr_text, "empty"));
  spawned_clear (&s);

  spawn_with_token_file (dir, missing, &s);
  g_assert_null (s.url);
  g_test_message ("missing file: exit %d: %s", s.exit_status, s.stderr_text);
  g_assert_cmpint (s.exit_status, ==, 2);
  g_assert_nonnull (strstr (s.stderr_text, "missing"));
  spawned_clear (&s);

  sc_test_remove_tree (dir);
}

static void
test_admin_token_compare (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *last = g_strdup (f->platform->admin_token);
  g_autofree char *prefix = g_strndup (f->platform->admin_token,
                                       strlen (f->platform->admin_token) - 1);

  g_test_summary ("Issue 9 row 10: the admin token from --admin-token is compared whole: "
                  "the same length differing in the last byte, or a prefix, is refused.");

  last[strlen (last) - 1] = last[strlen (last) - 1] == '0' ? '1' : '0';
  g_assert_cmpuint (admin_status (f->platform->url, f->platform->admin_token), ==, 200);
  g_assert_cmpuint (admin_status (f->platform->url, last), ==, 401);
  g_assert_cmpuint (admin_status (f->platform->url, prefix), ==, 401);
}

/* ---- row 13: NUL in JSON text ---- */

static void
test_nul_in_strings (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sc_test_platform_login (f->platform, "1001", "1", &error);
  g_autofree char *code = NULL;
  g_autofree char *lookup = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) clean = NULL;
  guint status = 0;

  g_test_summary ("Issue 9 row 13: a JSON string holding \\u0000 is refused with 400 "
                  "bad_request, so that a PIN or a payload cannot be cut short by it.");

  g_assert_no_error (error);
  answer = sc_test_platform_request (f->platform, "POST", "/v1/sessions", NULL,
                                     "{\"store_id\": \"1001\", \"clerk_id\": \"1\", "
                                     "\"pin\": \"1234\\u0000garbage\"}", NULL, &status, &error);
  g_assert_no_error (error);
  g_test_message ("PIN \"1234\\u0000garbage\": HTTP %u", status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (sc_test_platform_error_code (answer), ==, "bad_request");
  g_clear_pointer (&answer, json_object_unref);

  code = sc_test_platform_demo_code (f->platform, "redeemable", "pickup", 0);
  lookup = g_strdup_printf ("{\"payload\": \"%s\\u0000xyz\"}", code);
  answer = sc_test_platform_request (f->platform, "POST", "/v1/codes/lookup", token, lookup,
                                     NULL, &status, &error);
  g_assert_no_error (error);
  g_test_message ("payload \"<code>\\u0000xyz\": HTTP %u", status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (sc_test_platform_error_code (answer), ==, "bad_request");
  g_clear_pointer (&answer, json_object_unref);

  /* In a member name too; an escaped backslash before "u0000" is no NUL. */
  answer = sc_test_platform_request (f->platform, "POST", "/v1/codes/lookup", token,
                                     "{\"payload\": \"x\", \"pay\\u0000load\": 1}", NULL,
                                     &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&answer, json_object_unref);
  clean = sc_test_platform_call (f->platform, "POST", "/v1/codes/lookup", token,
                                 "{\"payload\": \"\\\\u0000\"}", NULL, 400);
  g_assert_cmpstr (sc_test_platform_error_code (clean), ==, "malformed");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  sc_test_platform_add ("/platform-transport/closed-connections", test_closed_connections);
  sc_test_platform_add ("/platform-transport/session-many-requests", test_session_many_requests);
  sc_test_platform_add ("/platform-transport/cli-runs", test_cli_runs);
  sc_test_platform_add ("/platform-transport/oversized/declared", test_oversized_declared);
  sc_test_platform_add ("/platform-transport/oversized/slow", test_oversized_slow);
  sc_test_platform_add ("/platform-transport/oversized/chunked", test_oversized_chunked);
  sc_test_platform_add ("/platform-transport/small-chunked-body", test_small_bodies_still_read);
  g_test_add_func ("/platform-transport/admin-token-file", test_admin_token_file);
  sc_test_platform_add ("/platform-transport/admin-token-compare", test_admin_token_compare);
  sc_test_platform_add ("/platform-transport/nul-in-strings", test_nul_in_strings);

  return g_test_run ();
}
