/* cli.c -- parse the command line into a job (GNU conventions).
 *
 * bcelab COMMAND [OPTION]...; options may come before or after the command
 * name.  Each command states which options apply to it; any other option
 * is a usage error rather than silently ignored.  Lists are comma separated;
 * empty items and duplicates are errors.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "parse.h"
#include "commands.h"
#include <gsl/gsl_version.h>

/* ---- errors ---- */

static void
verror (const char *fmt, va_list ap)
{
  fflush (stdout);
  fputs ("bcelab: ", stderr);
  vfprintf (stderr, fmt, ap);
  fputc ('\n', stderr);
}

void
error_msg (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  verror (fmt, ap);
  va_end (ap);
}

void
usage_error (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  verror (fmt, ap);
  va_end (ap);
  fputs ("Try 'bcelab --help' for more information.\n", stderr);
  exit (EXIT_USAGE);
}

void
die (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  verror (fmt, ap);
  va_end (ap);
  exit (EXIT_FAILURE);
}

void *
xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);
  if (!p)
    die ("out of memory (%zu bytes)", n);
  return p;
}

void *
xcalloc (size_t n, size_t size)
{
  void *p = calloc (n ? n : 1, size ? size : 1);
  if (!p)
    die ("out of memory (%zu x %zu bytes)", n, size);
  return p;
}

char *
xstrdup (const char *s)
{
  size_t n = strlen (s) + 1;
  return memcpy (xmalloc (n), s, n);
}

/* ---- help ---- */

