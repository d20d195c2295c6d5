import type { INestApplicationContext } from '@nestjs/common';
import { JobQueue } from '../../src/platform/queue/job-queue';

const BUSY = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/** Resolves when no queue of the app has a job waiting, running or scheduled for a retry. */
export async function waitForJobsToFinish(app: INestApplicationContext, timeoutMs = 20_000): Promise<void> {
  const queues = app.get(JobQueue).allQueues();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts(...BUSY)));
    const busy = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
    if (busy === 0) return;
    if (Date.now() > deadline) throw new Error(`jobs still busy after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
