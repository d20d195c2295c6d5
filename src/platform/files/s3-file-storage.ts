import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { parseFileKey } from './file-key';
import type { AppConfig } from '../../config/config.schema';
import { FileMissingError, type FileStorage } from './file-storage';

/** Any S3-compatible object store (AWS S3, MinIO, Aliyun OSS, Tencent COS in S3 mode). */
export class S3FileStorage implements FileStorage {
  readonly driver = 's3' as const;

  constructor(
    private readonly client: Pick<S3Client, 'send'>,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    this.check(key);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async get(key: string): Promise<Readable> {
    this.check(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (out.Body instanceof Readable) return out.Body;
      if (!out.Body) throw new FileMissingError(key);
      return Readable.from(Buffer.from(await out.Body.transformToByteArray()));
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') throw new FileMissingError(key);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    this.check(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private check(key: string): void {
    if (!parseFileKey(key)) throw new Error('invalid file key');
  }
}

export function createS3FileStorage(c: AppConfig, bucket: string): S3FileStorage {
  const client = new S3Client({
    region: c.S3_REGION,
    endpoint: c.S3_ENDPOINT,
    forcePathStyle: c.S3_FORCE_PATH_STYLE,
    credentials:
      c.S3_ACCESS_KEY_ID && c.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: c.S3_ACCESS_KEY_ID, secretAccessKey: c.S3_SECRET_ACCESS_KEY }
        : undefined,
  });
  return new S3FileStorage(client, bucket);
}
