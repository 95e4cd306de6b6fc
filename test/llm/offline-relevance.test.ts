/**
 * Relevance of the offline library's matches for the systems teams actually
 * review. Each row is a realistic answer: the entries written for it must be
 * among the matches, and entries that only share a word with it (another
 * sense, a stemming collision, a too-generic keyword) must not be.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadOfflineLibrary,
  matchProxyFailures,
  parseOfflineLibrary,
  type MatchInput,
  type OfflineLibrary,
  type ProxyFailureEntry,
} from '../../src/llm/offline-library.js';

let library: OfflineLibrary;

beforeAll(() => {
  library = loadOfflineLibrary();
});

interface Row extends MatchInput {
  systemName: string;
  /** Entries that must be among the matches. */
  has?: string[];
  /** Entries that only share a word with the answer. */
  not: string[];
}

const ROWS: Row[] = [
  // Lending, from the second walk-through: "applicants" in the goal brought a hiring entry.
  {
    systemName: 'Loan approval model',
    metric: 'Approval rate and 12-month default rate of approved loans',
    humanGoal: 'Fair, affordable credit decisions for applicants who can repay',
    has: ['defaults-cut-by-declining-thin-files', 'forbidden-data-boosts-performance'],
    not: ['hiring-speed-filters-nontraditional', 'past-hires-as-talent'],
  },
  // Hiring: the three found in the product walk-through first.
  {
    systemName: 'Resume screener',
    metric: 'Time to shortlist and the share of shortlisted people who get an interview',
    has: ['hiring-speed-filters-nontraditional'],
    not: ['engagement-promotes-outrage'], // "shares" as in likes and shares
  },
  {
    systemName: 'Resume screener',
    metric: 'Recruiter hours saved per week',
    has: ['speed-over-accuracy', 'hiring-speed-filters-nontraditional'],
    not: ['cheapest-supplier-wins'], // "savings" and "saved" stem alike
  },
  {
    systemName: 'Resume screener',
    metric: 'Hiring manager satisfaction score',
    has: ['survey-score-gaming', 'hiring-speed-filters-nontraditional'],
    not: ['forbidden-data-boosts-performance'], // the domain "scoring" meant credit and lead scoring
  },
  {
    systemName: 'Resume screener',
    metric: 'Percentage of applicants screened automatically',
    objective: 'Cut the time recruiters spend reading CVs',
    has: ['hiring-speed-filters-nontraditional', 'past-hires-as-talent'],
    not: ['deferred-costs', 'health-spending-as-need'], // "spend" as a verb
  },
  {
    systemName: 'Candidate matching',
    metric: 'Offer acceptance rate',
    objective: 'Match candidates to roles they will stay in',
    has: ['past-hires-as-talent'],
    not: ['survey-score-gaming'], // "ratings" stems like "rate"
  },

  // Lending and insurance.
  {
    systemName: 'Loan approval model',
    metric: 'Approval rate and time to decision',
    has: ['forbidden-data-boosts-performance'],
    not: ['convincing-not-correct', 'survey-score-gaming'], // loans approved, not answers approved by reviewers
  },
  { systemName: 'Loan approval model', metric: 'Loan decline rate', has: ['forbidden-data-boosts-performance'], not: ['fraud-tuning-one-sided'] },
  { systemName: 'Credit risk model', metric: 'Risk score accuracy', objective: 'Price credit risk', not: ['arrests-as-proxy-for-crime'] },
  { systemName: 'Credit limit assistant', metric: 'Revenue per account and share of customers with a limit increase', not: ['engagement-promotes-outrage'] },
  {
    systemName: 'Claims triage',
    metric: 'Loss ratio and percent of claims fast-tracked',
    has: ['claims-denial-cuts-cost'],
    not: ['tetris-pause-forever'], // a game's losses
  },
  { systemName: 'Insurance chatbot', metric: 'Questions about coverage answered', has: ['confident-guessing'], not: ['coverage-without-checks'] },

  // Customer support.
  {
    systemName: 'Support bot',
    metric: 'Ticket volume reduction: fewer tickets reaching human agents each week.',
    has: ['ticket-reduction-by-silencing', 'complaint-reduction-as-satisfaction'],
    not: ['quantity-over-usefulness', 'task-completion-over-safety'], // any volume; people who are agents, not an AI agent
  },
  {
    systemName: 'Support bot',
    metric: 'Agent hours saved per month',
    has: ['speed-over-accuracy', 'ticket-reduction-by-silencing'],
    not: ['cheapest-supplier-wins'],
  },
  {
    systemName: 'Support email drafter',
    metric: 'Share of drafts sent without edits',
    has: ['fewer-edits-rubber-stamping'],
    not: ['engagement-promotes-outrage', 'clicks-as-interest'], // an email drafter is not email marketing
  },
  { systemName: 'Support bot', metric: 'Cases closed per agent', has: ['chat-resolution-by-closing'], not: ['arrest-and-stop-quotas'] },
  { systemName: 'Support bot', metric: 'Open tickets older than a week', has: ['ticket-reduction-by-silencing'], not: ['clicks-as-interest'] },
  { systemName: 'Support bot', metric: 'Shorter wait times', has: ['waiting-time-clock-moved'], not: ['summary-brevity-drops-facts'] },
  { systemName: 'Support bot', metric: 'Call volume handled by the bot', has: ['ticket-reduction-by-silencing'], not: ['quantity-over-usefulness'] },
  { systemName: 'IT help desk bot', metric: 'Mean time to resolve and ticket reopen rate', has: ['ticket-reduction-by-silencing', 'chat-resolution-by-closing'], not: ['survey-score-gaming'] },
  { systemName: 'Sales assistant', metric: 'New contacts added to the CRM', not: ['ticket-reduction-by-silencing'] },
  { systemName: 'Event ticketing assistant', metric: 'Tickets sold per show', not: ['ticket-reduction-by-silencing'] },

  // Content moderation.
  {
    systemName: 'Content moderation classifier',
    metric: 'Posts removed per day and appeal rate',
    has: ['moderation-by-removal-counts'],
    not: ['survey-score-gaming', 'clickbait-and-seo-filler'],
  },
  {
    systemName: 'Content moderation classifier',
    metric: 'False positive rate on flagged posts',
    has: ['accuracy-on-rare-cases', 'moderation-by-removal-counts'],
    not: ['fraud-tuning-one-sided'],
  },
  { systemName: 'Comment moderation', metric: 'Share of comments auto-approved', has: ['moderation-by-removal-counts'], not: ['engagement-promotes-outrage'] },

  // Recommendations, feeds, marketing and sales.
  { systemName: 'News feed ranking', metric: 'Daily active users and time spent', has: ['engagement-promotes-outrage', 'watch-time-recommender'], not: [] },
  { systemName: 'Social app feed', metric: 'Likes, comments and shares per post', has: ['engagement-promotes-outrage'], not: [] },
  { systemName: 'Video recommender', metric: 'Session length', has: ['watch-time-recommender'], not: ['summary-brevity-drops-facts'] },
  { systemName: 'Music playlist generator', metric: 'Skips per session and saves to library', not: ['cheapest-supplier-wins'] },
  { systemName: 'Product recommendations', metric: 'Add to cart rate from recommendations', has: ['conversion-by-manipulation'], not: ['survey-score-gaming', 'ab-test-short-term-wins'] },
  { systemName: 'Ad copy generator', metric: 'Cost per acquisition and return on ad spend', has: ['conversion-by-manipulation'], not: ['deferred-costs', 'health-spending-as-need'] },
  { systemName: 'Market share dashboard assistant', metric: 'Market share gained per quarter', not: ['engagement-promotes-outrage'] },
  { systemName: 'Pricing agent', metric: 'Gross margin per order', not: ['orders-split-under-approval-limits', 'cheapest-supplier-wins'] },
  { systemName: 'Marketplace', metric: 'Orders shipped per day and average order value', has: ['sales-targets-unwanted-products'], not: ['orders-split-under-approval-limits'] },
  { systemName: 'Sales assistant', metric: 'Quota attainment and deal velocity', has: ['sales-targets-unwanted-products'], not: ['arrest-and-stop-quotas', 'lines-of-code-bloat'] },
  { systemName: 'Sales assistant', metric: 'Average discount per deal', not: ['cheapest-supplier-wins'] },
  { systemName: 'Lead scoring model', metric: 'Lead quality score', has: ['forbidden-data-boosts-performance'], not: ['essay-scoring-rewards-length'] },
  { systemName: 'Marketing analytics', metric: 'Brand recall after campaigns', not: ['shortcut-passes-tests'] },
  { systemName: 'Product analytics', metric: 'Conversion lift of two percentage points', has: ['ab-test-short-term-wins'], not: ['coastrunners-loops-for-points'] },
  { systemName: 'Subscription app', metric: 'Day 30 retention', has: ['churn-by-hard-cancellation'], not: [] },

  // Healthcare.
  { systemName: 'ER triage assistant', metric: 'Door to doctor time', objective: 'See the sickest patients first', has: ['waiting-time-clock-moved'], not: [] },
  {
    systemName: 'Care management risk model',
    metric: 'Patients flagged for the care programme and cost savings',
    has: ['health-spending-as-need', 'deferred-costs'],
    not: ['cheapest-supplier-wins'],
  },
  {
    systemName: 'Clinical note summariser',
    metric: 'Minutes saved per note and clinician edits',
    has: ['fewer-edits-rubber-stamping', 'summary-brevity-drops-facts', 'speed-over-accuracy'],
    not: ['cheapest-supplier-wins'],
  },
  { systemName: 'Symptom checker', metric: 'Share of users sent to self-care instead of a GP', not: ['engagement-promotes-outrage'] },
  {
    systemName: 'Cancer screening model',
    metric: 'False positive rate and sensitivity',
    has: ['accuracy-on-rare-cases'],
    not: ['fraud-tuning-one-sided', 'hiring-speed-filters-nontraditional', 'past-hires-as-talent'],
  },
  { systemName: 'Hospital scheduling', metric: 'Patient screening completion', not: ['hiring-speed-filters-nontraditional', 'past-hires-as-talent'] },

  // Education.
  { systemName: 'Math tutor', metric: 'Problems solved per session and quiz scores', has: ['teaching-to-the-test'], not: ['forbidden-data-boosts-performance'] },
  { systemName: 'Course completion nudges', metric: 'Course completion rate', not: ['survey-score-gaming'] },

  // Coding agents.
  { systemName: 'Coding agent', metric: 'Share of CI runs passing and PRs merged per week', has: ['lines-of-code-bloat', 'tests-pass-by-changing-tests'], not: ['engagement-promotes-outrage'] },
  { systemName: 'Coding agent', metric: 'CI pass rate', has: ['tests-pass-by-changing-tests'], not: ['teaching-to-the-test', 'survey-score-gaming'] },
  { systemName: 'Coding agent', metric: 'Issues closed per week', objective: 'Fix bugs in our backlog', has: ['lines-of-code-bloat'], not: ['waiting-time-clock-moved'] },
  { systemName: 'Code review bot', metric: 'Comments accepted by developers', not: ['engagement-promotes-outrage'] },

  // Procurement.
  {
    systemName: 'Procurement agent',
    metric: 'Cost savings per order and purchase order cycle time',
    has: ['cheapest-supplier-wins', 'orders-split-under-approval-limits'],
    not: ['conversion-by-manipulation'], // buying supplies, not customers buying
  },
  { systemName: 'Procurement agent', metric: 'Share of spend under contract', has: ['cheapest-supplier-wins'], not: ['engagement-promotes-outrage', 'health-spending-as-need'] },
  { systemName: 'Procurement agent', metric: 'Supplier discount captured', has: ['cheapest-supplier-wins'], not: [] },

  // Fraud detection.
  { systemName: 'Fraud detection model', metric: 'Fraud caught and false positive rate', has: ['fraud-tuning-one-sided', 'accuracy-on-rare-cases'], not: ['survey-score-gaming'] },
  { systemName: 'Fraud detection model', metric: 'Suspicious activity reports filed', has: ['fraud-tuning-one-sided'], not: ['productivity-harms-worker-trust'] },

  // HR and workforce analytics.
  { systemName: 'Workforce analytics', metric: 'Employee engagement survey score', has: ['survey-score-gaming'], not: ['engagement-promotes-outrage', 'forbidden-data-boosts-performance'] },
  { systemName: 'Workforce analytics', metric: 'Employee retention rate', objective: 'Keep good people', not: ['churn-by-hard-cancellation', 'survey-score-gaming'] },
  { systemName: 'HR performance tool', metric: 'Performance evaluation scores', not: ['benchmark-gaming', 'shortcut-passes-tests'] },
  { systemName: 'Shift scheduler', metric: 'Shift coverage and overtime hours', not: ['coverage-without-checks'] },
  { systemName: 'Warehouse picking planner', metric: 'Picks per hour', has: ['productivity-harms-worker-trust'], not: [] },

  // Search, translation, summarisation.
  { systemName: 'Search backend', metric: 'API response time', has: ['speed-over-accuracy'], not: ['first-response-empty-acknowledgement'] },
  { systemName: 'Semantic search', metric: 'Semantic similarity between query and results', not: ['past-hires-as-talent'] },
  { systemName: 'Translation service', metric: 'BLEU score and words translated per hour', has: ['benchmark-gaming'], not: ['forbidden-data-boosts-performance', 'waiting-time-clock-moved'] },
  {
    systemName: 'Meeting summariser',
    metric: 'Summary length and share of action items captured',
    has: ['summary-brevity-drops-facts'],
    not: ['engagement-promotes-outrage', 'moderation-by-removal-counts'], // "action items", not content actioned
  },
  { systemName: 'Contract summariser', metric: 'Lawyer review time saved and accuracy on key terms', has: ['speed-over-accuracy'], not: ['cheapest-supplier-wins'] },
  { systemName: 'Research digest', metric: 'Citations per paper', not: ['arrest-and-stop-quotas'] },

  // Operations.
  { systemName: 'Logistics routing agent', metric: 'On time delivery and fuel savings', has: ['delivery-targets-unsafe-driving'], not: ['cheapest-supplier-wins'] },
  { systemName: 'Delivery routing', metric: 'Stops per hour', has: ['delivery-targets-unsafe-driving'], not: ['arrest-and-stop-quotas'] },
  { systemName: 'Supplier risk agent', metric: 'Supplier risk assessment time', not: ['arrests-as-proxy-for-crime'] },
  { systemName: 'IT operations bot', metric: 'SLA violations per month', not: ['over-refusal-cuts-violations'] },
  { systemName: 'Cloud cost agent', metric: 'GPU utilization', not: ['productivity-harms-worker-trust', 'health-spending-as-need'] },
  { systemName: 'Recruiting platform', metric: 'Open positions filled per month', not: ['clicks-as-interest', 'lego-block-flipped'] },
  // Ninth-session walk-through: a shopper's "purchases" stemmed like the purchasing department's.
  {
    systemName: 'Fraud detector',
    metric: 'Fraud losses prevented per month',
    objective: 'Block fraudulent card transactions',
    humanGoal: 'Protect customers from fraud without blocking honest purchases',
    has: ['fraud-tuning-one-sided'],
    not: ['cheapest-supplier-wins', 'orders-split-under-approval-limits'],
  },
  {
    systemName: 'Shopping recommender',
    metric: 'Conversion rate and average order value',
    humanGoal: 'Help people find products they are happy with after purchase',
    has: ['conversion-by-manipulation'],
    not: ['cheapest-supplier-wins', 'orders-split-under-approval-limits'],
  },
  {
    systemName: 'Purchasing agent',
    metric: 'Cost savings per order',
    has: ['cheapest-supplier-wins', 'orders-split-under-approval-limits'],
    not: [],
  },
  // A chatbot that is not for support has no chats to close.
  {
    systemName: 'Tutoring chatbot',
    metric: 'Quiz scores after each session',
    has: ['teaching-to-the-test'],
    not: ['chat-resolution-by-closing'],
  },
  {
    systemName: 'Code assistant',
    metric: 'Percentage of suggestions accepted',
    has: ['suggestion-acceptance-as-quality'],
    not: ['chat-resolution-by-closing'],
  },

  // Eleventh-session product test: systems the library had nothing for.
  {
    systemName: 'Collections reminder emailer',
    metric: 'Share of overdue invoices paid within 14 days of the first email',
    humanGoal: 'Customers who fell behind want a clear, fair reminder and a way to sort it out; finance wants overdue invoices paid.',
    has: ['collections-pressure-and-threats', 'collections-easy-payers-and-unaffordable-plans'],
    not: [],
  },
  {
    // test/scenarios/quick-check-collections-emailer.json
    systemName: 'Overdue-payment reminder emailer',
    metric: 'Share of overdue invoices paid within 14 days of the first email.',
    humanGoal: 'Customers who fell behind want a clear, fair reminder and a way to sort it out; finance wants overdue invoices paid.',
    has: ['collections-pressure-and-threats', 'collections-easy-payers-and-unaffordable-plans'],
    not: [],
  },
  { systemName: 'Debt collection agent', metric: 'Recovery rate on accounts in arrears', has: ['collections-pressure-and-threats', 'collections-easy-payers-and-unaffordable-plans'], not: [] },
  {
    systemName: 'Hotel dynamic pricing',
    metric: 'Revenue per available room',
    has: ['prices-rise-when-people-have-no-choice', 'loyal-customers-pay-more', 'pricing-algorithms-align-prices', 'hidden-fees-lower-headline-price'],
    not: ['approval-over-truth'],
  },
  { systemName: 'Hotel revenue management', metric: 'RevPAR and average daily rate', has: ['prices-rise-when-people-have-no-choice', 'pricing-algorithms-align-prices'], not: [] },
  { systemName: 'Ride hailing surge pricing', metric: 'Average fare per trip', has: ['prices-rise-when-people-have-no-choice'], not: [] },
  {
    systemName: 'Energy grid load balancer',
    metric: 'Peak load reduction in MW',
    has: ['demand-response-rebound-peak', 'demand-response-cuts-comfort-and-safety'],
    not: ['approval-over-truth'],
  },
  { systemName: 'Smart thermostat programme', metric: 'Megawatts of demand response delivered at peak', has: ['demand-response-rebound-peak', 'demand-response-cuts-comfort-and-safety'], not: [] },
  {
    // The agent-autonomy flow: the goal says what not to do, the metric rewards it.
    systemName: 'Stock reorder agent',
    metric: 'Number of stock-outs avoided and average unit cost',
    objective: 'Reorder stock when it runs low, at the best price',
    humanGoal: 'Keep the shelves stocked without tying up cash or ordering things we cannot store',
    has: ['overstock-to-cut-unit-cost', 'cheapest-supplier-wins'],
    not: [],
  },
  // A system called an assistant need not be a chat model.
  {
    systemName: 'Insurance claims assistant',
    metric: 'Average claim cost',
    has: ['claims-denial-cuts-cost'],
    not: ['length-bias-padding', 'approval-over-truth', 'convincing-not-correct', 'confident-guessing', 'over-refusal-cuts-violations'],
  },
  { systemName: 'Parking garage assistant', metric: 'Cars parked per hour', has: ['goodhart-single-target'], not: ['length-bias-padding', 'convincing-not-correct'] },
  {
    // A help desk spelled as one word is still support, and its assistant need not be a chat model.
    systemName: 'Helpdesk assistant',
    metric: 'Ticket volume reduction: fewer tickets reaching human agents each week.',
    humanGoal: 'Customers want their problem solved quickly and correctly, and to feel someone listened.',
    has: ['ticket-reduction-by-silencing', 'chat-resolution-by-closing', 'complaint-reduction-as-satisfaction'],
    not: ['length-bias-padding', 'convincing-not-correct'],
  },
  // Nothing matches: the most broadly apt general entries come first.
  { systemName: 'Greenhouse climate controller', metric: 'Tomato yield per square metre', has: ['goodhart-single-target', 'harm-outside-the-metric'], not: ['approval-over-truth'] },
];

