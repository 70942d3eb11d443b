/* outfile.h -- files that appear whole or not at all.
 *
 * Every file bcelab writes goes to a temporary name in the same directory
 * (".NAME.XXXXXX") and is renamed over NAME only when it is complete,
 * flushed and synced; a failure anywhere (a full disk, a closed pipe, an
 * unwritable directory) is reported as "bcelab: NAME: <why>" with exit 1,
 * and the temporary file is removed, also when bcelab dies of an error
 * elsewhere.  A kill -9 can leave a ".NAME.XXXXXX" behind, never a
 * half-written NAME.
 */
#ifndef BCELAB_OUTFILE_H
#define BCELAB_OUTFILE_H

#include <stdio.h>

typedef struct {
  FILE *fp;       /* write here */
  char *tmp;      /* the temporary path */
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
