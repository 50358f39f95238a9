import { WaitingError, type Job } from 'bullmq';

/**
 * Says whether this replica takes jobs now: false while Redis is lost (`startRedisGuard` pauses its workers). A
 * fetch already blocked in Redis when a worker was paused can still hand it a job once Redis is back, before the
 * guard resumes it.
 */
export type TakingJobs = () => boolean;

/**
 * Puts a job that reached a worker while its replica takes no jobs back to waiting, untried (its attempt is not
 * counted), and throws BullMQ's `WaitingError` so the worker lets it go; returns quietly otherwise.
 * `onReturned` is told first (to log it).
 */
export async function returnJobUnlessTaking(job: Job, token: string | undefined, takingJobs: TakingJobs | undefined, onReturned: () => void): Promise<void> {
  if (!takingJobs || takingJobs() || !token) return;
  onReturned();
  await job.moveToWait(token);
  throw new WaitingError();
}