static void
print_help (void)
{
  printf ("Usage: bcelab COMMAND [OPTION]...\n"
          "Measure where binary cross-entropy formulas break on extreme logits,\n"
          "in half, bfloat16, float, double and long double, against a correctly\n"
          "rounded MPFR reference.\n\n"
          "Commands:\n");
  for (const command *c = command_table; c->name; c++)
    printf ("  %-12s %s\n", c->name, c->summary);
  printf ("\n"
"Options:\n"
"  -p, --precision=LIST  formats: %s, or all\n"
"                          (default: float,double)\n"
"  -f, --form=LIST       formulations (see below), or all\n"
"                          (default: naive,clamped,stable)\n"
"  -y, --label=LIST      labels y in [0,1], soft labels allowed\n"
"                          (default: 0,1; for table: 1)\n"
"      --eps=E           clamp epsilon of the clamped form, 0 < E < 0.5\n"
"                          (default: 1e-7)\n"
"      --at=LIST         logits z, e.g. --at=-100,-50,0,50; inf and nan allowed\n"
"                          (table default: -100,-50,-10,0,10,50,100)\n"
"      --from=Z, --to=Z  the sweep's range of logits (default: -1e4, 1e4)\n"
"      --points=N        the sweep's number of logits, 2 to 1e9 (default: 2001)\n"
"      --scale=S         lin, or symlog: even in sign(z) log10(1+|z|), dense\n"
"                          near 0 and logarithmic beyond (default: symlog)\n"
"      --grad            also the gradient dL/dz and its error\n"
"      --scenario=S      train: seed (the seed's setup; default) or stress\n"
"                          (features x100, not standardised: extreme logits)\n"
"      --samples=N       train: samples of make_classification (default: 1000)\n"
"      --features=N      train: features, 2 informative, 2 redundant (default: 20)\n"
"      --epochs=N        train: full-batch gradient descent steps (default: 100)\n"
"      --lr=X            train: learning rate (default: 0.1; stress: 1e-4)\n"
"      --data=FILE       train on a CSV file instead: numeric columns, the last\n"
"                          one the 0/1 label, an optional header line\n"
"      --classes=LIST    cce: numbers of classes K (default: 10 for the table,\n"
"                          2,10,1000,50257 for -o and --thresholds)\n"
"      --logits=LIST     cce, explain: one logit vector, e.g. --logits=1,2,2\n"
"      --target=T        cce, explain: the true class of --logits, from 0\n"
"                          (default: 0)\n"
"      --smoothing=E     cce, explain: label smoothing epsilon, 0 <= E < 1\n"
"                          (default: 0)\n"
"      --offset=C        cce: added to every logit; the gap stays (default: 0)\n"
"      --thresholds      cce: where each categorical form first breaks\n"
"      --full            report: include the sweep of every float (minutes)\n"
"      --shard=K/N       exhaustive: run the K-th of N equal slices and write a\n"
"                          partial result; 'bcelab merge' combines them\n"
"      --format=FMT      table output: text (default), tsv, csv, markdown\n"
"      --hex             print values of the formats in hexadecimal (%%a)\n"
"  -o, --output=DIR      where files go (made if missing; default: '.',\n"
"                          for figures: 'figures', for report: 'report')\n"
"  -j, --jobs=N          threads (default: all cores)\n"
"      --seed=N          random seed: data set, split, initial weights (default: 42)\n"
"  -h, --help            display this help and exit\n"
"  -V, --version         output version information and exit\n"
"\n"
"Forms:\n", fmt_names ());
  for (int i = 0; i < FORM_COUNT; i++)
    printf ("  %-9s %s\n", form_table[i].name, form_table[i].summary);
  printf ("\n"
"Categorical forms (cce, explain): the true class's logit g against K - 1\n"
"logits at 0 (the gap g), or the vector of --logits:\n");
  for (int i = 0; i < CCE_COUNT; i++)
    printf ("  %-15s %s\n", cce_table[i].name, cce_table[i].summary);
  printf ("\n"
"Every value is a real evaluation: float, double and long double call the C\n"
"library (expf, log1pf, ...); half and bfloat16 compute each operation in\n"
"float and round it to the format.  Errors are measured in ULPs and in bits\n"
"against the exact value, computed with MPFR and rounded correctly.\n"
"\n"
"Examples:\n"
"  bcelab table                      seed 000's table: naive, clamped, stable\n"
"  bcelab table --grad -p half,bfloat16 --at=-20,-10,0,10,20\n"
"  bcelab table -f all -y 0.9999 --at=1e3,1e4 --format=markdown\n"
"  bcelab sweep -p half,float --grad --from=-30 --to=30 --points=601 --scale=lin\n"
"  bcelab figures -o figs            every figure: data, gnuplot scripts, images\n"
"  bcelab train                      seed 000's training comparison, float and double\n"
"  bcelab exhaustive -p float -j 2 -o out   every float, naive/clamped/stable, y = 0, 1\n"
"  bcelab report                     report/index.html: every figure, table and trace\n"
"  bcelab train --scenario=stress -f naive,torch,stable -p float\n"
"  bcelab cce --logits=1,2,2 --target=1 --grad -p double   seed 003's example\n"
"  bcelab cce --classes=2,50257 --at=0,88,89 -p half,float\n"
"  bcelab cce -o cce                 gap sweeps, the two-logit bridge, figures\n"
"\n"
"Exit status: 0 on success, 1 if a failure occurred while working, 2 for\n"
"bad usage.\n"
"\n"
"Report bugs to: %s\n", PACKAGE_BUGREPORT);
}

static void
print_version (void)
{
  printf ("bcelab %s\n"
          "MPFR %s, GSL %s\n"
          "This is free software: you are free to change and redistribute it.\n"
          "There is NO WARRANTY, to the extent permitted by law.\n",
          PACKAGE_VERSION, mpfr_get_version (), GSL_VERSION);
}

/* ---- lists and numbers: parse.c's parsers, failures as usage errors ---- */

static char perr[PARSE_ERR];

/* S shortened and escaped for an error message (parse_shown).  */
static const char *
shown (const char *s)
{
  static char buf[64];
  return parse_shown (s, buf, sizeof buf);
}

static double
number (const char *opt, const char *s)
{
  double v;
  if (parse_number (opt, s, &v, perr))
    usage_error ("%s", perr);
  return v;
}

static double
whole (const char *opt, const char *s, double lo, double hi)
{
  double v;
  if (parse_whole (opt, s, lo, hi, &v, perr))
    usage_error ("%s", perr);
  return v;
}

