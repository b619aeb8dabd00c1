/**
 * A reporter's photo prepared for matching: where photos may be in it, the hashes of those
 * windows, and the raster kept (grey as a summed-area table, and RGB) so candidates can be
 * verified by alignment and colour. Held in memory for one request (about 3 MB); never stored.
 */
import type { DecodedImage } from './decode.ts';
import { QUERY_REGIONS } from './fingerprint.ts';
import { AreaSampler, luminance, phash, thumbnail } from './hash.ts';
import { locatePhotos, type Box } from './locate.ts';

/** One candidate window of the query and its coarse keys (one per {@link QUERY_REGIONS} entry). */
export interface QueryWindow {
  readonly box: Box;
  readonly hashes: ReadonlyArray<readonly [number, number]>;
}

/** A reporter's photo, ready for {@link PhotoIndex.match}. Opaque; not serialisable. */
export class PhotoQuery {
  /** Analysis-raster size (the photo as sent, reduced to about 512 pixels). */
  readonly width: number;
  readonly height: number;
  /** Candidate windows: the whole picture first, then photos found inside frames. */
  readonly windows: readonly QueryWindow[];
  /** @internal The grey raster, for verification. */
  readonly sampler: AreaSampler;
  /** @internal The RGB raster (analysis size), for the colour check. */
  readonly rgb: Uint8Array;

  constructor(img: DecodedImage) {
    this.width = img.width;
    this.height = img.height;
    this.sampler = new AreaSampler(luminance(img), img.width, img.height);
    this.rgb = img.rgb;
    this.windows = locatePhotos(img).map((box) => ({
      box,
      hashes: QUERY_REGIONS.map((r) =>
        phash(thumbnail(this.sampler, { cx: box.x + box.w / 2, cy: box.y + box.h / 2, w: box.w * r, h: box.h * r, angle: 0 })),
      ),
    }));
  }
}
