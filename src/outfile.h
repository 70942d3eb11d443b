/* outfile.h -- files that appear whole or not at all.
 *
 * Every file bcelab writes is written as an unnamed file in its directory
 * (O_TMPFILE), given a temporary name (".NAME.PID-K") only once it is
 * complete, flushed and synced, and renamed over NAME.  A failure anywhere
 * (a full disk, a closed pipe, an unwritable directory) is reported as
 * "bcelab: NAME: <why>" with exit 1, and the temporary name is removed,
 * also when bcelab dies of an error elsewhere.  A kill -9 leaves the old
 * NAME or none, and nothing else.  On file systems without O_TMPFILE the
 * file is written under a temporary name (".NAME.XXXXXX") from the start,
 * which a kill -9 can leave behind; NAME is still never half-written.
 */
#ifndef BCELAB_OUTFILE_H
#define BCELAB_OUTFILE_H

#include <stdio.h>

typedef struct {
  FILE *fp;       /* write here */
  char *tmp;      /* the temporary path (NULL while the file is unnamed) */
  char *path;     /* the final path */
} outfile;

/* Make DIR (and its parents) if missing; die if it is not a writable
   directory.  */
void out_mkdir (const char *dir);

/* Open DIR/NAME for writing (under a temporary name); dies on failure.  */
void out_open (outfile *o, const char *dir, const char *name);

/* Finish: flush, fsync, close, rename to the final name; dies on failure
   (and removes the temporary file).  */
void out_commit (outfile *o);

/* "DIR/NAME", freshly allocated.  */
char *path_join (const char *dir, const char *name);

#endif
