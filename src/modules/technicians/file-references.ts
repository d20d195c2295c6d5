import type { FieldError } from '../../platform/http/validation';

export interface FileFacts {
  id: string;
  kind: string;
  uploaderType: string;
  uploadedBy: string;
}

export interface FileRefs {
  photoFileId?: string | null;
  certificates?: readonly { fileId: string }[];
}

/**
 * Which referenced uploads may not be attached: the photo must be an image and certificates
 * certificate files of this store; a technician may attach only what they uploaded themself
 * (so nobody can claim another applicant's documents). `uploader` null = staff, who may attach
 * any upload of their store.
 */
export function fileReferenceErrors(
  refs: FileRefs,
  files: readonly FileFacts[],
  uploader: { kind: 'technician'; id: string } | null,
): FieldError[] {
  const byId = new Map(files.map((f) => [f.id, f]));
  const usable = (id: string, kind: string) => {
    const f = byId.get(id);
    if (!f || f.kind !== kind) return false;
    return uploader === null || (f.uploaderType === uploader.kind && f.uploadedBy === uploader.id);
  };
  const errors: FieldError[] = [];
  if (refs.photoFileId && !usable(refs.photoFileId, 'image')) {
    errors.push({ field: 'photoFileId', messages: ['must be an image you uploaded to this store'] });
  }
  refs.certificates?.forEach((c, i) => {
    if (!usable(c.fileId, 'certificate')) {
      errors.push({ field: `certificates.${i}.fileId`, messages: ['must be a certificate file you uploaded'] });
    }
  });
  const ids = refs.certificates?.map((c) => c.fileId) ?? [];
  if (new Set(ids).size !== ids.length) {
    errors.push({ field: 'certificates', messages: ['a file may be listed once'] });
  }
  return errors;
}

export function referencedFileIds(refs: FileRefs): string[] {
  return [...(refs.photoFileId ? [refs.photoFileId] : []), ...(refs.certificates ?? []).map((c) => c.fileId)];
}
