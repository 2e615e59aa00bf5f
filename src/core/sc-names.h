/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * sc-names: the wire names of an enum, as a table indexed by its values
 * (sc-code's kinds, sc-verdict's statuses and coupon types, sc-redemption's
 * states, the JSON reader's enum members).
 */

/* The index of @str in @names (@n_names of them, NULL entries skipped), or
 * -1 when @str is NULL or not one of them. */
int sc_names_find (const char * const *names,
                   guint               n_names,
                   const char         *str);

G_END_DECLS
