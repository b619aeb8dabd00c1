/**
 * Loading the catalogue of circulated children from a JSON or CSV file with photo paths.
 * Every row is checked and every photo fingerprinted first; only when the whole file is good is
 * it written, in one transaction — never half a catalogue. Used by `catalogue import` and by
 * the server, which loads the bundled sample when no catalogue exists.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from './store/index.ts';
import type { CatalogueChild, CataloguePhoto } from './store/catalogue.ts';

/** The bundled sample: 11 synthetic children (no real people), used until a real import. */
export const SAMPLE_CATALOGUE = fileURLToPath(new URL('../data/catalogue.sample.json', import.meta.url));

export const CATALOGUE_FIELDS = ['number', 'sex', 'estimatedBirth', 'foundDate', 'foundPlace', 'marks', 'description', 'photos'] as const;

/** Most photos per child, and largest photo file read. */
const MAX_PHOTOS = 10;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** More children than any circulated catalogue; a bigger file is a mistake, said in one line. */
const MAX_RECORDS = 20_000;
/** Problems reported one by one; beyond this, their count. */
export const MAX_PROBLEMS_SHOWN = 100;
const MAX_TEXT = 1_000;

/** One problem with one row (or the whole file when `row` is 0). */
export interface ImportProblem {
  row: number;
  number?: number;
  message: string;
}

export interface ImportResult {
  ok: boolean;
  children: number;
  photos: number;
  problems: ImportProblem[];
  /** Sample children removed because a real catalogue came in. */
  replacedSample: number;
}

export interface ImportOptions {
  /** Marks the records (`sample` for the bundled one). Default: the file's name. */
  source?: string;
  /** Called as photos are fingerprinted (for a progress bar). */
  progress?: (done: number, total: number) => void;
  now?: string;
}

/** CSV with a header row; `,` or `;` between fields (spreadsheets in many locales use `;`). */
export function parseCsv(text: string): Record<string, string>[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const sep = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      (row = []), (field = '');
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  const [header, ...data] = rows;
  if (!header) return [];
  // Header names match the fields whatever their case ("Number", "estimated_birth", "photo").
  const canonical = (h: string) => {
    const key = h.trim().toLowerCase().replace(/[_\s-]/g, '');
    if (key === 'photo') return 'photos';
    return CATALOGUE_FIELDS.find((f) => f.toLowerCase() === key) ?? h.trim();
  };
  return data.map((r) => Object.fromEntries(header.map((h, i) => [canonical(h), (r[i] ?? '').trim()])));
}

const SEX: Record<string, 'boy' | 'girl'> = {
  boy: 'boy', male: 'boy', m: 'boy', 男: 'boy', 男孩: 'boy',
  girl: 'girl', female: 'girl', f: 'girl', 女: 'girl', 女孩: 'girl',
};

