/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-db.h"
#include "sc-db-private.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* The database file on disk, before SQLite opens it: its folder, its mode. */

/* DESIGN §13: database files 0600. SQLite creates -wal and -shm with the
 * main file's mode, so the main file is created 0600 before SQLite opens
 * it, whatever the umask; files an older version left readable by others
 * are made private. */
static gboolean
make_private (const char  *path,
              GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  int fd;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0)
    close (fd);
  else if (errno != EEXIST)
    {
      int saved_errno = errno;

      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_OPEN,
                   _("Cannot open the local database “%s”: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      if (g_lstat (file, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0077) != 0)
        {
          if (g_chmod (file, st.st_mode & 0700) == 0)
            g_debug ("Made %s private (it was %o)", file, (guint) (st.st_mode & 0777));
          else
            g_warning ("Cannot make %s private: %s", file, g_strerror (errno));
        }
    }

  return TRUE;
}

gboolean
sc_db_prepare_file (const char  *path,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_OPEN,
                   _("Cannot open the local database “%s”: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  return make_private (path, error);
}
