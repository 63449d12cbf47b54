/*
 * signals: flags and the wake-up pipe.
 */
#include "config.h"

#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <unistd.h>

static volatile sig_atomic_t got_stop, got_reload, got_stats;
static int wake[2] = { -1, -1 };

/* The handler: note the signal and wake the stream's poll(2). */
static void
on_signal(int sig)
{
	int saved = errno;
	char c = 0;

	if (sig == SIGHUP)
		got_reload = 1;
	else if (sig == SIGUSR1)
		got_stats = 1;
	else
		got_stop = 1;
	if (write(wake[1], &c, 1) < 0) {
		/* the pipe is full: a wake-up is pending already */
	}
	errno = saved;
}

/* Create the wake-up pipe and install the handlers.  Returns 0, or -1 with
 * errno set. */
int
signals_install(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	struct sigaction sa = { .sa_handler = on_signal };

	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return -1;
	return 0;
}

/* The read end of the wake-up pipe (-1 before signals_install()). */
int
signals_wake_fd(void)
{
	return wake[0];
}

/* Events that arrived since the last call (SIGNALS_* bits); empties the
 * wake-up pipe.  Two signals of one kind before a call count once. */
unsigned
signals_take(void)
{
	unsigned ev = 0;
	char drain[64];

	while (wake[0] >= 0 && read(wake[0], drain, sizeof drain) > 0)
		;
	if (got_stop)
		got_stop = 0, ev |= SIGNALS_STOP;
	if (got_reload)
		got_reload = 0, ev |= SIGNALS_RELOAD;
	if (got_stats)
		got_stats = 0, ev |= SIGNALS_STATS;
	return ev;
}
