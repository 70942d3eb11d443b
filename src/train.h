/* train.h -- logistic regression trained with each BCE form (seed 000,
 * Part 3): the same data, the same initial weights, a form's loss and its
 * own gradient, every operation in one format.  */
#ifndef BCELAB_TRAIN_H
#define BCELAB_TRAIN_H

#include <stdio.h>
#include "cli.h"
#include "dataset.h"
#include "format.h"
#include "forms.h"

/* The scenarios: the seed's benign setup, and the stress test where
   logits grow extreme (unscaled features, docs/training.md).  */
typedef enum { SCEN_SEED, SCEN_STRESS } train_scenario;

typedef struct {
  dataset train, test;
  double *w0, b0;       /* initial weights (torch.nn.Linear's uniform) */
  int epochs;
  double lr;
  char *what;           /* a sentence describing the setup */
} train_setup;

typedef struct {
  long double *loss;    /* per epoch, before the step */
  double *gnorm;        /* gradient norm per epoch */
  long *dead;           /* misclassified samples with a 0 or nan gradient */
  long double final_loss;
  double train_acc, test_acc;
  double wnorm;         /* the final weights' norm */
  long double *w;       /* the final weights, then the bias */
  int first_nan;        /* first epoch whose loss is inf or nan, or -1 */
} train_result;

/* Prepare SCENARIO's data and initial weights from J's options (--data,
   --samples, --features, --epochs, --lr, --seed).  */
void train_prepare (train_setup *ts, const job *j, train_scenario scen);
void train_setup_free (train_setup *ts);

/* Train one model (FORM in F); R must be freed with train_result_free.  */
void train_run (const train_setup *ts, const fmt_info *f,
                const form_info *form, train_result *r);
void train_result_free (train_result *r);

/* Figures: write the training data into DIR (the seed's setup in float
   for panel (b), and the stress scenario); returns the files written.  */
int train_write_panel_b_data (const char *dir, const job *j);

/* Panel (b)'s plot commands (the caller sets title and axes), and the
   stress figure's whole script body.  */
void train_gp_panel_b (FILE *fp);
void train_gp_stress (FILE *fp);

#endif
