/* outfile.c -- atomic output files (see outfile.h).  */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"

/* Temporary files not yet committed, removed at exit.  */
#define MAX_PENDING 64
static char *pending[MAX_PENDING];
static int cleanup_registered;

static void
remove_pending (void)
{
  for (int i = 0; i < MAX_PENDING; i++)
    if (pending[i])
      {
        unlink (pending[i]);
        pending[i] = NULL;
      }
}

static void
track (char *tmp)
{
  if (!cleanup_registered)
    {
      atexit (remove_pending);
      cleanup_registered = 1;
    }
  for (int i = 0; i < MAX_PENDING; i++)
    if (!pending[i])
      {
        pending[i] = tmp;
        return;
      }
  die ("too many files open for writing");
}

static void
untrack (const char *tmp)
{
  for (int i = 0; i < MAX_PENDING; i++)
    if (pending[i] == tmp)
      pending[i] = NULL;
}

char *
path_join (const char *dir, const char *name)
{
  size_t a = strlen (dir), b = strlen (name);
  char *p = xmalloc (a + b + 2);
  memcpy (p, dir, a);
  p[a] = '/';
  memcpy (p + a + 1, name, b + 1);
  return p;
}

void
out_mkdir (const char *dir)
{
  struct stat st;
  if (stat (dir, &st) == 0)
    {
      if (!S_ISDIR (st.st_mode))
        die ("output directory '%s' is not a directory", dir);
      if (access (dir, W_OK | X_OK) != 0)
        die ("output directory '%s' is not writable: %s", dir, strerror (errno));
      return;
    }
  /* make the parents first */
  char *copy = xstrdup (dir);
  for (char *s = copy + 1; *s; s++)
    if (*s == '/')
      {
        *s = '\0';
        if (mkdir (copy, 0777) != 0 && errno != EEXIST)
          {
            int e = errno;
            free (copy);
            die ("cannot create output directory '%s': %s", dir, strerror (e));
          }
        *s = '/';
      }
  free (copy);
  if (mkdir (dir, 0777) != 0 && errno != EEXIST)
    die ("cannot create output directory '%s': %s", dir, strerror (errno));
}

void
out_open (outfile *o, const char *dir, const char *name)
{
  o->path = path_join (dir, name);
  size_t n = strlen (dir) + strlen (name) + 16;
  o->tmp = xmalloc (n);
  snprintf (o->tmp, n, "%s/.%s.XXXXXX", dir, name);
  int fd = mkstemp (o->tmp);
  if (fd < 0)
    die ("cannot create '%s': %s", o->path, strerror (errno));
  track (o->tmp);
  fchmod (fd, 0644);
  o->fp = fdopen (fd, "w");
  if (!o->fp)
    die ("cannot open '%s': %s", o->path, strerror (errno));
}

void
out_commit (outfile *o)
{
  int err = 0;
  if (fflush (o->fp) != 0 || ferror (o->fp))
    err = errno ? errno : EIO;
  else if (fsync (fileno (o->fp)) != 0 && errno != EINVAL && errno != EROFS)
    err = errno;
  if (fclose (o->fp) != 0 && !err)
    err = errno;
  o->fp = NULL;
  if (!err && rename (o->tmp, o->path) != 0)
    err = errno;
  if (err)
    die ("%s: %s", o->path, strerror (err));   /* the atexit hook unlinks */
  untrack (o->tmp);
  free (o->tmp);
  free (o->path);
  o->tmp = o->path = NULL;
}
