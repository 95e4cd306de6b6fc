/**
 * Suggestions with a model (the OpenAI stand-in, through the real openai
 * SDK), end to end through Slack: clarifying follow-ups asked as optional
 * questions once the system and its objective are described, proxy failures
 * from the model after the metric, and red-team scenarios on the summary card.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestKind } from '../../src/standin/openai/answers.js';
import { good } from '../../src/standin/openai/behaviours.js';
import { startOpenAIStandin, type OpenAIStandin } from '../../src/standin/openai/server.js';
import { SOURCE_NOTES } from '../../src/slack/blocks/suggestions.js';
import { ALICE, BOB, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { currentQuestionOf, startReview, stateOf, waitForSummaryCard } from '../support/review-driver.js';
import {
  answerCurrent,
  answerThrough,
  answerUntil,
  messageWithText,
  modelEnv,
  firstQuestionPost,
  questionMessage,
  readableText,
  repliesFrom,
  suggestionButtons,
  waitForState,
  waitForSuggestionsMessage,
} from '../support/suggestion-helpers.js';
import { questionPosts } from '../support/suggestion-thread.js';

let model: OpenAIStandin;
let h: Harness;

beforeEach(async () => {
  model = await startOpenAIStandin();
  h = await startHarness({ env: modelEnv(model.baseUrl) });
});

afterEach(async () => {
  await h.close();
  await model.close();
});

const SUPPORT_ASSISTANT = repliesFrom({
  system_description: 'A chat assistant on our help site that answers customer questions from the help articles and can close the conversation.',
  human_goal: 'Customers want their problem solved quickly and correctly, and to feel someone listened.',
  objective: 'Answer each question from the help articles and close the conversation without handing it to an agent.',
  metric: 'Ticket volume reduction: fewer conversations reaching human agents.',
});

const FOLLOW_UPS = [
  { prompt: 'What counts as a conversation being resolved for the customer?', help: 'Closing is not the same as solving.' },
  { prompt: 'When must the assistant hand a conversation to a person?', help: null },
  { prompt: 'Which customers are most likely to give up instead of asking again?', help: null },
  { prompt: 'A fourth question, one more than a review asks.', help: null },
];

describe('suggestions from the model', () => {
  it('asks at most three clarifying follow-ups as optional suggested questions, and their answers reach the summary card', async () => {
    model.respondWith((request) =>
      requestKind(request.body) === 'clarifying_questions' ? { type: 'content', content: JSON.stringify({ questions: FOLLOW_UPS }) } : good(request),
    );
    const review = await startReview(h, 'Support assistant', ALICE);
    await answerThrough(h, review, ALICE, SUPPORT_ASSISTANT, 'objective');
    // Found by its post, not as it stands: the follow-ups may already have taken its buttons away.
    const affected = await h.slack.waitFor(
      (view) => {
        const post = view.calls.find((call) => {
          if (call.method !== 'chat.postMessage' || call.args.thread_ts !== review.threadTs) return false;
          const blocks = JSON.stringify(call.args.blocks ?? []);
          return blocks.includes('"q":"affected"') || blocks.includes('\\"q\\":\\"affected\\"');
        });
        const ts = (post?.response as { ts?: string } | undefined)?.ts;
        return ts ? view.world.messages.find((message) => message.ts === ts) : undefined;
      },
      { description: 'the question after the objective' },
    );

    const withFollowUps = await waitForState(h, review, (state) => state.extraQuestions.length > 0, 'the follow-ups');
    expect(withFollowUps.extraQuestions.map((question) => question.prompt)).toEqual(FOLLOW_UPS.slice(0, 3).map((item) => item.prompt));
    for (const question of withFollowUps.extraQuestions) {
      expect(question).toMatchObject({ kind: 'text', optional: true, suggested: true, afterQuestionId: 'objective' });
    }
    // They come before the question already posted, which loses its buttons until its turn comes again.
    expect(withFollowUps.currentQuestionId).toBe(withFollowUps.extraQuestions[0]!.id);
    const postponed = await h.slack.waitFor((view) => {
      const current = view.world.messages.find((message) => message.ts === affected.ts)!;
      return !JSON.stringify(current.blocks).includes('"type":"actions"') ? current : undefined;
    }, { description: 'the posted question without buttons' });
    expect(readableText(postponed)).toContain('asked again after them');

    const first = await h.slack.waitFor(() => messageWithText(h, review, FOLLOW_UPS[0]!.prompt), { description: 'the first follow-up in the thread' });
    expect(readableText(first)).toContain('suggested follow-up');
    expect(readableText(first)).toContain('optional');
    expect(readableText(first)).toContain(FOLLOW_UPS[0]!.help!);

    // Answer the first, skip the second, answer the third.
    const answer = 'Resolved means the customer confirms the answer worked, or does not come back within a week.';
    await h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: review.threadTs, text: answer });
    await waitForState(h, review, (state) => Boolean(state.answers[withFollowUps.extraQuestions[0]!.id]), 'the first follow-up answered');
    await h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: review.threadTs, text: 'skip' });
    await waitForState(h, review, (state) => state.answers[withFollowUps.extraQuestions[1]!.id]?.value.kind === 'skipped', 'the second follow-up skipped');
    await answerCurrent(h, review, BOB, () => 'Older customers on the phone-only plan.');

    // Then the postponed question is asked again, with its buttons.
    expect((await currentQuestionOf(h, review))?.id).toBe('affected');
    const again = await h.slack.waitFor(() => {
      const latest = questionMessage(h, review, 'affected');
      return latest && latest.ts !== affected.ts ? latest : undefined;
    }, { description: 'the postponed question asked again' });
    expect(JSON.stringify(again.blocks)).toContain('"type":"actions"');

    await answerUntil(h, review, ALICE, SUPPORT_ASSISTANT);
    const card = await waitForSummaryCard(h, review);
    const cardText = readableText(card);
    expect(cardText).toContain('Suggested follow-up questions');
    expect(cardText).toContain(FOLLOW_UPS[0]!.prompt);
    expect(cardText).toContain(answer);
    expect(cardText).toContain('Older customers on the phone-only plan.');
    expect(cardText).not.toContain(FOLLOW_UPS[1]!.prompt);
    expect(cardText).not.toContain(FOLLOW_UPS[3]!.prompt);
  });

  it('suggests proxy failures from the model after the metric, and red-team scenarios on the summary card at the end', async () => {
    const review = await startReview(h, 'Support assistant', ALICE);
    await answerThrough(h, review, ALICE, SUPPORT_ASSISTANT, 'objective');
    await waitForState(h, review, (state) => state.extraQuestions.length > 0, 'the follow-ups');
    await answerThrough(h, review, ALICE, SUPPORT_ASSISTANT, 'metric');

    const message = await waitForSuggestionsMessage(h, review);
    // The stand-in answers at once, well within the wait: the card comes first, and the next question once, below it.
    const next = await h.slack.waitFor(() => firstQuestionPost(h, review, 'metric_gaming'), { description: 'the question after the metric' });
    expect(next.seq).toBeGreaterThan(message.seq);
    await h.slack.settled();
    expect(questionPosts(h, review, 'metric_gaming')).toHaveLength(1);
    const state = await stateOf(h, review.reviewId);
    expect(state.suggestions.length).toBeGreaterThanOrEqual(1);
    expect(state.suggestions.every((item) => item.source === 'model' && item.afterQuestionId === 'metric' && !item.reference)).toBe(true);
    const text = readableText(message);
    // The stand-in's answers are built from the quoted metric: proof the model's answer is what is shown.
    expect(text).toContain('Ticket volume reduction');
    expect(text).toContain('Loopholes in how the metric is counted');
    expect(text).toContain(SOURCE_NOTES.model);
    expect(text).not.toContain('offline library');

    const relevant = suggestionButtons(message).find((button) => button.actionId === 'ar_suggestion_relevant')!;
    await h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: message.ts, actionId: relevant.actionId, value: relevant.value });
    await waitForState(h, review, (item) => item.suggestions.some((suggestion) => suggestion.verdict?.relevant), 'the verdict');

    await answerUntil(h, review, ALICE, SUPPORT_ASSISTANT);
    const card = await waitForSummaryCard(h, review);
    const updated = await h.slack.waitFor((view) => {
      const current = view.world.messages.find((item) => item.ts === card.ts)!;
      return readableText(current).includes('Red-team scenarios to consider') ? current : undefined;
    }, { description: 'the summary card with the red-team scenarios' });
    const finished = await stateOf(h, review.reviewId);
    expect(finished.redTeam.length).toBeGreaterThan(0);
    const cardText = readableText(updated);
    expect(cardText).toContain('_(suggested by the model)_');
    for (const scenario of finished.redTeam) expect(cardText).toContain(scenario.scenario.slice(0, 40));
    expect(cardText).toContain(state.suggestions.find((item) => item.id === JSON.parse(relevant.value).s)!.title);

    // One request of each kind, in the order the review reached them; those after the metric quote it.
    expect(model.requests.map(requestKind)).toEqual(['clarifying_questions', 'proxy_failures', 'red_team']);
    // The follow-ups are asked about what the team has said so far, and only that.
    const clarifying = model.requests[0]!.messages.find((item) => item.role === 'user')!.content as string;
    expect(clarifying).not.toContain('field="metric"');
    expect(clarifying).not.toContain('(unanswered)');
    expect(clarifying.match(/field="answer_\d+"/g)).toHaveLength(3);
    expect(clarifying).toContain('close the conversation without handing it to an agent');
    for (const body of model.requests.slice(1)) {
      const user = body.messages.find((item) => item.role === 'user')!.content as string;
      expect(user).toContain('<team_answer field="metric">\nTicket volume reduction');
    }
  });
});