/* A number in the interval described by WHAT (shown as is), tested by OK. */
static double
in_range (const char *opt, const char *s, int (*ok) (double), const char *what)
{
  char b[64];
  double v = number (opt, s);
  if (!ok (v))
    usage_error ("%s: %s is not in %s", opt, parse_shown (s, b, sizeof b), what);
  return v;
}

static int ok_eps (double v) { return v > 0 && v < 0.5; }
static int ok_smoothing (double v) { return v >= 0 && v < 1; }

#define MAX_CLASSES 1000000     /* 4 arrays of K long doubles per form */
static int ok_lr (double v) { return v > 0 && v <= 1e6; }

/* ---- the option table ---- */

enum { O_EPS = 256, O_AT, O_GRAD, O_FORMAT, O_HEX, O_SEED, O_FROM, O_TO,
       O_POINTS, O_SCALE, O_SAMPLES, O_FEATURES, O_EPOCHS, O_LR, O_DATA,
       O_SCENARIO, O_SHARD, O_FULL, O_CLASSES, O_LOGITS, O_TARGET,
       O_SMOOTHING, O_OFFSET, O_THRESHOLDS };

#define MAX_POINTS 1e9          /* a sweep streams; this bounds its time */

static char *command_line;

const char *
cli_command_line (void)
{
  return command_line ? command_line : "bcelab";
}

/* Join ARGV with spaces, quoting what a shell would need quoted.  */
static void
save_command_line (int argc, char **argv)
{
  size_t n = 1;
  for (int i = 0; i < argc; i++)
    n += 8 + 4 * strlen (argv[i]);   /* each quote may become four */
  char *s = xmalloc (n), *p = s;
  for (int i = 0; i < argc; i++)
    {
      const char *a = i == 0 ? "bcelab" : argv[i];
      int quote = !*a || strpbrk (a, " \t'\"$`\\*?[]()<>|;&") != NULL;
      if (i)
        *p++ = ' ';
      if (quote)
        *p++ = '\'';
      for (; *a; a++)
        {
          if (quote && *a == '\'')
            {
              memcpy (p, "'\\''", 4);
              p += 4;
            }
          else
            *p++ = *a;
        }
      if (quote)
        *p++ = '\'';
    }
  *p = '\0';
  free (command_line);
  command_line = s;
}

static const struct option long_options[] = {
  { "precision", required_argument, NULL, 'p' },
  { "form", required_argument, NULL, 'f' },
  { "label", required_argument, NULL, 'y' },
  { "eps", required_argument, NULL, O_EPS },
  { "at", required_argument, NULL, O_AT },
  { "grad", no_argument, NULL, O_GRAD },
  { "format", required_argument, NULL, O_FORMAT },
  { "hex", no_argument, NULL, O_HEX },
  { "output", required_argument, NULL, 'o' },
  { "jobs", required_argument, NULL, 'j' },
  { "seed", required_argument, NULL, O_SEED },
  { "from", required_argument, NULL, O_FROM },
  { "to", required_argument, NULL, O_TO },
  { "points", required_argument, NULL, O_POINTS },
  { "scale", required_argument, NULL, O_SCALE },
  { "samples", required_argument, NULL, O_SAMPLES },
  { "features", required_argument, NULL, O_FEATURES },
  { "epochs", required_argument, NULL, O_EPOCHS },
  { "lr", required_argument, NULL, O_LR },
  { "data", required_argument, NULL, O_DATA },
  { "scenario", required_argument, NULL, O_SCENARIO },
  { "shard", required_argument, NULL, O_SHARD },
  { "full", no_argument, NULL, O_FULL },
  { "classes", required_argument, NULL, O_CLASSES },
  { "logits", required_argument, NULL, O_LOGITS },
  { "target", required_argument, NULL, O_TARGET },
  { "smoothing", required_argument, NULL, O_SMOOTHING },
  { "offset", required_argument, NULL, O_OFFSET },
  { "thresholds", no_argument, NULL, O_THRESHOLDS },
  { "help", no_argument, NULL, 'h' },
  { "version", no_argument, NULL, 'V' },
  { NULL, 0, NULL, 0 }
};

