import { describe, expect, it } from 'vitest';
import { fileReferenceErrors as sut } from './file-references';

const mine = { kind: 'technician' as const, id: 't1' };
const files = [
  { id: 'img', kind: 'image', uploaderType: 'technician', uploadedBy: 't1' },
  { id: 'cert', kind: 'certificate', uploaderType: 'technician', uploadedBy: 't1' },
  { id: 'other-cert', kind: 'certificate', uploaderType: 'technician', uploadedBy: 't2' },
  { id: 'staff-img', kind: 'image', uploaderType: 'staff', uploadedBy: 's1' },
];

describe('fileReferenceErrors', () => {
  it('accepts own uploads of the right kind', () => {
    expect(sut({ photoFileId: 'img', certificates: [{ fileId: 'cert' }] }, files, mine)).toEqual([]);
  });

  it('names the field of a missing, wrong-kind or foreign file', () => {
    const errors = sut(
      { photoFileId: 'cert', certificates: [{ fileId: 'cert' }, { fileId: 'other-cert' }, { fileId: 'nope' }] },
      files,
      mine,
    );
    expect(errors.map((e) => e.field)).toEqual(['photoFileId', 'certificates.1.fileId', 'certificates.2.fileId']);
  });

  it('lets staff attach any upload of the store, but not twice', () => {
    expect(sut({ photoFileId: 'staff-img', certificates: [{ fileId: 'other-cert' }] }, files, null)).toEqual([]);
    expect(sut({ certificates: [{ fileId: 'cert' }, { fileId: 'cert' }] }, files, null).map((e) => e.field)).toEqual([
      'certificates',
    ]);
  });
});
