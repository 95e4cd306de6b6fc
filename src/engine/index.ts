/** The engine's public face: what the Slack adapter, the command line and the tests use. */
export { describeAnswer, validAnswersText } from './answer-text.js';
export { parseChosenOptions, parseReply, typedLength, type ParseResult } from './answer-parse.js';
export { conditionHolds } from './conditions.js';
export { FlowError, formatPath, type FlowIssue } from './flow-error.js';
export { parseFlow } from './flow-parse.js';
export { summaryToMarkdown, type MarkdownOptions } from './markdown.js';
export { applicableQuestions, currentQuestion, findQuestion, orderedQuestions } from './questions.js';
export { questionCountNow, questionCountRange, questionCountText, questionProgress, totalText, type QuestionCountRange, type QuestionProgress } from './question-count.js';
export { applyInput, startReview, type StartOptions } from './review.js';
export { assessedOverall, overallHeadline, overallShort, scoreReview } from './scoring.js';
export { simulateReview, type SimulationOptions, type SimulationResult } from './simulate.js';
export { buildSummary } from './summary.js';
export { interpretWord, type ReviewWord } from './words.js';