/** `YYYY-MM` or `YYYY-MM-DD` with a real month (and day). */
function isDate(text: string, withDay: boolean): boolean {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (!m || (!withDay && m[3] !== undefined)) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

interface ParsedRow {
  row: number;
  child: CatalogueChild;
  photoPaths: string[];
}

/** Checks one record; returns the child and its photo paths, or the problems. */
function checkRecord(r: unknown, row: number, problems: ImportProblem[]): ParsedRow | undefined {
  const bad = (message: string, number?: number) => problems.push({ row, ...(number !== undefined ? { number } : {}), message });
  if (!r || typeof r !== 'object' || Array.isArray(r)) return void bad('not an object');
  const rec = r as Record<string, unknown>;
  // Only plain whole numbers: "0x10", "1e2" and "3.0" are typos, not children #16, #100, #3.
  const raw = typeof rec.number === 'number' ? String(rec.number) : String(rec.number ?? '').trim();
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 99999) return void bad(`"number" must be a whole number from 1 to 99999 (got ${JSON.stringify(rec.number ?? null)})`);
  const before = problems.length;
  const child: CatalogueChild = { number: n };
  const text = (field: string): string | undefined => {
    const v = rec[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return void bad(`"${field}" must be text`, n);
    const t = v.trim();
    if (t.length > MAX_TEXT) return void bad(`"${field}" is longer than ${MAX_TEXT} characters`, n);
    return t || undefined;
  };
  const sex = text('sex');
  if (sex !== undefined) {
    const s = SEX[sex.toLowerCase()];
    if (s) child.sex = s;
    else bad(`"sex" must be boy or girl (got ${JSON.stringify(sex)})`, n);
  }
  const birth = text('estimatedBirth');
  if (birth !== undefined) {
    if (isDate(birth, false) || isDate(birth, true)) child.estimatedBirth = birth.slice(0, 7);
    else bad(`"estimatedBirth" must be YYYY-MM (got ${JSON.stringify(birth)})`, n);
  }
  const found = text('foundDate');
  if (found !== undefined) {
    if (isDate(found, true) || isDate(found, false)) child.foundDate = found;
    else bad(`"foundDate" must be YYYY-MM-DD (got ${JSON.stringify(found)})`, n);
  }
  for (const f of ['foundPlace', 'marks', 'description'] as const) {
    const v = text(f);
    if (v !== undefined) child[f] = v;
  }
  let photos: unknown = rec.photos ?? rec.photo;
  if (typeof photos === 'string') photos = photos.split(/[|;\n]/).map((p) => p.trim()).filter(Boolean);
  const photoPaths: string[] = [];
  if (photos !== undefined && photos !== null) {
    if (!Array.isArray(photos) || photos.some((p) => typeof p !== 'string' || !p.trim())) bad('"photos" must be a list of file paths', n);
    else if (photos.length > MAX_PHOTOS) bad(`at most ${MAX_PHOTOS} photos per child (got ${photos.length})`, n);
    else photoPaths.push(...(photos as string[]).map((p) => p.trim()));
  }
  return problems.length === before ? { row, child, photoPaths } : undefined;
}

/** Reads the records of a JSON (array, or `{ "children": [...] }`) or CSV file. */
async function readRecords(file: string): Promise<{ records: unknown[] } | { problem: string }> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return { problem: 'no such file' };
  }
  if (!info.isFile()) return { problem: 'not a file' };
  if (info.size > MAX_FILE_BYTES) return { problem: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  if (file.toLowerCase().endsWith('.csv')) return { records: parseCsv(text) };
  try {
    const parsed = JSON.parse(text) as unknown;
    const list = Array.isArray(parsed) ? parsed : (parsed as { children?: unknown })?.children;
    if (!Array.isArray(list)) return { problem: 'expected a JSON array of children (or { "children": [...] })' };
    return { records: list };
  } catch {
    // Name the problem, never echo the file's content.
    return { problem: 'not valid JSON (or use a .csv file with a header row)' };
  }
}

/**
 * Imports a catalogue file into the store. All or nothing: with any problem, nothing is written
 * and every problem is returned (one per row and field, with the row number as in the file:
 * CSV rows count the header as row 1).
 */
