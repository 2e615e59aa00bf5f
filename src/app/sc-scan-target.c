/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-scan-target.h"

G_DEFINE_INTERFACE (ScScanTarget, sc_scan_target, GTK_TYPE_WIDGET)

static void
sc_scan_target_default_init (ScScanTargetInterface *iface)
{
}

gboolean
sc_scan_target_take_code (ScScanTarget *self,
                          const char   *code,
                          const char   *source)
{
  ScScanTargetInterface *iface;

  g_return_val_if_fail (SC_IS_SCAN_TARGET (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  iface = SC_SCAN_TARGET_GET_IFACE (self);
  g_return_val_if_fail (iface->take_code != NULL, FALSE);
  return iface->take_code (self, code, source);
}

void
sc_scan_target_focus_entry (ScScanTarget *self)
{
  ScScanTargetInterface *iface;

  g_return_if_fail (SC_IS_SCAN_TARGET (self));

  iface = SC_SCAN_TARGET_GET_IFACE (self);
  if (iface->focus_entry != NULL)
    iface->focus_entry (self);
}
