/* train.h -- logistic regression trained with each BCE form (seed 000,
 * Part 3), and the figures' training panel.  */
#ifndef BCELAB_TRAIN_H
#define BCELAB_TRAIN_H

#include <stdio.h>
#include "cli.h"

/* Write the data the seed's panel (b) plots into DIR; returns the number
   of files written.  */
int train_write_panel_b_data (const char *dir, const job *j);

/* Write panel (b)'s plot commands (title and axes are set by the
   caller).  */
void train_gp_panel_b (FILE *fp);

#endif
