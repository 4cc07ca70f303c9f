/* wake.h: waking the runner the moment a job is queued (a FIFO in the data directory). */
#ifndef LIB_WAKE_H
#define LIB_WAKE_H

/*
 * Tell a waiting runner there is work. Never blocks and never fails the
 * caller: with no runner listening it does nothing (the runner's slow poll
 * and start-up scan find the job anyway).
 */
void wake_notify(void);
/* Open (creating if needed) the runner's end; returns an fd to poll, or -1 (reported). */
int wake_open(void);
/*
 * Wait until woken or timeout_ms passes (-1: forever); drains pending
 * wake-ups. Returns 1 if woken, 0 on timeout, -1 on error.
 */
int wake_wait(int fd, int timeout_ms);

#endif
