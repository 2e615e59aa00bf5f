/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-demo-code.h"

void
sc_demo_code_free (ScDemoCode *code)
{
  if (code == NULL)
    return;
  g_free (code->payload);
  g_free (code->status);
  g_free (code->kind);
  g_free (code->note);
  g_free (code);
}
