import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../util/clock.js';
import { fitJson, TRUNCATION_MARKER } from './fit.js';
import { MAX_DATA_BYTES, StreamHub, type StreamMessage } from './hub.js';
import { checkEventTypePatterns, checkTopicPattern, filterMatches } from './topics.js';

const log = pino({ level: 'silent' });
const run = { crew_id: 'acme', agent_id: 'reviewer', run_id: 'run_1' };

describe('stream topics and filters', () => {
  it('accepts *, families, exact topics and workspace:{crew}; names the choices otherwise', () => {
    for (const t of ['*', 'run.*', 'delivery.*', 'agent.log', 'agent.*', 'event.published', 'run.cancelled', 'workspace:acme'])
      expect(checkTopicPattern(t), t).toBeNull();
    for (const t of ['runs.*', 'run.finished', 'agent.logs', 'workspace:', 'x']) expect(checkTopicPattern(t), t).toMatch(/unknown topic|needs a crew id/);
    expect(checkTopicPattern('run.finished')).toMatch(/run\.\*.*workspace:\{crew_id\}/);
    expect(checkEventTypePatterns(['run.*', 'invoice.paid'])).toBeNull();
    expect(checkEventTypePatterns(['Run.*'])).toMatch(/not an event type/);
  });

  it('matches topic patterns', () => {
    expect(filterMatches({ topics: ['*'] }, 'delivery.failed', {})).toBe(true);
    expect(filterMatches({ topics: ['run.*'] }, 'run.queued', run)).toBe(true);
    expect(filterMatches({ topics: ['run.*'] }, 'agent.log', run)).toBe(false);
    expect(filterMatches({ topics: ['run.completed'] }, 'run.completed', run)).toBe(true);
    expect(filterMatches({ topics: ['run.completed'] }, 'run.failed', run)).toBe(false);
    expect(filterMatches({ topics: ['run.failed', 'agent.log'] }, 'agent.log', run)).toBe(true);
  });

  it('narrows by every id given; a message without that id does not match', () => {
    expect(filterMatches({ topics: ['agent.log'], run_id: 'run_1' }, 'agent.log', run)).toBe(true);
    expect(filterMatches({ topics: ['agent.log'], run_id: 'run_2' }, 'agent.log', run)).toBe(false);
    expect(filterMatches({ topics: ['*'], agent_id: 'reviewer', run_id: 'run_1' }, 'run.started', run)).toBe(true);
    expect(filterMatches({ topics: ['*'], agent_id: 'reviewer', run_id: 'run_9' }, 'run.started', run)).toBe(false);
    expect(filterMatches({ topics: ['*'], agent_id: 'reviewer' }, 'delivery.succeeded', { endpoint_id: 'ep_1' })).toBe(false);
    expect(filterMatches({ topics: ['delivery.*'], endpoint_id: 'ep_1' }, 'delivery.succeeded', { endpoint_id: 'ep_1' })).toBe(true);
    expect(filterMatches({ topics: ['delivery.*'], endpoint_id: 'ep_1' }, 'delivery.succeeded', { endpoint_id: 'ep_2' })).toBe(false);
  });

  it('workspace:{crew} is run.* and agent.log of that crew only', () => {
    const ws = { topics: ['workspace:acme'] };
    expect(filterMatches(ws, 'run.completed', run)).toBe(true);
    expect(filterMatches(ws, 'agent.log', run)).toBe(true);
    expect(filterMatches(ws, 'run.completed', { ...run, crew_id: 'other' })).toBe(false);
    expect(filterMatches(ws, 'delivery.succeeded', { endpoint_id: 'ep_1', crew_id: 'acme' })).toBe(false);
    expect(filterMatches(ws, 'event.published', { event_type: 'run.completed' })).toBe(false);
  });

  it('event_types narrows event.published only', () => {
    const f = { topics: ['event.published', 'run.*'], event_types: ['invoice.*'] };
    expect(filterMatches(f, 'event.published', { event_type: 'invoice.paid' })).toBe(true);
    expect(filterMatches(f, 'event.published', { event_type: 'run.completed' })).toBe(false);
    expect(filterMatches(f, 'run.completed', run)).toBe(true);
  });
});

