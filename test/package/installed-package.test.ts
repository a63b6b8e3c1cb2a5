/**
 * The package as a user gets it: packed with `npm pack`, installed from the
 * tarball into an empty folder (offline, from the npm cache), and used there
 * with plain Node, vitest, tsc and the CLI, with no loader tricks. A second
 * folder depends on a copy of the sources with `file:`, which must build itself.
 *
 * The sources are copied to a temporary folder first, so packing builds there:
 * the clone's own dist/ is never touched, even by two runs at once.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
/** What `npm pack` reads, plus the compiler configuration its `prepare` build needs. */
const SOURCES = ['package.json', 'package-lock.json', 'README.md', 'template.yaml', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'hooks', 'examples'];
/** Installs, builds and whole simulated deployments on a busy 2-core machine: wide on purpose. */
const STEP_MS = 240_000;
const SETUP_MS = 480_000;

interface Run {
  code: number;
  out: string;
}

/**
 * Runs a command and returns its exit code and output (stdout then stderr). The
 * child gets no NODE_OPTIONS, none of vitest's variables and none of the npm
 * script variables of the `npm test` around this file: it runs as a user's shell would.
 */
function run(cmd: string, args: string[], cwd: string): Promise<Run> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('VITEST') && !(k.startsWith('npm_') && k !== 'npm_config_cache')),
  );
  return new Promise((done) => {
    execFile(cmd, args, { cwd, env: { ...env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024, timeout: STEP_MS }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, out: `${stdout}${stderr}` });
    });
  });
}

