/** Each durable trap: its fixture (test/fixtures/templates/durable/) and what the finding must say; rules.test.ts counts these in its coverage check. */
export const DURABLE_FLAGGED: [file: string, rule: string, severity: 'error' | 'warning', resource: string, mentions: RegExp][] = [
  ['cdh030-unqualified-target.yaml', 'CDH030', 'error', 'StartBakeHook', /BakeHook\.Arn.*unqualified/],
  ['cdh030-durable-function-as-hook.yaml', 'CDH030', 'error', 'BakeHook', /CodeDeploy invokes hooks by function name/],
  ['cdh031-execution-over-an-hour.yaml', 'CDH031', 'warning', 'BakeHook', /may run 7200 s/],
  ['cdh032-bake-longer-than-execution.yaml', 'CDH032', 'error', 'BakeHook', /bakes 3480 s \(CODEDEPLOY_HOOKS_BAKE_MINUTES\)/],
];

