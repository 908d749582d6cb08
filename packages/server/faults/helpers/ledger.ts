import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../test/helpers/docs.js';

/** Where each scenario's figure lands; docs/reliability.md quotes them. */
export const FAULTS_ARTIFACTS = join(REPO, 'test-artifacts', 'faults');

/** A scenario's figure: what was published (accepted), what arrived, what was lost or doubled. */
export interface Figure {
  scenario: string;
  published: number;
  received: number;
  lost: number;
  duplicated: number;
  /** Anything else the scenario measured (cycles, latencies, status counts…). */
  extra?: Record<string, unknown>;
}

/**
 * Counts what a fault scenario sends and what arrives, by an id the test chooses (an event
 * id, a run id…). `lost` is an accepted id that never arrived; `duplicated` counts arrivals
 * beyond the first of an id. Arrivals of ids never accepted are kept apart (`unexpected`):
 * a request refused with 503 may still have been half-done, which is a duplicate risk but
 * not a loss.
 */
export class Ledger {
  private readonly accepted = new Set<string>();
  private readonly arrivals = new Map<string, number>();

  accept(id: string): void {
    this.accepted.add(id);
  }

  arrive(id: string): void {
    this.arrivals.set(id, (this.arrivals.get(id) ?? 0) + 1);
  }

  get published(): number {
    return this.accepted.size;
  }

  /** Distinct accepted ids that have arrived. */
  get received(): number {
    let n = 0;
    for (const id of this.accepted) if (this.arrivals.has(id)) n++;
    return n;
  }

  missing(): string[] {
    return [...this.accepted].filter((id) => !this.arrivals.has(id));
  }

  get duplicated(): number {
    let n = 0;
    for (const count of this.arrivals.values()) n += count - 1;
    return n;
  }

  unexpected(): string[] {
    return [...this.arrivals.keys()].filter((id) => !this.accepted.has(id));
  }

  figure(scenario: string, extra?: Record<string, unknown>): Figure {
    return {
      scenario,
      published: this.published,
      received: this.received,
      lost: this.missing().length,
      duplicated: this.duplicated,
      ...(extra ? { extra } : {}),
    };
  }
}

/** Writes the figure to test-artifacts/faults/<slug>.json and prints it, so CI logs carry it too. */
export function recordFigure(slug: string, figure: Figure): void {
  mkdirSync(FAULTS_ARTIFACTS, { recursive: true });
  writeFileSync(join(FAULTS_ARTIFACTS, `${slug}.json`), `${JSON.stringify({ ...figure, at: new Date().toISOString() }, null, 2)}\n`);
  console.log(`[fault figure] ${slug}: ${JSON.stringify(figure)}`);
}
