/**
 * Keeps open Home tabs current: after a review changes, the homes of the
 * people in it (and of the leads) are published again, in the background
 * and at most once per person per `delayMs` (a burst of answers is one
 * publish). Only people who have opened the tab are refreshed, so a review
 * never costs views.publish calls for people who would not see them.
 */
import type { ReviewState } from '../engine/types.js';
import type { ReviewDeps } from '../reviews/deps.js';
import type { ReviewPlacement } from '../store/types.js';
import { HOME_SETTING, publishHome } from './home.js';

const BOT = 'bot';

/** Everyone whose home shows this review: its starter, people who answered or judged, respondents, the decider, the leads. */
export function peopleToRefresh(placement: ReviewPlacement, state: ReviewState, leadUserIds: readonly string[]): string[] {
  const people = new Set<string>([
    state.startedBy,
    ...Object.values(state.answers).map((answer) => answer.by),
    ...state.suggestions.flatMap((item) => (item.verdict ? [item.verdict.by] : [])),
    ...(placement.respondents ?? []),
    ...(state.decision ? [state.decision.by] : []),
    ...leadUserIds,
  ]);
  people.delete(BOT);
  return [...people];
}

export class HomeRefresher {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: ReviewDeps,
    private readonly delayMs: number,
  ) {}

  reviewChanged(placement: ReviewPlacement, state: ReviewState): void {
    for (const userId of peopleToRefresh(placement, state, this.deps.settings.leadUserIds)) {
      this.schedule(placement.teamId, placement.enterpriseId, userId);
    }
  }

  private schedule(teamId: string, enterpriseId: string | undefined, userId: string): void {
    const key = `${teamId} ${userId}`;
    if (this.pending.has(key) || this.deps.work.isClosing) return;
    const timer = setTimeout(() => {
      this.pending.delete(key);
      void this.deps.work.run(() => this.refresh(teamId, enterpriseId, userId));
    }, this.delayMs);
    timer.unref();
    this.pending.set(key, timer);
  }

  private async refresh(teamId: string, enterpriseId: string | undefined, userId: string): Promise<void> {
    const settings = await this.deps.store.getUserSettings(teamId, userId);
    if (!settings[HOME_SETTING.opened]) return;
    const client = await this.deps.clientFor(teamId, enterpriseId);
    await publishHome(this.deps, client, teamId, userId);
  }

  /** Drops refreshes not yet started (shutdown). */
  stop(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
