/**
 * Applies a one-file unified diff (as `git diff` writes it) to `text`, strictly: every
 * context and removed line must be where the hunk says, or it throws. Enough for the
 * migration history fixtures, which are patches from today's files.
 */
export function applyUnifiedPatch(text: string, patch: string): string {
  const source = text.split("\n");
  const out: string[] = [];
  let next = 0; // index into source of the next line not yet copied
  const lines = patch.split("\n");
  let i = lines.findIndex((l) => l.startsWith("@@"));
  if (i < 0) throw new Error("no hunk in the patch");
  while (i < lines.length && lines[i].startsWith("@@")) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(lines[i]);
    if (!header) throw new Error(`bad hunk header: ${lines[i]}`);
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const start = oldCount === 0 ? Number(header[1]) : Number(header[1]) - 1;
    if (start < next) throw new Error(`overlapping hunk at line ${start + 1}`);
    out.push(...source.slice(next, start));
    next = start;
    for (i++; i < lines.length && !lines[i].startsWith("@@"); i++) {
      const line = lines[i];
      if (line.startsWith("\\")) continue; // "\ No newline at end of file"
      const body = line.slice(1);
      if (line.startsWith("+")) {
        out.push(body);
      } else if (line.startsWith("-") || line.startsWith(" ")) {
        if (source[next] !== body)
          throw new Error(`patch does not apply at line ${next + 1}: ${JSON.stringify(source[next])} ≠ ${JSON.stringify(body)}`);
        if (line.startsWith(" ")) out.push(body);
        next++;
      } else if (line === "" && i === lines.length - 1) {
        break;
      } else {
        throw new Error(`bad patch line ${i + 1}: ${JSON.stringify(line)}`);
      }
    }
  }
  out.push(...source.slice(next));
  return out.join("\n");
}
