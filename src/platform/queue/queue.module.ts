import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JOB_DEFINITIONS, type JobDefinitions } from './job-definitions';
import { JOB_DEFINITIONS_TOKEN, JobRegistry } from './job-registry';
import { JobQueue } from './job-queue';
import { JobWorkers } from './job-workers';

/**
 * BullMQ wiring (global): the job registry, the producer (`JobQueue`) and, when RUN_WORKERS is
 * set, the workers. `definitions` defaults to the application's jobs; tests may pass their own.
 */
@Module({})
export class QueueModule {
  static forRoot(definitions: JobDefinitions = JOB_DEFINITIONS): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [{ provide: JOB_DEFINITIONS_TOKEN, useValue: definitions }, JobRegistry, JobQueue, JobWorkers],
      exports: [JobQueue],
    };
  }
}
