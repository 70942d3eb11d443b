/* proc.h -- running another program (fork and exec, never a shell).  */
#ifndef BCELAB_PROC_H
#define BCELAB_PROC_H

/* Run ARGV (ARGV[0] is searched on PATH unless it holds a '/') inside DIR
   (NULL: here), with standard input from /dev/null and standard output --
   and standard error too when MERGE -- captured into *OUT (allocated,
   NUL-terminated; the caller frees it).  Returns the exit status, or -1 if
   the program could not be run or did not exit normally.  */
int proc_run (const char *dir, const char *const argv[], int merge,
              char **out);

#endif
