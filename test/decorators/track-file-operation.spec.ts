import 'reflect-metadata';
import { lastValueFrom, Observable, throwError } from 'rxjs';
import { TrackFileOperation } from '../../lib/decorators/track-file-operation.decorator.js';
import { COMMON, decoratorHarness, only, type DecoratorHarness } from './support/decorator-harness.js';

interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

class Files {
  @TrackFileOperation('upload')
  upload(file: UploadedFile): { key: string } {
    return { key: `k/${file.size}` };
  }

  @TrackFileOperation('download', { fileType: 'application/pdf' })
  async download(key: string): Promise<Buffer> {
    await Promise.resolve();
    return Buffer.alloc(key.length * 100);
  }

  @TrackFileOperation('delete')
  async remove(key: string): Promise<void> {
    await Promise.resolve();
    throw Object.assign(new Error(`NoSuchKey: ${key}`), { name: 'NoSuchKey' });
  }

  @TrackFileOperation('process', { fileSize: ({ args }) => args[0], fileType: ({ args }) => args[1] })
  resize(size: unknown, type: string): Observable<never> {
    return throwError(() => new Error(`cannot resize ${type}`));
  }
}

const FILE = { ...COMMON, event_action: 'file_operation' };

describe('@TrackFileOperation', () => {
  let h: DecoratorHarness;
  let files: Files;

  beforeEach(() => {
    h = decoratorHarness();
    files = h.bind(new Files());
  });
  afterEach(() => h.close());

  it('reads type and size from a Multer file by default, never its name or content', async () => {
    files.upload({ originalname: 'passport-scan.png', mimetype: 'image/png', size: 2048, buffer: Buffer.from('PNGDATA') });
    const event = only(await h.events());
    expect(event.event).toBe('File Operation');
    expect(event.JITSU_TABLE_NAME).toBe('file_operation_events');
    expect(event.properties).toEqual({
      ...FILE,
      file_operation: 'upload',
      file_type: 'image/png',
      file_size_bytes: 2048,
      file_success: true,
      duration_ms: expect.any(Number),
    });
    expect(JSON.stringify(event)).not.toMatch(/passport-scan|PNGDATA/);
  });

  it('takes the size of a returned Buffer and a fixed file type', async () => {
    await files.download('abc');
    expect(only(await h.events()).properties).toEqual({
      ...FILE,
      file_operation: 'download',
      file_type: 'application/pdf',
      file_size_bytes: 300,
      file_success: true,
      duration_ms: expect.any(Number),
    });
  });

  it('records a rejected operation as file_success false, plus a Backend Error with error_source file', async () => {
    await expect(files.remove('k/1')).rejects.toThrow('NoSuchKey');
    const events = await h.events();
    expect(events[0]!.properties).toEqual({
      ...FILE,
      file_operation: 'delete',
      file_success: false,
      duration_ms: expect.any(Number),
    });
    expect(events[1]!.properties).toMatchObject({ error_source: 'file', error_name: 'NoSuchKey' });
  });

  it('records a failed Observable, leaving an invalid size out with a counted warning', async () => {
    await expect(lastValueFrom(files.resize(-5, 'image/gif'))).rejects.toThrow('cannot resize');
    const events = await h.events();
    expect(events[0]!.properties).toEqual({
      ...FILE,
      file_operation: 'process',
      file_type: 'image/gif',
      file_success: false,
      duration_ms: expect.any(Number),
    });
    expect(events[1]!.properties.error_source).toBe('file');
    expect(h.analytics.stats().warnings.invalid_field).toBe(1);
  });
});
