/*
 * sandbox: once its key is loaded and its output set up, the process gives
 * up what filtering does not need, where the platform allows.
 *
 * Linux: PR_SET_NO_NEW_PRIVS (no exec can ever gain privileges), then a
 * seccomp-bpf allow-list of system calls: reading and writing the
 * descriptors it has, memory management, signals, exit, and opening further
 * inputs read-only when files were named.  Every other call fails with
 * EPERM (see sandbox.c for the list and the reasons).  No network, no exec,
 * no file written, created, renamed or removed, no signal sent to another
 * process.  Elsewhere, or on a CPU the filter does not know: nothing more
 * than NO_NEW_PRIVS where there is one.  Needs no privilege: run logscrub
 * as the owner of the logs or as a user of its own, never as root.
 */
#ifndef LOGSCRUB_SANDBOX_H
#define LOGSCRUB_SANDBOX_H

#include "options.h"

/* Room for an error message from this module. */
#define SANDBOX_ERRLEN 256

int sandbox_enter(const struct options *opt, char err[SANDBOX_ERRLEN]);

#endif
