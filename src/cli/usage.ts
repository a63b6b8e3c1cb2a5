/** Usage text and the argument errors that end in exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export function helpText(): string {
  return `codedeploy-hooks — AWS CodeDeploy lifecycle hooks as code

Usage:
  codedeploy-hooks simulate [--scenario NAME|FILE] [--time-scale N] [--report FILE.json|FILE.xml]...
                            [--verbose] [--quiet] [--list]
      Run a whole CodeDeploy deployment on this machine: an emulated AWS endpoint on 127.0.0.1,
      the scenario's hooks invoked in lifecycle order, traffic shifted by the deployment
      configuration (time compressed), alarms evaluated, rollback on failure.
        --scenario, -s   built-in scenario name or path to a scenario YAML file
                         (default: lambda-canary-healthy)
        --time-scale, -t simulated seconds per real second for deployment waits
                         (default: the scenario's deployment.timeScale, else 100)
        --report, -r     write a report: .json (full result) or .xml (JUnit); repeatable
        --verbose        also print what each hook logged
        --quiet          print only the final summary
        --list           list the built-in scenarios and exit
      Exit status: 0 deployment succeeded, 1 failed or rolled back, 2 usage or scenario error.

  codedeploy-hooks emulator [--port N] [--scenario NAME|FILE]
      Serve only the emulated AWS endpoint (CodeDeploy, CloudWatch, Lambda, ELBv2) on
      127.0.0.1:N until SIGINT/SIGTERM. With --scenario, the world is set up as the scenario
      describes and a deployment is started at its first hook's lifecycle event.
        --port, -p       port to listen on (default: 0, any free port)

  codedeploy-hooks doctor [TEMPLATE|APPSPEC] [--format text|json|sarif]
      Lint a SAM/CloudFormation template or a Lambda/ECS appspec for the usual CodeDeploy hook traps.

  codedeploy-hooks --help | --version
`;
}
