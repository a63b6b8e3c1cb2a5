/**
 * Runs the external template tools (cfn-lint, the SAM translator) for the
 * template tests. A missing tool yields an install hint; the tests skip on it
 * locally and fail on it in CI.
 */
import { execFile } from 'node:child_process';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Set when the tool is not installed: what to install. */
  missing?: string;
}

function run(cmd: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: env ?? process.env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        resolve({ code: -1, stdout, stderr, missing: cmd });
        return;
      }
      if (error?.killed) {
        resolve({ code: -1, stdout, stderr: `${cmd} timed out after ${timeoutMs} ms\n${stderr}` });
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

export interface LintFinding {
  Filename: string;
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Start: { LineNumber: number } };
}

/** cfn-lint over several files at once (one process start, a few seconds each). */
export async function cfnLint(files: string[]): Promise<{ findings: LintFinding[] } | { missing: string } | { failure: string }> {
  const result = await run('cfn-lint', ['--format', 'json', '--', ...files], 120_000);
  if (result.missing) return { missing: 'cfn-lint is not installed: pip install cfn-lint' };
  try {
    return { findings: JSON.parse(result.stdout || '[]') as LintFinding[] };
  } catch {
    return { failure: `cfn-lint exited ${result.code}: ${result.stderr || result.stdout}` };
  }
}

// Translates each file with the SAM translator as `sam deploy` would after `sam package`
// (local CodeUri replaced by an S3 URI) and a stub managed-policy map, so nothing calls AWS.
const TRANSLATE = `
import json, sys
try:
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
except ImportError:
    print(json.dumps({"missing": True})); sys.exit(0)
class Policies:
    def load(self): return {}
out = {}
for path in sys.argv[1:]:
    try:
        tpl = yaml_parse(open(path).read())
        for r in (tpl.get("Resources") or {}).values():
            p = r.get("Properties") or {}
            if r.get("Type") == "AWS::Serverless::Function" and isinstance(p.get("CodeUri"), str) and not p["CodeUri"].startswith("s3://"):
                p["CodeUri"] = "s3://bucket/key"
        out[path] = {"template": transform(tpl, {}, Policies())}
    except Exception as e:
        out[path] = {"error": "%s: %s" % (type(e).__name__, e)}
print(json.dumps(out, default=str))
`;

export type Translation = { template: Record<string, any> } | { error: string };

export async function samTranslate(files: string[]): Promise<{ results: Record<string, Translation> } | { missing: string } | { failure: string }> {
  const env = { ...process.env, AWS_DEFAULT_REGION: 'us-east-1', AWS_REGION: 'us-east-1' };
  const result = await run('python3', ['-c', TRANSLATE, ...files], 120_000, env);
  const hint = 'python3 with the SAM translator is not installed: pip install aws-sam-translator';
  if (result.missing) return { missing: hint };
  try {
    const parsed = JSON.parse(result.stdout) as Record<string, Translation> & { missing?: boolean };
    if (parsed.missing === true) return { missing: hint };
    return { results: parsed };
  } catch {
    return { failure: `python3 exited ${result.code}: ${result.stderr || result.stdout}` };
  }
}
