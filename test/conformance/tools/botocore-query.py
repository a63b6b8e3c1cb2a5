"""Drive the emulator with botocore's own awsQuery serializer and parser.

Current botocore talks JSON to CloudWatch; older clients used the query
protocol. This script forces the query protocol with botocore's independent
implementation, so the emulator's form parsing and XML output are checked by
code nobody on this project wrote.

Bodies are compressed as botocore compresses them (gzip for PutMetricData
over 10 KB, botocore.compress), so the emulator sees what a query client sends.

stdin: JSON {"endpoint": url, "calls": [{"service", "operation", "params"}]}
stdout: JSON list of {"status", "body", "contentEncoding"} (body = botocore's parsed result or error)
"""
import datetime
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

import botocore.session
from botocore import parsers, serialize
from botocore.compress import maybe_compress_request
from botocore.config import Config

spec = json.load(sys.stdin)
session = botocore.session.get_session()
serializer = serialize.create_serializer('query', include_validation=True)
parser = parsers.create_parser('query')
# botocore's defaults, which a client resolves from its configuration chain
compression = Config(request_min_compression_size_bytes=10240, disable_request_compression=False)
results = []
for call in spec['calls']:
    model = session.get_service_model(call['service'])
    op = model.operation_model(call['operation'])
    request = serializer.serialize_to_request(call.get('params', {}), op)
    maybe_compress_request(compression, request, op)
    body = request['body'] if isinstance(request['body'], (bytes, bytearray)) else urllib.parse.urlencode(request['body']).encode()
    http_request = urllib.request.Request(spec['endpoint'] + '/', data=body, method='POST', headers=request['headers'])
    try:
        with urllib.request.urlopen(http_request, timeout=10) as resp:
            status, headers, raw = resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        status, headers, raw = err.code, dict(err.headers), err.read()
    parsed = parser.parse({'status_code': status, 'headers': headers, 'body': raw}, op.output_shape)
    parsed.pop('ResponseMetadata', None)
    results.append({'status': status, 'body': parsed, 'contentEncoding': request['headers'].get('Content-Encoding')})


def default(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


json.dump(results, sys.stdout, default=default)
