/**
 * `codedeploy-hooks doctor [TEMPLATE|APPSPEC] [--format text|json|sarif]`.
 * Exit codes: 0 no errors (warnings allowed), 1 at least one error,
 * 2 unreadable or invalid input, or bad arguments.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { packageVersion } from '../package-version.js';
import { formatJson, formatText } from './format.js';
import { RULES } from './rules/index.js';
import { diagnose } from './run-rules.js';
import { formatSarif } from './sarif.js';
import { readTemplate, TemplateError } from './template-reader.js';

export interface DoctorIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

const USAGE = `usage: codedeploy-hooks doctor [TEMPLATE|APPSPEC] [--format text|json|sarif]

Checks a SAM or CloudFormation template, or a Lambda or ECS appspec, for CodeDeploy hook traps.
TEMPLATE defaults to template.yaml (or template.yml, template.json) in the current directory.
--format sarif prints a SARIF 2.1.0 log for code-scanning UIs.
Exit code: 0 no errors, 1 errors found, 2 the file could not be read.
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

function parseArgs(argv: string[]): { file?: string; format: Format; help: boolean } | string {
  const args = argv;
  let file: string | undefined;
  let format: Format = 'text';
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (!FORMATS.includes(value as Format)) return `--format must be ${FORMATS.join(', ')}, got ${value ?? 'nothing'}`;
      format = value as Format;
    } else if (arg === '--json') format = 'json';
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (file === undefined) file = arg;
    else return `only one TEMPLATE may be given (got ${file} and ${arg})`;
  }
  return { file, format, help };
}

export async function runDoctorCommand(argv: string[], io?: Partial<DoctorIo>): Promise<number> {
  const out = io?.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = io?.stderr ?? ((s: string) => void process.stderr.write(s));
  const cwd = io?.cwd ?? process.cwd();
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    err(`codedeploy-hooks doctor: ${parsed}\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    out(USAGE);
    return 0;
  }
  const file = parsed.file ?? ['template.yaml', 'template.yml', 'template.json'].find((f) => existsSync(resolve(cwd, f))) ?? 'template.yaml';
  try {
    const template = await readTemplate(resolve(cwd, file));
    const findings = diagnose({ ...template, file });
    if (parsed.format === 'sarif') out(formatSarif(file, findings, { rules: RULES, toolVersion: await packageVersion() }));
    else out(parsed.format === 'json' ? formatJson(file, findings) : formatText(file, findings));
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  } catch (error) {
    if (error instanceof TemplateError) {
      err(`codedeploy-hooks doctor: ${error.message.replace(error.file, file)}\n`);
      return 2;
    }
    throw error;
  }
}
