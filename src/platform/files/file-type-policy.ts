import { fileTypeFromBuffer } from 'file-type';
import type { FileKind } from './file-key';

export interface SniffedType {
  mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  ext: 'jpg' | 'png' | 'webp' | 'pdf';
}

const IMAGE: readonly SniffedType[] = [
  { mime: 'image/jpeg', ext: 'jpg' },
  { mime: 'image/png', ext: 'png' },
  { mime: 'image/webp', ext: 'webp' },
];
const ALLOWED: Record<FileKind, readonly SniffedType[]> = {
  image: IMAGE,
  certificate: [...IMAGE, { mime: 'application/pdf', ext: 'pdf' }],
};

/**
 * What the bytes really are (magic numbers), never what the name or the Content-Type header
 * claims; null when the type is not accepted for this kind of file.
 */
export async function sniffAllowedType(kind: FileKind, bytes: Buffer): Promise<SniffedType | null> {
  const found = await fileTypeFromBuffer(bytes);
  if (!found) return null;
  return ALLOWED[kind].find((t) => t.mime === found.mime) ?? null;
}

export function allowedMimes(kind: FileKind): string[] {
  return ALLOWED[kind].map((t) => t.mime);
}
