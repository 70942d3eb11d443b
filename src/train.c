/* train.c -- training comparison (issue 4); until it lands, the training
 * panel of the figures is a clearly labelled empty panel.  */
#include <config.h>

#include "train.h"

int
train_write_panel_b_data (const char *dir, const job *j)
{
  (void) dir;
  (void) j;
  return 0;
}

void
train_gp_panel_b (FILE *fp)
{
  fputs ("set xrange [0:100]\nset yrange [0:1]\n"
         "set label 10 \"training comparison: not computed yet\\n(bcelab train is not implemented in this version)\" at graph 0.5, 0.5 center font \",12\"\n"
         "unset key\nplot NaN notitle\n", fp);
}
