"""Make boto3 calls against the emulator, the way a hook written in Python does.

boto3 picks each service's protocol itself (JSON for CodeDeploy and CloudWatch,
query/XML for ELBv2 and SNS, REST-JSON for Lambda), gzips PutMetricData bodies
over 10 KB, and parses errors with its own parsers: what it reports is checked
by code nobody on this project wrote.

stdin: JSON {"endpoint": url, "calls": [{"service", "operation", "params", "version"?}]}
  "version" replaces the query protocol's Version parameter (to send a wrong one).
stdout: JSON list of {"status", "result" | "error": {"Code", "Message"},
  "contentEncoding": the Content-Encoding boto3 sent, "requestId"}
"""
import base64
import datetime
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

spec = json.load(sys.stdin)
session = boto3.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1')
config = Config(retries={'max_attempts': 1, 'mode': 'standard'}, connect_timeout=10, read_timeout=30)
clients = {}
sent = {}


def record_send(request, **_):
    sent['contentEncoding'] = request.headers.get('Content-Encoding')
    if isinstance(sent['contentEncoding'], bytes):
        sent['contentEncoding'] = sent['contentEncoding'].decode()


def client_for(service):
    if service not in clients:
        client = session.client(service, endpoint_url=spec['endpoint'], config=config)
        client.meta.events.register('before-send', record_send)
        clients[service] = client
    return clients[service]


def plain(value):
    """The parsed result as JSON: streams read, bytes base64, datetimes ISO 8601."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != 'ResponseMetadata'}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if hasattr(value, 'read'):
        return value.read().decode('utf-8', 'replace')
    return value


results = []
for call in spec['calls']:
    client = client_for(call['service'])
    handler = None
    if 'version' in call:
        def handler(params, **_):
            params['body']['Version'] = call['version']
        client.meta.events.register('before-call', handler)
    sent.clear()
    try:
        name = next(m for m, op in client.meta.method_to_api_mapping.items() if op == call['operation'])
        response = getattr(client, name)(**call.get('params', {}))
        meta = response['ResponseMetadata']
        results.append({'status': meta['HTTPStatusCode'], 'requestId': meta.get('RequestId'), 'result': plain(response), 'contentEncoding': sent.get('contentEncoding')})
    except ClientError as err:
        meta = err.response.get('ResponseMetadata', {})
        results.append({'status': meta.get('HTTPStatusCode'), 'requestId': meta.get('RequestId'), 'error': {k: err.response['Error'].get(k) for k in ('Code', 'Message')}, 'contentEncoding': sent.get('contentEncoding')})
    finally:
        if handler:
            client.meta.events.unregister('before-call', handler)

json.dump(results, sys.stdout)
