import { BadRequestException, Controller, Get, Param, ParseIntPipe, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { FileStorageService } from './file-storage.service.js';
import { MAX_UPLOAD_BYTES, type StoredFileView, type UploadedFileData } from './uploaded-file.js';

@Controller('api/files')
export class FilesController {
  constructor(private readonly storage: FileStorageService) {}

  /** Multipart form field `file`, up to 5 MiB (413 above). */
  @Post('upload')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } }))
  upload(@UploadedFile() file: UploadedFileData | undefined): Promise<StoredFileView> {
    if (!file) throw new BadRequestException('Send the file as multipart/form-data in a field named "file"');
    return this.storage.save(file);
  }

  @Get(':id')
  async download(@Param('id', ParseIntPipe) id: number): Promise<StreamableFile> {
    const file = await this.storage.read(id);
    return new StreamableFile(file.content, {
      type: file.mimeType,
      length: file.size,
      disposition: `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    });
  }
}
