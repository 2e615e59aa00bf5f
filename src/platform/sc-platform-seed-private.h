/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the files of the demo seed share (sc-platform-seed.c, the demo;
 * sc-platform-seed-bulk.c, the admin calls' bulk orders): the tables of
 * sc-platform-seed-data.c. Any thread. */

#define DAY_S  (24 * 3600)

typedef struct
{
  const char *name;
  gint64      price_fen;
} ScPlatformSeedProduct;

#define SC_PLATFORM_SEED_N_PRODUCTS 22
extern const ScPlatformSeedProduct sc_platform_seed_products[SC_PLATFORM_SEED_N_PRODUCTS];

/* A customer's surname, and a given name, drawn from @rand (one draw each). */
const char *sc_platform_seed_surname    (GRand *rand);
const char *sc_platform_seed_given_name (GRand *rand);

G_END_DECLS
