/** `codedeploy-hooks explain DEPLOYMENT_ID`: the story of one deployment, as text or JSON. */
import { parseArgs } from 'node:util';
import { explainDeployment } from '../explain/index.js';
import { renderStory } from '../explain/print-story.js';
import { writeStoryReport } from '../html-report/story-report.js';
import { positiveNumber, withUsageErrors } from './args.js';
import { CliUsageError, helpText } from './usage.js';

export async function runExplainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors('explain', () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        report: { type: 'string', short: 'r' },
        region: { type: 'string' },
        profile: { type: 'string' },
        'endpoint-url': { type: 'string' },
        'hook-function': { type: 'string', multiple: true },
        'log-group': { type: 'string', multiple: true },
        'max-attempts': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(helpText());
    return 0;
  }
  if (positionals.length !== 1) {
    throw new CliUsageError(positionals.length === 0 ? 'explain: give the deployment id (codedeploy-hooks explain d-XXXXXXXXX)' : `explain: unexpected argument "${positionals[1]}"`);
  }
  const endpoint = values['endpoint-url'];
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) throw new CliUsageError(`--endpoint-url expects an http(s) URL, got "${endpoint}"`);
  const report = values.report;
  if (report !== undefined && !/\.html?$/i.test(report)) throw new CliUsageError(`--report ${report}: the file must end in .html (HTML report; --json prints the story as JSON)`);
  const maxAttempts = positiveNumber('max-attempts', values['max-attempts'], 10);
  if (maxAttempts !== undefined && !Number.isInteger(maxAttempts)) throw new CliUsageError(`--max-attempts expects a whole number, got "${values['max-attempts']}"`);

  const story = await explainDeployment(positionals[0]!, {
    ...(values.region ? { region: values.region } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(values['hook-function'] ? { hookFunctions: values['hook-function'] } : {}),
    ...(values['log-group'] ? { logGroups: values['log-group'] } : {}),
    ...(maxAttempts ? { maxAttempts } : {}),
  });
  if (values.json) process.stdout.write(`${JSON.stringify(story, null, 2)}\n`);
  else {
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
    process.stdout.write(renderStory(story, { color, verbose: Boolean(values.verbose) }));
  }
  if (report !== undefined) {
    await writeStoryReport(report, story);
    // Not on stdout with --json, which must stay one JSON document.
    (values.json ? process.stderr : process.stdout).write(`Report written to ${report}\n`);
  }
  return story.outcome === 'succeeded' || story.outcome === 'in-progress' ? 0 : 1;
}
