/** `catalogue import`: loads the circulated children from JSON or CSV, with a progress bar. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/index.ts';
import type { CatalogueChild } from '../store/catalogue.ts';

const FIELDS = ['number', 'sex', 'estimatedBirth', 'foundDate', 'foundPlace', 'marks', 'description', 'photo'] as const;

/** CSV with a header row; `,` or `;` between fields (spreadsheets in many locales use `;`). */
function parseCsv(text: string): Record<string, string>[] {
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
  // Header names match the fields whatever their case ("Number", "estimated_birth").
  const canonical = (h: string) => FIELDS.find((f) => f.toLowerCase() === h.trim().toLowerCase().replace(/[_\s-]/g, '')) ?? h.trim();
  return data.map((r) => Object.fromEntries(header.map((h, i) => [canonical(h), (r[i] ?? '').trim()])));
}

/** Imports `file`; returns an exit code. Bad rows are named one line each and skipped. */
export function importCatalogue(store: Store, file: string, out: (s: string) => void, err: (s: string) => void): number {
  if (!existsSync(file) || !statSync(file).isFile()) {
    err(`catalogue import: ${file}: no such file`);
    return 1;
  }
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let records: Record<string, unknown>[];
  try {
    records = file.toLowerCase().endsWith('.csv') ? parseCsv(text) : (JSON.parse(text) as Record<string, unknown>[]);
    if (!Array.isArray(records)) throw new Error('expected a JSON array of children');
  } catch (e) {
    // Name the problem, never echo the file's content.
    const what = e instanceof SyntaxError ? 'not valid JSON (or use a .csv file with a header row)' : (e as Error).message;
    err(`catalogue import: ${file}: ${what}`);
    return 1;
  }
  const base = path.dirname(path.resolve(file));
  const children: CatalogueChild[] = [];
  let bad = 0;
  if (records.length > 0 && !records.some((r) => r && typeof r === 'object' && 'number' in r)) {
    const columns = records[0] && typeof records[0] === 'object' ? Object.keys(records[0]).join(', ') : 'none';
    err(`catalogue import: ${file}: no "number" field (found: ${columns}); fields are ${FIELDS.join(', ')}`);
    return 1;
  }
  records.forEach((r, i) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) {
      err(`catalogue import: record ${i + 1}: not an object`);
      bad++;
      return;
    }
    // Only plain whole numbers: "0x10", "1e2" and "3.0" are typos, not children #16, #100, #3.
    const raw = typeof r.number === 'number' ? String(r.number) : String(r.number ?? '').trim();
    const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 99999) {
      err(`catalogue import: record ${i + 1}: "number" must be a whole number from 1 (got ${JSON.stringify(r.number)})`);
      bad++;
      return;
    }
    const child: CatalogueChild = { number: n };
    for (const f of FIELDS) {
      if (f === 'number') continue;
      const v = r[f];
      if (typeof v === 'string' && v.trim()) child[f] = v.trim();
    }
    if (child.photo) {
      const p = path.resolve(base, child.photo);
      if (existsSync(p)) child.photoSha256 = createHash('sha256').update(readFileSync(p)).digest('hex');
      else err(`catalogue import: #${n}: photo ${child.photo} not found (imported without it)`);
    }
    children.push(child);
  });
  const tty = process.stderr.isTTY;
  const now = new Date().toISOString();
  const width = 30;
  const batch = 100;
  for (let i = 0; i < children.length; i += batch) {
    store.transaction(() => {
      for (const c of children.slice(i, i + batch)) store.catalogue.upsert(c, now);
    });
    const done = Math.min(children.length, i + batch);
    if (tty) {
      const filled = Math.round((done / children.length) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${children.length}`);
    }
  }
  if (tty && children.length) process.stderr.write('\n');
  out(`Imported ${children.length} children${bad ? `, skipped ${bad} bad records` : ''}.`);
  return bad ? 1 : 0;
}