/** Fails with the command's output, so a broken step says why. */
function ok(r: Run, what: string): string {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.out.slice(-4000)}`);
  return r.out;
}

/**
 * The project's lockfile restricted to what an installation of the package
 * needs (its entries not marked dev), plus the tarball: `npm ci --offline` then
 * installs from the tarballs in the npm cache, which `npm ci` of the clone
 * filled, without asking the registry for any package metadata.
 */
function lockfileFor(tarball: string, name: string): string {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const packages: Record<string, unknown> = {
    '': { name, version: '1.0.0', dependencies: { [pkg.name as string]: `file:${tarball}` } },
    [`node_modules/${pkg.name as string}`]: { version: pkg.version, resolved: `file:${tarball}`, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev) packages[path] = entry;
  return JSON.stringify({ name, version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2);
}

const writeJson = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2));
const node = (args: string[], cwd: string) => run(process.execPath, args, cwd);

let root: string;
let app: string;
let sources: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cdh-package-'));
  sources = join(root, 'sources');
  for (const entry of SOURCES) cpSync(join(REPO, entry), join(sources, entry), { recursive: true });
  // The build in `prepare` needs typescript and the type packages: the clone's.
  symlinkSync(join(REPO, 'node_modules'), join(sources, 'node_modules'), 'dir');
  ok(await run('npm', ['pack', '--pack-destination', root], sources), 'npm pack');
  const tarball = readdirSync(root).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack left no tarball in ${root}`);

  app = join(root, 'app');
  mkdirSync(app);
  writeJson(join(app, 'package.json'), { name: 'user-app', version: '1.0.0', private: true, type: 'module', dependencies: { 'codedeploy-hooks': `file:../${tarball}` } });
  writeFileSync(join(app, 'package-lock.json'), lockfileFor(`../${tarball}`, 'user-app'));
  ok(await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app), 'npm ci --offline of the tarball (its dependencies come from the npm cache that `npm ci` of this clone filled)');
}, SETUP_MS);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('installed from the npm pack tarball', () => {
  it('ships compiled code, types and the built-in scenarios, and no tests', () => {
    const pkg = join(app, 'node_modules/codedeploy-hooks');
    for (const file of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/hooks/pre-traffic.js', 'dist/hooks/checks/pre-traffic.d.ts', 'dist/examples/app/handler.js', 'src/simulator/scenarios/lambda-canary-healthy.yaml', 'bin/codedeploy-hooks.js']) {
      expect(existsSync(join(pkg, file)), file).toBe(true);
    }
    expect(existsSync(join(pkg, 'test'))).toBe(false);
  });

  it('every documented subpath imports in plain Node, from dist, and from CommonJS with import()', async () => {
    const subpaths = ['', '/checks', '/middy', '/ecs-native', '/testing', '/simulator', '/explain', '/hooks/pre-traffic', '/hooks/post-traffic', '/hooks/ecs-test-traffic', '/hooks/ecs-post-traffic', '/hooks/ecs-native-test-traffic', '/hooks/ecs-native-production-bake', '/hooks/config', '/hooks/checks/pre-traffic'];
    writeFileSync(
      join(app, 'imports.mjs'),
      `const out = {};
for (const sub of ${JSON.stringify(subpaths)}) {
  const id = 'codedeploy-hooks' + sub;
  const mod = await import(id);
  out[id] = { from: import.meta.resolve(id), exports: Object.keys(mod).sort() };
}
console.log(JSON.stringify(out));`,
    );
    const found = JSON.parse(ok(await node(['imports.mjs'], app), 'imports.mjs').trim()) as Record<string, { from: string; exports: string[] }>;
    for (const [id, { from }] of Object.entries(found)) expect(from, id).toContain('/node_modules/codedeploy-hooks/dist/');
    expect(found['codedeploy-hooks']?.exports).toContain('defineHook');
    expect(found['codedeploy-hooks/checks']?.exports).toEqual(expect.arrayContaining(['alarms', 'bake', 'http', 'invokeTarget', 'lambdaErrorRate', 'metric']));
    expect(found['codedeploy-hooks/middy']?.exports).toContain('codeDeployHook');
    expect(found['codedeploy-hooks/ecs-native']?.exports).toEqual(expect.arrayContaining(['defineEcsNativeHook', 'parseEcsNativeEvent', 'ECS_NATIVE_STAGES']));
    expect(found['codedeploy-hooks/testing']?.exports).toEqual(expect.arrayContaining(['runHook', 'startTestEnvironment']));
    expect(found['codedeploy-hooks/simulator']?.exports).toEqual(expect.arrayContaining(['simulate', 'loadScenario']));
    expect(found['codedeploy-hooks/explain']?.exports).toEqual(expect.arrayContaining(['explainDeployment', 'renderStory', 'STORY_VERSION']));
    for (const hook of ['pre-traffic', 'post-traffic', 'ecs-test-traffic', 'ecs-post-traffic', 'ecs-native-test-traffic', 'ecs-native-production-bake']) expect(found[`codedeploy-hooks/hooks/${hook}`]?.exports, hook).toContain('handler');
    expect(found['codedeploy-hooks/hooks/pre-traffic']?.exports).toContain('preTrafficConfig');
    expect(found['codedeploy-hooks/hooks/config']?.exports).toContain('readBake');
    expect(found['codedeploy-hooks/hooks/checks/pre-traffic']?.exports).toContain('preTrafficChecks');

    // The README says: ESM only; CommonJS code loads it with import().
    writeFileSync(join(app, 'from-cjs.cjs'), `import('codedeploy-hooks').then((m) => console.log(typeof m.defineHook));`);
    expect(ok(await node(['from-cjs.cjs'], app), 'from-cjs.cjs').trim()).toBe('function');
  }, STEP_MS);

  it('runHook and simulate() run the built-in scenarios, ready hooks and examples in plain Node', async () => {
    writeFileSync(
      join(app, 'run-hooks.mjs'),
      `import { defineHook } from 'codedeploy-hooks';
import { runHook } from 'codedeploy-hooks/testing';
import { simulate } from 'codedeploy-hooks/simulator';
import { handler as preTraffic, preTrafficConfig } from 'codedeploy-hooks/hooks/pre-traffic';
import { preTrafficChecks } from 'codedeploy-hooks/hooks/checks/pre-traffic';
const broken = await runHook(preTraffic, { scenario: 'lambda-canary-broken-version' });
// The README's way to extend a ready hook: its checks plus one of your own.
const extended = defineHook({
  checks: () => [...preTrafficChecks(preTrafficConfig(process.env)), { name: 'my check', run: async () => ({ state: 'passed', reason: 'mine' }) }],
});
const healthy = await runHook(extended, { scenario: 'lambda-canary-healthy', env: { CODEDEPLOY_HOOKS_INVOKE_ATTEMPTS: '1' } });
const sim = await simulate('lambda-canary-healthy');
const never = await simulate('hook-never-reports', { timeScale: 100000 });
console.log(JSON.stringify({
  broken: broken.reportedStatus,
  brokenReasons: broken.verdict?.checks.map((c) => c.reason).join(' | '),
  healthy: healthy.reportedStatus,
  healthyChecks: healthy.verdict?.checks.map((c) => c.name),
  simulated: sim.status,
  simulatedHooks: sim.hooks.map((h) => h.lifecycleEvent + ' ' + h.verdict?.status),
  neverReports: never.status,
}));`,
    );
    const r = JSON.parse(ok(await node(['run-hooks.mjs'], app), 'run-hooks.mjs').trim().split('\n').pop()!) as Record<string, unknown>;
    expect(r.broken).toBe('Failed');
    expect(r.brokenReasons).toContain('function error');
    expect(r.healthy).toBe('Succeeded');
    expect(r.healthyChecks).toContain('my check');
    expect(r.simulated).toBe('Succeeded');
    expect(r.simulatedHooks).toEqual(['BeforeAllowTraffic Succeeded', 'AfterAllowTraffic Succeeded']);
    // examples/hooks/never-reports.ts, loaded from its compiled copy.
    expect(r.neverReports).toBe('Failed');
  }, STEP_MS);

  it("the README's runHook test passes under vitest with no configuration", async () => {
    const project = join(app, 'vitest-project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'pre-traffic.test.ts'),
      `import { describe, expect, it } from 'vitest';
import { runHook } from 'codedeploy-hooks/testing';
import { handler } from 'codedeploy-hooks/hooks/pre-traffic';

describe('pre-traffic hook', () => {
  it('fails a version that throws', async () => {
    const r = await runHook(handler, { scenario: 'lambda-canary-broken-version' });
    expect(r.reportedStatus).toBe('Failed');
    expect(r.verdict?.checks.find((c) => c.state === 'failed')?.reason).toContain('function error');
  });

  it('passes a healthy version', async () => {
    const r = await runHook(handler, { scenario: 'lambda-canary-healthy', env: { CODEDEPLOY_HOOKS_INVOKE_ATTEMPTS: '1' } });
    expect(r.reportedStatus).toBe('Succeeded');
    expect(r.reportCalls).toBe(1);
  });
});
`,
    );
    const vitest = join(REPO, 'node_modules/vitest/vitest.mjs');
    const out = ok(await node([vitest, 'run', '--root', project, '--reporter', 'verbose'], project), 'vitest run');
    expect(out).toMatch(/Tests\s+2 passed/);
  }, STEP_MS);

  it('type-checks against the published types: ready hooks, their config types, runHook with a middy handler', async () => {
    writeFileSync(
      join(app, 'types.ts'),
      `import middy from '@middy/core';
import { defineHook } from 'codedeploy-hooks';
import { codeDeployHook } from 'codedeploy-hooks/middy';
import { runHook, type RunHookResult } from 'codedeploy-hooks/testing';
import { handler as preTraffic, preTrafficConfig, type PreTrafficConfig } from 'codedeploy-hooks/hooks/pre-traffic';
import { preTrafficChecks } from 'codedeploy-hooks/hooks/checks/pre-traffic';
import type { PostTrafficConfig } from 'codedeploy-hooks/hooks/post-traffic';
import type { EcsTestTrafficConfig } from 'codedeploy-hooks/hooks/ecs-test-traffic';
import type { EcsPostTrafficConfig } from 'codedeploy-hooks/hooks/ecs-post-traffic';
import type { AlarmConfig, BakeConfig } from 'codedeploy-hooks/hooks/config';

const config: PreTrafficConfig = preTrafficConfig({});
export const extended = defineHook({ checks: () => preTrafficChecks(config) });
export const wrapped = middy().use(codeDeployHook({ checks: [] })).handler(async () => {});
export const results: Promise<RunHookResult>[] = [runHook(preTraffic), runHook(extended), runHook(wrapped)];
export type Configs = [PostTrafficConfig, EcsTestTrafficConfig, EcsPostTrafficConfig, AlarmConfig, BakeConfig];
// The types are real, not any: a wrong option is an error.
// @ts-expect-error timeoutSeconds is a number
runHook(preTraffic, { timeoutSeconds: '5' });
`,
    );
    writeJson(join(app, 'tsconfig.json'), {
      compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(REPO, 'node_modules/@types')] },
      files: ['types.ts'],
    });
    ok(await node([join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app), 'tsc');
  }, STEP_MS);

  it('a hook bundled from the installed package (as sam build does) carries none of the CLI and simulator dependencies', async () => {
    writeFileSync(
      join(app, 'deployed-hook.mjs'),
      `import { defineHook } from 'codedeploy-hooks';
import { alarms, lambdaErrorRate } from 'codedeploy-hooks/checks';
import { codeDeployHook } from 'codedeploy-hooks/middy';
import { preTrafficConfig } from 'codedeploy-hooks/hooks/pre-traffic';
import { preTrafficChecks } from 'codedeploy-hooks/hooks/checks/pre-traffic';
export const handler = defineHook({ checks: () => [...preTrafficChecks(preTrafficConfig(process.env)), lambdaErrorRate({ maxPercent: 1 })] });
export const middleware = codeDeployHook({ checks: [alarms({ fromDeploymentGroup: true })] });
`,
    );
    const entries = ['deployed-hook.mjs', ...['pre-traffic', 'post-traffic', 'ecs-test-traffic', 'ecs-post-traffic', 'ecs-native-test-traffic', 'ecs-native-production-bake'].map((h) => `node_modules/codedeploy-hooks/dist/hooks/${h}.js`)];
    for (const entry of entries) {
      const { metafile } = await build({ absWorkingDir: app, entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
      const inputs = Object.keys(metafile.inputs);
      expect(inputs.some((f) => f.includes('node_modules/@aws-sdk/')), entry).toBe(true);
      expect(inputs.filter((f) => /node_modules\/(yaml|tsx|esbuild|@esbuild)\/|codedeploy-hooks\/(src|dist\/src\/(simulator|cli|doctor|testing))\//.test(f)), entry).toEqual([]);
    }
  }, STEP_MS);

  it('the CLI runs: simulate, doctor on a template, emulator --help', async () => {
    const simulated = await run('npx', ['--offline', 'codedeploy-hooks', 'simulate', '--quiet'], app);
    expect(simulated.code, simulated.out).toBe(0);
    expect(simulated.out).toContain('Succeeded');

    const clean = await run('npx', ['--offline', 'codedeploy-hooks', 'doctor', 'node_modules/codedeploy-hooks/template.yaml'], app);
    expect(clean.code, clean.out).toBe(0);
    writeFileSync(
      join(app, 'broken-template.yaml'),
      `Resources:
  AppFunction:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Canary10Percent5Minutes
        Hook:
          PreTrafic: !Ref PreHook
  PreHook:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs24.x
`,
    );
    const broken = await run('npx', ['--offline', 'codedeploy-hooks', 'doctor', 'broken-template.yaml'], app);
    expect(broken.code, broken.out).toBe(1);
    expect(broken.out).toContain('CDH006');

    const help = await run('npx', ['--offline', 'codedeploy-hooks', 'emulator', '--help'], app);
    expect(help.code, help.out).toBe(0);
    expect(help.out).toMatch(/emulator/);
  }, STEP_MS);

  it("simulate runs a user's own TypeScript hook", async () => {
    writeFileSync(
      join(app, 'my-hook.ts'),
      `import { defineHook, type HookHandler } from 'codedeploy-hooks';
import type { CheckOutcome } from 'codedeploy-hooks';

const mine = async (): Promise<CheckOutcome> => ({ state: 'failed', reason: 'my own TypeScript check says no' });
export const handler: HookHandler = defineHook({ checks: [{ name: 'my check', run: mine }] });
`,
    );
    writeFileSync(
      join(app, 'my-scenario.yaml'),
      `platform: Lambda
hooks:
  BeforeAllowTraffic:
    module: ./my-hook.ts
`,
    );
    const r = await run('npx', ['--offline', 'codedeploy-hooks', 'simulate', '--scenario', './my-scenario.yaml'], app);
    // The hook ran (its check's reason is in the timeline) and its Failed verdict failed the deployment.
    expect(r.out).toContain('my own TypeScript check says no');
    expect(r.code, r.out).toBe(1);

    // Plain Node cannot import a .ts file: simulate() says so and what to do, naming the module.
    writeFileSync(join(app, 'simulate-ts.mjs'), `import { simulate } from 'codedeploy-hooks/simulator';
await simulate('./my-scenario.yaml').then(() => console.log('ran'), (e) => console.log(e.name + ': ' + e.message));`);
    const plain = ok(await node(['simulate-ts.mjs'], app), 'simulate-ts.mjs');
    expect(plain).toContain('SimulatorSetupError: hook BeforeAllowTraffic module');
    expect(plain).toContain('my-hook.ts cannot be imported');
    expect(plain).toContain('Node cannot import TypeScript by itself');
  }, STEP_MS);
});

describe('installed from a folder (file: dependency)', () => {
  it('builds itself on install and is usable at once', async () => {
    rmSync(join(sources, 'dist'), { recursive: true, force: true });
    const user = join(root, 'folder-user');
    mkdirSync(user);
    writeJson(join(user, 'package.json'), { name: 'folder-user', version: '1.0.0', private: true, type: 'module' });
    ok(await run('npm', ['install', '--offline', '--no-audit', '--no-fund', `file:${sources}`], user), 'npm install file:');
    expect(existsSync(join(sources, 'dist/src/index.js'))).toBe(true);
    writeFileSync(join(user, 'check.mjs'), `import { runHook } from 'codedeploy-hooks/testing';
import { handler } from 'codedeploy-hooks/hooks/pre-traffic';
console.log((await runHook(handler, { scenario: 'lambda-canary-broken-version' })).reportedStatus);`);
    expect(ok(await node(['check.mjs'], user), 'check.mjs').trim()).toBe('Failed');
  }, STEP_MS);
});
