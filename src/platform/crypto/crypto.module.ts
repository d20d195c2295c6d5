import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { FieldCipher, LookupHasher } from './field-cipher';

@Global()
@Module({
  providers: [
    {
      provide: FieldCipher,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new FieldCipher(c.DATA_ENCRYPTION_KEY),
    },
    { provide: LookupHasher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new LookupHasher(c.LOOKUP_HASH_KEY) },
  ],
  exports: [FieldCipher, LookupHasher],
})
export class CryptoModule {}
