/**
 * Runs the OpenAI stand-in on its own, for the local playground:
 *   npx tsx src/standin/openai/main.ts [port]      (default 4010)
 * then start the app with OPENAI_BASE_URL set to the printed address and
 * LLM_ENABLED=true. It answers every request plausibly; nothing leaves the machine.
 */
import { startOpenAIStandin } from './server.js';

const port = Number(process.argv[2] ?? process.env.OPENAI_STANDIN_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`Not a port: ${process.argv[2] ?? process.env.OPENAI_STANDIN_PORT}`);
  process.exit(2);
}

const standin = await startOpenAIStandin({ port }).catch((error: unknown) => {
  console.error(`The OpenAI stand-in cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`);
  process.exit(1);
});
process.stdout.write(`OpenAI stand-in listening. Use:\n  OPENAI_BASE_URL=${standin.baseUrl} LLM_ENABLED=true\n`);

const stop = () => {
  void standin.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
