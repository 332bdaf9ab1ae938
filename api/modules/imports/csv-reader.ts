// Reading an uploaded CSV as a stream, never as one string: bytes are decoded as they arrive
// (UTF-8, or UTF-16 with a byte-order mark; anything else is refused), and csv-parse turns the text
// into records one at a time. Every problem with the file as a whole (encoding, delimiters, quotes,
// a record larger than any real row) is an AppError with a message that says what to do.
import { CsvError, parse, type Parser } from 'csv-parse';
import { AppError } from '../../../core/errors.ts';
import { encodingOf, type Encoding } from '../../../core/import/sniff.ts';

/** The largest upload taken. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** The largest record (one row, all its cells): a real row is far smaller; 50 MB of one column is a broken file. */
export const MAX_RECORD_CHARS = 256 * 1024;

const fileError = (message: string, code: 'VALIDATION_FAILED' | 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE' = 'VALIDATION_FAILED') =>
  new AppError(code, message, [{ path: 'file', message }]);

/** Decodes a byte stream to text chunks; refuses what is not UTF-8 (or UTF-16 with a mark), NUL characters and more than maxBytes. */
export async function* decodeUpload(bytes: AsyncIterable<Uint8Array>, onEncoding: (encoding: Encoding) => void, maxBytes = MAX_UPLOAD_BYTES): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let pending: Uint8Array = new Uint8Array(0);
  let total = 0;
  const decode = (chunk: Uint8Array, stream: boolean) => {
    try {
      return decoder!.decode(chunk, { stream });
    } catch {
      throw fileError(`The file is not ${decoder!.encoding.toUpperCase()} text (it breaks near byte ${total}). Save it as "CSV UTF-8" and upload it again.`, 'UNSUPPORTED_MEDIA_TYPE');
    }
  };
  const checked = (text: string) => {
    if (text.includes('\u0000')) throw fileError('The file holds the NUL character, which no text field can store: it is not a CSV text file.', 'UNSUPPORTED_MEDIA_TYPE');
    return text;
  };
  for await (const chunk of bytes) {
    total += chunk.byteLength;
    if (total > maxBytes) throw fileError(`The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; split it into smaller files.`, 'PAYLOAD_TOO_LARGE');
    if (!decoder) {
      // The byte-order mark needs the first few bytes together.
      pending = concat(pending, chunk);
      if (pending.byteLength < 4) continue;
      const found = encodingOf(pending.subarray(0, 4096));
      if (!found.ok) throw fileError(found.message, 'UNSUPPORTED_MEDIA_TYPE');
      onEncoding(found.encoding);
      // fatal: invalid bytes throw instead of becoming U+FFFD; the mark itself is dropped.
      decoder = new TextDecoder(found.encoding, { fatal: true });
      const text = decode(pending, true);
      pending = new Uint8Array(0);
      if (text) yield checked(text);
      continue;
    }
    const text = decode(chunk, true);
    if (text) yield checked(text);
  }
  if (!decoder) {
    if (pending.byteLength === 0) return;
    const found = encodingOf(pending);
    if (!found.ok) throw fileError(found.message, 'UNSUPPORTED_MEDIA_TYPE');
    onEncoding(found.encoding);
    decoder = new TextDecoder(found.encoding, { fatal: true });
    const text = decode(pending, false);
    if (text) yield checked(text);
    return;
  }
  const rest = decode(new Uint8Array(0), false);
  if (rest) yield checked(rest);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

export interface CsvRecord {
  cells: string[];
  /** The line the record starts on (1 = the header). */
  line: number;
}

/**
 * csv-parse driven by hand: push a piece of text, get the records it completed. The caller decides
 * when the next piece is read (the import job reads one stored chunk per transaction), so nothing
 * is read ahead into another transaction and only one piece and its records are in memory.
 */
export class CsvRecordReader {
  private readonly parser: Parser;
  private records: CsvRecord[] = [];
  private failure: unknown = null;
  private ended: Promise<void>;

  constructor(readonly delimiter: string) {
    // Quotes are strict: a stray quote means the cells after it would be read wrongly, so the file is refused.
    this.parser = parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS, info: true });
    this.parser.on('data', (item: { record: string[]; info: { lines: number } }) => this.records.push({ cells: item.record, line: item.info.lines }));
    this.parser.on('error', (err) => (this.failure ??= err));
    this.ended = new Promise((resolve) => {
      this.parser.on('end', resolve);
      this.parser.on('error', () => resolve());
    });
  }

  /** The records completed by this piece of text. */
  async push(text: string): Promise<CsvRecord[]> {
    if (this.failure) throw translate(this.failure);
    await new Promise<void>((resolve) => this.parser.write(text, () => setImmediate(resolve)));
    return this.take();
  }

  /** The last record (a file need not end with a line break). */
  async end(): Promise<CsvRecord[]> {
    if (!this.failure) {
      this.parser.end();
      await this.ended;
    }
    return this.take();
  }

  private take(): CsvRecord[] {
    if (this.failure) throw translate(this.failure);
    const out = this.records;
    this.records = [];
    return out;
  }
}

function translate(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (err instanceof CsvError) return fileError(csvErrorMessage(err));
  return err;
}

function csvErrorMessage(err: CsvError): string {
  const line = (err as unknown as { lines?: number }).lines;
  const at = line ? ` (line ${line})` : '';
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `A quoted cell is never closed${at}: a double quote is missing. Fix the quotes or export the file again.`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `A quoted cell has text after its closing quote${at}: quotes inside a cell must be doubled ("").`;
    case 'INVALID_OPENING_QUOTE':
      return `A cell that is not quoted holds a double quote${at}: put the cell in quotes and double the quotes inside it ("").`;
    case 'CSV_MAX_RECORD_SIZE':
      return `A row is larger than ${MAX_RECORD_CHARS / 1024} KB${at}: the file is broken (a missing quote or line break?) or one cell holds far more than a CRM field.`;
    default:
      return `The file cannot be read as CSV${at}: ${err.message}`;
  }
}
