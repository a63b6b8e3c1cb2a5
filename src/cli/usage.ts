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
  codedeploy-hooks simulate [--scenario NAME|FILE] [--time-scale N] [--report FILE.json|FILE.xml|FILE.html]...
                            [--verbose] [--quiet] [--list] [--explain] [--serve [--port N]]
      Run a whole CodeDeploy deployment on this machine: an emulated AWS endpoint on 127.0.0.1,
      the scenario's hooks invoked in lifecycle order, traffic shifted by the deployment
      configuration (time compressed), alarms evaluated, rollback on failure.
        --scenario, -s   built-in scenario name or path to a scenario YAML file
                         (default: lambda-canary-healthy)
        --time-scale, -t simulated seconds per real second for deployment waits
                         (default: the scenario's deployment.timeScale, else 100)
        --report, -r     write a report: .json (full result), .xml (JUnit) or .html (a page to read); repeatable
        --verbose        also print what each hook logged
        --quiet          print only the final summary
        --list           list the built-in scenarios and exit
        --explain        then print \`explain\`'s story of the simulated deployment
        --serve          then keep the simulated account served on 127.0.0.1 (--port N, default
                         any free port) until Ctrl-C, for \`explain\` or any AWS client
      Exit status: 0 deployment succeeded, 1 failed or rolled back, 2 usage or scenario error.

  codedeploy-hooks emulator [--port N] [--scenario NAME|FILE] [--time-scale N]
      Serve only the emulated AWS endpoint (CodeDeploy, CloudWatch, Lambda, ELBv2) on
      127.0.0.1:N until SIGINT/SIGTERM. With --scenario, the world is set up as the scenario
      describes and its deployment is played forward: command hooks are run, other hooks'
      events are printed, and each waits for a status reported through the endpoint.
        --port, -p       port to listen on (default: 0, any free port)
        --time-scale, -t simulated seconds per real second for the deployment's waits

  codedeploy-hooks doctor [TEMPLATE|APPSPEC] [--format text|json|sarif]
      Lint a SAM/CloudFormation template or a Lambda/ECS appspec for the usual CodeDeploy hook traps.

  codedeploy-hooks explain DEPLOYMENT_ID [--json] [--region R] [--profile P] [--endpoint-url URL]
                           [--hook-function NAME]... [--log-group NAME]... [--verbose] [--report FILE.html]
      Tell why a deployment ended the way it did: the lifecycle events, which hook and check
      failed and why (from the hooks' verdict lines in CloudWatch Logs), where traffic was,
      which alarm fired, and what to do. Read-only; the SDK's default credentials and region.
        --json           print the story as JSON (the DeploymentStory object)
        --report, -r     also write the story as one self-contained HTML page
        --endpoint-url   another endpoint, e.g. the emulator (default: AWS_ENDPOINT_URL, else AWS)
        --hook-function  a hook function whose log group to search (besides the AppSpec's hooks)
        --log-group      a log group to search (hooks that log elsewhere)
        --verbose        print each check's details in full
      Exit status: 0 succeeded or in progress, 1 failed, stopped or rolled back, 2 cannot explain.

  codedeploy-hooks --help | --version
`;
}
