import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../src/slack/listeners/commands/parse-command.js';

describe('parseCommandText', () => {
  it('opens the modal on empty text', () => {
    expect(parseCommandText('   ')).toEqual({ kind: 'modal' });
  });

  it('starts the default flow with the system name', () => {
    expect(parseCommandText('Resume screener v2')).toEqual({ kind: 'start', flowId: 'alignment-review', systemName: 'Resume screener v2' });
  });

  it('takes --flow in either form, anywhere', () => {
    expect(parseCommandText('--flow quick-check Support bot')).toEqual({ kind: 'start', flowId: 'quick-check', systemName: 'Support bot' });
    expect(parseCommandText('Support bot --flow=agent-autonomy')).toEqual({ kind: 'start', flowId: 'agent-autonomy', systemName: 'Support bot' });
  });

  it('refuses --flow without a value or without a name', () => {
    expect(parseCommandText('--flow').kind).toBe('error');
    expect(parseCommandText('--flow quick-check').kind).toBe('error');
  });

  it('knows help, list and config', () => {
    expect(parseCommandText('help')).toEqual({ kind: 'help' });
    expect(parseCommandText('LIST')).toEqual({ kind: 'list' });
    expect(parseCommandText('config leads <#C0LEADS|ai-leads>')).toEqual({ kind: 'config_leads', channel: 'C0LEADS' });
    expect(parseCommandText('config')).toEqual({ kind: 'config_show' });
    expect(parseCommandText('config leads nowhere').kind).toBe('error');
  });

  it('parses export and delete with their checks', () => {
    expect(parseCommandText('export rabcdefg')).toEqual({ kind: 'export', reviewId: 'RABCDEFG', csv: false, all: false });
    expect(parseCommandText('export --csv --all')).toEqual({ kind: 'export', reviewId: undefined, csv: true, all: true });
    expect(parseCommandText('export --all').kind).toBe('error');
    expect(parseCommandText('export').kind).toBe('error');
    expect(parseCommandText('export --zip R1234567').kind).toBe('error');
    expect(parseCommandText('delete RABCDEFG')).toEqual({ kind: 'delete', reviewId: 'RABCDEFG' });
    expect(parseCommandText('delete').kind).toBe('error');
    expect(parseCommandText('delete <!channel>').kind).toBe('error');
  });

  it('treats words that merely start a name as a name', () => {
    expect(parseCommandText('helpdesk router')).toEqual({ kind: 'start', flowId: 'alignment-review', systemName: 'helpdesk router' });
    expect(parseCommandText('list ranker')).toEqual({ kind: 'start', flowId: 'alignment-review', systemName: 'list ranker' });
  });
});
