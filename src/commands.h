/*
 * commands: the commands other than filtering (keygen, keys rotate, keys
 * list, lookup).  Each reports its result on standard output and its
 * errors on standard error, and returns the exit status for main.
 */
#ifndef LOGSCRUB_COMMANDS_H
#define LOGSCRUB_COMMANDS_H

#include "options.h"

int commands_run(const struct options *opt);

#endif
