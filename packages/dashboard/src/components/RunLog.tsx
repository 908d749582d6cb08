// A run's log lines, stderr and system notes set apart (by a label as well as colour). It
// follows the newest line like `tail -f`, unless the reader has scrolled up to read.
import { useLayoutEffect, useRef, useState } from 'react';
import type { RunLogLine } from '../api.js';
import { formatTime } from '../format.js';

/** How close to the bottom (px) still counts as "at the bottom". */
const SLACK_PX = 16;

export function RunLog({ lines, active }: { lines: RunLogLine[]; active: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const stuck = useRef(true);
  const [following, setFollowing] = useState(true);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK_PX;
    stuck.current = atBottom;
    setFollowing(atBottom);
  };

  useLayoutEffect(() => {
    const el = box.current;
    if (el && stuck.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const jump = () => {
    const el = box.current;
    if (!el) return;
    stuck.current = true;
    setFollowing(true);
    el.scrollTop = el.scrollHeight;
  };

  return (
    <div className="run-log-wrap">
      <div className="run-log" ref={box} onScroll={onScroll} tabIndex={0} role="log" aria-label="Log lines" data-testid="run-log" data-following={following}>
        {lines.length === 0 ? (
          <p className="muted run-log-empty" data-testid="run-log-empty">
            {active ? 'Waiting for the agent to print something…' : 'This run printed nothing.'}
          </p>
        ) : (
          lines.map((l) => (
            <div
              key={l.seq}
              className={`log-line log-line-${l.stream}`}
              data-testid="log-line"
              data-seq={l.seq}
              data-stream={l.stream}
              title={`#${l.seq} · ${formatTime(l.at)}`}
            >
              {l.stream !== 'stdout' && <span className="log-stream">{l.stream}</span>}
              {l.line}
            </div>
          ))
        )}
      </div>
      {!following && lines.length > 0 && (
        <button type="button" className="button button-small run-log-jump" onClick={jump} data-testid="run-log-jump">
          ↓ Jump to the latest line
        </button>
      )}
    </div>
  );
}
