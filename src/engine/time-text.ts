/** `2025-03-04T10:20:30.000Z` → `2025-03-04 10:20 UTC`, as the app shows times to people; anything else as given. */
export function utcMinuteText(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}
