/** A desk (Slack's side) that records what it was asked to show, for core-level tests. */
import { DeliveryError, type DeskAdapter, type DeskCaseView, type DeskPostRef, type MessageAuthor } from '../../src/core/types.ts';

export class RecordingDesk implements DeskAdapter {
  readonly desk = 'slack';
  readonly log: string[] = [];
  readonly views: DeskCaseView[] = [];
  failUpserts = 0;
  #n = 0;
  async upsertCase(view: DeskCaseView, existing: DeskPostRef | undefined): Promise<DeskPostRef> {
    if (this.failUpserts > 0) {
      this.failUpserts--;
      throw new DeliveryError('slack 503', false, 0);
    }
    this.views.push(view);
    this.log.push(`${existing ? 'update' : 'post'} ${view.code} ${view.status}`);
    return existing ?? { channel: 'C123', ts: `1700000000.${++this.#n}` };
  }
  async postPhoto(ref: DeskPostRef, _view: DeskCaseView, photo: { mime: string; data: Buffer; name: string }): Promise<void> {
    this.log.push(`photo ${ref.ts} ${photo.mime} ${photo.data.length}`);
  }
  async postThread(ref: DeskPostRef, _view: DeskCaseView, line: { author: MessageAuthor; text: string }): Promise<void> {
    this.log.push(`thread ${ref.ts} ${line.author}: ${line.text}`);
  }
}
