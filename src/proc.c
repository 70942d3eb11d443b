/* proc.c -- run a program and capture what it prints (see proc.h).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "proc.h"

int
proc_run (const char *dir, const char *const argv[], int merge, char **out)
{
  int fd[2];
  if (pipe (fd) != 0)
    die ("pipe: %s", strerror (errno));
  fflush (NULL);
  pid_t pid = fork ();
  if (pid < 0)
    die ("fork: %s", strerror (errno));
  if (pid == 0)
    {
      close (fd[0]);
      dup2 (fd[1], STDOUT_FILENO);
      if (merge)
        dup2 (fd[1], STDERR_FILENO);
      close (fd[1]);
      int null = open ("/dev/null", O_RDONLY);
      if (null >= 0)
        dup2 (null, STDIN_FILENO);
      if (dir && chdir (dir) != 0)
        _exit (126);
      execvp (argv[0], (char *const *) argv);
      _exit (127);
    }
  close (fd[1]);
  size_t cap = 65536, len = 0;
  char *buf = xmalloc (cap);
  ssize_t got;
  while ((got = read (fd[0], buf + len, cap - len - 1)) > 0
         || (got < 0 && errno == EINTR))
    {
      if (got < 0)
        continue;
      len += (size_t) got;
      if (cap - len < 4096)
        {
          cap *= 2;
          char *b = realloc (buf, cap);
          if (!b)
            die ("out of memory");
          buf = b;
        }
    }
  buf[len] = '\0';
  close (fd[0]);
  int st;
  while (waitpid (pid, &st, 0) < 0 && errno == EINTR)
    ;
  *out = buf;
  if (!WIFEXITED (st) || WEXITSTATUS (st) == 126 || WEXITSTATUS (st) == 127)
    return -1;
  return WEXITSTATUS (st);
}
