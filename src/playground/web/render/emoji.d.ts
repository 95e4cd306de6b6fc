/** Types of emoji.js. */
export function emojiFor(code: string): string | undefined;
export function withEmoji(text: string): string;
