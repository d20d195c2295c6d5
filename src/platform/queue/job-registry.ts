import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { JOB_HANDLER } from './job-handler.decorator';
import type { JobDefinition, JobDefinitions } from './job-definitions';

export const JOB_DEFINITIONS_TOKEN = Symbol('JOB_DEFINITIONS');

export type BoundHandler = (payload: Record<string, unknown>, job: Job) => Promise<unknown>;

export interface FoundHandler {
  name: string;
  owner: string;
}

/** Checks found handlers against the declared jobs; returns the problems (empty = fine). */
export function checkHandlers(definitions: JobDefinitions, found: readonly FoundHandler[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const h of found) {
    if (!Object.hasOwn(definitions, h.name)) problems.push(`${h.owner} handles undeclared job "${h.name}"`);
    const first = seen.get(h.name);
    if (first) problems.push(`job "${h.name}" has two handlers: ${first} and ${h.owner}`);
    else seen.set(h.name, h.owner);
  }
  for (const name of Object.keys(definitions)) {
    if (!seen.has(name)) problems.push(`job "${name}" has no @JobHandler`);
  }
  return problems;
}

/** Finds every @JobHandler method at boot and refuses to start on a missing or duplicate one. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, BoundHandler>();

  constructor(
    @Inject(JOB_DEFINITIONS_TOKEN) readonly definitions: JobDefinitions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const found: FoundHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = proto[method];
        if (typeof fn !== 'function') continue;
        const name = this.reflector.get<string | undefined>(JOB_HANDLER, fn as () => unknown);
        if (!name) continue;
        found.push({ name, owner: `${instance.constructor.name}.${method}` });
        if (!this.handlers.has(name)) {
          this.handlers.set(name, (fn as BoundHandler).bind(instance));
        }
      }
    }
    const problems = checkHandlers(this.definitions, found);
    if (problems.length > 0) throw new Error(`job handlers are misconfigured:\n  ${problems.join('\n  ')}`);
  }

  definition(name: string): JobDefinition {
    const def = this.definitions[name];
    if (!def) throw new Error(`unknown job "${name}"`);
    return def;
  }

  handler(name: string): BoundHandler | undefined {
    return this.handlers.get(name);
  }

  queueNames(): string[] {
    return [...new Set(Object.values(this.definitions).map((d) => d.queue))];
  }

  jobsOf(queue: string): string[] {
    return Object.entries(this.definitions)
      .filter(([, d]) => d.queue === queue)
      .map(([n]) => n);
  }
}
