import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clarifyingOutput, parseReply, proxyFailureOutput, redTeamOutput, type OutputSpec } from '../../src/llm/output-schemas.js';
import { clarifyingPrompt, proxyFailurePrompt, redTeamPrompt } from '../../src/llm/prompts.js';
import { slow } from '../../src/standin/openai/behaviours.js';
import { startOpenAIStandin, type OpenAIStandin } from '../../src/standin/openai/server.js';

let standin: OpenAIStandin;
beforeEach(async () => {
  standin = await startOpenAIStandin();
});
afterEach(async () => {
  await standin.close();
});

const facts = { systemName: 'Resume screener', humanGoal: 'Hire the best people fairly', metric: 'time to hire' };

async function ask(spec: OutputSpec<unknown>, prompt: { system: string; user: string }) {
  const client = new OpenAI({ apiKey: 'x', baseURL: standin.baseUrl, maxRetries: 0 });
  return client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.user },
    ],
    response_format: { type: 'json_schema', json_schema: { name: spec.name, strict: true, schema: spec.jsonSchema } },
  });
}

describe('the OpenAI stand-in', () => {
  it('answers each kind of review request with a schema-valid reply built from the quoted answers', async () => {
    const cases: [OutputSpec<unknown>, { system: string; user: string }, number][] = [
      [proxyFailureOutput, proxyFailurePrompt(facts), 3],
      [clarifyingOutput, clarifyingPrompt(facts, []), 2],
      [redTeamOutput, redTeamPrompt(facts, []), 5],
    ];
    for (const [spec, prompt, count] of cases) {
      const completion = await ask(spec, prompt);
      expect(completion.object).toBe('chat.completion');
      expect(completion.id).toMatch(/^chatcmpl-/);
      expect(completion.choices[0]!.finish_reason).toBe('stop');
      expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
      const content = completion.choices[0]!.message.content!;
      expect(content).toContain('Resume screener');
      const parsed = parseReply(spec, content);
      expect(parsed, spec.name).toEqual({ items: expect.any(Array), dropped: 0 });
      expect(parsed!.items).toHaveLength(count);
    }
    expect(standin.requests.map((body) => body.response_format?.json_schema?.name)).toEqual(['proxy_failures', 'clarifying_questions', 'red_team']);
  });

  it('keeps long quoted answers inside the app\'s limits', async () => {
    const long = { systemName: 'S'.repeat(400), humanGoal: 'G'.repeat(1400), metric: 'M'.repeat(1400) };
    for (const [spec, prompt] of [
      [proxyFailureOutput, proxyFailurePrompt(long)],
      [clarifyingOutput, clarifyingPrompt(long, [])],
      [redTeamOutput, redTeamPrompt(long, [])],
    ] as const) {
      const content = (await ask(spec as OutputSpec<unknown>, prompt)).choices[0]!.message.content!;
      expect(parseReply(spec as OutputSpec<unknown>, content)!.dropped, spec.name).toBe(0);
    }
  });

  it('plays a script in order, then returns to its handler', async () => {
    standin.script([{ type: 'error', status: 400, message: 'Bad thing.' }]);
    await expect(ask(proxyFailureOutput, proxyFailurePrompt(facts))).rejects.toMatchObject({ status: 400 });
    await expect(ask(proxyFailureOutput, proxyFailurePrompt(facts))).resolves.toMatchObject({ object: 'chat.completion' });
    standin.respondWith(() => ({ type: 'content', content: 'fixed' }));
    expect((await ask(proxyFailureOutput, proxyFailurePrompt(facts))).choices[0]!.message.content).toBe('fixed');
    expect(standin.requests).toHaveLength(3);
  });

  it('refuses what OpenAI would refuse, in OpenAI\'s error shape', async () => {
    const post = (body: string) => fetch(`${standin.baseUrl}/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const notJson = await post('{nope');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect((await post(JSON.stringify({ model: 'm', messages: [] }))).status).toBe(400);
    expect((await fetch(`${standin.baseUrl}/embeddings`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(await (await fetch(`${standin.baseUrl}/models`)).json()).toMatchObject({ object: 'list' });
    expect(standin.requests).toHaveLength(0);
  });

  it('closes promptly even with a delayed reply pending', async () => {
    standin.script([slow(60_000)]);
    const pending = fetch(`${standin.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    }).catch((error: unknown) => error);
    while (standin.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await standin.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});
