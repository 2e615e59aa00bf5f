/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The reference platform at the rush: when every counter signs in at
 * opening time, their connections arrive at once. tests/bench/bench-load.c
 * drives 50 counters for a while; this test checks the one thing that made
 * its sign-ins fail ("Connection reset by peer", or a SYN retried after 1 s):
 * the listening socket's accept queue.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <glib.h>

#include "sc-test-platform.h"

#define RUSH 64

/* How many connections wait in the accept queue of the listening socket on
 * 127.0.0.1:@port (the rx_queue of its LISTEN line in /proc/net/tcp), or
 * -1 when there is no such socket. */
static int
accept_queue (guint port)
{
  g_autofree char *text = NULL;
  g_autofree char *local = g_strdup_printf ("0100007F:%04X", port);
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/net/tcp", &text, NULL, NULL))
    return -1;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char local_address[64], remote_address[64];
      unsigned int state, tx_queue, rx_queue;

      if (sscanf (lines[i], " %*u: %63s %63s %x %x:%x", local_address, remote_address, &state,
                  &tx_queue, &rx_queue) == 5 &&
          state == 0x0A && strcmp (local_address, local) == 0)
        return (int) rx_queue;
    }
  return -1;
}

static gboolean
tick_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context for 20 ms. */
static void
tick (void)
{
  gboolean done = FALSE;

  g_timeout_add (20, tick_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The state letter of process @pid ('T' when stopped), or '?'. */
static char
process_state (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  const char *end;

  /* "PID (COMM) STATE ...": COMM may hold spaces and parentheses. */
  if (!g_file_get_contents (path, &text, NULL, NULL) || (end = strrchr (text, ')')) == NULL ||
      end[1] != ' ')
    return '?';
  return end[2];
}

static void
test_connection_rush (void)
{
  g_autoptr(ScTestPlatform) platform = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) health = NULL;
  struct sockaddr_in address;
  int fds[RUSH];
  guint connect_failures = 0;
  guint status = 0;
  guint port;
  int queued;
  gint64 deadline;

  g_test_summary ("64 counters connecting at once while the platform is busy (here: stopped) "
                  "all wait in its accept queue; none is dropped or reset");

  platform = sc_test_platform_start (NULL, &error);
  g_assert_no_error (error);
  port = (guint) g_ascii_strtoull (strrchr (platform->url, ':') + 1, NULL, 10);
  g_assert_cmpint (accept_queue (port), ==, 0);

  /* From here until SIGCONT, no assertion: a stopped platform would not
   * stop on the teardown's SIGTERM. */
  g_subprocess_send_signal (platform->process, SIGSTOP);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (process_state (g_subprocess_get_identifier (platform->process)) != 'T' &&
         g_get_monotonic_time () < deadline)
    tick ();
  memset (&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_port = htons ((uint16_t) port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  for (guint i = 0; i < RUSH; i++)
    {
      fds[i] = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fds[i] < 0 ||
          (connect (fds[i], (struct sockaddr *) &address, sizeof address) != 0 &&
           errno != EINPROGRESS))
        connect_failures++;
    }

  /* Loopback handshakes complete at once; a dropped SYN is only retried
   * after a second. Wait up to 2 s for all of them to be queued. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while ((queued = accept_queue (port)) < RUSH && g_get_monotonic_time () < deadline)
    tick ();
  g_subprocess_send_signal (platform->process, SIGCONT);
  for (guint i = 0; i < RUSH; i++)
    if (fds[i] >= 0)
      close (fds[i]);

  g_test_message ("%d of %d connections waited in the accept queue", queued, RUSH);
  g_assert_cmpuint (connect_failures, ==, 0);
  g_assert_cmpint (queued, ==, RUSH);

  health = sc_test_platform_request (platform, "GET", "/v1/health", NULL, NULL, NULL, &status,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/platform-load/connection-rush", test_connection_rush);

  return g_test_run ();
}
