"""Portfolio (Cloud Resume Challenge) API, seed 004: FastAPI on Mangum in the real project.

`ANY /v1/{proxy+}` reaches this handler after API Gateway has checked the Cognito token; the
claims arrive in the request context. Data lives in one DynamoDB table (PK/SK, GSI1PK/GSI1SK).
Settings live in Parameter Store: each `<SETTING>_PARAMETER` variable names the parameter that
holds `<SETTING>`, read once per container.
"""
import json
import os

import boto3
from boto3.dynamodb.conditions import Key

SETTINGS = ["DYNAMODB_TABLE_NAME", "COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "COGNITO_REGION", "ENVIRONMENT", "LOG_LEVEL"]


def load_settings():
    """Reads every setting's parameter in one GetParameters call."""
    names = {os.environ[f"{setting}_PARAMETER"]: setting for setting in SETTINGS}
    found = boto3.client("ssm").get_parameters(Names=list(names))["Parameters"]
    return {names[parameter["Name"]]: parameter["Value"] for parameter in found}


settings = load_settings()
table = boto3.resource("dynamodb").Table(settings["DYNAMODB_TABLE_NAME"])


def response(status, body):
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body, default=str)}


def handler(event, context):
    path = event.get("rawPath", "")
    if event["routeKey"] == "GET /health":
        return response(200, {"status": "ok", "environment": settings["ENVIRONMENT"]})
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    if path.startswith("/v1/blog"):
        status = (event.get("queryStringParameters") or {}).get("status", "PUBLISHED")
        items = table.query(IndexName="GSI1", KeyConditionExpression=Key("GSI1PK").eq(f"BLOG#{status}"))["Items"]
        return response(200, {"posts": items, "owner": claims.get("email")})
    return response(404, {"detail": f"no route for {path}"})
