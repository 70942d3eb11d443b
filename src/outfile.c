/* outfile.c -- atomic output files (see outfile.h).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

/* access() says yes to root everywhere; only creating a file tells
   whether files can be made in DIR (read-only mounts, /proc, quotas).
   Asked before the work, so that a long run does not fail at its end.  */
static void
probe (const char *dir)
{
  size_t n = strlen (dir) + sizeof "/.bcelab-probe-XXXXXX";
  char *name = xmalloc (n);
  snprintf (name, n, "%s/.bcelab-probe-XXXXXX", dir);
  int fd = mkstemp (name);
  if (fd < 0)
    {
      int e = errno;
      free (name);
      die ("cannot create files in output directory '%s': %s", dir, strerror (e));
    }
  close (fd);
  unlink (name);
  free (name);
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
      probe (dir);
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
  probe (dir);
}

void
out_open (outfile *o, const char *dir, const char *name)
{
  o->path = path_join (dir, name);
  o->tmp = NULL;
  int fd = -1;
#ifdef O_TMPFILE
  /* An unnamed file in DIR: if bcelab is killed before the commit, the
     kernel frees it and nothing is left behind.  */
  fd = open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
#endif
  if (fd < 0)
    {
      /* file systems without O_TMPFILE: a named temporary file */
      size_t n = strlen (dir) + strlen (name) + 16;
      o->tmp = xmalloc (n);
      snprintf (o->tmp, n, "%s/.%s.XXXXXX", dir, name);
      fd = mkstemp (o->tmp);
      if (fd < 0)
        die ("cannot create '%s': %s", o->path, strerror (errno));
      track (o->tmp);
      fchmod (fd, 0644);
    }
  o->fp = fdopen (fd, "w");
  if (!o->fp)
    die ("cannot open '%s': %s", o->path, strerror (errno));
}

/* Give the unnamed file FD a temporary name next to PATH (linkat cannot
   replace a file, rename can); returns the name or NULL with errno.  */
static char *
name_anonymous (int fd, const char *path)
{
#ifdef O_TMPFILE
  char proc[64];
  snprintf (proc, sizeof proc, "/proc/self/fd/%d", fd);
  const char *slash = strrchr (path, '/');
  size_t dl = slash ? (size_t) (slash - path) : 0;
  size_t n = strlen (path) + 32;
  char *tmp = xmalloc (n);
  for (unsigned k = 0; k < 100; k++)
    {
      snprintf (tmp, n, "%.*s/.%s.%ld-%u", (int) dl, path, slash ? slash + 1 : path,
                (long) getpid (), k);
      if (linkat (AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0)
        return tmp;
      if (errno != EEXIST)
        break;
    }
  int e = errno;
  free (tmp);
  errno = e;
#else
  (void) fd;
  (void) path;
  errno = ENOTSUP;
#endif
  return NULL;
}

void
out_commit (outfile *o)
{
  int err = 0;
  if (fflush (o->fp) != 0 || ferror (o->fp))
    err = errno ? errno : EIO;
  else if (fsync (fileno (o->fp)) != 0 && errno != EINVAL && errno != EROFS)
    err = errno;
  if (!err && !o->tmp)
    {
      o->tmp = name_anonymous (fileno (o->fp), o->path);
      if (o->tmp)
        track (o->tmp);
      else
        err = errno;
    }
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
