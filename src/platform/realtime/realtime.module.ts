import { Global, Module } from '@nestjs/common';
import { RealtimeHub } from './realtime-hub';
import { EventsController } from './events.controller';

@Global()
@Module({ providers: [RealtimeHub], controllers: [EventsController], exports: [RealtimeHub] })
export class RealtimeModule {}