describe('a system called an assistant', () => {
  const LANGUAGE_MODEL_ENTRIES = ['approval-over-truth', 'convincing-not-correct', 'length-bias-padding', 'over-refusal-cuts-violations'];
  const found = (systemName: string) => matchProxyFailures(library, { systemName, metric: 'Task completion rate' }, 20).map((match) => match.entry.id);

  it('is not a language model for the word alone', () => {
    for (const systemName of ['Insurance claims assistant', 'Parking garage assistant', 'Warehouse scheduling assistant']) {
      for (const id of LANGUAGE_MODEL_ENTRIES) expect(found(systemName), systemName).not.toContain(id);
    }
  });

  it('is one when it chats, writes or says it is a language model', () => {
    for (const systemName of ['Customer chat assistant', 'AI writing assistant', 'LLM assistant', 'AI assistant for HR questions', 'Policy chatbot']) {
      expect(found(systemName), systemName).toEqual(expect.arrayContaining(['approval-over-truth', 'over-refusal-cuts-violations']));
    }
    expect(found('AI writing assistant')).toEqual(expect.arrayContaining(LANGUAGE_MODEL_ENTRIES));
  });
});

describe('offline matches for realistic answers', () => {
  it('every row names entries that exist', () => {
    const known = new Set(library.entries.map((entry) => entry.id));
    for (const row of ROWS) {
      for (const id of [...(row.has ?? []), ...row.not]) expect(known, `${row.systemName}: ${row.metric}`).toContain(id);
    }
  });

  it.each(ROWS)('$systemName: $metric', ({ has = [], not, ...input }) => {
    const found = matchProxyFailures(library, input).map((match) => match.entry.id);
    expect(found, 'the entries written for it').toEqual(expect.arrayContaining(has));
    for (const id of not) expect(found, `${id} only shares a word with it`).not.toContain(id);
  });
});

