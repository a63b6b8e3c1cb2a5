import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs boto3 calls through tools/boto3-calls.py against an endpoint (the emulator); whether boto3 is there: ../helpers/boto3.ts. */

const SCRIPT = fileURLToPath(new URL('./tools/boto3-calls.py', import.meta.url));

export interface Boto3Call { service: string; operation: string; params?: Record<string, unknown>; version?: string }
export interface Boto3Result {
  status: number;
  requestId?: string;
  result?: any; // boto3's parsed response, untyped; assertions check its shape
  error?: { Code: string; Message: string };
  contentEncoding?: string | null;
}

/** `home`: an empty folder, so no profile or credentials file of the machine's is read. */
export function runBoto3(endpoint: string, home: string, calls: Boto3Call[]): Promise<Boto3Result[]> {
  return new Promise((resolve, reject) => {
    const child = execFile('python3', [SCRIPT], {
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        AWS_CONFIG_FILE: join(home, 'none-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'none-credentials'),
        ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
        ...(process.env.PYENV_VERSION ? { PYENV_VERSION: process.env.PYENV_VERSION } : {}),
      },
    }, (err, stdout, stderr) => {
      if (err) reject(new Error(`boto3 driver failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as Boto3Result[]);
    });
    child.stdin!.end(JSON.stringify({ endpoint, calls }));
  });
}
