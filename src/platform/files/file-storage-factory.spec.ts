import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/config.schema';
import { createFileStorage } from './files.module';

const config = (over: Partial<AppConfig>) =>
  ({ FILES_DRIVER: 'local', FILES_DIR: '/tmp/files', S3_REGION: 'cn-north-1', ...over }) as AppConfig;

describe('createFileStorage', () => {
  it('uses local disk by default and loads the S3 driver only when it is configured', async () => {
    expect((await createFileStorage(config({}))).driver).toBe('local');
    await expect(createFileStorage(config({ FILES_DRIVER: 's3' }))).rejects.toThrow(/S3_BUCKET/);
    const s3 = await createFileStorage(
      config({
        FILES_DRIVER: 's3',
        S3_BUCKET: 'media',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_FORCE_PATH_STYLE: true,
      }),
    );
    expect(s3.driver).toBe('s3');
  });
});
