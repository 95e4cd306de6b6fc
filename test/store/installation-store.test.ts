import type { Installation } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { StoreDataError } from '../../src/store/errors.js';
import { installationKeyOf, NoInstallationError, StoreInstallationStore } from '../../src/store/installation-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';

function installation(teamId: string, token: string, enterprise?: string): Installation<'v2', boolean> {
  return {
    team: { id: teamId, name: 'Team' },
    enterprise: enterprise ? { id: enterprise } : undefined,
    isEnterpriseInstall: false,
    user: { id: 'U1', token: undefined, scopes: undefined },
    bot: { id: 'B1', userId: 'U0BOT', token, scopes: ['chat:write'] },
    authVersion: 'v2',
    appId: 'A1',
  };
}

describe('the installation store over the ReviewStore', () => {
  it('stores, fetches, replaces and deletes a workspace’s installation', async () => {
    const store = new MemoryStore();
    const installations = new StoreInstallationStore(store);
    await installations.storeInstallation(installation('T1', 'xoxb-one'));
    await installations.storeInstallation(installation('T2', 'xoxb-two'));
    expect((await installations.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-one');
    await installations.storeInstallation(installation('T1', 'xoxb-one-again'));
    expect((await installations.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-one-again');
    await installations.deleteInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    await expect(installations.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toBeInstanceOf(NoInstallationError);
    expect((await installations.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-two');
  });

  it('finds an org-wide install by its enterprise id and any other by its team', () => {
    expect(installationKeyOf({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: true })).toBe('E1');
    expect(installationKeyOf({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: false })).toBe('T1');
    expect(() => installationKeyOf({})).toThrow(/team id/);
  });

  it('forgets an installation unused for the retention period, and keeps one in use', async () => {
    let now = Date.parse('2025-01-01T00:00:00.000Z');
    const store = new MemoryStore({ now: () => now, retentionDays: 10 });
    const installations = new StoreInstallationStore(store);
    await installations.storeInstallation(installation('T1', 'xoxb-used'));
    await installations.storeInstallation(installation('T2', 'xoxb-idle'));
    for (let day = 0; day < 3; day++) {
      now += 6 * 86_400_000;
      await installations.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    }
    await expect(installations.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toBeInstanceOf(NoInstallationError);
    expect((await installations.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-used');
  });

  it('refuses stored data of the wrong shape', async () => {
    const store = new MemoryStore();
    await store.saveInstallation('T1', 'not json');
    await store.saveInstallation('T2', '{"bot":{"token":42}}');
    const installations = new StoreInstallationStore(store);
    await expect(installations.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toBeInstanceOf(StoreDataError);
    await expect(installations.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toBeInstanceOf(StoreDataError);
  });
});
