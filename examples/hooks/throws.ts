/** A hook that crashes before reporting (an unhandled error): CodeDeploy hears nothing. */
export async function handler(): Promise<never> {
  throw new TypeError("Cannot read properties of undefined (reading 'DeploymentId')");
}
