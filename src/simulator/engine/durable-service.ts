/**
 * The Lambda durable execution service, as far as a durable hook needs it in a
 * simulated deployment: executions named once (a second start with the same
 * name returns the first), the checkpoint log (steps, their retries, waits),
 * and re-invocation of the handler when a wait ends or a retry is due. Time is
 * the process's clock, which the simulator warps (clock/warp.ts): a durable
 * wait takes simulated time, like everything else in the simulated world.
 *
 * The handler is the real one (withDurableExecution from
 * @aws/durable-execution-sdk-js); the service reaches it through the SDK's
 * harness channel, DurableExecutionInvocationInputWithClient.
 */
import { randomUUID } from 'node:crypto';
import { DurableExecutionInvocationInputWithClient } from '@aws/durable-execution-sdk-js';
import type {
  CheckpointDurableExecutionRequest,
  CheckpointDurableExecutionResponse,
  DurableExecutionClient,
  DurableLambdaHandler,
  OperationUpdate,
  WireOperation,
} from '@aws/durable-execution-sdk-js';

export interface DurableOutcome {
  status: 'SUCCEEDED' | 'FAILED';
  result?: unknown;
  error?: string;
  invocations: number;
}

/** Gives each invocation its Lambda context (its remaining time counting down on the same clock). */
export type ContextFactory = () => unknown;

/** One durable function: its executions by name. */
export class SimulatedDurableFunction {
  private readonly executions = new Map<string, Promise<DurableOutcome>>();

  constructor(
    private readonly handler: DurableLambdaHandler,
    private readonly arn: string,
  ) {}

  /** Starts the named execution, or returns the running one: Lambda's idempotent start by DurableExecutionName. */
  start(name: string, payload: unknown, context: ContextFactory): { alreadyStarted: boolean; outcome: Promise<DurableOutcome> } {
    const existing = this.executions.get(name);
    if (existing) return { alreadyStarted: true, outcome: existing };
    const outcome = new Execution(this.handler, `${this.arn}/durable-execution/${name}/${randomUUID()}`, payload).run(context);
    this.executions.set(name, outcome);
    return { alreadyStarted: false, outcome };
  }
}

class Execution implements DurableExecutionClient {
  private readonly ops = new Map<string, WireOperation>();
  private token = randomUUID();
  private invocations = 0;

  constructor(
    private readonly handler: DurableLambdaHandler,
    private readonly arn: string,
    payload: unknown,
  ) {
    const id = randomUUID();
    this.ops.set(id, { Id: id, Type: 'EXECUTION', Status: 'STARTED', StartTimestamp: new Date(), ExecutionDetails: { InputPayload: JSON.stringify(payload) } });
  }

  async run(context: ContextFactory): Promise<DurableOutcome> {
    for (;;) {
      const updated = this.advance();
      this.invocations++;
      const input = new DurableExecutionInvocationInputWithClient(
        { DurableExecutionArn: this.arn, CheckpointToken: this.token, UpdatedOperationIds: updated, InitialExecutionState: { Operations: [...this.ops.values()] } },
        this,
      );
      let output;
      try {
        output = await this.handler(input, context() as never);
      } catch (error) {
        return { status: 'FAILED', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), invocations: this.invocations };
      }
      if (output.Status === 'SUCCEEDED') return { status: 'SUCCEEDED', result: output.Result === undefined ? undefined : JSON.parse(output.Result), invocations: this.invocations };
      if (output.Status === 'FAILED') return { status: 'FAILED', error: `${output.Error.ErrorType}: ${output.Error.ErrorMessage}`, invocations: this.invocations };
      // PENDING: the execution is suspended until its next wait ends or retry is due.
      const due = this.nextDue();
      if (due === undefined) return { status: 'FAILED', error: 'PENDING with nothing pending', invocations: this.invocations };
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    }
  }

  async getExecutionState(): Promise<{ Operations: WireOperation[] }> {
    this.advance();
    return { Operations: [...this.ops.values()] };
  }

  async checkpoint(params: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse> {
    const changed = new Set<string>(this.advance());
    for (const update of params.Updates ?? []) changed.add(this.apply(update));
    this.token = randomUUID();
    return { CheckpointToken: this.token, NewExecutionState: { Operations: [...changed].map((id) => this.ops.get(id)!).filter(Boolean) } };
  }

  /** Applies one operation update as the service would; returns the operation's id. */
  private apply(u: OperationUpdate): string {
    const id = u.Id!;
    const now = new Date();
    const op: WireOperation = this.ops.get(id) ?? { Id: id, ParentId: u.ParentId, Name: u.Name, Type: u.Type, SubType: u.SubType, StartTimestamp: now, Status: 'STARTED' };
    if (u.Type === 'EXECUTION') return id;
    switch (u.Action) {
      case 'START':
        op.Status = 'STARTED';
        if (u.Type === 'WAIT') op.WaitDetails = { ScheduledEndTimestamp: new Date(now.getTime() + (u.WaitOptions?.WaitSeconds ?? 0) * 1000) };
        break;
      case 'SUCCEED':
        op.Status = 'SUCCEEDED';
        op.EndTimestamp = now;
        if (u.Type === 'STEP') op.StepDetails = { ...op.StepDetails, Result: u.Payload };
        if (u.Type === 'CONTEXT') op.ContextDetails = { ...op.ContextDetails, Result: u.Payload };
        break;
      case 'FAIL':
        op.Status = 'FAILED';
        op.EndTimestamp = now;
        if (u.Type === 'STEP') op.StepDetails = { ...op.StepDetails, Error: u.Error };
        break;
      case 'RETRY':
        op.Status = 'PENDING';
        op.StepDetails = {
          ...op.StepDetails,
          Attempt: (op.StepDetails?.Attempt ?? 0) + 1,
          Error: u.Error,
          NextAttemptTimestamp: new Date(now.getTime() + (u.StepOptions?.NextAttemptDelaySeconds ?? 1) * 1000).toISOString(),
        };
        break;
      case 'CANCEL':
        op.Status = 'CANCELLED';
        op.EndTimestamp = now;
        break;
    }
    this.ops.set(id, op);
    return id;
  }

  /** Ends the waits and readies the retries that are due; returns their ids. */
  private advance(): string[] {
    const now = Date.now();
    const changed: string[] = [];
    for (const op of this.ops.values()) {
      if (op.Type === 'WAIT' && op.Status === 'STARTED' && timeOf(op.WaitDetails?.ScheduledEndTimestamp) <= now) {
        op.Status = 'SUCCEEDED';
        op.EndTimestamp = new Date(now);
        changed.push(op.Id!);
      } else if (op.Type === 'STEP' && op.Status === 'PENDING' && timeOf(op.StepDetails?.NextAttemptTimestamp) <= now) {
        op.Status = 'READY';
        changed.push(op.Id!);
      }
    }
    return changed;
  }

  private nextDue(): number | undefined {
    const times = [...this.ops.values()].flatMap((op) =>
      op.Type === 'WAIT' && op.Status === 'STARTED' ? [timeOf(op.WaitDetails?.ScheduledEndTimestamp)] : op.Type === 'STEP' && op.Status === 'PENDING' ? [timeOf(op.StepDetails?.NextAttemptTimestamp)] : [],
    );
    return times.length > 0 ? Math.min(...times) : undefined;
  }
}

const timeOf = (t: Date | string | undefined): number => (t === undefined ? Infinity : new Date(t).getTime());
