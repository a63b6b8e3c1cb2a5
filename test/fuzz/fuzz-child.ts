/**
 * Child process for the bounded fuzz tests: reads one input per IPC message,
 * runs the doctor (reader + rules) or the scenario loader on it, and answers
 * with what happened. Running in a child lets the parent bound each run in
 * wall-clock time and kill a run that hangs (a synchronous loop cannot be
 * interrupted from inside its own thread).
 */
import { diagnose, parseTemplate, TemplateError } from '../../src/doctor/index.js';
import { ScenarioError } from '../../src/errors.js';
import { parseScenario } from '../../src/simulator/scenario/loader.js';

export interface FuzzCase {
  id: number;
  target: 'doctor' | 'scenario';
  text: string;
  file: string;
}

export type FuzzAnswer =
  | { id: number; kind: 'findings'; findings: unknown[] }
  | { id: number; kind: 'scenario'; platform: string }
  | { id: number; kind: 'expected-error'; name: string; message: string; file?: string; path?: string }
  | { id: number; kind: 'crash'; name: string; message: string; stage: string };

function crash(id: number, stage: string, error: unknown): FuzzAnswer {
  const e = error as Error | undefined;
  return { id, kind: 'crash', name: e?.name ?? typeof error, message: String(e?.message ?? error), stage };
}

function runDoctor(msg: FuzzCase): FuzzAnswer {
  let template;
  try {
    template = parseTemplate(msg.text, msg.file);
  } catch (error) {
    if (error instanceof TemplateError) return { id: msg.id, kind: 'expected-error', name: error.name, message: error.message, file: error.file };
    return crash(msg.id, 'reading the template', error);
  }
  try {
    return { id: msg.id, kind: 'findings', findings: diagnose(template) };
  } catch (error) {
    return crash(msg.id, 'diagnosing', error);
  }
}

function runScenario(msg: FuzzCase): FuzzAnswer {
  try {
    const scenario = parseScenario(msg.text, { file: msg.file, baseDir: '/tmp' });
    return { id: msg.id, kind: 'scenario', platform: scenario.platform };
  } catch (error) {
    if (error instanceof ScenarioError) return { id: msg.id, kind: 'expected-error', name: error.name, message: error.message, path: error.path };
    return crash(msg.id, 'loading the scenario', error);
  }
}

process.on('message', (msg: FuzzCase) => {
  process.send?.(msg.target === 'doctor' ? runDoctor(msg) : runScenario(msg));
});
process.send?.({ id: -1, kind: 'findings', findings: [] });
