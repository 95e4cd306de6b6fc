/**
 * CPU time spent by each party during the measured window: the app's
 * process (from /proc), Redis (INFO cpu; the whole server, so other clients
 * count too) and this process (the load driver and the Slack stand-in).
 * Shows which one limits the throughput.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** Linux reports process times in clock ticks of 1/100 s on every common kernel configuration. */
const TICKS_PER_SECOND = 100;

export interface CpuReading {
  appMs: number;
  redisMs: number;
  driverMs: number;
  at: number;
}

function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return ((user + system) * 1000) / TICKS_PER_SECOND;
}

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const read = (name: string) => Number((new RegExp(`${name}:([\\d.]+)`).exec(info) ?? [])[1] ?? 0);
  return (read('used_cpu_sys') + read('used_cpu_user')) * 1000;
}

/** `pids`: every process of the app (its replicas), summed. */
export async function readCpu(pids: number[], redis: Redis): Promise<CpuReading> {
  const own = process.cpuUsage();
  return { appMs: pids.reduce((sum, pid) => sum + processCpuMs(pid), 0), redisMs: await redisCpuMs(redis), driverMs: (own.user + own.system) / 1000, at: Date.now() };
}

export interface CpuSpent {
  /** Share of one core each party kept busy over the window. */
  appCores: number;
  redisCores: number;
  driverCores: number;
  /** CPU milliseconds per turn. */
  appPerTurn: number;
  redisPerTurn: number;
  driverPerTurn: number;
}

export function cpuSpent(start: CpuReading, end: CpuReading, turns: number): CpuSpent {
  const wall = Math.max(1, end.at - start.at);
  const app = end.appMs - start.appMs;
  const redis = end.redisMs - start.redisMs;
  const driver = end.driverMs - start.driverMs;
  return {
    appCores: app / wall,
    redisCores: redis / wall,
    driverCores: driver / wall,
    appPerTurn: app / Math.max(1, turns),
    redisPerTurn: redis / Math.max(1, turns),
    driverPerTurn: driver / Math.max(1, turns),
  };
}
