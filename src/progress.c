/*
 * progress: the bar.
 */
#include "config.h"

#include "progress.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Least time between two redraws, in seconds: often enough to look alive,
 * seldom enough to cost nothing. */
#define PROGRESS_INTERVAL 0.2
/* Characters of the bar itself; the line stays within 80 columns. */
#define PROGRESS_WIDTH 30

/* Seconds from a to b. */
static double
seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Show the bar when want (--progress) and standard error is a terminal. */
void
progress_init(struct progress *p, bool want)
{
	*p = (struct progress){ .want = want && isatty(STDERR_FILENO) };
}

/* Draw the bar for pos of p->size bytes at time now. */
static void
draw(struct progress *p, off_t pos, const struct timespec *now)
{
	double frac = (double)pos / (double)p->size, secs = seconds(&p->start, now);
	double rate = secs > 0 ? (double)pos / secs : 0;
	double left = rate > 0 ? (double)(p->size - pos) / rate : 0;
	char bar[PROGRESS_WIDTH + 1];
	int fill = (int)(frac * PROGRESS_WIDTH);

	for (int i = 0; i < PROGRESS_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[PROGRESS_WIDTH] = '\0';
	fprintf(stderr, "\r[%s] %3d%% %8.1f MB/s %3ld:%02ld left ", bar, (int)(frac * 100),
	    rate / 1e6, (long)left / 60, (long)left % 60);
	p->drawn = true;
}

/* Between two reads of in: start a bar when in is new (at 0%, so even a
 * small file shows one), redraw it when PROGRESS_INTERVAL has passed. */
void
progress_tick(struct progress *p, const struct stream_input *in)
{
	struct timespec now;
	struct stat st;
	off_t pos;

	if (!p->want)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (in != p->in) {
		progress_done(p);
		p->in = in;
		p->size = fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
		p->start = p->last = now;
		if (p->size > 0)
			draw(p, 0, &now);
		return;
	}
	if (p->size <= 0 || seconds(&p->last, &now) < PROGRESS_INTERVAL)
		return;
	pos = lseek(in->fd, 0, SEEK_CUR);
	if (pos < 0)
		return;
	p->last = now;
	draw(p, pos > p->size ? p->size : pos, &now);
}

/* The input is done: finish the bar at 100% and end its line. */
void
progress_done(struct progress *p)
{
	struct timespec now;

	if (p->drawn) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		draw(p, p->size, &now);
		fputc('\n', stderr);
	}
	p->drawn = false;
	p->in = NULL;
}