describe('fitJson (NOTIFY-sized messages)', () => {
  it('leaves data that fits alone', () => {
    const data = { run_id: 'run_1', line: 'hello' };
    expect(fitJson(data, 100)).toEqual({ json: JSON.stringify(data), truncated: false });
  });

  it('cuts a long line with the marker and flags it, within the budget', () => {
    const line = 'x'.repeat(20_000);
    const f = fitJson({ run_id: 'run_1', seq: 3, line }, MAX_DATA_BYTES);
    const v = JSON.parse(f.json);
    expect(f.truncated).toBe(true);
    expect(Buffer.byteLength(f.json)).toBeLessThanOrEqual(MAX_DATA_BYTES);
    expect(v).toMatchObject({ run_id: 'run_1', seq: 3, truncated: true });
    expect(v.line.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(v.line.length).toBeGreaterThan(MAX_DATA_BYTES - 200);
  });

  it('counts bytes, not characters, and never splits a surrogate pair', () => {
    const f = fitJson({ line: '😀é"\n'.repeat(5000) }, 2000);
    expect(Buffer.byteLength(f.json)).toBeLessThanOrEqual(2000);
    const line: string = JSON.parse(f.json).line;
    expect(line.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(line.slice(0, -TRUNCATION_MARKER.length)).not.toMatch(/[\ud800-\udbff]$/);
  });

  it('cuts the longest strings first, keeping the short ones (ids) whole', () => {
    const run = { id: 'run_1', status: 'completed', prompt: 'p'.repeat(5000), output: 'o'.repeat(9000), error: null };
    const v = JSON.parse(fitJson(run, 4000).json);
    expect(v).toMatchObject({ id: 'run_1', status: 'completed', truncated: true });
    expect(Buffer.byteLength(JSON.stringify(v))).toBeLessThanOrEqual(4000);
    expect(v.output.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it('drops large values it cannot cut (many small items) to null', () => {
    const event = { id: 'evt_1', type: 'metrics.batch', timestamp: '2026-01-01T00:00:00.000Z', data: { points: Array.from({ length: 5000 }, (_, i) => i) } };
    const f = fitJson(event, MAX_DATA_BYTES);
    expect(JSON.parse(f.json)).toEqual({ id: 'evt_1', type: 'metrics.batch', timestamp: '2026-01-01T00:00:00.000Z', data: null, truncated: true });
  });

  it('keeps only the identifying fields when even that is not enough', () => {
    const many = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i]));
    const f = fitJson({ id: 'evt_2', type: 'big.flat', ...many }, 1000);
    expect(JSON.parse(f.json)).toEqual({ id: 'evt_2', type: 'big.flat', truncated: true });
  });
});

describe('StreamHub in one process', () => {
  it('delivers to matching subscribers in emit order, stops after unsubscribe', () => {
    const hub = new StreamHub({ log, clock: new ManualClock(Date.UTC(2026, 0, 1)) });
    const all: StreamMessage[] = [];
    const logsOfRun1: StreamMessage[] = [];
    const offAll = hub.subscribe({ topics: ['*'] }, (m) => all.push(m));
    hub.subscribe({ topics: ['agent.log'], run_id: 'run_1' }, (m) => logsOfRun1.push(m));
    hub.emit('run.queued', { id: 'run_1' }, run);
    hub.emit('agent.log', { line: 'a' }, run);
    hub.emit('agent.log', { line: 'b' }, { ...run, run_id: 'run_2' });
    offAll();
    hub.emit('agent.log', { line: 'c' }, run);
    expect(all.map((m) => [m.topic, JSON.parse(m.json)])).toEqual([
      ['run.queued', { id: 'run_1' }],
      ['agent.log', { line: 'a' }],
      ['agent.log', { line: 'b' }],
    ]);
    expect(logsOfRun1.map((m) => JSON.parse(m.json).line)).toEqual(['a', 'c']);
    expect(all[0]!.at).toBe('2026-01-01T00:00:00.000Z');
  });

  it('truncates at emit, so every subscriber (here or in another process) sees the same message', () => {
    const hub = new StreamHub({ log });
    const got: StreamMessage[] = [];
    hub.subscribe({ topics: ['agent.log'] }, (m) => got.push(m));
    hub.emit('agent.log', { run_id: 'run_1', seq: 1, line: 'y'.repeat(50_000) }, run);
    expect(Buffer.byteLength(got[0]!.json)).toBeLessThanOrEqual(MAX_DATA_BYTES);
    expect(JSON.parse(got[0]!.json)).toMatchObject({ run_id: 'run_1', seq: 1, truncated: true });
  });

  it('a failing subscriber does not stop the others', () => {
    const hub = new StreamHub({ log });
    const got: string[] = [];
    hub.subscribe({ topics: ['*'] }, () => {
      throw new Error('boom');
    });
    hub.subscribe({ topics: ['*'] }, (m) => got.push(m.topic));
    hub.emit('run.started', {}, run);
    expect(got).toEqual(['run.started']);
  });

  it('counts drops in hookline_stream_dropped_total', async () => {
    const registry = new Registry();
    const hub = new StreamHub({ log, registry });
    hub.recordDropped('slow_client', 3);
    expect(await registry.getSingleMetricAsString('hookline_stream_dropped_total')).toMatch(/hookline_stream_dropped_total\{reason="slow_client"\} 3/);
  });
});
