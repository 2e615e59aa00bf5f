/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-demo-code: one entry of the reference platform's demo codes
 * (GET /v1/admin/demo-codes, a test-only admin call). */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *payload;  /* (owned) */
  char *status;   /* (owned) the verdict status's wire name */
  char *kind;     /* (owned) */
  char *note;     /* (owned) (nullable) */
} ScDemoCode;

void              sc_demo_code_free                      (ScDemoCode          *code);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScDemoCode, sc_demo_code_free)

G_END_DECLS
