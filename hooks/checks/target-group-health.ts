/**
 * A check on the ALB metrics of the target group serving the new task set:
 * fails when it reports unhealthy hosts or, with a limit set, answers more
 * 5xx per minute than allowed (an absolute count, so off by default: any
 * background error rate trips it at enough traffic; the relative comparison
 * of green with blue judges error rates). The target group's CloudWatch dimensions need its ARN, so the check
 * looks it up (DescribeTargetGroups) when it runs, then defers to metric().
 */
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describeError } from '../../src/errors.js';
import type { Check, CheckContext, CheckOutcome } from '../../src/types.js';
import { metric } from '../../src/checks/metric.js';
import { DEFAULT_CHECK_CLIENT_CONFIG } from '../../src/clients.js';
import { loadBalancerDimension, targetGroupDimension } from '../../src/checks/compare-versions.js';

export interface TargetGroupHealthOptions {
  /** Fail when a minute has more target 5xx than this. @default no limit */
  max5xxPerMinute?: number;
  /** Fail when the unhealthy host count exceeds this. */
  maxUnhealthyHosts: number;
  /** Window ending now, in ms. */
  lookbackMs: number;
}

const NAME = 'green target group health';

export function targetGroupHealth(options: TargetGroupHealthOptions): Check {
  return {
    name: NAME,
    async run(ctx: CheckContext): Promise<CheckOutcome> {
      const hook = ctx.hook;
      if (hook.platform !== 'ECS') return { state: 'error', reason: `target-group metrics need an ECS deployment, this is ${hook.platform}` };
      // Blue and green swap target groups from one deployment to the next: only the task set says which is green.
      const name = hook.greenTaskSet?.targetGroupName;
      if (!name) return { state: 'error', reason: 'the deployment target names no target group for the replacement (Green) task set' };
      const elbv2 = ctx.clients.get('elbv2', () => new ElasticLoadBalancingV2Client({ ...DEFAULT_CHECK_CLIENT_CONFIG }));
      let arn: string | undefined;
      let lbArn: string | undefined;
      try {
        const out = await elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }), { abortSignal: ctx.signal });
        arn = out.TargetGroups?.[0]?.TargetGroupArn;
        lbArn = out.TargetGroups?.[0]?.LoadBalancerArns?.[0];
      } catch (error) {
        const { name: code, message } = describeError(error);
        return { state: 'error', reason: `DescribeTargetGroups for ${name} failed: ${code}: ${message}` };
      }
      if (!arn || !lbArn) return { state: 'error', reason: `target group ${name} was not found or is not attached to a load balancer` };
      const dimensions = [
        { Name: 'TargetGroup', Value: targetGroupDimension(arn) },
        { Name: 'LoadBalancer', Value: loadBalancerDimension(lbArn) },
      ];
      const query = (Id: string, MetricName: string, Stat: string) => ({ Id, MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName, Dimensions: dimensions }, Stat } });
      const hosts = metric({
        name: NAME,
        queries: [query('unhealthy', 'UnHealthyHostCount', 'Maximum')],
        failWhen: { id: 'unhealthy', stat: 'max', op: '>', threshold: options.maxUnhealthyHosts },
        lookbackMs: options.lookbackMs,
        // The ALB publishes the host counts every minute while targets are registered,
        // so no datapoint means the gate cannot see green's targets: not a pass.
        noData: 'inconclusive',
      });
      const limit5xx = options.max5xxPerMinute;
      const errors = limit5xx === undefined ? undefined : metric({
        name: NAME,
        queries: [query('target5xx', 'HTTPCode_Target_5XX_Count', 'Sum')],
        failWhen: { id: 'target5xx', stat: 'max', op: '>', threshold: limit5xx },
        lookbackMs: options.lookbackMs,
        // No 5xx datapoints means no 5xx answered; CloudWatch omits zero counts.
        noData: 'pass',
      });
      const b = await hosts.run(ctx);
      const a = errors ? await errors.run(ctx) : undefined;
      // The worse of the two: failed, then error/inconclusive, then passed.
      const rank = (o: CheckOutcome) => (o.state === 'failed' ? 0 : o.state === 'passed' ? 2 : 1);
      const worst = a && rank(a) <= rank(b) ? a : b;
      const outcome: CheckOutcome = worst.state === 'passed' ? { state: 'passed', reason: a ? `${a.reason}; ${b.reason}` : b.reason } : worst;
      outcome.details = { ...(a?.details ?? {}), ...(b.details ?? {}) };
      return { ...outcome, details: { targetGroup: name, ...outcome.details } };
    },
  };
}
