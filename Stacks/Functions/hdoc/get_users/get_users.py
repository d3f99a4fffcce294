"""100DaysOfCloud: GET /users returns every user (seed 002)."""
import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    items, key = [], None
    while True:
        page = table.scan(**({"ExclusiveStartKey": key} if key else {}))
        items += page["Items"]
        key = page.get("LastEvaluatedKey")
        if not key:
            break
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(items, default=str)}
