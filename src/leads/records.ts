/** Many reviews at once, for lists, App Home and exports. */
import type { ReviewDeps } from '../reviews/deps.js';
import type { ReviewListEntry, ReviewRecord } from '../store/types.js';

const LOAD_CONCURRENCY = 25;

/** Loads records a batch at a time, so a big workspace does not open thousands of requests at once. Gone ones are skipped. */
export async function loadRecords(deps: Pick<ReviewDeps, 'store'>, entries: ReviewListEntry[]): Promise<ReviewRecord[]> {
  const records: ReviewRecord[] = [];
  for (let i = 0; i < entries.length; i += LOAD_CONCURRENCY) {
    const batch = await Promise.all(entries.slice(i, i + LOAD_CONCURRENCY).map((entry) => deps.store.get(entry.teamId, entry.reviewId)));
    for (const record of batch) if (record) records.push(record);
  }
  return records;
}
