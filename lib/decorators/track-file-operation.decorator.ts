import { fileEvent } from '../events/event-builders.js';
import { DecoratorArguments } from './decorator-arguments.js';
import { fileSize, fileType } from './default-extractors.js';
import { COMMON_OPTIONS, commonReaders, extraProperties, recordKind, succeeded } from './record-helpers.js';
import type { FieldOption, TrackOptionsBase } from './tracked-call.interface.js';
import { trackingDecorator, type TrackingDecorator } from './tracking-decorator.js';

export interface TrackFileOperationOptions extends TrackOptionsBase {
  /** `file_type`. Default: `mimetype`/`mimeType`/`contentType`/`fileType`/`type` of the first argument (a Multer file), else of the result. */
  fileType?: FieldOption<string>;
  /**
   * `file_size_bytes`, a non-negative number (anything else is recorded as missing, with a
   * counted warning). Default: the length of a Buffer first argument, its `size`/`fileSize`,
   * else the same of the result (a downloaded Buffer).
   */
  fileSize?: FieldOption<number>;
}

const OPTIONS = ['fileType', 'fileSize', ...COMMON_OPTIONS] as const;

/**
 * One `File Operation` event per call (`file_operation_events`): `file_operation`, `file_type`,
 * `file_size_bytes`, `file_success`, `duration_ms`. A throw also adds a `Backend Error` with
 * `error_source: 'file'`. File names and contents are never recorded.
 *
 * ```ts
 * @TrackFileOperation('upload')
 * upload(@UploadedFile() file: Express.Multer.File) { ... }
 * ```
 */
export function TrackFileOperation(operation: string, options?: TrackFileOperationOptions): TrackingDecorator {
  return trackingDecorator('TrackFileOperation', (site) => {
    const check = new DecoratorArguments('TrackFileOperation', site.label);
    const fileOperation = check.text('operation', operation);
    const opts = check.options(options, OPTIONS);
    const readers = commonReaders(check, opts, site.label);
    const type = check.field('fileType', opts.fileType, 'text', fileType);
    const size = check.field('fileSize', opts.fileSize, 'number', fileSize);
    check.done();
    return {
      decorator: 'TrackFileOperation',
      site: site.label,
      errorSource: 'file',
      record(core, reader, durationMs, failed) {
        const success = succeeded(readers, reader, failed);
        const extra = extraProperties(core, readers, reader);
        const built = fileEvent(fileOperation, reader.field('fileType', type), reader.field('fileSize', size), success, {
          ...extra,
          durationMs,
        });
        recordKind(core, built, reader.field('userId', readers.userId));
      },
    };
  });
}
