/**
 * The part of Multer's file object the app uses (memory storage). Declared here rather than
 * taken from `@types/multer`, which the project does not install.
 */
export interface UploadedFileData {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export interface FileContent {
  name: string;
  mimeType: string;
  size: number;
  content: Buffer;
}

export interface StoredFileView {
  id: number;
  name: string;
  mimeType: string;
  size: number;
}

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
