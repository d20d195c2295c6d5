import { Injectable } from '@nestjs/common';
import { FilesService } from '../../platform/files/files.service';
import { fileReferenceErrors, referencedFileIds, type FileRefs } from './file-references';
import { invalidFields } from './technician-errors';

/** Checks uploads referenced by a profile against the store's `files` (through the files module). */
@Injectable()
export class TechnicianFiles {
  constructor(private readonly files: FilesService) {}

  async assertUsable(refs: FileRefs, uploader: { kind: 'technician'; id: string } | null): Promise<void> {
    const ids = referencedFileIds(refs);
    if (ids.length === 0) return;
    const rows = await this.files.findByIds(ids);
    const errors = fileReferenceErrors(refs, rows, uploader);
    if (errors.length > 0) throw invalidFields(errors);
  }
}
