/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-test-tls.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sc-test-platform.h"

/* Runs openssl with @args (NULL-terminated) in @dir; asserts it exits 0. */
static void
openssl (const char *dir,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (char *) "openssl");
  va_start (ap, dir);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("openssl %s failed: %s", (const char *) argv->pdata[1], err);
}

/* A new P-256 key in @dir/@name. */
static void
new_key (const char *dir,
         const char *name)
{
  openssl (dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
           "-out", name, NULL);
}

/* @name: a certificate for @cn with @ext (a file of v3 extensions), key
 * key.pem, signed by the CA, valid for @days (-1: it expired yesterday). */
static void
sign (const char *dir,
      const char *name,
      const char *cn,
      const char *ext,
      const char *days,
      const char *serial)
{
  g_autofree char *subject = g_strconcat ("/CN=", cn, NULL);

  openssl (dir, "req", "-new", "-key", "key.pem", "-subj", subject, "-out", "req.csr", NULL);
  openssl (dir, "x509", "-req", "-in", "req.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
           "-set_serial", serial, "-days", days, "-extfile", ext, "-out", name, NULL);
}

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

ScTestTls *
sc_test_tls_new (void)
{
  ScTestTls *self = g_new0 (ScTestTls, 1);
  g_autoptr(GError) error = NULL;
  const char *dir;

  self->dir = g_dir_make_tmp ("sc-test-tls-XXXXXX", &error);
  g_assert_no_error (error);
  dir = self->dir;

  write_file (dir, "loopback.ext",
              "basicConstraints=critical,CA:FALSE\n"
              "extendedKeyUsage=serverAuth\n"
              "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  write_file (dir, "other.ext",
              "basicConstraints=critical,CA:FALSE\n"
              "extendedKeyUsage=serverAuth\n"
              "subjectAltName=DNS:platform.example\n");

  new_key (dir, "ca-key.pem");
  openssl (dir, "req", "-x509", "-new", "-key", "ca-key.pem", "-subj",
           "/CN=Store Counter Test CA", "-days", "2",
           "-addext", "basicConstraints=critical,CA:TRUE",
           "-addext", "keyUsage=critical,keyCertSign,cRLSign",
           "-out", "ca.pem", NULL);

  new_key (dir, "key.pem");
  sign (dir, "good.pem", "127.0.0.1", "loopback.ext", "2", "1");
  sign (dir, "expired.pem", "127.0.0.1", "loopback.ext", "-1", "2");
  sign (dir, "wrong-name.pem", "platform.example", "other.ext", "2", "3");

  new_key (dir, "self-key.pem");
  openssl (dir, "req", "-x509", "-new", "-key", "self-key.pem", "-subj", "/CN=127.0.0.1",
           "-days", "2", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
           "-out", "self-signed.pem", NULL);

  new_key (dir, "other-key.pem");

  self->ca = g_build_filename (dir, "ca.pem", NULL);
  self->key = g_build_filename (dir, "key.pem", NULL);
  self->good = g_build_filename (dir, "good.pem", NULL);
  self->expired = g_build_filename (dir, "expired.pem", NULL);
  self->wrong_name = g_build_filename (dir, "wrong-name.pem", NULL);
  self->self_signed = g_build_filename (dir, "self-signed.pem", NULL);
  self->self_key = g_build_filename (dir, "self-key.pem", NULL);
  self->other_key = g_build_filename (dir, "other-key.pem", NULL);
  return self;
}

void
sc_test_tls_free (ScTestTls *self)
{
  if (self == NULL)
    return;
  if (self->dir != NULL)
    sc_test_remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->ca);
  g_free (self->key);
  g_free (self->good);
  g_free (self->expired);
  g_free (self->wrong_name);
  g_free (self->self_signed);
  g_free (self->self_key);
  g_free (self->other_key);
  g_free (self);
}
