import { SetMetadata } from '@nestjs/common';

export const JOB_HANDLER = 'queue:job-handler';

/**
 * Marks a provider method as the handler of one job name. Handlers are discovered at boot; a job
 * without a handler, two handlers for one job, or a handler for an undeclared job fails the boot.
 */
export const JobHandler = (name: string): MethodDecorator => SetMetadata(JOB_HANDLER, name);
