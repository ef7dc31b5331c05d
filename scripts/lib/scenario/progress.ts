/**
 * Progress output for long runs: a redrawn bar on a terminal, plain periodic lines otherwise
 * (CI logs, pipes), so that a log shows progress without control characters.
 */
export interface Progress {
  tick(done: number, note?: string): void;
  /** The final line; `count` defaults to the total (a run may do less than it planned). */
  done(note?: string, count?: number): void;
  /** Clears a drawn bar so that a log line can be printed on its own line (the next tick redraws it). */
  clear(): void;
}

export function progressBar(
  label: string,
  total: number,
  out: { isTTY?: boolean; write(s: string): unknown } = process.stderr,
  opts: { lineEverySeconds?: number } = {},
): Progress {
  const started = performance.now();
  const width = 30;
  const every = (opts.lineEverySeconds ?? 10) * 1000;
  let lastLine = started;
  let lastDraw = 0;
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
  const line = (done: number, note?: string) =>
    `${label} ${done}/${total} (${Math.floor((100 * done) / Math.max(total, 1))}%) ${elapsed()} s${note ? " " + note : ""}`;
  return {
    tick(done, note) {
      const now = performance.now();
      if (out.isTTY) {
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const filled = Math.round((width * done) / Math.max(total, 1));
        out.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${elapsed()} s${note ? " " + note : ""}\x1b[K`);
      } else if (now - lastLine >= every) {
        lastLine = now;
        out.write(line(done, note) + "\n");
      }
    },
    done(note, count) {
      if (out.isTTY) out.write("\r\x1b[K");
      const n = count ?? total;
      out.write((n === total ? line(total, note) : `${label} ${n} (planned at most ${total}) ${elapsed()} s${note ? " " + note : ""}`) + "\n");
    },
    clear() {
      if (out.isTTY) {
        out.write("\r\x1b[K");
        lastDraw = 0;
      }
    },
  };
}
