"""A CodeDeploy lifecycle hook written the way AWS's Python samples write one:
a Lambda handler that reads DeploymentId and LifecycleEventHookExecutionId
from the event and reports a status with boto3.

It reports REPORT_STATUS (Succeeded, the default, or Failed); with
REPORT_STATUS=none it does its work and never reports. The scenario runs it as
a command hook (`command: python3 report_status.py`): the event arrives as JSON
on stdin, and AWS_ENDPOINT_URL points boto3 at the emulator.
"""
import json
import os
import sys

import boto3

codedeploy = boto3.client("codedeploy")


def lambda_handler(event, context):
    deployment_id = event["DeploymentId"]
    execution_id = event["LifecycleEventHookExecutionId"]
    status = os.environ.get("REPORT_STATUS", "Succeeded")
    print(f"validating deployment {deployment_id}: reporting {status}")
    if status == "none":
        return {"reported": False}
    codedeploy.put_lifecycle_event_hook_execution_status(
        deploymentId=deployment_id,
        lifecycleEventHookExecutionId=execution_id,
        status=status,
    )
    return {"reported": True, "status": status}


if __name__ == "__main__":
    # Outside Lambda: the event is the JSON document on stdin.
    print(json.dumps(lambda_handler(json.load(sys.stdin), None)))
