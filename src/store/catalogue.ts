/** The catalogue of circulated children: the number printed under each photo. */
import type { Db } from './db.ts';
import { statementCache } from './db.ts';

export interface CatalogueChild {
  number: number;
  sex?: string;
  estimatedBirth?: string;
  foundDate?: string;
  foundPlace?: string;
  marks?: string;
  description?: string;
  photo?: string;
  photoSha256?: string;
  /** Where the record came from: `sample` for the bundled sample, else the imported file's name. */
  source?: string;
}

/** One photo of a circulated child, with its perceptual fingerprint (serialised). */
export interface CataloguePhoto {
  number: number;
  /** Path as given in the imported file (shown to caseworkers; the file is not read again). */
  path: string;
  sha256: string;
  width: number;
  height: number;
  fingerprint: string;
}

interface CatalogueRow {
  number: number;
  sex: string | null;
  estimated_birth: string | null;
  found_date: string | null;
  found_place: string | null;
  marks: string | null;
  description: string | null;
  photo: string | null;
  photo_sha256: string | null;
  source: string | null;
  imported_at: string;
}

function rowToChild(r: CatalogueRow): CatalogueChild {
  const c: CatalogueChild = { number: r.number };
  if (r.sex) c.sex = r.sex;
  if (r.estimated_birth) c.estimatedBirth = r.estimated_birth;
  if (r.found_date) c.foundDate = r.found_date;
  if (r.found_place) c.foundPlace = r.found_place;
  if (r.marks) c.marks = r.marks;
  if (r.description) c.description = r.description;
  if (r.photo) c.photo = r.photo;
  if (r.photo_sha256) c.photoSha256 = r.photo_sha256;
  if (r.source) c.source = r.source;
  return c;
}

export class CatalogueRepository {
  readonly #stmt: ReturnType<typeof statementCache>;
  #numbers: Set<number> | undefined;
  #numbersRevision = '';
  constructor(db: Db) {
    this.#stmt = statementCache(db);
  }

  upsert(c: CatalogueChild, now: string): void {
    this.#stmt(
      `INSERT INTO catalogue_children (number, sex, estimated_birth, found_date, found_place, marks, description, photo, photo_sha256, source, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (number) DO UPDATE SET sex = excluded.sex, estimated_birth = excluded.estimated_birth,
         found_date = excluded.found_date, found_place = excluded.found_place, marks = excluded.marks,
         description = excluded.description, photo = excluded.photo, photo_sha256 = excluded.photo_sha256,
         source = excluded.source, imported_at = excluded.imported_at`,
    ).run(
      c.number,
      c.sex ?? null,
      c.estimatedBirth ?? null,
      c.foundDate ?? null,
      c.foundPlace ?? null,
      c.marks ?? null,
      c.description ?? null,
      c.photo ?? null,
      c.photoSha256 ?? null,
      c.source ?? null,
      now,
    );
    this.#numbers = undefined;
  }

  /** Replaces a child's photos (call in the same transaction as {@link upsert}). */
  setPhotos(number: number, photos: readonly CataloguePhoto[]): void {
    this.#stmt('DELETE FROM catalogue_photos WHERE number = ?').run(number);
    const insert = this.#stmt(
      'INSERT INTO catalogue_photos (number, position, path, sha256, width, height, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    photos.forEach((p, i) => insert.run(number, i, p.path, p.sha256, p.width, p.height, p.fingerprint));
  }

  /** How many children the catalogue has (read now, not cached). */
  count(): number {
    return this.#stmt<{ n: number }>('SELECT count(*) AS n FROM catalogue_children').get()?.n ?? 0;
  }

  /** Every catalogue photo, for the photo index. */
  photos(): CataloguePhoto[] {
    return this.#stmt<CataloguePhoto>(
      'SELECT number, path, sha256, width, height, fingerprint FROM catalogue_photos ORDER BY number, position',
    ).all();
  }

  /** Photos per child (for the listing). */
  photoCounts(): Map<number, number> {
    const rows = this.#stmt<{ number: number; n: number }>('SELECT number, count(*) AS n FROM catalogue_photos GROUP BY number').all();
    return new Map(rows.map((r) => [r.number, r.n]));
  }

  /** Removes the bundled sample (the first real import replaces it). Returns how many children went. */
  removeSample(): number {
    this.#stmt(`DELETE FROM catalogue_photos WHERE number IN (SELECT number FROM catalogue_children WHERE source = 'sample')`).run();
    const n = this.#stmt(`DELETE FROM catalogue_children WHERE source = 'sample'`).run().changes;
    this.#numbers = undefined;
    return n;
  }

  /**
   * Changes whenever the catalogue does (another process may import while the server runs):
   * the photo index is rebuilt when this differs.
   */
  revision(): string {
    // Every import writes its children's imported_at (and their photos with them); removing
    // the sample changes the count.
    const r = this.#stmt<{ n: number; at: string | null }>('SELECT count(*) AS n, max(imported_at) AS at FROM catalogue_children').get();
    return `${r?.n ?? 0}:${r?.at ?? ''}`;
  }

  get(number: number): CatalogueChild | undefined {
    const r = this.#stmt<CatalogueRow>('SELECT * FROM catalogue_children WHERE number = ?').get(number);
    return r ? rowToChild(r) : undefined;
  }

  all(): CatalogueChild[] {
    return this.#stmt<CatalogueRow>('SELECT * FROM catalogue_children ORDER BY number').all().map(rowToChild);
  }

  /**
   * The catalogue numbers, re-read whenever the catalogue changed — also from another process
   * (`catalogue import` while the server runs): an import counts from the next message on.
   */
  numbers(): ReadonlySet<number> {
    const revision = this.revision();
    if (!this.#numbers || this.#numbersRevision !== revision) {
      this.#numbers = new Set(this.#stmt<{ number: number }>('SELECT number FROM catalogue_children').all().map((r) => r.number));
      this.#numbersRevision = revision;
    }
    return this.#numbers;
  }
}
