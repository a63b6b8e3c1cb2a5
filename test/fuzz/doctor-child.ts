/**
 * Child process for the doctor fuzz test: reads one template text per IPC
 * message, runs the doctor's reader and rules on it, and answers with what
 * happened. Running in a child lets the parent bound each run in wall-clock
 * time and kill a run that hangs (a synchronous loop cannot be interrupted
 * from inside its own thread).
 */
import { diagnose, parseTemplate, TemplateError } from '../../src/doctor/index.js';

export interface DoctorCase {
  id: number;
  text: string;
  file: string;
}

export type DoctorAnswer =
  | { id: number; kind: 'findings'; findings: unknown[] }
  | { id: number; kind: 'template-error'; message: string; file: string }
  | { id: number; kind: 'crash'; name: string; message: string; stage: 'parse' | 'diagnose' };

process.on('message', (msg: DoctorCase) => {
  let answer: DoctorAnswer;
  let template;
  try {
    template = parseTemplate(msg.text, msg.file);
  } catch (error) {
    answer =
      error instanceof TemplateError
        ? { id: msg.id, kind: 'template-error', message: error.message, file: error.file }
        : { id: msg.id, kind: 'crash', name: (error as Error)?.name ?? 'unknown', message: String((error as Error)?.message ?? error), stage: 'parse' };
    process.send?.(answer);
    return;
  }
  try {
    answer = { id: msg.id, kind: 'findings', findings: diagnose(template) };
  } catch (error) {
    answer = { id: msg.id, kind: 'crash', name: (error as Error)?.name ?? 'unknown', message: String((error as Error)?.message ?? error), stage: 'diagnose' };
  }
  process.send?.(answer);
});
process.send?.({ id: -1, kind: 'findings', findings: [] });
