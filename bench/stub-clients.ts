/**
 * In-memory stand-ins for SDK clients: `send(command)` answers by command
 * class name and counts calls. The bench measures the framework, not HTTP.
 */
export function stubClient(answers: Record<string, (input: any) => unknown>) {
  const calls: Record<string, number> = {};
  return {
    calls,
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      const op = command.constructor.name.replace(/Command$/, '');
      calls[op] = (calls[op] ?? 0) + 1;
      const answer = answers[op];
      if (!answer) throw new Error(`stub client has no answer for ${op}`);
      return answer(command.input);
    },
  };
}

export const EVENT = { DeploymentId: 'd-BENCH0001', LifecycleEventHookExecutionId: 'bench-exec' };

export function codeDeployStub(alarmNames: string[] = []) {
  return stubClient({
    GetDeployment: () => ({
      deploymentInfo: { deploymentId: EVENT.DeploymentId, applicationName: 'app', deploymentGroupName: 'grp', computePlatform: 'Lambda', status: 'InProgress', creator: 'user' },
    }),
    ListDeploymentTargets: () => ({ targetIds: ['fn:live'] }),
    GetDeploymentTarget: () => ({
      deploymentTarget: {
        lambdaTarget: {
          lifecycleEvents: [{ lifecycleEventName: 'AfterAllowTraffic', status: 'InProgress' }],
          lambdaFunctionInfo: { functionName: 'fn', functionAlias: 'live', currentVersion: '1', targetVersion: '2', targetVersionWeight: 100 },
        },
      },
    }),
    GetDeploymentGroup: () => ({
      deploymentGroupInfo: { deploymentGroupName: 'grp', alarmConfiguration: { enabled: true, alarms: alarmNames.map((name) => ({ name })) } },
    }),
    PutLifecycleEventHookExecutionStatus: () => ({}),
  });
}

export function lambdaContext(ms = 60_000) {
  const end = Date.now() + ms;
  return { getRemainingTimeInMillis: () => end - Date.now() };
}
