// The admin CLI: `npm run admin -- <command> [--flags]`. Works on the database directly (the
// same DATA_DIR / DATABASE_URL and master keys as the service), or, with --url, through a
// running service's admin API: an embedded PGlite database can be open in one process only.
import { AppError } from '../core/errors.ts';
import { ADMIN_USAGE, CliUsageError, parseAdminArgs } from './admin-args.ts';
import { runRemote } from './admin-remote.ts';

async function main(argv: readonly string[]): Promise<number> {
  const { command, url } = parseAdminArgs(argv);
  if (command.command === 'help') {
    process.stdout.write(ADMIN_USAGE);
    return 0;
  }
  if (url !== undefined) {
    const adminKey = process.env.JUNCTION_ADMIN_KEY || process.env.ADMIN_API_KEY;
    if (!adminKey) throw new CliUsageError('--url needs JUNCTION_ADMIN_KEY in the environment (the admin key of the running service)');
    process.stdout.write(`${JSON.stringify(await runRemote(command, url, adminKey), null, 2)}\n`);
    return 0;
  }
  // Only now the database side: a --url command never loads it.
  const { runOnDatabase } = await import('./admin-commands.ts');
  const result = await runOnDatabase(command);
  // An export to standard output owns it: its summary goes to standard error.
  const summaryTo = command.command === 'export' && command.out === undefined ? process.stderr : process.stdout;
  summaryTo.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliUsageError) {
      process.stderr.write(`error: ${error.message}\n\n${ADMIN_USAGE}`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof AppError) {
      const fields = error.fields.map((f) => `  ${f.field_name}: ${f.reason}`).join('\n');
      process.stderr.write(`error: ${error.code}: ${error.message}${fields ? `\n${fields}` : ''}\n`);
    } else {
      const details = (error as { details?: unknown }).details;
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n${details && typeof details === 'object' ? `${JSON.stringify(details, null, 2)}\n` : ''}`);
    }
    process.exitCode = 1;
  },
);
