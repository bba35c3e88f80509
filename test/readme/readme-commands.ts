// Reads the README's walkthrough as a list of shell commands: the ```bash blocks of the sections
// from "A whole payment with curl" up to "The dashboard", each cut into commands the way bash reads
// them (a newline ends a command unless it is escaped, or inside quotes or `$( … )`), each with the
// `# …` comment lines that follow it (what the README says it answers).

export interface ReadmeCommand {
  /** The command as written (continuation lines kept). */
  text: string;
  /** The comment lines right after it, without their `# `. */
  expected: string[];
  /** The README line it starts on (1-based), for failure messages. */
  line: number;
}

/** The commands of the ```bash blocks between the two headings, in order. */
export function walkthroughCommands(readme: string, from: string, to: string): ReadmeCommand[] {
  const lines = readme.split('\n');
  const start = lines.indexOf(from);
  const end = lines.indexOf(to, start + 1);
  if (start < 0 || end < 0) throw new Error(`README has no section from "${from}" to "${to}"`);
  const commands: ReadmeCommand[] = [];
  for (let i = start; i < end; i++) {
    if (lines[i] !== '```bash') continue;
    const body: string[] = [];
    let j = i + 1;
    while (j < end && lines[j] !== '```') body.push(lines[j++] as string);
    commands.push(...splitCommands(body, i + 2));
    i = j;
  }
  return commands;
}

/** One block's lines cut into commands, each followed by its comment lines. */
export function splitCommands(body: readonly string[], firstLine: number): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  let current: string[] = [];
  let startLine = firstLine;
  let quote: "'" | '"' | null = null;
  let depth = 0;
  body.forEach((line, index) => {
    if (current.length === 0) {
      if (line.trim() === '') return;
      if (/^\s*#/.test(line)) {
        out.at(-1)?.expected.push(line.replace(/^\s*#\s?/, ''));
        return;
      }
      startLine = firstLine + index;
    }
    current.push(line);
    let escaped = false;
    for (let k = 0; k < line.length; k++) {
      const c = line[k];
      if (escaped) {
        escaped = false;
        continue;
      }
      if (quote === "'") {
        if (c === "'") quote = null;
        continue;
      }
      if (c === '\\') escaped = true;
      else if (quote === '"') {
        if (c === '"') quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '$' && line[k + 1] === '(') {
        depth++;
        k++;
      } else if (c === ')' && depth > 0) depth--;
      else if (c === '#' && (k === 0 || /\s/.test(line[k - 1] as string))) break; // a comment to the end of the line
    }
    const continued = escaped || quote !== null || depth > 0;
    if (!continued) {
      out.push({ text: current.join('\n'), expected: [], line: startLine });
      current = [];
    }
  });
  if (current.length > 0) throw new Error(`README line ${startLine}: a command does not end (open quote, $( or trailing \\)`);
  return out;
}

/**
 * The `"key":value` pairs of an expected answer that must appear in the real one: scalars of the
 * keys that say what happened (statuses, ids the merchant chose, amounts); ids the service makes up
 * and anything shortened with … are not compared.
 */
export function expectedPairs(expected: readonly string[]): string[] {
  const text = expected.join(' ');
  const keys = new Set(['status', 'status_id', 'order_id', 'txn_id', 'amount', 'amount_refunded', 'unique_request_id', 'name', 'index']);
  const pairs: string[] = [];
  for (const m of text.matchAll(/"([a-z_]+)":\s*("[^"…]*"|-?\d+(?:\.\d+)?|true|false|null)(?=[,}\s])/g)) {
    if (keys.has(m[1] as string)) pairs.push(`"${m[1]}":${m[2]}`);
  }
  return pairs;
}
