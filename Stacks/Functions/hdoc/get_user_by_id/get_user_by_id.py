"""100DaysOfCloud: GET /user?github_username=... returns one user (seed 002)."""
import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    username = (event.get("queryStringParameters") or {}).get("github_username")
    if not username:
        return {"statusCode": 400, "body": json.dumps({"message": "github_username is required"})}
    item = table.get_item(Key={"github_username": username}).get("Item")
    if not item:
        return {"statusCode": 404, "body": json.dumps({"message": "no such user"})}
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(item, default=str)}
