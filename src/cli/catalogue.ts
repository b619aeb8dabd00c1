/** `catalogue import` (with a progress bar) and `catalogue list`. */
import type { Store } from '../store/index.ts';
import { formatImportProblem, importCatalogueFile, MAX_PROBLEMS_SHOWN } from '../catalogue.ts';

/** A progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean). */
function progressBar(label: string): { update(done: number, total: number): void; end(): void } {
  const tty = process.stderr.isTTY;
  const width = 30;
  let shown = false;
  return {
    update(done, total) {
      if (!tty || total === 0) return;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
      shown = true;
    },
    end() {
      if (shown) process.stderr.write('\n');
    },
  };
}

/** Imports `file`; returns an exit code. Every problem is named, one line each; nothing half-imported. */
export async function importCatalogue(store: Store, file: string, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const bar = progressBar('photos');
  const result = await importCatalogueFile(store, file, { progress: (d, t) => bar.update(d, t) });
  bar.end();
  if (!result.ok) {
    for (const p of result.problems.slice(0, MAX_PROBLEMS_SHOWN)) err(formatImportProblem(file, p));
    if (result.problems.length > MAX_PROBLEMS_SHOWN) err(`catalogue import: ${file}: … and ${result.problems.length - MAX_PROBLEMS_SHOWN} more problems`);
    if (result.problems.some((p) => p.row > 0)) {
      err(`catalogue import: nothing imported — fix the ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} above and run it again`);
    }
    return 1;
  }
  const sample = result.replacedSample ? ` (the ${result.replacedSample} sample children were removed)` : '';
  out(`Imported ${result.children} children with ${result.photos} photo${result.photos === 1 ? '' : 's'}${sample}.`);
  return 0;
}

/** The catalogue, one child a line, with photos and open cases. */
export function listCatalogue(store: Store): string[] {
  const photos = store.catalogue.photoCounts();
  const cases = store.links.openCountsByChild();
  return store.catalogue.all().map((c) => {
    const facts = [
      c.sex,
      c.estimatedBirth ? `born ~${c.estimatedBirth}` : '',
      c.foundDate || c.foundPlace ? `found ${[c.foundDate, c.foundPlace].filter(Boolean).join(' ')}` : '',
      c.marks ? `marks: ${c.marks}` : '',
      `${photos.get(c.number) ?? 0} photo${photos.get(c.number) === 1 ? '' : 's'}`,
      `${cases.get(c.number) ?? 0} open case${cases.get(c.number) === 1 ? '' : 's'}`,
      c.source === 'sample' ? 'SAMPLE' : '',
    ].filter(Boolean);
    return `#${c.number}  ${facts.join(' · ')}`;
  });
}
