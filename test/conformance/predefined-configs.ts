/**
 * The predefined CodeDeploy deployment configurations as the CodeDeploy User
 * Guide lists them ("Working with deployment configurations": EC2/on-premises,
 * Amazon ECS and AWS Lambda tables), written out here independently of the
 * emulator's own list so a missing one is caught.
 */
export const PREDEFINED_CONFIGS: ReadonlyArray<{ name: string; platform: 'Server' | 'ECS' | 'Lambda' }> = [
  ...['AllAtOnce', 'HalfAtATime', 'OneAtATime'].map((n) => ({ name: `CodeDeployDefault.${n}`, platform: 'Server' as const })),
  ...['ECSLinear10PercentEvery1Minutes', 'ECSLinear10PercentEvery3Minutes', 'ECSCanary10Percent5Minutes', 'ECSCanary10Percent15Minutes', 'ECSAllAtOnce']
    .map((n) => ({ name: `CodeDeployDefault.${n}`, platform: 'ECS' as const })),
  ...['LambdaCanary10Percent5Minutes', 'LambdaCanary10Percent10Minutes', 'LambdaCanary10Percent15Minutes', 'LambdaCanary10Percent30Minutes',
    'LambdaLinear10PercentEvery1Minute', 'LambdaLinear10PercentEvery2Minutes', 'LambdaLinear10PercentEvery3Minutes', 'LambdaLinear10PercentEvery10Minutes',
    'LambdaAllAtOnce'].map((n) => ({ name: `CodeDeployDefault.${n}`, platform: 'Lambda' as const })),
];
