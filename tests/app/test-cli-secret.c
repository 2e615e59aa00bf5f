/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CLI's PIN reader (DESIGN §13: every PIN buffer wiped): it reads a
 * line from a file descriptor without stdio, and leaves no copy in its
 * buffer, whatever the outcome. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "sc-cli.h"
#include "sc-secret.h"

static gboolean
all_zero (const char *buf,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (buf[i] != '\0')
      return FALSE;
  return TRUE;
}

/* A pipe holding @input, its write end closed. Returns the read end. */
static int
pipe_with (const char *input,
           gsize       len)
{
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], input, len), ==, (gssize) len);
  close (fds[1]);
  return fds[0];
}

/* sc_cli_read_secret() from @fd through @scratch, which holds "xxx…"
 * before and only zeros after, whatever the outcome. */
static ScSecretText *
read_wiping (int      fd,
             char    *scratch,
             gsize    size,
             GError **error)
{
  ScSecretText *pin;

  memset (scratch, 'x', size);
  pin = sc_cli_read_secret (fd, scratch, size, error);
  g_assert_true (all_zero (scratch, size));
  return pin;
}

static void
test_reads_and_wipes (void)
{
  char scratch[32];
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSecretText) pin = NULL;
  g_autoptr(ScSecretText) second = NULL;
  char rest[16] = { 0 };
  int fd = pipe_with ("  4821 \nnext line\n", 18);

  g_test_summary ("A PIN line is returned without blanks, the buffer it went through is "
                  "all zeros afterwards, and nothing after the line is consumed");

  pin = read_wiping (fd, scratch, sizeof scratch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pin, ==, "4821");

  /* The next line is still there. */
  g_assert_cmpint (read (fd, rest, sizeof rest - 1), ==, 10);
  g_assert_cmpstr (rest, ==, "next line\n");
  close (fd);

  /* No newline at the end is fine. */
  fd = pipe_with ("9999", 4);
  second = read_wiping (fd, scratch, sizeof scratch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, "9999");
  close (fd);
}

static void
test_errors_wipe_too (void)
{
  char scratch[8];
  g_autoptr(GError) error = NULL;
  char *pin;
  int fd = pipe_with ("123456789012\n", 13);

  g_test_summary ("A line too long for the buffer, or no input at all, is an error in "
                  "words, and the buffer is wiped all the same");

  pin = read_wiping (fd, scratch, sizeof scratch, &error);
  g_assert_null (pin);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "too long"));
  g_clear_error (&error);
  close (fd);

  fd = pipe_with ("", 0);
  pin = read_wiping (fd, scratch, sizeof scratch, &error);
  g_assert_null (pin);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  close (fd);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli-secret/reads-and-wipes", test_reads_and_wipes);
  g_test_add_func ("/cli-secret/errors-wipe-too", test_errors_wipe_too);

  return g_test_run ();
}