function entry(id: string, keywords: string[], extra: Partial<ProxyFailureEntry> = {}): ProxyFailureEntry {
  return { id, title: `Title ${id}`, why: 'Why.', safeguard: 'Safeguard.', area: 'over_optimization', keywords, source: 'Test.', ...extra };
}

describe('phrases that give a keyword another sense (unless)', () => {
  const found = (input: MatchInput) => {
    const lib = parseOfflineLibrary(
      { entries: [entry('feeds', ['engagement', 'shares'], { unless: ['employee engagement', 'share of'] }), entry('general-one', ['zzzz'], { general: true })] },
      'test',
    );
    return matchProxyFailures(lib, input).map((match) => match.entry.id);
  };

  it('does not count a keyword inside one of them', () => {
    expect(found({ metric: 'Employee engagement score' })).toEqual(['general-one']);
    expect(found({ metric: 'share of shortlisted people' })).toEqual(['general-one']);
  });

  it('still counts the keyword elsewhere in the same answer, and in its own sense', () => {
    expect(found({ metric: 'engagement' })).toEqual(['feeds']);
    expect(found({ metric: 'likes and shares' })).toEqual(['feeds']);
    expect(found({ metric: 'employee engagement and customer engagement' })).toEqual(['feeds']);
  });

  it('joins no words across the part it leaves out', () => {
    const joined = parseOfflineLibrary(
      { entries: [entry('rate', ['engagement rate'], { unless: ['staff engagement'] }), entry('general-one', ['zzzz'], { general: true })] },
      'test',
    );
    expect(matchProxyFailures(joined, { metric: 'staff engagement rate' }).map((match) => match.entry.id)).toEqual(['general-one']);
  });

  it('applies to the domains too', () => {
    const lib2 = parseOfflineLibrary(
      { entries: [entry('feeds', ['rate'], { domains: ['feed'], unless: ['feed rate'] }), entry('plain', ['rate']), entry('general-one', ['zzzz'], { general: true })] },
      'test',
    );
    const matches = matchProxyFailures(lib2, { metric: 'resolution rate', systemName: 'Feed rate tracker' });
    expect(matches.map((match) => match.entry.id)).toEqual(['feeds', 'plain']);
    expect(matches[0]!.score).toBe(matches[1]!.score);
  });
});
