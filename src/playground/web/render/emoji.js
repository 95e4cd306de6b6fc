/**
 * Slack emoji shortcodes the app uses, and common ones people type, as
 * Unicode. An unknown code is shown as written (`:like_this:`), as Slack
 * does for a custom emoji it cannot load.
 */
const EMOJI = {
  white_check_mark: '✅', heavy_check_mark: '✔️', ballot_box_with_check: '☑️', x: '❌', no_entry: '⛔',
  no_entry_sign: '🚫', warning: '⚠️', heavy_minus_sign: '➖', heavy_plus_sign: '➕', red_circle: '🔴',
  large_orange_circle: '🟠', large_yellow_circle: '🟡', large_green_circle: '🟢', large_blue_circle: '🔵',
  large_purple_circle: '🟣', white_circle: '⚪', black_circle: '⚫', thread: '🧵', pencil: '📝', pencil2: '✏️',
  memo: '📝', bulb: '💡', arrow_forward: '▶️', arrow_right: '➡️', arrow_left: '⬅️', arrow_up: '⬆️', arrow_down: '⬇️',
  leftwards_arrow_with_hook: '↩️', double_vertical_bar: '⏸️', pause_button: '⏸️', stop_sign: '🛑', hourglass: '⌛',
  hourglass_flowing_sand: '⏳', stopwatch: '⏱️', alarm_clock: '⏰', calendar: '📆', date: '📅', clipboard: '📋',
  bar_chart: '📊', chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉', page_facing_up: '📄',
  inbox_tray: '📥', outbox_tray: '📤', link: '🔗', lock: '🔒', unlock: '🔓', key: '🔑', shield: '🛡️', scales: '⚖️',
  mag: '🔍', eyes: '👀', question: '❓', grey_question: '❔', exclamation: '❗', information_source: 'ℹ️',
  robot_face: '🤖', gear: '⚙️', wrench: '🔧', hammer_and_wrench: '🛠️', construction: '🚧', rocket: '🚀', tada: '🎉',
  sparkles: '✨', star: '⭐', fire: '🔥', zap: '⚡', wave: '👋', thumbsup: '👍', '+1': '👍', thumbsdown: '👎',
  '-1': '👎', ok_hand: '👌', clap: '👏', pray: '🙏', raised_hands: '🙌', muscle: '💪', point_right: '👉',
  point_left: '👈', speech_balloon: '💬', thought_balloon: '💭', busts_in_silhouette: '👥', bust_in_silhouette: '👤',
  wastebasket: '🗑️', pushpin: '📌', round_pushpin: '📍', dart: '🎯', trophy: '🏆', money_with_wings: '💸',
  moneybag: '💰', heart: '❤️', broken_heart: '💔', smile: '😄', slightly_smiling_face: '🙂', thinking_face: '🤔',
  grimacing: '😬', sweat_smile: '😅', joy: '😂', cry: '😢', scream: '😱', sunglasses: '😎', white_large_square: '⬜',
  black_large_square: '⬛', large_red_square: '🟥', large_green_square: '🟩', large_yellow_square: '🟨',
  checkered_flag: '🏁', triangular_flag_on_post: '🚩', bell: '🔔', no_bell: '🔕', mailbox: '📫', email: '📧',
  envelope: '✉️', telephone_receiver: '📞', computer: '💻', globe_with_meridians: '🌐', earth_africa: '🌍',
  package: '📦', books: '📚', book: '📖', brain: '🧠', test_tube: '🧪', microscope: '🔬', hospital: '🏥',
  house: '🏠', office: '🏢', bank: '🏦', car: '🚗', one: '1️⃣', two: '2️⃣', three: '3️⃣', four: '4️⃣', five: '5️⃣',
};

/** The glyph for a shortcode (without the colons), or undefined. Skin tones are dropped. */
export function emojiFor(code) {
  const base = String(code).toLowerCase().replace(/::skin-tone-\d$/, '');
  return Object.prototype.hasOwnProperty.call(EMOJI, base) ? EMOJI[base] : undefined;
}

/** Plain text with every known :code: replaced by its glyph (for plain_text objects with emoji: true). */
export function withEmoji(text) {
  return String(text).replace(/:([a-z0-9_+'-]+(?:::skin-tone-\d)?):/gi, (whole, code) => emojiFor(code) ?? whole);
}
