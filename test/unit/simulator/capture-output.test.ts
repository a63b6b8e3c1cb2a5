/**
 * Hook output capture when captures overlap and end out of order (a durable
 * hook's invocations start while the invocation that started them is still
 * captured): the real stdout/stderr/console must come back when the last one
 * ends. Before, the later capture restored the earlier one's interceptor for
 * good, and every later line of the process (a bench, a script calling
 * simulate()) vanished.
 */
import { describe, expect, it } from 'vitest';
import { captureOutput } from '../../../src/simulator/engine/hook-runner.js';

describe('captureOutput', () => {
  it('restores the real writers when overlapping captures end out of order, and sends each write to the newest capture', () => {
    const realOut = process.stdout.write;
    const realErr = process.stderr.write;
    const realLog = console.log;
    const outer: string[] = [];
    const inner: string[] = [];
    const endOuter = captureOutput(outer);
    process.stdout.write('to outer\n');
    const endInner = captureOutput(inner);
    console.log('to inner');
    endOuter(); // the outer one ends first
    process.stderr.write('still inner\n');
    endInner();
    expect(process.stdout.write).toBe(realOut);
    expect(process.stderr.write).toBe(realErr);
    expect(console.log).toBe(realLog);
    expect(outer).toEqual(['to outer\n']);
    expect(inner).toEqual(['to inner\n', 'still inner\n']);
  });

  it('ending a capture twice changes nothing', () => {
    const realOut = process.stdout.write;
    const end = captureOutput([]);
    end();
    const other: string[] = [];
    const endOther = captureOutput(other);
    end();
    process.stdout.write('kept\n');
    endOther();
    expect(other).toEqual(['kept\n']);
    expect(process.stdout.write).toBe(realOut);
  });
});
