/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zxing-cpp wrapped for C (see zxing-peer.h). */
#define ZX_USE_UTF8 1

#include "zxing-peer.h"

#include <ReadBarcode.h>
#include <ZXVersion.h>

extern "C" GPtrArray *
sc_zxing_peer_decode (const guint8 *gray,
                      int           width,
                      int           height,
                      int           stride)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  try
    {
      ZXing::ImageView image (gray, width, height, ZXing::ImageFormat::Lum, stride);
      ZXing::DecodeHints hints;

      /* Only the formats the app reads; every other hint stays at zxing's
       * default (tryHarder, tryRotate, tryDownscale: on). One symbol: the
       * frames hold one code, and Debian's 1.4.0 (built with assertions)
       * aborts in Result::operator== when it merges several results of a
       * frame (zxing-cpp issue 740, fixed in later releases). */
      hints.setFormats (ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::Code128 |
                        ZXing::BarcodeFormat::EAN13);
      hints.setMaxNumberOfSymbols (1);
      for (const ZXing::Result &result : ZXing::ReadBarcodes (image, hints))
        {
          if (result.isValid ())
            g_ptr_array_add (found, g_strdup (result.text ().c_str ()));
        }
    }
  catch (const std::exception &e)
    {
      g_warning ("zxing-cpp: %s", e.what ());
    }
  return found;
}

extern "C" const char *
sc_zxing_peer_version (void)
{
#define SC_STR(x) #x
#define SC_XSTR(x) SC_STR (x)
  return SC_XSTR (ZXING_VERSION_MAJOR) "." SC_XSTR (ZXING_VERSION_MINOR) "."
         SC_XSTR (ZXING_VERSION_PATCH);
}
