/**
 * `codedeploy-hooks/checks`: the built-in checks. Each factory validates its
 * options when called and returns a `{ name, run }` check for the engine.
 * SDK clients are created on first use, so a hook pays only for what it runs.
 */
export { invokeTarget } from './invoke-target.js';
export { http } from './http.js';
export { apiGatewayHttpEvent, apiGatewayRestEvent, albEvent, functionUrlEvent } from './events.js';
export { alarms } from './alarms.js';
export { metric } from './metric.js';
export { lambdaDuration, lambdaErrorRate, lambdaThrottles } from './lambda-metrics.js';
export { compareVersions } from './compare-versions.js';
export { bake } from './bake.js';
export { inSequence } from '../engine/validate.js';

export type { CommonCheckOptions } from './common.js';
export type { ResponseExpectation, StatusSpec, ExpectPredicate } from './expect.js';
export type { SyntheticRequest } from './events.js';
export type { InvokeTargetOptions, InvokeResponse, InvokeExpectation, InvokePayload, PayloadValue } from './invoke-target.js';
export type { HttpOptions, HttpRequestSpec, HttpResponse, HeaderValue } from './http.js';
export type { AlarmsOptions } from './alarms.js';
export type { MetricOptions, MetricCondition, SeriesPredicate, NoDataPolicy } from './metric.js';
export type { MetricSeries, MetricQuery } from './metric-data.js';
export type { LambdaErrorRateOptions, LambdaThrottlesOptions, LambdaDurationOptions } from './lambda-metrics.js';
export type { CompareVersionsOptions } from './compare-versions.js';
export type { BakeOptions } from './bake.js';
