/** A due row a claim may take: what choosing among them needs. */
export interface ClaimCandidate {
  rowid: number;
  env_id: string;
  endpoint_id: string;
  next_attempt_at: number;
}

export interface ClaimTurns {
  /** Each environment's room in this claim (an environment missing here takes none). */
  rooms: ReadonlyMap<string, number>;
  perEndpoint: number;
  limit: number;
}

/**
 * Which candidates a claim takes, as the PostgreSQL claim decides in SQL (store/postgres.ts):
 * no more than `perEndpoint` of any endpoint (its oldest), no more than its room of any
 * environment, and environments in turns (each one's oldest before any one's second), oldest
 * first within a turn, up to `limit`. SQLite does this here instead of in its claim statement,
 * because SQLite takes no per-environment LIMIT: one statement read four times the largest
 * room of every environment and sorted the lot three times, which cost more than the update.
 */
export function takeTurns(candidates: readonly ClaimCandidate[], { rooms, perEndpoint, limit }: ClaimTurns): number[] {
  const oldestFirst = [...candidates].sort((a, b) => a.next_attempt_at - b.next_attempt_at);
  const perEndpointTaken = new Map<string, number>();
  const turns = new Map<string, number>();
  const chosen: { rowid: number; turn: number; at: number }[] = [];
  for (const row of oldestFirst) {
    const ofEndpoint = (perEndpointTaken.get(row.endpoint_id) ?? 0) + 1;
    perEndpointTaken.set(row.endpoint_id, ofEndpoint);
    if (ofEndpoint > perEndpoint) continue;
    const turn = (turns.get(row.env_id) ?? 0) + 1;
    if (turn > (rooms.get(row.env_id) ?? 0)) continue;
    turns.set(row.env_id, turn);
    chosen.push({ rowid: row.rowid, turn, at: row.next_attempt_at });
  }
  chosen.sort((a, b) => a.turn - b.turn || a.at - b.at);
  return chosen.slice(0, limit).map((c) => c.rowid);
}
