/*
 * keys: key files.  A key file holds exactly PSEUDO_KEYBYTES random bytes,
 * is a regular file (not a symlink) and is readable by its owner alone.
 * Key bytes go straight into locked memory and are wiped after use; they
 * never appear in a message.
 */
#ifndef LOGSCRUB_KEYS_H
#define LOGSCRUB_KEYS_H

#include <stddef.h>

#include "pseudo.h"

/* Room for an error message from this module (it names the file). */
#define KEYS_ERRLEN 512

int keys_generate(const char *path, char err[KEYS_ERRLEN]);
int keys_install(const char *tmp, const char *path, char err[KEYS_ERRLEN]);
int keys_destroy(const char *path, char err[KEYS_ERRLEN]);
struct pseudo *keys_load(const char *path, char err[KEYS_ERRLEN]);
struct pseudo *keys_random(char err[KEYS_ERRLEN]);

#endif
