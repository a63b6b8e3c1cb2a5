import 'aws-sdk-client-mock-vitest/extend';

// Tests never reach AWS: every SDK client created without an explicit endpoint
// would otherwise resolve a real regional endpoint. Dummy credentials and a
// region keep client construction from reading the developer's ~/.aws.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
delete process.env.AWS_PROFILE;
// The SDK warns once per process that Node 20 support ends in 2027; the
// package supports Node >= 20.18 until then and the warning drowns test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
