/*
 * signals: SIGTERM, SIGINT, SIGHUP and SIGUSR1 as events that the stream
 * loop picks up between reads.
 *
 * A handler only sets a flag and writes a byte to a wake-up pipe (the
 * self-pipe trick): the stream waits for input with poll(2) on its input
 * and on that pipe, so a signal that arrives just before the wait still
 * ends it.  Handlers are installed without SA_RESTART, so a blocking
 * write(2) or poll(2) returns EINTR and the loop comes round.  The flags are
 * the one piece of global state the program has: a handler can reach
 * nothing else.
 */
#ifndef LOGSCRUB_SIGNALS_H
#define LOGSCRUB_SIGNALS_H

/* Events returned by signals_take(). */
enum {
	SIGNALS_STOP = 1 << 0,		/* SIGTERM or SIGINT: finish and exit */
	SIGNALS_RELOAD = 1 << 1,	/* SIGHUP: reopen the output, reload keys and rules */
	SIGNALS_STATS = 1 << 2,		/* SIGUSR1: print the statistics */
};

int signals_install(void);
int signals_wake_fd(void);
unsigned signals_take(void);

#endif
