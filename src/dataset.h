/* dataset.h -- the data sets the training comparison uses.
 *
 * make_classification: scikit-learn's construction (Guyon's Madelon
 * design), driven by GSL's Mersenne Twister; the construction is the same,
 * the numbers are not sklearn's (another generator).  Also a CSV reader,
 * the train/test split and standardisation.
 */
#ifndef BCELAB_DATASET_H
#define BCELAB_DATASET_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
  size_t n, d;        /* samples, features */
  double *x;          /* n x d, row-major */
  double *y;          /* n labels, 0 or 1 */
} dataset;

typedef struct {
  size_t samples, features, informative, redundant;
  size_t clusters_per_class;
  double flip_y, class_sep, scale;
  unsigned long seed;
} mc_params;

/* sklearn's defaults with the seed's n_samples 1000, n_features 20.  */
void mc_defaults (mc_params *p);

/* Generate a data set; returns 0, or -1 with a reason in *WHY.  */
int make_classification (const mc_params *p, dataset *out, const char **why);

/* Read FILE: numeric columns separated by commas, the last one the label
   0 or 1; a first line that is not numeric is a header.  Dies with
   "bcelab: FILE:LINE: <what is wrong>" on a bad file.  */
void dataset_read_csv (const char *file, dataset *out);

/* The reader itself: parse FP (NAME for messages) into OUT; returns 0, or
   -1 with a one-line reason in ERR (PARSE_ERR bytes) and nothing kept.
   At most CSV_MAX_COLUMNS columns and CSV_MAX_VALUES feature values.  */
#define CSV_MAX_COLUMNS 10001
#define CSV_MAX_VALUES 100000000
int dataset_parse_csv (FILE *fp, const char *name, dataset *out, char *err);

/* Shuffle with SEED and split: the first TEST_FRACTION (rounded up, as
   sklearn's train_test_split) to TEST, the rest to TRAIN.  */
void dataset_split (const dataset *all, double test_fraction,
                    unsigned long seed, dataset *train, dataset *test);

/* Standardise TRAIN's columns to mean 0 and (population) standard
   deviation 1, and apply the same transform to TEST.  */
void dataset_standardize (dataset *train, dataset *test);

void dataset_free (dataset *d);

#endif
