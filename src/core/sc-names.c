/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sc-names.h"

int
sc_names_find (const char * const *names,
               guint               n_names,
               const char         *str)
{
  if (str == NULL)
    return -1;

  for (guint i = 0; i < n_names; i++)
    if (names[i] != NULL && strcmp (names[i], str) == 0)
      return (int) i;

  return -1;
}
