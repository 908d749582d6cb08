// Step: signed trigger intake through `hookline serve` (SQLite) against a bare node:http
// ceiling, both driven by autocannon (bench/trigger-intake.mjs, also runnable on its own).
export async function stepIntake() {
  const { measureIntake, printIntake } = await import('../trigger-intake.mjs');
  const result = await measureIntake();
  printIntake(result);
  if (result.sqlite.lost !== 0) throw new Error(`trigger intake lost ${result.sqlite.lost} accepted requests`);
  return result;
}
