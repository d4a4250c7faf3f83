import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TrackFileOperation } from '../../lib/index.js';
import { dataDir, uploadsDir } from '../config/data-dir.js';
import { StoredFile } from './stored-file.entity.js';
import type { FileContent, StoredFileView, UploadedFileData } from './uploaded-file.js';

/**
 * Keeps uploads in the data folder. Both methods rely on the decorator's defaults: type and size
 * come from Multer's `mimetype`/`size` on upload, and from the returned file on download. Names
 * and contents are never recorded.
 */
@Injectable()
export class FileStorageService {
  private readonly directory: string;

  constructor(
    @InjectRepository(StoredFile) private readonly files: Repository<StoredFile>,
    config: ConfigService,
  ) {
    this.directory = uploadsDir(dataDir((name) => config.get<string>(name)));
  }

  @TrackFileOperation('upload')
  async save(file: UploadedFileData): Promise<StoredFileView> {
    const saved = await this.files.save(this.files.create({ name: file.originalname.slice(0, 255), mimeType: file.mimetype, size: file.size }));
    await mkdir(this.directory, { recursive: true });
    await writeFile(this.pathOf(saved.id), file.buffer);
    return { id: saved.id, name: saved.name, mimeType: saved.mimeType, size: saved.size };
  }

  @TrackFileOperation('download')
  async read(id: number): Promise<FileContent> {
    const file = await this.files.findOneBy({ id });
    if (!file) throw new NotFoundException(`No file with id ${id}`);
    const content = await readFile(this.pathOf(id));
    return { name: file.name, mimeType: file.mimeType, size: content.length, content };
  }

  private pathOf(id: number): string {
    return join(this.directory, `${id}.bin`);
  }
}
