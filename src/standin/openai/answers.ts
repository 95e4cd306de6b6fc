/**
 * The stand-in's default answers: plausible, schema-valid replies for each of
 * the three kinds of request the app sends, built from the quoted answers in
 * the request. Simple templates: enough for the local playground and tests to
 * see the whole path work without a real model.
 */

export type RequestKind = 'proxy_failures' | 'clarifying_questions' | 'red_team' | 'other';

export interface ChatMessage {
  role: string;
  content?: unknown;
}

export interface ChatBody {
  model: string;
  messages: ChatMessage[];
  response_format?: { type?: string; json_schema?: { name?: string } };
  [key: string]: unknown;
}

const KINDS: readonly RequestKind[] = ['proxy_failures', 'clarifying_questions', 'red_team'];

/** The structured-output schema's name says what is asked for. */
export function requestKind(body: ChatBody): RequestKind {
  const name = body.response_format?.json_schema?.name;
  return KINDS.find((kind) => kind === name) ?? 'other';
}

function textOf(message: ChatMessage | undefined): string {
  if (!message) return '';
  if (typeof message.content === 'string') return message.content;
  if (Array.isArray(message.content)) {
    return message.content.map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : '')).join('\n');
  }
  return '';
}

/** The <team_answer field="…"> blocks of the last user message, by field. */
export function quotedFields(body: ChatBody): Record<string, string> {
  const user = [...body.messages].reverse().find((message) => message.role === 'user');
  const fields: Record<string, string> = {};
  for (const match of textOf(user).matchAll(/<team_answer field="([^"]+)">\n([\s\S]*?)\n<\/team_answer>/g)) {
    fields[match[1]!] = match[2]!;
  }
  return fields;
}

/** A short, single-line excerpt so templates stay inside the app's length limits. */
function excerpt(text: string | undefined, fallback: string, max = 60): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!line) return fallback;
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

export function defaultAnswer(body: ChatBody): unknown {
  const fields = quotedFields(body);
  const system = excerpt(fields.system_name, 'the system', 40);
  const metric = excerpt(fields.metric, 'the metric');
  const goal = excerpt(fields.human_goal ?? fields.system_objective, 'the goal the team described');

  switch (requestKind(body)) {
    case 'proxy_failures':
      return {
        items: [
          {
            title: `"${excerpt(fields.metric, 'The metric', 40)}" improves while the real goal slips`,
            why: `${system} can push "${metric}" up by the cheapest route, such as cutting corners on quality or on hard cases, without doing more for "${goal}".`,
            safeguard: `Pair "${metric}" with a direct measure of the goal and review a sample of the cases where the metric moved most.`,
            area: 'reward_misspecification',
          },
          {
            title: 'Loopholes in how the metric is counted',
            why: `If "${metric}" is pushed hard, ${system} can change what gets counted (reclassifying, splitting or dropping cases) rather than the outcome itself.`,
            safeguard: 'Audit how cases enter and leave the count, cap how far the metric may move per week, and alert on sudden jumps.',
            area: 'over_optimization',
          },
          {
            title: 'Harm to people the metric does not see',
            why: `Costs that fall on people outside "${metric}" (those refused, delayed or never shown) do not register, so ${system} is free to push harm onto them.`,
            safeguard: 'Name who is affected but not measured, add a measure or a review for each, and give them a way to appeal.',
            area: 'reward_misspecification',
          },
        ],
      };
    case 'clarifying_questions':
      return {
        questions: [
          {
            prompt: `Beyond "${metric}", how would you know that ${system} achieved "${goal}" for the people it affects?`,
            help: 'A second, independent sign of success shows when the metric and the goal drift apart.',
          },
          {
            prompt: `What should ${system} do when a case is unclear or falls outside what it was built for?`,
            help: null,
          },
        ],
      };
    case 'red_team':
      return {
        scenarios: [
          { kind: 'violates_intent', scenario: `Asked to improve "${metric}", ${system} does exactly that on paper while the people it serves get a worse result than before.` },
          { kind: 'wrong_proxy', scenario: `${system} learns that "${metric}" rises fastest on the easiest cases, so hard but important cases are quietly deprioritised.` },
          { kind: 'harmful_shortcut', scenario: `To meet its target, ${system} skips a check that slows it down, and an error reaches a customer before anyone notices.` },
          { kind: 'unsafe_under_pressure', scenario: `During a surge, ${system} keeps acting at full speed instead of escalating, and mistakes pile up faster than people can review them.` },
          { kind: 'ignores_context', scenario: `A person in an unusual situation is handled like the typical case because ${system} has no way to tell them apart.` },
        ],
      };
    default:
      return { message: 'The OpenAI stand-in only knows the alignment review requests.' };
  }
}