export async function importCatalogueFile(store: Store, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const empty = (problems: ImportProblem[]): ImportResult => ({ ok: false, children: 0, photos: 0, problems, replacedSample: 0 });
  const read = await readRecords(file);
  if ('problem' in read) return empty([{ row: 0, message: read.problem }]);
  const { records } = read;
  if (records.length === 0) return empty([{ row: 0, message: 'no children in the file' }]);
  if (records.length > MAX_RECORDS) return empty([{ row: 0, message: `${records.length} records: more than ${MAX_RECORDS} children is not a catalogue (wrong file?)` }]);
  const csv = file.toLowerCase().endsWith('.csv');
  const problems: ImportProblem[] = [];
  if (!records.some((r) => r && typeof r === 'object' && 'number' in r)) {
    const first = records[0];
    const columns = first && typeof first === 'object' ? Object.keys(first).join(', ') : 'none';
    return empty([{ row: 0, message: `no "number" field (found: ${columns}); fields are ${CATALOGUE_FIELDS.join(', ')}` }]);
  }
  const rows: ParsedRow[] = [];
  const seen = new Map<number, number>();
  records.forEach((r, i) => {
    const rowNo = csv ? i + 2 : i + 1;
    const parsed = checkRecord(r, rowNo, problems);
    if (!parsed) return;
    const dup = seen.get(parsed.child.number);
    if (dup !== undefined) return void problems.push({ row: rowNo, number: parsed.child.number, message: `#${parsed.child.number} is also in row ${dup}` });
    seen.set(parsed.child.number, rowNo);
    rows.push(parsed);
  });

  // Photos: read and fingerprinted before anything is written (the slow part: the progress bar).
  const { fingerprintPhoto, serializeFingerprint } = await import('./photos/index.ts');
  const base = path.dirname(path.resolve(file));
  const total = rows.reduce((n, r) => n + r.photoPaths.length, 0);
  const photos = new Map<number, CataloguePhoto[]>();
  let done = 0;
  opts.progress?.(0, total);
  for (const r of rows) {
    const list: CataloguePhoto[] = [];
    for (const p of r.photoPaths) {
      const where = path.resolve(base, p);
      const problem = (message: string) => problems.push({ row: r.row, number: r.child.number, message: `photo ${p}: ${message}` });
      try {
        const info = await stat(where).catch(() => undefined);
        if (!info?.isFile()) problem('not found');
        else if (info.size > MAX_PHOTO_BYTES) problem(`larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MiB`);
        else {
          const data = await readFile(where);
          const fp = await fingerprintPhoto(data);
          if (!fp.ok) problem(`${fp.problem.replace(/_/g, ' ')} (${fp.detail})`);
          else {
            list.push({
              number: r.child.number,
              path: p,
              sha256: createHash('sha256').update(data).digest('hex'),
              width: fp.width,
              height: fp.height,
              fingerprint: serializeFingerprint(fp.fingerprint),
            });
          }
        }
      } catch (err) {
        problem(`could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      opts.progress?.(++done, total);
    }
    photos.set(r.child.number, list);
  }
  problems.sort((a, b) => a.row - b.row);
  if (problems.length > 0) return empty(problems);

  const now = opts.now ?? new Date().toISOString();
  const source = opts.source ?? path.basename(file);
  let replacedSample = 0;
  let written = true;
  store.transaction(() => {
    // The sample only ever fills an empty catalogue: checked again here, inside the write, since
    // an operator's import may have landed while the photos were being read.
    if (source === 'sample' && store.catalogue.count() > 0) return void (written = false);
    if (source !== 'sample') replacedSample = store.catalogue.removeSample();
    for (const r of rows) {
      const list = photos.get(r.child.number) ?? [];
      const child: CatalogueChild = { ...r.child, source };
      if (list[0]) {
        child.photo = list[0].path;
        child.photoSha256 = list[0].sha256;
      }
      store.catalogue.upsert(child, now);
      store.catalogue.setPhotos(r.child.number, list);
    }
  });
  if (!written) return { ok: true, children: 0, photos: 0, problems: [], replacedSample: 0 };
  return { ok: true, children: rows.length, photos: total, problems: [], replacedSample };
}

/** One line per problem, as `catalogue import` prints them. */
export function formatImportProblem(file: string, p: ImportProblem): string {
  const where = p.row === 0 ? file : `${file}: row ${p.row}${p.number !== undefined ? ` (#${p.number})` : ''}`;
  return `catalogue import: ${where}: ${p.message}`;
}

/**
 * Loads the bundled sample when the catalogue is empty (a fresh `npm start`). Returns how many
 * children were loaded (0 when a catalogue exists).
 */
export async function ensureCatalogue(store: Store): Promise<number> {
  if (store.catalogue.numbers().size > 0) return 0;
  const result = await importCatalogueFile(store, SAMPLE_CATALOGUE, { source: 'sample' });
  if (!result.ok) throw new Error(result.problems.map((p) => formatImportProblem('data/catalogue.sample.json', p)).join('; '));
  return result.children;
}