/* The bit of each option in command.options.  */
static unsigned
option_bit (int c)
{
  switch (c)
    {
    case 'p': return OPT_PRECISION;
    case 'f': return OPT_FORM;
    case 'y': return OPT_LABEL;
    case O_EPS: return OPT_EPS;
    case O_AT: return OPT_AT;
    case O_GRAD: return OPT_GRAD;
    case O_FORMAT: return OPT_FORMAT;
    case O_HEX: return OPT_HEX;
    case 'o': return OPT_OUTPUT;
    case 'j': return OPT_JOBS;
    case O_SEED: return OPT_SEED;
    case O_FROM: case O_TO: case O_POINTS: case O_SCALE: return OPT_GRID;
    case O_SAMPLES: case O_FEATURES: case O_EPOCHS: case O_LR: case O_DATA:
    case O_SCENARIO: return OPT_TRAIN;
    case O_SHARD: return OPT_SHARD;
    case O_FULL: return OPT_FULL;
    case O_CLASSES: case O_LOGITS: case O_TARGET: case O_SMOOTHING:
    case O_OFFSET: return OPT_CCE;
    case O_THRESHOLDS: return OPT_CCE_TH;
    default: return 0;
    }
}

static const char *
option_name (int c)
{
  for (const struct option *o = long_options; o->name; o++)
    if (o->val == c)
      return o->name;
  return "?";
}

