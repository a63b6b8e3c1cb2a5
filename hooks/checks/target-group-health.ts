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
      const limit5xx = options.max5xxPerMinute;
      const check = metric({
        name: NAME,
        queries: [
          ...(limit5xx !== undefined ? [{ Id: 'target5xx', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: dimensions }, Stat: 'Sum' } }] : []),
          { Id: 'unhealthy', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'UnHealthyHostCount', Dimensions: dimensions }, Stat: 'Maximum' } },
        ],
        failWhen: [
          ...(limit5xx !== undefined ? [{ id: 'target5xx', stat: 'max' as const, op: '>' as const, threshold: limit5xx }] : []),
          { id: 'unhealthy', stat: 'max', op: '>', threshold: options.maxUnhealthyHosts },
        ],
        lookbackMs: options.lookbackMs,
        // No 5xx datapoints means no 5xx answered; CloudWatch omits zero counts.
        noData: 'pass',
      });
      const outcome = await check.run(ctx);
      return { ...outcome, details: { targetGroup: name, ...outcome.details } };
    },
  };
}
