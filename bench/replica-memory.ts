import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A process's memory in MB: resident (RSS) and its proportional share (PSS, shared pages divided among the processes sharing them). */
export interface Memory {
  rss: number;
  pss: number;
}

function memoryOf(pid: number): Memory | null {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
    return { rss: Math.round(kb('Rss') / 1024), pss: Math.round(kb('Pss') / 1024) };
  } catch {
    return null; // exited
  }
}

/**
 * Samples the replicas' memory every 250 ms while a run lasts; `takePeaks` gives each one's
 * peak since the last call, so every scenario has its own. RSS counts the node binary's pages
 * (about 47 MB of a replica's) in full in every process that maps them; PSS divides them.
 */
export class ReplicaMemory {
  private peaks = new Map<string, Memory>();
  private sampling = true;
  private readonly loop: Promise<void>;

  constructor(private readonly pids: Record<string, number>) {
    this.loop = this.sample();
  }

  private async sample(): Promise<void> {
    while (this.sampling) {
      for (const [name, pid] of Object.entries(this.pids)) {
        const now = memoryOf(pid);
        if (!now) continue;
        const peak = this.peaks.get(name);
        this.peaks.set(name, { rss: Math.max(peak?.rss ?? 0, now.rss), pss: Math.max(peak?.pss ?? 0, now.pss) });
      }
      await sleep(250);
    }
  }

  /** Each replica's peak since the last call (or the start). */
  takePeaks(): Record<string, Memory> {
    const peaks = Object.fromEntries(this.peaks);
    this.peaks = new Map();
    return peaks;
  }

  async stop(): Promise<void> {
    this.sampling = false;
    await this.loop;
  }
}

/** The largest of some peaks. */
export function highest(peaks: Memory[]): Memory {
  return { rss: Math.max(0, ...peaks.map((m) => m.rss)), pss: Math.max(0, ...peaks.map((m) => m.pss)) };
}
