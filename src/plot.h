/* plot.h -- gnuplot scripts: the common style, and rendering.
 *
 * Every script starts with "# Generated with:" and the command line, then
 * the common style (defined once, here) so that it stands alone: run
 * `gnuplot NAME.gp` in its directory, or choose the terminal with
 * `gnuplot -e 'term="svg"' NAME.gp` (pngcairo, svg or pdfcairo).
 */
#ifndef BCELAB_PLOT_H
#define BCELAB_PLOT_H

#include <stdio.h>

/* Write the header and common style to FP for a figure NAME (its output is
   NAME.png, .svg or .pdf) of WIDTH x HEIGHT pixels.  */
void gp_begin (FILE *fp, const char *name, const char *what, int width,
               int height);

/* gnuplot's line style number for a form (1..6), the same in every
   figure.  */
int gp_form_style (int form_id);

/* The gnuplot program: $GNUPLOT, else "gnuplot" if it is on PATH; NULL if
   there is none.  */
const char *gp_program (void);

/* Run gnuplot on SCRIPT inside DIR (fork and exec, no shell), with the
   terminal TERM ("svg", ...; NULL: the script's default, pngcairo).
   Returns 0 on success with no output on stderr; otherwise prints the
   problem (gnuplot's own messages, prefixed) and returns -1.  */
int gp_render (const char *dir, const char *script, const char *term);

#endif
