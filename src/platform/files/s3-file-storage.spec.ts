import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { FileMissingError } from './file-storage';
import { S3FileStorage } from './s3-file-storage';

const KEY = 'tenants/11111111-1111-4111-8111-111111111111/image/2026/11/33333333-3333-4333-8333-333333333333.png';

/** An in-memory stand-in for S3Client.send, enough to check what the driver asks for. */
function fakeS3() {
  const objects = new Map<string, Buffer>();
  const sent: unknown[] = [];
  const send = async (cmd: unknown): Promise<unknown> => {
    sent.push(cmd);
    if (cmd instanceof PutObjectCommand) objects.set(cmd.input.Key!, cmd.input.Body as Buffer);
    if (cmd instanceof DeleteObjectCommand) objects.delete(cmd.input.Key!);
    if (cmd instanceof GetObjectCommand) {
      const body = objects.get(cmd.input.Key!);
      if (!body) throw Object.assign(new Error('nope'), { name: 'NoSuchKey' });
      return { Body: Readable.from(body) };
    }
    return {};
  };
  return { objects, sent, client: { send } as never };
}

async function text(stream: Readable): Promise<string> {
  let s = '';
  for await (const c of stream) s += String(c);
  return s;
}

describe('S3FileStorage', () => {
  it('puts, gets and deletes by key in its bucket', async () => {
    const s3 = fakeS3();
    const sut = new S3FileStorage(s3.client, 'bucket-1');
    await sut.put(KEY, Buffer.from('png'), 'image/png');
    expect((s3.sent[0] as PutObjectCommand).input).toMatchObject({
      Bucket: 'bucket-1',
      Key: KEY,
      ContentType: 'image/png',
    });
    expect(await text(await sut.get(KEY))).toBe('png');
    await sut.delete(KEY);
    await expect(sut.get(KEY)).rejects.toBeInstanceOf(FileMissingError);
  });

  it('refuses keys that are not tenant-scoped', async () => {
    const sut = new S3FileStorage(fakeS3().client, 'b');
    await expect(sut.put('../other/x.png', Buffer.from('x'), 'image/png')).rejects.toThrow(/invalid file key/);
    await expect(sut.get('tenants/x/image/a.png')).rejects.toThrow(/invalid file key/);
  });
});
