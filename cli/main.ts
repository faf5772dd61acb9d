import { inspect, parseArgs } from 'node:util';
import { demo } from './commands/demo.js';
import { ingestCommand } from './commands/ingest.js';
import { rebuildCommand } from './commands/rebuild.js';
import { remindCommand } from './commands/remind.js';
import { replayCommand } from './commands/replay.js';
import { snapshotCommand } from './commands/snapshot.js';
import { start } from './commands/start.js';
import { templateCommand } from './commands/template.js';
import { terminalText } from './print.js';
import { InputError, UsageError } from './usage.js';

const USAGE = `department metrics pipeline

  npm run cli -- template --department D --period YYYY-MM --out FILE
      write the workbook a department fills in for a month; shows the last
      reported figures from --data when the local stores exist
  npm run cli -- ingest FILE --department D [--dry-run] [--json] [--out MARKED.xlsx]
      validate a workbook; without --dry-run, upload it to the local upload bucket
      and let the ingest function process it; --out writes the workbook with its
      problems marked
  npm run cli -- snapshot --period YYYY-MM [--draft | --rebuild --reason TEXT]
      run the snapshot function for a month on the local stores: it publishes
      and locks the month once; a published month is left as it is unless
      --rebuild rewrites its files, which needs a --reason (logged); --draft
      writes the month's files without locking it, until it is published
  npm run cli -- snapshot --from YYYY-MM --to YYYY-MM
      publish a range of months, oldest first, leaving published ones as they are
  npm run cli -- remind --at YYYY-MM-DD
      run the reminder and escalation job as of that day on the local stores:
      reminders on the working days before the due date, escalations after it,
      each written to .local/outbox/
  npm run cli -- replay DEAD_LETTER_QUEUE_ARN
      on AWS: move every message of a dead-letter queue back to the ingest queue
      (stack output IngestDeadLetterQueueArn), and wait until the move ends
  npm run cli -- rebuild [--bucket UPLOAD_BUCKET --table OBSERVATIONS_TABLE [--region R]]
      replay every upload of the upload bucket, oldest first, into an empty
      observations table: the local stores (--data), or on AWS the stack's
      (outputs UploadBucketName, ObservationsTableName)
  npm run cli -- demo            (also: npm run demo)
      run the whole pipeline locally on sample workbooks, then exit
  npm run cli -- start           (also: npm start)
      the demo, then the portal on http://127.0.0.1:8080 (PORTAL_PORT to change
      it) against the same local stores, until Ctrl-C

  --data DIR   where the local stores keep their data (default .local)

exit status: 0 done (ingest: accepted), 2 rejected for a problem in the file, 1 anything else`;

const commands: Record<string, (args: ReturnType<typeof parse>) => Promise<number>> = {
  template: templateCommand,
  ingest: ingestCommand,
  snapshot: snapshotCommand,
  replay: replayCommand,
  rebuild: rebuildCommand,
  remind: remindCommand,
  demo,
  start,
};

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      department: { type: 'string' },
      period: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      data: { type: 'string', default: '.local' },
      bucket: { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string' },
      draft: { type: 'boolean' },
      rebuild: { type: 'boolean' },
      reason: { type: 'string' },
      at: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

export type CliArgs = ReturnType<typeof parse>;

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  const [name] = args.positionals;
  const command = name === undefined ? undefined : commands[name];
  if (args.values.help || !command) {
    console.log(USAGE);
    return args.values.help ? 0 : 1;
  }
  return command(args);
}

// A reader that closes the pipe early (`| head`) has had what it wanted: the rest is dropped, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/**
 * process.exit drops whatever stdout and stderr still hold for a pipe (a pipe takes 64 KiB at a time),
 * so the CLI exits once both have handed everything written so far to the system.
 */
function exitOnceFlushed(status: number): void {
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(status));
}

/** An error nothing foresaw, on one line (with its causes); DEBUG=1 adds where it happened. */
function unexpectedErrorText(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e !== undefined && messages.length < 5; e = e instanceof Error ? e.cause : undefined) {
    messages.push(e instanceof Error ? e.message : String(e));
  }
  const line = `内部错误 internal error: ${terminalText(messages.join(': '))} (DEBUG=1 显示出错位置 / DEBUG=1 shows where it happened)`;
  return process.env.DEBUG ? `${line}\n${inspect(error)}` : line;
}

main(process.argv.slice(2)).then(exitOnceFlushed, (error: unknown) => {
  if (error instanceof UsageError) console.error(`${terminalText(error.message)}\n\n${USAGE}`);
  else if (error instanceof InputError) console.error(terminalText(error.message));
  else console.error(unexpectedErrorText(error));
  exitOnceFlushed(1);
});
