/**
 * Bolt's InstallationStore (OAuth: one deployment serving many workspaces)
 * over the ReviewStore: each workspace's installation is one key under the
 * store's prefix (RedisStore: `<prefix>:inst:<team or enterprise id>`),
 * kept for the retention period after it was last saved or used. Bolt reads
 * it on every request from Slack, so a workspace that uses the app keeps
 * its installation; one silent for the whole retention period installs the
 * app again.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { z } from 'zod';
import { StoreDataError } from './errors.js';
import type { ReviewStore } from './types.js';

type InstallationKeys = Pick<ReviewStore, 'saveInstallation' | 'fetchInstallation' | 'deleteInstallation'>;

/** What we rely on when reading one back; the rest is kept as Bolt wrote it. */
const storedInstallation = z.looseObject({
  team: z.looseObject({ id: z.string() }).optional(),
  enterprise: z.looseObject({ id: z.string() }).optional(),
  isEnterpriseInstall: z.boolean().optional(),
  bot: z.looseObject({ token: z.string(), userId: z.string(), id: z.string().optional() }).optional(),
});

/** An org-wide install is found by its enterprise id; any other by its team id. */
export function installationKeyOf(query: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }): string {
  const key = query.isEnterpriseInstall && query.enterpriseId ? query.enterpriseId : query.teamId;
  if (!key) throw new Error('An installation needs a team id (or an enterprise id for an org-wide install)');
  return key;
}

export class NoInstallationError extends Error {
  constructor(key: string) {
    super(`No installation for ${key}: install the app in that workspace`);
    this.name = 'NoInstallationError';
  }
}

export class StoreInstallationStore implements InstallationStore {
  constructor(private readonly store: InstallationKeys) {}

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(installation: Installation<AuthVersion, boolean>): Promise<void> {
    const key = installationKeyOf({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: installation.isEnterpriseInstall });
    await this.store.saveInstallation(key, JSON.stringify(installation));
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const key = installationKeyOf(query);
    const json = await this.store.fetchInstallation(key);
    if (json === null) throw new NoInstallationError(key);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (cause) {
      throw new StoreDataError(`Stored installation ${key} is not JSON`, { cause });
    }
    const parsed = storedInstallation.safeParse(value);
    if (!parsed.success) throw new StoreDataError(`Stored installation ${key} has an unexpected shape: ${z.prettifyError(parsed.error)}`);
    return parsed.data as unknown as Installation<'v1' | 'v2', boolean>;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.store.deleteInstallation(installationKeyOf(query));
  }
}