void
cli_parse (int argc, char **argv, job *j)
{
  memset (j, 0, sizeof *j);
  j->precision[0] = FMT_FLOAT;
  j->precision[1] = FMT_DOUBLE;
  j->n_precision = 2;
  j->form[0] = FORM_NAIVE;
  j->form[1] = FORM_CLAMPED;
  j->form[2] = FORM_STABLE;
  j->n_form = 3;
  j->eps = 1e-7;
  j->format = OUT_TEXT;
  j->jobs = 0;
  j->seed = 42;
  j->from = -1e4;
  j->to = 1e4;
  j->points = 2001;
  j->scale = 1;                 /* SCALE_SYMLOG */
  j->samples = 1000;
  j->features = 20;
  j->epochs = 100;
  j->lr = 0;                    /* train: the scenario's (0.1, stress 1e-4) */
  j->target = -1;
  save_command_line (argc, argv);

  unsigned char seen[512] = { 0 };    /* options given, by getopt value */
  int c;
  opterr = 0;
  /* '+' would stop at the command name; we want options anywhere, so the
     default permuting getopt is used and the command is the first operand */
  while ((c = getopt_long (argc, argv, ":p:f:y:o:j:hV", long_options, NULL))
         != -1)
    {
      if (c > 0 && c < 512)
        seen[c] = 1;
      switch (c)
        {
        case 'p':
          if (parse_formats (optarg, j->precision, &j->n_precision, perr))
            usage_error ("%s", perr);
          j->given_precision = 1;
          break;
        case 'f':
          {
            /* BCE forms, or else categorical ones (cce, explain) */
            char perr2[PARSE_ERR];
            int ids[FORM_COUNT + CCE_COUNT], n;
            j->given_form = j->given_cform = 0;
            if (parse_forms (optarg, ids, &n, perr) == 0)
              {
                memcpy (j->form, ids, (size_t) n * sizeof *ids);
                j->n_form = n;
                j->given_form = 1;
              }
            else if (cce_parse_forms (optarg, ids, &n, perr2) == 0)
              {
                memcpy (j->cform, ids, (size_t) n * sizeof *ids);
                j->n_cform = n;
                j->given_cform = 1;
              }
            else
              usage_error ("%s", perr);
          }
          break;
        case 'y':
          if (parse_numbers (&j->labels, "--label", optarg, 1, perr))
            usage_error ("%s", perr);
          break;
        case O_AT:
          if (parse_numbers (&j->at, "--at", optarg, 0, perr))
            usage_error ("%s", perr);
          break;
        case O_EPS:
          j->eps = in_range ("--eps", optarg, ok_eps, "(0, 0.5)");
          break;
        case O_GRAD:
          j->grad = 1;
          break;
        case O_HEX:
          j->hex = 1;
          break;
        case O_FORMAT:
          if (strcmp (optarg, "text") == 0)
            j->format = OUT_TEXT;
          else if (strcmp (optarg, "tsv") == 0)
            j->format = OUT_TSV;
          else if (strcmp (optarg, "csv") == 0)
            j->format = OUT_CSV;
          else if (strcmp (optarg, "markdown") == 0 || strcmp (optarg, "md") == 0)
            j->format = OUT_MARKDOWN;
          else
            usage_error ("unknown output format '%s' (try: text, tsv, csv, markdown)",
                         shown (optarg));
          break;
        case 'o':
          if (!*optarg)
            usage_error ("--output: empty directory name");
          j->output = optarg;
          break;
        case 'j':
          j->jobs = (int) whole ("--jobs", optarg, 1, 4096);
          break;
        case O_SEED:
          if (parse_seed ("--seed", optarg, &j->seed, perr))
            usage_error ("%s", perr);
          break;
        case O_FROM:
        case O_TO:
          {
            const char *opt = c == O_FROM ? "--from" : "--to";
            char b[64];
            double v = number (opt, optarg);
            if (!isfinite (v))
              usage_error ("%s: '%s' is not a finite number", opt,
                           parse_shown (optarg, b, sizeof b));
            *(c == O_FROM ? &j->from : &j->to) = v;
            j->given_grid = 1;
          }
          break;
        case O_POINTS:
          j->points = whole ("--points", optarg, 2, MAX_POINTS);
          j->given_grid = 1;
          break;
        case O_SCALE:
          if (strcmp (optarg, "lin") == 0 || strcmp (optarg, "linear") == 0)
            j->scale = 0;
          else if (strcmp (optarg, "symlog") == 0)
            j->scale = 1;
          else
            usage_error ("unknown scale '%s' (try: lin, symlog)", shown (optarg));
          j->given_grid = 1;
          break;
        case O_SAMPLES:
          j->samples = whole ("--samples", optarg, 10, 1e7);
          break;
        case O_FEATURES:
          j->features = whole ("--features", optarg, 4, 10000);
          break;
        case O_EPOCHS:
          j->epochs = whole ("--epochs", optarg, 1, 1e6);
          break;
        case O_LR:
          j->lr = in_range ("--lr", optarg, ok_lr, "(0, 1e6]");
          break;
        case O_DATA:
          if (!*optarg)
            usage_error ("--data: empty file name");
          j->data = optarg;
          break;
        case O_SCENARIO:
          if (strcmp (optarg, "seed") == 0)
            j->scenario = 0;
          else if (strcmp (optarg, "stress") == 0)
            j->scenario = 1;
          else
            usage_error ("unknown scenario '%s' (try: seed, stress)",
                         shown (optarg));
          break;
        case O_FULL:
          j->full = 1;
          break;
        case O_CLASSES:
          {
            num_list l = { 0 };
            if (parse_numbers (&l, "--classes", optarg, 0, perr))
              usage_error ("%s", perr);
            if (l.n > sizeof j->classes / sizeof *j->classes)
              {
                num_list_free (&l);
                usage_error ("--classes: at most 16 values");
              }
            for (size_t i = 0; i < l.n; i++)
              {
                double v;
                if (parse_whole ("--classes", l.text[i], 2, MAX_CLASSES, &v, perr))
                  {
                    num_list_free (&l);
                    usage_error ("%s", perr);
                  }
                j->classes[i] = (long) v;
              }
            j->n_classes = (int) l.n;
            num_list_free (&l);
          }
          break;
        case O_LOGITS:
          if (parse_numbers (&j->logits, "--logits", optarg, PN_DUPS, perr))
            usage_error ("%s", perr);
          if (j->logits.n < 2 || j->logits.n > MAX_CLASSES)
            usage_error ("--logits: give 2 to %d logits, one per class",
                         MAX_CLASSES);
          for (size_t i = 0; i < j->logits.n; i++)
            if (!isfinite (j->logits.value[i]))
              usage_error ("--logits: '%s' is not a finite number",
                           shown (j->logits.text[i]));
          break;
        case O_TARGET:
          j->target = (long) whole ("--target", optarg, 0, MAX_CLASSES - 1);
          break;
        case O_SMOOTHING:
          j->smoothing = in_range ("--smoothing", optarg, ok_smoothing, "[0, 1)");
          break;
        case O_OFFSET:
          {
            char b[64];
            j->offset = number ("--offset", optarg);
            if (!isfinite (j->offset))
              usage_error ("--offset: '%s' is not a finite number",
                           parse_shown (optarg, b, sizeof b));
          }
          break;
        case O_THRESHOLDS:
          j->thresholds = 1;
          break;
        case O_SHARD:
          if (parse_shard (optarg, &j->shard_k, &j->shard_n, perr))
            usage_error ("%s", perr);
          break;
        case 'h':
          print_help ();
          exit (EXIT_SUCCESS);
        case 'V':
          print_version ();
          exit (EXIT_SUCCESS);
        case ':':
          usage_error ("option '%s' needs a value", shown (argv[optind - 1]));
        default:
          if (optopt && optopt < 256)
            usage_error ("unknown option '-%c'", optopt);
          usage_error ("unknown option '%s'", shown (argv[optind - 1]));
        }
    }

  if (optind >= argc)
    usage_error ("no command given (try: table)");
  j->command = argv[optind];
  const command *cmd = command_by_name (j->command);
  if (!cmd)
    usage_error ("unknown command '%s'", shown (j->command));
  if (cmd->options & TAKES_FILES)
    {
      j->operands = argv + optind + 1;
      j->n_operands = argc - optind - 1;
    }
  else if (optind + 1 < argc)
    usage_error ("unexpected argument '%s'", shown (argv[optind + 1]));

  for (const struct option *o = long_options; o->name; o++)
    if (seen[o->val] && option_bit (o->val)
        && !(cmd->options & option_bit (o->val)))
      usage_error ("option '--%s' does not apply to '%s'",
                   option_name (o->val), cmd->name);
  if (j->given_cform && !(cmd->options & CATEGORICAL))
    usage_error ("--form: '%s' is categorical: use it with 'bcelab cce' or "
                 "'bcelab explain'", cce_table[j->cform[0]].name);
  if (j->given_form && strcmp (cmd->name, "cce") == 0)
    usage_error ("--form: '%s' is a BCE form; cce takes %s",
                 form_table[j->form[0]].name, cce_names ());
  if (j->target >= 0 && !j->logits.n)
    usage_error ("--target needs --logits");
  if (j->logits.n && j->target >= (long) j->logits.n)
    usage_error ("--target: %ld is not a class of the %zu logits (0 to %zu)",
                 j->target, j->logits.n, j->logits.n - 1);
  if (j->logits.n && (j->at.n || j->given_grid || j->n_classes))
    usage_error ("--logits cannot be combined with --at, --classes or the grid");
  if (!(j->from < j->to))
    usage_error ("--from (%g) must be less than --to (%g)", j->from, j->to);
  if (j->at.n && j->given_grid)
    usage_error ("--at and --from/--to/--points/--scale cannot be combined");
}

int
job_forms_or_all (const job *j, int *out)
{
  int n = 0;
  if (j->given_form)
    for (int i = 0; i < j->n_form; i++)
      out[n++] = j->form[i];
  else
    for (int i = 0; i < FORM_COUNT; i++)
      out[n++] = i;
  return n;
}

int
job_formats_or_all (const job *j, int *out)
{
  int n = 0;
  if (j->given_precision)
    for (int i = 0; i < j->n_precision; i++)
      out[n++] = j->precision[i];
  else
    for (int i = 0; i < FMT_COUNT; i++)
      if (fmt_available (i))
        out[n++] = i;
  return n;
}

void
job_free (job *j)
{
  num_list_free (&j->labels);
  num_list_free (&j->at);
  num_list_free (&j->logits);
}
