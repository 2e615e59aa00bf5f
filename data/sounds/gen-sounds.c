/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes the two scan feedback sounds as 16-bit mono WAV files (DESIGN §9):
 *   gen-sounds OK.wav ERROR.wav
 * OK: two short rising chimes (C6, G6), bright and brief: "go ahead".
 * ERROR: two low, buzzier falling pulses (E4, C4): "look at the screen".
 * Each note fades in over 3 ms and decays, so nothing clicks. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 44100

typedef struct
{
  double freq;        /* Hz */
  double start;       /* s */
  double length;      /* s */
  double harmonics;   /* share of the 3rd and 5th harmonic: 0 pure, more buzzy */
  double decay;       /* per second, exponential */
} Note;

static void
put_u32 (FILE    *out,
         uint32_t v)
{
  unsigned char b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  fwrite (b, 1, 4, out);
}

static void
put_u16 (FILE    *out,
         uint16_t v)
{
  unsigned char b[2] = { v & 0xff, (v >> 8) & 0xff };

  fwrite (b, 1, 2, out);
}

static int
write_wav (const char *path,
           const Note *notes,
           int         n_notes,
           double      amplitude)
{
  double length = 0;
  uint32_t n_samples;
  FILE *out;

  for (int i = 0; i < n_notes; i++)
    if (notes[i].start + notes[i].length > length)
      length = notes[i].start + notes[i].length;
  n_samples = (uint32_t) (length * RATE) + RATE / 50;  /* 20 ms of silence at the end */

  out = fopen (path, "wb");
  if (out == NULL)
    {
      perror (path);
      return 1;
    }

  fwrite ("RIFF", 1, 4, out);
  put_u32 (out, 36 + n_samples * 2);
  fwrite ("WAVEfmt ", 1, 8, out);
  put_u32 (out, 16);          /* fmt chunk size */
  put_u16 (out, 1);           /* PCM */
  put_u16 (out, 1);           /* mono */
  put_u32 (out, RATE);
  put_u32 (out, RATE * 2);    /* bytes per second */
  put_u16 (out, 2);           /* block align */
  put_u16 (out, 16);          /* bits per sample */
  fwrite ("data", 1, 4, out);
  put_u32 (out, n_samples * 2);

  for (uint32_t s = 0; s < n_samples; s++)
    {
      double t = (double) s / RATE;
      double v = 0;

      for (int i = 0; i < n_notes; i++)
        {
          const Note *n = &notes[i];
          double u = t - n->start;
          double env, w;

          if (u < 0 || u >= n->length)
            continue;
          env = exp (-n->decay * u);
          if (u < 0.003)
            env *= u / 0.003;
          if (n->length - u < 0.005)
            env *= (n->length - u) / 0.005;
          w = sin (2 * M_PI * n->freq * u) +
              n->harmonics * (sin (2 * M_PI * 3 * n->freq * u) / 3 +
                              sin (2 * M_PI * 5 * n->freq * u) / 5);
          v += env * w / (1 + n->harmonics * 0.53);
        }
      put_u16 (out, (uint16_t) (int16_t) lrint (fmax (-1, fmin (1, v * amplitude)) * 32767));
    }

  if (fclose (out) != 0)
    {
      perror (path);
      return 1;
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  static const Note ok[] = {
    { 1046.50, 0.000, 0.090, 0.0, 18 },
    { 1567.98, 0.080, 0.160, 0.0, 14 },
  };
  static const Note error[] = {
    { 329.63, 0.000, 0.150, 0.9, 4 },
    { 261.63, 0.190, 0.220, 0.9, 4 },
  };

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s OK.wav ERROR.wav\n", argv[0]);
      return 2;
    }
  if (write_wav (argv[1], ok, 2, 0.40) != 0 ||
      write_wav (argv[2], error, 2, 0.45) != 0)
    return 1;
  return 0;
}
